"""Adapters that give the peer extractors the referee's interface: (html, url) -> text.

Used by bench/extraction.py through score_extraction.py --module bench.peers:<name>.
The peers come from the `bench` extra (trafilatura, readability-lxml); nothing is installed here.
"""

from __future__ import annotations

import re


def trafilatura_fast(html: str, url: str | None) -> str:
    """trafilatura in its fast mode (no fallback extractors)."""
    import trafilatura

    return trafilatura.extract(html, url=url, fast=True) or ""


def readability_lxml(html: str, url: str | None) -> dict[str, str]:
    """readability-lxml: the summary HTML turned into text, plus its title."""
    import lxml.html
    from readability import Document

    document = Document(html, url=url)
    summary = document.summary(html_partial=True)
    if not summary.strip():
        return {"text": "", "title": document.short_title()}
    root = lxml.html.fromstring(summary)
    for node in root.iter(*_BLOCKS):
        # Block boundaries become line breaks, so words of adjacent paragraphs do not merge.
        node.tail = "\n" + (node.tail or "")
    text = "\n".join(line.strip() for line in root.text_content().splitlines())
    return {"text": re.sub(r"\n{2,}", "\n\n", text).strip(), "title": document.short_title()}


_BLOCKS = (
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "blockquote",
    "td",
    "tr",
    "br",
    "table",
    "ul",
    "ol",
)
