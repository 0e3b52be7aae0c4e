"""An async client for the Google Reader API (FreshRSS, Miniflux, Inoreader, The Old Reader, BazQux).

The protocol in brief: `POST accounts/ClientLogin` with `Email` and `Passwd` answers text lines,
one of them `Auth=...`; every later call sends `Authorization: GoogleLogin auth=...`; calls that
change data also send a short-lived token `T` from `reader/api/0/token`. When the server answers
401 (an expired Auth or T) the client logs in again once and repeats the call; a second 401 is a
`SyncAuthError`.

Quirks handled here:
- Item ids come in two forms naming the same item: long (`tag:google.com,2005:reader/item/`
  + 16 hex digits, in stream contents) and short (signed 64-bit decimal, in `stream/items/ids`).
  `item_id` turns both into one form, the 16 lower-case hex digits; requests send the long form,
  which every server accepts.
- The base URL always ends in "/" before paths are joined to it (Miniflux needs the slash; a
  FreshRSS base `.../api/greader.php` works either way).
- Inoreader wants `AppId` and `AppKey` headers on every request (`app_id`, `app_key`).
- Streams are paged by `continuation` tokens; `ot` and `nt` bound the crawl time in seconds.

Limits: every answer is read as a stream and stops at `max_bytes` (gzip inflated here, with the
same ceiling, so a compressed bomb stops too); every request has httpx's connect/read timeouts
and a total deadline; redirects are followed only to the same host (and only for reads), never
to another host, so the Authorization header never leaves the server the user named. A page
loop stops at `max_pages` and on a continuation token seen before.

Nothing secret is ever in an error, a log or a repr: errors are built here from fixed words, the
status code and the API path; the password and tokens live in `_Secret` boxes whose repr hides
them; httpx exceptions are replaced (`from None`) rather than chained.
"""

from __future__ import annotations

import asyncio
import json
import re
import zlib
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx

from tui import __version__
from tui.core.feeds.text import html_to_text, http_url, plain_title
from tui.core.sanitize import clean_line
from tui.core.sync.errors import SyncAuthError, SyncError
from tui.core.sync.items import (
    LABEL_PREFIX,
    READ,
    READING_LIST,
    STARRED,
    Enclosure,
    RemoteFeed,
    RemoteItem,
    item_id,
    long_id,
)

USER_AGENT = f"Broadsheet/{__version__} (terminal news reader; Google Reader API sync)"

EDIT_BATCH = 250  # ids per edit-tag call (Inoreader and The Old Reader cap a call's ids)
CONTENT_LIMIT = 1024 * 1024  # characters of an item's HTML kept for the extractor
TOKEN_LIMIT = 4096
_STATE = re.compile(r"^user/[^/]*/state/com\.google/(read|starred|reading-list)$")
_LABEL = re.compile(r"^user/[^/]*/label/(.+)$")
_DECIMAL = re.compile(r"^-?[0-9]{1,20}$")
_TOKEN = re.compile(r"^[\x21-\x7e]+$")
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_MAX_HOPS = 3


