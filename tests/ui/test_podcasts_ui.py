"""The podcast sidebar at the keyboard: measured lengths, playing, downloading."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tui.core.paths import data_dir
from tui.ui.screens.main import MainScreen
from tui.ui.widgets.podcast_sidebar import PodcastSidebar

from .helpers import sample_app, screen_text, wait_until

SPECIAL = "Storm Orla: a special report"  # the sample episode whose feed gives no length (754 s)


async def _sidebar_ready(app, pilot) -> PodcastSidebar:  # type: ignore[no-untyped-def]
    await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), what="main screen")
    sidebar = app.screen.query_one(PodcastSidebar)
    await wait_until(
        pilot, lambda: any(e.title == SPECIAL for e in sidebar.feed_episodes), what="episodes"
    )
    return sidebar


async def test_missing_length_is_measured_from_the_file() -> None:
    app, session = sample_app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            sidebar = await _sidebar_ready(app, pilot)
            special = lambda: next(e for e in sidebar.feed_episodes if e.title == SPECIAL)  # noqa: E731
            await wait_until(
                pilot, lambda: special().duration_seconds is not None, what="the measured length"
            )
            assert special().duration == "12:34"
            await pilot.pause(0.1)
            assert "12:34" in screen_text(app)
            # the total at the top now counts every episode
            assert "total 3:18:50" in screen_text(app)
    finally:
        session.close()


@pytest.fixture
def stand_in_player(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An executable named mpv on PATH that records its arguments, then plays (sleeps)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "argv.txt"
    script = bin_dir / "mpv"
    script.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$@\" > {record}\nexec sleep 60\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}/usr/bin:/bin")
    return record


def _row_of(app, sidebar: PodcastSidebar, title: str) -> str:  # type: ignore[no-untyped-def]
    """The sidebar's line that starts the episode `title` (its first words)."""
    x = sidebar.region.x
    return next(line[x:] for line in screen_text(app).splitlines() if title in line[x:])


async def test_play_resume_stop_and_mark_played(stand_in_player: Path) -> None:
    """enter plays from where the user left off; ▶ while playing, ◐ when stopped; m marks."""
    app, session = sample_app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            sidebar = await _sidebar_ready(app, pilot)
            status = app.screen.query_one("#status")
            sidebar.query_one("#episodes").focus()
            await pilot.press("down")
            episode = sidebar.highlighted_episode()
            assert episode is not None and episode.title
            title = episode.title[:12]
            session.service.state.set_episode_position(episode.url, 125.0)
            await pilot.press("enter")
            await wait_until(
                pilot,
                lambda: stand_in_player.exists() and stand_in_player.read_text(),
                what="the player",
            )
            argv = stand_in_player.read_text().splitlines()
            assert argv[-2] == "--" and argv[-1] == episode.url
            assert "--start=122" in argv  # resumed a little before where it stopped
            await wait_until(
                pilot, lambda: "▶" in _row_of(app, sidebar, title), what="the playing mark"
            )
            assert status.message.startswith(f"Playing from 2:02: {episode.title}")  # type: ignore[attr-defined]

            await pilot.press("x")
            await wait_until(
                pilot, lambda: "◐" in _row_of(app, sidebar, title), what="the started mark"
            )
            assert status.message.startswith("Stopped at 2:0")  # type: ignore[attr-defined]
            assert 120 <= session.service.state.episode_mark(episode.url).seconds < 140

            await pilot.press("m")  # in the sidebar: played/unplayed, not the story's read mark
            await wait_until(
                pilot, lambda: session.service.state.episode_mark(episode.url).played, what="played"
            )
            await wait_until(
                pilot, lambda: "◐" not in _row_of(app, sidebar, title), what="the mark"
            )
            assert status.message == f"Marked played: {episode.title}"  # type: ignore[attr-defined]
            await pilot.press("m")
            await wait_until(
                pilot, lambda: "●" in _row_of(app, sidebar, title), what="unplayed again"
            )
    finally:
        session.close()


async def test_d_downloads_the_highlighted_episode() -> None:
    app, session = sample_app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            sidebar = await _sidebar_ready(app, pilot)
            olist = sidebar.query_one("#episodes")
            olist.focus()
            index = next(
                i
                for i in range(30)
                if (e := sidebar._episode_at(i)) is not None and e.title == SPECIAL
            )
            olist.highlighted = index  # type: ignore[attr-defined]
            await pilot.press("d")
            status = app.screen.query_one("#status")
            await wait_until(
                pilot,
                lambda: status.message.startswith("Download"),
                timeout=30,
                what="the download",
            )  # type: ignore[attr-defined]
            assert status.message.startswith("Downloaded to")  # type: ignore[attr-defined]
            files = list((data_dir() / "episodes").glob("*.mp3"))
            assert len(files) == 1 and files[0].stat().st_size > 100_000
            assert not list((data_dir() / "episodes").glob("*.part"))
    finally:
        session.close()


async def test_the_sidebar_moves_with_the_story_list_keys() -> None:
    app, session = sample_app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            sidebar = await _sidebar_ready(app, pilot)
            await pilot.press("tab", "tab")  # stories → reader → podcasts
            olist = sidebar.query_one("#episodes")
            assert olist.has_focus
            titles = [e.title for e in sidebar.feed_episodes]

            def highlighted() -> str | None:
                episode = sidebar.highlighted_episode()
                return episode.title if episode else None

            await pilot.press("j")
            first = highlighted()
            assert first == titles[0]
            await pilot.press("j", "j", "k")
            assert highlighted() == titles[1]
            await pilot.press("G")
            assert highlighted() == titles[-1]
            await pilot.press("g")
            assert highlighted() == titles[0]
    finally:
        session.close()
