"""The calls shown in the core modules' docstrings work as shown."""

import doctest
import importlib

import pytest

MODULES = ["canvastools", "canvastools.errors", "canvastools.checks", "canvastools.yamlio",
           "canvastools.taxonomy", "canvastools.cases", "canvastools.canvas", "canvastools.texts",
           "canvastools.glossary", "canvastools.glossary_views", "canvastools.commands.glossary",
           "canvastools.ordering", "canvastools.htmlsafe", "canvastools.literal",
           "canvastools.records", "canvastools.item_stats"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0
