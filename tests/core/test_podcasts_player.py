"""Starting an external player: exact argument lists, refused targets, detachment from the TTY.

The "players" are small Python scripts placed on a PATH made only of a temp directory; each
writes its argv, session id and stdin to a JSON file, so the tests see exactly what a real
player would have been given.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from tui.core.podcasts import PlayerError
from tui.core.podcasts.download import downloads_dir
from tui.core.podcasts.player import NO_PLAYER, find_player, play

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX executables and sessions")

URL = "https://podcasts.example/episodes/42.mp3"
FAKE_PLAYER = f"""#!{sys.executable}
import json, os, sys
stdin = os.readlink("/proc/self/fd/0") if os.path.exists("/proc/self/fd/0") else None
record = {{"argv": sys.argv[1:], "name": os.path.basename(sys.argv[0]),
          "sid": os.getsid(0), "stdin": stdin}}
with open(os.environ["PLAYER_RECORD"], "w") as out:
    json.dump(record, out)
"""


def install(bin_dir: Path, name: str) -> Path:
    script = bin_dir / name
    script.write_text(FAKE_PLAYER)
    script.chmod(0o755)
    return script


def run(target: str, **kwargs: Any) -> dict[str, Any]:
    """Play `target`, wait for the fake player and return what it recorded."""
    process = play(target, **kwargs)
    assert process.wait(timeout=10) == 0
    return json.loads(Path(os.environ["PLAYER_RECORD"]).read_text())


def test_mpv_gets_quiet_audio_flags_start_position_and_end_of_options(bin_dir: Path) -> None:
    install(bin_dir, "mpv")
    record = run(URL, start_seconds=75)
    assert record["name"] == "mpv"
    assert record["argv"] == [
        "--no-video",
        "--really-quiet",
        "--no-terminal",
        "--start=75",
        "--",
        URL,
    ]


def test_player_is_detached_from_the_terminal(bin_dir: Path) -> None:
    install(bin_dir, "mpv")
    record = run(URL)
    assert record["sid"] != os.getsid(0)  # a session of its own: no controlling terminal
    if record["stdin"] is not None:
        assert record["stdin"] == "/dev/null"
    assert "--start=0" not in record["argv"]  # no start flag for the beginning


def test_mpv_is_preferred_and_ffplay_gets_its_own_flags(bin_dir: Path) -> None:
    install(bin_dir, "ffplay")
    record = run(URL, start_seconds=5)
    assert record["name"] == "ffplay"
    assert record["argv"] == ["-nodisp", "-autoexit", "-loglevel", "quiet", "-ss", "5", "--", URL]
    install(bin_dir, "mpv")
    assert find_player() == [str(bin_dir / "mpv"), "--no-video", "--really-quiet", "--no-terminal"]


def test_configured_command_is_split_not_shelled(bin_dir: Path) -> None:
    install(bin_dir, "mpv")
    record = run(URL, configured="mpv --volume=70 '--title=my player'", start_seconds=9)
    assert record["argv"] == ["--volume=70", "--title=my player", "--start=9", "--", URL]


def test_unknown_configured_player_gets_only_the_target(bin_dir: Path) -> None:
    install(bin_dir, "myplayer")
    record = run(URL, configured="myplayer --loud; rm -rf ~", start_seconds=30)
    # the ";" reached the program as a plain word: no shell ever saw it
    assert record["argv"] == ["--loud;", "rm", "-rf", "~", URL]


def test_downloaded_file_plays_by_absolute_path(bin_dir: Path) -> None:
    install(bin_dir, "mpv")
    episode = downloads_dir() / "Episode 1-0123abcd.mp3"
    episode.write_bytes(b"\xff\xfb\x90\x00")
    record = run(str(episode))
    assert record["argv"][-2:] == ["--", str(episode.resolve())]


@pytest.mark.parametrize(
    "target",
    [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "-x",
        "--script=/tmp/evil.lua",
        "ftp://example.com/a.mp3",
        "https://",
        "data:audio/mp3;base64,AAAA",
        "https://example.com/a.mp3\n--script=x",
        " https://example.com/a.mp3",
        "/etc/passwd",  # an existing file, but not a downloaded episode
        "",
    ],
)
def test_unsafe_targets_are_refused_before_anything_starts(bin_dir: Path, target: str) -> None:
    install(bin_dir, "mpv")
    with pytest.raises(PlayerError):
        play(target)
    assert not Path(os.environ["PLAYER_RECORD"]).exists()


def test_symlink_in_downloads_pointing_outside_is_refused(bin_dir: Path, tmp_path: Path) -> None:
    install(bin_dir, "mpv")
    outside = tmp_path / "secret.txt"
    outside.write_text("not audio")
    link = downloads_dir() / "innocent.mp3"
    link.symlink_to(outside)
    with pytest.raises(PlayerError, match="Only downloaded episodes"):
        play(str(link))


def test_no_player_on_path_says_what_to_install(bin_dir: Path) -> None:
    assert find_player() is None
    with pytest.raises(PlayerError) as caught:
        play(URL)
    assert str(caught.value) == NO_PLAYER


def test_configured_player_that_does_not_exist(bin_dir: Path) -> None:
    with pytest.raises(PlayerError, match="'no-such-player' was not found"):
        play(URL, configured="no-such-player --flag")


def test_configured_player_with_broken_quoting(bin_dir: Path) -> None:
    with pytest.raises(PlayerError, match="cannot be read"):
        play(URL, configured="mpv '--title=unclosed")
