"""Untrusted feed bytes to an lxml tree, safely, plus the names feed readers use for its tags.

Safety: entities are never expanded (no billion laughs), no DTD or external resource is loaded
(no XXE, no network), huge text nodes are refused, and only the bytes in hand are parsed (never
a path). Recovery is on, because real feeds are often malformed or cut short: the parser keeps
what it could read, and the tags it could not finish are reported so the caller can drop a
half-received last item.

Two repairs happen before parsing, each only when needed:
- HTML entities (`&nbsp;`, `&mdash;`) are undeclared in XML; libxml2's recovery drops them and,
  worse, the `&amp;` that follows them, so they become numeric references first.
- A charset named only by the HTTP header (no XML declaration, no BOM) is applied by decoding,
  unless the bytes are valid UTF-8 (XML's default), which a mislabelled header often hides.
"""

from __future__ import annotations

import html
import html.entities
import re
from dataclasses import dataclass, field

from lxml import etree

from tui.core.charset import usable_encoding
from tui.core.feeds.sniff import wide_encoding
from tui.core.feeds.text import http_url
from tui.core.sanitize import drop_sequences

_HTML_ENTITY = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos);)([A-Za-z][A-Za-z0-9]{1,31});")
_SURROGATE_REFERENCE = re.compile(
    rb"&#(?:[xX]0*[dD][89a-fA-F][0-9a-fA-F]{2}|0*(?:5529[6-9]|55[3-9]\d\d|56\d{3}|57[0-2]\d\d|573[0-3]\d|5734[0-3]));"
)
_DECLARED_ENCODING = re.compile(rb"^<\?xml[^>]{0,200}?encoding\s*=", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_UNFINISHED = re.compile(r"Premature end of data in tag (\S+)")
# Errors about a character or a name inside otherwise sound markup; any other error means the
# parser had to guess at the structure.
_CONTENT_ERRORS = frozenset(
    {
        "ERR_UNDECLARED_ENTITY",
        "WAR_UNDECLARED_ENTITY",
        "ERR_INVALID_ENCODING",
        "ERR_INVALID_CHAR",
        "ERR_INVALID_CHARREF",
        "NS_ERR_UNDEFINED_NAMESPACE",
        "NS_ERR_QNAME",
        "ERR_RESERVED_XML_NAME",
    }
)
_UTF8_BOM = b"\xef\xbb\xbf"
# The encoding named in the XML declaration, with its quotes: rewritten once the bytes are UTF-8.
_DECLARED_NAME = re.compile(
    rb"""^(\s*<\?xml[^>]{0,200}?encoding\s*=\s*)(["'])[^"'>]*\2""", re.IGNORECASE
)

# Namespace URI (lower-cased) → the prefix feed readers know it by.
NAMESPACES = {
    "http://purl.org/rss/1.0/": "",
    "http://my.netscape.com/rdf/simple/0.9/": "",
    "http://backend.userland.com/rss2": "",
    "http://backend.userland.com/rss": "",
    "http://www.w3.org/2005/atom": "atom",
    "http://purl.org/atom/ns#": "atom",
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://purl.org/dc/elements/1.0/": "dc",
    "http://purl.org/dc/terms/": "dcterms",
    "http://search.yahoo.com/mrss/": "media",
    "http://search.yahoo.com/mrss": "media",
    "http://www.itunes.com/dtds/podcast-1.0.dtd": "itunes",
    "http://example.com/dtds/podcast-1.0.dtd": "itunes",  # copied from an old Apple example
    "https://podcastindex.org/namespace/1.0": "podcast",
    "https://github.com/podcastindex-org/podcast-namespace/blob/main/docs/1.0.md": "podcast",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
    "http://www.w3.org/1999/xhtml": "xhtml",
    "http://rssnamespace.org/feedburner/ext/1.0": "feedburner",
    "http://podlove.org/simple-chapters": "psc",
}


@dataclass(slots=True)
class XmlDocument:
    """A parsed document: its root element, the tags the parser had to close itself, and
    whether it needed structural repair (as opposed to a stray entity or byte)."""

    root: etree._Element
    unfinished: set[str] = field(default_factory=set)
    broken: bool = False


def safe_parser() -> etree.XMLParser:
    """A recovering XML parser with entity expansion, DTD loading and network access all off.

    A new one per document: lxml parsers keep state and are not to be shared between threads.
    """
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        recover=True,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes, url: str, content_type: str | None = None) -> XmlDocument | None:
    """Parse `data` as XML with every dangerous feature off; None when nothing could be read."""
    data = repair(data, content_type)
    parser = safe_parser()
    try:
        root = etree.fromstring(data, parser, base_url=url)
    except (etree.XMLSyntaxError, ValueError):
        return None
    if root is None:
        return None
    document = XmlDocument(root)
    for error in parser.error_log:
        match = _UNFINISHED.search(error.message)
        if match:
            document.unfinished.add(match.group(1).rpartition(":")[2].lower())
        if error.type_name not in _CONTENT_ERRORS:
            document.broken = True
    return document


