"""Atom 1.0 and 0.3 read from fixture feeds written for these tests."""

from __future__ import annotations

import base64

import pytest

from tests.core.feed_fixtures import parse_fixture
from tui.core.feeds import parse_feed


@pytest.fixture(scope="module")
def blog():
    return parse_fixture("atom1.xml", "https://blog.example.com/atom.xml")


def test_feed_fields(blog) -> None:
    assert blog.title == "Notes <from> the Orchard"  # type="text": a "<" is a character
    assert blog.description == "A glass orchard blog"
    assert blog.site_url == "https://blog.example.com/"


def test_html_title_reduced_and_text_title_kept_literal(blog) -> None:
    titles = [e.title for e in blog.entries]
    assert titles == [
        "Review: The Glass Orchard & friends",
        "Plain text title with 1 < 2 in it",
        "An xhtml title",
    ]


def test_published_preferred_over_updated_and_converted_to_utc(blog) -> None:
    assert blog.entries[0].published == "2025-07-19T06:00:00+00:00"


def test_html_alternate_link_preferred_and_xml_base_applied(blog) -> None:
    assert blog.entries[0].url == "https://blog.example.com/posts/glass-orchard"
    assert blog.entries[1].url == "https://other.example.com/sub/page.html"
    assert blog.entries[2].url is None


def test_ids_are_atom_ids(blog) -> None:
    assert blog.entries[0].id == "tag:blog.example.com,2025:glass-orchard"


def test_xhtml_content_serialised_without_namespaces(blog) -> None:
    content = blog.entries[0].content_html
    assert content is not None
    assert "<b>quiet</b>" in content
    assert "xmlns" not in content
    assert content.count("<p>") == 2


def test_text_content_becomes_escaped_paragraphs(blog) -> None:
    entry = blog.entries[1]
    assert entry.content_html == (
        "<p>First line of text.</p><p>Second paragraph &lt;not a tag&gt;.</p>"
    )
    assert entry.summary == "First line of text.\n\nSecond paragraph <not a tag>."


def test_summary_from_escaped_html_content_when_no_summary(blog) -> None:
    assert blog.entries[2].summary == "Escaped HTML content."
    assert blog.entries[2].content_html == "<p>Escaped <b>HTML</b> content.</p>"


def test_author_name(blog) -> None:
    assert blog.entries[0].author == "Felix Amberley"


def test_enclosure_link_is_an_episode(blog) -> None:
    (episode,) = blog.entries[0].episodes
    assert episode.url == "https://blog.example.com/audio/orchard.mp3"
    assert episode.size_bytes == 1234567
    assert episode.title == "Review: The Glass Orchard & friends"
    assert episode.feed_title == "Notes <from> the Orchard"


def test_atom03() -> None:
    feed = parse_fixture("atom03.xml", "http://old.example.org/atom")
    assert feed.title == "Old Atom"
    assert feed.description == "Still publishing Atom 0.3"
    assert feed.site_url == "http://old.example.org/"
    first = next(e for e in feed.entries if e.title == "First post")
    assert first.published == "2004-12-13T12:29:29+00:00"  # issued, not modified
    assert first.content_html == "<p>Hello <b>world</b></p>"  # mode="escaped"
    assert first.summary == "A summary."
    second = next(e for e in feed.entries if e.title == "Second post")
    assert second.content_html is None  # base64 content is not decoded
    assert [e.title for e in feed.entries] == ["Second post", "First post"]


