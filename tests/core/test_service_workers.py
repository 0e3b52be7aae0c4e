"""Worker processes (tui/core/workers.py): the same results as threads, from other processes.

Each test forks its workers first, before its loopback server starts a thread, as the CLI does.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.servers.loopback import Route, serve
from tui.core.cache import Cache
from tui.core.config import Config, Settings, Subscription
from tui.core.service import NewsService
from tui.core.state import State
from tui.core.workers import Workers

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork workers")


@pytest.fixture
def workers() -> Iterator[Workers]:
    pool = Workers(2)
    yield pool
    pool.close()


def _feed(name: str, items: range) -> bytes:
    body = "".join(
        f"<item><title>{name} {n}</title><link>/{name}/{n}.html</link><guid>{name}{n}</guid>"
        f"<pubDate>Tue, {n:02d} May 2025 10:00:00 +0000</pubDate>"
        f"<description>About {name} {n}</description></item>"
        for n in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{name}</title>{body}</channel></rss>'.encode()


def _page(token: str) -> bytes:
    words = " ".join(["The harbour council met again to talk about the winter budget."] * 8)
    paragraphs = "".join(f"<p>{words} Part {n}.</p>" for n in range(5))
    return (
        f"<!doctype html><html><head><title>{token}</title></head><body><nav>Home</nav>"
        f"<article><h1>{token}</h1>{paragraphs}<p>The end, {token}.</p></article></body></html>"
    ).encode()


def _where(cache: Cache, name: str) -> tuple[int, Any]:
    return os.getpid(), cache.get_json("probe", name)


def _die_in_a_worker(cache: Cache, parent: int) -> str:
    if os.getpid() != parent:
        os._exit(3)  # what a crash in a C extension looks like from outside
    return "done in the parent"


async def test_jobs_run_in_other_processes_on_the_same_cache(
    workers: Workers, tmp_path: Path
) -> None:
    cache = Cache(tmp_path / "c")
    cache.set_json("probe", "k", {"written": "by the parent"})
    results = await asyncio.gather(*(workers.run(_where, cache, "k") for _ in range(6)))
    assert all(pid != os.getpid() for pid, _ in results)
    assert all(value == {"written": "by the parent"} for _, value in results)


async def test_refresh_in_workers_stores_what_threads_store(
    workers: Workers, tmp_path: Path
) -> None:
    routes = {
        "/a.xml": Route(_feed("a", range(1, 6)), etag='"a1"'),
        "/b.xml": Route(_feed("b", range(1, 9)), etag='"b1"'),
        "/page.xml": Route(
            b"<!doctype html><html><body>hi</body></html>", content_type="text/html"
        ),
    }
    with serve(routes) as server:
        subs = tuple(Subscription(server.url(path)) for path in routes)
        config = Config(Settings(), subs)
        forked = NewsService(
            config, Cache(tmp_path / "w"), State(tmp_path / "w.db"), workers=workers
        )
        threaded = NewsService(config, Cache(tmp_path / "t"), State(tmp_path / "t.db"))
        try:
            in_workers = await forked.refresh_all(keep_feeds=False)
            in_threads = await threaded.refresh_all(keep_feeds=False)
            again = await forked.refresh_all()  # 304s: the stored copies, as the app reads them
        finally:
            await forked.aclose()
            await threaded.aclose()
    assert in_workers.new_entries == in_threads.new_entries == 13
    for sub in subs[:2]:
        assert forked.cache.get_json("feed", sub.url) == threaded.cache.get_json("feed", sub.url)
    # an error raised on purpose in a worker arrives with its plain reason
    errors = [[s.error for s in report.statuses] for report in (in_workers, in_threads)]
    assert errors[0] == errors[1] == [None, None, "not a feed (looks like an HTML page)"]
    titles = [[e.title for e in s.feed.entries] for s in again.statuses[:2] if s.feed]
    assert titles == [[f"a {n}" for n in range(5, 0, -1)], [f"b {n}" for n in range(8, 0, -1)]]


async def test_prefetch_in_workers_makes_pages_readable_offline(
    workers: Workers, tmp_path: Path
) -> None:
    routes = {f"/s/{n}.html": Route(_page(f"TOKEN{n}"), content_type="text/html") for n in range(6)}
    with serve(routes) as server:
        urls = [server.url(path) for path in routes] + [server.url("/missing.html")]
        service = NewsService(
            Config(), Cache(tmp_path / "c"), State(tmp_path / "s.db"), workers=workers
        )
        try:
            fetched, failures = await service.prefetch(urls)
            again = await service.prefetch(urls)  # nothing left to do but the missing page
        finally:
            await service.aclose()
    assert fetched == 6 and failures == [(server.url("/missing.html"), "HTTP 404")]
    assert again == (0, failures)
    offline = NewsService(Config(), service.cache, service.state, offline=True)
    for n, url in enumerate(urls[:6]):
        article = offline.cached_article(url)
        assert article is not None and f"The end, TOKEN{n}." in article.text


async def test_a_worker_that_dies_costs_speed_not_work(workers: Workers, tmp_path: Path) -> None:
    service = NewsService(
        Config(), Cache(tmp_path / "c"), State(tmp_path / "s.db"), workers=workers
    )
    assert await service._offload(_die_in_a_worker, os.getpid()) == "done in the parent"
    assert await service._offload(_die_in_a_worker, os.getpid()) == "done in the parent"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is dead
    except OSError:
        return False


def test_workers_die_with_their_parent() -> None:
    code = (
        "import sys, time\n"
        "from tui.core.workers import Workers\n"
        "pool = Workers(2)\n"
        "print(*pool._pool._processes, flush=True)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    pids = [int(pid) for pid in parent.stdout.readline().split()]
    assert len(pids) == 2 and all(_alive(pid) for pid in pids)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not any(_alive(pid) for pid in pids)
