"""Feeds behind a login, against loopback servers: HTTP Basic with a password command, a token
header and a Netscape cookie file reach the feed's server; a redirect to another loopback
origin (another port) gets none of them; bad settings are config errors that quote no value;
nothing secret is cached or said in an error."""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path

import pytest

from tests.servers.loopback import LoopbackHandler, Route, redirect, serve
from tui.core.cache import Cache
from tui.core.config import load_config, parse_config, save_config
from tui.core.service import NewsService
from tui.core.state import State

FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Private</title>
<item><title>Members only</title><link>https://p.test/1</link><guid>1</guid></item>
</channel></rss>"""
SECRET = "s3cret-pa55"
TOKEN = "tok-123"


def _guarded(h: LoopbackHandler) -> None:
    """The feed, only with the right Basic login, token and cookie; else 401."""
    expected = "Basic " + base64.b64encode(f"ada:{SECRET}".encode()).decode()
    ok = (
        h.headers.get("Authorization") == expected
        and h.headers.get("X-Api-Key") == TOKEN
        and "session=abc" in (h.headers.get("Cookie") or "")
    )
    if ok:
        h.send_head(200, {"Content-Type": "application/rss+xml", "Content-Length": str(len(FEED))})
        h.write(FEED)
    else:
        h.send_head(401, {"WWW-Authenticate": 'Basic realm="feeds"', "Content-Length": "0"})


def _config(tmp_path: Path, url: str, code: str = f"print({SECRET!r})") -> str:
    cookies = tmp_path / "feeds.cookies"
    cookies.write_text(
        "# Netscape HTTP Cookie File\n"
        "127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\tabc\n"
        "elsewhere.test\tFALSE\t/\tFALSE\t0\tother\tnope\n"
    )
    command = json.dumps([sys.executable, "-c", code])
    return (
        f'[settings]\nsample_edition = false\n\n[[feeds]]\nurl = "{url}"\nusername = "ada"\n'
        f"password_command = {command}\n"
        f'headers = {{ "X-Api-Key" = "{TOKEN}" }}\ncookies = "{cookies}"\n'
    )


def _service(tmp_path: Path, text: str) -> NewsService:
    path = tmp_path / "config.toml"
    path.write_text(text)
    config, errors = load_config(path)
    assert errors == []
    return NewsService(config, Cache(tmp_path / "cache"), State(tmp_path / "state.db"))


async def test_a_feed_behind_a_login_is_read(tmp_path: Path) -> None:
    with serve({"/feed.xml": _guarded}) as server:
        service = _service(tmp_path, _config(tmp_path, server.url("/feed.xml")))
        report = await service.refresh_all()
        await service.aclose()
        [seen] = server.requests
    assert not report.failures, report.failures[0].error
    assert [e.title for e in report.statuses[0].feed.entries] == ["Members only"]  # type: ignore[union-attr]
    assert seen.headers["cookie"] == "session=abc"  # not the other site's cookie
    # Nothing secret is in the cache.
    for file in (tmp_path / "cache").rglob("*"):
        if file.is_file():
            data = file.read_bytes()
            assert SECRET.encode() not in data and TOKEN.encode() not in data
            assert base64.b64encode(f"ada:{SECRET}".encode()) not in data


async def test_a_redirect_to_another_origin_gets_no_credentials(tmp_path: Path) -> None:
    with serve({"/feed.xml": Route(body=FEED, content_type="application/rss+xml")}) as other:
        with serve({"/feed.xml": redirect(other.url("/feed.xml"))}) as first:
            service = _service(tmp_path, _config(tmp_path, first.url("/feed.xml")))
            report = await service.refresh_all()
            await service.aclose()
            [asked] = first.requests
        [followed] = other.requests
    assert not report.failures
    assert asked.headers["x-api-key"] == TOKEN and "authorization" in asked.headers
    assert "authorization" not in followed.headers
    assert "x-api-key" not in followed.headers
    assert "cookie" not in followed.headers


async def test_a_wrong_password_is_a_plain_error_that_quotes_nothing(tmp_path: Path) -> None:
    with serve({"/feed.xml": _guarded}) as server:
        service = _service(tmp_path, _config(tmp_path, server.url("/feed.xml"), "print('wrong')"))
        report = await service.refresh_all()
        (tmp_path / "b").mkdir()
        code = "import sys; print('oops', file=sys.stderr); sys.exit(4)"
        broken = _service(tmp_path / "b", _config(tmp_path / "b", server.url("/feed.xml"), code))
        second = await broken.refresh_all()
        await service.aclose()
        await broken.aclose()
    [status] = report.statuses
    assert status.error is not None and "401" in status.error and "wrong" not in status.error
    [status] = second.statuses
    assert status.error is not None and "password_command" in status.error
    assert "exited with status 4" in status.error and "oops" not in status.error


def test_login_settings_survive_a_rewrite_and_bad_ones_are_reported(tmp_path: Path) -> None:
    text = _config(tmp_path, "https://p.test/feed.xml")
    config, errors = parse_config(text, tmp_path / "config.toml")
    assert errors == []
    [sub] = config.feeds
    assert sub.username == "ada" and sub.headers == (("X-Api-Key", TOKEN),)
    assert TOKEN not in repr(sub) and "ada" not in repr(sub)  # never in a log line or error
    save_config(config, tmp_path / "again.toml")
    again, errors = load_config(tmp_path / "again.toml")
    assert errors == [] and again.feeds == config.feeds
    bad, errors = parse_config(
        '[[feeds]]\nurl = "https://p.test/f"\npassword_command = "pass show x"\n'
        'headers = { "Host" = "evil" }\n'
    )
    assert [e.line for e in errors] == [3, 4]
    assert "argument list" in errors[0].reason and "'Host' is not a header" in errors[1].reason
    bad, errors = parse_config(
        '[[feeds]]\nurl = "https://p.test/f"\nheaders = { "X-Token" = "a\\nb" }\n'
    )
    assert "one line" in errors[0].reason and "a\nb" not in errors[0].reason
    assert bad.feeds[0].headers == ()


@pytest.mark.parametrize("line", ["not a cookie file\n", ""])
async def test_an_unreadable_cookie_file_is_a_plain_error(tmp_path: Path, line: str) -> None:
    with serve({"/feed.xml": _guarded}) as server:
        text = _config(tmp_path, server.url("/feed.xml"))
        service = _service(tmp_path, text)
        cookie_file = tmp_path / "feeds.cookies"
        if line:
            cookie_file.write_text(line)
        else:
            cookie_file.unlink()
        report = await service.refresh_all()
        await service.aclose()
        assert server.requests == []  # not sent half a login
    [status] = report.statuses
    assert status.error is not None and status.error.startswith("cookies: ")
