"""The one HTTP client: every download in Broadsheet goes through `Fetcher.fetch`.

Why it is more than `client.get(url)`: feeds and pages come from servers we do not control, so
every resource a download can use is bounded. Only http(s) URLs are fetched, on every redirect
hop (redirects are followed here, not by httpx, so each hop is checked). The body is streamed raw
and gzip/deflate are inflated here with an output ceiling, so a gzip bomb stops at the size cap
instead of filling memory. Each fetch has a total deadline on top of httpx's connect/read
timeouts, so a server dripping one byte a second cannot hold a worker forever. A global and a
per-host semaphore keep us polite; 429/503 with Retry-After are retried within limits.

Every failure is a `FetchError` with one short plain reason ("HTTP 404", "timed out after 30 s",
"larger than 10 MiB"); no server text or traceback reaches the user. One Fetcher belongs to one
event loop; its httpx client is created on the first fetch, so constructing one is cheap.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.cookiejar
import os
import ssl
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from types import TracebackType

import httpx

from tui import __version__
from tui.core.errors import FetchError, OfflineError
from tui.core.http.body import finish_small_body, read_body
from tui.core.http.reasons import fetch_error
from tui.core.http.tls import TrustStore
from tui.core.models import URL_LIMIT, FetchResult

DEFAULT_USER_AGENT = f"Broadsheet/{__version__} (terminal news reader)"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 503})
HEADER_LIMIT = 256  # validators and content types longer than this are not plain headers


class Fetcher:
    """Downloads URLs politely and within hard limits; see the module docstring for why.

    `concurrency` caps fetches in flight overall and `per_host` per host name; the total deadline
    of a fetch starts when it gets its slots, so waiting in the queue does not eat into it.
    """

    def __init__(
        self,
        *,
        offline: bool = False,
        user_agent: str = DEFAULT_USER_AGENT,
        connect_timeout: float = 10,
        read_timeout: float = 20,
        total_timeout: float = 30,
        max_bytes: int = 10 * 2**20,
        concurrency: int = 8,
        per_host: int = 2,
        max_redirects: int = 10,
        max_retries: int = 2,
        max_retry_after: float = 30,
    ) -> None:
        if concurrency < 1 or per_host < 1:
            raise ValueError("concurrency and per_host must be at least 1")
        self.offline = offline
        self.user_agent = user_agent
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.total_timeout = total_timeout
        self.max_bytes = max_bytes
        self.concurrency = concurrency
        self.per_host = per_host
        self.max_redirects = max_redirects
        self.max_retries = max_retries
        self.max_retry_after = max_retry_after
        self._client: httpx.AsyncClient | None = None
        self._trust = TrustStore()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._global: asyncio.Semaphore | None = None
        self._hosts: dict[str, _HostGate] = {}

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the shared client and its connections; safe twice, and a later fetch reopens."""
        client, self._client = self._client, None
        # A client made under an earlier event loop cannot be closed from this one; its
        # connections were torn down with that loop.
        if client is not None and self._loop is asyncio.get_running_loop():
            await client.aclose()

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
        headers: dict[str, str] | None = None,
        accept: str | None = None,
        credentials: dict[str, str] | None = None,
    ) -> FetchResult:
        """GET `url` (following redirects) and return its decoded body, or raise FetchError.

        `etag`/`last_modified` make the request conditional: a 304 answer comes back as
        `FetchResult(not_modified=True, body=b"")`. `max_bytes` overrides the size cap for this
        call; it applies to the decoded body. Raises OfflineError, without any traffic, offline.
        `credentials` are headers (Authorization, Cookie, a token) sent to `url`'s own origin
        only: the first redirect to another scheme, host or port drops them for good.
        """
        current = _http_url(url, url)
        if self.offline:
            raise OfflineError("offline", url)
        client = self._ensure_client()
        cap = self.max_bytes if max_bytes is None else max_bytes
        request_headers = self._request_headers(etag, last_modified, headers, accept)
        secret = {name.lower() for name in credentials or {}}
        request_headers.update(credentials or {})
        jar = httpx.Cookies()  # cookies live for one fetch (redirect dances), never longer
        deadline: float | None = None
        hops = retries = 0
        reset_retried = False
        while True:
            if current.scheme == "https":
                await self._trust.ready(url)
            async with self._slots(current.host):
                if deadline is None:
                    deadline = asyncio.get_running_loop().time() + self.total_timeout
                try:
                    async with asyncio.timeout_at(deadline):
                        step = await self._exchange(client, current, request_headers, jar, cap, url)
                except TimeoutError:
                    raise FetchError(f"timed out after {self.total_timeout:g} s", url) from None
                except _DiedBeforeAnswer as died:
                    if reset_retried:
                        raise died.error from None
                    reset_retried = True  # most often a stale keep-alive connection: try once more
                    continue
            if isinstance(step, FetchResult):
                return step
            if isinstance(step, _Redirect):
                hops += 1
                if hops > self.max_redirects:
                    raise FetchError("too many redirects", url)
                current = step.url
                if step.cross_host:
                    request_headers = _without_credentials(request_headers, secret)
                continue
            retries += 1
            self._check_retry(step, retries, deadline, url)
            await asyncio.sleep(step.wait)  # outside the slots, so others use them meanwhile

    # -- one request and its answer ---------------------------------------------------------------

    async def _exchange(
        self,
        client: httpx.AsyncClient,
        target: httpx.URL,
        headers: dict[str, str],
        jar: httpx.Cookies,
        cap: int,
        url: str,
    ) -> FetchResult | _Redirect | _RetryLater:
        """Send one GET and turn its answer into a result, a redirect to follow or a retry."""
        request = client.build_request("GET", target, headers=headers)
        if jar:  # the cookie machinery is slow; most fetches never see a cookie
            jar.set_cookie_header(request)
        try:
            response = await client.send(request, stream=True, follow_redirects=False)
        except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError) as error:
            raise _DiedBeforeAnswer(self._error(error, url)) from None
        except httpx.HTTPError as error:
            raise self._error(error, url) from None
        except (httpx.InvalidURL, ValueError):
            # httpx builds the next request from Location even when not following it, and a
            # "javascript:" or "data:" location is not a URL it can build.
            raise FetchError("redirected to an address that is not an http(s) URL", url) from None
        try:
            if "set-cookie" in response.headers:
                jar.extract_cookies(response)
            status = response.status_code
            location = response.headers.get("location")
            if status in REDIRECT_STATUSES and location:
                hop = _Redirect.resolve(response.url, location, url)
                await finish_small_body(response)
                return hop
            if status == 304:
                await finish_small_body(response)
                return self._not_modified(response, headers)
            if status in RETRY_STATUSES:
                wait = _retry_after(response.headers.get("retry-after"))
                if wait is not None:
                    await finish_small_body(response)
                    return _RetryLater(status, wait)
            if not 200 <= status < 300:
                await finish_small_body(response)
                raise FetchError(f"HTTP {status}", url, status)
            body = await read_body(response, cap, url)
            return self._result(response, body)
        except httpx.RemoteProtocolError:
            # h11 raises this when the peer closes before the declared Content-Length.
            raise FetchError("truncated response", url, response.status_code) from None
        except httpx.HTTPError as error:
            raise self._error(error, url, response.status_code) from None
        finally:
            await response.aclose()

    def _result(
        self, response: httpx.Response, body: bytes, *, not_modified: bool = False
    ) -> FetchResult:
        headers = response.headers
        return FetchResult(
            url=str(response.url),
            status=response.status_code,
            body=body,
            content_type=plain_header(headers.get("content-type")),
            etag=plain_header(headers.get("etag")),
            last_modified=plain_header(headers.get("last-modified")),
            not_modified=not_modified,
            fetched_at=time.time(),
        )

    def _not_modified(self, response: httpx.Response, sent: dict[str, str]) -> FetchResult:
        """A 304 result; validators the server left out are the ones we sent (still current)."""
        result = self._result(response, b"", not_modified=True)
        return replace(
            result,
            etag=result.etag or sent.get("If-None-Match"),
            last_modified=result.last_modified or sent.get("If-Modified-Since"),
        )

    def _check_retry(self, step: _RetryLater, retries: int, deadline: float, url: str) -> None:
        """Raise unless waiting `step.wait` and asking again fits the retry and time budgets."""
        if retries > self.max_retries:
            raise FetchError(f"HTTP {step.status}", url, step.status)
        late = asyncio.get_running_loop().time() + step.wait > deadline
        if step.wait > self.max_retry_after or late:
            reason = f"HTTP {step.status} (asked to retry after {step.wait:.0f} s)"
            raise FetchError(reason, url, step.status)

    def _error(self, error: Exception, url: str, status: int | None = None) -> FetchError:
        return fetch_error(
            error,
            url,
            status,
            connect_timeout=self.connect_timeout,
            read_timeout=self.read_timeout,
        )

    # -- shared state: client and semaphores ------------------------------------------------------

    def _ensure_client(self) -> httpx.AsyncClient:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            # A client and semaphores are tied to the loop that first used them; a Fetcher
            # reused under a new loop (a second asyncio.run) starts afresh rather than failing.
            self._loop, self._client, self._hosts = loop, None, {}
            self._global = asyncio.Semaphore(self.concurrency)
            self._trust.loading = None
        if self._client is None:
            transport = _transport(self._trust.context, self.concurrency)
            self._client = httpx.AsyncClient(
                transport=transport,
                verify=self._trust.context,
                timeout=httpx.Timeout(
                    connect=self.connect_timeout,
                    read=self.read_timeout,
                    write=self.read_timeout,
                    pool=self.total_timeout,
                ),
                limits=httpx.Limits(
                    max_connections=self.concurrency, max_keepalive_connections=self.concurrency
                ),
                headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"},
                cookies=_refusing_jar(),
                follow_redirects=False,
            )
        return self._client

    @contextlib.asynccontextmanager
    async def _slots(self, host: str) -> AsyncIterator[None]:
        """Hold a per-host slot, then a global one: in that order, so a fetch queued behind
        its host does not sit on a global slot that other hosts could use."""
        gate = self._hosts.get(host)
        if gate is None:
            gate = self._hosts[host] = _HostGate(asyncio.Semaphore(self.per_host))
        gate.users += 1
        try:
            assert self._global is not None  # set by _ensure_client
            async with gate.semaphore, self._global:
                yield
        finally:
            gate.users -= 1
            if gate.users == 0:  # forget idle hosts, so a long session does not grow the dict
                self._hosts.pop(host, None)

    def _request_headers(
        self,
        etag: str | None,
        last_modified: str | None,
        extra: dict[str, str] | None,
        accept: str | None,
    ) -> dict[str, str]:
        headers = {"Accept": accept or "*/*"}
        # Validators come back from the network via the cache; send only plain ones.
        if etag and plain_header(etag) == etag:
            headers["If-None-Match"] = etag
        if last_modified and plain_header(last_modified) == last_modified:
            headers["If-Modified-Since"] = last_modified
        # Our decoder handles gzip and deflate only: a caller may not widen Accept-Encoding.
        headers.update((k, v) for k, v in (extra or {}).items() if k.lower() != "accept-encoding")
        return headers


