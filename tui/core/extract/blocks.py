"""Stage 4: turn the chosen content nodes into Blocks (and Links, and image captions).

One iterative walk (an explicit stack, never recursion, so 100,000 nested elements cannot blow
the stack). Paragraph-like elements become one block each; text lying loose in a container is
gathered until the next block boundary. In the strict pass, containers that read as furniture
inside the article (link lists, short boxes, image strips) are left out, as Readability's
conditional cleaning does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from selectolax.lexbor import LexborNode

from tui.core.extract import rules
from tui.core.extract.clean import class_and_id, has_word
from tui.core.extract.dates import to_iso
from tui.core.extract.score import class_weight, link_density
from tui.core.models import Block, BlockKind, Link

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_KIND_OF: dict[str, BlockKind] = {
    "li": "list_item",
    "blockquote": "quote",
    "figcaption": "caption",
    "caption": "caption",
    "pre": "pre",
}
_FLUSH = None


@dataclass(slots=True)
class Collected:
    """What the walk produced."""

    blocks: list[Block] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    byline: str | None = None


def fold(text: str) -> str:
    """Fold runs of spaces; single newlines become spaces (they are source formatting)."""
    return " ".join(text.replace("\u200b", "").split())


def _tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def same_text(a: str, b: str) -> bool:
    """True when heading `a` repeats title `b` (Readability: 75% of the words alike)."""
    if not a or not b:
        return False
    words_a, words_b = _tokens(a), _tokens(b)
    if words_a == words_b:
        return True
    known = set(words_b)
    extra = [w for w in words_a if w not in known]
    return 1 - len(" ".join(extra)) / max(1, len(" ".join(words_a))) > 0.75


class _Walker:
    def __init__(
        self, *, title: str, base_url: str | None, strict: bool, want_links: bool, want_alt: bool
    ) -> None:
        self.title = title
        self.base_url = base_url or ""
        self.strict = strict
        self.want_links = want_links
        self.want_alt = want_alt
        self.out = Collected()
        self.inline: list[str] = []
        self.captions: set[int] = set()
        self.title_seen = False

    # -- output -------------------------------------------------------------------------------
    def add(self, kind: BlockKind, text: str, level: int = 0) -> None:
        if len(self.out.blocks) >= rules.MAX_BLOCKS:
            return
        if kind == "pre":
            text = text.strip("\n")
            if text.strip():
                self.out.blocks.append(Block("pre", text))
            return
        for piece in _PARAGRAPH_BREAK.split(text):
            folded = fold(piece)
            if len(folded) <= rules.DATELINE_MAX_CHARS and kind == "paragraph":
                if to_iso(folded):
                    continue  # "20 May, 2025 13:29": a dateline, already in Article.published
                if folded.strip(" -–—:*[]()").lower() in rules.AD_LABELS:
                    continue  # "ADVERTISEMENT": the label of an advert slot removed earlier
            if folded:
                self.out.blocks.append(Block(kind, folded, level))

    def flush(self) -> None:
        if self.inline:
            self.add("paragraph", "".join(self.inline))
            self.inline.clear()

    def links_of(self, node: LexborNode) -> None:
        if not self.want_links:
            return
        for link in node.css("a[href]") if node.tag != "a" else [node]:
            href = (link.attrs.get("href") or "").strip()
            if not href or href.startswith("#"):
                continue
            absolute = urljoin(self.base_url, href) if self.base_url else href
            if absolute.lower().startswith(rules.URL_SCHEMES):
                text = fold(link.text())
                if text:
                    self.out.links.append(Link(text, absolute))

    # -- decisions ----------------------------------------------------------------------------
    def is_byline(self, node: LexborNode, text: str) -> bool:
        if self.out.byline is not None or len(text) > rules.BYLINE_MAX_CHARS or not text.strip():
            return False
        attrs = node.attrs
        if attrs.get("rel") == "author" or "author" in (attrs.get("itemprop") or ""):
            return True
        return has_word(class_and_id(node), rules.BYLINE_WORDS)

    def is_post_meta(self, node: LexborNode) -> bool:
        """A short "Posted on ... by ..." box: metadata the Article already carries."""
        names = class_and_id(node)
        return (
            len(names) > 1
            and has_word(names, rules.META_WORDS)
            and len(node.text()) <= rules.META_MAX_CHARS
        )

    def is_link_line(self, node: LexborNode, text: str) -> bool:
        """A paragraph that is mostly links to other stories ("READ MORE: ...", "See also")."""
        length = len(text.strip())
        if not length or length > rules.LINK_LINE_MAX_CHARS:
            return False
        links = node.css("a")
        if not links or link_density(node, length) < rules.LINK_LINE_DENSITY:
            return False
        # One link alone is often a source or a citation; a label in capitals ("READ MORE:")
        # or several links in a row is a promotion.
        label = text.strip().split(":", 1)[0] if ":" in text[:30] else ""
        return len(links) >= 2 or (label.isupper() and len(label) <= 30)

    def drop_container(self, node: LexborNode) -> bool:
        """Readability's conditional cleaning, simplified: link farms and short boxes go."""
        text = node.text().strip()
        if text.count(",") + text.count("，") >= rules.COMMA_SAFE:
            return False
        weight = class_weight(node)
        if weight < 0:
            return True
        length = len(text)
        if not length:
            return True
        density = link_density(node, length)
        if (weight < 25 and density > 0.33) or (weight >= 25 and density > 0.5):
            return True
        paragraphs = len(node.css("p"))
        items = len(node.css("li"))
        tag = node.tag
        if tag not in ("ul", "ol") and items > paragraphs + 1 and density > 0.2:
            return True
        images = len(node.css("img"))
        return bool(images > 2 and paragraphs * 2 < images and length < 200)

    # -- the walk -----------------------------------------------------------------------------
    def walk(self, roots: list[LexborNode]) -> Collected:
        stack: list[tuple[LexborNode, bool, int] | None] = [
            (root, False, 0) for root in reversed(roots)
        ]
        root_ids = {root.mem_id for root in roots}
        holds_block = _holding_blocks(roots)
        # Photo captions and credits often sit in plain spans/divs ("caption", "credit" classes):
        # one scoped query per root finds them, so the walk reads no class attribute per node.
        self.captions = {
            node.mem_id
            for root in roots
            for node in root.css(rules.CAPTION_SELECTOR)
            if node.mem_id not in root_ids
        }
        while stack:
            item = stack.pop()
            if item is _FLUSH:
                self.flush()
                continue
            node, quoted, depth = item
            tag = node.tag
            if tag == "-text":
                self.inline.append(node.text_content or "")
                continue
            if tag is None or tag.startswith(("-", "#", "!")):
                continue
            if tag == "img":
                self.image(node)
                continue
            if self.captions and node.mem_id in self.captions and self.caption(node):
                continue
            if tag in rules.INLINE_TAGS and node.mem_id not in holds_block:
                self.inline.append(node.text())
                if tag == "a" or node.css_first("a") is not None:
                    self.links_of(node)
                continue
            if tag in rules.LEAF_BLOCKS and not (
                tag in ("blockquote", "li", "td", "th", "dd")
                and (tag == "blockquote" or node.mem_id in holds_block)
            ):
                self.leaf(node, tag, quoted)
                continue
            if (
                self.strict
                and tag in rules.CONDITIONAL_TAGS
                and node.mem_id not in root_ids
                and self.drop_container(node)
            ):
                continue
            if self.strict and self.is_post_meta(node):
                continue
            if self.strict and self.is_byline(node, node.text()):
                self.out.byline = fold(node.text())
                continue
            self.flush()
            if depth > rules.MAX_DEPTH:
                # Absurdly deep: take the text as it is rather than walk further.
                self.add("paragraph", node.text())
                continue
            stack.append(_FLUSH)
            quoted = quoted or tag == "blockquote"
            children = list(node.iter(include_text=True))
            stack.extend((child, quoted, depth + 1) for child in reversed(children))
        self.flush()
        return self.out

    def leaf(self, node: LexborNode, tag: str, quoted: bool) -> None:
        self.flush()
        if tag == "pre":
            self.add("pre", node.text(deep=True))
            return
        text = node.text()
        if tag in rules.HEADINGS:
            if not self.title_seen and tag in ("h1", "h2") and same_text(fold(text), self.title):
                self.title_seen = True  # the headline repeated in the body: already the title
                return
            self.add("heading", text, int(tag[1]))
        else:
            if self.strict and len(text) < rules.BYLINE_MAX_CHARS and self.is_byline(node, text):
                self.out.byline = fold(text)
                return
            if self.strict and tag == "p" and self.is_link_line(node, text):
                return
            kind = _KIND_OF.get(tag, "quote" if quoted else "paragraph")
            self.add(kind, text)
        self.links_of(node)

    def caption(self, node: LexborNode) -> bool:
        """Emit a short caption-class element as one caption block; False when it is too long."""
        text = node.text()
        if len(text) > rules.CAPTION_MAX_CHARS:
            return False
        self.flush()
        self.add("caption", text)
        return True

    def image(self, node: LexborNode) -> None:
        if not self.want_alt:
            return
        alt = fold(node.attrs.get("alt") or "")
        parent = node.parent
        if alt and len(alt) > 3 and (parent is None or parent.css_first("figcaption") is None):
            self.flush()
            self.add("caption", alt)


def _holding_blocks(roots: list[LexborNode]) -> set[int]:
    """Ids of the elements under `roots` that have a block element (rules.BLOCK_INSIDE) inside.

    One query per root and a climb from each block that stops at the first ancestor already
    seen: far cheaper than asking every inline element for blocks inside it (a CSS query each).
    """
    found: set[int] = set()
    for root in roots:
        stop = root.mem_id
        for block in root.css(rules.BLOCK_INSIDE):
            parent = block.parent
            while parent is not None:
                key = parent.mem_id
                if key in found:
                    break
                found.add(key)
                if key == stop:
                    break
                parent = parent.parent
    return found


def collect_blocks(
    roots: list[LexborNode],
    *,
    title: str,
    base_url: str | None,
    strict: bool,
    want_links: bool = True,
    want_alt: bool = True,
) -> Collected:
    """Blocks, links and a byline found in `roots`, in document order."""
    walker = _Walker(
        title=title, base_url=base_url, strict=strict, want_links=want_links, want_alt=want_alt
    )
    return walker.walk(roots)
