"""An episode's page in the reader: its show notes (the story's page, cleaned like any page, or
the feed's notes when the link is the audio itself or missing), then an "Episode" section with
each episode's length, its chapters with their start times, and a numbered link to its
transcript (1–9 follow it; the transcript opens from the cache when it was fetched)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from tui.core.durations import format_duration
from tui.core.models import Article, Block, Chapter, Episode, Link

MAX_CHAPTER_ROWS = 200


def link_is_audio(url: str | None, episodes: Sequence[Episode]) -> bool:
    """True when the story's link is one of its audio files (no page to fetch there)."""
    return bool(url) and any(url == e.url for e in episodes)


def with_episodes(
    article: Article,
    episodes: Sequence[Episode],
    chapters: dict[str, tuple[Chapter, ...]],
) -> Article:
    """`article` with the Episode section after its text."""
    if not episodes:
        return article
    blocks = [*article.blocks, Block("heading", "Episode", level=2)]
    links = list(article.links)
    for episode in episodes:
        length = episode.duration or "unknown"
        if episode.estimated and episode.duration:
            length = f"≈{length}"
        parts = [episode.title if len(episodes) > 1 else "", f"Length {length}"]
        own = chapters.get(episode.url, ())
        if own:
            parts.append(f"{len(own)} chapters")
        blocks.append(Block("paragraph", " · ".join(p for p in parts if p)))
        for chapter in own[:MAX_CHAPTER_ROWS]:
            start = format_duration(int(chapter.start)) or "0:00"
            blocks.append(Block("list_item", f"{start}  {chapter.title}"))
        if episode.transcript_url:
            links.append(Link(f"Transcript: {episode.title}", episode.transcript_url))
            blocks.append(
                Block("paragraph", f"Transcript: link [{len(links)}] (or T in the podcast sidebar)")
            )
    known = {e.url for e in article.episodes}
    more = tuple(e for e in episodes if e.url not in known)
    return replace(
        article, blocks=tuple(blocks), links=tuple(links), episodes=(*more, *article.episodes)
    )
