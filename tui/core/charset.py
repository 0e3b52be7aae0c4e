"""Turn the bytes of an HTML page into text, the way a browser would choose the encoding.

Order: byte-order mark, the HTTP `Content-Type` charset, a `<meta charset>` or http-equiv
declaration in the first few KB, then statistical detection (charset-normalizer), and finally
UTF-8 with replacement characters. A declared name is trusted only when it names a real text
encoding: pages and servers declare `rot13`, `base64`, `zlib` or `utf-7` by mistake or malice,
and Python's codec registry would happily "decode" with those.
"""

from __future__ import annotations

import codecs
import re

META_SCAN_BYTES = 4096
DETECT_SCAN_BYTES = 64 * 1024  # charset-normalizer needs a sample, not the whole page

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
# Browsers treat these labels as their Windows supersets (WHATWG Encoding Standard).
_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "tis-620": "cp874",
    "x-sjis": "shift_jis",
    "gb2312": "gb18030",
    "gbk": "gb18030",
}
_REJECTED = {"utf_7", "utf-7", "utf7"}


def usable_encoding(name: str | bytes | None) -> str | None:
    """Return the codec name for a declared charset label, or None when it is not a text encoding."""
    if not name:
        return None
    if isinstance(name, bytes):
        name = name.decode("ascii", "ignore")
    label = name.strip().strip("\"'").lower()[:40]
    label = _ALIASES.get(label, label)
    try:
        info = codecs.lookup(label)
    except (LookupError, ValueError):
        return None
    # rot13, base64, hex, zlib, bz2... are bytes<->bytes or str<->str transforms, not charsets.
    if not getattr(info, "_is_text_encoding", True) or info.name in _REJECTED:
        return None
    if info.name.replace("-", "_") in _REJECTED:
        return None
    return info.name


def _from_bom(data: bytes) -> tuple[str, int] | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def _detect(data: bytes) -> str | None:
    """Guess the encoding statistically; None when the guess is unusable."""
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:DETECT_SCAN_BYTES]).best()
    except Exception:  # a detector bug must not stop a page from opening
        return None
    return usable_encoding(best.encoding) if best is not None else None


def decode_html(data: bytes, content_type: str | None = None) -> str:
    """Decode an HTML page's bytes to text. Never raises; undecodable bytes become U+FFFD."""
    if isinstance(data, str):  # be forgiving: already text
        return data
    try:
        data = bytes(data)
    except Exception:
        return ""
    bom = _from_bom(data)
    if bom is not None:
        return data[bom[1] :].decode(bom[0], "replace")
    candidates: list[str | None] = []
    if content_type:
        match = _HEADER_CHARSET.search(content_type)
        if match:
            candidates.append(usable_encoding(match.group(1)))
    declared = _META_CHARSET.search(data[:META_SCAN_BYTES])
    if declared:
        candidates.append(usable_encoding(declared.group(1)))
    for encoding in candidates:
        if encoding is None:
            continue
        if (
            encoding.startswith(("utf_16", "utf_32", "utf-16", "utf-32"))
            and b"\x00" not in data[:64]
        ):
            continue  # an ASCII-compatible page that says "utf-16" in its meta is lying
        try:
            return data.decode(encoding, "replace")
        except Exception:  # some codecs raise on odd input even with "replace"
            continue
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    detected = _detect(data)
    if detected is not None:
        try:
            return data.decode(detected, "replace")
        except Exception:
            pass
    return data.decode("utf-8", "replace")
