"""The bundled sample edition and its loopback server: real HTTP on 127.0.0.1, real MP3s."""

from __future__ import annotations

import glob
import gzip
import http.client
import io
import socket
import time
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import lxml.html
import pytest
from mutagen.mp3 import MP3

from tui.core import sample
from tui.core.durations import parse_duration
from tui.core.sample import server as sample_server
from tui.core.sample.server import AUDIO_SECONDS, SampleServer, SilentMp3

REPO = Path(__file__).resolve().parents[2]
SEED_TEXT = REPO.parent / "shared" / "seeds" / "000_2a0cdf0728088bec.txt"
ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.fixture(scope="module")
def server() -> Iterator[SampleServer]:
    with SampleServer(prefer_fixed_port=False) as running:
        yield running


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as http:
        yield http


def _raw_get(server: SampleServer, path: str) -> tuple[int, bytes]:
    """GET a path exactly as written (httpx would normalise "../" away before sending)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- The server -----------------------------------------------------------------------------------


def test_binds_loopback_only(server: SampleServer) -> None:
    assert urlsplit(server.base_url).hostname == "127.0.0.1"
    assert server.feed_urls == [server.base_url + "/news.xml", server.base_url + "/podcast.xml"]
    with socket.create_connection(("127.0.0.1", server.port), timeout=2):
        pass
    # Another loopback address reaches this machine, but nothing listens there for us.
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.2", server.port), timeout=2).close()


def test_news_feed_is_served_with_base_replaced(server: SampleServer, client: httpx.Client) -> None:
    response = client.get(server.feed_urls[0])
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/rss+xml; charset=utf-8"
    assert b"{{BASE}}" not in response.content
    channel = ET.fromstring(response.content).find("channel")
    assert channel is not None
    assert channel.findtext("title") == "The Broadsheet Sample"
    assert channel.findtext("link") == server.base_url + "/"
    assert channel.findtext("description")
    items = channel.findall("item")
    assert len(items) >= 7
    days = set()
    for item in items:
        assert item.findtext("title")
        assert item.findtext("guid")
        assert item.findtext("description")
        assert (item.findtext("link") or "").startswith(server.base_url + "/articles/")
        published = parsedate_to_datetime(item.findtext("pubDate") or "")
        assert published.year == 2025
        days.add(published.date())
    assert len(days) == len(items)  # every story on a different day
    with_author = [i for i in items if i.findtext("author") or i.findtext(f"{DC}creator")]
    assert 0 < len(with_author) < len(items)


def test_every_article_in_the_feed_is_served(server: SampleServer, client: httpx.Client) -> None:
    feed = ET.fromstring(client.get(server.feed_urls[0]).content)
    links = [item.findtext("link") or "" for item in feed.iter("item")]
    assert server.url(sample.SEED_ARTICLE_PATH) in links
    # The feed lists every packaged article, and every link resolves.
    assert sorted(urlsplit(link).path for link in links) == sample.article_paths()
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        page = lxml.html.fromstring(response.content)
        assert page.findtext(".//title"), link
        assert b"{{BASE}}" not in response.content
        assert server.base_url.encode() in response.content  # its links point back here


def test_conditional_get_answers_304(server: SampleServer, client: httpx.Client) -> None:
    url = server.feed_urls[0]
    first = client.get(url)
    etag, last_modified = first.headers["etag"], first.headers["last-modified"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    by_date = client.get(url, headers={"If-Modified-Since": last_modified})
    assert by_date.status_code == 304
    stale = client.get(url, headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200
    assert stale.content == first.content
    older = client.get(url, headers={"If-Modified-Since": "Wed, 01 Jan 2025 00:00:00 GMT"})
    assert older.status_code == 200
    audio = client.head(server.url("/audio/library-late-3.mp3"))
    cached_audio = client.head(
        server.url("/audio/library-late-3.mp3"), headers={"If-None-Match": audio.headers["etag"]}
    )
    assert cached_audio.status_code == 304


def test_gzip_only_when_asked(server: SampleServer, client: httpx.Client) -> None:
    url = server.url(sample.SEED_ARTICLE_PATH)
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert int(plain.headers["content-length"]) == len(plain.content)
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request("GET", sample.SEED_ARTICLE_PATH, headers={"Accept-Encoding": "gzip"})
        packed = connection.getresponse()
        assert packed.getheader("Content-Encoding") == "gzip"
        assert gzip.decompress(packed.read()) == plain.content
    finally:
        connection.close()
    assert client.get(url, headers={"Accept-Encoding": "gzip"}).content == plain.content


def test_unknown_paths_and_traversal_are_404(server: SampleServer) -> None:
    for path in (
        "/nope.html",
        "/articles/missing.html",
        "/../news.xml",
        "/articles/../../server.py",
        "/%2e%2e/__init__.py",
        "/__init__.py",
        "/server.py",
        "/files/news.xml",
        "/audio/not-an-episode.mp3",
        "/audio/../../etc/passwd",
    ):
        status, body = _raw_get(server, path)
        assert status == 404, path
        assert b"import" not in body
    assert _raw_get(server, "/")[0] == 200  # the front page is index.html


def test_head_sends_headers_only(server: SampleServer, client: httpx.Client) -> None:
    response = client.head(server.url("/audio/world-in-review-118.mp3"))
    assert response.status_code == 200
    assert int(response.headers["content-length"]) == SilentMp3(2529).size
    assert response.headers["accept-ranges"] == "bytes"
    assert response.content == b""


# --- Audio ------------------------------------------------------------------------------------------


def test_range_requests_on_audio(server: SampleServer, client: httpx.Client) -> None:
    url = server.url("/audio/storm-orla-special.mp3")
    whole = client.get(url).content
    size = len(whole)
    first = client.get(url, headers={"Range": "bytes=0-99"})
    assert first.status_code == 206
    assert first.headers["content-range"] == f"bytes 0-99/{size}"
    assert first.content == whole[:100]
    assert first.content.startswith(b"\xff\xfb")
    middle = client.get(url, headers={"Range": "bytes=1000000-1065535"})
    assert middle.status_code == 206
    assert middle.content == whole[1_000_000:1_065_536]
    tail = client.get(url, headers={"Range": "bytes=-500"})
    assert tail.headers["content-range"] == f"bytes {size - 500}-{size - 1}/{size}"
    assert tail.content == whole[-500:]
    beyond = client.get(url, headers={"Range": f"bytes={size}-"})
    assert beyond.status_code == 416
    assert beyond.headers["content-range"] == f"bytes */{size}"
    stale_copy = client.get(url, headers={"Range": "bytes=0-9", "If-Range": '"old"'})
    assert stale_copy.status_code == 200
    assert len(stale_copy.content) == size


def test_podcast_feed_enclosures_match_the_generated_files(
    server: SampleServer, client: httpx.Client
) -> None:
    response = client.get(server.feed_urls[1])
    assert response.headers["content-type"] == "application/rss+xml; charset=utf-8"
    channel = ET.fromstring(response.content).find("channel")
    assert channel is not None
    assert channel.findtext("title") == "Broadsheet Sample Radio"
    items = channel.findall("item")
    assert len(items) >= 5
    durations = [item.findtext(f"{ITUNES}duration") for item in items]
    assert {"42:9", "3424", "1:02:03", "PT25M"} <= set(durations)
    assert None in durations  # one episode's length must be measured from the file
    for item in items:
        enclosure = item.find("enclosure")
        assert enclosure is not None
        assert enclosure.get("type") == "audio/mpeg"
        url = enclosure.get("url") or ""
        assert url.startswith(server.base_url + "/audio/")
        body = client.get(url).content
        assert len(body) == int(enclosure.get("length") or -1)
        measured = MP3(io.BytesIO(body)).info.length
        given = parse_duration(item.findtext(f"{ITUNES}duration"))
        name = urlsplit(url).path.removeprefix("/audio/").removesuffix(".mp3")
        assert abs(measured - AUDIO_SECONDS[name]) <= 1, url
        if given is not None:
            assert abs(measured - given) <= 1, url


def test_seed_page_players_have_the_lengths_they_show(
    server: SampleServer, client: httpx.Client
) -> None:
    page = lxml.html.fromstring(client.get(server.url(sample.SEED_ARTICLE_PATH)).content)
    players = page.xpath("//section[contains(@class, 'podcasts')]//div[@class='player']")
    assert len(players) == 2
    shown = []
    for player in players:
        audio = player.find(".//audio")
        assert audio.get("title")
        times = [span.text for span in player.xpath(".//span[contains(@class, 'player__time')]")]
        assert times[0] == "0:00"
        shown.append(times[1])
        # Only the first frames are needed to read the length from the Info header.
        head = client.get(audio.get("src"), headers={"Range": "bytes=0-8191"})
        assert head.status_code == 206
        assert abs(MP3(io.BytesIO(head.content)).info.length - parse_duration(times[1])) <= 1
    assert shown == ["42:9", "57:4"]


def test_silent_mp3_byte_ranges_are_consistent() -> None:
    audio = SilentMp3(3)
    whole = b"".join(audio.iter_bytes())
    assert len(whole) == audio.size == (audio.frames + 1) * 96
    assert audio.frames == 125  # 3 s of 24 ms frames
    for start, stop in ((0, 1), (50, 150), (95, 97), (96, 192), (1000, audio.size), (0, 10**9)):
        assert b"".join(audio.iter_bytes(start, stop)) == whole[start:stop]
    info = MP3(io.BytesIO(whole)).info
    assert info.sample_rate == 48_000
    assert info.bitrate == 32_000
    assert abs(info.length - 3) < 0.05


def test_mutagen_reads_every_table_length() -> None:
    for name, seconds in AUDIO_SECONDS.items():
        first_frames = b"".join(SilentMp3(seconds).iter_bytes(0, 4096))
        assert abs(MP3(io.BytesIO(first_frames)).info.length - seconds) <= 1, name


# --- Ports --------------------------------------------------------------------------------------------


def test_falls_back_to_any_port_when_the_asked_one_is_taken() -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        with SampleServer(port=taken) as fallback:
            assert fallback.port not in (0, taken)
            assert httpx.get(fallback.feed_urls[0]).status_code == 200


def test_uses_the_asked_port_when_free() -> None:
    port = _free_port()
    with SampleServer(port=port) as chosen:
        assert chosen.base_url == f"http://127.0.0.1:{port}"


def test_preferred_port_first_then_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    free = _free_port()
    monkeypatch.setattr(sample_server, "PREFERRED_PORT", free)
    with SampleServer() as preferred:
        assert preferred.port == free
        # A second server finds the preferred port busy and still starts.
        with SampleServer() as second:
            assert second.port != free
            assert httpx.get(second.url("/podcast.xml")).status_code == 200


def test_start_and_stop_are_idempotent() -> None:
    running = SampleServer(prefer_fixed_port=False)
    assert running.feed_urls == []
    base = running.start()
    assert running.start() == base
    running.stop()
    running.stop()
    with pytest.raises(httpx.TransportError):
        httpx.get(base + "/news.xml", timeout=2)


def test_server_is_silent(capfd: pytest.CaptureFixture[str]) -> None:
    with SampleServer(prefer_fixed_port=False) as quiet:
        httpx.get(quiet.url("/missing"))
        httpx.get(quiet.feed_urls[0])
        # A client that hangs up mid-download must not produce a traceback.
        with socket.create_connection(("127.0.0.1", quiet.port)) as rude:
            rude.sendall(b"GET /audio/harbour-hour-12.mp3 HTTP/1.1\r\nHost: x\r\n\r\n")
            rude.recv(1024)
        time.sleep(0.2)
        with socket.create_connection(("127.0.0.1", quiet.port)) as broken:
            broken.sendall(b"NONSENSE\r\n\r\n")  # a malformed request line: 400
            assert b"400" in broken.recv(4096)
    captured = capfd.readouterr()
    assert captured.err == ""
    assert captured.out == ""


# --- The packaged content -------------------------------------------------------------------------


def test_seed_article_page_text_is_the_seed_text() -> None:
    page = sample.sample_files()[sample.SEED_ARTICLE_PATH]
    tree = lxml.html.fromstring(page)
    for hidden in tree.xpath("//script | //style | //head"):
        hidden.drop_tree()
    text = " ".join(tree.text_content().split())
    assert text.startswith("icon bookmark-bicon bookmarkicon camera")
    assert (
        "20 May, 2025 13:29 NATO chief comments on Putin-Trump phone call It is a “good sign”"
        in (text)
    )
    assert text.endswith("commenting policy Podcasts 0:00 42:9 0:00 57:4")
    if not SEED_TEXT.exists():
        pytest.skip("shared/seeds is not beside this checkout")
    assert text == " ".join(SEED_TEXT.read_text(encoding="utf-8").split())


def test_articles_are_varied_and_of_news_length() -> None:
    pages = {path: sample.sample_files()[path] for path in sample.article_paths()}
    assert len(pages) >= 8
    with_json_ld = [p for p, html in pages.items() if b"application/ld+json" in html]
    with_open_graph = [p for p, html in pages.items() if b'property="og:' in html]
    assert 0 < len(with_json_ld) < len(pages)
    assert len(with_open_graph) < len(pages)
    markers = [b"<table", b"<pre", b"<blockquote", b"<figcaption", b'"articleBody"', b"comment"]
    for marker in markers:
        assert any(marker in html for html in pages.values()), marker
    for path, html in pages.items():
        assert html.startswith(b"<!") and b"footer" in html, path
        assert b"example.org" in html, path


def test_package_data_globs_cover_every_sample_file() -> None:
    """pyproject's package-data must ship files/ and its articles/ subfolder in a wheel."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["tui"]
    package_root = REPO / "tui"
    shipped = {
        path
        for pattern in patterns
        for path in glob.glob(pattern, root_dir=package_root, recursive=True)
        if (package_root / path).is_file()
    }
    for url_path in sample.sample_files():
        assert "core/sample/files" + url_path in shipped, url_path
