"""Small icons drawn with matplotlib patches, one per block (no image files, no emoji fonts).

>>> import matplotlib.pyplot as plt
>>> fig, ax = plt.subplots()
>>> len(draw_glyph(ax, "customer_relationships", 0.5, 0.5, 0.2)) > 0
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.artist import Artist
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Ellipse, FancyBboxPatch, Polygon, Rectangle, Wedge

from canvastools.draw.layout import add_fixed

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def _heart(cx: float, cy: float, s: float) -> np.ndarray:
    t = np.linspace(0, 2 * np.pi, 60)
    x = 16 * np.sin(t) ** 3
    y = 13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t)
    return np.column_stack([cx + x / 34 * s, cy + (y + 2) / 34 * s])


def draw_glyph(ax: Axes, block_id: str, cx: float, cy: float, size: float,
               color: str = "#4D4D4D", lw: float = 1.2) -> list[Artist]:
    """Draw the icon of ``block_id`` centred at (cx, cy), ``size`` data units across."""
    arts = _glyph(block_id, cx, cy, size, color, lw)
    for art in arts:
        if isinstance(art, Line2D):
            ax.add_line(art)
        else:
            add_fixed(ax, art)
    return arts


def _glyph(block_id: str, cx: float, cy: float, s: float, color: str,
           lw: float) -> list[Artist]:
    """The artists of the icon of ``block_id`` (not yet added to an Axes)."""
    h = s / 2
    kw = {"fill": False, "edgecolor": color, "linewidth": lw}
    solid = {"facecolor": color, "edgecolor": color, "linewidth": lw}
    arts: list[Artist] = []
    if block_id == "key_partners":              # two linked rings
        arts += [Ellipse((cx - 0.17 * s, cy), 0.55 * s, 0.36 * s, angle=0, **kw),
                 Ellipse((cx + 0.17 * s, cy), 0.55 * s, 0.36 * s, angle=0, **kw)]
    elif block_id == "key_activities":          # a check mark in a box
        arts.append(Rectangle((cx - 0.4 * s, cy - 0.4 * s), 0.8 * s, 0.8 * s, **kw))
        arts.append(Line2D([cx - 0.25 * s, cx - 0.05 * s, cx + 0.3 * s],
                           [cy, cy - 0.22 * s, cy + 0.25 * s], color=color, lw=lw * 1.4))
    elif block_id == "key_resources":           # a factory
        pts = [(-0.45, -0.35), (-0.45, 0.1), (-0.15, -0.1), (-0.15, 0.1), (0.15, -0.1),
               (0.15, 0.45), (0.35, 0.45), (0.35, -0.1), (0.45, -0.1), (0.45, -0.35)]
        arts.append(Polygon([(cx + x * s, cy + y * s) for x, y in pts], closed=True, **kw))
    elif block_id == "value_propositions":      # a gift box
        arts.append(Rectangle((cx - 0.4 * s, cy - 0.4 * s), 0.8 * s, 0.6 * s, **kw))
        arts.append(Rectangle((cx - 0.45 * s, cy + 0.2 * s), 0.9 * s, 0.18 * s, **kw))
        arts.append(Line2D([cx, cx], [cy - 0.4 * s, cy + 0.38 * s], color=color, lw=lw))
        arts.append(Ellipse((cx - 0.12 * s, cy + 0.45 * s), 0.22 * s, 0.12 * s, **kw))
        arts.append(Ellipse((cx + 0.12 * s, cy + 0.45 * s), 0.22 * s, 0.12 * s, **kw))
    elif block_id == "customer_relationships":  # a heart
        arts.append(Polygon(_heart(cx, cy, s), closed=True, **solid))
    elif block_id == "channels":                # a delivery truck
        arts.append(Rectangle((cx - 0.45 * s, cy - 0.2 * s), 0.55 * s, 0.45 * s, **kw))
        arts.append(Polygon([(cx + 0.1 * s, cy - 0.2 * s), (cx + 0.1 * s, cy + 0.1 * s),
                             (cx + 0.32 * s, cy + 0.1 * s), (cx + 0.45 * s, cy - 0.05 * s),
                             (cx + 0.45 * s, cy - 0.2 * s)], closed=True, **kw))
        arts += [Circle((cx - 0.25 * s, cy - 0.27 * s), 0.09 * s, **solid),
                 Circle((cx + 0.27 * s, cy - 0.27 * s), 0.09 * s, **solid)]
    elif block_id == "customer_segments":       # a person
        arts.append(Circle((cx, cy + 0.22 * s), 0.15 * s, **solid))
        arts.append(Wedge((cx, cy - 0.42 * s), 0.38 * s, 0, 180, **solid))
    elif block_id == "cost_structure":          # a price tag
        pts = [(-0.45, 0.0), (-0.2, 0.3), (0.45, 0.3), (0.45, -0.3), (-0.2, -0.3)]
        arts.append(Polygon([(cx + x * s, cy + y * s) for x, y in pts], closed=True, **kw))
        arts.append(Circle((cx - 0.18 * s, cy), 0.06 * s, **solid))
    elif block_id == "revenue_streams":         # a stack of coins
        for i in range(3):
            arts.append(Ellipse((cx, cy - 0.25 * s + i * 0.22 * s), 0.8 * s, 0.28 * s,
                                facecolor="white", edgecolor=color, linewidth=lw))
    else:
        arts.append(FancyBboxPatch((cx - h / 2, cy - h / 2), h, h, boxstyle="round,pad=0",
                                   **kw))
    return arts
