"""Synthetic RSS feeds and a loopback server for them, for the refresh bench.

`FeedSet` builds N RSS 2.0 feeds of M items shaped like real news feeds (title, link, guid,
pubDate, an HTML description and a few KB of content:encoded per item). `bump()` publishes a new
"generation": every feed gains new items at the top, drops as many at the bottom, and gets a new
ETag and Last-Modified, so a refresh after it must re-download everything.

`FeedServer` serves a FeedSet from a ThreadingHTTPServer on 127.0.0.1 (port chosen by the OS) in a
background thread, answering conditional requests (If-None-Match, If-Modified-Since) with 304 the
way a well-behaved feed host does. It counts 200s and 304s so the bench can check that each
scenario really did what it claims (all re-downloaded, or all not-modified).
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

from bench.feedparse import WORDS

_WORDS = WORDS  # one vocabulary for every generated feed
_BASE_TIME = 1_750_000_000  # a fixed epoch, so feeds are reproducible run to run
_NEW_PER_GENERATION = 10  # items a bump publishes per feed


def _sentence(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(low, high))).capitalize() + "."


def _paragraph_pool(rng: random.Random, size: int = 400) -> list[str]:
    """Ready-made HTML paragraphs; items draw from them so generating 1,000 feeds stays fast."""
    return [
        f'<p>{_sentence(rng, 25, 50)} <a href="/story/{n}">{rng.choice(_WORDS)}</a> '
        f"<em>{_sentence(rng, 4, 9)}</em> {_sentence(rng, 15, 35)}</p>"
        for n in range(size)
    ]


def make_item(feed: int, serial: int, rng: random.Random, pool: list[str]) -> str:
    """One <item>: serial numbers only grow, so an item's guid never changes meaning."""
    published = time.gmtime(_BASE_TIME + serial * 600)
    content = "".join(rng.choice(pool) for _ in range(rng.randint(4, 8)))  # ~2-5 KB
    return (
        "<item>"
        f"<title>{_sentence(rng, 5, 12)} &#8211; report {serial}</title>"
        f"<link>https://news{feed}.example.org/story/{serial}</link>"
        f'<guid isPermaLink="false">news{feed}-{serial}</guid>'
        f"<pubDate>{time.strftime('%a, %d %b %Y %H:%M:%S +0000', published)}</pubDate>"
        f"<description>&lt;p&gt;{_sentence(rng, 20, 45)}&lt;/p&gt;</description>"
        f"<content:encoded><![CDATA[{content}]]></content:encoded>"
        "</item>"
    )


@dataclass(frozen=True, slots=True)
class ServedFeed:
    """One feed as the server holds it: the body and its validators."""

    body: bytes
    etag: str
    last_modified: str  # an HTTP date
    modified_at: float  # the same instant, as a POSIX time, for If-Modified-Since


class FeedSet:
    """`feeds` feeds of `items` items each, at some generation; thread-safe to read."""

    def __init__(self, feeds: int = 100, items: int = 50, seed: int = 11) -> None:
        self.count = feeds
        self.items = items
        self.generation = 0
        self._rng = random.Random(seed)
        self._pool = _paragraph_pool(self._rng)
        # Each feed keeps its item strings newest first; a bump prepends, never rebuilds.
        self._items: list[list[str]] = [
            [make_item(n, serial, self._rng, self._pool) for serial in range(items - 1, -1, -1)]
            for n in range(feeds)
        ]
        self._served: list[ServedFeed] = []
        self._lock = threading.Lock()
        self._render()

    def path(self, number: int) -> str:
        return f"/feeds/{number}.xml"

    def get(self, path: str) -> ServedFeed | None:
        """The served feed at a URL path, or None."""
        if not (path.startswith("/feeds/") and path.endswith(".xml")):
            return None
        try:
            number = int(path[len("/feeds/") : -len(".xml")])
        except ValueError:
            return None
        with self._lock:
            return self._served[number] if 0 <= number < len(self._served) else None

    def bump(self) -> None:
        """Publish a new generation: new items, new content, new ETag and Last-Modified everywhere."""
        self.generation += 1
        first = self.items + (self.generation - 1) * _NEW_PER_GENERATION
        for n, items in enumerate(self._items):
            fresh = [
                make_item(n, serial, self._rng, self._pool)
                for serial in range(first + _NEW_PER_GENERATION - 1, first - 1, -1)
            ]
            self._items[n] = (fresh + items)[: self.items]
        self._render()

    def total_bytes(self) -> int:
        with self._lock:
            return sum(len(f.body) for f in self._served)

    def _render(self) -> None:
        # Whole seconds, and later than any earlier generation, so If-Modified-Since works.
        stamp = float(int(time.time()) + self.generation)
        http_date = format_datetime(datetime.fromtimestamp(stamp, UTC), usegmt=True)
        served = []
        for n, items in enumerate(self._items):
            head = (
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
                f"<channel><title>Bench feed {n} &amp; friends</title>"
                f"<link>https://news{n}.example.org/</link>"
                f"<description>Generated feed number {n}.</description>"
            )
            body = (head + "\n".join(items) + "</channel></rss>\n").encode("utf-8")
            served.append(ServedFeed(body, f'"f{n}-g{self.generation}"', http_date, stamp))
        with self._lock:
            self._served = served


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive, as real feed hosts offer

    def do_GET(self) -> None:
        feed = self.server.feeds.get(self.path.split("?", 1)[0])
        if feed is None:
            self._send(404, b"not found\n", {"Content-Type": "text/plain"})
            return
        headers = {"ETag": feed.etag, "Last-Modified": feed.last_modified}
        if self._not_modified(feed):
            self.server.count("not_modified")
            self._send(304, b"", headers)
            return
        self.server.count("ok")
        headers["Content-Type"] = "application/rss+xml; charset=utf-8"
        self._send(200, feed.body, headers)

    def _not_modified(self, feed: ServedFeed) -> bool:
        # RFC 9110: If-None-Match wins when present; If-Modified-Since only without it.
        tags = self.headers.get("If-None-Match")
        if tags is not None:
            return feed.etag in (t.strip() for t in tags.split(",")) or tags.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return parsedate_to_datetime(since).timestamp() >= feed.modified_at
            except (TypeError, ValueError):
                return False
        return False

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # thousands of requests per run; the counters say what matters


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # a client opening many connections at once is not refused

    def __init__(self, feeds: FeedSet) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.feeds = feeds
        self.counts = {"ok": 0, "not_modified": 0}
        self._count_lock = threading.Lock()

    def count(self, kind: str) -> None:
        with self._count_lock:
            self.counts[kind] += 1


class FeedServer:
    """Serves a FeedSet on 127.0.0.1 from a background thread; use as a context manager."""

    def __init__(self, feeds: FeedSet) -> None:
        self.feeds = feeds
        self._server = _Server(feeds)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def urls(self) -> list[str]:
        return [
            f"http://127.0.0.1:{self.port}{self.feeds.path(n)}" for n in range(self.feeds.count)
        ]

    def take_counts(self) -> dict[str, int]:
        """The 200 and 304 answers since the last call, and reset them."""
        with self._server._count_lock:
            counts = dict(self._server.counts)
            self._server.counts = {"ok": 0, "not_modified": 0}
        return counts

    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
