"""Enter in the reader on a transcript: play its episode from the paragraph at the top of the
view (seek when it is playing, else start it there).

The reader has no paragraph cursor: the paragraph read is the one at the top of the view, the
timed paragraph ("[12:05] Speaker: …") that started at or above the view's first line, else
the first one below it. Lines are counted by wrapping the rendered article at the body's width.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.widgets import Static

from tui.core.durations import format_duration
from tui.core.errors import BroadsheetError
from tui.ui.messages import Announced
from tui.ui.widgets.article_view import ArticleView as ArticleViewBase
from tui.ui.widgets.article_view import render_article

if TYPE_CHECKING:
    from tui.core.service import NewsService

_LEADING_TIME = re.compile(r"^\[((?:\d{1,3}:)?\d{1,2}:\d{2})\] ")


def _seconds(clock: str) -> float:
    total = 0.0
    for part in clock.split(":"):
        total = total * 60 + int(part)
    return total


def paragraph_times(view: ArticleViewBase) -> list[tuple[int, float]]:
    """(first line, start seconds) of each timed paragraph of the article shown."""
    article = view.article
    if article is None:
        return []
    body = view.query_one("#article-body", Static)
    width = max(10, body.content_region.width or body.size.width or 80)
    lines = render_article(article, notice=view.notice).wrap(view.app.console, width)
    found = []
    for number, line in enumerate(lines):
        match = _LEADING_TIME.match(line.plain)
        if match:
            found.append((number, _seconds(match.group(1))))
    return found


def time_at_top(view: ArticleViewBase) -> float | None:
    times = paragraph_times(view)
    if not times:
        return None
    top = int(view.scroll_y)
    above = [seconds for line, seconds in times if line <= top]
    return above[-1] if above else times[0][1]


def play_from_here(view: ArticleViewBase, service: NewsService) -> None:
    """Enter in the reader: play the transcript's episode from the paragraph on top."""
    article = view.article
    seconds = time_at_top(view)
    if article is None or seconds is None:
        view.post_message(Announced("Enter plays from a paragraph of a timed transcript (T)."))
        return
    url = article.url

    def seek() -> None:
        try:
            episode = service.play_from_transcript(url, seconds)
        except BroadsheetError as error:
            view.post_message(Announced(error.reason))
            return
        where = format_duration(int(seconds)) or "0:00"
        view.post_message(Announced(f"Playing from {where}: {episode.title}  (x stops)"))

    view.run_worker(seek, thread=True, group="seek", exit_on_error=False, name="Seeking")


class TranscriptReader(ArticleViewBase):
    """The reader's part of the listening room: enter plays a transcript from the paragraph."""

    BINDINGS = [
        Binding(
            "enter",
            "play_from_here",
            "Play from this paragraph (transcript)",
            show=False,
            id="reader.play_from_here",
        ),
    ]

    service: NewsService

    def action_play_from_here(self) -> None:
        play_from_here(self, self.service)
