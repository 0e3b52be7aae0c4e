"""`kill -9` of `broadsheet refresh` and `broadsheet prefetch` at random moments.

Afterwards the user's state is exactly what was written before, the cache opens without a
notice, and `broadsheet read URL --offline` either prints the whole article or fails with one
line: a kill may lose work, but must never leave something half-written that gets served.
"""

from __future__ import annotations

import dataclasses
import random
import signal
import subprocess
import time
from pathlib import Path

from tests.faults._support import (
    build_site,
    cache_dir,
    child_env,
    command,
    run_cli,
    state_path,
    state_rows,
    write_config,
)
from tests.servers.loopback import serve
from tui.core.cache import Cache
from tui.core.config import Config
from tui.core.models import Entry
from tui.core.service import NewsService
from tui.core.state import State

FEEDS, ITEMS, KILLS = 20, 20, 20


def _write_state(path: Path, base: str) -> None:
    state = State(path)
    assert state.notice is None
    state.set_read([(f"{base}/feed0.xml", f"{base}/a/0/{i}.html") for i in range(5)])
    state.set_starred(Entry(f"{base}/a/1/0.html", f"{base}/feed1.xml", "Starred one"))
    state.set_position(f"{base}/a/2/0.html", 0.5)
    state.close()


def test_kill_9_leaves_state_intact_and_nothing_half_written(
    isolated_dirs: dict[str, Path],
) -> None:
    rng = random.Random(20261129)
    with serve() as server:
        routes, stories = build_site(str(server), FEEDS, ITEMS)
        for path, route in routes.items():
            # slow pages: every prefetch still has work to do when its kill comes
            slow = path.startswith("/a/")
            server.route(path, dataclasses.replace(route, delay=0.03) if slow else route)
        write_config(isolated_dirs, [server.url(f"/feed{f}.xml") for f in range(FEEDS)])
        _write_state(state_path(isolated_dirs), str(server))
        before = state_rows(state_path(isolated_dirs))
        assert before["read"] and before["starred"] and before["positions"]

        # one whole refresh first, so every prefetch has entries to work through
        assert run_cli(isolated_dirs, "refresh").returncode == 0
        env = child_env(isolated_dirs)
        finished = 0
        for n in range(KILLS):
            verb = "refresh" if n % 3 == 0 else "prefetch"
            seen = server.hits()
            child = subprocess.Popen(
                command(verb), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
            # start the random delay once the child's first request arrives, so that the kill
            # lands inside its work however slow the interpreter's start-up is on this machine
            deadline = time.monotonic() + 20
            while server.hits() == seen and child.poll() is None and time.monotonic() < deadline:
                time.sleep(0.005)
            time.sleep(rng.uniform(0.0, 0.25) if verb == "prefetch" else rng.uniform(0.0, 0.1))
            if child.poll() is None:
                child.send_signal(signal.SIGKILL)
            else:
                finished += 1
            _, err = child.communicate(timeout=30)
            assert b"Traceback" not in err, err.decode(errors="replace")
        # at least most runs must really have been killed, or this test tests nothing
        assert finished < KILLS // 2, f"{finished} of {KILLS} runs ended before the kill"

    # The server is gone: from here on only the cache can answer.
    assert state_rows(state_path(isolated_dirs)) == before
    cache = Cache(cache_dir(isolated_dirs))
    assert cache.notice is None
    service = NewsService(Config(), cache, State(state_path(isolated_dirs)), offline=True)
    try:
        cached = 0
        for story in stories:
            article = service.cached_article(f"{server}{story.path}")
            if article is not None:
                cached += 1
                assert story.last_token in article.text, story.path
        print(f"{cached} of {len(stories)} cached, {finished} runs unkilled")
        assert cached > 0  # the kills did not stop every prefetch from storing something
    finally:
        service.state.close()
        cache.close()

    # The real command, for a sample of URLs (cached and not)
    for story in rng.sample(stories, 5):
        url = f"{server}{story.path}"
        done = run_cli(isolated_dirs, "read", url, "--offline")
        if done.returncode == 0:
            assert story.last_token in done.stdout
            assert done.stderr == ""
        else:
            assert done.returncode == 1
            assert done.stdout == ""
            assert len(done.stderr.strip().splitlines()) == 1, done.stderr
            assert "Traceback" not in done.stderr
