"""Transcripts: every form (SRT, WebVTT, JSON, HTML, plain text) written here, merged into
timed paragraphs with their speakers; hostile input (escape sequences, markup, 10 MB of cues,
wrong encodings) sanitised or refused with a reason; fetched once over real HTTP on 127.0.0.1,
cached for offline reading and found by the text search (with the episode's story)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers.loopback import LoopbackServer, Route, serve
from tui.core.cache import Cache
from tui.core.config import Config
from tui.core.errors import BroadsheetError
from tui.core.models import Episode
from tui.core.podcasts.transcripts import (
    TranscriptError,
    detect_form,
    paragraph_start,
    transcript_article,
)
from tui.core.service import NewsService
from tui.core.state import State

SRT = """1
00:00:01,000 --> 00:00:03,500
Ada: Welcome to the show.

2
00:00:03,600 --> 00:00:06,000
Today we talk about <i>lighthouses</i>.

3
00:00:06,100 --> 00:00:08,000
Bram: Thanks for having me.

4
00:01:10,000 --> 00:01:12,000
Bram: After a long pause, the keeper's log.
"""

VTT = """WEBVTT
Kind: captions

NOTE this block is a comment

intro
00:00.000 --> 00:02.000 align:start
<v Ada>Hello &amp; welcome.</v>

00:02.100 --> 00:04.000
<v Ada>Second cue, same speaker.

