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


def called_name(node: ast.AST) -> str | None:
    """The name a call calls (``f`` of ``f(...)`` and of ``m.f(...)``); None for a non-call."""
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name):
            return func.id
        if isinstance(func, ast.Attribute):
            return func.attr
    return None


def parse_cell(source: str) -> ast.Module:
    """A code cell's Python as a tree; IPython's magic and shell lines (``%``, ``!``) are
    blanked, so line numbers stay the cell's. Raises SyntaxError.

    >>> parse_cell("%matplotlib inline\\nx = 1").body[0].lineno
    2
    """
    lines = ["" if line.lstrip().startswith(("%", "!")) else line
             for line in str(source).split("\n")]
    return ast.parse("\n".join(lines))


def read_literal(node: ast.AST, names: Mapping[str, Any]) -> Any:
    """The value of ``node``: a literal, or a name ``names`` assigns one. Raises ValueError
    saying which, without running anything.

    >>> read_literal(ast.parse("KEY").body[0].value, {"KEY": {"a": 1}})
    {'a': 1}
    """
    if isinstance(node, ast.Name):
        if node.id in names:
            return names[node.id]
        raise ValueError(f"'{node.id}' is not assigned a literal value above")
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        raise ValueError("a grading declaration takes literal values only (texts, numbers, "
                         "lists, dicts), so that it is read without running any code") from None


def declares_grading(source: str) -> bool:
    """True when the cell's code names a canvastools grading declaration (cheap test)."""
    return any(name in source for name in DECLARATIONS)


_NOT_A_DECLARATION = (
    "a canvastools test cell holds only grading declarations (imports, literal assignments, "
    "grade_classification / grade_motivations / grade_order / check_design calls): put other "
    "test code in a cell of its own")


def _declaration(call: ast.Call, names: Mapping[str, Any], where: str) -> GradingCall:
    """A declaration's call with its literal values; InputError naming the line otherwise."""
    line = call.lineno
    if any(isinstance(a, ast.Starred) for a in call.args) or any(
            k.arg is None for k in call.keywords):
        raise InputError("*args and **kwargs are not read in a grading declaration",
                         where=f"{where}, line {line}")
    try:
        kwargs = {str(k.arg): read_literal(k.value, names) for k in call.keywords
                  if k.arg not in NOTEBOOK_ONLY}
        args = tuple(read_literal(a, names) for a in call.args)
    except ValueError as exc:
        raise InputError(str(exc), where=f"{where}, line {line}") from None
    return GradingCall(str(called_name(call)), args, kwargs, line)


def _is_inert(statement: ast.stmt) -> bool:
    """An import, a ``pass``, a docstring or bare literal, or a ``check_saved`` call."""
    if isinstance(statement, (ast.Import, ast.ImportFrom, ast.Pass)):
        return True
    return isinstance(statement, ast.Expr) and (
        isinstance(statement.value, ast.Constant)
        or called_name(statement.value) in IGNORED_CALLS)


def parse_test_cell(source: str, where: str = "test cell") -> list[GradingCall] | None:
    """The declarations of a canvastools test cell; None when it declares none.

    Raises InputError (naming ``where`` and the line) when the cell mixes declarations with
    code that would have to run.
    """
    if not declares_grading(source):
        return None
    try:
        tree = parse_cell(source)
    except SyntaxError as exc:
        raise InputError(f"the cell is not valid Python ({exc.msg})",
                         where=f"{where}, line {exc.lineno}") from None
    names: dict[str, Any] = {}
    calls: list[GradingCall] = []
    for statement in tree.body:
        if _is_inert(statement):
            continue
        if (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)):
            try:
                names[statement.targets[0].id] = read_literal(statement.value, names)
            except ValueError as exc:
                raise InputError(str(exc), where=f"{where}, line {statement.lineno}") from None
            continue
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call) \
                and called_name(statement.value) in DECLARATIONS:
            calls.append(_declaration(statement.value, names, where))
            continue
        raise InputError(_NOT_A_DECLARATION, where=f"{where}, line {statement.lineno}")
    return calls or None


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
