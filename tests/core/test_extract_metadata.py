"""Metadata read before cleaning: JSON-LD in every wrapper, which object and which date win,
and bylines cut down to the name."""

from __future__ import annotations

import json

from selectolax.lexbor import LexborHTMLParser

from tui.core.extract import extract
from tui.core.extract.metadata import PageLines, text_dates

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
        # Words before the name in other languages and forms, and dates, times and handles
        # after it, whatever stands between.
        ("Erstellt von Andri Muster", "Andri Muster"),
        ("Post author By Helga Beispiel", "Helga Beispiel"),
        ("© Kathrin Muster", "Kathrin Muster"),
        ("Publié par Jeanne Exemple", "Jeanne Exemple"),
        ("Jane Roe am 21. April 2020", "Jane Roe"),
        ("Jane Roe, 24. Januar 2022", "Jane Roe"),
        ("Jane Roe 18.10.2019 16:06 Uhr", "Jane Roe"),
        ("Jane Roe Monday, November 18, 2019", "Jane Roe"),
        ("Jane Roe Feb 21, 2020", "Jane Roe"),
        ("Ana Ruiz / Luis Gil 22 de Abril de 2022", "Ana Ruiz / Luis Gil"),
        ("Tom Doe Associated Press Published 11:34 PM EST", "Tom Doe Associated Press"),
        ("Jane Roe @janeroe", "Jane Roe"),
        # A number that starts no date is part of the name.
        ("Bündnis 90/Die Grünen Fraktion", "Bündnis 90/Die Grünen Fraktion"),
        ("Marcus Example", "Marcus Example"),
        ("di Mario Esempio", "Mario Esempio"),
        ("Di Wang", "Di Wang"),
    ):
        article = extract(_page("", f'<div class="byline">{shown}</div>{BODY}'))
        assert article.byline == name, shown


def test_a_byline_that_only_names_the_site_gives_way_to_the_author_shown() -> None:
    # "author": the publisher's own name (or its address) is no author; the name the page
    # shows is.
    for declared in ("The Daily Bugle", "dailybugle.example"):
        head = (
            f'<meta name="author" content="{declared}">'
            '<meta property="og:site_name" content="The Daily Bugle">'
        )
        page = _page(head, f'<div class="byline">By Ana Ruiz</div>{BODY}')
        assert extract(page, "https://www.dailybugle.example/news/1").byline == "Ana Ruiz"
    # With no name shown, the publisher is not passed off as the author either; with no
    # declared site name, it is shown as the site.
    head = '<meta name="author" content="The Daily Bugle">'
    page = _page(head + '<meta property="og:site_name" content="The Daily Bugle">')
    assert extract(page, "https://www.dailybugle.example/news/1").byline is None
    head = '<meta name="author" content="Daily Bugle">'  # the address's name
    article = extract(_page(head), "https://www.dailybugle.example/news/1")
    assert (article.byline, article.site_name) == (None, "Daily Bugle")


def test_html_escapes_inside_json_ld_text_are_decoded() -> None:
    escaped = {"@type": "BlogPosting", "headline": "Research shows &#8211; ads &amp; more"}
    assert extract(_page(_jsonld(escaped))).title == "Research shows – ads & more"


def test_author_links_in_the_head_do_not_crowd_out_the_shown_byline() -> None:
    # A head may hold many <link rel="author"> (one per contributor feed); they show no text,
    # so the byline search looks in the body only and still reaches the shown name.
    links = '<link rel="author" href="/feeds/a">' * 30
    article = extract(_page(links, f'<span rel="author">Ana Ruiz</span>{BODY}'))
    assert article.byline == "Ana Ruiz"


def test_title_is_the_headline_shown_without_the_site_name() -> None:
    head = '<meta property="og:title" content="Budget passes at last | The Daily Bugle">'
    body = "<header><h1>The Daily Bugle</h1></header><h1>Budget passes at last</h1>" + BODY
    assert extract(_page(head, body)).title == "Budget passes at last"


def test_blog_whose_h1_is_the_site_takes_the_h2_that_is_the_title() -> None:
    page = (
        "<html><head><title>Why we moved house | Anna's Notes</title></head><body>"
        "<h1>Anna's Notes</h1><h2>Why we moved house</h2>" + BODY + "</body></html>"
    )
    assert extract(page, "https://annas-notes.example/2020/03/01/moved").title == (
        "Why we moved house"
    )


