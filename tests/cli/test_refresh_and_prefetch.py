"""`broadsheet refresh` and `broadsheet prefetch` as a user runs them: real processes, real HTTP
on 127.0.0.1, the test's own XDG directories."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults._support import Story, run_cli, serve_site, state_path, write_config
from tests.servers.loopback import LoopbackServer, serve
from tui.core.state import State


@pytest.fixture
def site() -> Iterator[tuple[LoopbackServer, list[Story]]]:
    with serve() as server:
        stories = serve_site(server, 3, 3)
        yield server, stories


def _config(dirs: dict[str, Path], server: LoopbackServer, minutes: dict[int, int]) -> None:
    """Feeds 0..2; `minutes` gives some of them their own refresh_minutes."""
    path = write_config(dirs, [])
    feeds = ""
    for n in range(3):
        feeds += f'\n[[feeds]]\nurl = "{server.url(f"/feed{n}.xml")}"\n'
        if n in minutes:
            feeds += f"refresh_minutes = {minutes[n]}\n"
    path.write_text(path.read_text() + feeds)


def _feed_hits(server: LoopbackServer) -> list[int]:
    return [server.hits(f"/feed{n}.xml") for n in range(3)]


def test_refresh_skips_feeds_not_yet_due_unless_all(
    site: tuple[LoopbackServer, list[Story]], isolated_dirs: dict[str, Path]
) -> None:
    server, _ = site
    _config(isolated_dirs, server, {1: 0, 2: 240})  # feed 1: on demand only

    first = run_cli(isolated_dirs, "refresh")
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("Refreshed 2 of 2 feeds"), first.stdout
    assert "6 new entries, 0 failed, 1 skipped as not due." in first.stdout
    assert _feed_hits(server) == [1, 0, 1]

    again = run_cli(isolated_dirs, "refresh")
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("Refreshed 0 of 0 feeds"), again.stdout
    assert "3 skipped as not due." in again.stdout
    assert server.hits() == 2  # not one request, not even a conditional one

    everything = run_cli(isolated_dirs, "refresh", "--all")
    assert everything.returncode == 0, everything.stderr
    assert everything.stdout.startswith("Refreshed 3 of 3 feeds"), everything.stdout
    assert "0 skipped as not due." in everything.stdout
    assert _feed_hits(server) == [2, 1, 2]


def test_cache_clear_then_prefetch_makes_the_articles_available_offline(
    site: tuple[LoopbackServer, list[Story]], isolated_dirs: dict[str, Path]
) -> None:
    server, stories = site
    _config(isolated_dirs, server, {})
    assert run_cli(isolated_dirs, "refresh").returncode == 0
    cleared = run_cli(isolated_dirs, "cache", "clear")
    assert cleared.returncode == 0 and cleared.stdout.startswith("Cleared "), cleared.stdout

    done = run_cli(isolated_dirs, "prefetch")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Refreshed 3 of 3 feeds"), done.stdout  # the feeds came first
    assert lines[1].startswith("Made 9 articles available offline"), done.stdout
    assert "0 failed" in lines[1]

    server.stop()  # from here on only the cache can answer
    for story in (stories[0], stories[-1]):
        page = run_cli(isolated_dirs, "read", server.url(story.path), "--offline")
        assert page.returncode == 0, page.stderr
        assert story.last_token in page.stdout


def test_prefetch_says_why_when_there_is_nothing_to_do(
    site: tuple[LoopbackServer, list[Story]], isolated_dirs: dict[str, Path]
) -> None:
    server, stories = site
    write_config(isolated_dirs, [])
    none = run_cli(isolated_dirs, "prefetch")
    assert none.returncode == 0, none.stderr
    assert none.stdout == (
        "Nothing to prefetch: no subscriptions (broadsheet add URL subscribes to a feed).\n"
    )

    _config(isolated_dirs, server, {})
    cold = run_cli(isolated_dirs, "prefetch", "--no-refresh")
    assert cold.returncode == 0, cold.stderr
    assert "Nothing to prefetch: no stories in the cache" in cold.stdout
    assert server.hits() == 0  # --no-refresh: the feeds were not asked for

    assert run_cli(isolated_dirs, "prefetch").returncode == 0
    ready = run_cli(isolated_dirs, "prefetch")
    assert ready.returncode == 0, ready.stderr
    assert "Refreshed 0 of 0 feeds" in ready.stdout  # all three were refreshed just now
    assert (
        "Nothing to prefetch: every unread article (9) is already available offline."
        in ready.stdout
    )

    state = State(state_path(isolated_dirs))
    state.set_read(
        (server.url(f"/feed{s.path.split('/')[2]}.xml"), server.url(s.path)) for s in stories
    )
    state.close()
    read = run_cli(isolated_dirs, "prefetch", "--no-refresh")
    assert read.returncode == 0, read.stderr
    assert read.stdout == "Nothing to prefetch: no unread stories.\n"

    offline = run_cli(isolated_dirs, "--offline", "prefetch")
    assert offline.returncode == 1
    assert offline.stderr == (
        "broadsheet: prefetch fetches articles: it cannot run with --offline\n"
    )
