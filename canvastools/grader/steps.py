"""The steps of autograding a canvastools submission, as nbgrader preprocessors.

``configure_course`` puts them in nbgrader's autograde pipeline, and ``canvastools autograde``
runs the same classes, so there is one grading path::

    sanitize:  SanitizeSubmission, ClearOutput, DeduplicateCells, OverwriteKernelspec,
               RestoreCells, CheckCellMetadata
    autograde: ScoreAnswers, SandboxedExecute, IgnorePattern, LimitOutput,
               CleanStudentContent, SaveAutoGrades, AssignLatePenalties, CheckCellMetadata,
               RecordGrading

- :class:`SanitizeSubmission` keeps only the notebooks and the answer file of a submission
  (``allowed_files`` adds more), caps the answer file and the cells' text, and starts the
  notebook's list of flags (after :mod:`canvastools.grader.intake` set aside links and oversized
  files before nbgrader copied anything).
- :class:`DeduplicateCells` and :class:`RestoreCells` make a notebook whose graded cells were
  deleted, reordered or copied gradable, put back the original of an edited read-only cell
  (a flag), and stay quiet for an honest notebook (nbgrader warns about every test cell,
  whose released text lacks the hidden tests: nbgrader#1961).
- :class:`ScoreAnswers` scores every canvastools test cell in the grader's own process, from
  the answer file as submitted and the key in the instructor's source, and writes the points
  as the cell's result; the cell is never executed.
- :class:`SandboxedExecute` runs the notebook only when some graded cell needs it (an
  instructor's plain-Python test, a code answer), in a scratch copy under bubblewrap
  (:mod:`canvastools.grader.sandbox`), skipping the cells already scored; otherwise no kernel
  starts.
- :class:`RecordGrading` writes the student's grading record (:mod:`canvastools.grader.records`).

Every flag is logged once as a warning, and kept in the record; an honest submission raises
none.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import shutil
import tempfile
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from nbformat import NotebookNode
from nbgrader import utils as nbutils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import DeduplicateIds, Execute, NbGraderPreprocessor, OverwriteCells
from traitlets import Bool, Enum, Integer, List, Unicode

from canvastools.answers.copies import find_copies
from canvastools.answers.store import ANSWERS_FILENAME
from canvastools.grader.clean_content import OutputBudget
from canvastools.grader.intake import Policy, remove_tree
from canvastools.grader.records import (
    answers_digest,
    flag,
    flag_identical_answers,
    key_digest,
    make_storable,
    read_intake,
    read_record,
    records_locked,
    submission_digest,
    write_record,
)

META = "canvastools"
ANSWERS_INDEX = "answers.sha256"  # next to the records: '<sha256> "<student>"' per line


# -- what every step needs to know ---------------------------------------------------------
def course_paths(step: Any, resources: dict[str, Any]) -> dict[str, str]:
    """``root``, ``submitted`` (the student's submission folder) and ``dest`` (autograded).

    From ``resources["canvastools"]`` when ``canvastools autograde`` runs the step, else from
    the nbgrader converter that owns the exporter that owns the step.
    """
    given = resources.get(META)
    if isinstance(given, dict) and "dest" in given:
        return given
    info = resources["nbgrader"]
    converter = getattr(getattr(step, "parent", None), "parent", None)
    coursedir = converter.coursedir
    assignment, student = info["assignment"], info["student"]
    return {"root": os.path.abspath(coursedir.root),
            "submitted": coursedir.format_path(coursedir.submitted_directory, student,
                                               assignment),
            "source": coursedir.format_path(coursedir.source_directory, ".", assignment),
            "dest": converter._format_dest(assignment, student)}


def notebook_meta(nb: NotebookNode) -> dict[str, Any]:
    meta = nb.metadata.get(META)
    if not isinstance(meta, dict):
        nb.metadata[META] = {"flags": []}
        meta = nb.metadata[META]  # NotebookNode stores a copy of the dict it is given
    meta.setdefault("flags", [])
    return meta


def add_flag(step: Any, nb: NotebookNode, resources: dict[str, Any], code: str,
             message: str) -> None:
    """Record a flag in the notebook being graded and log it once."""
    from canvastools._io.literal import printable

    info = resources.get("nbgrader", {})
    notebook_meta(nb)["flags"].append(flag(code, message))
    step.log.warning("[canvastools] %s/%s: %s: %s", printable(info.get("student", "?")),
                     printable(info.get("assignment", "?")), code, printable(message))


@functools.lru_cache(maxsize=64)
def _source_cells(db_url: str, assignment: str, notebook: str,
                  stamp: float | str) -> dict[str, Any]:
    """The instructor's source cells of a notebook, by name (cached per run or gradebook state)."""
    with Gradebook(db_url) as gb:
        source = gb.find_notebook(notebook, assignment)
        cells = {c.name: {"source": c.source, "cell_type": c.cell_type, "locked": c.locked,
                          "checksum": c.checksum, "grade": False, "solution": False,
                          "task": False} for c in source.source_cells}
        for cell in source.grade_cells:
            cells[cell.name].update(points=float(cell.max_score), grade=True)
        for cell in source.solution_cells:
            cells[cell.name]["solution"] = True
        for cell in source.task_cells:
            cells[cell.name].update(points=float(cell.max_score), task=True)
    return cells


def nbgrader_metadata(name: str, cell: dict[str, Any]) -> dict[str, Any]:
    """The nbgrader metadata of a source cell, as generate_assignment wrote it."""
    meta = {"grade": cell["grade"], "grade_id": name, "locked": cell["locked"],
            "schema_version": 3, "solution": cell["solution"], "task": cell["task"]}
    if cell["grade"] or cell["task"]:
        meta["points"] = cell.get("points", 0.0)
    if cell.get("checksum"):
        meta["checksum"] = cell["checksum"]
    return meta


def source_cells(resources: dict[str, Any]) -> dict[str, Any]:
    """The source cells of the notebook being graded, read once per run of ``canvastools
    autograde`` (``generate_assignment`` does not run in the middle of one) and, under plain
    ``nbgrader autograde``, once per state of a SQLite gradebook."""
    info = resources["nbgrader"]
    db_url = info["db_url"]
    stamp: float | str = resources.get("canvastools_run") or 0.0
    if not stamp and db_url.startswith("sqlite:///"):
        try:
            stamp = os.stat(db_url[len("sqlite:///"):]).st_mtime
        except OSError:
            pass
    return _source_cells(db_url, info["assignment"], info["notebook"], stamp)


# -- sanitize ------------------------------------------------------------------------------
SHADOWING = ("*.py", "*.pyc", "*.pth", "*.so", "sitecustomize*", "usercustomize*",
             "__init__.py", "*.egg-link")


class SanitizeSubmission(NbGraderPreprocessor):
    """Only the notebooks and the answer file of a submission are graded; caps; flags start."""

    allowed_files = List(
        Unicode(), [ANSWERS_FILENAME, "timestamp.txt", "submission_secret.txt"],
        help="Files of a submission (glob patterns, relative to the assignment folder) that "
             "are kept for grading besides the notebooks (submission_secret.txt: nbgrader's "
             "exchange ties feedback to it; never graded nor run). Files of the instructor's "
             "source folder are always kept.").tag(config=True)
    max_answers_bytes = Integer(Policy().max_answers_bytes,
                                help="An answer file over this size is not graded.").tag(
        config=True)
    max_cell_chars = Integer(200_000, help="A cell's text over this length is cut short.").tag(
        config=True)

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]):
        paths = course_paths(self, resources)
        info = resources["nbgrader"]
        nb.metadata.pop(META, None)  # nothing a student wrote there is believed
        meta = notebook_meta(nb)
        for item in read_intake(paths["root"], info["assignment"], info["student"]).get(
                "flags", []):
            if item not in meta["flags"]:
                meta["flags"].append(item)
        self._keep_allowed_files(nb, resources, paths)
        # the copies of the answers in the notebook's outputs, before ClearOutput
        meta["notebook_copies"] = find_copies(nb, max_bytes=self.max_answers_bytes)
        self._trust_only_the_source(nb, resources)
        for index, cell in enumerate(nb.cells):
            source = cell.get("source", "")
            if isinstance(source, str) and len(source) > self.max_cell_chars:
                cell["source"] = source[: self.max_cell_chars]
                add_flag(self, nb, resources, "text-too-large",
                         f"cell {index + 1} has {len(source):,} characters; cut to "
                         f"{self.max_cell_chars:,}")
        return nb, resources

    def _trust_only_the_source(self, nb: NotebookNode, resources: dict[str, Any]) -> None:
        """Every cell's nbgrader metadata comes from the source, whatever the notebook says."""
        cells = source_cells(resources)
        for index, cell in enumerate(nb.cells):
            metadata = cell.get("metadata")
            if not isinstance(metadata, dict):
                cell["metadata"] = metadata = NotebookNode({})
            metadata.pop(META, None)  # only ScoreAnswers marks a cell scored (never executed)
            claimed = metadata.get("nbgrader")
            if claimed is None:
                continue
            grade_id = claimed.get("grade_id") if isinstance(claimed, dict) else None
            if isinstance(grade_id, str) and grade_id in cells:
                trusted = nbgrader_metadata(grade_id, cells[grade_id])
                changed = _changed_metadata(claimed, trusted)
                if changed:
                    add_flag(self, nb, resources, "locked-cell-edited",
                             f"cell '{grade_id}': its nbgrader metadata ({', '.join(changed)}) "
                             "was changed; the original was put back")
                metadata["nbgrader"] = NotebookNode(trusted)
                continue
            metadata.pop("nbgrader")
            if grade_id is not None or (isinstance(claimed, dict) and claimed.get("grade")):
                add_flag(self, nb, resources, "unknown-cell",
                         f"cell {index + 1} claims the grade id {str(grade_id)[:60]!r}, which "
                         "the assignment does not have: graded as an ordinary cell")

    def _keep_allowed_files(self, nb: NotebookNode, resources: dict[str, Any],
                            paths: dict[str, str]) -> None:
        dest = Path(paths["dest"])
        source = Path(paths.get("source", "")) if paths.get("source") else None
        if not dest.is_dir():
            return
        left_out: dict[str, list[str]] = {"code-file-left-out": [], "file-left-out": []}
        for path in sorted(dest.rglob("*")):
            if not path.exists() and not path.is_symlink():
                continue  # inside a folder removed above
            relative = str(path.relative_to(dest))
            if path.is_symlink() or not (path.is_file() or path.is_dir()):
                _remove(path)
                add_flag(self, nb, resources, "symlink-refused",
                         f"'{relative}' is not a regular file: left out")
                continue
            if path.is_dir():
                continue
            if path.suffix == ".ipynb" and path.parent == dest:
                continue
            if source is not None and (source / relative).is_file() and \
                    relative != ANSWERS_FILENAME:
                continue  # the instructor's file, copied over by nbgrader
            if any(fnmatch.fnmatch(relative, pattern) for pattern in self.allowed_files):
                if relative == ANSWERS_FILENAME and path.stat().st_size > \
                        self.max_answers_bytes:
                    size = path.stat().st_size
                    _remove(path)
                    add_flag(self, nb, resources, "answers-too-large",
                             f"the answer file is {size:,} bytes, over the cap of "
                             f"{self.max_answers_bytes:,}: not graded")
                continue
            shadowing = any(fnmatch.fnmatch(path.name, p) for p in SHADOWING) or any(
                (parent / "__init__.py").exists() for parent in path.parents
                if parent != dest and dest in parent.parents)
            _remove(path)
            left_out["code-file-left-out" if shadowing else "file-left-out"].append(relative)
        for code, names in left_out.items():  # one flag per kind, however many files
            if names:
                shown = ", ".join(f"'{n}'" for n in names[:10])
                add_flag(self, nb, resources, code,
                         f"{len(names)} file(s) left out of grading (they stay in "
                         f"submitted/): {shown}{', ...' if len(names) > 10 else ''}")
        for folder in sorted((p for p in dest.rglob("*") if p.is_dir()), reverse=True):
            try:
                folder.rmdir()  # folders emptied above
            except OSError:
                pass


