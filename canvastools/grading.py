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

An instructor's mistake in the key is different: a key or accepted id that is not a valid
choice (a relationship type of ``taxonomy``, a motivation, a guiding question), an unknown
taxonomy, an empty key raise ``InputError`` (a ``ValueError``) naming the wrong id and the valid
choices, before any answer is read. The cell then errors (0 points for everyone) instead of
quietly giving wrong grades; ``python tools/check_release.py`` finds these mistakes before
release. The message never names an item next to its key.

Every helper that grades relationship types takes ``taxonomy=`` (default ``"bmg2010"``) and
grades against it; an answer saved by a widget of another taxonomy gets a note on stdout and
is graded as it is (ids that are not in ``taxonomy`` score 0).

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

from .taxonomy import DEFAULT_TAXONOMY

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
    entry = _load_entry(exercise_id, folder)
    return None if entry is None else entry["answer"]


def _load_entry(exercise_id: str, folder: str | None = None) -> dict[str, Any] | None:
    """``{"answer", "taxonomy"}`` of one exercise, or None (with a stdout note)."""
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
        taxonomy = entry.get("taxonomy")
        return {"answer": entry["answer"],
                "taxonomy": taxonomy if isinstance(taxonomy, str) else None}
    return {"answer": entry, "taxonomy": None}


def _answers_in(exercise_id: str, taxonomy: Any) -> Any:
    """The saved answer; a stdout note when it was given with another taxonomy than the key's."""
    entry = _load_entry(exercise_id)
    if entry is None:
        return None
    saved = entry["taxonomy"]
    if taxonomy is not None and saved is not None and saved != taxonomy.id:
        _note(f"the answers of '{exercise_id}' were given with the relationship types of "
              f"taxonomy '{saved}', the key uses '{taxonomy.id}': they are graded against "
              f"'{taxonomy.id}' (types it does not have score 0)")
    return entry["answer"]


CHOICE_SETS = ("types", "motivations", "questions")


def _taxonomy(taxonomy: Any) -> Any:
    from .taxonomy import Taxonomy, load_taxonomy

    return taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)


def _pools(taxonomy: Any) -> dict[str, tuple[list[str], str]]:
    from .taxonomy import load_domain

    domain = load_domain()
    return {"types": (taxonomy.type_ids, f"relationship type of taxonomy '{taxonomy.id}'"),
            "motivations": (domain.motivation_ids, "motivation"),
            "questions": (domain.question_ids, "guiding question")}


def _valid_choices(choices: Any, taxonomy: Any, where: str) -> tuple[list[str], str]:
    """The ids a key may use, and what one of them is called."""
    from .errors import InputError

    pools = _pools(taxonomy)
    if isinstance(choices, str):
        if choices not in pools:
            raise InputError(f"unknown choices {choices!r}", where=f"{where}, choices",
                             choices=list(CHOICE_SETS), got=choices)
        return pools[choices]
    every = [c for ids, _ in pools.values() for c in ids]
    picked = list(choices) if isinstance(choices, Iterable) else []
    for choice in picked:
        if choice not in every:
            raise InputError(f"unknown choice {choice!r}", where=f"{where}, choices",
                             choices=every, got=str(choice))
    if len(picked) < 2:
        raise InputError("choices is 'types', 'motivations', 'questions' or a list of at "
                         "least two ids", where=f"{where}, choices")
    return picked, "choice"


def _check_ids(ids: Iterable[str], valid: list[str], what: str, where: str,
               taxonomy: Any) -> None:
    """Raise InputError for the first id of a key that is not a valid choice."""
    from .errors import InputError

    for value in ids:
        if value in valid:
            continue
        hint = ""
        for pool, (pool_ids, pool_what) in _pools(taxonomy).items():
            if value in pool_ids and pool_ids is not valid:
                hint = (f"; it is a {pool_what}: pass choices={pool!r}" if pool != "types"
                        else f"; it is a {pool_what}")
                break
        raise InputError(f"{value!r} is not a {what}{hint} (a mistake in the key: no answer "
                         "was graded)", where=where, choices=valid, got=str(value))


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
                points: float, partial: float, show: bool, *, choices: Any, taxonomy: Any,
                helper: str) -> float:
    from .errors import InputError

    where = f"{helper}({exercise_id!r})"
    if not isinstance(key, Mapping) or not key:
        raise InputError("the key must be a non-empty dict {item_id: id or [ids]}",
                         where=f"{where}, key")
    accepted = accepted or {}
    if not isinstance(accepted, Mapping):
        raise InputError("accepted is a dict {item_id: [ids]}", where=f"{where}, accepted")
    unknown = set(accepted) - set(key)
    if unknown:
        raise InputError(f"accepted names items that are not in the key: {sorted(unknown)}",
                         where=f"{where}, accepted", choices=sorted(map(str, key)))
    taxonomy = _taxonomy(taxonomy)
    valid, what = _valid_choices(choices, taxonomy, where)
    for value in key.values():
        if not _as_set(value):
            raise InputError("every item of the key needs at least one id (an item with an "
                             "empty key can never be right)", where=f"{where}, key")
    _check_ids(sorted({i for v in key.values() for i in _as_set(v)}), valid, what,
               f"{where}, key", taxonomy)
    _check_ids(sorted({i for v in accepted.values() for i in _as_set(v)}), valid, what,
               f"{where}, accepted", taxonomy)
    uses_types = any(c in taxonomy.type_ids for c in valid)
    answers = _answers_in(exercise_id, taxonomy if uses_types else None)
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
                         choices: str | Sequence[str] = "types",
                         taxonomy: Any = DEFAULT_TAXONOMY, points: float = 1.0,
                         partial: float = 0.5, show: bool = False) -> float:
    """Score a ClassifyCases / ClassifyItems exercise: ``points`` per item, see module doc.

    ``key`` maps item id -> the id (or list of ids, all required); ``accepted`` maps item id ->
    defensible alternatives that earn ``partial * points``. ``choices`` is what the exercise
    classifies into, as in ClassifyItems: ``"types"`` (the relationship types of ``taxonomy``),
    ``"motivations"``, ``"questions"`` or a list of ids. An id of the key that is not one of
    them raises InputError (see the module doc).
    """
    return _grade_sets(exercise_id, key, accepted, points, partial, show, choices=choices,
                       taxonomy=taxonomy, helper="grade_classification")


