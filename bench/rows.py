"""The rows behind the story list: `build_rows` at 100,000 stories.

`tui.ui.rows.build_rows` turns the feeds into the list's rows. The app runs it in a worker thread
on every search keystroke and every change of view, so at 100,000 stories its time is how long a
keystroke takes to show its result, and (Python threads sharing one interpreter) how much the
UI thread has to wait meanwhile.

Generated data: 500 feeds of 200 stories with titles, summaries and dates, a third of them read.
The loaded feeds are frozen out of the garbage collector's scans first, as the app does after
its first frame. Prints the median of --runs runs for: every story, the unread view, a search
that matches most stories, and one that matches none.

    python bench/rows.py [--stories 100000] [--runs 5] [--tree DIR]

`--tree DIR` runs the same measurements on another checkout (a directory holding `tui`), in
a child process, for a before/after figure side by side.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = [
    *("council", "budget", "vote", "river", "flood", "school", "music", "review", "market"),
    *("rates", "energy", "ministry", "festival", "rail", "strike", "museum", "election"),
    *("court", "ruling", "climate", "report"),
]
CASES: dict[str, dict[str, str]] = {
    "every story": {},
    "unread view": {"view": "unread"},
    "search, most match": {"query": "vote"},
    "search, none match": {"query": "zzz"},
}


def measure(stories: int, runs: int) -> dict[str, float]:
    """Median seconds of build_rows per case, with the `tui` first on sys.path."""
    from tui.core.config import Subscription
    from tui.core.models import Entry, Feed
    from tui.core.service import FeedStatus
    from tui.ui.rows import build_rows

    random.seed(1)
    per_feed = 200
    statuses = []
    for number in range(max(1, stories // per_feed)):
        url = f"https://feed{number}.example/rss"
        entries = tuple(
            Entry(
                id=f"{number}-{i}",
                feed_url=url,
                title=" ".join(random.choices(WORDS, k=8)),
                url=f"https://feed{number}.example/a/{i}",
                published=f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00+00:00",
                summary=" ".join(random.choices(WORDS, k=30)),
            )
            for i in range(per_feed)
        )
        statuses.append(FeedStatus(Subscription(url), Feed(url, f"Feed {number}", entries=entries)))
    read = {(s.subscription.url, e.id) for s in statuses if s.feed for e in s.feed.entries[::3]}
    gc.collect()
    gc.freeze()
    results = {}
    for name, options in CASES.items():
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            build_rows(statuses, read, [], **options)  # type: ignore[arg-type]
            times.append(time.perf_counter() - start)
        results[name] = statistics.median(times)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tree", metavar="DIR")
    parser.add_argument("--child", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, args.child)
        print(json.dumps(measure(args.stories, args.runs)))
        return

    def run(tree: Path) -> dict[str, float]:
        command = [sys.executable, __file__, "--child", str(tree)]
        out = subprocess.run(
            [*command, "--stories", str(args.stories), "--runs", str(args.runs)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
        return result

    ours = run(ROOT)
    other = run(Path(args.tree).resolve()) if args.tree else None
    print(f"build_rows at {args.stories:,} stories, median of {args.runs} runs, ms")
    header = f"{'':<24}{'this tree':>12}"
    if other is not None:
        header += f"{Path(args.tree).name:>14}{'ratio':>10}"
    print(header)
    for name, seconds in ours.items():
        line = f"{name:<24}{seconds * 1000:>12.1f}"
        if other is not None:
            line += f"{other[name] * 1000:>14.1f}{other[name] / seconds:>9.1f}x"
        print(line)


if __name__ == "__main__":
    main()
