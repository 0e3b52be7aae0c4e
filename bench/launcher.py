"""Run benchmark children from a small helper process, so that their peak memory is their own.

Linux counts, in a child's ru_maxrss, the memory of the process that started it as it was at the
fork: the copy that exec replaces sets the child's high-water mark. A bench holding 400 MB of
generated feeds therefore reports every child it starts, even /bin/true, at 400 MB or more. So
the benches start their children through this helper, launched while they are still small; it
reports each child's wall time, exit code and peak RSS, and also the peak of the RSS summed
over the child and its descendants (worker processes), sampled every 20 ms from /proc, so a
tool that spreads over several processes is not flattered by the largest one alone.

    with Launcher() as launcher:          # before generating anything big
        run = launcher.run(argv, env=env, cwd=cwd, stdout=path, stderr=path)
        run.seconds, run.returncode, run.max_rss_mb, run.tree_rss_mb

`floor_mb` is what /bin/true reports when started by the helper: the smallest figure a child can
have, for reading the others.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

_HELPER = r"""
import json, os, subprocess, sys, threading, time

def tree(pid):
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return pids

def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0

for line in sys.stdin:
    job = json.loads(line)
    peak = [0]
    done = threading.Event()
    with open(job["stdout"], "wb") as out, open(job["stderr"], "wb") as err:
        start = time.perf_counter()
        child = subprocess.Popen(job["argv"], env=job["env"], cwd=job["cwd"], stdout=out, stderr=err)
        def sample():
            while not done.wait(0.02):
                peak[0] = max(peak[0], sum(rss_kb(p) for p in tree(child.pid)))
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
    child.returncode = os.waitstatus_to_exitcode(status)
    answer = {"seconds": seconds, "returncode": child.returncode,
              "maxrss_kb": usage.ru_maxrss, "tree_kb": max(peak[0], usage.ru_maxrss)}
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
"""


@dataclass(frozen=True)
class ChildRun:
    seconds: float
    returncode: int
    max_rss_mb: float  # the largest single process of the child's tree (ru_maxrss, MiB)
    tree_rss_mb: float  # the peak of the tree's summed RSS (sampled; MiB)


class Launcher:
    """The helper process; see the module docstring. Use as a context manager."""

    def __init__(self) -> None:
        self._helper = subprocess.Popen(
            [sys.executable, "-S", "-c", _HELPER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.floor_mb = self.run(["true"], env={"PATH": "/usr/bin:/bin"}, cwd=Path("/")).max_rss_mb

    def run(
        self,
        argv: list[str],
        *,
        env: dict[str, str],
        cwd: Path,
        stdout: Path | None = None,
        stderr: Path | None = None,
    ) -> ChildRun:
        """Run `argv` to completion (output to the given files, else discarded)."""
        assert self._helper.stdin is not None and self._helper.stdout is not None
        job = {
            "argv": argv,
            "env": env,
            "cwd": str(cwd),
            "stdout": str(stdout or "/dev/null"),
            "stderr": str(stderr or "/dev/null"),
        }
        self._helper.stdin.write(json.dumps(job) + "\n")
        self._helper.stdin.flush()
        answer = json.loads(self._helper.stdout.readline())
        return ChildRun(
            answer["seconds"],
            answer["returncode"],
            answer["maxrss_kb"] / 1024,
            answer["tree_kb"] / 1024,
        )

    def close(self) -> None:
        if self._helper.stdin is not None:
            self._helper.stdin.close()
        self._helper.wait(timeout=10)

    def __enter__(self) -> Launcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
