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


def test_the_start_up_heap_is_frozen_once_and_the_collector_turned_on() -> None:
    """After the first frame (freeze_start_up_heap), the imports' objects are out of the
    collector's scans (gc.freeze) and the collector, off since `broadsheet` started, is on; a
    second call freezes nothing more (no later garbage is made immortal)."""
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import gc\n"
            "gc.disable()\n"
            "import tui.ui.app\n"
            "from tui.core.heap import freeze_start_up_heap\n"
            "before = gc.get_freeze_count()\n"
            "freeze_start_up_heap()\n"
            "first, enabled = gc.get_freeze_count(), gc.isenabled()\n"
            "garbage = [[] for _ in range(1000)]\n"
            "freeze_start_up_heap()\n"
            "print(before, first, gc.get_freeze_count(), enabled)\n",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    before, first, second, enabled = out.split()
    assert int(before) == 0
    assert int(first) > 10_000  # Textual and our modules: tens of thousands of objects
    assert int(second) == int(first)
    assert enabled == "True"


def test_the_collector_comes_on_after_a_pause_under_way_at_the_first_frame() -> None:
    """A row build that pauses the collector may still run when the first frame turns it on:
    it comes on as the pause ends, not inside it."""
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import gc\n"
            "from tui.core.heap import collector_paused, freeze_start_up_heap\n"
            "gc.disable()\n"  # as `broadsheet` starts
            "with collector_paused():\n"
            "    freeze_start_up_heap()\n"
            "    inside = gc.isenabled()\n"
            "print(inside, gc.isenabled())\n",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.split() == ["False", "True"]
