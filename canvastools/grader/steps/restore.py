"""sanitize: :class:`RestoreCells`, nbgrader's OverwriteCells, quiet for honest notebooks and
never crashing; :func:`released_text`, a source cell's text as released."""

from __future__ import annotations

from typing import Any

from nbformat import NotebookNode
from nbgrader.api import MissingEntry
from nbgrader.preprocessors import OverwriteCells

from canvastools.grader._nbgrader import remove_hidden_tests
from canvastools.grader.records import make_storable
from canvastools.grader.step_context import add_flag


def released_text(source: str) -> str:
    """A source cell's text as released: hidden-test regions removed (as ClearHiddenTests)."""
    cell = NotebookNode({"cell_type": "code", "source": source, "metadata": {},
                         "outputs": [], "execution_count": None})
    remove_hidden_tests(cell)
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
