"""Saved for later through the service: saved online reads offline after the server is gone
and after the cache is cleared; saving offline keeps the story without its text; unsave."""

from __future__ import annotations

from pathlib import Path

from tests.servers.loopback import Route, serve
from tui.core.cache import Cache
from tui.core.config import Config
from tui.core.models import Entry
from tui.core.saved import SAVED_FEED
from tui.core.service import NewsService
from tui.core.state import State

PAGE = (
    b"<html><head><title>Slow Journalism</title></head><body><article><h1>Slow Journalism</h1>"
    + b"".join(
        b"<p>Paragraph %d of a long and careful article about reading later, "
        b"with enough words to count as the body of the page.</p>" % i
        for i in range(12)
    )
    + b'<p>See <a href="https://example.org/x">the source</a>.</p></article></body></html>'
)


def _service(tmp_path: Path, *, offline: bool = False) -> NewsService:
    return NewsService(
        Config(path=tmp_path / "config.toml"),
        Cache(tmp_path / "cache"),
        State(tmp_path / "state.db"),
        offline=offline,
    )


async def test_a_saved_page_reads_offline_after_the_cache_is_cleared(tmp_path: Path) -> None:
    with serve({"/a": Route(body=PAGE, content_type="text/html")}) as server:
        url = server.url("/a")
        service = _service(tmp_path)
        result = await service.save(url, tags=["slow"])
        await service.aclose()
        assert server.hits("/a") == 1
    assert result.story.readable and result.article is not None
    assert result.story.entry.feed_url == SAVED_FEED
    assert result.story.entry.title == "Slow Journalism"
    assert result.story.tags == ("slow",)
    assert service.clear_cache() > 0  # the cache forgets the page …
    service.state.close()

    offline = _service(tmp_path, offline=True)  # … and the server is gone
    article = (await offline.load_article(url)).article
    assert article.title == "Slow Journalism"
    assert "Paragraph 11" in article.text
    assert url in offline.offline_urls() and offline.is_offline_ready(url)
    [story] = offline.saved_stories()
    assert story.saved_at is not None and story.offline and story.tags == ("slow",)


async def test_saving_offline_keeps_the_story_without_its_text(tmp_path: Path) -> None:
    service = _service(tmp_path, offline=True)
    entry = Entry("e1", "http://127.0.0.1:9/feed.xml", "A story", url="http://127.0.0.1:9/e1")
    result = await service.save("http://127.0.0.1:9/e1", entry=entry)
    assert not result.story.readable and result.article is None
    assert "without its text" in result.notice
    # Not a story of any cached feed (as a link followed from an article): a page of its own.
    assert result.story.entry.feed_url == SAVED_FEED
    assert result.story.entry.title == "A story"
    assert service.saved_urls() == {"http://127.0.0.1:9/e1"}


async def test_newest_saved_first_tags_merge_and_unsave(tmp_path: Path) -> None:
    service = _service(tmp_path, offline=True)
    for name in ("one", "two", "three"):
        await service.save(f"http://127.0.0.1:9/{name}")
    await service.save("http://127.0.0.1:9/one", tags=["x"])  # again: keeps its saved_at
    await service.save("http://127.0.0.1:9/one", tags=["y"])
    shelf = service.saved()
    assert [s.entry.url.rsplit("/", 1)[1] for s in shelf if s.entry.url] == [
        "three",
        "two",
        "one",
    ]
    assert shelf[-1].tags == ("x", "y")
    assert service.unsave("http://127.0.0.1:9/two")
    assert not service.unsave("http://127.0.0.1:9/two")
    assert len(service.saved()) == 2


async def test_saved_articles_survive_eviction(tmp_path: Path) -> None:
    with serve({"/a": Route(body=PAGE, content_type="text/html")}) as server:
        url = server.url("/a")
        service = _service(tmp_path)
        await service.save(url)
        await service.aclose()
    from tui.core.extract_version import EXTRACTOR_VERSION

    service.cache.delete("raw", url)  # what eviction does to the page and its extraction
    service.cache.delete(f"article:{EXTRACTOR_VERSION}", url)
    assert not service.cache.has("raw", url)
    article = service.cached_article(url)
    assert article is not None and article.title == "Slow Journalism"


async def test_saving_a_synced_story_stars_it_on_the_server(tmp_path: Path) -> None:
    import pytest

    from tests.core.test_service_sync import make_service
    from tests.servers.greader import PASSWORD, fake_greader

    with pytest.MonkeyPatch.context() as patch, fake_greader() as server:
        patch.setenv("BROADSHEET_SYNC_PASSWORD", PASSWORD)
        stream = server.add_feed("http://feeds.test/a.xml", "A")
        items = [server.add_item(stream, f"S{n}", f"https://a.test/{n}") for n in range(2)]
        service = make_service(tmp_path, server)
        await service.sync()
        service.set_offline(True)  # a.test is not to be fetched: saved without its text
        result = await service.save("https://a.test/1")  # by address: the feed's story
        assert result.story.entry.feed_url == "http://feeds.test/a.xml"
        await service.save("https://elsewhere.test/page")  # the server does not know it
        assert service.pending_marks() == 1
        service.set_offline(False)
        await service.sync()
        await service.aclose()
        assert items[1].starred and not items[0].starred
