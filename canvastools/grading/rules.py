"""The scoring rules: an answer file and a key in, a detailed result out.

A canvastools test cell of an nbgrader source assignment *declares* its key with one of the
``grade_*`` calls, inside the hidden tests::

    from canvastools.grading import grade_classification
    ### BEGIN HIDDEN TESTS
    grade_classification("classify-cases", {"acme-desk": "personal_assistance"},
                         accepted={"acme-desk": ["dedicated_personal_assistance"]})
    ### END HIDDEN TESTS

At autograding the cell is **not executed**: the grader reads the call from the instructor's
source (:mod:`canvastools.grading.testcells`), scores the student's answer file as submitted with
the
matching ``score_*`` function below, in the grader's own process, and writes the points as the
cell's result (:class:`canvastools.grader.plugins.ScoreAnswers`). The key never enters the
student's kernel. Called in a notebook (an instructor trying a key, a self-learner), a
``grade_*`` function scores the answer file of the current folder the same way and returns the
points.

A student's mistake (no answer file, a corrupted one, an unknown item id, an answer of the wrong
shape) never raises: the items concerned score 0 and the result carries a short note. An
instructor's mistake in the key (an id that is not a valid choice, an unknown taxonomy, an empty
key) raises ``InputError`` naming the wrong id and the valid choices, before any answer is
read; ``python tools/check_release.py`` finds these mistakes before release. No message names
an item next to its key.

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
>>> from canvastools.answers.store import StoreRead
>>> read = StoreRead({"q": {"kind": "classify", "answer": {"a": ["self_service"]},
...                         "updated": "", "taxonomy": "bmg2010"}})
>>> result = score_classification(read, "q", {"a": "self_service", "b": "communities"})
>>> result.points, result.max_points, [i.verdict for i in result.items]
(1.0, 2.0, ['right', 'unanswered'])
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from canvastools.grading.pools import notebook_variant
from canvastools.model.taxonomy import DEFAULT_TAXONOMY

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


# -- the answer file -------------------------------------------------------------------------
def _entry(answers: Any, exercise_id: str, notes: list[str]) -> dict[str, Any] | None:
    """``{"answer", "taxonomy"}`` of one exercise from a StoreRead, or None (with a note)."""
    exercises = getattr(answers, "exercises", None)
    problem = getattr(answers, "problem", None)
    if problem:
        notes.append(f"the answer file has a problem: {problem}")
    if not isinstance(exercises, Mapping) or exercise_id not in exercises:
        notes.append(f"no saved answer for exercise '{exercise_id}'")
        return None
    entry = exercises[exercise_id]
    if isinstance(entry, Mapping) and "answer" in entry:
        taxonomy = entry.get("taxonomy")
        return {"answer": entry["answer"],
                "taxonomy": taxonomy if isinstance(taxonomy, str) else None}
    return {"answer": entry, "taxonomy": None}


def _answer_in(answers: Any, exercise_id: str, taxonomy: Any, notes: list[str]) -> Any:
    """The saved answer; a note when it was given with another taxonomy than the key's."""
    entry = _entry(answers, exercise_id, notes)
    if entry is None:
        return None
    saved = entry["taxonomy"]
    if taxonomy is not None and saved is not None and saved != taxonomy.id:
        notes.append(f"the answers of '{exercise_id}' were given with the relationship types "
                     f"of taxonomy '{saved}', the key uses '{taxonomy.id}': they are graded "
                     f"against '{taxonomy.id}' (types it does not have score 0)")
    return entry["answer"]


# -- checking the key ------------------------------------------------------------------------
CHOICE_SETS = ("types", "motivations", "questions")


def _taxonomy(taxonomy: Any) -> Any:
    from canvastools.model.taxonomy import Taxonomy, load_taxonomy

    return taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)


def _pools(taxonomy: Any) -> dict[str, tuple[list[str], str]]:
    from canvastools.model.taxonomy import load_domain

    domain = load_domain()
    return {"types": (taxonomy.type_ids, f"relationship type of taxonomy '{taxonomy.id}'"),
            "motivations": (domain.motivation_ids, "motivation"),
            "questions": (domain.question_ids, "guiding question")}


def _valid_choices(choices: Any, taxonomy: Any, where: str) -> tuple[list[str], str]:
    """The ids a key may use, and what one of them is called."""
    from canvastools.errors import InputError

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
    from canvastools.errors import InputError

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


