"""decode_html: BOM, HTTP charset, <meta> charset, detection, and bogus declarations."""

from __future__ import annotations

import pytest

from tui.core.charset import (
    BINARY_SAMPLE_CHARS,
    declares_utf8,
    decode_html,
    decode_html_keeping_utf8,
    looks_binary,
    opening_text,
    usable_encoding,
)

RUSSIAN = "Привет, мир! Съешь же ещё этих мягких французских булок."


def test_bom_wins_over_everything() -> None:
    data = "\ufeffcafé".encode("utf-8")
    assert decode_html(data, "text/html; charset=windows-1251") == "café"
    assert decode_html(b"\xff\xfe" + "héllo".encode("utf-16-le")) == "héllo"


def test_http_charset_is_used() -> None:
    assert decode_html("café".encode("latin-1"), "text/html; charset=ISO-8859-1") == "café"


def test_meta_charset_in_the_first_kilobytes() -> None:
    html = f'<html><head><meta charset="windows-1251"></head><body>{RUSSIAN}</body></html>'
    assert RUSSIAN in decode_html(html.encode("cp1251"))


def test_http_equiv_meta() -> None:
    html = f'<meta http-equiv="Content-Type" content="text/html; charset=koi8-r"><p>{RUSSIAN}</p>'
    assert RUSSIAN in decode_html(html.encode("koi8_r"))


def test_utf8_alias_is_fine() -> None:
    assert decode_html("ünïcode".encode(), "text/html; charset=utf8") == "ünïcode"


def test_detection_without_declaration() -> None:
    text = ("<p>" + RUSSIAN + "</p>") * 20
    assert RUSSIAN in decode_html(text.encode("cp1251"))


@pytest.mark.parametrize(
    "bogus",
    [
        "rot13",
        "rot_13",
        "base64",
        "hex",
        "zlib",
        "bz2",
        "utf-7",
        "UTF7",
        "no-such-charset",
        "",
        "x" * 500,
    ],
)
def test_bogus_charsets_never_decode_via_transforms(bogus: str) -> None:
    data = "<p>plain ascii text, café</p>".encode()
    assert usable_encoding(bogus) is None
    text = decode_html(data, f"text/html; charset={bogus}")
    assert "plain ascii text" in text
    text = decode_html(f'<meta charset="{bogus}">'.encode() + data)
    assert "plain ascii text" in text


def test_utf7_payload_is_not_decoded() -> None:
    payload = b'<meta charset="utf-7"><p>+ADw-script+AD4-alert(1)+ADw-/script+AD4-</p>'
    assert "<script>" not in decode_html(payload)


def test_invalid_bytes_become_replacement_characters() -> None:
    text = decode_html(b"<p>ok \xff\xfe\xfd broken</p>", "text/html; charset=utf-8")
    assert "ok" in text and "broken" in text and "\ufffd" in text


def test_valid_utf8_bytes_are_kept_as_the_texts_utf8_form() -> None:
    page = f"<html><body><p>{RUSSIAN} café 😀</p></body></html>"
    data = page.encode()
    for content_type in ("text/html; charset=utf-8", "text/html; charset=UTF8", None):
        text, utf8 = decode_html_keeping_utf8(data, content_type)
        assert text == page
        assert utf8 is data  # the page's own bytes, as they came
        assert text.encode("utf-8") == utf8
    # Declared in a <meta> only, and a bytearray body.
    meta = b'<meta charset="utf-8">' + data
    text, utf8 = decode_html_keeping_utf8(bytearray(meta), "text/html")
    assert text == meta.decode() and utf8 == meta


def test_bytes_that_are_not_the_texts_utf8_form_are_not_kept() -> None:
    # Invalid UTF-8: replacement characters, so the text's UTF-8 differs from the bytes.
    text, utf8 = decode_html_keeping_utf8(b"<p>caf\xe9 ok</p>", "text/html; charset=utf-8")
    assert text == "<p>caf\ufffd ok</p>" and utf8 is None
    # Another encoding, a byte-order mark, text given as text.
    assert decode_html_keeping_utf8(
        RUSSIAN.encode("cp1251"), "text/html; charset=windows-1251"
    ) == (
        RUSSIAN,
        None,
    )
    assert decode_html_keeping_utf8(b"\xef\xbb\xbfhello") == ("hello", None)
    assert decode_html_keeping_utf8("already text") == ("already text", None)
    # decode_html gives the same text either way.
    assert decode_html(b"<p>caf\xe9 ok</p>", "text/html; charset=utf-8") == "<p>caf\ufffd ok</p>"


