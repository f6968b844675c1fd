"""``canvastools autograde``: a whole class graded in parallel, with progress and a summary.

One student is one task, run on a Dask cluster: a local one with ``--jobs`` worker processes
(default: the number of cores), or the one at ``--scheduler tcp://HOST:PORT``, where the course
folder is on a shared filesystem. A task takes the submission in
(:func:`canvastools.grader.intake.screen_submission`), copies what may be graded into
``autograded/``,
and runs the course's own nbgrader autograde pipeline on each notebook — the classes of
:mod:`canvastools.grader.steps` that plain ``nbgrader autograde`` runs too — up to the steps
that write the gradebook. Those (nbgrader's ``SaveAutoGrades`` and ``AssignLatePenalties``,
then :class:`~canvastools.grader.steps.RecordGrading`) run here, in this process, one student
at a time, in one gradebook session: SQLite takes one writer, and no row is written twice when
a killed worker's task runs again elsewhere::

    canvastools autograde demo-classify --jobs 2
    canvastools autograde demo-classify --scheduler tcp://10.0.0.5:8786   # course on a shared FS

Already graded, unchanged submissions are skipped (``--force`` grades them again): unchanged
means the same submission (its fingerprint, taken before grading) graded with the same key (a
fingerprint of the source cells in the gradebook); when the key changed, the summary says how
many were graded again for it. A worker grades into a staging folder of its own; the writer
commits the student's gradebook rows, puts the autograded folder in place, and writes the
grading record last. Ctrl-C stops between two students: every finished student is in the
gradebook, its autograded notebook and its record, no student half, and a worker finishing
after the interrupt writes nothing that counts. The next run grades what this one did not.
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import shutil
import signal
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WRITERS = ("SaveAutoGrades", "AssignLatePenalties", "RecordGrading")


@dataclass
class Course:
    """What a task needs to know of the course (picklable, sent to every worker)."""

    root: str
    config: Any
    db_url: str
    submitted: str
    autograded: str
    source: str
    ignore: list[str]
    exclude_overwriting: dict[str, list[str]]
    sanitize: list[Any] = field(default_factory=list)
    grade: list[Any] = field(default_factory=list)
    permissions: int = 0o644


def _without_slow_iri_checker() -> None:
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


def _path(course: Course, kind: str, student: str, assignment: str) -> Path:
    return Path(course.root) / kind / student / assignment


def _notebooks(gradebook: Any, assignment: str) -> list[str]:
    from nbgrader.api import MissingEntry

    try:
        return sorted(n.name for n in gradebook.find_assignment(assignment).notebooks)
    except MissingEntry:
        return []


# -- one task: one student --------------------------------------------------------------------
@dataclass
class TaskResult:
    student: str
    ok: bool
    error: str = ""
    flags: list[dict[str, str]] = field(default_factory=list)
    timestamp: str | None = None
    notebooks: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _staging(course: Course, assignment: str, student: str, run: str) -> Path:
    """Where a worker grades a student in run ``run`` (put in ``autograded/`` by the writer)."""
    from canvastools.grader.records import records_folder

    return records_folder(course.root, assignment) / "staging" / run / student


def _copy_submission(course: Course, assignment: str, student: str, run: str) -> Path:
    """``submitted/`` -> the staging folder, as nbgrader copies to ``autograded/`` (then the
    source's files over it), copying regular files only, never following a link."""
    from nbgrader.utils import is_ignored

    from canvastools.grader.intake import remove_tree

    source = _path(course, course.submitted, student, assignment)
    dest = _staging(course, assignment, student, run)
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


def _resources(course: Course, assignment: str, student: str, notebook: str, run: str,
               folder: Path) -> dict[str, Any]:
    return {
        "nbgrader": {"notebook": notebook, "assignment": assignment, "student": student,
                     "db_url": course.db_url},
        "canvastools": {
            "root": course.root,
            "submitted": str(_path(course, course.submitted, student, assignment)),
            "source": str(Path(course.root) / course.source / assignment),
            "dest": str(_staging(course, assignment, student, run))},
        "canvastools_run": run,
        "metadata": {"path": str(folder), "name": notebook},
        "unique_key": notebook, "output_extension": ".ipynb",
    }


def _run_steps(steps: list[Any], nb: Any, resources: dict[str, Any], config: Any,
               log: logging.Logger) -> Any:
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

    _without_slow_iri_checker()
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
            submitted = _path(course, course.submitted, student, assignment)
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


_READER: dict[str, Any] = {}


def _reader(db_url: str) -> Any:
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

    from canvastools.grader.records import make_storable
    from canvastools.grader.steps import add_flag

    submitted = _path(course, course.submitted, student, assignment)
    sanitize = [s for s in course.sanitize if _name(s) not in WRITERS]
    grade = [s for s in course.grade if _name(s) not in WRITERS]
    with _lent(_reader(course.db_url), (overwritecells, overwritekernelspec)):
        for notebook in notebooks:
            path = submitted / f"{notebook}.ipynb"
            resources = _resources(course, assignment, student, notebook, run, submitted)
            if path.is_file():
                nb = nbformat.read(str(path), as_version=4)
                nb = _run_steps(sanitize, nb, resources, course.config, log)
            else:  # nbgrader skips such a student; here the answer file is still graded
                nb = _run_steps(sanitize, nbformat.v4.new_notebook(), resources, course.config,
                                log)
                add_flag(_StepLog(log), nb, resources, "notebook-refused",
                         f"the submission has no {notebook}.ipynb: graded from the answer "
                         "file alone")
            resources = _resources(course, assignment, student, notebook, run, dest)
            nb = _run_steps(grade, nb, resources, course.config, log)
            nbformat.write(make_storable(nb), str(dest / f"{notebook}.ipynb"))
            result.notebooks.append(notebook)
            result.flags += [f for f in nb.metadata.get("canvastools", {}).get("flags", [])
                             if f not in result.flags]


class _StepLog:
    """What ``add_flag`` needs of a step: its log."""

    def __init__(self, log: logging.Logger) -> None:
        self.log = log


def _name(step: Any) -> str:
    return step.__name__ if isinstance(step, type) else type(step).__name__


@contextlib.contextmanager
def _quiet_warnings() -> Iterator[None]:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


# -- the single writer ------------------------------------------------------------------------
class _BorrowedGradebook:
    """An open gradebook as nbgrader's steps use one (``with Gradebook(url) as gb``), without
    opening or closing anything."""

    def __init__(self, gradebook: Any) -> None:
        self._gradebook = gradebook

    def __enter__(self) -> Any:
        return self._gradebook

    def __exit__(self, *exc: Any) -> None:
        return None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._gradebook, name)


