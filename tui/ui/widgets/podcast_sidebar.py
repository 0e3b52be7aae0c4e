"""The podcast sidebar: episodes of the open article first, then the podcast subscriptions.

Each line shows the length right-aligned in a fixed column (42:09, 1:02:03, ≈ for an estimate,
— when unknown), a mark (● new, ◐ started, ▶ playing; played ones dimmed), with the total
listening time at the top.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.css.styles import RulesMap
from textual.message import Message
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.core.durations import format_duration
from tui.core.models import Episode, EpisodeMark

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


HEAD_CELLS = 11  # "   42:09 ● ": the length right-aligned in 8 cells, a space, the mark, a space


class EpisodePrompt(Visual):
    """One episode's option: length and mark in a fixed column, the title wrapping beside them
    (a hanging indent). Drawn straight from Textual Content: a Rich table grid did the same at
    about ten times the cost, which showed in the first frame's follow-up paint."""

    def __init__(self, length: str, mark: str, title: str, *, dim: bool = False) -> None:
        self._head = Content.assemble(
            " " * max(0, 8 - len(length)), (length, "bold"), " ", (mark, "bold"), " "
        )
        self._title = Content.styled(title, "dim") if dim else Content(title)
        self._wrapped: tuple[int, list[Content]] = (-1, [])

    def lines(self, width: int) -> list[Content]:
        """The option's lines at `width` cells (remembered for the last width asked)."""
        if self._wrapped[0] != width:
            indent = Content(" " * HEAD_CELLS)
            title = self._title.wrap(max(1, width - HEAD_CELLS)) if self._title else []
            heads = [self._head, *[indent] * (len(title) - 1)]
            self._wrapped = (
                width,
                [h + line for h, line in zip(heads, title, strict=True)] or [self._head],
            )
        return self._wrapped[1]

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        strips = [
            strip
            for line in self.lines(width)
            for strip in line.render_strips(width, 1, style, options)
        ]
        return strips if height is None else strips[:height]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return HEAD_CELLS + self._title.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self.lines(width))


def episode_prompt(
    episode: Episode, mark: EpisodeMark = NO_MARK, playing: bool = False
) -> EpisodePrompt:
    return EpisodePrompt(
        length_label(episode),
        mark_glyph(mark, playing),
        episode.title or episode.url,
        dim=mark.played and not playing,
    )


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

    def _prompt(self, episode: Episode) -> EpisodePrompt:
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
