"""Enclosures, Media RSS, iTunes and podcast namespaces → Episodes."""

from __future__ import annotations

import pytest

from tests.core.feed_fixtures import parse_fixture
from tui.core.feeds import parse_feed


@pytest.fixture(scope="module")
def show():
    return parse_fixture("podcast.xml", "https://radio.example.org/feed")


def _episodes(feed):
    return {e.id: e.episodes for e in feed.entries}


def test_is_podcast_when_most_entries_have_audio(show) -> None:
    assert show.is_podcast
    assert show.description == "Talk from the harbour towns."


@pytest.mark.parametrize(
    ("entry_id", "seconds"),
    [("hh-3", 42 * 60 + 9), ("hh-2", 3600), ("hh-1", 3723), ("hh-bonus", 300)],
)
def test_itunes_duration_forms(show, entry_id: str, seconds: int) -> None:
    (episode,) = _episodes(show)[entry_id]
    assert episode.duration_seconds == seconds


def test_episode_fields(show) -> None:
    (episode,) = _episodes(show)["hh-3"]
    assert episode.url == "https://radio.example.org/audio/ep3.mp3"  # relative enclosure resolved
    assert episode.title == "Episode 3: Short clock"
    assert episode.feed_title == "Harbour Hours"
    assert episode.published == "2025-06-03T18:00:00+00:00"
    assert episode.mime_type == "audio/mpeg"
    assert episode.size_bytes == 10116096
    assert episode.duration == "42:09"


def test_itunes_summary_and_author_fill_in(show) -> None:
    entry = next(e for e in show.entries if e.id == "hh-3")
    assert entry.summary == "The wall, the vote and the sea."
    assert entry.author == "Mara Penhallow"


def test_untyped_enclosure_recognised_by_extension_and_bad_length_ignored(show) -> None:
    (episode,) = _episodes(show)["hh-2"]
    assert episode.mime_type == "audio/mp4"
    assert episode.size_bytes is None
    (first,) = _episodes(show)["hh-1"]
    assert first.size_bytes is None  # length="0" means unknown


def test_video_enclosure_is_not_an_episode(show) -> None:
    assert _episodes(show)["hh-0"] == ()


def test_alternate_enclosure_used_when_nothing_else(show) -> None:
    (episode,) = _episodes(show)["hh-bonus"]
    assert episode.url == "https://cdn.example.org/hh/bonus.opus"
    assert episode.mime_type == "audio/opus"


def test_javascript_and_file_enclosures_dropped(show) -> None:
    assert _episodes(show)["hh-evil"] == ()
    urls = [ep.url for e in show.entries for ep in e.episodes]
    assert all(url.startswith("https://") for url in urls)


def test_media_group_and_media_content() -> None:
    feed = parse_fixture("mediarss.xml", "https://media.example.org/rss")
    grouped, loose = feed.entries
    assert [ep.url for ep in grouped.episodes] == [
        "https://media.example.org/show/1-high.mp3",
        "https://media.example.org/show/1-low.mp3",
    ]
    assert [ep.duration_seconds for ep in grouped.episodes] == [1805, 1805]
    assert grouped.episodes[0].size_bytes == 2000000
    assert grouped.summary == "Both renditions of the first show."
    assert [ep.duration_seconds for ep in loose.episodes] == [61, 62]
    assert loose.episodes[0].mime_type == "audio/ogg"
    assert feed.is_podcast


def test_news_feed_with_one_podcast_item_is_not_a_podcast() -> None:
    items = "".join(
        f"<item><title>{i}</title><link>https://n.example.org/{i}</link></item>" for i in range(3)
    )
    audio = '<item><title>a</title><enclosure url="https://n.example.org/a.mp3" type="audio/mpeg"/></item>'
    feed = parse_feed(
        f"<rss><channel>{items}{audio}</channel></rss>".encode(), "https://n.example.org/"
    )
    assert not feed.is_podcast
    assert sum(1 for e in feed.entries if e.episodes) == 1


def test_duplicate_enclosures_give_one_episode() -> None:
    body = (
        b"<rss><channel><item><title>t</title>"
        b'<enclosure url="https://d.example.org/a.mp3" type="audio/mpeg" length="10"/>'
        b'<enclosure url="https://d.example.org/a.mp3" type="audio/mpeg" length="10"/>'
        b"</item></channel></rss>"
    )
    assert len(parse_feed(body, "https://d.example.org/").entries[0].episodes) == 1


@pytest.mark.parametrize(
    "namespace",
    [
        "http://www.itunes.com/dtds/podcast-1.0.dtd",
        "http://www.itunes.com/DTDs/PodCast-1.0.dtd",
        "http://example.com/DTDs/PodCast-1.0.dtd",  # Apple's old example, copied into real feeds
    ],
)
def test_itunes_namespace_spellings(namespace: str) -> None:
    body = (
        f'<rss version="2.0" xmlns:itunes="{namespace}"><channel><title>Show</title>'
        "<itunes:summary>About the show</itunes:summary>"
        '<item><title>Ep</title><enclosure url="https://i.example.org/1.mp3" type="audio/mpeg"/>'
        "<itunes:duration>01:02:03</itunes:duration><itunes:author>Host</itunes:author>"
        "</item></channel></rss>"
    )
    feed = parse_feed(body.encode(), "https://i.example.org/rss")
    assert feed.description == "About the show"
    entry = feed.entries[0]
    assert entry.author == "Host"
    assert entry.episodes[0].duration_seconds == 3723
