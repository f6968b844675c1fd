"""canvastools: teach the Customer Relationships block of the Business Model Canvas.

>>> import canvastools as ct
>>> ct.load_taxonomy().label("co_creation", "it")
'Co-creazione'

Importing canvastools is light: every public name is imported on first use (the data
loaders and the YAML parser too), so ``import canvastools`` costs a few milliseconds, and
drawing (matplotlib), widgets (ipywidgets) and grading (nbgrader) load only when first used,
e.g. ``ct.draw_canvas`` or ``ct.ClassifyCases``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# name -> module that defines it, imported on first use (keeps `import canvastools` light)
_LAZY = {
    "Canvas": "canvastools.canvas",
    "Note": "canvastools.canvas",
    "Segment": "canvastools.canvas",
    "gallery_names": "canvastools.canvas",
    "load_canvas": "canvastools.canvas",
    "Case": "canvastools.cases",
    "CaseBank": "canvastools.cases",
    "load_cases": "canvastools.cases",
    "CanvasToolsError": "canvastools.errors",
    "InputError": "canvastools.errors",
    "ValidationErrors": "canvastools.errors",
    "Taxonomy": "canvastools.taxonomy",
    "load_domain": "canvastools.taxonomy",
    "load_taxonomy": "canvastools.taxonomy",
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
    "Glossary": "canvastools.glossary",
    "load_glossary": "canvastools.glossary",
    "glossary_table": "canvastools.glossary_views",
    "glossary_sources": "canvastools.glossary_views",
}

__all__ = list(_LAZY)

if TYPE_CHECKING:  # what type checkers and IDEs see; at run time these load on first use
    from .answers import AnswerStore  # noqa: F401
    from .canvas import Canvas, Note, Segment, gallery_names, load_canvas  # noqa: F401
    from .cases import Case, CaseBank, load_cases  # noqa: F401
    from .draw import draw_block, draw_canvas, draw_relationship_spectrum, plot_canvas, save_canvas  # noqa: F401
    from .errors import CanvasToolsError, InputError, ValidationErrors  # noqa: F401
    from .glossary import Glossary, load_glossary  # noqa: F401
    from .glossary_views import glossary_sources, glossary_table  # noqa: F401
    from .taxonomy import Taxonomy, load_domain, load_taxonomy  # noqa: F401
    from .widgets import (  # noqa: F401
        ClassifyCases,
        ClassifyItems,
        MotivationMatrix,
        RelationshipDesigner,
        SpectrumOrder,
    )


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value          # the next look-up is an ordinary attribute
        return value
    raise AttributeError(f"module 'canvastools' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
