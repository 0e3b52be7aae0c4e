"""`broadsheet feed URL --format json` shows each episode's chapters from the feed (psc), its
chapter file and its transcript, from a feed on a loopback server."""

from __future__ import annotations

import json
from pathlib import Path

from tests.core.test_listening_room import FEED
from tests.faults._support import run_cli, write_config
from tests.servers.loopback import Route, serve


def test_feed_json_has_chapters_and_transcript_links(isolated_dirs: dict[str, Path]) -> None:
    write_config(isolated_dirs, [])
    with serve() as server:
        base = str(server).rstrip("/")
        server.route("/f.xml", Route(FEED.format(base=base).encode()))
        result = run_cli(isolated_dirs, "feed", server.url("/f.xml"), "--format", "json",
                         "--no-measure")  # fmt: skip
        assert result.returncode == 0, result.stderr
        simple, with_json = (e["episodes"][0] for e in json.loads(result.stdout)["entries"])
        assert [(c["start"], c["title"]) for c in simple["chapters"]] == [
            (0.0, "Intro"),
            (300.0, "Second"),
            (600.5, "Third bold"),
        ]
        assert simple["transcript_url"] is None
        assert with_json["chapters"] == []
        assert with_json["chapters_url"] == f"{base}/b.json"
        assert with_json["transcript_url"] == f"{base}/b.vtt"
