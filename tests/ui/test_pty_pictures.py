"""The real `broadsheet --sample` in a pseudo-terminal with pictures on: the seed article's
cover, served by the sample server, is drawn in half-blocks (the emulator answers neither the
Sixel nor the Kitty query, so "auto" falls back to them)."""

from __future__ import annotations

import os

from tests.pty_harness import PtyApp


def test_the_seed_article_shows_its_cover_in_half_blocks() -> None:
    env = {k: os.environ[k] for k in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME")}
    env["BROADSHEET_IMAGES"] = "auto"
    app = PtyApp(["--sample"], env=env, cols=150, rows=45)
    try:
        assert app.wait_for("NATO chief", timeout=30), app.text()
        assert app.wait_for("Refreshed", timeout=20), app.text()
        assert "▀" not in app.text()
        app.send("/")
        app.pump(0.5)
        app.send("NATO")
        app.pump(0.5)
        app.send("\r")
        app.pump(1.0)
        app.send("\r")
        assert app.wait_for("▀▀▀▀▀▀▀▀▀▀", timeout=20), app.text()
        lines = app.text().splitlines()
        cover = [n for n, line in enumerate(lines) if "▀▀▀▀▀▀▀▀▀▀" in line]
        lede = next(n for n, line in enumerate(lines) if "It is a “good sign”" in line)
        assert cover[-1] < lede  # the cover comes before the standfirst
        assert len(cover) <= 45 // 2  # at most half the screen
        app.send("q")
        app.proc.wait(10)
        assert app.proc.returncode == 0
    finally:
        app.close()
