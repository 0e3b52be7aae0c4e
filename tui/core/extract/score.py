"""Stage 3: choose the node(s) holding the article body.

Readability's idea, done with few Python operations per page: every paragraph-like element
scores by length and commas; the score flows to its ancestors (less with distance); the best
ancestor after discounting for link density wins. Articles split into sibling blocks (an advert
or a "read also" box between two halves) are rejoined by taking the winner's siblings that score
well too, or that are plain paragraphs of prose.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tui.core.extract import rules
from tui.core.extract.clean import PageIndex, class_weight
from tui.core.extract.nodes import (
    COMMENT_ID,
    FIRST_ELEMENT_ID,
    NAMED_PSEUDO_IDS,
    TEXT_ID,
    ids_of,
    tag_id,
)

# Tags are told by id (cheaper than building each node's name). The climb up from a paragraph
# stops at these: "html", and the nodes that are no element and have no name (tag None).
_STOP_IDS = frozenset({tag_id("html")}) | (frozenset(range(FIRST_ELEMENT_ID)) - NAMED_PSEUDO_IDS)
_BODY_ID = tag_id("body")
_STOP_OR_BODY_IDS = _STOP_IDS | {_BODY_ID}
_BONUS_BY_ID = {tag_id(name): float(bonus) for name, bonus in rules.TAG_BONUS.items()}
_LOOSE_TEXT_PARENT_IDS = ids_of(rules.LOOSE_TEXT_PARENTS)
_LI_ID, _DIV_ID, _P_ID, _A_ID = (tag_id(name) for name in ("li", "div", "p", "a"))
# What a paragraph's points are divided by at each level up (Readability's: 1, 2, then 3 per
# level).
_DIVISORS = tuple(
    1 if level == 0 else 2 if level == 1 else level * 3 for level in range(rules.ANCESTOR_LEVELS)
)


# The commas of other scripts (full-width, ideographic, Arabic).
_OTHER_COMMAS = ("，", "、", "،")


def paragraph_score(text: str) -> float:
    """Readability's paragraph score: one point, one per comma, one per 100 chars (at most 3).

    The other scripts' commas are not ASCII: an ASCII text (str.isascii reads a flag, no scan)
    is searched for one comma only; another is counted only when it is there at all ("in"
    finds a character faster than count counts it, and most texts hold none).
    """
    commas = text.count(",")
    if not text.isascii():
        for comma in _OTHER_COMMAS:
            if comma in text:
                commas += text.count(comma)
    return 1.0 + commas + min(len(text) / 100.0, 3.0)


@dataclass(slots=True)
class Scores:
    """Raw scores by node id, the nodes themselves, lazily computed final scores, and caches of
    texts and link lengths (a link's text is measured once however many candidates hold it; a
    candidate's text, read for its link density, serves the block walk's look at it again)."""

    tree: LexborHTMLParser
    index: PageIndex
    weights: bool = True
    raw: dict[int, float] = field(default_factory=dict)
    nodes: dict[int, LexborNode] = field(default_factory=dict)
    final: dict[int, float] = field(default_factory=dict)
    texts: dict[int, str] = field(default_factory=dict)  # stripped, by node id
    link_lists: dict[int, list[LexborNode]] = field(default_factory=dict)  # node.css("a")
    link_lengths: dict[int, float] = field(default_factory=dict)
    # The href (None when there is none) and the text (as read) of each link measured, by node
    # id: the block walk collects the same links.
    link_hrefs: dict[int, str | None] = field(default_factory=dict)
    link_texts: dict[int, str] = field(default_factory=dict)
    chains: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    # The text (as read, not stripped) of each paragraph-like element met (scored or too short),
    # by node id: the block walk reads it again.
    paragraph_texts: dict[int, str] = field(default_factory=dict)

    def class_weight(self, node: LexborNode) -> int:
        return self.index.weight(node) if self.weights else 0

    def text(self, node: LexborNode) -> str:
        """The node's text, stripped (read once per node)."""
        key = node.mem_id
        text = self.texts.get(key)
        if text is None:
            text = self.texts[key] = node.text_lexbor().strip()
        return text

    def text_length(self, node: LexborNode) -> int:
        return len(self.text(node))

    def links(self, node: LexborNode) -> list[LexborNode]:
        """node.css("a"), once per node. A wrapper around one node measured already has the
        same links and the same stripped text: the candidates nest, a parent often holding
        the body alone, and this spares reading a big subtree again."""
        key = node.mem_id
        links = self.link_lists.get(key)
        if links is None:
            inner = self._wrapped(node) if self.link_lists else None
            if inner is None:
                links = node.css("a")
            else:
                links = self.link_lists[inner]
                text = self.texts.get(inner)
                if text is not None:
                    self.texts.setdefault(key, text)
            self.link_lists[key] = links
        return links

    def _wrapped(self, node: LexborNode) -> int | None:
        """The id of the node's one element child, when the node (no link itself) holds
        nothing else but white space and comments, and that child's links are known."""
        if node.tag_id == _A_ID:
            return None
        only = None
        for child in node.iter(include_text=True):
            child_tag = child.tag_id
            if child_tag >= FIRST_ELEMENT_ID:
                if only is not None:
                    return None
                only = child.mem_id
            elif child_tag != COMMENT_ID and not (
                child_tag == TEXT_ID and child.is_empty_text_node
            ):
                return None
        return only if only in self.link_lists else None

    def link_density(
        self,
        node: LexborNode,
        text_length: int | None = None,
        links: list[LexborNode] | None = None,
    ) -> float:
        """Share of the node's text that sits inside links (in-page '#' links count less).
        `links`: the node's links (node.css("a")), when the caller has them already."""
        if links is None:
            links = self.links(node)
        if not links:
            return 0.0  # measuring the text of a node without links would be wasted
        if text_length is None:
            text_length = self.text_length(node)
        if not text_length:
            return 0.0
        cache, hrefs, texts = self.link_lengths, self.link_hrefs, self.link_texts
        linked = 0.0
        for link in links:
            key = link.mem_id
            length = cache.get(key)
            if length is None:
                # A link to an anchor of the page itself ("#notes") counts less. (The href is
                # looked up by its name: `attributes` would decode every attribute of the link.)
                href = hrefs[key] = link.attrs.get("href")
                text = texts[key] = link.text_lexbor()
                in_page = href is not None and href.startswith("#")
                length = len(text.strip()) * (0.3 if in_page else 1.0)
                cache[key] = length
            linked += length
        return min(1.0, linked / text_length)

    def final_score(self, key: int) -> float:
        if key not in self.final:
            self.final[key] = self.raw[key] * (1.0 - self.link_density(self.nodes[key]))
        return self.final[key]


