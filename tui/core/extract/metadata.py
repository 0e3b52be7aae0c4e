"""Stage 1: title, byline, date, site name, language and lede, read before any cleaning.

Sources in order of trust: JSON-LD, Dublin Core / OpenGraph / <meta>, then the page itself
(<title>, <h1>, <time>, visible date text). The title rules follow Readability's: prefer
the declared headline, else cut the site name off the document title.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tui.core.extract import rules
from tui.core.extract.clean import Declared, PageIndex, survey
from tui.core.extract.dates import YEAR, is_month_name, to_iso
from tui.core.extract.jsonld import as_text, read_jsonld
from tui.core.extract.nodes import tag_id
from tui.core.extract.text import fold_spaces


@dataclass(slots=True)
class Metadata:
    """What the page says about itself; every field optional."""

    title: str = ""
    byline: str | None = None
    published: str | None = None
    site_name: str | None = None
    lang: str | None = None
    description: str | None = None
    base_url: str | None = None
    article_body: str | None = None  # JSON-LD articleBody, a fallback text
    document_title: str = ""  # the <title>, as written
    jsonld: list[tuple[tuple[str, ...], dict[str, Any]]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)


def read_meta(metas: list[LexborNode]) -> dict[str, str]:
    """`<meta>` values keyed by lower-cased property/name/itemprop (first value wins)."""
    values: dict[str, str] = {}
    for node in metas:
        attrs = node.attributes  # one read of all attributes: cheaper than several lookups
        content = attrs.get("content")
        if not content:
            continue
        # Every name the element gives gets the same content, so the order its naming
        # attributes are read in does not matter: each is looked up (attribute names come
        # lower-cased), cheaper than going through all of the element's attributes.
        for attr in _NAMING_ATTRIBUTES:
            names = attrs.get(attr)
            if names:
                # "og:title twitter:title" declares both at once.
                for name in names.lower().split():
                    values.setdefault(name, content)
    return values


_NAMING_ATTRIBUTES = ("property", "name", "itemprop")


def read_metadata(
    tree: LexborHTMLParser, url: str | None, declared: Declared | None = None
) -> Metadata:
    """Collect the page's declared metadata. Must run before cleaning (it reads scripts and
    <meta>). A byline or date shown only in the page is read later from the element scan
    (`visible_byline`, `visible_date`). `declared`: the elements that declare it, when the
    tree's survey was taken already."""
    if declared is None:
        declared = survey(tree).declared
    meta = read_meta(declared.metas)
    jsonld = read_jsonld(declared.scripts)
    article = _article_object(jsonld)
    info = Metadata(meta=meta, jsonld=jsonld)
    base_href = _base_href(declared.bases)
    info.base_url = _base_url(url, base_href)
    title = declared.title
    document_title = fold_spaces(title.text_lexbor()) if title is not None else ""
    info.site_name = (
        fold_spaces(
            as_text((article or {}).get("publisher"))
            or next((meta[k] for k in rules.SITE_META if meta.get(k)), "")
        )
        or None
    )
    info.document_title = document_title
    info.title = _title(tree, meta, article, document_title)
    info.byline = _byline(meta, article)
    info.published = _published(tree, meta, article, bool(declared.times))
    html = tree.root
    lang = (
        (html.attrs.get("lang") if html is not None else None)
        or meta.get("og:locale")
        or meta.get("content-language")
    )
    info.lang = fold_spaces(lang).replace("_", "-")[:20] or None
    info.description = (
        fold_spaces(
            as_text((article or {}).get("description"))
            or next((meta[k] for k in rules.LEDE_META if meta.get(k)), "")
        )
        or None
    )
    body = (article or {}).get("articleBody") or (article or {}).get("text")
    info.article_body = body.strip() if isinstance(body, str) and body.strip() else None
    return info


def _base_href(bases: list[LexborNode]) -> str | None:
    """The href of the first <base> that has one."""
    for node in bases:
        attrs = node.attributes
        if "href" in attrs:
            return attrs["href"]
    return None


