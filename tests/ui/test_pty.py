"""The real `broadsheet --sample` command in a pseudo-terminal: what a person sees."""

from __future__ import annotations

import os

from tests.pty_harness import PtyApp

SEED_TITLE = "NATO chief comments on Putin-Trump phone call"


def test_sample_edition_in_a_real_terminal() -> None:
    env = {k: os.environ[k] for k in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME")}
    app = PtyApp(["--sample"], env=env, cols=150, rows=45)
    try:
        assert app.wait_for(SEED_TITLE, timeout=30), app.text()
        assert "The Broadsheet Sample" in app.text()
        assert app.wait_for("Refreshed", timeout=20), app.text()
        app.send("?")
        assert app.wait_for("main.refresh_all", timeout=10), app.text()
        app.send("\x1b")
        app.pump(0.5)
        app.send("q")
        app.proc.wait(10)
        assert app.proc.returncode == 0
    finally:
        app.close()