def score_paragraphs(
    tree: LexborHTMLParser, index: PageIndex, *, weights: bool, loose: bool = False
) -> Scores:
    """Score every paragraph-like element and credit its ancestors."""
    scores = Scores(tree, index, weights)
    raw, nodes, chains = scores.raw, scores.nodes, scores.chains
    paragraph_texts = scores.paragraph_texts
    min_chars, min_item_chars = rules.MIN_PARAGRAPH_CHARS, rules.MIN_PROSE_ITEM_CHARS
    for paragraph in tree.css(rules.PARAGRAPH_SELECTOR):
        whole = paragraph.text_lexbor()
        key = paragraph.mem_id
        paragraph_texts[key] = whole  # short ones too: the walk reads them all
        if len(whole) < min_chars:
            continue  # (shorter still once stripped)
        text = whole.strip()
        length = len(text)
        if length < min_chars:
            continue
        tag_id = paragraph.tag_id
        if tag_id == _LI_ID and length < min_item_chars:
            continue  # short items are menus and link lists; long ones are the article's prose
        points = paragraph_score(text)
        if tag_id == _DIV_ID:
            # A div holding only text is its own candidate too (a br-separated article body).
            if key not in raw:
                raw[key] = float(rules.TAG_BONUS["div"]) + scores.class_weight(paragraph)
                nodes[key] = paragraph
            raw[key] += points
        # Credit the ancestors (_credit, inlined: this loop runs for every paragraph).
        parent = paragraph.parent
        if parent is None:
            continue
        parent_key = parent.mem_id
        chain = chains.get(parent_key)
        if chain is None:
            chain = chains[parent_key] = _chain(scores, parent)
        for key, divisor in chain:
            raw[key] += points / divisor
    if loose:
        _score_loose_text(tree, scores)
    return scores


def _credit(scores: Scores, parent: LexborNode | None, points: float) -> None:
    """Add a paragraph's points to its ancestors, less with each level up."""
    if parent is None:
        return
    key = parent.mem_id
    chain = scores.chains.get(key)
    if chain is None:
        chain = scores.chains[key] = _chain(scores, parent)
    raw = scores.raw
    for key, divisor in chain:
        raw[key] += points / divisor


