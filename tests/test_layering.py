"""The core never loads Textual or Rich; the CLI's non-UI commands start without them."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import tui.core


def _loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(sorted(m.split('.')[0] for m in sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def test_core_imports_neither_textual_nor_rich() -> None:
    modules = [m.name for m in pkgutil.walk_packages(tui.core.__path__, "tui.core.")]
    assert "tui.core.service" in modules
    loaded = _loaded_after("\n".join(f"import {name}" for name in modules))
    assert "textual" not in loaded
    assert "rich" not in loaded


def test_cli_parser_does_not_load_the_ui_or_the_network_stack() -> None:
    loaded = _loaded_after(
        "from tui.cli import build_parser; build_parser().parse_args(['refresh'])"
    )
    assert not loaded & {"textual", "rich", "httpx", "selectolax", "lxml"}


def test_app_start_up_path_does_not_load_the_parsers_or_the_network_stack() -> None:
    loaded = _loaded_after(
        "import tui.ui.app, tui.core.session, tui.core.service, tui.core.extract_version\n"
        "from tui.core.cache import Cache; import tempfile, pathlib\n"
        "Cache(pathlib.Path(tempfile.mkdtemp())).names('raw')"
    )
    assert not loaded & {"httpx", "selectolax", "lxml", "mutagen"}


def test_the_app_freezes_the_start_up_heap_once() -> None:
    """Imports' objects are out of the collector's scans before the first frame (gc.freeze),
    and building a second app freezes nothing more (no later garbage is made immortal)."""
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import gc, types\n"
            "from tui.ui.app import BroadsheetApp\n"
            "session = types.SimpleNamespace(service=None)\n"
            "before = gc.get_freeze_count()\n"
            "BroadsheetApp(session)\n"
            "first = gc.get_freeze_count()\n"
            "garbage = [[] for _ in range(1000)]\n"
            "BroadsheetApp(session)\n"
            "print(before, first, gc.get_freeze_count())\n",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    before, first, second = map(int, out.split())
    assert before == 0
    assert first > 10_000  # Textual and our modules: tens of thousands of objects
    assert second == first
