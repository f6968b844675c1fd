"""The verb's main: which students to grade, their tasks on the cluster, the writes as they
come back (see :mod:`canvastools.commands.autograde`)::

    summary = autograde("demo-classify", folder="demo-course", jobs=2)
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from canvastools.commands.autograde.cluster import ClusterStart, task_resources
from canvastools.commands.autograde.summary import Progress, Summary, tally
from canvastools.grader.autograde_task import (
    Course,
    TaskResult,
    course_path,
    load_course,
    without_slow_iri_checker,
)

if TYPE_CHECKING:
    from canvastools.grader.gradebook_writer import Gradebook


@contextlib.contextmanager
def deferred_interrupt() -> Iterator[list[bool]]:
    """Ctrl-C during a student's gradebook writes takes effect after them."""
    asked: list[bool] = []
    if threading.current_thread() is not threading.main_thread():
        yield asked
        return
    previous = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, lambda *_: asked.append(True))
    try:
        yield asked
    finally:
        signal.signal(signal.SIGINT, previous)
    if asked:
        raise KeyboardInterrupt


def students_of(course: Course, assignment: str, only: list[str] | None = None) -> list[str]:
    """Students with a submission of ``assignment`` (links included: they get a flag)."""
    folder = Path(course.root) / course.submitted
    if not folder.is_dir():
        return []
    found = sorted(p.name for p in folder.iterdir()
                   if (p / assignment).is_dir() or (p / assignment).is_symlink())
    if only:
        unknown = [s for s in only if s not in found]
        if unknown:
            from canvastools.errors import InputError

            raise InputError(f"no submission of '{assignment}' for: {', '.join(unknown)}",
                             where=str(folder), choices=found)
        found = [s for s in found if s in only]
    return found


def _state(course: Course, assignment: str, student: str, keys: dict[str, str]) -> str:
    """``unchanged`` (graded whole, from this very submission, with this key), ``key changed``
    (only the key differs) or ``changed`` (anything else: grade it)."""
    from canvastools.grader.records import read_record, submission_digest

    record = read_record(course.root, assignment, student)
    digest = record.get("submission_sha256")
    submitted = course_path(course, course.submitted, student, assignment)
    if not digest or record.get("complete") is not True or \
            digest != submission_digest(submitted) \
            or not course_path(course, course.autograded, student, assignment).is_dir():
        return "changed"
    graded = {name: entry.get("key_sha256") if isinstance(entry, dict) else None
              for name, entry in (record.get("notebooks") or {}).items()}
    if any(not isinstance(key, str) for key in graded.values()):
        return "changed"  # a record from before keys were kept
    same = all(keys.get(name) == key for name, key in graded.items())
    return "unchanged" if same else "key changed"


def autograde(assignment: str, *, folder: str | os.PathLike[str] = ".", jobs: int | None = None,
              students: list[str] | None = None, force: bool = False,
              scheduler: str | None = None, verbose: bool = False,
              stream: Any = None, sandbox: bool = True) -> Summary:
    """Grade every (or the given) student's submission of ``assignment``; see module doc.

    ``sandbox=False`` (``--no-sandbox``) runs student code without bubblewrap, for the whole
    run; otherwise a student whose sandbox cannot start fails (flag ``sandbox-unavailable``).
    """
    started = time.monotonic()
    stream = stream or sys.stderr
    without_slow_iri_checker()
    cluster = ClusterStart(jobs or os.cpu_count() or 1, scheduler)
    run = uuid.uuid4().hex
    course = None
    try:
        course = load_course(folder)
        return _autograde(cluster, course, assignment, students, force, verbose, stream,
                          started, run, sandbox)
    finally:
        cluster.close()
        if course is not None:  # what no worker put in place (failed, interrupted)
            from canvastools.grader.intake import remove_tree
            from canvastools.grader.records import records_folder

            remove_tree(records_folder(course.root, assignment) / "staging" / run)