def test_declared_title_loses_a_part_that_names_the_site() -> None:
    page = (
        "<html><head><title>Budget passes at last - Bugle Online</title>"
        '<meta property="og:site_name" content="Bugle Online"></head><body>' + BODY
    )
    assert extract(page).title == "Budget passes at last"


def test_a_date_before_the_headline_in_the_heading_is_not_title() -> None:
    head = '<meta property="og:title" content="Budget passes at last">'
    body = "<h1>23.01.2022 - Budget passes at last</h1>" + BODY
    assert extract(_page(head, body)).title == "Budget passes at last"


def test_a_date_marked_by_an_element_is_read_with_and_without_a_time_element() -> None:
    marked = '<span itemprop="datePublished" content="2019-10-14">14 Oct</span>'
    time_first = '<time datetime="2018-03-02T10:00:00Z">2 March</time>' + marked
    for body, day in ((marked, "2019-10-14"), (time_first, "2018-03-02")):
        article = extract(_page("", body + BODY), "https://news.example/budget")
        assert (article.published or "").startswith(day)
    # A <time> with neither attribute is passed over for the marked element after it.
    article = extract(_page("", "<time>soon</time>" + marked + BODY), "https://news.example/b")
    assert (article.published or "").startswith("2019-10-14")


def test_date_from_the_address_when_the_page_declares_none() -> None:
    article = extract(_page(""), "https://blog.example/2014/05/18/a-post/")
    assert article.published == "2014-05-18"


def test_date_shown_on_a_line_of_its_own_below_the_headline() -> None:
    body = "<h1>Budget passes at last</h1><div><em>1. Februar 2022</em></div>" + BODY
    article = extract(_page("", body), "https://news.example/budget")
    assert (article.published or "").startswith("2022-02-01")


def test_utc_time_after_midnight_gives_way_to_the_local_date_shown() -> None:
    head = '<meta property="article:published_time" content="2022-05-04T02:41:00+00:00">'
    body = "<h1>Budget passes at last</h1><p><span>3 May 2022</span></p>" + BODY
    assert (extract(_page(head, body)).published or "").startswith("2022-05-03")
    # A local time keeps its own date; a date shown further off is another date.
    local = head.replace("+00:00", "-04:00")
    assert (extract(_page(local, body)).published or "").startswith("2022-05-04")
    far = body.replace("3 May", "1 May")
    assert (extract(_page(head, far)).published or "").startswith("2022-05-04")


def test_headline_after_a_kicker_and_colon_in_the_declared_title() -> None:
    head = '<meta property="og:title" content="Interview: What the council decided - Bugle">'
    body = "<h1>What the council decided</h1>" + BODY
    assert extract(_page(head, body)).title == "What the council decided"


def test_date_written_as_a_part_of_the_document_title() -> None:
    page = (
        "<html><head><title>Budget passes at last | Bugle | 23.05.2011</title></head><body>"
        + BODY
        + "</body></html>"
    )
    assert extract(page, "https://news.example/budget").published == "2011-05-23"


def test_dublin_core_title_written_with_a_dot_is_read() -> None:
    page = (
        "<html><head><title>draft-budget-04 - Budget rules</title>"
        '<meta name="DC.Title" content="Budget rules"></head><body>' + BODY + "</body></html>"
    )
    assert extract(page).title == "Budget rules"


def test_a_heading_that_links_to_the_home_page_is_the_site_not_the_title() -> None:
    # The site's name is longer than the headline part of the title, and is the first <h1>.
    page = (
        "<html><head><title>Budget rules explained — handbook for the city council</title>"
        '</head><body><h1><a href="index.html">handbook for the city council</a></h1>'
        '<h1>Budget rules explained<a href="#budget-rules" class="headerlink">¶</a></h1>'
        + BODY
        + "</body></html>"
    )
    assert extract(page).title == "Budget rules explained"


def test_a_kicker_set_apart_in_the_heading_is_not_part_of_the_title() -> None:
    head = '<meta property="og:title" content="Budget passes at last">'
    for heading in (
        "<h1><small>City council</small><br>Budget passes at last</h1>",
        "<h1>Budget passes at last<br><small>02.02.2022 • Politics</small></h1>",
    ):
        assert extract(_page(head, heading + BODY)).title == "Budget passes at last", heading
    # A heading without such an element stays the headline it shows.
    plain = "<h1>Why the budget passes at last</h1>"
    assert extract(_page(head, plain + BODY)).title == "Why the budget passes at last"


