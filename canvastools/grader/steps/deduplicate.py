"""sanitize: :class:`DeduplicateCells`, nbgrader's DeduplicateIds with a flag."""

from __future__ import annotations

from typing import Any

from nbformat import NotebookNode
from nbgrader import utils as nbutils
from nbgrader.preprocessors import DeduplicateIds

from canvastools.grader.step_context import add_flag


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
