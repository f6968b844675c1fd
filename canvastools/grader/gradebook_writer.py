"""The one writer of ``canvastools autograde``: the gradebook, the autograded folder, the record.

nbgrader's ``SaveAutoGrades`` and ``AssignLatePenalties``, then
:class:`~canvastools.grader.steps.RecordGrading`, run here, in the command's own process, in
one gradebook session: SQLite takes one writer, and no row is written twice when a killed
worker's task runs again elsewhere. The students whose results are in are written as a batch,
one transaction (one disk sync) for all of them::

    with open_gradebook(course.db_url) as gradebook:
        failed = write_students(gradebook, course, "demo-classify", results, run, log)
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
    """A batch of students' gradebook writes as one transaction: all of them or none.

    nbgrader's own steps commit several times per student (the student, the submission, the
    scores, the late penalty); here those commits only flush, and the batch is committed
    once at the end: no half-written student, even if this process is killed, and one disk
    sync for the batch instead of half a dozen a student.
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


def write_students(gradebook: Gradebook, course: Course, assignment: str,
                   results: list[TaskResult], run: str,
                   log: logging.Logger) -> dict[str, Exception]:
    """Graded students, written by the writer (this process) as one batch: their gradebook rows
    in one transaction, each one's autograded folder put in place from its worker's staging
    folder after its rows, before the commit, then their grading records, last. Until its record is
    written again a student's says "not complete", so a student left between two of these
    writes (a crash, a kill) is graded again by the next run.

    A student whose rows cannot be written is left out (the batch's transaction is rolled back
    and the others written again without it); returns those students, with why::

        failed = write_students(gradebook, course, "demo-classify", results, run, log)
    """
    failed: dict[str, Exception] = {}
    published: dict[str, Path] = {}  # the autograded folders put in place
    for result in results:
        _set_complete(course, assignment, result, False)
    while True:
        todo = [r for r in results if r.student not in failed]
        if not todo:
            return failed
        graded: dict[str, list[tuple[NotebookNode, dict[str, Any]]]] = {}
        current: TaskResult | None = None
        try:
            with _one_transaction(gradebook):
                for current in todo:
                    student = current.student
                    graded[student] = _write_student(gradebook, course, assignment, current,
                                                     run, log, published.get(student))
                    if student not in published:
                        published[student] = _publish(course, assignment, student, run)
                current = None  # past here, the commit: a failure is the whole batch's
        except Exception as exc:
            if current is None:
                failed.update({r.student: exc for r in todo})
                return failed
            failed[current.student] = exc  # the others again (rolled back), without it
            continue
        break
    recorders = [s for s in course.grade if step_name(s) == "RecordGrading"]
    for result in todo:
        for dirpath, _dirs, filenames in os.walk(published[result.student]):
            for name in filenames:
                with contextlib.suppress(OSError):
                    os.chmod(os.path.join(dirpath, name), course.permissions)
        for nb, resources in graded[result.student]:
            run_steps(recorders, nb, resources, course.config, log)
        _set_complete(course, assignment, result, True)
    return failed


def write_student(gradebook: Gradebook, course: Course, assignment: str, result: TaskResult,
                  run: str, log: logging.Logger) -> None:
    """One graded student, written as a batch of one (:func:`write_students`); raises what
    kept its rows from being written (none are)::

        write_student(gradebook, course, "demo-classify", result, run, log)
    """
    failed = write_students(gradebook, course, assignment, [result], run, log)
    if result.student in failed:
        raise failed[result.student]


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
                   run: str, log: logging.Logger, folder: Path | None = None,
                   ) -> list[tuple[NotebookNode, dict[str, Any]]]:
    """One student's rows (flushed, not committed), from its graded notebooks in ``folder``
    (default: its staging folder; its autograded one once put in place)."""
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
            path = (folder or dest) / f"{notebook}.ipynb"
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
