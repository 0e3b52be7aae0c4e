"""The TOML config: subscriptions, settings and key bindings.

Problems never stop the app: `load_config` returns the usable part plus a list of
`ConfigError`s, each naming the file and line, for the UI and CLI to show. Unknown keys and
values of the wrong type are reported, not silently ignored.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core.errors import ConfigError
from tui.core.models import Subscription as Subscription  # a value the service takes and gives
from tui.core.sanitize import clean_line
from tui.core.sync.config import SyncConfig, parse_sync_table

if TYPE_CHECKING:  # loaded when a config has [[share]], [[rules]] or [[queries]]
    from tui.core.rules import Query, Rule, RuleSyntaxError
    from tui.core.share import Share

# Well-known public feeds a first run subscribes to, beside the bundled sample edition.
DEFAULT_FEEDS: tuple[tuple[str, str, str], ...] = (
    ("https://feeds.bbci.co.uk/news/world/rss.xml", "BBC News — World", "News"),
    ("https://feeds.npr.org/1001/rss.xml", "NPR News", "News"),
    ("https://www.theguardian.com/world/rss", "The Guardian — World", "News"),
    ("https://hnrss.org/frontpage", "Hacker News", "Tech"),
    ("https://feeds.npr.org/510318/podcast.xml", "NPR Up First", "Podcasts"),
)


@dataclass(frozen=True, slots=True)
class Settings:
    sample_edition: bool = False  # include the bundled sample edition
    refresh_minutes: int = 30
    concurrency: int = 8
    per_host: int = 2
    max_entries_per_feed: int = 500
    cache_size_mb: int = 1024
    reader_width: int = 88
    theme: str = "textual-dark"
    player: str = ""  # a command line; empty: the first of mpv, ffplay, vlc on PATH
    timeout_seconds: float = 30.0
    images: str = "auto"  # pictures in the reader: auto, kitty, sixel, halfblock or off
    export_dir: str = ""  # where E and export-article write; empty: the data dir's export/


@dataclass(frozen=True, slots=True)
class Config:
    settings: Settings = field(default_factory=Settings)
    feeds: tuple[Subscription, ...] = ()
    keys: dict[str, str] = field(default_factory=dict)  # binding id -> "keys,comma,separated"
    path: Path | None = None
    sync: SyncConfig | None = None  # the [sync] table, when it is set and valid
    # The [sync] table as written (valid or not), so rewriting the config (subscribe, theme)
    # keeps it; rendered back key by key, never with a `password`.
    sync_table: dict[str, Any] | None = None
    shares: tuple[Share, ...] = ()  # [[share]]: send-to commands
    rules: tuple[Rule, ...] = ()  # [[rules]]
    queries: tuple[Query, ...] = ()  # [[queries]]: saved searches
    # The [[share]], [[rules]] and [[queries]] tables as written, so a rewrite keeps them.
    arrays: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


_SETTING_TYPES: dict[str, type | tuple[type, ...]] = {
    "sample_edition": bool,
    "refresh_minutes": int,
    "concurrency": int,
    "per_host": int,
    "max_entries_per_feed": int,
    "cache_size_mb": int,
    "reader_width": int,
    "theme": str,
    "player": str,
    "timeout_seconds": (int, float),
    "images": str,
    "export_dir": str,
}
IMAGE_MODES = ("auto", "kitty", "sixel", "halfblock", "off")
_FEED_TYPES: dict[str, type | tuple[type, ...]] = {
    "url": str,
    "title": str,
    "folder": str,
    "refresh_minutes": int,
    "fetch_full": bool,
    "tags": list,
    "username": str,
    "password_command": list,
    "headers": dict,
    "cookies": str,
}
_ARRAYS = ("share", "rules", "queries")
_TOP_LEVEL = {"settings", "feeds", "keys", "sync", *_ARRAYS}


def _line_of(text: str, key: str, start: int = 0) -> int | None:
    """The 1-based line where `key = ` (or `[key]`) first appears at or after char `start`."""
    pattern = re.compile(
        rf"^[ \t]*(?:\"?{re.escape(key)}\"?[ \t]*=|\[\[?[ \t]*{re.escape(key)}[ \t]*\]\]?)",
        re.MULTILINE,
    )
    match = pattern.search(text, start)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _type_ok(value: Any, expected: type | tuple[type, ...]) -> bool:
    if (
        isinstance(value, bool)
        and expected is not bool
        and bool not in (expected if isinstance(expected, tuple) else (expected,))
    ):
        return False
    return isinstance(value, expected)


def load_config(path: Path) -> tuple[Config, list[ConfigError]]:
    """Read `path`; return the config (defaults where missing or wrong) and the problems found."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(path=path), []
    except (OSError, UnicodeDecodeError) as error:
        return Config(path=path), [
            ConfigError(f"cannot read the config ({type(error).__name__})", str(path))
        ]
    return parse_config(text, path)


