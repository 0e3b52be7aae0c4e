"""The pictures of an article: each <img> of the body kept as an Image (resolved http(s) URL,
alt text, caption, declared size, the block it comes before), and the lead image (og:image,
JSON-LD, else the first large figure).

What is not a picture is skipped: tracking pixels (1×1, images under 32 px, known beacon
hosts), decorative icons (role="presentation", aria-hidden, icon/logo/avatar/emoji/sprite
words), spacers and data: URIs. A lazy-loading page's real address is read from data-src and
its kin, or from srcset, when src is a placeholder.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tui.core.extract.nodes import tag_id, tags_inside
from tui.core.extract.text import fold_spaces
from tui.core.extract.urls import join, plain_parts
from tui.core.models import Image

MAX_IMAGES = 50  # pictures kept per article (the reader fetches the first few)
MIN_SIDE = 32  # a declared width or height below this: a pixel, an icon
LEAD_MIN_WIDTH = 300  # the first figure is the lead image when at least this wide (or unsized)
CAPTION_MAX_CHARS = 500
LAZY_SOURCES = ("data-src", "data-lazy-src", "data-original", "data-url", "data-srcset")
BEACON_HOSTS = (
    "doubleclick.net",
    "google-analytics.com",
    "googletagmanager.com",
    "scorecardresearch.com",
    "quantserve.com",
    "facebook.com",
    "facebook.net",
    "bat.bing.com",
    "pixel.wp.com",
    "stats.wp.com",
    "chartbeat.net",
    "parsely.com",
    "omtrdc.net",
    "2o7.net",
    "adnxs.com",
    "taboola.com",
    "outbrain.com",
    "amazon-adsystem.com",
    "krxd.net",
    "t.co",
)
_DECORATIVE = re.compile(
    r"(?:^|[\W_])(?:icon|icons|logo|avatar|emoji|sprite|spinner|spacer|badge|rating|"
    r"pixel|tracking|beacon|placeholder|loader|gravatar|favicon)(?:$|[\W_])",
    re.IGNORECASE,
)
_DECORATIVE_FILE = re.compile(
    r"(?:^|[\W_])(?:icon|icons|logo|avatar|emoji|sprite|spacer|gravatar|favicon)(?:$|[\W_])",
    re.IGNORECASE,
)
# Words one of which _DECORATIVE_FILE needs (the others hold one: icons, gravatar, favicon).
_DECORATIVE_FILE_WORDS = ("icon", "logo", "avatar", "emoji", "sprite", "spacer")
_PLACEHOLDER_FILES = re.compile(r"(?:blank|spacer|transparent|pixel|1x1|clear|lazy)\.(?:gif|png)$")
_SRCSET_ENTRY = re.compile(r"\s*(\S+)(?:\s+(\d+(?:\.\d+)?)([wx]))?\s*(?:,|$)")


_SIZE = re.compile(r"\s*(\d{1,5})(?:\.\d+)?\s*(?:px)?\s*$")


def _size(value: str | None) -> int | None:
    """A declared width/height in pixels ("640", "640px"); None when absent or not a size.
    Most are ASCII digits alone, read as the pattern would read them without it."""
    if not value:
        return None
    if len(value) <= 5 and value.isascii() and value.isdigit():
        return int(value)
    match = _SIZE.match(value)
    return int(match.group(1)) if match else None


def _best_of_srcset(srcset: str) -> str | None:
    """The widest candidate of a srcset (the last when none gives a width)."""
    best, best_size = None, -1.0
    for url, size, _unit in _SRCSET_ENTRY.findall(srcset[:4000]):
        if not url or url.startswith("data:"):
            continue
        value = float(size) if size else 0.0
        if value >= best_size:
            best, best_size = url, value
    return best


def _is_placeholder(low: str) -> bool:
    """Whether the (stripped, lower-cased) address names a placeholder file ("blank.gif",
    "1x1.png"). The pattern ends with the line: only an address ending in .gif or .png is
    searched."""
    return low.endswith((".gif", ".png")) and _PLACEHOLDER_FILES.search(low) is not None


def _source(attrs: dict[str, Any]) -> str | None:
    src = (attrs.get("src") or "").strip()
    if not src or src.startswith("data:") or _is_placeholder(src.lower()):
        for name in LAZY_SOURCES:
            value = (attrs.get(name) or "").strip()
            if value and not value.startswith("data:"):
                return _best_of_srcset(value) if name.endswith("srcset") else value
        srcset = attrs.get("srcset") or ""
        return _best_of_srcset(srcset) if srcset else None
    return src


def _http_parts(raw: str, base_url: str) -> tuple[str, str, str] | None:
    """The absolute http(s) address `raw` stands for, its host (lower-cased) and its path; None
    when it is no such address. Parsed once here, for every test picture_of makes of it."""
    try:
        url = join(base_url, raw.strip())
        plain = plain_parts(url)
        if plain is not None:
            return plain
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    host = parts.hostname
    if not host:
        return None
    return url, host, parts.path


def _http_url(raw: str, base_url: str) -> str | None:
    found = _http_parts(raw, base_url)
    return found[0] if found is not None else None


_BEACON_HOSTS = frozenset(BEACON_HOSTS)
_BEACON_SUFFIXES = tuple(f".{host}" for host in BEACON_HOSTS)  # their subdomains


def is_beacon_host(host: str) -> bool:
    """Whether `host` (any case) is a tracking-pixel host or one of its subdomains."""
    host = host.lower()
    return host in _BEACON_HOSTS or host.endswith(_BEACON_SUFFIXES)


_FIGURE_ID = tag_id("figure")
_FIGCAPTION_IDS = frozenset({tag_id("figcaption")})


def first_caption(node: LexborNode) -> LexborNode | None:
    """node.css_first("figcaption") (`node` itself included, as the query includes it), found
    by walking a small subtree: cheaper than a CSS query, which parses its selector each time."""
    found = tags_inside(node, _FIGCAPTION_IDS)
    if found is None:
        return node.css_first("figcaption")
    return found[0] if found else None


def _is_decorative_file(path: str) -> bool:
    """Whether _DECORATIVE_FILE finds an icon's word in the address's `path`. An ASCII path
    (where IGNORECASE matches as lower-casing does) holding none of its words is not searched:
    the pattern, which tries its opening at every character, costs several times the test."""
    if path.isascii():
        low = path.lower()
        if not any(word in low for word in _DECORATIVE_FILE_WORDS):
            return False
    return _DECORATIVE_FILE.search(path) is not None


def _figure_of(node: LexborNode) -> LexborNode | None:
    parent = node.parent
    for _ in range(4):
        if parent is None:
            return None
        if parent.tag_id == _FIGURE_ID:  # by id: cheaper than building the tag's name
            return parent
        parent = parent.parent
    return None


def picture_of(node: LexborNode, base_url: str, position: int) -> Image | None:
    """The <img> `node` as an Image placed before block `position`, or None when it is not a
    picture worth showing (a pixel, a beacon, an icon, no usable address)."""
    attrs = node.attributes
    if (attrs.get("role") or "").lower() == "presentation" or attrs.get("aria-hidden") == "true":
        return None
    raw = _source(attrs)
    if not raw:
        return None
    found = _http_parts(raw, base_url)
    if found is None:
        return None
    url, host, path = found
    if is_beacon_host(host):
        return None
    width, height = _size(attrs.get("width")), _size(attrs.get("height"))
    if (width is not None and width < MIN_SIDE) or (height is not None and height < MIN_SIDE):
        return None
    if _DECORATIVE.search(f"{attrs.get('class') or ''} {attrs.get('id') or ''}"):
        return None
    if _is_decorative_file(path):
        return None
    caption = ""
    figure = _figure_of(node)
    if figure is not None:
        figcaption = first_caption(figure)
        if figcaption is not None:
            caption = fold_spaces(figcaption.text_lexbor())[:CAPTION_MAX_CHARS]
    alt = fold_spaces(attrs.get("alt") or attrs.get("title") or "")[:CAPTION_MAX_CHARS]
    return Image(url, alt, caption, width, height, position)


def _name(url: str) -> str:
    """The file name of a picture's address, without its size folder or query: two sizes of one
    picture usually share it. (String splits: urlsplit costs more, once per <img> of a page.)"""
    return url.split("#", 1)[0].split("?", 1)[0].rsplit("/", 1)[-1].lower()


def _declared_lead(
    meta: dict[str, str], jsonld: list[tuple[tuple[str, ...], dict[str, Any]]], base_url: str
) -> Image | None:
    for key in (
        "og:image:secure_url",
        "og:image:url",
        "og:image",
        "twitter:image",
        "twitter:image:src",
    ):
        value = meta.get(key)
        found = _http_parts(value, base_url) if value else None
        if found is not None and not is_beacon_host(found[1]):
            alt = fold_spaces(meta.get("og:image:alt") or meta.get("twitter:image:alt") or "")
            return Image(
                found[0],
                alt[:CAPTION_MAX_CHARS],
                width=_size(meta.get("og:image:width")),
                height=_size(meta.get("og:image:height")),
            )
    for kinds, obj in jsonld:
        if not any(kind.endswith(("Article", "Posting", "Report", "WebPage")) for kind in kinds):
            continue
        image = obj.get("image")
        if isinstance(image, list):
            image = image[0] if image else None
        if isinstance(image, dict):
            raw = image.get("url") or image.get("contentUrl")
            url = _http_url(raw, base_url) if isinstance(raw, str) else None
            if url:
                caption = image.get("caption")
                return Image(
                    url,
                    caption=fold_spaces(caption)[:CAPTION_MAX_CHARS]
                    if isinstance(caption, str)
                    else "",
                    width=_size(str(image.get("width") or "")),
                    height=_size(str(image.get("height") or "")),
                )
        elif isinstance(image, str):
            url = _http_url(image, base_url)
            if url:
                return Image(url)
    return None


def declared_picture(
    tree: LexborHTMLParser,
    meta: dict[str, str],
    jsonld: list[tuple[tuple[str, ...], dict[str, Any]]],
    base_url: str,
    images: list[LexborNode] | None = None,
) -> Image | None:
    """The picture the page declares as its own (og:image, JSON-LD), with the alt text, size
    and caption of the <img> showing it when the page has one (same file name: pages declare
    one size and show another). Call before cleaning: the cover is often outside the body.
    `images`: the page's <img> elements in document order, when they were listed already."""
    declared = _declared_lead(meta, jsonld, base_url)
    if declared is None:
        return None
    name = _name(declared.url)
    for node in tree.css("img") if images is None else images:
        if _shows(node, name):
            shown = picture_of(node, base_url, 0)
            if shown is not None:
                return replace(
                    shown,
                    alt=shown.alt or declared.alt,
                    caption=shown.caption or declared.caption,
                )
    return declared


