"""One streamed GET for podcast audio, with redirects followed by hand and every hop checked.

Why not `Fetcher.fetch`: audio needs what a page fetch does not, a `Range` header and the
`Content-Range` of the answer, and bodies far larger than a page. Why not httpx's own redirects:
enclosure URLs typically pass through two or three tracking hosts, and each hop must stay on
http(s) (a redirect is as untrusted as the feed that named the first URL).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from urllib.parse import urljoin, urlsplit

import httpx

from tui import __version__
from tui.core.errors import FetchError

USER_AGENT = f"Broadsheet/{__version__} (terminal news reader)"
MAX_REDIRECTS = 10  # as the Fetcher (browsers allow 20)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
TIMEOUT = httpx.Timeout(connect=10, read=20, write=10, pool=10)

_CONTENT_RANGE = re.compile(r"^\s*bytes\s+(\d+)-(\d+)/(\d+|\*)\s*$", re.IGNORECASE)
_UNSATISFIED_RANGE = re.compile(r"^\s*bytes\s+\*/(\d+)\s*$", re.IGNORECASE)


def is_web_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host: the only kind Broadsheet fetches or plays."""
    try:
        parts = urlsplit(url)
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. a malformed IPv6 literal
        return False


def new_client() -> httpx.AsyncClient:
    """A client for audio transfers: bounded timeouts, no automatic redirects, our User-Agent."""
    return httpx.AsyncClient(
        timeout=TIMEOUT, follow_redirects=False, headers={"User-Agent": USER_AGENT}
    )


@asynccontextmanager
async def open_stream(
    client: httpx.AsyncClient, url: str, headers: Mapping[str, str]
) -> AsyncIterator[httpx.Response]:
    """GET `url` with `headers`, follow up to MAX_REDIRECTS redirects, yield the final response.

    The body is not read: the caller streams it and stops where it wants. Raises FetchError
    for a refused URL, too many redirects or a network failure.
    """
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        if not is_web_url(current):
            raise FetchError("only http and https addresses can be fetched", current)
        try:
            request = client.build_request("GET", current, headers=dict(headers))
            response = await client.send(request, stream=True, follow_redirects=False)
        except httpx.TimeoutException as exc:
            raise FetchError("timed out", url) from exc
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise FetchError("could not connect", url) from exc
        location = response.headers.get("location")
        if response.status_code in REDIRECT_STATUSES and location:
            await response.aclose()
            current = urljoin(str(response.url), location.strip())
            continue
        try:
            yield response
        finally:
            await response.aclose()
        return
    raise FetchError("too many redirects", url)


def parse_content_range(value: str | None) -> tuple[int, int, int | None] | None:
    """`bytes 0-262143/9876543` → (0, 262143, 9876543); a total of `*` → None; junk → None."""
    match = _CONTENT_RANGE.match(value or "")
    if not match:
        return None
    first, last = int(match.group(1)), int(match.group(2))
    total = None if match.group(3) == "*" else int(match.group(3))
    if last < first or (total is not None and last >= total):
        return None
    return first, last, total


def parse_unsatisfied_range(value: str | None) -> int | None:
    """The size in a 416 answer's `bytes */9876543`, else None."""
    match = _UNSATISFIED_RANGE.match(value or "")
    return int(match.group(1)) if match else None


def content_length(response: httpx.Response) -> int | None:
    """The declared body size when it is a plain non-negative integer and the body not encoded."""
    value = response.headers.get("content-length", "").strip()
    encoded = response.headers.get("content-encoding", "identity").strip().lower()
    if not value.isdigit() or encoded not in ("", "identity"):
        return None
    return int(value)
