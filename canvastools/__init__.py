"""canvastools: teach the Customer Relationships block of the Business Model Canvas.

>>> import canvastools as ct
>>> ct.load_taxonomy().label("co_creation", "it")
'Co-creazione'

Importing canvastools is light: drawing (matplotlib), widgets (ipywidgets) and grading
(nbgrader) load only when first used, e.g. ``ct.draw_canvas`` or ``ct.ClassifyCases``.
"""

from __future__ import annotations

import importlib
from typing import Any

from .canvas import Canvas, Note, Segment, gallery_names, load_canvas
from .cases import Case, CaseBank, load_cases
from .errors import CanvasToolsError, InputError, ValidationErrors
from .taxonomy import Taxonomy, load_domain, load_taxonomy

__version__ = "0.1.0"

# name -> module that defines it, imported on first use (keeps `import canvastools` light)
_LAZY = {
    "draw_canvas": "canvastools.draw",
    "plot_canvas": "canvastools.draw",
    "save_canvas": "canvastools.draw",
    "draw_block": "canvastools.draw",
    "draw_relationship_spectrum": "canvastools.draw",
    "draw_relationship_matrix": "canvastools.draw",
    "ClassifyCases": "canvastools.widgets",
    "ClassifyItems": "canvastools.widgets",
    "SpectrumOrder": "canvastools.widgets",
    "MotivationMatrix": "canvastools.widgets",
    "RelationshipDesigner": "canvastools.widgets",
    "AnswerStore": "canvastools.answers",
}

__all__ = [
    "Canvas", "Note", "Segment", "gallery_names", "load_canvas",
    "Case", "CaseBank", "load_cases",
    "CanvasToolsError", "InputError", "ValidationErrors",
    "Taxonomy", "load_domain", "load_taxonomy",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'canvastools' has no attribute {name!r}")
