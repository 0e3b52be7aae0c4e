"""Fetcher against well-behaved loopback servers: results, redirects, validators, limits."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import gzip
import shutil
import ssl
import subprocess
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.servers.loopback import (
    LoopbackHandler,
    LoopbackServer,
    Route,
    no_proxies,
    redirect,
    serve,
)
from tui.core.errors import FetchError, OfflineError
from tui.core.http import Fetcher
from tui.core.models import FetchResult

pytestmark = pytest.mark.usefixtures(no_proxies.__name__)

FEED = b"<?xml version='1.0'?><rss version='2.0'><channel><title>Loop</title></channel></rss>"
LAST_MODIFIED = "Wed, 21 Oct 2015 07:28:00 GMT"


async def fetch(url: str, *, max_redirects: int = 5, **call: Any) -> FetchResult:
    """One fetch with a fresh Fetcher."""
    async with Fetcher(max_redirects=max_redirects) as fetcher:
        return await fetcher.fetch(url, **call)


def test_constructing_needs_no_event_loop_and_opens_nothing() -> None:
    fetcher = Fetcher(per_host=3)
    assert fetcher._client is None
    with pytest.raises(ValueError):
        Fetcher(per_host=0)


async def test_success_carries_body_final_url_and_validators() -> None:
    route = Route(
        FEED, content_type="application/rss+xml", etag='"v1"', last_modified=LAST_MODIFIED
    )
    with serve({"/feed.xml": route}) as server:
        before = time.time()
        async with Fetcher() as fetcher:
            result = await fetcher.fetch(server.url("/feed.xml"), accept="application/rss+xml")
        seen = server.requests[0].headers
    assert result.body == FEED
    assert result.status == 200 and not result.not_modified
    assert result.url == server.url("/feed.xml")
    assert result.content_type == "application/rss+xml"
    assert result.etag == '"v1"' and result.last_modified == LAST_MODIFIED
    assert before <= result.fetched_at <= time.time()
    assert seen["accept"] == "application/rss+xml"
    assert seen["accept-encoding"] == "gzip, deflate"
    assert seen["user-agent"].startswith("Broadsheet/")
    assert "if-none-match" not in seen and "if-modified-since" not in seen


@pytest.mark.parametrize("status", [404, 410, 500, 502])
async def test_error_status_is_one_plain_line_without_server_text(status: int) -> None:
    route = Route(b"SERVER-SIDE STACK TRACE", status=status)
    with serve({"/x": route}) as server, pytest.raises(FetchError) as caught:
        await fetch(server.url("/x"))
    assert caught.value.reason == f"HTTP {status}"
    assert caught.value.status == status
    assert "STACK" not in str(caught.value)


async def test_redirects_are_followed_and_the_final_url_reported() -> None:
    routes = {
        "/old": redirect("/middle", 301),
        "/middle": redirect("/new?x=1", 308),  # relative target with a query
        "/new": Route(b"moved here"),
    }
    with serve(routes) as server:
        result = await fetch(server.url("/old"))
    assert result.body == b"moved here"
    assert result.url == server.url("/new?x=1")


async def test_redirect_limit_is_exact() -> None:
    routes: dict[str, Route] = {f"/hop{i}": redirect(f"/hop{i + 1}") for i in range(6)}
    routes["/hop6"] = Route(b"end")
    with serve(routes) as server:
        # hop3 → hop6 is 3 redirects: allowed at max_redirects=3
        assert (await fetch(server.url("/hop3"), max_redirects=3)).body == b"end"
        with pytest.raises(FetchError, match="too many redirects"):
            await fetch(server.url("/hop2"), max_redirects=3)  # 4 redirects


async def test_redirect_loop_stops() -> None:
    with serve({"/a": redirect("/b"), "/b": redirect("/a")}) as server:
        with pytest.raises(FetchError) as caught:
            await fetch(server.url("/a"), max_redirects=5)
        assert caught.value.reason == "too many redirects"
        assert server.hits() == 6  # the first request and five redirects, then stop


@pytest.mark.parametrize(
    "target", ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1:70/"]
)
async def test_redirect_to_a_non_http_scheme_is_refused(target: str) -> None:
    with serve({"/go": redirect(target)}) as server:
        with pytest.raises(FetchError) as caught:
            await fetch(server.url("/go"))
        assert caught.value.reason == "redirected to a non-http(s) URL"
        assert server.hits() == 1


@pytest.mark.parametrize(
    "make_url",
    [
        lambda base: "file:///etc/passwd",
        lambda base: base.replace("http://", "ftp://") + "/feed.xml",
        lambda base: "javascript:alert(1)",
        lambda base: "data:text/html,<p>hi</p>",
        lambda base: "/feed.xml",  # relative: no scheme at all
    ],
)
async def test_non_http_urls_are_refused_without_traffic(make_url: Callable[[str], str]) -> None:
    with serve({"/feed.xml": Route(FEED)}) as server:
        with pytest.raises(FetchError) as caught:
            await fetch(make_url(server.base_url))
        assert caught.value.reason == "not an http(s) URL"
        assert server.connections == 0


async def test_offline_makes_no_connection() -> None:
    with serve({"/feed.xml": Route(FEED)}) as server:
        async with Fetcher(offline=True) as fetcher:
            with pytest.raises(OfflineError):
                await fetcher.fetch(server.url("/feed.xml"))
        assert server.connections == 0 and server.hits() == 0


def _raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def _encoded(body: bytes, encoding: str) -> Callable[[LoopbackHandler], None]:
    def handle(h: LoopbackHandler) -> None:
        h.send_head(200, {"Content-Length": str(len(body)), "Content-Encoding": encoding})
        h.write(body)

    return handle


async def test_compressed_bodies_are_decoded() -> None:
    text = "Zeitung für alle. ".encode() * 2000
    routes = {
        "/gzip": Route(text, encoding="gzip"),
        "/deflate": Route(text, encoding="deflate"),  # zlib-wrapped, as the RFC says
        "/raw-deflate": _encoded(_raw_deflate(text), "deflate"),  # what many servers send
        "/two-members": _encoded(gzip.compress(text[:100]) + gzip.compress(text[100:]), "gzip"),
        "/x-gzip": _encoded(gzip.compress(text), "x-gzip, identity"),
    }
    with serve(routes) as server:
        async with Fetcher() as fetcher:
            for path in routes:
                result = await fetcher.fetch(server.url(path))
                assert result.body == text, path


async def test_conditional_get_with_etag_returns_not_modified() -> None:
    with serve({"/feed.xml": Route(FEED, etag='"v1"')}) as server:
        async with Fetcher() as fetcher:
            first = await fetcher.fetch(server.url("/feed.xml"))
            again = await fetcher.fetch(server.url("/feed.xml"), etag=first.etag)
            server.route("/feed.xml", Route(FEED + b"<!-- new -->", etag='"v2"'))
            changed = await fetcher.fetch(server.url("/feed.xml"), etag=first.etag)
        sent = server.requests[1].headers
    assert first.etag == '"v1"'
    assert sent["if-none-match"] == '"v1"'
    assert again.not_modified and again.status == 304 and again.body == b""
    assert again.etag == '"v1"'
    assert not changed.not_modified and changed.etag == '"v2"' and changed.body.endswith(b"-->")


async def test_conditional_get_with_last_modified_returns_not_modified() -> None:
    with serve({"/feed.xml": Route(FEED, last_modified=LAST_MODIFIED)}) as server:
        async with Fetcher() as fetcher:
            same = await fetcher.fetch(server.url("/feed.xml"), last_modified=LAST_MODIFIED)
            older = await fetcher.fetch(
                server.url("/feed.xml"), last_modified="Tue, 20 Oct 2015 07:28:00 GMT"
            )
        assert server.requests[0].headers["if-modified-since"] == LAST_MODIFIED
    assert same.not_modified and same.body == b""
    assert not older.not_modified and older.body == FEED


async def test_not_modified_and_redirect_answers_keep_the_connection() -> None:
    # A refresh is mostly 304s: each must leave its connection usable for the next feed.
    routes = {
        "/feed.xml": Route(FEED, etag='"v1"'),
        "/moved": Route(
            b"<p>moved</p>", status=301, headers={"Location": "/feed.xml"}, content_type=None
        ),
    }
    with serve(routes) as server:
        async with Fetcher() as fetcher:
            results = [await fetcher.fetch(server.url("/feed.xml"), etag='"v1"') for _ in range(5)]
            moved = await fetcher.fetch(server.url("/moved"))
        assert server.connections == 1
    assert all(r.not_modified for r in results)
    assert moved.body == FEED and moved.url == server.url("/feed.xml")


async def test_not_modified_without_validators_keeps_the_ones_sent() -> None:
    def bare_304(h: LoopbackHandler) -> None:
        h.send_head(304, {})

    with serve({"/feed.xml": bare_304}) as server:
        result = await fetch(server.url("/feed.xml"), etag='"v7"', last_modified=LAST_MODIFIED)
    assert result.not_modified and result.body == b""
    assert result.etag == '"v7"' and result.last_modified == LAST_MODIFIED


async def test_validators_that_are_not_plain_headers_are_not_sent() -> None:
    with serve({"/feed.xml": Route(FEED, etag='"v1"')}) as server:
        result = await fetch(server.url("/feed.xml"), etag='"v1"\r\nX-Evil: 1')
        assert "if-none-match" not in server.requests[0].headers
    assert result.status == 200


async def test_range_request_gets_partial_content() -> None:
    body = bytes(range(256)) * 4
    with serve({"/audio.mp3": Route(body, content_type="audio/mpeg")}) as server:
        result = await fetch(server.url("/audio.mp3"), headers={"Range": "bytes=10-19"})
    assert result.status == 206
    assert result.body == body[10:20]


async def test_callers_cannot_widen_accept_encoding() -> None:
    with serve({"/x": Route(b"ok")}) as server:
        async with Fetcher() as fetcher:
            for name in ("Accept-Encoding", "ACCEPT-ENCODING"):
                await fetcher.fetch(server.url("/x"), headers={name: "br, zstd"})
        assert [r.headers["accept-encoding"] for r in server.requests] == ["gzip, deflate"] * 2


async def test_size_cap_is_exact_on_the_decoded_body() -> None:
    with serve(
        {"/plain": Route(b"a" * 1000), "/gz": Route(b"a" * 1000, encoding="gzip")}
    ) as server:
        async with Fetcher() as fetcher:
            for path in ("/plain", "/gz"):
                assert len((await fetcher.fetch(server.url(path), max_bytes=1000)).body) == 1000
                with pytest.raises(FetchError, match="larger than 999 bytes"):
                    await fetcher.fetch(server.url(path), max_bytes=999)


async def test_declared_length_over_the_cap_fails_before_reading() -> None:
    with serve({"/big": Route(b"b" * (3 * 2**20))}) as server, pytest.raises(FetchError) as caught:
        await fetch(server.url("/big"), max_bytes=2**20)
    assert caught.value.reason == "larger than 1 MiB" and caught.value.status == 200


async def _in_parallel(server: LoopbackServer, fetcher: Fetcher, count: int) -> None:
    urls = [server.url(f"/slow?n={i}") for i in range(count)]
    results = await asyncio.gather(*(fetcher.fetch(url) for url in urls))
    assert all(r.body == b"slow" for r in results)


async def test_per_host_limit_holds() -> None:
    with serve({"/slow": Route(b"slow", delay=0.1)}) as server:
        async with Fetcher(per_host=2, concurrency=8) as fetcher:
            await _in_parallel(server, fetcher, 10)
        assert server.max_in_flight == 2  # never more, and the limit is actually used


async def test_global_limit_holds() -> None:
    with serve({"/slow": Route(b"slow", delay=0.1)}) as server:
        async with Fetcher(per_host=10, concurrency=3) as fetcher:
            await _in_parallel(server, fetcher, 10)
        assert server.max_in_flight == 3


async def test_cookies_last_one_fetch_only() -> None:
    def login(h: LoopbackHandler) -> None:
        h.send_head(
            302, {"Location": "/check", "Set-Cookie": "session=abc; Path=/", "Content-Length": "0"}
        )

    with serve({"/login": login, "/check": Route(b"ok")}) as server:
        async with Fetcher() as fetcher:
            await fetcher.fetch(server.url("/login"))
            await fetcher.fetch(server.url("/check"))
        during, later = server.requests[1].headers, server.requests[2].headers
    assert during.get("cookie") == "session=abc"  # kept across the redirect dance
    assert "cookie" not in later  # but not carried to the next fetch


async def test_aclose_is_idempotent_and_a_later_fetch_reopens() -> None:
    with serve({"/x": Route(b"ok")}) as server:
        fetcher = Fetcher()
        await fetcher.aclose()
        assert (await fetcher.fetch(server.url("/x"))).body == b"ok"
        await fetcher.aclose()
        await fetcher.aclose()
        assert (await fetcher.fetch(server.url("/x"))).body == b"ok"
        await fetcher.aclose()


def test_one_fetcher_serves_one_event_loop_after_another() -> None:
    async def three_at_once(fetcher: Fetcher, url: str) -> list[bytes]:
        # per_host=1 makes them queue, which binds the semaphore to the running loop
        try:
            return [r.body for r in await asyncio.gather(*(fetcher.fetch(url) for _ in range(3)))]
        finally:
            await fetcher.aclose()

    with serve({"/x": Route(b"ok", delay=0.02)}) as server:
        fetcher = Fetcher(per_host=1)
        for _ in range(2):  # e.g. two asyncio.run calls in one CLI command
            assert asyncio.run(three_at_once(fetcher, server.url("/x"))) == [b"ok"] * 3


# The open connections of the first loop cannot be closed once it has ended; the garbage
# collector closes their sockets (with a ResourceWarning, which is what is filtered here).
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_closing_from_a_later_event_loop_does_not_fail() -> None:
    with serve({"/x": Route(b"ok")}) as server:
        fetcher = Fetcher()
        assert asyncio.run(fetcher.fetch(server.url("/x"))).body == b"ok"
        asyncio.run(fetcher.aclose())
        assert fetcher._client is None
        del fetcher
        gc.collect()  # here, under this test's warning filters, not in some later test


# -- TLS: certificates verified, the trust store read only when an https URL comes ------------


def _self_signed(directory: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a test certificate")
    cert, key = directory / "cert.pem", directory / "key.pem"
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
    command += ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"]
    command += ["-addext", "subjectAltName=IP:127.0.0.1"]
    subprocess.run(command, check=True, capture_output=True)
    return cert, key


@contextlib.contextmanager
def _https_server(cert: Path, key: Path) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "6")
            self.end_headers()
            self.wfile.write(b"secret")

        def log_message(self, format: str, *args: object) -> None:
            pass

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"https://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


async def test_https_refuses_a_certificate_nobody_vouches_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)  # so: certifi's bundle, as httpx uses
    with _https_server(*_self_signed(tmp_path)) as url, pytest.raises(FetchError) as caught:
        await fetch(url)
    assert caught.value.reason == "TLS certificate not trusted"


async def test_https_trusts_the_bundle_named_by_ssl_cert_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, key = _self_signed(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    with _https_server(cert, key) as url:
        result = await fetch(url)
    assert result.body == b"secret" and result.url == url


async def test_plain_http_never_reads_the_trust_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
    with serve({"/x": Route(b"plain")}) as server:
        async with Fetcher() as fetcher:
            for _ in range(3):
                assert (await fetcher.fetch(server.url("/x"))).body == b"plain"
            # the first https URL is when the bundle is read: here it cannot be, and says so
            with pytest.raises(FetchError) as caught:
                await fetcher.fetch("https://127.0.0.1:9/")
    assert caught.value.reason == "could not load the trusted TLS certificates"


# -- the transport: connections kept, dropped, and proxies from the environment used -------------


async def test_a_server_that_closes_each_connection_still_answers_every_fetch() -> None:
    closing = Route(b"once", headers={"Connection": "close"})
    with serve({"/x": closing}) as server:
        async with Fetcher() as fetcher:
            bodies = [(await fetcher.fetch(server.url("/x"))).body for _ in range(4)]
        assert server.connections == 4  # a connection the server ends is never reused
    assert bodies == [b"once"] * 4


async def test_an_idle_connection_the_server_dropped_is_not_reused() -> None:
    def then_hang_up(h: LoopbackHandler) -> None:
        h.send_head(200, {"Content-Length": "2"})  # keep-alive, as far as the client knows
        h.write(b"ok")
        h.pause(0.05)
        h.close_connection = True  # the server's keep-alive timeout, much shortened

    with serve({"/x": then_hang_up}) as server:
        async with Fetcher() as fetcher:
            first = await fetcher.fetch(server.url("/x"))
            await asyncio.sleep(0.3)  # the connection sits idle while the server closes it
            second = await fetcher.fetch(server.url("/x"))
        assert server.connections == 2
        assert server.hits("/x") == 2  # the closed one was not even tried
    assert first.body == second.body == b"ok"


async def test_proxies_from_the_environment_are_still_used(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def proxy(h: LoopbackHandler) -> None:
        seen.append(h.requestline)
        h.send_head(200, {"Content-Length": "7"})
        h.write(b"proxied")

    with serve({"http://127.0.0.2:9/feed.xml": proxy}) as fake_proxy:
        monkeypatch.setenv("HTTP_PROXY", fake_proxy.url("/"))
        # Nothing listens at the target: only the proxy can answer (and nothing leaves 127/8).
        result = await fetch("http://127.0.0.2:9/feed.xml")
    assert result.body == b"proxied"
    assert seen == ["GET http://127.0.0.2:9/feed.xml HTTP/1.1"]
