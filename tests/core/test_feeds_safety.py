"""Hostile and broken input: attacks, truncation, pages and garbage served as feeds."""

from __future__ import annotations

import base64
import time

import pytest

from tests.core.feed_fixtures import fixture, parse_fixture
from tui.core.errors import FeedError
from tui.core.feeds import parse_feed


def test_billion_laughs_is_not_expanded_and_finishes_fast() -> None:
    start = time.perf_counter()
    try:
        feed = parse_fixture("billion_laughs.xml", "https://laughs.example.org/")
    except FeedError:
        return  # refusing the document outright is fine too
    assert time.perf_counter() - start < 1
    texts = [feed.title, feed.description] + [e.title + e.summary for e in feed.entries]
    assert not any("lol" in text for text in texts)


def test_external_entities_are_not_read() -> None:
    start = time.perf_counter()
    feed = parse_fixture("xxe.xml", "https://xxe.example.org/")
    assert time.perf_counter() - start < 1
    everything = repr(feed.to_dict())
    assert "root:" not in everything  # /etc/passwd's first line
    assert "&xxe;" not in everything
    assert feed.title == "Leaky"
    assert feed.entries[0].title == "Secret:"


def test_truncated_rss_keeps_the_complete_items() -> None:
    feed = parse_fixture("truncated.xml", "https://cut.example.org/rss")
    assert [e.title for e in feed.entries] == ["Second complete item", "First complete item"]


def test_truncated_atom_keeps_the_complete_entries() -> None:
    body = fixture("atom1.xml")
    cut = body[: body.index(b"Second paragraph")]
    feed = parse_feed(cut, "https://blog.example.com/atom.xml")
    assert [e.title for e in feed.entries] == ["Review: The Glass Orchard & friends"]


def test_item_closed_before_the_cut_is_kept() -> None:
    body = b"<rss><channel><item><title>one</title></item><item><title>two</title></item></chan"
    assert [e.title for e in parse_feed(body, "https://x.example.org/").entries] == ["one", "two"]


def test_truncated_before_any_item_is_a_feed_error() -> None:
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Nothing yet</ti'
    with pytest.raises(FeedError, match="cut short"):
        parse_feed(body, "https://x.example.org/")


def test_html_page_is_a_feed_error() -> None:
    with pytest.raises(FeedError) as caught:
        parse_fixture("html_page.html", "https://courier.example.org/", "application/rss+xml")
    assert caught.value.reason == "not a feed (looks like an HTML page)"
    assert caught.value.url == "https://courier.example.org/"


def test_xhtml_page_without_doctype_is_a_feed_error() -> None:
    body = b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>x</body></html>'
    with pytest.raises(FeedError, match="HTML page"):
        parse_feed(body, "https://x.example.org/")


@pytest.mark.parametrize("body", [b"", b"   \n\t  "])
def test_empty_body_is_a_feed_error(body: bytes) -> None:
    with pytest.raises(FeedError, match="empty"):
        parse_feed(body, "https://x.example.org/")


@pytest.mark.parametrize(
    "body",
    [
        b"\x00\x01\x02\xff\xfe garbage",
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        b"Just some plain text, not markup at all.",
        b"<note><to>Tove</to></note>",
        b"<<<>>>&&&",
    ],
    ids=["binary", "png", "text", "other-xml", "symbols"],
)
def test_garbage_is_a_feed_error(body: bytes) -> None:
    with pytest.raises(FeedError):
        parse_feed(body, "https://x.example.org/")


def test_control_characters_never_reach_the_models() -> None:
    body = (
        b"<rss><channel><title>Evil&#x1b;[31m red</title><item><title>t&#x9b;2J"
        b"</title><link>https://x.example.org/1</link><description>a&#x202e;b</description>"
        b"</item></channel></rss>"
    )
    feed = parse_feed(body, "https://x.example.org/")
    assert "\x1b" not in feed.title
    assert "\x9b" not in feed.entries[0].title
    assert "\u202e" not in feed.entries[0].summary


