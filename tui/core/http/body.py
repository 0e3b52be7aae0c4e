"""The body of an answer: streamed, gzip/deflate inflated here under an output ceiling, capped.

A gzip bomb stops at the size cap instead of filling memory: zlib is never asked for more output
than the cap allows. Bodies not wanted (a 304, a redirect, an error page) are read to their end
only when that is cheap, so their connection goes back to the pool.
"""

from __future__ import annotations

import asyncio
import contextlib
import zlib

import httpx

from tui.core.errors import FetchError

_DECODABLE = {"gzip": "gzip", "x-gzip": "gzip", "deflate": "deflate"}
_SMALL_BODY = 64 * 2**10  # a redirect's body up to this size is read to keep the connection
_SMALL_BODY_SECONDS = 1.0


async def read_body(response: httpx.Response, cap: int, url: str) -> bytes:
    """Stream the body, decoding gzip/deflate ourselves, and stop as soon as it passes `cap`."""
    status = response.status_code
    inflater = Inflater.for_encoding(response.headers.get("content-encoding"), url, status)
    declared = content_length(response)
    too_large = FetchError(f"larger than {format_size(cap)}", url, status)
    if inflater is None and declared is not None and declared > cap:
        raise too_large
    # Compressed data is never much bigger than its output; this bounds streams that inflate
    # to nothing (endless empty deflate blocks) as well.
    raw_cap = cap + cap // 64 + 1024 if inflater else cap
    body = bytearray()
    received = 0
    async for chunk in response.aiter_raw():
        received += len(chunk)
        if received > raw_cap:
            raise too_large
        try:
            body += inflater.feed(chunk, cap - len(body)) if inflater else chunk
        except CorruptData:
            raise FetchError("corrupt compressed data", url, status) from None
        if len(body) > cap:
            raise too_large
    if (inflater is not None and not inflater.complete) or (
        declared is not None and received < declared
    ):
        raise FetchError("truncated response", url, status)
    return bytes(body)


async def finish_small_body(response: httpx.Response) -> None:
    """Read the rest of an answer whose body is not wanted (a 304, a redirect, an error page),
    when that is cheap, so that its connection goes back to the pool: closing a response that
    was not read to its end closes the connection too, and a refresh of many feeds on one host
    (mostly 304s, which have no body at all) would then pay a new TCP (and TLS) handshake for
    every feed. A body that is large, of unknown length or slow to come is not waited for:
    the connection is dropped."""
    declared = content_length(response)
    if response.status_code != 304 and (declared is None or declared > _SMALL_BODY):
        return
    with contextlib.suppress(httpx.HTTPError, TimeoutError):
        async with asyncio.timeout(_SMALL_BODY_SECONDS):
            async for _chunk in response.aiter_raw():
                pass


class CorruptData(Exception):
    """The compressed body is not valid gzip/deflate."""


def content_length(response: httpx.Response) -> int | None:
    value = response.headers.get("content-length", "")
    return int(value) if value.isdigit() else None


def format_size(size: int) -> str:
    """10485760 → "10 MiB"; sizes read the way the user wrote them in the config."""
    if size >= 2**20:
        return f"{size / 2**20:.3g} MiB"
    if size >= 2**10:
        return f"{size / 2**10:.3g} KiB"
    return f"{size} bytes"


class Inflater:
    """Streaming gzip/deflate decoder whose every call yields at most `room + 1` bytes.

    zlib's `max_length` is what makes a bomb harmless: we never ask for more output than the cap
    allows, and the caller stops as soon as one byte too many appears.
    """

    def __init__(self, encoding: str) -> None:
        self._gzip = encoding == "gzip"
        self._decoder: zlib._Decompress | None = None
        self._pending = b""  # input held back until we can tell which format it is
        self._started = False

    @classmethod
    def for_encoding(cls, header: str | None, url: str, status: int) -> Inflater | None:
        """An inflater for the response's Content-Encoding, None for identity, or FetchError."""
        codings = [c.strip().lower() for c in (header or "").split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if not codings:
            return None
        if len(codings) == 1 and codings[0] in _DECODABLE:
            return cls(_DECODABLE[codings[0]])
        shown = ", ".join(codings)
        if len(shown) > 40 or not all(
            c.replace("-", "").isalnum() and c.isascii() for c in codings
        ):
            raise FetchError("unsupported content encoding", url, status)
        raise FetchError(f"unsupported content encoding '{shown}'", url, status)

    @property
    def complete(self) -> bool:
        """True when the compressed stream ended properly (or there was no body at all)."""
        if not self._started:
            return not self._pending
        return self._decoder is not None and self._decoder.eof and not self._pending

    def feed(self, data: bytes, room: int) -> bytes:
        """Decode the next piece of input into at most `room + 1` bytes of output."""
        try:
            return self._feed(data, room)
        except zlib.error:
            raise CorruptData from None

    def _feed(self, data: bytes, room: int) -> bytes:
        data, self._pending = self._pending + data, b""
        out = bytearray()
        while data:
            if self._decoder is None or self._decoder.eof:
                if self._decoder is not None and not self._gzip:
                    break  # bytes after the end of the stream: ignored, as browsers do
                if len(data) < 2:
                    self._pending = data  # too little to recognise a header yet
                    break
                if self._decoder is not None and data[:2] != b"\x1f\x8b":
                    break  # not another gzip member: trailing junk, ignored likewise
                self._decoder = zlib.decompressobj(self._wbits(data))
                self._started = True
            out += self._decoder.decompress(data, room - len(out) + 1)
            if len(out) > room:
                break
            data = self._decoder.unused_data if self._decoder.eof else self._decoder.unconsumed_tail
        return bytes(out)

    def _wbits(self, head: bytes) -> int:
        if self._gzip:
            return zlib.MAX_WBITS | 16  # gzip members, one after another
        # "deflate" is meant to be zlib-wrapped, but many servers send raw deflate.
        zlib_header = head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0
        return zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS
