"""The keep room through Pilot: S saves the story under the cursor (a "Saved" feed appears at
the top of the list, and the story reads from it), S again unsaves it."""

from __future__ import annotations

from tui.core.service import SAVED_FEED

from .helpers import refreshed_main, sample_app, wait_until


async def test_S_saves_the_story_and_S_again_unsaves_it() -> None:
    app, session = sample_app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            main = await refreshed_main(app, pilot)
            await pilot.press("g", "j")
            entry = main.stories_pane.entry_at_cursor()
            assert entry is not None and entry.url
            await pilot.press("S")
            await wait_until(
                pilot,
                lambda: (
                    bool(main.stories_pane.rowset.rows)
                    and main.stories_pane.rowset.rows[0].key == SAVED_FEED
                ),
                what="the Saved feed",
            )
            assert main.status.message == "Saved for later: it reads offline."
            assert main.stories_pane.rowset.rows[0].title == "Saved"
            assert (
                main.stories_pane.rowset.entries[1] == entry
            )  # the feed's own story, first on the shelf
            assert session.service.is_offline_ready(entry.url)
            assert main.stories_pane.entry_at_cursor() == entry  # the cursor stayed on it
            await pilot.press("S")
            await wait_until(
                pilot,
                lambda: main.stories_pane.rowset.rows[0].key != SAVED_FEED,
                what="the shelf emptied",
            )
            assert main.status.message.startswith("Unsaved: ")
            assert session.service.saved() == []
    finally:
        session.close()


async def test_E_exports_the_open_article_and_W_needs_a_share() -> None:
    from pathlib import Path

    app, session = sample_app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            main = await refreshed_main(app, pilot)
            await pilot.press("g", "j", "enter")
            await wait_until(pilot, lambda: main.reader.article is not None, what="the article")
            article = main.reader.article
            assert article is not None
            await pilot.press("E")
            await wait_until(
                pilot, lambda: main.status.message.startswith("Exported to "), what="export"
            )
            path = Path(main.status.message.removeprefix("Exported to "))
            assert path.parent == session.service.export_dir and path.suffix == ".md"
            assert f'url: "{article.url}"' in path.read_text(encoding="utf-8")
            await pilot.press("W")
            await wait_until(
                pilot, lambda: main.status.message.startswith("No [[share]]"), what="no share"
            )
    finally:
        session.close()
