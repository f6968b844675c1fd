"""The report's tables, computed from a :class:`~canvastools.commands.report.data.ClassReport`:
per item, the confusion matrices, per motivation, the hardest items, who may need help::

    from canvastools.commands.report.data import load_report
    from canvastools.commands.report.tables import item_table, confusion, hardest_items

    report = load_report("classify-cases", course="~/course")
    rows = item_table(report)                # one dict per item: accuracy, how answers split
    confusion(report).count("communities", "co_creation")

How a multi-type item counts in the confusion matrix is said in :func:`confusion`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from canvastools.commands.report.data import ClassReport
from canvastools.grader.records import FLAG_CODES

if TYPE_CHECKING:
    from canvastools.grading.rules import ExerciseResult, ItemResult

__all__ = [
    "Confusion", "item_table", "confusion", "confusions", "motivation_table", "hardest_items",
    "most_chosen_instead", "students_needing_help", "score_counts", "flag_table",
    "choice_label", "choice_ids", "choice_pool", "CONFUSION_RULE", "EXTRA", "MISSED",
    "LOW_SCORE",
]

#: the confusion matrix's last row: a type chosen outside the key, every key type chosen too
EXTRA = "(not in the key)"
#: the confusion matrix's last column: a key type not chosen, and no wrong type in its place
MISSED = "(not chosen)"
LOW_SCORE = 0.5           # a student under this share of the points may need help
HARDEST = 5


# -- labels ----------------------------------------------------------------------------------
def choice_ids(choices: str, taxonomy: str | None = None) -> list[str]:
    """The ids of a choice set (``types`` of ``taxonomy``, ``motivations``, ``questions``) in
    their order; ``[]`` for another.

    >>> choice_ids("motivations")
    ['acquisition', 'retention', 'boosting_sales']
    """
    from canvastools.model.taxonomy import DEFAULT_TAXONOMY, load_domain, load_taxonomy

    if choices == "types":
        return load_taxonomy(taxonomy or DEFAULT_TAXONOMY).type_ids
    if choices == "motivations":
        return load_domain().motivation_ids
    if choices == "questions":
        return load_domain().question_ids
    return []


def choice_label(choice: str, lang: str = "en", taxonomy: str | None = None) -> str:
    """The label of a relationship type, motivation or guiding question in ``lang``.

    >>> choice_label("self_service", "it"), choice_label("retention", "en")
    ('Self-service', 'Customer retention')
    """
    from canvastools.model.taxonomy import DEFAULT_TAXONOMY, load_domain, load_taxonomy

    domain = load_domain()
    tax = load_taxonomy(taxonomy or DEFAULT_TAXONOMY)
    if choice in tax.type_ids:
        return tax.label(choice, lang)
    if choice in domain.motivation_ids:
        return domain.motivation(choice).label_in(lang)
    if choice in domain.question_ids:
        return domain.question(choice).label_in(lang)
    return choice


def choice_pool(result: ExerciseResult, seen: Iterable[str] = ()) -> list[str]:
    """The choices of ``result``'s exercise in their order, then any other choice in
    ``seen`` (a student's answer outside the set), sorted."""
    pool = choice_ids(result.choices, result.taxonomy)
    return pool + sorted(set(seen) - set(pool))


# -- the tables ------------------------------------------------------------------------------
def _share(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def _first_by_id(items: Iterable[ItemResult]) -> dict[str, ItemResult]:
    """Item id -> a student's result for it (the first one, should an id come twice)."""
    found: dict[str, ItemResult] = {}
    for item in items:
        found.setdefault(item.item_id, item)
    return found


def _item_rows(report: ClassReport, exercise: ExerciseResult) -> list[dict[str, Any]]:
    mine = [next((r for r in results if r.exercise_id == exercise.exercise_id), None)
            for results in report.results.values()]
    mine = [r for r in mine if r is not None]
    rows = []
    base = {"exercise": exercise.exercise_id, "kind": exercise.kind,
            "choices": exercise.choices, "taxonomy": exercise.taxonomy}
    if exercise.items:
        by_id = [_first_by_id(r.items) for r in mine]
        for index, item in enumerate(exercise.items):
            got = [found[item.item_id] for found in by_id if item.item_id in found]
            verdicts = Counter(i.verdict for i in got)
            split = Counter(c for i in got for c in i.answer)
            pool = choice_pool(exercise, split)
            rows.append({**base, "item": item.item_id, "position": index,
                         "label": report.labels.get(item.item_id, item.item_id),
                         "key": tuple(item.key), "accepted": tuple(item.accepted),
                         "students": len(got),
                         **{v: verdicts.get(v, 0) for v in ("right", "partly", "wrong",
                                                            "unanswered")},
                         "accuracy": _share(verdicts.get("right", 0), len(got)),
                         "mean_points": _share(sum(i.points for i in got), len(got)),
                         "max_points": item.max_points,
                         "split": {c: split[c] for c in pool if split[c]}})
        return rows
    for index, check in enumerate(exercise.checks):
        got = [(r, r.checks[index]) for r in mine if len(r.checks) > index]
        label = check.label if exercise.kind != "spectrum" else "the whole order"
        verdicts = Counter(
            "unanswered" if not r.answered else "right" if c.points >= c.max_points
            else "partly" if c.points > 0 else "wrong" for r, c in got)
        rows.append({**base, "item": f"check-{index + 1}" if exercise.kind != "spectrum"
                     else "order", "position": index, "label": label, "key": (),
                     "accepted": (), "students": len(got),
                     **{v: verdicts.get(v, 0) for v in ("right", "partly", "wrong",
                                                        "unanswered")},
                     "accuracy": _share(verdicts.get("right", 0), len(got)),
                     "mean_points": _share(sum(c.points for _, c in got), len(got)),
                     "max_points": check.max_points, "split": {}})
    return rows


def item_table(report: ClassReport) -> list[dict[str, Any]]:
    """One dict per graded item (a classified case, a motivation row, an order, a design
    check) across the graded students.

    Keys: ``exercise``, ``item``, ``label``, ``key``, ``accepted``, ``students`` (graded
    students with a result for it), ``right``, ``partly``, ``wrong``, ``unanswered``,
    ``accuracy`` (share of ``students`` fully right), ``mean_points``, ``max_points`` and
    ``split``: how many students chose each choice (a student choosing two types counts in
    both), in the choices' order. ``pandas.DataFrame(item_table(report))`` makes a frame.
    """
    return [row for exercise in report.exercises() for row in _item_rows(report, exercise)]


@dataclass(frozen=True)
class Confusion:
    """Key type (rows) against chosen type (columns), across the class.

    ``ids`` are the choices in their taxonomy's order; ``counts`` has one more row
    (:data:`EXTRA`) and one more column (:data:`MISSED`) than ``ids``.
    """

    choices: str
    taxonomy: str | None
    ids: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]
    answers: int          # answered (student, item) pairs counted
    unanswered: int       # unanswered ones, left out

    def count(self, key: str, chosen: str) -> int:
        """``count("communities", "co_creation")``; ``EXTRA`` / ``MISSED`` for the margins."""
        rows = (*self.ids, EXTRA)
        cols = (*self.ids, MISSED)
        return self.counts[rows.index(key)][cols.index(chosen)]

    def labels(self, lang: str = "en") -> list[str]:
        return [choice_label(i, lang, self.taxonomy) for i in self.ids]


CONFUSION_RULE = (
    "Rows: the key's type; columns: the type the student chose. Each answered item counts "
    "once on the diagonal for every key type the student chose. A key type the student did "
    "not choose counts once against each type the student chose outside the key, or in the "
    "column “not chosen” when the student chose no type outside the key (only some of the "
    "types of a multi-type item). A type chosen outside the key when every key type was "
    "chosen too counts in the row “not in the key”. So an item with two key types counts "
    "twice in its rows; an accepted alternative counts off the diagonal; unanswered items are "
    "left out.")


def confusion(report: ClassReport, choices: str = "types",
              taxonomy: str | None = None) -> Confusion:
    """The confusion matrix of the classified items with ``choices`` (``types``,
    ``motivations`` or ``questions``) of ``taxonomy`` (default: the first one used).

    For an answered item with key types K and chosen types S (see :data:`CONFUSION_RULE`)::

        for k in K & S:          counts[k][k] += 1
        missed, wrong = K - S, S - K
        for k in missed:         counts[k][w] += 1 for w in wrong, or counts[k][MISSED] += 1
        if not missed:           counts[EXTRA][w] += 1 for w in wrong
    """
    exercises = [e for e in report.exercises() if e.items and e.choices == choices]
    if choices == "types":
        taxonomy = taxonomy or next((e.taxonomy for e in exercises if e.taxonomy), None)
        exercises = [e for e in exercises if e.taxonomy == taxonomy]
    ids = choice_ids(choices, taxonomy)
    size = len(ids) + 1
    grid = [[0] * size for _ in range(size)]
    answers = unanswered = 0
    wanted = {e.exercise_id for e in exercises}
    index = {c: i for i, c in enumerate(ids)}
    for results in report.results.values():
        for result in results:
            if result.exercise_id not in wanted:
                continue
            for item in result.items:
                key, chosen = set(item.key), set(item.answer)
                if not chosen:
                    unanswered += 1
                    continue
                answers += 1
                missed, wrong = key - chosen, chosen - key
                for k in key & chosen:
                    grid[index[k]][index[k]] += 1
                for k in missed:
                    for w in wrong or (None,):
                        grid[index[k]][index.get(w, size - 1) if w else size - 1] += 1
                if not missed:
                    for w in wrong:
                        grid[size - 1][index.get(w, size - 1)] += 1
    return Confusion(choices, taxonomy if choices == "types" else None, tuple(ids),
                     tuple(tuple(r) for r in grid), answers, unanswered)


def confusions(report: ClassReport) -> list[Confusion]:
    """Every confusion matrix the assignment has: one per taxonomy of classified types,
    then motivations and guiding questions."""
    found = []
    exercises = [e for e in report.exercises() if e.items]
    for tax in dict.fromkeys(e.taxonomy for e in exercises if e.choices == "types"):
        found.append(confusion(report, "types", tax))
    for choices in ("motivations", "questions"):
        if any(e.choices == choices for e in exercises):
            found.append(confusion(report, choices))
    return found


def motivation_table(report: ClassReport, items: list[dict[str, Any]] | None = None
                     ) -> list[dict[str, Any]]:
    """Per motivation (acquisition, retention, boosting sales): over the rows of the
    motivation exercises whose key has it, how many student answers there were
    (``answers``: students x rows, unanswered included), how many chose it (``chosen``)
    and how many were fully right (``right``; ``accuracy = right / answers``). ``items``:
    the report's :func:`item_table`, when it is already made."""
    from canvastools.model.taxonomy import load_domain

    rows = []
    table = item_table(report) if items is None else items
    for motivation in load_domain().motivation_ids:
        answers = chosen = right = items = 0
        for row in table:
            if row["choices"] != "motivations" or motivation not in row["key"]:
                continue
            items += 1
            answers += row["students"]
            chosen += row["split"].get(motivation, 0)
            right += row["right"]
        if items:
            rows.append({"motivation": motivation,
                         "label": choice_label(motivation, report.lang), "items": items,
                         "answers": answers, "chosen": chosen, "right": right,
                         "accuracy": _share(right, answers)})
    return rows


def most_chosen_instead(row: dict[str, Any]) -> tuple[str, int] | None:
    """The choice most often made outside an item's key and accepted ones (pool order
    breaks ties), with its count."""
    wrong = [(c, n) for c, n in row["split"].items()
             if c not in row["key"] and c not in row["accepted"]]
    return max(wrong, key=lambda cn: cn[1]) if wrong else None


def hardest_items(report: ClassReport, n: int = HARDEST,
                  items: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The ``n`` items with the lowest accuracy (then the lowest mean points, then the
    assignment's order), among the items some graded student had (``items``: the
    report's :func:`item_table`, when it is already made)."""
    table = item_table(report) if items is None else items
    rows = [(i, r) for i, r in enumerate(table) if r["students"]]
    rows.sort(key=lambda ir: (ir[1]["accuracy"], ir[1]["mean_points"] / ir[1]["max_points"]
                              if ir[1]["max_points"] else 0.0, ir[0]))
    return [r for _, r in rows[:n]]


def score_counts(report: ClassReport) -> list[tuple[float, int]]:
    """(score, number of graded students with it), lowest score first."""
    counts = Counter(s.score for s in report.graded)
    return sorted(counts.items())


def students_needing_help(report: ClassReport, low: float = LOW_SCORE
                          ) -> list[dict[str, Any]]:
    """Students with no submission, a submission not graded yet, or a score under
    ``low`` x the assignment's points; each with its reasons in words."""
    out = []
    for s in report.students:
        reasons = []
        if s.status == "no submission":
            reasons.append("no submission")
        elif s.status == "not graded":
            reasons.append("submitted, not graded yet (run nbgrader autograde)")
        elif s.max_score and s.score is not None and s.score < low * s.max_score:
            reasons.append(f"low score: {round(s.score, 2):g} of {s.max_score:g}"
                           + (" (manual grading pending)" if s.manual_pending else ""))
        if reasons:
            out.append({"student": s.student, "status": s.status, "score": s.score,
                        "max_score": s.max_score, "reasons": reasons})
    rank = {"no submission": 0, "not graded": 1, "graded": 2}
    out.sort(key=lambda r: (rank[r["status"]], r["score"] if r["score"] is not None else 0.0,
                            r["student"]))
    return out


def flag_table(report: ClassReport) -> list[dict[str, str]]:
    """Every flag, with what its code means: ``student``, ``code``, ``meaning``, ``message``."""
    return [{**f, "meaning": FLAG_CODES.get(f["code"], "")} for f in report.flags]