def _chain(scores: Scores, parent: LexborNode | None) -> list[tuple[int, int]]:
    """The ancestors a paragraph under `parent` credits, with the divisor of each level
    (computed once per parent: the paragraphs of a body share theirs)."""
    raw, nodes = scores.raw, scores.nodes
    flags = scores.index.flags if scores.weights else {}
    chain: list[tuple[int, int]] = []
    for divisor in _DIVISORS:
        if parent is None:
            break
        tag = parent.tag_id
        if tag in _STOP_IDS:
            break
        key = parent.mem_id
        if key not in raw:
            # (Most elements have no class/id flags: no weight to compute, class_weight(0) == 0.)
            raw[key] = _BONUS_BY_ID.get(tag, 0.0) + (
                class_weight(flags[key]) if key in flags else 0
            )
            nodes[key] = parent
        chain.append((key, divisor))
        parent = parent.parent
    return chain


def _score_loose_text(tree: LexborHTMLParser, scores: Scores) -> None:
    """Credit long text lying loose in a container beside other blocks (no <p> around it).

    Some pages put the whole story as bare text in a layout div, after the headline and
    a picture. Walking every text node costs time, so only a page whose first attempt found
    little text pays for it.
    """
    body = tree.body
    if body is None:
        return
    # (Text nodes of white space alone are skipped by lexbor: they are too short anyway.)
    for node in body.traverse(include_text=True, skip_empty=True):
        if node.tag_id != TEXT_ID:
            continue
        text = (node.text_content or "").strip()
        if len(text) < rules.MIN_LOOSE_TEXT_CHARS:
            continue
        parent = node.parent
        if parent is None or parent.tag_id not in _LOOSE_TEXT_PARENT_IDS:
            continue
        if parent.css_first(rules.BLOCK_INSIDE) is None:
            continue  # a leaf container: already scored as one
        _credit(scores, parent, paragraph_score(text))


def choose_content(
    tree: LexborHTMLParser, index: PageIndex, *, weights: bool = True, loose: bool = False
) -> tuple[list[LexborNode], Scores]:
    """The node(s) holding the article body, in document order ([] when nothing scored), and
    the scores (their text and link lengths serve the block walk too)."""
    scores = score_paragraphs(tree, index, weights=weights, loose=loose)
    if not scores.raw:
        return [], scores
    ranked = _best_by_final(scores)
    top_key = ranked[0]
    top = scores.nodes[top_key]
    top = _shared_ancestor(top, top_key, ranked[1 : rules.TOP_CANDIDATES], scores)
    top = _climb(top, scores)
    return _with_siblings(top, scores), scores


def _best_by_final(scores: Scores) -> list[int]:
    """The best of the shortlist (the best raw scores) by final score: the winner first, then
    those of the rules.TOP_CANDIDATES - 1 next that _shared_ancestor may find close to it.

    A final score is never above max(raw, 0), so once the next raw score cannot beat the
    current last place the rest need no link density measured; nor once it is too low to
    come close to the best final score so far (raw / best < SHARED_ANCESTOR_RATIO: then so
    is final / best, division being monotonic; a candidate left out so would rank below
    every close one, and never changes which of them _shared_ancestor sees). Most pages
    stop after the winner, whose parent scores about half as much.
    """
    raw = scores.raw
    shortlist = sorted(raw, key=raw.__getitem__, reverse=True)[: rules.TOP_CANDIDATES * 3]
    wanted = rules.TOP_CANDIDATES
    best: list[tuple[float, int, int]] = []  # (-final, position, key): sorts like a stable sort
    for position, key in enumerate(shortlist):
        if best:
            top = -best[0][0]
            if top > 0 and raw[key] / top < rules.SHARED_ANCESTOR_RATIO:
                break
        if len(best) >= wanted:
            last = -best[wanted - 1][0]
            if last >= 0 and raw[key] < last:
                break
        best.append((-scores.final_score(key), position, key))
        best.sort()
    return [key for _, _, key in best]


def _ancestors(node: LexborNode) -> list[LexborNode]:
    chain: list[LexborNode] = []
    parent = node.parent
    while parent is not None and parent.tag_id not in _STOP_IDS and len(chain) < rules.MAX_DEPTH:
        chain.append(parent)
        parent = parent.parent
    return chain


