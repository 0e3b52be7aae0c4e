"""Stage 4: turn the chosen content nodes into Blocks (and Links, and image captions).

One iterative walk (an explicit stack, never recursion, so 100,000 nested elements cannot blow
the stack). Paragraph-like elements become one block each; text lying loose in a container is
gathered until the next block boundary. In the strict pass, containers that read as furniture
inside the article (link lists, short boxes, image strips) are left out, as Readability's
conditional cleaning does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import ahocorasick
from selectolax.lexbor import LexborNode

from tui.core.extract import rules
from tui.core.extract.clean import BYLINE, CAPTION, POST_META
from tui.core.extract.dates import YEAR, to_iso
from tui.core.extract.images import MAX_IMAGES, first_caption, picture_of
from tui.core.extract.nodes import (
    FIRST_ELEMENT_ID,
    TEXT_ID,
    WALK_LIMIT,
    has_tag_inside,
    ids_of,
    tag_id,
    tags_inside,
)
from tui.core.extract.score import Scores
from tui.core.extract.text import fold_spaces
from tui.core.extract.urls import join
from tui.core.models import Block, BlockKind, Image, Link

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


# The words one of the call, widget or notice patterns needs (rules.CALL_WORDS...), by the bits
# of the word lists that hold them: one Aho-Corasick pass over a line (pyahocorasick, in C) tells
# which patterns may match at all. (A regular expression alternation of the same words tries
# each word at each place of the line: ten times slower, and it ran on every line.)
_CALL, _WIDGET, _NOTICE = 1, 2, 4
# And the words that tell, on an ASCII line, whether a call word "app" may be a call (_may_call).
_CALL_OTHER, _APP_VERB = 8, 16


def _hint_automaton() -> ahocorasick.Automaton:
    bits: dict[str, int] = {}
    for bit, words in (
        (_CALL, rules.CALL_WORDS),
        (_WIDGET, rules.WIDGET_WORDS),
        (_NOTICE, rules.NOTICE_WORDS),
        (_CALL_OTHER, rules.CALL_OTHER_WORDS),
        (_APP_VERB, rules.CALL_APP_VERBS),
    ):
        for word in words:
            bits[word] = bits.get(word, 0) | bit
    automaton = ahocorasick.Automaton()
    for word, bit in bits.items():
        automaton.add_word(word, bit)
    automaton.make_automaton()
    return automaton


_HINTS = _hint_automaton()
# A notice's words count only in the opening of a line (they come near its start).
_NOTICE_HINT_CHARS = rules.NOTICE_OPENING_CHARS + 30
_KIND_OF: dict[str, BlockKind] = {
    "li": "list_item",
    "blockquote": "quote",
    "figcaption": "caption",
    "caption": "caption",
    "pre": "pre",
}


# A block before it becomes a models.Block (which sanitizes its text): only the attempt that
# is shown pays for that.
RawBlock = tuple[BlockKind, str, int]


@dataclass(slots=True)
class Collected:
    """What the walk produced."""

    blocks: list[RawBlock] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    byline: str | None = None
    images: list[Image] = field(default_factory=list)  # each before the block at its position

    @property
    def length(self) -> int:
        return sum(len(text) for _, text, _ in self.blocks)

    def as_blocks(self) -> list[Block]:
        return [Block(kind, text, level) for kind, text, level in self.blocks]


_WORD = re.compile(r"\w+")


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


@lru_cache(maxsize=8)
def _title_words(title: str) -> tuple[list[str], frozenset[str]]:
    """The title's words, and the set of them (asked again for every heading of a page)."""
    words = _tokens(title)
    return words, frozenset(words)


def same_text(a: str, b: str) -> bool:
    """True when heading `a` repeats title `b` (Readability: 75% of the words alike)."""
    if not a or not b:
        return False
    words_a = _tokens(a)
    words_b, known = _title_words(b)
    if words_a == words_b:
        return True
    extra = [w for w in words_a if w not in known]
    return 1 - len(" ".join(extra)) / max(1, len(" ".join(words_a))) > 0.75


