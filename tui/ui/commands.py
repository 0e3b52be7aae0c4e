"""Command-palette provider: jump to a feed by name.

Textual's own system-command provider renders titles with `Content.from_markup`, so names that
came from the network get a provider of their own that builds plain `Content`; the help line is
always parsed as markup by the palette, so it is escaped.
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape


class FeedCommands(Provider):
    def _feeds(self) -> list[tuple[str, str]]:
        from tui.ui.screens.main import MainScreen

        screen = self.screen
        if not isinstance(screen, MainScreen):
            return []
        return [
            (
                s.subscription.title or (s.feed.title if s.feed else "") or s.subscription.url,
                s.subscription.url,
            )
            for s in screen.statuses
        ]

    def _jump(self, url: str) -> None:
        from tui.ui.screens.main import MainScreen

        screen = self.screen
        if isinstance(screen, MainScreen):
            screen.jump_to_feed(url)

    async def discover(self) -> Hits:
        for title, url in self._feeds():
            label = f"Go to feed: {title}"
            yield DiscoveryHit(
                Content(label), partial(self._jump, url), text=label, help=escape(url)
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, url in self._feeds():
            label = f"Go to feed: {title}"
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score, Content(label), partial(self._jump, url), text=label, help=escape(url)
                )
