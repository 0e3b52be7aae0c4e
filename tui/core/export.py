"""Export an article as a file: Markdown with front matter, a small HTML page, or JSON.

Markdown: a YAML front matter (title, url, author, published, saved_at, tags; strings are
JSON-quoted, which YAML reads as double-quoted strings), then the clean body, its links as
reference links (`[text][3]` where the link's text is found in a block, the definitions
`[3]: <url>` at the end). The text is the article's plain text, so the characters Markdown
would read as markup are escaped. File names are made safe (`safe_name`): letters, digits and
dashes from the title, never a path, a dot file or a device name.
"""

from __future__ import annotations

import html
import json
import os
import re
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from tui.core.models import Article, Block

ExportFormat = Literal["markdown", "html", "json"]
FORMATS: tuple[ExportFormat, ...] = ("markdown", "html", "json")
SUFFIX = {"markdown": ".md", "html": ".html", "json": ".json"}
NAME_LIMIT = 80  # characters of the title kept in a file name
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{n}" for n in range(10)),
    *(f"lpt{n}" for n in range(10)),
}


def iso(seconds: float | None) -> str | None:
    if seconds is None:
        return None
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")


def front_matter(article: Article, saved_at: float | None, tags: tuple[str, ...]) -> dict[str, Any]:
    return {
        "title": article.title or article.url,
        "url": article.url,
        "author": article.byline,
        "published": article.published,
        "saved_at": iso(saved_at),
        "tags": list(tags),
    }


_INLINE = re.compile(r"([\\`*_\[\]<>])")
_LINE_START = re.compile(r"^(\s*)([#>+\-=|]|\d+[.)])")


def _escape(text: str) -> str:
    """Plain text as Markdown text that reads as the same plain text."""
    text = _INLINE.sub(r"\\\1", text)
    return "\n".join(_LINE_START.sub(r"\1\\\2", line) for line in text.split("\n"))


def _block_markdown(block: Block, text: str) -> list[str]:
    if block.kind == "heading":
        return [f"{'#' * max(2, min(block.level or 2, 6))} {text}", ""]
    if block.kind == "list_item":
        return [f"- {text}"]
    if block.kind == "quote":
        return ["> " + line for line in text.split("\n")] + [""]
    if block.kind == "pre":
        fence = "```" if "```" not in block.text else "~~~~"
        return [fence, block.text, fence, ""]  # code is shown as written, not escaped
    if block.kind == "caption":
        return [f"*{text}*", ""]
    return [text, ""]


def article_markdown(
    article: Article, *, saved_at: float | None = None, tags: tuple[str, ...] = ()
) -> str:
    meta = front_matter(article, saved_at, tags)
    lines = ["---"]
    for key, value in meta.items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines += ["---", "", f"# {_escape(article.title or article.url)}", ""]
    if article.lede:
        lines += [f"**{_escape(article.lede)}**", ""]
    placed: set[int] = set()
    texts = [_escape(b.text) if b.kind != "pre" else b.text for b in article.blocks]
    for number, link in enumerate(article.links, 1):
        needle = _escape(link.text.strip())
        if len(needle) < 2:
            continue
        for index, block in enumerate(article.blocks):
            at = texts[index].find(needle) if block.kind != "pre" else -1
            if at >= 0:
                end = at + len(needle)
                texts[index] = f"{texts[index][:at]}[{needle}][{number}]{texts[index][end:]}"
                placed.add(number)
                break
    previous = None
    for block, text in zip(article.blocks, texts, strict=True):
        if previous == "list_item" and block.kind != "list_item":
            lines.append("")  # the list ends here, not in a lazy continuation
        lines += _block_markdown(block, text)
        previous = block.kind
    if previous == "list_item":
        lines.append("")
    others = [(n, link) for n, link in enumerate(article.links, 1) if n not in placed]
    if others:
        lines += ["## Links", ""]
        lines += [f"- [{_escape(link.text.strip() or link.url)}][{n}]" for n, link in others]
        lines.append("")
    if article.links:
        lines += [f"[{n}]: <{_url(link.url)}>" for n, link in enumerate(article.links, 1)]
    return "\n".join(lines).rstrip() + "\n"


