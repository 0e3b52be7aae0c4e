"""Launch time: `broadsheet` to the first frame showing cached stories, against a bare Textual app.

Each run is a fresh Python process (imports included, as a user pays them), headless via
`run_test`. Broadsheet runs offline on a cache filled once beforehand from the sample edition,
so the figure is "cached stories on screen", not network time. Prints medians and the ratio
(target ≤ 1.5×), and which heavy modules were loaded before that frame (target: none of httpx,
selectolax, lxml).

    python bench/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time

CHILD_BARE = """
import asyncio
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("hello")
async def main():
    app = Bare()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
    print("frame", flush=True)
asyncio.run(main())
"""

CHILD_BROADSHEET = """
import asyncio, sys
from tui.core.session import open_session
from tui.ui.app import BroadsheetApp
from tui.ui.screens.main import MainScreen
async def main():
    session = open_session(sample_only=True, offline=True)
    app = BroadsheetApp(session)
    async with app.run_test(size=(120, 40)) as pilot:
        while not (isinstance(app.screen, MainScreen) and app.screen.rowset.rows):
            await pilot.pause(0.005)
        await pilot.pause()
        heavy = [m for m in ("httpx", "selectolax", "lxml", "feedparser") if m in sys.modules]
    session.close()
    print("frame", ",".join(heavy) or "-", flush=True)
asyncio.run(main())
"""


def _time_child(code: str, env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    ).stdout
    return time.perf_counter() - start, out.strip()


def _fill_cache(env: dict[str, str]) -> None:
    code = (
        "import asyncio\nfrom tui.core.session import open_session\n"
        "s = open_session(sample_only=True)\n"
        "async def go():\n    await s.service.refresh_all()\n    await s.service.aclose()\n"
        "asyncio.run(go())\ns.close()\n"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {
            **os.environ,
            **{f"XDG_{n}_HOME": f"{home}/{n.lower()}" for n in ("CONFIG", "CACHE", "DATA")},
        }
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's install has its bytecode; compile once
        _fill_cache(env)
        _time_child(CHILD_BROADSHEET, env)
        bare, ours, heavy = [], [], ""
        for _ in range(args.runs):  # alternate, so both see the same machine load
            bare.append(_time_child(CHILD_BARE, env)[0])
            seconds, out = _time_child(CHILD_BROADSHEET, env)
            ours.append(seconds)
            heavy = out.split()[-1]
    b, o = statistics.median(bare), statistics.median(ours)
    print(f"{'app':<28}{'median ms':>10}{'min ms':>9}")
    print(f"{'bare Textual app':<28}{b * 1000:>10.0f}{min(bare) * 1000:>9.0f}")
    print(f"{'broadsheet, cached stories':<28}{o * 1000:>10.0f}{min(ours) * 1000:>9.0f}")
    print(f"ratio broadsheet / bare: {o / b:.2f}  (target ≤ 1.5)")
    print(f"heavy modules loaded before the first frame: {heavy}")


if __name__ == "__main__":
    asyncio.run(asyncio.sleep(0))
    main()
