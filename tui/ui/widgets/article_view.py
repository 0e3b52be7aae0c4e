"""The reader: one article as clean text, at a readable width, with numbered links.

The article is rendered into one Rich `Text` built from plain strings (never markup), so a
title like "[bold]x[/]" or "[@click=app.quit]" shows literally.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

from tui.core.models import Article, Image, Picture
from tui.ui.widgets.article_image import ArticleImage, Drawing

WELCOME = (
    "Broadsheet\n\n"
    "Choose a story on the left and press enter to read it here.\n"
    "j/k move · enter open · tab switch pane · R refresh · ? help · q quit"
)


def render_article(
    article: Article, *, notice: str | None = None, offsets: list[int] | None = None
) -> Text:
    """The whole article as styled plain text. `offsets`, when given, receives where the
    pictures may go: the end of the heading, then the start of each block, then the end of
    the last block (where the text is cut to put a picture in)."""
    text = Text()
    text.append(article.title or article.url, style="bold")
    text.append("\n")
    meta = [article.site_name, article.byline, _date(article.published)]
    if article.reading_minutes:
        meta.append(f"{article.reading_minutes} min read")
    line = " · ".join(part for part in meta if part)
    if line:
        text.append(line + "\n", style="dim")
    if article.source == "summary":
        text.append("\nSummary only", style="bold reverse")
        text.append(
            f" — {article.error}" if article.error else " — the page had no readable article.",
            style="italic",
        )
        text.append("\n")
    elif notice:
        text.append(f"\n{notice}\n", style="italic")
    if offsets is not None:
        offsets.append(len(text))
    if article.lede:
        text.append("\n")
        text.append(article.lede, style="italic")
        text.append("\n")
    previous = ""
    for block in article.blocks:
        if offsets is not None:
            offsets.append(len(text))
        if block.kind == "list_item":
            text.append(("\n" if previous != "list_item" else "") + "  • ")
            text.append(block.text)
        elif block.kind == "heading":
            text.append("\n\n")
            text.append(block.text, style="bold underline" if block.level <= 2 else "bold")
        elif block.kind == "quote":
            text.append("\n\n")
            text.append("  ┃ " + block.text.replace("\n", "\n  ┃ "), style="italic")
        elif block.kind == "caption":
            text.append("\n\n")
            text.append(block.text, style="dim italic")
        elif block.kind == "pre":
            text.append("\n\n")
            text.append(block.text, style="on grey11")
        else:
            text.append("\n\n")
            text.append(block.text)
        if block.kind == "list_item":
            text.append("\n")
        previous = block.kind
    if offsets is not None:
        offsets.append(len(text))
    if article.links:
        text.append("\n\nLinks\n", style="bold")
        for number, link in enumerate(article.links, 1):
            text.append(f"[{number}] ", style="bold")
            text.append(link.text or link.url)
            if link.text and link.text != link.url:
                text.append(f"  {link.url}", style="dim")
            text.append("\n")
    return text


def picture_places(article: Article, offsets: list[int]) -> list[tuple[int, tuple[Image, bool]]]:
    """Where each picture goes in the text `render_article` made (its `offsets`): the lead
    image after the heading (unless it is also a figure of the body), each figure before the
    block it came before in the page."""
    if not offsets:
        return []
    places: list[tuple[int, tuple[Image, bool]]] = []
    lead = article.lead_image
    if lead is not None and all(image.url != lead.url for image in article.images):
        places.append((offsets[0], (lead, True)))
    last = len(offsets) - 1
    for image in article.images:
        places.append((offsets[min(max(image.position, 0) + 1, last)], (image, False)))
    return places


MATCH_STYLE = "reverse bold"


def highlight_matches(text: Text, term: str) -> int:
    """Mark every case-insensitive occurrence of `term` (a search) in `text`; how many."""
    term = term.strip()
    return text.highlight_words([term], MATCH_STYLE, case_sensitive=False) if term else 0


def _date(published: str | None) -> str | None:
    if not published:
        return None
    date, _, time = published.partition("T")
    return f"{date} {time[:5]}".strip() if time else date


class ArticleView(VerticalScroll, can_focus=True):
    """Scrollable reader pane; `article` is None while nothing is open."""

    DEFAULT_CSS = """
    ArticleView { padding: 0 2; }
    ArticleView > #article-body { width: 100%; max-width: 88; }
    ArticleView > .article-part { width: 100%; max-width: 88; }
    ArticleView > ArticleImage { max-width: 88; }
    """

    BINDINGS = [
        Binding("j,down", "scroll_down", "Scroll down", show=False, id="reader.down"),
        Binding("k,up", "scroll_up", "Scroll up", show=False, id="reader.up"),
        Binding(
            "space,pagedown,ctrl+d", "page_down", "Page down", show=False, id="reader.page_down"
        ),
        Binding("b,pageup,ctrl+u", "page_up", "Page up", show=False, id="reader.page_up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="reader.top"),
        Binding("G,end", "scroll_end", "Bottom", show=False, id="reader.bottom"),
    ]

    article: reactive[Article | None] = reactive(None, init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._body = Static(Text(WELCOME), id="article-body")
        self.notice: str | None = None
        self._width = 88

    def compose(self):
        yield self._body

    def show(
        self,
        article: Article,
        notice: str | None = None,
        highlight: str = "",
        *,
        pictures: bool = False,
    ) -> int:
        """Show `article`, with the matches of a search `highlight`ed; returns how many.
        With `pictures`, each picture gets its place (a line with its alt text until
        `show_picture` draws it)."""
        self.notice = notice
        self.article = article
        offsets: list[int] = []
        text = render_article(article, notice=notice, offsets=offsets)
        matches = highlight_matches(text, highlight)
        self._remove_parts()
        places = picture_places(article, offsets) if pictures else []
        if not places:
            self._body.update(text)
        else:
            cuts = sorted({offset for offset, _ in places})
            pieces = text.divide(cuts)
            self._body.update(pieces[0])
            parts: list[Static | ArticleImage] = []
            for cut, piece in zip(cuts, pieces[1:], strict=True):
                parts += [
                    ArticleImage(image, lead=lead) for at, (image, lead) in places if at == cut
                ]
                if piece.plain.startswith("\n"):
                    piece = piece[1:]
                if piece.plain.strip():
                    parts.append(Static(piece, classes="article-part"))
            for part in parts:
                part.styles.max_width = self._width
            self.mount_all(parts)
        self.scroll_home(animate=False)
        return matches

    def _remove_parts(self) -> None:
        parts = self.query(".article-part, .article-image")
        if parts:
            parts.remove()

    def picture_slots(self, url: str) -> list[ArticleImage]:
        """The places of the picture at `url` in the article shown."""
        return [slot for slot in self.query(ArticleImage) if slot.image.url == url]

    def picture_limits(self) -> tuple[int, int]:
        """The most cells a picture may take: the reading width, half the screen's height."""
        width = min(self._width or 88, max(1, self.scrollable_content_region.width))
        return width, max(4, self.app.size.height // 2)

    def show_picture(self, picture: Picture, drawing: Drawing | None) -> None:
        """Draw a picture that arrived, or say why it cannot be shown."""
        for slot in self.picture_slots(picture.url):
            if drawing is None:
                slot.show_reason(picture.reason or "cannot be shown")
            else:
                slot.show_picture(picture, drawing)

    def show_message(self, message: str) -> None:
        """A plain message in place of an article (loading, or why it could not be read)."""
        self.article = None
        self._remove_parts()
        self._body.update(Text(message))
        self.scroll_home(animate=False)

    def set_width(self, width: int) -> None:
        self._width = width
        for part in (self._body, *self.query(".article-part, .article-image")):
            part.styles.max_width = width
