"""Episode transcripts (`podcast:transcript`) made into an article for the reader.

Forms read: SRT, WebVTT (`<v Speaker>` voice tags), the podcast namespace JSON
(`{"segments": [{"speaker", "startTime", "body"}]}`), HTML and plain text. The form is told by
the declared type, else by the body (WEBVTT header, a JSON object, a cue timing line, tags).
Timed cues are merged into paragraphs: a new paragraph when the speaker changes, after a pause
of PAUSE_SECONDS, or once a paragraph is long and a sentence ends. Each timed paragraph starts
with its time ("[12:05]") and speaker, so both survive as plain text.

Untrusted throughout: bytes are decoded by BOM, declared charset or detection (never an error),
markup in cues is dropped, terminal controls are cleaned by the models, and the work is bounded
(MAX_BYTES of input is checked by the caller's fetch; at most MAX_CUES cues and MAX_CHARS of
text are kept, with a last paragraph saying the rest was cut).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

from tui.core.charset import decode_html, looks_binary, usable_encoding
from tui.core.durations import MAX_SECONDS, format_duration
from tui.core.feeds.text import html_to_text
from tui.core.models import Article, Block

MAX_BYTES = 5_000_000
MAX_CUES = 60_000
MAX_CHARS = 1_500_000
PAUSE_SECONDS = 3.0
LONG_PARAGRAPH = 500

_TIMING = re.compile(
    r"^\s*((?:\d{1,3}:)?\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?)\s*-->\s*"
    r"((?:\d{1,3}:)?\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?)"
)
_VOICE = re.compile(r"<v(?:\.[\w.-]*)?\s+([^>]{1,100})>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]{0,200}>")
_SPEAKER_PREFIX = re.compile(r"^([A-Z][\w .'-]{0,40}):\s+(.*)$", re.DOTALL)


class TranscriptError(ValueError):
    """A transcript that cannot be read; the message is the reason, for the user."""


@dataclass(slots=True)
class Cue:
    start: float | None
    speaker: str
    text: str


def clock(text: str) -> float:
    """Seconds from a cue time: "01:02:03,500", "02:03.5", "1:02:03"."""
    parts = text.replace(",", ".").split(":")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return seconds


def detect_form(body: str, declared: str = "") -> str:
    """One of "vtt", "srt", "json", "html", "text"."""
    kind = declared.split(";", 1)[0].strip().lower()
    known = {
        "text/vtt": "vtt",
        "application/x-subrip": "srt",
        "application/srt": "srt",
        "text/srt": "srt",
        "application/json": "json",
        "text/html": "html",
        "text/plain": "text",
    }
    head = body.lstrip()[:2000]
    if head.startswith("WEBVTT"):
        return "vtt"
    if kind in ("", "text/plain", "application/octet-stream"):
        if head.startswith("{"):
            return "json"
        if any(_TIMING.match(line) for line in head.splitlines()[:6]):
            return "srt"
        if kind == "" and re.search(r"<(p|div|html|body|span)\b", head, re.IGNORECASE):
            return "html"
    return known.get(kind, "text")


def read_cues(body: str) -> list[Cue]:
    """Cues of an SRT or WebVTT file (both: blocks split by blank lines, one timing line each)."""
    cues: list[Cue] = []
    for block in re.split(r"\n[ \t]*\n", body.replace("\r\n", "\n").replace("\r", "\n")):
        if len(cues) >= MAX_CUES:
            break
        lines = block.strip("\n").split("\n")
        at = next((n for n, line in enumerate(lines[:3]) if _TIMING.match(line)), None)
        if at is None:
            continue  # a header, NOTE, STYLE, REGION or junk block
        timing = _TIMING.match(lines[at])
        assert timing is not None
        try:
            start = _start(clock(timing.group(1)))  # a time no episode reaches: untimed
        except ValueError:
            continue
        raw = " ".join(lines[at + 1 :])
        voice = _VOICE.search(raw)
        speaker = html.unescape(voice.group(1)).strip() if voice else ""
        text = " ".join(html.unescape(_TAG.sub("", raw)).split())
        if not speaker and (prefixed := _SPEAKER_PREFIX.match(text)):
            speaker, text = prefixed.group(1).strip(), prefixed.group(2)
        if text:
            cues.append(Cue(start, speaker, text))
    return cues


def read_json(body: str) -> list[Cue]:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise TranscriptError("the transcript is not JSON") from exc
    segments = data.get("segments") if isinstance(data, dict) else None
    if not isinstance(segments, list):
        raise TranscriptError("the JSON transcript has no segments")
    cues = []
    for segment in segments[:MAX_CUES]:
        if not isinstance(segment, dict) or not isinstance(segment.get("body"), str):
            continue
        start = _start(segment.get("startTime"))
        speaker = segment.get("speaker")
        text = " ".join(_TAG.sub("", segment["body"]).split())
        if text:
            cues.append(Cue(start, speaker if isinstance(speaker, str) else "", text))
    return cues


def _start(value: object) -> float | None:
    """A JSON segment's start in seconds: a number within an episode's reach (0 to a week),
    else None (untimed). NaN, infinities and absurd times would break the "[m:ss]" shown."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    start = float(value)
    return start if 0 <= start <= MAX_SECONDS else None  # (NaN compares false)


