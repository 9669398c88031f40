"""The import graph of src/mercato: no cycle, and every import goes with the stage order.

Stages, one-way: ingest -> extract -> store -> assess -> serve. `kb/`, `records.py`, `config.py`
and the package root may be imported by every stage and import no stage themselves (kb/ only
itself). `evaluate/` may use extract and kb (it scores an extractor); `scale/` may use ingest,
extract and store (it runs extraction on a cluster and writes through the store). Nothing but
serve imports serve; nothing imports evaluate or scale except serve (their CLI commands).

The graph is read with `ast` from the source, so it sees what running would not always show:
imports at module level and inside functions, `importlib.import_module("...")` and
`__import__("...")` with a literal (or f-string) module name, and `from pkg import module`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = "mercato"

# The stage a top-level part of the package belongs to, and the parts each may import.
SHARED = {"kb", "records", "config", ""}  # "" is the package root (mercato/__init__.py)
ALLOWED: dict[str, set[str]] = {
    "kb": {"kb", "records", "config", ""},
    "records": {"records", ""},
    "config": {"config", ""},
    "": {""},
    "ingest": {"ingest"} | SHARED,
    "extract": {"ingest", "extract"} | SHARED,
    "store": {"ingest", "extract", "store"} | SHARED,
    "assess": {"ingest", "extract", "store", "assess"} | SHARED,
    "serve": {"ingest", "extract", "store", "assess", "serve", "evaluate", "scale"} | SHARED,
    "evaluate": {"ingest", "extract", "evaluate"} | SHARED,
    "scale": {"ingest", "extract", "store", "scale"} | SHARED,
}

# Imports against the order that are known and kept, each with why. Keep this short.
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("mercato.extract.learned.train", "evaluate"):
        "the training script (`python -m mercato.extract.learned.train`) reads labels with evaluate's loader and "
        "scores folds with its scorer; nothing in the package imports it, so no stage depends on evaluate through it",
}


def module_name(path: Path) -> str:
    rel = path.relative_to(SRC).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted((SRC / PACKAGE).rglob("*.py"))}


def _literal_module(node: ast.expr) -> str | None:
    """The module a call names with a string literal, or the constant prefix of an f-string
    (`f"mercato.serve.{name}"` gives "mercato.serve.", matched against every module under it)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        return str(node.values[0].value)
    return None


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> list[tuple[str, int, bool]]:
    """(imported module of the package, line, at module level?) for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    found: list[tuple[str, int, bool]] = []

    def resolve(target: str) -> str | None:
        """The longest module of the package that `target` names (a name inside a module maps to it)."""
        while target:
            if target in modules:
                return target
            if "." not in target:
                return None
            target = target.rsplit(".", 1)[0]
        return None

    def add(target: str, line: int, top: bool) -> None:
        if not (target == PACKAGE or target.startswith(PACKAGE + ".")):
            return
        if target.endswith("."):  # an f-string prefix: every module under it
            for other in modules:
                if other.startswith(target):
                    found.append((other, line, top))
            return
        hit = resolve(target)
        if hit is not None and hit != name:
            found.append((hit, line, top))

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = top and not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if isinstance(child, ast.Import):
                for alias in child.names:
                    add(alias.name, child.lineno, top)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base_parts = name.split(".") if is_package else name.split(".")[:-1]
                    base_parts = base_parts[: len(base_parts) - (child.level - 1)]
                    base = ".".join(base_parts + ([child.module] if child.module else []))
                else:
                    base = child.module or ""
                for alias in child.names:
                    full = f"{base}.{alias.name}"
                    add(full if full in modules else base, child.lineno, top)
            elif isinstance(child, ast.Call):
                func = child.func
                called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                if called in {"__import__", "import_module"} and child.args:
                    literal = _literal_module(child.args[0])
                    if literal is not None:
                        add(literal, child.lineno, top)
            visit(child, inner)

    visit(tree, True)
    return sorted(set(found))


def build_graph() -> tuple[dict[str, Path], dict[str, list[tuple[str, int, bool]]]]:
    modules = all_modules()
    return modules, {name: imports_of(name, path, modules) for name, path in modules.items()}


def stage_of(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else ""


def find_cycles(graph: dict[str, list[tuple[str, int, bool]]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each as a sorted list.

    A package's __init__ importing its own submodules is not a cycle by itself; a submodule importing
    its package's __init__ that imports it back is, and is reported."""
    edges = {name: sorted({t for t, _, _ in deps}) for name, deps in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def strong(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, []):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    import sys

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        for v in sorted(edges):
            if v not in index:
                strong(v)
    finally:
        sys.setrecursionlimit(limit)
    return out


def test_the_graph_reads_every_kind_of_import(tmp_path: Path) -> None:
    """The reader itself: module level, function level, relative, importlib and __import__ strings."""
    modules = {"mercato.a": tmp_path / "a.py", "mercato.b": tmp_path / "b.py", "mercato.c.d": tmp_path / "d.py",
               "mercato.c": tmp_path / "c.py", "mercato.e": tmp_path / "e.py"}
    source = (
        "import os\nfrom mercato import b\n"
        "def f():\n    from mercato.c.d import thing\n    return thing\n"
        "def g():\n    import importlib\n    return importlib.import_module('mercato.e')\n"
        "def h(n):\n    __import__(f'mercato.c.{n}')\n"
    )
    path = tmp_path / "a.py"
    path.write_text(source, encoding="utf-8")
    found = imports_of("mercato.a", path, modules)
    assert ("mercato.b", 2, True) in found
    assert ("mercato.c.d", 4, False) in found
    assert ("mercato.e", 8, False) in found
    assert ("mercato.c.d", 10, False) in found
    graph = {"mercato.a": found, "mercato.e": [("mercato.a", 1, True)]}
    assert find_cycles(graph) == [["mercato.a", "mercato.e"]]


def test_no_import_cycle() -> None:
    _, graph = build_graph()
    cycles = find_cycles(graph)
    assert not cycles, "import cycles in src/mercato:\n" + "\n".join(" <-> ".join(c) for c in cycles)


def test_every_import_goes_with_the_stage_order() -> None:
    modules, graph = build_graph()
    wrong = []
    for name, deps in graph.items():
        stage = stage_of(name)
        allowed = ALLOWED.get(stage)
        if allowed is None:
            wrong.append(f"{name}: part of no stage (add it to ALLOWED in {Path(__file__).name})")
            continue
        for target, line, _ in deps:
            if stage_of(target) not in allowed and (name, stage_of(target)) not in EXCEPTIONS:
                wrong.append(f"{modules[name].relative_to(SRC)}:{line} {name} imports {target} ({stage} -> {stage_of(target)})")
    assert not wrong, "imports against the stage order ingest -> extract -> store -> assess -> serve:\n" + "\n".join(wrong)


@pytest.mark.parametrize("package", ["ingest", "serve"])
def test_package_reaches_its_modules(package: str) -> None:
    """Sanity: the graph is not empty where the cycles used to be (a reader that saw nothing would pass)."""
    _, graph = build_graph()
    assert any(deps for name, deps in graph.items() if stage_of(name) == package)


# (importer, name): private names imported from another module that are known and kept
PRIVATE_IMPORTS = {
    ("mercato.extract.multilingual.extractor", "_word_ok"):
        "the cue data's word test, shared by the two modules of one extractor; left for its owners to make public",
}


def test_private_names_stay_in_their_module() -> None:
    """`from mercato.serve.cli import _db, _date` is how the old CLI modules shared their helpers: what
    several modules need is public (mercato.serve.cli.options), the rest stays in its module."""
    modules = all_modules()
    wrong = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or node.level or not (node.module or "").startswith(PACKAGE + "."):
                continue
            for alias in node.names:
                if alias.name.startswith("_") and (name, alias.name) not in PRIVATE_IMPORTS:
                    wrong.append(f"{path.relative_to(SRC)}:{node.lineno} imports {alias.name} from {node.module}")
    assert not wrong, "private names imported from another module:\n" + "\n".join(wrong)
