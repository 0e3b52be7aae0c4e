"""Quality rules of the extractor: each test page isolates one mechanism and fails without it."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from tui.core.extract import extract, extract_for_score
from tui.core.extract.metadata import read_metadata
from tui.core.extract.pipeline import _attempt

SENTENCE = "The council approved the new budget on Tuesday, after a long and heated debate. "


def _prose(n: int = 4, word: str = "") -> str:
    return "".join(f"<p>{word}{SENTENCE * 3}</p>" for _ in range(n))


def _assert_leave_the_body(lines: tuple[str, ...]) -> None:
    """Each of `lines` (a <p>...</p>), put after an article's prose, leaves the body; the prose
    stays."""
    for line in lines:
        text = extract_for_score(_page(f"<article>{_prose()}{line}</article>"), None)["text"]
        assert "heated debate" in (text or ""), line
        assert line[3:-4] not in (text or ""), line


def _page(body: str, title: str = "Budget passes") -> str:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>"


def test_blog_post_in_a_widget_box_with_br_lines_is_kept() -> None:
    # Blog engines wrap the post in a "widget blog" box and separate lines with <br>, so the
    # box holds no run of <p>; its entry-content marker keeps it from the furniture sweep.
    lines = "<br>".join(SENTENCE * 2 for _ in range(6))
    html = _page(
        '<div class="widget blog"><div class="post hentry">'
        f'<div class="post-body entry-content">{lines}</div></div></div>'
        '<div class="widget popular-posts"><ul><li><a href="/a">Other post</a></li></ul></div>'
    )
    article = extract(html)
    assert article.source == "article"
    assert "heated debate" in article.text
    assert "Other post" not in article.text


def test_post_written_as_a_bullet_list_is_found() -> None:
    items = "".join(
        f"<li>{SENTENCE} Item {i} explains the details at length.</li>" for i in range(8)
    )
    html = _page(
        f'<article><div class="entry-content"><ul>{items}</ul></div></article>'
        '<div class="about"><p>Written by the browser team about its nightly builds.</p></div>'
        '<section class="comments"><p>'
        + "Great post, thanks for sharing this with us. "
        * 5
        + "</p>"
        "<p>" + "I disagree with the second point entirely, sorry. " * 5 + "</p></section>"
    )
    article = extract(html)
    assert "Item 7 explains" in article.text
    assert "Great post" not in article.text


def test_caption_class_elements_become_captions_not_paragraphs() -> None:
    html = _page(
        "<article>" + _prose(2) + '<div class="photo"><img src="a.jpg" alt="">'
        '<span class="image-caption">A councillor votes <span class="credit">(Image: AGENCY)</span>'
        "</span></div>" + _prose(2) + "</article>"
    )
    article = extract(html)
    captions = [b.text for b in article.blocks if b.kind == "caption"]
    assert captions == ["A councillor votes (Image: AGENCY)"]
    assert "AGENCY" not in extract_for_score(html, None)["text"]


def test_promotion_lines_made_of_links_are_dropped() -> None:
    html = _page(
        "<article>"
        + _prose(2)
        + '<p>READ MORE: <a href="/x">Mayor resigns after scandal</a></p>'
        + '<p><a href="/y">Storm hits coast</a> | <a href="/z">Rates rise again</a></p>'
        + '<p>The full report is <a href="/report.pdf">published here</a>.</p>'
        + _prose(2)
        + "</article>"
    )
    text = extract(html).text
    assert "Mayor resigns" not in text
    assert "Storm hits coast" not in text
    # A single link inside a sentence is a citation, not a promotion.
    assert "published here" in text


def test_advert_slot_labels_are_dropped() -> None:
    html = _page(
        "<article>" + _prose(2) + "<p>ADVERTISEMENT</p><p>Anzeige</p>" + _prose(2) + "</article>"
    )
    text = extract(html).text
    assert "ADVERTISEMENT" not in text
    assert "Anzeige" not in text
    assert text.count("heated debate") == 12


def test_relaxed_pass_reads_bare_text_beside_a_headline() -> None:
    # The story is bare text in a layout div after a headline and a picture, and the only
    # other text on the page is a footer address: the relaxed pass must prefer the story.
    story = SENTENCE * 6
    html = _page(
        '<div class="col"><p class="headline">Budget passes</p><img src="p.jpg">'
        f"{story}<br><br></div>"
        '<div class="bottom"><p>City Hall, 1 Main Street, Springfield, 12345, '
        "phone 555-0100, open Monday to Friday.</p></div>"
    )
    article = extract(html)
    assert "heated debate" in article.text


def test_layout_column_named_with_a_short_token_keeps_its_article() -> None:
    # "rail" names whole layout columns ("page-rail-tall"); only boxes without a run of
    # paragraphs are dropped for such a short token.
    html = _page(
        '<div class="page-rail-tall"><div class="story">' + _prose(5) + "</div>"
        '<div class="side-rail"><p>Most read today</p></div></div>'
    )
    article = extract(html)
    assert article.source == "article"
    assert article.text.count("heated debate") == 15
    assert "Most read" not in article.text


def test_split_body_parts_with_the_winners_class_are_joined_even_when_deep() -> None:
    # The middle part's paragraphs sit too deep for the scores to reach its box; sharing the
    # winner's class, it is still read as more of the same body.
    def nest(inner: str, depth: int) -> str:
        return "<div>" * depth + inner + "</div>" * depth

    html = _page(
        '<div class="post">'
        f'<div class="part">{nest(_prose(6, "First. "), 2)}</div>'
        "<figure><img src='a.jpg'></figure>"
        f'<div class="part">{nest(_prose(3, "Middle. "), 6)}</div>'
        "</div>"
    )
    text = extract(html).text
    assert "First." in text
    assert "Middle." in text


def test_teaser_label_and_the_links_after_it_are_dropped_until_prose_resumes() -> None:
    html = _page(
        "<article>"
        + _prose(2)
        + "<p>You may also like...</p>"
        + '<p><a href="/a">Who will make the Hall of Fame in 2020?</a></p>'
        + '<p><a href="/b">Band takes over the fan vote</a></p>'
        + _prose(2, "Later. ")
        + "</article>"
    )
    text = extract(html).text
    assert "You may also like" not in text
    assert "Hall of Fame" not in text
    assert "fan vote" not in text
    assert "Later." in text


def test_share_buttons_counts_and_shortcodes_are_dropped() -> None:
    html = _page(
        "<article>"
        + _prose(2)
        + "<p>Sharing is caring!</p><p>0 shares</p><p>Pinterest</p><p>Reddit</p>"
        + '<p>[button link="/submit" type="big"]Send us YOUR review[/button]</p>'
        + "<p>[figure 1: the council chamber, seen from the gallery]</p>"
        + _prose(2)
        + "</article>"
    )
    text = extract(html).text
    for gone in ("Sharing is caring", "0 shares", "Pinterest", "Reddit", "Send us YOUR review"):
        assert gone not in text
    assert "[figure 1: the council chamber, seen from the gallery]" in text  # not a shortcode


def test_a_loose_run_of_tag_links_is_dropped() -> None:
    html = _page(
        '<div class="story">'
        + _prose(4)
        + '<strong>Tags <a href="/t/a">budget</a>, <a href="/t/b">council</a>, '
        '<a href="/t/c">city hall</a></strong>'
        "</div>"
    )
    text = extract(html).text
    assert "heated debate" in text
    assert "city hall" not in text


def test_one_link_paragraphs_are_teasers_but_a_linked_word_in_a_sentence_is_kept() -> None:
    html = _page(
        "<article>"
        + _prose(2)
        + '<p><a href="/x">Mayor opens the new bridge across the river</a></p>'
        + '<p>The budget, <a href="/doc">published in full</a>, runs to four hundred pages '
        "and covers every department of the city for the next two years.</p>"
        + _prose(2)
        + "</article>"
    )
    text = extract(html).text
    assert "Mayor opens the new bridge" not in text
    assert "published in full" in text


def test_text_behind_a_paywall_wrapper_is_kept_and_a_subscribe_prompt_is_not() -> None:
    html = _page(
        "<article>"
        + _prose(2, "Free. ")
        + f'<div class="paywall">{_prose(3, "Paid. ")}</div>'
        + '<div class="paywall-prompt"><p>Subscribe to keep reading.</p></div>'
        + "</article>"
    )
    text = extract(html).text
    assert text.count("Paid.") == 3
    assert "Subscribe to keep reading" not in text


def test_boxes_of_recent_posts_and_submitted_by_lines_are_dropped() -> None:
    html = _page(
        '<div class="post"><div class="submitted">By Jo Writer - 11/18/19 11:04 PM</div>'
        + _prose(4)
        + '<div class="recent-posts"><h3>Recent posts</h3><div><span>Storm hits the coast '
        "again as the season turns, and the town council meets.</span></div></div></div>"
    )
    article = extract(html)
    assert "heated debate" in article.text
    assert "Jo Writer" not in article.text
    assert "Storm hits" not in article.text


def test_hidden_elements_are_dropped_however_their_style_is_spaced() -> None:
    html = _page(
        "<article>"
        + '<div style="display : none">AP-US--Budget, 4th Ld-Writethru</div>'
        + _prose(4)
        + "</article>"
    )
    assert "Writethru" not in extract(html).text


def test_the_referee_reads_the_lede_paragraph_that_the_reader_shows_above_the_body() -> None:
    lede = "The council approved the new budget on Tuesday after a long and heated debate."
    html = (
        f'<html><head><title>Budget passes</title><meta name="description" content="{lede}">'
        f"</head><body><article><p>{lede}</p>{_prose(4)}</article></body></html>"
    )
    article = extract(html)
    assert article.lede == lede
    assert not article.text.startswith(lede)  # shown once, as the lede
    assert extract_for_score(html, None)["text"].startswith(lede)


STANDFIRST = "The council approved the new budget after a long night of debate and many votes."
STORY = "".join(
    f"<p>Paragraph {n} of the story, which goes on for a while, with commas, clauses, and more.</p>"
    for n in range(8)
)


def _standfirst_page(deck: str) -> str:
    return (
        f'<html><head><meta name="description" content="{STANDFIRST}"></head><body>'
        f"<div class='top'><h1>Budget passes</h1>{deck}</div>"
        f"<article><div class='story'>{STORY}</div></article></body></html>"
    )


def test_standfirst_outside_the_title_block_is_the_first_paragraph() -> None:
    page = _standfirst_page(f'<div class="intro"><p>{STANDFIRST}</p></div>')
    assert extract_for_score(page, None)["text"].startswith(STANDFIRST)
    article = extract(page)
    assert article.lede == STANDFIRST  # shown once, above the body
    assert article.blocks[0].text.startswith("Paragraph 0")


def test_deck_in_the_title_block_stays_the_lede_only() -> None:
    for deck in (
        f"<header><p>{STANDFIRST}</p></header>",
        f'<div class="article-header"><p>{STANDFIRST}</p></div>',
        f"<h2>{STANDFIRST}</h2>",
    ):
        page = _standfirst_page(deck)
        assert extract_for_score(page, None)["text"].startswith("Paragraph 0"), deck
        assert extract(page).lede == STANDFIRST, deck


def test_source_credit_and_app_or_newsletter_lines_leave_the_body() -> None:
    furniture = (
        "<p>Quelle: dpa</p>",
        "<p>Źródło:</p>",
        "<p>Photograph by Ana Ruiz, City Archive</p>",
        "<p>(Credit: Ana Ruiz / Bugle)</p>",
        "<p>© AFP / Ana Ruiz</p>",
        "<p>For the latest stories download the Bugle apps for iOS and Android.</p>",
        "<p>Do you want to hear from us? Sign up here</p>",
        "<p>Bugle-WhatsApp-Newsletter</p>",
        "<p>Artikel bewerten</p>",
        "<p>Share this article:</p>",
    )
    _assert_leave_the_body(furniture)
    # Sentences that only mention a source, an app or a newsletter stay.
    kept = (
        "To get started, simply record what you eat each day using either a journal or app.",
        "The source: a report the council kept from the public for two whole years.",
    )
    for line in kept:
        text = extract_for_score(_page(f"<article>{_prose()}<p>{line}</p></article>"), None)
        assert line in (text["text"] or ""), line


def test_a_call_to_get_the_app_is_told_from_words_holding_app() -> None:
    # An ASCII line whose only call word is "app" is searched only with a verb of
    # rules.CALL_APP_VERBS or an opening "get"; a Spanish call about comments holds no call word.
    furniture = (
        "<p>Get the Bugle app</p>",
        "<p>Install our app for iOS and Android</p>",
        "<p>Dinos en los comentarios que app usas?</p>",
    )
    _assert_leave_the_body(furniture)
    kept = "Officials say it could happen again, apparently within a month of the vote."
    text = extract_for_score(_page(f"<article>{_prose()}<p>{kept}</p></article>"), None)
    assert kept in (text["text"] or "")


def test_a_teaser_label_ending_in_a_question_mark_opens_the_teasers() -> None:
    body = (
        f"<article>{_prose()}<p>Schon gelesen?</p>"
        '<p><a href="/other">Another story about the harbour</a></p></article>'
    )
    text = extract_for_score(_page(body), None)["text"] or ""
    assert "heated debate" in text
    assert "Schon gelesen" not in text and "harbour" not in text


def test_reading_time_rating_and_post_footer_lines_leave_the_body() -> None:
    furniture = (
        "<p>3 min read</p>",
        "<p>Lesezeit: 4 Minuten</p>",
        "<p>War der Artikel nützlich? (95 Stimmen: 4,73 von 5) Loading...</p>",
        "<p>(Noch keine Bewertungen) Loading...</p>",
        "<p>This entry was posted in News. Bookmark the permalink.</p>",
    )
    _assert_leave_the_body(furniture)
    kept = "<p>The vote (12 votes to 3) was close, and the minutes say why.</p>"
    text = extract_for_score(_page(f"<article>{_prose()}{kept}</article>"), None)["text"]
    assert "The vote (12 votes to 3) was close" in (text or "")


def test_a_linked_headline_after_a_short_call_to_read_is_a_teaser() -> None:
    for call in ("Lesen Sie hier", "Auch lesen", "MIRA", "Mire"):
        line = f'<p>{call}: <a href="/other">Spielabbruch in der Kreisliga am Sonntag</a></p>'
        text = extract_for_score(_page(f"<article>{_prose()}{line}</article>"), None)["text"]
        assert "heated debate" in (text or ""), call
        assert "Spielabbruch" not in (text or ""), call


def test_rights_notices_counters_and_server_warnings_leave_the_body() -> None:
    furniture = (
        "<p>© 2022, Bugle Online. All rights reserved.</p>",
        "<p>Materiał chroniony prawem autorskim - wszelkie prawa zastrzeżone.</p>",
        "<p>Kommentare insgesamt: 0</p>",
        "<p>Warning: Creating default object from empty value in /www/classes.php on line 407</p>",
        "<p>Originalartikel:</p>",
    )
    _assert_leave_the_body(furniture)
    # A sentence about rights, the words far into it, stays.
    kept = (
        "<p>The licences stand between the traditional copyright of the publishers and the "
        "public domain (all rights reserved, or none).</p>"
    )
    text = extract_for_score(_page(f"<article>{_prose()}{kept}</article>"), None)["text"]
    assert "all rights reserved, or none" in (text or "")


def test_calls_to_join_a_channel_or_answer_in_the_comments_leave_the_body() -> None:
    furniture = (
        "<p>¡Mira lo que tiene nuestro canal de YouTube!</p>",
        "<p>¿Ya sabías que tenemos canal de Telegram? Únete en este enlace de invitación</p>",
        "<p>Verraten Sie gerne in den Kommentaren: Was bedeutet der Preis für Sie?</p>",
    )
    _assert_leave_the_body(furniture)
    kept = (
        "Hop in our IRC channel on the weekend and let me know what you think.",
        "Readers said in the comments that the plan was fine, and the council agreed.",
    )
    for line in kept:
        text = extract_for_score(_page(f"<article>{_prose()}<p>{line}</p></article>"), None)
        assert line in (text["text"] or ""), line


def test_furniture_lines_leave_the_relaxed_pass_too() -> None:
    # Bare text beside a list is read by the relaxed pass only (run here on its own).
    html = _page(
        f'<div class="b">{SENTENCE * 5}<br><br>Write a comment<br><br>3 min read<br><br>'
        "Quelle: dpa<br><br><ul><li>A list item</li></ul></div>"
    )
    tree = LexborHTMLParser(html)
    relaxed = _attempt(tree, read_metadata(tree, None), strict=False, for_score=True, fresh=True)
    texts = [text for _, text, _ in relaxed.collected.blocks]
    assert relaxed.source == "relaxed"
    assert any("heated debate" in text for text in texts)
    assert not {"Write a comment", "3 min read", "Quelle: dpa"} & set(texts)


NOTICE = "Offers on this site come from partners who pay us; this may change where they appear. "


def test_a_wrapper_named_after_the_footer_keeps_the_article_it_holds() -> None:
    # Layout wrappers take names from their place on the page ("above-footer", "has-sidebar"):
    # the element holding most of the page's paragraph runs is the article's wrapper, whatever
    # its class says. A real footer with a run of its own still goes.
    html = _page(
        f'<div class="above-footer"><div class="story">{_prose(6)}</div></div>'
        f'<div class="disclosure"><p>{NOTICE * 4}</p></div>'
        '<div class="site-footer"><p>Imprint one.</p><p>Imprint two.</p><p>Imprint three.</p></div>'
    )
    article = extract(html)
    assert article.text.count("heated debate") == 18
    assert "Imprint" not in article.text


def test_comments_holding_most_of_the_paragraphs_still_go() -> None:
    # Comments (or related stories) are text of their own: holding more paragraphs than the
    # article does not make them its wrapper.
    said = "I was at the meeting and I think the budget is a disgrace for the whole town. " * 2
    comments = "".join(
        f"<div><p>Reader {i}: {said}</p><p>{said}</p><p>{said} Signed, a taxpayer.</p></div>"
        for i in range(8)
    )
    html = _page(
        f'<div class="post"><div class="entry">{_prose(4)}</div>'
        f'<div class="comments">{comments}</div></div>'
    )
    article = extract(html)
    assert "heated debate" in article.text
    assert "taxpayer" not in article.text