def _changed_metadata(claimed: dict[str, Any], trusted: dict[str, Any]) -> list[str]:
    """What a submission changed of a cell's nbgrader metadata (what kind of cell, points)."""
    changed = [key for key in ("grade", "solution", "locked", "task")
               if claimed.get(key, False) is not bool(trusted.get(key, False))]
    if claimed.get("schema_version") != trusted["schema_version"]:
        changed.append("schema_version")
    if "points" in trusted:
        try:
            same = float(claimed.get("points")) == float(trusted["points"])
        except (TypeError, ValueError):
            same = False
        if not same:
            changed.append("points")
    return changed


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


class DeduplicateCells(DeduplicateIds):
    """nbgrader's DeduplicateIds, with a flag instead of a warning: one copy is graded."""

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]):
        self._nb, self._resources = nb, resources
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: NotebookNode, resources: dict[str, Any], cell_index: int):
        if not (nbutils.is_grade(cell) or nbutils.is_solution(cell) or nbutils.is_locked(cell)):
            return cell, resources
        grade_id = cell.metadata.nbgrader.get("grade_id")
        if grade_id is None or grade_id in self.grade_ids:
            if grade_id is not None:
                add_flag(self, self._nb, resources, "cell-duplicated",
                         f"cell '{grade_id}' appears more than once: the last copy is graded")
            cell.metadata.pop("nbgrader")  # {} would stop the batch (schema version 0)
        else:
            self.grade_ids.add(grade_id)
        return cell, resources