def paragraphs(cues: list[Cue]) -> list[str]:
    """Cues merged into paragraphs, each timed one led by "[m:ss] Speaker:"."""
    out: list[str] = []
    current: list[str] = []
    head = ""
    last: Cue | None = None
    length = 0
    for cue in cues:
        gap = (
            cue.start is not None
            and last is not None
            and last.start is not None
            and cue.start - last.start > PAUSE_SECONDS + len(last.text) / 10
        )
        sentence_end = bool(current) and current[-1].endswith((".", "?", "!", "…"))
        new = (
            last is None
            or (cue.speaker and cue.speaker != last.speaker)
            or gap
            or (length > LONG_PARAGRAPH and sentence_end)
        )
        if new and current:
            out.append(head + " ".join(current))
            current, length = [], 0
        if new:
            when = (
                f"[{format_duration(int(cue.start)) or '0:00'}] " if cue.start is not None else ""
            )
            who = f"{cue.speaker}: " if cue.speaker else ""
            head = when + who
        elif cue.speaker and last is not None and not last.speaker:
            head += f"{cue.speaker}: "
        current.append(cue.text)
        length += len(cue.text)
        last = cue if cue.speaker or last is None else Cue(cue.start, last.speaker, cue.text)
    if current:
        out.append(head + " ".join(current))
    return out


def decode(body: bytes, content_type: str | None) -> str:
    """Text of a transcript: by its BOM or declared charset (as a page would be), else UTF-8,
    else Windows-1252 — what transcripts that are not UTF-8 nearly always are (a statistical
    guess misreads short texts). Never raises: undecodable bytes become U+FFFD."""
    declared = re.search(r"charset=([\w.:-]+)", content_type or "", re.IGNORECASE)
    if body.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or (
        declared and usable_encoding(declared.group(1))
    ):
        return decode_html(body, content_type)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace")


def transcript_article(
    body: bytes,
    url: str,
    *,
    declared: str = "",
    content_type: str | None = None,
    title: str = "",
) -> Article:
    """The transcript as an article (source "article", one paragraph block per paragraph).

    Raises TranscriptError when there is nothing readable in it.
    """
    if len(body) > MAX_BYTES:
        raise TranscriptError(f"the transcript is larger than {MAX_BYTES // 1_000_000} MB")
    text = decode(body, content_type)
    if looks_binary(text, body):
        raise TranscriptError("the transcript is not text")
    form = detect_form(text, declared or (content_type or ""))
    if form in ("srt", "vtt"):
        found = paragraphs(read_cues(text))
    elif form == "json":
        found = paragraphs(read_json(text))
    elif form == "html":
        found = html_to_text(text, limit=MAX_CHARS).split("\n\n")
    else:
        found = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text[: MAX_CHARS * 2])]
    kept: list[str] = []
    total = 0
    for paragraph in found:
        if not paragraph.strip():
            continue
        if total + len(paragraph) > MAX_CHARS:
            kept.append("[The rest of this transcript was cut: it is too long to show.]")
            break
        kept.append(paragraph)
        total += len(paragraph)
    if not kept:
        raise TranscriptError("the transcript has no text")
    heading = f"Transcript: {title}" if title else "Transcript"
    return Article(
        url=url, title=heading, blocks=tuple(Block("paragraph", p) for p in kept), source="article"
    )


_LEADING_TIME = re.compile(r"^\[((?:\d+:)?\d{1,2}:\d{2})\]")


def paragraph_start(text: str) -> float | None:
    """The start (seconds) a transcript paragraph leads with ("[12:05] …"), None without one."""
    match = _LEADING_TIME.match(text)
    return clock(match.group(1)) if match else None