# The transport under the client is httpx's own (httpcore), chosen by measurement over a
# hand-written h11 transport and httpx-aiohttp (README, "How a refresh is fast"). To measure
# again, bench/refresh.py --transports httpx,aiohttp sets this variable in the processes it
# times; "aiohttp" takes effect only where httpx-aiohttp is installed (the bench extra).
TRANSPORT_VARIABLE = "BROADSHEET_HTTP_TRANSPORT"
TRANSPORTS = ("httpx", "aiohttp")
DEFAULT_TRANSPORT = "httpx"


def _transport(context: ssl.SSLContext, concurrency: int) -> httpx.AsyncBaseTransport | None:
    """The transport under the client: None (httpx's default) unless the bench asks otherwise."""
    if os.environ.get(TRANSPORT_VARIABLE) != "aiohttp":
        return None
    try:
        from httpx_aiohttp import AiohttpTransport
    except ImportError:
        return None
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    return AiohttpTransport(verify=context, limits=limits, trust_env=True)


# -- helpers: steps, URLs, headers ----------------------------------------------------------------


class _HostGate:
    """The semaphore of one host and how many fetches hold or wait for it."""

    __slots__ = ("semaphore", "users")

    def __init__(self, semaphore: asyncio.Semaphore) -> None:
        self.semaphore = semaphore
        self.users = 0