class _Secret:
    """A string that never shows itself in a repr, a str() or a traceback's locals dump."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "<hidden>"

    __str__ = __repr__


@dataclass(frozen=True, slots=True)
class StreamPage:
    items: list[RemoteItem]
    continuation: str | None
    skipped: int = 0  # entries of the answer that were not items (no usable id)


class GReaderClient:
    """One account on one Google Reader API server. Use as `async with GReaderClient(...) as c:`.

    `password` is the string or a zero-argument callable returning it (called at each login, so
    a password command runs only when a login is needed). `client` is an `httpx.AsyncClient` to
    use (not closed here); without one the client makes and closes its own. `requests` counts
    the HTTP requests made (redirect hops included).
    """

    def __init__(
        self,
        url: str,
        user: str,
        password: str | Callable[[], str],
        *,
        client: httpx.AsyncClient | None = None,
        app_id: str | None = None,
        app_key: str | None = None,
        connect_timeout: float = 10,
        read_timeout: float = 60,
        total_timeout: float = 120,
        max_bytes: int = 64 * 2**20,
        page_size: int = 1000,
        ids_page_size: int = 10000,
        max_pages: int = 1000,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.base = base_url(url)
        self.user = user
        self._password: _Secret | Callable[[], str] = (
            _Secret(password) if isinstance(password, str) else password
        )
        self._own_client = client is None
        self._client = client
        self._extra: dict[str, str] = {"User-Agent": user_agent, "Accept-Encoding": "gzip"}
        for name, value in (("AppId", app_id), ("AppKey", app_key)):
            if value is not None:
                if not _TOKEN.match(value) or len(value) > TOKEN_LIMIT:
                    raise SyncError(f"{name} must be plain printable characters")
                self._extra[name] = value
        self.timeout = httpx.Timeout(read_timeout, connect=connect_timeout)
        self.total_timeout = total_timeout
        self.max_bytes = max_bytes
        self.page_size = page_size
        self.ids_page_size = ids_page_size
        self.max_pages = max_pages
        self._auth: _Secret | None = None
        self._token: _Secret | None = None
        self.requests = 0
        self.bytes_read = 0

    def __repr__(self) -> str:
        return f"GReaderClient({str(self.base)!r}, user={self.user!r})"

    async def __aenter__(self) -> GReaderClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._own_client and self._client is not None:
            await self._client.aclose()
            self._client = None

    # -- log in -----------------------------------------------------------------------------------

    @property
    def logged_in(self) -> bool:
        return self._auth is not None

    async def login(self) -> None:
        """Log in now (done lazily by every call otherwise). Wrong credentials: SyncAuthError."""
        self._auth = self._token = None
        password = (
            self._password.reveal() if isinstance(self._password, _Secret) else self._password()
        )
        status, body, _ = await self._send(
            "POST",
            "accounts/ClientLogin",
            None,
            [("Email", self.user), ("Passwd", password)],
            self._headers(auth=False),
        )
        del password
        if status == 401:
            raise SyncAuthError("the server refused the user name or password", self._where(""))
        if status == 403:
            raise SyncAuthError(
                "the server refused the login (HTTP 403): check the user name and password, "
                "and for Inoreader app_id and app_key",
                self._where(""),
                403,
            )
        if status != 200:
            raise SyncError(f"login failed: HTTP {status}", self._where(""), status)
        if _looks_like_html(body):
            raise SyncError(_WEB_PAGE, self._where(""))
        auth = None
        for line in body.decode("utf-8", "replace").splitlines():
            key, _, value = line.strip().partition("=")
            if key == "Auth":
                auth = value.strip()
        if not auth or len(auth) > TOKEN_LIMIT or not _TOKEN.match(auth):
            raise SyncError("the login answer has no usable Auth token", self._where(""))
        self._auth = _Secret(auth)

    async def _write_token(self) -> _Secret:
        if self._token is None:
            body = await self._call("GET", "reader/api/0/token")
            token = body.decode("utf-8", "replace").strip()
            if not token or len(token) > TOKEN_LIMIT or not _TOKEN.match(token):
                raise SyncError("the server gave no usable write token", self._where("token"))
            self._token = _Secret(token)
        return self._token

    # -- reading ----------------------------------------------------------------------------------

    async def subscriptions(self) -> list[RemoteFeed]:
        """Every feed of the account, with its folders (labels). Unusable entries are skipped."""
        data = await self._json("GET", "reader/api/0/subscription/list", {"output": "json"})
        raw = data.get("subscriptions") if isinstance(data, dict) else None
        if not isinstance(raw, list):
            raise SyncError("the subscription list has no subscriptions", self._where("list"))
        subs: dict[str, RemoteFeed] = {}
        for entry in raw:
            sub = _subscription(entry)
            if sub is not None and sub.id not in subs:
                subs[sub.id] = sub
        return list(subs.values())

    async def stream_page(
        self,
        stream: str = READING_LIST,
        *,
        since: int | None = None,
        until: int | None = None,
        exclude: str | None = None,
        count: int | None = None,
        continuation: str | None = None,
    ) -> StreamPage:
        """One page of `stream/contents`: items crawled in [since, until] (Unix seconds)."""
        params: dict[str, str] = {"output": "json", "n": str(count or self.page_size)}
        if since is not None:
            params["ot"] = str(int(since))
        if until is not None:
            params["nt"] = str(int(until))
        if exclude:
            params["xt"] = exclude
        if continuation:
            params["c"] = continuation
        path = "reader/api/0/stream/contents/" + quote(stream, safe="/-:,.@")
        data = await self._json("GET", path, params)
        raw_items = data.get("items") if isinstance(data, dict) else None
        if raw_items is None and isinstance(data, dict):
            raw_items = []  # no "items", or null: an empty page on some servers
        if not isinstance(raw_items, list):
            raise SyncError("the stream answer has no list of items", self._where(path))
        items, skipped = [], 0
        for raw in raw_items:
            item = _item(raw)
            if item is None:
                skipped += 1
            else:
                items.append(item)
        return StreamPage(items, _continuation(data, self._where(path)), skipped)

    async def stream(
        self,
        stream: str = READING_LIST,
        *,
        since: int | None = None,
        until: int | None = None,
        exclude: str | None = None,
    ) -> AsyncIterator[list[RemoteItem]]:
        """Every item of `stream`, a page at a time, following continuations; ids seen once.

        A continuation token seen before, or more than `max_pages` pages, is a SyncError (a
        server that loops must not keep us forever).
        """
        seen_ids: set[str] = set()
        seen_tokens: set[str] = set()
        token: str | None = None
        for _ in range(self.max_pages):
            page = await self.stream_page(
                stream, since=since, until=until, exclude=exclude, continuation=token
            )
            fresh = []
            for item in page.items:
                if item.id not in seen_ids:
                    seen_ids.add(item.id)
                    fresh.append(item)
            if fresh:
                yield fresh
            token = page.continuation
            if token is None:
                return
            if token in seen_tokens:
                raise SyncError("the server repeated a continuation token", self._where("stream"))
            seen_tokens.add(token)
        raise SyncError(f"the stream goes on past {self.max_pages} pages", self._where("stream"))

    async def item_ids(
        self, stream: str = READING_LIST, *, exclude: str | None = None, since: int | None = None
    ) -> set[str]:
        """Every item id of `stream` (`stream/items/ids`), crawled since `since` (Unix seconds)
        when given, following continuations."""
        ids: set[str] = set()
        seen_tokens: set[str] = set()
        token: str | None = None
        path = "reader/api/0/stream/items/ids"
        for _ in range(self.max_pages):
            params = {"output": "json", "s": stream, "n": str(self.ids_page_size)}
            if exclude:
                params["xt"] = exclude
            if since is not None:
                params["ot"] = str(int(since))
            if token:
                params["c"] = token
            data = await self._json("GET", path, params)
            # Strict: a missing list must not read as "no unread items" (that would mark all read).
            if not isinstance(data, dict) or "itemRefs" not in data:
                raise SyncError("the id list has no itemRefs", self._where(path))
            refs = data["itemRefs"]
            if refs is None:  # JSON null: an empty stream on some servers
                refs = []
            if not isinstance(refs, list):
                raise SyncError("the id list has no itemRefs", self._where(path))
            for ref in refs:
                if isinstance(ref, dict):
                    normal = item_id(ref.get("id"))
                    if normal is not None:
                        ids.add(normal)
            token = _continuation(data, self._where(path))
            if token is None:
                return ids
            if token in seen_tokens:
                raise SyncError("the server repeated a continuation token", self._where(path))
            seen_tokens.add(token)
        raise SyncError(f"the id list goes on past {self.max_pages} pages", self._where(path))

    async def unread_ids(self) -> set[str]:
        return await self.item_ids(READING_LIST, exclude=READ)

    async def starred_ids(self) -> set[str]:
        return await self.item_ids(STARRED)

    async def items(self, ids: Sequence[str]) -> list[RemoteItem]:
        """The items with these (normalised) ids, via `stream/items/contents`, in batches."""
        out: list[RemoteItem] = []
        path = "reader/api/0/stream/items/contents"
        for start in range(0, len(ids), EDIT_BATCH):
            form = [("i", long_id(i)) for i in ids[start : start + EDIT_BATCH]]
            data = await self._json("POST", path, {"output": "json"}, form=form)
            raw = data.get("items") if isinstance(data, dict) else None
            if not isinstance(raw, list):
                raise SyncError("the items answer has no list of items", self._where(path))
            out.extend(item for item in map(_item, raw) if item is not None)
        return out

    # -- writing ----------------------------------------------------------------------------------

    async def edit_tag(
        self, ids: Iterable[str], *, add: str | None = None, remove: str | None = None
    ) -> int:
        """Add and/or remove one tag on items (normalised ids), in batches; returns calls made.

        Setting a tag is idempotent: sending the same mark twice leaves the same state.
        """
        unique = list(dict.fromkeys(ids))
        calls = 0
        for start in range(0, len(unique), EDIT_BATCH):
            form = [("i", long_id(i)) for i in unique[start : start + EDIT_BATCH]]
            if add:
                form.append(("a", add))
            if remove:
                form.append(("r", remove))
            await self._confirmed("reader/api/0/edit-tag", form)
            calls += 1
        return calls

    async def set_read(self, ids: Iterable[str], read: bool = True) -> int:
        return await self.edit_tag(ids, add=READ) if read else await self.edit_tag(ids, remove=READ)

    async def set_starred(self, ids: Iterable[str], starred: bool = True) -> int:
        if starred:
            return await self.edit_tag(ids, add=STARRED)
        return await self.edit_tag(ids, remove=STARRED)

    async def subscribe(
        self, feed_url: str, *, title: str | None = None, folder: str | None = None
    ) -> None:
        """Follow `feed_url` on the server (`subscription/edit ac=subscribe`)."""
        url = http_url(feed_url, None)
        if url is None:
            raise SyncError("only http(s) feed addresses can be subscribed to", feed_url)
        form = [("ac", "subscribe"), ("s", "feed/" + url)]
        if title:
            form.append(("t", clean_line(title, 300)))
        if folder:
            form.append(("a", LABEL_PREFIX + clean_line(folder, 300)))
        await self._confirmed("reader/api/0/subscription/edit", form)

    async def quickadd(self, feed_url: str) -> str:
        """Follow `feed_url` via `subscription/quickadd`; returns the new stream id."""
        url = http_url(feed_url, None)
        if url is None:
            raise SyncError("only http(s) feed addresses can be subscribed to", feed_url)
        path = "reader/api/0/subscription/quickadd"
        data = await self._json(
            "POST", path, {"output": "json"}, form=[("quickadd", url)], write=True
        )
        stream = data.get("streamId") if isinstance(data, dict) else None
        if not isinstance(stream, str) or not stream or len(stream) > TOKEN_LIMIT:
            reason = data.get("error") if isinstance(data, dict) else None
            detail = f": {clean_line(reason, 200)}" if isinstance(reason, str) and reason else ""
            raise SyncError(f"the server could not add the feed{detail}", url)
        return clean_line(stream, TOKEN_LIMIT)

    async def unsubscribe(self, feed: str) -> None:
        """Stop following a feed, named by its stream id (`feed/...`) or its feed URL."""
        stream = feed
        if not feed.startswith("feed/"):
            matches = [s.id for s in await self.subscriptions() if s.url == feed]
            if not matches:
                raise SyncError("the server has no subscription to this feed", feed)
            stream = matches[0]
        form = [("ac", "unsubscribe"), ("s", stream)]
        await self._confirmed("reader/api/0/subscription/edit", form)

    async def _confirmed(self, path: str, form: list[tuple[str, str]]) -> None:
        """A write whose answer must be "OK" (or empty): anything else is not a confirmation."""
        body = await self._call("POST", path, form=form, write=True)
        if body.strip() and body.strip().upper() != b"OK":
            raise SyncError("the server did not confirm the change", self._where(path))

    # -- transport --------------------------------------------------------------------------------

    def _where(self, path: str) -> str:
        return str(self.base) + path

    def _headers(self, auth: bool) -> dict[str, str]:
        headers = dict(self._extra)
        if auth and self._auth is not None:
            headers["Authorization"] = "GoogleLogin auth=" + self._auth.reveal()
        return headers

    async def _json(
        self,
        method: str,
        path: str,
        params: dict[str, str] | None = None,
        *,
        form: list[tuple[str, str]] | None = None,
        write: bool = False,
    ) -> Any:
        body = await self._call(method, path, params, form=form, write=write)
        return parse_json(body, self._where(path))

    async def _call(
        self,
        method: str,
        path: str,
        params: dict[str, str] | None = None,
        *,
        form: list[tuple[str, str]] | None = None,
        write: bool = False,
    ) -> bytes:
        """One API call, logged in; on 401 log in again once and repeat."""
        for attempt in (1, 2):
            if self._auth is None:
                await self.login()
            data = list(form or ())
            if write:
                data.append(("T", (await self._write_token()).reveal()))
            status, body, _ = await self._send(
                method, path, params, data if method == "POST" else None, self._headers(auth=True)
            )
            del data
            if status == 401:
                self._auth = self._token = None
                if attempt == 1:
                    continue
                raise SyncAuthError(
                    "the server refused the login again right after a fresh one",
                    self._where(path),
                    401,
                )
            if not 200 <= status < 300:
                raise SyncError(f"HTTP {status}", self._where(path), status)
            return body
        raise AssertionError("unreachable")

    async def _send(
        self,
        method: str,
        path: str,
        params: dict[str, str] | None,
        form: list[tuple[str, str]] | None,
        headers: dict[str, str],
    ) -> tuple[int, bytes, str]:
        """Send one request within the limits; follow same-host redirects of reads."""
        if self._client is None:
            self._client = httpx.AsyncClient(
                timeout=self.timeout, follow_redirects=False, trust_env=False
            )
        where = self._where(path)
        url = self.base.join(path)
        if params:
            url = url.copy_merge_params(params)
        try:
            async with asyncio.timeout(self.total_timeout):
                for _ in range(_MAX_HOPS + 1):
                    request = self._client.build_request(
                        method, url, data=dict_list(form), headers=headers, timeout=self.timeout
                    )
                    self.requests += 1
                    response = await self._client.send(request, stream=True, follow_redirects=False)
                    try:
                        if response.status_code in _REDIRECTS:
                            url = self._redirect(url, response.headers.get("location"), where)
                            if method != "GET":
                                raise SyncError(
                                    "the server redirected a change elsewhere; set url to the "
                                    "address it points to",
                                    where,
                                    response.status_code,
                                )
                            continue
                        body = await read_capped(response, self.max_bytes, where)
                        self.bytes_read += len(body)
                        return response.status_code, body, response.headers.get("content-type", "")
                    finally:
                        await response.aclose()
                raise SyncError(f"more than {_MAX_HOPS} redirects", where)
        except TimeoutError:
            raise SyncError(f"no complete answer within {self.total_timeout:g} s", where) from None
        except httpx.TimeoutException:
            raise SyncError("the server timed out", where) from None
        except httpx.HTTPError as error:
            raise SyncError(network_reason(error), where) from None

    def _redirect(self, current: httpx.URL, location: str | None, where: str) -> httpx.URL:
        if not location or len(location) > TOKEN_LIMIT:
            raise SyncError("the server sent a redirect without a usable Location", where)
        try:
            target = current.join(location.strip())
        except (httpx.InvalidURL, ValueError):
            raise SyncError("the server sent a redirect to a malformed address", where) from None
        same_host = (target.host or "").lower() == (current.host or "").lower()
        upgrade = current.scheme == "http" and target.scheme == "https"
        same_origin = target.scheme == current.scheme and target.port == current.port
        if target.scheme not in ("http", "https") or not same_host or not (same_origin or upgrade):
            host = clean_line(target.host or "?", 200)
            raise SyncError(f"the server redirected to another host ({host}); not followed", where)
        return target


def dict_list(form: list[tuple[str, str]] | None) -> dict[str, list[str]] | None:
    """httpx's form shape for repeated keys (`i=...&i=...`), keeping their order."""
    if form is None:
        return None
    out: dict[str, list[str]] = {}
    for key, value in form:
        out.setdefault(key, []).append(value)
    return out