def _article_object(jsonld: list[tuple[tuple[str, ...], dict[str, Any]]]) -> dict[str, Any] | None:
    """The JSON-LD object describing the page's text: an article type before a page type, one
    with a headline, body or date before one without."""
    for types in (rules.ARTICLE_TYPES, rules.PAGE_TYPES):
        for kinds, obj in jsonld:
            if any(types.match(kind) for kind in kinds) and (
                obj.get("headline") or obj.get("articleBody") or obj.get("datePublished")
            ):
                return obj
    for types in (rules.ARTICLE_TYPES, rules.PAGE_TYPES):
        for kinds, obj in jsonld:
            if any(types.match(kind) for kind in kinds):
                return obj
    return None


_WORD = re.compile(r"\w+")


def _words(text: str) -> int:
    return len(text.split())


def _similar(a: str, b: str) -> float:
    """Share of b's words found in a (Readability's text similarity)."""
    tokens_a = set(_WORD.findall(a.lower()))
    tokens_b = _WORD.findall(b.lower())
    if not tokens_a or not tokens_b:
        return 0.0
    unique_b = [t for t in tokens_b if t not in tokens_a]
    return 1 - len(" ".join(unique_b)) / max(1, len(" ".join(tokens_b)))


def _title(
    tree: LexborHTMLParser,
    meta: dict[str, str],
    article: dict[str, Any] | None,
    document_title: str,
) -> str:
    if article is not None:
        name, headline = as_text(article.get("name")), as_text(article.get("headline"))
        if (
            isinstance(name, str)
            and isinstance(headline, str)
            and fold_spaces(name) != fold_spaces(headline)
        ):
            cleaned = clean_document_title(tree, document_title)
            name_ok = _similar(name, cleaned) > 0.75
            headline_ok = _similar(headline, cleaned) > 0.75
            return fold_spaces(headline if headline_ok and not name_ok else name)
        for candidate in (name, headline):
            if isinstance(candidate, str) and fold_spaces(candidate):
                return fold_spaces(candidate)
    for key in rules.TITLE_META:
        if fold_spaces(meta.get(key)):
            return fold_spaces(meta[key])
    return clean_document_title(tree, document_title)


def clean_document_title(tree: LexborHTMLParser, original: str) -> str:
    """The document title without its site-name part (" | Site", "Site: "), as Readability cuts it."""
    title = original
    hierarchical = False
    if rules.TITLE_SEPARATORS.search(title):
        hierarchical = bool(rules.TITLE_HIERARCHY.search(title))
        parts = rules.TITLE_SEPARATORS.split(original)
        title = re.sub(r"(.*)[|\-–—\\/>»] .*", r"\1", original)
        if _words(title) < 3:
            title = re.sub(r"^[^|\-–—\\/>»]*[|\-–—\\/>»](.*)", r"\1", original)
        del parts
    elif ": " in title:
        headings = [fold_spaces(h.text_lexbor()) for h in tree.css("h1, h2")[:50]]
        if fold_spaces(title) not in headings:
            title = original[original.rfind(":") + 1 :]
            if _words(title) < 3:
                title = original[original.find(":") + 1 :]
            elif _words(original[: original.find(":")]) > 5:
                title = original
    elif len(title) > 150 or len(title) < 15:
        h1s = tree.css("h1")
        if len(h1s) == 1:
            title = fold_spaces(h1s[0].text_lexbor())
    title = fold_spaces(title)
    count = _words(title)
    if count <= 4 and (
        not hierarchical or count != _words(re.sub(r"[|\-–—\\/>»]+", "", original)) - 1
    ):
        title = original
    return title


def _key(text: str) -> str:
    r"""`text` reduced to its lower-cased letters and digits, for comparing names. (The
    characters str.isalnum accepts are those the pattern [^\W_] does: a filter in C is cheaper
    than the pattern's substitution.)"""
    return "".join(filter(str.isalnum, text.lower()))


