"""Exercise widgets (ipywidgets 8) whose answers survive restarts and nbgrader runs.

Each widget saves its answer to ``canvastools_answers.json`` in the notebook's folder on every
change (see :mod:`canvastools.answers.store`) and shows it again when it is created again.
"""

from canvastools.widgets.base import MODES, Exercise, ui_strings, ui_text
from canvastools.widgets.classify import ClassifyCases, ClassifyItems
from canvastools.widgets.controls import ChoiceButtons
from canvastools.widgets.designer import RelationshipDesigner
from canvastools.widgets.motivation import MotivationMatrix
from canvastools.widgets.spectrum import SpectrumOrder

__all__ = [
    "MODES", "ChoiceButtons", "Exercise", "ui_strings", "ui_text",
    "ClassifyCases", "ClassifyItems", "SpectrumOrder", "MotivationMatrix",
    "RelationshipDesigner",
]
