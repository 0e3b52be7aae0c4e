"""The `[sync]` table of the config file, and where the password comes from.

    [sync]
    kind = "greader"                                   # the Google Reader API (the only kind)
    url = "https://rss.example.org/api/greader.php"    # the API base
    user = "alice"
    password_command = ["pass", "show", "freshrss"]    # run without a shell; first line of output
    # app_id = "..."  app_key = "..."                  # Inoreader only

The password is never in the config: it comes from the environment variable
BROADSHEET_SYNC_PASSWORD when that is set, else from `password_command` (an argument list run
without a shell, with a time limit; the first line it prints). It is fetched only when a login
is needed and kept nowhere but in the client's memory.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tui.core.errors import ConfigError
from tui.core.sanitize import clean_line

if TYPE_CHECKING:
    from tui.core.sync.greader import GReaderClient

PASSWORD_ENV = "BROADSHEET_SYNC_PASSWORD"
PASSWORD_COMMAND_TIMEOUT = 30.0
_KEYS = ("kind", "url", "user", "password_command", "app_id", "app_key")


@dataclass(frozen=True, slots=True)
class SyncConfig:
    """A parsed `[sync]` table. `source` is the config file, named in error messages."""

    url: str
    user: str
    password_command: tuple[str, ...] | None = None
    kind: str = "greader"
    app_id: str | None = None
    app_key: str | None = None
    source: str = ""

    @property
    def account(self) -> str:
        """What identifies the account (the sync store forgets its items when this changes)."""
        return f"{self.kind} {self.url} {self.user}"

    def password(self, env: Mapping[str, str] | None = None) -> str:
        """The password, from BROADSHEET_SYNC_PASSWORD or by running `password_command`.

        Raises ConfigError (naming the file and key) with the reason in plain words; never
        says anything the command printed.
        """
        env = os.environ if env is None else env
        value = env.get(PASSWORD_ENV)
        if value:
            return value
        if not self.password_command:
            raise ConfigError(
                f"[sync] password_command: not set, and neither is {PASSWORD_ENV}", self.source
            )
        where = "[sync] password_command"
        program = clean_line(self.password_command[0], 100)
        try:
            done = subprocess.run(
                list(self.password_command),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=PASSWORD_COMMAND_TIMEOUT,
                check=False,
            )
        except FileNotFoundError:
            raise ConfigError(f"{where}: {program} was not found", self.source) from None
        except subprocess.TimeoutExpired:
            raise ConfigError(
                f"{where}: {program} did not finish within {PASSWORD_COMMAND_TIMEOUT:g} s",
                self.source,
            ) from None
        except OSError as error:
            raise ConfigError(
                f"{where}: {program} could not run ({type(error).__name__})", self.source
            ) from None
        if done.returncode != 0:
            raise ConfigError(
                f"{where}: {program} exited with status {done.returncode}", self.source
            )
        try:
            text = done.stdout.decode("utf-8")
        except UnicodeDecodeError:
            raise ConfigError(
                f"{where}: {program} printed something not UTF-8", self.source
            ) from None
        first = text.split("\n", 1)[0].rstrip("\r")
        if not first:
            raise ConfigError(f"{where}: {program} printed no password", self.source)
        return first

    def client(self, env: Mapping[str, str] | None = None, **options: Any) -> GReaderClient:
        """A client for this account; the password is asked for only when it logs in."""
        from tui.core.sync.greader import GReaderClient  # httpx only when syncing

        return GReaderClient(
            self.url,
            self.user,
            lambda: self.password(env),
            app_id=self.app_id,
            app_key=self.app_key,
            **options,
        )


def url_problem(url: str) -> str | None:
    """What is wrong with an API address, or None (the client checks it again, with httpx)."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return "not a valid address"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "must start with http:// or https:// and name a host"
    if parts.username is not None or parts.password is not None:
        return "must not contain a user name or password"
    if any(ord(c) < 33 or ord(c) == 127 for c in url.strip()):
        return "must not contain spaces or control characters"
    return None


def parse_sync_table(
    table: object,
    path: str | Path,
    line_of: Callable[[str], int | None] | None = None,
) -> SyncConfig:
    """Check a `[sync]` table (as tomllib gives it) and build its SyncConfig.

    The first problem is a ConfigError naming the file, the line when `line_of(key)` knows it,
    and the key: "config.toml:12: [sync] url: must start with http:// or https://".
    """
    source = str(path)

    def fail(key: str, reason: str) -> ConfigError:
        line = line_of(key) if line_of else None
        return ConfigError(f"[sync] {key}: {reason}", source, line)

    if not isinstance(table, dict):
        raise ConfigError("[sync] must be a table", source)
    if "password" in table:
        raise fail(
            "password",
            f"the password is never kept in the config: use password_command = [...] or {PASSWORD_ENV}",
        )
    for key in table:
        if key not in _KEYS:
            raise fail(str(key), "unknown sync setting")
    kind = table.get("kind", "greader")
    if kind != "greader":
        raise fail("kind", 'must be "greader" (the Google Reader API)')
    url = table.get("url")
    if not isinstance(url, str) or not url.strip():
        raise fail("url", "missing: the API address, e.g. https://rss.example.org/api/greader.php")
    problem = url_problem(url)
    if problem:
        raise fail("url", problem)
    user = table.get("user")
    if not isinstance(user, str) or not user.strip():
        raise fail("user", "missing: the account's user name")
    if clean_line(user, 300) != user or len(user) > 300:
        raise fail("user", "must be one line of plain text")
    command = table.get("password_command")
    if command is not None:
        if isinstance(command, str):
            raise fail(
                "password_command", 'must be a list of arguments, e.g. ["pass", "show", "rss"]'
            )
        if (
            not isinstance(command, list)
            or not command
            or not all(isinstance(arg, str) and arg and "\x00" not in arg for arg in command)
        ):
            raise fail("password_command", "must be a non-empty list of non-empty strings")
    extras: dict[str, str | None] = {}
    for key in ("app_id", "app_key"):
        value = table.get(key)
        if value is not None and (
            not isinstance(value, str)
            or not value.isascii()
            or not value.isprintable()
            or " " in value
        ):
            raise fail(key, "must be a string of printable characters without spaces")
        extras[key] = value
    return SyncConfig(
        url=url.strip(),
        user=user,
        password_command=tuple(command) if command else None,
        kind="greader",
        app_id=extras["app_id"],
        app_key=extras["app_key"],
        source=source,
    )
