"""The extractor never raises and stays fast on hostile or broken input."""

from __future__ import annotations

import time

import pytest

from tui.core.extract import EXTRACTOR_VERSION, extract, extract_for_score
from tui.core.models import Article

PROSE = "<p>" + "The committee met again on Thursday, and the vote was close. " * 8 + "</p>"


@pytest.mark.parametrize(
    "html",
    [
        "",
        b"",
        "   ",
        "<",
        "<html",
        "</div></div></p>",
        "<!-- never closed",
        "<script>" + "x" * 10_000,
        bytes(range(256)) * 100,
        b"\xff\xfe\x00\x00garbage",
        "\x00\x1b[31m<p>\x1b]8;;http://evil\x07click</p>",
        '<script type="application/ld+json">{"@graph": [[[[[[[[[[]]]]]]]]]], "a": </script>',
        '<script type="application/ld+json">' + "[" * 100_000 + "</script>",
        "<table>" + "<tr><td>" * 5000,
    ],
)
def test_garbage_returns_an_article(html: str | bytes) -> None:
    article = extract(html, "https://example.org/x")
    assert isinstance(article, Article)
    assert article.source in {"article", "relaxed", "longest", "summary", "failed"}
    assert "\x1b" not in article.text


def test_empty_page_fails_in_plain_words() -> None:
    article = extract("<html><body></body></html>", "https://example.org/")
    assert article.source == "failed"
    assert article.error and "no article text" in article.error
    assert article.blocks == ()


def test_summary_is_the_last_resort() -> None:
    article = extract(
        "<html><body><nav>menu</nav></body></html>", "https://e.org/", summary="Feed says hi."
    )
    assert article.source == "summary"
    assert article.text == "Feed says hi."
    assert article.error


def test_short_text_retries_relaxed() -> None:
    # The only text sits in a box whose class reads like furniture: the strict pass drops it.
    html = f'<html><body><div class="sidebar-box">{PROSE}</div></body></html>'
    article = extract(html)
    assert article.source in {"relaxed", "longest"}
    assert "The committee met again" in article.text


def test_hundred_thousand_nested_divs_finish_quickly() -> None:
    html = "<div>" * 100_000 + "deep text " * 30 + "</div>" * 100_000
    started = time.perf_counter()
    article = extract(html)
    assert time.perf_counter() - started < 5
    assert isinstance(article, Article)


def test_utf8_bytes_read_as_the_same_page_as_their_text() -> None:
    # Valid UTF-8 bytes go to the parser as they came; the page is the one its text makes.
    page = "<html><body><h1>Grüße aus Köln</h1>" + PROSE.replace("vote", "vote — «oui»") * 3
    assert extract(page.encode(), content_type="text/html; charset=utf-8") == extract(page)


_INVALID_UTF8 = (
    b"\xff",  # never in UTF-8
    b"\x80",  # a continuation byte alone
    b"\xc3",  # a lead byte cut short
    b"\xe2\x82",  # three-byte lead, one continuation
    b"\xf0\x9f\x98",  # four-byte lead, two continuations
    b"\xc0\xaf",  # an overlong "/"
    b"\xed\xa0\x80",  # a surrogate, encoded
    b"\xf4\x90\x80\x80",  # above U+10FFFF
)


@pytest.mark.parametrize("seed", range(12))
def test_invalid_utf8_bytes_read_as_the_page_their_decoding_makes(seed: int) -> None:
    # A page that declares UTF-8 goes to the parser as its bytes, undecoded: its invalid bytes
    # (in the title, a class, a link, the text, a tag's name) must read as the U+FFFD that
    # decoding with replacements makes, exactly.
    import random

    chosen = random.Random(seed)
    parts = [
        b'<html><head><meta charset="utf-8"><title>Gr\xc3\xbc\xc3\x9fe',
        b'</title></head><body><article class="story',
        b'"><h1>Headline',
        b'</h1><p><a href="/a',
        b'">a link</a> ' + PROSE[3:-4].encode(),
        b"</p><p>" + PROSE[3:-4].encode(),
        b"</p><div",
        b"><p>" + PROSE[3:-4].encode(),
        b"</p></div></article></body></html>",
    ]
    page = b"".join(part + chosen.choice(_INVALID_UTF8) * chosen.randint(0, 2) for part in parts)
    text = page.decode("utf-8", "replace")
    for content_type in ("text/html; charset=utf-8", "text/html"):  # the header, or the meta
        from_bytes = extract(page, "https://example.com/a", content_type=content_type)
        assert from_bytes == extract(text, "https://example.com/a")
        assert from_bytes.source == "article"
    assert (
        "\ufffd"
        in extract(
            b"<title>caf\xe9</title>" + PROSE.encode(), content_type="text/html; charset=utf-8"
        ).title
    )