def base_url(url: str) -> httpx.URL:
    """The API base as given, checked (http(s), a host, no user:password@) and ending in "/"."""
    text = (url or "").strip()
    try:
        parsed = httpx.URL(text)
    except (httpx.InvalidURL, ValueError, TypeError):
        raise SyncError("the sync url is not a valid address") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise SyncError("the sync url must start with http:// or https:// and name a host")
    if parsed.userinfo:
        raise SyncError("the sync url must not contain a user name or password")
    path = parsed.path if parsed.path.endswith("/") else parsed.path + "/"
    return parsed.copy_with(path=path, query=None, fragment=None)


async def read_capped(response: httpx.Response, cap: int, where: str) -> bytes:
    """The body, inflated here if gzip/deflate, stopping with a SyncError past `cap` bytes."""
    encoding = response.headers.get("content-encoding", "").strip().lower()
    if encoding in ("gzip", "x-gzip", "deflate"):
        inflater: Any = zlib.decompressobj(zlib.MAX_WBITS | 32)
    elif encoding in ("", "identity"):
        inflater = None
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > cap:
            raise SyncError(f"the answer is larger than {cap // 2**20} MiB", where)
    else:
        raise SyncError("the server sent an encoding Broadsheet cannot read", where)
    out = bytearray()
    try:
        async for chunk in response.aiter_raw():
            if inflater is not None:
                data = inflater.decompress(chunk, cap + 1 - len(out))
                if inflater.unconsumed_tail:
                    data += b"x"  # more waiting than room: over the cap
            else:
                data = chunk
            out += data
            if len(out) > cap:
                raise SyncError(f"the answer is larger than {cap // 2**20} MiB", where)
    except zlib.error:
        raise SyncError("the server sent corrupt compressed data", where) from None
    return bytes(out)