class _RetryLater:
    """The server said busy (429/503) and when to ask again."""

    __slots__ = ("status", "wait")

    def __init__(self, status: int, wait: float) -> None:
        self.status = status
        self.wait = wait


class _Redirect:
    """The next hop of a redirect."""

    __slots__ = ("cross_host", "url")

    def __init__(self, url: httpx.URL, cross_host: bool) -> None:
        self.url = url
        self.cross_host = cross_host

    @classmethod
    def resolve(cls, base: httpx.URL, location: str, url: str) -> _Redirect:
        """The next hop, checked like a URL the user typed: only http(s), bounded length."""
        try:
            target = base.join(location)
        except (httpx.InvalidURL, ValueError):
            raise FetchError("bad redirect", url) from None
        if target.scheme not in ("http", "https"):
            raise FetchError("redirected to a non-http(s) URL", url)
        # Another origin (scheme, host or port: 127.0.0.1:8001 is not 127.0.0.1:8000).
        origin = (target.scheme, target.host, target.port)
        return cls(_http_url(str(target), url), origin != (base.scheme, base.host, base.port))


class _DiedBeforeAnswer(Exception):
    """The connection failed after sending but before any byte of an answer (retried once)."""

    def __init__(self, error: FetchError) -> None:
        super().__init__(error.reason)
        self.error = error