def released_text(source: str) -> str:
    """A source cell's text as released: hidden-test regions removed (as ClearHiddenTests)."""
    from nbgrader.preprocessors import ClearHiddenTests

    cell = NotebookNode({"cell_type": "code", "source": source, "metadata": {},
                         "outputs": [], "execution_count": None})
    ClearHiddenTests()._remove_hidden_test_region(cell)
    return cell.source


class RestoreCells(OverwriteCells):
    """autograde: nbgrader's OverwriteCells, quiet for honest notebooks and never crashing.

    - a read-only cell whose text is the released one is put back silently; an edited one is
      put back with a flag;
    - a cell claiming a grade id the assignment does not have loses its grading metadata
      (a flag);
    - deleted graded cells are put back where they belong (a flag), deleted task cells at
      the end.
    """

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]):
        self._nb, self._resources = nb, resources
        nb, resources = super().preprocess(nb, resources)
        make_storable(nb)  # nbgrader writes it next: any code point of a student's is kept
        return nb, resources

    def missing_cell_transform(self, source_cell: Any, max_score: float,
                               is_solution: bool = False, is_task: bool = False) -> NotebookNode:
        """nbgrader's restored cell (a NotebookNode holding plain dicts) as a notebook cell:
        NotebookNodes all the way down, with a cell id, like every cell read from a file."""
        from nbformat import from_dict
        from nbformat.v4.nbbase import random_cell_id

        cell = from_dict(super().missing_cell_transform(source_cell, max_score,
                                                        is_solution=is_solution,
                                                        is_task=is_task))
        cell.setdefault("id", random_cell_id())
        return cell

    def report_change(self, name: str, attr: str, old: Any, new: Any) -> None:
        add_flag(self, self._nb, self._resources, "locked-cell-edited",
                 f"cell '{name}': its {attr} was changed; the original was put back")

    def preprocess_cell(self, cell: NotebookNode, resources: dict[str, Any], cell_index: int):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id is None:
            if cell.metadata.get("nbgrader"):
                cell.metadata.pop("nbgrader")
            return cell, resources
        try:
            source_cell = self.gradebook.find_source_cell(grade_id, self.notebook_id,
                                                          self.assignment_id)
        except MissingEntry:
            add_flag(self, self._nb, resources, "unknown-cell",
                     f"a cell claims the grade id '{grade_id}', which the assignment does not "
                     "have: graded as an ordinary cell")
            cell.metadata.pop("nbgrader")
            return cell, resources
        if source_cell.locked and cell.cell_type == source_cell.cell_type and \
                cell.source == released_text(source_cell.source):
            cell.source = source_cell.source  # the released text: not an edit
        return super().preprocess_cell(cell, resources, cell_index)

    def _where(self, nb: NotebookNode, name: str) -> int | None:
        for index, cell in enumerate(nb.cells):
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == name:
                return index
        return None

    def add_missing_grade_cells(self, nb: NotebookNode, resources: dict[str, Any]):
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        source_cells = list(source_nb.source_cells)
        names = [cell.name for cell in source_cells]
        grade_cells = {cell.name: cell for cell in source_nb.grade_cells}
        solution_ids = {cell.name for cell in source_nb.solution_cells}
        for position, name in enumerate(names):
            if name not in grade_cells or self._where(nb, name) is not None:
                continue
            add_flag(self, nb, resources, "cell-restored",
                     f"graded cell '{name}' was missing: put back (graded from the answers)")
            cell = self.missing_cell_transform(source_cells[position],
                                               grade_cells[name].max_score,
                                               is_solution=name in solution_ids)
            insert_at = len(nb.cells)
            for previous in reversed(names[:position]):
                found = self._where(nb, previous)
                if found is not None:
                    insert_at = found + 1
                    break
            else:
                if position == 0:
                    insert_at = 0
            nb.cells.insert(insert_at, cell)
        return nb, resources

    def add_missing_task_cells(self, nb: NotebookNode, resources: dict[str, Any]):
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        source_cells = {cell.name: cell for cell in source_nb.source_cells}
        for task_cell in source_nb.task_cells:
            if self._where(nb, task_cell.name) is None:
                nb.cells.append(self.missing_cell_transform(
                    source_cells[task_cell.name], task_cell.max_score, is_task=True))
        return nb, resources


