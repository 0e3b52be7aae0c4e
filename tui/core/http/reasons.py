"""Errors of the network layer → the one short plain reason a user sees ("connection refused").

No server text or traceback reaches the user: the reason comes from the kind of the error and
the OS-level error it was raised from, wherever that sits in the exception chain.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator

import httpx

from tui.core.errors import FetchError


def fetch_error(
    error: Exception,
    url: str,
    status: int | None = None,
    *,
    connect_timeout: float,
    read_timeout: float,
) -> FetchError:
    """Map an httpx error to a FetchError with a plain reason (no server text, no traceback)."""
    if isinstance(error, httpx.ConnectTimeout):
        return FetchError(f"could not connect within {connect_timeout:g} s", url)
    if isinstance(error, httpx.ReadTimeout | httpx.WriteTimeout):
        return FetchError(f"no data for {read_timeout:g} s", url, status)
    return FetchError(network_reason(error), url, status)


def _causes(error: BaseException) -> Iterator[BaseException]:
    """`error` and everything it was raised from, including members of exception groups."""
    seen: set[int] = set()
    stack: list[BaseException] = [error]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        if isinstance(item, BaseExceptionGroup):
            stack.extend(item.exceptions)
        stack.extend(e for e in (item.__cause__, item.__context__) if e is not None)


# What an OS-level cause means, checked anywhere in the exception chain, first match wins.
_OS_REASONS: tuple[tuple[type[BaseException], str], ...] = (
    (ConnectionRefusedError, "connection refused"),
    (ConnectionResetError, "connection reset"),
    (socket.gaierror, "host not found"),
    (ssl.SSLCertVerificationError, "TLS certificate not trusted"),
    (ssl.SSLError, "TLS error"),
)
# Otherwise the httpx error's own kind decides.
_HTTPX_REASONS: tuple[tuple[type[Exception], str], ...] = (
    (httpx.ConnectError, "could not connect"),
    (httpx.PoolTimeout, "timed out waiting for a connection"),
    (httpx.TimeoutException, "timed out"),
    (httpx.RemoteProtocolError, "bad HTTP response"),
    (httpx.ReadError, "connection lost"),
    (httpx.WriteError, "connection lost"),
    (httpx.ProxyError, "proxy error"),
    (httpx.UnsupportedProtocol, "not an http(s) URL"),
    (httpx.InvalidURL, "not a valid URL"),
)


def network_reason(error: Exception) -> str:
    """One plain phrase for a network failure, from the OS-level cause where there is one."""
    causes = list(_causes(error))
    for os_kind, reason in _OS_REASONS:
        if any(isinstance(cause, os_kind) for cause in causes):
            return reason
    for kind, reason in _HTTPX_REASONS:
        if isinstance(error, kind):
            return reason
    return "network error"
