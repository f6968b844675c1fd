"""Shared helpers of the nbgrader tests (a module with a unique name, safe to import)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: each assignment of the repository and its Italian version: same cells, grade ids, points,
#: exercise ids and hidden keys; Italian texts (tests/nbgrader/test_italian_assignments.py)
ITALIAN = {"classify-cases": "classifica-casi", "motivations-questions": "motivazioni-domande",
           "design-relationships": "progettare-relazioni"}


def _load_check_release():
    if "check_release" in sys.modules:
        return sys.modules["check_release"]
    path = ROOT / "tools" / "check_release.py"
    spec = importlib.util.spec_from_file_location("check_release", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_release"] = module
    spec.loader.exec_module(module)
    return module


check_release = _load_check_release()


def grade_outputs(course: Path, student: str, assignment: str) -> dict[str, list]:
    """The outputs of each graded cell of an autograded notebook, by grade id."""
    path = course / "autograded" / student / assignment / f"{assignment}.ipynb"
    nb = json.loads(path.read_text())
    return {c["metadata"]["nbgrader"]["grade_id"]: c.get("outputs", []) for c in nb["cells"]
            if c.get("metadata", {}).get("nbgrader", {}).get("grade")}


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

HIDDEN_TEST_CELL = '''from canvastools.grading import grade_classification
### BEGIN HIDDEN TESTS
grade_classification("quiz", key={"acme-desk": "personal_assistance"})
### END HIDDEN TESTS'''


def feedback_notebook():
    """A notebook as autograded: a widget, a test cell with its outputs, a cell echoing the
    test's code; saved widget state."""
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    cell = new_code_cell(HIDDEN_TEST_CELL, metadata={"nbgrader": {"grade": True, "grade_id": "t",
                                                      "points": 1, "solution": False}})
    cell.outputs = [
        new_output("stream", name="stdout", text="acme-desk: right\n"),
        new_output("error", ename="NameError", evalue="name 'grade_classification' is not defined",
                   traceback=["\x1b[0;31mNameError\x1b[0m",
                              'Cell In[3], line 3\n----> 3 grade_classification("quiz", '
                              'key={"acme-desk": "personal_assistance"})']),
        new_output("execute_result", data={"text/plain": "1.0"}, execution_count=3),
    ]
    widget = new_code_cell("quiz")
    widget.outputs = [new_output("display_data", data={
        WIDGET_VIEW: {"model_id": "abc"}, "text/plain": "ClassifyCases(...)"})]
    echo = new_code_cell("print(_i3)")
    echo.outputs = [new_output("stream", name="stdout",
                               text='grade_classification("quiz", key={"acme-desk": '
                                    '"personal_assistance"})\n')]
    nb = new_notebook(cells=[widget, cell, echo])
    nb.metadata["widgets"] = {WIDGET_STATE: {"state": {}}}
    return nb
