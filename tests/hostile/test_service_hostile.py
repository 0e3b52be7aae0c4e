"""The real NewsService (config → session → fetcher → parser/extractor → cache) on hostile servers.

Invariants: nothing poisonous is cached, a failed refresh never replaces a good copy, errors
are one short plain line, resources stay bounded, and only http(s) URLs become links or episodes.
"""

from __future__ import annotations

import gzip
import random
import time
import zlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

import tui.core.service as service_module
from tests.servers import hostile
from tests.servers.loopback import Handler, LoopbackServer, Route, serve
from tui.core.config import Subscription
from tui.core.errors import BroadsheetError
from tui.core.service import NewsService
from tui.core.session import Session, open_session

from .fixtures import (
    MARK,
    article_page,
    big_rss,
    deep_html,
    forbidden_in,
    json_feed,
    rss_feed,
    write_config,
)

HTML = "text/html; charset=utf-8"
FIXTURE_FEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"


@pytest.fixture
def site() -> Iterator[LoopbackServer]:
    with serve() as server:
        yield server


@pytest.fixture
async def session(site: LoopbackServer, isolated_dirs: dict[str, Path]) -> AsyncIterator[Session]:
    config = write_config(isolated_dirs["config"], [site.url("/feed")])
    # a short deadline so the slow-server cases finish quickly
    config.write_text(config.read_text().replace("timeout_seconds = 5.0", "timeout_seconds = 1.5"))
    opened = open_session(config_path=config)
    try:
        yield opened
    finally:
        await opened.service.aclose()
        opened.close()


def _service(session: Session) -> NewsService:
    return session.service


def _good_feed(site: LoopbackServer) -> Route:
    items = [("Good one", site.url("/a/1")), ("Good two", site.url("/a/2"))]
    return Route(json_feed("Good feed", items), content_type="application/feed+json", etag='"v1"')


def _plain_reason(reason: str | None) -> None:
    """One short plain line: no newline, no control characters, a sane length."""
    assert reason, "an error without a reason"
    assert "\n" not in reason and len(reason) < 200, reason
    assert forbidden_in(reason) == [], reason
    assert "Traceback" not in reason


# -- a failed refresh never replaces a good copy ---------------------------------------------------

BAD_FEEDS: dict[str, Route | Handler] = {
    "503": hostile.Busy(Route(b""), times=99, status=503, retry_after=None),
    "reset mid-body": hostile.reset_mid_body(
        b'{"version": "https://jsonfeed.org/version/1', 50_000
    ),
    "short body": hostile.short_body(b"<rss><channel><title>Half", 10_000),
    "html page": Route(b"<!doctype html><html><body><p>Moved</p></body></html>", content_type=HTML),
    "empty": Route(b"", content_type="application/rss+xml"),
    "binary": Route(random.Random(3).randbytes(20_000), content_type="application/rss+xml"),
    "truncated before items": Route(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Cut', content_type="text/xml"
    ),
    "slow drip": hostile.drip(b"<rss>" + b" " * 200, interval=0.1),
    "endless": hostile.endless(b"<item><title>x</title></item>" * 3000),
    "redirect loop": Route(status=302, content_type=None, headers={"Location": "/feed"}),
}