def test_the_bytes_of_a_page_cut_at_its_depth_limit_are_cut_too() -> None:
    # The text is cut before parsing: the bytes as they came would be the whole page.
    html = "<div>" * 100_000 + "deep text " * 30 + "</div>" * 100_000
    started = time.perf_counter()
    from_bytes = extract(html.encode(), content_type="text/html; charset=utf-8")
    assert time.perf_counter() - started < 5
    assert from_bytes == extract(html)


def test_fifty_megabytes_finish_in_seconds() -> None:
    html = "<html><body>" + PROSE * 100_000  # ~50 MB
    started = time.perf_counter()
    article = extract(html)
    assert time.perf_counter() - started < 10
    assert article.source == "article"
    assert "The committee met again" in article.text


def test_a_document_is_cut_after_its_first_quarter_million_tags() -> None:
    # 300,000 tags (150,000 paragraphs): every later stage costs time per element, so what
    # follows the cap is never parsed. Real pages hold fewer than 20,000 tags.
    from tui.core.extract.limits import limit_size_and_depth

    paragraph = "<p>{} Words of a very long page, repeated until it is far too long.</p>"
    html = "<html><body>" + "".join(paragraph.format(n) for n in range(150_000))
    kept = limit_size_and_depth(html)
    # <html> and <body> are two tags; paragraph n opens with tag 2n + 2 (counting from 0).
    assert kept.endswith(paragraph.format(124_998))
    assert kept.count("<") == 250_000
    assert extract(html).source == "article"


def test_links_are_absolute_and_only_http() -> None:
    html = (
        "<html><body><article>"
        + PROSE
        + '<p>See <a href="/report">the report</a>, <a href="javascript:alert(1)">this</a>, '
        '<a href="data:text/html,hi">that</a> and <a href="file:///etc/passwd">those</a>, '
        "which the committee published in full for everyone to read on its website.</p>"
        "</article></body></html>"
    )
    article = extract(html, "https://news.example/a/b")
    assert [(link.text, link.url) for link in article.links] == [
        ("the report", "https://news.example/report")
    ]


def test_score_view_has_the_referee_keys() -> None:
    result = extract_for_score(
        "<html><head><title>Plain title here</title></head><body>" + PROSE, None
    )
    assert set(result) == {"text", "title", "date", "byline"}
    assert "The committee met again" in result["text"]
    assert result["title"] == "Plain title here"


def test_version_is_a_string() -> None:
    assert isinstance(EXTRACTOR_VERSION, str) and EXTRACTOR_VERSION


def test_binary_body_is_refused_in_plain_words() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20
    article = extract(png, "https://example.org/logo")
    assert article.source == "failed"
    assert article.error == "not a text page (binary data)"


@pytest.mark.parametrize(
    ("noise", "binary"),
    [
        ("\x00", True),  # NULs
        ("\x1f", True),  # other control characters
        ("\ufffd", True),  # undecodable bytes after decoding
        ("\t", False),  # tabs, newlines and the like are text
        ("é", False),
    ],
)
def test_binary_is_a_share_of_odd_characters(noise: str, binary: bool) -> None:
    """A page is binary when more than 5% of its first 4096 characters are control characters
    or replacement characters, whatever else (accented letters, CJK) it holds."""
    text = "Grüße, 東京. " + PROSE
    few = text + noise * 10  # a stray few: still a page
    many = noise * 400 + "日本語のテキスト" * 500 + PROSE  # 400 of the first 4096: ~10%
    assert extract(few, "https://example.org/a").error != "not a text page (binary data)"
    refused = extract(many, "https://example.org/b").error == "not a text page (binary data)"
    assert refused is binary


def test_a_full_class_name_cache_is_emptied_without_losing_the_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib

    clean = importlib.import_module("tui.core.extract.clean")
    monkeypatch.setattr(clean, "_CACHE_LIMIT", 3)
    # A first page fills the cache past its limit, with one class name the next page shares.
    filler = "".join(f'<p class="c{i}">x</p>' for i in range(10))
    extract(f'<body><p class="story main">x</p>{filler}</body>')
    page = (
        '<body><div class="site-header nav-bar">Home</div><article class="story main">'
        + PROSE * 4
        + '</article><div class="sidebar rail">More</div><div class="footer x">(c)</div></body>'
    )
    article = extract(page, "https://example.org/x")
    assert article.source == "article"
    assert "committee met again" in article.text


