"""Helpers for the feed tests: read a fixture feed and parse it."""

from __future__ import annotations

from pathlib import Path

from tui.core.feeds import parse_feed
from tui.core.models import Feed

FEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"


def fixture(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


def parse_fixture(name: str, url: str, content_type: str | None = None) -> Feed:
    return parse_feed(fixture(name), url, content_type=content_type)