@pytest.mark.parametrize("kind", list(BAD_FEEDS))
async def test_failed_refresh_keeps_the_good_copy(
    site: LoopbackServer, session: Session, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = _service(session)
    sub = Subscription(site.url("/feed"))
    site.route("/feed", _good_feed(site))
    good = await service.refresh_feed(sub)
    assert good.error is None and good.feed is not None
    before = service.cached_feed(sub.url)
    validators_before = service.cache.get_json("validators", sub.url)
    assert before is not None and validators_before is not None

    # the cap, not the deadline, must stop the endless body: a small cap keeps it quick
    monkeypatch.setattr(service_module, "FEED_BYTES", 2**20)
    site.route("/feed", BAD_FEEDS[kind])
    started = time.monotonic()
    bad = await service.refresh_feed(sub)
    assert time.monotonic() - started < 5
    _plain_reason(bad.error)
    assert bad.feed == before  # the status still offers the good copy
    assert service.cached_feed(sub.url) == before
    assert service.cache.get_json("validators", sub.url) == validators_before


async def test_refresh_failure_names_the_url_with_a_plain_reason(
    site: LoopbackServer, session: Session
) -> None:
    site.route("/feed", Route(b"busy", status=503))
    report = await _service(session).refresh_all()
    (failure,) = report.failures
    assert failure.subscription.url == site.url("/feed")
    _plain_reason(failure.error)
    assert "503" in (failure.error or "")


# -- nothing poisonous cached: articles -------------------------------------------------------------

BAD_PAGES: dict[str, Route | Handler] = {
    "404": Route(
        b"<html><body><p>" + b"Not here. " * 200 + b"</p></body></html>",
        status=404,
        content_type=HTML,
    ),
    "503": Route(b"busy", status=503, content_type=HTML),
    "reset mid-body": hostile.reset_mid_body(b"<html><body><p>" + b"half " * 100, 100_000),
    "short body": hostile.short_body(b"<html><body><p>" + b"half " * 100, 100_000),
    "timeout": hostile.sleeper(5),
    "gzip bomb": hostile.GzipBomb(decoded_size=64 * 2**20),
    "empty": Route(b"", content_type=HTML),
    "truncated gzip": hostile.truncated_gzip(article_page("Cut", "Cut")),
}


@pytest.mark.parametrize("kind", list(BAD_PAGES))
async def test_failed_page_is_not_cached(
    site: LoopbackServer, session: Session, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = _service(session)
    url = site.url("/bad")
    site.route("/bad", BAD_PAGES[kind])
    monkeypatch.setattr(service_module, "PAGE_BYTES", 2**20)  # the bomb is refused quickly
    started = time.monotonic()
    try:
        result = await service.load_article(url)
    except BroadsheetError as error:
        _plain_reason(error.reason)
        assert error.url == url
    else:
        assert result.article.source in ("failed", "summary"), (kind, result.article.text[:200])
        _plain_reason(result.notice)
    assert time.monotonic() - started < 5
    assert not service.is_offline_ready(url)
    assert service.cache.get_raw(url) is None
    assert service.cached_article(url) is None


async def test_failed_fetch_falls_back_to_the_summary_without_caching_it(
    site: LoopbackServer, session: Session
) -> None:
    service = _service(session)
    url = site.url("/gone")
    site.route("/gone", Route(b"gone", status=410))
    result = await service.load_article(url, summary="The feed's own words.")
    assert result.article.source == "summary"
    assert "feed's own words" in result.article.text
    assert not service.is_offline_ready(url)


async def test_binary_served_as_html_is_not_an_article(
    site: LoopbackServer, session: Session
) -> None:
    service = _service(session)
    url = site.url("/bin")
    site.route("/bin", Route(random.Random(1).randbytes(100_000), content_type=HTML))
    try:
        result = await service.load_article(url)
    except BroadsheetError:
        pass
    else:
        assert result.article.source in ("failed", "summary"), result.article.text[:80]
    assert not service.is_offline_ready(url)


async def test_a_good_page_is_cached_once_and_a_later_failure_keeps_it(
    site: LoopbackServer, session: Session
) -> None:
    """The control for the cases above: a good page is cached (so 'not cached' means something)."""
    service = _service(session)
    url = site.url("/a/1")
    site.route("/a/1", Route(article_page("Fine", "Fine"), content_type=HTML))
    first = await service.load_article(url)
    assert first.article.source == "article" and service.is_offline_ready(url)
    site.route("/a/1", Route(b"down", status=500))
    again = await service.load_article(url)
    assert again.from_cache and again.article.text == first.article.text


# -- escapes, markup and schemes through the service -------------------------------------------------


async def test_article_from_a_hostile_page_is_clean_with_web_links_only(
    site: LoopbackServer, session: Session
) -> None:
    service = _service(session)
    links = {
        "Script": "javascript:alert(1)",
        "File": "file:///etc/passwd",
        "Data": "data:text/html,<script>alert(1)</script>",
        "Vbscript": "vbscript:msgbox(1)",
        "Spaced": " javascript:alert(1)",
        "Good": site.url("/a/2"),
    }
    audio = [
        "javascript:alert(1)//a.mp3",
        "file:///tmp/a.mp3",
        "data:audio/mpeg;base64,SUQz",
        site.url("/ok.mp3"),
    ]
    site.route(
        "/a/1", Route(article_page("Hostile", "Body", links=links, audio=audio), content_type=HTML)
    )
    article = (await service.load_article(site.url("/a/1"))).article
    assert article.source == "article"
    texts = [article.title, article.text, *(link.text for link in article.links)]
    assert all(forbidden_in(t) == [] for t in texts)
    assert all(MARK not in t for t in texts), texts
    urls = [link.url for link in article.links] + [e.url for e in article.episodes]
    assert site.url("/a/2") in urls
    assert all(u.startswith(("http://", "https://")) for u in urls), urls


@pytest.mark.parametrize("maker", ["json", "rss"])
async def test_feed_enclosures_with_bad_schemes_never_become_episodes(
    site: LoopbackServer, session: Session, maker: str
) -> None:
    bad = ["javascript:alert(1)//a.mp3", "file:///etc/a.mp3", "data:audio/mpeg;base64,SUQz"]
    good = site.url("/ep.mp3")
    items = [("Story", site.url("/a/1"))]
    if maker == "json":
        body = json_feed("F", items, attachments=[*bad, good])
    else:
        body = rss_feed("F", items, enclosures=[*bad, good])
    site.route("/feed", Route(body, content_type="application/octet-stream"))
    status = await _service(session).refresh_feed(Subscription(site.url("/feed")))
    assert status.error is None and status.feed is not None
    (entry,) = status.feed.entries
    assert [e.url for e in entry.episodes] == [good]
    assert all(forbidden_in(t) == [] for t in (status.feed.title, entry.title, entry.summary))


ODD_DURATIONS = [
    "-5",
    "99999999999999999999",
    "1:99:99",
    "NaN",
    "1e309",
    "PT1H",
    "::",
    "１２",
    "0x10",
    "",
]


async def test_odd_durations_never_crash_or_go_negative(
    site: LoopbackServer, session: Session
) -> None:
    items = "".join(
        f"<item><guid>d{n}</guid><title>D{n}</title>"
        f'<enclosure url="{site.url(f"/d{n}.mp3")}" type="audio/mpeg" length="-1"/>'
        f"<itunes:duration>{value}</itunes:duration></item>"
        for n, value in enumerate(ODD_DURATIONS)
    )
    body = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>Odd</title>'
        f"{items}</channel></rss>"
    ).encode()
    site.route("/feed", Route(body, content_type="application/rss+xml"))
    status = await _service(session).refresh_feed(Subscription(site.url("/feed")))
    assert status.feed is not None, status.error
    episodes = [ep for entry in status.feed.entries for ep in entry.episodes]
    assert len(episodes) == len(ODD_DURATIONS)
    for ep in episodes:
        seconds = ep.duration_seconds
        assert seconds is None or 0 <= seconds < 10**7, (ep.title, seconds)
        assert ep.size_bytes is None or ep.size_bytes >= 0
        assert ep.duration is None or forbidden_in(ep.duration) == []


# -- bogus charsets and invalid bytes ---------------------------------------------------------------

CHARSET_PAGES = {
    "rot13 header": ("text/html; charset=rot13", b""),
    "base64 header": ("text/html; charset=base64", b""),
    "utf-7 header": ("text/html; charset=utf-7", b""),
    "utf-7 meta": ("text/html", b'<meta charset="utf-7">'),
    "unknown meta": (
        "text/html",
        b'<meta http-equiv="Content-Type" content="text/html; charset=x-evil-42">',
    ),
    "invalid utf-8": (
        "text/html; charset=utf-8",
        b"\xff\xfe\xc3\x28\xa0\xa1\xe2\x28\xa1\xf0\x28\x8c\xbc",
    ),
}


@pytest.mark.parametrize("kind", list(CHARSET_PAGES))
async def test_bogus_charsets_do_not_crash_or_smuggle_escapes(
    site: LoopbackServer, session: Session, kind: str
) -> None:
    content_type, head = CHARSET_PAGES[kind]
    # In UTF-7, "+ABs-" is ESC and "+ADw-" is "<": a decoder that honours it would smuggle both.
    smuggled = b"+ABs-]0;UTF7-PWNED+AAc- +ADw-b+AD4-x"
    words = b"Readable words about the council budget and the new library plans. " * 12
    body = (
        b"<!doctype html><html><head>"
        + head
        + b"<title>Charset</title></head><body><article>"
        + b"<h1>Charset</h1>"
        + (b"<p>" + smuggled + b" " + words + b"</p>") * 4
        + b"</article></body></html>"
    )
    site.route("/c", Route(body, content_type=content_type))
    result = await _service(session).load_article(site.url("/c"))
    article = result.article
    assert forbidden_in(article.text) == [] and forbidden_in(article.title) == []
    assert "UTF7-PWNED" not in article.text.replace("+ABs-]0;UTF7-PWNED", "")
    assert "council budget" in article.text


# -- entity attacks through the whole pipeline ------------------------------------------------------


@pytest.mark.parametrize("name", ["billion_laughs.xml", "xxe.xml"])
async def test_entity_attacks_finish_fast_and_read_no_files(
    site: LoopbackServer, session: Session, name: str
) -> None:
    site.route(
        "/feed", Route((FIXTURE_FEEDS / name).read_bytes(), content_type="application/rss+xml")
    )
    started = time.monotonic()
    status = await _service(session).refresh_feed(Subscription(site.url("/feed")))
    assert time.monotonic() - started < 3
    if status.error:
        _plain_reason(status.error)
    if status.feed is not None:
        text = " ".join([status.feed.title] + [e.title + e.summary for e in status.feed.entries])
        assert "root:" not in text and "lol" * 100 not in text
        assert len(text) < 100_000


# -- bounded resources ------------------------------------------------------------------------------


async def test_feed_of_100k_items_finishes_and_is_capped(
    site: LoopbackServer, session: Session
) -> None:
    site.route("/feed", Route(big_rss(100_000, site.url("")), content_type="application/rss+xml"))
    service = _service(session)
    started = time.monotonic()
    status = await service.refresh_feed(Subscription(site.url("/feed")))
    elapsed = time.monotonic() - started
    assert status.feed is not None, status.error
    assert len(status.feed.entries) <= service.config.settings.max_entries_per_feed
    assert elapsed < 15, elapsed


async def test_deeply_nested_page_is_read_or_refused_plainly(
    site: LoopbackServer, session: Session
) -> None:
    site.route("/deep", Route(deep_html(20_000), content_type=HTML))
    started = time.monotonic()
    try:
        result = await _service(session).load_article(site.url("/deep"))
    except BroadsheetError as error:
        _plain_reason(error.reason)
    else:
        if result.article.source == "failed":
            _plain_reason(result.notice)
    assert time.monotonic() - started < 10


async def test_huge_page_is_refused_at_the_cap(site: LoopbackServer, session: Session) -> None:
    site.route("/huge", hostile.endless())
    started = time.monotonic()
    with pytest.raises(BroadsheetError) as caught:
        await _service(session).load_article(site.url("/huge"))
    assert "larger than" in caught.value.reason
    _plain_reason(caught.value.reason)
    assert time.monotonic() - started < 10


# -- schemes in entry links, obfuscated hrefs, redirects --------------------------------------------


async def test_entry_and_site_links_with_bad_schemes_are_dropped(
    site: LoopbackServer, session: Session
) -> None:
    bad = ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", " JaVaScRiPt:alert(1)"]
    items = "".join(
        f"<item><guid>b{n}</guid><title>B{n}</title><link>{url}</link></item>"
        for n, url in enumerate(bad)
    )
    good = f"<item><guid>ok</guid><title>OK</title><link>{site.url('/a/ok')}</link></item>"
    body = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>S</title>'
        f"<link>javascript:alert(1)</link>{items}{good}</channel></rss>"
    ).encode()
    site.route("/feed", Route(body, content_type="application/rss+xml"))
    status = await _service(session).refresh_feed(Subscription(site.url("/feed")))
    assert status.feed is not None, status.error
    assert status.feed.site_url is None
    urls = [e.url for e in status.feed.entries]
    assert site.url("/a/ok") in urls
    # (an RSS guid is a permalink by default, so a bad <link> may fall back to the guid's URL)
    assert all(u is None or u.startswith(("http://", "https://")) for u in urls), urls
    assert not any(u and ("alert" in u or "passwd" in u or "text/html" in u) for u in urls), urls


