"""One student's grading task of ``canvastools autograde``, as a Dask worker runs it.

A task takes the submission in (:func:`canvastools.grader.intake.screen_submission`), copies
what may be graded into a staging folder of its own, and runs the course's own nbgrader
autograde pipeline on each notebook — the classes of :mod:`canvastools.grader.steps` that plain
``nbgrader autograde`` runs too — up to the steps that write the gradebook (:data:`WRITERS`),
which :mod:`canvastools.grader.gradebook_writer` runs in the one writer process::

    course = load_course("demo-course")
    result = grade_student(course, "demo-classify", "ada", ["demo-classify"], run="r1")
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import shutil
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

if TYPE_CHECKING:  # nbformat imports jsonschema: not before without_slow_iri_checker()
    from nbformat import NotebookNode
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import NbGraderPreprocessor
    from traitlets.config import Config

#: a step of nbgrader's lists: a preprocessor class, or one made already
Step = Union[type["NbGraderPreprocessor"], "NbGraderPreprocessor"]

WRITERS = ("SaveAutoGrades", "AssignLatePenalties", "RecordGrading")


@dataclass
class Course:
    """What a task needs to know of the course (picklable, sent to every worker)."""

    root: str
    config: Config
    db_url: str
    submitted: str
    autograded: str
    source: str
    ignore: list[str]
    exclude_overwriting: dict[str, list[str]]
    sanitize: list[Step] = field(default_factory=list)
    grade: list[Step] = field(default_factory=list)
    permissions: int = 0o644


def without_slow_iri_checker() -> None:
    """Let this grading process import jsonschema without ``rfc3987_syntax``.

    Jupyter's packages install ``jsonschema[format-nongpl]``, whose format checker imports
    ``rfc3987_syntax`` when it is there; that module compiles some 35 Earley parsers at import,
    about 1 s of CPU in every process that reads a notebook (jsonschema issue #1428), for the
    ``iri`` string formats, which no notebook or nbgrader schema uses. Without it jsonschema
    simply has no ``iri`` checker. Nothing changes once jsonschema is imported.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def load_course(folder: str | os.PathLike[str] = ".") -> Course:
    """The course of ``folder``, configured by its ``nbgrader_config.py`` as nbgrader reads it."""
    from nbgrader.apps.baseapp import NbGrader
    from nbgrader.converters import Autograde

    folder = os.path.abspath(folder)
    previous = os.getcwd()
    os.chdir(folder)
    try:
        app = NbGrader()
        app.initialize([])
        converter = Autograde(coursedir=app.coursedir, parent=app)
    finally:
        os.chdir(previous)
    coursedir = app.coursedir
    root = os.path.abspath(coursedir.root or folder)
    return Course(
        root=root, config=app.config, db_url=coursedir.db_url,
        submitted=coursedir.submitted_directory, autograded=coursedir.autograded_directory,
        source=coursedir.source_directory, ignore=list(coursedir.ignore),
        exclude_overwriting=dict(converter.exclude_overwriting),
        sanitize=list(converter.sanitize_preprocessors),
        grade=list(converter.autograde_preprocessors),
        permissions=int(str(converter.permissions), 8))


def course_path(course: Course, kind: str, student: str, assignment: str) -> Path:
    """``<root>/<kind>/<student>/<assignment>``, e.g. ``course_path(course, course.submitted,
    "ada", "demo-classify")``."""
    return Path(course.root) / kind / student / assignment


@dataclass
class TaskResult:
    """What grading one student gave: ok or the error, the flags, the notebooks graded."""

    student: str
    ok: bool
    error: str = ""
    flags: list[dict[str, str]] = field(default_factory=list)
    timestamp: str | None = None
    notebooks: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    seconds: float = 0.0


def staging_folder(course: Course, assignment: str, student: str, run: str) -> Path:
    """Where a worker grades a student in run ``run`` (put in ``autograded/`` by the writer)."""
    from canvastools.grader.records import records_folder

    return records_folder(course.root, assignment) / "staging" / run / student


def _copy_submission(course: Course, assignment: str, student: str, run: str) -> Path:
    """``submitted/`` -> the staging folder, as nbgrader copies to ``autograded/`` (then the
    source's files over it), copying regular files only, never following a link."""
    from nbgrader.utils import is_ignored

    from canvastools.grader.intake import remove_tree

    source = course_path(course, course.submitted, student, assignment)
    dest = staging_folder(course, assignment, student, run)
    for left in dest.parent.parent.glob(f"*/{glob.escape(student)}"):
        remove_tree(left)  # an interrupted run's, never put in place
    dest.mkdir(parents=True)
    for dirpath, dirnames, filenames in os.walk(source):
        dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))
                       and not is_ignored(os.path.join(dirpath, d), course.ignore)]
        for name in filenames:
            path = os.path.join(dirpath, name)
            if name.endswith(".ipynb") or os.path.islink(path) or not os.path.isfile(path) \
                    or is_ignored(path, course.ignore):
                continue
            target = dest / os.path.relpath(path, source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    master = Path(course.root) / course.source / assignment
    excluded = set(course.exclude_overwriting.get(assignment, []))
    for dirpath, _dirnames, filenames in os.walk(master):
        for name in filenames:
            path = os.path.join(dirpath, name)
            relative = os.path.relpath(path, master)
            if name.endswith(".ipynb") or relative in excluded or \
                    is_ignored(path, course.ignore + ["*.ipynb"]):
                continue
            target = dest / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return dest


def step_resources(course: Course, assignment: str, student: str, notebook: str, run: str,
                   folder: Path) -> dict[str, Any]:
    """The resources the steps get for one notebook of one student, as nbgrader's converter
    gives them, plus the course's folders (``resources["canvastools"]``) and the run id."""
    return {
        "nbgrader": {"notebook": notebook, "assignment": assignment, "student": student,
                     "db_url": course.db_url},
        "canvastools": {
            "root": course.root,
            "submitted": str(course_path(course, course.submitted, student, assignment)),
            "source": str(Path(course.root) / course.source / assignment),
            "dest": str(staging_folder(course, assignment, student, run))},
        "canvastools_run": run,
        "metadata": {"path": str(folder), "name": notebook},
        "unique_key": notebook, "output_extension": ".ipynb",
    }


def run_steps(steps: list[Step], nb: NotebookNode, resources: dict[str, Any], config: Config,
              log: logging.Logger) -> NotebookNode:
    """Run ``steps`` (preprocessor classes or instances, configured by ``config``) on ``nb``,
    skipping a disabled one, as nbgrader's exporter does; return the notebook."""
    for step in steps:
        instance = step(config=config) if isinstance(step, type) else step
        instance.log = log
        if getattr(instance, "enabled", True) is False:
            continue
        nb, resources = instance.preprocess(nb, resources)
    return nb


class PrintableFormatter(logging.Formatter):
    """Log lines with control characters shown escaped (:func:`canvastools._io.literal.printable`):
    a student's file name or output never drives the terminal that shows the log."""

    def format(self, record: logging.LogRecord) -> str:
        from canvastools._io.literal import printable

        return printable(super().format(record), keep_newlines=True)


def _task_log(course: Course, assignment: str, student: str, verbose: bool) -> logging.Logger:
    from canvastools.grader.records import records_folder

    folder = records_folder(course.root, assignment) / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    log = logging.getLogger(
        f"canvastools.commands.autograde.{assignment}.{student}.{uuid.uuid4().hex}")
    log.propagate = False
    log.setLevel(logging.INFO)
    handler = logging.FileHandler(folder / f"{student}.log", mode="w", encoding="utf-8",
                                  errors="backslashreplace")  # any code point of a student's
    handler.setFormatter(PrintableFormatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    if verbose:
        echo = logging.StreamHandler(sys.stderr)
        echo.setFormatter(PrintableFormatter(f"[{student}] %(levelname)s %(message)s"))
        log.addHandler(echo)
    return log


def grade_student(course: Course, assignment: str, student: str, notebooks: list[str],
                  run: str, verbose: bool = False) -> TaskResult:
    """Take one submission in and run the autograde pipeline up to the gradebook writes.

    Never raises for a student's doing: a failure is a TaskResult with ``ok=False``.
    """

    without_slow_iri_checker()
    from canvastools.grader.intake import Policy, screen_submission
    from canvastools.grader.records import flag, submission_digest, write_intake
    from canvastools.grader.sandbox import SandboxUnavailable

    started = time.monotonic()
    log = _task_log(course, assignment, student, verbose)
    result = TaskResult(student, ok=True)
    try:
        with _quiet_warnings():
            flags = screen_submission(course.root, assignment, student, Policy(), notebooks,
                                      submitted=course.submitted)
            submitted = course_path(course, course.submitted, student, assignment)
            # the fingerprint the record keeps: taken before anything is copied or graded
            write_intake(course.root, assignment, student,
                         {"flags": flags, "submission_sha256": submission_digest(submitted)})
            stamp = submitted / "timestamp.txt"
            if stamp.is_file() and not stamp.is_symlink() and stamp.stat().st_size < 200:
                result.timestamp = stamp.read_text(errors="replace").strip() or None
            dest = _copy_submission(course, assignment, student, run)
            try:
                _grade_notebooks(course, assignment, student, notebooks, run, dest, result,
                                 log)
            finally:
                result.flags = flags + [f for f in result.flags if f not in flags]
    except SandboxUnavailable as exc:  # never graded unsandboxed: this student fails
        log.error("sandbox-unavailable: %s", exc)
        result.ok, result.error = False, f"sandbox-unavailable: {str(exc)[:300]}"
        message = f"not graded: {str(exc)[:300]}"
        if not any(f["code"] == "sandbox-unavailable" for f in result.flags):
            result.flags.append(flag("sandbox-unavailable", message))
    except Exception as exc:  # noqa: BLE001 - one student's failure never stops the class
        log.exception("grading failed")
        result.ok, result.error = False, f"{type(exc).__name__}: {str(exc)[:300]}"
    finally:
        for handler in list(log.handlers):
            handler.close()
            log.removeHandler(handler)
    result.seconds = time.monotonic() - started
    return result


_READER: dict[str, Gradebook] = {}


def _reader(db_url: str) -> Gradebook:
    """This worker's own read-only gradebook session, opened once."""
    from nbgrader.api import Gradebook

    if db_url not in _READER:
        _READER[db_url] = Gradebook(db_url)
    gradebook = _READER[db_url]
    gradebook.db.rollback()  # no stale state from the previous student
    return gradebook


def _grade_notebooks(course: Course, assignment: str, student: str, notebooks: list[str],
                     run: str, dest: Path, result: TaskResult, log: logging.Logger) -> None:
    import nbformat
    from nbgrader.preprocessors import overwritecells, overwritekernelspec

    from canvastools.grader._nbgrader import cached_schema_checks, lend_gradebook
    from canvastools.grader.assignment_source import assignment_source
    from canvastools.grader.records import make_storable
    from canvastools.grader.steps import add_flag

    submitted = course_path(course, course.submitted, student, assignment)
    sanitize = [s for s in course.sanitize if step_name(s) not in WRITERS]
    grade = [s for s in course.grade if step_name(s) not in WRITERS]
    cached_schema_checks()
    source = assignment_source(_reader(course.db_url), course.db_url, assignment, run)
    with lend_gradebook(source, (overwritecells, overwritekernelspec)):
        for notebook in notebooks:
            path = submitted / f"{notebook}.ipynb"
            resources = step_resources(course, assignment, student, notebook, run, submitted)
            if path.is_file():
                nb = nbformat.read(str(path), as_version=4)
                nb = run_steps(sanitize, nb, resources, course.config, log)
            else:  # nbgrader skips such a student; here the answer file is still graded
                nb = run_steps(sanitize, nbformat.v4.new_notebook(), resources, course.config,
                                log)
                add_flag(_StepLog(log), nb, resources, "notebook-refused",
                         f"the submission has no {notebook}.ipynb: graded from the answer "
                         "file alone")
            resources = step_resources(course, assignment, student, notebook, run, dest)
            nb = run_steps(grade, nb, resources, course.config, log)
            nbformat.write(make_storable(nb), str(dest / f"{notebook}.ipynb"))
            result.notebooks.append(notebook)
            result.flags += [f for f in nb.metadata.get("canvastools", {}).get("flags", [])
                             if f not in result.flags]


class _StepLog:
    """What ``add_flag`` needs of a step: its log."""

    def __init__(self, log: logging.Logger) -> None:
        self.log = log


def step_name(step: Step) -> str:
    """The class name of a step given as a class or an instance (``"SaveAutoGrades"``)."""
    return step.__name__ if isinstance(step, type) else type(step).__name__


@contextlib.contextmanager
def _quiet_warnings() -> Iterator[None]:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def preload() -> None:
    """Import what grading needs, so that a new worker is ready before its first student."""
    without_slow_iri_checker()
    import nbformat  # noqa: F401
    from nbgrader import preprocessors  # noqa: F401

    from canvastools.grader import intake  # noqa: F401
