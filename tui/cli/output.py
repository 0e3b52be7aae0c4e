"""What the subcommands print: articles and feeds as text, Markdown or JSON, summary lines,
progress, and one-line errors.

Everything printed comes from the models, whose fields were stripped of control and escape
characters when they were built, so no escape sequence from a page or feed reaches the user's
terminal; `err` cleans its line again, as it may quote anything.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from tui.core.sanitize import clean_line

if TYPE_CHECKING:
    from tui.core.models import Article, Episode, Feed, Image
    from tui.core.service import RefreshReport, StoryState


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def err(text: str) -> None:
    sys.stderr.write(f"broadsheet: {clean_line(text, 2000)}\n")


def progress(text: str) -> None:
    """A progress line on stderr, rewritten in place; only on a terminal."""
    if sys.stderr.isatty():
        sys.stderr.write(f"\r{text}")
        sys.stderr.flush()


def end_progress() -> None:
    if sys.stderr.isatty():
        sys.stderr.write("\n")


# -- articles -------------------------------------------------------------------------------------


def episode_json(episode: Episode) -> dict[str, Any]:
    return {
        "title": episode.title,
        "url": episode.url,
        "duration_seconds": episode.duration_seconds,
        "duration": episode.duration,
        "estimated": episode.estimated,
        "chapters": [{"start": c.start, "title": c.title} for c in episode.chapters],
        "chapters_url": episode.chapters_url or None,
        "transcript_url": episode.transcript_url or None,
    }


def article_json(article: Article) -> dict[str, Any]:
    return {
        "url": article.url,
        "title": article.title,
        "byline": article.byline,
        "published": article.published,
        "site_name": article.site_name,
        "lang": article.lang,
        "lede": article.lede,
        "text": article.text,
        "links": [{"text": link.text, "url": link.url} for link in article.links],
        "episodes": [episode_json(e) for e in article.episodes],
        "images": [image_json(image) for image in article_images(article)],
        "source": article.source,
    }


def article_images(article: Article) -> list[Image]:
    """The lead image (unless it is also a figure of the body), then the figures in order."""
    lead = article.lead_image
    if lead is not None and all(image.url != lead.url for image in article.images):
        return [lead, *article.images]
    return list(article.images)


def image_json(image: Image) -> dict[str, Any]:
    return {
        "url": image.url,
        "alt": image.alt,
        "caption": image.caption,
        "width": image.width,
        "height": image.height,
    }


def markdown_image(image: Image) -> str:
    """`![alt](url)`, the alt text's brackets escaped and an awkward URL in angle brackets."""
    alt = image.alt.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    url = image.url
    if any(c in url for c in " ()<>"):
        url = "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return f"![{alt}]({url})"


def article_text(article: Article, markdown: bool = False) -> str:
    lines: list[str] = []
    title = article.title or article.url
    lines.append(f"# {title}" if markdown else title)
    meta = " · ".join(
        x for x in (article.site_name, article.byline, (article.published or "")[:10]) if x
    )
    if meta:
        lines.append(f"*{meta}*" if markdown else meta)
    lines.append("")
    if article.lede:
        lines += [f"**{article.lede}**" if markdown else article.lede, ""]
    figures: dict[int, list[Image]] = {}
    if markdown:
        lead = article.lead_image
        if lead is not None and all(image.url != lead.url for image in article.images):
            lines += [markdown_image(lead), ""]
        for image in article.images:
            figures.setdefault(min(max(image.position, 0), len(article.blocks)), []).append(image)
    for index, block in enumerate(article.blocks):
        for image in figures.pop(index, ()):
            lines += [markdown_image(image), ""]
        if not markdown:
            lines += [block.text, ""]
        elif block.kind == "heading":
            lines += [f"{'#' * max(2, min(block.level or 2, 6))} {block.text}", ""]
        elif block.kind == "list_item":
            lines.append(f"- {block.text}")
        elif block.kind == "quote":
            lines += [f"> {block.text}", ""]
        elif block.kind == "pre":
            lines += ["```", block.text, "```", ""]
        elif block.kind == "caption":
            lines += [f"*{block.text}*", ""]
        else:
            lines += [block.text, ""]
    for image in figures.pop(len(article.blocks), ()):
        lines += [markdown_image(image), ""]
    if article.links:
        lines += ["## Links" if markdown else "Links", ""]
        lines += [f"[{n}] {link.text} <{link.url}>" for n, link in enumerate(article.links, 1)]
        lines.append("")
    if article.episodes:
        lines += ["## Episodes" if markdown else "Episodes", ""]
        lines += [f"{e.duration or '—':>8}  {e.title}  <{e.url}>" for e in article.episodes]
        lines.append("")
    if article.source == "summary":
        lines.append("(summary only: the page had no readable article)")
    return "\n".join(lines).rstrip() + "\n"


# -- feeds ----------------------------------------------------------------------------------------


def feed_json(feed: Feed) -> dict[str, Any]:
    return {
        "url": feed.url,
        "title": feed.title,
        "site_url": feed.site_url,
        "entries": [
            {
                "id": e.id,
                "title": e.title,
                "url": e.url,
                "published": e.published,
                "summary": e.summary,
                "episodes": [episode_json(ep) for ep in e.episodes],
            }
            for e in feed.entries
        ],
    }


def feed_text(feed: Feed) -> str:
    lines = [feed.title]
    if feed.site_url:
        lines.append(feed.site_url)
    lines.append("")
    for entry in feed.entries:
        when = (entry.published or "")[:10]
        lengths = " ".join(f"[{ep.duration or '—'}]" for ep in entry.episodes)
        lines.append(f"{when:10}  {entry.title} {lengths}".rstrip())
        if entry.url:
            lines.append(f"{'':10}  {entry.url}")
    return "\n".join(lines) + "\n"


def refresh_summary(report: RefreshReport) -> str:
    """One line: what a refresh did, what failed and how many feeds were not due."""
    failed = len(report.failures)
    total = len(report.statuses)
    return (
        f"Refreshed {total - failed} of {total} feeds in {report.seconds:.1f} s: "
        f"{report.new_entries} new entries, {failed} failed, "
        f"{report.not_due} skipped as not due."
    )


# -- stories --------------------------------------------------------------------------------------


def story_json(story: StoryState) -> dict[str, Any]:
    entry = story.entry
    return {
        "id": entry.id,
        "feed_url": entry.feed_url,
        "title": entry.title,
        "url": entry.url,
        "published": entry.published,
        "read": story.read,
        "starred": story.starred,
        "offline": story.offline,
        **(_saved_fields(story) if story.saved_at is not None else {}),
    }


def _saved_fields(story: StoryState) -> dict[str, Any]:
    from datetime import UTC, datetime

    when = datetime.fromtimestamp(story.saved_at or 0, UTC).isoformat(timespec="seconds")
    return {"saved_at": when, "tags": list(story.tags)}


def story_text(story: StoryState) -> str:
    """One line: read state, star, date, title and address."""
    entry = story.entry
    flags = ("  " if story.read else "● ") + ("★ " if story.starred else "  ")
    when = (entry.published or "")[:10]
    return f"{flags}{when:10}  {entry.title}  {entry.url or ''}".rstrip()
