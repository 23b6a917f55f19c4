"""A guard against tests that cannot fail: every test function in tests/ asserts something.

A test counts as checking when its body (nested functions included) has an `assert`, a `pytest.raises`,
`pytest.fail` or `pytest.warns`, a `raise AssertionError`, or calls a helper defined in tests/ that does so itself
(directly or through other such helpers). Helpers are resolved by name: functions of the same module, names
imported from another module in tests/, and `module.function` for a module in tests/."""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

TESTS = Path(__file__).resolve().parent
CHECKS = {"raises", "fail", "warns"}  # pytest.<name>


@dataclass
class Module:
    name: str
    tree: ast.Module
    functions: dict[str, ast.AST] = field(default_factory=dict)  # every def, also methods and nested ones, by name
    imported: dict[str, tuple[str, str]] = field(default_factory=dict)  # local name -> (tests module, function)
    modules: dict[str, str] = field(default_factory=dict)  # local name -> tests module


def _modules(folder: Path) -> dict[str, Module]:
    own = {p.stem for p in folder.glob("*.py")}
    out: dict[str, Module] = {}
    for path in sorted(folder.glob("*.py")):
        m = Module(path.stem, ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        for node in ast.walk(m.tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                m.functions.setdefault(node.name, node)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                source = node.module.removeprefix("tests.")
                for alias in node.names:
                    if source in own:
                        m.imported[alias.asname or alias.name] = (source, alias.name)
                    elif node.module == "tests" and alias.name in own:
                        m.modules[alias.asname or alias.name] = alias.name
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    name = alias.name.removeprefix("tests.")
                    if name in own:
                        m.modules[alias.asname or alias.name.split(".")[-1]] = name
        out[m.name] = m
    return out


def _checks_itself(fn: ast.AST) -> bool:
    for node in ast.walk(fn):
        if isinstance(node, ast.Assert):
            return True
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(exc, ast.Name) and exc.id == "AssertionError":
                return True
        if (isinstance(node, ast.Attribute) and node.attr in CHECKS
                and isinstance(node.value, ast.Name) and node.value.id == "pytest"):
            return True
    return False


def _callees(fn: ast.AST, m: Module) -> set[tuple[str, str]]:
    """The helpers in tests/ that `fn` calls (or passes on, e.g. as a Thread target), as (module, function)."""
    out = set()
    for node in ast.walk(fn):
        if isinstance(node, ast.Name):
            if node.id in m.imported:
                out.add(m.imported[node.id])
            elif node.id in m.functions:
                out.add((m.name, node.id))
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in m.modules:
            out.add((m.modules[node.value.id], node.attr))
    return out


def asserting_functions(modules: dict[str, Module]) -> set[tuple[str, str]]:
    """(module, function) of every function in tests/ that checks, itself or through a helper that does."""
    graph = {(m.name, name): (_checks_itself(fn), _callees(fn, m)) for m in modules.values() for name, fn in m.functions.items()}
    checking = {key for key, (itself, _) in graph.items() if itself}
    grew = True
    while grew:
        grew = False
        for key, (_, callees) in graph.items():
            if key not in checking and callees & checking:
                checking.add(key)
                grew = True
    return checking


def _tests(m: Module):
    """Test functions pytest collects: test_* at module level and in Test* classes."""
    for node in m.tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            yield node.name, node
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name.startswith("test"):
                    yield f"{node.name}.{item.name}", item


def unchecked_tests(folder: Path) -> list[str]:
    modules = _modules(folder)
    checking = asserting_functions(modules)
    return [f"{m.name}.py::{name}" for m in modules.values() if m.name.startswith("test_") for name, fn in _tests(m)
            if not (_checks_itself(fn) or _callees(fn, m) & checking)]


def test_every_test_asserts_something():
    assert unchecked_tests(TESTS) == []


# --------------------------------------------------------------------------- the guard itself can fail


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_the_guard_flags_a_test_without_a_check(tmp_path):
    folder = _write(tmp_path / "t", {"test_x.py": (
        "def helper():\n    return 1\n\n"
        "def test_nothing():\n    x = helper()\n\n"
        "class TestGroup:\n    def test_method(self):\n        print('hi')\n\n"
        "def test_only_a_comparison():\n    1 == 2\n")})
    assert unchecked_tests(folder) == ["test_x.py::test_nothing", "test_x.py::TestGroup.test_method",
                                                "test_x.py::test_only_a_comparison"]


def test_the_guard_accepts_checks_directly_and_through_helpers(tmp_path):
    folder = _write(tmp_path / "t", {
        "support.py": "def deep():\n    assert True\n\ndef shallow():\n    deep()\n\ndef silent():\n    return 0\n",
        "test_y.py": (
            "import pytest\nimport support\nfrom support import shallow, silent\n\n"
            "def local():\n    raise AssertionError('no')\n\n"
            "def test_assert():\n    assert 1\n\n"
            "def test_raises():\n    with pytest.raises(ValueError):\n        int('x')\n\n"
            "def test_fail():\n    pytest.fail('x')\n\n"
            "def test_imported_helper():\n    shallow()\n\n"
            "def test_module_helper():\n    support.deep()\n\n"
            "def test_local_helper():\n    local()\n\n"
            "def test_nested():\n    def inner():\n        assert 1\n    inner()\n\n"
            "def test_silent_helper():\n    silent()\n")})
    assert unchecked_tests(folder) == ["test_y.py::test_silent_helper"]
