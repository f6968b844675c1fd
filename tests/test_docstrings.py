"""The calls shown in the core modules' docstrings work as shown."""

import doctest
import importlib

import pytest

MODULES = ["canvastools", "canvastools.errors", "canvastools._io.checks", "canvastools._io.yamlio",
           "canvastools.model.taxonomy", "canvastools.model.cases", "canvastools.model.canvas",
           "canvastools._io.texts", "canvastools.model.glossary",
           "canvastools.model.glossary_views",
           "canvastools.commands.glossary",
           "canvastools.model.ordering", "canvastools._io.htmlsafe", "canvastools._io.literal",
           "canvastools.grader.records", "canvastools.commands.report.item_stats",
           "canvastools.grading.points", "canvastools.grading.testcells",
           "canvastools.grading.views", "canvastools.grading.exercise_views",
           "canvastools.grading.results", "canvastools.model.choices",
           "canvastools.commands.validate", "canvastools.commands.cases",
           "canvastools.model.variants", "canvastools.model.items", "canvastools.grading.pools"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0
