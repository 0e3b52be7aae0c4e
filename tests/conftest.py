"""Shared fixtures: every test gets its own XDG config/cache/data directories."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Point platformdirs at temp dirs so no test reads or writes the user's real files."""
    dirs = {name: tmp_path / "xdg" / name for name in ("config", "cache", "data")}
    monkeypatch.setenv("XDG_CONFIG_HOME", str(dirs["config"]))
    monkeypatch.setenv("XDG_CACHE_HOME", str(dirs["cache"]))
    monkeypatch.setenv("XDG_DATA_HOME", str(dirs["data"]))
    # Pictures are off unless a test turns them on: the sample edition's pictures live on other
    # hosts, and tests send traffic only to loopback (tests/core/test_images.py turns them on).
    monkeypatch.setenv("BROADSHEET_IMAGES", "off")
    return dirs
