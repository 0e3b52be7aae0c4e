"""A small Google Reader API server on 127.0.0.1 for the sync tests, with the known quirks.

    with fake_greader(prefix="/api/greader.php/") as server:
        server.add_feed("http://feeds.test/a.xml", "A", folder="News")
        server.add_item("http://feeds.test/a.xml", "Title", "https://a.test/1")
        client = GReaderClient(server.base, "alice", "secret")

Like FreshRSS it answers long-form ids in stream contents and short decimal ids in
`stream/items/ids`, pages with opaque continuation tokens and filters by crawl time with
`ot`/`nt`. Knobs: `prefix` (Miniflux serves at "/" and wants the trailing slash),
`required_headers` (Inoreader's AppId/AppKey), `expire_after` (the Auth token dies after so
many calls: 401 until the next login), `token_uses` (a write token T dies after so many
writes), `refuse_all` (every call 401 even after a fresh login),
and `raw` to replace any API path with a handler writing whatever it likes.
"""

from __future__ import annotations

import base64
import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PASSWORD = "fake-password-9f2c"
ITEM_PREFIX = "tag:google.com,2005:reader/item/"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
READING_LIST = "user/-/state/com.google/reading-list"

Raw = Callable[["FakeHandler"], None]


@dataclass
class FakeItem:
    num: int
    stream: str
    title: str
    url: str | None
    crawl_ms: int
    published: int
    read: bool = False
    starred: bool = False
    content: str = "<p>Body</p>"
    extra: dict[str, object] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        categories = [READING_LIST]
        if self.read:
            categories.append(READ)
        if self.starred:
            categories.append(STARRED)
        data: dict[str, object] = {
            "id": f"{ITEM_PREFIX}{self.num:016x}",
            "crawlTimeMsec": str(self.crawl_ms),
            "timestampUsec": str(self.crawl_ms * 1000),
            "published": self.published,
            "title": self.title,
            "categories": categories,
            "origin": {"streamId": self.stream, "title": "Feed"},
            "summary": {"content": self.content},
        }
        if self.url is not None:
            data["canonical"] = [{"href": self.url}]
            data["alternate"] = [{"href": self.url}]
        data.update(self.extra)
        return data


@dataclass
class Seen:
    method: str
    path: str  # the API path after the prefix
    query: dict[str, list[str]]
    form: dict[str, list[str]]
    headers: dict[str, str]