def test_class_words_hold_no_white_space() -> None:
    # The scan matches class/id words in the lower-cased class string (clean.class_flags): a word
    # holding white space or a capital could never match there.
    import importlib

    clean = importlib.import_module("tui.core.extract.clean")
    for _, substrings, tokens in clean._WORD_SETS:
        for word in (*substrings, *tokens):
            assert word == word.lower() and not any(char.isspace() for char in word), word


def test_word_flags_give_every_set_of_every_word_found() -> None:
    import importlib

    clean = importlib.import_module("tui.core.extract.clean")
    flags = clean.word_flags(["comment-share", "ad", "ads-x", "head", "zq"])
    # "comment": furniture, negative and text of its own; "share": maybe furniture and negative.
    assert flags[0] == clean.STRONG | clean.WEAK | clean.NEGATIVE | clean.OWN_TEXT
    assert flags[1] == flags[2] == clean.WEAK  # "ad", "ads": whole words only
    assert flags[3] == 0  # "ad" inside "head" is no word
    assert flags[4] == 0  # no word at all
    assert clean.word_flags([]) == []
    # Words are found among non-ASCII names too, and a whole word may open or close the text.
    assert clean.word_flags(["記事 comment-本文", "ad", "x ad", "ad-x", "éad", "adé"]) == [
        clean.STRONG | clean.NEGATIVE | clean.OWN_TEXT,
        clean.WEAK,
        clean.WEAK,
        clean.WEAK,
        clean.WEAK,  # "é" is no word character of the class/id word lists
        clean.WEAK,
    ]


def test_the_block_walks_role_table_agrees_with_the_rules() -> None:
    # blocks._ROLE_OF sorts elements by tag id into one role each; the walk used to ask the
    # rules' sets one after another. The two agree while no tag is both inline and a leaf
    # block, and every element that may hold blocks is a leaf block when it holds none.
    import importlib

    from tui.core.extract import rules

    blocks = importlib.import_module("tui.core.extract.blocks")
    assert rules.INLINE_TAGS.isdisjoint(rules.LEAF_BLOCKS)
    assert blocks._MAY_HOLD_BLOCKS <= rules.LEAF_BLOCKS
    assert "img" in rules.INLINE_TAGS and blocks._ROLE_OF[blocks._IMG_ID] == blocks._IMAGE


@pytest.mark.parametrize(
    "page",
    [
        PROSE,
        "<p>é</p>" * 20_000,  # 20,000 "<" over 60,000 bytes: counted, and not within
        "<b>" * 19_999 + "x" * 100_000,  # counted, within
        "<div>" * 2_000 + "x" * 100,  # too short to count
    ],
)
def test_bytes_within_the_limits_are_a_text_that_is_not_cut(page: str) -> None:
    from tui.core.extract.limits import limit_size_and_depth, within_limits

    data = page.encode()
    if within_limits(data):
        assert limit_size_and_depth(page) == page
    else:
        assert data.count(b"<") >= 20_000 or len(data) > 10_000_000


@pytest.mark.parametrize(
    "page",
    [
        PROSE,
        "<p>é</p>" * 20_000,  # 20,000 "<" over 60,000 characters: counted, and not within
        "<b>" * 19_999 + "x" * 100_000,  # counted, within
        "<b>\ud800" * 19_999 + "x" * 100_000,  # lone surrogates, dropped from the UTF-8
        "<div>" * 2_000 + "x" * 100,  # too short to count
    ],
)
def test_texts_within_the_limits_are_not_cut(page: str) -> None:
    from tui.core.extract.limits import limit_size_and_depth, within_limits

    if within_limits(page.encode("utf-8", "ignore"), page):
        assert limit_size_and_depth(page) == page
    else:
        assert page.count("<") >= 20_000


@pytest.mark.parametrize("size", [0, 1, 5, 19_999, 20_000, 20_001])
def test_opening_brackets_are_counted_up_to_the_limit(size: int) -> None:
    from tui.core.extract.limits import _opening_brackets

    data = b"a<" * size + "é".encode() * 10
    assert _opening_brackets(data, 20_000) == min(data.count(b"<"), 20_000)


def test_a_text_with_lone_surrogates_reads_as_without_them() -> None:
    from tui.core.extract import extract

    broken = PROSE.replace("</p>", "\udc80</p>", 1)
    assert broken != PROSE
    assert extract(broken).to_dict() == extract(PROSE).to_dict()
