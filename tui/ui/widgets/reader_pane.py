"""The reader pane: the article view with what reading needs — the entry wanted, its loading
(a late result for an entry the user has left is never shown), the scroll position kept per
article, numbered links with back/forward history, the browser and the clipboard.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message

from tui.core.errors import BroadsheetError
from tui.core.history import History
from tui.core.models import Article, Entry, Episode, Picture
from tui.ui.messages import (
    Announced,
    ArticleFailed,
    ArticleLoaded,
    ArticleShown,
    ReportsWorkers,
)
from tui.ui.widgets.article_image import (
    Drawing,
    drawing_ready,
    import_for_drawing,
    make_drawing,
)
from tui.ui.widgets.transcript_seek import TranscriptReader

if TYPE_CHECKING:
    from tui.core.service import NewsService


class _PositionRead(Message, bubble=False):
    def __init__(self, url: str, fraction: float) -> None:
        self.url = url
        self.fraction = fraction
        super().__init__()


class _PictureReady(Message, bubble=False):
    def __init__(self, article_url: str, picture: Picture, drawing: Drawing | None) -> None:
        self.article_url = article_url
        self.picture = picture
        self.drawing = drawing  # None when the picture cannot be shown (its reason says why)
        super().__init__()


class ReaderPane(ReportsWorkers, TranscriptReader):
    """`current` is the entry whose article is wanted; the article shown is `article`."""

    def __init__(self, service: NewsService, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.service = service
        self.current: Entry | None = None
        self.history: History[Entry] = History()  # pages followed from links: H back, L forward
        self.highlight = ""  # the search, marked in each article shown

    def _announce(self, text: str) -> None:
        self.post_message(Announced(text))

    @property
    def episodes(self) -> tuple[Episode, ...]:
        """The episodes of the article shown (none when nothing is)."""
        return self.article.episodes if self.article is not None else ()

    # -- opening ----------------------------------------------------------------------------------

    def open_entry(self, entry: Entry) -> None:
        """Read a story opened from the list: a new reading (no link history)."""
        self.remember_position()
        self.history.clear()
        self.current = entry
        self.show_message(f"Loading {entry.title}…")
        self.focus()
        if entry.url:
            self.load_article(entry)
        else:
            self.show_message(entry.summary or "This story has no link and no text.")

    def open_url(self, url: str) -> None:
        """Read any web page (H goes back to what was open before)."""
        self._visit(Entry(id=url, feed_url="", title=url, url=url))

    def follow_link(self, number: int) -> None:
        article = self.article
        if article is None or not 1 <= number <= len(article.links):
            self._announce(f"No link {number} in this article.")
            return
        link = article.links[number - 1]
        feed_url = self.current.feed_url if self.current else ""
        self._visit(
            Entry(id=link.url, feed_url=feed_url, title=link.text or link.url, url=link.url)
        )

    def _visit(self, entry: Entry) -> None:
        """Open a page that was not in a feed (a link, an address): H comes back from it."""
        self.history.visit(self.current)
        self._open(entry)

    def _open(self, entry: Entry) -> None:
        self.remember_position()
        self.current = entry
        self.show_message(f"Loading {entry.title}…")
        self.load_article(entry)

    def back(self) -> None:
        entry = self.history.back(self.current)
        if entry is None:
            self._announce("No earlier page in this reading.")
        else:
            self._open(entry)

    def forward(self) -> None:
        entry = self.history.forward(self.current)
        if entry is None:
            self._announce("No later page.")
        else:
            self._open(entry)

    # -- loading ----------------------------------------------------------------------------------

    @work(group="article", exclusive=True, exit_on_error=False, name="Loading the article")
    async def load_article(self, entry: Entry) -> None:
        url = entry.url or ""
        try:
            if entry.episodes:  # a podcast story: show notes, lengths, chapters, transcript
                result = await self.service.load_episode_page(entry)
            else:
                result = await self.service.load_article(url, summary=entry.summary or None)
        except BroadsheetError as error:
            self.post_message(ArticleFailed(url, error.reason))
            return
        self.post_message(ArticleLoaded(url, result))

    def _wanted(self, url: str) -> bool:
        return self.current is not None and self.current.url == url

    @on(ArticleLoaded)
    def _on_article_loaded(self, message: ArticleLoaded) -> None:
        if not self._wanted(message.url):
            return  # the user moved on: a stale result is never shown
        article = message.result.article
        pictures = self.service.images_mode != "off" and bool(article.images or article.lead_image)
        matches = self.show(
            article, notice=message.result.notice, highlight=self.highlight, pictures=pictures
        )
        if pictures:
            self.load_pictures(article)
        self._restore_position(article.url)
        self.post_message(ArticleShown(article))
        if message.result.notice:
            self._announce(message.result.notice)
        elif matches:
            self._announce(f"{matches} × “{self.highlight.strip()}” highlighted in this article.")

    @on(ArticleFailed)
    def _on_article_failed(self, message: ArticleFailed) -> None:
        if not self._wanted(message.url):
            return
        self.show_message(f"Could not load this article.\n\n{message.url}\n{message.reason}")
        self._announce(f"{message.url}: {message.reason}")

    # -- pictures ---------------------------------------------------------------------------------

    @work(group="pictures", exclusive=True, exit_on_error=False, name="Loading the pictures")
    async def load_pictures(self, article: Article) -> None:
        """Fetch (or read from the cache) the pictures of `article` within the per-article cap,
        decode each in a thread, and hand each to the view as it comes."""
        wanted = self.service.pictures_of(article)
        urls = {image.url for image in wanted}
        for image in (*article.images, *((article.lead_image,) if article.lead_image else ())):
            if image.url not in urls:
                why = (
                    "an SVG drawing: not drawn"
                    if image.url.lower().split("?")[0].endswith((".svg", ".svgz"))
                    else f"not fetched (at most {len(wanted)} pictures an article)"
                )
                self.post_message(_PictureReady(article.url, Picture(image.url, reason=why), None))

        limits: tuple[int, int] | None = None

        async def one(url: str) -> None:
            nonlocal limits
            picture = await self.service.load_picture(url)
            drawing = None
            if picture.data:
                # One size for all the article's pictures, taken as the first is ready: one
                # drawn meanwhile can bring the scrollbar, and the others came out narrower
                # than it or not as they happened to arrive.
                if limits is None:
                    limits = self.picture_limits()
                width, height = limits
                try:
                    drawing = await asyncio.to_thread(
                        make_drawing, picture.data, picture.width, picture.height, width, height
                    )
                except ValueError as error:
                    picture = Picture(picture.url, reason=str(error))
            self.post_message(_PictureReady(article.url, picture, drawing))

        if wanted and not drawing_ready():
            await asyncio.to_thread(import_for_drawing)  # the first article with pictures
        await asyncio.gather(*(one(image.url) for image in wanted))

    @on(_PictureReady)
    def _on_picture_ready(self, message: _PictureReady) -> None:
        if self.article is not None and self.article.url == message.article_url:
            self.show_picture(message.picture, message.drawing)

    # -- positions --------------------------------------------------------------------------------

    def remember_position(self) -> None:
        """Keep how far down the open article the reader was, for next time."""
        if self.article is not None and self.max_scroll_y > 0:
            self._save_position(self.article.url, self.scroll_y / self.max_scroll_y)

    @work(thread=True, group="state", exit_on_error=False, name="Saving the reading position")
    def _save_position(self, url: str, fraction: float) -> None:
        self.service.set_position(url, fraction)

    @work(
        thread=True,
        group="position",
        exclusive=True,
        exit_on_error=False,
        name="Reading the position",
    )
    def _restore_position(self, url: str) -> None:
        fraction = self.service.position(url)
        if fraction:
            self.post_message(_PositionRead(url, fraction))

    @on(_PositionRead)
    def _scroll_to_position(self, message: _PositionRead) -> None:
        if self.article is not None and self.article.url == message.url:
            self.scroll_to(y=message.fraction * self.max_scroll_y, animate=False)

    # -- elsewhere --------------------------------------------------------------------------------

    def open_in_browser(self, entry: Entry | None) -> None:
        url = entry.url if entry else None
        if not url or not url.startswith(("http://", "https://")):
            self._announce("This story has no web address to open.")
            return
        self._open_in_browser(url)

    @work(thread=True, group="browser", exit_on_error=False, name="Opening the browser")
    def _open_in_browser(self, url: str) -> None:
        import webbrowser  # (and shlex): when first used, not before the first frame

        opened = webbrowser.open(url)
        self._announce("Opened in the browser." if opened else "No browser found.")

    def copy_url(self, entry: Entry | None) -> None:
        if entry and entry.url:
            self.app.copy_to_clipboard(entry.url)
            self._announce("Copied the story's address.")
