"""The stand-in players of the playback and listening-room tests (core and UI): Python scripts
installed as `mpv` or `ffplay` in a temp directory that is the whole PATH.

The stand-in mpv answers JSON IPC requests on the socket `--input-ipc-server=` names like mpv
does (an event line first, then the reply carrying the request's id), keeps a speed (started from
`--speed=`) and a position (`get_property`, `set_property`, `seek`), and appends every command it
gets to $PLAYER_COMMANDS (when set), one JSON list a line, so a test can see what the player was
asked. Its argv goes to $PLAYER_RECORD. It stops on SIGTERM. The stand-in ffplay answers nothing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

_SCRIPT = """#!{python}
import json, os, signal, socket, sys
EVERY_LAUNCH, TIMED, TIME_POS = {every_launch!r}, {timed!r}, {time_pos!r}
args = sys.argv[1:]
with open(os.environ["PLAYER_RECORD"], "a" if EVERY_LAUNCH else "w") as out:
    out.write(json.dumps(args) + ("\\n" if EVERY_LAUNCH else ""))
state = {{"speed": 1.0, "time-pos": TIME_POS}}
for a in args:
    if a.startswith("--speed="):
        state["speed"] = float(a.split("=", 1)[1])
path = next(a.split("=", 1)[1] for a in args if a.startswith("--input-ipc-server="))
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(path)
server.listen(4)
server.settimeout(float(os.environ.get("PLAYER_SECONDS", "60")) if TIMED else None)
try:
    while True:
        conn, _ = server.accept()
        with conn:
            request = json.loads(conn.makefile().readline())
            command = request["command"]
            if "PLAYER_COMMANDS" in os.environ:
                with open(os.environ["PLAYER_COMMANDS"], "a") as log:
                    log.write(json.dumps(command) + "\\n")
            data = None
            if command[0] == "get_property":
                data = state[command[1]]
            elif command[0] == "set_property":
                state[command[1]] = command[2]
            elif command[0] == "seek":
                state["time-pos"] = float(command[1])
            conn.sendall(b'{{"event": "playback-restart"}}\\n')  # events come first: skipped
            reply = {{"request_id": request["request_id"], "error": "success", "data": data}}
            conn.sendall(json.dumps(reply).encode() + b"\\n")
except socket.timeout:
    sys.exit(0)  # played to the end
"""


def install_mpv(
    bin_dir: Path, *, time_pos: float = 100.0, every_launch: bool = False, timed: bool = False
) -> Path:
    """Write the stand-in mpv into `bin_dir`, which the test has made the PATH.

    `time_pos` is the position it reports before any seek. With `every_launch`, $PLAYER_RECORD
    gets one JSON line per launch (read it with `json_lines`); without, it holds the argv of
    the last launch as one JSON list. With `timed`, it "plays" for $PLAYER_SECONDS (60 unless
    set) and then ends with status 0, as at the end of the file; without, it runs until stopped.
    """
    script = _SCRIPT.format(
        python=sys.executable, every_launch=every_launch, timed=timed, time_pos=float(time_pos)
    )
    path = bin_dir / "mpv"
    path.write_text(script)
    path.chmod(0o755)
    return path


def json_lines(path: Path) -> list[list[object]]:
    """A log of one JSON list a line (commands, or launches): [] before its first line."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


# ffplay reports nothing: its position is timed. It runs for $PLAYER_SECONDS (60 unless set) and
# exits with $PLAYER_EXIT (0 unless set), like a player reaching the end of the file (or failing).
_FFPLAY = """#!{python}
import json, os, signal, sys, time
with open(os.environ["PLAYER_RECORD"], "w") as out:
    json.dump(sys.argv[1:], out)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
time.sleep(float(os.environ.get("PLAYER_SECONDS", "60")))
sys.exit(int(os.environ.get("PLAYER_EXIT", "0")))
"""


def install_ffplay(bin_dir: Path) -> Path:
    """Write the stand-in ffplay into `bin_dir`, which the test has made the PATH: it records its
    argv in $PLAYER_RECORD (one JSON list) and answers nothing."""
    path = bin_dir / "ffplay"
    path.write_text(_FFPLAY.format(python=sys.executable))
    path.chmod(0o755)
    return path