# -- score ---------------------------------------------------------------------------------
def _grade_id(cell: Any) -> str | None:
    """A cell's nbgrader grade id, read without trusting the cell's shape."""
    metadata = cell.get("metadata")
    nbgrader = metadata.get("nbgrader") if isinstance(metadata, dict) else None
    grade_id = nbgrader.get("grade_id") if isinstance(nbgrader, dict) else None
    return grade_id if isinstance(grade_id, str) else None


def _error_output(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode({"output_type": "error", "ename": ename, "evalue": evalue,
                         "traceback": [f"{ename}: {evalue}"]})


class ScoreAnswers(NbGraderPreprocessor):
    """Scores canvastools test cells from the answer file, in the grader; never runs them.

    The answer file's size cap is SanitizeSubmission's (one setting): a file over it is no
    longer there when this step reads the folder."""

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]):
        from canvastools.answers.copies import choose_answers
        from canvastools.answers.store import AnswerStore
        from canvastools.grading.points import cell_points, score_calls
        from canvastools.grading.testcells import graded_exercises, parse_test_cell

        paths = course_paths(self, resources)
        answers_path = Path(paths["dest"]) / ANSWERS_FILENAME
        meta = notebook_meta(nb)
        if answers_path.is_file() and not answers_path.is_symlink():
            answers = AnswerStore(paths["dest"]).read()
        else:
            answers = None
        if answers is not None and answers.problem:
            add_flag(self, nb, resources, "answers-damaged", answers.problem)
        cells = source_cells(resources)
        answers, flags = choose_answers(answers, meta.pop("notebook_copies", []),
                                        graded_exercises(cells))
        for code, message in flags:
            add_flag(self, nb, resources, code, message)
        # of what is graded, file or notebook's copy: a classmate's notebook handed in alone
        # is as identical as a classmate's answer file
        meta["answers_sha256"] = answers_digest(answers.exercises)
        self._sources = [c["source"] for c in cells.values() if c["cell_type"] == "code"]
        for cell in nb.cells:
            if cell.get("cell_type") != "code" or not nbutils.is_grade(cell):
                continue
            grade_id = _grade_id(cell)
            if grade_id not in cells:
                continue  # SanitizeSubmission let only the source's graded cells through
            source = cells[grade_id]["source"]
            max_points = float(cells[grade_id].get("points", 0.0))
            try:
                calls = parse_test_cell(source, where=f"test cell '{grade_id}'")
            except ValueError as exc:
                calls = exc
            if calls is None:
                continue  # a plain test: SandboxedExecute runs it
            cell.metadata[META] = {"scored": True}
            cell.execution_count = None
            if isinstance(calls, Exception):
                self._key_error(nb, resources, cell, grade_id, calls)
                continue
            try:
                results = score_calls(calls, answers)
            except (ValueError, TypeError) as exc:
                self._key_error(nb, resources, cell, grade_id, exc)
                continue
            points = cell_points(results, max_points)
            cell.metadata[META]["results"] = make_storable([r.to_dict() for r in results])
            cell.outputs = make_storable(self.outputs(results, points, max_points))
        return nb, resources

    def _key_error(self, nb: NotebookNode, resources: dict[str, Any], cell: NotebookNode,
                   grade_id: str, exc: Exception) -> None:
        message = str(exc)
        self.log.error("[canvastools] the key of test cell '%s' is wrong: %s", grade_id,
                       message)
        add_flag(self, nb, resources, "key-error", f"test cell '{grade_id}': {message}")
        cell.outputs = [_error_output("InputError", message)]

    def outputs(self, results: list[Any], points: float, max_points: float) -> list[Any]:
        """The cell's outputs: the per-item view for the instructor, then the points."""
        from canvastools.grading.views import result_outputs

        shown = result_outputs(results, show_key=True, sources=getattr(self, "_sources", ()))
        return [NotebookNode(o) for o in shown] + [NotebookNode({
            "output_type": "execute_result", "execution_count": None, "metadata": {},
            "data": {"text/plain": repr(float(points))}})]


