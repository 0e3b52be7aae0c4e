"""`broadsheet stories` and `broadsheet mark` without sync and without the network: real
processes, a loopback news site that is gone by the time they run."""

from __future__ import annotations

import json
from pathlib import Path

from tests.faults._support import run_cli, serve_site, write_config
from tests.servers.loopback import serve


def test_stories_and_marks_work_offline(isolated_dirs: dict[str, Path]) -> None:
    with serve() as server:
        stories = serve_site(server, 2, 2)
        feeds = [server.url("/feed0.xml"), server.url("/feed1.xml")]
        write_config(isolated_dirs, feeds)
        assert run_cli(isolated_dirs, "refresh").returncode == 0
        assert run_cli(isolated_dirs, "read", f"{server}{stories[0].path}").returncode == 0
        urls = [f"{server}{story.path}" for story in stories]
    # The server is gone: everything below is disk only.
    listed = run_cli(isolated_dirs, "stories", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert sorted(r["url"] for r in rows) == sorted(urls)
    assert all(
        set(r) == {"id", "feed_url", "title", "url", "published", "read", "starred", "offline"}
        for r in rows
    )
    by_url = {r["url"]: r for r in rows}
    assert by_url[urls[0]]["offline"] and not by_url[urls[1]]["offline"]  # read once: cached
    assert by_url[urls[0]]["feed_url"] == feeds[0]

    marked = run_cli(isolated_dirs, "mark", "read", urls[0], urls[2], "https://nowhere.test/a", "x")
    assert marked.returncode == 1
    assert marked.stderr.splitlines() == [
        "broadsheet: https://nowhere.test/a: no story has this address",
        "broadsheet: x: no story has this address",
    ]
    assert marked.stdout == "Marked 2 stories read.\n"
    assert run_cli(isolated_dirs, "mark", "star", urls[1]).returncode == 0
    unread = json.loads(run_cli(isolated_dirs, "stories", "--unread", "--format", "json").stdout)
    assert sorted(r["url"] for r in unread) == sorted([urls[1], urls[3]])
    starred = run_cli(isolated_dirs, "stories", "--starred", "--format", "json")
    assert [r["url"] for r in json.loads(starred.stdout)] == [urls[1]]
    one_feed = json.loads(
        run_cli(isolated_dirs, "stories", "--feed", feeds[1], "--format", "json").stdout
    )
    assert sorted(r["url"] for r in one_feed) == sorted(urls[2:])
    text = run_cli(isolated_dirs, "stories", "--starred").stdout
    assert text.count("\n") == 1 and urls[1] in text and "★" in text


def test_stories_leaves_out_what_a_hide_rule_hides_unless_all(
    isolated_dirs: dict[str, Path],
) -> None:
    with serve() as server:
        stories = serve_site(server, 1, 3)
        config = write_config(isolated_dirs, [server.url("/feed0.xml")])
        hidden_path = stories[1].path
        with config.open("a", encoding="utf-8") as file:
            file.write(f'\n[[rules]]\nmatch = \'url ~ "{hidden_path}$"\'\naction = "hide"\n')
        assert run_cli(isolated_dirs, "refresh").returncode == 0
        urls = [f"{server}{story.path}" for story in stories]
    shown = json.loads(run_cli(isolated_dirs, "stories", "--format", "json").stdout)
    assert sorted(r["url"] for r in shown) == sorted([urls[0], urls[2]])
    every = json.loads(run_cli(isolated_dirs, "stories", "--all", "--format", "json").stdout)
    assert sorted(r["url"] for r in every) == sorted(urls)
    assert urls[1] not in run_cli(isolated_dirs, "stories").stdout
