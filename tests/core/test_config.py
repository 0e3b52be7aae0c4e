"""The TOML config: problems reported with file and line, defaults kept, round trip."""

from __future__ import annotations

from pathlib import Path

from tui.core.config import (
    Subscription,
    first_run_config,
    load_config,
    parse_config,
    render_config,
    save_config,
    with_feed,
)

GOOD = """
[settings]
refresh_minutes = 15
theme = "nord"

[keys]
"story_list.down" = "j,down,ctrl+n"

[[feeds]]
url = "https://example.org/feed.xml"
title = "Example"
folder = "News"
fetch_full = false
"""


def test_good_config() -> None:
    config, errors = parse_config(GOOD)
    assert errors == []
    assert config.settings.refresh_minutes == 15 and config.settings.theme == "nord"
    assert config.feeds == (
        Subscription("https://example.org/feed.xml", "Example", "News", None, False),
    )
    assert config.keys == {"story_list.down": "j,down,ctrl+n"}


def test_unknown_keys_and_bad_values_name_their_line() -> None:
    text = '[settings]\nrefresh_minutes = "often"\ncolour = "red"\n\n[[feeds]]\nurl = "https://a/f"\nspeed = 3\n\n[[feeds]]\nurl = "ftp://b"\n'
    config, errors = parse_config(text, Path("/c.toml"))
    messages = [str(e) for e in errors]
    assert "/c.toml:2: bad value for 'refresh_minutes': 'often'" in messages
    assert "/c.toml:3: unknown setting 'colour'" in messages
    assert "/c.toml:7: unknown feed option 'speed'" in messages
    assert any(m.startswith("/c.toml:9: a feed needs an http(s) url") for m in messages)
    assert [f.url for f in config.feeds] == ["https://a/f"]
    assert config.settings.refresh_minutes == 30  # the default stands


def test_broken_toml_gives_defaults_and_a_line() -> None:
    config, errors = parse_config("[settings\nx=1\n", Path("/c.toml"))
    assert config.feeds == () and len(errors) == 1 and errors[0].line == 1


def test_first_run_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    config = with_feed(
        first_run_config(path), Subscription('https://x/"quoted".xml', "Quote \\ me")
    )
    save_config(config, path)
    loaded, errors = load_config(path)
    assert errors == []
    assert loaded.feeds == config.feeds and loaded.settings == config.settings
    assert render_config(loaded) == path.read_text()


def test_tags_parse_render_and_bad_values_name_their_line() -> None:
    text = (
        '[[feeds]]\nurl = "https://a/f"\nfolder = "News"\ntags = ["World", " Daily ", "News"]\n'
        '\n[[feeds]]\nurl = "https://b/f"\ntags = "World"\n'
        '\n[[feeds]]\nurl = "https://c/f"\ntags = ["ok", 3]\n'
    )
    config, errors = parse_config(text, Path("/c.toml"))
    assert [str(e) for e in errors] == [
        "/c.toml:8: bad value for feed option 'tags': 'World'",
        "/c.toml:12: bad value for feed option 'tags': ['ok', 3]",
    ]
    first = config.feeds[0]
    assert first.tags == ("World", "Daily", "News")
    assert first.labels == ("News", "World", "Daily")  # the folder first, each name once
    assert config.feeds[1].labels == ()  # the feed stays, without the bad tags
    again, errors = parse_config(render_config(config))
    assert errors == [] and again.feeds == config.feeds


SYNCED = """[settings]
sample_edition = false

[sync]
kind = "greader"
url = "https://rss.example.org/api/greader.php"
user = "alice"
password_command = ["pass", "show", "rss"]

[[feeds]]
url = "https://example.org/feed.xml"
"""


def test_the_sync_table_is_parsed_and_kept_when_the_config_is_rewritten(tmp_path: Path) -> None:
    config, errors = parse_config(SYNCED, tmp_path / "config.toml")
    assert errors == []
    assert config.sync is not None
    assert (config.sync.url, config.sync.user) == (
        "https://rss.example.org/api/greader.php",
        "alice",
    )
    assert config.sync.password_command == ("pass", "show", "rss")
    save_config(with_feed(config, Subscription("https://b.example.org/f")), tmp_path / "c.toml")
    again, errors = load_config(tmp_path / "c.toml")
    assert errors == []
    assert again.sync is not None and again.sync.url == config.sync.url
    assert again.sync.password_command == config.sync.password_command
    assert [f.url for f in again.feeds] == [
        "https://example.org/feed.xml",
        "https://b.example.org/f",
    ]


def test_a_bad_sync_table_is_one_line_naming_the_file_line_and_key(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    config, errors = parse_config(SYNCED.replace("https://rss", "ftp://rss"), path)
    assert config.sync is None
    assert [str(e) for e in errors] == [
        f"{path}:6: [sync] url: must start with http:// or https:// and name a host"
    ]
    # Rewriting the config keeps the table as written, for the user to fix.
    assert 'url = "ftp://rss.example.org/api/greader.php"' in render_config(config)


def test_a_password_in_the_config_is_refused_and_never_written_back(tmp_path: Path) -> None:
    text = SYNCED.replace('user = "alice"', 'user = "alice"\npassword = "hunter2-secret"')
    config, errors = parse_config(text, tmp_path / "config.toml")
    assert len(errors) == 1 and "[sync] password" in str(errors[0])
    assert "hunter2-secret" not in str(errors[0])
    assert "hunter2-secret" not in render_config(config)
    assert 'user = "alice"' in render_config(config)


def test_strings_with_control_characters_round_trip() -> None:
    text = SYNCED.replace('"rss"]', '"a\\"b\\\\c\\nd\\u0007"]')
    config, errors = parse_config(text)
    assert errors == [] and config.sync is not None
    again, errors = parse_config(render_config(config))
    assert errors == [] and again.sync is not None
    assert again.sync.password_command == ("pass", "show", 'a"b\\c\nd\x07')