def repair(data: bytes, content_type: str | None = None) -> bytes:
    """Fix, at the byte level, what libxml2's recovery handles badly (see the module docstring)."""
    data = data[3:] if data.startswith(_UTF8_BOM) else utf8_from_wide(data)
    data = data.lstrip()  # whitespace before "<?xml" makes the declaration an error
    # libxml2 deletes ESC and BEL (not XML characters) and would leave "]0;TITLE" as text.
    data = drop_sequences(data)
    if content_type and not _DECLARED_ENCODING.match(data):
        match = _HEADER_CHARSET.search(content_type)
        encoding = usable_encoding(match.group(1)) if match else None
        if encoding and encoding.replace("_", "-") not in ("utf-8", "utf8") and not _is_utf8(data):
            data = data.decode(encoding, "replace").encode("utf-8")
    if _HTML_ENTITY.search(data):
        data = _HTML_ENTITY.sub(_numeric_reference, data)
    if _SURROGATE_REFERENCE.search(data):
        # libxml2 stores these as invalid UTF-8, which lxml then refuses to hand back as text.
        data = _SURROGATE_REFERENCE.sub(b"&#xFFFD;", data)
    return data


def utf8_from_wide(data: bytes) -> bytes:
    """UTF-16 or UTF-32 `data` (by BOM, or by its zero bytes) re-encoded as UTF-8; else unchanged.

    The repairs after this one work on ASCII-compatible bytes, and libxml2 trusts a declaration
    over the bytes, so the declaration's encoding is rewritten to match.
    """
    wide = wide_encoding(data)
    if wide is None:
        return data
    codec, skip = wide
    text = data[skip:].decode(codec, "replace").encode("utf-8")
    return _DECLARED_NAME.sub(rb'\1"utf-8"', text, count=1)