def parse_config(text: str, path: Path | None = None) -> tuple[Config, list[ConfigError]]:
    where = str(path) if path else "config"
    errors: list[ConfigError] = []
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        return Config(path=path), [
            ConfigError(f"not valid TOML: {error}", where, int(match.group(1)) if match else None)
        ]

    for key in data:
        if key not in _TOP_LEVEL:
            errors.append(
                ConfigError(f"unknown section or key '{key}'", where, _line_of(text, key))
            )

    settings_data = data.get("settings", {})
    settings_kwargs: dict[str, Any] = {}
    if isinstance(settings_data, dict):
        for key, value in settings_data.items():
            expected = _SETTING_TYPES.get(key)
            if expected is None:
                errors.append(ConfigError(f"unknown setting '{key}'", where, _line_of(text, key)))
            elif (
                not _type_ok(value, expected)
                or (isinstance(value, int | float) and not isinstance(value, bool) and value < 0)
                or (key == "images" and value not in IMAGE_MODES)
            ):
                errors.append(
                    ConfigError(f"bad value for '{key}': {value!r}", where, _line_of(text, key))
                )
            else:
                settings_kwargs[key] = value
    else:
        errors.append(ConfigError("'settings' must be a table", where, _line_of(text, "settings")))

    feeds: list[Subscription] = []
    feeds_data = data.get("feeds", [])
    search_from = 0
    if not isinstance(feeds_data, list):
        errors.append(
            ConfigError(
                "'feeds' must be an array of tables ([[feeds]])", where, _line_of(text, "feeds")
            )
        )
        feeds_data = []
    for item in feeds_data:
        block_line = _line_of(text, "feeds", search_from)
        if block_line is not None:
            search_from = len("\n".join(text.split("\n")[:block_line]))
        if not isinstance(item, dict):
            errors.append(ConfigError("each feed must be a table", where, block_line))
            continue
        kwargs: dict[str, Any] = {}
        for key, value in item.items():
            expected = _FEED_TYPES.get(key)
            line = _line_of(text, key, search_from) or block_line
            if expected is None:
                errors.append(ConfigError(f"unknown feed option '{key}'", where, line))
            elif key in ("password_command", "headers") and not _type_ok(value, expected):
                shape = "a table of header names and values" if key == "headers" else None
                problem = shape or _login_problem(key, [])
                errors.append(ConfigError(f"feed option '{key}': {problem}", where, line))
            elif key in ("username", "cookies") and not _type_ok(value, expected):
                errors.append(ConfigError(f"feed option '{key}' must be a string", where, line))
            elif not _type_ok(value, expected) or (
                key == "tags" and not all(isinstance(tag, str) and tag.strip() for tag in value)
            ):
                errors.append(
                    ConfigError(f"bad value for feed option '{key}': {value!r}", where, line)
                )
            elif key == "tags":
                kwargs[key] = tuple(tag.strip() for tag in value)
            elif key in ("password_command", "headers"):
                problem = _login_problem(key, value)
                if problem:
                    errors.append(ConfigError(f"feed option '{key}': {problem}", where, line))
                elif key == "headers":
                    kwargs[key] = tuple((str(k), str(v)) for k, v in value.items())
                else:
                    kwargs[key] = tuple(value)
            else:
                kwargs[key] = value
        url = kwargs.get("url", "")
        if not re.match(r"^https?://\S+$", url):
            errors.append(
                ConfigError(f"a feed needs an http(s) url (got {url!r})", where, block_line)
            )
            continue
        feeds.append(Subscription(**kwargs))

    keys: dict[str, str] = {}
    keys_data = data.get("keys", {})
    if isinstance(keys_data, dict):
        for key, value in keys_data.items():
            if isinstance(value, str) and value.strip():
                keys[key] = value
            else:
                errors.append(
                    ConfigError(
                        f"bad key binding for '{key}': {value!r}", where, _line_of(text, key)
                    )
                )
    sync: SyncConfig | None = None
    sync_data = data.get("sync")
    sync_table = sync_data if isinstance(sync_data, dict) else None
    if sync_data is not None:
        header = _line_of(text, "sync")
        start = len("\n".join(text.split("\n")[:header])) if header else 0
        try:
            sync = parse_sync_table(
                sync_data, where, lambda key: _line_of(text, key, start) or header
            )
        except ConfigError as error:
            errors.append(error)
    arrays: dict[str, list[dict[str, Any]]] = {}
    for name in _ARRAYS:
        items = data.get(name)
        if items is None:
            continue
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            errors.append(
                ConfigError(
                    f"'{name}' must be an array of tables ([[{name}]])", where, _line_of(text, name)
                )
            )
            continue
        arrays[name] = items
    shares = _parse_shares(text, where, arrays.get("share", []), errors)
    config = Config(Settings(**settings_kwargs), tuple(feeds), keys, path, sync, sync_table)
    rules, queries = _parse_rules(text, where, arrays, errors)
    return replace(config, shares=shares, rules=rules, queries=queries, arrays=arrays), errors


