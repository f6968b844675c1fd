"""The instructor's side of an assignment in the gradebook, read once, as nbgrader's sanitize
steps ask for it.

``OverwriteCells`` (and :class:`~canvastools.grader.steps.RestoreCells`) and
``OverwriteKernelspec`` ask the gradebook, cell by cell, for the source cell, the graded cell
and the notebook of what they check: two or three queries a cell, the same answers for every
student. A grading worker lends them an :class:`AssignmentSource` instead (see
:func:`canvastools.grader._nbgrader.lend_gradebook`): the same rows, read once per worker and
run, with the same answers and the same ``MissingEntry`` errors::

    source = assignment_source(reader, db_url, "demo-classify", run)
    source.find_source_cell("q1", "demo-classify", "demo-classify").checksum

Every column of every row is copied, so an attribute a step reads is the gradebook's; any other
gradebook call goes to the real gradebook.
"""

from __future__ import annotations

import threading
from types import SimpleNamespace
from typing import Any


def _row(obj: Any, **extra: Any) -> SimpleNamespace:
    """A plain copy of an ORM row: every column attribute, plus ``extra``."""
    from sqlalchemy import inspect

    values = {attr.key: getattr(obj, attr.key) for attr in inspect(obj).mapper.column_attrs}
    values.update(extra)
    return SimpleNamespace(**values)


class AssignmentSource:
    """The source notebooks of one assignment, copied from ``gradebook``; answers
    ``find_notebook``, ``find_source_cell`` and ``find_graded_cell`` as nbgrader's
    ``Gradebook`` does, and passes any other call to ``gradebook``."""

    def __init__(self, gradebook: Any, assignment: str) -> None:
        from nbgrader.api import MissingEntry

        self._gradebook = gradebook
        self.assignment = assignment
        self._notebooks: dict[str, SimpleNamespace] = {}
        self._source: dict[tuple[str, str], SimpleNamespace] = {}
        self._graded: dict[tuple[str, str], SimpleNamespace] = {}
        try:
            notebooks = list(gradebook.find_assignment(assignment).notebooks)
        except MissingEntry:
            notebooks = []
        for notebook in notebooks:
            kinds = {kind: [_row(cell) for cell in getattr(notebook, kind)]
                     for kind in ("source_cells", "grade_cells", "solution_cells",
                                  "task_cells")}
            self._notebooks[notebook.name] = _row(notebook, **kinds)
            for cell in kinds["source_cells"]:
                self._source[notebook.name, cell.name] = cell
            # find_graded_cell: a grade cell of that name, else a task cell
            for cell in kinds["task_cells"] + kinds["grade_cells"]:
                self._graded[notebook.name, cell.name] = cell

    def find_notebook(self, name: str, assignment: str) -> SimpleNamespace:
        """``Gradebook.find_notebook``: the notebook, its kernelspec and its cells."""
        from nbgrader.api import MissingEntry

        if assignment != self.assignment:
            return self._gradebook.find_notebook(name, assignment)
        if name not in self._notebooks:
            raise MissingEntry(f"No such notebook: {assignment}/{name}")
        return self._notebooks[name]

    def find_source_cell(self, name: str, notebook: str, assignment: str) -> SimpleNamespace:
        """``Gradebook.find_source_cell``."""
        from nbgrader.api import MissingEntry

        if assignment != self.assignment:
            return self._gradebook.find_source_cell(name, notebook, assignment)
        if (notebook, name) not in self._source:
            raise MissingEntry(f"No such source cell: {assignment}/{notebook}/{name}")
        return self._source[notebook, name]

    def find_graded_cell(self, name: str, notebook: str, assignment: str) -> SimpleNamespace:
        """``Gradebook.find_graded_cell``: the grade cell of that name, else the task cell."""
        from nbgrader.api import MissingEntry

        if assignment != self.assignment:
            return self._gradebook.find_graded_cell(name, notebook, assignment)
        if (notebook, name) not in self._graded:
            raise MissingEntry(f"No such grade cell: {assignment}/{notebook}/{name}")
        return self._graded[notebook, name]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._gradebook, name)


_SOURCES: dict[tuple[str, str, str], AssignmentSource] = {}
_LOCK = threading.Lock()


def assignment_source(gradebook: Any, db_url: str, assignment: str,
                      run: str) -> AssignmentSource:
    """``assignment``'s source, read from ``gradebook`` (kept open by the caller for any other
    call) once per process and run of
    ``canvastools autograde`` (``generate_assignment`` does not run in the middle of one)."""
    key = (db_url, assignment, run)
    with _LOCK:
        source = _SOURCES.get(key)
        if source is None:
            if len(_SOURCES) > 16:
                _SOURCES.clear()
            source = _SOURCES[key] = AssignmentSource(gradebook, assignment)
        return source
