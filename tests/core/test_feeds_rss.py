"""RSS 2.0, 1.0 (RDF) and 0.91 read from fixture feeds written for these tests."""

from __future__ import annotations

import pytest

from tests.core.feed_fixtures import parse_fixture
from tui.core.feeds import parse_feed

COURIER = "https://courier.example.org/feed.xml"


@pytest.fixture(scope="module")
def courier():
    return parse_fixture("rss2_news.xml", COURIER)


def test_channel_fields_are_plain_text_and_absolute(courier) -> None:
    assert courier.title == "The Wrenfield & District Courier"
    assert courier.site_url == "https://courier.example.org/"
    assert courier.description == "News from Wrenfield and the valley."
    assert courier.url == COURIER
    assert not courier.is_podcast


def test_dated_entries_newest_first_then_undated_in_document_order(courier) -> None:
    titles = [e.title for e in courier.entries]
    assert titles == [
        "Market day moves to Saturday",  # 08:00 EST is 13:00 UTC on the 21st
        "Bridge reopens – at last & on time",
        "Permalink guid, no link",
        "Relative to xml:base",
        "An undated notice",
        "Another undated notice",
    ]
    dated = [e.published for e in courier.entries if e.published]
    assert dated == sorted(dated, reverse=True)


def test_duplicate_guid_keeps_the_first(courier) -> None:
    ids = [e.id for e in courier.entries]
    assert len(ids) == len(set(ids))
    bridge = next(e for e in courier.entries if e.id == "courier-1001")
    assert bridge.title.startswith("Bridge reopens –")


def test_html_in_title_is_reduced_to_text(courier) -> None:
    bridge = next(e for e in courier.entries if e.id == "courier-1001")
    assert bridge.title == "Bridge reopens – at last & on time"
    assert "<" not in bridge.title and "&amp;" not in bridge.title


def test_summary_is_plain_text_without_scripts(courier) -> None:
    bridge = next(e for e in courier.entries if e.id == "courier-1001")
    assert bridge.summary == (
        "The Mill Lane bridge reopened this morning after six months.\n\nTraffic is light."
    )
    assert "alert" not in bridge.summary


def test_content_encoded_kept_as_html(courier) -> None:
    bridge = next(e for e in courier.entries if e.id == "courier-1001")
    assert bridge.content_html is not None
    assert bridge.content_html.startswith("<p>The <b>Mill Lane</b> bridge")


def test_relative_links_resolve_against_feed_url_and_xml_base(courier) -> None:
    by_title = {e.title: e for e in courier.entries}
    assert by_title["Bridge reopens – at last & on time"].url == (
        "https://courier.example.org/news/bridge-reopens"
    )
    assert by_title["Relative to xml:base"].url == "https://archive.example.org/2025/story.html"


def test_ids_guid_then_link_then_hash(courier) -> None:
    by_title = {e.title: e for e in courier.entries}
    assert by_title["Bridge reopens – at last & on time"].id == "courier-1001"
    assert by_title["Relative to xml:base"].id == "https://archive.example.org/2025/story.html"
    hashed = by_title["An undated notice"].id
    assert len(hashed) == 32 and int(hashed, 16) >= 0
    again = parse_fixture("rss2_news.xml", COURIER)
    assert hashed in {e.id for e in again.entries}  # stable across parses


def test_permalink_guid_becomes_the_link(courier) -> None:
    entry = next(e for e in courier.entries if e.title == "Permalink guid, no link")
    assert entry.url == "https://courier.example.org/news/permalink-only"


def test_javascript_link_is_dropped(courier) -> None:
    entry = next(e for e in courier.entries if e.title == "An undated notice")
    assert entry.url is None


def test_author_name_taken_from_email_form(courier) -> None:
    authors = {e.title: e.author for e in courier.entries}
    assert authors["Market day moves to Saturday"] == "Bo Marsh"
    assert authors["Bridge reopens – at last & on time"] == "Ada Quill"


def test_entry_feed_url_is_the_feed(courier) -> None:
    assert {e.feed_url for e in courier.entries} == {COURIER}


def test_rss1_rdf() -> None:
    feed = parse_fixture("rss1_rdf.xml", "https://journal.example.net/rss")
    assert feed.title == "Valley Journal (RDF)"
    assert [e.title for e in feed.entries] == ["Ferry timetable", "Tide tables explained"]
    tide = feed.entries[1]
    assert tide.published == "2025-04-08T07:00:00+00:00"
    assert tide.author == "Leah Fairbrother"
    assert tide.id == "https://journal.example.net/a"
    assert feed.entries[0].id == "urn:journal:b"  # rdf:about when there is no guid or link


def test_rss091_in_latin1() -> None:
    feed = parse_fixture("rss091_latin1.xml", "http://cafe.example.com/rss")
    assert feed.title == "Café Notes"
    assert feed.entries[0].title == "Crème brûlée day"
    assert [e.published for e in feed.entries] == [None, None]
    assert [e.title for e in feed.entries][1] == "Closed for the holidays"


def test_charset_from_http_header_when_document_declares_none() -> None:
    body = "<rss><channel><title>Привет</title></channel></rss>".encode("cp1251")
    feed = parse_feed(
        body, "https://ru.example.org/", content_type="text/xml; charset=windows-1251"
    )
    assert feed.title == "Привет"


def test_html_entities_do_not_eat_the_ampersand_after_them() -> None:
    body = b"<rss><channel><item><title>A&nbsp;B &amp; C &mdash; D</title></item></channel></rss>"
    feed = parse_feed(body, "https://e.example.org/")
    assert feed.entries[0].title == "A B & C — D"


def test_undeclared_namespace_prefix_still_read() -> None:
    body = (
        b"<rss><channel><item><title>T</title>"
        b'<enclosure url="https://p.example.org/a.mp3" type="audio/mpeg"/>'
        b"<itunes:duration>1:00</itunes:duration></item></channel></rss>"
    )
    entry = parse_feed(body, "https://p.example.org/").entries[0]
    assert entry.episodes[0].duration_seconds == 60


def test_max_entries_caps_the_list() -> None:
    items = "".join(
        f"<item><title>n{i}</title><link>https://m.example.org/{i}</link></item>" for i in range(50)
    )
    feed = parse_feed(
        f"<rss><channel>{items}</channel></rss>".encode(), "https://m.example.org/", max_entries=10
    )
    assert len(feed.entries) == 10
    assert feed.entries[0].title == "n0"


def test_long_title_and_summary_are_capped() -> None:
    words = " ".join(["word"] * 5000)
    body = f"<rss><channel><item><title>{words}</title><description>{words}</description></item></channel></rss>"
    entry = parse_feed(body.encode(), "https://c.example.org/").entries[0]
    assert len(entry.title) <= 300
    assert len(entry.summary) <= 1000
    assert entry.summary.endswith("…")


def test_item_without_title_takes_its_summary_start() -> None:
    body = b"<rss><channel><item><description>Just a short note.</description><link>https://n.example.org/1</link></item></channel></rss>"
    entry = parse_feed(body, "https://n.example.org/").entries[0]
    assert entry.title == "Just a short note."


def test_header_charset_ignored_when_the_bytes_are_utf8() -> None:
    body = "<rss><channel><title>Crème brûlée</title></channel></rss>".encode()
    feed = parse_feed(body, "https://fr.example.org/", content_type="text/xml; charset=iso-8859-1")
    assert feed.title == "Crème brûlée"
