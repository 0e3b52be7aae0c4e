"""JSON Feed 1.0 / 1.1, including hostile documents."""

from __future__ import annotations

import json
import time

import pytest

from tests.core.feed_fixtures import parse_fixture
from tui.core.errors import FeedError
from tui.core.feeds import parse_feed

URL = "https://micro.example.com/feed.json"


def test_json_feed_fields() -> None:
    feed = parse_fixture("feed.json", URL)
    assert feed.title == "Orchard Microblog"
    assert feed.site_url == "https://micro.example.com/"
    titled, untitled = feed.entries
    assert titled.id == "2"
    assert titled.url == "https://micro.example.com/posts/2"  # relative url resolved
    assert titled.published == "2025-05-21T07:00:00+00:00"
    assert titled.author == "Ines Marwood"
    assert titled.content_html == "<p>Hello <b>there</b>.</p>"
    assert titled.summary == "Hello there."
    (episode,) = titled.episodes
    assert (episode.duration_seconds, episode.size_bytes, episode.mime_type) == (
        125,
        4096,
        "audio/mpeg",
    )
    assert untitled.id == "1"  # a numeric id becomes text
    assert untitled.title == "An untitled note about apples."
    assert untitled.author == "Old-style author"


def test_hostile_json_feed_keeps_what_is_well_typed() -> None:
    feed = parse_fixture("feed_hostile.json", "https://hostile.example.org/feed.json")
    assert feed.title == "hostile.example.org"  # title was a list: the host stands in
    assert feed.site_url is None
    assert [e.id for e in feed.entries] == ["ok", "big"]
    ok = feed.entries[0]
    assert [ep.url for ep in ok.episodes] == ["https://hostile.example.org/a.mp3"]
    assert ok.episodes[0].duration_seconds is None
    assert ok.episodes[0].size_bytes is None  # 1e300 bytes is not a file
    big = feed.entries[1]
    assert big.episodes[0].duration_seconds is None
    assert big.episodes[0].size_bytes is None


@pytest.mark.parametrize(
    "body",
    [
        b"[1, 2, 3]",
        b'{"hello": "world"}',
        b'{"version": "https://jsonfeed.org/version/1.1", "items": ',
        b"{" * 100_000 + b"}" * 100_000,
        b'{"version": "https://jsonfeed.org/version/1", "items": [' + b"9" * 5000 + b"]}",
        b'"just a string"',
    ],
    ids=["array", "other-json", "truncated", "deep-nesting", "huge-int", "string"],
)
def test_not_a_json_feed_is_a_feed_error(body: bytes) -> None:
    with pytest.raises(FeedError):
        parse_feed(body, URL)


def test_items_of_wrong_type_are_skipped_not_fatal() -> None:
    body = json.dumps(
        {"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": "nope"}
    )
    feed = parse_feed(body.encode(), URL)
    assert feed.entries == ()
    assert feed.title == "T"


def test_many_items_capped_quickly() -> None:
    items = [
        {"id": str(i), "title": f"t{i}", "url": f"https://j.example.org/{i}"} for i in range(20000)
    ]
    body = json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": items}).encode()
    start = time.perf_counter()
    feed = parse_feed(body, URL, max_entries=100)
    assert len(feed.entries) == 100
    assert time.perf_counter() - start < 2
