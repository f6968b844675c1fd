"""What a drawing function does to its Axes: set it up for a sheet, check its options, draw a
legend of segment colours, and remember what each block shows (the one place that keeps our
own attribute on a matplotlib Axes).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from matplotlib.artist import Artist
from matplotlib.patches import FancyBboxPatch, Rectangle

from canvastools.draw import palette
from canvastools.draw.alt import DescribedFigure
from canvastools.draw.fitting import FONT_FAMILY, metrics
from canvastools.draw.layout import add_fixed
from canvastools.draw.texts import drawing_text
from canvastools.errors import InputError
from canvastools.model.taxonomy import load_domain

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from canvastools.model.canvas import Canvas

@dataclass
class BlockArtists:
    """What was drawn for one block (tests and the widget look at these)."""

    block_id: str
    frame: Rectangle
    notes: list[tuple[FancyBboxPatch, Any]] = field(default_factory=list)
    marker: Any = None
    hidden: int = 0
    #: positions (0-based) in the block of the notes that did not fit and are not drawn
    hidden_indices: tuple[int, ...] = ()
    artists: list[Artist] = field(default_factory=list)

    def fade(self, alpha: float = palette.FADED_ALPHA) -> None:
        for art in self.artists:
            art.set_alpha(alpha)


#: the attribute of an Axes that holds {block id: BlockArtists} (tests read it too)
DRAWN_BLOCKS = "_canvastools_blocks"


def keep_drawn_blocks(ax: Axes, drawn: dict[str, BlockArtists]) -> None:
    """Remember on ``ax`` what each block drawn on it shows (for :func:`drawn_blocks`)."""
    setattr(ax, DRAWN_BLOCKS, drawn)


def drawn_blocks(ax: Axes) -> dict[str, BlockArtists]:
    """{block id: BlockArtists} of the blocks drawn on ``ax``; {} when none."""
    return getattr(ax, DRAWN_BLOCKS, {})


def prepare_axes(ax: Axes | None, width: float, height: float,
                 figsize: tuple[float, float]) -> Axes:
    """A new pyplot figure's Axes (or ``ax``) set up for a ``width`` x ``height`` sheet.

    Call it outside ``rc_context``: the first pyplot figure of a Jupyter kernel loads the
    inline backend, which turns on interactive mode in rcParams; an enclosing rc_context would
    turn it off again on exit and no later figure would be shown."""
    if ax is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=figsize, FigureClass=DescribedFigure)  # with alt text
        ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_aspect("equal", adjustable="box")
    ax.set_axis_off()
    return ax


def check_block(block: str | None, where: str) -> None:
    """Raise InputError (with a did-you-mean) unless ``block`` is one of the nine block ids."""
    ids = load_domain().block_ids
    if block is not None and block not in ids:
        raise InputError(f"unknown block {block!r}", where=where, choices=ids, got=str(block))


def check_kwargs(kwargs: dict[str, Any], allowed: Iterable[str], func: str) -> None:
    allowed = list(allowed)
    for key in kwargs:
        if key not in allowed:
            raise InputError(f"{func}() got an unknown option {key!r}", choices=allowed,
                             got=key)


def legend_entries(canvas: Canvas, notes: Iterable[Any], colors: dict[str, str], lang: str,
                   every_segment: bool = False) -> list[tuple[str, str]]:
    """(name, colour) of the segments of ``notes`` (of all segments when ``every_segment``),
    in the canvas's order, plus "no segment" when one of the notes has none; [] when no note
    has a segment and ``every_segment`` is false."""
    notes = list(notes)
    used = {s for n in notes for s in n.segments}
    entries = [(s.name_in(lang), colors[s.id]) for s in canvas.segments
               if every_segment or s.id in used]
    if entries and any(not n.segments for n in notes):
        entries.append((drawing_text("no_segment", lang), palette.NEUTRAL_NOTE))
    return entries


def legend_width(entries: list[tuple[str, str]], size: float) -> float:
    """Width in points of a one-row legend at font ``size`` (the last entry's gap included)."""
    return sum(metrics().width(name, size) + 2.4 * size for name, _ in entries)


def draw_legend(ax: Axes, entries: list[tuple[str, str]], x: float, y: float, size: float,
                ppu: float) -> None:
    """One row of colour swatches and names from (x, y) (data units, y the row's middle)."""
    u = 1.0 / ppu
    m = metrics()
    sw = 0.9 * size * u
    for name, col in entries:
        add_fixed(ax, Rectangle((x, y - sw / 2), sw, sw, facecolor=col, edgecolor="#8C8C8C",
                               linewidth=0.5, gid="legend-swatch"))
        ax.text(x + sw + 0.4 * size * u, y, name, ha="left", va="center", fontsize=size,
                family=FONT_FAMILY, color=palette.TEXT, gid="legend-text")
        x += (m.width(name, size) + 2.4 * size) * u