def _shows(node: LexborNode, name: str) -> bool:
    """Whether the address _source reads for the <img> `node` has the file name `name` (a
    part of it, lower-cased, then its _name). Most <img>s have a usable src, and then it is
    the address whatever the lazy attributes say: that one attribute is read, not all of them
    (srcset, sizes, class... make `attributes` the costly call). Otherwise every attribute is
    read, and the address worked out only when one of them may hold the name (_may_show)."""
    src = node.attrs.get("src")
    if src:
        src = src.strip()
        if src and not src.startswith("data:"):
            low = src.lower()  # once, for the placeholder test and the name
            if not _is_placeholder(low):
                return name in low and _name(src) == name
    attrs = node.attributes
    if not _may_show(attrs, name):
        return False
    raw = _source(attrs)
    if not raw:
        return False
    return name in raw.lower() and _name(raw) == name


_SOURCE_ATTRIBUTES = ("src", *LAZY_SOURCES, "srcset")  # where _source reads an address


def _may_show(attrs: dict[str, Any], name: str) -> bool:
    """False when no address of the <img> (`attrs`) can hold the file name `name`: the address
    _source reads is a part of one of these attributes' values, so a name found in none of them
    is in no address. Cheaper than working out that address for every <img> of the page.
    (Lower-casing a part gives a part of the whole lower-cased except for a capital sigma, whose
    small form depends on its neighbours: a name with a sigma is always looked for in the
    address.)"""
    if "σ" in name or "ς" in name:
        return True
    for attribute in _SOURCE_ATTRIBUTES:
        value = attrs.get(attribute)
        if value and (name in value or name in value.lower()):
            return True
    return False


