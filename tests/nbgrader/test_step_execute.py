"""autograde's execute step (canvastools/grader/steps/execute.py): a kernel only when a graded
cell needs one. The sandbox the kernel runs in is tested in test_sandbox.py."""

from __future__ import annotations

import json
from pathlib import Path

import nbg_submissions as submissions
from autograde_demo import ASSIGNMENT


def test_kernels_are_needed_only_for_plain_tests_and_solution_cells(autograde_demo: Path):
    """How the command sizes its local workers: a widget-only assignment runs no kernel."""
    from canvastools.grader.steps import read_source_cells, runs_kernel

    url = f"sqlite:///{autograde_demo / 'gradebook.db'}"
    cells = read_source_cells(url, ASSIGNMENT, ASSIGNMENT, "t")
    assert any(c["grade"] for c in cells.values()) and not runs_kernel(cells)
    plain = {"cell_type": "code", "grade": True, "solution": False,
             "source": "assert margin(3, 1) == 2"}
    assert runs_kernel(dict(cells, plain_test=plain))
    assert runs_kernel(dict(cells, answer=dict(plain, grade=False, solution=True)))


def test_a_widget_only_assignment_is_graded_without_running_student_code(graded):
    """The infinite loop a student added never runs: no kernel starts, the answers count."""
    path = (graded["course"] / "autograded" / "s10-infinite-loop" / "classify-cases"
            / "classify-cases.ipynb")
    nb = json.loads(path.read_text())
    assert nb["metadata"]["canvastools"]["kernel"] == "not needed"
    loop = next(c for c in nb["cells"] if c["cell_type"] == "code"
                and "while True" in "".join(c["source"]))
    assert loop["outputs"] == []
    assert graded["scores"][("classify-cases", "s10-infinite-loop")] == \
        submissions.EXPECTED["s10-infinite-loop"]["classify-cases"]
