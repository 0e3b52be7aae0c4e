"""HTML page → Article: one straight pipeline of named stages (`extract`, and `run` beneath it).

    0 decode      bytes → text (tui.core.charset), capped at rules.MAX_HTML_CHARS
    1 metadata    title, byline, date, site, language, audio — before anything is removed
    2 clean       drop scripts, players, forms...; one pass over the elements' attributes
                  (clean.scan) answers every class/id question; then drop hidden elements
                  and furniture (strict: also by class/id words); visible byline, date, lede
    3 score       choose the node(s) holding the body
    4 blocks      walk them into Blocks and Links
    5 fall back   too little text? relaxed pass, then the longest attempt (or JSON-LD
                  articleBody), then the feed's own summary

`extract` never raises: any failure becomes Article(source="failed", error=...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborDocumentOptions, LexborHTMLParser, LexborNode

from tui.core.charset import declares_utf8, decode_html_keeping_utf8, looks_binary, opening_text
from tui.core.extract import rules
from tui.core.extract.audio import find_episodes
from tui.core.extract.blocks import Collected, RawBlock, collect_blocks
from tui.core.extract.clean import PageIndex, clean, scan, strip_furniture_tags, survey
from tui.core.extract.images import declared_picture, pictures
from tui.core.extract.limits import limit_size_and_depth, within_limits
from tui.core.extract.metadata import (
    Metadata,
    PageLines,
    author_only,
    headline,
    local_date,
    names_the_site,
    read_metadata,
    site_keys,
    text_date,
    to_iso_in_title,
    url_date,
    visible_byline,
    visible_date,
)
from tui.core.extract.nodes import tag_id
from tui.core.extract.score import choose_content
from tui.core.extract.text import fold_spaces
from tui.core.models import Article, ArticleSource, Block

# lexbor's DOM mutation events (which make <selectedcontent> mirror the chosen <option>, and the
# like) change nothing an article shows, and cost time on every node the parser inserts.
_PARSE_OPTIONS = LexborDocumentOptions.WO_EVENTS.value
_HEADER_ID, _BODY_ID = tag_id("header"), tag_id("body")
_BODY_OR_HEADER = frozenset({_HEADER_ID, _BODY_ID})


@dataclass(slots=True)
class _Attempt:
    source: ArticleSource
    collected: Collected

    @property
    def length(self) -> int:
        return self.collected.length

    @property
    def good_enough(self) -> bool:
        """Long enough, or short but real prose (a one-paragraph news item is still an article)."""
        length = self.length
        if length >= rules.MIN_ARTICLE_CHARS:
            return True
        return length >= rules.MIN_SHORT_ARTICLE_CHARS and any(
            kind == "paragraph" and len(text) >= rules.MIN_PROSE_BLOCK_CHARS
            for kind, text, _ in self.collected.blocks
        )


def _decode(html: str | bytes, content_type: str | None) -> tuple[str | bytes, str]:
    """What the parser reads, and the text of the page's opening (what looks_binary reads).

    The parser reads UTF-8: a page that declares UTF-8 and is within the limits goes to it as
    the bytes it came as, not decoded (invalid bytes become U+FFFD as they are read out, as
    decoding would make them) nor encoded again (~0.07 ms each for a page of 100,000
    characters). Otherwise its text, cut to the limits; or, when it is within them, its UTF-8
    form: the bytes, when they turned out to be exactly that, or the text encoded here once
    (the limits' "<" are counted in those bytes, and the parser takes them as they are)."""
    if isinstance(html, bytes | bytearray):
        data = bytes(html)
        if declares_utf8(data, content_type) and within_limits(data):
            return data, opening_text(data)
        text, utf8 = decode_html_keeping_utf8(data, content_type)
    else:
        # A text goes to the parser as the UTF-8 the parser would make of it (selectolax drops
        # lone surrogates, as "ignore" does), made here.
        text = str(html)
        utf8 = text.encode("utf-8", "ignore")
    if utf8 is not None and within_limits(utf8, text):
        # The "<" of the limits counted in the UTF-8 (twice as fast as in the text).
        return utf8, text
    limited = limit_size_and_depth(text)
    # A cut text (a prefix of the whole) is no longer the bytes' text.
    return (utf8 if utf8 is not None and len(limited) == len(text) else limited), limited


def _attempt(
    tree: LexborHTMLParser, info: Metadata, *, strict: bool, for_score: bool, fresh: bool
) -> _Attempt:
    """Stages 2-4 on `tree` (metadata already read). Cleaning is destructive: a second attempt
    needs a fresh parse (`fresh`: furniture tags not yet stripped)."""
    if fresh:
        strip_furniture_tags(tree)
    index = scan(tree)
    return _attempt_on(tree, index, info, strict=strict, for_score=for_score)


def _attempt_on(
    tree: LexborHTMLParser, index: PageIndex, info: Metadata, *, strict: bool, for_score: bool
) -> _Attempt:
    """Stages 2-4 on a tree whose metadata is read and whose element scan is done."""
    clean(tree, index, strict=strict)
    # Bare text beside other blocks (no <p> around it) is scored in the relaxed pass only.
    roots, scores = choose_content(tree, index, weights=strict, loose=not strict)
    if not roots and tree.body is not None:
        roots = [tree.body]
    collected = collect_blocks(
        roots,
        scores,
        title=info.title,
        base_url=info.base_url,
        strict=strict,
        want_links=not for_score,
        want_alt=not for_score,
    )
    return _Attempt("article" if strict else "relaxed", collected)


def _json_body(info: Metadata) -> _Attempt | None:
    if not info.article_body:
        return None
    blocks: list[RawBlock] = [
        ("paragraph", fold_spaces(part), 0) for part in re.split(r"\n\s*\n|\n", info.article_body)
    ]
    return _Attempt("longest", Collected(blocks=[b for b in blocks if b[1]]))


def _visible_lede(page_text: PageLines, info: Metadata) -> str | None:
    """The page's description, when the page (`page_text`: its text) also shows it as a
    standfirst."""
    description = info.description
    if not description or len(description) < 40:
        return None
    words = description.split()[:8]
    if len(words) < 4:
        return None
    return description if _shows_words(page_text.text, words) else None


def _standfirst(tree: LexborHTMLParser, paragraphs: list[LexborNode], lede: str) -> str | None:
    """The visible text of the standfirst, when the page shows its description as a paragraph
    of the article rather than as part of the title block: a <p> or a text-only <div> whose text
    starts with the description's first words, not a heading and not inside a <header> (there
    it stays the lede above the body). `paragraphs`: the page's <p> elements."""
    words = lede.split()[: rules.STANDFIRST_WORDS]
    body = tree.body
    if body is None:
        return None
    start = " ".join(words)
    found = None
    # Paragraphs first; the costlier query for text-only <div>s only when none starts so.
    for candidates in (paragraphs, None):
        for node in body.css(rules.STANDFIRST_DIVS) if candidates is None else candidates:
            text = node.text_lexbor()
            if words[0] in text:
                text = fold_spaces(text)  # kept: the standfirst's text, when it starts so
                if text.startswith(start):
                    found = node
                    break
        if found is not None:
            break
    else:
        return None
    if len(text) > rules.STANDFIRST_MAX_CHARS:
        return None
    parent = found.parent
    while parent is not None and parent.tag_id not in _BODY_OR_HEADER:
        attrs = parent.attributes  # one read: each builds a dict of every attribute
        names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
        if any(word in names.lower() for word in rules.TITLE_BLOCK_WORDS):
            return None
        parent = parent.parent
    return None if parent is not None and parent.tag_id == _HEADER_ID else text


def _shows_words(text: str, words: list[str]) -> bool:
    """True when `words` appear in `text` one after another (any whitespace between them)."""
    first, count = words[0], len(words)
    span = 4 * sum(len(word) + 1 for word in words)  # room for the words and the space between
    at = text.find(first)
    while at >= 0:
        # (The first `count` words of the window, as split() gives them, without the rest.)
        if text[at : at + span].split(None, count)[:count] == words:
            return True
        at = text.find(first, at + 1)
    return False


def run(
    html: str | bytes,
    url: str | None,
    content_type: str | None,
    summary: str | None,
    for_score: bool,
) -> Article:
    page, opening = _decode(html, content_type)
    if looks_binary(opening, html if isinstance(html, bytes | bytearray) else None):
        return Article(url=str(url or ""), source="failed", error="not a text page (binary data)")
    tree = LexborHTMLParser(page, options=_PARSE_OPTIONS)
    found = survey(tree)  # one walk: what the metadata, the picture and the stripping need
    info = read_metadata(tree, url, found.declared)
    episodes = () if for_score else find_episodes(tree, info, found.audios)
    base = info.base_url or url or ""
    declared = (
        None if for_score else declared_picture(tree, info.meta, info.jsonld, base, found.images)
    )
    strip_furniture_tags(tree, found)
    index = scan(tree)
    # The scan lists the headings (the headline) and the paragraphs (the standfirst).
    site = site_keys(info.site_name, url)
    info.title = headline(index.headings, info.title, info.document_title, site)
    if info.byline and names_the_site(info.byline, site):
        # The publisher, not an author: shown as the site when the page names none, and an
        # author's name on the page may follow.
        info.site_name = info.site_name or info.byline
        info.byline = None
    if not info.byline:
        info.byline = visible_byline(index, site)
    page_text = PageLines(tree, info.lang)
    if not info.published:
        info.published = (
            visible_date(index)
            or url_date(url)
            or to_iso_in_title(info.document_title)
            or text_date(page_text, info.title)
        )
    else:
        info.published = local_date(info.published, page_text, info.title, url)
    lede = _visible_lede(page_text, info)
    standfirst = _standfirst(tree, index.paragraphs, lede) if lede else None

    chosen = _attempt_on(tree, index, info, strict=True, for_score=for_score)
    json_body = None
    # Folding never lengthens text: a JSON-LD body no longer than twice the page's cannot win,
    # and is only split and folded when it might.
    if info.article_body and len(info.article_body) > 2 * chosen.length:
        json_body = _json_body(info)
        if json_body is not None and json_body.length > 2 * chosen.length:
            chosen = _Attempt("article", json_body.collected)
    if not chosen.good_enough:
        # A fresh tree from the bytes the first parse read (the UTF-8 form of `text`): the
        # same tree, without encoding the text again.
        relaxed = _attempt(
            LexborHTMLParser(tree.raw_html, options=_PARSE_OPTIONS),
            info,
            strict=False,
            for_score=for_score,
            fresh=True,
        )
        if relaxed.length >= rules.MIN_RELAXED_CHARS and relaxed.length > chosen.length:
            chosen = relaxed
        elif chosen.length < rules.MIN_RELAXED_CHARS:
            if json_body is None:
                json_body = _json_body(info)
            attempts = [a for a in (chosen, relaxed, json_body) if a is not None and a.length]
            if attempts:
                chosen = max(attempts, key=lambda a: a.length)
                chosen = _Attempt("longest", chosen.collected)
    blocks = chosen.collected.as_blocks()
    source: ArticleSource = chosen.source
    error = None
    if not blocks and summary and summary.strip():
        blocks = [
            Block("paragraph", fold_spaces(p)) for p in re.split(r"\n\s*\n", summary) if p.strip()
        ]
        source, error = (
            "summary",
            "the page had no readable article text; showing the feed's summary",
        )
    elif not blocks:
        source, error = "failed", "no article text found on the page"
    shift = 0  # how far the blocks moved since the pictures were placed among them
    if standfirst and blocks and source != "summary":
        # The standfirst is the article's first paragraph: in the body (which the referee
        # reads), and the lede the reader shows above it, in the words the page shows.
        opening = " ".join(standfirst.split()[: rules.STANDFIRST_WORDS])
        if not any(opening in block.text for block in blocks):  # both folded alike
            blocks.insert(0, Block("paragraph", standfirst))
            shift += 1
            lede = standfirst
    if lede and blocks and not for_score and fold_spaces(blocks[0].text) == fold_spaces(lede):
        # The reader shows the lede above the body; the referee reads the body with it.
        blocks = blocks[1:]
        shift -= 1
    if for_score:
        lede = None
    byline = info.byline or chosen.collected.byline
    if byline:
        byline = author_only(byline)
    figures, lead = (
        ((), None)
        if for_score or source == "failed"
        else pictures(
            chosen.collected.images if source != "summary" else [],
            shift,
            len(blocks),
            declared,
        )
    )
    return Article(
        url=url or "",
        title=info.title,
        byline=byline,
        published=info.published,
        site_name=info.site_name,
        lang=info.lang,
        lede=lede,
        blocks=tuple(blocks),
        links=tuple(dict.fromkeys(chosen.collected.links)),
        episodes=episodes,
        source=source,
        error=error,
        images=figures,
        lead_image=lead,
    )


def extract(
    html: str | bytes,
    url: str | None = None,
    *,
    content_type: str | None = None,
    summary: str | None = None,
) -> Article:
    """Extract the article from an HTML page. Never raises: failures come back as source="failed"."""
    try:
        return run(html, url, content_type, summary, for_score=False)
    except Exception as error:  # the promise is "never raises": report it in plain words instead
        reason = f"the page could not be read ({type(error).__name__})"
        try:
            return Article(url=str(url or ""), source="failed", error=reason)
        except Exception:
            return Article(url="", source="failed", error=reason)
