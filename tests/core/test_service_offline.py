"""End to end through the façade: fetch online, stop the server, read everything offline."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tui.core.errors import OfflineError
from tui.core.sample import HOST, PREFERRED_PORT
from tui.core.session import open_session

SEED_TITLE = "NATO chief comments on Putin-Trump phone call"


async def _fetch_everything_online() -> tuple[str, list[str]]:
    session = open_session(sample_only=True)
    try:
        report = await session.service.refresh_all()
        assert not report.failures, [s.error for s in report.failures]
        feed = next(
            s.feed for s in report.statuses if s.feed and s.feed.entries and not s.feed.is_podcast
        )
        urls = [e.url for e in feed.entries if e.url]
        seed_url = next(e.url for e in feed.entries if e.title == SEED_TITLE)
        assert seed_url is not None
        result = await session.service.load_article(seed_url)
        assert result.article.title == SEED_TITLE and not result.from_cache
        await session.service.aclose()
        return seed_url, urls
    finally:
        session.close()  # stops the sample server


async def test_article_opened_once_reads_offline() -> None:
    seed_url, urls = await _fetch_everything_online()
    session = open_session(sample_only=True, offline=True)
    try:
        statuses = session.service.statuses()
        assert any(s.feed and any(e.url == seed_url for e in s.feed.entries) for s in statuses)
        result = await session.service.load_article(seed_url)
        assert result.from_cache
        assert result.article.title == SEED_TITLE
        assert [e.duration for e in result.article.episodes] == ["42:09", "57:04"]
        unread_other = next(u for u in urls if u != seed_url)
        with pytest.raises(OfflineError):
            await session.service.load_article(unread_other)
    finally:
        await session.service.aclose()
        session.close()


async def test_read_command_offline_prints_json(isolated_dirs: dict[str, Path]) -> None:
    seed_url, _ = await _fetch_everything_online()
    env = {**os.environ}
    proc = subprocess.run(
        [sys.executable, "-m", "tui", "read", seed_url, "--offline", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["title"] == SEED_TITLE
    assert data["published"].startswith("2025-05-20")
    assert [(e["duration"], e["duration_seconds"]) for e in data["episodes"]] == [
        ("42:09", 2529),
        ("57:04", 3424),
    ]
    assert "Dear readers" not in data["text"]


def test_read_command_fails_with_one_plain_line() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "tui", "read", "http://127.0.0.1:9/nothing", "--offline"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("broadsheet: http://127.0.0.1:9/nothing: ")
    assert "Traceback" not in proc.stderr


async def test_the_sample_reads_offline_even_when_its_usual_port_was_busy() -> None:
    # Something else holds the sample server's preferred port while the sample is fetched, so
    # the server takes another one; the offline session must still find what was cached.
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with contextlib.suppress(OSError):  # already busy (another Broadsheet?): just as good
            holder.bind((HOST, PREFERRED_PORT))
            holder.listen()
        seed_url, _ = await _fetch_everything_online()
        assert f":{PREFERRED_PORT}/" not in seed_url
    finally:
        holder.close()
    session = open_session(sample_only=True, offline=True)
    try:
        statuses = session.service.statuses()
        assert any(s.feed and any(e.url == seed_url for e in s.feed.entries) for s in statuses)
        result = await session.service.load_article(seed_url)
        assert result.from_cache and result.article.title == SEED_TITLE
    finally:
        await session.service.aclose()
        session.close()
