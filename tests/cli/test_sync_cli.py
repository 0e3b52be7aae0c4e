"""`broadsheet sync`, `stories` and `mark` as a user runs them, against a real FreshRSS on
127.0.0.1 (tests/servers/freshrss.py: skipped without ../shared or PHP, failing in CI), in
child processes that see only the test's XDG directories."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from tests.faults._support import run_cli, write_config
from tests.servers.freshrss import FreshRSS, freshrss_fixture, loop_feeds_fixture  # noqa: F401
from tui.core.sync.items import READING_LIST

pytestmark = pytest.mark.timeout(300)


def _config(dirs: dict[str, Path], server: FreshRSS, password: str) -> Path:
    """A config with a [sync] table whose password command reads a file (as `pass` would)."""
    path = write_config(dirs, [])
    secret = dirs["config"].parent / "password.txt"
    secret.write_text(password + "\n")
    path.write_text(
        path.read_text()
        + f'\n[sync]\nkind = "greader"\nurl = "{server.api}"\nuser = "{server.user}"\n'
        + f'password_command = ["cat", "{secret}"]\n'
    )
    return path


def _stories(dirs: dict[str, Path], *args: str) -> dict[str, dict[str, Any]]:
    done = run_cli(dirs, "stories", "--format", "json", *args)
    assert done.returncode == 0, done.stderr
    return {story["url"]: story for story in json.loads(done.stdout)}


def _server_ids(server: FreshRSS) -> dict[str, str]:
    """Article URL -> item id, as the server has them."""

    async def run() -> dict[str, str]:
        found = {}
        async with server.client() as client:
            async for page in client.stream(READING_LIST):
                found.update({item.url: item.id for item in page if item.url})
        return found

    return asyncio.run(run())


def _server_state(server: FreshRSS) -> tuple[set[str], set[str]]:
    async def run() -> tuple[set[str], set[str]]:
        async with server.client() as client:
            return await client.unread_ids(), await client.starred_ids()

    return asyncio.run(run())


def _on_phone(server: FreshRSS, read: list[str] = (), star: list[str] = ()) -> None:  # type: ignore[assignment]
    """Another client of the same account marks items (ids)."""

    async def run() -> None:
        async with server.client() as client:
            if read:
                await client.set_read(read)
            if star:
                await client.set_starred(star)

    asyncio.run(run())


def test_first_sync_then_marks_and_stars_both_ways(
    loop_feeds: FreshRSS, isolated_dirs: dict[str, Path]
) -> None:
    feed = loop_feeds.new_feed(4)

    async def subscribe() -> None:
        async with loop_feeds.client() as client:
            await client.subscribe(feed.url, title="Loop", folder="News")

    asyncio.run(subscribe())
    loop_feeds.refresh()
    _config(isolated_dirs, loop_feeds, loop_feeds.password)
    links = [link for _, link in feed.stories]

    first = run_cli(isolated_dirs, "sync")
    assert first.returncode == 0, first.stderr
    assert first.stdout == "Synced 1 feed: 4 new stories, 0 marks sent, 0 received.\n"
    assert loop_feeds.password not in first.stdout + first.stderr
    listed = run_cli(isolated_dirs, "list")
    assert listed.returncode == 0
    assert listed.stdout == f"[News] Loop  {feed.url}  (from the sync server)\n"
    assert "[[feeds]]" not in (isolated_dirs["config"] / "broadsheet" / "config.toml").read_text()
    # The feed is read through the server: never fetched directly.
    hits = loop_feeds.feeds.hits(f"/{feed.name}.xml")
    assert run_cli(isolated_dirs, "refresh", "--all").returncode == 0
    shown = run_cli(isolated_dirs, "feed", feed.url, "--format", "json")
    assert shown.returncode == 0, shown.stderr
    assert len(json.loads(shown.stdout)["entries"]) == 4
    assert loop_feeds.feeds.hits(f"/{feed.name}.xml") == hits
    stories = _stories(isolated_dirs)
    assert set(stories) == set(links)
    assert {s["feed_url"] for s in stories.values()} == {feed.url}
    assert not any(s["read"] or s["starred"] or s["offline"] for s in stories.values())

    # Here: read 0, star 1 (by URL, no network). There: read 2, star 3.
    assert run_cli(isolated_dirs, "mark", "read", links[0]).returncode == 0
    assert run_cli(isolated_dirs, "mark", "star", links[1]).returncode == 0
    ids = _server_ids(loop_feeds)
    _on_phone(loop_feeds, read=[ids[links[2]]], star=[ids[links[3]]])
    second = run_cli(isolated_dirs, "sync")
    assert second.returncode == 0, second.stderr
    assert second.stdout == "Synced 1 feed: 0 new stories, 2 marks sent, 2 received.\n"
    unread, starred = _server_state(loop_feeds)
    assert ids[links[0]] not in unread and ids[links[2]] not in unread
    assert ids[links[1]] in unread and ids[links[3]] in unread
    assert starred == {ids[links[1]], ids[links[3]]}
    stories = _stories(isolated_dirs)
    assert [stories[link]["read"] for link in links] == [True, False, True, False]
    assert [stories[link]["starred"] for link in links] == [False, True, False, True]
    assert set(_stories(isolated_dirs, "--starred")) == {links[1], links[3]}
    assert set(_stories(isolated_dirs, "--unread")) == {links[1], links[3]}

    # And back: unread 0 and unstar 3 here.
    assert run_cli(isolated_dirs, "mark", "unread", links[0]).returncode == 0
    assert run_cli(isolated_dirs, "mark", "unstar", links[3]).returncode == 0
    third = run_cli(isolated_dirs, "sync")
    assert third.stdout == "Synced 1 feed: 0 new stories, 2 marks sent, 0 received.\n"
    unread, starred = _server_state(loop_feeds)
    assert ids[links[0]] in unread and starred == {ids[links[1]]}


def test_marks_made_while_the_server_is_down_are_sent_when_it_is_back(
    loop_feeds: FreshRSS, isolated_dirs: dict[str, Path]
) -> None:
    feed = loop_feeds.new_feed(3)

    async def subscribe() -> None:
        async with loop_feeds.client() as client:
            await client.subscribe(feed.url)

    asyncio.run(subscribe())
    loop_feeds.refresh()
    _config(isolated_dirs, loop_feeds, loop_feeds.password)
    assert run_cli(isolated_dirs, "sync").returncode == 0
    links = [link for _, link in feed.stories]
    loop_feeds.stop()
    try:
        marked = run_cli(isolated_dirs, "mark", "read", links[0], links[1])
        assert marked.returncode == 0 and marked.stdout == "Marked 2 stories read.\n"
        assert run_cli(isolated_dirs, "mark", "star", links[2]).returncode == 0
        down = run_cli(isolated_dirs, "sync")
        assert down.returncode == 1 and down.stdout == ""
        assert len(down.stderr.splitlines()) == 1, down.stderr
        assert "cannot connect" in down.stderr
        stories = _stories(isolated_dirs)  # offline, the marks are there
        assert [stories[link]["read"] for link in links] == [True, True, False]
        assert stories[links[2]]["starred"]
    finally:
        loop_feeds.restart()
    back = run_cli(isolated_dirs, "sync")
    assert back.returncode == 0, back.stderr
    assert back.stdout == "Synced 1 feed: 0 new stories, 3 marks sent, 0 received.\n"
    ids = _server_ids(loop_feeds)
    unread, starred = _server_state(loop_feeds)
    assert unread == {ids[links[2]]} and starred == {ids[links[2]]}
    again = run_cli(isolated_dirs, "sync")
    assert again.stdout == "Synced 1 feed: 0 new stories, 0 marks sent, 0 received.\n"


def test_adding_and_removing_a_subscription_changes_the_server(
    loop_feeds: FreshRSS, isolated_dirs: dict[str, Path]
) -> None:
    feed = loop_feeds.new_feed(2)
    _config(isolated_dirs, loop_feeds, loop_feeds.password)
    added = run_cli(isolated_dirs, "add", feed.url, "--folder", "Tech")
    assert added.returncode == 0, added.stderr
    assert added.stderr == ""  # the server took it: no notice

    async def followed() -> dict[str, tuple[str, ...]]:
        async with loop_feeds.client() as client:
            return {s.url: s.folders for s in await client.subscriptions()}

    assert asyncio.run(followed()) == {feed.url: ("Tech",)}
    loop_feeds.refresh()
    synced = run_cli(isolated_dirs, "sync")
    assert synced.stdout == "Synced 1 feed: 2 new stories, 0 marks sent, 0 received.\n"
    assert set(_stories(isolated_dirs, "--feed", feed.url)) == {link for _, link in feed.stories}

    removed = run_cli(isolated_dirs, "remove", feed.url)
    assert removed.returncode == 0 and removed.stderr == "", removed.stderr
    assert asyncio.run(followed()) == {}

    # A feed only the server follows (added on the phone) can be removed here too.
    other = loop_feeds.new_feed(1)

    async def phone_adds() -> None:
        async with loop_feeds.client() as client:
            await client.subscribe(other.url)

    asyncio.run(phone_adds())
    assert run_cli(isolated_dirs, "sync").returncode == 0
    assert run_cli(isolated_dirs, "remove", other.url).returncode == 0
    assert asyncio.run(followed()) == {}


def test_a_subscription_change_while_the_server_is_down_is_sent_at_the_next_sync(
    loop_feeds: FreshRSS, isolated_dirs: dict[str, Path]
) -> None:
    feed = loop_feeds.new_feed(1)
    _config(isolated_dirs, loop_feeds, loop_feeds.password)
    loop_feeds.stop()
    try:
        added = run_cli(isolated_dirs, "add", feed.url)
        assert added.returncode == 0, added.stderr  # the local change is kept...
        assert "could not be reached" in added.stderr and "next sync" in added.stderr
    finally:
        loop_feeds.restart()
    assert run_cli(isolated_dirs, "sync").returncode == 0

    async def followed() -> list[str]:
        async with loop_feeds.client() as client:
            return [s.url for s in await client.subscriptions()]

    assert asyncio.run(followed()) == [feed.url]  # ...and sent once the server is back


def test_a_wrong_password_is_one_line_and_never_printed(
    loop_feeds: FreshRSS, isolated_dirs: dict[str, Path]
) -> None:
    _config(isolated_dirs, loop_feeds, "wrong-Secret-4711")
    done = run_cli(isolated_dirs, "sync")
    assert done.returncode == 1 and done.stdout == ""
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert "refused the user name or password" in done.stderr
    assert "wrong-Secret-4711" not in done.stderr


def test_sync_without_a_usable_sync_table_is_one_line(isolated_dirs: dict[str, Path]) -> None:
    path = write_config(isolated_dirs, [])
    unset = run_cli(isolated_dirs, "sync")
    assert unset.returncode == 1 and unset.stdout == ""
    assert (
        unset.stderr
        == f"broadsheet: {path}: sync is not set up: add a [sync] table to the config (see README, Sync)\n"
    )
    path.write_text(path.read_text() + '\n[sync]\nurl = "ftp://x.test/api"\nuser = "a"\n')
    bad = run_cli(isolated_dirs, "sync")
    assert bad.returncode == 1 and bad.stdout == ""
    assert bad.stderr == (
        f"broadsheet: {path}:5: [sync] url: must start with http:// or https:// and name a host\n"
    )
    path.write_text(path.read_text().replace("ftp:", "http:") + 'password_command = ["false"]\n')
    no_password = run_cli(isolated_dirs, "sync")
    assert no_password.returncode == 1
    assert no_password.stderr == (
        f"broadsheet: {path}: [sync] password_command: false exited with status 1\n"
    )
