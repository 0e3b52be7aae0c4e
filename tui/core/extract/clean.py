"""Stage 2: read every element's attributes once, then remove what is never article text.

`scan` walks the page's elements in one pass (a node's attributes are the costly part, so each
is read exactly once) and answers every class/id question the later stages ask: which elements
are hidden or furniture, which are bylines, date lines, captions or post metadata, and which
class/id words weigh a candidate up or down. Class strings repeat a lot, so each distinct one is
matched against the word lists once (and remembered across pages of a site).

Before that, `survey` walks the whole document once, before anything is removed: it lists what
the metadata, the pictures and the players read (<meta>, <title>, ld+json, <img>, <audio>) and
what `strip_furniture_tags` removes (scripts, styles, players...).

`clean` then removes, deepest-first, what the scan marked. Two strengths: the strict pass (first
attempt) also drops elements whose class/id reads like page furniture (share bars, comment
sections, sidebars, teaser rails, players...); the relaxed pass (second attempt, when the strict
one found too little) keeps those, as Readability does.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import compress

import ahocorasick
from selectolax.lexbor import LexborHTMLParser, LexborNode

from tui.core.extract import rules
from tui.core.extract.nodes import ids_of, standard_tag_ids, tag_id

_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")

# Flags of one class/id string (bit set). Every word set is matched for every element's string
# at once, and cached across pages: the furniture words cleaning needs, and the words the later
# stages ask about.
STRONG = 1  # furniture (rules.UNLIKELY_SUBSTRINGS)
WEAK = 2  # maybe furniture: goes unless it holds a run of paragraphs
MAYBE = 4  # says it is the content: never removed for its class
BYLINE_HINT = 8  # may show the author's name
DATE_HINT = 16  # may show the publication date
CAPTION = 32  # a photo caption or credit
POST_META = 64  # a "Posted on ... by ..." box
BYLINE = 128  # the byline
NEGATIVE = 256  # lowers a candidate's score
POSITIVE = 512  # raises it
BODY_MARK = 1024  # a class name of rules.BODY_MARK_CLASSES (set with MAYBE only)
OWN_TEXT = 2048  # furniture with paragraphs of its own (comments, related stories)
_FURNITURE = STRONG | WEAK | MAYBE
_HINTS = BYLINE_HINT | DATE_HINT
_WORD_SETS: tuple[tuple[int, tuple[str, ...], tuple[str, ...]], ...] = (
    (STRONG, rules.UNLIKELY_SUBSTRINGS, ()),
    (WEAK, rules.UNLIKELY_WEAK_SUBSTRINGS, rules.UNLIKELY_TOKENS),
    (MAYBE, rules.MAYBE_WORDS, ()),
    (BYLINE_HINT, rules.BYLINE_HINT_WORDS, ()),
    (DATE_HINT, rules.DATE_HINT_WORDS, ()),
    (CAPTION, rules.CAPTION_WORDS, ()),
    (POST_META, rules.META_WORDS, ()),
    (BYLINE, rules.BYLINE_WORDS, ()),
    (NEGATIVE, rules.NEGATIVE_WORDS, ()),
    (POSITIVE, rules.POSITIVE_WORDS, ()),
    (OWN_TEXT, rules.OWN_TEXT_WORDS, ()),
)
_CACHE_LIMIT = 50_000
_FLAGS_CACHE: dict[str, int] = {}
_DROP_ATTRS = frozenset({"hidden", "aria-hidden", "style", "role", "itemprop", "itemtype", "rel"})


_P_ID, _ARTICLE_ID = (tag_id(name) for name in ("p", "article"))
# The scan tells tags apart by lexbor's tag ids: cheaper than building each element's name.
_TAG_IDS = standard_tag_ids(rules.SCAN_SKIP_TAGS | rules.RARE_DROP_TAGS)
_SKIP_IDS = frozenset(_TAG_IDS[name] for name in rules.SCAN_SKIP_TAGS if name in _TAG_IDS)
_RARE_IDS = frozenset(_TAG_IDS[name] for name in rules.RARE_DROP_TAGS if name in _TAG_IDS)
# What the scan does with a standard tag beyond reading its attributes (one lookup per element).
_SKIP, _RARE, _STRICT, _PARAGRAPH, _HEADING, _ARTICLE = range(6)
_SPECIAL_IDS = {
    **dict.fromkeys(ids_of(rules.MARK_TAGS) - {_P_ID}, _HEADING),
    _P_ID: _PARAGRAPH,
    _ARTICLE_ID: _ARTICLE,
    **dict.fromkeys(ids_of(rules.STRICT_DROP_TAGS), _STRICT),
    **dict.fromkeys(_SKIP_IDS, _SKIP),
    **dict.fromkeys(_RARE_IDS, _RARE),
}
# Tags read by name: custom elements (amp-ad...), whose ids are addresses, far above
# every standard tag's id.
_NAMED_SKIP = rules.SCAN_SKIP_TAGS - _TAG_IDS.keys()
_NAMED_RARE = rules.RARE_DROP_TAGS - _TAG_IDS.keys()
_LAST_STANDARD_ID = max(_TAG_IDS.values(), default=-1)
_KEEP_IDS = ids_of(rules.KEEP_TAGS)


_MARK_WORD = 1 << 16  # a body mark class found somewhere (is it a whole class name?)


def _automaton() -> ahocorasick.Automaton:
    """One Aho-Corasick automaton over every distinct word of _WORD_SETS and of
    rules.BODY_MARK_CLASSES, and the NUL that ends a text (value None). A word's value is (the
    bits of the sets that match it anywhere, with _MARK_WORD for a body mark class; then None,
    or for a word that some sets match as a whole word only: (its length, the bits of those
    sets)): the plain words, most hits, cost the least."""
    bits_of: dict[str, tuple[int, int]] = dict.fromkeys(rules.BODY_MARK_CLASSES, (_MARK_WORD, 0))
    for bit, substrings, tokens in _WORD_SETS:
        for word in substrings:
            anywhere, whole = bits_of.get(word, (0, 0))
            bits_of[word] = (anywhere | bit, whole)
        for word in tokens:
            anywhere, whole = bits_of.get(word, (0, 0))
            bits_of[word] = (anywhere, whole | bit)
    automaton = ahocorasick.Automaton()
    for word, (anywhere, whole) in bits_of.items():
        automaton.add_word(word, (anywhere, (len(word), whole) if whole else None))
    automaton.add_word("\0", None)  # the end of a text (see _joined_flags)
    automaton.make_automaton()
    return automaton


_WORDS = _automaton()


def word_flags(texts: Sequence[str]) -> list[int]:
    """The flags of each of `texts` (lower-cased): the bits of every word set with a word
    inside it (a whole-word-only word must stand between non-word characters), and BODY_MARK
    when the text says it is the content (MAYBE) and one of its names is a body mark."""
    return _joined_flags(_joined([text.replace("\0", _NOT_NUL) for text in texts]))


def _joined(texts: list[str]) -> str:
    """`texts` (none holding a NUL) as _joined_flags takes them: each followed by a NUL, the
    first after a space (no word character, so the first text's words are bounded as the
    others' are by the NUL before them)."""
    return " " + "\0".join(texts) + "\0" if texts else " "


# What a NUL inside a text becomes, so that NULs part texts only: like it, no word character
# and no white space.
_NOT_NUL = "\x01"


def _joined_flags(joined: str) -> list[int]:
    """word_flags of the texts in `joined` (as _joined builds it).

    One Aho-Corasick pass (pyahocorasick, in C) finds every word in all the texts at once;
    Python only sees the hits. That is ~4x faster than one str.find per word, and one pass
    over the joined texts saves the cost of starting one per text. The automaton reports
    each text's NUL as a hit too, so the hits come text by text. No word holds a NUL, so none
    spans two texts, and a NUL is no word character: a whole word at either end of a text is
    bounded by it as by the text's end."""
    flags: list[int] = []
    append = flags.append
    word_chars = _WORD_CHARS
    value = 0
    for end, found in _WORDS.iter(joined):
        if found is None:  # the NUL after a text
            append(value)
            value = 0
            continue
        anywhere, check = found
        value |= anywhere
        if check is not None:
            size, whole = check
            if joined[end - size] not in word_chars and joined[end + 1] not in word_chars:
                value |= whole
    marked = list(compress(range(len(flags)), map(_MARK_WORD.__and__, flags)))
    if marked:
        # A body mark class is a whole class name (between white space): asked of the few
        # texts holding one somewhere.
        texts = joined.split("\0")
        for at in marked:
            value = flags[at] & ~_MARK_WORD
            if value & MAYBE and not rules.BODY_MARK_CLASSES.isdisjoint(texts[at].split()):
                value |= BODY_MARK
            flags[at] = value
    return flags


def class_flags(names: list[str]) -> list[int]:
    """The flags of each class/id string in `names` (as written), cached across pages.

    Strings are cached as written, so a page's lookups are one C-level map over the cache.
    The unknown ones are lower-cased (no word holds a capital) and searched together
    (_joined_flags), each string whole: no word holds white space either, so a word found in
    a string is a word of one of its class names, and a whole-word-only word is bounded by the
    spaces between names just as by a name's own ends.
    """
    cache = _FLAGS_CACHE
    values = list(map(cache.get, names))
    if None not in values:
        return values  # type: ignore[return-value]  # every string known
    # The unknown strings, by set operations in C (a page meeting a site for the first time
    # holds a hundred or so; a loop over the page's strings in Python cost as much as their
    # search).
    unknown = set(names).difference(cache)
    if len(cache) + len(unknown) > _CACHE_LIMIT:
        cache.clear()  # a bound on memory
        unknown = set(names)
    new = list(unknown)
    cache.update(zip(new, _joined_flags(_lower_joined(new)), strict=True))
    return list(map(cache.__getitem__, names))


def _lower_joined(texts: list[str]) -> str:
    """`texts` lower-cased and joined as _joined_flags takes them, with one call of str.lower
    on the texts joined (a NUL is neither cased nor case-ignorable, so no text's lower-casing
    sees its neighbours). Each text is lowered alone, and its NULs replaced, in the rare case a
    character becomes two ("İ") or a text holds a NUL."""
    joined = _joined(texts)
    lowered = joined.lower()
    if len(lowered) != len(joined) or lowered.count("\0") != len(texts):
        lowered = _joined([text.lower().replace("\0", _NOT_NUL) for text in texts])
    return lowered


def class_weight(flags: int) -> int:
    """+25 for content-like class/id words, -25 for furniture-like ones (both may apply)."""
    weight = 0
    if flags & NEGATIVE:
        weight -= rules.CLASS_WEIGHT
    if flags & POSITIVE:
        weight += rules.CLASS_WEIGHT
    return weight


@dataclass(slots=True)
class PageIndex:
    """What one pass over the page's elements found, keyed by node id (mem_id)."""

    tree: LexborHTMLParser
    flags: dict[int, int] = field(default_factory=dict)  # of the elements whose class/id has any
    byline_hints: list[LexborNode] = field(default_factory=list)  # class/id says byline/author
    date_hints: list[LexborNode] = field(default_factory=list)  # class/id says date/time/meta
    hidden: list[LexborNode] = field(default_factory=list)  # hidden/furniture by attribute
    strict_drop: list[LexborNode] = field(default_factory=list)  # rules.STRICT_DROP_TAGS
    # (node, weak, node id): furniture by class/id; weak_furniture: whether any is weak
    furniture: list[tuple[LexborNode, bool, int]] = field(default_factory=list)
    weak_furniture: bool = False
    body_marks: list[LexborNode] = field(default_factory=list)  # say "this is the article body"
    author_ids: set[int] = field(default_factory=set)  # rel/itemprop "author" (links aside)
    roles: list[LexborNode] = field(default_factory=list)  # hidden for their ARIA role only
    # rules.MARK_TAGS, in document order: the <p> elements, and the others (headings) apart
    # (each reader wants one kind: the scan sorts them as it meets them).
    paragraphs: list[LexborNode] = field(default_factory=list)
    headings: list[LexborNode] = field(default_factory=list)
    articles: list[LexborNode] = field(default_factory=list)  # <article> elements

    def byline_candidates(self) -> Iterator[LexborNode]:
        """Elements that may show the author's name, in document order: rel/itemprop "author"
        (links too, which the scan skips), then class/id words. Only the body is searched:
        the head's author links and metas show no text."""
        start = self.tree.body or self.tree.root
        if start is not None:
            yield from start.css(rules.AUTHOR_SELECTOR)
        yield from self.byline_hints

    def has(self, node: LexborNode, bit: int) -> bool:
        """Whether the node's class/id holds a word of the word set `bit`."""
        return bool(self.flags.get(node.mem_id, 0) & bit)

    def weight(self, node: LexborNode) -> int:
        return class_weight(self.flags.get(node.mem_id, 0))

    def paragraph_runs(self) -> tuple[list[LexborNode], list[LexborNode]]:
        """The page's <p> elements that have two <p> siblings before them (a run of paragraphs:
        text, not furniture), from the elements the scan listed; and the parent of each."""
        seen: dict[int, int] = {}  # <p> children seen so far, by parent id
        runs, parents = [], []
        for mark in self.paragraphs:
            parent = mark.parent
            if parent is None:
                continue
            key = parent.mem_id
            count = seen[key] = seen.get(key, 0) + 1
            if count >= 3:
                runs.append(mark)
                parents.append(parent)
        return runs, parents

    def paragraph_holders(
        self, runs: list[LexborNode], parents: list[LexborNode]
    ) -> tuple[set[int], set[int]]:
        """For the paragraph `runs` (not empty) and their `parents`: the ids of the elements
        holding most of them, and the ids of the runs and of every element holding one.

        Those holding most are wrappers of the article whatever their class says
        ("above-footer", "has-sidebar"), unless that says they hold text of their own
        (comments, related stories). The runs below an element are consecutive in document
        order, and more than half of them always include the middle one: only the middle run's
        ancestors can hold most. So each run climbs only until it meets that chain of
        ancestors (most runs are its siblings: one step), not up to the root; the elements it
        passes and the chain are those that hold a run."""
        middle: LexborNode | None = parents[len(parents) // 2]
        chain: list[int] = []  # ids of the middle run's ancestors, from its parent up
        while middle is not None:
            chain.append(middle.mem_id)
            middle = middle.parent
        level_of = {key: level for level, key in enumerate(chain)}
        holding = set(chain)
        met = [0] * len(chain)  # runs whose climb met the chain at each level
        for run, parent in zip(runs, parents, strict=True):
            holding.add(run.mem_id)
            node: LexborNode | None = parent
            while node is not None:
                key = node.mem_id
                level = level_of.get(key)
                if level is not None:
                    met[level] += 1
                    break
                holding.add(key)
                node = node.parent
        flags = self.flags
        wrappers = set()
        inside = 0  # runs below the chain's element at this level
        for level, key in enumerate(chain):
            inside += met[level]
            if 2 * inside > len(runs) and not flags.get(key, 0) & OWN_TEXT:
                wrappers.add(key)
        return wrappers, holding

    def holders(self, holding: set[int]) -> set[int]:
        """Ids of the elements that hold a paragraph run or an article-body element (<article>,
        articleBody...): `holding` (the runs and their holders, from paragraph_holders), to
        which the article-body elements and their ancestors are added. No CSS query walks the
        page again."""
        for match in self.articles + self.body_marks:
            node: LexborNode | None = match
            while node is not None:
                key = node.mem_id
                if key in holding:
                    break  # and so are all its ancestors
                holding.add(key)
                node = node.parent
        return holding


_NONE, _HIDDEN = rules.HIDDEN_STYLE_WORDS


def _hidden(attrs: dict[str, str | None]) -> bool:
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    style = attrs.get("style")
    if style:
        style = style.lower()
        # The regular expression (~1 µs on a style) only for the few styles that may match it.
        if (_NONE in style or _HIDDEN in style) and rules.HIDDEN_STYLE.search(style):
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
    hidden, paragraphs, headings = index.hidden, index.paragraphs, index.headings
    named: list[LexborNode] = []  # the elements with a class/id, in document order
    raw: list[str] = []  # their class and id, as one string
    drop_attrs = _DROP_ATTRS
    special_of, last_standard = _SPECIAL_IDS.get, _LAST_STANDARD_ID
    for node in start.traverse():
        tag_id = node.tag_id
        special = special_of(tag_id)
        if special is not None:
            if special == _SKIP:
                continue
            if special == _PARAGRAPH:
                paragraphs.append(node)
            elif special == _HEADING:
                headings.append(node)
            elif special == _ARTICLE:
                index.articles.append(node)
            elif special == _RARE:
                hidden.append(node)
                continue
            else:
                index.strict_drop.append(node)  # and read on: its class/id counts as any other's
        elif tag_id > last_standard:
            tag = node.tag
            if tag in _NAMED_SKIP:
                continue
            if tag in _NAMED_RARE:
                hidden.append(node)
                continue
        attrs = node.attributes
        if not attrs:
            continue
        if len(attrs) == 1:
            # Most elements: a class alone (or an id alone), no attribute that hides or marks.
            name = attrs.get("class") or attrs.get("id")
            if name:
                raw.append(name)
                named.append(node)
                continue
        else:
            css_class = attrs.get("class")
            ident = attrs.get("id")
            if ident:
                raw.append(f"{css_class} {ident}" if css_class else ident)
                named.append(node)
            elif css_class:
                raw.append(css_class)
                named.append(node)
        if drop_attrs.isdisjoint(attrs):
            continue
        if _hidden(attrs):
            hidden.append(node)
            role = attrs.get("role")
            if role and role.lower() in rules.DROP_ROLES:
                index.roles.append(node)
        rel, itemprop = attrs.get("rel"), attrs.get("itemprop")
        if itemprop and rules.BODY_MARK_ITEMPROP in itemprop.split():
            index.body_marks.append(node)
        if (rel and "author" in rel.lower().split()) or (itemprop and "author" in itemprop):
            index.author_ids.add(node.mem_id)
    if named:
        _list_flagged(index, named, class_flags(raw))
    return index


def _list_flagged(index: PageIndex, named: list[LexborNode], values: list[int]) -> None:
    """Record the flags of the `named` elements (`values`: their class/id strings' flags), and
    list those the later stages ask for. Only the flagged ones are looked at (about half:
    C-level filters pass over the others)."""
    flags, keep = index.flags, _KEEP_IDS
    byline_hints, date_hints, furniture = index.byline_hints, index.date_hints, index.furniture
    for node, value in zip(compress(named, values), filter(None, values), strict=True):
        key = node.mem_id
        flags[key] = value
        if value & _HINTS:
            if value & BYLINE_HINT:
                byline_hints.append(node)
            if value & DATE_HINT:
                date_hints.append(node)
        if not value & _FURNITURE:
            continue
        if value & MAYBE:
            if value & BODY_MARK:
                index.body_marks.append(node)
            continue
        if node.tag_id in keep:
            continue
        weak = not value & STRONG
        index.weak_furniture |= weak
        furniture.append((node, weak, key))


def remove_all(nodes: Sequence[LexborNode]) -> None:
    """Unlink `nodes` (given in document order) deepest-first. Each is unlinked whole, with its
    subtree hanging from it (nothing reads a removed subtree again): unlinking every node of
    the subtree as well, as decompose() does by default, walks it for nothing."""
    for node in reversed(nodes):
        node.decompose(recursive=False)


@dataclass(slots=True)
class Declared:
    """The elements in which a page declares things about itself, in document order."""

    metas: list[LexborNode] = field(default_factory=list)
    scripts: list[LexborNode] = field(default_factory=list)  # ld+json
    bases: list[LexborNode] = field(default_factory=list)
    times: list[LexborNode] = field(default_factory=list)  # every <time>
    title: LexborNode | None = None  # the first <title>


@dataclass(slots=True)
class Survey:
    """The elements of the whole document (head and body) that the stages before cleaning ask
    for, found by `survey` in one walk, in document order."""

    declared: Declared = field(default_factory=Declared)
    images: list[LexborNode] = field(default_factory=list)  # every <img>
    audios: list[LexborNode] = field(default_factory=list)  # every <audio>
    dropped: list[LexborNode] = field(default_factory=list)  # rules.DROP_TAGS
    breaks: list[LexborNode] = field(default_factory=list)  # <br>


_META_ID, _BASE_ID, _TITLE_ID, _SCRIPT_ID, _IMG_ID, _BR_ID, _AUDIO_ID, _TIME_ID = (
    tag_id(name) for name in ("meta", "base", "title", "script", "img", "br", "audio", "time")
)
_DROPPED_IDS = ids_of(rules.DROP_TAGS) - {_SCRIPT_ID}  # (a <script> is also read)


def survey(tree: LexborHTMLParser) -> Survey:
    """One walk over the document's elements, before anything is removed: the <meta>, <base>,
    <title>, <time> and ld+json scripts the metadata reads, the <img>s the declared picture is looked
    for among, the <audio> players, and what strip_furniture_tags removes or replaces. Cheaper
    than the CSS queries and tag searches it replaces, each of which walked the whole tree
    (tree.strip_tags once per tag name)."""
    found = Survey()
    root = tree.root
    if root is None:
        return found
    declared = found.declared
    # Most kinds are a list to append to: one lookup per element finds it.
    list_of = {
        **dict.fromkeys(_DROPPED_IDS, found.dropped),
        _BR_ID: found.breaks,
        _IMG_ID: found.images,
        _META_ID: declared.metas,
        _BASE_ID: declared.bases,
        _TIME_ID: declared.times,
        _AUDIO_ID: found.audios,
        _SCRIPT_ID: None,
        _TITLE_ID: None,
    }
    for node in root.traverse():
        tag_id = node.tag_id
        if tag_id not in list_of:
            continue
        kept = list_of[tag_id]
        if kept is not None:
            kept.append(node)
        elif tag_id == _SCRIPT_ID:
            found.dropped.append(node)
            # As the selector 'script[type*="ld+json" i]' matches: ASCII letters in any case
            # (no other character lower-cases to one of these).
            if "ld+json" in (node.attributes.get("type") or "").lower():
                declared.scripts.append(node)
        elif declared.title is None:
            declared.title = node
    return found


def strip_furniture_tags(tree: LexborHTMLParser, found: Survey | None = None) -> None:
    """Drop scripts, styles, forms, players and the like, and turn <br> into line breaks.
    `found`: the tree's survey, when it was taken already (and nothing removed since)."""
    if found is None:
        found = survey(tree)
    remove_all(found.dropped)
    for br in found.breaks:
        # Line breaks separate words; without this "one<br>two" reads as "onetwo". (A <br>
        # inside a dropped element changes a subtree that is no longer in the page.)
        br.replace_with("\n")


def clean(tree: LexborHTMLParser, index: PageIndex, *, strict: bool) -> None:
    """Remove furniture from `tree` in place; `strict` adds the class/id-based removals."""
    # Every question about the listed nodes is asked before anything is removed: a node
    # must not be read once unlinked. Which elements hold a run of paragraphs (a weak match
    # holding one stays), and which hold most of them (a strong match holding those stays):
    runs, parents = index.paragraph_runs() if strict and index.furniture else ([], [])
    weak = strict and index.weak_furniture
    wrappers_of_text, holding = index.paragraph_holders(runs, parents) if runs else (set(), set())
    holders = index.holders(holding) if weak else set()
    # A banner or sidebar that holds the article is markup left unclosed (a <header
    # role="banner"> around the whole page): its role does not describe its content.
    role_wrappers = {
        node.mem_id for node in index.roles if node.css_first(rules.ARTICLE_INSIDE) is not None
    }
    hidden = (
        [node for node in index.hidden if node.mem_id not in role_wrappers]
        if role_wrappers
        else index.hidden
    )
    if strict:
        remove_all(index.strict_drop)
    remove_all(hidden)
    if strict:
        remove_all(
            [
                node
                for node, weak, key in index.furniture
                if key not in (holders if weak else wrappers_of_text)
            ]
        )
