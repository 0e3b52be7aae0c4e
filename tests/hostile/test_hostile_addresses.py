"""Pages whose every address is hostile: malformed hosts, controls, bidi marks, other schemes.

Each address-bearing place an extractor reads (<base>, og:image, JSON-LD, links, pictures,
srcsets, players, the page's own address) gets a drawn address. Whatever they hold, the article
reads, and every address it keeps is an http(s) address of printable characters.
"""

from __future__ import annotations

import random

from tui.core.extract import extract

PIECES = [
    "http://", "https://", "//", "/", "[", "]", "[::1]", "%", "%zz", "@", ":", ":99999", "?",
    "#", ";", "\t", "\n", " ", "é", "\u3000", "．", "＠", "\\", "javascript:", "data:", "a",
    "b.jpg", "x.mp3", "host.example", "\x00", "\u202e", "\ufffd",
]  # fmt: skip
PROSE = "<p>" + "A sentence of the article, long enough to count as prose, with commas. " * 3


def _page(rng: random.Random, number: int) -> str:
    def drawn() -> str:
        return "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 6))).replace('"', "")

    return (
        f'<html><head><title>Story {number}</title><base href="{drawn()}">'
        f'<meta property="og:image" content="{drawn()}"><link rel="canonical" href="{drawn()}">'
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        f'"image": "{drawn()}", "url": "{drawn()}", '
        f'"author": {{"@type": "Person", "name": "A", "url": "{drawn()}"}}, '
        f'"associatedMedia": {{"@type": "AudioObject", "contentUrl": "{drawn()}"}}}}</script>'
        f"</head><body><article><h1>Story {number}</h1>{PROSE}</p>"
        f'<p><a href="{drawn()}">one</a> <img src="{drawn()}" srcset="{drawn()} 2x, {drawn()} 300w">'
        f'<picture><source srcset="{drawn()}"><img data-src="{drawn()}"></picture></p>'
        f"{(PROSE + '</p>') * 3}"
        f'<figure><img src="{drawn()}"><figcaption>A caption</figcaption></figure>'
        f'<audio src="{drawn()}"><source src="{drawn()}"></audio></article></body></html>'
    )


def _clean_web_address(url: str) -> bool:
    return url.lower().startswith(("http://", "https://")) and url.isprintable()


def test_hostile_addresses_never_spoil_the_article() -> None:
    rng = random.Random(7)
    for number in range(400):
        page = _page(rng, number)
        page_url = rng.choice(["https://news.example/a/b", "http://[x/story", "", None])
        article = extract(page, page_url)
        assert article.source == "article", (number, article.error)
        assert article.title == f"Story {number}"
        assert len(article.blocks) >= 4
        kept = [link.url for link in article.links]
        kept += [image.url for image in article.images]
        kept += [episode.url for episode in article.episodes]
        if article.lead_image is not None:
            kept.append(article.lead_image.url)
        assert all(_clean_web_address(url) for url in kept), (number, kept)