def test_never_raises_on_odd_input() -> None:
    for data in (b"", b"\x00" * 100, bytes(range(256)) * 50, b"\xef\xbb"):
        assert isinstance(decode_html(data), str)


# -- binary bodies ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "head",
    [
        b"%PDF-1.4\n",
        b"\x89PNG\r\n\x1a\n",
        b"GIF89a",
        b"\xff\xd8\xff\xe0",
        b"RIFF\x00\x00\x00\x00WEBPVP8 ",
        b"PK\x03\x04",
        b"\x1f\x8b\x08\x00",
        b"ID3\x03\x00",
        b"\x00\x00\x00\x20ftypisom",
        b"OggS\x00\x02",
        b"\x7fELF\x02\x01",
    ],
)
def test_binary_formats_are_known_by_their_first_bytes(head: bytes) -> None:
    data = head + b"<html><body><p>" + b"looks like text afterwards " * 100 + b"</p></body></html>"
    assert looks_binary(data.decode("latin-1"), data)


@pytest.mark.parametrize(
    "text",
    [
        "OTTO von Bismarck was the first chancellor.",
        "BMW and Fiat report their sales.",
        "ID3 tags explained: a primer for podcasters.",
        "fLaC is how a FLAC file starts.",
    ],
)
def test_text_that_starts_like_a_signature_is_still_text(text: str) -> None:
    assert not looks_binary(text, text.encode())


def test_a_short_page_with_a_few_invalid_bytes_is_text() -> None:
    data = b"<p>caf\xe9 na\xefve r\xe9sum\xe9 \xff\xfe</p>"
    assert not looks_binary(decode_html(data, "text/html; charset=utf-8"), data)


def test_a_share_of_odd_characters_still_makes_binary() -> None:
    data = bytes(range(256)) * 8
    assert looks_binary(decode_html(data, "text/html; charset=utf-8"), data)
    assert looks_binary("\x00" * 200 + "x" * 800)


@pytest.mark.parametrize(
    ("data", "content_type", "utf8"),
    [
        (b"<p>x</p>", "text/html; charset=utf-8", True),
        (b'<meta charset="UTF-8"><p>x</p>', "text/html", True),
        (b'<meta charset="utf-8"><p>x</p>', "text/html; charset=windows-1252", False),
        (b"\xef\xbb\xbf<p>x</p>", "text/html; charset=utf-8", False),  # the BOM is read first
        (b"<p>x</p>", "text/html; charset=rot13", False),  # nothing usable declared
        (b'<meta charset="utf-8"><p>x</p>', "text/html; charset=rot13", True),
        (b'<meta charset="utf-8"><p>x</p>', "text/html; charset=utf-16", True),  # a lie
        (b"<p>x</p>", None, False),  # nothing declared: decoding finds out
    ],
)
def test_a_page_declares_utf8_as_decoding_reads_it(
    data: bytes, content_type: str | None, utf8: bool
) -> None:
    assert declares_utf8(data, content_type) is utf8
    if utf8:
        assert decode_html(data, content_type) == data.decode("utf-8", "replace")


@pytest.mark.parametrize("seed", range(20))
def test_the_opening_text_is_the_opening_of_the_whole_text(seed: int) -> None:
    import random

    chosen = random.Random(seed)
    pieces = [
        b"a",
        b"\xc3\xa9",
        b"\xe2\x82\xac",
        b"\xf0\x9f\x98\x80",
        b"\xff",
        b"\xe2\x82",
        b"\x00",
    ]
    data = b"".join(chosen.choice(pieces) for _ in range(chosen.randint(0, 12_000)))
    whole = data.decode("utf-8", "replace")
    assert opening_text(data)[:BINARY_SAMPLE_CHARS] == whole[:BINARY_SAMPLE_CHARS]
    assert looks_binary(opening_text(data), data) == looks_binary(whole, data)
