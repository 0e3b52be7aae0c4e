"""Atom 1.0 and 0.3 read from fixture feeds written for these tests."""

from __future__ import annotations

import pytest

from tests.core.feed_fixtures import parse_fixture


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
