"""The listening room's core: speed and seeking through mpv's IPC, the play queue in the state
database (across a kill -9), chapters from the feed (psc), a JSON chapter file over real HTTP on
127.0.0.1, and ID3 CHAP/CTOC frames of an MP3 generated here with mutagen.

The stand-in mpv (tests/stand_in_mpv.py) is a Python script on a PATH made only of a temp
directory: it answers IPC requests like mpv (events first, then the reply), keeps a speed and a
position, and appends every command it gets to $PLAYER_COMMANDS so a test can see what the
player was asked.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.core import audio_fixtures as audio
from tests.servers.loopback import LoopbackServer, Route, serve
from tests.stand_in_players import install_ffplay, install_mpv, json_lines
from tui.core.cache import Cache
from tui.core.config import Config
from tui.core.errors import BroadsheetError
from tui.core.feeds import parse_feed
from tui.core.models import Chapter, Episode
from tui.core.podcasts import PlayerError
from tui.core.podcasts.chapters import (
    MAX_CHAPTERS,
    ChaptersError,
    current_chapter,
    id3_chapters,
    parse_json_chapters,
    parse_npt,
)
from tui.core.podcasts.room import MAX_SPEED, MIN_SPEED, RoomState, step_speed
from tui.core.service import NewsService
from tui.core.state import State

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX executables and sockets")

URL = "http://127.0.0.1:9/episodes/42.mp3"  # never fetched: the stand-in players play nothing


@pytest.fixture
def commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "commands.jsonl"
    monkeypatch.setenv("PLAYER_COMMANDS", str(path))
    return path


def service_at(tmp_path: Path) -> NewsService:
    return NewsService(Config(), Cache(tmp_path / "cache"), State(tmp_path / "state.db"))


def episode(url: str = URL, podcast: str = "Loopback Radio", **more: object) -> Episode:
    return Episode(title="Episode 42", url=url, duration_seconds=3600, feed_title=podcast, **more)  # type: ignore[arg-type]


def wait_for(predicate, what: str, timeout: float = 10) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def recorded_argv(tmp_path: Path) -> list[str]:
    record = tmp_path / "record.json"
    wait_for(lambda: record.exists() and record.read_text(), "the player")
    return list(json.loads(record.read_text()))


def ipc_ready(service: NewsService) -> bool:
    return service.playback_position() is not None and any(
        Path(d).glob("mpv.sock")
        for d in [service.listening.playback._current.ipc_dir]  # type: ignore[union-attr]
    )


# -- speed and seeking ------------------------------------------------------------------------------


def test_speed_ladder_stays_within_half_and_three() -> None:
    assert step_speed(1.0, True) == 1.1
    assert step_speed(1.0, False) == 0.9
    assert step_speed(MAX_SPEED, True) == MAX_SPEED
    assert step_speed(MIN_SPEED, False) == MIN_SPEED
    assert step_speed(1.3, True) == 1.5  # a speed off the ladder goes to the next rung


def test_speed_goes_through_ipc_and_is_remembered_per_podcast(
    tmp_path: Path, bin_dir: Path, commands: Path
) -> None:
    install_mpv(bin_dir)
    service = service_at(tmp_path)
    try:
        service.play(episode())
        recorded_argv(tmp_path)
        wait_for(lambda: ipc_ready(service), "the IPC socket")
        assert service.change_speed(True) == (episode(), 1.1)
        assert service.change_speed(True)[1] == 1.2
        assert ["set_property", "speed", 1.2] in json_lines(commands)
        assert service.change_speed(False)[1] == 1.1
        service.stop_playing()

        # Another episode of the same podcast starts at the remembered speed ...
        (tmp_path / "record.json").unlink()
        service.play(episode(url="http://127.0.0.1:9/episodes/43.mp3"))
        assert "--speed=1.1" in recorded_argv(tmp_path)
        service.stop_playing()
        # ... another podcast at normal speed, and the speed outlives the process.
        (tmp_path / "record.json").unlink()
        service.play(episode(url="http://127.0.0.1:9/other.mp3", podcast="Other Show"))
        assert not any(a.startswith("--speed") for a in recorded_argv(tmp_path))
        service.stop_playing()
    finally:
        service.state.close()
    again = RoomState(State(tmp_path / "state.db"))
    assert again.speed(episode()) == 1.1
    assert again.speed(episode(podcast="Other Show")) == 1.0


def test_seek_and_position_through_ipc(tmp_path: Path, bin_dir: Path, commands: Path) -> None:
    install_mpv(bin_dir)
    service = service_at(tmp_path)
    try:
        service.play(episode())
        recorded_argv(tmp_path)
        wait_for(lambda: ipc_ready(service), "the IPC socket")
        service.seek(754.5)
        assert ["seek", 754.5, "absolute"] in json_lines(commands)
        position = service.playback_position()
        assert position is not None and 754 <= position < 760  # asked of the player again
        service.stop_playing()
    finally:
        service.state.close()


def test_players_without_ipc_say_so(tmp_path: Path, bin_dir: Path) -> None:
    install_ffplay(bin_dir)
    service = service_at(tmp_path)
    try:
        with pytest.raises(PlayerError, match="Nothing is playing"):
            service.change_speed(True)
        service.play(episode())
        recorded_argv(tmp_path)
        with pytest.raises(PlayerError, match="only mpv can"):
            service.change_speed(True)
        with pytest.raises(PlayerError, match="only mpv can"):
            service.seek(10)
        assert RoomState(service.state).speed(episode()) == 1.0  # nothing remembered
        service.stop_playing()
    finally:
        service.state.close()


# -- the queue --------------------------------------------------------------------------------------


def test_queue_add_move_remove(tmp_path: Path) -> None:
    service = service_at(tmp_path)
    one, two, three = (episode(url=f"http://127.0.0.1:9/{n}.mp3") for n in (1, 2, 3))
    assert service.queue_add(one) and service.queue_add(two) and service.queue_add(three)
    assert not service.queue_add(two)  # once only
    assert [e.url for e in service.play_queue()] == [one.url, two.url, three.url]
    assert service.queue_move(three, -1) == 1
    assert service.queue_move(three, -5) == 0  # stops at the top
    assert [e.url for e in service.play_queue()] == [three.url, one.url, two.url]
    assert service.queue_remove(one) and not service.queue_remove(one)
    assert service.queue_move(one, 1) is None
    assert [e.url for e in service.play_queue()] == [three.url, two.url]
    assert service.play_queue()[0] == three  # whole episodes, lengths and podcast included


def test_the_queue_survives_kill_9(tmp_path: Path) -> None:
    """A process adds and reorders, prints "saved" and waits; it is killed with SIGKILL."""
    script = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from tui.core.models import Episode
        from tui.core.podcasts.room import RoomState
        from tui.core.state import State
        room = RoomState(State(Path({str(tmp_path / "state.db")!r})))
        for n in range(5):
            room.add(Episode(title=f"Episode {{n}}", url=f"http://127.0.0.1:9/{{n}}.mp3"))
        room.move("http://127.0.0.1:9/4.mp3", -4)
        room.remove("http://127.0.0.1:9/2.mp3")
        print("saved", flush=True)
        time.sleep(60)
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == b"saved"
    finally:
        process.kill()  # SIGKILL: no clean shutdown, no close
        process.wait()
    room = RoomState(State(tmp_path / "state.db"))
    assert [e.title for e in room.queue()] == ["Episode 4", "Episode 0", "Episode 1", "Episode 3"]


def test_the_next_queued_episode_starts_when_one_ends(tmp_path: Path, bin_dir: Path) -> None:
    install_ffplay(bin_dir)
    service = service_at(tmp_path)
    one, two = (episode(url=f"http://127.0.0.1:9/{n}.mp3") for n in (1, 2))
    try:
        service.queue_add(one)
        service.queue_add(two)
        # Stopped by the user (not played): nothing moves on.
        assert service.play_next(one) is None
        service.state.set_played(one.url, True)  # as the watcher does at the end of the file
        started = service.play_next(one)
        assert started == two
        assert service.playing == two
        assert recorded_argv(tmp_path)[-1] == two.url
        assert [e.url for e in service.play_queue()] == [two.url]
        service.stop_playing()
    finally:
        service.state.close()


# -- chapters ---------------------------------------------------------------------------------------

FEED = """<?xml version="1.0"?>
<rss version="2.0" xmlns:psc="http://podlove.org/simple-chapters"
     xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel><title>Chaptered</title>
<item><title>Simple chapters</title><guid>a</guid>
  <enclosure url="{base}/a.mp3" type="audio/mpeg" length="1000"/>
  <psc:chapters version="1.2">
    <psc:chapter start="00:10:00.500" title="Third &lt;b&gt;bold&lt;/b&gt;"/>
    <psc:chapter start="0" title="Intro"/>
    <psc:chapter start="05:00" title="Second&#x1b;[31m"/>
    <psc:chapter start="-5" title="Negative"/>
    <psc:chapter start="soon" title="Unreadable"/>
  </psc:chapters>
</item>
<item><title>JSON chapters</title><guid>b</guid>
  <enclosure url="{base}/b.mp3" type="audio/mpeg" length="1000"/>
  <podcast:chapters url="{base}/b.json" type="application/json+chapters"/>
  <podcast:transcript url="{base}/b.txt" type="text/plain"/>
  <podcast:transcript url="{base}/b.vtt" type="text/vtt"/>
</item>
</channel></rss>"""

CHAPTERS_JSON = {
    "version": "1.2.0",
    "chapters": [
        {"startTime": 1800, "title": "Past the end"},
        {"startTime": 120.25, "title": "News"},
        {"startTime": 0, "title": "Welcome"},
        {"startTime": 60, "title": "Hidden", "toc": False},
        {"startTime": "x", "title": "Bad start"},
        {"title": "No start"},
        "not a chapter",
    ],
}


def test_feed_chapters_and_transcript_links() -> None:
    feed = parse_feed(FEED.format(base="http://127.0.0.1:9").encode(), "http://127.0.0.1:9/f")
    simple, with_json = (entry.episodes[0] for entry in feed.entries)
    assert [(c.start, c.title) for c in simple.chapters] == [
        (0.0, "Intro"),
        (300.0, "Second"),  # the escape sequence is gone whole
        (600.5, "Third bold"),
    ]
    assert with_json.chapters == ()
    assert with_json.chapters_url == "http://127.0.0.1:9/b.json"
    assert with_json.transcript_url == "http://127.0.0.1:9/b.vtt"  # timed cues preferred
    assert with_json.transcript_type == "text/vtt"
    # Chapters survive the cache's plain-JSON round trip.
    assert Episode.from_dict(json.loads(json.dumps(simple.to_dict()))) == simple


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with serve() as running:
        running.route(
            "/b.json",
            Route(json.dumps(CHAPTERS_JSON).encode(), content_type="application/json"),
        )
        running.route("/huge.json", Route(b'{"chapters": [' + b" " * 2_000_000 + b"]}"))
        running.route("/slow.json", Route(json.dumps(CHAPTERS_JSON).encode(), delay=0.3))
        running.route("/broken.json", Route(b'{"chapters": [{"startTime": 1,'))
        running.route("/tagged.mp3", Route(chaptered_mp3(), content_type="audio/mpeg"))
        yield running


async def test_json_chapters_over_http_are_tidied_and_cached(
    server: LoopbackServer, tmp_path: Path
) -> None:
    service = service_at(tmp_path)
    try:
        chaptered = Episode(
            title="b", url=server.url("/b.mp3"), duration_seconds=1500,
            chapters_url=server.url("/b.json"),
        )  # fmt: skip
        chapters = await service.episode_chapters(chaptered)
        assert [(c.start, c.title) for c in chapters] == [(0.0, "Welcome"), (120.25, "News")]
        assert await service.episode_chapters(chaptered) == chapters
        assert server.hits("/b.json") == 1  # the second time from the cache
    finally:
        await service.aclose()


async def test_one_chapter_fetch_per_episode_at_a_time(
    server: LoopbackServer, tmp_path: Path
) -> None:
    service = service_at(tmp_path)
    try:
        slow = Episode(title="s", url=server.url("/s.mp3"), chapters_url=server.url("/slow.json"))
        results = await asyncio.gather(*(service.episode_chapters(slow) for _ in range(5)))
        assert len({r for r in results}) == 1 and len(results[0]) == 3
        assert server.hits("/slow.json") == 1
    finally:
        await service.aclose()


@pytest.mark.parametrize(
    ("path", "reason"),
    [("/huge.json", "large|big|size"), ("/broken.json", "not JSON"), ("/missing.json", "404")],
)
async def test_bad_chapter_files_give_a_reason(
    server: LoopbackServer, tmp_path: Path, path: str, reason: str
) -> None:
    service = service_at(tmp_path)
    try:
        bad = Episode(title="x", url=server.url("/x.mp3"), chapters_url=server.url(path))
        with pytest.raises(BroadsheetError, match=reason) as caught:
            await service.episode_chapters(bad)
        assert caught.value.reason
    finally:
        await service.aclose()


def test_hostile_json_chapters() -> None:
    many = {
        "chapters": [
            {"startTime": n, "title": "\x1b]0;pwned\x07" + "long " * 60} for n in range(2000)
        ]
    }
    chapters = parse_json_chapters(json.dumps(many).encode())
    assert len(chapters) == MAX_CHAPTERS
    assert all("\x1b" not in c.title and "\x07" not in c.title for c in chapters)
    assert all(len(c.title) <= 200 for c in chapters)
    with pytest.raises(ChaptersError):
        parse_json_chapters(b"[" * 100_000)  # deep nesting: refused, not a RecursionError
    with pytest.raises(ChaptersError):
        parse_json_chapters(b'{"chapters": {"a": 1}}')
    weird = {"chapters": [{"startTime": 1e308 * 10}, {"startTime": True}, {"startTime": -1}]}
    assert parse_json_chapters(json.dumps(weird).encode()) == ()
    # Times no episode reaches (NaN, a start 10**300 s in): left out even with no length known.
    far = (
        b'{"chapters": [{"startTime": NaN}, {"startTime": 1e300}, {"startTime": 5, "title": "ok"}]}'
    )
    assert parse_json_chapters(far) == (Chapter(5, "ok"),)
    latin1 = '{"chapters": [{"startTime": 0, "title": "Caf\xe9"}]}'.encode("latin-1")
    assert parse_json_chapters(latin1)[0].title == "Caf\ufffd"  # wrong encoding: replaced


def test_npt_forms() -> None:
    assert parse_npt("01:02:03.500") == 3723.5
    assert parse_npt("62:03") == 3723
    assert parse_npt("3723") == 3723
    assert parse_npt("1:2:3:4") is None and parse_npt("") is None and parse_npt("-3") is None


def chaptered_mp3() -> bytes:
    """A CBR MP3 of 60 s whose ID3v2 tag has three CHAP frames listed by a CTOC out of order."""
    from mutagen.id3 import CHAP, CTOC, ID3, TIT2, CTOCFlags

    tag = ID3()
    tag.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                 child_element_ids=["c1", "c2", "c3"], sub_frames=[]))  # fmt: skip
    for element, start, title in (("c3", 40_000, "Last"), ("c1", 0, "First"), ("c2", 20_000, "")):
        tag.add(CHAP(element_id=element, start_time=start, end_time=start + 20_000,
                     sub_frames=[TIT2(text=[title])] if title else []))  # fmt: skip
    out = io.BytesIO()
    tag.save(out)
    return out.getvalue() + audio.mp3_cbr(60)


def test_id3_chap_frames() -> None:
    chapters = id3_chapters(chaptered_mp3(), 60)
    assert chapters == (Chapter(0, "First"), Chapter(20, "Chapter 2"), Chapter(40, "Last"))
    assert id3_chapters(chaptered_mp3()[:40], 60) == ()  # a tag cut short: none, no crash
    assert id3_chapters(b"ID3" + os.urandom(3000)) == ()
    assert id3_chapters(audio.mp3_cbr(1)) == ()


async def test_id3_chapters_from_the_head_of_the_file(
    server: LoopbackServer, tmp_path: Path
) -> None:
    service = service_at(tmp_path)
    try:
        tagged = Episode(title="t", url=server.url("/tagged.mp3"), mime_type="audio/mpeg")
        chapters = await service.episode_chapters(tagged)
        assert [c.title for c in chapters] == ["First", "Chapter 2", "Last"]
        ranges = [r.headers.get("range") for r in server.requests if r.path == "/tagged.mp3"]
        assert ranges == ["bytes=0-262143"]  # one Range request for the head
    finally:
        await service.aclose()


def test_current_chapter() -> None:
    chapters = (Chapter(10, "a"), Chapter(20, "b"), Chapter(30, "c"))
    assert current_chapter(chapters, None) is None
    assert current_chapter(chapters, 5) is None
    assert current_chapter(chapters, 10) == 0
    assert current_chapter(chapters, 29.9) == 1
    assert current_chapter(chapters, 1000) == 2


async def test_a_file_without_chapters_is_asked_once(
    server: LoopbackServer, tmp_path: Path
) -> None:
    server.route("/plain.mp3", Route(audio.mp3_cbr(2), content_type="audio/mpeg"))
    service = service_at(tmp_path)
    try:
        plain = Episode(title="p", url=server.url("/plain.mp3"), mime_type="audio/mpeg")
        assert await service.episode_chapters(plain) == ()
        assert await service.episode_chapters(plain) == ()
        assert server.hits("/plain.mp3") == 1
    finally:
        await service.aclose()