def _match_error(
    text: str, where: str, line: int | None, error: RuleSyntaxError, label: str
) -> ConfigError:
    """A bad `match`: the line and column of the error in the file, when the string is on
    one line (the column counts from the opening quote)."""
    column = None
    key_line = _key_line(text, "match", line) if line else None
    if key_line is not None:
        source = text.split("\n")[key_line - 1]
        quote = re.search(r"=\s*('|\")", source)
        if quote is not None:
            column = quote.end() + error.column
    return ConfigError(f"{label}: {error.message}", where, key_line or line, column)


def _parse_rules(
    text: str, where: str, arrays: dict[str, list[dict[str, Any]]], errors: list[ConfigError]
) -> tuple[tuple[Rule, ...], tuple[Query, ...]]:
    if not arrays.get("rules") and not arrays.get("queries"):
        return (), ()
    from tui.core.rules import Query, Rule, RuleSyntaxError, compile_match, parse_action

    rules: list[Rule] = []
    queries: list[Query] = []
    for name in ("rules", "queries"):
        lines = _block_lines(text, name)
        allowed = ("match", "action") if name == "rules" else ("name", "match")
        for n, item in enumerate(arrays.get(name, [])):
            line = lines[n] if n < len(lines) else None
            label = f"rule {n + 1}" if name == "rules" else f"query {n + 1}"
            for key in item:
                if key not in allowed:
                    errors.append(
                        ConfigError(
                            f"{label}: unknown option '{key}'", where, _key_line(text, key, line)
                        )
                    )
            source = item.get("match")
            if not isinstance(source, str):
                errors.append(ConfigError(f"{label}: needs match = '…' (a string)", where, line))
                continue
            try:
                tree = compile_match(source)
            except RuleSyntaxError as error:
                errors.append(_match_error(text, where, line, error, label))
                continue
            if name == "rules":
                raw = item.get("action")
                action = parse_action(raw) if isinstance(raw, str) else None
                if action is None:
                    errors.append(
                        ConfigError(
                            f'{label}: action must be "hide", "read", "star" or "tag:NAME" (got {raw!r})',
                            where,
                            _key_line(text, "action", line),
                        )
                    )
                    continue
                rules.append(Rule(source, tree, action))
            else:
                title = item.get("name")
                if not isinstance(title, str) or not title.strip():
                    errors.append(ConfigError(f"{label}: needs a name", where, line))
                    continue
                queries.append(Query(title.strip(), source, tree))
    return tuple(rules), tuple(queries)


_HEADER_NAME = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}")
_NOT_YOURS = {"host", "content-length", "transfer-encoding", "connection", "accept-encoding"}


