"""Feeds behind a login: the headers a subscription's own settings add to its fetches.

    [[feeds]]
    url = "https://example.org/private/feed.xml"
    username = "ada"
    password_command = ["pass", "show", "example.org"]   # argument list, no shell
    headers = { "X-Api-Key" = "…" }                       # e.g. a token
    cookies = "~/.config/broadsheet/example.cookies"      # a Netscape cookie file

The fetcher sends them to the feed's own origin only (a redirect to another scheme, host or
port drops them); they are never cached (the cache keeps bodies and validators) and never
in a message: errors name the setting and the program, never a value or the command's output.
The password is asked for once per session and kept only in memory.
"""

from __future__ import annotations

import base64
import http.cookiejar
import subprocess
import time
import urllib.request
from pathlib import Path

from tui.core.errors import FetchError
from tui.core.models import Subscription
from tui.core.sanitize import clean_line

PASSWORD_SECONDS = 30.0


def run_password_command(command: tuple[str, ...], url: str) -> str:
    """The first line the command prints. Raises FetchError saying why not (never its output)."""
    program = clean_line(command[0], 100) if command else ""
    where = "password_command"
    try:
        done = subprocess.run(
            list(command),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=PASSWORD_SECONDS,
            check=False,
        )
    except FileNotFoundError:
        raise FetchError(f"{where}: {program} was not found", url) from None
    except subprocess.TimeoutExpired:
        raise FetchError(
            f"{where}: {program} did not finish in {PASSWORD_SECONDS:g} s", url
        ) from None
    except OSError as error:
        raise FetchError(
            f"{where}: {program} could not run ({type(error).__name__})", url
        ) from None
    if done.returncode != 0:
        raise FetchError(f"{where}: {program} exited with status {done.returncode}", url)
    first = done.stdout.decode("utf-8", "replace").split("\n", 1)[0].rstrip("\r")
    if not first:
        raise FetchError(f"{where}: {program} printed no password", url)
    return first


def cookie_header(path: str, url: str) -> str | None:
    """The Cookie header a Netscape cookie file gives `url` (domain, path, secure and expiry
    as the file says), or None. Raises FetchError when the file cannot be read."""
    jar = http.cookiejar.MozillaCookieJar()
    try:
        jar.load(str(Path(path).expanduser()), ignore_discard=True, ignore_expires=True)
    except (OSError, http.cookiejar.LoadError) as error:
        reason = (
            "not a Netscape cookie file"
            if isinstance(error, http.cookiejar.LoadError)
            else (f"cannot be read ({type(error).__name__})")
        )
        raise FetchError(f"cookies: {clean_line(path, 200)} {reason}", url) from None
    now = time.time()
    for cookie in list(jar):
        if not cookie.expires:  # 0 in the file: a session cookie (browsers write it so)
            cookie.expires = None
        elif cookie.expires < now:
            jar.clear(cookie.domain, cookie.path, cookie.name)
    request = urllib.request.Request(url)
    jar.add_cookie_header(request)
    return request.get_header("Cookie")


def login_headers(sub: Subscription, passwords: dict[tuple[str, ...], str]) -> dict[str, str]:
    """The headers `sub`'s login settings add (`passwords`: what password commands gave this
    session, filled in here). Blocks on the password command and the file: call in a thread."""
    headers = dict(sub.headers)
    if sub.username is not None:
        password = ""
        if sub.password_command:
            password = passwords.get(sub.password_command) or run_password_command(
                sub.password_command, sub.url
            )
            passwords[sub.password_command] = password
        token = base64.b64encode(f"{sub.username}:{password}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
    if sub.cookies:
        cookie = cookie_header(sub.cookies, sub.url)
        if cookie:
            headers["Cookie"] = cookie
    return headers
