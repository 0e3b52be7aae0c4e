"""The UI goes through the service's door: it imports from the core only the service, the
models, the errors, and small plain helpers, and never reaches past the service into its state,
listening, config or cache. Thread workers report with post_message, not call_from_thread."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import tui.ui

ALLOWED = {
    "tui.core.service",  # the door (NewsService, FeedStatus, ArticleResult, …)
    "tui.core.models",
    "tui.core.errors",
    "tui.core.history",  # the reader's back/forward (a plain class)
    "tui.core.durations",  # format_duration
    "tui.core.heap",  # the garbage collector's pauses, shared with the core's rules
    "tui.core.session",  # the app is given an open session
}
ALLOWED_NAMES: dict[str, set[str]] = {}

UI = Path(tui.ui.__file__).parent


def _sources() -> list[Path]:
    return sorted(UI.rglob("*.py"))


def test_the_ui_imports_only_the_services_public_surface() -> None:
    wrong = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tui.core"):
                module = node.module or ""
                names = {alias.name for alias in node.names}
                if module not in ALLOWED and not names <= ALLOWED_NAMES.get(module, set()):
                    wrong.append(f"{path.relative_to(UI)}: from {module} import {names}")
            elif isinstance(node, ast.Import):
                wrong += [
                    f"{path.relative_to(UI)}: import {alias.name}"
                    for alias in node.names
                    if alias.name.startswith("tui.core") and alias.name not in ALLOWED
                ]
    assert wrong == []


def test_the_ui_never_reaches_past_the_service() -> None:
    past = re.compile(r"service\.(state|listening|config|cache|_\w+)\b")
    hops = re.compile(r"call_from_thread\(")
    found = []
    for path in _sources():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if past.search(code) or hops.search(code):
                found.append(f"{path.relative_to(UI)}:{number}: {line.strip()}")
    assert found == []
