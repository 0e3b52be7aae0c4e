"""The errors sync raises: one plain line each, never a password, token or server text."""

from __future__ import annotations

from tui.core.errors import BroadsheetError


class SyncError(BroadsheetError):
    """Sync failed: the server was unreachable, answered badly, or refused a request.

    `status` is the HTTP status when there was one.
    """

    def __init__(self, message: str, url: str | None = None, status: int | None = None) -> None:
        super().__init__(message, url)
        self.status = status


class SyncAuthError(SyncError):
    """The server refused the user name or password (or a fresh login right after one)."""
