"""Make untrusted text safe to show in a terminal.

Everything that came from the network passes through `clean_text` once, when the core builds its
models (see models.py), so no view has to remember to do it. Removed: C0 controls except TAB and
LF, DEL, C1 controls, whole control sequences with their parameters and payload (CSI, OSC, DCS,
APC, PM, SOS, other ESC sequences, and their 8-bit C1 forms) and the bidi
embedding/override/isolate controls that can reorder what a user sees. Markup is a separate
matter: the UI never parses these strings as markup.

`drop_sequences` does the same for the escape sequences in raw bytes, for parsers (XML) that
would otherwise delete ESC and BEL themselves and leave the payload as text (`]0;TITLE`).
"""

from __future__ import annotations

import re

# Whole sequences first, so their parameters and payload go with them rather than staying visible.
#   OSC/DCS/APC/PM/SOS: ESC ] P _ ^ X, payload up to BEL or ST (ESC \ or \x9c); unterminated, a
#   terminal would swallow everything after it, and so do we. Another ESC ends the payload (a
#   terminal aborts the string there) and is read as a sequence of its own.
_STRING_SEQ = r"\x1b[\]P_^X][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
#   Their 8-bit forms (OSC = \x9d, DCS = \x90, SOS = \x98, PM = \x9e, APC = \x9f). A command
#   string is printable ASCII (ECMA-48 8.3.89), so the payload goes only when plain ASCII runs up
#   to a terminator; otherwise only the introducer does. Mis-decoded text is full of these
#   characters ("â€\x9d" is a UTF-8 quote read as Latin-1): text after one is text, not payload.
_C1_STRING_SEQ = r"[\x90\x98\x9d\x9e\x9f](?:[\x08-\x0d\x20-\x7e]*(?:\x07|\x9c|\x1b\\))?"
#   CSI: ESC [ or \x9b, parameters, intermediates, final byte.
_CSI_SEQ = r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
#   Any other escape: ESC, intermediates (`(`, `$`, ` `...), final byte ("ESC ( B", "ESC 7").
_OTHER_ESC = r"\x1b[\x20-\x2f]*[\x30-\x7e]?"
# C0 except TAB (09) and LF (0a); CR is dropped too (CRLF arrives as LF); DEL; C1;
# bidi embeddings/overrides (202a-202e) and isolates (2066-2069); line/paragraph separators.
_CONTROLS = r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
_UNSAFE = re.compile("|".join((_STRING_SEQ, _C1_STRING_SEQ, _CSI_SEQ, _OTHER_ESC, _CONTROLS)))
_NEEDS_WORK = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_SPACES = re.compile(r"\s+")

# In bytes: the 7-bit string sequences and CSI only. Those never occur in text of any
# ASCII-compatible encoding, while other escapes do (ISO-2022-JP switches with "ESC $ B").
_BYTE_SEQUENCES = re.compile(
    rb"\x1b[\]P_^X][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
)


def clean_text(text: str | None) -> str:
    """Return `text` with every terminal control and escape sequence removed (tabs, newlines kept)."""
    if not text:
        return ""
    if _NEEDS_WORK.search(text) is None:  # the common case: nothing to do, no copy
        return text
    return _UNSAFE.sub("", text.replace("\r\n", "\n"))


def clean_line(text: str | None, limit: int = 1000) -> str:
    """Clean `text` for one line of display: whitespace folded, length capped at `limit`."""
    line = _SPACES.sub(" ", clean_text(text)).strip()
    if len(line) > limit:
        line = line[: limit - 1].rstrip() + "…"
    return line


def drop_sequences(data: bytes) -> bytes:
    """`data` (bytes in an ASCII-compatible encoding) without OSC/DCS/APC/PM/SOS strings and CSI
    sequences, payload and parameters included; unchanged (the same object) when it has none."""
    if b"\x1b" not in data:
        return data
    return _BYTE_SEQUENCES.sub(b"", data)
