"""The sync room: syncing with the reader's own server (the config's `[sync]` table).

A widget that draws nothing. It owns the sync worker and reports up as the panes do: a
progress line while it runs, the summary (or, through the screen's one handler for failed
workers, why it failed), the feeds as the sync left them, and the status bar's words about
when it last synced and how many marks wait to be sent.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual import work
from textual.widget import Widget
from textual.worker import get_current_worker

from tui.ui.messages import (
    Announced,
    FeedsSynced,
    ProgressChanged,
    ReportsWorkers,
    SyncStatusChanged,
)

if TYPE_CHECKING:
    from tui.core.service import NewsService


class SyncRoom(ReportsWorkers, Widget):
    DEFAULT_CSS = "SyncRoom { display: none; }"

    def __init__(self, service: NewsService, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.service = service

    def sync(self) -> None:
        """Sync now, when sync is set up and the app is online (else nothing happens)."""
        if self.service.sync_configured and not self.service.offline:
            self._sync()

    @work(group="sync", exclusive=True, exit_on_error=False, name="Sync")
    async def _sync(self) -> None:
        worker = get_current_worker()
        self.post_message(ProgressChanged(worker, "Syncing…"))

        def progress(step: str) -> None:  # from the sync's own thread: posting is thread-safe
            self.post_message(ProgressChanged(worker, f"Syncing: {step}"))

        try:
            summary = await self.service.sync(on_progress=progress)
            statuses = await asyncio.to_thread(self.service.statuses)
        finally:
            self.show_status()
        self.post_message(ProgressChanged(worker, ""))
        self.post_message(FeedsSynced(statuses))
        self.post_message(Announced(summary.line()))

    @work(thread=True, group="sync-status", exclusive=True, exit_on_error=False, name="Sync status")
    def show_status(self) -> None:
        """Tell the status bar when the last sync was and how many marks wait (nothing
        without sync). Reads the state database: a thread worker."""
        self.post_message(SyncStatusChanged(self.service.sync_status()))