def _shared_ancestor(
    top: LexborNode, top_key: int, others: list[int], scores: Scores
) -> LexborNode:
    """When several near-equal candidates sit under one ancestor, that ancestor is the article."""
    best = scores.final_score(top_key)
    if best <= 0:
        return top
    close = [k for k in others if scores.final_score(k) / best >= rules.SHARED_ANCESTOR_RATIO]
    if len(close) < 2:
        return top
    close_chains = [{n.mem_id for n in _ancestors(scores.nodes[k])} | {k} for k in close]
    for ancestor in _ancestors(top):
        if ancestor.tag_id == _BODY_ID:
            break
        if sum(ancestor.mem_id in chain for chain in close_chains) >= 2:
            return ancestor
    return top


def _climb(top: LexborNode, scores: Scores) -> LexborNode:
    """Move up while the parent scores better, and past wrappers that hold only the winner.

    A final score is never above max(raw, 0), so link densities are measured only when they
    can change the outcome: a parent whose raw score is below the threshold stops the climb
    (often the third level up, which the paragraphs credit with a sixth of their points); a
    parent whose raw score is no more than `last` cannot win, and whether it stops the climb
    (final score below the threshold) matters only when an ancestor above it is weighed
    (often the first level up, credited with half the points, is such a parent)."""
    key = top.mem_id
    raw = scores.raw
    last = scores.final_score(key) if key in raw else 0.0
    threshold = last / 3
    passed = None  # the id of a parent passed over so, its final score not yet known
    parent = top.parent
    while parent is not None and parent.tag_id not in _STOP_OR_BODY_IDS:
        parent_key = parent.mem_id
        if parent_key not in raw:
            parent = parent.parent
            continue
        bound = max(raw[parent_key], 0.0)
        if bound < threshold:
            break
        if passed is not None:
            passed_score = scores.final_score(passed)
            if passed_score < threshold:
                break
            last = passed_score
            passed = None
        if bound <= last:
            passed = parent_key
            parent = parent.parent
            continue
        parent_score = scores.final_score(parent_key)
        if parent_score < threshold:
            break
        if parent_score > last:
            top = parent
            break
        last = parent_score
        parent = parent.parent
    parent = top.parent
    while (
        parent is not None
        and parent.tag_id not in _STOP_OR_BODY_IDS
        and _element_children(parent) == 1
    ):
        top = parent
        parent = top.parent
    return top


def _reads_as_prose(node: LexborNode, scores: Scores) -> bool:
    length = scores.text_length(node)
    return length >= rules.SIBLING_PROSE_CHARS and scores.link_density(node, length) < 0.25


def _element_children(node: LexborNode) -> int:
    return sum(1 for child in node.iter(include_text=False) if child.is_element_node)


def _with_siblings(top: LexborNode, scores: Scores) -> list[LexborNode]:
    """The winner plus those of its siblings that read as more of the same article."""
    parent = top.parent
    if parent is None or parent.tag_id in _STOP_IDS:
        return [top]
    top_key = top.mem_id
    top_score = scores.final_score(top_key) if top_key in scores.raw else 0.0
    threshold = max(rules.SIBLING_MIN_SCORE, top_score * rules.SIBLING_SCORE_RATIO)
    top_class = top.attrs.get("class") or ""
    chosen = []
    for sibling in parent.iter(include_text=False):
        if not sibling.is_element_node:
            continue
        key = sibling.mem_id
        if key == top_key:
            chosen.append(sibling)
            continue
        same_class = bool(top_class) and sibling.attrs.get("class") == top_class
        bonus = top_score * 0.2 if same_class else 0.0
        if (
            key in scores.raw
            and max(scores.raw[key], 0.0) + bonus >= threshold  # a final score is never more
            and scores.final_score(key) + bonus >= threshold
        ):
            chosen.append(sibling)
        elif same_class and key not in scores.raw and _reads_as_prose(sibling, scores):
            # A part of a split body whose paragraphs sit deeper than the scoring reaches.
            chosen.append(sibling)
        elif sibling.tag_id == _P_ID:
            text = sibling.text_lexbor().strip()
            density = scores.link_density(sibling, len(text))
            if (len(text) > rules.SIBLING_PARAGRAPH_CHARS and density < 0.25) or (
                0 < len(text) <= rules.SIBLING_PARAGRAPH_CHARS
                and density == 0
                and (text.endswith(".") or ". " in text)
            ):
                chosen.append(sibling)
    return chosen or [top]
