"""`measure_feed`: lengths a podcast feed leaves out, measured as the sidebar measures them
(a Range request for the file's head, two at a time, cached, bounded), over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.core import audio_fixtures as audio
from tests.servers.loopback import LoopbackServer, Route, serve
from tui.core.cache import Cache
from tui.core.config import Config
from tui.core.service import MEASURE_LIMIT, NewsService
from tui.core.state import State

EPISODES = MEASURE_LIMIT + 5
MP3 = audio.mp3_vbr_xing([32] * 2500)  # 2,500 frames of 24 ms: exactly 60 s


def podcast(base: str, episodes: int) -> bytes:
    """Newest first; episode 0 gives its length, the others do not."""
    items = []
    for n in range(episodes):
        given = "<itunes:duration>12:34</itunes:duration>" if n == 0 else ""
        items.append(
            f"<item><title>Episode {n}</title><guid>ep{n}</guid>"
            f"<pubDate>Mon, 02 Nov 2026 12:{59 - n:02d}:00 GMT</pubDate>"
            f'<enclosure url="{base}/audio/{n}.mp3" type="audio/mpeg" length="{len(MP3)}"/>'
            f"{given}</item>"
        )
    return (
        '<?xml version="1.0"?><rss version="2.0" '
        'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>'
        f"<title>Loopback Radio</title>{''.join(items)}</channel></rss>"
    ).encode()


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with serve() as running:
        running.route("/show.xml", Route(podcast(str(running), EPISODES)))
        for n in range(EPISODES):
            running.route(f"/audio/{n}.mp3", Route(MP3, content_type="audio/mpeg"))
        yield running


def _audio_hits(server: LoopbackServer) -> int:
    return sum(1 for r in server.requests if r.path.startswith("/audio/"))


def _service(tmp_path: Path, *, offline: bool = False) -> NewsService:
    return NewsService(
        Config(), Cache(tmp_path / "cache"), State(tmp_path / "state.db"), offline=offline
    )


async def test_unknown_lengths_are_measured_politely_bounded_and_cached(
    server: LoopbackServer, tmp_path: Path
) -> None:
    service = _service(tmp_path)
    try:
        feed = await service.fetch_feed(server.url("/show.xml"))
        before = [e.episodes[0].duration_seconds for e in feed.entries]
        assert before == [754] + [None] * (EPISODES - 1)

        measured = await service.measure_feed(feed)
        lengths = [e.episodes[0].duration_seconds for e in measured.entries]
        # the given length stands; the next MEASURE_LIMIT (the newest unknown) are measured
        assert lengths == [754] + [60] * MEASURE_LIMIT + [None] * (EPISODES - 1 - MEASURE_LIMIT)
        assert [e.episodes[0].estimated for e in measured.entries[:2]] == [False, False]
        assert _audio_hits(server) == MEASURE_LIMIT  # one Range request each, none for the rest
        ranges = [r.headers.get("range") for r in server.requests if r.path.startswith("/audio/")]
        assert all(r is not None and r.startswith("bytes=0-") for r in ranges), ranges
        assert server.max_in_flight <= 2  # two files at a time, as the sidebar

        # again: those twenty come from the cache, and only the four left are measured
        again = await service.measure_feed(feed)
        assert [e.episodes[0].duration_seconds for e in again.entries] == [754] + [60] * (
            EPISODES - 1
        )
        assert _audio_hits(server) == EPISODES - 1
        assert await service.measure_feed(feed) == again  # all cached: not one more request
        assert _audio_hits(server) == EPISODES - 1
    finally:
        await service.aclose()


async def test_offline_only_the_lengths_measured_before_are_given(
    server: LoopbackServer, tmp_path: Path
) -> None:
    online = _service(tmp_path)
    try:
        feed = await online.fetch_feed(server.url("/show.xml"))
        await online.measure_feed(feed, limit=3)
    finally:
        await online.aclose()
        online.cache.close()
        online.state.close()
    hits = server.hits()
    offline = _service(tmp_path, offline=True)
    try:
        feed = await offline.fetch_feed(server.url("/show.xml"))
        lengths = [
            e.episodes[0].duration_seconds for e in (await offline.measure_feed(feed)).entries
        ]
    finally:
        await offline.aclose()
    assert lengths[:5] == [754, 60, 60, 60, None]
    assert server.hits() == hits


async def test_an_unreachable_file_leaves_the_length_unknown(
    server: LoopbackServer, tmp_path: Path
) -> None:
    server.route("/audio/1.mp3", Route(b"gone", status=404))
    server.route("/audio/2.mp3", Route(b"not audio at all" * 100, content_type="audio/mpeg"))
    service = _service(tmp_path)
    try:
        feed = await service.fetch_feed(server.url("/show.xml"))
        measured = await service.measure_feed(feed, limit=3)
    finally:
        await service.aclose()
    assert [e.episodes[0].duration_seconds for e in measured.entries[:4]] == [754, None, None, 60]


async def test_lengths_measured_before_are_given_beyond_the_limit(
    server: LoopbackServer, tmp_path: Path
) -> None:
    """The limit bounds the requests, not what the cache already knows."""
    service = _service(tmp_path)
    try:
        feed = await service.fetch_feed(server.url("/show.xml"))
        later = feed.entries[10].episodes[0]
        assert (await service.measure_feed(feed, limit=30)) is not feed
        hits = _audio_hits(server)
        assert hits == EPISODES - 1
        lengths = [
            e.episodes[0].duration_seconds
            for e in (await service.measure_feed(feed, limit=0)).entries
        ]
        assert lengths == [754] + [60] * (EPISODES - 1)
        assert _audio_hits(server) == hits and later.duration_seconds is None
    finally:
        await service.aclose()