def _may_call(hints: int, text: str, low: str) -> bool:
    """Whether rules.CALL_LINE may match `text` (`low`: lower-cased; `hints`: its _hints): one
    of the CALL_WORDS is there, and on an ASCII line, unless it is one of the others, "app" comes
    with a verb of rules.CALL_APP_VERBS or after "get" opening the line (what CALL_LINE's "app"
    pattern needs). Most lines holding "app" only hold it inside a word: not searched."""
    if not hints & _CALL:
        return False
    return not text.isascii() or bool(hints & (_CALL_OTHER | _APP_VERB)) or low.startswith("get")


def _hints(low: str) -> int:
    """The bits of the word lists (_CALL, _WIDGET, _NOTICE) with a word in the lower-cased short
    line `low` (rules.CALL_MAX_CHARS at most): calls and widgets anywhere in it, notices in its
    first _NOTICE_HINT_CHARS characters only."""
    found = 0
    for end, bit in _HINTS.iter(low):
        found |= bit if end < _NOTICE_HINT_CHARS else bit & ~_NOTICE
    return found


def _lower_opening(text: str) -> str:
    """text.lower()[:_NOTICE_HINT_CHARS], without lower-casing the rest of a long line.

    Lower-casing maps each character by itself (to one character or more, so the opening's
    characters make the opening of the result), except a capital sigma, whose form depends on
    what follows it: with one in the opening, the whole line is lower-cased."""
    opening = text[:_NOTICE_HINT_CHARS]
    low = opening.lower() if "Σ" not in opening else text.lower()
    return low[:_NOTICE_HINT_CHARS]


def _may_be_notice(opening: str) -> bool:
    """Whether a line whose lower-cased opening (_NOTICE_HINT_CHARS characters) is `opening` may
    be a notice (rules.NOTICE_LINE): it opens as one, or one of the NOTICE_WORDS is there. (The
    few words are looked for one by one, in a loop: cheaper than the automaton over the line,
    and than any() over a generator.)"""
    if opening.startswith(rules.NOTICE_OPENINGS):
        return True
    for word in rules.NOTICE_WORDS:  # noqa: SIM110 - a loop, not any(): see above
        if word in opening:
            return True
    return False


def _is_notice(text: str) -> bool:
    """A rights notice, a counter or a server's error message: rules.NOTICE_LINE near the start."""
    notice = rules.NOTICE_LINE.search(text)
    return notice is not None and notice.start() <= rules.NOTICE_OPENING_CHARS