_LENT = threading.local()
_INSTALL = threading.Lock()


class _LentGradebooks:
    """Stands for nbgrader's ``Gradebook`` in the modules of its steps: in a thread that lends
    one (:func:`_lent`), ``Gradebook(url)`` is that open gradebook; anywhere else, a new one,
    as before. Thread by thread, so that a Dask worker running several students at once in
    threads never hands one student's session to another."""

    def __init__(self, original: Any) -> None:
        self.original = original

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        lent = getattr(_LENT, "gradebook", None)
        if lent is None:
            return self.original(*args, **kwargs)
        return _BorrowedGradebook(lent)


@contextlib.contextmanager
def _lent(gradebook: Any, modules: tuple[Any, ...]) -> Iterator[None]:
    """nbgrader's steps in ``modules`` use ``gradebook`` in this thread, instead of opening
    their own."""
    with _INSTALL:
        for module in modules:
            if not isinstance(module.Gradebook, _LentGradebooks):
                module.Gradebook = _LentGradebooks(module.Gradebook)
    previous = getattr(_LENT, "gradebook", None)
    _LENT.gradebook = gradebook
    try:
        yield
    finally:
        _LENT.gradebook = previous


class _FlushOnCommit:
    """A gradebook session whose ``commit`` only flushes (see :func:`_one_transaction`)."""

    def __init__(self, session: Any) -> None:
        self._session = session

    def commit(self) -> None:
        self._session.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


