"""A tiny loopback HTTP server for the sample edition, started inside the app (stdlib only).

It serves the packaged files (see `tui.core.sample`) with `{{BASE}}` replaced by its own base URL,
and synthesises silent MP3 files for `/audio/<name>.mp3`, so `broadsheet --sample` exercises the
real network, extraction, cache and podcast code without any internet. It behaves like a decent
web server so that code gets a fair test: ETag and Last-Modified with 304 answers, gzip on
request, byte ranges (206) on audio, 404 for anything not in its fixed list of names. It binds
127.0.0.1 only and never logs (stderr output would scribble over the terminal UI).
"""

from __future__ import annotations

import gzip
import hashlib
import re
import socketserver
import struct
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from tui.core.sample import HOST, PREFERRED_PORT, render, sample_feed_paths, sample_files

# All sample content carries one fixed date: it never changes while the app runs.
LAST_MODIFIED_EPOCH = 1_756_684_800  # 2025-09-01 00:00:00 UTC
LAST_MODIFIED = formatdate(LAST_MODIFIED_EPOCH, usegmt=True)

# Length in seconds of each synthesised episode, by file name (without ".mp3"). The first two are
# the seed article's players ("42:9" and "57:4"); podcast.xml lists the rest.
AUDIO_SECONDS: dict[str, int] = {
    "world-in-review-118": 2529,
    "crosstalk-57": 3424,
    "harbour-hour-12": 3723,
    "library-late-3": 1500,
    "storm-orla-special": 754,
}

_CONTENT_TYPES = {
    ".xml": "application/rss+xml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".jpg": "image/jpeg",
}
_AUDIO_PATH = re.compile(r"^/audio/([a-z0-9-]{1,64})\.mp3$")
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_CHUNK = 64 * 1024


# --- Silent MP3 synthesis ----------------------------------------------------------------------

