"""The one writer of ``canvastools autograde``: the gradebook, the autograded folder, the record.

nbgrader's ``SaveAutoGrades`` and ``AssignLatePenalties``, then
:class:`~canvastools.grader.steps.RecordGrading`, run here, in the command's own process, in
one gradebook session: SQLite takes one writer, and no row is written twice when a killed
worker's task runs again elsewhere. The students whose results are in are written as a batch,
one transaction (one disk sync) for all of them, their rows in a few bulk statements
(:mod:`canvastools.grader.gradebook_rows`) with the values nbgrader's two steps compute::

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
from datetime import datetime
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


class _StudentFailed(Exception):
    """One student's own failure in a batch (the others are written again without it)."""

    def __init__(self, student: str, error: Exception) -> None:
        super().__init__(student)
        self.student, self.error = student, error


def write_students(gradebook: Gradebook, course: Course, assignment: str,
                   results: list[TaskResult], run: str,
                   log: logging.Logger) -> dict[str, Exception]:
    """Graded students, written by the writer (this process) as one batch: their gradebook rows
    in one transaction, with a few bulk statements (:mod:`canvastools.grader.gradebook_rows`:
    nbgrader's own rows and values), each one's autograded folder put in place from its
    worker's staging folder after the rows, before the commit, then their grading records,
    last. Until its record is written again a student's says "not complete", so a student
    left between two of these writes (a crash, a kill) is graded again by the next run.

    A student whose rows cannot be written is left out (the batch's transaction is rolled back
    and the others written again without it; a batch that fails as a whole is written again
    student by student); returns those students, with why::

        failed = write_students(gradebook, course, "demo-classify", results, run, log)
    """
    failed: dict[str, Exception] = {}
    published: dict[str, Path] = {}  # the autograded folders put in place
    graded: dict[str, list[tuple[NotebookNode, dict[str, Any]]]] = {}
    for result in results:
        _set_complete(course, assignment, result, False)
    queue = [results]
    while queue:
        batch = [r for r in queue.pop(0) if r.student not in failed]
        if not batch:
            continue
        try:
            with _one_transaction(gradebook):
                written = _write_batch(gradebook, course, assignment, batch, run, log,
                                       published)
        except _StudentFailed as exc:
            failed[exc.student] = exc.error
            queue.insert(0, batch)  # the others again (rolled back), without it
            continue
        except Exception as exc:  # the batch's statements or its commit
            if len(batch) == 1:
                failed[batch[0].student] = exc
            else:
                queue[:0] = [[r] for r in batch]
            continue
        graded.update(written)
    recorders = [s for s in course.grade if step_name(s) == "RecordGrading"]
    for result in results:
        if result.student in failed:
            continue
        for dirpath, _dirs, filenames in os.walk(published[result.student]):
            for name in filenames:
                with contextlib.suppress(OSError):
                    os.chmod(os.path.join(dirpath, name), course.permissions)
        for nb, resources in graded[result.student]:
            run_steps(recorders, nb, resources, course.config, log)
        _set_complete(course, assignment, result, True)
    return failed


def _write_batch(gradebook: Gradebook, course: Course, assignment: str,
                 batch: list[TaskResult], run: str, log: logging.Logger,
                 published: dict[str, Path],
                 ) -> dict[str, list[tuple[NotebookNode, dict[str, Any]]]]:
    """``batch``'s rows (flushed, not committed) and autograded folders; a student's own
    failure raised as :class:`_StudentFailed`."""
    from canvastools.grader.gradebook_rows import StudentRows, write_rows

    bulk = _bulk_steps(course, log)
    graded = {}
    rows = []
    for result in batch:
        try:
            if bulk is None:
                graded[result.student] = _write_student(gradebook, course, assignment, result,
                                                        run, log,
                                                        published.get(result.student))
            else:
                graded[result.student] = _read_student(course, assignment, result, run,
                                                       published.get(result.student))
                rows.append(StudentRows(result.student, _timestamp(result), result.missing,
                                        [(r["nbgrader"]["notebook"], nb)
                                         for nb, r in graded[result.student]]))
        except Exception as exc:
            raise _StudentFailed(result.student, exc) from exc
    if bulk is not None:
        write_rows(gradebook.db, assignment, rows, bulk[0], bulk[1], log)
    for result in batch:
        if result.student not in published:
            try:
                published[result.student] = _publish(course, assignment, result.student, run)
            except Exception as exc:
                raise _StudentFailed(result.student, exc) from exc
    return graded


def _bulk_steps(course: Course, log: logging.Logger) -> tuple[bool, Any] | None:
    """Whether the course's gradebook steps are nbgrader's own (``SaveAutoGrades``, then
    ``AssignLatePenalties``), as (save the grades, the late-penalty step or None): written in
    bulk then. None: another step writes the gradebook, run student by student as it is."""
    from nbgrader.preprocessors import AssignLatePenalties, SaveAutoGrades

    save, late, seen = False, None, []
    for step in course.grade:
        if step_name(step) not in WRITERS or step_name(step) == "RecordGrading":
            continue
        instance = step(config=course.config) if isinstance(step, type) else step
        kind = type(instance)
        if kind not in (SaveAutoGrades, AssignLatePenalties) or kind in seen:
            return None
        if kind is AssignLatePenalties and SaveAutoGrades not in seen:
            return None  # penalties before the scores: nbgrader's order only
        seen.append(kind)
        if getattr(instance, "enabled", True) is False:
            continue
        instance.log = log
        if kind is SaveAutoGrades:
            save = True
        else:
            late = instance
    return save, late


def _timestamp(result: TaskResult) -> datetime | None:
    """The student's submission time as nbgrader reads it (none when it cannot be read:
    dated now, as nbgrader does)."""
    from nbgrader.utils import parse_utc

    if result.timestamp:
        with contextlib.suppress(Exception):  # any error of dateutil's on a student's text
            return parse_utc(result.timestamp)
    return None


def _read_student(course: Course, assignment: str, result: TaskResult, run: str,
                  folder: Path | None) -> list[tuple[NotebookNode, dict[str, Any]]]:
    """The student's graded notebooks, with their steps' resources, from ``folder`` (default:
    its staging folder; its autograded one once put in place)."""
    import nbformat

    dest = staging_folder(course, assignment, result.student, run)
    graded = []
    for notebook in result.notebooks:
        nb = nbformat.read(str((folder or dest) / f"{notebook}.ipynb"), as_version=4)
        graded.append((nb, step_resources(course, assignment, result.student, notebook, run,
                                          dest)))
    return graded


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
    (default: its staging folder; its autograded one once put in place). Through nbgrader's
    own steps, through the ORM: when the course's gradebook steps are not nbgrader's own."""
    from nbgrader.preprocessors import latesubmissions, saveautogrades

    from canvastools.grader._nbgrader import lend_gradebook

    student = result.student
    gradebook.update_or_create_student(student)
    timestamp = _timestamp(result)
    if timestamp is not None:
        gradebook.update_or_create_submission(assignment, student, timestamp=timestamp)
    else:
        gradebook.update_or_create_submission(assignment, student)
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
        for nb, resources in _read_student(course, assignment, result, run, folder):
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
