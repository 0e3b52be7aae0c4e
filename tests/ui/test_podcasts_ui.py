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
    """An executable named mpv on PATH that records its arguments."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "argv.txt"
    script = bin_dir / "mpv"
    script.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$@\" > {record}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}/usr/bin:/bin")
    return record


async def test_enter_in_the_sidebar_plays_with_the_player_on_path(stand_in_player: Path) -> None:
    app, session = sample_app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            sidebar = await _sidebar_ready(app, pilot)
            sidebar.query_one("#episodes").focus()
            await pilot.press("down", "enter")
            await wait_until(
                pilot,
                lambda: stand_in_player.exists() and stand_in_player.read_text(),
                what="the player",
            )
            argv = stand_in_player.read_text().splitlines()
            assert (
                argv[-2] == "--"
                and argv[-1].startswith("http://127.0.0.1:")
                and argv[-1].endswith(".mp3")
            )
            assert "Playing:" in app.screen.query_one("#status").message  # type: ignore[attr-defined]
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
