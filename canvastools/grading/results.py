"""What grading gives: an :class:`ExerciseResult` per exercise, with its items or checks.

Made by the rules (:mod:`canvastools.grading.rules`), stored by the grader, shown by the views
and counted by the report::

    >>> item = ItemResult("a", ("self_service",), ("self_service",), (), 1.0, 1.0, "right")
    >>> result = ExerciseResult("q", "classify", "types", "bmg2010", 1.0, 1.0, items=(item,))
    >>> ExerciseResult.from_dict(result.to_dict()) == result
    True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from canvastools._io.texts import TextTable

__all__ = ["VERDICTS", "ItemResult", "Check", "ExerciseResult", "view_text"]

#: one text of ``canvastools/data/results.yaml`` (the words a result is told in) in a language;
#: the rules, the views and the widgets read it here, not from the presentation module
view_text = TextTable("results.yaml").text

VERDICTS = ("right", "partly", "wrong", "unanswered")


@dataclass(frozen=True)
class ItemResult:
    """One graded item: the student's answer, the key (instructor-only) and the points."""

    item_id: str
    answer: tuple[str, ...]
    key: tuple[str, ...]
    accepted: tuple[str, ...]
    points: float
    max_points: float
    verdict: str  # one of VERDICTS


@dataclass(frozen=True)
class Check:
    """One check of a design exercise (checks are not secret: students see them)."""

    label: str
    ok: bool
    detail: str
    points: float
    max_points: float


@dataclass(frozen=True)
class ExerciseResult:
    """What one ``grade_*`` declaration gave for one student.

    ``kind`` is the answer kind (``classify``, ``motivation``, ``spectrum``, ``designer``);
    ``choices`` what the items are classified into (``types``, ``motivations``, ``questions``
    or ``custom``; for an order, what is ordered: ``types`` or ``cases``); ``notes`` are
    student-facing remarks (no key); ``answer`` is the saved answer as it was read (a
    designer's notes, a spectrum's order); ``key`` the key of an order exercise (groups of
    tied ids, first first).
    """

    exercise_id: str
    kind: str
    choices: str
    taxonomy: str | None
    points: float
    max_points: float
    items: tuple[ItemResult, ...] = ()
    checks: tuple[Check, ...] = ()
    notes: tuple[str, ...] = ()
    answer: Any = None
    key: Any = None
    answered: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ExerciseResult:
        values = dict(data)
        values["items"] = tuple(ItemResult(**{**i, "answer": tuple(i["answer"]),
                                              "key": tuple(i["key"]),
                                              "accepted": tuple(i["accepted"])})
                                for i in values.get("items", ()))
        values["checks"] = tuple(Check(**c) for c in values.get("checks", ()))
        values["notes"] = tuple(values.get("notes", ()))
        return cls(**values)
