"""A real FreshRSS on 127.0.0.1 for the sync tests (from ../shared/servers/freshrss), and the
loopback feed server it subscribes to.

Use them with `from tests.servers.freshrss import freshrss_fixture, loop_feeds_fixture` (the
fixtures are named `freshrss` and `loop_feeds`). The `freshrss` fixture is session-scoped: one server for the whole run (start-up takes a few
seconds), in a temporary folder, stopped at the end. Tests share it, so each test subscribes to
feeds of its own (`FreshRSS.new_feed`) and they are unsubscribed when the test ends.

Where it is missing (no ../shared checkout, no PHP, missing PHP modules) the tests are skipped on
a user's machine but FAIL when the CI environment variable is set: CI must run them
(`.ci/run` installs the PHP modules).

The script is $BROADSHEET_FRESHRSS_SERVER when that is set (only there), else
../shared/servers/freshrss/freshrss-server beside the checkout, else one folder further up (a
git worktree in a folder next to shared/).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from tests.servers.loopback import LoopbackServer, Route, serve
from tui.core.sync.greader import GReaderClient

ROOT = Path(__file__).resolve().parents[2]
RELATIVE = Path("shared/servers/freshrss/freshrss-server")


def freshrss_script() -> Path | None:
    named = os.environ.get("BROADSHEET_FRESHRSS_SERVER")
    candidates = [Path(named)] if named else [ROOT.parent / RELATIVE, ROOT.parent.parent / RELATIVE]
    return next((path for path in candidates if path.is_file()), None)


def unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"FreshRSS tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"FreshRSS tests skipped: {reason}")


@dataclass
class LoopFeed:
    """A feed served by the loopback feed server; `add` puts new stories at its top."""

    name: str
    url: str
    server: LoopbackServer
    stories: list[tuple[str, str]] = field(default_factory=list)  # (title, link), oldest first

    def add(self, count: int, prefix: str = "Story") -> list[str]:
        links = []
        for _ in range(count):
            n = len(self.stories)
            link = f"{self.server.base_url}/{self.name}/{n}"
            self.stories.append((f"{prefix} {n} of {self.name}", link))
            links.append(link)
        self.publish()
        return links

    def publish(self) -> None:
        items = "".join(
            f"<item><title>{escape(title)}</title><link>{escape(link)}</link>"
            f"<guid>{escape(link)}</guid><description>Text of {escape(title)}</description></item>"
            for title, link in reversed(self.stories)
        )
        body = (
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{escape(self.name)}</title><link>{self.server.base_url}/</link>"
            f"{items}</channel></rss>"
        )
        self.server.route(
            f"/{self.name}.xml", Route(body=body.encode(), content_type="application/rss+xml")
        )


class FreshRSS:
    """The running server: its API address and account, and ways to refresh, stop and restart."""

    def __init__(self, script: Path, folder: Path, feeds: LoopbackServer) -> None:
        self.script = script
        self.folder = folder
        self.feeds = feeds
        out = subprocess.run(
            [str(script), "start", str(folder)], capture_output=True, text=True, timeout=120
        )
        if out.returncode != 0:
            unavailable(f"start failed: {out.stderr.strip()[-300:]}")
        info = json.loads(out.stdout.strip().splitlines()[-1])
        self.url: str = info["url"]
        self.api: str = info["api"]
        self.user: str = info["user"]
        self.password: str = info["api_password"]
        self.port = int(self.url.rsplit(":", 1)[1])
        self._count = 0

    def client(self, **options: object) -> GReaderClient:
        return GReaderClient(self.api, self.user, self.password, **options)  # type: ignore[arg-type]

    def refresh(self) -> None:
        """FreshRSS fetches every subscribed feed now (all of them on the loopback server)."""
        subprocess.run(
            [str(self.script), "refresh", str(self.folder)],
            capture_output=True,
            timeout=300,
            check=True,
        )

    def stop(self) -> None:
        subprocess.run(
            [str(self.script), "stop", str(self.folder)],
            capture_output=True,
            timeout=60,
            check=True,
        )

    def restart(self) -> None:
        """Serve the same data on the same port again after `stop` (what `start` runs)."""
        app = self.folder / "FreshRSS"
        with open(self.folder / "server.log", "ab") as log:
            process = subprocess.Popen(
                ["php", "-S", f"127.0.0.1:{self.port}", "-t", "p/"],
                cwd=app,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        (self.folder / "server.pid").write_text(str(process.pid))
        # Reap it the moment `stop` kills it, so the script's "still alive?" wait ends at once.
        threading.Thread(target=process.wait, daemon=True).start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.api, timeout=2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("FreshRSS did not come back")

    def new_feed(self, stories: int = 0) -> LoopFeed:
        self._count += 1
        feed = LoopFeed(f"f{self._count}-{os.getpid()}", "", self.feeds)
        feed.url = f"{self.feeds.base_url}/{feed.name}.xml"
        feed.add(stories) if stories else feed.publish()
        return feed

    def clear(self) -> None:
        """Unsubscribe from every feed (their stories go with them)."""

        async def run() -> None:
            async with self.client() as client:
                for sub in await client.subscriptions():
                    await client.unsubscribe(sub.id)

        asyncio.run(run())


@pytest.fixture(scope="session", name="freshrss")
def freshrss_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FreshRSS]:
    script = freshrss_script()
    if script is None:
        unavailable("../shared/servers/freshrss is not there")
        raise AssertionError  # unreachable: unavailable() raises
    deps = subprocess.run([str(script), "deps"], capture_output=True, text=True, timeout=60)
    if deps.returncode != 0:
        unavailable(deps.stderr.strip()[-300:] or "PHP or its modules are missing")
    with serve() as feeds:
        server = FreshRSS(script, tmp_path_factory.mktemp("freshrss"), feeds)
        try:
            server.clear()  # the default subscription points off this machine: never fetch it
            yield server
        finally:
            server.stop()


@pytest.fixture(name="loop_feeds")
def loop_feeds_fixture(freshrss: FreshRSS) -> Iterator[FreshRSS]:
    """The server, emptied of subscriptions after the test."""
    try:
        yield freshrss
    finally:
        freshrss.clear()
