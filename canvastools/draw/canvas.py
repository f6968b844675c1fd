"""The whole Business Model Canvas: nine blocks, title, segment legend and credit line.

>>> from canvastools.model.canvas import load_canvas
>>> ax = draw_canvas(load_canvas("amazon"), highlight="customer_relationships")
>>> fig = plot_canvas(load_canvas("youtube"), lang="it")
>>> save_canvas(load_canvas("ing-direct"), "ing.png")      # doctest: +SKIP
PosixPath('ing.png')
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from matplotlib.figure import Figure

from canvastools._io.literal import LITERAL_RC
from canvastools._io.messages import Msg
from canvastools.draw import palette
from canvastools.draw.alt import DescribedFigure
from canvastools.draw.axes import (
    BlockArtists,
    check_block,
    check_kwargs,
    draw_legend,
    drawn_blocks,
    keep_drawn_blocks,
    legend_entries,
    legend_width,
    prepare_axes,
)
from canvastools.draw.block import points_per_unit, render_block
from canvastools.draw.fitting import FONT_FAMILY, fit_title, metrics
from canvastools.draw.layout import (
    FOOT_H,
    MARGIN,
    SHEET_H,
    SHEET_W,
    TITLE_H,
    canvas_rects,
)
from canvastools.draw.texts import drawing_text
from canvastools.errors import InputError, ValidationErrors
from canvastools.model.taxonomy import load_domain

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from canvastools.model.canvas import Canvas

SAVE_SUFFIXES = (".png", ".svg", ".pdf")
DEFAULT_FIGSIZE = (16.0, 10.0)
# Saving without hinting keeps rendered text widths proportional to the font size at any
# dpi, so the fitted notes never overflow (hinting alone varies widths by up to 30 %).
RC = {"font.family": FONT_FAMILY, "pdf.fonttype": 42, "svg.fonttype": "path",
      "svg.hashsalt": "canvastools", "text.hinting": "no_hinting",
      **LITERAL_RC}  # a note's "$...$" is drawn as written, never as mathtext


def _check_canvas(canvas: object) -> None:
    from canvastools.model.canvas import Canvas

    if not isinstance(canvas, Canvas):
        raise InputError(f"expected a Canvas (from load_canvas), got {type(canvas).__name__}")


def draw_canvas(canvas: Canvas, ax: Axes | None = None, *, lang: str | None = None,
                highlight: str | None = None, **kwargs: Any) -> Axes:
    """Draw ``canvas`` on ``ax`` (or on a new figure) and return the Axes.

    ``lang``: language of the block titles and type tags (default: the canvas's).
    ``highlight``: a block id to emphasise, the others faded. Options: ``figsize`` (new
    figure only), ``max_font_size`` (10), ``min_font_size`` (6), ``legend`` (True).

    >>> from canvastools.model.canvas import load_canvas
    >>> ax = draw_canvas(load_canvas("private-bank"), highlight="customer_relationships")
    """
    from matplotlib import rc_context

    _check_canvas(canvas)
    check_kwargs(kwargs, ("figsize", "max_font_size", "min_font_size", "legend"),
                 "draw_canvas")
    domain = load_domain()
    lang = domain.check_language(lang or canvas.language)
    check_block(highlight, "highlight")
    ax = prepare_axes(ax, SHEET_W, SHEET_H, kwargs.get("figsize") or DEFAULT_FIGSIZE)
    with rc_context(RC):
        ppu = points_per_unit(ax)
        scale = ppu / 72.0
        colors = palette.segment_colors(canvas)
        drawn: dict[str, BlockArtists] = {}
        for block_id, rect in canvas_rects().items():
            drawn[block_id] = render_block(
                ax, canvas, block_id, rect, ppu, lang=lang, colors=colors,
                note_max=kwargs.get("max_font_size", 10.0) * scale,
                note_min=max(4.0, kwargs.get("min_font_size", 6.0) * min(1.0, scale)),
                title_max=11.0 * scale, title_min=max(4.5, 7.0 * scale),
                emphasis=block_id == highlight)
        if highlight is not None:
            for block_id, arts in drawn.items():
                if block_id != highlight:
                    arts.fade()
        _draw_header_footer(ax, canvas, ppu, lang, colors, kwargs.get("legend", True))
    keep_drawn_blocks(ax, drawn)
    return ax


def _draw_header_footer(ax: Axes, canvas: Canvas, ppu: float, lang: str,
                        colors: dict[str, str], legend: bool) -> None:
    scale = ppu / 72.0
    size, lines = fit_title(canvas.title_in(lang), (SHEET_W - 2 * MARGIN) * ppu * 0.7,
                            max_size=18 * scale, min_size=8 * scale, max_lines=1)
    ax.text(MARGIN, SHEET_H - MARGIN - TITLE_H / 2 + 0.05, lines[0], ha="left", va="center",
            fontsize=size, fontweight="bold", family=FONT_FAMILY, color=palette.TEXT,
            gid="canvas-title")
    credit_size = 8.0 * scale
    credit = load_domain().credit
    m = metrics()
    ax.text(SHEET_W - MARGIN, MARGIN + FOOT_H / 2 - 0.04, credit, ha="right", va="center",
            fontsize=credit_size, family=FONT_FAMILY, color=palette.MUTED, gid="credit")
    if not legend or not canvas.segments:
        return
    notes = [n for notes in canvas.blocks.values() for n in notes]
    entries = legend_entries(canvas, notes, colors, lang, every_segment=True)
    room = (SHEET_W - 3 * MARGIN) * ppu - m.width(credit, credit_size) - 20 * scale
    size = 9.0 * scale
    while size > 5.0 * scale and legend_width(entries, size) > room:
        size -= 0.5 * scale
    draw_legend(ax, entries, MARGIN, MARGIN + FOOT_H / 2 - 0.04, size, ppu)


class CanvasFigure(DescribedFigure):
    """A Figure that shows itself as a PNG when it is the last value of a notebook cell,
    with or without ``%matplotlib inline`` (it is not registered with pyplot, so it is shown
    once: by the inline backend's Figure formatter when that is active, else by
    ``_repr_png_``).

    >>> from canvastools.model.canvas import load_canvas
    >>> plot_canvas(load_canvas("amazon"))._repr_png_()[:4]
    b'\x89PNG'
    """

    repr_dpi = 100

    def _repr_png_(self) -> bytes:
        import io

        from matplotlib import rc_context

        buf = io.BytesIO()
        with rc_context(RC):
            self.savefig(buf, format="png", dpi=self.repr_dpi, metadata={"Software": None})
        return buf.getvalue()


def plot_canvas(canvas: Canvas, *, lang: str | None = None, highlight: str | None = None,
                figsize: tuple[float, float] | None = None) -> CanvasFigure:
    """Figure-level: a new Figure (not registered with pyplot) holding the drawn canvas; as
    the last line of a notebook cell it is shown, with or without ``%matplotlib inline``.

    >>> from canvastools.model.canvas import load_canvas
    >>> fig = plot_canvas(load_canvas("amazon"))
    >>> fig.savefig("amazon.png")                # doctest: +SKIP
    """
    fig = CanvasFigure(figsize=figsize or DEFAULT_FIGSIZE)
    ax = fig.add_axes((0, 0, 1, 1))
    draw_canvas(canvas, ax, lang=lang, highlight=highlight)
    return fig


@dataclass(frozen=True)
class HiddenNotes:
    """The notes of one block that did not fit in a drawing ("+N more notes" shows instead).

    ``notes`` are their positions in the block, 1-based as in error messages (``note 11``).
    """

    block: str
    notes: tuple[int, ...]
    total: int


def hidden_notes(drawing: Axes | Figure) -> list[HiddenNotes]:
    """The notes a drawn canvas (or block) could not show, block by block, in canvas order.

    >>> from canvastools.model.canvas import Canvas
    >>> crowded = Canvas.from_dict({"title": "Crowded", "blocks": {
    ...     "channels": [f"Channel number {i}" for i in range(1, 61)]}})
    >>> [(h.block, h.notes[0], len(h.notes)) for h in hidden_notes(plot_canvas(crowded))]
    [('channels', 29, 32)]
    """
    axes = drawing.axes if isinstance(drawing, Figure) else [drawing]
    found = []
    for ax in axes:
        for block_id, drawn in drawn_blocks(ax).items():
            if drawn.hidden_indices:
                found.append(HiddenNotes(block_id, tuple(i + 1 for i in drawn.hidden_indices),
                                         len(drawn.hidden_indices) + len(drawn.notes)))
    return found


def check_target(path: str | Path, dpi: int = 150) -> Path:
    """Raise InputError unless a canvas can be saved to ``path`` at ``dpi`` (suffix .png, .svg
    or .pdf, an existing folder, a dpi from 10 to 1200); return the path."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SAVE_SUFFIXES:
        raise InputError(Msg("cannot_save_as", name=path.name, suffix=path.suffix or "(none)"),
                         choices=list(SAVE_SUFFIXES),
                         got=suffix)
    if not path.parent.is_dir():
        raise InputError(Msg("no_folder", folder=str(path.parent)), file=str(path))
    if not isinstance(dpi, int) or isinstance(dpi, bool) or not 10 <= dpi <= 1200:
        raise InputError(f"dpi must be a whole number from 10 to 1200, got {dpi!r}")
    return path


def save_figure(fig: Figure, path: str | Path, dpi: int = 150) -> Path:
    """Save a drawn canvas figure as PNG, SVG or PDF (by the suffix), with the canvas's fonts."""
    from matplotlib import rc_context

    path = check_target(path, dpi)
    suffix = path.suffix.lower()
    with rc_context(RC):
        fig.savefig(path, dpi=dpi, format=suffix[1:],
                    metadata={"Software": None} if suffix == ".png" else None)
    return path


def hidden_message(hidden: HiddenNotes, lang: str = "en") -> str:
    """``blocks, channels: 50 of 60 notes did not fit and are not drawn (notes 11-60) ...``."""
    first, last = hidden.notes[0], hidden.notes[-1]
    which = (f"note {first}" if len(hidden.notes) == 1 else
             f"notes {first}-{last}" if last - first + 1 == len(hidden.notes) else
             "notes " + ", ".join(map(str, hidden.notes)))
    marker = drawing_text("more_notes", lang, n=len(hidden.notes))
    return (f"{len(hidden.notes)} of {hidden.total} notes did not fit and are not drawn "
            f"({which}; the drawing shows \"{marker}\"): shorten the notes or keep fewer "
            "in this block")


def save_canvas(canvas: Canvas, path: str | Path, *, lang: str | None = None,
                highlight: str | None = None, dpi: int = 150, strict: bool = False) -> Path:
    """Draw ``canvas`` and save it as PNG, SVG or PDF (chosen by the suffix of ``path``).

    A block with more notes than fit shows the first ones and a "+N more notes" marker
    (:func:`hidden_notes` tells which); with ``strict=True`` that is an InputError instead,
    and nothing is written.

    >>> from canvastools.model.canvas import load_canvas
    >>> save_canvas(load_canvas("amazon"), "amazon.svg", highlight="customer_relationships")
    PosixPath('amazon.svg')
    """
    path = check_target(path, dpi)
    fig = plot_canvas(canvas, lang=lang, highlight=highlight)
    hidden = hidden_notes(fig)
    if strict and hidden:
        raise ValidationErrors([InputError(hidden_message(h, lang or canvas.language),
                                           where=f"blocks, {h.block}") for h in hidden])
    return save_figure(fig, path, dpi)
