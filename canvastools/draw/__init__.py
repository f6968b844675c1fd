"""Draw Business Model Canvases with matplotlib (imported only when drawing is used).

>>> from canvastools.draw import draw_canvas, save_canvas
>>> from canvastools.canvas import load_canvas
>>> ax = draw_canvas(load_canvas("amazon"), lang="it", highlight="customer_relationships")
"""

from .block import draw_block
from .canvas import draw_canvas, plot_canvas, save_canvas
from .matrix import draw_relationship_matrix
from .spectrum import draw_relationship_spectrum

__all__ = ["draw_block", "draw_canvas", "draw_relationship_matrix", "draw_relationship_spectrum",
           "plot_canvas", "save_canvas"]
