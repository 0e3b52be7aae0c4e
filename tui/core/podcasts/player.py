"""Play an episode in an external audio player (mpv, ffplay, VLC or MPlayer), never through a shell.

Why external: a terminal app has no business decoding audio, and these players stream http(s)
and seek. The player is started in its own session with stdin/stdout/stderr on /dev/null, so it
can neither read the keys meant for the TUI nor print over the screen, and it outlives nothing
but its own playback.

Targets are untrusted (they come from feeds), so only two kinds are accepted: an http(s) URL and
a file inside the downloads directory. Nothing starting with "-" is ever passed, and "--" ends
the options before the target for players known to honour it.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tui.core.podcasts import PlayerError
from tui.core.podcasts.http_stream import is_web_url

NO_PLAYER = "No audio player found: install mpv, ffplay or vlc, or set player in the config"


@dataclass(frozen=True, slots=True)
class PlayerFlavour:
    """What Broadsheet knows about one player: default flags, how to start at a position."""

    name: str
    flags: tuple[str, ...]
    start_flag: (
        str  # "{s}" is replaced by whole seconds; each space-separated word is one argv item
    )
    ends_options: bool  # honours "--" before the target
    ipc_flag: str = ""  # "{path}" is replaced by a socket the player answers position queries on
    speed_flag: str = ""  # "{x}" is replaced by the playing speed (1.5)


# Order is preference: mpv and ffplay play audio quietly without any window; VLC is common.
KNOWN_PLAYERS: tuple[PlayerFlavour, ...] = (
    PlayerFlavour(
        "mpv",
        ("--no-video", "--really-quiet", "--no-terminal"),
        "--start={s}",
        True,
        "--input-ipc-server={path}",
        "--speed={x}",
    ),
    PlayerFlavour("ffplay", ("-nodisp", "-autoexit", "-loglevel", "quiet"), "-ss {s}", True),
    PlayerFlavour("cvlc", ("--play-and-exit", "--no-video", "--quiet"), "--start-time={s}", True),
    PlayerFlavour(
        "vlc", ("-I", "dummy", "--play-and-exit", "--no-video", "--quiet"), "--start-time={s}", True
    ),
    PlayerFlavour("mplayer", ("-really-quiet", "-novideo"), "-ss {s}", True),
)
_BY_NAME = {flavour.name: flavour for flavour in KNOWN_PLAYERS}


def find_player(configured: str | None = None) -> list[str] | None:
    """The player command as an argument list, without the target; None when there is none.

    A configured command ("mpv --volume=70") is split like a shell would, but never run by one;
    otherwise the first known player on PATH is used with its quiet, audio-only flags.
    """
    if configured and configured.strip():
        try:
            argv = shlex.split(configured)
        except ValueError as exc:  # an unbalanced quote
            raise PlayerError(f"The player setting cannot be read: {exc}") from exc
        return argv or None
    for flavour in KNOWN_PLAYERS:
        path = shutil.which(flavour.name)
        if path:
            return [path, *flavour.flags]
    return None


def build_command(
    target: str,
    *,
    start_seconds: int = 0,
    configured: str | None = None,
    ipc_path: str | None = None,
    speed: float = 1.0,
) -> list[str]:
    """The full argument list that plays `target` (already checked by `check_target`).

    With `ipc_path`, a player that can report its position (mpv) is told to listen there; a
    player that can play faster or slower (mpv) starts at `speed`.
    """
    command = find_player(configured)
    if not command:
        raise PlayerError(NO_PLAYER)
    flavour = _BY_NAME.get(_program_name(command[0]))
    argv = list(command)
    if flavour is not None and start_seconds > 0:
        argv += flavour.start_flag.format(s=int(start_seconds)).split()
    if flavour is not None and flavour.ipc_flag and ipc_path:
        argv.append(flavour.ipc_flag.format(path=ipc_path))
    if flavour is not None and flavour.speed_flag and speed != 1.0:
        argv.append(flavour.speed_flag.format(x=f"{speed:g}"))
    if flavour is not None and flavour.ends_options:
        argv.append("--")
    argv.append(target)
    return argv


def check_target(target: str, downloads: Path | None = None) -> str:
    """Return the target to hand to a player, or raise PlayerError when it is not safe to play.

    Allowed: an http(s) URL, or an existing file inside `downloads` (default: the downloads
    directory), given as its resolved absolute path.
    """
    if not target or target != target.strip() or target.startswith("-"):
        raise PlayerError("This address cannot be played")
    if any(ord(char) < 32 or ord(char) == 127 for char in target):
        raise PlayerError("This address cannot be played")
    if is_web_url(target):
        return target
    if "://" in target or target.lower().startswith(("file:", "javascript:", "data:")):
        raise PlayerError("Only http and https addresses can be played")
    if downloads is None:
        from tui.core.podcasts.download import downloads_dir

        downloads = downloads_dir()
    try:
        path = Path(target).resolve(strict=True)
        inside = path.is_relative_to(downloads.resolve()) and path.is_file()
    except (OSError, RuntimeError):  # missing file, symlink loop
        inside = False
    if not inside:
        raise PlayerError("Only downloaded episodes and http(s) addresses can be played")
    return str(path)


def play(
    target: str,
    *,
    start_seconds: int = 0,
    configured: str | None = None,
    downloads: Path | None = None,
    ipc_path: str | None = None,
    speed: float = 1.0,
) -> subprocess.Popen[bytes]:
    """Start a player on `target` (http(s) URL or downloaded file) and return its process.

    The caller may `terminate()` it to stop playback. Raises PlayerError with a plain message
    when the target is refused, no player is found or it cannot be started.
    """
    argv = build_command(
        check_target(target, downloads),
        start_seconds=start_seconds,
        configured=configured,
        ipc_path=ipc_path,
        speed=speed,
    )
    try:
        return subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # no controlling terminal: it cannot touch the TUI's
            close_fds=True,
        )
    except FileNotFoundError as exc:
        raise PlayerError(f"The player {_program_name(argv[0])!r} was not found") from exc
    except OSError as exc:
        raise PlayerError(f"The player could not be started: {exc.strerror or exc}") from exc


def _program_name(executable: str) -> str:
    name = os.path.basename(executable).lower()
    return name.removesuffix(".exe")
