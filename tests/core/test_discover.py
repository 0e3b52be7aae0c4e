"""Feed autodiscovery in HTML pages and the cheap feed sniff."""

from __future__ import annotations

import pytest

from tests.core.feed_fixtures import fixture
from tui.core.discover import DiscoveredFeed, discover_feeds, looks_like_feed

PAGE = "https://site.example.org/blog/post.html"


def test_relative_href_resolved_against_page_url() -> None:
    found = discover_feeds(fixture("html_page.html"), "https://courier.example.org/news/today")
    assert found == [DiscoveredFeed("https://courier.example.org/feed.xml", "Courier news", "rss")]


def test_several_feeds_in_page_order_with_kinds() -> None:
    html = """<!doctype html><html><head>
    <link rel="stylesheet" href="/style.css">
    <link rel="alternate" type="application/rss+xml" title="Posts &amp; notes" href="feed.xml">
    <link rel="alternate" type="application/rss+xml" title="Comments" href="comments/feed/">
    <link rel="Alternate" type="application/atom+xml" href="https://cdn.example.org/atom.xml">
    <link rel="alternate" type="application/feed+json" title="JSON" href="/feed.json">
    <link rel="alternate" hreflang="fr" href="/fr/">
    <link rel="alternate" type="application/json+oembed" href="/oembed?url=x">
    <link rel="alternate" type="application/rss+xml" href="feed.xml">
    </head><body></body></html>"""
    found = discover_feeds(html, PAGE)
    assert [(f.url, f.title, f.kind) for f in found] == [
        ("https://site.example.org/blog/feed.xml", "Posts & notes", "rss"),
        ("https://site.example.org/blog/comments/feed/", "Comments", "rss"),
        ("https://cdn.example.org/atom.xml", None, "atom"),
        ("https://site.example.org/feed.json", "JSON", "json"),
    ]


def test_base_href_is_respected() -> None:
    html = b'<html><head><base href="https://static.example.net/x/"><link rel="alternate" type="application/atom+xml" href="a.atom"></head></html>'
    assert discover_feeds(html, PAGE)[0].url == "https://static.example.net/x/a.atom"


def test_no_feeds() -> None:
    html = "<html><head><title>Nothing</title><link rel='icon' href='/i.png'></head><body><a href='/feed.xml'>feed</a></body></html>"
    assert discover_feeds(html, PAGE) == []
    assert discover_feeds(b"", PAGE) == []
    assert discover_feeds(b"\x00\xff\xfe garbage", PAGE) == []


def test_unsafe_hrefs_are_skipped() -> None:
    html = """<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
    <link rel="alternate" type="application/rss+xml" href="file:///etc/passwd">
    <link rel="alternate" type="application/rss+xml" href="data:text/xml,&lt;rss/&gt;">"""
    assert discover_feeds(html, PAGE) == []


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("rss2_news.xml", "text/html", True),  # mislabelled feeds still count
        ("rss1_rdf.xml", None, True),
        ("atom1.xml", "application/xml", True),
        ("atom03.xml", None, True),
        ("feed.json", "application/json", True),
        ("html_page.html", "application/rss+xml", False),  # the body decides
        ("billion_laughs.xml", None, True),  # a doctype with an internal subset is skipped over
    ],
)
def test_looks_like_feed(name: str, content_type: str | None, expected: bool) -> None:
    assert looks_like_feed(fixture(name), content_type) is expected


def test_looks_like_feed_on_odd_bodies() -> None:
    assert not looks_like_feed(b"", "application/rss+xml")
    assert not looks_like_feed(b'{"hello": 1}', "application/json")
    assert not looks_like_feed(b"<note>x</note>", "text/xml")
    assert looks_like_feed(
        b"\xef\xbb\xbf  <?xml version='1.0'?>\n<!-- hi --><?xml-stylesheet href='x'?><rss>", None
    )
    assert looks_like_feed("<feed xmlns='http://www.w3.org/2005/Atom'/>".encode("utf-16"), None)
