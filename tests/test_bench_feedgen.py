"""The refresh bench's feed generator and loopback server: what it serves and when it says 304.

The bench's verdicts rest on these answers (a 304 where a tool may skip work, a 200 with new
content after a bump), so they are checked against a real server on 127.0.0.1.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from lxml import etree

from bench.feedgen import FeedServer, FeedSet


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer(FeedSet(feeds=3, items=5)) as running:
        yield running


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:  # urllib raises for 304 and 404
        return error.code, dict(error.headers), error.read()


def test_serves_well_formed_feeds_with_the_asked_number_of_items(server: FeedServer) -> None:
    assert len(server.urls) == 3
    assert all(url.startswith("http://127.0.0.1:") for url in server.urls)
    status, headers, body = _get(server.urls[1])
    assert status == 200
    assert headers["Content-Type"].startswith("application/rss+xml")
    items = etree.fromstring(body).findall("channel/item")
    assert len(items) == 5
    assert items[0].findtext("guid") == "news1-4"  # newest first
    content = items[0].findtext("{http://purl.org/rss/1.0/modules/content/}encoded")
    assert content is not None and len(content) > 1000  # "a few KB" of article HTML
    assert server.take_counts() == {"ok": 1, "not_modified": 0}


def test_conditional_requests_get_304_until_a_bump(server: FeedServer) -> None:
    url = server.urls[0]
    _, headers, first = _get(url)
    etag, modified = headers["ETag"], headers["Last-Modified"]
    assert _get(url, {"If-None-Match": etag})[0] == 304
    assert _get(url, {"If-Modified-Since": modified})[0] == 304
    # If-None-Match wins over If-Modified-Since (RFC 9110): a stale tag means a full answer.
    assert _get(url, {"If-None-Match": '"stale"', "If-Modified-Since": modified})[0] == 200
    assert server.take_counts() == {"ok": 2, "not_modified": 2}

    server.feeds.bump()
    status, new_headers, second = _get(url, {"If-None-Match": etag})
    assert status == 200
    assert new_headers["ETag"] != etag and second != first
    assert _get(url, {"If-Modified-Since": modified})[0] == 200
    guids = [g.text for g in etree.fromstring(second).iter("guid")]
    assert len(guids) == 5 and guids[0] == "news0-14"  # ten new items on top, still five served


def test_unknown_paths_are_404(server: FeedServer) -> None:
    base = server.urls[0].rsplit("/feeds/", 1)[0]
    assert _get(base + "/feeds/99.xml")[0] == 404
    assert _get(base + "/feeds/x.xml")[0] == 404
    assert _get(base + "/other")[0] == 404
