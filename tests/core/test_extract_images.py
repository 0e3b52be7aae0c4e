"""The extractor keeps an article's pictures: figures in place with alt text and caption, the
lead image, and no tracking pixels or icons."""

from __future__ import annotations

import random

from selectolax.lexbor import LexborHTMLParser

from tui.core.extract import extract, images
from tui.core.models import Image

PROSE = (
    "The council met on Tuesday evening to decide the future of the harbour wall, which has "
    "stood since 1820 and was badly damaged in the winter storms. "
)


def _page(body: str, head: str = "") -> str:
    return f"""<!doctype html><html lang="en"><head><title>Harbour wall repaired</title>{head}</head>
<body><header><nav><a href="/">Home</a></nav></header>
<main><article><h1>Harbour wall repaired</h1>{body}</article></main>
<footer><p>© The Bay Gazette</p></footer></body></html>"""


def _paragraphs(n: int) -> str:
    return "".join(f"<p>{PROSE * 2} Paragraph {i}.</p>" for i in range(n))


def test_a_figure_is_kept_in_place_with_alt_caption_and_size() -> None:
    body = (
        _paragraphs(2)
        + '<figure><img src="/img/wall.jpg" alt="The wall at low tide" width="1200" height="800">'
        "<figcaption>The wall after the repair. Photo: J. Smith</figcaption></figure>"
        + _paragraphs(3)
    )
    article = extract(_page(body), "https://news.example.org/2025/wall.html")
    assert article.images == (
        Image(
            "https://news.example.org/img/wall.jpg",
            "The wall at low tide",
            "The wall after the repair. Photo: J. Smith",
            1200,
            800,
            2,
        ),
    )
    assert article.blocks[1].text.endswith("Paragraph 1.")
    assert "The wall after the repair" in article.text  # the caption stays in the text too
    assert article.lead_image == article.images[0]  # the first large figure


def test_tracking_pixels_icons_and_non_http_sources_are_skipped() -> None:
    body = (
        _paragraphs(2)
        + '<img src="https://news.example.org/p.gif" width="1" height="1" alt="">'
        + '<img src="https://www.google-analytics.com/collect?v=1" alt="">'
        + '<img src="https://stats.wp.com/b.gif" alt="">'
        + '<img src="/img/share.png" class="share-icon" alt="Share">'
        + '<img src="/static/logo.png" alt="The Bay Gazette">'
        + '<img src="/img/small.png" width="24" height="24" alt="">'
        + '<img src="javascript:alert(1)" alt="x">'
        + '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="">'
        + '<img src="/img/deco.png" role="presentation" alt="">'
        + '<img src="/img/real.jpg" alt="A real picture">'
        + _paragraphs(2)
    )
    article = extract(_page(body), "https://news.example.org/a.html")
    assert [image.url for image in article.images] == ["https://news.example.org/img/real.jpg"]


def test_lazy_pictures_read_their_real_address() -> None:
    body = (
        _paragraphs(1)
        + '<img src="/img/blank.gif" data-src="/img/lazy.jpg" alt="Lazy">'
        + '<img srcset="/img/s-480.jpg 480w, /img/s-1200.jpg 1200w, /img/s-800.jpg 800w" alt="Set">'
        + _paragraphs(2)
    )
    article = extract(_page(body), "https://news.example.org/a.html")
    assert [image.url for image in article.images] == [
        "https://news.example.org/img/lazy.jpg",
        "https://news.example.org/img/s-1200.jpg",
    ]


def test_a_picture_inside_a_paragraph_is_kept() -> None:
    body = (
        _paragraphs(1)
        + '<p><img src="/img/in-p.jpg" alt="Inside a paragraph"></p>'
        + _paragraphs(2)
    )
    article = extract(_page(body), "https://news.example.org/a.html")
    assert [(image.url, image.position) for image in article.images] == [
        ("https://news.example.org/img/in-p.jpg", 1)
    ]


def test_the_lead_image_comes_from_og_image() -> None:
    head = (
        '<meta property="og:image" content="https://cdn.example.org/lead-1200.jpg">'
        '<meta property="og:image:alt" content="Storm waves">'
    )
    article = extract(_page(_paragraphs(4), head), "https://news.example.org/a.html")
    assert article.lead_image == Image("https://cdn.example.org/lead-1200.jpg", "Storm waves")
    assert article.images == ()


def test_the_declared_lead_is_the_figure_when_it_is_the_same_picture() -> None:
    head = '<meta property="og:image" content="https://cdn.example.org/xxl/wall.jpg">'
    body = (
        _paragraphs(2)
        + '<figure><img src="https://cdn.example.org/article/wall.jpg" alt="Wall"></figure>'
        + _paragraphs(2)
    )
    article = extract(_page(body, head), "https://news.example.org/a.html")
    assert article.lead_image == article.images[0]
    assert article.lead_image.url == "https://cdn.example.org/article/wall.jpg"


