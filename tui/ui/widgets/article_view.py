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

from tui.core.models import Article

WELCOME = (
    "Broadsheet\n\n"
    "Choose a story on the left and press enter to read it here.\n"
    "j/k move · enter open · tab switch pane · R refresh · ? help · q quit"
)


def render_article(article: Article, *, notice: str | None = None) -> Text:
    """The whole article as styled plain text."""
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
    if article.lede:
        text.append("\n")
        text.append(article.lede, style="italic")
        text.append("\n")
    previous = ""
    for block in article.blocks:
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
    if article.links:
        text.append("\n\nLinks\n", style="bold")
        for number, link in enumerate(article.links, 1):
            text.append(f"[{number}] ", style="bold")
            text.append(link.text or link.url)
            if link.text and link.text != link.url:
                text.append(f"  {link.url}", style="dim")
            text.append("\n")
    return text


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

    def compose(self):
        yield self._body

    def show(self, article: Article, notice: str | None = None, highlight: str = "") -> int:
        """Show `article`, with the matches of a search `highlight`ed; returns how many."""
        self.notice = notice
        self.article = article
        text = render_article(article, notice=notice)
        matches = highlight_matches(text, highlight)
        self._body.update(text)
        self.scroll_home(animate=False)
        return matches

    def show_message(self, message: str) -> None:
        """A plain message in place of an article (loading, or why it could not be read)."""
        self.article = None
        self._body.update(Text(message))
        self.scroll_home(animate=False)

    def set_width(self, width: int) -> None:
        self._body.styles.max_width = width