_WEB_PAGE = (
    "the server answered with a web page, not the API: is url the Google Reader API "
    "address (FreshRSS: .../api/greader.php)?"
)


def _looks_like_html(body: bytes) -> bool:
    return body[:512].lstrip().startswith(b"<")


def parse_json(body: bytes, where: str) -> Any:
    """JSON from an answer, or a SyncError saying in plain words what came instead."""
    if _looks_like_html(body):
        raise SyncError(_WEB_PAGE, where)
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise SyncError("the server's answer is not valid JSON", where) from None


def network_reason(error: Exception) -> str:
    """A short plain reason for a transport failure (no server text, no URL with secrets)."""
    if isinstance(error, httpx.ConnectError):
        return "cannot connect to the server"
    if isinstance(error, httpx.RemoteProtocolError):
        return "the server broke the HTTP protocol or closed the connection"
    if isinstance(error, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return "the address is not a usable http(s) URL"
    return f"network error ({type(error).__name__})"


def _continuation(data: Any, where: str) -> str | None:
    token = data.get("continuation") if isinstance(data, dict) else None
    if token is None or token == "":
        return None
    if isinstance(token, int) and not isinstance(token, bool):
        token = str(token)
    if not isinstance(token, str) or len(token) > TOKEN_LIMIT or not _TOKEN.match(token):
        raise SyncError("the server sent an unusable continuation token", where)
    return token


def _text(value: object, limit: int = 300) -> str:
    return clean_line(value, limit) if isinstance(value, str) else ""


def _subscription(raw: object) -> RemoteFeed | None:
    if not isinstance(raw, dict):
        return None
    stream = raw.get("id")
    if not isinstance(stream, str) or not stream.startswith("feed/") or len(stream) > TOKEN_LIMIT:
        return None
    url_field = raw.get("url")
    url = http_url(url_field if isinstance(url_field, str) else stream[5:], None)
    if url is None:
        return None
    folders: list[str] = []
    categories = raw.get("categories")
    for category in categories if isinstance(categories, list) else ():
        if not isinstance(category, dict):
            continue
        label = category.get("label")
        if not isinstance(label, str) or not label.strip():
            match = _LABEL.match(str(category.get("id") or ""))
            label = match.group(1) if match else None
        name = _text(label)
        if name and name not in folders:
            folders.append(name)
    site = raw.get("htmlUrl")
    return RemoteFeed(
        id=clean_line(stream, TOKEN_LIMIT),
        url=url,
        title=clean_line(_title(raw.get("title")), 300) or url,
        site_url=http_url(site, None) if isinstance(site, str) else None,
        folders=tuple(folders),
    )


def _title(value: object) -> str:
    return plain_title(value) if isinstance(value, str) else ""


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value == value and abs(value) < 2**63:
        return int(value)
    if isinstance(value, str) and _DECIMAL.match(value.strip()):
        return int(value.strip())
    return None


def _iso(seconds: int | None) -> str | None:
    if seconds is None or not 0 < seconds < 253402300800:  # up to year 9999
        return None
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _href(raw: dict[str, Any]) -> str | None:
    for key in ("canonical", "alternate"):
        links = raw.get(key)
        for link in links if isinstance(links, list) else ():
            if isinstance(link, dict) and isinstance(link.get("href"), str):
                url = http_url(link["href"], None)
                if url is not None:
                    return url
    return None


def _item(raw: object) -> RemoteItem | None:
    """A sanitised RemoteItem, or None for an entry without a usable id."""
    if not isinstance(raw, dict):
        return None
    normal = item_id(raw.get("id"))
    if normal is None:
        return None
    origin = raw.get("origin") if isinstance(raw.get("origin"), dict) else {}
    stream = origin.get("streamId") if isinstance(origin, dict) else None
    stream = clean_line(stream, TOKEN_LIMIT) if isinstance(stream, str) else ""
    flags = set()
    categories = raw.get("categories")
    for category in categories if isinstance(categories, list) else ():
        match = _STATE.match(category) if isinstance(category, str) else None
        if match:
            flags.add(match.group(1))
    published = _int(raw.get("published"))
    crawled = _int(raw.get("crawlTimeMsec"))
    if crawled is None:
        usec = _int(raw.get("timestampUsec"))
        crawled = usec // 1000 if usec is not None else (published or 0) * 1000
    content = None
    for key in ("content", "summary"):
        box = raw.get(key)
        if isinstance(box, dict) and isinstance(box.get("content"), str) and box["content"]:
            content = box["content"][:CONTENT_LIMIT]
            break
    enclosures = []
    raw_enclosures = raw.get("enclosure")
    for enclosure in raw_enclosures if isinstance(raw_enclosures, list) else ():
        if isinstance(enclosure, dict) and isinstance(enclosure.get("href"), str):
            url = http_url(enclosure["href"], None)
            if url is not None:
                size = _int(enclosure.get("length"))
                enclosures.append(
                    Enclosure(url, _text(enclosure.get("type"), 100), size if size else None)
                )
    author = _text(raw.get("author"), 200) or None
    return RemoteItem(
        id=normal,
        stream_id=stream,
        title=clean_line(_title(raw.get("title")), 500),
        url=_href(raw),
        published=_iso(published),
        crawled_ms=max(0, crawled),
        read="read" in flags,
        starred="starred" in flags,
        summary=html_to_text(content) if content else "",
        content_html=content,
        author=author,
        feed_title=_text(origin.get("title")) if isinstance(origin, dict) else "",
        enclosures=tuple(enclosures[:20]),
    )
