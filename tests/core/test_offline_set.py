"""The offline set and the text search, held by the service: read once, grown as articles are
cached, read again after a refresh or a prefetch (no Textual)."""

from __future__ import annotations

import threading

from tui.core.offline import OfflineSet
from tui.core.session import open_session

SEED_TITLE = "NATO chief comments on Putin-Trump phone call"


def test_the_set_is_read_once_grown_and_read_again_after_forget() -> None:
    reads: list[int] = []
    cached = {"https://a.example/1"}

    def read_all() -> set[str]:
        reads.append(1)
        return set(cached)

    offline = OfflineSet(read_all)
    assert not offline.is_known
    offline.add("https://a.example/0")  # not read yet: nothing to grow
    assert offline.urls() == {"https://a.example/1"} and len(reads) == 1
    assert offline.urls() == {"https://a.example/1"} and len(reads) == 1
    offline.add("https://a.example/2")
    assert offline.urls() == {"https://a.example/1", "https://a.example/2"}
    assert len(reads) == 1  # grown without a pass over the cache
    cached.add("https://a.example/3")
    offline.forget()
    assert offline.urls() == {"https://a.example/1", "https://a.example/3"} and len(reads) == 2


def test_a_set_handed_out_does_not_change_under_its_reader() -> None:
    offline = OfflineSet(lambda: {"u1"})
    held = offline.urls()
    offline.add("u2")
    assert held == {"u1"} and offline.urls() == {"u1", "u2"}


def test_adds_from_many_threads_are_all_kept() -> None:
    offline = OfflineSet(set)
    offline.urls()
    threads = [
        threading.Thread(target=lambda n=n: [offline.add(f"u{n}-{i}") for i in range(200)])
        for n in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(offline.urls()) == 800


async def test_the_service_keeps_the_set_and_the_search_index_in_step() -> None:
    session = open_session(sample_only=True)
    service = session.service
    reads: list[int] = []
    offline_urls = service.offline_urls

    def counted() -> set[str]:
        reads.append(1)
        return offline_urls()

    service.offline_urls = counted  # type: ignore[method-assign]
    try:
        report = await service.refresh_all()
        assert not report.failures
        entries = [e for s in report.statuses if s.feed for e in s.feed.entries if e.url]
        seed = next(e for e in entries if e.title == SEED_TITLE)
        assert seed.url is not None
        assert seed.url not in service.available_offline()
        assert len(reads) == 1
        assert service.search_text("kremlin") == set()  # in the seed article's text only

        await service.load_article(seed.url)
        assert seed.url in service.available_offline()  # grown, not read again
        assert len(reads) == 1
        assert service.search_text("Kremlin") == {seed.url}  # the opened article is searchable

        urls = [e.url for e in entries if e.url]
        fetched, failures = await service.prefetch(urls)
        assert fetched > 0 and not failures
        assert set(urls) <= service.available_offline()  # read again after the prefetch
        assert len(reads) >= 2

        # A fresh service (a new run): nothing indexed until the cached articles are read in.
        session2 = open_session(sample_only=True, offline=True)
        try:
            fresh = session2.service
            assert fresh.search_text("kremlin") == set()
            added = fresh.index_cached_articles(urls, stop=lambda: False)
            assert added == len(set(urls))
            assert fresh.search_text("kremlin") == {seed.url}
            assert fresh.index_cached_articles(urls, stop=lambda: False) == 0  # once each
            assert fresh.index_cached_articles(["https://not.cached/"], lambda: False) == 0
        finally:
            await session2.service.aclose()
            session2.close()
    finally:
        await service.aclose()
        session.close()
