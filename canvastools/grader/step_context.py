"""What every step of the grading pipeline needs to know: where the course's folders are, the
notebook's list of flags, and the instructor's source cells from the gradebook (shared by
:mod:`canvastools.grader.steps` and :mod:`canvastools.grader.clean_content`)::

    cells = source_cells(resources)        # by grade id, as generate_assignment saved them
    add_flag(self, nb, resources, "unknown-cell", "cell 3 claims ...")
"""

from __future__ import annotations

import functools
import os
from typing import Any

from nbformat import NotebookNode
from nbgrader.api import Gradebook

from canvastools.grader._nbgrader import converter_dest
from canvastools.grader.records import flag

META = "canvastools"


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
            "dest": converter_dest(converter, assignment, student)}


def notebook_meta(nb: NotebookNode) -> dict[str, Any]:
    """The notebook's ``metadata["canvastools"]`` (made, with its list of flags, if missing)."""
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
def read_source_cells(db_url: str, assignment: str, notebook: str,
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
    return read_source_cells(db_url, info["assignment"], info["notebook"], stamp)


def cell_grade_id(cell: Any) -> str | None:
    """A cell's nbgrader grade id, read without trusting the cell's shape."""
    metadata = cell.get("metadata")
    nbgrader = metadata.get("nbgrader") if isinstance(metadata, dict) else None
    grade_id = nbgrader.get("grade_id") if isinstance(nbgrader, dict) else None
    return grade_id if isinstance(grade_id, str) else None


def error_output(ename: str, evalue: str) -> NotebookNode:
    """An error output, as a kernel sends one (``error_output("InputError", "bad key")``)."""
    return NotebookNode({"output_type": "error", "ename": ename, "evalue": evalue,
                         "traceback": [f"{ename}: {evalue}"]})
