"""The data the core hands out: frozen, slotted dataclasses of plain values.

Every text field is cleaned of terminal controls when a model is built (`__post_init__`), so
whatever reaches the UI, the CLI or the cache through these types is safe to print.
Models are converted to and from plain dicts (`to_dict` / `from_dict`) for the cache: the cache
never pickles our classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal

from tui.core.durations import format_duration
from tui.core.sanitize import clean_line, clean_text

BlockKind = Literal["heading", "paragraph", "list_item", "quote", "caption", "pre"]
ArticleSource = Literal["article", "relaxed", "longest", "summary", "failed"]

TITLE_LIMIT = 500
TEXT_LIMIT = 200_000
URL_LIMIT = 4096


def _is_clean_line(value: object, limit: int) -> bool:
    """Whether clean_line(value, limit) would give `value` back unchanged: a str, printable (so
    no control, and no white space but the plain space), no run of spaces, no space at either
    end, not over `limit`. Most fields are such text, and this test is cheaper than
    clean_line's search and substitution."""
    return (
        isinstance(value, str)
        and len(value) <= limit
        and value.isprintable()
        and "  " not in value
        and value[:1] != " "
        and value[-1:] != " "
    )


def _clean_fields(obj: object, lines: tuple[str, ...], texts: tuple[str, ...] = ()) -> None:
    """Clean the named str fields of a frozen dataclass in place (one-line or multi-line text)."""
    for name in lines:
        value = getattr(obj, name)
        if value is not None:
            limit = URL_LIMIT if name.endswith("url") else TITLE_LIMIT
            if not _is_clean_line(value, limit):
                object.__setattr__(obj, name, clean_line(value, limit))
    for name in texts:
        value = getattr(obj, name)
        if value is not None:
            cleaned = clean_text(value)
            object.__setattr__(obj, name, cleaned[:TEXT_LIMIT])


@dataclass(frozen=True, slots=True)
class Link:
    """A link found in an article: its visible text and absolute URL."""

    text: str
    url: str

    def __post_init__(self) -> None:
        # Both fields tested here first (the test _clean_fields makes for each): most links
        # are clean text, and the generic loop over the field names costs more than the test.
        if not (_is_clean_line(self.text, TITLE_LIMIT) and _is_clean_line(self.url, URL_LIMIT)):
            _clean_fields(self, ("text", "url"))


@dataclass(frozen=True, slots=True)
class Block:
    """One block of an article body. `level` is the heading level (1-6) or 0."""

    kind: BlockKind
    text: str
    level: int = 0

    def __post_init__(self) -> None:
        text = self.text
        # Printable text holds no control of any kind (they are all unprintable): nothing to
        # clean. Most blocks are such text, and this test is cheaper than clean_text's search.
        if text is not None and not (len(text) <= TEXT_LIMIT and text.isprintable()):
            _clean_fields(self, (), ("text",))


@dataclass(frozen=True, slots=True)
class Image:
    """A picture of an article: its absolute http(s) URL, alt text and caption, the size the page
    gave (None when it gave none), and `position`: the index of the body block it comes before
    (len(blocks) for after the last one)."""

    url: str
    alt: str = ""
    caption: str = ""
    width: int | None = None
    height: int | None = None
    position: int = 0

    def __post_init__(self) -> None:
        # The three fields tested here first (the test _clean_fields makes for each; an empty
        # alt or caption, the most common, passes it at once): cheaper than the generic loop.
        if not (
            _is_clean_line(self.url, URL_LIMIT)
            and (self.alt == "" or _is_clean_line(self.alt, TITLE_LIMIT))
            and (self.caption == "" or _is_clean_line(self.caption, TITLE_LIMIT))
        ):
            _clean_fields(self, ("url", "alt", "caption"))

    def to_dict(self) -> dict[str, Any]:
        return _to_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Image:
        return _from_dict(cls, data)


@dataclass(frozen=True, slots=True)
class Picture:
    """An image ready to draw: `data` is a small JPEG (resized and compressed when it was
    stored), `width`/`height` its pixels; or, when it cannot be shown, `data` is empty and
    `reason` says why in plain words."""

    url: str
    data: bytes = b""
    width: int = 0
    height: int = 0
    reason: str = ""

    def __post_init__(self) -> None:
        _clean_fields(self, ("url", "reason"))


