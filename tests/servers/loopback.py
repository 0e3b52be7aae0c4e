"""A real HTTP server on 127.0.0.1 for tests, with pluggable routes.

    with serve({"/feed.xml": Route(body=b"<rss/>", content_type="application/rss+xml",
                                   etag='"v1"')}) as server:
        await fetcher.fetch(server.url("/feed.xml"))      # or f"{server}/feed.xml"
        assert server.hits("/feed.xml") == 1

A `Route` is a well-behaved resource: it answers conditional GETs (ETag/If-None-Match,
Last-Modified/If-Modified-Since) with 304, single byte ranges with 206, can gzip/deflate its body
and wait before answering. For misbehaviour register a raw handler instead: any callable taking the
`LoopbackHandler`, which may write whatever bytes it likes (see hostile.py for ready-made ones).

The server records every request and connection and the most requests it ever had in flight at
once, so tests can assert politeness and "no traffic at all". Threads are daemons and sleeping
handlers wake when the server stops, so leaving the `with` block never hangs.
"""

from __future__ import annotations

import email.utils
import gzip
import socket
import struct
import sys
import threading
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal

import pytest

Handler = Callable[["LoopbackHandler"], None]


@dataclass(frozen=True)
class Route:
    """A resource that behaves: fixed body and headers, honouring validators and ranges."""

    body: bytes = b""
    status: int = 200
    content_type: str | None = "text/plain; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None  # an HTTP date, e.g. "Wed, 21 Oct 2015 07:28:00 GMT"
    headers: Mapping[str, str] = field(default_factory=dict)
    encoding: Literal["gzip", "deflate"] | None = None  # compress the body on the wire
    delay: float = 0.0  # seconds to wait before answering


def redirect(location: str, status: int = 302) -> Route:
    """A route that redirects to `location` (relative or absolute)."""
    return Route(status=status, content_type=None, headers={"Location": location})


@dataclass(frozen=True)
class SeenRequest:
    """One request as the server received it."""

    method: str
    path: str
    headers: dict[str, str]  # names lower-cased


