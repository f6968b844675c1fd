"""The relationship types on an axis from personal to automated, with cases or canvas notes.

>>> ax = draw_relationship_spectrum(lang="ru")
>>> from canvastools.cases import load_cases
>>> ax = draw_relationship_spectrum(cases=load_cases().select(["ing-direct", "youtube"]))
... # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..taxonomy import Taxonomy, load_domain, load_taxonomy
from . import palette
from .fitting import FONT_FAMILY, metrics

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..canvas import Canvas
    from ..cases import Case

ENDS = {"en": ("personal", "automated"), "it": ("personale", "automatizzato"),
        "fr": ("personnel", "automatisé"), "ru": ("личное", "автоматизированное"),
        "de": ("persönlich", "automatisiert"), "es": ("personal", "automatizado")}
WIDTH, HEIGHT = 12.0, 6.0
X0, X1 = 1.0, 11.0              # where spectrum 0 and 1 are drawn
AXIS_Y = 1.7                    # with cases above it; centred when there are none


@dataclass(frozen=True)
class _Item:
    label: str
    xs: tuple[float, ...]
    color: str


def _x(value: float) -> float:
    return X0 + (X1 - X0) * value


def _rows(items: list[tuple[float, float]], lo: float, hi: float,
          gap: float) -> tuple[list[int], list[float]]:
    """Greedy interval packing: a row for each (centre, width) so that no two overlap."""
    order = sorted(range(len(items)), key=lambda i: items[i][0])
    ends: list[float] = []          # right end of the last interval in each row
    rows = [0] * len(items)
    centres = [0.0] * len(items)
    for i in order:
        c, w = items[i]
        c = min(max(c, lo + w / 2), hi - w / 2)
        for r, end in enumerate(ends):
            if c - w / 2 >= end + gap:
                ends[r] = c + w / 2
                break
        else:
            r = len(ends)
            ends.append(c + w / 2)
        rows[i], centres[i] = r, c
    return rows, centres


def _shorten(text: str, n: int = 34) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def draw_relationship_spectrum(ax: Axes | None = None, *, taxonomy: str | Taxonomy = "bmg2010",
                               lang: str = "en", cases: Iterable[Case] | None = None,
                               canvas: Canvas | None = None, **kwargs: Any) -> Axes:
    """Draw the types of ``taxonomy`` from most personal to most automated.

    ``cases``: Case objects, each marked at its type(s) and labelled with its company.
    ``canvas``: its Customer Relationships notes with a type are placed on the axis.
    Options: ``figsize`` (new figure only, default (12, 6)), ``font_size`` (10).

    >>> ax = draw_relationship_spectrum(taxonomy="strategyzer", lang="it")
    """
    from matplotlib import rc_context
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch

    from .block import _prepare_axes, points_per_unit
    from .canvas import check_kwargs

    check_kwargs(kwargs, ("figsize", "font_size"), "draw_relationship_spectrum")
    lang = load_domain().check_language(lang)
    tax = taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)
    pos = {t.id: (t.spectrum if t.spectrum is not None else 0.5) for t in tax.types}
    items: list[_Item] = []
    for case in cases or ():
        bad = [t for t in case.types if t not in pos]
        if bad:
            raise InputError(f"case {case.id!r} has type {bad[0]!r}, not in taxonomy "
                             f"{tax.id!r}", choices=tax.type_ids, got=bad[0])
        items.append(_Item(case.company, tuple(_x(pos[t]) for t in case.types),
                           palette.OKABE_ITO[4]))
    if canvas is not None:
        colors = palette.segment_colors(canvas)
        for note in canvas.notes("customer_relationships"):
            if note.relationship in pos:
                col = colors.get(note.segments[0], palette.NEUTRAL_BAND) if note.segments \
                    else palette.NEUTRAL_BAND
                items.append(_Item(_shorten(note.text), (_x(pos[note.relationship]),), col))
    with rc_context({"font.family": FONT_FAMILY}):
        ax = _prepare_axes(ax, WIDTH, HEIGHT, kwargs.get("figsize") or (WIDTH, HEIGHT))
        ppu = points_per_unit(ax)
        axis_y = AXIS_Y if items else HEIGHT * 0.55
        scale = ppu / 72.0
        size = kwargs.get("font_size", 10.0) * scale
        m = metrics()
        u = 1.0 / ppu
        ax.add_patch(FancyArrowPatch((X0 - 0.4, axis_y), (X1 + 0.4, axis_y),
                                     arrowstyle="<|-|>", mutation_scale=14 * scale,
                                     color=palette.BLOCK_EDGE, lw=1.5 * scale, gid="axis"))
        left, right = ENDS.get(lang, ENDS["en"])
        ax.text(X0 - 0.4, axis_y + 0.18, left, ha="left", va="bottom", fontsize=size,
                fontweight="bold", color=palette.MUTED, gid="end-personal")
        ax.text(X1 + 0.4, axis_y + 0.18, right, ha="right", va="bottom", fontsize=size,
                fontweight="bold", color=palette.MUTED, gid="end-automated")
        block_label = load_domain().block("customer_relationships").label_in(lang)
        ax.text(0.2, HEIGHT - 0.25, f"{block_label} — {tax.name}", ha="left", va="top",
                fontsize=1.3 * size,
                fontweight="bold", color=palette.TEXT, gid="spectrum-title")
        # Type labels under the axis, in rows so that close types do not collide.
        terms = tax.by_spectrum()
        labels = [t.label_in(lang) for t in terms]
        widths = [m.width(lab, size) * u + 0.1 for lab in labels]
        rows, centres = _rows([(_x(pos[t.id]), w) for t, w in zip(terms, widths, strict=True)],
                              0.05, WIDTH - 0.05, 0.15)
        line_h = m.height(1, size) * u * 1.25
        for term, label, r, c in zip(terms, labels, rows, centres, strict=True):
            x = _x(pos[term.id])
            y = axis_y - 0.3 - r * line_h
            ax.add_line(Line2D([x, x], [axis_y, axis_y - 0.18], color=palette.BLOCK_EDGE,
                               lw=1.2 * scale))
            if r:
                ax.add_line(Line2D([x, c], [axis_y - 0.18, y + 0.02], color="#B0B0B0",
                                   lw=0.6 * scale))
            ax.plot([x], [axis_y], "o", color=palette.BLOCK_EDGE, ms=5 * scale)
            ax.text(c, y, label, ha="center", va="top", fontsize=size, color=palette.TEXT,
                    gid=f"type:{term.id}")
        _draw_items(ax, items, size, u, m, axis_y)
    return ax


def _draw_items(ax: Axes, items: list[_Item], size: float, u: float, m, axis_y: float) -> None:
    """Case or note labels above the axis: packed in rows, shrunk until the rows fit."""
    if not items:
        return
    base = axis_y + 0.75
    top = HEIGHT - 0.8
    while True:
        line_h = m.height(1, size) * u * 1.5
        widths = [m.width(it.label, size) * u + 0.12 for it in items]
        centres_in = [sum(it.xs) / len(it.xs) for it in items]
        rows, centres = _rows(list(zip(centres_in, widths, strict=True)), 0.05, WIDTH - 0.05, 0.12)
        if base + max(rows) * line_h + line_h <= top or size <= 5.0:
            break
        size -= 0.5
    for it, r, c in zip(items, rows, centres, strict=True):
        y = base + r * line_h
        for x in it.xs:
            ax.plot([x, c], [axis_y + 0.08, y - 0.06], color=it.color, lw=0.8, alpha=0.7)
            ax.plot([x], [axis_y], "D", color=it.color, ms=6, zorder=5)
        ax.text(c, y, it.label, ha="center", va="bottom", fontsize=size, color=palette.TEXT,
                bbox={"boxstyle": "round,pad=0.25", "facecolor": palette.tint(it.color, 0.75),
                      "edgecolor": it.color, "linewidth": 0.8},
                gid="spectrum-item", zorder=6)
