"""``canvastools report ASSIGNMENT [-o PAGE.html] [--csv items.csv]``: where the class goes wrong.

The page and the table are ``report-ASSIGNMENT.html`` and ``report-ASSIGNMENT.csv`` by default,
so the reports of two assignments never overwrite each other.

Run in a course folder (the one with ``nbgrader_config.py``). The scores come from nbgrader's
gradebook (:class:`nbgrader.api.Gradebook`, SQLite or PostgreSQL: whatever ``db_url`` the
course configures), the per-item answers and the flags from the grading records
(:mod:`canvastools.grader.records`); a graded student without a record is scored again from the
answer file that was graded. The same pieces are functions to call in a notebook::

    from canvastools.commands.report.build import load_report, item_table, confusion, hardest_items
    from canvastools.commands.report.figures import plot_confusion

    report = load_report("classify-cases", course="~/course")
    rows = item_table(report)                # one dict per item: accuracy, how answers split
    ax = plot_confusion(confusion(report))   # key type x chosen type, across the class
    write_report(report)     # the whole page: report-classify-cases.html (and .csv)

How a multi-type item counts in the confusion matrix is said in :func:`confusion`.
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from canvastools.commands.export import safe_cell
from canvastools.errors import InputError
from canvastools.grader.records import FLAG_CODES, answers_digest, identical_answers, read_records

__all__ = [
    "ClassReport", "StudentGrade", "Confusion", "load_report", "course_settings",
    "require_gradebook", "default_report_path", "item_table", "confusion", "confusions",
    "motivation_table", "hardest_items",
    "students_needing_help", "score_counts", "flag_table", "choice_label", "write_report",
    "write_item_csv", "EXTRA", "MISSED", "LOW_SCORE",
]

#: the confusion matrix's last row: a type chosen outside the key, every key type chosen too
EXTRA = "(not in the key)"
#: the confusion matrix's last column: a key type not chosen, and no wrong type in its place
MISSED = "(not chosen)"
LOW_SCORE = 0.5           # a student under this share of the points may need help
HARDEST = 5
STATUSES = ("graded", "not graded", "no submission")


@dataclass(frozen=True)
class StudentGrade:
    """One student of the gradebook (or of ``submitted/``) for this assignment.

    ``status``: ``graded`` (autograded: a score in the gradebook), ``not graded`` (a
    submission that was not autograded) or ``no submission``. ``source``: where the per-item
    results come from, ``record`` or ``answer file`` (no record: scored again), or ``""``.
    """

    student: str
    status: str
    score: float | None = None
    max_score: float | None = None
    manual_pending: bool = False
    source: str = ""


@dataclass(frozen=True)
class ClassReport:
    """Everything the report shows, read once (see :func:`load_report`)."""

    assignment: str
    root: str
    lang: str
    max_score: float
    students: tuple[StudentGrade, ...]
    results: dict[str, tuple[Any, ...]]          # graded student -> ExerciseResult objects
    flags: tuple[dict[str, str], ...] = ()        # {"student", "code", "message"}
    labels: dict[str, str] = field(default_factory=dict)   # item id -> company / row label
    db_url: str = ""

    @property
    def graded(self) -> list[StudentGrade]:
        return [s for s in self.students if s.status == "graded"]

    def exercises(self) -> list[Any]:
        """One result per exercise (the first student's), in the assignment's order."""
        seen: dict[str, Any] = {}
        for results in self.results.values():
            for result in results:
                seen.setdefault(result.exercise_id, result)
        return list(seen.values())


# -- reading the course ----------------------------------------------------------------------
def course_settings(course: str | os.PathLike[str] = ".") -> Any:
    """The course's nbgrader ``CourseDirectory``, configured as nbgrader's own apps do it
    (``nbgrader_config.py`` of the folder and the user's Jupyter config): ``.root``,
    ``.db_url``, ``.format_path(...)``."""
    from nbgrader.apps.baseapp import NbGrader

    folder = Path(course).expanduser()
    if not (folder / "nbgrader_config.py").is_file():
        raise InputError("no nbgrader_config.py here: run the report in the course folder "
                         "(or pass --course)", file=str(folder.resolve()))
    with contextlib.chdir(folder):
        app = NbGrader()
        app.initialize([])
        coursedir = app.coursedir
        coursedir.root = os.path.abspath(coursedir.root or ".")
        app.clear_instance()
    return coursedir


def require_gradebook(db_url: str) -> None:
    """Refuse a SQLite gradebook that does not exist yet (nbgrader would create an empty one)."""
    if db_url.startswith("sqlite:///") and not os.path.isfile(db_url[len("sqlite:///"):]):
        raise InputError("there is no gradebook yet: run nbgrader generate_assignment and "
                         "nbgrader autograde first", file=db_url[len("sqlite:///"):])


def _read_gradebook(db_url: str, assignment: str) -> dict[str, Any]:
    from nbgrader.api import Gradebook, MissingEntry

    require_gradebook(db_url)
    with Gradebook(db_url) as gb:
        try:
            found = gb.find_assignment(assignment)
        except MissingEntry:
            names = sorted(a.name for a in gb.assignments)
            raise InputError(f"the gradebook has no assignment {assignment!r}",
                             where=db_url.split("@")[-1], choices=names,
                             got=assignment) from None
        notebooks = {nb.name: {c.name: c.source or "" for c in nb.source_cells}
                     for nb in found.notebooks}
        return {"max_score": float(found.max_score or 0.0),
                "students": [s.id for s in gb.students],
                "submissions": {s.student.id: (float(s.score), float(s.max_score),
                                               bool(s.needs_manual_grade))
                                for s in found.submissions},
                "notebooks": notebooks}


def _cell_order(coursedir: Any, assignment: str, notebooks: dict[str, dict[str, str]]
                ) -> list[tuple[str, str]]:
    """(notebook, cell name) in the source notebooks' order (by name when they are gone)."""
    import nbformat

    order = []
    for name in sorted(notebooks):
        path = Path(coursedir.format_path(coursedir.source_directory, ".", assignment),
                    f"{name}.ipynb")
        names: list[str] = []
        with contextlib.suppress(Exception):
            nb = nbformat.read(path, as_version=4)
            names = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]
        names = [n for n in names if n in notebooks[name]]
        names += sorted(set(notebooks[name]) - set(names))
        order += [(name, cell) for cell in names]
    return order


def _labels_and_lang(sources: list[str]) -> tuple[dict[str, str], str | None]:
    """Item labels (a case's company, a row's label) and the widgets' ``lang=``, read from
    the instructor's source cells as the graded views read them
    (:func:`canvastools.grading.views.exercise_views`)."""
    from canvastools.grading.views import exercise_views

    labels: dict[str, str] = {}
    lang = None
    for view in exercise_views(sources).values():
        if view.widget and lang is None:
            lang = view.lang
        for ident, title, description in view.items:
            labels.setdefault(ident, title or description or ident)
    return labels, lang


def _answers_file(coursedir: Any, assignment: str, student: str) -> Path | None:
    """The answer file that was graded (autograded/), else the submitted one."""
    from canvastools.answers.store import ANSWERS_FILENAME
    from canvastools.grader.intake import Policy

    for step in (coursedir.autograded_directory, coursedir.submitted_directory):
        path = Path(coursedir.format_path(step, student, assignment), ANSWERS_FILENAME)
        if path.is_symlink() or not path.is_file():
            continue
        if path.stat().st_size <= Policy().max_answers_bytes:
            return path
    return None


def _rescore(source: str, answers: Any, *, assignment: str, student: str) -> list[Any]:
    """The results of a test cell's declarations for one answer file ([] for a plain test
    or a key the grader could not use)."""
    from canvastools.grading.points import score_calls
    from canvastools.grading.testcells import parse_test_cell

    try:
        calls = parse_test_cell(source)
    except ValueError:
        return []
    if calls is None:
        return []
    try:
        return score_calls(calls, answers, assignment=assignment, student=student)
    except (ValueError, TypeError):
        return []


def _submitted_students(coursedir: Any, assignment: str) -> list[str]:
    """Students with a folder in ``submitted/`` (as nbgrader's API finds them)."""
    import glob

    pattern = coursedir.format_path(coursedir.submitted_directory, "*", assignment)
    regex = coursedir.format_path(coursedir.submitted_directory, "(?P<student_id>[^/]+)",
                                  re.escape(assignment), escape=True)
    found = set()
    for name in glob.glob(pattern):
        match = re.fullmatch(regex, name)
        if os.path.isdir(name) and match:
            found.add(match.group("student_id"))
    return sorted(found)


def load_report(assignment: str, course: str | os.PathLike[str] = ".", *,
                db_url: str | None = None, lang: str | None = None) -> ClassReport:
    """Read the gradebook, the grading records and (where a record is missing) the graded
    answer files of ``assignment``.

    ``db_url`` overrides the course's; ``lang`` the language of the labels (default: the
    ``lang=`` of the assignment's widgets, else English).
    """
    from canvastools.answers.store import AnswerStore, StoreRead
    from canvastools.grading.results import ExerciseResult
    from canvastools.model.taxonomy import load_domain

    coursedir = course_settings(course)
    root = os.path.abspath(coursedir.root)
    url = db_url or coursedir.db_url
    book = _read_gradebook(url, assignment)
    order = _cell_order(coursedir, assignment, book["notebooks"])
    sources = [book["notebooks"][notebook][cell] for notebook, cell in order]
    labels, found_lang = _labels_and_lang(sources)
    with contextlib.suppress(Exception):
        from canvastools.model.cases import load_cases

        bank = load_cases()
        for case_id in bank.ids:
            labels.setdefault(case_id, bank[case_id].company)
    lang = load_domain().check_language(lang or found_lang or "en", "--lang")

    records = read_records(root, assignment)
    submitted = set(_submitted_students(coursedir, assignment))
    everyone = sorted(set(book["students"]) | set(book["submissions"]) | submitted)
    students, results = [], {}
    digests: dict[str, dict[str, Any]] = {}
    for student in everyone:
        if student not in book["submissions"]:
            status = "not graded" if student in submitted else "no submission"
            students.append(StudentGrade(student, status))
            continue
        score, max_score, manual = book["submissions"][student]
        record = records.get(student, {})
        got, source = [], "record"
        answers = None
        for notebook, cell in order:
            entry = record.get("notebooks", {}).get(notebook, {}).get("cells", {}).get(cell)
            if entry and entry.get("results"):
                got += [ExerciseResult.from_dict(r) for r in entry["results"]]
                continue
            if answers is None:
                path = _answers_file(coursedir, assignment, student)
                answers = AnswerStore(path.parent).read() if path else StoreRead({}, None)
            rescored = _rescore(book["notebooks"][notebook][cell], answers,
                                assignment=assignment, student=student)
            if rescored:
                source = "answer file"
            got += rescored
        if record:
            digests[student] = record
        else:
            path = _answers_file(coursedir, assignment, student)
            read = AnswerStore(path.parent).read() if path else StoreRead({}, None)
            digests[student] = {"answers_sha256": answers_digest(read.exercises)}
        results[student] = tuple(got)
        students.append(StudentGrade(student, "graded", score, max_score, manual, source))

    flags = [{"student": student, "code": str(f.get("code")), "message": str(f.get("message"))}
             for student, record in sorted(records.items())
             for f in record.get("flags", []) if isinstance(f, dict)]
    for student, others in identical_answers(digests).items():
        flags.append({"student": student, "code": "identical-answers",
                      "message": "the graded answers are the same as "
                                 + ", ".join(others) + "'s"})
    flags.sort(key=lambda f: (f["student"], f["code"], f["message"]))
    return ClassReport(assignment, root, lang, book["max_score"], tuple(students), results,
                       tuple(flags), labels, url)


# -- labels ----------------------------------------------------------------------------------
def _pool(choices: str, taxonomy: str | None) -> list[str]:
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


def _choice_pool(result: Any, seen: Iterable[str] = ()) -> list[str]:
    pool = _pool(result.choices, result.taxonomy)
    return pool + sorted(set(seen) - set(pool))


# -- the tables ------------------------------------------------------------------------------
def _share(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def _item_rows(report: ClassReport, exercise: Any) -> list[dict[str, Any]]:
    mine = [next((r for r in results if r.exercise_id == exercise.exercise_id), None)
            for results in report.results.values()]
    mine = [r for r in mine if r is not None]
    rows = []
    base = {"exercise": exercise.exercise_id, "kind": exercise.kind,
            "choices": exercise.choices, "taxonomy": exercise.taxonomy}
    if exercise.items:
        for index, item in enumerate(exercise.items):
            got = [next(i for i in r.items if i.item_id == item.item_id) for r in mine
                   if any(i.item_id == item.item_id for i in r.items)]
            verdicts = Counter(i.verdict for i in got)
            split = Counter(c for i in got for c in i.answer)
            pool = _choice_pool(exercise, split)
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
    ids = _pool(choices, taxonomy)
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


def motivation_table(report: ClassReport) -> list[dict[str, Any]]:
    """Per motivation (acquisition, retention, boosting sales): over the rows of the
    motivation exercises whose key has it, how many student answers there were
    (``answers``: students x rows, unanswered included), how many chose it (``chosen``)
    and how many were fully right (``right``; ``accuracy = right / answers``)."""
    from canvastools.model.taxonomy import load_domain

    rows = []
    for motivation in load_domain().motivation_ids:
        answers = chosen = right = items = 0
        for row in item_table(report):
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


def hardest_items(report: ClassReport, n: int = HARDEST) -> list[dict[str, Any]]:
    """The ``n`` items with the lowest accuracy (then the lowest mean points, then the
    assignment's order), among the items some graded student had."""
    rows = [(i, r) for i, r in enumerate(item_table(report)) if r["students"]]
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


# -- writing ---------------------------------------------------------------------------------
CSV_FIELDS = ("exercise", "item", "label", "key", "accepted", "students", "right", "partly",
              "wrong", "unanswered", "accuracy", "mean_points", "max_points", "split",
              "p", "D", "r_rest", "flags", "objectives")   # the last five: report_analysis


def _csv_value(name: str, value: Any) -> str:
    """One cell of the per-item CSV; every text (a student's choice in ``split`` too) is
    written so a spreadsheet keeps it as text, never runs it as a formula.

    >>> _csv_value("split", {"=HYPERLINK(1)": 2}), _csv_value("accuracy", 0.5)
    ("'=HYPERLINK(1):2", '0.5')
    """
    if name in ("key", "accepted"):
        return safe_cell(" ".join(value))
    if name == "split":
        return safe_cell(" ".join(f"{c}:{n}" for c, n in value.items()))
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return str(value)
    return "" if value is None else safe_cell(str(value))


def write_item_csv(report: ClassReport, path: str | os.PathLike[str],
                   analysis: Any = None) -> Path:
    """The per-item table as CSV (ids, not labels; ``split`` as ``id:count`` pairs), with
    the item statistics (:func:`canvastools.commands.report.analysis.item_rows`)."""
    from canvastools.commands.report.analysis import item_rows

    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_FIELDS)
        for row in item_rows(report, analysis):
            writer.writerow([_csv_value(f, row.get(f)) for f in CSV_FIELDS])
    return path


def default_report_path(assignment: str) -> Path:
    """Where the page goes by default: ``report-ASSIGNMENT.html`` in the current folder.

    >>> default_report_path("classify-cases").name
    'report-classify-cases.html'
    """
    return Path(f"report-{assignment}.html")


def write_report(report: ClassReport, path: str | os.PathLike[str] | None = None, *,
                 csv_path: str | os.PathLike[str] | None = None,
                 low: float = LOW_SCORE, objective_threshold: float = 0.7
                 ) -> tuple[Path, Path]:
    """Write the page (self-contained HTML; default :func:`default_report_path`) and the
    per-item CSV (default: next to it, ``.csv``); with learning objectives, also
    ``NAME-objectives.csv`` next to the CSV."""
    from canvastools.commands.report.analysis import (
        analyse,
        objective_csv_path,
        write_objective_csv,
    )
    from canvastools.commands.report.page import render_page

    analysis = analyse(report, threshold=objective_threshold)
    path = Path(path) if path else default_report_path(report.assignment)
    csv_out = Path(csv_path) if csv_path else path.with_suffix(".csv")
    path.write_text(render_page(report, low=low, analysis=analysis), encoding="utf-8")
    write_item_csv(report, csv_out, analysis)
    if analysis.objectives:
        write_objective_csv(report, analysis, objective_csv_path(csv_out))
    return path, csv_out


def run(args: Any) -> int:
    """``canvastools report`` (called by the CLI with its parsed arguments)."""
    if not 0 <= args.low <= 1:
        raise InputError(f"--low is a share of the points from 0 to 1 (e.g. 0.5), got "
                         f"{args.low:g}")
    if not 0 <= args.objective_threshold <= 1:
        raise InputError("--objective-threshold is a share of the points from 0 to 1 (e.g. "
                         f"0.7), got {args.objective_threshold:g}")
    report = load_report(args.assignment, args.course, db_url=args.db_url, lang=args.lang)
    page, table = write_report(report, args.output, csv_path=args.csv, low=args.low,
                               objective_threshold=args.objective_threshold)
    graded = len(report.graded)
    print(f"wrote {page} and {table} ({graded} graded of {len(report.students)} students, "
          f"{len(report.flags)} flags)")
    return 0

