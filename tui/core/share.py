"""Send-to: run a command of the user's (`[[share]]` in the config) on an article.

A command is an argument list, never a shell line: `["wallabag-cli", "add", "{url}"]`. Only
three placeholders exist, `{url}`, `{title}` and `{file}` (the article exported as Markdown),
and each is replaced inside an argument by plain text, so a title full of quotes or `;` is one
argument and nothing more. The command gets no input, runs at most SHARE_SECONDS (then it and
its process group are stopped), and what is reported is its exit status and the first line of
its error output, cleaned of terminal controls.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
from dataclasses import dataclass

from tui.core.sanitize import clean_line

SHARE_SECONDS = 30.0
PLACEHOLDERS = ("{url}", "{title}", "{file}")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


@dataclass(frozen=True, slots=True)
class Share:
    """One `[[share]]` entry."""

    name: str
    command: tuple[str, ...]

    @property
    def needs_file(self) -> bool:
        return any("{file}" in arg for arg in self.command)


@dataclass(frozen=True, slots=True)
class ShareOutcome:
    name: str
    status: int | None  # the exit status; None when it could not start or was stopped
    error: str = ""  # the first line of its error output, or why it did not run

    @property
    def ok(self) -> bool:
        return self.status == 0

    def line(self) -> str:
        """One sentence for the status bar or the terminal."""
        if self.ok:
            return f"Sent to {self.name}."
        if self.status is None:
            return f"{self.name}: {self.error}"
        detail = f": {self.error}" if self.error else ""
        return f"{self.name} failed (exit status {self.status}){detail}"


def bad_placeholders(command: list[str] | tuple[str, ...]) -> list[str]:
    """The `{…}` in `command` that are not one of PLACEHOLDERS."""
    return [p for arg in command for p in _PLACEHOLDER.findall(arg) if p not in PLACEHOLDERS]


def arguments(share: Share, url: str, title: str, file: str = "") -> list[str]:
    values = {"{url}": url, "{title}": title, "{file}": file}
    return [
        _PLACEHOLDER.sub(lambda m: values.get(m.group(), m.group()), arg) for arg in share.command
    ]


def run_share(
    share: Share, url: str, title: str, file: str = "", *, seconds: float = SHARE_SECONDS
) -> ShareOutcome:
    """Run `share` for one article and wait (at most `seconds`). Blocks: call in a thread."""
    args = arguments(share, url, title, file)
    try:
        process = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group: stopped whole on time-out
        )
    except OSError as error:
        return ShareOutcome(share.name, None, f"cannot run {args[0]!r} ({error.strerror or error})")
    try:
        _, stderr = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except OSError:
            process.kill()
        process.communicate()
        return ShareOutcome(share.name, None, f"stopped after {seconds:g} s")
    first = next(
        (ln for ln in stderr[:65536].decode("utf-8", "replace").splitlines() if ln.strip()), ""
    )
    return ShareOutcome(share.name, process.returncode, clean_line(first, 300))
