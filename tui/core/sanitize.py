"""Make untrusted text safe to show in a terminal.

Everything that came from the network passes through `clean_text` once, when the core builds its
models (see models.py), so no view has to remember to do it. Removed: C0 controls except TAB and
LF, DEL, C1 controls, whole ESC-introduced sequences (CSI, OSC, DCS, APC, PM, SOS and two-byte
escapes) and the bidi embedding/override/isolate controls that can reorder what a user sees.
Markup is a separate matter: the UI never parses these strings as markup.
"""

from __future__ import annotations

import re

# ESC-introduced sequences first, so their parameters go with them rather than staying visible:
#   CSI: ESC [ params final        OSC/DCS/APC/PM/SOS: ESC ] P _ ^ X ... up to BEL or ST
#   8-bit forms: CSI = \x9b, OSC = \x9d, DCS = \x90, SOS = \x98, PM = \x9e, APC = \x9f
_STRING_SEQ = r"(?:\x1b[\]P_^X]|[\x9d\x90\x98\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
_CSI_SEQ = r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
_TWO_BYTE_ESC = r"\x1b[\x20-\x7e]?"
# C0 except TAB (09) and LF (0a); CR is dropped too (CRLF arrives as LF); DEL; C1;
# bidi embeddings/overrides (202a-202e) and isolates (2066-2069); line/paragraph separators.
_CONTROLS = r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
_UNSAFE = re.compile("|".join((_STRING_SEQ, _CSI_SEQ, _TWO_BYTE_ESC, _CONTROLS)))
_NEEDS_WORK = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_SPACES = re.compile(r"\s+")


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