def _base_url(url: str | None, base_href: str | None) -> str | None:
    """The address the page's links are relative to: its <base href>, made absolute, or its own
    address. A <base> urllib cannot read ("//[x") is ignored, as browsers ignore an invalid one."""
    if not base_href:
        return url
    try:
        return urljoin(url or "", base_href)
    except ValueError:
        return url


def site_keys(site_name: str | None, url: str | None) -> frozenset[str]:
    """Forms the site's name may take in a title: the declared name, the host ("example.com")
    and its main label ("example")."""
    keys = {_key(site_name or "")}
    try:
        host = (urlsplit(url or "").hostname or "").removeprefix("www.")
    except ValueError:  # an address urllib cannot read: no host to know the site by
        host = ""
    if host:
        keys.add(_key(host))
        labels = host.split(".")
        if len(labels) >= 2:
            keys.add(_key(labels[-2]))
    keys.discard("")
    return frozenset(keys)


def names_the_site(byline: str, site: frozenset[str]) -> bool:
    """Whether a byline only names the site ("Example News", "example.com"): that is the
    publisher, not an author, and a name shown on the page may follow."""
    return _key(byline) in site


def _segments(title: str) -> list[str]:
    """A title's parts between separators ("Headline | Section | Site" → three)."""
    return [part for part in (fold_spaces(p) for p in rules.TITLE_SEPARATORS.split(title)) if part]


def _without_site(title: str, site: frozenset[str]) -> str:
    """`title` without a first or last part that is the site's name."""
    parts = _segments(title)
    if len(parts) < 2:
        return title
    if _key(parts[-1]) in site:
        parts = parts[:-1]
    elif _key(parts[0]) in site:
        parts = parts[1:]
    else:
        return title
    # The parts kept, with the separators they had between them.
    start, end = title.find(parts[0]), title.rfind(parts[-1]) + len(parts[-1])
    return fold_spaces(title[start:end]) if 0 <= start < end else parts[0]


class _TitleForms:
    """The forms of the declared titles a heading may show, each worked out on first use: most
    pages' first <h1> is a declared title as it stands, and needs none of the others."""

    __slots__ = ("_keys", "_parts", "_segments", "_texts", "_words", "site", "titles", "wanted")

    def __init__(self, titles: list[str], site: frozenset[str]) -> None:
        self.titles = titles
        self.site = site
        self._keys: dict[str, str] = {}
        self.wanted = {self.key(title) for title in titles}
        self._segments: list[list[str]] | None = None
        self._parts: set[str] | None = None
        self._texts: dict[str, str] | None = None
        self._words: set[str] | None = None

    def key(self, text: str) -> str:
        """_key(text), worked out once per text: the forms and the headings share many texts
        (a heading that is a declared title as it stands, a part of one)."""
        found = self._keys.get(text)
        if found is None:
            found = self._keys[text] = _key(text)
        return found

    def segments(self) -> list[list[str]]:
        """Each title's parts between separators."""
        if self._segments is None:
            self._segments = [_segments(title) for title in self.titles]
        return self._segments

    def parts(self) -> set[str]:
        """The parts that may be the headline: each title's longest part that is not the
        site's name (the others are sections, the site, a tagline), and the longer side of a
        "Kicker: Headline" inside it."""
        if self._parts is None:
            parts: set[str] = set()
            for segments in self.segments():
                keys = [key for key in map(self.key, segments) if key and key not in self.site]
                if keys:
                    main = max(keys, key=len)
                    parts.add(main)
                    for segment in segments:
                        if ": " in segment and self.key(segment) == main:
                            parts.add(max(map(self.key, segment.split(": ", 1)), key=len))
            self._parts = parts
        return self._parts

    def texts(self) -> dict[str, str]:
        """Each declared title and headline part, by key, in the words the declaration has."""
        if self._texts is None:
            texts = {self.key(title): title for title in self.titles}
            for segments in self.segments():
                for segment in segments:
                    texts.setdefault(self.key(segment), segment)
                    if ": " in segment:
                        for side in segment.split(": ", 1):
                            texts.setdefault(self.key(side), fold_spaces(side))
            self._texts = texts
        return self._texts

    def words(self) -> set[str]:
        """The words of the titles, lower-cased."""
        if self._words is None:
            self._words = set(_WORD.findall(" ".join(self.titles).lower()))
        return self._words


