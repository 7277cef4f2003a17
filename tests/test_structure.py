"""The shape of ``lab`` (STYLE.md, "Small modules, shallow calls"): held by reading the source, not by taste.

- no module over ~600 lines and no function over ~60 (string catalogues, ``lab/ui/text/``, excepted);
- imports at the top: no ``lab`` module imported inside a function;
- no import cycle between ``lab`` modules;
- only ``lab/ui`` imports Gradio.

Run it alone (``python -m pytest tests/test_structure.py -q``) to see every offender at once.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAB = ROOT / "lab"
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60
CATALOGUES = ("lab/ui/text/",)  # tables of sentences in two languages: long by nature


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(LAB.rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _is_catalogue(path: Path) -> bool:
    return _rel(path).startswith(CATALOGUES)


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def _function_lines(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines from ``def`` to the end, without the docstring (prose is not length)."""
    lines = fn.end_lineno - fn.lineno + 1
    body = fn.body
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
            and isinstance(body[0].value.value, str):
        lines -= body[0].end_lineno - body[0].lineno + 1
    return lines


def _lab_targets(node: ast.Import | ast.ImportFrom, module: str) -> list[str]:
    """The lab modules an import statement names (a ``from pkg import sub`` names the submodule)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name == "lab" or a.name.startswith("lab.")]
    base = node.module or ""
    if node.level:  # relative import
        pkg = module.split(".")
        base = ".".join(pkg[: len(pkg) - node.level + (1 if MODULES.get(module, Path()).name == "__init__.py" else 0)]
                        + ([base] if base else []))
    if not (base == "lab" or base.startswith("lab.")):
        return []
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]


def test_no_module_is_too_long():
    long = {_rel(p): n for p in MODULES.values() if not _is_catalogue(p)
            if (n := len(p.read_text().splitlines())) > MAX_MODULE_LINES}
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"


def test_no_function_is_too_long():
    long = {}
    for path in MODULES.values():
        if _is_catalogue(path):
            continue
        for node in ast.walk(_tree(path)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _function_lines(node) > MAX_FUNCTION_LINES:
                long[f"{_rel(path)}:{node.lineno} {node.name}"] = _function_lines(node)
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines (docstrings not counted): {long}"


def test_lab_imports_are_at_the_top():
    inside = []
    for name, path in MODULES.items():
        for fn in ast.walk(_tree(path)):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(fn):
                if isinstance(node, (ast.Import, ast.ImportFrom)) and _lab_targets(node, name):
                    inside.append(f"{_rel(path)}:{node.lineno} in {fn.name}()")
    assert not inside, f"lab imports inside functions (move them to the top): {inside}"


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        edges = set()
        for node in _tree(path).body:  # module level only: what runs at import
            if isinstance(node, ast.If | ast.Try):
                stmts = [n for n in ast.walk(node) if isinstance(n, (ast.Import, ast.ImportFrom))]
            else:
                stmts = [node] if isinstance(node, (ast.Import, ast.ImportFrom)) else []
            for stmt in stmts:
                edges.update(t for t in _lab_targets(stmt, name) if t in MODULES and t != name)
        graph[name] = edges
    return graph


def test_no_import_cycle():
    graph = _graph()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles, f"import cycles: {[' -> '.join(c) for c in cycles]}"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if not n.startswith("lab.ui")))
def test_only_the_ui_imports_gradio(name):
    for node in ast.walk(_tree(MODULES[name])):
        if isinstance(node, ast.Import):
            assert not any(a.name.split(".")[0] == "gradio" for a in node.names), name
        elif isinstance(node, ast.ImportFrom):
            assert (node.module or "").split(".")[0] != "gradio", name
