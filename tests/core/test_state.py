"""User state: durable, shared between processes, kept apart from the cache."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from tui.core.models import Entry
from tui.core.state import State


def test_read_star_position_round_trip(tmp_path: Path) -> None:
    state = State(tmp_path / "s.sqlite3")
    entry = Entry(id="1", feed_url="http://f", title="One", url="http://f/1")
    state.set_read([("http://f", "1")])
    state.set_starred(entry)
    state.set_position("http://f/1", 0.5)
    state.close()
    again = State(tmp_path / "s.sqlite3")
    assert again.read_ids() == {("http://f", "1")}
    assert again.starred() == [entry]
    assert again.position("http://f/1") == 0.5
    again.set_read([("http://f", "1")], read=False)
    again.set_starred(entry, False)
    assert again.read_ids() == set() and again.starred() == []


def test_change_survives_kill_9(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    code = (
        "import os, signal, sys; from tui.core.state import State; "
        f"s = State(__import__('pathlib').Path({str(path)!r})); "
        "s.set_read([('http://f', 'x')]); print('ok', flush=True); os.kill(os.getpid(), signal.SIGKILL)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.strip() == "ok" and proc.returncode == -9
    assert State(path).read_ids() == {("http://f", "x")}


def test_two_handles_share_the_file(tmp_path: Path) -> None:
    one, two = State(tmp_path / "s.sqlite3"), State(tmp_path / "s.sqlite3")
    one.set_read([("f", "a")])
    two.set_read([("f", "b")])
    assert one.read_ids() == two.read_ids() == {("f", "a"), ("f", "b")}


def test_the_read_set_is_remembered_until_anyone_changes_it(tmp_path: Path) -> None:
    one, two = State(tmp_path / "s.sqlite3"), State(tmp_path / "s.sqlite3")
    one.set_read([("f", "a")])
    first = one.read_ids()
    assert one.read_ids() is first  # nothing changed: not read again
    two.set_read([("f", "b")])  # another connection (another process, in life)
    assert one.read_ids() == {("f", "a"), ("f", "b")}
    one.set_read([("f", "a")], read=False)  # our own change
    assert one.read_ids() == {("f", "b")}
    assert one.read_ids("f") == {("f", "b")}


def test_many_marks_are_one_transaction_and_stars_in_bulk(tmp_path: Path) -> None:
    state = State(tmp_path / "s.sqlite3")
    started = time.perf_counter()
    state.set_read([("f", str(n)) for n in range(5000)])
    # One commit, not 5,000 (each commit waits for the disk: that took seconds).
    assert time.perf_counter() - started < 2.0
    assert len(state.read_ids()) == 5000
    entries = [Entry(id=str(n), feed_url="f", title=f"Story {n}") for n in range(3)]
    state.set_starred_many(entries)
    assert state.starred_ids() == {("f", "0"), ("f", "1"), ("f", "2")}
    assert {e.title for e in state.starred()} == {"Story 0", "Story 1", "Story 2"}
    state.set_starred_many(entries[:2], starred=False)
    assert state.starred_ids() == {("f", "2")}