def _url(url: str) -> str:
    """A URL inside <…>: no spaces, angle brackets or line breaks."""
    return re.sub(r"[\s<>]", lambda m: f"%{ord(m.group()):02X}", url)


def article_html(
    article: Article, *, saved_at: float | None = None, tags: tuple[str, ...] = ()
) -> str:
    esc = html.escape
    meta = front_matter(article, saved_at, tags)
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(article.lang)}">' if article.lang else "<html>",
        '<head><meta charset="utf-8">',
        f"<title>{esc(meta['title'])}</title>",
    ]
    for key in ("url", "author", "published", "saved_at"):
        if meta[key]:
            head.append(f'<meta name="{key}" content="{esc(str(meta[key]))}">')
    if tags:
        head.append(f'<meta name="keywords" content="{esc(", ".join(tags))}">')
    body = [f"</head><body><article><h1>{esc(meta['title'])}</h1>"]
    body.append(f'<p><a href="{esc(article.url)}">{esc(article.url)}</a></p>')
    if article.lede:
        body.append(f"<p><strong>{esc(article.lede)}</strong></p>")
    tag = {"paragraph": "p", "list_item": "li", "quote": "blockquote", "pre": "pre"}
    in_list = False
    for block in article.blocks:
        if in_list != (block.kind == "list_item"):
            body.append("<ul>" if not in_list else "</ul>")
            in_list = not in_list
        if block.kind == "heading":
            level = max(2, min(block.level or 2, 6))
            body.append(f"<h{level}>{esc(block.text)}</h{level}>")
        elif block.kind == "caption":
            body.append(f"<p><em>{esc(block.text)}</em></p>")
        else:
            name = tag.get(block.kind, "p")
            body.append(f"<{name}>{esc(block.text)}</{name}>")
    if in_list:
        body.append("</ul>")
    if article.links:
        body.append("<h2>Links</h2><ol>")
        body += [  # only web and mail addresses are links: never javascript: or data:
            f'<li><a href="{esc(link.url)}">{esc(link.text or link.url)}</a></li>'
            if re.match(r"(?i)(https?|mailto):", link.url)
            else f"<li>{esc(link.text or link.url)} ({esc(link.url)})</li>"
            for link in article.links
        ]
        body.append("</ol>")
    body.append("</article></body></html>")
    return "\n".join(head + body) + "\n"


def article_export_json(
    article: Article, *, saved_at: float | None = None, tags: tuple[str, ...] = ()
) -> str:
    data = front_matter(article, saved_at, tags)
    data["site_name"] = article.site_name
    data["lede"] = article.lede
    data["blocks"] = [{"kind": b.kind, "text": b.text, "level": b.level} for b in article.blocks]
    data["links"] = [{"text": link.text, "url": link.url} for link in article.links]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


RENDERERS = {"markdown": article_markdown, "html": article_html, "json": article_export_json}


def safe_name(title: str, url: str) -> str:
    """A file name (without suffix) from `title`: letters and digits joined by dashes, at most
    NAME_LIMIT characters; the address's host and path when the title gives nothing."""

    def slug(text: str) -> str:
        text = unicodedata.normalize("NFKC", text).casefold()
        text = re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-_")
        if len(text) > NAME_LIMIT:
            text = text[:NAME_LIMIT].rsplit("-", 1)[0] or text[:NAME_LIMIT]
        return text

    name = slug(title) or slug(re.sub(r"^[a-z]+://", "", url)) or "article"
    if name.split(".")[0] in _RESERVED:
        name = f"article-{name}"
    return name


def write_export(folder: Path, name: str, suffix: str, text: str) -> Path:
    """Write `text` to folder/name+suffix atomically; a different file already there is kept
    and the new one gets -2, -3… (the same text again overwrites nothing)."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(1, 1000):
        path = folder / (f"{name}{suffix}" if n == 1 else f"{name}-{n}{suffix}")
        if path.exists():
            try:
                if path.read_text(encoding="utf-8") == text:
                    return path
            except (OSError, UnicodeDecodeError):
                pass
            continue
        temp = path.with_name(f".{path.name}.tmp")
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, path)
        return path
    raise OSError(f"too many files named {name}{suffix} in {folder}")
