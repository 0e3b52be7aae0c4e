"""Feed text to plain text, and feed links to absolute http(s) URLs.

Summaries and titles are reduced with regular expressions rather than an HTML parser: they are
short previews, and on the bench corpus (bench/feedparse.py) this is about ten times faster than
building a DOM per item, which is most of a feed's parse time. Full HTML (content:encoded, Atom
content) is kept as HTML in `Entry.content_html` for the extractor; it is never reduced here.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

SUMMARY_LIMIT = 1000
TITLE_LIMIT = 300
RAW_LIMIT = 64 * 1024  # only the start of a huge description can matter for a 1,000-char summary

# A tag, with quoted attribute values that may themselves contain ">".
_TAG = re.compile(r"""<[A-Za-z/!?](?:"[^"]*"|'[^']*'|[^'">])*>""")
_INVISIBLE = re.compile(
    r"<!--.*?(?:-->|$)|<(script|style|template|noscript)\b.*?(?:</\1\s*>|$)",
    re.IGNORECASE | re.DOTALL,
)
# Tags that end a line when rendered; the rest (b, a, span...) sit inside a line.
_BREAKS = re.compile(
    r"<(?:br|/?p|/?div|/?li|/?h[1-6]|/?blockquote|/?tr|/?pre|/?ul|/?ol|/?table|/?figure|hr)\b",
    re.IGNORECASE,
)
_UNCLOSED_TAG = re.compile(r"<[A-Za-z/!][^>]*$")
_LOOKS_LIKE_HTML = re.compile(r"<[A-Za-z/!]|&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")


def html_to_text(markup: str | None, limit: int = SUMMARY_LIMIT, is_html: bool = True) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, paragraphs kept as blank lines.

    With `is_html=False` the text is taken literally (Atom `type="text"`, JSON Feed `content_text`)
    and only its whitespace is tidied.
    """
    if not markup:
        return ""
    text = markup[:RAW_LIMIT]
    if is_html and _LOOKS_LIKE_HTML.search(text):
        text = _INVISIBLE.sub("", text)
        text = _BREAKS.sub(lambda m: "\n" + m.group(0), text)
        text = _UNCLOSED_TAG.sub("", _TAG.sub("", text))
        text = html.unescape(text)
    # str.split() folds every kind of space (NBSP too) in C, far faster than a regex here.
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return truncate("\n\n".join(line for line in lines if line), limit)


def plain_title(text: str | None, is_html: bool = True) -> str:
    """One line of plain text for a title: HTML tags dropped and entities decoded when `is_html`."""
    if not text:
        return ""
    text = text[:RAW_LIMIT]
    if is_html and _LOOKS_LIKE_HTML.search(text):
        text = html.unescape(_UNCLOSED_TAG.sub("", _TAG.sub("", _INVISIBLE.sub("", text))))
    return truncate(" ".join(text.split()), TITLE_LIMIT)


def truncate(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, at a word boundary when one is near, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.8:
        cut = cut[:space]
    return cut.rstrip() + "…"


def http_url(value: str | None, base: str | None) -> str | None:
    """`value` resolved against `base`, or None unless the result is an absolute http(s) URL.

    javascript:, data:, file:, mailto: and anything without a host are dropped: the app only
    ever fetches or opens web addresses.
    """
    if not value:
        return None
    value = value.strip().replace(" ", "%20")  # spaces in file names are common in enclosures
    if not value or len(value) > 4096:
        return None
    if not _ABSOLUTE_HTTP.match(value):
        if base is None:
            return None
        try:
            value = urljoin(base, value)
        except ValueError:
            return None
        if not _ABSOLUTE_HTTP.match(value):
            return None
    if _URL_CONTROLS.search(value):
        return None
    if "[" in value:  # an IPv6 literal: let urllib judge it, as every later user of the URL will
        try:
            urlsplit(value).hostname  # noqa: B018 - raises ValueError on a malformed literal
        except ValueError:
            return None
    return value


# Scheme http(s), then a non-empty authority with a host (userinfo "@" allowed, port ":" too).
_ABSOLUTE_HTTP = re.compile(
    r"https?://(?:[^/?#@\s]*@)?[^/?#@:\s]+(?::\d*)?(?=[/?#]|$)", re.IGNORECASE
)
_URL_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")
