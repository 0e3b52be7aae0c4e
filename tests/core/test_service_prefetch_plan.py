"""`prefetch_plan`: which unread stories still need their page fetched to be read offline."""

from __future__ import annotations

from pathlib import Path

from tests.faults._support import build_site
from tests.servers.loopback import serve
from tui.core.cache import Cache
from tui.core.config import Config, Settings, Subscription
from tui.core.service import NewsService
from tui.core.state import State


async def test_the_plan_counts_stories_unread_and_pages_still_to_fetch(tmp_path: Path) -> None:
    with serve() as server:
        routes, _ = build_site(str(server), 2, 3)
        for path, route in routes.items():
            server.route(path, route)
        pages = Subscription(server.url("/feed0.xml"))
        own_text = Subscription(server.url("/feed1.xml"), fetch_full=False)
        config = Config(Settings(), (pages, own_text))
        service = NewsService(config, Cache(tmp_path / "c"), State(tmp_path / "s.db"))
        try:
            empty = service.prefetch_plan()
            assert (empty.stories, empty.unread, empty.todo) == (0, (), ())

            report = await service.refresh_all()
            feed0 = report.statuses[0].feed
            assert feed0 is not None and not report.failures
            service.mark_read(feed0.entries[:1])
            plan = service.prefetch_plan()
            assert plan.stories == 6
            assert len(plan.unread) == 5  # one read
            # the other feed is read from its own text, stored with it: no page to fetch
            assert plan.todo == tuple(e.url for e in feed0.entries[1:])

            fetched, failures = await service.prefetch(plan.todo)
            assert (fetched, failures) == (2, [])
            assert service.prefetch_plan().todo == ()
            assert all(service.is_offline_ready(url) for url in plan.todo)
        finally:
            await service.aclose()
