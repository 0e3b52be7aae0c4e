"""Playback: one player at a time, the position it reports saved, played marks at the end.

The players are small Python scripts on a PATH made only of a temp directory. The stand-in
mpv (tests/stand_in_players.py) listens on the IPC socket it is given and reports a position far
from the wall clock (100 s), so a test can tell a reported position from a timed one.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.stand_in_players import install_ffplay, install_mpv
from tui.core.cache import Cache
from tui.core.listening import Listening
from tui.core.models import Episode
from tui.core.podcasts import playback
from tui.core.podcasts.playback import Playback, ask_position
from tui.core.state import EpisodeMark, State

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX executables and sockets")

URL = "http://127.0.0.1:9/episodes/42.mp3"  # never fetched: the stand-in players play nothing

# ffplay reports nothing: its position is timed. It runs for $PLAYER_SECONDS and exits with
# $PLAYER_EXIT, like a player reaching the end of the file (or failing).


@pytest.fixture
def listening(tmp_path: Path) -> Listening:
    state = State(tmp_path / "state.db")
    return Listening(Cache(tmp_path / "cache"), state)


def episode(seconds: int | None = 3600) -> Episode:
    return Episode(url=URL, title="Episode 42", duration_seconds=seconds)


def recorded_argv(tmp_path: Path) -> list[str]:
    record = tmp_path / "record.json"
    deadline = time.monotonic() + 10
    while not record.exists() or not record.read_text():
        assert time.monotonic() < deadline, "the player never started"
        time.sleep(0.02)
    return list(json.loads(record.read_text()))


def wait_for(predicate, what: str, timeout: float = 10) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def test_stop_saves_the_position_mpv_reports(
    bin_dir: Path, tmp_path: Path, listening: Listening
) -> None:
    install_mpv(bin_dir)
    assert listening.play(episode()) == 0
    argv = recorded_argv(tmp_path)
    socket_arg = next(a for a in argv if a.startswith("--input-ipc-server="))
    socket_path = Path(socket_arg.split("=", 1)[1])
    wait_for(socket_path.exists, "the player's socket")
    assert listening.playing == episode()
    assert listening.stop() == episode()
    mark = listening.state.episode_mark(URL)
    assert not mark.played
    assert 100 <= mark.seconds < 110  # what the player said, not the second or so it ran
    assert not socket_path.parent.exists()  # the socket's directory is cleaned up
    assert listening.playing is None


def test_playing_again_resumes_a_little_before_the_saved_position(
    bin_dir: Path, tmp_path: Path, listening: Listening
) -> None:
    install_mpv(bin_dir)
    listening.state.set_episode_position(URL, 125.0)
    assert listening.play(episode()) == 122
    assert "--start=122" in recorded_argv(tmp_path)
    listening.stop()


def test_resume_starts_over_when_played_or_at_the_end(tmp_path: Path) -> None:
    state = State(tmp_path / "state.db")
    player = Playback(state)
    assert player.resume_at(episode()) == 0  # never played
    state.set_episode_position(URL, 3590.0)
    assert player.resume_at(episode()) == 0  # in the last seconds: start over
    state.set_episode_position(URL, 600.0)
    assert player.resume_at(episode()) == 597
    state.set_played(URL, True)
    assert state.episode_mark(URL) == EpisodeMark(played=True, seconds=0.0)
    assert player.resume_at(episode()) == 0


def test_a_player_that_reports_nothing_is_timed(
    bin_dir: Path, tmp_path: Path, listening: Listening
) -> None:
    install_ffplay(bin_dir)
    listening.play(episode())
    assert not any("ipc" in a for a in recorded_argv(tmp_path))  # ffplay has no such flag
    time.sleep(0.5)
    listening.stop()
    seconds = listening.state.episode_mark(URL).seconds
    assert 0.4 <= seconds < 10


def test_position_is_saved_while_playing(
    bin_dir: Path,
    tmp_path: Path,
    listening: Listening,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """So that a crash (kill -9 of the app) loses only the last few seconds."""
    monkeypatch.setattr(playback, "SAVE_EVERY", 0.1)
    install_mpv(bin_dir)
    listening.play(episode())
    other = State(tmp_path / "state.db")  # another connection: what a new process would see
    wait_for(lambda: other.episode_mark(URL).seconds >= 100, "a saved position")
    listening.stop()


@pytest.mark.parametrize(
    ("length", "exit_code", "played"),
    [(None, 0, True), (20, 0, True), (3600, 0, False), (3600, 1, False)],
)
def test_a_player_ending_by_itself(
    bin_dir: Path,
    tmp_path: Path,
    listening: Listening,
    monkeypatch: pytest.MonkeyPatch,
    length: int | None,
    exit_code: int,
    played: bool,
) -> None:
    """Played when it ends with success and no length says otherwise, or reaches the end."""
    monkeypatch.setattr(playback, "FAILED_WITHIN", 0.1)
    monkeypatch.setenv("PLAYER_SECONDS", "0.3")
    monkeypatch.setenv("PLAYER_EXIT", str(exit_code))
    install_ffplay(bin_dir)
    ended: list[str] = []
    done = threading.Event()
    listening.play(episode(length), on_end=lambda e, message: (ended.append(message), done.set()))
    assert done.wait(10)
    mark = listening.state.episode_mark(URL)
    assert mark.played is played
    if played:
        assert ended == ["Played to the end: Episode 42"]
    else:
        assert ended[0].startswith("Stopped at 0:00: Episode 42")
        assert 0.2 <= mark.seconds < 5
    assert listening.playing is None


def test_a_player_that_fails_at_once_saves_nothing(
    bin_dir: Path, listening: Listening, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLAYER_SECONDS", "0")
    monkeypatch.setenv("PLAYER_EXIT", "2")
    install_ffplay(bin_dir)
    ended: list[str] = []
    done = threading.Event()
    listening.play(episode(), on_end=lambda e, message: (ended.append(message), done.set()))
    assert done.wait(10)
    assert ended == ["The player stopped at once (exit status 2): Episode 42"]
    assert listening.state.episode_marks() == {}


def test_a_new_episode_stops_the_one_playing(
    bin_dir: Path, tmp_path: Path, listening: Listening
) -> None:
    install_ffplay(bin_dir)
    listening.play(episode())
    recorded_argv(tmp_path)
    first = listening.playback._current
    assert first is not None
    other = Episode(url=URL.replace("42", "43"), title="Episode 43", duration_seconds=60)
    listening.play(other)
    assert first.process.poll() is not None  # the first player was stopped
    assert listening.playing == other
    assert URL in listening.state.episode_marks()  # and its position kept
    listening.stop()


async def test_closing_stops_the_player_and_keeps_its_position(
    bin_dir: Path, tmp_path: Path, listening: Listening
) -> None:
    install_mpv(bin_dir)
    listening.play(episode())
    recorded_argv(tmp_path)
    process = listening.playback._current.process  # type: ignore[union-attr]
    await listening.aclose()
    assert process.poll() is not None
    assert listening.state.episode_mark(URL).seconds >= 100


def test_toggle_played(listening: Listening) -> None:
    assert listening.toggle_played(episode()) is True
    assert listening.marks() == {URL: EpisodeMark(played=True)}
    assert listening.toggle_played(episode()) is False
    assert listening.marks() == {URL: EpisodeMark(played=False)}


def test_ask_position_tolerates_silence_and_garbage(tmp_path: Path) -> None:
    import socket

    assert ask_position(tmp_path / "missing.sock") is None
    path = tmp_path / "bad.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(1)

    def answer_garbage() -> None:
        conn, _ = server.accept()
        with conn:
            asked = json.loads(conn.recv(4096))  # answer the request's own id, with garbage
            reply = {"request_id": asked["request_id"], "error": "success", "data": "\x1b[2J"}
            conn.sendall(json.dumps(reply).encode() + b"\n")

    thread = threading.Thread(target=answer_garbage)
    thread.start()
    assert ask_position(path, timeout=2) is None
    thread.join()
    server.close()
