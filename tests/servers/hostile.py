"""Misbehaving servers: raw handlers for `serve()` that break HTTP in the ways real servers do.

Each factory returns a handler; register it as a route:

    with serve({"/bomb": gzip_bomb(), "/slow": drip(b"x" * 100, interval=0.2)}) as server: ...

Handlers that stream without a Content-Length send `Connection: close` and end by closing, as
HTTP/1.1 requires. Long-running ones stop when the client goes away or the server stops.
"""

from __future__ import annotations

import gzip
import threading
import zlib

from tests.servers.loopback import Handler, LoopbackHandler, Route

_CLOSE = {"Content-Type": "text/html; charset=utf-8", "Connection": "close"}


def sleeper(seconds: float) -> Handler:
    """Accept the request, then say nothing for `seconds` before a small answer."""

    def handle(h: LoopbackHandler) -> None:
        if h.pause(seconds):
            h.send_head(200, {"Content-Length": "2"})
            h.write(b"ok")

    return handle


def drip(body: bytes, interval: float) -> Handler:
    """Declare the full length, then send the body one byte every `interval` seconds."""

    def handle(h: LoopbackHandler) -> None:
        h.send_head(200, {"Content-Length": str(len(body)), "Content-Type": "text/plain"})
        for i in range(len(body)):
            if not h.write(body[i : i + 1]) or not h.pause(interval):
                return

    return handle


def endless(chunk: bytes = b"<p>more</p>" * 6000) -> Handler:
    """A body that never ends (no Content-Length): only a size cap or a deadline stops it."""

    def handle(h: LoopbackHandler) -> None:
        h.send_head(200, _CLOSE)
        while not h.loopback.stopping.is_set() and h.write(chunk):
            pass

    return handle


class GzipBomb:
    """A gzip body that inflates to `decoded_size` zeros (1 GiB → ~1 MiB on the wire).

    Compressed lazily while sending, so the test pays only for what the client reads; written
    in 64 KiB pieces (each ~64 MiB inflated), so a client that inflates a whole network read
    at once is caught by a memory check. `sent` counts the compressed bytes that went out.
    """

    def __init__(self, decoded_size: int = 2**30, block: int = 2**20, piece: int = 2**16) -> None:
        self.decoded_size = decoded_size
        self.block = block
        self.piece = piece
        self.sent = 0

    def __call__(self, h: LoopbackHandler) -> None:
        h.send_head(200, {**_CLOSE, "Content-Encoding": "gzip"})
        packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
        zeros = bytes(self.block)
        pending = bytearray()
        for _ in range(self.decoded_size // self.block):
            pending += packer.compress(zeros)
            if len(pending) >= self.piece:
                if h.loopback.stopping.is_set() or not self._send(h, bytes(pending)):
                    return
                pending.clear()
        self._send(h, bytes(pending) + packer.flush())

    def _send(self, h: LoopbackHandler, data: bytes) -> bool:
        self.sent += len(data)
        return h.write(data)


def encoded_as(encoding: str, body: bytes = b"\x8b\x02\x80hello\x03") -> Handler:
    """Answer with a Content-Encoding the client never asked for (br, zstd, ...)."""

    def handle(h: LoopbackHandler) -> None:
        h.send_head(
            200,
            {
                "Content-Length": str(len(body)),
                "Content-Encoding": encoding,
                "Content-Type": "text/html",
            },
        )
        h.write(body)

    return handle


def truncated_gzip(body: bytes) -> Handler:
    """A gzip stream cut in half, with a Content-Length that matches the cut (so HTTP is fine)."""
    packed = gzip.compress(body)
    cut = packed[: len(packed) // 2]

    def handle(h: LoopbackHandler) -> None:
        h.send_head(200, {"Content-Length": str(len(cut)), "Content-Encoding": "gzip"})
        h.write(cut)

    return handle


def short_body(body: bytes, declared: int) -> Handler:
    """Promise `declared` bytes, send fewer, then close the connection."""

    def handle(h: LoopbackHandler) -> None:
        h.send_head(200, {"Content-Length": str(declared), "Connection": "close"})
        h.write(body)

    return handle


def reset_mid_body(sent: bytes, declared: int) -> Handler:
    """Promise `declared` bytes, send `sent`, then abort the connection with a TCP reset."""

    def handle(h: LoopbackHandler) -> None:
        h.send_head(200, {"Content-Length": str(declared)})
        h.write(sent)
        h.pause(0.05)  # let the client read what was sent before the reset arrives
        h.reset()

    return handle


class _Counted:
    """Base for handlers that misbehave for the first `times` requests, then serve `then`."""

    def __init__(self, then: Route, times: int) -> None:
        self.then = then
        self.times = times
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self, h: LoopbackHandler) -> None:
        with self._lock:
            self.calls += 1
            misbehave = self.calls <= self.times
        if misbehave:
            self.misbehave(h)
        else:
            h.answer(self.then)

    def misbehave(self, h: LoopbackHandler) -> None:
        raise NotImplementedError


class Busy(_Counted):
    """Answer `status` with `Retry-After: retry_after` the first `times` times, then `then`."""

    def __init__(
        self, then: Route, *, times: int = 1, status: int = 429, retry_after: str | None = "1"
    ) -> None:
        super().__init__(then, times)
        self.status = status
        self.retry_after = retry_after

    def misbehave(self, h: LoopbackHandler) -> None:
        headers = {"Content-Length": "4"}
        if self.retry_after is not None:
            headers["Retry-After"] = self.retry_after
        h.send_head(self.status, headers)
        h.write(b"busy")


class ResetFirst(_Counted):
    """Reset the connection before any byte of an answer the first `times` times, then `then`."""

    def __init__(self, then: Route, *, times: int = 1) -> None:
        super().__init__(then, times)

    def misbehave(self, h: LoopbackHandler) -> None:
        h.reset()


def long_header(name: str, length: int, body: bytes = b"ok") -> Handler:
    """A normal answer carrying one absurdly long header value."""

    def handle(h: LoopbackHandler) -> None:
        h.send_head(200, {name: "x" * length, "Content-Length": str(len(body))})
        h.write(body)

    return handle


def raw_head(header_lines: bytes, body: bytes = b"ok") -> Handler:
    """A 200 answer whose header block includes `header_lines` verbatim (CRLF-terminated)."""

    def handle(h: LoopbackHandler) -> None:
        length = b"Content-Length: %d\r\n" % len(body)
        h.write(b"HTTP/1.1 200 OK\r\n" + header_lines + length + b"\r\n" + body)

    return handle


def garbage(data: bytes = b"\x00\xffNOT HTTP AT ALL\r\n\r\n") -> Handler:
    """Answer with bytes that are not HTTP, then close."""

    def handle(h: LoopbackHandler) -> None:
        h.close_connection = True
        h.write(data)

    return handle
