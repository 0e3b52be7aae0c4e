"""The listening room at the keyboard: `+` queues, `K`/`J` move and `-` removes (the queue at
the top of the sidebar, kept in the state database), the chapters of the playing episode under
it, enter on a chapter seeks, `]`/`[` change the speed through the stand-in mpv's IPC socket,
and the next queued episode starts when one ends."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.stand_in_players import install_mpv, json_lines
from tui.core.models import Chapter, Episode
from tui.ui.screens.main import MainScreen
from tui.ui.widgets.podcast_sidebar import PodcastSidebar

from .helpers import sample_app, screen_text, wait_until

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX executables and sockets")


@pytest.fixture
def mpv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The stand-in mpv alone on PATH, logging every launch and ending after $PLAYER_SECONDS;
    (its argv log, its command log)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    install_mpv(bin_dir, time_pos=5.0, every_launch=True, timed=True)
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("PLAYER_RECORD", str(tmp_path / "argv.jsonl"))
    monkeypatch.setenv("PLAYER_COMMANDS", str(tmp_path / "commands.jsonl"))
    return tmp_path / "argv.jsonl", tmp_path / "commands.jsonl"


CHAPTERED = Episode(
    title="Chaptered special",
    url="http://127.0.0.1:9/chaptered.mp3",
    duration_seconds=1800,
    feed_title="Loopback Radio",
    chapters=(Chapter(0, "Welcome"), Chapter(300, "The news"), Chapter(900, "Letters")),
)


async def _main(app, pilot) -> PodcastSidebar:  # type: ignore[no-untyped-def]
    await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), what="main screen")
    sidebar = app.screen.query_one(PodcastSidebar)
    await wait_until(pilot, lambda: bool(sidebar.feed_episodes), what="episodes")
    return sidebar


async def test_queue_keys_chapters_seek_and_speed(mpv: tuple[Path, Path]) -> None:
    argv_log, commands = mpv
    app, session = sample_app()
    service = session.service
    service.queue_add(CHAPTERED)  # queued in an earlier session
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            sidebar = await _main(app, pilot)
            status = app.screen.query_one("#status")
            await wait_until(pilot, lambda: sidebar.queue == (CHAPTERED,), what="the queue")
            assert "Queue · 1" in screen_text(app)
            olist = sidebar.query_one("#episodes")
            olist.focus()
            # + on the first latest episode queues it, below the one queued before.
            first = sidebar.feed_episodes[0]
            olist.highlighted = next(
                i for i, row in enumerate(sidebar._rows) if row == ("episode", first, None)
            )
            await pilot.press("+")
            await wait_until(pilot, lambda: len(sidebar.queue) == 2, what="queued")
            assert status.message.startswith("Queued (2 in the queue)")  # type: ignore[attr-defined]
            await pilot.press("+")
            await wait_until(
                pilot,
                lambda: status.message.startswith("Already in the queue"),  # type: ignore[attr-defined]
                what="once only",
            )
            # K moves a queued episode up (the cursor follows it), J down, - removes.
            olist.highlighted = 2  # the header, then CHAPTERED, then `first`
            await pilot.press("K")
            await wait_until(pilot, lambda: sidebar.queue == (first, CHAPTERED), what="moved up")
            assert sidebar.highlighted_episode() == first
            assert [e.url for e in service.play_queue()] == [first.url, CHAPTERED.url]
            await pilot.press("J")
            await wait_until(pilot, lambda: sidebar.queue == (CHAPTERED, first), what="down")
            await pilot.press("-")
            await wait_until(pilot, lambda: sidebar.queue == (CHAPTERED,), what="removed")
            assert [e.url for e in service.play_queue()] == [CHAPTERED.url]

            # enter plays the queued episode; its chapters show under it, the first current.
            olist.highlighted = 1
            await pilot.press("enter")
            await wait_until(pilot, lambda: argv_log.exists(), what="the player")
            await wait_until(pilot, lambda: sidebar.chapter_now == 0, what="the current chapter")
            text = screen_text(app)
            assert "5:00 · The news" in text and "0:00 ▸ Welcome" in text
            # enter on a chapter seeks there; it becomes the current one.
            olist.highlighted = 3  # header, episode, Welcome, The news
            await pilot.press("enter")
            await wait_until(pilot, lambda: sidebar.chapter_now == 1, what="seeked")
            assert ["seek", 300.0, "absolute"] in json_lines(commands)
            assert status.message == "At 5:00: The news"  # type: ignore[attr-defined]
            # ] and [ change the speed through IPC, remembered for the podcast.
            await pilot.press("]")
            await wait_until(
                pilot, lambda: ["set_property", "speed", 1.1] in json_lines(commands), what="speed"
            )
            await wait_until(
                pilot,
                lambda: status.message.startswith("Speed 1.1×"),  # type: ignore[attr-defined]
                what="the speed line",
            )
            await pilot.press("[", "[")
            await wait_until(
                pilot, lambda: ["set_property", "speed", 0.9] in json_lines(commands), what="slower"
            )
            await pilot.press("x")
    finally:
        session.close()


async def test_the_next_queued_episode_starts_when_one_ends(
    mpv: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    argv_log, _ = mpv
    monkeypatch.setenv("PLAYER_SECONDS", "3.5")  # each "plays" 3.5 s, then ends with status 0
    first = Episode(title="First of two", url="http://127.0.0.1:9/1.mp3", feed_title="R")
    second = Episode(title="Second of two", url="http://127.0.0.1:9/2.mp3", feed_title="R")
    app, session = sample_app()
    session.service.queue_add(first)
    session.service.queue_add(second)
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            sidebar = await _main(app, pilot)
            await wait_until(pilot, lambda: len(sidebar.queue) == 2, what="the queue")
            sidebar.query_one("#episodes").focus()
            sidebar.query_one("#episodes").highlighted = 1  # type: ignore[attr-defined]
            await pilot.press("enter")
            await wait_until(
                pilot, lambda: len(json_lines(argv_log)) == 2, timeout=20, what="the next episode"
            )
            assert json_lines(argv_log)[1][-1] == second.url
            await wait_until(pilot, lambda: sidebar.queue == (second,), what="first left")
            assert session.service.state.episode_mark(first.url).played
            await pilot.press("x")
    finally:
        session.close()
    assert os.environ["PLAYER_SECONDS"] == "3.5"


async def test_t_opens_the_transcript_and_enter_plays_from_a_paragraph(
    mpv: tuple[Path, Path],
) -> None:
    argv_log, commands = mpv
    from tests.servers.loopback import Route, serve

    cues = [
        "WEBVTT",
        "",
        "00:00.000 --> 00:02.000",
        "<v Ada>Lighthouse keepers \x1b[31mof old.",
        "",
    ]
    for n in range(1, 60):  # speakers take turns: one paragraph each, a minute apart
        cues += [
            f"{n:02d}:00.000 --> {n:02d}:02.000",
            f"<v {'Bram' if n % 2 else 'Ada'}>Turn {n}.",
            "",
        ]
    with serve() as server:
        server.route("/t.vtt", Route("\n".join(cues).encode(), content_type="text/vtt"))
        episode = Episode(
            title="Transcribed",
            url=server.url("/t.mp3"),
            transcript_url=server.url("/t.vtt"),
            transcript_type="text/vtt",
        )
        app, session = sample_app()
        session.service.queue_add(episode)
        try:
            async with app.run_test(size=(160, 48)) as pilot:
                sidebar = await _main(app, pilot)
                await wait_until(pilot, lambda: bool(sidebar.queue), what="the queue")
                olist = sidebar.query_one("#episodes")
                olist.focus()
                olist.highlighted = 1  # type: ignore[attr-defined]
                await pilot.press("T")
                await wait_until(
                    pilot,
                    lambda: "[0:00] Ada: Lighthouse keepers of old." in screen_text(app),
                    what="the transcript in the reader",
                )
                assert "Transcript: Transcribed" in screen_text(app)
                assert "[1:00] Bram: Turn 1." in screen_text(app)
                assert server.hits("/t.vtt") == 1
                # enter at the end of the transcript plays the episode from a late paragraph
                reader = app.screen.query_one("#reader")
                assert app.focused is reader
                await pilot.press("G", "enter")
                await wait_until(pilot, lambda: argv_log.exists(), what="the player")
                (argv,) = json_lines(argv_log)
                start = next(int(str(a)[8:]) for a in argv if str(a).startswith("--start="))
                assert start >= 30 * 60 and start % 60 == 0 and argv[-1] == episode.url
                # playing now: enter at the top seeks it back to the first paragraph
                await pilot.press("g", "enter")
                await wait_until(
                    pilot, lambda: ["seek", 0.0, "absolute"] in json_lines(commands), what="seek"
                )
                await pilot.press("x")
                # An episode without a transcript says so.
                olist.focus()
                olist.highlighted = 3  # the header, the queued one, "Latest episodes", the first
                await pilot.press("T")
                status = app.screen.query_one("#status")
                await wait_until(
                    pilot,
                    lambda: status.message.startswith("No transcript"),  # type: ignore[attr-defined]
                    what="no transcript",
                )
        finally:
            session.close()