# -- execute -------------------------------------------------------------------------------
def needs_kernel(nb: NotebookNode) -> bool:
    """True when some graded cell can only be graded by running the notebook."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if cell.get("metadata", {}).get(META, {}).get("scored"):
            continue
        if nbutils.is_grade(cell) or nbutils.is_solution(cell):
            return True
    return False


def runs_kernel(cells: dict[str, Any]) -> bool:
    """True when a notebook with these source cells (:func:`source_cells`) is graded by
    running it: a plain test, or a solution cell (the same rule as :func:`needs_kernel`)."""
    from canvastools.grading.testcells import parse_test_cell

    for cell in cells.values():
        if cell["cell_type"] != "code":
            continue
        if cell["solution"]:
            return True
        if cell["grade"]:
            try:
                if parse_test_cell(cell["source"]) is None:
                    return True
            except ValueError:
                continue  # a canvastools test with a wrong key: scored 0, never run
    return False


_WARNED_UNSANDBOXED = threading.Event()


class SandboxedExecute(OutputBudget, Execute):
    """nbgrader's Execute, only when needed, in a sandbox of the student's own
    (:mod:`canvastools.grader.sandbox`); never unsandboxed unless ``sandbox = False``."""

    execute = Enum(["auto", "always"], "auto",
                   help="'auto': run a kernel only when a graded cell needs one.").tag(config=True)
    sandbox = Bool(
        True, help="Run student code under bubblewrap. False runs it WITHOUT a sandbox for "
                   "the whole run (`canvastools autograde --no-sandbox`): every student whose "
                   "code runs is flagged 'unsandboxed'. With True, a student whose sandbox "
                   "cannot start is not graded (flag 'sandbox-unavailable').").tag(config=True)
    require_sandbox = Bool(
        True, help="No longer used: a sandbox is always required unless sandbox = False."
    ).tag(config=True)
    sandbox_attempts = Integer(3, help="Tries to start a student's sandbox (a short pause "
                                       "between two) before that student fails.").tag(
        config=True)
    max_output_bytes = Integer(2 * 1024**2,
                               help="Output kept from a notebook's run, in all.").tag(config=True)
    max_seconds = Integer(300, help="Wall-clock limit of one notebook's run.").tag(config=True)
    max_memory_bytes = Integer(1024**3, help="Memory of all the processes of one student's "
                                             "sandbox together (without swap).").tag(config=True)
    max_processes = Integer(256, help="Tasks (processes and threads) of one student's "
                                      "sandbox.").tag(config=True)
    max_scratch_bytes = Integer(256 * 1024**2, help="What a kernel may write to its working "
                                                    "folder (in memory), in all.").tag(
        config=True)
    scratch_parent = Unicode("", help="Where scratch copies are made (default: the system's "
                                      "temporary folder).").tag(config=True)
    shutdown_kernel = Enum(["graceful", "immediate"], "immediate",
                           help="How the kernel is stopped after the run: a student's kernel "
                                "is disposable, so it is not asked to tidy up.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any], km: Any = None):
        from canvastools.grader.sandbox import SandboxUnavailable

        meta = notebook_meta(nb)
        if self.execute == "auto" and not needs_kernel(nb):
            meta["kernel"] = "not needed"
            self.log.info("[canvastools] every graded cell is scored from the answers: "
                          "no kernel started")
            return nb, resources
        if not self.sandbox:
            meta["kernel"] = "unsandboxed"
            add_flag(self, nb, resources, "unsandboxed",
                     "student code ran WITHOUT a sandbox: the instructor turned it off for "
                     "this run")
            if not _WARNED_UNSANDBOXED.is_set():
                _WARNED_UNSANDBOXED.set()
                self.log.warning("[canvastools] STUDENT CODE RUNS UNSANDBOXED in this run "
                                 "(SandboxedExecute.sandbox = False)")
        paths = course_paths(self, resources)
        scratch = tempfile.mkdtemp(prefix="canvastools-kernel-",
                                   dir=self.scratch_parent or None)
        try:
            box = self._open_sandbox(scratch) if self.sandbox else None
            try:
                self._run(nb, resources, paths, scratch, box)
            finally:
                if box is not None:
                    box.close()
        except SandboxUnavailable as exc:
            add_flag(self, nb, resources, "sandbox-unavailable",
                     f"not graded: {exc}")
            raise
        finally:
            remove_tree(scratch)
        return nb, resources

    def _open_sandbox(self, scratch: str) -> Any:
        """This student's sandbox, started, or
        :class:`~canvastools.grader.sandbox.SandboxUnavailable`."""
        from canvastools.grader.sandbox import Limits, Sandbox

        limits = Limits(memory=self.max_memory_bytes, processes=self.max_processes,
                        disk=self.max_scratch_bytes)
        return Sandbox(limits=limits).start(scratch, self.sandbox_attempts, self.log)

    def _run(self, nb: NotebookNode, resources: dict[str, Any], paths: dict[str, str],
             scratch: str, box: Any) -> None:
        from canvastools.grader.sandbox import SandboxUnavailable, kill_kernel, make_kernel_manager

        meta = notebook_meta(nb)
        if box is not None:
            meta["kernel"] = "sandboxed"
            _copy_regular_files(paths["dest"], box.input)
            box.prepare()
        else:
            _copy_regular_files(paths["dest"], scratch)
        manager = make_kernel_manager(nb, scratch, box, self.config)
        run = dict(resources)
        run["metadata"] = dict(resources.get("metadata", {}), path=scratch)
        self._output_budget = self.max_output_bytes
        self._capped = False
        self._executed: set[int] = set()
        self._finished: set[int] = set()
        self._overspent = ""
        stop = threading.Event()
        watchdog = threading.Thread(target=self._watch, args=(manager, stop), daemon=True)
        watchdog.start()
        try:
            super().preprocess(nb, run, km=manager)
        except Exception as exc:  # noqa: BLE001 - a student's kernel never stops the batch
            problem = box.setup_problem() if box is not None else ""
            if problem and not self._executed:
                raise SandboxUnavailable(problem) from exc
            add_flag(self, nb, resources, "kernel-failed",
                     f"{type(exc).__name__}: {str(exc)[:300]}")
            self._fail_unexecuted(nb)
        finally:
            stop.set()
            client = getattr(self, "kc", None)
            if client is not None:
                client.stop_channels()
                self.kc = None
            kill_kernel(manager)
            for said in box.limits_hit() if box is not None else ():
                add_flag(self, nb, resources, "sandbox-limit", said)
        if self._overspent:
            add_flag(self, nb, resources, "kernel-failed", self._overspent)
        if self._capped:
            add_flag(self, nb, resources, "output-capped",
                     f"the notebook printed more than {self.max_output_bytes:,} bytes: "
                     "the rest was cut")

    def _watch(self, manager: Any, stop: threading.Event) -> None:
        """Stop the kernel at the wall-clock limit (tasks, memory and disk are the sandbox's
        own limits)."""
        from canvastools.grader.sandbox import kill_kernel

        if not stop.wait(self.max_seconds):
            self._overspent = f"stopped after {self.max_seconds} s"
            kill_kernel(manager)

    def preprocess_cell(self, cell: NotebookNode, resources: dict[str, Any], index: int):
        if cell.get("metadata", {}).get(META, {}).get("scored"):
            return cell, resources  # scored by the grader: never executed
        self._executed.add(index)
        result = super().preprocess_cell(cell, resources, index)
        self._finished.add(index)  # not reached when the kernel died while running the cell
        cell = result[0]
        if nbutils.is_grade(cell) and any(
                o.get("output_type") == "error" or o.get("name") == "stderr"
                for o in cell.get("outputs", [])):
            # a failed test scores 0 even when the kernel also sent a result (nbgrader reads
            # the first one: a hook of the student's could send one before the error)
            cell.outputs = [o for o in cell.outputs if o.get("output_type") != "execute_result"]
        return result

    def _fail_unexecuted(self, nb: NotebookNode) -> None:
        """A graded cell the dead kernel never ran (or was running when it died) would
        otherwise get full marks."""
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or index in self._finished:
                continue
            if cell.get("metadata", {}).get(META, {}).get("scored"):
                continue
            if nbutils.is_grade(cell):
                cell.outputs = [_error_output("KernelFailed",
                                              "not run: the student's kernel had stopped")]




def _copy_regular_files(source: str, target: str) -> None:
    for dirpath, dirnames, filenames in os.walk(source):
        relative = os.path.relpath(dirpath, source)
        os.makedirs(os.path.join(target, relative), exist_ok=True)
        dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
        for name in filenames:
            path = os.path.join(dirpath, name)
            if os.path.isfile(path) and not os.path.islink(path) and not name.endswith(".ipynb"):
                shutil.copyfile(path, os.path.join(target, relative, name))


# -- record --------------------------------------------------------------------------------
class RecordGrading(NbGraderPreprocessor):
    """Writes the student's grading record (flags, per-item results, fingerprints)."""

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]):
        make_storable(nb)  # whatever the kernel sent: nbgrader writes the notebook next
        paths = course_paths(self, resources)
        with records_locked(paths["root"], resources["nbgrader"]["assignment"]):
            self._record(nb, resources, paths)
        return nb, resources

    def _record(self, nb: NotebookNode, resources: dict[str, Any],
                paths: dict[str, str]) -> None:
        info = resources["nbgrader"]
        meta = notebook_meta(nb)
        record = read_record(paths["root"], info["assignment"], info["student"])
        if record.get("run") != resources.get("canvastools_run", os.getpid()):
            record = {}  # a new grading of this submission: start afresh
        cells = {}
        for cell in nb.cells:
            grade_id = _grade_id(cell)
            if grade_id is None or not nbutils.is_grade(cell):
                continue
            score, max_score = nbutils.determine_grade(cell, self.log)
            cells[grade_id] = {"points": score, "max_points": max_score,
                               "results": cell.metadata.get(META, {}).get("results", [])}
        notebooks = record.setdefault("notebooks", {})
        notebooks[info["notebook"]] = {"cells": cells, "kernel": meta.get("kernel"),
                                       "flags": meta.get("flags", []),
                                       "key_sha256": key_digest(source_cells(resources))}
        flags: list[dict[str, str]] = []
        for entry in notebooks.values():
            flags += [f for f in entry["flags"] if f not in flags]
        record.update({
            "student": info["student"], "assignment": info["assignment"],
            "run": resources.get("canvastools_run", os.getpid()),
            "graded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "answers_sha256": meta.get("answers_sha256"),
            # taken as the submission was taken in, before grading (by the intake)
            "submission_sha256": read_intake(paths["root"], info["assignment"],
                                             info["student"]).get("submission_sha256")
            or submission_digest(paths["submitted"]),
            "flags": flags,
        })
        write_record(paths["root"], info["assignment"], info["student"], record)
        self._flag_identical(paths["root"], info["assignment"], info["student"],
                             record.get("answers_sha256"))

    def _flag_identical(self, root: str, assignment: str, student: str,
                        digest: str | None) -> None:
        """Flag this student and every classmate whose graded answers are the same (the index
        of identical answers, one small file a digest, sits next to the records)."""
        same = flag_identical_answers(root, assignment, student, digest)
        if same:
            self.log.warning("[canvastools] %s/%s: identical-answers: the graded answers are "
                             "identical to those of %s", student, assignment, ", ".join(same))
