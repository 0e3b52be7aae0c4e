"""Download an episode to the episodes directory, resuming where an earlier attempt stopped.

The bytes go to `<name>.part` and the file gets its final name only when complete, so a file
without `.part` is always whole. A later call finds the `.part` and asks for the rest with a
Range header; a server that answers 206 from that offset appends, one that answers 200 starts
over. A size cap (500 MiB by default) is checked against the declared size before writing and
against the bytes actually received while writing. Only http(s) URLs are fetched, on every
redirect hop.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import httpx

from tui.core.errors import FetchError
from tui.core.paths import data_dir
from tui.core.podcasts import DownloadError
from tui.core.podcasts.filenames import safe_filename
from tui.core.podcasts.http_stream import (
    content_length,
    is_web_url,
    new_client,
    open_stream,
    parse_content_range,
    parse_unsatisfied_range,
)

MAX_BYTES = 500 * 2**20
PART_SUFFIX = ".part"
Progress = Callable[[int, int | None], None]

__all__ = ["MAX_BYTES", "DownloadError", "download", "downloads_dir", "safe_filename"]


def downloads_dir() -> Path:
    """Where downloaded episodes live: user data (never evicted like the cache)."""
    path = data_dir() / "episodes"
    path.mkdir(parents=True, exist_ok=True)
    return path


async def download(
    url: str,
    dest_dir: Path,
    *,
    title: str,
    max_bytes: int = MAX_BYTES,
    progress: Progress | None = None,
    client: httpx.AsyncClient | None = None,
    mime_type: str | None = None,
) -> Path:
    """Fetch `url` into `dest_dir` and return the finished file's path.

    Returns at once when the file is already there. `progress(received, total)` is called
    after each chunk (total None when the server does not say). Raises DownloadError: an
    interrupted download keeps its `.part` for the next call to resume; one over the size cap
    is deleted.
    """
    if not is_web_url(url):
        raise DownloadError("Only http and https addresses can be downloaded", url)
    final = dest_dir / safe_filename(title, url, mime_type)
    if final.is_file():
        return final
    dest_dir.mkdir(parents=True, exist_ok=True)
    part = final.with_name(final.name + PART_SUFFIX)
    own_client = client is None
    active = client or new_client()
    try:
        await _transfer(active, url, part, max_bytes, progress)
    except FetchError as exc:
        raise DownloadError(_interrupted(exc.reason, part), url) from exc
    except httpx.HTTPError as exc:  # the connection broke while the body was streaming
        raise DownloadError(_interrupted("the connection broke", part), url) from exc
    finally:
        if own_client:
            await active.aclose()
    os.replace(part, final)
    return final


def _interrupted(reason: str, part: Path) -> str:
    if part.is_file() and part.stat().st_size:
        return f"Download interrupted ({reason}); try again to resume"
    return f"Download failed ({reason})"


async def _transfer(
    client: httpx.AsyncClient, url: str, part: Path, max_bytes: int, progress: Progress | None
) -> None:
    """Fill `part` with the whole body of `url`, resuming from its current size when possible."""
    offset = part.stat().st_size if part.is_file() else 0
    if offset > max_bytes:
        offset = 0
    headers = {"Accept-Encoding": "identity"}  # ranges count bytes of the file itself
    if offset:
        headers["Range"] = f"bytes={offset}-"
    async with open_stream(client, url, headers) as response:
        status = response.status_code
        total: int | None
        if status == 206 and offset:
            parsed = parse_content_range(response.headers.get("content-range"))
            if parsed is None or parsed[0] != offset:
                raise FetchError("the server sent the wrong part of the file", url, status)
            total = parsed[2]
        elif status == 200:
            offset, total = 0, content_length(response)  # no resume: start over
        elif status == 416 and offset:
            size = parse_unsatisfied_range(response.headers.get("content-range"))
            if size == offset:
                return  # the part already holds the whole file
            part.unlink(missing_ok=True)  # the file changed on the server: next call restarts
            raise FetchError("the file changed on the server", url, status)
        else:
            raise FetchError(f"HTTP {status}", url, status)
        if total is not None and total > max_bytes:
            part.unlink(missing_ok=True)
            raise DownloadError(f"The episode is larger than {_mib(max_bytes)}", url)
        with part.open("r+b" if offset else "wb") as out:
            out.seek(offset)
            out.truncate()
            await _write_body(response, out, offset, total, max_bytes, progress, part, url)
        received = part.stat().st_size
        if total is not None and received < total:
            raise FetchError("the server stopped sending", url)


async def _write_body(
    response: httpx.Response,
    out: BinaryIO,
    offset: int,
    total: int | None,
    max_bytes: int,
    progress: Progress | None,
    part: Path,
    url: str,
) -> None:
    received = offset
    async for chunk in response.aiter_bytes():
        received += len(chunk)
        if received > max_bytes:
            out.close()
            part.unlink(missing_ok=True)
            raise DownloadError(f"The episode is larger than {_mib(max_bytes)}", url)
        # A plain blocking write: chunks are small and local disks fast, and a thread hop per
        # chunk would cost more than the write itself.
        out.write(chunk)
        if progress is not None:
            progress(received, total)


def _mib(size: int) -> str:
    return f"{size / 2**20:g} MiB"
