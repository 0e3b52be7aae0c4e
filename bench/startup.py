"""Launch time: `broadsheet` to the first frame showing cached stories, against a bare Textual app.

Each run is a fresh Python process (interpreter start and imports included, as a user pays
them), headless via `run_test`; the two apps alternate so both see the same machine load.
Broadsheet runs offline on a cache filled once beforehand from the sample edition, so the
figure is "cached stories on screen", not network time. Each child hooks the app's display and
notes the moment of its first frame (for Broadsheet: the first frame painted with stories in
the list), then waits until Textual is idle (`pilot.pause()`: the follow-up paints, such as the
status line, are done) and notes that too, both on the system-wide monotonic clock, so neither
figure includes shutting down.

Prints medians and ratios of medians: launch to first frame (the target: ≤ 1.5×), to idle, the
whole process (launch, frame and exit), and the CPU time the whole process used; and which heavy
modules were loaded before the frame (target: none of httpx, selectolax, lxml, feedparser, nor
Pillow and textual-image (no terminal to ask here: they wait for the first picture), nor the
rules' engine (no rules in the sample edition)).

    python bench/startup.py [--runs 11] [--tree DIR ...]

`--tree DIR` adds another checkout of Broadsheet (a directory holding a `tui` package, e.g. a
copy with a proposed change) to the same interleaved runs, for a side-by-side figure.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

# Loaded before the first frame, each costs ~10-20 ms that the first frame does not need.
HEAVY = ("httpx", "selectolax", "lxml", "feedparser", "PIL", "textual_image", "tui.core.rules")

CHILD_BARE = """
import asyncio, time
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("hello")
async def main():
    app = Bare()
    frames = []
    display = app._display
    def hook(screen, update):
        display(screen, update)
        if update is not None and not frames:
            frames.append(time.monotonic())
    app._display = hook
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        print("frame", frames[0], time.monotonic(), "-", flush=True)
asyncio.run(main())
"""

CHILD_BROADSHEET = f"""
import gc; gc.disable()  # as `broadsheet` does first (tui.cli._run_app); on after the first frame
import asyncio, sys, time
from tui.core.session import open_session
from tui.ui.app import BroadsheetApp
from tui.ui.screens.main import MainScreen
async def main():
    session = open_session(sample_only=True, offline=True)
    app = BroadsheetApp(session)
    frames = []
    display = app._display
    def hook(screen, update):  # the first frame painted with stories in the list
        display(screen, update)
        if update is not None and not frames and isinstance(screen, MainScreen):
            if getattr(screen, "stories_pane", screen).rowset.rows:  # older trees: screen.rowset
                frames.append(time.monotonic())
    app._display = hook
    async with app.run_test(size=(120, 40)) as pilot:
        deadline = time.monotonic() + 60
        while not frames:
            if time.monotonic() > deadline:
                sys.exit("no cached stories on screen after 60 s")
            await pilot.pause(0.005)
        await pilot.pause()
        idle = time.monotonic()
        heavy = [m for m in {HEAVY!r} if m in sys.modules]
        print("frame", frames[0], idle, ",".join(heavy) or "-", flush=True)
    session.close()
asyncio.run(main())
"""


@dataclass
class Runs:
    """Seconds per run: launch to first frame, to idle after it, whole process, its CPU."""

    frame: list[float] = field(default_factory=list)
    idle: list[float] = field(default_factory=list)
    total: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    heavy: str = ""

    def add(self, code: str, env: dict[str, str], cwd: str | None = None) -> None:
        """One fresh process; `cwd` first on its path (`-c`), so its `tui` package is the one run."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.monotonic()  # CLOCK_MONOTONIC: the same clock in the child
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env=env,
            check=True,
            cwd=cwd,
        ).stdout
        end = time.monotonic()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        _, frame_at, idle_at, self.heavy = next(
            line.split() for line in out.splitlines() if line.startswith("frame ")
        )
        self.frame.append(float(frame_at) - start)
        self.idle.append(float(idle_at) - start)
        self.total.append(end - start)
        self.cpu.append(
            after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime,
        )


def _fill_cache(env: dict[str, str]) -> None:
    code = (
        "import asyncio\nfrom tui.core.session import open_session\n"
        "s = open_session(sample_only=True)\n"
        "async def go():\n    await s.service.refresh_all()\n    await s.service.aclose()\n"
        "asyncio.run(go())\ns.close()\n"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--tree", action="append", default=[], metavar="DIR")
    args = parser.parse_args()
    trees: list[tuple[str, str | None]] = [("broadsheet, cached stories", None)]
    trees += [(os.path.basename(os.path.abspath(t)), os.path.abspath(t)) for t in args.tree]
    with tempfile.TemporaryDirectory() as home:
        env = {
            **os.environ,
            **{f"XDG_{n}_HOME": f"{home}/{n.lower()}" for n in ("CONFIG", "CACHE", "DATA")},
        }
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's install has its bytecode; compile once
        _fill_cache(env)
        for _, cwd in trees:  # writes the bytecode of anything edited since
            Runs().add(CHILD_BROADSHEET, env, cwd)
        Runs().add(CHILD_BARE, env)
        bare, ours = Runs(), [Runs() for _ in trees]
        for _ in range(args.runs):  # alternate, so all see the same machine load
            bare.add(CHILD_BARE, env)
            for runs, (_, cwd) in zip(ours, trees, strict=True):
                runs.add(CHILD_BROADSHEET, env, cwd)
    med = statistics.median
    print(f"{args.runs} runs each, alternating; milliseconds, median (min)")
    columns = ("to first frame", "to idle", "whole process", "CPU, whole")
    print(f"{'':<28}" + "".join(f"{column:>16}" for column in columns))
    rows = [("bare Textual app", bare)] + [
        (name, runs) for (name, _), runs in zip(trees, ours, strict=True)
    ]
    for name, runs in rows:
        cells = [
            f"{med(xs) * 1000:.0f} ({min(xs) * 1000:.0f})"
            for xs in (runs.frame, runs.idle, runs.total, runs.cpu)
        ]
        print(f"{name[:27]:<28}" + "".join(f"{cell:>16}" for cell in cells))
    for (name, _), runs in zip(trees, ours, strict=True):
        ratios = [
            med(o) / med(b)
            for o, b in (
                (runs.frame, bare.frame),
                (runs.idle, bare.idle),
                (runs.total, bare.total),
                (runs.cpu, bare.cpu),
            )
        ]
        print(f"{'ratio / bare: ' + name:<28.28}" + "".join(f"{r:>16.2f}" for r in ratios))
    print(
        f"launch to first frame: {med(ours[0].frame) / med(bare.frame):.2f}× the bare app (target ≤ 1.5)"
    )
    for (name, _), runs in zip(trees, ours, strict=True):
        print(f"heavy modules loaded before the first frame, {name}: {runs.heavy}")


if __name__ == "__main__":
    main()