def _verdict(got: set[str], score: float, points: float) -> str:
    if not got:
        return "unanswered"
    return "right" if score == points else "partly" if score > 0 else "wrong"


# -- the scorers -----------------------------------------------------------------------------
def _score_sets(answers: Any, exercise_id: str, key: Mapping[str, Any],
                accepted: Mapping[str, Any] | None, points: float, partial: float, *,
                choices: Any, taxonomy: Any, helper: str, kind: str) -> ExerciseResult:
    from canvastools.errors import InputError

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
    notes: list[str] = []
    saved = _answer_in(answers, exercise_id, taxonomy if uses_types else None, notes)
    if saved is not None and not isinstance(saved, Mapping):
        notes.append(f"the saved answer of '{exercise_id}' is not a set of classified items")
        saved = None
    saved = saved or {}
    extra = [str(k) for k in saved if k not in key]
    if extra:
        notes.append(f"ignored answers for unknown items: {', '.join(sorted(extra)[:20])}")
    items = []
    for item_id, expected in key.items():
        got = _as_set(saved.get(item_id))
        item_accepted = _as_set(accepted.get(item_id, ()))
        score = score_item(got, _as_set(expected), item_accepted, points, partial)
        items.append(ItemResult(str(item_id), tuple(sorted(got)), tuple(sorted(_as_set(expected))),
                                tuple(sorted(item_accepted)), score, float(points),
                                _verdict(got, score, points)))
    named = choices if isinstance(choices, str) else "custom"
    return ExerciseResult(
        exercise_id, kind, named, taxonomy.id if uses_types else None,
        round(sum(i.points for i in items), 4), round(float(points) * len(key), 4),
        items=tuple(items), notes=tuple(notes), answered=any(i.answer for i in items))


def score_classification(answers: Any, exercise_id: str,
                         key: Mapping[str, str | Sequence[str]],
                         accepted: Mapping[str, Sequence[str]] | None = None, *,
                         choices: str | Sequence[str] = "types",
                         taxonomy: Any = DEFAULT_TAXONOMY, points: float = 1.0,
                         partial: float = 0.5) -> ExerciseResult:
    """Score a ClassifyCases / ClassifyItems exercise of ``answers`` (a ``StoreRead``).

    ``key`` maps item id -> the id (or list of ids, all required); ``accepted`` maps item id ->
    defensible alternatives that earn ``partial * points``. ``choices`` is what the exercise
    classifies into, as in ClassifyItems: ``"types"`` (the relationship types of ``taxonomy``),
    ``"motivations"``, ``"questions"`` or a list of ids.
    """
    return _score_sets(answers, exercise_id, key, accepted, points, partial, choices=choices,
                       taxonomy=taxonomy, helper="grade_classification", kind="classify")


def score_motivations(answers: Any, exercise_id: str, key: Mapping[str, str | Sequence[str]],
                      accepted: Mapping[str, Sequence[str]] | None = None, *,
                      points: float = 1.0, partial: float = 0.5) -> ExerciseResult:
    """Score a MotivationMatrix exercise (rows -> motivations), scored like classification:
    all the key's motivations of a row for ``points``; only some of them (nothing wrong) for
    ``partial * points``. Motivations belong to no taxonomy."""
    return _score_sets(answers, exercise_id, key, accepted, points, partial,
                       choices="motivations", taxonomy=DEFAULT_TAXONOMY,
                       helper="grade_motivations", kind="motivation")


ORDER_ITEMS = ("types", "cases")


