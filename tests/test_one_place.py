"""Issue 12's « one rule, one place », kept: no closed-list value written outside the
field dictionary (a status literal elsewhere is a second definition of what it means)."""

from __future__ import annotations

import ast
from pathlib import Path

from innova_reports import fields

PACKAGE = Path(fields.__file__).parent
# where a value may be written: the dictionary itself, and the samples that fill it in
ALLOWED = {PACKAGE / "fields.py", PACKAGE / "template" / "samples.py"}


def closed_list_values() -> set[str]:
    lists = [v for v in vars(fields).values() if isinstance(v, fields.ClosedList)]
    assert len(lists) >= 5  # the statuses, the météo, the natures…
    return {choice.value for closed in lists for choice in closed.choices}


def literals(path: Path) -> list[tuple[int, str]]:
    """Every string constant of a module that is a whole value, not in a docstring."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }  # fmt: skip
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and id(node) not in docstrings
    ]  # fmt: skip


def test_no_closed_list_value_is_written_outside_the_field_dictionary():
    values = closed_list_values()
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path in ALLOWED:
            continue
        found += [f"{path.relative_to(PACKAGE)}:{line} « {text} »"
                  for line, text in literals(path) if text in values]  # fmt: skip
    assert found == [], "status literals outside fields.py: " + ", ".join(found)


def test_the_guard_sees_a_literal(tmp_path):
    """The scan would find one (the test above cannot pass by reading nothing)."""
    module = tmp_path / "m.py"
    module.write_text('"""Doc « Fait »."""\nDONE = "Fait"\n', encoding="utf-8")
    assert literals(module) == [(2, "Fait")]
    assert "Fait" in closed_list_values()
