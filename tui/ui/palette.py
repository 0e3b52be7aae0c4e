"""Command-palette provider: jump to a feed by name, view a folder or tag, open a web address.

Textual's own system-command provider renders titles with `Content.from_markup`, so names that
came from the network get a provider of their own that builds plain `Content`; the help line is
always parsed as markup by the palette, so it is escaped.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

if TYPE_CHECKING:
    from tui.ui.screens.main import MainScreen


def keep_commands(screen: MainScreen) -> list[tuple[str, Callable[[], None], str]]:
    """The keep room's commands: save, export, and each [[share]] of the config."""
    from tui.ui.screens.rule_test import RuleTestScreen
    from tui.ui.widgets.keep_room import KeepRoom

    room = screen.query_one(KeepRoom)

    def run(what: str) -> Callable[[], None]:
        return lambda: screen.action_keep(what)

    commands = [
        ("Save for later / unsave", run("save"), "S: the story or the page open"),
        ("Export the article as Markdown", run("export"), f"E: into {screen.service.export_dir}"),
    ]
    pane = screen.stories_pane
    keys = [(e.feed_url, e.id) for e in pane.rowset.entries if e is not None]
    test = partial(screen.service.test_rule, keys=keys)

    def test_rule() -> None:
        screen.app.push_screen(RuleTestScreen(test, len(keys)))

    commands.append(
        ("Test a rule on the stories listed…", test_rule, "the [[rules]] language (README: Rules)")
    )
    for share in screen.service.shares:
        send = partial(room.share, share, screen._target_entry(), screen.reader.article)
        commands.append((f"Send to: {share.name}", send, " ".join(share.command)))
    return commands


class FeedCommands(Provider):
    def _commands(self) -> list[tuple[str, Callable[[], None], str]]:
        """(label, callback, help) for every feed and every folder/tag."""
        from tui.ui.rows import tags_of
        from tui.ui.screens.main import MainScreen

        screen = self.screen
        if not isinstance(screen, MainScreen):
            return []
        pane = screen.stories_pane
        commands: list[tuple[str, Callable[[], None], str]] = []
        for s in pane.statuses:
            title = s.subscription.title or (s.feed.title if s.feed else "") or s.subscription.url
            url = s.subscription.url
            commands.append((f"Go to feed: {title}", partial(self._jump, url), url))
        for tag in tags_of(pane.statuses):
            commands.append(
                (f"View folder/tag: {tag}", partial(pane.show_tag, tag), "its feeds only")
            )
        if pane.tag:
            commands.append(("View every feed", partial(pane.show_tag, None), "all folders"))
        commands.append(
            ("Open a web address…", screen.action_open_url, "read any page in the reader")
        )
        commands += keep_commands(screen)
        if screen.service.offline:
            commands.append(("Go online", screen.action_toggle_offline, "fetch and refresh again"))
        else:
            commands.append(
                ("Go offline", screen.action_toggle_offline, "read from the cache only")
            )
        return commands

    def _jump(self, url: str) -> None:
        from tui.ui.screens.main import MainScreen

        screen = self.screen
        if isinstance(screen, MainScreen):
            screen.stories_pane.jump_to_feed(url)

    async def discover(self) -> Hits:
        for label, callback, help_text in self._commands():
            yield DiscoveryHit(Content(label), callback, text=label, help=escape(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, callback, help_text in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, Content(label), callback, text=label, help=escape(help_text))
