"""The preprocessors on hand-made notebooks."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

from canvastools.grader.plugins import (
    HideHiddenTests,
    ShowResults,
    StripWidgetState,
    TableStyles,
)

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

TEST = '''from canvastools.grading import grade_classification
### BEGIN HIDDEN TESTS
grade_classification("quiz", key={"acme-desk": "personal_assistance"})
### END HIDDEN TESTS'''


def _notebook():
    cell = new_code_cell(TEST, metadata={"nbgrader": {"grade": True, "grade_id": "t",
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


def test_hide_hidden_tests():
    nb, _ = HideHiddenTests().preprocess(_notebook(), {})
    text = nbformat.writes(nb)
    assert "personal_assistance" not in text and "BEGIN HIDDEN" not in text
    assert "hidden tests are not shown" in nb.cells[1].source
    assert nb.cells[1].outputs[0].text == "acme-desk: right\n"
    assert nb.cells[1].outputs[1].traceback == ["NameError: name 'grade_classification' is "
                                                "not defined"]
    assert nb.cells[1].outputs[2].data["text/plain"] == "1.0"
    assert "not shown" in nb.cells[2].outputs[0].text
    assert WIDGET_STATE not in text and WIDGET_VIEW not in text


def test_strip_widget_state():
    nb, _ = StripWidgetState().preprocess(_notebook(), {})
    text = nbformat.writes(nb)
    assert WIDGET_STATE not in text and WIDGET_VIEW not in text
    assert "widgets" not in nb.metadata


def test_the_style_cell_is_added_once_with_an_id_of_its_own():
    """generate_feedback runs TableStyles twice (its own list, then the HTML exporter's) with
    ShowResults, which drops canvastools metadata, in between: still one style cell, and its id
    is not one a cell of the notebook already has (nbformat warned "DuplicateCellId")."""
    import warnings

    nb = _notebook()
    nb.cells[0]["id"] = "canvastools-css"   # a notebook's own cell with that id
    nb, _ = TableStyles().preprocess(nb, {})
    nb, _ = ShowResults().preprocess(nb, {})
    nb, _ = TableStyles().preprocess(nb, {})
    styles = [c for c in nb.cells if c.source.startswith("<style>")]
    assert len(styles) == 1 and nb.cells[0] is styles[0]
    ids = [c["id"] for c in nb.cells]
    assert len(set(ids)) == len(ids) and ids[0] == "canvastools-css-2"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nbformat.validate(nb)


def test_docstring_examples():
    import doctest

    from canvastools import grading
    from canvastools.grader import plugins as nbgrader_plugins

    assert doctest.testmod(grading).failed == 0
    assert doctest.testmod(nbgrader_plugins).failed == 0
