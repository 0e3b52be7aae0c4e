"""The durable sync queue: marks survive kill -9, sends are idempotent, bookkeeping is atomic."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tui.core.state import State
from tui.core.sync.errors import SyncError
from tui.core.sync.queue import KnownItem, SyncStore

ROOT = Path(__file__).resolve().parents[2]


def test_marks_are_kept_in_order_and_the_latest_per_story_and_kind_wins(tmp_path: Path) -> None:
    store = SyncStore(tmp_path / "state.sqlite")
    store.record([("f", "a"), ("f", "b")], "read", True, at=10)
    store.record([("f", "a")], "read", False, at=20)
    store.record([("f", "a")], "star", True, at=15)
    store.record([("f", "b")], "read", False, at=5)  # made earlier (an offline device's clock)
    assert store.pending_count() == 5
    latest = store.latest()
    assert latest[(("f", "a"), "read")].value is False
    assert latest[(("f", "b"), "read")].value is True  # by the time it was made, not queue order
    assert latest[(("f", "a"), "star")].value is True
    with pytest.raises(ValueError):
        store.record([("f", "a")], "toggle", True)  # type: ignore[arg-type]


def test_done_forgets_sent_marks_but_keeps_newer_ones(tmp_path: Path) -> None:
    store = SyncStore(tmp_path / "state.sqlite")
    store.record([("f", "a")], "read", True, at=1)
    sent = store.latest()[(("f", "a"), "read")]
    store.record([("f", "a")], "read", False, at=2)  # while the first was on its way
    store.done([sent])
    assert [(m.value, m.at) for m in store.pending()] == [(False, 2)]


def test_shares_the_state_database_with_state(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    state = State(path)
    state.set_read([("f", "a")])
    store = SyncStore(path)
    store.record([("f", "a")], "read", True)
    store.save_items([KnownItem("00000000000000ff", "f", "a", True, False, 5)])
    assert state.read_ids() == frozenset({("f", "a")})
    assert store.item_for(("f", "a")) == "00000000000000ff"
    again = SyncStore(path)
    assert again.pending_count() == 1 and len(again.known()) == 1
    state.close()


def test_finish_and_account_binding(tmp_path: Path) -> None:
    store = SyncStore(tmp_path / "state.sqlite")
    assert store.bind_account("greader http://a alice") is False
    store.record([("f", "a")], "read", True)
    mark = store.pending()[0]
    store.finish(
        [KnownItem("01", "f", "a", True, False, 7)], [mark], {"cursor_ms": 7, "finished_at": 99.5}
    )
    assert store.pending_count() == 0
    assert store.meta("cursor_ms") == 7 and store.last_sync == 99.5
    assert store.bind_account("greader http://a alice") is False
    assert store.bind_account("greader http://b bob") is True  # another account: start afresh
    assert store.known() == {} and store.meta("cursor_ms") is None


def test_an_unopenable_database_is_a_sync_error(tmp_path: Path) -> None:
    (tmp_path / "dir.sqlite").mkdir()
    with pytest.raises(SyncError, match="cannot open the sync queue"):
        SyncStore(tmp_path / "dir.sqlite")


CHILD = """
import sys
from pathlib import Path
from tui.core.sync.queue import KnownItem, SyncStore
store = SyncStore(Path(sys.argv[1]))
start = int(sys.argv[2])
for n in range(start, start + 100000):
    store.record([("feed", f"e{n}")], "read", n % 2 == 0, at=float(n))
    print("recorded", n, flush=True)
    mark = [m for m in store.pending() if m.entry_id == f"e{n}"][0]
    store.finish([KnownItem(f"{n:016x}", "feed", f"e{n}", n % 2 == 0, False, n)], [mark],
                 {"cursor_ms": n})
    print("done", n, flush=True)
"""


@pytest.mark.timeout(60)
def test_kill_9_at_any_moment_loses_no_mark_and_half_applies_nothing(tmp_path: Path) -> None:
    """A child queues marks and "sends" them (finish: agreed state + mark gone + cursor, in one
    transaction) in a loop; it is killed with SIGKILL at varied moments, five times. Every mark
    it said was recorded is either still queued or fully finished, never lost or half done."""
    path = tmp_path / "state.sqlite"
    recorded: set[int] = set()
    finished: set[int] = set()
    start = 0
    for round_ in range(5):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path), str(start)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert child.stdout is not None
        deadline = time.monotonic() + 20
        wanted = 20 + 13 * round_
        while time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                break
            word, number = line.split()
            (recorded if word == "recorded" else finished).add(int(number))
            if len(recorded) - start >= wanted and word == "recorded":
                break
        child.send_signal(signal.SIGKILL)
        # Lines the child wrote before the kill still count as promises.
        for line in child.stdout:
            word, number = line.split()
            (recorded if word == "recorded" else finished).add(int(number))
        child.wait()
        assert child.returncode == -signal.SIGKILL
        start = max(recorded) + 1
    store = SyncStore(path)
    pending = {int(m.entry_id[1:]) for m in store.pending()}
    known = {int(i, 16) for i in store.known()}
    assert recorded, "the child never recorded anything"
    for n in recorded:
        assert (n in pending) != (n in known), n  # queued, or finished: exactly one
    for n in finished:
        assert n in known and n not in pending
    assert {m.value for m in store.pending() if int(m.entry_id[1:]) % 2 == 0} <= {True}
    cursor = store.meta("cursor_ms")
    assert isinstance(cursor, int) and cursor == max(known)
