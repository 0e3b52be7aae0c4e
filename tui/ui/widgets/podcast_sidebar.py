"""The podcast sidebar: the play queue first, then the episodes of the open article, then the
podcast subscriptions; the chapters of the playing episode under it, the current one marked.

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
from tui.core.models import Chapter, Episode, EpisodeMark

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

    def __init__(
        self, length: str, mark: str, title: str, *, dim: bool = False, style: str = ""
    ) -> None:
        self._head = Content.assemble(
            " " * max(0, 8 - len(length)), (length, "bold"), " ", (mark, "bold"), " "
        )
        style = " ".join(s for s in ("dim" if dim else "", style) if s)
        self._title = Content.styled(title, style) if style else Content(title)
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


def chapter_prompt(chapter: Chapter, current: bool) -> EpisodePrompt:
    """A chapter under the playing episode: its start in the length column, ▸ when current."""
    start = format_duration(int(chapter.start)) or "0:00"
    return EpisodePrompt(
        start, "▸" if current else "·", chapter.title, dim=not current, style="italic"
    )


def chapter_at(chapters: Sequence[Chapter], position: float | None) -> int | None:
    """The index of the chapter playing at `position`: the last that started before it."""
    if position is None:
        return None
    index = None
    for i, chapter in enumerate(chapters):
        if chapter.start > position:
            break
        index = i
    return index


Row = tuple[str, Episode | None, Chapter | None]  # ("queue"|"episode"|"chapter"|"head", …)
_HEAD: Row = ("head", None, None)


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
        Binding(
            "-", "queue('remove')", "Remove from queue", show=False, id="podcasts.queue_remove"
        ),
        Binding("T", "transcript", "Transcript", show=False, id="podcasts.transcript"),
        Binding("K", "queue('up')", "Move up in queue", show=False, id="podcasts.queue_up"),
        Binding("J", "queue('down')", "Move down in queue", show=False, id="podcasts.queue_down"),
    ]

    class EpisodeChosen(Message):
        def __init__(self, episode: Episode) -> None:
            super().__init__()
            self.episode = episode

    class ChapterChosen(Message):
        """Enter on a chapter of the playing episode: seek there."""

        def __init__(self, chapter: Chapter) -> None:
            super().__init__()
            self.chapter = chapter

    class QueueEdit(Message):
        """Remove a queued episode, or move it up or down (None: no queued episode highlighted)."""

        def __init__(self, episode: Episode | None, edit: str) -> None:
            super().__init__()
            self.episode = episode
            self.edit = edit

    class TranscriptWanted(Message):
        """Open the transcript of this episode in the reader."""

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
        self.queue: tuple[Episode, ...] = ()
        self.chapters: tuple[str, tuple[Chapter, ...]] = ("", ())  # (episode URL, its chapters)
        self.chapter_now: int | None = None
        self._rows: list[Row] = []

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
        rows: list[Row] = []
        chaptered, chapters = self.chapters
        sections = (
            ("queue", f"Queue · {len(self.queue)}", self.queue),
            ("episode", "In this article", self.article_episodes),
            ("episode", "Latest episodes", self.feed_episodes),
        )
        for kind, heading, episodes in sections:
            if not episodes:
                continue
            options.append(Option(Text(heading, style="italic"), disabled=True))
            rows.append(_HEAD)
            for episode in episodes:
                options.append(Option(self._prompt(episode)))
                rows.append((kind, episode, None))
                if kind == "episode":
                    shown.append(episode)
                if episode.url == chaptered and episode.url == self.playing:
                    chaptered = ""  # under its first listing only
                    for i, chapter in enumerate(chapters):
                        options.append(Option(chapter_prompt(chapter, i == self.chapter_now)))
                        rows.append(("chapter", episode, chapter))
        self._shown = shown
        self._rows = rows
        olist = self.query_one(OptionList)
        olist.clear_options()
        olist.add_options(options)
        self.query_one("#podcast-total", Static).update(Text(total_label(shown)))

    def _redraw(self) -> None:
        """Rebuild the list, keeping the highlight on the same row (rows above may come or go)."""
        olist = self.query_one(OptionList)
        highlighted = olist.highlighted
        before = self.highlighted_row()
        self._refresh_list()
        if highlighted is None or not self._rows:
            return
        same = [i for i, row in enumerate(self._rows) if row == before and row != _HEAD]
        olist.highlighted = same[0] if same else min(highlighted, len(self._rows) - 1)

    def set_queue(self, queue: Sequence[Episode], highlight: Episode | None = None) -> None:
        """Show the play queue at the top; `highlight` keeps the cursor on a moved episode."""
        if tuple(queue) == self.queue and highlight is None:
            return
        self.queue = tuple(queue)
        self._redraw()
        if highlight is not None:
            index = next(
                (i for i, (k, e, _) in enumerate(self._rows) if k == "queue" and e == highlight),
                None,
            )
            if index is not None:
                self.query_one(OptionList).highlighted = index

    def set_chapters(self, url: str, chapters: Sequence[Chapter]) -> None:
        """Show these chapters under the episode at `url` while it plays."""
        self.chapters, self.chapter_now = (url, tuple(chapters)), None
        self._redraw()

    def set_position(self, position: float | None) -> None:
        """Mark the chapter playing at `position` (seconds)."""
        now = chapter_at(self.chapters[1], position)
        if now != self.chapter_now:
            self.chapter_now = now
            self._redraw()

    def update_episode(self, episode: Episode) -> None:
        """Show a newer copy of an episode (a measured length), wherever it is listed."""

        def swap(episodes: tuple[Episode, ...]) -> tuple[Episode, ...]:
            return tuple(episode if e.url == episode.url else e for e in episodes)

        article, feeds = swap(self.article_episodes), swap(self.feed_episodes)
        queue = swap(self.queue)
        if (article, feeds, queue) != (self.article_episodes, self.feed_episodes, self.queue):
            olist = self.query_one(OptionList)
            highlighted = olist.highlighted
            self.article_episodes, self.feed_episodes, self.queue = article, feeds, queue
            self._refresh_list()
            olist.highlighted = highlighted

    def highlighted_episode(self) -> Episode | None:
        olist = self.query_one(OptionList)
        index = olist.highlighted
        if index is None:
            return None
        return self._episode_at(index)

    def _episode_at(self, option_index: int) -> Episode | None:
        """The episode of a row (queued or listed); None for headers and chapters."""
        if 0 <= option_index < len(self._rows):
            kind, episode, _ = self._rows[option_index]
            return episode if kind in ("queue", "episode") else None
        return None

    def highlighted_row(self) -> Row:
        index = self.query_one(OptionList).highlighted
        return self._rows[index] if index is not None and 0 <= index < len(self._rows) else _HEAD

    def action_queue(self, edit: str) -> None:
        kind, episode, _ = self.highlighted_row()
        self.post_message(self.QueueEdit(episode if kind == "queue" else None, edit))

    async def action_list(self, action: str) -> None:
        """The story list's keys (j/k, g/G) on the episode list too."""
        await self.query_one(OptionList).run_action(action)

    def action_transcript(self) -> None:
        episode = self.highlighted_row()[1]  # on a chapter: its episode
        if episode is not None:
            self.post_message(self.TranscriptWanted(episode))

    def action_toggle_played(self) -> None:
        episode = self.highlighted_episode()
        if episode is not None:
            self.post_message(self.PlayedToggled(episode))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self._rows):
            _kind, episode, chapter = self._rows[event.option_index]
            if chapter is not None:
                self.post_message(self.ChapterChosen(chapter))
            elif episode is not None:
                self.post_message(self.EpisodeChosen(episode))
