"""Sync with the reader's own server over the Google Reader API (FreshRSS, Miniflux, Inoreader...).

    from tui.core.sync.config import parse_sync_table
    from tui.core.sync.engine import sync
    from tui.core.sync.queue import SyncStore

    config = parse_sync_table(toml["sync"], config_path)
    store = SyncStore(state.path)              # the same SQLite file as the State
    store.record([(feed_url, entry_id)], "read", True)   # whenever the user marks a story
    async with config.client() as client:
        summary = await sync(client, store, local_side, account=config.account)
    print(summary.line())

Modules: greader.py, the HTTP client (loads httpx); items.py, the plain values it hands out;
queue.py, the durable queue and bookkeeping; engine.py, one sync and the conflict rules;
config.py, the `[sync]` table; errors.py, SyncError. Only greader.py loads httpx and the feed
text helpers, so the others can be imported at start-up. This package imports nothing itself,
and nothing here imports Textual or Rich.
"""