_ANCHOR_MARKS = ("¶", "§", "#", "🔗")  # the characters rules.HEADING_ANCHOR ends with


def _heading_text(node: LexborNode) -> str:
    """A heading's text without a date written before it or a permalink mark after it. Folded
    text starts with no white space and holds no line break, so rules.LEADING_DATE can only
    match when it starts with a digit, and rules.HEADING_ANCHOR when it ends with a mark: each
    is tried only then."""
    text = fold_spaces(node.text_lexbor())
    if text[:1].isdecimal():
        text = rules.LEADING_DATE.sub("", text, count=1)
    if text.endswith(_ANCHOR_MARKS):
        text = rules.HEADING_ANCHOR.sub("", text)
    return text


def headline(
    headings: list[LexborNode], declared: str, document_title: str, site: frozenset[str]
) -> str:
    """The headline the page shows, when it is the title the page declares.

    Declared titles often carry the site's name or a section ("Headline | Site", "Section -
    Headline"); the page's own <h1> is the headline without them. An <h1> is taken when its
    words are the declared title's, or one part of it that is not the site's name (blogs make
    the site's name their <h1> and the post's title an <h2>: then the <h2> that is a part of
    it). Otherwise the declared title, without a part that names the site; without a declared
    title, the first <h1>. `headings`: the page's <h1> and <h2> elements, in document order.
    """
    titles = [t for t in dict.fromkeys((declared, document_title)) if t]
    h1s = [node for node in headings if node.tag_id == _H1_ID]
    if not titles:
        return fold_spaces(h1s[0].text_lexbor()) if h1s else ""
    # A heading that is one link to the home page shows the site's name (blogs, manuals): its
    # words are the site's in the titles too.
    home = {
        _key(node.text_lexbor())
        for node in islice(headings, 2 * rules.HEADLINE_SCAN)
        if _links_home(node)
    }
    site = site | home
    forms = _TitleForms(titles, site)
    h2s = (node for node in headings if node.tag_id != _H1_ID)
    for level, nodes in enumerate((h1s, h2s)):
        for node in islice(nodes, rules.HEADLINE_SCAN):
            text = _heading_text(node)
            if len(text) > rules.HEADLINE_MAX_CHARS:
                continue
            key = forms.key(text)
            if not key or key in site:
                continue
            if key in forms.wanted or key in forms.parts():
                return text
            if level == 0:
                # A kicker, a date or a section shown in the heading with the declared
                # headline ("Kicker Headline", "Headline 02.02.2022 • Section"): the headline.
                inside = _declared_inside(node, key, forms.wanted | forms.parts(), forms.texts())
                if inside:
                    return inside
                words = forms.words()
                heading_words = _WORD.findall(text.lower())
                if _covers(heading_words, words) and _covers(
                    list(words - site), set(heading_words), rules.HEADLINE_MIN_COVER
                ):
                    return text
    return _without_site(declared, site) if declared else declared


_H1_ID = tag_id("h1")
_A_ID = tag_id("a")


def _declared_inside(
    node: LexborNode, key: str, candidates: set[str], texts: dict[str, str]
) -> str | None:
    """The declared title (or its headline part) when the heading shows it beside a kicker, a
    date or a section set in an element of its own (`<h1><small>Kicker</small><br>Headline`),
    in the declaration's words; None otherwise."""
    for child in node.traverse():
        if child.tag_id == _A_ID or child.mem_id == node.mem_id:
            continue
        part = _key(child.text_lexbor())
        if not part or part == key:
            continue
        if part in candidates:
            return texts.get(part)
        if key.startswith(part):
            rest = key[len(part) :]
        elif key.endswith(part):
            rest = key[: -len(part)]
        else:
            continue
        if rest in candidates:
            return texts.get(rest)
    return None


