"""The block walk's shortcuts (tui.core.extract.blocks): each gives what the plain form gives."""

from __future__ import annotations

from tui.core.extract import rules
from tui.core.extract.blocks import _NOTICE_HINT_CHARS, _lower_opening, _Walker
from tui.core.extract.score import Scores


def _walker() -> _Walker:
    scores = Scores(None, None)  # type: ignore[arg-type]  # the line rules read neither
    return _Walker(scores, title="", base_url=None, strict=True, want_links=True, want_alt=True)


def test_the_line_rules_keep_labels_credits_and_widgets_within_a_call_s_length() -> None:
    # is_furniture_line reads a line longer than rules.CALL_MAX_CHARS as a possible notice or
    # shortcode only, and looks for a notice's opening in its lower-cased opening only.
    assert rules.LABEL_MAX_CHARS <= rules.CALL_MAX_CHARS
    assert rules.CREDIT_MAX_CHARS <= rules.CALL_MAX_CHARS
    assert rules.WIDGET_MAX_CHARS <= rules.CALL_MAX_CHARS <= rules.NOTICE_MAX_CHARS
    assert max(map(len, rules.NOTICE_OPENINGS)) <= _NOTICE_HINT_CHARS


def test_the_lower_cased_opening_is_that_of_the_whole_line() -> None:
    # "İ" lower-cases to two characters; a capital sigma's form depends on what follows it.
    for text in (
        "A" * 300,
        "İ" * 200,
        "x" * (_NOTICE_HINT_CHARS - 1) + "ΣA and more",
        "x" * (_NOTICE_HINT_CHARS - 2) + "Σ'" + "A" * 50,
        "ΟΔΥΣΣΕΥΣ " * 30,
        "short",
    ):
        assert _lower_opening(text) == text.lower()[:_NOTICE_HINT_CHARS], text[:20]


def test_a_long_line_is_a_notice_only_with_the_notice_near_its_start() -> None:
    walker = _walker()
    tail = " The rest of this line goes on about the weather in the hills" * 3
    assert 160 < len("All rights reserved." + tail) <= rules.NOTICE_MAX_CHARS
    assert walker.is_furniture_line("© 2024 Bugle Media Group. All rights reserved." + tail)
    assert walker.is_furniture_line("Kommentare insgesamt: 12" + tail)
    # Lower-cased, "İ" takes two characters: the notice's words count where they are then.
    assert walker.is_furniture_line("İİİİ " * 8 + "Alle Rechte vorbehalten." + tail)
    assert not walker.is_furniture_line("İ" * 50 + " Alle Rechte vorbehalten." + tail)
    # The words past the opening: a sentence about rights.
    late = "The licences stand between the traditional copyright of the publishers and " * 2
    assert not walker.is_furniture_line(late + "all rights reserved, or none." + tail[:40])
    assert not walker.is_furniture_line("A sentence of prose about nothing much at all." + tail)
    assert walker.is_furniture_line(
        "[gallery ids=1 columns=3]" + " " * 10 + "x" * 200 + "[/gallery]"
    )
