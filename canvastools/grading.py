"""Grading helpers for nbgrader test cells.

A hidden test passes the answer key in and ends with the helper's return value, which nbgrader
takes as the cell's partial credit::

    from canvastools.grading import grade_classification
    ### BEGIN HIDDEN TESTS
    grade_classification("classify-cases", {"acme-desk": "personal_assistance"},
                         accepted={"acme-desk": ["dedicated_personal_assistance"]})
    ### END HIDDEN TESTS

The helpers read the answer file (``canvastools_answers.json``) of the current folder with
``AnswerStore().read()``. A student's mistake (no answer file, a corrupted one, an unknown item
id, an answer of the wrong shape) never raises, warns or writes to stderr (any of which would
zero the whole cell): the items concerned score 0 and a short note goes to stdout. Which items
were right is printed only with ``show=True``, and never the expected answer. Keys live in the
hidden tests only; this module holds none.

Scoring of one item with key types ``K``, accepted alternatives ``A`` and the student's set ``S``:
``points`` when ``S == K``; ``partial * points`` when ``S`` is not empty and every type in it is
in ``K`` or ``A`` (an accepted alternative, or only some of the types of a multi-type item);
0 otherwise.

>>> score_item({"self_service"}, {"self_service"}, set())
1.0
>>> score_item({"communities"}, {"co_creation"}, {"communities"})
0.5
>>> score_item({"co_creation", "self_service"}, {"co_creation"}, set())
0.0
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable, Mapping, Sequence
from contextlib import redirect_stderr
from typing import Any

__all__ = [
    "grade_classification",
    "grade_motivations",
    "grade_order",
    "check_design",
    "score_item",
    "load_answers",
]


def _note(message: str) -> None:
    print(f"[canvastools] {message}", file=sys.stdout)


def load_answers(exercise_id: str, folder: str | None = None) -> Any:
    """The saved answer of one exercise, or None (with a stdout note) when there is none."""
    try:
        with redirect_stderr(io.StringIO()):
            from .answers import AnswerStore

            read = AnswerStore(folder).read()
    except Exception as exc:  # the answer file must never break a test cell
        _note(f"the answer file could not be read ({type(exc).__name__}); no answers graded")
        return None
    exercises = getattr(read, "exercises", None)
    problem = getattr(read, "problem", None)
    if problem:
        _note(f"the answer file has a problem: {problem}")
    if not isinstance(exercises, Mapping) or exercise_id not in exercises:
        _note(f"no saved answer for exercise '{exercise_id}'")
        return None
    entry = exercises[exercise_id]
    if isinstance(entry, Mapping) and "answer" in entry:
        return entry["answer"]
    return entry


def _as_set(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value} if value else set()
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        return {x for x in value if isinstance(x, str) and x}
    return set()


def score_item(answer: set[str], key: set[str], accepted: set[str], points: float = 1.0,
               partial: float = 0.5) -> float:
    """Points for one classified item (see the module docstring)."""
    if not answer:
        return 0.0
    if answer == key:
        return float(points)
    if answer <= (key | accepted):
        return float(points) * partial
    return 0.0


def _grade_sets(exercise_id: str, key: Mapping[str, Any], accepted: Mapping[str, Any] | None,
                points: float, partial: float, show: bool) -> float:
    if not isinstance(key, Mapping) or not key:
        raise ValueError("the key must be a non-empty dict {item_id: id or [ids]}")
    accepted = accepted or {}
    unknown = set(accepted) - set(key)
    if unknown:
        raise ValueError(f"accepted names items that are not in the key: {sorted(unknown)}")
    answers = load_answers(exercise_id)
    if answers is not None and not isinstance(answers, Mapping):
        _note(f"the saved answer of '{exercise_id}' is not a set of classified items")
        answers = None
    answers = answers or {}
    extra = [str(k) for k in answers if k not in key]
    if extra:
        _note(f"ignored answers for unknown items: {', '.join(sorted(extra))}")
    total = 0.0
    for item_id, expected in key.items():
        got = _as_set(answers.get(item_id))
        score = score_item(got, _as_set(expected), _as_set(accepted.get(item_id, ())),
                           points, partial)
        total += score
        if show:
            verdict = ("not answered" if not got else "right" if score == points
                       else "partly right" if score > 0 else "wrong")
            print(f"{item_id}: {verdict} ({score:g}/{points:g})")
    total = round(total, 4)
    if show:
        print(f"total: {total:g}/{points * len(key):g}")
    return total


def grade_classification(exercise_id: str, key: Mapping[str, str | Sequence[str]],
                         accepted: Mapping[str, Sequence[str]] | None = None, *,
                         points: float = 1.0, partial: float = 0.5,
                         show: bool = False) -> float:
    """Score a ClassifyCases / ClassifyItems exercise: ``points`` per item, see module doc.

    ``key`` maps item id -> the type id (or list of type ids, all required); ``accepted`` maps
    item id -> defensible alternatives that earn ``partial * points``.
    """
    return _grade_sets(exercise_id, key, accepted, points, partial, show)


def grade_motivations(exercise_id: str, key: Mapping[str, str | Sequence[str]],
                      accepted: Mapping[str, Sequence[str]] | None = None, *,
                      points: float = 1.0, partial: float = 0.5,
                      show: bool = False) -> float:
    """Score a MotivationMatrix exercise (rows -> motivations), scored like classification:
    all the key's motivations of a row for ``points``; only some of them (nothing wrong) for
    ``partial * points``."""
    return _grade_sets(exercise_id, key, accepted, points, partial, show)


def grade_order(exercise_id: str, key: Sequence[str | Sequence[str]], *, points: float = 1.0,
                show: bool = False) -> float:
    """Score a SpectrumOrder exercise by the share of pairs in the key's order.

    ``key`` lists the ids from most personal to most automated; an inner list groups ids
    whose order among themselves does not matter (such pairs are not counted). A pair is right
    when both ids are in the answer in the key's order. Returns ``points * right / pairs``
    (rounded to 4 decimals).

    >>> # e.g. key ["a", ["b", "c"], "d"] has 5 ordered pairs; answer [a, c, b, d] gets 5/5
    """
    rank: dict[str, int] = {}
    for position, entry in enumerate(key):
        for item in ([entry] if isinstance(entry, str) else entry):
            if item in rank:
                raise ValueError(f"'{item}' appears twice in the key")
            rank[item] = position
    if len(rank) < 2:
        raise ValueError("the key must order at least two ids")
    pairs = [(a, b) for a in rank for b in rank if rank[a] < rank[b]]
    answer = load_answers(exercise_id)
    if answer is not None and (isinstance(answer, (str, Mapping))
                               or not isinstance(answer, Iterable)):
        _note(f"the saved answer of '{exercise_id}' is not an ordered list")
        answer = None
    position: dict[str, int] = {}
    for index, item in enumerate(answer or []):
        if isinstance(item, str) and item in rank and item not in position:
            position[item] = index
    missing = [item for item in rank if item not in position]
    if answer is not None and missing:
        _note(f"{len(missing)} of {len(rank)} items are not in the saved order")
    right = sum(1 for a, b in pairs if a in position and b in position
                and position[a] < position[b])
    score = round(points * right / len(pairs), 4)
    if show:
        print(f"{right} of {len(pairs)} pairs in the right order ({score:g}/{points:g})")
    return score


def check_design(exercise_id: str, segments: Sequence[str], *, min_types: int = 2,
                 types: Iterable[str] | None = None, points: float = 3.0,
                 show: bool = True) -> float:
    """Score a RelationshipDesigner exercise on three checks, ``points / 3`` each:

    1. every segment in ``segments`` has at least one relationship note;
    2. the notes use at least ``min_types`` different relationship types;
    3. there is at least one note and each note has a valid relationship type
       (``types``: default, the six bmg2010 types).

    The checks are not secret, so ``show`` defaults to True.
    """
    if types is None:
        from .taxonomy import load_taxonomy

        types = load_taxonomy("bmg2010").type_ids
    valid = set(types)
    notes = load_answers(exercise_id)
    if notes is not None and (isinstance(notes, (str, Mapping)) or not isinstance(notes, list)):
        _note(f"the saved answer of '{exercise_id}' is not a list of notes")
        notes = None
    notes = [n for n in (notes or []) if isinstance(n, Mapping)]
    covered = {s for n in notes for s in _as_set(n.get("segments"))
               if n.get("relationship") in valid}
    used = {n.get("relationship") for n in notes if n.get("relationship") in valid}
    uncovered = [s for s in segments if s not in covered]
    untyped = [i + 1 for i, n in enumerate(notes) if n.get("relationship") not in valid]
    checks = [
        ("every segment has a relationship", not uncovered,
         "missing for: " + ", ".join(uncovered)),
        (f"at least {min_types} different relationship types", len(used) >= min_types,
         f"{len(used)} used"),
        ("every note has a relationship type", bool(notes) and not untyped,
         "no notes yet" if not notes else "notes without a type: "
         + ", ".join(map(str, untyped))),
    ]
    passed = sum(1 for _, ok, _ in checks if ok)
    score = round(points * passed / len(checks), 4)
    if show:
        for label, ok, detail in checks:
            print(f"{'ok' if ok else 'not yet'}: {label}" + ("" if ok else f" ({detail})"))
        print(f"total: {score:g}/{points:g}")
    return score
