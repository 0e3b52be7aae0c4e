"""`broadsheet save`, `stories --saved` and `unsave` as real processes: a page saved while a
loopback site is up reads after the site is gone and the cache is cleared."""

from __future__ import annotations

import json
from pathlib import Path

from tests.faults._support import build_site, run_cli, write_config
from tests.servers.loopback import serve


def test_save_then_list_and_read_offline(isolated_dirs: dict[str, Path]) -> None:
    with serve() as server:
        routes, stories = build_site(str(server), 1, 2)
        for path, route in routes.items():
            server.route(path, route)
        write_config(isolated_dirs, [server.url("/feed0.xml")])
        assert run_cli(isolated_dirs, "refresh").returncode == 0
        urls = [f"{server}{story.path}" for story in stories]
        saved = run_cli(isolated_dirs, "save", urls[1], "--tag", "later", "--tag", "long")
        assert saved.returncode == 0, saved.stderr
        assert saved.stdout.strip().endswith("Saved for later: it reads offline.")
        assert run_cli(isolated_dirs, "save", "not a url").returncode == 2
    assert run_cli(isolated_dirs, "cache", "clear").returncode == 0
    listed = run_cli(isolated_dirs, "stories", "--saved", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    [row] = json.loads(listed.stdout)
    assert row["url"] == urls[1] and row["offline"] and row["tags"] == ["later", "long"]
    assert row["saved_at"].endswith("+00:00") and row["feed_url"] == server.url("/feed0.xml")
    assert {"id", "feed_url", "title", "url", "published", "read", "starred"} <= set(row)
    read = run_cli(isolated_dirs, "--offline", "read", urls[1])
    assert read.returncode == 0, read.stderr
    assert run_cli(isolated_dirs, "unsave", urls[1]).returncode == 0
    assert run_cli(isolated_dirs, "unsave", urls[1]).returncode == 1
    assert json.loads(run_cli(isolated_dirs, "stories", "--saved", "--format", "json").stdout) == []