def score_order(answers: Any, exercise_id: str, key: Sequence[str | Sequence[str]], *,
                taxonomy: Any = DEFAULT_TAXONOMY, points: float = 1.0,
                items: str = "types") -> ExerciseResult:
    """Score a SpectrumOrder exercise by the share of pairs in the key's order.

    ``key`` lists the ids from first to last (most personal, or most human contact, first);
    an inner list groups ids that tie, whose order among themselves does not matter (such
    pairs are not counted: either order is right). A pair is right when both ids are in the
    answer in the key's order. The points are ``points * right / pairs`` (rounded to 4
    decimals); e.g. key ``["a", ["b", "c"], "d"]`` has 5 ordered pairs, and the answer
    ``[a, c, b, d]`` gets all 5 (see :mod:`canvastools.model.ordering`).

    ``items`` says what is ordered: ``"types"``, relationship types of ``taxonomy`` (checked
    against it); ``"cases"``, the ids of the cases the widget shows (the taxonomy plays no
    part). A graded order of cases is the one whose answer the installed package cannot
    give: the cases and their order are only in the hidden test.

    >>> from canvastools.answers.store import StoreRead
    >>> read = StoreRead({"s": {"kind": "spectrum", "answer": ["kiosk", "banker", "help-line"],
    ...                         "updated": ""}})
    >>> score_order(read, "s", ["banker", "help-line", "kiosk"], items="cases").points
    0.3333
    """
    from canvastools.errors import InputError
    from canvastools.model.ordering import key_groups, ordered_pairs

    where = f"grade_order({exercise_id!r}), key"
    if items not in ORDER_ITEMS:
        raise InputError(f"unknown items {items!r}", where=f"grade_order({exercise_id!r}), "
                         "items", choices=list(ORDER_ITEMS), got=str(items))
    groups = key_groups(key, where)
    rank = {item: position for position, group in enumerate(groups) for item in group}
    if items == "types":
        taxonomy = _taxonomy(taxonomy)
        _check_ids(list(rank), taxonomy.type_ids,
                   f"relationship type of taxonomy '{taxonomy.id}'", where, taxonomy)
    else:
        taxonomy = None
    pairs = ordered_pairs(rank)
    notes: list[str] = []
    saved = _answer_in(answers, exercise_id, taxonomy, notes)
    if saved is not None and (isinstance(saved, (str, Mapping))
                              or not isinstance(saved, Iterable)):
        notes.append(f"the saved answer of '{exercise_id}' is not an ordered list")
        saved = None
    order = [item for item in (saved or []) if isinstance(item, str)][:200]
    position: dict[str, int] = {}
    for index, item in enumerate(order):
        if item in rank and item not in position:
            position[item] = index
    missing = [item for item in rank if item not in position]
    if saved is not None and missing:
        notes.append(f"{len(missing)} of {len(rank)} items are not in the saved order")
    right = sum(1 for a, b in pairs if a in position and b in position
                and position[a] < position[b])
    score = round(points * right / len(pairs), 4)
    check = Check(f"pairs in the right order: {right} of {len(pairs)}", right == len(pairs),
                  f"{right} of {len(pairs)}", score, float(points))
    return ExerciseResult(exercise_id, "spectrum", items,
                          taxonomy.id if taxonomy is not None else None, score, float(points),
                          checks=(check,), notes=tuple(notes), answer=order, key=groups,
                          answered=bool(position))


def score_design(answers: Any, exercise_id: str, segments: Sequence[str], *,
                 min_types: int = 2, types: Iterable[str] | None = None,
                 taxonomy: Any = DEFAULT_TAXONOMY, points: float = 3.0) -> ExerciseResult:
    """Score a RelationshipDesigner exercise on three checks, ``points / 3`` each:

    1. every segment in ``segments`` has at least one relationship note;
    2. the notes use at least ``min_types`` different relationship types;
    3. there is at least one note and each note has a valid relationship type
       (``types``: default, every type of ``taxonomy``; given, a subset of them).
    """
    from canvastools.errors import InputError

    taxonomy = _taxonomy(taxonomy)
    if isinstance(segments, str) or not isinstance(segments, Iterable) or not segments:
        raise InputError("segments is a non-empty list of segment ids",
                         where=f"check_design({exercise_id!r}), segments")
    segments = [str(s) for s in segments]
    if types is None:
        types = taxonomy.type_ids
    types = [types] if isinstance(types, str) else list(types)
    _check_ids(types, taxonomy.type_ids, f"relationship type of taxonomy '{taxonomy.id}'",
               f"check_design({exercise_id!r}), types", taxonomy)
    valid = set(types)
    notes_out: list[str] = []
    saved = _answer_in(answers, exercise_id, taxonomy, notes_out)
    if saved is not None and (isinstance(saved, (str, Mapping)) or not isinstance(saved, list)):
        notes_out.append(f"the saved answer of '{exercise_id}' is not a list of notes")
        saved = None
    notes = [n for n in (saved or []) if isinstance(n, Mapping)]
    covered = {s for n in notes for s in _as_set(n.get("segments"))
               if n.get("relationship") in valid}
    used = {n.get("relationship") for n in notes if n.get("relationship") in valid}
    uncovered = [s for s in segments if s not in covered]
    untyped = [i + 1 for i, n in enumerate(notes) if n.get("relationship") not in valid]
    share = float(points) / 3
    raw = [
        ("every segment has a relationship", not uncovered,
         "missing for: " + ", ".join(uncovered)),
        (f"at least {min_types} different relationship types", len(used) >= min_types,
         f"{len(used)} used"),
        ("every note has a relationship type", bool(notes) and not untyped,
         "no notes yet" if not notes else "notes without a type: "
         + ", ".join(map(str, untyped[:20]))),
    ]
    checks = tuple(Check(label, ok, "" if ok else detail, share if ok else 0.0, share)
                   for label, ok, detail in raw)
    passed = sum(1 for c in checks if c.ok)
    kept = [{"text": str(n.get("text", ""))[:500],
             "relationship": n.get("relationship") if isinstance(n.get("relationship"), str)
             else None,
             "segments": sorted(_as_set(n.get("segments")))[:20]} for n in notes[:100]]
    return ExerciseResult(exercise_id, "designer", "types", taxonomy.id,
                          round(float(points) * passed / len(checks), 4), float(points),
                          checks=checks, notes=tuple(notes_out), answer=kept,
                          key={"segments": segments}, answered=bool(notes))


