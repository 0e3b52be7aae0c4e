"""What the app loads before its first frame: not Pillow or textual-image when there is no
terminal to ask (they wait for the first picture), not the rules' engine when there are no
rules. Each run is a fresh process: the other tests have loaded all of them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CHILD = """
import asyncio, sys
from pathlib import Path
from tui.core.session import open_session
from tui.ui.app import BroadsheetApp
from tui.ui.screens.main import MainScreen

async def main():
    session = open_session(config_path=Path(sys.argv[1]), offline=True, write_first_run=False)
    app = BroadsheetApp(session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MainScreen), app.screen
        print(" ".join(sorted(sys.modules)))
    session.close()

asyncio.run(main())
"""

PICTURES = {"PIL", "PIL.Image", "textual_image", "textual_image.widget"}


def _loaded_at_start(tmp_path: Path, config: str, images: str = "auto") -> set[str]:
    path = tmp_path / "config.toml"
    path.write_text(config, encoding="utf-8")
    env = {
        **os.environ,
        **{f"XDG_{n}_HOME": str(tmp_path / n.lower()) for n in ("CONFIG", "CACHE", "DATA")},
        "BROADSHEET_IMAGES": images,
    }
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        capture_output=True,  # stdout is a pipe: no terminal to ask
        text=True,
        env=env,
        check=True,
        timeout=120,
    ).stdout
    return set(out.split())


def test_no_pictures_or_rules_engine_before_the_first_frame(tmp_path: Path) -> None:
    loaded = _loaded_at_start(tmp_path, "[settings]\n")
    assert "tui.ui.screens.main" in loaded  # the probe saw the app's modules
    assert not loaded & PICTURES
    assert "tui.core.rules" not in loaded


def test_the_rules_engine_comes_when_there_are_rules(tmp_path: Path) -> None:
    config = '[[rules]]\nmatch = \'title ~ "shorts"\'\naction = "hide"\n'
    loaded = _loaded_at_start(tmp_path, config)
    assert "tui.core.rules" in loaded  # applied before the first frame, as the list needs them
    assert not loaded & PICTURES


def test_a_protocol_set_in_the_config_waits_for_the_first_picture_too(tmp_path: Path) -> None:
    loaded = _loaded_at_start(tmp_path, "[settings]\n", images="kitty")
    assert not loaded & PICTURES
