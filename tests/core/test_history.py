"""Link history: back and forward as in a browser, without Textual."""

from __future__ import annotations

from tui.core.history import History


def test_back_and_forward_walk_the_followed_pages() -> None:
    history: History[str] = History()
    assert not history.can_go_back and history.back("a") is None
    history.visit("a")  # a → b
    history.visit("b")  # b → c
    assert history.can_go_back and not history.can_go_forward
    assert history.back("c") == "b"
    assert history.back("b") == "a"
    assert history.back("a") is None  # at the start: nothing changes
    assert history.forward("a") == "b"
    assert history.forward("b") == "c"
    assert history.forward("c") is None


def test_a_new_visit_forgets_what_was_ahead() -> None:
    history: History[str] = History()
    history.visit("a")
    assert history.back("b") == "a"
    assert history.can_go_forward
    history.visit("a")  # a → x: b is no longer ahead
    assert not history.can_go_forward
    assert history.back("x") == "a"


def test_nothing_shown_is_not_remembered() -> None:
    history: History[str] = History()
    history.visit(None)  # a link opened with nothing on screen: nothing to come back to
    assert not history.can_go_back
    history.visit("a")
    assert history.back(None) == "a" and not history.can_go_forward


def test_clear_starts_a_new_reading() -> None:
    history: History[int] = History()
    history.visit(1)
    history.visit(2)
    history.back(3)
    history.clear()
    assert not history.can_go_back and not history.can_go_forward
