"""Fetcher against misbehaving loopback servers: every failure is bounded, quick and plain."""

from __future__ import annotations

import email.utils
import socket
import time
import tracemalloc
from typing import Any

import pytest

from tests.servers import hostile
from tests.servers.loopback import Route, no_proxies, serve
from tui.core.errors import FetchError
from tui.core.http import Fetcher
from tui.core.models import FetchResult

pytestmark = pytest.mark.usefixtures(no_proxies.__name__)

MiB = 2**20


async def fetch(url: str, *, max_bytes: int | None = None, **options: Any) -> FetchResult:
    """One fetch with a fresh Fetcher built from `options`."""
    async with Fetcher(**options) as fetcher:
        return await fetcher.fetch(url, max_bytes=max_bytes)


async def failure(url: str, **options: Any) -> tuple[FetchError, float]:
    """The FetchError a fetch raises, and how long it took to raise it."""
    start = time.perf_counter()
    with pytest.raises(FetchError) as caught:
        await fetch(url, **options)
    return caught.value, time.perf_counter() - start


async def test_silent_server_hits_the_total_deadline() -> None:
    with serve({"/x": hostile.sleeper(10)}) as server:
        error, took = await failure(server.url("/x"), total_timeout=0.5)
    assert error.reason == "timed out after 0.5 s"
    assert 0.45 < took < 1.5


async def test_silent_server_hits_the_read_timeout_first_when_shorter() -> None:
    with serve({"/x": hostile.sleeper(10)}) as server:
        error, took = await failure(server.url("/x"), read_timeout=0.3, total_timeout=5)
    assert error.reason == "no data for 0.3 s"
    assert took < 1.5


async def test_slow_drip_ends_at_the_deadline() -> None:
    # 1 byte per 0.2 s never trips a read timeout; only the total deadline stops it.
    with serve({"/x": hostile.drip(b"x" * 100, interval=0.2)}) as server:
        error, took = await failure(server.url("/x"), total_timeout=1)
    assert error.reason == "timed out after 1 s"
    assert 0.95 < took < 2


async def test_gzip_bomb_stops_at_the_cap_with_bounded_memory() -> None:
    bomb = hostile.GzipBomb(decoded_size=2**30)  # 1 GiB of zeros, about 1 MiB on the wire
    with serve({"/bomb": bomb}) as server:
        tracemalloc.start()
        try:
            error, took = await failure(server.url("/bomb"), max_bytes=MiB)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert error.reason == "larger than 1 MiB"
    assert took < 3
    assert peak < 16 * MiB  # server's 1 MiB block + our 1 MiB body, never the 1 GiB


async def test_endless_body_stops_at_the_cap() -> None:
    with serve({"/x": hostile.endless()}) as server:
        error, took = await failure(server.url("/x"), max_bytes=MiB)
    assert error.reason == "larger than 1 MiB" and error.status == 200
    assert took < 3


@pytest.mark.parametrize("encoding", ["br", "zstd", "compress", "gzip, gzip"])
async def test_unrequested_content_encoding_is_refused(encoding: str) -> None:
    with serve({"/x": hostile.encoded_as(encoding)}) as server:
        error, _ = await failure(server.url("/x"))
    assert error.reason == f"unsupported content encoding '{encoding}'"


async def test_strange_content_encoding_name_is_not_echoed() -> None:
    with serve({"/x": hostile.encoded_as("x" * 60)}) as server:
        error, _ = await failure(server.url("/x"))
    assert error.reason == "unsupported content encoding"


async def test_truncated_gzip_is_reported() -> None:
    with serve({"/x": hostile.truncated_gzip(b"some words " * 500)}) as server:
        error, _ = await failure(server.url("/x"))
    assert error.reason == "truncated response"


async def test_corrupt_gzip_is_reported() -> None:
    with serve({"/x": hostile.encoded_as("gzip", b"\x1f\x8b this is not gzip at all")}) as server:
        error, _ = await failure(server.url("/x"))
    assert error.reason == "corrupt compressed data"


async def test_body_shorter_than_its_content_length_is_truncated() -> None:
    with serve({"/x": hostile.short_body(b"x" * 100, declared=1000)}) as server:
        error, _ = await failure(server.url("/x"))
    assert error.reason == "truncated response"


async def test_reset_mid_body_is_reported_and_not_retried() -> None:
    with serve({"/x": hostile.reset_mid_body(b"x" * 1000, declared=100_000)}) as server:
        error, _ = await failure(server.url("/x"))
        assert server.hits("/x") == 1
    assert error.reason == "connection reset"


async def test_reset_before_any_byte_is_retried_once() -> None:
    flaky = hostile.ResetFirst(Route(b"second time lucky"), times=1)
    with serve({"/x": flaky}) as server:
        result = await fetch(server.url("/x"))
    assert result.body == b"second time lucky"
    assert flaky.calls == 2


async def test_reset_before_any_byte_twice_gives_up() -> None:
    flaky = hostile.ResetFirst(Route(b"never"), times=5)
    with serve({"/x": flaky}) as server:
        error, _ = await failure(server.url("/x"))
    assert error.reason in {"connection reset", "bad HTTP response"}  # RST vs EOF: OS timing
    assert flaky.calls == 2


async def test_429_with_retry_after_is_retried() -> None:
    busy = hostile.Busy(Route(b"welcome"), times=1, status=429, retry_after="1")
    with serve({"/x": busy}) as server:
        start = time.perf_counter()
        result = await fetch(server.url("/x"))
        took = time.perf_counter() - start
    assert result.body == b"welcome" and busy.calls == 2
    assert 0.95 < took < 2  # it did wait as asked


