"""The one place where a test cell's declarations become points.

The grader (:class:`canvastools.grader.steps.ScoreAnswers`), the class report and the feedback
all go through these two functions, so a cell is never worth one thing in the gradebook and
another on the report::

    from canvastools.grading.points import cell_points, score_calls
    results = score_calls(parse_test_cell(source), answers)
    points = cell_points(results, max_points=4.0)

>>> from canvastools.answers.store import StoreRead
>>> from canvastools.grading.testcells import parse_test_cell
>>> read = StoreRead({"q": {"kind": "classify", "answer": {"a": ["self_service"]},
...                         "updated": "", "taxonomy": "bmg2010"}})
>>> calls = parse_test_cell('grade_classification("q", {"a": "self_service"}, points=3)')
>>> results = score_calls(calls, read)
>>> [r.points for r in results], cell_points(results, max_points=2.0)
([3.0], 2.0)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from canvastools.grading.pools import exercise_of, is_pooled, own_variant
from canvastools.grading.results import ExerciseResult
from canvastools.grading.rules import SCORERS
from canvastools.grading.testcells import GradingCall

__all__ = ["score_calls", "cell_points"]


def score_calls(calls: Sequence[GradingCall], answers: Any, *, assignment: str | None = None,
                student: str | None = None) -> list[ExerciseResult]:
    """Each declaration of a test cell scored against ``answers`` (a ``StoreRead``).

    A pooled declaration (``count=``) is scored on ``student``'s own variant of the pool in
    ``assignment`` (:func:`canvastools.grading.pools.own_variant`); without a student it
    cannot be scored (``ValueError``).
    An instructor's mistake in a key raises ``ValueError`` or ``TypeError``; the caller says
    where it is."""
    results = []
    for call in calls:
        if is_pooled(call):
            if not student or not assignment:
                raise ValueError(f"{call.function}({exercise_of(call)!r}) is pooled "
                                 "(count=): it is graded per student, with the student's id")
            call = own_variant(call, assignment=assignment, student=student)
        results.append(SCORERS[call.function](answers, *call.args, **call.kwargs))
    return results


def cell_points(results: Iterable[ExerciseResult], max_points: float) -> float:
    """The points a test cell earns: its results' points added up, never more than the
    cell's own points (nbgrader's ``points`` metadata)."""
    return min(round(sum(result.points for result in results), 4), float(max_points))