class _Walker:
    def __init__(
        self,
        scores: Scores,
        *,
        title: str,
        base_url: str | None,
        strict: bool,
        want_links: bool,
        want_alt: bool,
    ) -> None:
        self.scores = scores
        self.index = scores.index
        self.title = title
        self.base_url = base_url or ""
        self.strict = strict
        self.want_links = want_links
        self.want_alt = want_alt
        self.out = Collected()
        self.inline: list[str] = []
        self.inline_links = 0  # links in the pending inline run, and the length of their text
        self.inline_linked = 0
        self.title_seen = False
        self.teasers = False  # after a "Related"/"Read more" label, until prose resumes
        # The last element asked for its links and pictures, and them (see contents).
        self.last_contents: tuple[int, _Contents] | None = None

    # -- output -------------------------------------------------------------------------------
    def add(self, kind: BlockKind, text: str, level: int = 0) -> None:
        blocks = self.out.blocks
        if len(blocks) >= rules.MAX_BLOCKS:
            return
        if kind == "pre":
            text = text.strip("\n")
            if text.strip():
                blocks.append(("pre", text, 0))
            return
        # White space at the ends folds away (a paragraph break there only opens an empty
        # piece): stripped first, most texts (source lines: "\n   text\n") hold no line break
        # left and are already folded, which fold_spaces sees at once.
        text = text.strip()
        for piece in _PARAGRAPH_BREAK.split(text) if "\n" in text else (text,):
            folded = fold_spaces(piece)
            if not folded:
                continue
            if len(folded) <= rules.DATELINE_MAX_CHARS and kind == "paragraph":
                if YEAR.search(folded) and to_iso(folded):
                    continue  # "20 May, 2025 13:29": a dateline, already in Article.published
                if folded.strip(" -–—:*[]()").lower() in rules.AD_LABELS:
                    continue  # "ADVERTISEMENT": the label of an advert slot removed earlier
            if kind != "caption" and self.is_furniture_line(folded):
                continue
            blocks.append((kind, folded, level))

    def is_furniture_line(self, text: str) -> bool:
        """Share/comment calls, teaser labels (which open a run of teasers), source and credit
        lines, calls to get an app or a newsletter, widgets' and notices' lines, shortcodes.
        The patterns run only on lines short enough and holding one of their words."""
        length = len(text)
        if length > rules.CALL_MAX_CHARS:
            # Longer than any label, credit, call or widget (test_extract_blocks checks that the
            # rules keep them so): a notice or a shortcode only. A notice's words count in its
            # opening only: the line is neither lower-cased whole nor searched by the automaton.
            if (
                length <= rules.NOTICE_MAX_CHARS
                and _may_be_notice(_lower_opening(text))
                and _is_notice(text)
            ):
                return True
            return text[0] == "[" and rules.SHORTCODE.match(text) is not None
        low = text.lower()
        if length <= rules.LABEL_MAX_CHARS:
            label = low.strip(rules.LABEL_PUNCTUATION)
            if label in rules.BOILERPLATE_LINES:
                return True
            if label in rules.TEASER_LABELS:
                self.teasers = True
                return True
            # A share count opens with a digit (str.isdigit: every digit \d matches, and more).
            if (label[:1].isdigit() and rules.SHARE_COUNT.match(label)) or (
                ":" in text and rules.SOURCE_LINE.match(text)
            ):
                return True
        if (
            length <= rules.CREDIT_MAX_CHARS
            and (text[0] in "©(" or low.startswith(rules.CREDIT_OPENINGS))
            and rules.CREDIT_LINE.match(text)
        ):
            return True
        hints = _hints(low)
        if hints:  # (most lines hold none of the words)
            if _may_call(hints, text, low) and rules.CALL_LINE.search(text):
                return True
            if (
                hints & _WIDGET
                and length <= rules.WIDGET_MAX_CHARS
                and rules.WIDGET_LINE.search(text)
            ):
                return True
        if (hints & _NOTICE or low.startswith(rules.NOTICE_OPENINGS)) and _is_notice(text):
            return True
        return text[0] == "[" and rules.SHORTCODE.match(text) is not None

    def flush(self) -> None:
        if self.inline:
            text = "".join(self.inline)
            self.inline.clear()
            links, linked = self.inline_links, self.inline_linked
            self.inline_links = self.inline_linked = 0
            if text.isspace():
                return  # the spacing between blocks (most runs): nothing to add
            if links and self.strict and self.is_link_run(text, links, linked):
                return
            self.add("paragraph", text)

    def is_link_run(self, text: str, links: int, linked: int) -> bool:
        """Loose inline text that is mostly links ("Tags: a, b, c"; a row of teaser links)."""
        length = len(text.strip())
        if not length or length > rules.LINK_LINE_MAX_CHARS:
            return False
        density = linked / length
        if self.teasers and density >= rules.TEASER_LINK_DENSITY:
            return True
        return (links >= 2 and density >= rules.LINK_LINE_DENSITY) or (
            density >= rules.LINK_ONLY_DENSITY and length <= rules.LINK_ONLY_MAX_CHARS
        )

    def links_of(self, links: list[LexborNode]) -> None:
        """Collect the links `links` (<a> elements), when links are wanted. The href is looked
        up by its name (`attrs`): `attributes` would read every attribute of the link (class,
        rel, target, data-...) for the one wanted; nearly every <a> of a body has an href."""
        if not self.want_links:
            return
        # Most links of the body were measured for a candidate's link density: their href and
        # text are not read again.
        hrefs, texts = self.scores.link_hrefs, self.scores.link_texts
        for link in links:
            key = link.mem_id
            href = (hrefs[key] if key in hrefs else link.attrs.get("href")) or ""
            href = href.strip()
            if not href or href.startswith("#"):
                continue
            try:
                absolute = join(self.base_url, href)
            except ValueError:
                continue  # an address urllib cannot read ("//[x"): that link, not the page
            if absolute.lower().startswith(rules.URL_SCHEMES):
                text = texts.get(key)
                text = fold_spaces(link.text_lexbor() if text is None else text)
                if text:
                    self.out.links.append(Link(text, absolute))

    def contents(self, node: LexborNode, key: int) -> _Contents:
        """The <a> and (when pictures are wanted) <img> elements of `node` (`key`: its mem_id),
        remembered for the last node asked: a paragraph is asked for its pictures, whether it
        is a line of links, and for its links."""
        last = self.last_contents
        if last is None or last[0] != key:
            last = self.last_contents = (key, _contents(node, self.want_alt))
        return last[1]

    # -- decisions ----------------------------------------------------------------------------
    def is_byline(self, key: int, text: str) -> bool:
        """Whether the element `key` (a mem_id), whose text is `text`, is the byline."""
        if self.out.byline is not None or len(text) > rules.BYLINE_MAX_CHARS or not text.strip():
            return False
        return key in self.index.author_ids or bool(self.index.flags.get(key, 0) & BYLINE)

    def is_byline_box(self, node: LexborNode) -> bool:
        """A container that is the byline: its text becomes the byline and leaves the body."""
        if node.mem_id not in self.index.author_ids and not self.index.has(node, BYLINE):
            return False
        text = node.text_lexbor()
        if not text.strip() or len(text) > rules.BYLINE_MAX_CHARS:
            return False
        self.out.byline = fold_spaces(text)
        return True

    def is_post_meta(self, node: LexborNode) -> bool:
        """A short "Posted on ... by ..." box: metadata the Article already carries."""
        return self.index.has(node, POST_META) and len(node.text_lexbor()) <= rules.META_MAX_CHARS

    def is_link_line(self, node: LexborNode, key: int, text: str) -> bool:
        """A paragraph that is mostly links to other stories ("READ MORE: ...", "See also"),
        one link and nothing else, or a linked line in a run of teasers."""
        length = len(text.strip())
        if not length or length > rules.LINK_LINE_MAX_CHARS:
            if length and self.teasers:
                self.teasers = False  # prose again: the teasers are over
            return False
        links = self.contents(node, key)[0]
        density = self.scores.link_density(node, length, links) if links else 0.0
        if self.teasers:
            if density >= rules.TEASER_LINK_DENSITY:
                return True
            if length >= rules.SIBLING_PARAGRAPH_CHARS:
                self.teasers = False
        if not links or density < rules.LINK_LINE_DENSITY:
            return False
        if density >= rules.LINK_ONLY_DENSITY and length <= rules.LINK_ONLY_MAX_CHARS:
            return True
        # One link inside a sentence is often a source or a citation; a label in capitals
        # ("READ MORE:") or a teaser label ("Read more:"), or several links in a row, is a
        # promotion.
        label = text.strip().split(":", 1)[0] if ":" in text[:30] else ""
        return (
            len(links) >= 2
            or (label.isupper() and len(label) <= 30)
            or label.lower().strip(rules.LABEL_PUNCTUATION) in rules.TEASER_LABELS
        )

    def drop_container(self, node: LexborNode) -> bool:
        """Readability's conditional cleaning, simplified: link farms and short boxes go."""
        text = self.scores.text(node)  # often a candidate, whose text the scoring read
        # (The full-width comma only in a text that is not ASCII: isascii is a flag, not a scan.)
        commas = text.count(",")
        if not text.isascii() and "，" in text:  # ("in" finds it faster than count counts it)
            commas += text.count("，")
        if commas >= rules.COMMA_SAFE:
            return False
        weight = self.index.weight(node)
        if weight < 0:
            return True
        length = len(text)
        if not length:
            return True
        inside = tags_inside(node, _COUNTED_IDS)  # None for a big box: CSS queries then
        links = None if inside is None else [e for e in inside if e.tag_id == _A_ID]
        density = self.scores.link_density(node, length, links)
        if (weight < 25 and density > 0.33) or (weight >= 25 and density > 0.5):
            return True
        paragraphs = -1
        if density > 0.2 and node.tag_id not in _LIST_IDS:
            paragraphs = _count(node, inside, _P_ID, "p")
            if _count(node, inside, _LI_ID, "li") > paragraphs + 1:
                return True
        if length >= 200:
            return False
        images = _count(node, inside, _IMG_ID, "img")
        if images <= 2:
            return False
        if paragraphs < 0:
            paragraphs = _count(node, inside, _P_ID, "p")
        return paragraphs * 2 < images

    # -- the walk -----------------------------------------------------------------------------
    def walk(self, roots: list[LexborNode]) -> Collected:
        """Visit `roots` and their descendants in document order (an explicit stack of child
        iterators: no recursion, so any nesting depth is safe).

        Nodes are told apart by tag id and sorted by the table _ROLE_OF: reading an element's
        name would build a new string for every node, and hash it for every set it is
        looked up in."""
        root_ids = {root.mem_id for root in roots}
        flags = self.index.flags
        author_ids = self.index.author_ids
        strict, want_alt = self.strict, self.want_alt
        inline = self.inline
        role_of, max_depth = _ROLE_OF, rules.MAX_DEPTH
        stack: list[tuple[Iterator[LexborNode], bool, int]] = [(iter(roots), False, 0)]
        while stack:
            children, quoted, depth = stack.pop()
            # The children of one element, until one of them is walked into: this iterator
            # then goes back on the stack, under the child's. (A for loop costs less per
            # node than next() on the iterator at the top of the stack.)
            for node in children:
                tag_id = node.tag_id
                if tag_id < FIRST_ELEMENT_ID:
                    # White space opening a run of inline text (the spacing between blocks,
                    # most text nodes) makes no difference to it once folded: not read.
                    if tag_id == TEXT_ID and (inline or not node.is_empty_text_node):
                        inline.append(node.text_content or "")
                    continue  # a comment or another node that is no element
                role = role_of.get(tag_id, _BOX)
                if role == _IMAGE:
                    if want_alt:
                        self.image(node)
                    continue
                key = node.mem_id
                # Photo captions and credits often sit in plain spans/divs ("caption", "credit").
                if (
                    key in flags
                    and tag_id != _FIGCAPTION_ID
                    and key not in root_ids
                    and flags[key] & CAPTION
                    and self.caption(node)
                ):
                    continue
                if role == _INLINE and not _holds_block(node):
                    if tag_id == _A_ID:
                        links, pictures = [node], _pictures_in(node) if want_alt else []
                    else:
                        links, pictures = _contents(node, want_alt)
                    for picture in pictures:
                        self.picture(picture)  # a linked picture: <a href><img></a>
                    text = node.text_lexbor()
                    inline.append(text)
                    if tag_id == _A_ID:
                        self.inline_links += 1
                        self.inline_linked += len(text.strip())
                        self.links_of(links)
                    elif links:
                        for link in links:
                            self.inline_links += 1
                            self.inline_linked += len(link.text_lexbor().strip())
                        self.links_of(links)
                    continue
                if role == _LEAF or (role == _LEAF_UNLESS_BLOCKS and not _holds_block(node)):
                    self.leaf(node, key, _LEAF_NAMES[tag_id], quoted)
                    continue
                if strict:
                    if (
                        tag_id in _CONDITIONAL_IDS
                        and key not in root_ids
                        and self.drop_container(node)
                    ):
                        continue
                    if key in flags or key in author_ids:
                        if self.is_post_meta(node):
                            continue
                        if self.out.byline is None and self.is_byline_box(node):
                            continue
                if inline:
                    self.flush()
                if depth > max_depth:
                    # Absurdly deep: take the text as it is rather than walk further.
                    self.add("paragraph", node.text_lexbor())
                    continue
                stack.append((children, quoted, depth))
                stack.append(
                    (node.iter(include_text=True), quoted or tag_id == _BLOCKQUOTE_ID, depth + 1)
                )
                break
            else:
                if inline:
                    self.flush()
        self.flush()
        return self.out

    def leaf(self, node: LexborNode, key: int, tag: str, quoted: bool) -> None:
        """A block read whole (`key`: the node's mem_id)."""
        if self.inline:
            self.flush()
        found = None
        if self.want_alt:
            # (A node met for the first time: what contents() would find, remembered so.)
            found = _contents(node, True)
            self.last_contents = (key, found)
            for picture in found[1]:
                self.picture(picture)  # the pictures of a paragraph, before it
        text = self.scores.paragraph_texts.get(key)  # most paragraphs were met by the scoring
        if text is None:
            text = node.text_lexbor()
        if tag == "pre":
            self.add("pre", text)
            return
        if tag in rules.HEADINGS:
            if (
                not self.title_seen
                and tag in ("h1", "h2")
                and same_text(fold_spaces(text), self.title)
            ):
                self.title_seen = True  # the headline repeated in the body: already the title
                return
            self.add("heading", text, int(tag[1]))
        else:
            if self.strict and len(text) < rules.BYLINE_MAX_CHARS and self.is_byline(key, text):
                self.out.byline = fold_spaces(text)
                return
            if (
                self.strict
                and tag in _LINE_TAGS
                # (Out of a run of teasers, a paragraph known to hold no link is no link line.)
                and (self.teasers or found is None or found[0])
                and self.is_link_line(node, key, text)
            ):
                return
            kind = _KIND_OF.get(tag, "quote" if quoted else "paragraph")
            self.add(kind, text)
        if self.want_links:
            links = (self.contents(node, key) if found is None else found)[0]
            if links:  # most paragraphs hold none
                self.links_of(links)

    def picture(self, node: LexborNode) -> None:
        """Keep the <img> `node` as a picture before the next block (not for the referee)."""
        if len(self.out.images) < MAX_IMAGES:
            if self.inline:
                self.flush()
            image = picture_of(node, self.base_url, len(self.out.blocks))
            if image is not None:
                self.out.images.append(image)

    def caption(self, node: LexborNode) -> bool:
        """Emit a short caption-class element as one caption block; False when it is too long."""
        text = node.text_lexbor()
        if len(text) > rules.CAPTION_MAX_CHARS:
            return False
        self.flush()
        self.add("caption", text)
        return True

    def image(self, node: LexborNode) -> None:
        if not self.want_alt:
            return
        self.picture(node)
        alt = fold_spaces(node.attrs.get("alt") or "")
        parent = node.parent
        if alt and len(alt) > 3 and (parent is None or first_caption(parent) is None):
            self.flush()
            self.add("caption", alt)


