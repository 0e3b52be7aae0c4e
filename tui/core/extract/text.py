"""The one white-space rule of the extractor, shared by every stage."""

from __future__ import annotations


def fold_spaces(text: str | None) -> str:
    """Every run of white space (line breaks too) as one space, the ends trimmed, zero-width
    spaces dropped; "" for None."""
    if not text:
        return ""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        # Already folded (most paragraphs): the space is the only printable white space, and
        # the zero-width space is unprintable.
        return text
    return " ".join(text.replace("\u200b", "").split())