def test_the_one_date_shown_under_the_headline_wins_over_a_declared_date_not_shown() -> None:
    head = (
        '<meta property="og:title" content="Budget passes at last">'
        '<meta property="article:published_time" content="2022-11-17T10:33:13+01:00">'
    )
    body = "<h1>Budget passes at last</h1><p>By Ana Ruiz</p><p>09.03.2022</p>" + BODY
    assert extract(_page(head, body)).published == "2022-03-09"
    # Several dates there (comments, events), or one labelled as an update: the declared one.
    several = body.replace("<p>09.03.2022</p>", "<p>09.03.2022</p><p>10.04.2022</p>")
    assert (extract(_page(head, several)).published or "").startswith("2022-11-17")
    updated = body.replace("<p>09.03.2022</p>", "<p>Updated <time>09.03.2022</time></p>")
    assert (extract(_page(head, updated)).published or "").startswith("2022-11-17")
    # A date far below the headline, inside the text (a quoted post's), does not count.
    far = "<h1>Budget passes at last</h1>" + "<p>The council met.</p>" * 14 + "<p>9 March 2022</p>"
    assert (extract(_page(head, far + BODY)).published or "").startswith("2022-11-17")


def test_a_full_date_in_the_address_wins_over_a_declared_date_days_away() -> None:
    head = '<meta property="article:published_time" content="2019-06-17T18:28:00+02:00">'
    url = "https://blog.example/home/2017/7/12/a-post"
    assert extract(_page(head), url).published == "2017-07-12"
    # A day apart (a time zone), or the same month without a day: the declared date stands.
    near = head.replace("2019-06-17T18:28", "2017-07-13T01:28")
    assert (extract(_page(near), url).published or "").startswith("2017-07-13")
    month = "https://blog.example/2019/06/a-post"
    assert (extract(_page(head), month).published or "").startswith("2019-06-17")


def test_numeric_and_spelled_dates_in_other_languages_are_read() -> None:
    head = '<meta property="article:published_time" content="2022-05-04T02:41:00+00:00">'
    for shown, lang in (
        ("3/5/2022 22:41", "es"),
        ("03/05/2022 21:44", "pt-BR"),
        ("5/3/2022", "en-US"),
        ("3 de mayo de 2022", "es"),
        ("3 maja 2022", "pl"),
    ):
        page = _page(head, f"<h1>Budget passes at last</h1><p>{shown}</p>" + BODY)
        page = page.replace("<html>", f'<html lang="{lang}">')
        assert (extract(page).published or "").startswith("2022-05-03"), shown
    plain = _page("", "<h1>Budget passes at last</h1><p>26 | 01 | 2022</p>" + BODY)
    assert extract(plain, "https://news.example/budget").published == "2022-01-26"


def test_a_date_opening_the_headline_line_is_read() -> None:
    line = "08.11.2021 | Budget passes at last after a very long debate of the city council"
    page = _page("", f"<div>{line}</div>" + BODY)
    assert extract(page, "https://news.example/budget").published == "2021-11-08"


def test_the_lines_tried_as_dates_are_the_nearest_and_are_read_as_far_as_asked() -> None:
    """The headline's line and the 39 after it, then the 15 before it, nearest first: each
    line that may be a date with its place in that order and the line before it in the text.
    A reader that stops early leaves the rest unread; the next reader gets them all."""
    before = [f"Old 2010-01-{i + 1:02d}" if i % 5 == 0 else f"before {i}" for i in range(30)]
    after = [f"New 2020-02-{j % 28 + 1:02d}" if j % 7 == 3 else f"after {j}" for j in range(60)]
    html = "".join(f"<p>{line}</p>" for line in [*before, "The headline of it", *after])
    expected = [(j + 1, after[j], after[j - 1]) for j in (3, 10, 17, 24, 31, 38)]
    expected += [(40 + 29 - i, before[i], before[i - 1]) for i in (25, 20, 15)]
    page = PageLines(LexborHTMLParser(f"<body>{html}</body>"), "en-GB")
    lines = page.candidates("The headline of it")
    assert lines.found_headline
    assert next(iter(lines)) == expected[0]
    assert list(lines) == expected
    assert list(page.candidates("The headline of it")) == expected
    assert next(text_dates(page, "The headline of it")) == "2020-02-04"
    fresh = PageLines(LexborHTMLParser(f"<body>{html}</body>"), "en-GB")
    assert list(fresh.candidates("The headline of it")) == expected
