"""Podcast audio: measure an episode's length, play it in an external player, download it.

The submodules are imported on demand (`tui.core.podcasts.probe`, `.player`, `.download`) so that
importing this package stays cheap; only the errors live here, shared by all three.
"""

from __future__ import annotations

from tui.core.errors import BroadsheetError


class PlayerError(BroadsheetError):
    """An episode could not be handed to an audio player (none installed, refused target...)."""


class DownloadError(BroadsheetError):
    """An episode could not be downloaded (network, size cap, refused URL...)."""


__all__ = ["DownloadError", "PlayerError"]
