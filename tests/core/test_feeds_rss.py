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


@pytest.mark.parametrize(
    "namespace",
    [
        "http://backend.userland.com/rss2",
        "http://backend.userland.com/rss",
        "http://blogs.law.harvard.edu/tech/rss",
        "https://never-seen.example.org/rss#",
    ],
)
def test_any_default_namespace_on_the_root_is_rss_itself(namespace: str) -> None:
    body = (
        f'<rss version="2.0" xmlns="{namespace}"><channel><title>Pier</title>'
        "<link>https://pier.example.org/</link><description>Boats and weather</description>"
        "<item><title>Gale warning</title><description>Stay in port</description>"
        "<link>https://pier.example.org/1</link></item></channel></rss>"
    )
    feed = parse_feed(body.encode(), "https://pier.example.org/rss")
    assert (feed.title, feed.description, feed.site_url) == (
        "Pier",
        "Boats and weather",
        "https://pier.example.org/",
    )
    entry = feed.entries[0]
    assert (entry.title, entry.summary, entry.url) == (
        "Gale warning",
        "Stay in port",
        "https://pier.example.org/1",
    )


def test_a_module_reusing_a_core_name_does_not_replace_it() -> None:
    body = (
        b'<r:rss xmlns:r="http://backend.userland.com/rss2" xmlns:m="http://m.example.org/">'
        b"<r:channel><r:title>Clash</r:title><r:item><r:title>One</r:title>"
        b"<m:description>module text</m:description><r:description>core text</r:description>"
        b"<m:title>module title</m:title></r:item></r:channel></r:rss>"
    )
    entry = parse_feed(body, "https://clash.example.org/").entries[0]
    assert (entry.title, entry.summary) == ("One", "core text")


def test_rss11_channel_root_with_items_collection() -> None:
    body = (
        b'<Channel xmlns="http://purl.org/net/rss1.1#" '
        b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" rdf:about="https://o.example.org/">'
        b"<title>Eleven</title><link>https://o.example.org/</link><description>About</description>"
        b'<items rdf:parseType="Collection">'
        b'<item rdf:about="https://o.example.org/1"><title>First</title></item>'
        b'<item rdf:about="https://o.example.org/2"><title>Second</title></item>'
        b"</items></Channel>"
    )
    feed = parse_feed(body, "https://o.example.org/rss")
    assert (feed.title, feed.description) == ("Eleven", "About")
    assert [(e.title, e.id) for e in feed.entries] == [
        ("First", "https://o.example.org/1"),
        ("Second", "https://o.example.org/2"),
    ]


def test_tags_are_read_in_any_letter_case() -> None:
    body = (
        b"<RSS><Channel><TiTlE>Loud</TiTlE><Link>https://l.example.org/</Link>"
        b"<DESCRIPTION>All caps</DESCRIPTION><Item><Title>Quiet</Title>"
        b"<PubDate>Tue, 20 May 2025 13:29:00 GMT</PubDate><GUID isPermaLink='false'>q1</GUID>"
        b"</Item></Channel></RSS>"
    )
    feed = parse_feed(body, "https://l.example.org/rss")
    assert (feed.title, feed.site_url, feed.description) == (
        "Loud",
        "https://l.example.org/",
        "All caps",
    )
    entry = feed.entries[0]
    assert (entry.title, entry.id, entry.published) == ("Quiet", "q1", "2025-05-20T13:29:00+00:00")


def test_dublin_core_fills_in_what_rss_leaves_out() -> None:
    body = (
        b'<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        b"<dc:title>Parish News</dc:title><dc:description>From the vestry</dc:description>"
        b"<item><dc:title>Fete</dc:title><dc:description>Saturday at two</dc:description>"
        b"<dc:creator>Vera Lamb</dc:creator><dc:date>2025-06-01T10:00:00Z</dc:date></item>"
        b"<item><title>Own title</title><dc:title>Second title</dc:title></item>"
        b"</channel></rss>"
    )
    feed = parse_feed(body, "https://parish.example.org/rss")
    assert (feed.title, feed.description) == ("Parish News", "From the vestry")
    fete = feed.entries[0]
    assert (fete.title, fete.summary, fete.author, fete.published) == (
        "Fete",
        "Saturday at two",
        "Vera Lamb",
        "2025-06-01T10:00:00+00:00",
    )
    assert feed.entries[1].title == "Own title"  # the fallback never overrides


@pytest.mark.parametrize("encoded_first", [True, False])
def test_description_is_the_summary_and_encoded_the_content(encoded_first: bool) -> None:
    encoded = "<content:encoded>&lt;p&gt;The whole story&lt;/p&gt;</content:encoded>"
    description = "<description>The gist</description>"
    parts = encoded + description if encoded_first else description + encoded
    body = (
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><item><title>t</title>{parts}</item></channel></rss>"
    )
    entry = parse_feed(body.encode(), "https://s.example.org/").entries[0]
    assert (entry.summary, entry.content_html) == ("The gist", "<p>The whole story</p>")


def test_other_full_text_elements_are_content() -> None:
    body = (
        b"<rss><channel>"
        b"<item><title>a</title><description>gist a</description>"
        b"<summary>&lt;p&gt;longer a&lt;/p&gt;</summary></item>"
        b'<item><title>b</title><body xmlns="http://www.w3.org/1999/xhtml"><p>body <b>b</b></p>'
        b"</body></item>"
        b"<item><title>c</title><fullitem>&lt;p&gt;full c&lt;/p&gt;</fullitem></item>"
        b"<item><title>d</title><summary>only a summary</summary></item>"
        b"</channel></rss>"
    )
    entries = {e.title: e for e in parse_feed(body, "https://f.example.org/").entries}
    assert (entries["a"].summary, entries["a"].content_html) == ("gist a", "<p>longer a</p>")
    assert entries["b"].content_html == "<p>body <b>b</b></p>"
    assert entries["b"].summary == "body b"
    assert entries["c"].content_html == "<p>full c</p>"
    assert (entries["d"].summary, entries["d"].content_html) == ("only a summary", None)


def test_media_descriptions_are_the_summary_when_there_is_no_other() -> None:
    body = (
        b'<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>'
        b"<item><title>group</title><media:group>"
        b'<media:content url="https://v.example.org/1.mp4" type="video/mp4"/>'
        b"<media:description>In the group</media:description></media:group></item>"
        b"<item><title>direct</title><media:description>In the item</media:description></item>"
        b'<item><title>nested</title><media:content url="https://v.example.org/3.mp4">'
        b"<media:description>In the content</media:description></media:content></item>"
        b'<item><title>deep</title><media:group><media:content url="https://v.example.org/4.mp4">'
        b"<media:description>In the grouped content</media:description></media:content>"
        b"</media:group></item>"
        b"<item><title>own</title><description>Own words</description><media:group>"
        b"<media:description>Media words</media:description></media:group></item>"
        b"</channel></rss>"
    )
    summaries = {e.title: e.summary for e in parse_feed(body, "https://v.example.org/").entries}
    assert summaries == {
        "group": "In the group",
        "direct": "In the item",
        "nested": "In the content",
        "deep": "In the grouped content",
        "own": "Own words",
    }
