"""A corrupt cache database is moved aside (cache.corrupt-TIMESTAMP) and a new one started;
the user's state database is never touched."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.faults._support import (
    build_site,
    cache_dir,
    file_digest,
    run_cli,
    state_path,
    state_rows,
    write_config,
)
from tests.servers.loopback import serve
from tui.core.models import Entry
from tui.core.state import State


def _garbage_header(db: Path) -> None:
    data = bytearray(db.read_bytes())
    data[:100] = b"\xde\xad\xbe\xef" * 25
    db.write_bytes(bytes(data))


def _zeroed_middle(db: Path) -> None:
    """Zero every page but the first (the schema page stays, so the file still opens)."""
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    middle = len(data) // 2 // page * page
    data[page : len(data) - page] = bytes(len(data) - 2 * page)
    assert middle >= page
    db.write_bytes(bytes(data))


def _truncated(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])


DAMAGE: dict[str, Callable[[Path], None]] = {
    "garbage-header": _garbage_header,
    "zeroed-pages": _zeroed_middle,
    "truncated": _truncated,
}


@pytest.fixture(scope="module")
def populated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """XDG dirs with a filled cache and some state, built once and copied by each test."""
    root = tmp_path_factory.mktemp("populated")
    dirs = {name: root / name for name in ("config", "cache", "data")}
    with serve() as server:
        routes, _ = build_site(str(server), 6, 20)
        for path, route in routes.items():
            server.route(path, route)
        write_config(dirs, [server.url(f"/feed{f}.xml") for f in range(6)])
        state = State(state_path(dirs))
        state.set_read([(server.url("/feed0.xml"), server.url("/a/0/0.html"))])
        state.set_starred(Entry(server.url("/a/0/1.html"), server.url("/feed0.xml"), "Kept"))
        state.close()
        assert run_cli(dirs, "refresh").returncode == 0
        assert run_cli(dirs, "prefetch").returncode == 0
    return root


@pytest.mark.parametrize("verb", ["cache info", "refresh"])
@pytest.mark.parametrize("damage", list(DAMAGE))
def test_corrupt_cache_is_moved_aside(
    isolated_dirs: dict[str, Path], populated: Path, damage: str, verb: str
) -> None:
    for name, target in isolated_dirs.items():
        shutil.copytree(populated / name, target)
    rows, digest = state_rows(state_path(isolated_dirs)), file_digest(state_path(isolated_dirs))
    assert rows["read"] and rows["starred"]
    db = cache_dir(isolated_dirs) / "cache.db"
    assert db.stat().st_size > 3 * 65536  # enough pages that "the middle" means something
    DAMAGE[damage](db)
    # the feeds' server is gone: a refresh fails its feeds, but must still replace the cache
    done = run_cli(isolated_dirs, *verb.split())

    assert "Traceback" not in done.stderr
    if verb == "cache info":
        assert done.returncode == 0, done.stderr
    moved = sorted(cache_dir(isolated_dirs).parent.glob("broadsheet.corrupt-*"))
    assert len(moved) == 1, f"not moved aside; stdout={done.stdout!r} stderr={done.stderr!r}"
    assert (moved[0] / "cache.db").exists()
    assert (cache_dir(isolated_dirs) / "cache.db").exists()  # a fresh cache was started
    assert state_rows(state_path(isolated_dirs)) == rows
    assert file_digest(state_path(isolated_dirs)) == digest