_MAY_HOLD_BLOCKS = frozenset({"li", "td", "th", "dd"})
_LINE_TAGS = frozenset({"p"})  # lines that may be link promotions


_A_ID, _P_ID, _LI_ID, _IMG_ID = (tag_id(name) for name in ("a", "p", "li", "img"))
_FIGCAPTION_ID, _BLOCKQUOTE_ID = tag_id("figcaption"), tag_id("blockquote")
_CONDITIONAL_IDS = ids_of(rules.CONDITIONAL_TAGS)
_LIST_IDS = ids_of(("ul", "ol"))

# What the walk does with an element (_BOX, the default: walk into it, unless the strict pass
# drops it as furniture).
_IMAGE, _INLINE, _LEAF, _LEAF_UNLESS_BLOCKS, _BOX = range(5)
# A leaf's name by its id. A blockquote is walked into (the paragraphs inside become quotes).
_LEAF_NAMES = {tag_id(name): name for name in rules.LEAF_BLOCKS - {"blockquote"}}
_ROLE_OF = {  # later entries win: an image is inline, a list item or a cell a leaf
    **dict.fromkeys(ids_of(rules.INLINE_TAGS), _INLINE),
    **dict.fromkeys(_LEAF_NAMES, _LEAF),
    **dict.fromkeys(ids_of(_MAY_HOLD_BLOCKS), _LEAF_UNLESS_BLOCKS),
    _IMG_ID: _IMAGE,
}
_IMG_IDS = frozenset({_IMG_ID})
_COUNTED_IDS = frozenset({_A_ID, _P_ID, _LI_ID, _IMG_ID})  # what drop_container counts
_BLOCK_IDS = ids_of(rules.BLOCK_INSIDE_TAGS)


