"""The import graph, read from the source: no cycle anywhere in `tui/`, and the command line
reaches the core only through the service's door.

Imports inside functions count (a lazy import is still an edge: `tui/cli.py` and
`tui/commands.py` once imported each other that way); imports under `if TYPE_CHECKING:` do not
(they never run).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "tui"

# What the CLI may import from the core: opening a session, the service and what its methods
# take and give (models, errors), and the sanitiser its error lines pass through.
CLI_MAY_IMPORT = {
    "tui.core.session",
    "tui.core.service",
    "tui.core.models",
    "tui.core.errors",
    "tui.core.sanitize",
}
BEHIND_THE_SERVICE = {"state", "cache", "config", "listening"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The module `name` refers to: itself, or the longest prefix that is a module."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(inner) for stmt in node.body for inner in ast.walk(stmt))
    return skip


def imports_of(module: str) -> set[str]:
    """The `tui` modules `module` imports at run time, wherever the import statement is."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_nodes(tree)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str | None] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(_resolve(a.name) for a in node.names if a.name.split(".")[0] == "tui")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            if source.split(".")[0] != "tui":
                continue
            for alias in node.names:
                # `from tui.cli import commands` imports the submodule; `from x import name`, x
                submodule = f"{source}.{alias.name}"
                found.add(submodule if submodule in MODULES else _resolve(source))
    found.discard(None)
    found.discard(module)
    return {name for name in found if name is not None}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            for nxt in edges:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph.get(nxt, ())))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_anywhere_in_tui() -> None:
    graph = {module: imports_of(module) for module in MODULES}
    assert "tui.cli.commands" in graph["tui.cli"]  # the graph sees lazy imports
    assert _cycles(graph) == []


def test_the_cli_reaches_the_core_only_through_the_service() -> None:
    cli = [m for m in MODULES if m == "tui.cli" or m.startswith("tui.cli.")]
    assert {"tui.cli", "tui.cli.commands", "tui.cli.output", "tui.cli.session"} <= set(cli)
    for module in cli:
        core = {name for name in imports_of(module) if name.startswith("tui.core")}
        assert core <= CLI_MAY_IMPORT, (module, core - CLI_MAY_IMPORT)


def test_the_cli_never_reaches_past_the_service() -> None:
    """No `service.state`, `.cache`, `.config` or `.listening` (an argparse namespace's
    `args.config`, the --config option, is not the service's)."""
    for module, path in MODULES.items():
        if not (module == "tui.cli" or module.startswith("tui.cli.")):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in BEHIND_THE_SERVICE:
                owner = ast.unparse(node.value)
                assert owner == "args", f"{path.name}:{node.lineno}: {owner}.{node.attr}"
