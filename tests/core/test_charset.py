"""decode_html: BOM, HTTP charset, <meta> charset, detection, and bogus declarations."""

from __future__ import annotations

import pytest

from tui.core.charset import decode_html, usable_encoding

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


def test_never_raises_on_odd_input() -> None:
    for data in (b"", b"\x00" * 100, bytes(range(256)) * 50, b"\xef\xbb"):
        assert isinstance(decode_html(data), str)