def _links_home(node: LexborNode) -> bool:
    """Whether the heading's text is all one link to the site's home page ("/", "index.html",
    "./", a bare host): the site's name, as blogs and manuals show it above every page."""
    if not _has_element_child(node):
        return False  # its text alone (most headings): no link
    links = [child for child in node.traverse() if child.tag_id == _A_ID]
    if len(links) != 1:
        return False
    # The address first: most headings that are one link link to their story, and its test
    # is cheaper than reading both texts.
    href = (links[0].attrs.get("href") or "").strip()
    if not href or not rules.HOME_HREF.match(href):
        return False
    return fold_spaces(links[0].text_lexbor()) == fold_spaces(node.text_lexbor())


def _has_element_child(node: LexborNode) -> bool:
    """Whether an element is among `node`'s children: a look at its few children, cheaper than
    walking its subtree (which builds an object of every element met)."""
    child = node.first_child
    while child is not None:
        if child.is_element_node:
            return True
        child = child.next
    return False


def _covers(words: list[str], known: set[str], share: float = 0.5) -> bool:
    """Whether at least `share` of `words` are among `known`."""
    return bool(words) and sum(word in known for word in words) >= share * len(words)


def _byline(meta: dict[str, str], article: dict[str, Any] | None) -> str | None:
    if article is not None:
        author = as_text(article.get("author") or article.get("creator"))
        if author and not author.startswith(("http://", "https://")):
            return fold_spaces(author)
    for key in rules.BYLINE_META:
        value = fold_spaces(meta.get(key))
        if value and not value.startswith(("http://", "https://", "@")):
            return value
    return None


def author_only(byline: str) -> str | None:
    """The author's name from a byline line: without the words before it ("By", "Erstellt
    von"), nor the date, time or handle after it ("Jane Roe, 24. Januar 2022 16:06 Uhr")."""
    byline = rules.BYLINE_PREFIX.sub("", byline)
    byline = rules.BYLINE_TAIL.sub("", byline)
    date = rules.BYLINE_DATE_START.search(byline)
    if date is not None:
        words = byline[: date.start()].split()
        while len(words) > 1 and (
            words[-1].lower().rstrip(".,") in rules.BYLINE_BEFORE_DATE or is_month_name(words[-1])
        ):
            words.pop()
        if words:
            byline = " ".join(words)
    if "@" in byline:  # the handle's mark: without it the pattern cannot match
        byline = rules.BYLINE_HANDLE.sub("", byline)
    return byline.strip(rules.BYLINE_PUNCTUATION) or None


def visible_byline(index: PageIndex, site: frozenset[str] = frozenset()) -> str | None:
    """An author's name shown on the page (a "byline" or rel=author element), prefix removed;
    not the site's own name."""
    for node in islice(index.byline_candidates(), rules.BYLINE_SCAN):
        text = fold_spaces(node.text_lexbor())
        if 2 < len(text) <= rules.BYLINE_MAX_CHARS:
            name = rules.BYLINE_PREFIX.sub("", text).strip()
            if name and not name[0].isdigit() and not names_the_site(name, site):
                return name
    return None


