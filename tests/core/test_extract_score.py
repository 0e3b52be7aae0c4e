"""The scoring's shortcuts (tui.core.extract.score): each gives what the plain form gives."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from tui.core.extract import rules
from tui.core.extract.clean import scan
from tui.core.extract.score import Scores, choose_content, paragraph_score, score_paragraphs

SENTENCE = "The council approved the new budget on Tuesday, after a long and heated debate. "


def test_a_paragraph_scores_each_script_s_commas() -> None:
    assert paragraph_score("a" * 50) == 1.5
    assert paragraph_score("one, two, three" + "x" * 85) == 1.0 + 2 + 1.0
    # The full-width, ideographic and Arabic commas count as commas; curly quotes (a text that
    # is not ASCII) count nothing.
    text = "“一，二、三، and, four”"
    assert paragraph_score(text) == 1.0 + 4 + len(text) / 100
    assert paragraph_score("“quoted” words" + "x" * 86) == 2.0
    assert paragraph_score("x" * 1000) == 4.0  # the length counts three points at most


def test_a_paragraph_credits_five_levels_of_ancestors_less_each_level() -> None:
    html = (
        '<div id="e"><div id="d"><div id="c"><div id="b"><div id="a"><div id="p">'
        f"<p>{SENTENCE}</p></div></div></div></div></div></div>"
    )
    tree = LexborHTMLParser(html)
    scores = score_paragraphs(tree, scan(tree), weights=False)
    points = paragraph_score(SENTENCE.strip())
    credited = {}
    for key, score in scores.raw.items():
        credited[scores.nodes[key].attributes.get("id")] = score
    bonus = rules.TAG_BONUS["div"]
    # Readability's divisors: 1 for the parent, 2 for the grandparent, then 3 per level.
    assert credited == {
        "p": bonus + points / 1,
        "a": bonus + points / 2,
        "b": bonus + points / 6,
        "c": bonus + points / 9,
        "d": bonus + points / 12,
    }


def test_link_density_keeps_each_link_s_href_and_text_and_weighs_in_page_links_less() -> None:
    html = (
        f'<div><p>{SENTENCE}</p><p><a href="/story">Another story</a> and '
        '<a href="#notes">the notes</a></p></div>'
    )
    tree = LexborHTMLParser(html)
    scores = Scores(tree, scan(tree))
    node = tree.css_first("div")
    assert node is not None
    text_length = len(node.text_lexbor().strip())
    density = scores.link_density(node)
    assert density == (len("Another story") + 0.3 * len("the notes")) / text_length
    assert sorted(scores.link_hrefs.values(), key=str) == ["#notes", "/story"]
    assert sorted(scores.link_texts.values()) == ["Another story", "the notes"]


def test_the_scoring_keeps_the_text_of_short_paragraphs_for_the_walk() -> None:
    html = f"<article><p>{SENTENCE * 3}</p><p>Too short</p><p>{SENTENCE * 2}</p></article>"
    tree = LexborHTMLParser(html)
    roots, scores = choose_content(tree, scan(tree))
    assert [root.tag for root in roots] == ["article"]
    assert "Too short" in scores.paragraph_texts.values()
    assert len(scores.paragraph_texts) == 3