def test_deeply_nested_xml_is_read_without_crashing() -> None:
    body = (
        b"<rss><channel><title>Deep</title>"
        + b"<item>" * 5000
        + b"</item>" * 5000
        + b"<item><title>After</title></item></channel></rss>"
    )
    start = time.perf_counter()
    try:
        feed = parse_feed(body, "https://x.example.org/")
    except FeedError:
        return  # refusing it is fine; any other exception fails the test
    assert feed.title == "Deep"
    assert time.perf_counter() - start < 2


def test_many_items_are_capped() -> None:
    items = b"<item><title>x</title><link>https://x.example.org/a</link></item>" * 20000
    start = time.perf_counter()
    feed = parse_feed(
        b"<rss><channel>" + items + b"</channel></rss>", "https://x.example.org/", max_entries=50
    )
    assert len(feed.entries) == 1  # all share one link, so one id
    assert time.perf_counter() - start < 2


WIDE_FEED = (
    "<rss><channel><title>Caf\u00e9 &amp; th\u00e9&nbsp;&mdash; \U0001f375</title>"
    "<item><title>Un</title><link>https://w.example.org/1</link></item></channel></rss>"
)
WIDE_TITLE = "Caf\u00e9 & th\u00e9 \u2014 \U0001f375"  # the NBSP folds to a space


@pytest.mark.parametrize(
    ("bom", "codec", "declaration"),
    [
        (b"\xff\xfe", "utf-16-le", ""),
        (b"\xfe\xff", "utf-16-be", ""),
        (b"\xff\xfe", "utf-16-le", '<?xml version="1.0" encoding="utf-8"?>'),  # declaration lies
        (b"\xff\xfe\x00\x00", "utf-32-le", ""),
        (b"\x00\x00\xfe\xff", "utf-32-be", '<?xml version="1.0" encoding="UTF-32"?>'),
        (b"", "utf-16-le", '<?xml version="1.0" encoding="utf-16"?>'),  # no BOM: zero bytes tell
        (b"", "utf-16-be", "<?xml version='1.0' encoding='UTF-16'?>"),
        (b"", "utf-16-le", ""),
        (b"", "utf-32-le", ""),
    ],
    ids=["16le-bom", "16be-bom", "16le-bom-lying", "32le-bom", "32be-bom", "16le-decl",
         "16be-decl", "16le-bare", "32le-bare"],
)  # fmt: skip
def test_utf16_and_utf32_feeds_are_read(bom: bytes, codec: str, declaration: str) -> None:
    body = bom + (declaration + "\n" + WIDE_FEED).encode(codec)
    for content_type in (None, "application/rss+xml; charset=iso-8859-1"):
        feed = parse_feed(body, "https://w.example.org/rss", content_type=content_type)
        assert feed.title == WIDE_TITLE  # HTML entities repaired in wide feeds too
        assert [e.title for e in feed.entries] == ["Un"]


def test_entities_stay_unexpanded_in_a_utf16_feed() -> None:
    body = b"\xff\xfe" + fixture("billion_laughs.xml").decode("utf-8").encode("utf-16-le")
    start = time.perf_counter()
    try:
        feed = parse_feed(body, "https://laughs.example.org/")
    except FeedError:
        return
    assert time.perf_counter() - start < 1
    texts = [feed.title, feed.description] + [e.title + e.summary for e in feed.entries]
    assert not any("lol" in text for text in texts)


def test_zero_bytes_that_are_not_utf16_are_still_refused() -> None:
    with pytest.raises(FeedError):
        parse_feed(b"\x00<\x00\x00r\x00ss>" + bytes(64), "https://z.example.org/")


def test_base64_text_is_cleaned_like_any_other() -> None:
    encoded = base64.b64encode("Bell\x07 and \x1b[31mred\u202e".encode()).decode()
    body = (
        '<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>F</title><entry>'
        f'<title mode="base64">{encoded}</title></entry></feed>'
    )
    title = parse_feed(body.encode(), "https://b.example.org/").entries[0].title
    assert "\x07" not in title and "\x1b" not in title and "\u202e" not in title
    assert "Bell" in title and "red" in title