def _published(
    tree: LexborHTMLParser, meta: dict[str, str], article: dict[str, Any] | None, times: bool
) -> str | None:
    """The publication date the page declares. `times`: whether the page has a <time>
    element."""
    # A declared publication date first (JSON-LD, then <meta>); a creation or upload date
    # only after them.
    found = to_iso(as_text((article or {}).get("datePublished")))
    if found:
        return found
    for key in rules.DATE_META:
        value = meta.get(key)
        found = to_iso(value) if value else None  # (most pages declare few of these)
        if found:
            return found
    if article is not None:
        for key in ("dateCreated", "uploadDate"):
            found = to_iso(as_text(article.get(key)))
            if found:
                return found
    # Then the elements that mark it. The query lists an element once per selector it
    # matches; on a page with no <time> (most that get here, as the survey found) only the
    # first selector can match, and it alone costs about half as much (~0.04 -> ~0.02 ms).
    for node in tree.css(_DATE_ELEMENTS if times else _DATE_ITEMPROP)[:10]:
        found = to_iso(
            node.attrs.get("datetime") or node.attrs.get("content") or node.text_lexbor()
        )
        if found:
            return found
    return None


_DATE_ITEMPROP = '[itemprop="datePublished"]'
_DATE_ELEMENTS = f"{_DATE_ITEMPROP}, time[datetime], time[pubdate]"


def visible_date(index: PageIndex) -> str | None:
    """A date written in the page near the headline (e.g. "20 May, 2025 13:29" in a date span)."""
    for node in islice(index.date_hints, rules.VISIBLE_DATE_SCAN):
        text = node.text_lexbor()
        if len(text) > 80:
            continue
        found = to_iso(text)
        if found:
            return found
    return None


def url_date(url: str | None) -> str | None:
    """A date in the page's address ("/2014/05/18/slug", "/2014-05-18-slug")."""
    found = rules.URL_DATE.search(url or "")
    return to_iso("-".join(found.groups())) if found else None


class PageLines:
    """The body's text, a line break between text nodes ("" without a body): what text_date
    and the lede check read. Read on first use, once per page."""

    __slots__ = ("_candidates", "_dates", "_text", "_tree", "day_first")

    def __init__(self, tree: LexborHTMLParser, lang: str | None = None) -> None:
        self._tree = tree
        self._text: str | None = None
        # Numeric dates ("03/05/2022") put the month first in American English only.
        self.day_first = (lang or "").lower() not in rules.MONTH_FIRST_LANGS
        self._candidates: tuple[str, _Candidates] | None = None
        self._dates: dict[tuple[str, bool], str | None] = {}

    def candidates(self, title: str) -> _Candidates:
        """The lines near the headline that may be dates (`text_dates`' order), each with its
        place in that order and the line before it in the text; and whether the headline was
        found. Read from the text once per page, as far as they are asked for."""
        if self._candidates is None or self._candidates[0] != title:
            self._candidates = (title, _date_candidates(self.text, title))
        return self._candidates[1]

    def date(self, line: str, day_first: bool) -> str | None:
        """`to_iso(line, day_first)`, read once per page."""
        key = (line, day_first)
        if key not in self._dates:
            self._dates[key] = to_iso(line, day_first)
        return self._dates[key]

    @property
    def text(self) -> str:
        if self._text is None:
            body = self._tree.body
            self._text = body.text(separator="\n") if body is not None else ""
        return self._text


def text_date(page: PageLines, title: str) -> str | None:
    """A date standing alone in the page's text near the headline: the
    first short line after it that is a date, else the nearest before it; without the headline
    in the text, the first such line of the page. For pages that declare no date and mark none."""
    return next(text_dates(page, title), None)


def text_dates(
    page: PageLines, title: str, day_first: bool | None = None, published: bool = False
) -> Iterator[str]:
    """The dates standing alone in the page's text near the headline, in `text_date`'s order
    (`day_first`: how to read numeric dates, if not in the page's language's order;
    `published`: the publication dates shown under the headline only, not those labelled
    as an update's)."""
    if day_first is None:
        day_first = page.day_first
    lines = page.candidates(title)
    if published and not lines.found_headline:
        return
    for place, line, line_label in lines:
        if published and place >= rules.TEXT_DATE_TITLE_BLOCK:
            return  # the title block only: further on, a quote's, a comment's, a teaser's
        found = page.date(line, day_first)
        if found and not (
            published
            and (rules.UPDATE_LABEL.search(line) or rules.UPDATE_LABEL.fullmatch(line_label))
        ):
            yield found


