"""`read --format json` lists an article's pictures; Markdown puts `![alt](url)` in place."""

from __future__ import annotations

from tui.cli.output import article_json, article_text
from tui.core.models import Article, Block, Image


def _article() -> Article:
    return Article(
        "http://127.0.0.1/a",
        title="Title",
        blocks=(Block("paragraph", "One."), Block("paragraph", "Two.")),
        lead_image=Image("http://127.0.0.1/lead.jpg", "Lead", width=1200, height=675),
        images=(
            Image("http://127.0.0.1/fig.png", "A [bracketed] fig", "Its caption", 640, 480, 1),
            Image("http://127.0.0.1/end (1).png", "", position=2),
        ),
    )


def test_json_lists_the_lead_image_then_the_figures() -> None:
    images = article_json(_article())["images"]
    assert images == [
        {
            "url": "http://127.0.0.1/lead.jpg",
            "alt": "Lead",
            "caption": "",
            "width": 1200,
            "height": 675,
        },
        {
            "url": "http://127.0.0.1/fig.png",
            "alt": "A [bracketed] fig",
            "caption": "Its caption",
            "width": 640,
            "height": 480,
        },
        {
            "url": "http://127.0.0.1/end (1).png",
            "alt": "",
            "caption": "",
            "width": None,
            "height": None,
        },
    ]
    assert article_json(Article("http://127.0.0.1/b"))["images"] == []


def test_markdown_puts_each_picture_in_place() -> None:
    text = article_text(_article(), markdown=True)
    assert text.split("\n") == [
        "# Title",
        "",
        "![Lead](http://127.0.0.1/lead.jpg)",
        "",
        "One.",
        "",
        "![A \\[bracketed\\] fig](http://127.0.0.1/fig.png)",
        "",
        "Two.",
        "",
        "![](<http://127.0.0.1/end (1).png>)",
        "",
    ]


def test_plain_text_has_no_picture_lines() -> None:
    assert "![" not in article_text(_article())
