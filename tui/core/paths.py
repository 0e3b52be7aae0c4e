"""Where Broadsheet keeps its files (platformdirs; XDG_* variables honoured on Linux).

Nothing is created at import time: each function creates its directory when first asked.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "broadsheet"


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def config_file() -> Path:
    return config_dir() / "config.toml"


def cache_dir(create: bool = True) -> Path:
    path = Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
    return _ensure(path) if create else path


def data_dir(create: bool = True) -> Path:
    """User state (read/starred, positions, downloads): never evicted, kept apart from the cache."""
    path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return _ensure(path) if create else path