async def test_obfuscated_script_hrefs_never_become_links(
    site: LoopbackServer, session: Session
) -> None:
    hrefs = [
        "java&#x0A;script:alert(1)",
        "&#106;avascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "\x01javascript:alert(1)",
        "data:,x",
        "file:x",
        "vbscript:x",
    ]
    anchors = " ".join(f'<a href="{h}">Link {n}</a>' for n, h in enumerate(hrefs))
    words = "<p>" + "Words about the council and the new library plans for the town. " * 10 + "</p>"
    page = f"<html><body><article><h1>T</h1>{words * 4}<p>{anchors}</p></article></body></html>"
    site.route("/p", Route(page.encode(), content_type=HTML))
    article = (await _service(session).load_article(site.url("/p"))).article
    assert article.source == "article"
    assert all(link.url.startswith(("http://", "https://")) for link in article.links), (
        article.links
    )


@pytest.mark.parametrize(
    "target",
    [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "data:,x",
    ],
)
async def test_redirect_to_a_non_web_scheme_is_refused_and_not_cached(
    site: LoopbackServer, session: Session, target: str
) -> None:
    service = _service(session)
    site.route("/r", Route(status=302, content_type=None, headers={"Location": target}))
    with pytest.raises(BroadsheetError) as caught:
        await service.load_article(site.url("/r"))
    _plain_reason(caught.value.reason)
    assert not service.is_offline_ready(site.url("/r"))


