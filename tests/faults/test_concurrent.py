"""Two `broadsheet` processes at once on the same directories: both must finish cleanly."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.faults._support import (
    build_site,
    cache_dir,
    child_env,
    command,
    run_cli,
    write_config,
)
from tests.servers.loopback import serve
from tui.core.cache import Cache


@pytest.mark.parametrize("pair", [("refresh", "refresh"), ("refresh", "prefetch")])
def test_two_processes_at_once_both_exit_0(
    isolated_dirs: dict[str, Path], pair: tuple[str, str]
) -> None:
    with serve() as server:
        routes, _ = build_site(str(server), 8, 10)
        for path, route in routes.items():
            server.route(path, route)
        write_config(isolated_dirs, [server.url(f"/feed{f}.xml") for f in range(8)])
        if "prefetch" in pair:
            assert run_cli(isolated_dirs, "refresh").returncode == 0  # something to prefetch
        env = child_env(isolated_dirs)
        children = [
            subprocess.Popen(command(verb), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for verb in pair
        ]
        results = [(child.wait(timeout=60), *child.communicate()) for child in children]
    for code, out, err in results:
        assert code == 0, err.decode(errors="replace")
        assert b"Traceback" not in err
        assert b"failed" not in out or b" 0 failed" in out, out
    cache = Cache(cache_dir(isolated_dirs))
    try:
        assert cache.notice is None
        assert cache.stats().entries >= 16  # both feeds and their raw copies were stored
    finally:
        cache.close()
