"""The one writer of ``canvastools autograde``: the gradebook, the autograded folder, the record.

nbgrader's ``SaveAutoGrades`` and ``AssignLatePenalties``, then
:class:`~canvastools.grader.steps.RecordGrading`, run here, in the command's own process, one
student at a time, in one gradebook session: SQLite takes one writer, and no row is written
twice when a killed worker's task runs again elsewhere::

    with open_gradebook(course.db_url) as gradebook:
        write_student(gradebook, course, "demo-classify", result, run, log)
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from canvastools.grader.autograde_task import (
    WRITERS,
    Course,
    TaskResult,
    course_path,
    run_steps,
    staging_folder,
    step_name,
    step_resources,
)

if TYPE_CHECKING:
    from nbformat import NotebookNode
    from nbgrader.api import Gradebook


def open_gradebook(db_url: str) -> Gradebook:
    """The course's gradebook, opened (use it as ``with open_gradebook(url) as gb:``)."""
    from nbgrader.api import Gradebook

    return Gradebook(db_url)


def assignment_notebooks(gradebook: Gradebook, assignment: str) -> list[str]:
    """The names of ``assignment``'s notebooks in the gradebook (none when it is not there)."""
    from nbgrader.api import MissingEntry

    try:
        return sorted(n.name for n in gradebook.find_assignment(assignment).notebooks)
    except MissingEntry:
        return []


class _FlushOnCommit:
    """A gradebook session whose ``commit`` only flushes (see :func:`_one_transaction`)."""

    def __init__(self, session: Any) -> None:
        self._session = session

    def commit(self) -> None:
        self._session.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


@contextlib.contextmanager
def _one_transaction(gradebook: Gradebook) -> Iterator[None]:
    """One student's gradebook writes as one transaction: all of them or none.

    nbgrader's own steps commit several times per student (the student, the submission, the
    scores, the late penalty); here those commits only flush, and the student is committed
    once at the end: no half-written student, even if this process is killed, and one disk
    sync instead of half a dozen.
    """
    session = gradebook.db
    gradebook.db = _FlushOnCommit(session)
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        gradebook.db = session


def write_student(gradebook: Gradebook, course: Course, assignment: str, result: TaskResult,
                  run: str, log: logging.Logger) -> None:
    """One graded student, written by the writer (this process): the gradebook rows in one
    transaction, the autograded folder put in place from the worker's staging folder just
    before it commits, then the grading record, last. Until the record is written again it
    says "not complete", so a student left between two of these writes is graded again."""
    _set_complete(course, assignment, result, False)
    with _one_transaction(gradebook):
        graded = _write_student(gradebook, course, assignment, result, run, log)
        dest = _publish(course, assignment, result.student, run)
    for dirpath, _dirs, filenames in os.walk(dest):
        for name in filenames:
            with contextlib.suppress(OSError):
                os.chmod(os.path.join(dirpath, name), course.permissions)
    recorders = [s for s in course.grade if step_name(s) == "RecordGrading"]
    for nb, resources in graded:
        run_steps(recorders, nb, resources, course.config, log)
    _set_complete(course, assignment, result, True)


def _publish(course: Course, assignment: str, student: str, run: str) -> Path:
    """The staging folder of ``student`` becomes ``autograded/<student>/<assignment>``."""
    from canvastools.grader.intake import remove_tree

    staged = staging_folder(course, assignment, student, run)
    dest = course_path(course, course.autograded, student, assignment)
    dest.parent.mkdir(parents=True, exist_ok=True)
    replaced = staged.parent / f".replaced-{uuid.uuid4().hex}"
    if dest.exists() or dest.is_symlink():
        os.rename(dest, replaced)
    try:
        shutil.move(str(staged), str(dest))
    except BaseException:
        if replaced.exists() and not dest.exists():
            os.rename(replaced, dest)  # as it was
        raise
    remove_tree(replaced)
    return dest


def _write_student(gradebook: Gradebook, course: Course, assignment: str, result: TaskResult,
                   run: str, log: logging.Logger) -> list[tuple[NotebookNode, dict[str, Any]]]:
    import nbformat
    from nbgrader.preprocessors import latesubmissions, saveautogrades
    from nbgrader.utils import parse_utc

    from canvastools.grader._nbgrader import lend_gradebook

    student = result.student
    gradebook.update_or_create_student(student)
    timestamp = None
    if result.timestamp:
        # any error of dateutil's on a student's text: dated now, as nbgrader does
        with contextlib.suppress(Exception):
            timestamp = parse_utc(result.timestamp)
    if timestamp is not None:
        gradebook.update_or_create_submission(assignment, student, timestamp=timestamp)
    else:
        gradebook.update_or_create_submission(assignment, student)
    dest = staging_folder(course, assignment, student, run)
    for notebook in result.missing:
        submission = gradebook.find_submission_notebook(notebook, assignment, student)
        for grade in submission.grades:
            grade.auto_score = 0
            grade.needs_manual_grade = False
        gradebook.db.commit()
    writers = [s for s in course.grade
               if step_name(s) in WRITERS and step_name(s) != "RecordGrading"]
    graded = []
    with lend_gradebook(gradebook, (saveautogrades, latesubmissions)):
        for notebook in result.notebooks:
            path = dest / f"{notebook}.ipynb"
            nb = nbformat.read(str(path), as_version=4)
            resources = step_resources(course, assignment, student, notebook, run, dest)
            graded.append((run_steps(writers, nb, resources, course.config, log), resources))
    return graded


def _set_complete(course: Course, assignment: str, result: TaskResult, done: bool) -> None:
    """Say in the student's record whether it is whole (written last, after the gradebook)."""
    from canvastools.grader.records import read_record, records_locked, write_record

    student = result.student
    with records_locked(course.root, assignment):
        record = read_record(course.root, assignment, student)
        if not record and not done:
            return
        if not record:
            record = {"student": student, "assignment": assignment, "flags": result.flags,
                      "notebooks": {}}
        record["complete"] = done
        write_record(course.root, assignment, student, record)