@dataclass(frozen=True, slots=True)
class Chapter:
    """A chapter of an episode: where it starts (seconds) and its title."""

    start: float
    title: str

    def __post_init__(self) -> None:
        _clean_fields(self, ("title",))


@dataclass(frozen=True, slots=True)
class Episode:
    """A piece of audio: from a podcast feed's enclosure or a player inside an article page."""

    title: str
    url: str
    duration_seconds: int | None = None
    estimated: bool = False  # True when the length was measured from the file, not given
    published: str | None = None  # ISO 8601
    feed_title: str = ""
    mime_type: str = ""
    size_bytes: int | None = None
    chapters: tuple[Chapter, ...] = ()  # given in the feed (Podlove Simple Chapters)
    chapters_url: str = ""  # podcast:chapters (a JSON file)
    transcript_url: str = ""  # podcast:transcript
    transcript_type: str = ""  # its MIME type, as the feed gave it
    page_url: str = ""  # the feed item's link: the story this episode belongs to

    def __post_init__(self) -> None:
        _clean_fields(
            self,
            (
                "title",
                "url",
                "published",
                "feed_title",
                "mime_type",
                "chapters_url",
                "transcript_url",
                "transcript_type",
                "page_url",
            ),
        )

    @property
    def duration(self) -> str | None:
        """The display form: 42:09, 1:02:03, or None when unknown."""
        return format_duration(self.duration_seconds)

    def to_dict(self) -> dict[str, Any]:
        data = _to_dict(self)
        data["chapters"] = [[c.start, c.title] for c in self.chapters]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Episode:
        data = dict(data)
        chapters = []
        for item in data.get("chapters") or ():
            if isinstance(item, list | tuple) and len(item) == 2:
                start, title = item
                if isinstance(start, int | float) and isinstance(title, str):
                    chapters.append(Chapter(float(start), title))
        data["chapters"] = tuple(chapters)
        return _from_dict(cls, data)


@dataclass(frozen=True, slots=True)
class Article:
    """A clean article extracted from a page (or, failing that, a feed's summary)."""

    url: str
    title: str = ""
    byline: str | None = None
    published: str | None = None  # ISO 8601
    site_name: str | None = None
    lang: str | None = None
    lede: str | None = None
    blocks: tuple[Block, ...] = ()
    links: tuple[Link, ...] = ()
    episodes: tuple[Episode, ...] = ()
    source: ArticleSource = "article"
    error: str | None = None  # why the text is empty or only a summary, in plain words
    images: tuple[Image, ...] = ()  # the figures of the body, in order
    lead_image: Image | None = None  # the page's own picture (og:image, JSON-LD, first large one)

    def __post_init__(self) -> None:
        _clean_fields(
            self, ("url", "title", "byline", "published", "site_name", "lang", "error"), ("lede",)
        )

    @property
    def text(self) -> str:
        """The body as plain text, paragraphs separated by one blank line."""
        return "\n\n".join(block.text for block in self.blocks if block.text)

    @property
    def word_count(self) -> int:
        return sum(len(block.text.split()) for block in self.blocks)

    @property
    def reading_minutes(self) -> int:
        """Reading time at 230 words a minute, at least one minute for any text."""
        words = self.word_count
        return max(1, round(words / 230)) if words else 0

    def to_dict(self) -> dict[str, Any]:
        data = _to_dict(self)
        data["blocks"] = [[b.kind, b.text, b.level] for b in self.blocks]
        data["links"] = [[link.text, link.url] for link in self.links]
        data["episodes"] = [episode.to_dict() for episode in self.episodes]
        data["images"] = [image.to_dict() for image in self.images]
        data["lead_image"] = self.lead_image.to_dict() if self.lead_image else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        data = dict(data)
        data["blocks"] = tuple(
            Block(kind, text, level) for kind, text, level in data.get("blocks", ())
        )
        data["links"] = tuple(Link(text, url) for text, url in data.get("links", ()))
        data["episodes"] = tuple(Episode.from_dict(e) for e in data.get("episodes", ()))
        data["images"] = tuple(Image.from_dict(i) for i in data.get("images", ()) or ())
        lead = data.get("lead_image")
        data["lead_image"] = Image.from_dict(lead) if isinstance(lead, dict) else None
        return _from_dict(cls, data)