async def test_busy_then_good_feed_is_stored_once(site: LoopbackServer, session: Session) -> None:
    busy = hostile.Busy(_good_feed(site), times=1, status=429, retry_after="0")
    site.route("/feed", busy)
    status = await _service(session).refresh_feed(Subscription(site.url("/feed")))
    assert status.error is None and status.feed is not None
    assert busy.calls == 2
    assert [e.title.split(" ")[0] for e in status.feed.entries] == ["Good", "Good"]


async def test_one_feed_redirecting_to_javascript_does_not_break_refresh_all(
    site: LoopbackServer, session: Session
) -> None:
    """refresh_feed promises never to raise; refresh_all gathers every feed at once."""
    site.route("/feed", Route(status=302, content_type=None, headers={"Location": "javascript:x"}))
    report = await _service(session).refresh_all()
    (failure,) = report.failures
    _plain_reason(failure.error)


# -- invalid bytes are text, binary is refused whatever its Content-Type ---------------------------

_WORDS = b"The council met on Tuesday and agreed the budget for the libraries and parks. "


@pytest.mark.parametrize("sentences", [1, 3, 120])
@pytest.mark.parametrize("bad", [b"\xff", b"\xe9", b"\x80\x81", b"\xc3\x28", b"\xed\xa0\x80"])
@pytest.mark.parametrize("content_type", [HTML, "text/html"])
async def test_a_page_with_a_few_invalid_bytes_renders(
    site: LoopbackServer, session: Session, sentences: int, bad: bytes, content_type: str
) -> None:
    rng = random.Random(len(bad) * 100 + sentences)
    body = bytearray(_WORDS * sentences)
    spaces = [at for at, byte in enumerate(body) if byte == 0x20]
    for at in sorted(rng.sample(spaces, 6), reverse=True):  # a few, between words
        body[at:at] = bad
    page = b"<!doctype html><html><head><title>Bytes</title></head><body><article><h1>Bytes</h1>"
    page += b"<p>" + bytes(body) + b"</p></article></body></html>"
    site.route("/p", Route(page, content_type=content_type))
    result = await _service(session).load_article(site.url("/p"))
    assert result.article.source not in ("failed", "summary"), result.notice
    text = result.article.text
    assert all(word in text for word in _WORDS.decode().split()), text
    assert forbidden_in(text) == []


