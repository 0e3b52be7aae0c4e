"""tui.core.extract.urls.join is urljoin, shortcuts and all: compared on drawn addresses."""

from __future__ import annotations

import random
from urllib.parse import urljoin, urlsplit

import pytest

from tui.core.extract import extract
from tui.core.extract.urls import join, plain_parts

BASES = [
    "https://news.example/world/story.html",
    "http://Example.ORG:8080/a/b/?q=1#top",
    "https://example.org",
    "HTTPS://example.org/x",
    "ftp://files.example/pub/",
    "https://user:pw@example.org/p;params",
    "https://[::1]:8443/v6/",
    "file:///home/me/page.html",
    "about:blank",
    "",
]
PIECES = [
    "http://",
    "https://",
    "HTTP://",
    "//",
    "/",
    "./",
    "../",
    "/./",
    "/../",
    "a",
    "b.html",
    "host.example",
    ":8080",
    "?",
    "#",
    "?#",
    ";",
    ";p=1",
    "?q=2",
    "#frag",
    "\t",
    "\n",
    " ",
    "é",
    "%20",
    "@",
    "[",
    "]",
    "\\",
    "~",
    "mailto:",
    "javascript:",
    "data:",
    "x" * 3,
]


def _drawn(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 6))) for _ in range(count)]


def _urljoin_or_error(base: str, href: str) -> str | type[Exception]:
    try:
        return urljoin(base, href)
    except ValueError:
        return ValueError


@pytest.mark.parametrize("base", BASES)
def test_join_gives_what_urljoin_gives(base: str) -> None:
    hrefs = [
        *_drawn(4000, seed=len(base)),
        "/news/story",  # the root-path shortcut
        "https://cdn.example/i/photo.jpg",  # the absolute shortcut
        "https://cdn.example/i/photo.jpg?",  # an empty query: urljoin drops it
        "https://cdn.example/a;b",
        "https://cdn.example/a\tb",  # a tab: urlsplit removes it
        "https:///no-host",
        "/a/./b",
        "/a/../b",
        "//other.example/x",
        "",
    ]
    for href in hrefs:
        expected = _urljoin_or_error(base, href)
        if expected is ValueError:
            with pytest.raises(ValueError):
                join(base, href)
        else:
            assert join(base, href) == expected, (base, href)


def test_a_bad_base_raises_as_urljoin_does() -> None:
    for href in ("https://ok.example/x", "/root/path"):
        with pytest.raises(ValueError):
            urljoin("http://[::1", href)
        with pytest.raises(ValueError):
            join("http://[::1", href)


def test_an_absolute_link_is_cleaned_as_urljoin_cleans_it() -> None:
    """A link written with a tab or an empty query reads as urljoin makes it, as a relative one
    does: both go through the same join."""
    prose = "<p>" + "A sentence of the article, long enough to count as prose here. " * 4
    page = (
        "<html><head><title>Story</title></head><body><article><h1>Story</h1>"
        + prose
        + '<a href="https://other.example/a\tb?">one</a> and <a href="/c?">two</a>.</p>'
        + (prose + "</p>") * 3
        + "</article></body></html>"
    )
    article = extract(page, "https://news.example/world/story.html")
    assert [(link.text, link.url) for link in article.links] == [
        ("one", "https://other.example/ab"),
        ("two", "https://news.example/c"),
    ]


@pytest.mark.parametrize("bad", ["//[x/y", "https://[x/y", "https://a]b/", "http://[::1/"])
def test_a_link_urllib_cannot_read_is_left_out_and_the_article_stays(bad: str) -> None:
    """urljoin raises on a host with unbalanced brackets: that one link is dropped (before, the
    whole page failed as "could not be read")."""
    prose = "<p>" + "A sentence of the article, long enough to count as prose here. " * 4
    page = (
        "<html><head><title>Story</title></head><body><article><h1>Story</h1>"
        + prose
        + f'<a href="{bad}">bad</a> and <a href="/good">good</a>.</p>'
        + (prose + "</p>") * 3
        + "</article></body></html>"
    )
    article = extract(page, "https://news.example/world/story.html")
    assert article.source == "article" and article.error is None
    assert "bad and good." in article.blocks[0].text
    assert [(link.text, link.url) for link in article.links] == [
        ("good", "https://news.example/good")
    ]


@pytest.mark.parametrize(
    ("where", "bad_part"),
    [
        ("audio", '<audio src="//[x/a.mp3"></audio><audio src="/ok.mp3"></audio>'),
        ("base", '<base href="//[x/">'),
        (
            "json-ld",
            '<script type="application/ld+json">{"@type": "PodcastEpisode", "associatedMedia":'
            ' {"@type": "AudioObject", "contentUrl": "//[x/a.mp3"}}</script>',
        ),
    ],
)
def test_an_address_urllib_cannot_read_elsewhere_spoils_nothing_else(
    where: str, bad_part: str
) -> None:
    """A player's source, a <base> or a JSON-LD audio address with a bad host: that address is
    ignored, the article reads (before, each made the page fail as "could not be read")."""
    prose = "<p>" + "A sentence of the article, long enough to count as prose here. " * 4 + "</p>"
    head = bad_part if where != "audio" else ""
    tail = bad_part if where == "audio" else ""
    page = (
        f"<html><head><title>Story</title>{head}</head><body><article><h1>Story</h1>"
        f"{prose * 4}</article>{tail}<p><a href='/next'>next</a></p></body></html>"
    )
    article = extract(page, "https://news.example/world/story.html")
    assert article.source == "article" and article.error is None
    assert article.title == "Story" and len(article.blocks) == 4
    expected = ["https://news.example/ok.mp3"] if where == "audio" else []
    assert [episode.url for episode in article.episodes] == expected


def test_a_page_address_urllib_cannot_read_spoils_nothing_else() -> None:
    prose = "<p>" + "A sentence of the article, long enough to count as prose here. " * 4 + "</p>"
    page = f"<html><head><title>Story</title></head><body><h1>Story</h1>{prose * 4}</body></html>"
    article = extract(page, "http://[x/story")
    assert article.source == "article" and article.error is None and len(article.blocks) == 4


def test_plain_addresses_are_parsed_as_urlsplit_parses_them() -> None:
    """plain_parts answers for an address only as urlsplit would (host lower-cased, path),
    and leaves every address it is unsure of to urlsplit."""
    rng = random.Random(7)
    pieces = [
        "http://", "https://", "HTTP://", "ftp://", "//", "cdn", "Example", ".com", ":",
        "8080", "@", "user", "[", "]", "::1", "%", "25", "/", "a", "b.jpg", "?", "#", "=",
        " ", "\t", "\n", "\x00", "é", "ｅ", "℀", ";", "-", "_", "~", ".", "..",
    ]  # fmt: skip
    plain = 0
    for _ in range(40000):
        start = rng.choice(("http://", "https://", ""))
        url = start + "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
        found = plain_parts(url)
        if found is None:
            continue
        plain += 1
        parts = urlsplit(url)  # raises no ValueError on a plain address
        assert parts.scheme in ("http", "https"), url
        assert found == (url, parts.hostname, parts.path), url
    assert plain > 5000  # plain addresses were drawn, not only others
    assert plain_parts("https://cdn.Example.com:8080/a/B.jpg?w=1#x") == (
        "https://cdn.Example.com:8080/a/B.jpg?w=1#x",
        "cdn.example.com",
        "/a/B.jpg",
    )
    for other in ("http://u@h/x", "http://[::1]/x", "http://:80/x", "HTTP://h/x", "http://é/x"):
        assert plain_parts(other) is None, other
