"""Sync speed: 10,000 stories from a real FreshRSS on loopback, cold and with nothing changed.

    .venv/bin/python bench/sync.py [--feeds 20] [--items 500] [--runs 3]
        [--read-percent 0] [--starred-percent 0] [--engine]

Starts FreshRSS from ../shared/servers/freshrss (see tests/servers/freshrss.py) on a free
loopback port and a loopback feed server with `--feeds` RSS feeds of `--items` stories each
(10,000 by default), subscribes FreshRSS to them and has it fetch them (setup, not timed). Then,
`--runs` times, in a fresh child process (so its peak RSS is the sync's own):

  cold        an empty sync store: log in, every subscription, every story (continuation
              pages of 1,000), the unread and starred ids, the merge;
  unchanged   the same store again at once: nothing new on the server.

Each run prints the seconds, the HTTP requests made and the child's peak RSS (ru_maxrss).
Targets: cold <= 10 s, unchanged <= 1 s, peak RSS <= 200 MB.

By default the child times the app's path, `NewsService.sync()` (what `broadsheet sync` and
the app run): a config with a [sync] table, a new cache and state database, the stories
stored in the cache and the marks in State. `--engine` times the engine alone with an
in-memory local side instead.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Collection, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui.core.models import Entry
from tui.core.sync.engine import sync
from tui.core.sync.greader import GReaderClient
from tui.core.sync.items import RemoteFeed
from tui.core.sync.queue import SyncStore

TARGETS = {"cold": 10.0, "unchanged": 1.0}
RSS_TARGET_MB = 200


class BenchLocal:
    def __init__(self) -> None:
        self.stories: dict[tuple[str, str], Entry] = {}
        self.read: set[tuple[str, str]] = set()
        self.starred: set[tuple[str, str]] = set()

    def add_subscriptions(self, subscriptions: Sequence[RemoteFeed]) -> None:
        pass

    def store_stories(self, entries: Sequence[Entry]) -> None:
        for entry in entries:
            self.stories[(entry.feed_url, entry.id)] = entry

    def read_keys(self) -> Collection[tuple[str, str]]:
        return self.read

    def starred_keys(self) -> Collection[tuple[str, str]]:
        return self.starred

    def set_read(self, keys: Sequence[tuple[str, str]], read: bool) -> None:
        (self.read.update if read else self.read.difference_update)(keys)

    def set_starred(self, keys: Sequence[tuple[str, str]], starred: bool) -> None:
        (self.starred.update if starred else self.starred.difference_update)(keys)


async def service_child(api: str, user: str, password: str, folder: str) -> dict[str, object]:
    """Cold and unchanged `NewsService.sync()` with a new cache and state in `folder`."""
    import os

    from tui.core.cache import Cache
    from tui.core.config import parse_config
    from tui.core.service import NewsService
    from tui.core.state import State

    os.environ["BROADSHEET_SYNC_PASSWORD"] = password
    text = f'[sync]\nurl = "{api}"\nuser = "{user}"\n'
    config, errors = parse_config(text, Path(folder) / "config.toml")
    assert not errors, errors
    service = NewsService(config, Cache(Path(folder) / "cache"), State(Path(folder) / "state.db"))
    out: dict[str, object] = {}
    for name in ("cold", "unchanged"):
        started = time.perf_counter()
        summary = await service.sync()
        out[name] = {
            "seconds": time.perf_counter() - started,
            "requests": summary.requests,
            "new": summary.new_stories,
            "received": summary.marks_received,
            "bytes": 0,
        }
    started = time.perf_counter()
    out["stories"] = len(await asyncio.to_thread(service.stories))
    out["list_seconds"] = time.perf_counter() - started
    out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    service.close_sync()
    return out


async def child(api: str, user: str, password: str, folder: str) -> dict[str, object]:
    store = SyncStore(Path(folder) / "state.sqlite")
    local = BenchLocal()
    out: dict[str, object] = {}
    for name in ("cold", "unchanged"):
        async with GReaderClient(api, user, password) as client:
            started = time.perf_counter()
            summary = await sync(client, store, local, account="bench")
            out[name] = {
                "seconds": time.perf_counter() - started,
                "requests": summary.requests,
                "new": summary.new_stories,
                "received": summary.marks_received,
                "bytes": client.bytes_read,
            }
    out["stories"] = len(local.stories)
    out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--read-percent", type=int, default=0, help="stories read on the server before the runs"
    )
    parser.add_argument(
        "--starred-percent", type=int, default=0, help="stories starred on the server"
    )
    parser.add_argument(
        "--engine", action="store_true", help="time the engine alone (an in-memory local side)"
    )
    parser.add_argument(
        "--child", nargs=4, metavar=("API", "USER", "PASSWORD", "DIR"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        work = child if args.engine else service_child
        print(json.dumps(asyncio.run(work(*args.child))))
        return 0

    from tests.servers.freshrss import FreshRSS, freshrss_script
    from tests.servers.loopback import serve

    script = freshrss_script()
    if script is None:
        print("bench/sync.py: ../shared/servers/freshrss is not there; nothing measured")
        return 1
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp, serve() as feeds:
        server = FreshRSS(script, Path(tmp) / "freshrss", feeds)
        try:
            server.clear()
            total = args.feeds * args.items
            print(
                f"Setting up: {args.feeds} feeds x {args.items} stories = {total} on FreshRSS at {server.url}"
            )
            started = time.perf_counter()
            loop_feeds = [server.new_feed(args.items) for _ in range(args.feeds)]

            async def subscribe() -> int:
                async with server.client() as client:
                    for feed in loop_feeds:
                        await client.subscribe(feed.url)
                    server.refresh()
                    ids = sorted(await client.item_ids())
                    read = ids[: len(ids) * args.read_percent // 100]
                    starred = ids[: len(ids) * args.starred_percent // 100]
                    for start in range(0, len(read), 1000):
                        await client.set_read(read[start : start + 1000])
                    for start in range(0, len(starred), 1000):
                        await client.set_starred(starred[start : start + 1000])
                    return len(ids)

            on_server = asyncio.run(subscribe())
            print(
                f"  FreshRSS holds {on_server} stories, {args.read_percent}% read, "
                f"{args.starred_percent}% starred (setup {time.perf_counter() - started:.1f} s)"
            )
            results: dict[str, list[float]] = {"cold": [], "unchanged": []}
            rss: list[float] = []
            for run in range(1, args.runs + 1):
                with tempfile.TemporaryDirectory(prefix="bench-sync-store-") as folder:
                    out = subprocess.run(
                        [
                            sys.executable,
                            __file__,
                            "--child",
                            server.api,
                            server.user,
                            server.password,
                            folder,
                            *(["--engine"] if args.engine else []),
                        ],
                        capture_output=True,
                        text=True,
                        check=True,
                    )
                data = json.loads(out.stdout)
                for name in ("cold", "unchanged"):
                    row = data[name]
                    results[name].append(row["seconds"])
                    print(
                        f"  run {run} {name:<9} {row['seconds']:6.2f} s  {row['requests']:3d} requests  "
                        f"{row['new']:6d} new"
                        + (f"  {row['bytes'] / 2**20:6.1f} MiB read" if row["bytes"] else "")
                    )
                rss.append(data["maxrss_mb"])
                listed = (
                    f", listed in {data['list_seconds']:.2f} s" if "list_seconds" in data else ""
                )
                print(
                    f"  run {run} stories kept {data['stories']}{listed}, "
                    f"peak RSS {data['maxrss_mb']:.0f} MB"
                )
            ok = True
            for name, target in TARGETS.items():
                median = statistics.median(results[name])
                verdict = "ok" if median <= target else "OVER"
                ok &= median <= target
                print(f"{name:<9} median {median:.2f} s (target <= {target:g} s) {verdict}")
            peak = max(rss)
            ok &= peak <= RSS_TARGET_MB
            print(
                f"peak RSS  {peak:.0f} MB (target <= {RSS_TARGET_MB} MB) {'ok' if peak <= RSS_TARGET_MB else 'OVER'}"
            )
            return 0 if ok else 1
        finally:
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
