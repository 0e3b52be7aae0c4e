"""Errors the core raises, each carrying one plain line a user can read."""

from __future__ import annotations

from tui.core.sanitize import clean_line


class BroadsheetError(Exception):
    """Base of every error the core raises on purpose. `str(error)` is the user-facing line."""

    def __init__(self, message: str, url: str | None = None) -> None:
        self.url = clean_line(url, 300) if url else None
        self.reason = clean_line(message, 300)
        super().__init__(f"{self.url}: {self.reason}" if self.url else self.reason)


class FetchError(BroadsheetError):
    """A download failed: network, HTTP status, size or time limit, bad encoding."""

    def __init__(self, message: str, url: str | None = None, status: int | None = None) -> None:
        super().__init__(message, url)
        self.status = status


class OfflineError(FetchError):
    """The network is off (offline mode) and the cache has no copy."""


class FeedError(BroadsheetError):
    """A document could not be read as a feed."""


class ExtractError(BroadsheetError):
    """A page could not be turned into an article."""


class CacheError(BroadsheetError):
    """The cache could not be opened or written."""


class ConfigError(BroadsheetError):
    """The config file has an error; `line` names where, when known."""

    def __init__(
        self,
        message: str,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        where = f"{path}:{line}" if path and line else path
        if where and line and column:
            where = f"{where}:{column}"
        super().__init__(message, where)
        self.path = path
        self.line = line
        self.column = column
