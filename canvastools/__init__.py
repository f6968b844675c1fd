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
    "Canvas": "canvastools.model.canvas",
    "Note": "canvastools.model.canvas",
    "Segment": "canvastools.model.canvas",
    "gallery_names": "canvastools.model.canvas",
    "load_canvas": "canvastools.model.canvas",
    "Case": "canvastools.model.cases",
    "CaseBank": "canvastools.model.cases",
    "load_cases": "canvastools.model.cases",
    "CanvasToolsError": "canvastools.errors",
    "InputError": "canvastools.errors",
    "ValidationErrors": "canvastools.errors",
    "NotReadyToSubmit": "canvastools.errors",
    "Taxonomy": "canvastools.model.taxonomy",
    "load_domain": "canvastools.model.taxonomy",
    "load_taxonomy": "canvastools.model.taxonomy",
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
    "AnswerStore": "canvastools.answers.store",
    "Glossary": "canvastools.model.glossary",
    "load_glossary": "canvastools.model.glossary",
    "glossary_table": "canvastools.model.glossary_views",
    "glossary_sources": "canvastools.model.glossary_views",
}

__all__ = list(_LAZY)

if TYPE_CHECKING:  # what type checkers and IDEs see; at run time these load on first use
    from canvastools.answers.store import AnswerStore  # noqa: F401
    from canvastools.draw import (  # noqa: F401
        draw_block,
        draw_canvas,
        draw_relationship_spectrum,
        plot_canvas,
        save_canvas,
    )
    from canvastools.errors import (  # noqa: F401
        CanvasToolsError,
        InputError,
        NotReadyToSubmit,
        ValidationErrors,
    )
    from canvastools.model.canvas import Canvas, Note, Segment, gallery_names, load_canvas  # noqa: F401
    from canvastools.model.cases import Case, CaseBank, load_cases  # noqa: F401
    from canvastools.model.glossary import Glossary, load_glossary  # noqa: F401
    from canvastools.model.glossary_views import glossary_sources, glossary_table  # noqa: F401
    from canvastools.model.taxonomy import Taxonomy, load_domain, load_taxonomy  # noqa: F401
    from canvastools.widgets import (  # noqa: F401
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
