"""Messages that cross widgets (past tense: they report what happened)."""

from __future__ import annotations

from textual.message import Message

from tui.core.service import ArticleResult, RefreshProgress


class ArticleLoaded(Message):
    def __init__(self, url: str, result: ArticleResult) -> None:
        super().__init__()
        self.url = url
        self.result = result


class ArticleFailed(Message):
    def __init__(self, url: str, reason: str) -> None:
        super().__init__()
        self.url = url
        self.reason = reason


class RefreshProgressed(Message):
    """Coalesced: a burst of progress messages collapses into the latest one."""

    def __init__(self, progress: RefreshProgress) -> None:
        super().__init__()
        self.progress = progress

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, RefreshProgressed)
