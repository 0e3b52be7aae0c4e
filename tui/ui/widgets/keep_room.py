"""The keep room: saved for later (`S`), Markdown export (`E`) and send-to (`W`).

A widget that draws nothing, like the sync room. It owns the workers of these features and
reports up as the panes do: a sentence for the status bar, a progress line while a page is
fetched, and `ShelfChanged` when the saved stories changed (the screen has the story list
built again, so the "Saved" feed shows it).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.widget import Widget
from textual.worker import get_current_worker

from tui.ui.messages import Announced, ProgressChanged, ReportsWorkers

if TYPE_CHECKING:
    from tui.core.models import Article, Entry
    from tui.core.service import NewsService, Share


class KeepRoom(ReportsWorkers, Widget):
    DEFAULT_CSS = "KeepRoom { display: none; }"

    class ShelfChanged(Message):
        """A story was saved or taken off the shelf."""

    def __init__(self, service: NewsService, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.service = service

    def _announce(self, text: str) -> None:
        self.post_message(Announced(text))

    def act(self, what: str, entry: Entry | None, article: Article | None) -> None:
        """The screen's one delegate: `what` is "save", "export" or "share"."""
        if what == "save":
            self.toggle_saved(entry)
        elif what == "export":
            self.export(entry, article)
        elif what == "share":
            shares = self.service.shares
            if not shares:
                self._announce("No [[share]] commands in the config (see README: Send-to).")
            else:
                self.share(shares[0], entry, article)

    # -- saved for later --------------------------------------------------------------------------

    def toggle_saved(self, entry: Entry | None) -> None:
        """Save the story (or the page open in the reader) for later; again to unsave it."""
        if entry is None or not entry.url:
            self._announce("Nothing to save here: open a story or a page first.")
            return
        self._toggle_saved(entry)

    @work(group="save", exit_on_error=False, name="Saving for later")
    async def _toggle_saved(self, entry: Entry) -> None:
        url = entry.url or ""
        if url in await asyncio.to_thread(self.service.saved_urls):
            await asyncio.to_thread(self.service.unsave, url)
            self._announce(f"Unsaved: {entry.title}")
        else:
            worker = get_current_worker()
            self.post_message(ProgressChanged(worker, f"Saving {entry.title}…"))
            result = await self.service.save(url, entry=entry)
            self.post_message(ProgressChanged(worker, ""))
            self._announce(result.notice)
        self.post_message(self.ShelfChanged())

    # -- export and send-to -----------------------------------------------------------------------

    @staticmethod
    def _target(entry: Entry | None, article: Article | None) -> tuple[str, str] | None:
        """(url, title) of the article open in the reader, else of the story chosen."""
        if article is not None and article.source != "failed":
            return article.url, article.title or article.url
        if entry is not None and entry.url:
            return entry.url, entry.title
        return None

    def export(self, entry: Entry | None, article: Article | None) -> None:
        """Write the open article (or the story under the cursor) as Markdown (E)."""
        target = self._target(entry, article)
        if target is None:
            self._announce("Nothing to export: open an article first.")
            return
        self._export(target[0])

    @work(group="export", exit_on_error=False, name="Exporting the article")
    async def _export(self, url: str) -> None:
        try:
            path = await self.service.export_article(url)
        except OSError as error:
            self._announce(f"Could not write the export: {error.strerror or error}")
            return
        self._announce(f"Exported to {path}")

    def share(self, share: Share, entry: Entry | None, article: Article | None) -> None:
        """Run a [[share]] command on the open article (W runs the first)."""
        target = self._target(entry, article)
        if target is None:
            self._announce("Nothing to send: open an article first.")
            return
        self._share(share, *target)

    @work(group="share", exit_on_error=False, name="Sending")
    async def _share(self, share: Share, url: str, title: str) -> None:
        worker = get_current_worker()
        self.post_message(ProgressChanged(worker, f"Sending to {share.name}…"))
        outcome = await self.service.share(share, url, title)
        self.post_message(ProgressChanged(worker, ""))
        self._announce(outcome.line())
