"""The [sync] table: one clear line per mistake, and a password that is never stored."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tui.core.errors import ConfigError
from tui.core.sync.config import PASSWORD_ENV, SyncConfig, parse_sync_table

GOOD = {
    "kind": "greader",
    "url": "https://rss.example.org/api/greader.php",
    "user": "alice",
    "password_command": ["pass", "show", "freshrss"],
}


def test_a_good_table() -> None:
    config = parse_sync_table(dict(GOOD), Path("/home/a/config.toml"))
    assert config == SyncConfig(
        url="https://rss.example.org/api/greader.php",
        user="alice",
        password_command=("pass", "show", "freshrss"),
        source="/home/a/config.toml",
    )
    assert "password" not in repr(config).replace("password_command", "")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"password": "hunter2"}, "[sync] password: the password is never kept in the config"),
        ({"kind": "fever"}, '[sync] kind: must be "greader"'),
        ({"url": None}, "[sync] url: missing"),
        ({"url": "ftp://x"}, "[sync] url: must start with http"),
        ({"url": "https://me:pw@x.test/"}, "[sync] url: must not contain a user name"),
        ({"user": ""}, "[sync] user: missing"),
        ({"user": "a\x1b[31mb"}, "[sync] user: must be one line"),
        ({"password_command": "pass show rss"}, "[sync] password_command: must be a list"),
        ({"password_command": []}, "[sync] password_command: must be a non-empty list"),
        ({"password_command": ["pass", 3]}, "[sync] password_command: must be a non-empty list"),
        ({"app_id": "has space"}, "[sync] app_id: must be a string"),
        ({"interval": 5}, "[sync] interval: unknown sync setting"),
    ],
)
def test_bad_tables_name_the_file_and_the_key(change: dict[str, object], message: str) -> None:
    table = {**GOOD, **change}
    table = {k: v for k, v in table.items() if v is not None}
    with pytest.raises(ConfigError) as caught:
        parse_sync_table(table, "/home/a/config.toml", line_of=lambda key: 12)
    text = str(caught.value)
    assert text.startswith("/home/a/config.toml:12: ")
    assert message in text
    assert "hunter2" not in text and "\n" not in text


def test_not_a_table() -> None:
    with pytest.raises(ConfigError, match=r"\[sync\] must be a table"):
        parse_sync_table(["x"], "c.toml")


def script(tmp_path: Path, body: str) -> list[str]:
    path = tmp_path / "pw.py"
    path.write_text(body)
    return [sys.executable, str(path)]


def test_the_password_comes_from_the_environment_first_then_the_command(tmp_path: Path) -> None:
    command = script(tmp_path, "print('s3cret line one')\nprint('second line')\n")
    config = SyncConfig("https://x.test/", "alice", tuple(command), source="c.toml")
    assert config.password(env={}) == "s3cret line one"
    assert config.password(env={PASSWORD_ENV: "from-env"}) == "from-env"
    with pytest.raises(ConfigError, match="not set, and neither is BROADSHEET_SYNC_PASSWORD"):
        SyncConfig("https://x.test/", "alice", source="c.toml").password(env={})


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "import sys; print('leaked-secret', file=sys.stderr); sys.exit(3)",
            "exited with status 3",
        ),
        ("pass", "printed no password"),
        ("import sys; sys.stdout.buffer.write(b'\\xff\\xfe')", "not UTF-8"),
    ],
)
def test_a_failing_password_command_says_why_without_its_output(
    tmp_path: Path, body: str, message: str
) -> None:
    config = SyncConfig("https://x.test/", "alice", tuple(script(tmp_path, body)), source="c.toml")
    with pytest.raises(ConfigError, match=message) as caught:
        config.password(env={})
    assert "leaked-secret" not in str(caught.value)
    assert str(caught.value).startswith("c.toml: [sync] password_command: ")


def test_a_missing_or_hanging_password_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = SyncConfig("https://x.test/", "a", ("/nonexistent/pass-tool",), source="c.toml")
    with pytest.raises(ConfigError, match="pass-tool was not found"):
        config.password(env={})
    monkeypatch.setattr("tui.core.sync.config.PASSWORD_COMMAND_TIMEOUT", 0.5)
    slow = SyncConfig("https://x.test/", "a", tuple(script(tmp_path, "import time; time.sleep(5)")))
    with pytest.raises(ConfigError, match=r"did not finish within 0\.5 s"):
        slow.password(env={})


def test_no_shell_is_involved(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    config = SyncConfig("https://x.test/", "a", ("echo", f"pw; touch {marker}"))
    assert config.password(env={}) == f"pw; touch {marker}"
    assert not marker.exists()


def test_config_engine_and_queue_load_no_network_stack_or_parser() -> None:
    """config.py may import these at start-up: only greader.py loads httpx and the feed code."""
    import subprocess

    probe = (
        "import sys\n"
        "import tui.core.sync, tui.core.sync.config, tui.core.sync.engine, tui.core.sync.queue\n"
        "print(' '.join(sorted(m.split('.')[0] for m in sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = set(out.stdout.split())
    assert not loaded & {"httpx", "lxml", "selectolax", "textual", "rich"}
    assert "tui" in loaded
