"""`broadsheet read` and `broadsheet feed` as subprocesses, on hostile feeds and pages.

What they print must be safe for any terminal (no controls, no escapes, no bidi overrides),
markup must come out literally, and a failure must be one short plain line naming the URL.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import hostile
from tests.servers.loopback import LoopbackServer, Route, serve

from .fixtures import (
    MARK,
    MARKUP,
    article_page,
    forbidden_in,
    json_feed,
    rss_feed,
    write_config,
)

REPO = Path(__file__).resolve().parents[2]
HTML = "text/html; charset=utf-8"
BAD_LINKS = {
    "Script link": "javascript:alert(document.cookie)",
    "File link": "file:///etc/passwd",
    "Data link": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
}
BAD_AUDIO = [
    "javascript:alert(1)//x.mp3",
    "file:///etc/passwd.mp3",
    "data:audio/mpeg;base64,SUQz",
]


@pytest.fixture
def site() -> Iterator[LoopbackServer]:
    with serve() as server:
        items = [("Story one", server.url("/a/1")), ("Story two", server.url("/a/2"))]
        good_audio = server.url("/ep.mp3")
        server.route(
            "/feed.json",
            Route(
                json_feed("Evil feed", items, attachments=[*BAD_AUDIO, good_audio]),
                content_type="application/feed+json",
            ),
        )
        server.route(
            "/feed.xml",
            Route(
                rss_feed("Evil RSS", items, enclosures=[*BAD_AUDIO, good_audio]),
                content_type="application/rss+xml",
            ),
        )
        links = {**BAD_LINKS, "Good link": server.url("/a/2")}
        page = article_page("Evil article", "Bodytext", links=links, audio=[*BAD_AUDIO])
        server.route("/a/1", Route(page, content_type=HTML))
        server.route("/binary", Route(bytes(range(256)) * 400, content_type=HTML))
        server.route("/empty", Route(b"", content_type=HTML))
        server.route("/missing", Route(b"gone", status=404, content_type=HTML))
        server.route("/busy", hostile.Busy(Route(b"x"), times=99, status=503, retry_after=None))
        server.route("/reset", hostile.reset_mid_body(b"<html><body><p>half", 100_000))
        server.route(
            "/to-script",
            Route(status=302, content_type=None, headers={"Location": "javascript:alert(1)"}),
        )
        server.route("/loop", Route(status=302, content_type=None, headers={"Location": "/loop"}))
        yield server


def run_cli(dirs: dict[str, Path], *args: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m tui --config CONFIG ARGS` with the test's XDG dirs; decode leniently so a
    stray byte shows up in the assertion rather than as a UnicodeDecodeError."""
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(dirs["config"]),
        "XDG_CACHE_HOME": str(dirs["cache"]),
        "XDG_DATA_HOME": str(dirs["data"]),
    }
    config = dirs["config"] / "broadsheet" / "config.toml"
    return subprocess.run(
        [sys.executable, "-m", "tui", "--config", str(config), *args],
        capture_output=True,
        cwd=REPO,
        env=env,
        timeout=60,
        encoding="utf-8",
        errors="surrogateescape",
    )


@pytest.fixture
def cli(site: LoopbackServer, isolated_dirs: dict[str, Path]) -> dict[str, Path]:
    write_config(isolated_dirs["config"], [site.url("/feed.json")])
    return isolated_dirs


def test_read_text_is_clean_and_shows_markup_literally(
    site: LoopbackServer, cli: dict[str, Path]
) -> None:
    done = run_cli(cli, "read", site.url("/a/1"))
    assert done.returncode == 0, done.stderr
    assert forbidden_in(done.stdout) == []
    assert forbidden_in(done.stderr) == []
    assert "Bodytext paragraph 1" in done.stdout
    assert MARKUP in done.stdout  # the markup payload survives as plain text
    # every sequence goes whole, parameters and payload included: no marker text is left over
    assert MARK not in done.stdout


def test_read_json_is_clean_and_keeps_only_web_links(
    site: LoopbackServer, cli: dict[str, Path]
) -> None:
    done = run_cli(cli, "read", site.url("/a/1"), "--format", "json")
    assert done.returncode == 0, done.stderr
    # json.dumps(ensure_ascii=False) would print controls only as \\u escapes; check the values too
    assert forbidden_in(done.stdout) == []
    article = json.loads(done.stdout)
    values = [article["title"], article["text"], *(link["text"] for link in article["links"])]
    assert all(forbidden_in(v) == [] for v in values), values
    urls = [link["url"] for link in article["links"]] + [e["url"] for e in article["episodes"]]
    assert site.url("/a/2") in urls
    assert all(u.startswith(("http://", "https://")) for u in urls), urls


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize("path", ["/feed.json", "/feed.xml"])
def test_feed_output_is_clean(
    site: LoopbackServer, cli: dict[str, Path], path: str, fmt: str
) -> None:
    done = run_cli(cli, "feed", site.url(path), "--format", fmt)
    assert done.returncode == 0, done.stderr
    assert forbidden_in(done.stdout) == [], done.stdout[:500]
    assert "Story one" in done.stdout
    assert "[@click=app.quit]Q[/]" in done.stdout
    if fmt == "json":
        feed = json.loads(done.stdout)
        strings = [feed["title"]] + [
            e[k] or "" for e in feed["entries"] for k in ("title", "summary")
        ]
        assert all(forbidden_in(s) == [] for s in strings), strings
        episode_urls = [ep["url"] for e in feed["entries"] for ep in e["episodes"]]
        assert episode_urls == [site.url("/ep.mp3")], episode_urls


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/missing", "404"),
        ("/reset", ""),
        ("/loop", "redirect"),
        ("/busy", "503"),
        ("/to-script", "redirect"),
        ("/binary", "binary"),
        ("/empty", ""),
    ],
)
def test_read_failure_is_one_short_plain_line_naming_the_url(
    site: LoopbackServer, cli: dict[str, Path], path: str, words: str
) -> None:
    url = site.url(path)
    done = run_cli(cli, "read", url)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert url in lines[0] and len(lines[0]) < 300, lines[0]
    assert words.lower() in lines[0].lower(), lines[0]
    assert forbidden_in(done.stderr) == []
