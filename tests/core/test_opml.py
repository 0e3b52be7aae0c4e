"""OPML import (nested folders, odd attribute spellings, hostile input) and export round trip."""

from __future__ import annotations

import time

import pytest

from tests.core.feed_fixtures import fixture
from tui.core.errors import FeedError
from tui.core.opml import OpmlFeed, parse_opml, write_opml


def test_import_nested_folders_and_attribute_spellings() -> None:
    feeds = parse_opml(fixture("subscriptions.opml"))
    assert feeds == [
        OpmlFeed("https://top.example.org/rss", "Top-level feed", None),
        OpmlFeed("https://globe.example.org/feed", "Globe Wire", "News/World"),
        OpmlFeed("https://deep.example.org/atom", "Deep feed", "News/World/Deeper"),
        OpmlFeed("http://courier.example.org/feed.xml", "Local paper", "News"),
        OpmlFeed("https://url-attr.example.org/rss", "URL attribute", None),
    ]


def test_round_trip_keeps_urls_titles_and_nested_folders() -> None:
    original = [
        OpmlFeed("https://a.example.org/rss", "A & B <news>", None),
        OpmlFeed("https://b.example.org/atom", "Bee", "News/World"),
        OpmlFeed("https://c.example.org/feed", "Sea", "News"),
        OpmlFeed("https://d.example.org/feed", "", "News/World"),
        OpmlFeed("https://e.example.org/feed", "Ê \"quoted\" 'single'", "Arts/Film/Reviews"),
    ]
    text = write_opml(original)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert '<opml version="2.0">' in text
    assert "<title>Broadsheet subscriptions</title>" in text
    back = parse_opml(text.encode("utf-8"))
    assert sorted(back, key=lambda f: f.url) == sorted(original, key=lambda f: f.url)


def test_export_nests_folder_outlines() -> None:
    text = write_opml([OpmlFeed("https://x.example.org/f", "X", "One/Two")], title="Mine")
    assert "<title>Mine</title>" in text
    one = text.index('text="One"')
    two = text.index('text="Two"')
    feed = text.index('xmlUrl="https://x.example.org/f"')
    assert one < two < feed


def test_export_drops_characters_xml_cannot_hold() -> None:
    text = write_opml([OpmlFeed("https://x.example.org/f", "bell\x07 and \x00null", None)])
    assert parse_opml(text.encode())[0].title == "bell and null"


def test_not_opml_is_a_feed_error() -> None:
    for body in (
        b"",
        b"<rss><channel/></rss>",
        b"\x00\x01garbage",
        b"<!DOCTYPE html><html></html>",
    ):
        with pytest.raises(FeedError):
            parse_opml(body)


def test_entities_are_not_expanded_and_files_not_read() -> None:
    body = b"""<?xml version="1.0"?>
<!DOCTYPE opml [
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
  <!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
  <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<opml version="2.0"><body>
  <outline text="Leak &xxe;" xmlUrl="https://x.example.org/rss"/>
  <outline text="Laugh &f;" xmlUrl="https://y.example.org/rss"/>
</body></opml>"""
    start = time.perf_counter()
    feeds = parse_opml(body)
    assert time.perf_counter() - start < 1
    for feed in feeds:
        assert "root:" not in feed.title
        assert "aaaa" not in feed.title


def test_unsafe_and_duplicate_urls_skipped() -> None:
    urls = [f.url for f in parse_opml(fixture("subscriptions.opml"))]
    assert not any(url.startswith("javascript") for url in urls)
    assert urls.count("https://top.example.org/rss") == 1
