"""Shared pieces of the fault tests: a small news site, its config, and the CLI as a subprocess.

Every test here runs the real `broadsheet` command (`python -m tui ...`) in a child process that
sees only the test's XDG directories and a loopback server started by the test.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.servers.loopback import Route

ROOT = Path(__file__).resolve().parents[2]

_WORDS_TEXT = (
    "council harbour budget rail winter market school river bridge archive festival ferry "
    "library museum vote weather orchard quarry mill station"
)
_WORDS = _WORDS_TEXT.split()


@dataclass(frozen=True)
class Story:
    """One article on the site: its path and the token its final paragraph carries."""

    path: str
    title: str
    last_token: str


def story_page(feed: int, item: int) -> tuple[Story, bytes]:
    """A small but realistic article page; the last paragraph ends with a unique token, so a
    reader can tell a whole article from a truncated one."""
    title = f"Story {feed}-{item}: the {_WORDS[(feed + item) % len(_WORDS)]} question"
    token = f"ENDTOKEN{feed}x{item}"
    paragraphs = []
    for n in range(6):
        words = " ".join(_WORDS[(feed * 7 + item * 3 + n + k) % len(_WORDS)] for k in range(40))
        paragraphs.append(f"<p>Paragraph {n} of story {feed}-{item}. {words.capitalize()}.</p>")
    paragraphs.append(f"<p>That is the end of the report, marked {token}.</p>")
    html = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title} | The Loopback Herald</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<main><article><h1>{title}</h1><p class="byline">By A. Reporter</p>
{"".join(paragraphs)}
</article></main><aside><h2>Most read</h2><ul><li><a href="/x">Elsewhere</a></li></ul></aside>
<footer>© The Loopback Herald</footer></body></html>"""
    return Story(f"/a/{feed}/{item}.html", title, token), html.encode()


def feed_xml(base: str, feed: int, stories: list[Story]) -> bytes:
    items = "".join(
        f"<item><title>{s.title}</title><link>{base}{s.path}</link><guid>{base}{s.path}</guid>"
        f"<pubDate>Mon, 02 Nov 2026 {n % 24:02d}:00:00 GMT</pubDate>"
        f"<description>Summary of {s.title}</description></item>"
        for n, s in enumerate(stories)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Feed {feed}</title><link>{base}/</link><description>d</description>"
        f"{items}</channel></rss>"
    ).encode()


def build_site(base: str, feeds: int, items: int) -> tuple[dict[str, Route], list[Story]]:
    """Routes for `feeds` RSS feeds of `items` stories each, and every story."""
    routes: dict[str, Route] = {}
    stories: list[Story] = []
    for f in range(feeds):
        mine = []
        for i in range(items):
            story, page = story_page(f, i)
            routes[story.path] = Route(body=page, content_type="text/html; charset=utf-8")
            mine.append(story)
        routes[f"/feed{f}.xml"] = Route(
            body=feed_xml(base, f, mine), content_type="application/rss+xml", etag=f'"f{f}"'
        )
        stories += mine
    return routes, stories


def serve_site(server: Any, feeds: int, items: int) -> list[Story]:
    """`build_site` on `server` (a tests.servers.loopback server): its routes set, its stories."""
    routes, stories = build_site(str(server), feeds, items)
    for path, route in routes.items():
        server.route(path, route)
    return stories


def write_config(dirs: Mapping[str, Path], feed_urls: list[str]) -> Path:
    """The user's config: no sample edition, one [[feeds]] entry per URL."""
    path = dirs["config"] / "broadsheet" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    feeds = "".join(f'\n[[feeds]]\nurl = "{url}"\n' for url in feed_urls)
    path.write_text(f"[settings]\nsample_edition = false\n{feeds}", encoding="utf-8")
    return path


def child_env(dirs: Mapping[str, Path]) -> dict[str, str]:
    """The environment of a child `broadsheet`: the test's XDG dirs and no proxies."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k.lower() not in ("http_proxy", "https_proxy", "all_proxy")
    }
    env.update(
        XDG_CONFIG_HOME=str(dirs["config"]),
        XDG_CACHE_HOME=str(dirs["cache"]),
        XDG_DATA_HOME=str(dirs["data"]),
        PYTHONPATH=str(ROOT),
        NO_PROXY="127.0.0.1",
    )
    return env


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "tui", *args]


def run_cli(
    dirs: Mapping[str, Path], *args: str, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    """Run `broadsheet ARGS` to completion and return what it printed."""
    return subprocess.run(
        command(*args),
        env=child_env(dirs),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        **kwargs,
    )


def cache_dir(dirs: Mapping[str, Path]) -> Path:
    return dirs["cache"] / "broadsheet"


def state_path(dirs: Mapping[str, Path]) -> Path:
    return dirs["data"] / "broadsheet" / "state.sqlite3"


def state_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the state DB, read with plain sqlite3 (not through the code under test)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {
            table: sorted(db.execute(f"SELECT * FROM {table}"))  # fixed table names
            for table in ("read", "starred", "positions")
        }
    finally:
        db.close()


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
