"""Drawings with a text alternative, for students who use a screen reader (WCAG 2.1, 1.1.1).

JupyterLab shows a figure's PNG as an image with no ``alt``. A :class:`DescribedFigure`
(every figure canvastools draws: ``plot_canvas`` and the ``draw_*`` functions when they make
their own figure) shows itself in a notebook as an HTML ``<img>`` whose ``alt`` holds the
drawing's words in the order they were drawn: the block titles and notes of a canvas, the
ends, types and cases of a spectrum. They are already in the drawing's language.

>>> from canvastools.model.canvas import load_canvas
>>> from canvastools.draw.canvas import plot_canvas
>>> figure_alt(plot_canvas(load_canvas("amazon")))[:40]
'Key Partners; Publishers and brands; Del'
"""

from __future__ import annotations

import base64
import io
from typing import Any

from matplotlib.figure import Figure
from matplotlib.text import Text

from canvastools._io.htmlsafe import escape

ALT_LIMIT = 1500  # characters: a screen reader reads it out whole


def figure_alt(fig: Figure, limit: int = ALT_LIMIT) -> str:
    """The words drawn in ``fig``, in drawing order, joined with "; " (repeats dropped),
    cut at ``limit`` characters with "…"."""
    words: list[str] = []
    for artist in fig.findobj(Text):
        text = " ".join(artist.get_text().split())
        if text and artist.get_visible() and text not in words:
            words.append(text)
    alt = "; ".join(words)
    return alt if len(alt) <= limit else alt[:limit - 1].rstrip() + "…"


class DescribedFigure(Figure):
    """A Figure shown in a notebook as ``<img alt="...">`` (:func:`figure_alt`), with its PNG
    for frontends that show no HTML: ``plt.figure(FigureClass=DescribedFigure)``."""

    repr_dpi = 100

    def _repr_png_(self) -> bytes:
        buf = io.BytesIO()
        self.savefig(buf, format="png", dpi=self.repr_dpi, metadata={"Software": None})
        return buf.getvalue()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        png = base64.b64encode(self._repr_png_()).decode("ascii")
        width = round(self.get_figwidth() * self.repr_dpi)
        return {"text/html": f'<img src="data:image/png;base64,{png}" '
                             f'alt="{escape(figure_alt(self))}" width="{width}" '
                             'style="max-width:100%;height:auto">',
                "image/png": png}
