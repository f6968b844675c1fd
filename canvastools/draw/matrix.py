"""Two ranges at once: personal to automated (across) and transactional to long-term (up).

Strategyzer presents transactional to long-term as a range of its own, next to the book's
personal-to-automated one; together they make a 2x2 on which practices can be placed.

>>> ax = draw_relationship_matrix([("Private banker", 0.05, 0.95), ("Ticket kiosk", 0.9, 0.1)])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from matplotlib.axes import Axes

from canvastools._io.literal import LITERAL_RC
from canvastools._io.texts import pick_text
from canvastools.draw import palette
from canvastools.draw.alt import DescribedFigure
from canvastools.draw.fitting import FONT_FAMILY
from canvastools.draw.texts import drawing_text
from canvastools.errors import InputError
from canvastools.model.taxonomy import load_domain


def _placements(placements: Iterable[Any], lang: str) -> list[tuple[str, float, float]]:
    out = []
    for i, item in enumerate(placements, 1):
        if isinstance(item, Mapping):
            label, x, y = item.get("label"), item.get("automated"), item.get("long_term")
        else:
            try:
                label, x, y = item
            except (TypeError, ValueError):
                raise InputError("a placement is (label, automated, long_term) or a mapping "
                                 "with those keys", where=f"placement {i}") from None
        if isinstance(label, Mapping):
            label = pick_text(label, lang)
        for name, value in (("automated", x), ("long_term", y)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) \
                    or not 0 <= value <= 1:
                raise InputError(f"'{name}' is a number from 0 to 1, got {value!r}",
                                 where=f"placement {i} ({label})")
        if not isinstance(label, str) or not label.strip():
            raise InputError("the label is a non-empty text", where=f"placement {i}")
        out.append((label, float(x), float(y)))
    return out


def draw_relationship_matrix(placements: Iterable[Any], ax: Axes | None = None, *,
                             lang: str = "en", title: str | None = None,
                             font_size: float = 10.0) -> Axes:
    """Place practices on the 2x2 of personal-automated (x) by transactional-long-term (y).

    ``placements``: ``(label, automated, long_term)`` triples or mappings with those keys;
    both numbers run from 0 (personal / transactional) to 1 (automated / long-term); a label
    may be a mapping language -> text. Returns the Axes.
    """
    from matplotlib import rc_context

    lang = load_domain().check_language(lang)
    items = _placements(placements, lang)
    if ax is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(8, 7), FigureClass=DescribedFigure)  # with alt text
        ax = fig.add_axes((0.04, 0.04, 0.92, 0.86 if title else 0.92))
    with rc_context({"font.family": FONT_FAMILY, **LITERAL_RC}):
        ax.set_xlim(-0.05, 1.05)
        ax.set_ylim(-0.05, 1.05)
        ax.set_axis_off()
        for x0, y0, x1, y1 in ((0, 0.5, 1, 0.5), (0.5, 0, 0.5, 1)):
            ax.annotate("", (x1, y1), (x0, y0), arrowprops={
                "arrowstyle": "<|-|>", "color": palette.BLOCK_EDGE, "lw": 1.2})
        ends = (("end_personal", 0.0, 0.47, "left", "top"),
                ("end_automated", 1.0, 0.47, "right", "top"),
                ("end_transactional", 0.52, 0.0, "left", "bottom"),
                ("end_long_term", 0.52, 1.0, "left", "top"))
        end_texts = [ax.text(x, y, drawing_text(key, lang), ha=ha, va=va, fontsize=font_size,
                             fontweight="bold", color=palette.MUTED, gid=f"end:{key}")
                     for key, x, y, ha, va in ends]
        renderer = ax.figure.canvas.get_renderer()
        taken = [t.get_window_extent(renderer) for t in end_texts]  # labels drawn so far
        for i, (label, x, y) in enumerate(items):
            color = palette.OKABE_ITO[i % len(palette.OKABE_ITO)]
            ax.plot([x], [y], "o", color=color, markersize=9, markeredgecolor=palette.TEXT,
                    markeredgewidth=0.6)
            ha = "right" if x > 0.75 else "left" if x < 0.25 else "center"
            text = ax.text(x, y, label, ha=ha, fontsize=0.9 * font_size, color=palette.TEXT,
                           gid=f"placement:{i}", bbox={"boxstyle": "round,pad=0.2",
                                                       "fc": "white", "ec": "none",
                                                       "alpha": 0.85})
            # above the point, else below it, else further away: the first free place
            for dy, va in ((0.035, "bottom"), (-0.035, "top"), (0.1, "bottom"),
                           (-0.1, "top"), (0.165, "bottom"), (-0.165, "top")):
                text.set_y(y + dy)
                text.set_va(va)
                box = text.get_window_extent(renderer)
                if not any(box.overlaps(other) for other in taken):
                    break
            taken.append(text.get_window_extent(renderer))
        if title:
            ax.set_title(title, fontsize=1.2 * font_size, fontweight="bold", color=palette.TEXT)
    return ax
