"""Sync with the reader's own server over the Google Reader API (FreshRSS, Miniflux, Inoreader...).

    config = parse_sync_table(toml["sync"], config_path)
    store = SyncStore(state.path)              # the same SQLite file as the State
    store.record([(feed_url, entry_id)], "read", True)   # whenever the user marks a synced story
    async with config.client() as client:
        summary = await sync(client, store, local_side, account=config.account)
    print(summary.line())

greader.py is the HTTP client, queue.py the durable queue and bookkeeping, engine.py one sync
(and the conflict rules), config.py the `[sync]` table. Nothing here imports Textual or Rich.
"""

from __future__ import annotations

from tui.core.sync.config import PASSWORD_ENV, SyncConfig, parse_sync_table
from tui.core.sync.engine import LocalSide, SyncSummary, decide, entry_for, sync
from tui.core.sync.errors import SyncAuthError, SyncError
from tui.core.sync.greader import GReaderClient, RemoteItem, Subscription, item_id
from tui.core.sync.queue import KnownItem, Mark, SyncStore

__all__ = [
    "PASSWORD_ENV",
    "GReaderClient",
    "KnownItem",
    "LocalSide",
    "Mark",
    "RemoteItem",
    "Subscription",
    "SyncAuthError",
    "SyncConfig",
    "SyncError",
    "SyncStore",
    "SyncSummary",
    "decide",
    "entry_for",
    "item_id",
    "parse_sync_table",
    "sync",
]