@contextlib.contextmanager
def _one_transaction(gradebook: Any) -> Iterator[None]:
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


def write_student(gradebook: Any, course: Course, assignment: str, result: TaskResult,
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
    recorders = [s for s in course.grade if _name(s) == "RecordGrading"]
    for nb, resources in graded:
        _run_steps(recorders, nb, resources, course.config, log)
    _set_complete(course, assignment, result, True)


def _publish(course: Course, assignment: str, student: str, run: str) -> Path:
    """The staging folder of ``student`` becomes ``autograded/<student>/<assignment>``."""
    from canvastools.grader.intake import remove_tree

    staged = _staging(course, assignment, student, run)
    dest = _path(course, course.autograded, student, assignment)
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


def _write_student(gradebook: Any, course: Course, assignment: str, result: TaskResult,
                   run: str, log: logging.Logger) -> list[tuple[Any, dict[str, Any]]]:
    import nbformat
    from nbgrader.utils import parse_utc

    student = result.student
    gradebook.update_or_create_student(student)
    timestamp = None
    if result.timestamp:
        with contextlib.suppress(Exception):
            timestamp = parse_utc(result.timestamp)
    if timestamp is not None:
        gradebook.update_or_create_submission(assignment, student, timestamp=timestamp)
    else:
        gradebook.update_or_create_submission(assignment, student)
    dest = _staging(course, assignment, student, run)
    for notebook in result.missing:
        submission = gradebook.find_submission_notebook(notebook, assignment, student)
        for grade in submission.grades:
            grade.auto_score = 0
            grade.needs_manual_grade = False
        gradebook.db.commit()
    from nbgrader.preprocessors import latesubmissions, saveautogrades

    writers = [s for s in course.grade if _name(s) in WRITERS and _name(s) != "RecordGrading"]
    graded = []
    with _lent(gradebook, (saveautogrades, latesubmissions)):
        for notebook in result.notebooks:
            path = dest / f"{notebook}.ipynb"
            nb = nbformat.read(str(path), as_version=4)
            resources = _resources(course, assignment, student, notebook, run, dest)
            graded.append((_run_steps(writers, nb, resources, course.config, log), resources))
    return graded


@contextlib.contextmanager
def _deferred_interrupt() -> Iterator[list[bool]]:
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


# -- the command ------------------------------------------------------------------------------
@dataclass
class Summary:
    graded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    rekeyed: list[str] = field(default_factory=list)  # graded again: the key changed
    failed: dict[str, str] = field(default_factory=dict)
    flagged: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    interrupted: bool = False
    seconds: float = 0.0
    unsandboxed: bool = False
    sandbox_off: bool = False  # --no-sandbox: the instructor's choice for the whole run


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
    if not digest or record.get("complete") is not True or \
            digest != submission_digest(_path(course, course.submitted, student, assignment)) \
            or not _path(course, course.autograded, student, assignment).is_dir():
        return "changed"
    graded = {name: entry.get("key_sha256") if isinstance(entry, dict) else None
              for name, entry in (record.get("notebooks") or {}).items()}
    if any(not isinstance(key, str) for key in graded.values()):
        return "changed"  # a record from before keys were kept
    same = all(keys.get(name) == key for name, key in graded.items())
    return "unchanged" if same else "key changed"


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


# A local worker process grades one student at a time where grading is all Python (two would
# only share one core), and two where student code runs in kernels: one's kernel works while
# the other's starts or waits (measured: 40 kernel submissions on 2 cores, 19.5 s -> 15.7 s).
STUDENTS_PER_WORKER = 2


def _task_resources(course: Course, assignment: str, notebooks: list[str], run: str,
                    local: bool) -> dict[str, int] | None:
    """What a student's task takes of a local worker: all of it, or half where kernels run."""
    from canvastools.grader.steps import _source_cells, runs_kernel

    if not local:  # a shared cluster's workers: their own --nthreads decides
        return None
    kernels = any(runs_kernel(_source_cells(course.db_url, assignment, notebook, run))
                  for notebook in notebooks)
    return {"students": 1 if kernels else STUDENTS_PER_WORKER}


def dask_setup(worker: Any) -> None:
    """Dask's preload hook: a grading worker imports what grading needs as it starts, not
    when its first student arrives (``dask worker --preload canvastools.commands.autograde``)."""
    _without_slow_iri_checker()
    import nbformat  # noqa: F401
    from nbgrader import preprocessors  # noqa: F401

    from canvastools.grader import intake  # noqa: F401


def _cluster(jobs: int, scheduler: str | None) -> tuple[Any, Any]:
    """A client of the cluster at ``scheduler``, or of a new local one (and that cluster)."""
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler, timeout="20s"), None
    cluster = LocalCluster(n_workers=jobs, threads_per_worker=STUDENTS_PER_WORKER,
                           resources={"students": STUDENTS_PER_WORKER}, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR,
                           host="127.0.0.1", worker_class="distributed.Nanny",
                           preload=[__name__])
    return Client(cluster), cluster


