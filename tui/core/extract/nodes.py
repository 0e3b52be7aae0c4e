"""Element queries on small subtrees, cheaper than lexbor's CSS queries.

selectolax parses a CSS selector anew at every query: about 5 µs for "a" and 10 µs for a list of
tags, far more than finding the few elements of a paragraph, a list item or a small box. These
helpers walk a subtree's elements themselves, telling tags apart by lexbor's tag ids (fixed
numbers for the standard tags; reading one is cheaper than building the tag's name), and leave
big subtrees to the CSS query. By the time they are asked, <svg> and <math> are gone (stripped,
or removed as hidden), so a tag id names an element exactly as a CSS type selector does.
"""

from __future__ import annotations

from collections.abc import Iterable

from selectolax.lexbor import LexborHTMLParser, LexborNode

# Elements a helper reads one by one before it hands a subtree to the CSS query.
WALK_LIMIT = 40


def _pseudo_tag_ids() -> tuple[int, int, int, frozenset[int]]:
    """The tag ids of text and comment nodes, the first id of an element, and the ids of the
    nodes that are no element but have a name in selectolax ("-text", "-comment", "-doctype",
    "-document"; the others' name is None). lexbor numbers its pseudo-tags before the element
    names, of which "a" comes first."""
    tree = LexborHTMLParser("<!DOCTYPE html><p>text<!-- comment --></p>")
    paragraph = tree.css_first("p")
    document = tree.root.parent if tree.root is not None else None
    assert paragraph is not None and document is not None and document.first_child is not None
    text, comment = paragraph.iter(include_text=True)
    named = frozenset({text.tag_id, comment.tag_id, document.first_child.tag_id, document.tag_id})
    first_element = tree.create_node("a").tag_id
    if not all(pseudo < first_element for pseudo in named):
        raise ValueError("lexbor numbers its pseudo-tags differently")
    return text.tag_id, comment.tag_id, first_element, named


def standard_tag_ids(names: Iterable[str]) -> dict[str, int]:
    """lexbor's ids of the standard tags among `names`. They are fixed (other tags' ids are
    addresses in one document's table of names, so they differ between documents)."""
    one, other = LexborHTMLParser(""), LexborHTMLParser("")
    ids = {}
    for name in names:
        tag_id = one.create_node(name).tag_id
        if other.create_node(name).tag_id == tag_id:
            ids[name] = tag_id
    return ids


def tag_id(name: str) -> int:
    """The id of standard tag `name`."""
    (found,) = ids_of((name,))
    return found


def ids_of(names: Iterable[str]) -> frozenset[int]:
    """The ids of `names`, all standard tags (a custom one could not be told by id)."""
    names = tuple(names)
    ids = standard_tag_ids(names)
    missing = set(names) - ids.keys()
    if missing:
        raise ValueError(f"not standard tags: {sorted(missing)}")
    return frozenset(ids.values())


def tags_inside(node: LexborNode, ids: frozenset[int]) -> list[LexborNode] | None:
    """The elements of `node`'s subtree (`node` included, in document order) whose tag id is in
    `ids`, as node.css would list them; None when the subtree has more than WALK_LIMIT elements
    (the CSS query is cheaper then)."""
    found = []
    for count, element in enumerate(node.traverse()):
        if count == WALK_LIMIT:
            return None
        if element.tag_id in ids:
            found.append(element)
    return found


def has_tag_inside(node: LexborNode, ids: frozenset[int]) -> bool | None:
    """Whether an element below `node` (not `node` itself) has its tag id in `ids`; None when
    that is not settled within WALK_LIMIT elements."""
    inside = node.traverse()
    next(inside)  # the node itself
    for _ in range(WALK_LIMIT):
        element = next(inside, None)
        if element is None:
            return False
        if element.tag_id in ids:
            return True
    return None


# Read a node's tag id rather than its name (which builds a new string every time): the id is
# below FIRST_ELEMENT_ID for every node that is no element, and TEXT_ID for a text node.
TEXT_ID, COMMENT_ID, FIRST_ELEMENT_ID, NAMED_PSEUDO_IDS = _pseudo_tag_ids()