@dataclass(frozen=True, slots=True)
class Entry:
    """One item of a feed. `id` is stable across refreshes (guid, else link, else a hash)."""

    id: str
    feed_url: str
    title: str
    url: str | None = None
    published: str | None = None  # ISO 8601, UTC where the feed gave a zone
    summary: str = ""  # plain text
    author: str | None = None
    content_html: str | None = (
        None  # full HTML content from the feed (content:encoded, Atom content)
    )
    episodes: tuple[Episode, ...] = ()

    def __post_init__(self) -> None:
        _clean_fields(self, ("id", "feed_url", "title", "url", "published", "author"), ("summary",))

    def to_dict(self) -> dict[str, Any]:
        data = _to_dict(self)
        data["episodes"] = [episode.to_dict() for episode in self.episodes]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entry:
        data = dict(data)
        data["episodes"] = tuple(Episode.from_dict(e) for e in data.get("episodes", ()))
        return _from_dict(cls, data)


@dataclass(frozen=True, slots=True)
class Feed:
    """A parsed feed: its own metadata and its entries, newest first."""

    url: str
    title: str
    site_url: str | None = None
    description: str = ""
    entries: tuple[Entry, ...] = field(default_factory=tuple)
    is_podcast: bool = False

    def __post_init__(self) -> None:
        _clean_fields(self, ("url", "title", "site_url", "description"))

    def to_dict(self) -> dict[str, Any]:
        data = _to_dict(self)
        data["entries"] = [entry.to_dict() for entry in self.entries]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Feed:
        data = dict(data)
        data["entries"] = tuple(Entry.from_dict(e) for e in data.get("entries", ()))
        return _from_dict(cls, data)


def _to_dict(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


def _from_dict(cls: Any, data: dict[str, Any]) -> Any:
    """Build `cls` from a dict, ignoring keys it does not know (a newer or older cache schema)."""
    known = {f.name for f in fields(cls)}
    return cls(**{key: value for key, value in data.items() if key in known})


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A completed download: the final URL (after redirects), the decoded-transfer body, validators.

    `not_modified` is True for a 304 answer to a conditional GET; `body` is then empty and the
    caller reuses its stored copy.
    """

    url: str
    status: int
    body: bytes
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    fetched_at: float = 0.0


@dataclass(frozen=True, slots=True)
class EpisodeMark:
    """How far the user got in one episode: played to the end, or stopped at `seconds`."""

    played: bool = False
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class Subscription:
    """One feed the user follows, as the config file lists it."""

    url: str
    title: str | None = None
    folder: str | None = None
    refresh_minutes: int | None = None  # None: the global setting
    fetch_full: bool = True  # fetch and extract the article page, or show the feed's content
    tags: tuple[str, ...] = ()
    # A feed behind a login (sent to the feed's own origin only; never shown, logged or cached):
    username: str | None = field(default=None, repr=False)  # HTTP Basic, with password_command
    password_command: tuple[str, ...] = field(default=(), repr=False)  # argument list, no shell
    headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)  # e.g. a token
    cookies: str | None = field(default=None, repr=False)  # a Netscape cookie file

    @property
    def has_login(self) -> bool:
        return bool(self.username or self.headers or self.cookies)

    @property
    def labels(self) -> tuple[str, ...]:
        """The folder and the tags: the names this feed can be viewed under (`t` in the app)."""
        names = (self.folder, *self.tags) if self.folder else self.tags
        return tuple(dict.fromkeys(name for name in names if name))


@dataclass(frozen=True, slots=True)
class ArticleResult:
    """An article and how it was obtained: `notice` is a plain sentence for the status bar."""

    article: Article
    from_cache: bool = False
    notice: str | None = None