def grade_motivations(exercise_id: str, key: Mapping[str, str | Sequence[str]],
                      accepted: Mapping[str, Sequence[str]] | None = None, *,
                      points: float = 1.0, partial: float = 0.5,
                      show: bool = False) -> float:
    """Score a MotivationMatrix exercise (rows -> motivations), scored like classification:
    all the key's motivations of a row for ``points``; only some of them (nothing wrong) for
    ``partial * points``. Motivations belong to no taxonomy, so there is no ``taxonomy=``."""
    return _grade_sets(exercise_id, key, accepted, points, partial, show,
                       choices="motivations", taxonomy=DEFAULT_TAXONOMY,
                       helper="grade_motivations")


def grade_order(exercise_id: str, key: Sequence[str | Sequence[str]], *,
                taxonomy: Any = DEFAULT_TAXONOMY, points: float = 1.0,
                show: bool = False) -> float:
    """Score a SpectrumOrder exercise by the share of pairs in the key's order.

    ``key`` lists the ids from most personal to most automated; an inner list groups ids
    whose order among themselves does not matter (such pairs are not counted). A pair is right
    when both ids are in the answer in the key's order. Returns ``points * right / pairs``
    (rounded to 4 decimals).

    >>> # e.g. key ["a", ["b", "c"], "d"] has 5 ordered pairs; answer [a, c, b, d] gets 5/5
    """
    from .errors import InputError

    where = f"grade_order({exercise_id!r}), key"
    if isinstance(key, (str, Mapping)) or not isinstance(key, Iterable):
        raise InputError("the key is a list of type ids, most personal first", where=where)
    rank: dict[str, int] = {}
    for position, entry in enumerate(key):
        for item in ([entry] if isinstance(entry, str) else entry):
            if item in rank:
                raise InputError(f"'{item}' appears twice in the key", where=where)
            rank[item] = position
    if len(rank) < 2:
        raise InputError("the key must order at least two ids", where=where)
    taxonomy = _taxonomy(taxonomy)
    _check_ids(list(rank), taxonomy.type_ids, f"relationship type of taxonomy '{taxonomy.id}'",
               where, taxonomy)
    pairs = [(a, b) for a in rank for b in rank if rank[a] < rank[b]]
    answer = _answers_in(exercise_id, taxonomy)
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
                 types: Iterable[str] | None = None, taxonomy: Any = DEFAULT_TAXONOMY,
                 points: float = 3.0, show: bool = True) -> float:
    """Score a RelationshipDesigner exercise on three checks, ``points / 3`` each:

    1. every segment in ``segments`` has at least one relationship note;
    2. the notes use at least ``min_types`` different relationship types;
    3. there is at least one note and each note has a valid relationship type
       (``types``: default, every type of ``taxonomy``; given, a subset of them).

    The checks are not secret, so ``show`` defaults to True.
    """
    from .errors import InputError

    taxonomy = _taxonomy(taxonomy)
    if isinstance(segments, str) or not isinstance(segments, Iterable) or not segments:
        raise InputError("segments is a non-empty list of segment ids",
                         where=f"check_design({exercise_id!r}), segments")
    if types is None:
        types = taxonomy.type_ids
    types = [types] if isinstance(types, str) else list(types)
    _check_ids(types, taxonomy.type_ids, f"relationship type of taxonomy '{taxonomy.id}'",
               f"check_design({exercise_id!r}), types", taxonomy)
    valid = set(types)
    notes = _answers_in(exercise_id, taxonomy)
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
