"""Geometry of the canvas: where the nine blocks go, in data units of a 16 x 10 sheet.

>>> rects = canvas_rects()
>>> rects["customer_relationships"].y > rects["channels"].y
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SHEET_W, SHEET_H = 16.0, 10.0          # landscape 1.6 : 1
MARGIN = 0.18
TITLE_H = 0.62                         # band for the canvas title
FOOT_H = 0.5                           # band for the legend and the credit line
BOTTOM_SHARE = 0.25                    # cost / revenue row: about a quarter of the height


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def x1(self) -> float:
        return self.x + self.w

    @property
    def y1(self) -> float:
        return self.y + self.h

    def inset(self, dx: float, dy: float | None = None) -> Rect:
        dy = dx if dy is None else dy
        return Rect(self.x + dx, self.y + dy, max(self.w - 2 * dx, 0.0), max(self.h - 2 * dy, 0.0))

    def contains(self, other: Rect, tol: float = 1e-9) -> bool:
        return (other.x >= self.x - tol and other.y >= self.y - tol
                and other.x1 <= self.x1 + tol and other.y1 <= self.y1 + tol)


def canvas_area() -> Rect:
    """The rectangle holding the nine blocks (below the title, above the footer)."""
    y0 = MARGIN + FOOT_H
    return Rect(MARGIN, y0, SHEET_W - 2 * MARGIN, SHEET_H - MARGIN - TITLE_H - y0)


def canvas_rects(area: Rect | None = None) -> dict[str, Rect]:
    """The nine blocks in the standard layout: five equal columns over two bottom blocks."""
    a = area or canvas_area()
    bottom_h = a.h * BOTTOM_SHARE
    top_y, top_h = a.y + bottom_h, a.h - bottom_h
    col = a.w / 5
    half = top_h / 2

    def column(i: int, y: float = top_y, h: float = top_h) -> Rect:
        return Rect(a.x + i * col, y, col, h)

    return {
        "key_partners": column(0),
        "key_activities": column(1, top_y + half, half),
        "key_resources": column(1, top_y, half),
        "value_propositions": column(2),
        "customer_relationships": column(3, top_y + half, half),
        "channels": column(3, top_y, half),
        "customer_segments": column(4),
        "cost_structure": Rect(a.x, a.y, a.w / 2, bottom_h),
        "revenue_streams": Rect(a.x + a.w / 2, a.y, a.w / 2, bottom_h),
    }


def add_fixed(ax: Any, artist: Any) -> Any:
    """``ax.add_patch(artist)`` without updating the data limits, and return the artist.

    The canvas axes have fixed limits (set before anything is drawn), so the limits are never
    used; computing them costs about half a millisecond per rounded box, a third of the time
    of drawing a canvas. Clipping and draw order are those of ``add_patch``.
    """
    return ax.add_artist(artist)