def _login_problem(key: str, value: Any) -> str | None:
    """Why a feed's `password_command` or `headers` cannot be used (never quoting a value)."""
    if key == "password_command":
        if not value or not all(isinstance(arg, str) for arg in value) or not value[0].strip():
            return 'an argument list, e.g. ["pass", "show", "example.org"] (no shell)'
        return None
    for name, header in value.items():
        if not _HEADER_NAME.fullmatch(str(name)) or str(name).lower() in _NOT_YOURS:
            return f"{clean_line(str(name), 60)!r} is not a header you can set"
        if not isinstance(header, str) or any(ord(c) < 32 or ord(c) == 127 for c in header):
            return f"the value of {name!r} must be one line of text"
    return None


def _block_lines(text: str, name: str) -> list[int]:
    """The line of each `[[name]]` header, in order."""
    pattern = re.compile(rf"^[ \t]*\[\[[ \t]*{re.escape(name)}[ \t]*\]\]", re.MULTILINE)
    return [text.count("\n", 0, m.start()) + 1 for m in pattern.finditer(text)]


def _key_line(text: str, key: str, block_line: int | None) -> int | None:
    """The line of `key = ` inside the table that starts at `block_line`."""
    if block_line is None:
        return None
    start = len("\n".join(text.split("\n")[:block_line]))
    return _line_of(text, key, start) or block_line


def _parse_shares(
    text: str, where: str, items: list[dict[str, Any]], errors: list[ConfigError]
) -> tuple[Share, ...]:
    if not items:
        return ()
    from tui.core.share import Share, bad_placeholders

    lines = _block_lines(text, "share")
    shares: list[Share] = []
    for n, item in enumerate(items):
        line = lines[n] if n < len(lines) else None
        unknown = [key for key in item if key not in ("name", "command")]
        for key in unknown:
            errors.append(
                ConfigError(f"unknown share option '{key}'", where, _key_line(text, key, line))
            )
        name, command = item.get("name"), item.get("command")
        if not isinstance(name, str) or not name.strip():
            errors.append(ConfigError("a share needs a name", where, line))
            continue
        if (
            not isinstance(command, list)
            or not command
            or not all(isinstance(arg, str) for arg in command)
            or not command[0].strip()
        ):
            errors.append(
                ConfigError(
                    f"share '{name}': command must be a list of strings, "
                    '["program", "argument", "{url}"] (no shell)',
                    where,
                    _key_line(text, "command", line),
                )
            )
            continue
        bad = bad_placeholders(command)
        if bad:
            errors.append(
                ConfigError(
                    f"share '{name}': unknown placeholder {bad[0]} (only {{url}}, {{title}}, {{file}})",
                    where,
                    _key_line(text, "command", line),
                )
            )
            continue
        shares.append(Share(name.strip(), tuple(command)))
    return tuple(shares)


