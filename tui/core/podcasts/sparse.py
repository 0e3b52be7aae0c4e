"""A read-only file made of a few downloaded pieces of a remote file, for mutagen to parse.

Why: mutagen reads lengths from seekable files, but a podcast is probed with one or two byte
ranges, not downloaded. This object answers `seek`/`tell` as if the whole file were there (its
size is the remote file's size) and `read` returns only bytes that were fetched: a read that
starts in a gap returns nothing, which mutagen treats as a truncated file, never as data. It
also records whether the reader asked for the end of the file, which tells an MP3 length
derived from the file size (an estimate) from one counted from a VBR header (exact).
"""

from __future__ import annotations

import io
from collections.abc import Mapping


class SparseFile:
    """The pieces `parts` ({offset: bytes}) of a file of `size` bytes (None: end of the last piece)."""

    def __init__(self, parts: Mapping[int, bytes], size: int | None = None) -> None:
        self._parts = _merge(parts)
        known_end = max((offset + len(data) for offset, data in self._parts), default=0)
        self.size = size if size is not None and size >= known_end else known_end
        self.position = 0
        self.seeked_to_end = False

    # -- the file-object methods mutagen uses ------------------------------------------------------

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def writable(self) -> bool:
        return False

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            target = offset
        elif whence == io.SEEK_CUR:
            target = self.position + offset
        elif whence == io.SEEK_END:
            self.seeked_to_end = True
            target = self.size + offset
        else:
            raise ValueError(f"bad whence {whence}")
        if target < 0:
            raise OSError("seek before the start of the file")
        self.position = target
        return target

    def read(self, size: int = -1) -> bytes:
        data = self.pread(self.position, self.size - self.position if size < 0 else size)
        self.position += len(data)
        return data

    # -- direct access -----------------------------------------------------------------------------

    def pread(self, offset: int, size: int) -> bytes:
        """Up to `size` fetched bytes from `offset`; short (or empty) where the fetched piece ends."""
        if size <= 0:
            return b""
        for start, data in self._parts:
            if start <= offset < start + len(data):
                return data[offset - start : offset - start + size]
        return b""


def _merge(parts: Mapping[int, bytes]) -> list[tuple[int, bytes]]:
    """Sort the pieces and join those that touch or overlap, so reads can span them."""
    merged: list[tuple[int, bytes]] = []
    for offset, data in sorted(parts.items()):
        if not data or offset < 0:
            continue
        if merged and offset <= merged[-1][0] + len(merged[-1][1]):
            start, previous = merged[-1]
            merged[-1] = (start, previous + data[start + len(previous) - offset :])
        else:
            merged.append((offset, data))
    return merged