# An element's <a> and <img> elements (the latter only when pictures are wanted).
_Contents = tuple[list[LexborNode], list[LexborNode]]


def _contents(node: LexborNode, want_pictures: bool) -> _Contents:
    """node.css("a") and, when `want_pictures`, node.css("img"): found in one walk of a small
    subtree (cheaper than a CSS query; most paragraphs hold neither), by CSS queries in a big
    one. (One walk per paragraph also spares a query over the whole body for the elements
    holding a picture.)"""
    links: list[LexborNode] = []
    pictures: list[LexborNode] = []
    for count, element in enumerate(node.traverse()):
        if count == WALK_LIMIT:
            return node.css("a"), node.css("img") if want_pictures else []
        tag = element.tag_id
        if tag == _A_ID:
            links.append(element)
        elif tag == _IMG_ID and want_pictures:
            pictures.append(element)
    return links, pictures


def _pictures_in(node: LexborNode) -> list[LexborNode]:
    """node.css("img"), found cheaply in a small subtree."""
    pictures = tags_inside(node, _IMG_IDS)
    return node.css("img") if pictures is None else pictures


def _count(node: LexborNode, inside: list[LexborNode] | None, tag_id: int, name: str) -> int:
    """How many `name` elements the subtree holds: from `inside` (tags_inside's list) when the
    subtree was small, else by a CSS query."""
    if inside is None:
        return len(node.css(name))
    return sum(1 for element in inside if element.tag_id == tag_id)


def _holds_block(node: LexborNode) -> bool:
    """Whether a block element (rules.BLOCK_INSIDE) sits somewhere inside `node`.

    Asked only of inline elements and list items/cells met by the walk (never of a paragraph's
    contents, which are read whole), so the subtrees searched are small: most are read tag by
    tag, the others by a CSS query.
    """
    found = has_tag_inside(node, _BLOCK_IDS)
    return node.css_first(rules.BLOCK_INSIDE) is not None if found is None else found


def collect_blocks(
    roots: list[LexborNode],
    scores: Scores,
    *,
    title: str,
    base_url: str | None,
    strict: bool,
    want_links: bool = True,
    want_alt: bool = True,
) -> Collected:
    """Blocks, links and a byline found in `roots`, in document order."""
    walker = _Walker(
        scores,
        title=title,
        base_url=base_url,
        strict=strict,
        want_links=want_links,
        want_alt=want_alt,
    )
    return walker.walk(roots)