def _http_url(raw: str, url: str) -> httpx.URL:
    """Parse `raw` as an absolute http(s) URL or raise FetchError, before any traffic."""
    if len(raw) > URL_LIMIT:
        raise FetchError("URL too long", url)
    try:
        parsed = httpx.URL(raw)
    except (httpx.InvalidURL, ValueError, TypeError):
        raise FetchError("not a valid URL", url) from None
    if parsed.scheme not in ("http", "https"):
        raise FetchError("not an http(s) URL", url)
    if not parsed.host:
        raise FetchError("not a valid URL", url)
    return parsed


def _without_credentials(
    headers: dict[str, str], secret: set[str] | frozenset[str] = frozenset()
) -> dict[str, str]:
    """Drop caller-supplied credentials (and the headers named `secret`) before following a
    redirect to another origin."""
    drop = {"authorization", "cookie", *secret}
    return {k: v for k, v in headers.items() if k.lower() not in drop}


def plain_header(value: str | None) -> str | None:
    """`value` if it is a short line of printable ASCII, else None (never a mangled copy)."""
    if value is None:
        return None
    value = value.strip()
    if not value or len(value) > HEADER_LIMIT or not value.isascii() or not value.isprintable():
        return None
    return value


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value) if len(value) <= 9 else 1e9  # absurd waits stay finite
    from email.utils import parsedate_to_datetime  # only for the rare HTTP-date form

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _refusing_jar() -> http.cookiejar.CookieJar:
    """A jar that stores nothing: the shared client must not carry cookies between sites."""
    return http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