# MPEG-1 Layer III, 32 kbit/s, 48 kHz, mono, no CRC: every frame is exactly 144 * 32000 / 48000 =
# 96 bytes (no padding ever needed) and lasts 1152 / 48000 = 24 ms. Header bytes:
#   FF FB  sync, MPEG-1, Layer III, no CRC | 14  bitrate index 1 (32k), rate index 1 (48k)
#   C0     channel mode 3 (mono)
# A frame whose side information and main data are all zeros decodes to silence.
MP3_SAMPLE_RATE = 48_000
MP3_SAMPLES_PER_FRAME = 1152
MP3_FRAME_BYTES = 96
_FRAME_HEADER = b"\xff\xfb\x14\xc0"
_SIDE_INFO_BYTES = 17  # MPEG-1 mono
_SILENT_FRAME = _FRAME_HEADER + bytes(MP3_FRAME_BYTES - len(_FRAME_HEADER))
_SILENT_BLOCK = _SILENT_FRAME * (_CHUNK // MP3_FRAME_BYTES)
_XING_FRAMES_AND_BYTES = 0x3


@dataclass(frozen=True, slots=True)
class SilentMp3:
    """A valid MP3 of `seconds` of silence, produced on the fly in chunks (never held whole).

    The first frame is a Xing "Info" frame carrying the audio frame count and the byte size, as
    encoders write for constant bit rate files, so readers such as mutagen report the exact length
    from the first 100 bytes. All later frames are identical, so any byte range is arithmetic.
    """

    seconds: int

    @property
    def frames(self) -> int:
        """Audio frames after the Info frame."""
        return round(self.seconds * MP3_SAMPLE_RATE / MP3_SAMPLES_PER_FRAME)

    @property
    def size(self) -> int:
        return (self.frames + 1) * MP3_FRAME_BYTES

    def info_frame(self) -> bytes:
        tag = b"Info" + struct.pack(">III", _XING_FRAMES_AND_BYTES, self.frames, self.size)
        frame = _FRAME_HEADER + bytes(_SIDE_INFO_BYTES) + tag
        return frame + bytes(MP3_FRAME_BYTES - len(frame))

    def iter_bytes(self, start: int = 0, stop: int | None = None) -> Iterator[bytes]:
        """Yield the bytes [start, stop) of the file in chunks of at most 64 KiB."""
        stop = self.size if stop is None else min(stop, self.size)
        position = max(0, start)
        if position < MP3_FRAME_BYTES and position < stop:
            end = min(stop, MP3_FRAME_BYTES)
            yield self.info_frame()[position:end]
            position = end
        while position < stop:
            phase = (position - MP3_FRAME_BYTES) % MP3_FRAME_BYTES
            take = min(stop - position, len(_SILENT_BLOCK) - phase)
            yield _SILENT_BLOCK[phase : phase + take]
            position += take


# --- What the server serves --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Document:
    """One rendered text file, with its gzip form and validator precomputed."""

    body: bytes
    gzipped: bytes
    etag: str
    content_type: str


def _render_documents(base_url: str) -> dict[str, _Document]:
    documents: dict[str, _Document] = {}
    for path, template in sample_files().items():
        suffix = path[path.rfind(".") :]
        body = render(template, base_url)
        documents[path] = _Document(
            body=body,
            gzipped=gzip.compress(body, mtime=0),
            etag='"' + hashlib.sha256(body).hexdigest()[:20] + '"',
            content_type=_CONTENT_TYPES.get(suffix, "application/octet-stream"),
        )
    return documents


def _etag_matches(header: str, etag: str) -> bool:
    """If-None-Match comparison (weak, as RFC 9110 asks); the gzip variant's tag counts too."""
    gzip_tag = etag[:-1] + '-gz"'
    for tag in header.split(","):
        tag = tag.strip().removeprefix("W/")
        if tag in ("*", etag, gzip_tag):
            return True
    return False


def _parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """Return the half-open byte range a `Range` header asks for, or None to send everything.

    Raises ValueError when the range cannot be satisfied (answered with 416). Malformed and
    multi-part ranges are ignored, which RFC 9110 allows.
    """
    match = _RANGE.match(header.strip()) if header else None
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # "bytes=-N": the last N bytes
        suffix = int(last)
        if suffix == 0:
            raise ValueError("empty suffix range")
        return max(0, size - suffix), size
    start = int(first)
    if last and int(last) < start:
        return None  # syntactically invalid: ignore it
    if start >= size:
        raise ValueError("range starts after the end")
    return start, min(int(last) + 1, size) if last else size


class _Handler(BaseHTTPRequestHandler):
    """Answers GET and HEAD from the server's fixed tables; nothing is read from disk per request."""

    protocol_version = "HTTP/1.1"  # keep-alive, like real sites, so clients reuse connections
    # Headers and body go out in separate writes; with Nagle on, the body waits for the client's
    # delayed ACK and every keep-alive request costs ~40 ms (measured: 44 ms → under 2 ms).
    disable_nagle_algorithm = True
    server_version = "BroadsheetSample/1.0"
    sys_version = ""
    server: _LoopbackServer

    def log_message(self, format: str, *args: Any) -> None:
        """Say nothing: the terminal belongs to the UI."""

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def _respond(self, head: bool) -> None:
        path = urlsplit(self.path).path
        if path == "/":
            path = "/index.html"
        document = self.server.documents.get(path)
        if document is not None:
            self._send_document(document, head)
            return
        match = _AUDIO_PATH.match(path)
        if match and match.group(1) in AUDIO_SECONDS:
            self._send_audio(match.group(1), head)
            return
        self._send_plain(HTTPStatus.NOT_FOUND, b"Not found\n", head)

    def _is_fresh(self, etag: str) -> bool:
        """True when the client's copy is current (so the answer is 304)."""
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:  # takes precedence over the date, per RFC 9110
            return _etag_matches(if_none_match, etag)
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since:
            try:
                since = parsedate_to_datetime(if_modified_since).timestamp()
            except (TypeError, ValueError, IndexError, OverflowError):
                return False
            return since >= LAST_MODIFIED_EPOCH
        return False

    def _send_validators(self, etag: str) -> None:
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", LAST_MODIFIED)
        # Always revalidate: cheap here, and it makes clients exercise their conditional GETs.
        self.send_header("Cache-Control", "no-cache")

    def _send_document(self, document: _Document, head: bool) -> None:
        use_gzip = _accepts_gzip(self.headers.get("Accept-Encoding", ""))
        etag = document.etag[:-1] + '-gz"' if use_gzip else document.etag
        if self._is_fresh(document.etag):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self._send_validators(etag)
            self.send_header("Vary", "Accept-Encoding")
            self.end_headers()
            return
        body = document.gzipped if use_gzip else document.body
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", document.content_type)
        self.send_header("Content-Length", str(len(body)))
        if use_gzip:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self._send_validators(etag)
        self.end_headers()
        if not head:
            self._write([body])

    def _send_audio(self, name: str, head: bool) -> None:
        audio = SilentMp3(AUDIO_SECONDS[name])
        etag = f'"mp3-{name}-{audio.seconds}"'
        if self._is_fresh(etag):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self._send_validators(etag)
            self.end_headers()
            return
        if_range = self.headers.get("If-Range")
        range_header = self.headers.get("Range")
        if if_range is not None and if_range.strip() not in (etag, LAST_MODIFIED):
            range_header = None  # the client's partial copy is stale: send it all
        try:
            wanted = _parse_range(range_header, audio.size)
        except ValueError:
            self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
            self.send_header("Content-Range", f"bytes */{audio.size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        start, stop = wanted if wanted else (0, audio.size)
        self.send_response(HTTPStatus.PARTIAL_CONTENT if wanted else HTTPStatus.OK)
        if wanted:
            self.send_header("Content-Range", f"bytes {start}-{stop - 1}/{audio.size}")
        self.send_header("Content-Type", "audio/mpeg")
        self.send_header("Content-Length", str(stop - start))
        self.send_header("Accept-Ranges", "bytes")
        self._send_validators(etag)
        self.end_headers()
        if not head:
            self._write(audio.iter_bytes(start, stop))

    def _send_plain(self, status: HTTPStatus, body: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self._write([body])

    def _write(self, chunks: Iterable[bytes]) -> None:
        try:
            for chunk in chunks:
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            # The client hung up mid-body (e.g. it only wanted an MP3's first frames): normal.
            self.close_connection = True


def _accepts_gzip(accept_encoding: str) -> bool:
    for part in accept_encoding.lower().split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip() in ("gzip", "x-gzip"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


class _LoopbackServer(ThreadingHTTPServer):
    """ThreadingHTTPServer that stays silent and skips the reverse-DNS look-up of its address."""

    daemon_threads = True
    documents: dict[str, _Document]

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls socket.getfqdn(), which may query DNS; we know our name.
        socketserver.TCPServer.server_bind(self)
        self.server_name = HOST
        self.server_port = self.server_address[1]

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Drop the error quietly: a traceback on stderr would corrupt the terminal UI."""


class SampleServer:
    """The sample edition served on 127.0.0.1 from a daemon thread.

    `port` is the port to try first; 0 means `PREFERRED_PORT` (unless `prefer_fixed_port` is
    False). When that port is taken, any free port is used instead. Use as a context manager or
    call `start()` / `stop()`.
    """

    def __init__(self, port: int = 0, *, prefer_fixed_port: bool = True) -> None:
        self._port = port
        self._prefer_fixed_port = prefer_fixed_port
        self._httpd: _LoopbackServer | None = None
        self._thread: threading.Thread | None = None
        self.base_url = ""

    @property
    def port(self) -> int:
        """The bound port (0 before `start()`)."""
        return self._httpd.server_address[1] if self._httpd else 0

    @property
    def feed_urls(self) -> list[str]:
        """Full URLs of the news feed and the podcast feed (empty before `start()`)."""
        return [self.url(path) for path in sample_feed_paths()] if self.base_url else []

    def url(self, path: str) -> str:
        """The full URL of a path on this server, e.g. url("/news.xml")."""
        return self.base_url + "/" + path.lstrip("/")

    def start(self) -> str:
        """Bind, start serving in a daemon thread and return the base URL (idempotent)."""
        if self._httpd is not None:
            return self.base_url
        httpd = self._bind()
        self.base_url = f"http://{HOST}:{httpd.server_address[1]}"
        httpd.documents = _render_documents(self.base_url)
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="broadsheet-sample-server",
            daemon=True,
        )
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        """Stop serving and release the port (idempotent)."""
        httpd, thread = self._httpd, self._thread
        self._httpd = self._thread = None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        if thread is not None:
            thread.join(timeout=2)

    def _bind(self) -> _LoopbackServer:
        first = self._port or (PREFERRED_PORT if self._prefer_fixed_port else 0)
        candidates = [first, 0] if first else [0]
        for candidate in candidates:
            try:
                return _LoopbackServer((HOST, candidate), _Handler)
            except OSError:
                if candidate == 0:
                    raise
        raise AssertionError("unreachable: port 0 either binds or raises")

    def __enter__(self) -> SampleServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


__all__ = ["AUDIO_SECONDS", "PREFERRED_PORT", "SampleServer", "SilentMp3"]
