"""Audio in an article page → Episodes.

Read before cleaning (the cleaner drops players). Sources: `<audio src>` / `<source src>` with
the player's visible time displays ("0:00" elapsed and "42:9" length: the length is the non-zero
one) or a data-duration attribute; JSON-LD AudioObject / PodcastEpisode (ISO 8601 durations);
OpenGraph og:audio.
"""

from __future__ import annotations

import re
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tui.core.durations import parse_duration
from tui.core.extract.jsonld import as_text
from tui.core.extract.metadata import Metadata
from tui.core.extract.text import fold_spaces
from tui.core.extract.urls import join
from tui.core.models import Episode

MAX_EPISODES = 50
PLAYER_LEVELS = 5  # how far up from <audio> to look for the player's title and time display
_CLOCK = re.compile(r"^\d{1,3}:\d{1,2}(?::\d{1,2})?$")
_TITLE_SELECTOR = (
    '[class*="title" i], [class*="name" i], [class*="heading" i], h2, h3, h4, h5, figcaption, '
    "strong"
)
_AUDIO_TYPES = ("AudioObject", "PodcastEpisode", "Episode", "RadioEpisode")


def _absolute(base: str | None, src: str | None) -> str | None:
    if not src:
        return None
    try:
        url = join(base or "", src.strip())
    except ValueError:
        return None  # an address urllib cannot read ("//[x"): no episode, not a failed page
    return url if url.lower().startswith(("http://", "https://")) else None


def _player(audio: LexborNode) -> LexborNode:
    """The largest ancestor of `audio` (within a few levels) that holds no other audio."""
    player = audio
    parent = audio.parent
    for _ in range(PLAYER_LEVELS):
        if parent is None or parent.tag in ("body", "html", None):
            break
        if len(parent.css("audio")) > 1:
            break
        player = parent
        parent = parent.parent
    return player


def _player_length(player: LexborNode, audio: LexborNode) -> int | None:
    for attr in ("data-duration", "duration", "data-length"):
        seconds = parse_duration(audio.attrs.get(attr) or player.attrs.get(attr))
        if seconds:
            return seconds
    lengths = []
    for node in player.css("span, time, div, p, small, b"):
        text = node.text_lexbor().strip()
        if len(text) <= 10 and _CLOCK.match(text):
            seconds = parse_duration(text)
            if seconds:
                lengths.append(seconds)
    return max(lengths) if lengths else None


def _player_title(player: LexborNode, audio: LexborNode, fallback: str) -> str:
    for attr in ("title", "aria-label", "data-title"):
        value = fold_spaces(audio.attrs.get(attr) or "")
        if value:
            return value
    for node in player.css(_TITLE_SELECTOR):
        text = fold_spaces(node.text_lexbor())
        if text and not _CLOCK.match(text) and len(text) < 300:
            return text
    return fallback


def _from_players(
    tree: LexborHTMLParser, base: str | None, fallback: str, audios: list[LexborNode] | None
) -> list[Episode]:
    episodes = []
    for audio in (tree.css("audio") if audios is None else audios)[:MAX_EPISODES]:
        src = audio.attrs.get("src")
        mime = audio.attrs.get("type") or ""
        if not src:
            source = audio.css_first("source[src]")
            if source is not None:
                src = source.attrs.get("src")
                mime = source.attrs.get("type") or ""
        url = _absolute(base, src)
        if url is None:
            continue
        player = _player(audio)
        episodes.append(
            Episode(
                title=_player_title(player, audio, fallback),
                url=url,
                duration_seconds=_player_length(player, audio),
                mime_type=mime,
            )
        )
    return episodes


def _from_jsonld(info: Metadata, base: str | None) -> list[Episode]:
    episodes = []
    for kinds, obj in info.jsonld:
        if not any(kind in _AUDIO_TYPES for kind in kinds):
            continue
        media: Any = obj.get("associatedMedia") or obj.get("audio") or obj
        if isinstance(media, list):
            media = media[0] if media and isinstance(media[0], dict) else {}
        if not isinstance(media, dict):
            continue
        url = _absolute(base, as_text(media.get("contentUrl")) or as_text(obj.get("contentUrl")))
        if url is None:
            continue
        duration = parse_duration(
            media.get("duration") or obj.get("duration") or obj.get("timeRequired")
        )
        episodes.append(
            Episode(
                title=fold_spaces(
                    as_text(obj.get("name")) or as_text(obj.get("headline")) or info.title
                ),
                url=url,
                duration_seconds=duration,
                mime_type=as_text(media.get("encodingFormat")) or "",
                published=None,
            )
        )
    return episodes


def _from_opengraph(info: Metadata, base: str | None) -> list[Episode]:
    meta = info.meta
    url = _absolute(
        base, meta.get("og:audio:secure_url") or meta.get("og:audio") or meta.get("og:audio:url")
    )
    if url is None:
        return []
    return [
        Episode(
            title=fold_spaces(meta.get("og:audio:title") or info.title),
            url=url,
            mime_type=meta.get("og:audio:type") or "",
        )
    ]


def find_episodes(
    tree: LexborHTMLParser, info: Metadata, audios: list[LexborNode] | None = None
) -> tuple[Episode, ...]:
    """All distinct pieces of audio the page offers (first source of each URL wins). `audios`:
    the page's <audio> elements in document order, when they were listed already."""
    found: dict[str, Episode] = {}
    base = info.base_url
    for episode in (
        *_from_players(tree, base, info.title, audios),
        *_from_jsonld(info, base),
        *_from_opengraph(info, base),
    ):
        known = found.get(episode.url)
        if known is None:
            found[episode.url] = episode
        elif known.duration_seconds is None and episode.duration_seconds is not None:
            found[episode.url] = Episode(
                known.title, known.url, episode.duration_seconds, mime_type=known.mime_type
            )
        if len(found) >= MAX_EPISODES:
            break
    return tuple(found.values())
