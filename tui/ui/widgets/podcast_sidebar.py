"""The podcast sidebar: episodes of the open article first, then the podcast subscriptions.

Each line shows the length right-aligned in a fixed column (42:09, 1:02:03, ≈ for an estimate,
— when unknown), a mark (● new, ◐ started, ▶ playing; played ones dimmed), with the total
listening time at the top.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.core.durations import format_duration
from tui.core.models import Episode
from tui.core.state import EpisodeMark

NO_MARK = EpisodeMark()


def length_label(episode: Episode) -> str:
    shown = episode.duration or "—"
    return f"≈{shown}" if episode.estimated and episode.duration else shown


def mark_glyph(mark: EpisodeMark, playing: bool = False) -> str:
    if playing:
        return "▶"
    if mark.played:
        return " "
    return "◐" if mark.seconds > 0 else "●"


def episode_prompt(episode: Episode, mark: EpisodeMark = NO_MARK, playing: bool = False) -> Table:
    """Length and mark in a fixed column; the title wraps beside them (a hanging indent)."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(width=8, justify="right", no_wrap=True)
    grid.add_column(width=1, no_wrap=True)
    grid.add_column(ratio=1)
    dim = "dim" if mark.played and not playing else ""
    grid.add_row(
        Text(length_label(episode), style="bold"),
        Text(mark_glyph(mark, playing), style="bold"),
        Text(episode.title or episode.url, style=dim),
    )
    return grid


def total_label(episodes: Sequence[Episode]) -> str:
    """ "Podcasts · N · total H:MM:SS", each episode counted once even when listed twice."""
    episodes = list({e.url: e for e in episodes}.values())
    known = [e.duration_seconds for e in episodes if e.duration_seconds]
    if not episodes:
        return "Podcasts"
    total = format_duration(sum(known)) if known else "—"
    return f"Podcasts · {len(episodes)} · total {total}"


class PodcastSidebar(Vertical):
    """Header with the total, then a focusable list of episodes."""

    DEFAULT_CSS = """
    PodcastSidebar { width: 36; }
    PodcastSidebar > #podcast-total { padding: 0 1; text-style: bold; height: 1; }
    PodcastSidebar > .section { padding: 0 1; color: $text-muted; height: 1; }
    PodcastSidebar > OptionList { height: 1fr; border: none; }
    """

    BINDINGS = [
        Binding("m", "toggle_played", "Played/unplayed", id="podcasts.toggle_played"),
        Binding("j", "list('cursor_down')", "Next episode", show=False, id="podcasts.down"),
        Binding("k", "list('cursor_up')", "Previous episode", show=False, id="podcasts.up"),
        Binding("g", "list('first')", "First episode", show=False, id="podcasts.first"),
        Binding("G", "list('last')", "Last episode", show=False, id="podcasts.last"),
    ]

    class EpisodeChosen(Message):
        def __init__(self, episode: Episode) -> None:
            super().__init__()
            self.episode = episode

    class PlayedToggled(Message):
        """The user asked to flip an episode between played and unplayed."""

        def __init__(self, episode: Episode) -> None:
            super().__init__()
            self.episode = episode

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article_episodes: tuple[Episode, ...] = ()
        self.feed_episodes: tuple[Episode, ...] = ()
        self._shown: list[Episode] = []
        self.marks: dict[str, EpisodeMark] = {}
        self.playing: str | None = None  # URL of the episode the player is playing

    def compose(self):
        yield Static("Podcasts", id="podcast-total", markup=False)
        yield OptionList(id="episodes")

    @property
    def episodes(self) -> list[Episode]:
        return list(self._shown)

    def set_episodes(
        self, article: Sequence[Episode] | None = None, feeds: Sequence[Episode] | None = None
    ) -> None:
        if article is not None:
            self.article_episodes = tuple(article)
        if feeds is not None:
            self.feed_episodes = tuple(feeds)
        self._refresh_list()

    def set_marks(self, marks: dict[str, EpisodeMark], playing: str | None) -> None:
        """Show which episodes are played, started and playing (keeps the highlight)."""
        if (marks, playing) == (self.marks, self.playing):
            return
        self.marks, self.playing = marks, playing
        olist = self.query_one(OptionList)
        highlighted = olist.highlighted
        self._refresh_list()
        olist.highlighted = highlighted

    def _prompt(self, episode: Episode) -> Table:
        mark = self.marks.get(episode.url, NO_MARK)
        return episode_prompt(episode, mark, playing=episode.url == self.playing)

    def _refresh_list(self) -> None:
        options: list[Option | None] = []
        shown: list[Episode] = []
        if self.article_episodes:
            options.append(Option(Text("In this article", style="italic"), disabled=True))
            for episode in self.article_episodes:
                options.append(Option(self._prompt(episode)))
                shown.append(episode)
        if self.feed_episodes:
            options.append(Option(Text("Latest episodes", style="italic"), disabled=True))
            for episode in self.feed_episodes:
                options.append(Option(self._prompt(episode)))
                shown.append(episode)
        self._shown = shown
        olist = self.query_one(OptionList)
        olist.clear_options()
        olist.add_options(options)
        self.query_one("#podcast-total", Static).update(Text(total_label(shown)))

    def update_episode(self, episode: Episode) -> None:
        """Show a newer copy of an episode (a measured length), wherever it is listed."""

        def swap(episodes: tuple[Episode, ...]) -> tuple[Episode, ...]:
            return tuple(episode if e.url == episode.url else e for e in episodes)

        article, feeds = swap(self.article_episodes), swap(self.feed_episodes)
        if (article, feeds) != (self.article_episodes, self.feed_episodes):
            olist = self.query_one(OptionList)
            highlighted = olist.highlighted
            self.article_episodes, self.feed_episodes = article, feeds
            self._refresh_list()
            olist.highlighted = highlighted

    def highlighted_episode(self) -> Episode | None:
        olist = self.query_one(OptionList)
        index = olist.highlighted
        if index is None:
            return None
        return self._episode_at(index)

    def _episode_at(self, option_index: int) -> Episode | None:
        # Option indexes count the disabled section headers too.
        n = option_index
        if self.article_episodes:
            n -= 1
            if n < len(self.article_episodes):
                return self.article_episodes[n] if n >= 0 else None
            n -= len(self.article_episodes)
        if self.feed_episodes:
            n -= 1
            if 0 <= n < len(self.feed_episodes):
                return self.feed_episodes[n]
        return None

    async def action_list(self, action: str) -> None:
        """The story list's keys (j/k, g/G) on the episode list too."""
        await self.query_one(OptionList).run_action(action)

    def action_toggle_played(self) -> None:
        episode = self.highlighted_episode()
        if episode is not None:
            self.post_message(self.PlayedToggled(episode))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        episode = self._episode_at(event.option_index)
        if episode is not None:
            self.post_message(self.EpisodeChosen(episode))