class _ClusterStart:
    """The cluster, started in a thread of its own while this process reads the course: the
    workers' start and this process's imports overlap instead of adding up."""

    def __init__(self, jobs: int, scheduler: str | None) -> None:
        from concurrent.futures import ThreadPoolExecutor

        pool = ThreadPoolExecutor(1, thread_name_prefix="canvastools-cluster")
        self._future = pool.submit(_cluster, jobs, scheduler)
        pool.shutdown(wait=False)
        self.local = scheduler is None

    def client(self) -> Any:
        return self._future.result()[0]

    def close(self) -> None:
        try:
            client, cluster = self._future.result()
        except Exception:  # noqa: BLE001 - it never started: nothing to close
            return
        with contextlib.suppress(Exception):
            client.close(timeout=10)
        if cluster is not None:
            with contextlib.suppress(Exception):
                cluster.close(timeout=10)


class Progress:
    """A tqdm bar on a terminal; a few plain lines (``12/40 graded``) otherwise."""

    def __init__(self, total: int, stream: Any = None) -> None:
        self.total, self.done, self.failed, self.flagged = total, 0, 0, 0
        self.stream = stream or sys.stderr
        self.bar = None
        self.step = max(1, total // 20)
        if getattr(self.stream, "isatty", lambda: False)():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="student", file=self.stream,
                            dynamic_ncols=True)

    def update(self, failed: bool, flagged: bool) -> None:
        self.done += 1
        self.failed += failed
        self.flagged += flagged
        if self.bar is not None:
            self.bar.set_postfix(failed=self.failed, flagged=self.flagged, refresh=False)
            self.bar.update(1)
        elif self.done % self.step == 0 or self.done == self.total:
            print(f"{self.done}/{self.total} graded ({self.failed} failed, "
                  f"{self.flagged} flagged)", file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


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
    _without_slow_iri_checker()
    cluster = _ClusterStart(jobs or os.cpu_count() or 1, scheduler)
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


def _autograde(cluster: _ClusterStart, course: Course, assignment: str,
               students: list[str] | None, force: bool, verbose: bool, stream: Any,
               started: float, run: str, sandbox: bool) -> Summary:
    from nbgrader.api import Gradebook

    from canvastools.errors import InputError
    from canvastools.grader.records import key_digest
    from canvastools.grader.steps import _source_cells

    summary = Summary()
    if not sandbox:
        course.config.SandboxedExecute.sandbox = False
        summary.sandbox_off = True
    with Gradebook(course.db_url) as gradebook:  # this process's one gradebook session
        notebooks = _notebooks(gradebook, assignment)
        if not notebooks:
            raise InputError(f"assignment '{assignment}' is not in the gradebook: run "
                             f"`nbgrader generate_assignment {assignment}` first",
                             where=course.db_url)
        keys = {n: key_digest(_source_cells(course.db_url, assignment, n, run))
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


def _grade_class(cluster: _ClusterStart, gradebook: Any, course: Course, assignment: str,
                 todo: list[str], notebooks: list[str], summary: Summary, verbose: bool,
                 stream: Any, run: str) -> None:
    """Every student of ``todo`` a task on the cluster; each result written here as it
    arrives, one student at a time."""
    from distributed import as_completed

    log = logging.getLogger("canvastools.commands.autograde")
    resources = _task_resources(course, assignment, notebooks, run, cluster.local)
    client = cluster.client()
    progress = Progress(len(todo), stream)
    futures = {client.submit(grade_student, course, assignment, s, notebooks, run, verbose,
                             key=f"grade-{assignment}-{s}-{run}", pure=False, retries=1,
                             resources=resources): s
               for s in todo}
    try:
        for future in as_completed(futures):
            try:
                result: TaskResult = future.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker, twice
                result = TaskResult(futures[future], ok=False,
                                    error=f"{type(exc).__name__}: {exc}")
            with _deferred_interrupt():
                if result.ok:
                    try:
                        write_student(gradebook, course, assignment, result, run, log)
                    except Exception as exc:  # noqa: BLE001 - rolled back: not written
                        result.ok = False
                        result.error = f"{type(exc).__name__}: {str(exc)[:300]}"
                _tally(summary, result)
            progress.update(not result.ok, bool(result.flags))
    except KeyboardInterrupt:
        summary.interrupted = True
        for future in futures:
            future.cancel()
    finally:
        progress.close()


def _tally(summary: Summary, result: TaskResult) -> None:
    if result.ok:
        summary.graded.append(result.student)
    else:
        summary.failed[result.student] = result.error
    if result.flags:
        summary.flagged[result.student] = result.flags
        if any(f["code"] == "unsandboxed" for f in result.flags):
            summary.unsandboxed = True


def format_summary(summary: Summary, course_root: str, assignment: str) -> str:
    """The summary printed at the end: graded, skipped, failed and flagged, with reasons."""
    from canvastools.grader.records import identical_answers, read_records, showable

    lines = [f"{len(summary.graded)} graded, {len(summary.skipped)} skipped (unchanged), "
             f"{len(summary.failed)} failed, {len(summary.flagged)} flagged "
             f"in {summary.seconds:.1f} s"]
    if summary.rekeyed:
        lines.append(f"key changed since last run: {len(summary.rekeyed)} re-graded")
    if summary.interrupted:
        lines.append("interrupted: the students listed as graded are in the gradebook; "
                     "run the command again to grade the rest")
    if summary.sandbox_off:
        lines.append("WARNING: --no-sandbox: STUDENT CODE RAN WITHOUT A SANDBOX in this run, "
                     "with your account's rights (every such student is flagged "
                     "'unsandboxed')")
    elif summary.unsandboxed:
        lines.append("WARNING: STUDENT CODE RAN WITHOUT A SANDBOX in this run "
                     "(c.SandboxedExecute.sandbox = False in nbgrader_config.py)")
    unavailable = sorted(s for s, flags in summary.flagged.items()
                         if any(f["code"] == "sandbox-unavailable" for f in flags))
    if unavailable:
        lines.append(f"{len(unavailable)} student(s) NOT graded because their sandbox could "
                     f"not start ({', '.join(unavailable[:10])}"
                     f"{', ...' if len(unavailable) > 10 else ''}): see "
                     "docs/grading-security.md, 'What an instructor's server needs'")
    for student, error in sorted(summary.failed.items()):
        lines.append(f"failed  {showable(student)}: {showable(error)}")
    for student, flags in sorted(summary.flagged.items()):
        for item in flags:
            lines.append(f"flagged {showable(student)}: {item['code']}: "
                         f"{showable(item['message'][:300])}")
    same = identical_answers(read_records(course_root, assignment))
    for student, others in same.items():
        if student in summary.graded and student not in summary.flagged:
            shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more"
                                             if len(others) > 5 else "")
            lines.append(f"flagged {showable(student)}: identical-answers: the graded answers "
                         f"are identical to those of {showable(shown)}")
    from canvastools._io.literal import printable

    # student ids, file names and error texts: no terminal escape reaches the terminal raw
    return "\n".join(printable(line) for line in lines)