#: the declaration a hidden test makes -> the function that scores it
SCORERS: dict[str, Callable[..., ExerciseResult]] = {
    "grade_classification": score_classification,
    "grade_motivations": score_motivations,
    "grade_order": score_order,
    "check_design": score_design,
}


# -- the declarations, usable in a notebook ----------------------------------------------------
def _here() -> Any:
    from canvastools.answers.store import AnswerStore

    return AnswerStore().read()


def _report(result: ExerciseResult, show: bool) -> float:
    for note in result.notes:
        print(f"[canvastools] {note}", file=sys.stdout)
    if show:
        for item in result.items:
            verdict = "not answered" if item.verdict == "unanswered" else (
                "partly right" if item.verdict == "partly" else item.verdict)
            print(f"{item.item_id}: {verdict} ({item.points:g}/{item.max_points:g})")
        for check in result.checks:
            print(f"{'ok' if check.ok else 'not yet'}: {check.label}"
                  + (f" ({check.detail})" if check.detail and not check.ok else ""))
        print(f"total: {result.points:g}/{result.max_points:g}")
    return result.points


def grade_classification(exercise_id: str, key: Mapping[str, str | Sequence[str]],
                         accepted: Mapping[str, Sequence[str]] | None = None, *,
                         choices: str | Sequence[str] = "types",
                         taxonomy: Any = DEFAULT_TAXONOMY, points: float = 1.0,
                         partial: float = 0.5, show: bool = False,
                         explanations: Mapping[str, str] | None = None,
                         sources: Mapping[str, str] | None = None,
                         count: int | None = None) -> float:
    """Declare (in a hidden test) or try (in a notebook) the key of a classification.

    Scores the current folder's answer file with :func:`score_classification` and returns the
    points; ``show`` prints each item's verdict, never the expected answer.
    ``explanations`` and ``sources`` (item id -> text) are shown with the expected answers
    in the feedback when the instructor opts in (``c.ShowResults.show_key = True``); they do
    not change the score. ``count``: the key is a pool, each student answers ``count`` of its
    items (:mod:`canvastools.grading.pools`).
    """
    answers = _here()
    if count is not None:
        key, accepted = notebook_variant(answers, exercise_id, key, accepted, count)
    return _report(score_classification(answers, exercise_id, key, accepted, choices=choices,
                                        taxonomy=taxonomy, points=points, partial=partial),
                   show)


def grade_motivations(exercise_id: str, key: Mapping[str, str | Sequence[str]],
                      accepted: Mapping[str, Sequence[str]] | None = None, *,
                      points: float = 1.0, partial: float = 0.5,
                      show: bool = False, explanations: Mapping[str, str] | None = None,
                      sources: Mapping[str, str] | None = None,
                      count: int | None = None) -> float:
    """Declare or try the key of a MotivationMatrix (see :func:`score_motivations`;
    ``explanations``, ``sources`` and ``count`` as in :func:`grade_classification`)."""
    answers = _here()
    if count is not None:
        key, accepted = notebook_variant(answers, exercise_id, key, accepted, count)
    return _report(score_motivations(answers, exercise_id, key, accepted, points=points,
                                     partial=partial), show)


def grade_order(exercise_id: str, key: Sequence[str | Sequence[str]], *,
                taxonomy: Any = DEFAULT_TAXONOMY, points: float = 1.0,
                show: bool = False, items: str = "types") -> float:
    """Declare or try the key of a SpectrumOrder (see :func:`score_order`).

    An order of cases, by how much human contact they involve, ties in an inner list::

        grade_order("contact", key=["banker", ["help-line", "shop"], "kiosk"],
                    items="cases", points=2.0)
    """
    return _report(score_order(_here(), exercise_id, key, taxonomy=taxonomy, points=points,
                               items=items), show)


