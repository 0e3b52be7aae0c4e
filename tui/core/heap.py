"""The cyclic garbage collector: paused (nesting, from any thread) while big batches of
short-lived containers are built (rows, rules), and frozen out of at start-up."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_pause_lock = threading.Lock()
_pauses = 0
_resume = False  # turn the collector back on when the last pause ends


_start_up_heap_frozen = False


def freeze_start_up_heap() -> None:
    """Take the objects alive now out of the cyclic garbage collector's scans, and turn the
    collector on (`broadsheet` starts with it off): at once, or, when a collector pause is
    under way (a row build in a thread), as that pause ends. Called after the first frame;
    freezes once per process.

    By then the imports and Textual's start-up have left hundreds of thousands of long-lived
    objects (modules, classes, functions, CSS, widgets). Collecting while they were being made
    cost about a tenth of the launch, and the first full collection afterwards fell inside a
    frame and cost more than the frame (both measured by bench/startup.py); later ones would
    land on a key press. Frozen objects are still freed by reference counting; only cycles
    among them are never collected, and start-up objects live as long as the process anyway.
    """
    global _start_up_heap_frozen, _resume
    if not _start_up_heap_frozen:
        _start_up_heap_frozen = True
        gc.freeze()
    with _pause_lock:
        if _pauses:
            _resume = True  # a pause is under way (a row build): on when the last one ends
        else:
            gc.enable()


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic collections inside (any thread; pauses nest): for making many acyclic
    objects at once. The collector scans everything it tracks each time, and a run that makes
    100,000 objects triggers it several times over (bench/rows.py); the objects are freed by
    reference counting as usual."""
    global _pauses, _resume
    with _pause_lock:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _resume:
                gc.enable()