def _is_utf8(data: bytes) -> bool:
    """True when `data` decodes as UTF-8: then a header naming another charset is the mistake."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _numeric_reference(match: re.Match[bytes]) -> bytes:
    name = match.group(1).decode("ascii")
    codepoint = html.entities.name2codepoint.get(name)
    if codepoint is None:
        return match.group(0)  # unknown (or declared in the document): left unexpanded
    return b"&#%d;" % codepoint


def cut_short(document: XmlDocument, element: etree._Element) -> bool:
    """True when the document ended while `element` (or something inside it) was still open.

    The recovered tree ends with the elements that were open when the bytes ran out: the path
    from the root through each last child. libxml2 names the innermost of them in its error, so
    `element` was cut short when it lies on that path with an unfinished tag at or below it.
    """
    if not document.unfinished:
        return False
    node, below = document.root, False
    while True:
        below = below or node is element
        if below and local_name(node.tag) in document.unfinished:
            return True
        if len(node) == 0 or not isinstance(node[-1].tag, str):
            return False
        node = node[-1]


class TagNames:
    """Maps lxml's `{namespace}local` tags to short lower-case keys: `title`, `content:encoded`.

    The format's own namespaces map to bare names, so one reader handles RSS 0.9x/1.0/1.1/2.0
    or Atom 0.3/1.0 alike. Those are the well-known ones whose prefix is in `core`, plus `own`:
    the namespaces the document itself puts its root (and channel) in, whatever their URI, since
    pre-standard feeds used many (`http://backend.userland.com/rss2`, `http://purl.org/pie/`).
    Keys are lower-cased: XML is case-sensitive but feeds write `<TiTlE>` and `<PUBDATE>`.
    Prefixes used without a declaration (`<itunes:duration>` in a feed that forgot
    xmlns:itunes) arrive as literal `itunes:duration` tags and keep that name.
    """

    __slots__ = ("_cache", "_core", "_own")

    def __init__(self, core: frozenset[str], own: tuple[str, ...] = ()) -> None:
        self._core = core
        self._own = frozenset(uri.lower().strip() for uri in own)
        self._cache: dict[object, str] = {}

    def __call__(self, tag: object) -> str:
        try:
            return self._cache[tag]
        except KeyError:
            key = self._cache[tag] = self._name(tag)
            return key

    def _name(self, tag: object) -> str:
        if not isinstance(tag, str):
            return ""  # comments, processing instructions, entity references
        if tag[0] != "{":
            return tag.lower()
        uri, _, local = tag[1:].partition("}")
        uri = uri.lower().strip()
        local = local.lower()
        if uri in self._own:
            return local
        prefix = NAMESPACES.get(uri, "?")
        if prefix in self._core:
            return local
        return f"{prefix}:{local}"


def own_namespaces(core: frozenset[str], *elements: etree._Element | None) -> tuple[str, ...]:
    """The namespaces of `elements` that can be the format's own: unknown URIs, or known ones
    whose prefix is in `core` (so an RDF root's rdf namespace is not taken for RSS's)."""
    found = []
    for element in elements:
        if element is None:
            continue
        uri = namespace_of(element.tag)
        if uri and NAMESPACES.get(uri.lower().strip(), "") in core:
            found.append(uri)
    return tuple(found)


def namespace_of(tag: object) -> str:
    """The namespace URI of an lxml tag ("" when it has none)."""
    if isinstance(tag, str) and tag[:1] == "{":
        return tag[1 : tag.index("}")]
    return ""


RSS_NAMES = frozenset({""})
ATOM_NAMES = frozenset({"", "atom"})


def text_of(element: etree._Element) -> str:
    """All the text inside `element`, with unexpanded entity references dropped."""
    if len(element) == 0:
        return element.text or ""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            parts.append(text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


def local_name(tag: object) -> str:
    """The tag without its namespace or prefix, lower-cased ("" for comments and entities)."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2].rpartition(":")[2].lower()


def resolve_link(element: etree._Element, value: str | None) -> str | None:
    """`value` as an absolute http(s) URL, resolved against xml:base or else the feed's URL."""
    if not value:
        return None
    value = value.strip()
    if value.startswith(("http://", "https://")):
        return http_url(value, None)
    return http_url(value, element.base)  # lxml folds xml:base attributes into .base


def inner_html(element: etree._Element) -> str:
    """The markup inside an xhtml construct (inside its wrapping div), as namespace-free HTML."""
    container = element
    if (
        len(element) == 1
        and local_name(element[0].tag) == "div"
        and not (element.text or "").strip()
    ):
        container = element[0]
    parts = [html.escape(container.text or "", quote=False)]
    for child in container:
        if isinstance(child.tag, str):
            parts.append(etree.tostring(_plain_copy(child), encoding="unicode", method="html"))
        else:
            parts.append(html.escape(child.tail or "", quote=False))
    return "".join(parts)


def _plain_copy(node: etree._Element) -> etree._Element:
    """A copy of `node` with every namespace removed, so it serialises as ordinary HTML.

    Copies rather than renames: a renamed element still inherits its ancestors' xmlns and
    lxml writes it out on every child.
    """
    copy = etree.Element(local_name(node.tag) or "span")
    for name, value in node.attrib.items():
        if "}" not in name:  # namespaced attributes (xml:lang, xlink:href) mean nothing in HTML
            copy.set(name, value)
    copy.text = node.text
    copy.tail = node.tail
    for child in node:
        if isinstance(child.tag, str):
            copy.append(_plain_copy(child))
        elif child.tail:
            last = copy[-1] if len(copy) else None
            if last is None:
                copy.text = (copy.text or "") + child.tail
            else:
                last.tail = (last.tail or "") + child.tail
    return copy
