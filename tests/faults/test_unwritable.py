"""A cache or data directory that cannot be written, and a disk that fills up: the command still
runs and says so in one plain notice, with no traceback.

The tests run as root, where chmod 0o500 does not stop writes; so the read-only case is made
by putting a regular FILE where the directory should be (it then cannot be created), and the
chmod variant runs only where chmod really protects. A full disk is simulated with
RLIMIT_FSIZE in the child (writes past the limit fail with EFBIG; Python ignores SIGXFSZ).
"""

from __future__ import annotations

import resource
import subprocess
import time
from pathlib import Path

import pytest

from tests.faults._support import (
    ROOT,
    build_site,
    cache_dir,
    child_env,
    command,
    run_cli,
    state_path,
    write_config,
)
from tests.servers.loopback import LoopbackServer, serve


def _chmod_protects(directory: Path) -> bool:
    """True when a 0o500 directory really refuses writes (not as root)."""
    probe = directory / "probe"
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o500)
    try:
        probe.write_text("x")
    except PermissionError:
        return True
    else:
        probe.unlink()
        return False
    finally:
        directory.chmod(0o700)


def _site(server: LoopbackServer, dirs: dict[str, Path]) -> None:
    routes, _ = build_site(str(server), 4, 10)
    for path, route in routes.items():
        server.route(path, route)
    write_config(dirs, [server.url(f"/feed{f}.xml") for f in range(4)])


def _assert_one_plain_notice(done: subprocess.CompletedProcess[str], word: str) -> None:
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout.startswith("Refreshed 4 of 4 feeds"), done.stdout
    notices = [line for line in done.stderr.splitlines() if word in line.lower()]
    assert len(notices) == 1, done.stderr


@pytest.mark.parametrize("which", ["cache", "data"])
@pytest.mark.parametrize("how", ["file-in-the-way", "chmod-0500"])
def test_unwritable_dir_runs_with_one_notice(
    isolated_dirs: dict[str, Path], which: str, how: str
) -> None:
    target = cache_dir(isolated_dirs) if which == "cache" else state_path(isolated_dirs).parent
    if how == "chmod-0500":
        if not _chmod_protects(target):
            pytest.skip("running as root: chmod 0o500 does not stop writes here")
        target.chmod(0o500)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("a file where the directory should be")
    try:
        with serve() as server:
            _site(server, isolated_dirs)
            done = run_cli(isolated_dirs, "refresh")
    finally:
        if target.is_dir():
            target.chmod(0o700)
    _assert_one_plain_notice(done, which if which == "cache" else "state")


def test_unwritable_dirs_never_crash(isolated_dirs: dict[str, Path]) -> None:
    """Without the notice: both dirs unusable, every command still works from memory."""
    for target in (cache_dir(isolated_dirs), state_path(isolated_dirs).parent):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("in the way")
    with serve() as server:
        _site(server, isolated_dirs)
        for verb in ("refresh", "prefetch", "cache"):
            done = run_cli(isolated_dirs, *([verb, "info"] if verb == "cache" else [verb]))
            assert done.returncode == 0, (verb, done.stderr)
            assert "Traceback" not in done.stderr
        page = run_cli(isolated_dirs, "read", server.url("/a/0/0.html"))
        assert page.returncode == 0 and "ENDTOKEN0x0" in page.stdout


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (48 * 1024, 48 * 1024))


def test_full_disk_runs_with_one_notice(isolated_dirs: dict[str, Path]) -> None:
    with serve() as server:
        _site(server, isolated_dirs)
        done = _run_limited(isolated_dirs, "refresh")
    _assert_one_plain_notice(done, "cache")


def _run_limited(dirs: dict[str, Path], verb: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command(verb),
        env=child_env(dirs),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limit_file_size,  # one setrlimit before exec
        check=False,
    )


def test_full_disk_on_a_new_cache_never_crashes(isolated_dirs: dict[str, Path]) -> None:
    with serve() as server:
        _site(server, isolated_dirs)
        done = _run_limited(isolated_dirs, "refresh")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout.startswith("Refreshed 4 of 4 feeds"), done.stdout
    # the limit really bit: the cache database could not grow past it
    assert 0 < (cache_dir(isolated_dirs) / "cache.db").stat().st_size <= 48 * 1024


def test_full_disk_keeps_a_healthy_cache(isolated_dirs: dict[str, Path]) -> None:
    with serve() as server:
        _site(server, isolated_dirs)
        assert run_cli(isolated_dirs, "refresh").returncode == 0
        assert run_cli(isolated_dirs, "prefetch").returncode == 0
        assert (cache_dir(isolated_dirs) / "cache.db").stat().st_size > 48 * 1024
        done = _run_limited(isolated_dirs, "refresh")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert list(cache_dir(isolated_dirs).parent.glob("broadsheet.corrupt-*")) == []


def test_move_aside_when_the_name_is_taken(isolated_dirs: dict[str, Path]) -> None:
    cache = cache_dir(isolated_dirs)
    cache.mkdir(parents=True)
    (cache / "cache.db").write_bytes(b"this is not a database" * 100)
    # an earlier damaged cache already holds the names of the next few seconds
    now = time.time()
    for offset in range(-1, 30):
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now + offset))
        taken = cache.with_name(f"{cache.name}.corrupt-{stamp}")
        taken.mkdir()
        (taken / "cache.db").write_bytes(b"older")
    done = run_cli(isolated_dirs, "cache", "info")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert (cache / "cache.db").read_bytes() != b"this is not a database" * 100
