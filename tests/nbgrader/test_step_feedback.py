"""generate_feedback's steps (canvastools/grader/plugins.py): what a student's feedback shows
(each exercise's answers and marks, tables styled) and never shows (hidden tests, keys, widget
state). Hiding, on hand-made notebooks, is in test_step_hide.py."""

from __future__ import annotations

import json

import nbformat
import nbg_submissions as submissions
from nbg_helpers import feedback_notebook

from canvastools.grader.plugins import ShowResults, TableStyles


def test_feedback_holds_no_hidden_test_key_or_widget_state(graded, release_tools):
    course = graded["course"]
    feedback = course / "feedback"
    pages = sorted(feedback.rglob("*.html"))
    expected = sum(len(v) for v in submissions.EXPECTED.values())
    assert len(pages) == expected
    keys = release_tools.assignment_keys(course / "solutions")
    problems = []
    for student in sorted(p.name for p in feedback.iterdir()):
        for assignment, key in keys.items():
            if not (feedback / student / assignment).is_dir():
                continue
            sidecar = course / "autograded" / student / assignment / "canvastools_answers.json"
            try:
                answers = json.loads(sidecar.read_text())["exercises"]
            except (OSError, ValueError, KeyError, TypeError):
                answers = {}
            own = {assignment: release_tools.keys_not_given(key, answers)}
            problems += release_tools.find_leaks(feedback / student, own)
    assert problems == []
    page = (feedback / "s01-correct" / "classify-cases" / "classify-cases.html").read_text()
    assert "hidden tests are not shown" in page
    assert "widget-state" not in page and "widget-view" not in page

def test_feedback_check_would_catch_nbgraders_own_feedback(graded, release_tools, tmp_path):
    """Without HideHiddenTests, nbgrader's feedback shows the key: the check must see it."""
    course = graded["course"]
    keys = release_tools.assignment_keys(course / "solutions")
    autograded = course / "autograded" / "s01-correct" / "classify-cases" / "classify-cases.ipynb"
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter().from_filename(str(autograded))
    page = tmp_path / "classify-cases" / "raw.html"
    page.parent.mkdir()
    page.write_text(body)
    problems = release_tools.find_leaks(tmp_path, keys)
    assert any("BEGIN HIDDEN TESTS" in p for p in problems)
    assert any("with its key" in p for p in problems)


def test_the_style_cell_is_added_once_with_an_id_of_its_own():
    """generate_feedback runs TableStyles twice (its own list, then the HTML exporter's) with
    ShowResults, which drops canvastools metadata, in between: still one style cell, and its id
    is not one a cell of the notebook already has (nbformat warned "DuplicateCellId")."""
    import warnings

    nb = feedback_notebook()
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