def _pdf(stream: bytes) -> bytes:
    """A PDF whose first objects are plain ASCII, as real ones are, then a compressed stream."""
    head = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    objects = b"".join(
        b"%d 0 obj\n<< /Type /Page /Parent 2 0 R /Contents %d 0 R >>\nendobj\n" % (n, n + 1)
        for n in range(3, 80)
    )
    return head + objects + b"4 0 obj\n<< /Filter /FlateDecode >>\nstream\n" + stream


BINARY_AS_HTML = {
    "pdf": _pdf(zlib.compress(random.Random(4).randbytes(30_000))),
    "pdf, text only at first": _pdf(b"BT /F1 12 Tf (Hello) Tj ET\n" * 300),
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(5).randbytes(5000),
    "gzip without content-encoding": gzip.compress(_WORDS * 500),
    "zip": b"PK\x03\x04\x14\x00\x00\x00" + b"mimetypeapplication/epub+zip" + bytes(2000),
    "mp3": b"ID3\x04\x00\x00\x00\x00\x00\x00" + random.Random(6).randbytes(5000),
    "mp4": b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00" + random.Random(7).randbytes(5000),
    "random bytes": random.Random(8).randbytes(3000),
}


@pytest.mark.parametrize("kind", list(BINARY_AS_HTML))
async def test_binary_served_as_html_is_refused_as_binary(
    site: LoopbackServer, session: Session, kind: str
) -> None:
    service = _service(session)
    url = site.url("/doc")
    site.route("/doc", Route(BINARY_AS_HTML[kind], content_type=HTML))
    result = await service.load_article(url)
    assert result.article.source == "failed"
    assert "binary" in (result.notice or "")
    _plain_reason(result.notice)
    assert not service.is_offline_ready(url)
    assert service.cached_article(url) is None


