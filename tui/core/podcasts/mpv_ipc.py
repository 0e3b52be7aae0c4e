"""Talking to mpv over its JSON IPC socket: one request, one reply, a short timeout.

mpv writes events (`{"event": …}`) on the socket too; they are skipped until the reply with our
request id arrives. Anything else (no socket, silence, garbage, an error reply) is "no answer":
the callers treat it as a player that cannot do what was asked.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

IPC_TIMEOUT = 1.0
MAX_REPLY = 65536


class NoAnswer(Exception):
    """The player did not answer, or answered with an error."""


def mpv_request(ipc_path: Path, command: list[object], timeout: float = IPC_TIMEOUT) -> object:
    """Send `command` (e.g. ["set_property", "speed", 1.5]); the reply's data, else NoAnswer."""
    if not ipc_path.exists():
        raise NoAnswer("no IPC socket")
    request = {"command": command, "request_id": 7}
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(str(ipc_path))
            sock.sendall(json.dumps(request).encode() + b"\n")
            buffer = b""
            received = 0
            while received < MAX_REPLY:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                received += len(chunk)
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                for line in lines:
                    reply = json.loads(line)
                    if isinstance(reply, dict) and reply.get("request_id") == 7:
                        if reply.get("error") != "success":
                            raise NoAnswer(str(reply.get("error"))[:100])
                        return reply.get("data")
    except (OSError, ValueError) as exc:
        raise NoAnswer(str(exc)[:100]) from exc
    raise NoAnswer("no reply")