00:04.100 --> 00:06.000
<v.loud Bram>Answer from Bram.
"""

JSON_TRANSCRIPT = {
    "version": "1.0.0",
    "segments": [
        {"speaker": "Ada", "startTime": 0.5, "endTime": 2.0, "body": "First segment."},
        {"speaker": "Ada", "startTime": 2.1, "endTime": 3.0, "body": "Still Ada."},
        {"speaker": "Bram", "startTime": 3725.0, "endTime": 3726.0, "body": "An hour in."},
        {"startTime": "bad", "body": 7},
    ],
}

HTML = """<html><head><style>p{color:red}</style><script>alert(1)</script></head><body>
<p><b>Ada:</b> Welcome to the &lt;show&gt;.</p><p>Bram: Thanks.</p></body></html>"""

PLAIN = "Ada: First paragraph\nstill first.\n\nBram: Second paragraph."


def texts(body: bytes | str, declared: str = "", content_type: str | None = None) -> list[str]:
    data = body.encode() if isinstance(body, str) else body
    article = transcript_article(data, "http://127.0.0.1:9/t", declared=declared,
                                 content_type=content_type, title="Episode 7")  # fmt: skip
    assert article.title == "Transcript: Episode 7"
    return [block.text for block in article.blocks]


def test_srt_cues_merge_into_timed_paragraphs_by_speaker_and_pause() -> None:
    assert texts(SRT, "application/x-subrip") == [
        "[0:01] Ada: Welcome to the show. Today we talk about lighthouses.",
        "[0:06] Bram: Thanks for having me.",
        "[1:10] Bram: After a long pause, the keeper's log.",
    ]
    assert texts(SRT) == texts(SRT, "application/x-subrip")  # told by its timing lines


def test_webvtt_voices_notes_and_settings() -> None:
    assert texts(VTT, "text/vtt") == [
        "[0:00] Ada: Hello & welcome. Second cue, same speaker.",
        "[0:04] Bram: Answer from Bram.",
    ]


def test_json_segments() -> None:
    assert texts(json.dumps(JSON_TRANSCRIPT), "application/json") == [
        "[0:00] Ada: First segment. Still Ada.",
        "[1:02:05] Bram: An hour in.",
    ]
    with pytest.raises(TranscriptError, match="not JSON"):
        texts("{broken", "application/json")
    with pytest.raises(TranscriptError, match="no segments"):
        texts('{"segments": 3}', "application/json")


def test_json_segments_at_times_no_episode_reaches_are_untimed() -> None:
    """NaN, infinities and absurd starts (a JSON number may be any of them): the text is kept,
    untimed, instead of failing on its "[m:ss]"."""
    for start in ("NaN", "Infinity", "-Infinity", "1e308", "-5"):
        body = '{"segments": [{"startTime": START, "body": "Said."}]}'.replace("START", start)
        assert texts(body, "application/json") == ["Said."], start
    late = "WEBVTT\n\n999:00:00.000 --> 999:00:01.000\nLate.\n"
    assert texts(late, "text/vtt") == ["Late."]


def test_html_and_plain_text() -> None:
    assert texts(HTML, "text/html") == ["Ada: Welcome to the <show>.", "Bram: Thanks."]
    assert texts(PLAIN, "text/plain") == [
        "Ada: First paragraph still first.",
        "Bram: Second paragraph.",
    ]


def test_form_is_told_by_the_body_when_the_type_says_little() -> None:
    assert detect_form(VTT, "text/plain") == "vtt"
    assert detect_form(json.dumps(JSON_TRANSCRIPT), "") == "json"
    assert detect_form(SRT, "application/octet-stream") == "srt"
    assert detect_form("<html><body><p>x</p></body></html>", "") == "html"
    assert detect_form("just words", "") == "text"


def test_hostile_cues_are_cleaned() -> None:
    hostile = (
        "1\n00:00:01,000 --> 00:00:02,000\n"
        "Eve: \x1b]52;c;cm0gLXJmIH4=\x07clip \x1b[2J<script>x</script><b>bold</b> \x9b31m\n"
    )
    (paragraph,) = texts(hostile, "application/x-subrip")
    assert paragraph.startswith("[0:01] Eve: clip")
    assert all(ch not in paragraph for ch in "\x1b\x07\x9b<>")


def test_wrong_encodings_never_fail() -> None:
    latin1 = "1\n00:00:01,000 --> 00:00:02,000\nCafé crème\n".encode("latin-1")
    assert texts(latin1, "application/x-subrip") == ["[0:01] Café crème"]
    utf16 = "\ufeffWEBVTT\n\n00:01.000 --> 00:02.000\nÜber\n".encode("utf-16")
    assert texts(utf16, "text/vtt") == ["[0:01] Über"]
    with pytest.raises(TranscriptError, match="not text"):
        texts(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10, "text/plain")
    with pytest.raises(TranscriptError, match="no text"):
        texts("WEBVTT\n\nNOTE nothing else\n", "text/vtt")


def ten_megabytes_of_cues() -> bytes:
    cue = "{n}\n00:{m:02d}:{s:02d},000 --> 00:{m:02d}:{s:02d},900\nSpeaker {k}: words words words.\n\n"
    parts, size, n = [], 0, 0
    while size < 10_000_000:
        text = cue.format(n=n, m=(n // 60) % 60, s=n % 60, k=n % 3)
        parts.append(text)
        size += len(text)
        n += 1
    return "".join(parts).encode()


def test_ten_megabytes_of_cues_are_refused_with_a_reason() -> None:
    with pytest.raises(TranscriptError, match="larger than 5 MB"):
        texts(ten_megabytes_of_cues(), "application/x-subrip")


def test_many_cues_are_bounded() -> None:
    body = ten_megabytes_of_cues()[:4_900_000]
    blocks = texts(body, "application/x-subrip")
    assert sum(len(b) for b in blocks) <= 1_600_000
    assert len(blocks) < 70_000


def test_paragraph_start() -> None:
    assert paragraph_start("[1:02:05] Bram: An hour in.") == 3725
    assert paragraph_start("[0:06] Bram") == 6
    assert paragraph_start("No time") is None


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with serve() as running:
        running.route("/t.srt", Route(SRT.encode(), content_type="application/x-subrip", delay=0.2))
        running.route("/huge.srt", Route(ten_megabytes_of_cues()))
        yield running


def _service(tmp_path: Path, offline: bool = False) -> NewsService:
    return NewsService(
        Config(), Cache(tmp_path / "cache"), State(tmp_path / "state.db"), offline=offline
    )


async def test_fetched_once_cached_offline_and_found_by_search(
    server: LoopbackServer, tmp_path: Path
) -> None:
    episode = Episode(
        title="Episode 7", url=server.url("/7.mp3"), transcript_url=server.url("/t.srt"),
        transcript_type="application/x-subrip", page_url="http://127.0.0.1:9/story/7",
    )  # fmt: skip
    service = _service(tmp_path)
    try:
        results = await asyncio.gather(*(service.load_transcript(episode) for _ in range(4)))
        assert server.hits("/t.srt") == 1  # one fetch per episode at a time
        article = results[0].article
        assert article.blocks[0].text.startswith("[0:01] Ada: Welcome")
        # The search finds the transcript and the episode's story.
        assert await asyncio.to_thread(service.search_text, "keeper's log") == {
            episode.transcript_url,
            episode.page_url,
        }
    finally:
        await service.aclose()
        service.state.close()
    offline = _service(tmp_path, offline=True)
    try:
        again = await offline.load_transcript(episode)
        assert again.from_cache and again.article == article
        opened = await offline.load_article(episode.transcript_url)  # as the reader opens it
        assert opened.article == article
    finally:
        await offline.aclose()
    assert server.hits("/t.srt") == 1


async def test_transcript_failures_give_reasons(server: LoopbackServer, tmp_path: Path) -> None:
    service = _service(tmp_path)
    try:
        with pytest.raises(BroadsheetError, match="no transcript"):
            await service.load_transcript(Episode(title="x", url=server.url("/x.mp3")))
        huge = Episode(title="h", url=server.url("/h.mp3"), transcript_url=server.url("/huge.srt"))
        with pytest.raises(BroadsheetError) as caught:
            await service.load_transcript(huge)
        assert caught.value.reason
        missing = Episode(title="m", url=server.url("/m.mp3"), transcript_url=server.url("/no"))
        with pytest.raises(BroadsheetError, match="404"):
            await service.load_transcript(missing)
    finally:
        await service.aclose()


NOTES_PAGE = """<html><head><title>Episode 9: Keepers</title></head><body><nav>Menu</nav>
<article><h1>Episode 9: Keepers</h1>
<p>In this episode we visit the last lighthouse keepers of the northern coast, who tell us
about storms, supply boats and the long winter nights spent watching the lamp turn.</p>
<p>We also hear from the engineers who automated the lights, and ask what was lost when the
keepers left, and what the sea remembers of them after all these years of silence.</p>
<script>document.write('\\x1b[2J')</script></article></body></html>"""


def podcast_feed(base: str) -> bytes:
    return f"""<?xml version="1.0"?>
