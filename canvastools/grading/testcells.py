"""Reading the key a canvastools test cell declares, without running the cell.

A canvastools test cell is a grade cell of the instructor's source whose code calls one of the
``grade_*`` declarations of :mod:`canvastools.grading`. The grader reads those calls with
:func:`parse_test_cell` and never executes the cell: its code is a declaration, so it may hold
only imports, ``NAME = <literal>`` assignments, the declarations themselves (with literal
arguments or names assigned above) and :func:`~canvastools.grading.check_saved` calls (for
``nbgrader validate``), plus comments. Anything else is an instructor's mistake, reported with
the cell and the line, never run.

>>> calls = parse_test_cell('''
... from canvastools.grading import grade_classification
... ### BEGIN HIDDEN TESTS
... KEY = {"a": "self_service"}
... grade_classification("quiz", KEY, points=2.0)
... ### END HIDDEN TESTS''')
>>> calls[0].function, calls[0].args, calls[0].kwargs
('grade_classification', ('quiz', {'a': 'self_service'}), {'points': 2.0})
>>> parse_test_cell("assert 1 + 1 == 2") is None   # a plain test: not ours
True
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from canvastools.errors import InputError

DECLARATIONS = ("grade_classification", "grade_motivations", "grade_order", "check_design")
IGNORED_CALLS = ("check_saved",)
#: keyword arguments of the declarations that do not change the score: ``show`` matters only
#: when one is run in a notebook; ``explanations`` and ``sources`` are read by the feedback
#: (canvastools.grading.views), shown with the key when the instructor opts in
NOTEBOOK_ONLY = ("show", "explanations", "sources")


@dataclass(frozen=True)
class GradingCall:
    """One declaration: ``function(*args, **kwargs)`` with literal values."""

    function: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    line: int


def _called(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name):
            return func.id
        if isinstance(func, ast.Attribute):
            return func.attr
    return None


def declares_grading(source: str) -> bool:
    """True when the cell's code names a canvastools grading declaration (cheap test)."""
    return any(name in source for name in DECLARATIONS)


def parse_test_cell(source: str, where: str = "test cell") -> list[GradingCall] | None:
    """The declarations of a canvastools test cell; None when it declares none.

    Raises InputError (naming ``where`` and the line) when the cell mixes declarations with
    code that would have to run.
    """
    if not declares_grading(source):
        return None
    lines = [line for line in source.splitlines() if not line.lstrip().startswith("%")]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError as exc:
        raise InputError(f"the cell is not valid Python ({exc.msg})",
                         where=f"{where}, line {exc.lineno}") from None
    names: dict[str, Any] = {}
    calls: list[GradingCall] = []

    def value(node: ast.AST, line: int) -> Any:
        if isinstance(node, ast.Name):
            if node.id in names:
                return names[node.id]
            raise InputError(f"'{node.id}' is not assigned a literal value above",
                             where=f"{where}, line {line}")
        try:
            return ast.literal_eval(node)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            raise InputError("a grading declaration takes literal values only (texts, "
                             "numbers, lists, dicts), so that it is read without running "
                             "any code", where=f"{where}, line {line}") from None

    for statement in tree.body:
        line = statement.lineno
        if isinstance(statement, (ast.Import, ast.ImportFrom, ast.Pass)):
            continue
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue  # a docstring or a bare literal
        if (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)):
            names[statement.targets[0].id] = value(statement.value, line)
            continue
        if isinstance(statement, ast.Expr) and _called(statement.value) in IGNORED_CALLS:
            continue
        name = _called(statement.value) if isinstance(statement, ast.Expr) else None
        if name in DECLARATIONS:
            call = statement.value
            assert isinstance(call, ast.Call)
            if any(isinstance(a, ast.Starred) for a in call.args) or any(
                    k.arg is None for k in call.keywords):
                raise InputError("*args and **kwargs are not read in a grading declaration",
                                 where=f"{where}, line {line}")
            kwargs = {k.arg: value(k.value, line) for k in call.keywords
                      if k.arg not in NOTEBOOK_ONLY}
            calls.append(GradingCall(name, tuple(value(a, line) for a in call.args), kwargs,
                                     line))
            continue
        raise InputError(
            "a canvastools test cell holds only grading declarations (imports, literal "
            "assignments, grade_classification / grade_motivations / grade_order / "
            "check_design calls): put other test code in a cell of its own",
            where=f"{where}, line {line}")
    if not calls:
        return None
    return calls


def graded_exercises(cells: Mapping[str, Mapping[str, Any]]) -> set[str]:
    """The exercise ids that the test cells among a notebook's source ``cells`` (name ->
    {"source", "grade", ...}) grade.

    >>> graded_exercises({"t": {"grade": True, "source": 'grade_order("s", key=["a", "b"])'}})
    {'s'}
    """
    found: set[str] = set()
    for cell in cells.values():
        if not cell.get("grade"):
            continue
        try:
            calls = parse_test_cell(str(cell.get("source", ""))) or []
        except ValueError:
            continue  # ScoreAnswers reports the key error
        for call in calls:
            exercise = call.args[0] if call.args else call.kwargs.get("exercise_id")
            if isinstance(exercise, str):
                found.add(exercise)
    return found
