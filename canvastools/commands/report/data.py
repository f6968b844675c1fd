"""The class's results for ``canvastools report``, read once: who was graded, with what score,
and every graded student's per-item results.

The scores come from nbgrader's gradebook (read through
:class:`canvastools.grader.gradebook.GradebookReader`), the per-item answers and the flags from
the grading records (:mod:`canvastools.grader.records`); a graded student without a record is
scored again from the answer file that was graded::

    from canvastools.commands.report.data import load_report

    report = load_report("classify-cases", course="~/course")
    [s.student for s in report.graded]
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from canvastools.grader.gradebook import (
    CourseFolders,
    GradebookReader,
    course_folders,
    open_gradebook,
)
from canvastools.grader.records import answers_digest, identical_answers, read_records

if TYPE_CHECKING:
    from canvastools.answers.store import StoreRead
    from canvastools.grading.rules import ExerciseResult
    from canvastools.grading.testcells import GradingCall

__all__ = ["ClassReport", "StudentGrade", "STATUSES", "load_report", "read_class"]

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
    results: dict[str, tuple[ExerciseResult, ...]]   # graded student -> their results
    flags: tuple[dict[str, str], ...] = ()        # {"student", "code", "message"}
    labels: dict[str, str] = field(default_factory=dict)   # item id -> company / row label
    db_url: str = ""

    @property
    def graded(self) -> list[StudentGrade]:
        return [s for s in self.students if s.status == "graded"]

    def exercises(self) -> list[ExerciseResult]:
        """One result per exercise (the first student's), in the assignment's order."""
        seen: dict[str, ExerciseResult] = {}
        for results in self.results.values():
            for result in results:
                seen.setdefault(result.exercise_id, result)
        return list(seen.values())



# -- reading the course ----------------------------------------------------------------------
def _cell_order(course: CourseFolders, assignment: str, notebooks: dict[str, dict[str, str]]
                ) -> list[tuple[str, str]]:
    """(notebook, cell name) in the source notebooks' order (by name when they are gone)."""
    import nbformat

    order = []
    for name in sorted(notebooks):
        path = course.folder("source", ".", assignment) / f"{name}.ipynb"
        names: list[str] = []
        # a source notebook that is gone or unreadable: the cells keep their names' order
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
    (:func:`canvastools.grading.views.exercise_views`), then the case bank's companies."""
    from canvastools.grading.views import exercise_views

    labels: dict[str, str] = {}
    lang = None
    for view in exercise_views(sources).values():
        if view.widget and lang is None:
            lang = view.lang
        for ident, title, description in view.items:
            labels.setdefault(ident, title or description or ident)
    # the case bank is optional here: a course without one (or a broken one) keeps the ids
    with contextlib.suppress(Exception):
        from canvastools.model.cases import load_cases

        bank = load_cases()
        for case_id in bank.ids:
            labels.setdefault(case_id, bank[case_id].company)
    return labels, lang


def _answers_file(course: CourseFolders, assignment: str, student: str) -> Path | None:
    """The answer file that was graded (autograded/), else the submitted one."""
    from canvastools.answers.store import ANSWERS_FILENAME
    from canvastools.grader.intake import Policy

    for step in ("autograded", "submitted"):
        path = course.folder(step, student, assignment) / ANSWERS_FILENAME
        if path.is_symlink() or not path.is_file():
            continue
        if path.stat().st_size <= Policy().max_answers_bytes:
            return path
    return None


def _read_answers(course: CourseFolders, assignment: str, student: str) -> StoreRead:
    from canvastools.answers.store import AnswerStore, StoreRead

    path = _answers_file(course, assignment, student)
    return AnswerStore(path.parent).read() if path else StoreRead({}, None)


def _declarations(source: str) -> list[GradingCall]:
    """A test cell's declarations ([] for a plain test or one the grader could not read)."""
    from canvastools.grading.testcells import parse_test_cell

    try:
        return parse_test_cell(source) or []
    except ValueError:
        return []


def _rescore(calls: list[GradingCall], answers: StoreRead, *, assignment: str,
             student: str) -> list[ExerciseResult]:
    """The results of a test cell's declarations for one answer file ([] for a key the
    grader could not use); a pooled exercise on the student's own variant."""
    from canvastools.grading.points import score_calls

    try:
        return score_calls(calls, answers, assignment=assignment, student=student)
    except (ValueError, TypeError):
        return []


def _student_results(course: CourseFolders, assignment: str,
                     cells: list[tuple[str, str, list[GradingCall]]], student: str,
                     record: dict[str, Any]) -> tuple[list[ExerciseResult], str, dict[str, Any]]:
    """A graded student's results (from the record, else scored again from the answer
    file), where they came from, and what :func:`identical_answers` compares."""
    from canvastools.grading.results import ExerciseResult

    got: list[ExerciseResult] = []
    source = "record"
    answers: StoreRead | None = None
    for notebook, cell, calls in cells:
        entry = record.get("notebooks", {}).get(notebook, {}).get("cells", {}).get(cell)
        if entry and entry.get("results"):
            got += [ExerciseResult.from_dict(r) for r in entry["results"]]
            continue
        if not calls:  # nothing to score again
            continue
        if answers is None:
            answers = _read_answers(course, assignment, student)
        rescored = _rescore(calls, answers, assignment=assignment, student=student)
        if rescored:
            source = "answer file"
        got += rescored
    if record:
        return got, source, record
    read = answers if answers is not None else _read_answers(course, assignment, student)
    return got, source, {"answers_sha256": answers_digest(read.exercises)}


def _flags(records: dict[str, dict[str, Any]], digests: dict[str, dict[str, Any]]
           ) -> tuple[dict[str, str], ...]:
    """The records' flags and the identical answer files, by student."""
    flags = [{"student": student, "code": str(f.get("code")), "message": str(f.get("message"))}
             for student, record in sorted(records.items())
             for f in record.get("flags", []) if isinstance(f, dict)]
    for student, others in identical_answers(digests).items():
        flags.append({"student": student, "code": "identical-answers",
                      "message": "the graded answers are the same as "
                                 + ", ".join(others) + "'s"})
    flags.sort(key=lambda f: (f["student"], f["code"], f["message"]))
    return tuple(flags)


def read_class(gradebook: GradebookReader, course: CourseFolders, assignment: str, *,
               lang: str | None = None) -> ClassReport:
    """:func:`load_report` on a gradebook and a course already open (any
    :class:`~canvastools.grader.gradebook.GradebookReader` and
    :class:`~canvastools.grader.gradebook.CourseFolders`)."""
    from canvastools.model.taxonomy import load_domain

    book = gradebook.assignment(assignment)
    known = [s.id for s in gradebook.students()]
    submissions = {s.student: s for s in gradebook.submissions([assignment])}
    order = _cell_order(course, assignment, book.cells)
    labels, found_lang = _labels_and_lang([book.cells[nb][cell] for nb, cell in order])
    cells = [(nb, cell, _declarations(book.cells[nb][cell])) for nb, cell in order]
    lang = load_domain().check_language(lang or found_lang or "en", "--lang")

    records = read_records(course.root, assignment)
    submitted = set(course.submitted_students(assignment))
    students, results = [], {}
    digests: dict[str, dict[str, Any]] = {}
    for student in sorted(set(known) | set(submissions) | submitted):
        if student not in submissions:
            status = "not graded" if student in submitted else "no submission"
            students.append(StudentGrade(student, status))
            continue
        got, source, digests[student] = _student_results(
            course, assignment, cells, student, records.get(student, {}))
        results[student] = tuple(got)
        sub = submissions[student]
        students.append(StudentGrade(student, "graded", sub.score, sub.max_score,
                                     sub.needs_manual_grade, source))
    return ClassReport(assignment, course.root, lang, book.max_score, tuple(students), results,
                       _flags(records, digests), labels, gradebook.db_url)


def load_report(assignment: str, course: str | os.PathLike[str] = ".", *,
                db_url: str | None = None, lang: str | None = None) -> ClassReport:
    """Read the gradebook, the grading records and (where a record is missing) the graded
    answer files of ``assignment``.

    ``db_url`` overrides the course's; ``lang`` the language of the labels (default: the
    ``lang=`` of the assignment's widgets, else English).
    """
    folders = course_folders(course)
    url = db_url or folders.db_url
    with open_gradebook(url) as gradebook:
        report = read_class(gradebook, folders, assignment, lang=lang)
    return report