def check_design(exercise_id: str, segments: Sequence[str], *, min_types: int = 2,
                 types: Iterable[str] | None = None, taxonomy: Any = DEFAULT_TAXONOMY,
                 points: float = 3.0, show: bool = True) -> float:
    """Declare or try the checks of a RelationshipDesigner (see :func:`score_design`).

    The checks are not secret, so ``show`` defaults to True.
    """
    return _report(score_design(_here(), exercise_id, segments, min_types=min_types,
                                types=types, taxonomy=taxonomy, points=points), show)


class NotReadyToSubmit(ValueError):
    """Raised by :func:`check_saved`: what is missing before submitting (no traceback shown)."""

    def _render_traceback_(self) -> list[str]:  # IPython shows the message only
        return str(self).splitlines()


def check_saved(exercise_id: str, items: Sequence[str] | None = None, *,
                folder: str | None = None) -> None:
    """Before submitting: is every part of ``exercise_id`` answered and saved?

    In the visible part of a test cell, so that Validate (the toolbar button, or
    ``nbgrader validate``) runs it in the student's kernel, after the widget cells::

        from canvastools.grading import check_saved
        check_saved("classify-cases")

    Raises :class:`NotReadyToSubmit` naming what is missing: no answer file, an unreadable
    one, nothing saved for the exercise, or the items (spectrum types, untyped notes,
    segments without a note) not answered or not saved yet. The parts come from the widget
    created for ``exercise_id`` in this kernel (else from ``items``, else any saved answer is
    enough). Otherwise prints that the answers are saved. It never needs the key and never
    says whether an answer is right; the grader never runs it (it scores the answer file).
    """
    import sys as _sys
    import textwrap

    from canvastools.answers.store import ANSWERS_FILENAME, AnswerStore
    from canvastools.grading.views import view_text

    store = AnswerStore(folder)
    widgets = _sys.modules.get("canvastools.widgets.base")
    widget = widgets.created_exercise(exercise_id, store.folder) if widgets else None
    lang = getattr(widget, "lang", "en")

    def not_ready(*lines: str) -> NotReadyToSubmit:
        # nbgrader validate cuts lines over 87 characters: wrapped at 80
        wrapped = [textwrap.fill(line, 80, initial_indent="- ", subsequent_indent="  ",
                                 break_on_hyphens=False) for line in lines]
        return NotReadyToSubmit("\n".join([view_text("not_ready", lang, exercise=exercise_id),
                                           *wrapped]))

    if not store.path.is_file():
        raise not_ready(view_text("no_file", lang, file=ANSWERS_FILENAME,
                                  folder=str(store.folder)))
    read = store.read()
    entry = read.exercises.get(exercise_id)
    if read.problem and (entry is None or exercise_id in read.damaged):
        raise not_ready(view_text("file_unreadable", lang, file=ANSWERS_FILENAME,
                                  problem=read.problem))
    kind = getattr(widget, "kind", None)
    answer = entry.get("answer") if entry is not None and (
        kind is None or entry.get("kind") == kind) else None
    if not answer:
        raise not_ready(view_text("nothing_saved", lang, file=ANSWERS_FILENAME))
    if widget is not None:
        missing = widget.unsaved_parts(answer)
        count = widget.saved_count(answer)
    else:
        wanted = list(items or ())
        given = answer if isinstance(answer, Mapping) else {}
        absent = [i for i in wanted if not given.get(i)]
        missing = [view_text("missing_items", lang, count=len(absent), total=len(wanted),
                             items="; ".join(absent))] if absent else []
        count = len(wanted) if wanted else (len(answer) if isinstance(answer, (list, Mapping))
                                             else 1)
    if missing:
        raise not_ready(*missing)
    done = "saved_notes_ok" if kind == "designer" else "saved_ok"
    print(view_text(done, lang, exercise=exercise_id, total=count, file=ANSWERS_FILENAME))


def load_answers(exercise_id: str, folder: str | None = None) -> Any:
    """The saved answer of one exercise in ``folder`` (default: here), or None."""
    from canvastools.answers.store import AnswerStore

    entry = _entry(AnswerStore(folder).read(), exercise_id, [])
    return None if entry is None else entry["answer"]

