"""What the service's rooms (SyncDoor, KeepDoor, ListeningDoor, PicturesDoor) use of NewsService.

NewsService (tui/core/service.py) is one door made of rooms: each room is a mixin class in a
module of its own. This base names, for the type checker, the stores and settings NewsService
gives them and the methods it (or another room) defines, so each room reads as plain methods of
the service without importing it (which would be a cycle).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.core.cache import Cache
    from tui.core.config import Config
    from tui.core.http import Fetcher
    from tui.core.listening import Listening
    from tui.core.models import Article, ArticleResult, Entry, Feed, Subscription
    from tui.core.offline import OfflineSet
    from tui.core.state import State
    from tui.core.textindex import TextIndex


class ServiceParts:
    """The parts of NewsService its rooms use (see the module docstring)."""

    config: Config
    cache: Cache
    state: State
    offline: bool
    listening: Listening
    _offline_set: OfflineSet
    _text_index: TextIndex

    if TYPE_CHECKING:  # defined by NewsService

        @property
        def subscriptions(self) -> tuple[Subscription, ...]: ...

        @property
        def fetcher(self) -> Fetcher: ...

        def cached_feed(self, url: str) -> Feed | None: ...

        def cached_article(self, url: str) -> Article | None: ...

        def offline_urls(self) -> set[str]: ...

        async def load_article(self, url: str, *, summary: str | None = None) -> ArticleResult: ...

        def mark_read(self, entries: Sequence[Entry], read: bool = True) -> None: ...

        def set_starred(self, entry: Entry, starred: bool) -> None: ...
