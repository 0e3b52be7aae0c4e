"""The referee's interface, for benches only: the shared scorer
(`score_extraction.py --module tui.core.extract:extract_for_score`) calls it once per page.

The app never calls it: it uses `extract`, which also collects links, image captions, the lede
and podcast episodes. This path skips those (nothing the referee scores).
"""

from __future__ import annotations

from tui.core.extract.pipeline import run


def extract_for_score(html: str, url: str | None) -> dict[str, str | None]:
    """The referee's interface: body text, title, date and byline of one page."""
    try:
        article = run(html, url, None, None, for_score=True)
    except Exception:
        return {"text": "", "title": None, "date": None, "byline": None}
    text = "\n\n".join(block.text for block in article.blocks if block.kind != "caption")
    return {
        "text": text,
        "title": article.title or None,
        "date": article.published,
        "byline": article.byline,
    }