async def test_retry_after_as_an_http_date_is_understood() -> None:
    when = email.utils.formatdate(time.time() - 5, usegmt=True)  # already past: no wait
    busy = hostile.Busy(Route(b"ok"), times=1, status=503, retry_after=when)
    with serve({"/x": busy}) as server:
        result = await fetch(server.url("/x"))
    assert result.body == b"ok" and busy.calls == 2


async def test_retry_after_beyond_the_cap_gives_up_at_once() -> None:
    busy = hostile.Busy(Route(b"ok"), times=1, status=503, retry_after="120")
    with serve({"/x": busy}) as server:
        error, took = await failure(server.url("/x"), max_retry_after=30)
    assert error.reason == "HTTP 503 (asked to retry after 120 s)" and error.status == 503
    assert took < 1 and busy.calls == 1


async def test_retry_after_beyond_the_deadline_gives_up_at_once() -> None:
    busy = hostile.Busy(Route(b"ok"), times=1, status=429, retry_after="5")
    with serve({"/x": busy}) as server:
        error, took = await failure(server.url("/x"), total_timeout=2, max_retry_after=30)
    assert error.reason == "HTTP 429 (asked to retry after 5 s)"
    assert took < 1 and busy.calls == 1


async def test_retries_are_limited() -> None:
    busy = hostile.Busy(Route(b"ok"), times=10, status=429, retry_after="0")
    with serve({"/x": busy}) as server:
        error, _ = await failure(server.url("/x"), max_retries=2)
    assert error.reason == "HTTP 429" and error.status == 429
    assert busy.calls == 3  # the first try and two retries


async def test_busy_without_retry_after_is_not_retried() -> None:
    busy = hostile.Busy(Route(b"ok"), times=1, status=503, retry_after=None)
    with serve({"/x": busy}) as server:
        error, _ = await failure(server.url("/x"))
    assert error.reason == "HTTP 503" and busy.calls == 1


async def test_non_http_answer_is_a_plain_error() -> None:
    with serve({"/x": hostile.garbage(b"\x1b]0;pwned\x07NOT HTTP\r\n\r\n")}) as server:
        error, _ = await failure(server.url("/x"))
    assert error.reason == "bad HTTP response"
    assert "pwned" not in str(error) and "\x1b" not in str(error)


@pytest.mark.parametrize(
    "line",
    [
        b'Content-Type: text/html\x1b]0;pwned\x07\r\nETag: "a\x1b[31m"\r\n',
        b'Content-Type: text/html; charset=\xe9\r\nETag: "caf\xe9"\r\n',
    ],
)
async def test_headers_with_control_or_non_ascii_bytes_are_dropped(line: bytes) -> None:
    with serve({"/x": hostile.raw_head(line)}) as server:
        result = await fetch(server.url("/x"))
    assert result.body == b"ok"
    assert result.content_type is None and result.etag is None


@pytest.mark.parametrize("name", ["ETag", "Content-Type", "Last-Modified"])
async def test_overlong_headers_are_dropped_not_kept(name: str) -> None:
    with serve({"/x": hostile.long_header(name, 5000)}) as server:
        result = await fetch(server.url("/x"))
    assert result.body == b"ok"
    assert result.etag is None and result.content_type is None and result.last_modified is None


async def test_connection_refused_is_named() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago and has no listener
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    error, took = await failure(f"http://127.0.0.1:{port}/")
    assert error.reason == "connection refused" and took < 2


# -- redirect chains: up to 10 hops, loops and other schemes still refused ----------------------


def _chain(hops: int, last: Route, *, status: int = 302) -> dict[str, Route]:
    routes = {
        f"/hop{n}": Route(status=status, content_type=None, headers={"Location": f"/hop{n + 1}"})
        for n in range(hops)
    }
    routes[f"/hop{hops}"] = last
    return routes


@pytest.mark.parametrize("hops", [5, 7, 10])
@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_a_chain_of_up_to_ten_redirects_is_followed(hops: int, status: int) -> None:
    with serve(_chain(hops, Route(b"arrived"), status=status)) as server:
        result = await fetch(server.url("/hop0"))
        assert server.hits() == hops + 1
    assert result.body == b"arrived"
    assert result.url == server.url(f"/hop{hops}")


async def test_an_eleventh_redirect_is_refused() -> None:
    with serve(_chain(11, Route(b"arrived"))) as server:
        error, _ = await failure(server.url("/hop0"))
        assert server.hits() == 11  # the first request and ten redirects, then stop
    assert error.reason == "too many redirects"


@pytest.mark.parametrize("size", [1, 2, 3])
async def test_a_redirect_loop_is_refused(size: int) -> None:
    routes = {
        f"/loop{n}": Route(
            status=302, content_type=None, headers={"Location": f"/loop{(n + 1) % size}"}
        )
        for n in range(size)
    }
    with serve(routes) as server:
        error, took = await failure(server.url("/loop0"))
        assert server.hits() == 11
    assert error.reason == "too many redirects"
    assert took < 5


@pytest.mark.parametrize(
    "target", ["file:///etc/passwd", "javascript:alert(1)", "ftp://127.0.0.1/x", "data:,x"]
)
async def test_a_late_hop_to_another_scheme_is_refused(target: str) -> None:
    routes = _chain(7, Route(status=302, content_type=None, headers={"Location": target}))
    with serve(routes) as server:
        error, _ = await failure(server.url("/hop0"))
        assert server.hits() == 8  # nothing is requested after the bad hop
    assert "http(s)" in error.reason
