"""The element scan's class/id flags (tui.core.extract.clean): the search of a page's strings
joined agrees with searching each string alone."""

from __future__ import annotations

import importlib

import pytest

clean = importlib.import_module("tui.core.extract.clean")


@pytest.fixture(autouse=True)
def _empty_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clean, "_FLAGS_CACHE", {})


def _alone(name: str) -> int:
    """The flags of `name` searched on its own, with nothing else in the cache."""
    clean._FLAGS_CACHE.clear()
    (flags,) = clean.class_flags([name])
    return flags


NAMES = [
    "ad",  # a whole word alone
    "site-header nav",  # whole word at the end, right before the next string
    "nav-bar",  # ... at the start, right after the previous one
    "head",  # "ad" inside a word: no whole word
    "x\0ad",  # a NUL inside a string is no word character, and ends no string
    "\u0130stanbul ad",  # "İ" lower-cases to two characters: every later string moves on
    "ad-\u0130",
    "\u03a3\u0391\u03a3 comment",  # final sigma: lower-cased as when alone
    "entry-content",  # a body mark class (with a word that says it is the content)
    "my-entry-content",  # not one: body marks are whole class names
    "story POST-BODY",  # one, in capitals
    "hentry",
    "post-body_x",  # "_" is no white space: no body mark class
    "x.ad ad_x \u00e9ad ad\u00a0x",  # whole words beside any other non-word character
    "ad2 2ad",  # ... but not beside a digit
    "-ad-",  # a furniture word holding a whole word
    "",
    "plain",
]


def test_class_flags_of_a_page_agree_with_each_string_searched_alone() -> None:
    expected = [_alone(name) for name in NAMES]
    clean._FLAGS_CACHE.clear()
    assert clean.class_flags(NAMES) == expected
    assert clean.class_flags(NAMES[::-1]) == expected[::-1]  # now from the cache
    clean._FLAGS_CACHE.clear()
    assert clean.class_flags(NAMES[::-1]) == expected[::-1]
    # What the strings hold, not just agreement:
    flags = dict(zip(NAMES, expected, strict=True))
    assert flags["ad"] == flags["x\0ad"] == clean.WEAK
    assert flags["nav-bar"] & flags["site-header nav"] & clean.WEAK and not flags["head"]
    assert flags["\u0130stanbul ad"] == flags["ad-\u0130"] == clean.WEAK
    assert flags["\u03a3\u0391\u03a3 comment"] & clean.STRONG
    assert flags["x.ad ad_x \u00e9ad ad\u00a0x"] == clean.WEAK and not flags["ad2 2ad"]
    assert flags["-ad-"] == clean.STRONG | clean.WEAK | clean.NEGATIVE


def test_body_marks_are_whole_class_names_that_say_they_are_the_content() -> None:
    marks = {name: bool(_alone(name) & clean.BODY_MARK) for name in NAMES}
    assert marks["entry-content"] and marks["story POST-BODY"] and marks["hentry"]
    assert not marks["my-entry-content"] and not marks["plain"] and not marks["post-body_x"]
    assert _alone("my-entry-content") & clean.MAYBE  # still the content, by its words
    assert clean.word_flags(["entry-content", "x", "a post-body"]) == [
        _alone("entry-content"),
        0,
        _alone("a post-body"),
    ]


def _by_counting(index: object, runs: list) -> tuple[set[int], set[int]]:
    """What paragraph_holders answers, by climbing from every run to the root: the elements
    holding most runs (but those whose class says they hold text of their own), and the runs
    with every element holding one."""
    inside: dict[int, int] = {}
    for run in runs:
        node = run.parent
        while node is not None:
            inside[node.mem_id] = inside.get(node.mem_id, 0) + 1
            node = node.parent
    flags = index.flags  # type: ignore[attr-defined]
    most = {
        key
        for key, count in inside.items()
        if 2 * count > len(runs) and not flags.get(key, 0) & clean.OWN_TEXT
    }
    return most, inside.keys() | {run.mem_id for run in runs}


def test_the_holders_of_paragraph_runs_are_found_whatever_their_place() -> None:
    from selectolax.lexbor import LexborHTMLParser

    three = "<p>one</p><p>two</p><p>three</p>"
    page = (
        "<body><div id='page'><div id='top'>" + three + "</div>"
        "<div id='main'><div id='a'>" + three * 2 + "</div><section id='b'>" + three + "</section>"
        "<div id='c'><div>" + three + "</div></div></div>"
        "<div class='comments' id='own'><div id='d'>" + three * 3 + "</div></div>"
        "<article id='art'><div><span id='deep'>x</span></div></article></div></body>"
    )
    index = clean.scan(LexborHTMLParser(page))
    runs, parents = index.paragraph_runs()
    assert len(runs) == 14  # #top 1, #a 4, #b 1, #c 1, #d 7
    assert [run.parent.mem_id for run in runs] == [parent.mem_id for parent in parents]
    ids = {node.mem_id: node.attributes.get("id") for node in index.tree.css("[id], body, html")}
    for chosen in (slice(None), slice(1), slice(2), slice(5), slice(1, 9), slice(3, None)):
        for step in (None, 3):
            picked = slice(chosen.start, chosen.stop, step)
            found = index.paragraph_holders(runs[picked], parents[picked])
            assert found == _by_counting(index, runs[picked])
    most, holding = index.paragraph_holders(runs[-9:], parents[-9:])
    # Most runs below #own's #d, but #own says it is comments: it is no wrapper.
    assert "d" in {ids.get(key) for key in most} and "own" not in {ids.get(key) for key in most}
    assert "page" in {ids.get(key) for key in index.paragraph_holders(runs, parents)[0]}
    # The article-body elements and their holders join the holders of the runs.
    assert {ids.get(key) for key in index.holders(holding)} >= {"art", "page", "b", "d"}
    assert "top" not in {ids.get(key) for key in index.holders(holding)}
    assert "deep" not in {ids.get(key) for key in index.holders(set())}
    assert {ids.get(key) for key in index.holders(set())} == {"art", "page", None}


def test_hidden_styles_are_found_by_the_words_they_must_hold() -> None:
    from selectolax.lexbor import LexborHTMLParser

    from tui.core.extract import rules

    # The scan runs the regular expression only on styles holding one of these words.
    for alternative in rules.HIDDEN_STYLE.pattern.split("|"):
        assert alternative.endswith(rules.HIDDEN_STYLE_WORDS), alternative
    page = (
        "<body><div style='DISPLAY : None' class='a'>x</div><div style='display:block'>y</div>"
        "<p style='color: red; visibility:hidden'>z</p><span style='x: none'>w</span></body>"
    )
    index = clean.scan(LexborHTMLParser(page))
    assert [(node.tag, node.text()) for node in index.hidden] == [("div", "x"), ("p", "z")]