def lead_image(figures: list[Image], declared: Image | None) -> Image | None:
    """The article's own picture. A figure of the body that is the `declared` picture (same
    file name), or that opens the body, is the lead (shown once, where it is); else the
    declared one; else the first large figure."""
    if declared is not None:
        name = _name(declared.url)
        for figure in figures:
            if name and _name(figure.url) == name:
                return figure
    for figure in figures:
        if figure.position == 0 and (figure.width is None or figure.width >= LEAD_MIN_WIDTH):
            return figure
    if declared is not None:
        return declared
    for figure in figures:
        if figure.width is None or figure.width >= LEAD_MIN_WIDTH:
            return figure
    return None


def pictures(
    figures: list[Image],
    shift: int,
    blocks: int,
    declared: Image | None,
) -> tuple[tuple[Image, ...], Image | None]:
    """The article's figures, placed among its final `blocks` (moved by `shift` since the walk
    placed them: a standfirst put first, a lede taken out), each URL once, and its lead image."""
    placed: list[Image] = []
    seen: set[str] = set()
    for figure in figures:
        if figure.url in seen:
            continue
        seen.add(figure.url)
        position = min(max(figure.position + shift, 0), blocks)
        placed.append(replace(figure, position=position) if position != figure.position else figure)
    return tuple(placed), lead_image(placed, declared)
