"""A notebook as ``nbgrader generate_assignment`` releases it, without a course or gradebook
(the demo course of ``canvastools quickstart`` uses it)::

    released = released_notebook(source_nb)
"""

from __future__ import annotations

from typing import Any

from nbformat import NotebookNode


def released_notebook(nb: NotebookNode) -> NotebookNode:
    r"""What ``nbgrader generate_assignment`` releases (same preprocessors, no database).

    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> cell = new_code_cell("x = 1\n### BEGIN SOLUTION\nx = 2\n### END SOLUTION",
    ...                      metadata={"nbgrader": {"solution": True, "grade": False,
    ...                                             "locked": False, "grade_id": "a",
    ...                                             "schema_version": 3}})
    >>> "x = 2" in released_notebook(new_notebook(cells=[cell])).cells[0].source
    False
    """
    import copy

    from nbgrader.preprocessors import (
        ClearHiddenTests,
        ClearOutput,
        ClearSolutions,
        ComputeChecksums,
        LockCells,
    )

    from canvastools.grader.plugins import StripWidgetState

    nb = copy.deepcopy(nb)
    resources: dict[str, Any] = {}
    for pp in (LockCells(), ClearSolutions(), ClearOutput(), ComputeChecksums(),
               ClearHiddenTests(), ComputeChecksums(), StripWidgetState()):
        nb, resources = pp.preprocess(nb, resources)
    return nb
