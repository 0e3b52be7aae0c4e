"""`broadsheet feed URL --format json` gives the length of an episode whose feed leaves it out
(measured from the MP3 on a loopback server, as the app's sidebar does); `--no-measure` does not
ask for the audio at all."""

from __future__ import annotations

import json
from pathlib import Path

from tests.core.test_service_lengths import MP3, podcast
from tests.faults._support import run_cli, write_config
from tests.servers.loopback import Route, serve


def test_feed_json_fills_measured_lengths_and_no_measure_skips_them(
    isolated_dirs: dict[str, Path],
) -> None:
    write_config(isolated_dirs, [])
    with serve() as server:
        server.route("/show.xml", Route(podcast(str(server), 3)))
        for n in range(3):
            server.route(f"/audio/{n}.mp3", Route(MP3, content_type="audio/mpeg"))

        skipped = run_cli(
            isolated_dirs, "feed", server.url("/show.xml"), "--format", "json", "--no-measure"
        )
        assert skipped.returncode == 0, skipped.stderr
        episodes = [e["episodes"][0] for e in json.loads(skipped.stdout)["entries"]]
        assert [e["duration"] for e in episodes] == ["12:34", None, None]
        assert not any(r.path.startswith("/audio/") for r in server.requests)

        done = run_cli(isolated_dirs, "feed", server.url("/show.xml"), "--format", "json")
        assert done.returncode == 0, done.stderr
        episodes = [e["episodes"][0] for e in json.loads(done.stdout)["entries"]]
        assert [(e["duration_seconds"], e["duration"]) for e in episodes] == [
            (754, "12:34"),
            (60, "1:00"),
            (60, "1:00"),
        ]
        assert [e["estimated"] for e in episodes] == [False, False, False]  # Xing: exact
        probes = sum(1 for r in server.requests if r.path.startswith("/audio/"))
        assert probes == 2

        text = run_cli(isolated_dirs, "feed", server.url("/show.xml"))  # measured once: cached
        assert text.returncode == 0, text.stderr
        assert "Episode 1 [1:00]" in text.stdout
        assert sum(1 for r in server.requests if r.path.startswith("/audio/")) == probes