class FakeGReader:
    def __init__(self, prefix: str = "/api/greader.php/", user: str = "alice") -> None:
        self.prefix = prefix
        self.user = user
        self.password = PASSWORD
        self.feeds: dict[str, dict[str, object]] = {}  # stream id -> subscription json
        self.items: dict[int, FakeItem] = {}
        self.required_headers: dict[str, str] = {}
        self.expire_after: int | None = None
        self.refuse_all = False
        self.token_uses: int | None = None  # writes a T token is good for
        self._uses: dict[str, int] = {}
        self.raw: dict[str, Raw] = {}
        self.seen: list[Seen] = []
        self.logins = 0
        self.clock_ms = 1_700_000_000_000
        self._tokens = itertools.count(1)
        self._auth: str | None = None
        self._calls_on_auth = 0
        self._nums = itertools.count(1_700_000_000_000_000)
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), FakeHandler)
        self._httpd.fake = self
        host, port = self._httpd.server_address[:2]
        self.origin = f"http://{host}:{port}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base(self) -> str:
        """The API base a user would type (no trailing slash)."""
        return self.origin + self.prefix.rstrip("/")

    # -- data -------------------------------------------------------------------------------------

    def add_feed(self, url: str, title: str = "Feed", folder: str | None = None) -> str:
        stream = f"feed/{len(self.feeds) + 1}"
        categories = [{"id": f"user/-/label/{folder}", "label": folder}] if folder else []
        self.feeds[stream] = {
            "id": stream,
            "title": title,
            "url": url,
            "htmlUrl": url.rsplit("/", 1)[0] + "/",
            "categories": categories,
        }
        return stream

    def add_item(
        self,
        stream: str,
        title: str,
        url: str | None,
        *,
        read: bool = False,
        starred: bool = False,
        crawl_ms: int | None = None,
        **extra: object,
    ) -> FakeItem:
        with self.lock:
            self.clock_ms += 60_000  # an item a minute
            num = next(self._nums)
            item = FakeItem(
                num,
                stream,
                title,
                url,
                crawl_ms if crawl_ms is not None else self.clock_ms,
                self.clock_ms // 1000,
                read,
                starred,
                extra=dict(extra),
            )
            self.items[num] = item
            return item

    def hex_id(self, item: FakeItem) -> str:
        return f"{item.num:016x}"

    def calls(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]

    # -- lifecycle --------------------------------------------------------------------------------

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    # -- the API ----------------------------------------------------------------------------------

    def handle(self, h: FakeHandler, method: str) -> None:
        split = urlsplit(h.path)
        if not split.path.startswith(self.prefix):
            h.reply(404, b"not found", "text/plain")
            return
        path = split.path[len(self.prefix) :]
        query = parse_qs(split.query)
        length = int(h.headers.get("Content-Length") or 0)
        form = parse_qs(h.rfile.read(length).decode()) if length else {}
        headers = {k.lower(): v for k, v in h.headers.items()}
        with self.lock:
            self.seen.append(Seen(method, path, query, form, headers))
        for name, value in self.required_headers.items():
            if headers.get(name.lower()) != value:
                h.reply(403, b"Error=missing app headers", "text/plain")
                return
        if path in self.raw:
            self.raw[path](h)
            return
        if path == "accounts/ClientLogin":
            self._login(h, form or query)
            return
        if not self._authorised(headers):
            h.reply(401, b"Unauthorized", "text/plain", {"Google-Bad-Token": "true"})
            return
        if path == "reader/api/0/token":
            h.reply(200, f"T{next(self._tokens)}\n".encode(), "text/plain")
        elif path == "reader/api/0/subscription/list":
            h.json({"subscriptions": list(self.feeds.values())})
        elif path.startswith("reader/api/0/stream/contents"):
            stream = path[len("reader/api/0/stream/contents/") :] or READING_LIST
            self._contents(h, stream, query)
        elif path == "reader/api/0/stream/items/ids":
            self._ids(h, query)
        elif path == "reader/api/0/stream/items/contents" and method == "POST":
            wanted = {_num(i) for i in form.get("i", [])}
            items = [self.items[n].to_json() for n in sorted(wanted) if n in self.items]
            h.json({"items": items})
        elif path == "reader/api/0/edit-tag" and method == "POST" and self._token_ok(h, form):
            self._edit_tag(h, form)
        elif (
            path == "reader/api/0/subscription/edit"
            and method == "POST"
            and self._token_ok(h, form)
        ):
            self._subscription_edit(h, form)
        elif path == "reader/api/0/subscription/quickadd" and self._token_ok(h, form):
            url = form.get("quickadd", [""])[0]
            stream = self.add_feed(url, url)
            h.json({"numResults": 1, "query": url, "streamId": stream, "streamName": url})
        elif method == "POST" and path in (
            "reader/api/0/edit-tag",
            "reader/api/0/subscription/edit",
            "reader/api/0/subscription/quickadd",
        ):
            return  # _token_ok answered
        else:
            h.reply(400, b"Bad Request", "text/plain")

    def _login(self, h: FakeHandler, form: dict[str, list[str]]) -> None:
        if form.get("Email") == [self.user] and form.get("Passwd") == [self.password]:
            self.logins += 1
            self._auth = f"alice/token{self.logins}"
            self._calls_on_auth = 0
            h.reply(200, f"SID={self._auth}\nLSID=null\nAuth={self._auth}\n".encode(), "text/plain")
        else:
            h.reply(401, b"Error=BadAuthentication\n", "text/plain")

    def _authorised(self, headers: dict[str, str]) -> bool:
        if self.refuse_all or self._auth is None:
            return False
        if headers.get("authorization") != f"GoogleLogin auth={self._auth}":
            return False
        self._calls_on_auth += 1
        if self.expire_after is not None and self._calls_on_auth > self.expire_after:
            self._auth = None  # expired: 401 until the next login
            return False
        return True

    def _token_ok(self, h: FakeHandler, form: dict[str, list[str]]) -> bool:
        token = form.get("T", [""])[0]
        if self.token_uses is not None:
            self._uses[token] = self._uses.get(token, 0) + 1
            if self._uses[token] > self.token_uses:
                token = ""  # worn out, like Google Reader's short-lived T
        if not token.startswith("T"):
            h.reply(401, b"Unauthorized", "text/plain", {"Google-Bad-Token": "true"})
            return False
        return True

    def _select(self, stream: str, query: dict[str, list[str]]) -> list[FakeItem]:
        items = sorted(self.items.values(), key=lambda i: i.num, reverse=True)
        if stream == STARRED:
            items = [i for i in items if i.starred]
        elif stream.startswith("feed/"):
            items = [i for i in items if i.stream == stream]
        exclude = query.get("xt", [""])[0]
        if exclude == READ:
            items = [i for i in items if not i.read]
        elif exclude == STARRED:
            items = [i for i in items if not i.starred]
        if "ot" in query:
            ot = int(query["ot"][0]) * 1000
            items = [i for i in items if i.crawl_ms >= ot]
        if "nt" in query:
            nt = int(query["nt"][0]) * 1000
            items = [i for i in items if i.crawl_ms <= nt]
        return items

    def _page(
        self, items: list[FakeItem], query: dict[str, list[str]]
    ) -> tuple[list[FakeItem], str | None]:
        count = int(query.get("n", ["20"])[0])
        start = 0
        if "c" in query:
            start = int(base64.urlsafe_b64decode(query["c"][0]).decode())
        page = items[start : start + count]
        more = start + count < len(items)
        token = base64.urlsafe_b64encode(str(start + count).encode()).decode() if more else None
        return page, token

    def _contents(self, h: FakeHandler, stream: str, query: dict[str, list[str]]) -> None:
        page, token = self._page(self._select(stream, query), query)
        data: dict[str, object] = {"id": stream, "items": [i.to_json() for i in page]}
        if token:
            data["continuation"] = token
        h.json(data)

    def _ids(self, h: FakeHandler, query: dict[str, list[str]]) -> None:
        page, token = self._page(self._select(query.get("s", [READING_LIST])[0], query), query)
        data: dict[str, object] = {"itemRefs": [{"id": str(i.num)} for i in page]}
        if token:
            data["continuation"] = token
        h.json(data)

    def _edit_tag(self, h: FakeHandler, form: dict[str, list[str]]) -> None:
        for raw in form.get("i", []):
            item = self.items.get(_num(raw))
            if item is None:
                continue
            for tag, value in [(t, True) for t in form.get("a", [])] + [
                (t, False) for t in form.get("r", [])
            ]:
                if tag == READ:
                    item.read = value
                elif tag == STARRED:
                    item.starred = value
        h.reply(200, b"OK", "text/plain")

    def _subscription_edit(self, h: FakeHandler, form: dict[str, list[str]]) -> None:
        action = form.get("ac", [""])[0]
        stream = form.get("s", [""])[0]
        if action == "subscribe":
            url = stream[5:]
            folder = form.get("a", [""])[0].removeprefix("user/-/label/") or None
            self.add_feed(url, form.get("t", [url])[0], folder)
        elif action == "unsubscribe":
            self.feeds.pop(stream, None)
        h.reply(200, b"OK", "text/plain")


def _num(raw: str) -> int:
    if raw.startswith(ITEM_PREFIX):
        return int(raw[len(ITEM_PREFIX) :], 16)
    return int(raw)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    fake: FakeGReader

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that drop a capped answer reset the connection: expected here


class FakeHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.server.fake.handle(self, "GET")

    def do_POST(self) -> None:
        self.server.fake.handle(self, "POST")

    def reply(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response_only(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def json(self, data: object) -> None:
        self.reply(200, json.dumps(data).encode(), "application/json; charset=UTF-8")

    def stream_forever(self, chunk: bytes = b"[" * 1024, seconds: float = 30) -> None:
        """An answer with no end: chunks until the client hangs up (or `seconds` pass)."""
        self.send_response_only(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        deadline = time.monotonic() + seconds
        try:
            while time.monotonic() < deadline and not self.server.fake.stopping.is_set():
                self.wfile.write(chunk)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass


@contextmanager
def fake_greader(prefix: str = "/api/greader.php/") -> Iterator[FakeGReader]:
    server = FakeGReader(prefix)
    server.start()
    try:
        yield server
    finally:
        server.stop()
