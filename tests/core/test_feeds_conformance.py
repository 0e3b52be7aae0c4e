"""Conformance-style cases: one small feed, one field a reader shows, the value it must have.

Written for this project after the shapes of feeds in long-standing parsers' public suites
(default and pre-standard namespaces, odd letter cases, Atom 0.3 modes, Dublin Core fallbacks,
Media RSS descriptions, wide encodings); the feeds and values here are our own. Each case is one
field, so `pytest -q` on this file counts how many of them come out right.
"""

from __future__ import annotations

import base64

import pytest

from tui.core.feeds import parse_feed
from tui.core.models import Feed

URL = "https://feeds.example.net/feed.xml"
CONTENT = 'xmlns:content="http://purl.org/rss/1.0/modules/content/"'
DC = 'xmlns:dc="http://purl.org/dc/elements/1.1/"'
MEDIA = 'xmlns:media="http://search.yahoo.com/mrss/"'


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def rss(channel: str, root: str = '<rss version="2.0">', end: str = "</rss>") -> str:
    return f"{root}<channel>{channel}</channel>{end}"


def atom(body: str, namespace: str = "http://purl.org/atom/ns#") -> str:
    return f'<feed version="0.3" xmlns="{namespace}">{body}</feed>'


# (id, feed text or bytes, field, expected). Fields: feed.<attr> or entry.<attr> (first entry).
CASES: list[tuple[str, str | bytes, str, object]] = [
    # RSS under a default namespace: the root's own namespace is the format's, whatever its URI.
    *(
        (
            f"rss-default-ns-{number}",
            f'<rss xmlns="{uri}"><channel><title>Harbour notes</title>'
            "<description>Tide tables and ferry news</description>"
            "<link>https://harbour.example.net/</link>"
            "<item><title>Spring tides</title></item></channel></rss>",
            "feed.description",
            "Tide tables and ferry news",
        )
        for number, uri in enumerate(
            [
                "http://backend.userland.com/rss2",
                "http://backend.userland.com/rss",
                "http://backend.userland.com/rss2.1",
                "http://blogs.law.harvard.edu/tech/rss",
                "http://purl.org/net/rss1.1#",
                "https://feeds.example.net/ns/rss-of-our-own",
            ]
        )
    ),
    (
        "rss-prefixed-core-ns-beats-clashing-module",
        '<r:rss xmlns:r="http://backend.userland.com/rss2" xmlns:x="http://x.example.net/desc/">'
        "<r:channel><r:title>Clash</r:title><r:item><r:title>One</r:title>"
        "<x:description>wrong one</x:description><r:description>right one</r:description>"
        "</r:item></r:channel></r:rss>",
        "entry.summary",
        "right one",
    ),
    (
        "rss11-channel-root-items-collection",
        '<Channel xmlns="http://purl.org/net/rss1.1#" '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'rdf:about="https://eleven.example.net/"><title>Eleven</title>'
        "<link>https://eleven.example.net/</link><description>About eleven</description>"
        '<items rdf:parseType="Collection"><item rdf:about="https://eleven.example.net/1">'
        "<title>First of eleven</title><link>https://eleven.example.net/1</link></item>"
        "</items></Channel>",
        "entry.title",
        "First of eleven",
    ),
    # Letter case: XML is case-sensitive, feeds are not careful.
    (
        "rss-mixed-case-title",
        rss("<TiTlE>Odd case</TiTlE><item><title>x</title></item>"),
        "feed.title",
        "Odd case",
    ),
    (
        "rss-upper-case-description",
        rss("<title>T</title><DESCRIPTION>Shouted</DESCRIPTION><item><title>x</title></item>"),
        "feed.description",
        "Shouted",
    ),
    (
        "rss-capital-link",
        rss("<title>T</title><Link>https://case.example.net/</Link><item><title>x</title></item>"),
        "feed.site_url",
        "https://case.example.net/",
    ),
    (
        "rss-capital-item-and-pubdate",
        rss(
            "<title>T</title><Item><Title>Capital</Title><PUBDATE>Tue, 20 May 2025 13:29:00 GMT"
            "</PUBDATE></Item>"
        ),
        "entry.published",
        "2025-05-20T13:29:00+00:00",
    ),
    # Dublin Core as fallbacks.
    (
        "rss-dc-title-channel",
        rss(
            "<dc:title>Dublin title</dc:title><item><title>x</title></item>",
            f'<rss version="2.0" {DC}>',
        ),
        "feed.title",
        "Dublin title",
    ),
    (
        "rss-dc-description-channel",
        rss(
            "<title>T</title><dc:description>Dublin description</dc:description>"
            "<item><title>x</title></item>",
            f'<rss version="2.0" {DC}>',
        ),
        "feed.description",
        "Dublin description",
    ),
    (
        "rss-dc-title-item",
        rss(
            "<title>T</title><item><dc:title>Item by DC</dc:title></item>",
            f'<rss version="2.0" {DC}>',
        ),
        "entry.title",
        "Item by DC",
    ),
    (
        "rss-dc-description-item",
        rss(
            "<title>T</title><item><title>x</title><dc:description>DC summary</dc:description>"
            "</item>",
            f'<rss version="2.0" {DC}>',
        ),
        "entry.summary",
        "DC summary",
    ),
    (
        "rss-dc-creator-item",
        rss(
            "<title>T</title><item><title>x</title><dc:creator>Ann Reed</dc:creator></item>",
            f'<rss version="2.0" {DC}>',
        ),
        "entry.author",
        "Ann Reed",
    ),
    (
        "rss-dc-date-item",
        rss(
            "<title>T</title><item><title>x</title><dc:date>2003-12-31T10:14:55Z</dc:date></item>",
            f'<rss version="2.0" {DC}>',
        ),
        "entry.published",
        "2003-12-31T10:14:55+00:00",
    ),
    # description and content side by side.
    (
        "rss-description-is-summary-beside-encoded",
        rss(
            "<title>T</title><item><title>x</title>"
            "<content:encoded>&lt;p&gt;Full text&lt;/p&gt;</content:encoded>"
            "<description>Short text</description></item>",
            f'<rss version="2.0" {CONTENT}>',
        ),
        "entry.summary",
        "Short text",
    ),
    (
        "rss-encoded-is-content-beside-description",
        rss(
            "<title>T</title><item><title>x</title><description>Short text</description>"
            "<content:encoded>&lt;p&gt;Full text&lt;/p&gt;</content:encoded></item>",
            f'<rss version="2.0" {CONTENT}>',
        ),
        "entry.content_html",
        "<p>Full text</p>",
    ),
    (
        "rss-summary-element-is-content-beside-description",
        rss(
            "<title>T</title><item><title>x</title><description>Short text</description>"
            "<summary>Longer text</summary></item>"
        ),
        "entry.content_html",
        "Longer text",
    ),
    (
        "rss-xhtml-body-is-content",
        rss(
            '<title>T</title><item><title>x</title><body xmlns="http://www.w3.org/1999/xhtml">'
            "<p>Body text</p></body></item>"
        ),
        "entry.content_html",
        "<p>Body text</p>",
    ),
    (
        "rss-fullitem-is-content",
        rss(
            "<title>T</title><item><title>x</title>"
            "<fullitem>&lt;p&gt;All of it&lt;/p&gt;</fullitem></item>"
        ),
        "entry.content_html",
        "<p>All of it</p>",
    ),
    # Media RSS descriptions.
    (
        "rss-media-group-description",
        rss(
            "<title>T</title><item><title>x</title><media:group>"
            '<media:content url="https://cdn.example.net/v.mp4" type="video/mp4"/>'
            "<media:description>Grouped words</media:description></media:group></item>",
            f'<rss version="2.0" {MEDIA}>',
        ),
        "entry.summary",
        "Grouped words",
    ),
    (
        "rss-media-description-in-item",
        rss(
            "<title>T</title><item><title>x</title>"
            "<media:description>Direct words</media:description></item>",
            f'<rss version="2.0" {MEDIA}>',
        ),
        "entry.summary",
        "Direct words",
    ),
    (
        "rss-media-description-in-media-content",
        rss(
            "<title>T</title><item><title>x</title>"
            '<media:content url="https://cdn.example.net/v.mp4" type="video/mp4">'
            "<media:description>Nested words</media:description></media:content></item>",
            f'<rss version="2.0" {MEDIA}>',
        ),
        "entry.summary",
        "Nested words",
    ),
    (
        "rss-description-beats-media-description",
        rss(
            "<title>T</title><item><title>x</title><media:group>"
            "<media:description>Media words</media:description></media:group>"
            "<description>Own words</description></item>",
            f'<rss version="2.0" {MEDIA}>',
        ),
        "entry.summary",
        "Own words",
    ),
    (
        "atom-media-group-description",
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">'
        "<title>Videos</title><entry><id>v1</id><title>Clip</title><media:group>"
        "<media:title>Clip</media:title>"
        "<media:description>What the clip shows</media:description></media:group></entry></feed>",
        "entry.summary",
        "What the clip shows",
    ),
    # Atom 0.3 and pre-1.0 namespaces: the root <feed>'s namespace is the format's.
    *(
        (
            f"atom-ns-{number}",
            atom("<title>Pre-standard</title><entry><title>e</title></entry>", uri),
            "feed.title",
            "Pre-standard",
        )
        for number, uri in enumerate(
            [
                "http://purl.org/atom/ns#",
                "http://purl.org/atom/ns",
                "http://example.com/newformat#",
                "http://example.com/necho",
                "http://purl.org/echo/",
                "uri/of/echo/namespace#",
                "http://purl.org/pie/",
            ]
        )
    ),
    (
        "atom03-entry-title-other-ns",
        atom(
            "<title>F</title><entry><title>Entry under pie</title></entry>", "http://purl.org/pie/"
        ),
        "entry.title",
        "Entry under pie",
    ),
    (
        "atom03-tagline-other-ns",
        atom(
            "<title>F</title><tagline>Said under echo</tagline><entry><title>e</title></entry>",
            "http://purl.org/echo/",
        ),
        "feed.description",
        "Said under echo",
    ),
    (
        "atom-mixed-case-title",
        '<feed xmlns="http://www.w3.org/2005/Atom"><Title>Cased</Title>'
        "<entry><title>e</title></entry></feed>",
        "feed.title",
        "Cased",
    ),
    # Atom 0.3 modes.
    (
        "atom03-base64-content",
        atom(
            "<title>F</title><entry><title>e</title>"
            f'<content type="text/html" mode="base64">{_b64("<p>Decoded body</p>")}</content>'
            "</entry>"
        ),
        "entry.content_html",
        "<p>Decoded body</p>",
    ),
    (
        "atom03-base64-summary",
        atom(
            "<title>F</title><entry><title>e</title>"
            f'<summary type="text/plain" mode="base64">{_b64("Decoded summary")}</summary>'
            "</entry>"
        ),
        "entry.summary",
        "Decoded summary",
    ),
    (
        "atom03-base64-title",
        atom(
            f'<title mode="base64">{_b64("Decoded title")}</title><entry><title>e</title></entry>'
        ),
        "feed.title",
        "Decoded title",
    ),
    (
        "atom03-base64-entry-title",
        atom(
            f'<title>F</title><entry><title type="text/html" mode="base64">'
            f"{_b64('Entry &amp; title')}</title></entry>"
        ),
        "entry.title",
        "Entry & title",
    ),
    (
        "atom03-escaped-html-content",
        atom(
            '<title>F</title><entry><title>e</title><content type="text/html" mode="escaped">'
            "&lt;p&gt;Escaped&lt;/p&gt;</content></entry>"
        ),
        "entry.content_html",
        "<p>Escaped</p>",
    ),
    (
        "atom03-xml-mode-content",
        atom(
            "<title>F</title><entry><title>e</title>"
            '<content type="application/xhtml+xml" mode="xml">'
            '<div xmlns="http://www.w3.org/1999/xhtml"><p>Inline</p></div></content></entry>'
        ),
        "entry.content_html",
        "<p>Inline</p>",
    ),
    (
        "atom03-escaped-plain-text-summary",
        atom(
            '<title>F</title><entry><title>e</title><summary type="text/plain" mode="escaped">'
            "1 &lt; 2</summary></entry>"
        ),
        "entry.summary",
        "1 < 2",
    ),
    # Wide encodings.
    *(
        (
            f"wide-{name}",
            prefix
            + (
                '<?xml version="1.0" encoding="utf-16"?>'
                * declared
                + "<rss><channel><title>Caf\u00e9 &amp; t\u00e9 &mdash; ok</title>"
                "<item><title>x</title></item></channel></rss>"
            ).encode(codec),
            "feed.title",
            "Caf\u00e9 & t\u00e9 \u2014 ok",
        )
        for name, prefix, codec, declared in [
            ("utf16le-bom", b"\xff\xfe", "utf-16-le", False),
            ("utf16be-bom", b"\xfe\xff", "utf-16-be", False),
            ("utf16le-bom-declared", b"\xff\xfe", "utf-16-le", True),
            ("utf32le-bom", b"\xff\xfe\x00\x00", "utf-32-le", False),
            ("utf32be-bom", b"\x00\x00\xfe\xff", "utf-32-be", False),
            ("utf16le-declared-no-bom", b"", "utf-16-le", True),
            ("utf16be-declared-no-bom", b"", "utf-16-be", True),
            ("utf16le-no-bom-no-declaration", b"", "utf-16-le", False),
        ]
    ),
    # Dates in items (the date module has its own table; these check they reach the entry).
    *(
        (
            f"date-{number}",
            rss(f"<title>T</title><item><title>x</title><pubDate>{text}</pubDate></item>"),
            "entry.published",
            expected,
        )
        for number, (text, expected) in enumerate(
            [
                ("2003", "2003-01-01T00:00:00+00:00"),
                ("2003-12", "2003-12-01T00:00:00+00:00"),
                ("2003-12-31", "2003-12-31T00:00:00+00:00"),
                ("2003-12-31T10:14Z", "2003-12-31T10:14:00+00:00"),
                ("Mon, 26 January 2004 16:31:00 ET", "2004-01-26T21:31:00+00:00"),
                ("Mon, 26 January 2004 16:31:00 CT", "2004-01-26T22:31:00+00:00"),
                ("Mon, 26 January 2004 16:31:00 MT", "2004-01-26T23:31:00+00:00"),
                ("Mon, 26 January 2004 16:31:00 PT", "2004-01-27T00:31:00+00:00"),
                ("Mon, 26 January 2004 16:31:00 AT", "2004-01-26T20:31:00+00:00"),
                ("Wed, 19 Aug 2009 18:28:00 Etc/GMT", "2009-08-19T18:28:00+00:00"),
                ("Wed, 19 Feb 2012 22:40:00 GMT-01:01", "2012-02-19T23:41:00+00:00"),
                ("Thu, 01 Jan 04 19:48:21 GMT", "2004-01-01T19:48:21+00:00"),
                ("03-12-31", "2003-12-31T00:00:00+00:00"),
                ("2003-13-45", None),
                ("20031-2-3", None),
            ]
        )
    ),
    # Already right before this work; kept so the count covers the ordinary fields too.
    (
        "rss2-plain-title",
        rss("<title>Plain</title><item><title>x</title></item>"),
        "feed.title",
        "Plain",
    ),
    (
        "rss2-item-link",
        rss("<title>T</title><item><title>x</title><link>https://a.example.net/1</link></item>"),
        "entry.url",
        "https://a.example.net/1",
    ),
    (
        "rss1-rdf-description",
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/"><channel rdf:about="https://r.example.net/">'
        "<title>R</title><description>RDF description</description></channel>"
        '<item rdf:about="https://r.example.net/1"><title>x</title></item></rdf:RDF>',
        "feed.description",
        "RDF description",
    ),
    (
        "atom10-subtitle",
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><subtitle>Sub</subtitle>'
        "<entry><title>e</title></entry></feed>",
        "feed.description",
        "Sub",
    ),
]


def _value(feed: Feed, field: str) -> object:
    scope, _, name = field.partition(".")
    if scope == "feed":
        return getattr(feed, name)
    return getattr(feed.entries[0], name) if feed.entries else "<no entries>"


@pytest.mark.parametrize(
    ("body", "field", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_field(body: str | bytes, field: str, expected: object) -> None:
    data = body.encode("utf-8") if isinstance(body, str) else body
    feed = parse_feed(data, URL)
    assert _value(feed, field) == expected