def test_the_lead_image_comes_from_json_ld() -> None:
    head = """<script type="application/ld+json">{"@context": "https://schema.org",
      "@type": "NewsArticle", "headline": "Harbour wall repaired",
      "image": {"@type": "ImageObject", "url": "https://cdn.example.org/ld.jpg",
                "width": 1600, "height": 900, "caption": "The wall"}}</script>"""
    article = extract(_page(_paragraphs(4), head), "https://news.example.org/a.html")
    assert article.lead_image == Image("https://cdn.example.org/ld.jpg", "", "The wall", 1600, 900)


def test_the_sample_edition_seed_has_its_cover() -> None:
    from tui.core.sample import SEED_ARTICLE_PATH, render, sample_files

    html = render(sample_files()[SEED_ARTICLE_PATH], "http://127.0.0.1:8765")
    article = extract(html, "http://127.0.0.1:8765" + SEED_ARTICLE_PATH)
    assert article.lead_image is not None
    assert article.lead_image.url == "http://127.0.0.1:8765/img/nato-briefing-room.jpg"
    assert article.lead_image.alt == "A press briefing room with a lectern and flags"
    assert (article.lead_image.width, article.lead_image.height) == (1200, 675)


def test_fast_size_and_icon_file_tests_agree_with_their_patterns() -> None:
    """_size reads plain digits itself and _is_decorative_file skips the search on ASCII paths
    holding none of the words: the same answers as the patterns, on hostile values too (other
    digits and case-folding letters: dotless i, long s, dotted capital I, Kelvin sign)."""
    rng = random.Random(5)
    pieces = (
        *("0", "7", "12", "640", "99999", "123456", " ", "\n", "\t", ".5", "px", "PX"),
        *("١٢", "²", "٣", "ıcon", "ſprite", "İCON", "LOGO", "\u212a", "Σ", "-", "_", "/"),
        *("icon", "icons", "logo", "avatar", "gravatar", "emoji", "sprite", "spacer", "favicon"),
        *("x", "photo", ".png", "a/b", "é"),
    )
    for _ in range(40000):
        value = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 5)))
        match = images._SIZE.match(value) if value else None
        assert images._size(value) == (int(match.group(1)) if match else None), repr(value)
        expected = images._DECORATIVE_FILE.search(value) is not None
        assert images._is_decorative_file(value) == expected, repr(value)
    assert images._is_decorative_file("/img/site-logo.png")
    assert images._is_decorative_file("/img/ſprite.png")  # IGNORECASE folds the long s
    assert not images._is_decorative_file("/img/catalogue.png")
    assert images._size("640") == 640 and images._size("123456") is None


def test_http_parts_of_addresses() -> None:
    base = "https://news.example.com/story/1"
    assert images._http_parts(" /a/b.jpg ", base) == (
        "https://news.example.com/a/b.jpg",
        "news.example.com",
        "/a/b.jpg",
    )
    assert images._http_parts("HTTP://User@CDN.Example.COM:8080/x.PNG", base) == (
        "HTTP://User@CDN.Example.COM:8080/x.PNG",
        "cdn.example.com",
        "/x.PNG",
    )
    assert images._http_parts("ftp://example.com/a.jpg", base) is None
    assert images._http_parts("http://[::1/x.jpg", base) is None  # urlsplit's ValueError
    assert images._http_parts("https:///x.jpg", "") is None  # no host
    assert images.is_beacon_host("Stats.WP.com")
    assert images.is_beacon_host("pixel.stats.wp.com")
    assert not images.is_beacon_host("example.com")


def test_first_caption_is_the_css_query_s_answer() -> None:
    """first_caption walks small subtrees: the same element as css_first("figcaption"), the
    node itself included, in big subtrees (the CSS query then) and without any caption."""
    filler = "<span>x</span>" * 60
    html = (
        "<div id=a><figure><img><figcaption>one</figcaption><figcaption>two</figcaption>"
        "</figure></div>"
        "<figcaption id=b><img></figcaption>"
        f"<div id=c>{filler}<figcaption>late</figcaption></div>"
        f"<div id=d>{filler}</div>"
        "<p id=e><img></p>"
        "<div id=f><p><span><figcaption>deep</figcaption></span></p></div>"
    )
    tree = LexborHTMLParser(html)
    nodes = tree.css("div, figure, figcaption, p, span, img")
    assert len(nodes) > 60
    for node in nodes:
        expected = node.css_first("figcaption")
        found = images.first_caption(node)
        assert (found is None) == (expected is None)
        if found is not None and expected is not None:
            assert found.mem_id == expected.mem_id
    own = tree.css_first("#b")
    assert own is not None and images.first_caption(own) is not None  # itself
    late = tree.css_first("#c")
    assert late is not None and images.first_caption(late) is not None  # past the walk's limit
    empty = tree.css_first("#d")
    assert empty is not None and images.first_caption(empty) is None
