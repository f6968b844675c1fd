"""Exercise widgets (ipywidgets 8) whose answers survive restarts and nbgrader runs.

Each widget saves its answer to ``canvastools_answers.json`` in the notebook's folder on every
change (see :mod:`canvastools.answers`) and shows it again when it is created again.
"""

from .base import MODES, ChoiceButtons, Exercise, ui_strings, ui_text
from .classify import ClassifyCases, ClassifyItems
from .designer import RelationshipDesigner
from .motivation import MotivationMatrix
from .spectrum import SpectrumOrder

__all__ = [
    "MODES", "ChoiceButtons", "Exercise", "ui_strings", "ui_text",
    "ClassifyCases", "ClassifyItems", "SpectrumOrder", "MotivationMatrix",
    "RelationshipDesigner",
]