def _toml_string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for char in value:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 32 or ord(char) == 127:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _toml_value(value: Any) -> str | None:
    """A plain TOML value (string, number, boolean, or a list of them), or None."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, dict):
        pairs = [(key, _toml_value(item)) for key, item in value.items()]
        if any(item is None for _, item in pairs):
            return None
        return "{" + ", ".join(f"{_toml_string(str(k))} = {v}" for k, v in pairs) + "}"
    if isinstance(value, list):
        items = [_toml_value(item) for item in value]
        if any(item is None for item in items):
            return None
        return "[" + ", ".join(item for item in items if item is not None) + "]"
    return None


def _render_sync(table: dict[str, Any]) -> list[str]:
    """The [sync] table as the user wrote it (key by key, without comments); a `password` key
    is never written back (the password is never kept in the config)."""
    lines = ["", "[sync]"]
    for key, value in table.items():
        text = _toml_value(value)
        if key != "password" and text is not None:
            bare = re.fullmatch(r"[A-Za-z0-9_-]+", str(key))
            lines.append(f"{key if bare else _toml_string(str(key))} = {text}")
    return lines


def render_config(config: Config) -> str:
    """The config as TOML text, with comments that help a user edit it."""
    s = config.settings
    defaults = Settings()
    lines = [
        "# Broadsheet configuration. Edit freely; problems are reported with their line.",
        "# Docs: README.md (Configuration).",
        "",
        "[settings]",
        f"sample_edition = {str(s.sample_edition).lower()}   # include the bundled sample edition",
        f"refresh_minutes = {s.refresh_minutes}",
        f"concurrency = {s.concurrency}          # feeds fetched at once",
        f"per_host = {s.per_host}              # requests at once to one server",
        f"max_entries_per_feed = {s.max_entries_per_feed}",
        f"cache_size_mb = {s.cache_size_mb}",
        f"reader_width = {s.reader_width}",
        f"theme = {_toml_string(s.theme)}",
        f'player = {_toml_string(s.player)}               # e.g. "mpv --no-video"; empty: mpv, ffplay or vlc',
    ]
    if s.timeout_seconds != defaults.timeout_seconds:
        lines.append(f"timeout_seconds = {s.timeout_seconds}")
    if s.images != defaults.images:
        lines.append(f"images = {_toml_string(s.images)}  # auto, kitty, sixel, halfblock or off")
    if s.export_dir:
        lines.append(f"export_dir = {_toml_string(s.export_dir)}")
    lines += ["", "# Remap keys by binding id (see the help screen, `?`), e.g.:", "[keys]"]
    if config.keys:
        lines += [f"{_toml_string(k)} = {_toml_string(v)}" for k, v in sorted(config.keys.items())]
    else:
        lines.append('# "story_list.down" = "j,down"')
    if config.sync_table is not None:
        lines += _render_sync(config.sync_table)
    for sub in config.feeds:
        lines += ["", "[[feeds]]", f"url = {_toml_string(sub.url)}"]
        if sub.title:
            lines.append(f"title = {_toml_string(sub.title)}")
        if sub.folder:
            lines.append(f"folder = {_toml_string(sub.folder)}")
        if sub.tags:
            lines.append(f"tags = [{', '.join(_toml_string(tag) for tag in sub.tags)}]")
        if sub.refresh_minutes is not None:
            lines.append(f"refresh_minutes = {sub.refresh_minutes}")
        if not sub.fetch_full:
            lines.append("fetch_full = false")
        if sub.username is not None:
            lines.append(f"username = {_toml_string(sub.username)}")
        if sub.password_command:
            lines.append(f"password_command = {_toml_value(list(sub.password_command))}")
        if sub.headers:
            lines.append(f"headers = {_toml_value(dict(sub.headers))}")
        if sub.cookies:
            lines.append(f"cookies = {_toml_string(sub.cookies)}")
    for name, items in config.arrays.items():
        for item in items:
            lines += ["", f"[[{name}]]"]
            for key, value in item.items():
                rendered = _toml_value(value)
                if rendered is not None:
                    bare = re.fullmatch(r"[A-Za-z0-9_-]+", str(key))
                    lines.append(f"{key if bare else _toml_string(str(key))} = {rendered}")
    return "\n".join(lines) + "\n"


def save_config(config: Config, path: Path) -> None:
    """Write atomically: a crash mid-write never leaves a half config."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_suffix(".toml.tmp")
    temp.write_text(render_config(config), encoding="utf-8")
    temp.replace(path)


def unusable(errors: Iterable[ConfigError]) -> ConfigError | None:
    """The error that kept the whole file from being used (not valid TOML, or unreadable), if
    any: such a file must never be rewritten, or what the user wrote in it would be lost."""
    return next((e for e in errors if e.reason.startswith(_WHOLE_FILE)), None)


_WHOLE_FILE = ("not valid TOML", "cannot read the config")


def first_run_config(path: Path) -> Config:
    """The config a first run writes: the sample edition plus a few well-known public feeds."""
    feeds = tuple(Subscription(url, title, folder) for url, title, folder in DEFAULT_FEEDS)
    return Config(Settings(sample_edition=True), feeds, {}, path)


def with_feed(config: Config, sub: Subscription) -> Config:
    if any(existing.url == sub.url for existing in config.feeds):
        return config
    return replace(config, feeds=(*config.feeds, sub))


def without_feed(config: Config, url: str) -> Config:
    return replace(config, feeds=tuple(f for f in config.feeds if f.url != url))
