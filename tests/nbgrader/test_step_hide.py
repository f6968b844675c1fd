"""Hiding what a student must not see, on hand-made notebooks: generate_feedback's
HideHiddenTests and generate_assignment's StripWidgetState (canvastools/grader/plugins.py)."""

from __future__ import annotations

import nbformat
from nbg_helpers import WIDGET_STATE, WIDGET_VIEW, feedback_notebook

from canvastools.grader.plugins import HideHiddenTests, StripWidgetState


def test_hide_hidden_tests():
    nb, _ = HideHiddenTests().preprocess(feedback_notebook(), {})
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
    nb, _ = StripWidgetState().preprocess(feedback_notebook(), {})
    text = nbformat.writes(nb)
    assert WIDGET_STATE not in text and WIDGET_VIEW not in text
    assert "widgets" not in nb.metadata