# -- redirect chains ----------------------------------------------------------------------------------


@pytest.mark.parametrize("hops", [5, 10])
async def test_a_feed_behind_a_chain_of_redirects_refreshes(
    site: LoopbackServer, session: Session, hops: int
) -> None:
    for n in range(hops):
        site.route(
            f"/r{n}", Route(status=301, content_type=None, headers={"Location": f"/r{n + 1}"})
        )
    site.route(f"/r{hops}", _good_feed(site))
    status = await _service(session).refresh_feed(Subscription(site.url("/r0")))
    assert status.error is None, status.error
    assert status.feed is not None and len(status.feed.entries) == 2


# -- escape sequences in feeds: the whole sequence goes, payload included ----------------------------


async def test_raw_escape_sequences_in_a_feed_leave_no_payload(
    site: LoopbackServer, session: Session
) -> None:
    sequences = [
        b"\x1b]0;PAYLOAD-TITLE\x07",
        b"\x1b]2;PAYLOAD-ST\x1b\\",
        b"\x1b]8;;http://127.0.0.1/PAYLOAD-LINK\x1b\\",
        b"\x1b[38;2;255;0;0m",
        b"\x1bPqPAYLOAD-DCS\x1b\\",
        b"\x1b_PAYLOAD-APC\x1b\\",
        b"\x1b^PAYLOAD-PM\x07",
        b"\xc2\x9d0;PAYLOAD-C1\xc2\x9c",
    ]
    items = b"".join(
        b"<item><guid>e%d</guid><title>Item%s%d</title><description>Words%sstay</description>"
        b"<link>%s</link></item>" % (n, seq, n, seq, site.url(f"/a/{n}").encode())
        for n, seq in enumerate(sequences)
    )
    feed = (
        b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        b"<title>Chan" + sequences[0] + b"nel</title>" + items + b"</channel></rss>"
    )
    site.route("/feed", Route(feed, content_type="application/rss+xml"))
    status = await _service(session).refresh_feed(Subscription(site.url("/feed")))
    assert status.feed is not None, status.error
    assert status.feed.title == "Channel"
    assert [e.title for e in status.feed.entries] == [f"Item{n}" for n in range(len(sequences))]
    for entry in status.feed.entries:
        assert "PAYLOAD" not in entry.summary and "[38;2" not in entry.summary, entry.summary
        assert "Words" in entry.summary and "stay" in entry.summary
        assert forbidden_in(entry.summary) == []
