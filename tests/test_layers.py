"""The layers of docs/architecture.md: every module imports only its own layer or those below,
and no modules import each other in a circle, counting imports inside functions (imports for
type checkers only, under ``if TYPE_CHECKING:``, aside)."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "evigrade"

#: The layers, bottom first: module name prefixes (relative to the package).
LAYERS: tuple[tuple[str, ...], ...] = (
    (
        "model",
        "domains",
        "problems",
        "risk",
        "words",
        "jsonpos",
        "version",
        "numbers",
        "jsontext",
        "text",
    ),
    ("kinds",),
    ("hookspecs", "entrypoints", "plugins"),
    (
        "validation",
        "files",
        "convert",
        "grading",
        "interop",
        "corpus",
        "cluster",
        "compare",
        "output",
        "terminal",
        "report",
        "article",
    ),
    ("builtin",),
    ("api", "plugin", "cli", "testing", "__init__", "__main__"),
)


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def _layer(module: str) -> int:
    for index, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return index
    raise AssertionError(f"module {module!r} is in no layer of docs/architecture.md")


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path) -> set[str]:
    """The package's modules that ``path`` imports, anywhere in it, outside TYPE_CHECKING."""
    module = _name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                target = ".".join([*base, *([node.module] if node.module else [])])
            elif node.module and node.module.startswith("evigrade"):
                target = node.module.removeprefix("evigrade").lstrip(".")
            else:
                target = None
            if target is not None:
                for alias in node.names:
                    candidate = f"{target}.{alias.name}" if target else alias.name
                    found.add(candidate if _exists(candidate) else target)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("evigrade."):
                    found.add(alias.name.removeprefix("evigrade."))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {name or "__init__" for name in found} - {module}


def _exists(module: str) -> bool:
    path = PACKAGE.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


@functools.cache
def _graph() -> dict[str, set[str]]:
    return {_name(path): _imports(path) for path in sorted(PACKAGE.rglob("*.py"))}


def test_every_module_is_in_a_layer() -> None:
    for module in _graph():
        _layer(module)


@pytest.mark.parametrize("module", sorted(_graph()))
def test_a_module_imports_only_its_layer_and_those_below(module: str) -> None:
    above = sorted(name for name in _graph()[module] if _layer(name) > _layer(module))
    assert above == [], f"{module} (layer {_layer(module)}) imports {above} from above"


def test_no_modules_import_each_other_in_a_circle() -> None:
    graph = _graph()
    done: set[str] = set()

    def walk(module: str, path: list[str]) -> None:
        if module in path:
            cycle = [*path[path.index(module) :], module]
            raise AssertionError("import cycle: " + " -> ".join(cycle))
        if module in done:
            return
        for imported in sorted(graph.get(module, ())):
            walk(imported, [*path, module])
        done.add(module)

    for module in sorted(graph):
        walk(module, [])


def test_the_walk_sees_imports_inside_functions() -> None:
    # guards the tests above against a walk that finds nothing
    graph = _graph()
    assert "grading" in graph["builtin.schemes.grade"]
    assert "corpus" in graph["cli.validate"]  # imported inside the command function
    assert "kinds" in graph["plugins"]
