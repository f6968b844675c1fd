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
the matching ``score_*`` function below, in the grader's own process, and writes the points as
the cell's result (:class:`canvastools.grader.steps.ScoreAnswers`, through
:mod:`canvastools.grading.points`). The key never enters the student's kernel. Called in a
notebook (an instructor trying a key, a self-learner), a ``grade_*`` function
(:mod:`canvastools.grading.declarations`) scores the answer file of the current folder the same
way and returns the points.

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

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from canvastools.grading.results import VERDICTS, Check, ExerciseResult, ItemResult
from canvastools.model.taxonomy import DEFAULT_TAXONOMY

if TYPE_CHECKING:
    from canvastools.answers.store import StoreRead
    from canvastools.model.taxonomy import Taxonomy

__all__ = [
    "VERDICTS",
    "ItemResult",
    "Check",
    "ExerciseResult",
    "saved_entry",
    "score_item",
    "score_classification",
    "score_motivations",
    "score_order",
    "score_design",
    "SCORERS",
]

# -- the answer file -------------------------------------------------------------------------
def saved_entry(answers: StoreRead, exercise_id: str, notes: list[str]) -> dict[str, Any] | None:
    """``{"answer", "taxonomy"}`` of one exercise from a StoreRead, or None (a note in ``notes``
    says why)."""
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


def _answer_in(answers: StoreRead, exercise_id: str, taxonomy: Taxonomy | None,
               notes: list[str]) -> Any:
    """The saved answer; a note when it was given with another taxonomy than the key's."""
    entry = saved_entry(answers, exercise_id, notes)
    if entry is None:
        return None
    saved = entry["taxonomy"]
    if taxonomy is not None and saved is not None and saved != taxonomy.id:
        notes.append(f"the answers of '{exercise_id}' were given with the relationship types "
                     f"of taxonomy '{saved}', the key uses '{taxonomy.id}': they are graded "
                     f"against '{taxonomy.id}' (types it does not have score 0)")
    return entry["answer"]


# -- checking the key ------------------------------------------------------------------------
def _taxonomy(taxonomy: str | Taxonomy) -> Taxonomy:
    from canvastools.model.taxonomy import as_taxonomy

    return as_taxonomy(taxonomy)


def _pools(taxonomy: Taxonomy) -> dict[str, tuple[list[str], str]]:
    """choice set -> (its ids, what one is called): canvastools.model.choices, the one table."""
    from canvastools.model.choices import choice_sets

    pools = {name: (chosen.ids, chosen.what) for name, chosen in choice_sets(taxonomy).items()}
    ids, what = pools["types"]
    pools["types"] = (ids, f"{what} of taxonomy '{taxonomy.id}'")
    return pools


def _valid_choices(choices: str | Iterable[str], taxonomy: Taxonomy,
                   where: str) -> tuple[list[str], str]:
    """The ids a key may use, and what one of them is called."""
    from canvastools.errors import InputError
    from canvastools.model.choices import CHOICE_SETS, choice_set

    pools = _pools(taxonomy)
    if isinstance(choices, str):
        choice_set(choices, taxonomy, where=f"{where}, choices")  # InputError when unknown
        return pools[choices]
    every = [c for ids, _ in pools.values() for c in ids]
    picked = list(choices) if isinstance(choices, Iterable) else []
    for choice in picked:
        if choice not in every:
            raise InputError(f"unknown choice {choice!r}", where=f"{where}, choices",
                             choices=every, got=str(choice))
    if len(picked) < 2:
        raise InputError("choices is " + ", ".join(map(repr, CHOICE_SETS)) + " or a list of "
                         "at least two ids", where=f"{where}, choices")
    return picked, "choice"


def _check_ids(ids: Iterable[str], valid: list[str], what: str, where: str,
               taxonomy: Taxonomy) -> None:
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
def _score_sets(answers: StoreRead, exercise_id: str, key: Mapping[str, Any],
                accepted: Mapping[str, Any] | None, points: float, partial: float, *,
                choices: str | Iterable[str], taxonomy: str | Taxonomy, helper: str,
                kind: str) -> ExerciseResult:
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


def score_classification(answers: StoreRead, exercise_id: str,
                         key: Mapping[str, str | Sequence[str]],
                         accepted: Mapping[str, Sequence[str]] | None = None, *,
                         choices: str | Sequence[str] = "types",
                         taxonomy: str | Taxonomy = DEFAULT_TAXONOMY, points: float = 1.0,
                         partial: float = 0.5) -> ExerciseResult:
    """Score a ClassifyCases / ClassifyItems exercise of ``answers`` (a ``StoreRead``).

    ``key`` maps item id -> the id (or list of ids, all required); ``accepted`` maps item id ->
    defensible alternatives that earn ``partial * points``. ``choices`` is what the exercise
    classifies into, as in ClassifyItems: ``"types"`` (the relationship types of ``taxonomy``),
    ``"motivations"``, ``"questions"`` or a list of ids.
    """
    return _score_sets(answers, exercise_id, key, accepted, points, partial, choices=choices,
                       taxonomy=taxonomy, helper="grade_classification", kind="classify")


def score_motivations(answers: StoreRead, exercise_id: str, key: Mapping[str, str | Sequence[str]],
                      accepted: Mapping[str, Sequence[str]] | None = None, *,
                      points: float = 1.0, partial: float = 0.5) -> ExerciseResult:
    """Score a MotivationMatrix exercise (rows -> motivations), scored like classification:
    all the key's motivations of a row for ``points``; only some of them (nothing wrong) for
    ``partial * points``. Motivations belong to no taxonomy."""
    return _score_sets(answers, exercise_id, key, accepted, points, partial,
                       choices="motivations", taxonomy=DEFAULT_TAXONOMY,
                       helper="grade_motivations", kind="motivation")


ORDER_ITEMS = ("types", "cases")


def score_order(answers: StoreRead, exercise_id: str, key: Sequence[str | Sequence[str]], *,
                taxonomy: str | Taxonomy = DEFAULT_TAXONOMY, points: float = 1.0,
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


def score_design(answers: StoreRead, exercise_id: str, segments: Sequence[str], *,
                 min_types: int = 2, types: Iterable[str] | None = None,
                 taxonomy: str | Taxonomy = DEFAULT_TAXONOMY,
                 points: float = 3.0) -> ExerciseResult:
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


