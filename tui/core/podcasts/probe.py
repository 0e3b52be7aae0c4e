"""How long is an episode whose feed did not say? Ask its first bytes, not the whole file.

`estimate_duration` reads a length from the head of an audio file (see lengths.py for what each
format allows). `probe_length` fetches that head with one HTTP Range request of PROBE_BYTES and,
when the head points elsewhere (a moov atom at the end of an M4A, an ID3 tag bigger than the
head, the last page of an Ogg stream), one more range. At most two requests and about 2 ×
PROBE_BYTES per episode, whatever the server does: one that ignores Range and sends the whole
file is cut off after PROBE_BYTES.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

import httpx

from tui.core.errors import FetchError
from tui.core.podcasts.http_stream import (
    content_length,
    new_client,
    open_stream,
    parse_content_range,
)
from tui.core.podcasts.lengths import MAX_HEAD_BYTES, audio_length, next_range

PROBE_BYTES = 256 * 1024


class RangeReader(Protocol):
    """Something that can fetch bytes `start`..`end` (inclusive) of a URL."""

    async def get_range(self, url: str, start: int, end: int) -> tuple[bytes, int | None]:
        """Return (the bytes from `start`, at most end - start + 1 of them; the file's total size).

        The total is None when the server does not say. Raises FetchError.
        """
        ...


def estimate_duration(
    head: bytes, total_size: int | None, mime_type: str | None = None
) -> tuple[int | None, bool]:
    """(seconds, estimated) from the first bytes of an audio file and the file's total size.

    `estimated` is True when the length was extrapolated (CBR MP3 by bitrate × size, Ogg by the
    head's bytes per second) rather than read from the file. Unknown or malformed audio gives
    (None, False); this never raises.
    """
    return audio_length({0: head[:MAX_HEAD_BYTES]}, total_size, mime_type)


async def probe_length(
    reader: RangeReader, url: str, mime_type: str | None = None
) -> tuple[int | None, bool]:
    """(seconds, estimated) of the audio at `url` from one or two range requests.

    Raises FetchError when the first request fails (so a caller can tell "offline" from
    "unknown"); a failing second request only costs precision.
    """
    head, total = await reader.get_range(url, 0, PROBE_BYTES - 1)
    head = head[:PROBE_BYTES]  # a reader that returns more than asked gets no more attention
    parts = {0: head}
    more = next_range(head, total, PROBE_BYTES, mime_type)
    if more is not None:
        start, end = more
        try:
            extra, _ = await reader.get_range(url, start, end)
        except FetchError:
            extra = b""
        parts[start] = extra[: end - start + 1]
    return audio_length(parts, total, mime_type)


class HttpxRangeReader:
    """The default RangeReader: a streamed GET with a Range header and a hard byte cap.

    Pass a shared `client` or let the reader own one (closed by `aclose`). `total_timeout`
    bounds each request from connect to last byte, so a server dripping bytes cannot stall a
    probe.
    """

    def __init__(
        self, client: httpx.AsyncClient | None = None, *, total_timeout: float = 30
    ) -> None:
        self._client = client
        self._owns_client = client is None
        self.total_timeout = total_timeout
        self.requests = 0  # how many ranges were asked for; tests and benchmarks read it

    async def aclose(self) -> None:
        if self._owns_client and self._client is not None:
            await self._client.aclose()
            self._client = None

    async def get_range(self, url: str, start: int, end: int) -> tuple[bytes, int | None]:
        if start < 0 or end < start:
            raise ValueError(f"bad range {start}-{end}")
        if self._client is None:
            self._client = new_client()
        self.requests += 1
        try:
            async with asyncio.timeout(self.total_timeout):
                return await self._get(self._client, url, start, end)
        except TimeoutError as exc:
            raise FetchError(f"timed out after {self.total_timeout:g} s", url) from exc
        except httpx.HTTPError as exc:  # raised while reading the body
            raise FetchError("the connection broke", url) from exc

    async def _get(
        self, client: httpx.AsyncClient, url: str, start: int, end: int
    ) -> tuple[bytes, int | None]:
        limit = end - start + 1
        # identity: byte ranges and sizes must refer to the file, not to a compressed form
        headers = {"Range": f"bytes={start}-{end}", "Accept-Encoding": "identity"}
        async with open_stream(client, url, headers) as response:
            status = response.status_code
            if status == 206:
                parsed = parse_content_range(response.headers.get("content-range"))
                if parsed is None or parsed[0] != start:
                    raise FetchError("the server sent the wrong part of the file", url, status)
                total = parsed[2]
            elif status == 200:
                if start != 0:
                    # the whole file from byte 0: not worth reading up to `start` for a probe
                    raise FetchError("the server does not support ranges", url, status)
                total = content_length(response)
            else:
                raise FetchError(f"HTTP {status}", url, status)
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) >= limit:
                    break  # closing the response drops the connection: nothing more is read
            return bytes(body[:limit]), total