_Candidate = tuple[int, str, str]  # a line that may be a date: its place, it, the line before


class _Candidates:
    """The lines near the headline that may be dates, in the order they are tried, read from the
    text as far as a reader asks for them (most pages show their date within a few lines of the
    headline: the lines further on need not be found) and kept for the next reader; and whether
    the headline was found in the text."""

    __slots__ = ("_lines", "_read", "found_headline")

    def __init__(self, found_headline: bool, lines: Iterator[_Candidate]) -> None:
        self.found_headline = found_headline
        self._lines = lines
        self._read: list[_Candidate] = []

    def __iter__(self) -> Iterator[_Candidate]:
        read, place = self._read, 0
        while True:
            if place == len(read):
                line = next(self._lines, None)
                if line is None:
                    return
                read.append(line)
            yield read[place]
            place += 1


def _date_candidates(text: str, title: str) -> _Candidates:
    """The lines of `text` near the headline that may be dates: each with its place in the order
    they are tried and the line before it in the text ("Updated" may stand on a line of its
    own)."""
    head = title[: rules.TEXT_DATE_TITLE_CHARS]
    at = text.find(head) if head else -1
    if at < 0 and head:
        at = text.lower().find(head.lower())  # the headline in other letter case
    if at >= 0:
        # The headline's own line is looked at first (a date may share it).
        return _Candidates(True, _dates_near(text, text.rfind("\n", 0, at) + 1))
    # A long window, mostly read to its end: one findall (no match objects) costs less than
    # stopping early (~0.059 against ~0.074 ms).
    lines = _LINE.findall(text, 0, rules.TEXT_DATE_WINDOW * 4)[: rules.TEXT_DATE_SCAN]
    return _Candidates(False, _dates_among(lines))


def _dates_near(text: str, line_start: int) -> Iterator[_Candidate]:
    """The lines that may be dates near the headline's line (starting at `line_start`): that
    line and the ones after it, then the ones before it, nearest first. Each line is read
    when the reader gets to it."""
    place, label = 0, ""
    after = _LINE.finditer(text, line_start, line_start + rules.TEXT_DATE_WINDOW)
    for line in islice(map(re.Match.group, after), rules.TEXT_DATE_AFTER):
        part = _date_part(line)
        if part is not None:
            yield place, part, label
        place, label = place + 1, line
    # The lines before, nearest first, each with the line before it: one more line than are
    # looked at gives the last one's.
    before = _last_lines(
        text,
        max(0, line_start - rules.TEXT_DATE_WINDOW),
        line_start,
        rules.TEXT_DATE_BEFORE + 1,
    )
    for at in range(len(before) - 1, max(-1, len(before) - 1 - rules.TEXT_DATE_BEFORE), -1):
        part = _date_part(before[at])
        if part is not None:
            yield place, part, before[at - 1] if at else ""
        place += 1


def _dates_among(lines: list[str]) -> Iterator[_Candidate]:
    """The `lines` that may be dates, in their order, each with the line before it."""
    for place in _may_be_dates(lines):
        part = _date_part(lines[place])
        if part is not None:
            yield place, part, lines[place - 1] if place else ""


def _date_part(line: str) -> str | None:
    """The part of a (stripped) line that may be a date: the line when it is short and holds a
    year (every form to_iso reads has a four-digit one), the date that opens a longer line
    ("08.11.2021 | Headline"); None otherwise (most lines)."""
    if len(line) <= rules.TEXT_DATE_MAX_CHARS:
        return line if YEAR.search(line) else None
    # (rules.LEADING_DATE can only match a stripped line that starts with a digit.)
    opening = rules.LEADING_DATE.match(line) if line[0].isdecimal() else None
    return opening.group() if opening and YEAR.search(opening.group()) else None


