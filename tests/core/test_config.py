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
