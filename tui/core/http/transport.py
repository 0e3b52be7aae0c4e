"""A lean HTTP/1.1 transport under the shared httpx client: h11 over asyncio streams.

Why: httpx's default transport (httpcore, over anyio) spends about 1.5 ms of CPU on every
request, whatever its size; with h11 straight over asyncio's streams it is about 0.3 ms. A
refresh or a prefetch is thousands of requests, mostly small or unchanged (304), and on a
2-core machine that overhead was the largest single cost after parsing. The client, its API
and its behaviour stay httpx's: this is an `httpx.AsyncBaseTransport`, the documented way to
replace the network layer. It connects directly only: httpx ignores proxies from the
environment once it is given a transport, so when the environment names one the Fetcher does
not use this transport at all and httpx's own transports do the work.

What it does, and no more: HTTP/1.1 GET-style requests with a body-less or bytes body;
keep-alive connections pooled per origin (idle ones capped, and dropped after `keepalive_expiry`
or as soon as the server closes them); TLS through asyncio with the context given; the
connect, read and write timeouts of the request's `timeout` extension. h11 does the parsing,
with its limits (headers over 16 KB are a protocol error). Failures raise the httpx exceptions
httpcore would, with the OS-level error as their cause, so callers map them as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
from collections.abc import AsyncIterator

import h11
import httpx

_READ_SIZE = 256 * 2**10


class _Connection:
    """One TCP (or TLS) connection and its h11 state machine."""

    __slots__ = ("h11", "idle_since", "origin", "reader", "writer")

    def __init__(
        self,
        origin: tuple[str, str, int],
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        self.origin = origin
        self.reader = reader
        self.writer = writer
        self.h11 = h11.Connection(h11.CLIENT)
        self.idle_since = 0.0

    def usable(self, now: float, expiry: float) -> bool:
        """Idle, recently used, and not closed by the server meanwhile. (A server that closes
        it just as it is reused makes the request fail before any answer, which the Fetcher
        retries once on a new connection.)"""
        return (
            now - self.idle_since < expiry
            and not self.writer.is_closing()
            and not self.reader.at_eof()
        )

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.writer.close()


class LeanTransport(httpx.AsyncBaseTransport):
    """See the module docstring. One transport belongs to one event loop."""

    def __init__(
        self,
        ssl_context: ssl.SSLContext,
        *,
        max_idle_per_origin: int = 8,
        max_idle: int = 32,
        keepalive_expiry: float = 5.0,
    ) -> None:
        self._ssl = ssl_context
        self._max_idle_per_origin = max_idle_per_origin
        self._max_idle = max_idle
        self._expiry = keepalive_expiry
        self._idle: dict[tuple[str, str, int], list[_Connection]] = {}
        self._idle_count = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeouts = request.extensions.get("timeout", {})
        url = request.url
        origin = (url.scheme, url.host, url.port or (443 if url.scheme == "https" else 80))
        connection = self._checkout(origin)
        if connection is None:
            connection = await self._connect(origin, timeouts.get("connect"), request)
        try:
            await self._send(connection, request, timeouts.get("write"))
            response = await self._receive_head(connection, timeouts.get("read"), request)
        except BaseException:
            connection.close()
            raise
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=_Body(self, connection, timeouts.get("read"), request),
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": response.reason},
        )

    async def aclose(self) -> None:
        for connections in self._idle.values():
            for connection in connections:
                connection.close()
        self._idle.clear()
        self._idle_count = 0

    # -- the pool -----------------------------------------------------------------------------------

    def _checkout(self, origin: tuple[str, str, int]) -> _Connection | None:
        idle = self._idle.get(origin)
        now = time.monotonic()
        while idle:
            connection = idle.pop()
            self._idle_count -= 1
            if connection.usable(now, self._expiry):
                return connection
            connection.close()
        return None

    def _checkin(self, connection: _Connection) -> None:
        """Keep a connection whose exchange ended cleanly for the next request to its origin."""
        state = connection.h11
        if state.our_state is not h11.DONE or state.their_state is not h11.DONE:
            connection.close()
            return
        state.start_next_cycle()
        idle = self._idle.setdefault(connection.origin, [])
        if len(idle) >= self._max_idle_per_origin or self._idle_count >= self._max_idle:
            connection.close()
            return
        connection.idle_since = time.monotonic()
        idle.append(connection)
        self._idle_count += 1

    async def _connect(
        self, origin: tuple[str, str, int], timeout: float | None, request: httpx.Request
    ) -> _Connection:
        scheme, host, port = origin
        tls = self._ssl if scheme == "https" else None
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(
                    host,
                    port,
                    ssl=tls,
                    server_hostname=host if tls else None,
                    ssl_handshake_timeout=timeout if tls else None,
                    limit=_READ_SIZE,
                )
        except TimeoutError:
            raise httpx.ConnectTimeout("connect timed out", request=request) from None
        except OSError as error:  # refused, unreachable, host not found, TLS failures
            raise httpx.ConnectError(str(error) or type(error).__name__, request=request) from error
        return _Connection(origin, reader, writer)

    # -- one exchange -------------------------------------------------------------------------------

    async def _send(
        self, connection: _Connection, request: httpx.Request, timeout: float | None
    ) -> None:
        body = request.content if request.method not in ("GET", "HEAD") else b""
        try:
            data = connection.h11.send(
                h11.Request(
                    method=request.method,
                    target=request.url.raw_path,
                    headers=list(request.headers.raw),
                )
            )
            if body:
                data = (data or b"") + (connection.h11.send(h11.Data(data=body)) or b"")
            data = (data or b"") + (connection.h11.send(h11.EndOfMessage()) or b"")
        except h11.LocalProtocolError as error:
            raise httpx.LocalProtocolError(str(error), request=request) from None
        try:
            connection.writer.write(data)
            async with asyncio.timeout(timeout):
                await connection.writer.drain()
        except TimeoutError:
            raise httpx.WriteTimeout("write timed out", request=request) from None
        except OSError as error:
            raise httpx.WriteError(str(error) or type(error).__name__, request=request) from error

    async def _receive_head(
        self, connection: _Connection, timeout: float | None, request: httpx.Request
    ) -> h11.Response:
        while True:
            event = await _next_event(connection, timeout, request)
            if isinstance(event, h11.Response):
                return event
            if not isinstance(event, h11.InformationalResponse):  # 1xx: wait for the answer
                raise httpx.RemoteProtocolError("no response", request=request)


class _Body(httpx.AsyncByteStream):
    """The response body as it arrives (still content-encoded: decoding is the caller's)."""

    def __init__(
        self,
        transport: LeanTransport,
        connection: _Connection,
        timeout: float | None,
        request: httpx.Request,
    ) -> None:
        self._transport = transport
        self._connection: _Connection | None = connection
        self._timeout = timeout
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        connection = self._connection
        if connection is None:
            return
        while True:
            event = await _next_event(connection, self._timeout, self._request)
            if isinstance(event, h11.Data):
                yield bytes(event.data)
            elif isinstance(event, h11.EndOfMessage):
                return
            else:
                raise httpx.RemoteProtocolError("unexpected HTTP event", request=self._request)

    async def aclose(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            self._transport._checkin(connection)  # reused only when the answer was read to its end


async def _next_event(
    connection: _Connection, timeout: float | None, request: httpx.Request
) -> object:
    state = connection.h11
    try:
        while True:
            event = state.next_event()
            if event is not h11.NEED_DATA:
                if isinstance(event, h11.ConnectionClosed):
                    raise httpx.RemoteProtocolError("server closed the connection", request=request)
                return event
            try:
                async with asyncio.timeout(timeout):
                    data = await connection.reader.read(_READ_SIZE)
            except TimeoutError:
                raise httpx.ReadTimeout("read timed out", request=request) from None
            except OSError as error:
                raise httpx.ReadError(
                    str(error) or type(error).__name__, request=request
                ) from error
            state.receive_data(data)  # b"": the server closed; h11 says whether that was early
    except h11.RemoteProtocolError as error:
        raise httpx.RemoteProtocolError(str(error), request=request) from None
