"""Draw Business Model Canvases with matplotlib (imported only when drawing is used).

>>> from canvastools.draw import draw_canvas, save_canvas
>>> from canvastools.model.canvas import load_canvas
>>> ax = draw_canvas(load_canvas("amazon"), lang="it", highlight="customer_relationships")

Each helper's module is imported on first use: drawing a canvas does not load the spectrum.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_LAZY = {
    "draw_block": "canvastools.draw.block",
    "draw_canvas": "canvastools.draw.canvas",
    "hidden_notes": "canvastools.draw.canvas",
    "plot_canvas": "canvastools.draw.canvas",
    "save_canvas": "canvastools.draw.canvas",
    "draw_relationship_spectrum": "canvastools.draw.spectrum",
    "draw_relationship_matrix": "canvastools.draw.matrix",
}

__all__ = sorted(_LAZY)

if TYPE_CHECKING:
    from canvastools.draw.block import draw_block  # noqa: F401
    from canvastools.draw.canvas import draw_canvas, hidden_notes, plot_canvas, save_canvas  # noqa: F401
    from canvastools.draw.matrix import draw_relationship_matrix  # noqa: F401
    from canvastools.draw.spectrum import draw_relationship_spectrum  # noqa: F401


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'canvastools.draw' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