def _autograde(cluster: ClusterStart, course: Course, assignment: str,
               students: list[str] | None, force: bool, verbose: bool, stream: Any,
               started: float, run: str, sandbox: bool) -> Summary:
    from canvastools.errors import InputError
    from canvastools.grader.gradebook_writer import assignment_notebooks, open_gradebook
    from canvastools.grader.records import key_digest
    from canvastools.grader.steps import read_source_cells

    summary = Summary()
    if not sandbox:
        course.config.SandboxedExecute.sandbox = False
        summary.sandbox_off = True
    with open_gradebook(course.db_url) as gradebook:  # this process's one gradebook session
        notebooks = assignment_notebooks(gradebook, assignment)
        if not notebooks:
            raise InputError(f"assignment '{assignment}' is not in the gradebook: run "
                             f"`nbgrader generate_assignment {assignment}` first",
                             where=course.db_url)
        keys = {n: key_digest(read_source_cells(course.db_url, assignment, n, run))
                for n in notebooks}
        todo = []
        for student in students_of(course, assignment, students):
            state = _state(course, assignment, student, keys)
            if state == "unchanged" and not force:
                summary.skipped.append(student)
                continue
            todo.append(student)
            if state == "key changed":
                summary.rekeyed.append(student)
        if todo:
            _grade_class(cluster, gradebook, course, assignment, todo, notebooks, summary,
                         verbose, stream, run)
    summary.seconds = time.monotonic() - started
    return summary


#: at most this many students' gradebook rows in one transaction
BATCH = 100


def _grade_class(cluster: ClusterStart, gradebook: Gradebook, course: Course, assignment: str,
                 todo: list[str], notebooks: list[str], summary: Summary, verbose: bool,
                 stream: Any, run: str) -> None:
    """Every student of ``todo`` a task on the cluster; the results written here as they
    arrive, those in at the same time as one batch (up to :data:`BATCH`)."""
    from distributed import as_completed

    from canvastools.grader.autograde_task import grade_student

    log = logging.getLogger("canvastools.commands.autograde")
    resources = task_resources(course, assignment, notebooks, run, cluster.local)
    client = cluster.client()
    progress = Progress(len(todo), stream)
    futures = {client.submit(grade_student, course, assignment, s, notebooks, run, verbose,
                             key=f"grade-{assignment}-{s}-{run}", pure=False, retries=1,
                             resources=resources): s
               for s in todo}
    try:
        # results fetched by the client's thread as they finish, while this one writes
        for done in as_completed(futures, with_results=True, raise_errors=False).batches():
            results = [_task_result(futures[future], value) for future, value in done]
            for start in range(0, len(results), BATCH):
                _write_batch(gradebook, course, assignment, results[start:start + BATCH],
                             summary, progress, run, log)
    except KeyboardInterrupt:
        summary.interrupted = True
        for future in futures:
            future.cancel()
    finally:
        progress.close()


def _task_result(student: str, value: Any) -> TaskResult:
    """What a finished task gave: its TaskResult, or its error (a lost worker, twice)."""
    if isinstance(value, TaskResult):
        return value
    exc = value[1] if isinstance(value, tuple) and len(value) == 3 else value
    return TaskResult(student, ok=False, error=f"{type(exc).__name__}: {exc}")


def _write_batch(gradebook: Gradebook, course: Course, assignment: str,
                 results: list[TaskResult], summary: Summary, progress: Progress, run: str,
                 log: logging.Logger) -> None:
    """The graded students of ``results`` written (one transaction), every result counted."""
    from canvastools.grader.gradebook_writer import write_students

    with deferred_interrupt():
        graded = [r for r in results if r.ok]
        try:
            failed: dict[str, Exception] = write_students(gradebook, course, assignment,
                                                          graded, run, log) if graded else {}
        except Exception as exc:  # noqa: BLE001 - rolled back: not written
            failed = {r.student: exc for r in graded}
        for result in results:
            if result.student in failed:
                exc = failed[result.student]
                result.ok = False
                result.error = f"{type(exc).__name__}: {str(exc)[:300]}"
            tally(summary, result)
    for result in results:
        progress.update(not result.ok, bool(result.flags))