class LoopbackServer:
    """The running server: its base URL, its routes and what it has seen.

    `str(server)` and `f"{server}"` give the base URL (no trailing slash).
    """

    def __init__(self, routes: Mapping[str, Route | Handler]) -> None:
        self.routes: dict[str, Route | Handler] = dict(routes)
        self.requests: list[SeenRequest] = []
        self.connections = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), LoopbackHandler)
        self._httpd.loopback = self
        host, port = self._httpd.server_address[:2]
        self.base_url = f"http://{host}:{port}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __str__(self) -> str:
        return self.base_url

    def url(self, path: str = "/") -> str:
        """The absolute URL of `path` on this server."""
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def route(self, path: str, target: Route | Handler) -> None:
        """Add or replace the route at `path` (a path, optionally with its query string)."""
        self.routes[path] = target

    def hits(self, path: str | None = None, *, prefix: str | None = None) -> int:
        """How many requests arrived (for `path` only, or paths starting with `prefix`)."""
        with self._lock:
            return sum(
                1
                for r in self.requests
                if (path is None or r.path == path)
                and (prefix is None or r.path.startswith(prefix))
            )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.stopping.set()  # wakes handlers sleeping in `pause`
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    # -- bookkeeping called from handler threads --------------------------------------------------

    def _connected(self) -> None:
        with self._lock:
            self.connections += 1

    def _begin(self, seen: SeenRequest) -> None:
        with self._lock:
            self.requests.append(seen)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def _end(self) -> None:
        with self._lock:
            self.in_flight -= 1


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # idle keep-alive connections must not hold up shutdown
    loopback: LoopbackServer

    def verify_request(self, request: object, client_address: object) -> bool:
        self.loopback._connected()
        return True

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that drops a body on purpose (a size cap, a refused encoding) resets the
        # connection mid-answer: expected in these tests, not worth a traceback on stderr.
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class LoopbackHandler(BaseHTTPRequestHandler):
    """Dispatches each request to its Route or raw handler; helpers for raw handlers below."""

    protocol_version = "HTTP/1.1"
    # TCP_NODELAY, as real servers set it: headers and a small body go out in two writes, and
    # with Nagle's algorithm the second waited for the client's delayed ACK (40 ms on Linux
    # loopback), so every short answer (a 404, a 304's neighbour, a tiny page) took 40 ms.
    disable_nagle_algorithm = True
    server: _Server

    @property
    def loopback(self) -> LoopbackServer:
        return self.server.loopback

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep test output clean

    def do_GET(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        seen = SeenRequest(self.command, self.path, {k.lower(): v for k, v in self.headers.items()})
        self.loopback._begin(seen)
        try:
            target = self.loopback.routes.get(self.path) or self.loopback.routes.get(
                self.path.split("?", 1)[0]
            )
            if target is None:
                self.answer(Route(body=b"not found", status=404))
            elif isinstance(target, Route):
                self.answer(target)
            else:
                target(self)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client went away: nothing more to do
        finally:
            self.loopback._end()

    # -- helpers for raw handlers -----------------------------------------------------------------

    def send_head(self, status: int, headers: Mapping[str, str]) -> None:
        """Write a status line and headers, exactly as given (no Content-Length added).

        A body without Content-Length must come with `Connection: close` and end by closing.
        """
        self.send_response_only(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()  # send_header noted any "Connection: close" in close_connection

    def write(self, data: bytes) -> bool:
        """Send bytes now; False when the client has gone away."""
        try:
            self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
            return False
        return True

    def pause(self, seconds: float) -> bool:
        """Sleep, waking early if the server stops; False when it stopped."""
        return not self.loopback.stopping.wait(seconds)

    def reset(self) -> None:
        """Abort the connection with a TCP RST (SO_LINGER 0), not a polite FIN."""
        self.close_connection = True
        sock = self.connection
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.rfile.close()  # drop makefile's reference so close() really closes the socket
        sock.close()

    # -- the well-behaved route -------------------------------------------------------------------

    def answer(self, route: Route) -> None:
        """Serve `route` (used for requests routed to it, and by handlers that turn nice)."""
        if route.delay and not self.pause(route.delay):
            return
        headers = dict(route.headers)
        if route.content_type:
            headers["Content-Type"] = route.content_type
        if route.etag:
            headers["ETag"] = route.etag
        if route.last_modified:
            headers["Last-Modified"] = route.last_modified
        if route.status == 200 and self._not_modified(route):
            self._send(304, headers, b"")
            return
        status, body = route.status, route.body
        if status == 200 and "range" in self.headers:
            status, body = self._range(body, headers)
        if route.encoding == "gzip":
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        elif route.encoding == "deflate":
            body = zlib.compress(body)
            headers["Content-Encoding"] = "deflate"
        self._send(status, headers, body)

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        headers["Content-Length"] = str(len(body))
        self.send_head(status, headers)
        if self.command != "HEAD" and status != 304:
            self.write(body)

    def _not_modified(self, route: Route) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = [tag.strip() for tag in if_none_match.split(",")]
            return route.etag is not None and (route.etag in tags or "*" in tags)
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since and route.last_modified:
            try:
                since = email.utils.parsedate_to_datetime(if_modified_since)
                modified = email.utils.parsedate_to_datetime(route.last_modified)
            except (TypeError, ValueError):
                return False
            return modified <= since
        return False

    def _range(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        """Serve one `bytes=a-b`, `bytes=a-` or `bytes=-n` range; anything else gets it all."""
        spec = self.headers["Range"].strip()
        if not spec.startswith("bytes=") or "," in spec:
            return 200, body
        first, _, last = spec[6:].partition("-")
        size = len(body)
        try:
            if first:
                start, end = int(first), int(last) if last else size - 1
            else:
                start, end = max(0, size - int(last)), size - 1
        except ValueError:
            return 200, body
        end = min(end, size - 1)
        if start >= size or start > end:
            headers["Content-Range"] = f"bytes */{size}"
            return 416, b""
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        return 206, body[start : end + 1]


@contextmanager
def serve(routes: Mapping[str, Route | Handler] | None = None) -> Iterator[LoopbackServer]:
    """Run a loopback server for the duration of the `with` block."""
    server = LoopbackServer(routes or {})
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def loopback() -> Iterator[LoopbackServer]:
    """A running server with no routes yet; add them with `loopback.route(path, ...)`.

    Import it into a test module (`from tests.servers.loopback import loopback`) to use it.
    """
    with serve() as server:
        yield server


PROXY_VARIABLES = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
)


@pytest.fixture
def no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep a developer's proxy settings from routing loopback requests elsewhere."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