<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0"
     xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>Keepers</title>
<item><title>Episode 9: Keepers</title><guid>9</guid><link>{base}/ep9</link>
  <itunes:duration>25:00</itunes:duration>
  <enclosure url="{base}/9.mp3" type="audio/mpeg" length="1000"/>
  <podcast:chapters url="{base}/9.json" type="application/json+chapters"/>
  <podcast:transcript url="{base}/9.srt" type="application/x-subrip"/>
</item>
<item><title>Episode 8: Notes only</title><guid>8</guid><link>{base}/8.mp3</link>
  <description>&lt;p&gt;Notes from the feed &lt;b&gt;itself&lt;/b&gt;.&lt;/p&gt;</description>
  <enclosure url="{base}/8.mp3" type="audio/mpeg" length="1000"/>
</item>
</channel></rss>""".encode()


async def test_an_episode_page_has_notes_length_chapters_and_transcript_link(
    tmp_path: Path,
) -> None:
    from tui.core.feeds import parse_feed

    chapters = {
        "chapters": [{"startTime": 0, "title": "Arrival"}, {"startTime": 600, "title": "Storm"}]
    }
    with serve() as server:
        base = str(server).rstrip("/")
        server.route("/ep9", Route(NOTES_PAGE.encode(), content_type="text/html"))
        server.route(
            "/9.json", Route(json.dumps(chapters).encode(), content_type="application/json")
        )
        server.route("/9.srt", Route(SRT.encode(), content_type="application/x-subrip"))
        feed = parse_feed(podcast_feed(base), f"{base}/feed")
        nine, eight = feed.entries
        service = _service(tmp_path)
        try:
            page = (await service.load_episode_page(nine)).article
            texts = [b.text for b in page.blocks]
            assert any("last lighthouse keepers" in t for t in texts)  # the show notes
            start = texts.index("Episode")
            assert texts[start:] == [
                "Episode",
                "Length 25:00 · 2 chapters",
                "0:00  Arrival",
                "10:00  Storm",
                f"Transcript: link [{len(page.links)}] (or T in the podcast sidebar)",
            ]
            assert page.links[-1].url == f"{base}/9.srt"
            assert page.episodes[0].url == f"{base}/9.mp3"
            assert all("\x1b" not in t for t in texts)
            # The transcript was fetched beside the page: following its link reads the cache.
            transcript = await service.load_article(f"{base}/9.srt")
            assert transcript.from_cache and transcript.article.title.startswith("Transcript")
            assert server.hits("/9.srt") == 1

            # A story that links to its audio: the feed's notes, never the MP3.
            notes = (await service.load_episode_page(eight)).article
            assert notes.blocks[0].text == "Notes from the feed itself."
            assert "Length unknown" in [b.text for b in notes.blocks]
            # its one request is the Range request for the ID3 chapters at the file's head
            assert [r.headers.get("range") for r in server.requests if r.path == "/8.mp3"] == [
                "bytes=0-262143"
            ]
        finally:
            await service.aclose()
