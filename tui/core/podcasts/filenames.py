"""File names for downloaded episodes, made from untrusted titles and URLs.

A title comes from a feed, so it may hold path separators ("../../etc/passwd"), terminal escape
sequences, bidi overrides that disguise the extension, names Windows reserves ("con"), a leading
dash that a command line would read as an option, or a thousand characters. The name keeps what
is readable of the title, adds a short hash of the URL (two episodes with one title never share
a file, and a half-finished download is only ever resumed from the same URL) and an extension
from a short list of audio types.
"""

from __future__ import annotations

import hashlib
import posixpath
import unicodedata
from urllib.parse import unquote, urlsplit

from tui.core.sanitize import clean_line

SAFE_EXTENSIONS = frozenset(
    {".mp3", ".m4a", ".m4b", ".mp4", ".aac", ".ogg", ".oga", ".opus", ".wav", ".flac"}
)
MIME_EXTENSIONS = {
    "audio/mpeg": ".mp3",
    "audio/mp3": ".mp3",
    "audio/mp4": ".m4a",
    "audio/x-m4a": ".m4a",
    "audio/m4a": ".m4a",
    "video/mp4": ".mp4",
    "audio/aac": ".aac",
    "audio/ogg": ".ogg",
    "application/ogg": ".ogg",
    "audio/opus": ".opus",
    "audio/wav": ".wav",
    "audio/x-wav": ".wav",
    "audio/flac": ".flac",
}
DEFAULT_EXTENSION = ".mp3"  # most enclosures are MP3, and players sniff the content anyway
STEM_BYTES = 120  # well under the 255-byte name limit of common file systems, with room to spare
FALLBACK_STEM = "episode"

# Windows refuses these names with any extension; harmless elsewhere, so refused everywhere.
RESERVED_NAMES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)
_REPLACED = set('/\\:*?"<>|')  # separators and characters Windows forbids in names
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def safe_filename(title: str, url: str, mime_type: str | None = None) -> str:
    """A file name for the episode `title` at `url`: `<clean title>-<url hash><.ext>`."""
    digest = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{clean_stem(title)}-{digest}{extension_for(url, mime_type)}"


def clean_stem(title: str) -> str:
    """The readable part of `title` as a single safe path component (never empty)."""
    text = unicodedata.normalize("NFC", clean_line(title or "", 2000))
    kept = []
    for char in text:
        if char in _REPLACED or char.isspace():
            kept.append(" ")
        elif unicodedata.category(char) not in _DROPPED_CATEGORIES:  # bidi marks, zero-widths
            kept.append(char)
    stem = " ".join("".join(kept).split())
    stem = _cut_utf8(stem.lstrip(".-_ "), STEM_BYTES).rstrip(". ")
    if not stem:
        return FALLBACK_STEM
    if stem.split(".", 1)[0].strip().lower() in RESERVED_NAMES:
        stem = f"_{stem}"
    return stem


def extension_for(url: str, mime_type: str | None = None) -> str:
    """An audio extension from the URL path, else the MIME type, else the default."""
    try:
        path = unquote(urlsplit(url).path)
    except ValueError:
        path = ""
    suffix = posixpath.splitext(path)[1].lower()
    if suffix in SAFE_EXTENSIONS:
        return suffix
    mime = (mime_type or "").split(";", 1)[0].strip().lower()
    return MIME_EXTENSIONS.get(mime, DEFAULT_EXTENSION)


def _cut_utf8(text: str, limit: int) -> str:
    """`text` shortened to at most `limit` bytes of UTF-8, never splitting a character."""
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode("utf-8", "ignore")
