"""Metadata read before cleaning: JSON-LD in every wrapper, which object and which date win,
and bylines cut down to the name."""

from __future__ import annotations

import json

from tui.core.extract import extract

BODY = "<article>" + "<p>The council approved the new budget, after a long debate.</p>" * 8


def _page(head: str, body: str = BODY) -> str:
    return (
        f"<html><head><title>Page title here | Site</title>{head}</head><body>{body}</body></html>"
    )


def _jsonld(obj: dict[str, object], wrapper: str = "{}") -> str:
    return f'<script type="application/ld+json">{wrapper.format(json.dumps(obj))}</script>'


NEWS = {
    "@type": "NewsArticle",
    "headline": "Budget passes at last",
    "datePublished": "2024-12-06T22:00:40Z",
}


def test_json_ld_is_read_inside_cdata_and_comment_wrappers() -> None:
    for wrapper in (
        "\n  <![CDATA[\n{}\n]]>\n",
        "//<![CDATA[\n{}\n//]]>",
        "<!-- {} -->",
        "/*<![CDATA[*/{}/*]]>*/",
    ):
        article = extract(_page(_jsonld(NEWS, wrapper)))
        assert article.title == "Budget passes at last", wrapper
        assert (article.published or "").startswith("2024-12-06"), wrapper


def test_an_article_object_wins_over_an_embedded_video() -> None:
    video = {
        "@type": "VideoObject",
        "name": "A clip",
        "uploadDate": "2024-12-07T01:36:42Z",
        "headline": "A clip",
    }
    article = extract(_page(_jsonld(video) + _jsonld(NEWS)))
    assert article.title == "Budget passes at last"
    assert (article.published or "").startswith("2024-12-06")


def test_a_declared_publication_date_wins_over_a_creation_date() -> None:
    page = {
        "@type": "Article",
        "headline": "Budget passes at last",
        "dateCreated": "2017-02-24T01:18:13Z",
    }
    meta = '<meta property="article:published_time" content="2017-02-23T17:18:13-08:00">'
    article = extract(_page(_jsonld(page) + meta))
    assert (article.published or "").startswith("2017-02-23")


def test_bylines_lose_their_prefix_date_and_trailing_dash() -> None:
    for shown, name in (
        ("By Dan Goodin - Apr 16, 2015 8:02 pm UTC", "Dan Goodin"),
        ("Nicolas Perriault —", "Nicolas Perriault"),
        ("Kim Lee - Reuters", "Kim Lee - Reuters"),
    ):
        article = extract(_page("", f'<div class="byline">{shown}</div>{BODY}'))
        assert article.byline == name


def test_html_escapes_inside_json_ld_text_are_decoded() -> None:
    escaped = {"@type": "BlogPosting", "headline": "Research shows &#8211; ads &amp; more"}
    assert extract(_page(_jsonld(escaped))).title == "Research shows – ads & more"


def test_author_links_in_the_head_do_not_crowd_out_the_shown_byline() -> None:
    # A head may hold many <link rel="author"> (one per contributor feed); they show no text,
    # so the byline search looks in the body only and still reaches the shown name.
    links = '<link rel="author" href="/feeds/a">' * 30
    article = extract(_page(links, f'<span rel="author">Ana Ruiz</span>{BODY}'))
    assert article.byline == "Ana Ruiz"
