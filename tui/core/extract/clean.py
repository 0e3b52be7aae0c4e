"""Stage 2: read every element's attributes once, then remove what is never article text.

`scan` walks the page's elements in one pass (a node's attributes are the costly part, so each
is read exactly once) and answers every class/id question the later stages ask: which elements
are hidden or furniture, which are bylines, date lines, captions or post metadata, and the
lower-cased class/id string by which candidates are weighted. Class strings repeat a lot, so each
distinct one is matched against the word lists once (and remembered across pages of a site).

`clean` then removes, deepest-first, what the scan marked. Two strengths: the strict pass (first
attempt) also drops elements whose class/id reads like page furniture (share bars, comment
sections, sidebars, teaser rails, players...); the relaxed pass (second attempt, when the strict
one found too little) keeps those, as Readability does.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tui.core.extract import rules
from tui.core.extract.nodes import standard_tag_ids

_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")

# Flags of one class/id string (bit set). The furniture words, and the hints that an element
# shows a byline or a date (asked of every element), are matched for every element at once;
# the others only for the elements a later stage asks about.
STRONG = 1  # furniture (rules.UNLIKELY_SUBSTRINGS)
WEAK = 2  # maybe furniture: goes unless it holds a run of paragraphs
MAYBE = 4  # says it is the content: never removed for its class
BYLINE_HINT = 8
DATE_HINT = 16
_FURNITURE = STRONG | WEAK | MAYBE
_FURNITURE_SETS: tuple[tuple[int, tuple[str, ...], tuple[str, ...]], ...] = (
    (STRONG, rules.UNLIKELY_SUBSTRINGS, ()),
    (WEAK, rules.UNLIKELY_WEAK_SUBSTRINGS, rules.UNLIKELY_TOKENS),
    (MAYBE, rules.MAYBE_WORDS, ()),
    (BYLINE_HINT, rules.BYLINE_HINT_WORDS, ()),
    (DATE_HINT, rules.DATE_HINT_WORDS, ()),
)
CAPTION = 32
POST_META = 64
BYLINE = 128
NEGATIVE = 256
POSITIVE = 512
_LAZY_SETS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (CAPTION, rules.CAPTION_WORDS),
    (POST_META, rules.META_WORDS),
    (BYLINE, rules.BYLINE_WORDS),
    (NEGATIVE, rules.NEGATIVE_WORDS),
    (POSITIVE, rules.POSITIVE_WORDS),
)
_CACHE_LIMIT = 50_000
_FURNITURE_CACHE: dict[str, int] = {}
_TOKEN_CACHE: dict[str, int] = {}
_LAZY_CACHES: dict[int, dict[str, bool]] = {bit: {} for bit, _ in _LAZY_SETS}
_LAZY_WORDS = dict(_LAZY_SETS)
_WEIGHT_CACHE: dict[str, int] = {}
_DROP_ATTRS = frozenset({"hidden", "aria-hidden", "style", "role", "itemprop", "itemtype", "rel"})


# The scan tells tags apart by lexbor's tag ids: cheaper than building each element's name.
_TAG_IDS = standard_tag_ids(rules.SCAN_SKIP_TAGS | rules.RARE_DROP_TAGS)
_SKIP_IDS = frozenset(_TAG_IDS[name] for name in rules.SCAN_SKIP_TAGS if name in _TAG_IDS)
_RARE_IDS = frozenset(_TAG_IDS[name] for name in rules.RARE_DROP_TAGS if name in _TAG_IDS)
# Tags read by name: custom elements (amp-ad...), whose ids are addresses, far above
# every standard tag's id.
_NAMED_SKIP = rules.SCAN_SKIP_TAGS - _TAG_IDS.keys()
_NAMED_RARE = rules.RARE_DROP_TAGS - _TAG_IDS.keys()
_LAST_STANDARD_ID = max(_TAG_IDS.values(), default=-1)


def find_words(
    texts: Sequence[str], substrings: Iterable[str], tokens: Iterable[str] = ()
) -> set[int]:
    """Indexes of `texts` containing any of `substrings`, or any of `tokens` as a whole word.

    All texts are joined once and searched with str.find per word, which runs in C; mapping a
    hit back to its text is a bisect. This is ~50x faster than one regex per element.
    """
    if not texts:
        return set()
    starts: list[int] = []
    position = 0
    for text in texts:
        starts.append(position)
        position += len(text) + 1
    joined = "\n".join(texts)
    hits: set[int] = set()
    for word in substrings:
        at = joined.find(word)
        while at >= 0:
            index = bisect_right(starts, at) - 1
            hits.add(index)
            # Skip to the next text: one hit per text is enough.
            next_start = starts[index + 1] if index + 1 < len(starts) else len(joined)
            at = joined.find(word, next_start)
    size = len(joined)
    for word in tokens:
        at = joined.find(word)
        while at >= 0:
            end = at + len(word)
            before_ok = at == 0 or joined[at - 1] not in _WORD_CHARS
            after_ok = end >= size or joined[end] not in _WORD_CHARS
            if before_ok and after_ok:
                hits.add(bisect_right(starts, at) - 1)
            at = joined.find(word, end)
    return hits


def furniture_flags(names: Iterable[str]) -> dict[str, int]:
    """STRONG/WEAK/MAYBE and BYLINE_HINT/DATE_HINT of each distinct class/id string among
    `names`, cached across pages.

    No word spans two class names, so a string's flags are those of its names together;
    names repeat across pages and sites far more than whole strings do, so each is searched
    once (all unknown names of a page in one bulk search). The answer is a small dict of this
    page's strings: the later lookups stay in it rather than in the big cache.
    """
    cache = _FURNITURE_CACHE
    distinct = dict.fromkeys(names)
    unknown = [name for name in distinct if name not in cache]
    if unknown:
        _learn_furniture(unknown if len(cache) <= _CACHE_LIMIT else list(distinct))
    return {name: cache[name] for name in distinct}


def _learn_furniture(unknown: list[str]) -> None:
    """Search the flags of the class/id strings `unknown` and add them to the cache (emptied
    first when it has grown past its limit: `unknown` is then all of the page's strings)."""
    cache = _FURNITURE_CACHE
    if len(cache) > _CACHE_LIMIT:
        cache.clear()
        _TOKEN_CACHE.clear()
    tokens = _TOKEN_CACHE
    split = [name.split() for name in unknown]
    new = [
        token for token in dict.fromkeys(t for parts in split for t in parts) if token not in tokens
    ]
    if new:
        flags = [0] * len(new)
        for bit, substrings, words in _FURNITURE_SETS:
            for index in find_words(new, substrings, words):
                flags[index] |= bit
        tokens.update(zip(new, flags, strict=True))
    for name, parts in zip(unknown, split, strict=True):
        value = 0
        for token in parts:
            value |= tokens[token]
        cache[name] = value


def has_flag(names: str, bit: int) -> bool:
    """Whether class/id string `names` holds a word of the lazy word set `bit` (cached)."""
    cache = _LAZY_CACHES[bit]
    found = cache.get(names)
    if found is None:
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        found = cache[names] = any(word in names for word in _LAZY_WORDS[bit])
    return found


def class_weight_of(names: str | None) -> int:
    """+25 for content-like class/id words, -25 for furniture-like ones (both may apply)."""
    if not names:
        return 0
    weight = _WEIGHT_CACHE.get(names)
    if weight is None:
        if len(_WEIGHT_CACHE) > _CACHE_LIMIT:
            _WEIGHT_CACHE.clear()
        weight = 0
        if has_flag(names, NEGATIVE):
            weight -= rules.CLASS_WEIGHT
        if has_flag(names, POSITIVE):
            weight += rules.CLASS_WEIGHT
        _WEIGHT_CACHE[names] = weight
    return weight


@dataclass(slots=True)
class PageIndex:
    """What one pass over the page's elements found, keyed by node id (mem_id)."""

    tree: LexborHTMLParser
    names: dict[int, str] = field(default_factory=dict)  # lower-cased "class id"
    named: list[LexborNode] = field(default_factory=list)  # elements with a class/id, in order
    byline_hints: list[LexborNode] = field(default_factory=list)  # class/id says byline/author
    date_hints: list[LexborNode] = field(default_factory=list)  # class/id says date/time/meta
    hidden: list[LexborNode] = field(default_factory=list)  # hidden/furniture by attribute
    furniture: list[tuple[LexborNode, bool]] = field(default_factory=list)  # (node, weak)
    body_marks: list[LexborNode] = field(default_factory=list)  # say "this is the article body"
    author_ids: set[int] = field(default_factory=set)  # rel/itemprop "author" (links aside)

    def byline_candidates(self) -> Iterator[LexborNode]:
        """Elements that may show the author's name, in document order: rel/itemprop "author"
        (links too, which the scan skips), then class/id words."""
        yield from self.tree.css(rules.AUTHOR_SELECTOR)
        yield from self.byline_hints

    def has(self, node: LexborNode, bit: int) -> bool:
        """Whether the node's class/id holds a word of the lazy word set `bit`."""
        names = self.names.get(node.mem_id)
        return names is not None and has_flag(names, bit)

    def weight(self, node: LexborNode) -> int:
        return class_weight_of(self.names.get(node.mem_id))

    def holders(self) -> set[int]:
        """Ids of the elements that hold a run of paragraphs or an article-body element."""
        found: set[int] = set()
        for match in self.tree.css(rules.PARAGRAPH_RUN) + self.body_marks:
            node: LexborNode | None = match
            while node is not None:
                key = node.mem_id
                if key in found:
                    break
                found.add(key)
                node = node.parent
        return found


def _hidden(attrs: dict[str, str | None]) -> bool:
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    style = attrs.get("style")
    if style and rules.HIDDEN_STYLE.search(style.lower()):
        return True
    role = attrs.get("role")
    if role and role.lower() in rules.DROP_ROLES:
        return True
    itemprop = attrs.get("itemprop")
    if itemprop and itemprop.lower() in rules.DROP_ITEMPROPS:
        return True
    itemtype = attrs.get("itemtype")
    return bool(itemtype and rules.DROP_ITEMTYPE_WORD in itemtype)


def scan(tree: LexborHTMLParser) -> PageIndex:
    """One pass over the body's elements: attributes read once, hidden elements and furniture
    found, every class/id kept for the later stages' questions."""
    index = PageIndex(tree)
    start = tree.body or tree.root
    if start is None:
        return index
    named, hidden = index.named, index.hidden
    raw: list[str] = []  # "class id" of each named element, lower-cased below all at once
    drop_attrs = _DROP_ATTRS
    skip_ids, rare_ids, last_standard = _SKIP_IDS, _RARE_IDS, _LAST_STANDARD_ID
    for node in start.traverse():
        tag_id = node.tag_id
        if tag_id in skip_ids:
            continue
        if tag_id in rare_ids:
            hidden.append(node)
            continue
        if tag_id > last_standard:
            tag = node.tag
            if tag in _NAMED_SKIP:
                continue
            if tag in _NAMED_RARE:
                hidden.append(node)
                continue
        attrs = node.attributes
        if not attrs:
            continue
        css_class = attrs.get("class")
        ident = attrs.get("id")
        if css_class or ident:
            raw.append(f"{css_class or ''} {ident or ''}")
            named.append(node)
        if drop_attrs.isdisjoint(attrs):
            continue
        if _hidden(attrs):
            hidden.append(node)
        rel, itemprop = attrs.get("rel"), attrs.get("itemprop")
        if itemprop and rules.BODY_MARK_ITEMPROP in itemprop.split():
            index.body_marks.append(node)
        if (rel and "author" in rel.lower().split()) or (itemprop and "author" in itemprop):
            index.author_ids.add(node.mem_id)
    if not named:
        return index
    lowered = _lower_all(raw)
    index.names = dict(zip([node.mem_id for node in named], lowered, strict=True))
    known = furniture_flags(lowered)
    marks, keep = rules.BODY_MARK_CLASSES, rules.KEEP_TAGS
    for node, names in zip(named, lowered, strict=True):
        value = known[names]
        if not value:
            continue
        if value & BYLINE_HINT:
            index.byline_hints.append(node)
        if value & DATE_HINT:
            index.date_hints.append(node)
        if not value & _FURNITURE:
            continue
        if value & MAYBE:
            if not marks.isdisjoint(names.split()):
                index.body_marks.append(node)
            continue
        if node.tag in keep:
            continue
        index.furniture.append((node, not value & STRONG))
    return index


def _lower_all(texts: list[str]) -> list[str]:
    """`[text.lower() for text in texts]`, with one call of str.lower on the texts joined by
    NUL (neither cased nor case-ignorable, so no text's lower-casing sees its neighbours); a
    text holding a NUL itself shows as an extra part, and then each is lowered alone."""
    lowered = "\0".join(texts).lower().split("\0")
    return lowered if len(lowered) == len(texts) else [text.lower() for text in texts]


def remove_all(nodes: Sequence[LexborNode]) -> None:
    """Unlink `nodes` (given in document order) deepest-first."""
    for node in reversed(nodes):
        node.decompose()


def strip_furniture_tags(tree: LexborHTMLParser) -> None:
    """Drop scripts, styles, forms, players and the like, and turn <br> into line breaks."""
    tree.strip_tags(list(rules.DROP_TAGS))
    for br in tree.tags("br"):
        # Line breaks separate words; without this "one<br>two" reads as "onetwo".
        br.replace_with("\n")


def clean(tree: LexborHTMLParser, index: PageIndex, *, strict: bool) -> None:
    """Remove furniture from `tree` in place; `strict` adds the class/id-based removals."""
    if strict:
        tree.strip_tags(list(rules.STRICT_DROP_TAGS))
    remove_all(index.hidden)
    if strict:
        holders = index.holders() if any(weak for _, weak in index.furniture) else set()
        remove_all(
            [node for node, weak in index.furniture if not weak or node.mem_id not in holders]
        )
