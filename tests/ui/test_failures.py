"""Nothing fails silently: a worker that fails says so in the status bar, a failed refresh
takes its progress line with it, a config that cannot be written on removal is reported, and
one task's progress ending never clears another's."""

from __future__ import annotations

import errno

from textual.app import App, ComposeResult

from tests.servers.loopback import Route, serve
from tui.core import paths
from tui.core.session import open_session
from tui.ui.app import BroadsheetApp
from tui.ui.screens.feeds import FeedsScreen
from tui.ui.widgets.status_bar import StatusBar

from .helpers import main_screen, refreshed_main, sample_app, screen_text, wait_until

FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback Times</title>
<item><title>Harbour reopens</title><link>/a.html</link><guid>a</guid></item></channel></rss>"""


async def test_a_failing_worker_shows_a_status_message() -> None:
    app, session = sample_app()

    def broken(entry: object, starred: bool) -> None:
        raise RuntimeError("the state file is on fire")

    try:
        async with app.run_test(size=(160, 48)) as pilot:
            main = await refreshed_main(app, pilot)
            session.service.set_starred = broken  # type: ignore[method-assign]
            await pilot.press("g", "s")
            await wait_until(
                pilot, lambda: "on fire" in main.status.message, what="the failure reported"
            )
            assert main.status.message == (
                "Saving the star failed: RuntimeError: the state file is on fire"
            )
            assert app.is_running
    finally:
        session.close()


async def test_a_failed_refresh_clears_its_progress() -> None:
    app, session = sample_app()

    async def broken(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    session.service.refresh_all = broken  # type: ignore[method-assign]
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            main = await main_screen(app, pilot)
            await wait_until(
                pilot, lambda: "failed" in main.status.message, what="the refresh to fail"
            )
            assert main.status.message == "Refresh failed: No space left on device"
            assert main.status.progress == ""
            await pilot.pause(0.1)
            assert "Refreshing" not in screen_text(app)
    finally:
        session.close()


async def test_a_failed_removal_is_reported_and_the_feed_kept() -> None:
    with serve({"/feed.xml": Route(body=FEED, content_type="application/rss+xml")}) as server:
        path = paths.config_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f'[settings]\nsample_edition = false\n\n[[feeds]]\nurl = "{server.url("/feed.xml")}"\n'
        )
        session = open_session()
        errors = iter(
            [OSError(errno.EACCES, "Permission denied"), ValueError("a config it cannot write")]
        )

        def unwritable(url: str) -> None:
            raise next(errors)

        session.service.unsubscribe = unwritable  # type: ignore[method-assign]
        app = BroadsheetApp(session)
        try:
            async with app.run_test(size=(140, 40)) as pilot:
                main = await main_screen(app, pilot)
                await wait_until(
                    pilot, lambda: main.status.message.startswith("Refreshed"), what="refresh"
                )
                for expected in (
                    "Could not save the config: Permission denied",
                    "Removing the feed failed: ValueError: a config it cannot write",
                ):
                    await pilot.press("F")
                    await wait_until(
                        pilot, lambda: isinstance(app.screen, FeedsScreen), what="the feeds view"
                    )
                    await pilot.press("x")
                    await wait_until(
                        pilot,
                        lambda e=expected: main.status.message == e,  # type: ignore[misc]
                        what=expected,
                    )
                    assert [s.subscription.url for s in main.stories_pane.statuses] == [
                        server.url("/feed.xml")
                    ]
        finally:
            session.close()


class _Bar(App[None]):
    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")


async def test_one_progress_display_for_every_task() -> None:
    app = _Bar()
    async with app.run_test() as pilot:
        bar = app.query_one(StatusBar)
        refresh, download = object(), object()
        bar.show_progress(refresh, "Refreshing 1/4…")
        assert bar.progress == "Refreshing 1/4…"
        bar.show_progress(download, "Downloading 2.0 MiB")
        bar.show_progress(refresh, "Refreshing 2/4…")
        assert bar.progress == "Refreshing 2/4… · Downloading 2.0 MiB"
        bar.end_progress(refresh)  # the refresh ends: the download's line stays
        assert bar.progress == "Downloading 2.0 MiB"
        bar.show_progress(download, "")
        assert bar.progress == ""
        await pilot.pause()


async def test_an_unexpected_failure_while_adding_a_feed_is_shown_in_the_dialog() -> None:
    from tui.ui.screens.feeds import AddFeedScreen

    app, session = sample_app()

    async def broken(url: str) -> list[tuple[str, str | None]]:
        raise RuntimeError("the parser fell over")

    session.service.discover = broken  # type: ignore[method-assign]
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            await refreshed_main(app, pilot)
            await pilot.press("a")
            await wait_until(pilot, lambda: isinstance(app.screen, AddFeedScreen), what="dialog")
            await pilot.press(*"127.0.0.1:9/", "enter")
            await wait_until(
                pilot,
                lambda: (
                    "Looking for feeds failed: RuntimeError: the parser fell over"
                    in screen_text(app)
                ),
                what="the failure in the dialog",
            )
    finally:
        session.close()
