"""A page's addresses made absolute (urljoin, with shortcuts for the two forms most take), and
read (the host and path of a plain one).

A page holds hundreds of links and pictures, nearly all an absolute http(s) address or a path from
the site's root ("/news/story"). For those, what urljoin gives is known without parsing both
addresses again (it parses the base and the address, then builds the result anew): `join` builds
it so, and leaves every other form to urljoin. Its result is urljoin's in every case
(tests/core/test_extract_urls.py compares them on drawn addresses).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

_DELIMITERS = frozenset(";?#")
# An absolute http(s) address and its host part (up to the first "/", "?" or "#").
_ABSOLUTE = re.compile(r"https?://([^/?#]*)")


def join(base_url: str, href: str) -> str:
    """urljoin(base_url, href), exactly (raising ValueError where it does, on a bad base).

    - An absolute http(s) address with a host comes back from urljoin as it is when parsing and
      rebuilding it changes nothing: every character printable (nothing urlsplit strips or
      drops), no parameters (";") and no empty query or fragment (a "?" or "#" with nothing
      after it), and a host urlsplit has nothing to check in (ASCII, no brackets). Only the
      base is parsed then, for the error urljoin raises on a bad one.
    - A path from the site's root, under an http(s) base with a host, is the base's scheme and
      host followed by the path as it is, provided the path holds no dot segment ("/./",
      "/../"), no parameters, query or fragment, and nothing urlsplit drops or strips.
    urlsplit keeps its own cache of the addresses it parsed: a page's base is parsed once."""
    if not base_url or not href:
        return urljoin(base_url, href)
    absolute = _ABSOLUTE.match(href)
    if absolute is not None:
        host = absolute.group(1)
        if (
            host
            # urlsplit checks a host with brackets (an IPv6 address) or beyond ASCII (its NFKC
            # form), and raises on a bad one: such a host goes to urljoin.
            and host.isascii()
            and "[" not in host
            and "]" not in host
            and href.isprintable()
            and ";" not in href
            and href[-1] not in "?#"
            and "?#" not in href
        ):
            urlsplit(base_url)
            return href
    elif (
        href[:1] == "/"
        and href[1:2] != "/"
        and "/." not in href
        and href.isprintable()
        and not _DELIMITERS.intersection(href)
    ):
        base = urlsplit(base_url)
        if base.netloc and base.scheme in ("http", "https"):
            return f"{base.scheme}://{base.netloc}{href}"
    return urljoin(base_url, href)


# An http(s) address whose host part (up to the first "/", "?" or "#") is a host and maybe a
# port, without "@" (a user), brackets (an IPv6 address) or "%" (its zone): the host, and the
# path (up to the first "?" or "#").
_PLAIN = re.compile(r"https?://([^/?#@\[\]%:]+)(?::[^/?#@\[\]%]*)?(?=[/?#]|$)([^?#]*)")


def plain_parts(url: str) -> tuple[str, str, str] | None:
    """`url`, its lower-cased host and its path, as urlsplit gives them, for a plain address
    (_PLAIN, printable ASCII: nothing urlsplit strips, drops or checks); None for any
    other (urlsplit reads those). Most picture addresses are plain, and urlsplit (with its
    cache and its hostname property) costs several times this match."""
    if not (url.isascii() and url.isprintable()):
        return None
    found = _PLAIN.match(url)
    if found is None:
        return None
    return url, found.group(1).lower(), found.group(2)