def _may_be_dates(lines: list[str]) -> list[int]:
    """The places of the `lines` that may hold a date (_date_part's test, without the opening
    date of a long line: one that starts with a digit may). Most lines are neither: for the
    many lines of a page without the headline, one comprehension tells them apart, cheaper
    than a loop that handles each."""
    search, most = YEAR.search, rules.TEXT_DATE_MAX_CHARS
    return [
        place
        for place, line in enumerate(lines)
        if (search(line) if len(line) <= most else line[0].isdecimal())
    ]


# A non-blank line, stripped: from its first non-space character to its last one before a line
# break. (\s is the white space str.strip removes, so each match is a line's strip().) The page
# text has many more blank lines than others (the white space between tags): the pattern skips
# them in C, where splitting made a string of each and stripped it. Searched between two places
# of the text, as in that part cut out (the pattern has no anchor), without copying it.
_LINE = re.compile(r"\S(?:[^\n]*\S)?")


def _last_lines(text: str, start: int, end: int, count: int) -> list[str]:
    """The last `count` non-blank lines of `text[start:end]`, stripped, in their order.

    Read from the end back, a part at a time (most windows show `count` lines in their last
    part): a part's first line may be cut short, so a part is enough when it holds more than
    `count` lines."""
    if not count:
        return []
    size = _LAST_LINES_PART
    while True:
        part_start = max(start, end - size)
        lines = _LINE.findall(text, part_start, end)
        if part_start == start or len(lines) > count:
            return lines[-count:]
        size *= 4


_LAST_LINES_PART = 1024  # characters read first from the end of a window


def _days_apart(one: str, other: str) -> int:
    """Days between two ISO dates (0 when either cannot be read)."""
    try:
        return abs((date.fromisoformat(one[:10]) - date.fromisoformat(other[:10])).days)
    except ValueError:
        return 0


def _address_agrees(url: str | None, declared: str) -> bool:
    """Whether the page's address holds the declared date's year and month ("/2019/10/")."""
    found = rules.URL_MONTH.search(url or "")
    if found is None:
        return False
    return declared.startswith(f"{found.group(1)}-{int(found.group(2)):02d}")


def local_date(declared: str, page: PageLines, title: str, url: str | None = None) -> str:
    """The declared date, or the date the page shows for it instead.

    - A full date in the address days away from the declared one wins (the address is made
      when the page is first published; the declared date is then a later edit's).
    - The declared date stands when the address holds its year and month, or when the page
      shows it near the headline.
    - A date shown near the headline a day off a time declared in UTC or without a zone wins
      (the local date the page prints for readers around midnight).
    - A date shown in the headline's block, not labelled as an update, wins when it is the only
      one there: a date a reader sees over one only the markup holds (a template's, a draft's).
    """
    in_address = url_date(url)
    if in_address and _days_apart(in_address, declared) > 1:
        # The address was made when the page was first published; a declared date days
        # away from it is a later edit's (or a template's).
        return in_address
    if _address_agrees(url, declared):
        return declared  # the address the page was published at says the same
    day = declared[:10]
    shown: list[str] = []  # the dates shown near the headline, each once, in text_dates' order
    for other in text_dates(page, title):
        if other[:10] == day:
            # Shown near the headline: the lines further on need not be read as dates.
            return declared
        if other not in shown:
            shown.append(other)
    if not shown:
        return declared
    if any(other[:10] == day for other in text_dates(page, title, not page.day_first)):
        return declared  # shown near the headline in the other order ("11/01/2021")
    if _days_apart(shown[0], day) == 1:
        return declared if rules.LOCAL_OFFSET.search(declared) else shown[0]
    near = {other[:10]: other for other in text_dates(page, title, published=True)}
    return next(iter(near.values())) if len(near) == 1 else declared


def to_iso_in_title(document_title: str) -> str | None:
    """A date written as a part of the document title ("Headline | Site | 23.05.2011")."""
    for part in _segments(document_title)[1:]:
        if len(part) <= rules.TEXT_DATE_MAX_CHARS and YEAR.search(part):
            found = to_iso(part)
            if found:
                return found
    return None