@pytest.mark.parametrize(
    "namespace",
    [
        "http://purl.org/atom/ns#",
        "http://purl.org/atom/ns",
        "http://purl.org/echo/",
        "http://purl.org/pie/",
        "http://example.com/newformat#",
        "uri/of/echo/namespace#",
    ],
)
def test_pre_standard_namespace_on_the_feed_root_is_atom_itself(namespace: str) -> None:
    body = (
        f'<feed version="0.3" xmlns="{namespace}"><title>Early days</title>'
        "<tagline>Before the standard</tagline>"
        '<link rel="alternate" type="text/html" href="https://early.example.org/"/>'
        "<entry><title>Hello</title><id>tag:early,1</id><summary>First words</summary>"
        "<issued>2003-12-31T10:14:55Z</issued></entry></feed>"
    )
    feed = parse_feed(body.encode(), "https://early.example.org/atom")
    assert (feed.title, feed.description, feed.site_url) == (
        "Early days",
        "Before the standard",
        "https://early.example.org/",
    )
    entry = feed.entries[0]
    assert (entry.title, entry.id, entry.summary, entry.published) == (
        "Hello",
        "tag:early,1",
        "First words",
        "2003-12-31T10:14:55+00:00",
    )


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_atom03_base64_constructs_are_decoded() -> None:
    body = (
        '<feed version="0.3" xmlns="http://purl.org/atom/ns#">'
        f'<title mode="base64">{_b64("Encoded feed title")}</title>'
        f'<entry><title type="text/html" mode="base64">{_b64("Fish &amp; chips")}</title>'
        f'<summary mode="base64">{_b64("Plain summary <not a tag>")}</summary>'
        f'<content type="text/html" mode="base64">\n{_b64("<p>Rich <b>body</b></p>")}\n'
        "</content></entry></feed>"
    )
    feed = parse_feed(body.encode(), "https://b.example.org/atom")
    assert feed.title == "Encoded feed title"
    entry = feed.entries[0]
    assert entry.title == "Fish & chips"
    assert entry.summary == "Plain summary <not a tag>"  # 0.3's default type is text/plain
    assert entry.content_html == "<p>Rich <b>body</b></p>"


def test_atom03_base64_that_is_not_base64_gives_no_text() -> None:
    body = (
        b'<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>F</title>'
        b'<entry><title>kept</title><summary mode="base64">not*base64!</summary>'
        b'<content type="text/html" mode="base64">%%%</content></entry></feed>'
    )
    entry = parse_feed(body, "https://b.example.org/atom").entries[0]
    assert (entry.title, entry.summary, entry.content_html) == ("kept", "", None)


def test_atom03_escaped_mode_follows_the_type() -> None:
    body = (
        b'<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>F</title><entry>'
        b"<title>t</title>"
        b'<summary type="text/plain" mode="escaped">&lt;b&gt;literal&lt;/b&gt;</summary>'
        b'<content type="text/html" mode="escaped">&lt;p&gt;markup&lt;/p&gt;</content>'
        b"</entry></feed>"
    )
    entry = parse_feed(body, "https://e.example.org/atom").entries[0]
    assert entry.summary == "<b>literal</b>"
    assert entry.content_html == "<p>markup</p>"


def test_atom_video_feed_summary_from_media_group() -> None:
    body = (
        b'<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">'
        b"<title>Channel</title><entry><id>yt:1</id><title>Clip</title>"
        b'<link rel="alternate" href="https://video.example.org/watch/1"/>'
        b"<media:group><media:title>Clip</media:title>"
        b'<media:content url="https://video.example.org/v/1" type="application/x-shockwave-flash"/>'
        b"<media:description>What happens in the clip.\nSecond line &lt;b&gt;</media:description>"
        b"</media:group></entry></feed>"
    )
    entry = parse_feed(body, "https://video.example.org/feed").entries[0]
    assert entry.summary == "What happens in the clip.\n\nSecond line <b>"  # plain text


def test_atom_tags_in_any_letter_case() -> None:
    body = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><Title>Cased</Title><Entry><Title>e</Title>'
        b"<ID>x1</ID><Updated>2025-01-02T03:04:05Z</Updated></Entry></feed>"
    )
    feed = parse_feed(body, "https://c.example.org/atom")
    assert feed.title == "Cased"
    assert (feed.entries[0].title, feed.entries[0].id) == ("e", "x1")
    assert feed.entries[0].published == "2025-01-02T03:04:05+00:00"
