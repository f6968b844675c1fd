"""Where a grade is computed: pure rules, no nbgrader, no widgets.

This is the path released notebooks import (``from canvastools.grading import
grade_classification``); it stays. The rooms inside:

- :mod:`canvastools.grading.results`: what grading gives (:class:`ExerciseResult`);
- :mod:`canvastools.grading.rules`: an answer file and a key in, an :class:`ExerciseResult` out
  (``score_*``);
- :mod:`canvastools.grading.declarations`: what a test cell calls (``grade_*``,
  ``check_saved``);
- :mod:`canvastools.grading.points`: a test cell's declarations become points;
- :mod:`canvastools.grading.testcells`: the one reader of a test cell (and of any code cell,
  without running it);
- :mod:`canvastools.grading.exercise_views`: what the assignment shows of each exercise;
- :mod:`canvastools.grading.views`: a result shown as HTML, text or PNG.

>>> from canvastools.grading import score_item
>>> score_item({"self_service"}, {"self_service"}, set())
1.0
"""

from canvastools.grading.declarations import (
    NotReadyToSubmit,
    check_design,
    check_saved,
    grade_classification,
    grade_motivations,
    grade_order,
    load_answers,
)
from canvastools.grading.results import Check, ExerciseResult, ItemResult
from canvastools.grading.rules import (
    SCORERS,
    score_classification,
    score_design,
    score_item,
    score_motivations,
    score_order,
)

__all__ = [
    "ItemResult",
    "Check",
    "ExerciseResult",
    "score_item",
    "score_classification",
    "score_motivations",
    "score_order",
    "score_design",
    "SCORERS",
    "grade_classification",
    "grade_motivations",
    "grade_order",
    "check_design",
    "check_saved",
    "NotReadyToSubmit",
    "load_answers",
]
