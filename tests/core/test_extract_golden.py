"""Golden pages: every folder under tests/golden holds source.html and expected.json.

expected.json keys (all optional): url, content_type, title, published (a prefix of the ISO
date), byline, lede, site_name, lang, source, episodes ([{duration_seconds, title?}]), must_contain
and must_not_contain (substrings of Article.text), links ([[text, url]] that must be present),
min_blocks.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.core.extract import extract, extract_for_score

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
PAGES = sorted(p.name for p in GOLDEN.iterdir() if (p / "source.html").is_file())


def test_there_are_enough_golden_pages() -> None:
    assert len(PAGES) >= 16


@pytest.mark.parametrize("name", PAGES)
def test_golden_page(name: str) -> None:
    folder = GOLDEN / name
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    article = extract(
        (folder / "source.html").read_bytes(),
        expected.get("url"),
        content_type=expected.get("content_type"),
    )
    assert article.error is None, article.error
    for key in ("title", "byline", "lede", "site_name", "lang", "source"):
        if key in expected:
            assert getattr(article, key) == expected[key], key
    if "published" in expected:
        assert (article.published or "").startswith(expected["published"]), article.published
    text = article.text
    for snippet in expected.get("must_contain", []):
        assert snippet in text, f"missing: {snippet!r}"
    for snippet in expected.get("must_not_contain", []):
        assert snippet not in text, f"leaked: {snippet!r}"
    if "episodes" in expected:
        got = [(e.duration_seconds, e.title) for e in article.episodes]
        want = [(e["duration_seconds"], e.get("title")) for e in expected["episodes"]]
        assert [d for d, _ in got] == [d for d, _ in want]
        for (_, title), (_, wanted_title) in zip(got, want, strict=True):
            if wanted_title is not None:
                assert title == wanted_title
        assert all(e.url.startswith(("http://", "https://")) for e in article.episodes)
    for link_text, link_url in expected.get("links", []):
        assert any(link.text == link_text and link.url == link_url for link in article.links)
    assert len(article.blocks) >= expected.get("min_blocks", 1)


@pytest.mark.parametrize("name", PAGES)
def test_score_view_matches_article(name: str) -> None:
    """The referee's view carries the same title and date as the Article."""
    folder = GOLDEN / name
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    html = (folder / "source.html").read_bytes()
    article = extract(html, expected.get("url"), content_type=expected.get("content_type"))
    scored = extract_for_score(html.decode("utf-8", "replace"), expected.get("url"))
    assert set(scored) == {"text", "title", "date", "byline"}
    if expected.get("content_type") is None and b"windows-1251" not in html[:2000]:
        assert scored["title"] == (article.title or None)
