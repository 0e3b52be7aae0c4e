"""Searching the text of cached articles."""

from __future__ import annotations

from tui.core.models import Article, Block
from tui.core.textindex import TextIndex


def article(url: str, text: str, source: str = "article") -> Article:
    blocks = (Block("paragraph", text),) if text else ()
    return Article(url=url, title=f"Title of {url}", blocks=blocks, source=source)  # type: ignore[arg-type]


def test_matches_body_title_any_case_and_skips_failures() -> None:
    index = TextIndex()
    index.add(article("https://a/1", "The Kremlin said nothing."))
    index.add(article("https://a/2", "Harbour walls and TIDES."))
    index.add(article("https://a/3", "", source="failed"))
    assert len(index) == 2 and "https://a/3" not in index
    assert index.matching("kremlin") == {"https://a/1"}
    assert index.matching("tides") == {"https://a/2"}
    assert index.matching("title of") == {"https://a/1", "https://a/2"}
    assert index.matching("STRASSE") == set()
    assert index.matching("  ") == set()


def test_fill_loads_each_url_once_and_stops_when_asked() -> None:
    index = TextIndex()
    loads: list[str] = []

    def load(url: str) -> Article | None:
        loads.append(url)
        return None if url.endswith("missing") else article(url, f"text of {url}")

    assert index.fill(["https://a/1", "https://a/missing", "https://a/1"], load) == 1
    assert loads == ["https://a/1", "https://a/missing"]
    assert index.fill(["https://a/1"], load) == 0 and len(loads) == 2
    assert index.fill(["https://a/2"], load, stop=lambda: True) == 0
