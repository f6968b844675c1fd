"""One block of the canvas: frame, title with glyph, fitted sticky notes, "+N more" marker.

>>> from canvastools.model.canvas import load_canvas
>>> ax = draw_block(load_canvas("ing-direct"), "customer_relationships")
>>> ax.get_title() == ""           # the block title is drawn inside the frame
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from matplotlib.artist import Artist
from matplotlib.patches import FancyBboxPatch, Rectangle

from canvastools._io.literal import LITERAL_RC
from canvastools.draw import palette
from canvastools.draw.alt import DescribedFigure
from canvastools.draw.fitting import (
    FONT_FAMILY,
    MARKER_SCALE,
    TAG_GAP,
    NoteSpec,
    fit_title,
    lines_width,
    metrics,
    plan_notes,
)
from canvastools.draw.glyphs import draw_glyph
from canvastools.draw.layout import Rect, add_fixed
from canvastools.draw.texts import drawing_text
from canvastools.model.taxonomy import load_domain, load_taxonomy

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


def points_per_unit(ax: Axes) -> float:
    """Points per data unit along x (the canvas axes use an equal aspect)."""
    ax.apply_aspect()
    (x0, _), (x1, _) = ax.transData.transform([(0.0, 0.0), (1.0, 0.0)])
    return abs(x1 - x0) * 72.0 / ax.get_figure(root=True).dpi


def render_block(ax: Axes, canvas: Canvas, block_id: str, rect: Rect, ppu: float, *,
                 lang: str, colors: dict[str, str], note_max: float, note_min: float,
                 title_max: float, title_min: float, emphasis: bool = False,
                 placeholder: bool = False) -> BlockArtists:
    """Draw block ``block_id`` of ``canvas`` into ``rect`` (data units) and return its artists."""
    domain = load_domain()
    taxonomy = load_taxonomy(canvas.taxonomy)
    u = 1.0 / ppu                                   # data units per point
    frame = Rectangle((rect.x, rect.y), rect.w, rect.h, facecolor=palette.BLOCK_FACE,
                      edgecolor=palette.HIGHLIGHT_EDGE if emphasis else palette.BLOCK_EDGE,
                      linewidth=3.0 if emphasis else 1.0, gid=f"block:{block_id}", zorder=1)
    add_fixed(ax, frame)
    out = BlockArtists(block_id, frame, artists=[frame])

    pad = max(3.0, 0.55 * title_max) * u
    glyph = 1.5 * title_max * u
    title_w = (rect.w - 3 * pad - glyph) * ppu
    t_size, t_lines = fit_title(domain.block(block_id).label_in(lang), title_w,
                                max_size=title_max, min_size=title_min)
    title = ax.text(rect.x + pad, rect.y1 - pad, "\n".join(t_lines), ha="left", va="top",
                    fontsize=t_size, fontweight="bold", family=FONT_FAMILY,
                    color=palette.TEXT, gid=f"title:{block_id}", zorder=3)
    gcolor = palette.HIGHLIGHT_EDGE if emphasis else palette.BLOCK_EDGE
    out.artists.append(title)
    out.artists += draw_glyph(ax, block_id, rect.x1 - pad - glyph / 2,
                              rect.y1 - pad - glyph / 2, glyph, gcolor, lw=0.08 * title_max)
    header = max(metrics("bold").height(len(t_lines), t_size) * u, glyph) + pad
    area = Rect(rect.x + pad, rect.y + pad, rect.w - 2 * pad, rect.h - header - 2 * pad)

    notes = canvas.notes(block_id)
    if not notes:
        if placeholder:
            msg = drawing_text("empty_block", lang)
            size, lines = fit_title(msg, area.w * ppu, max_size=note_max, min_size=note_min,
                                    max_lines=4, m=metrics())
            out.artists.append(ax.text(area.x + area.w / 2, area.y + area.h / 2,
                                       "\n".join(lines), ha="center", va="center",
                                       fontsize=size, style="italic", color=palette.MUTED,
                                       family=FONT_FAMILY, gid=f"placeholder:{block_id}"))
        return out
    specs = [NoteSpec(n.text_in(lang),
                      taxonomy.label(n.relationship, lang) if n.relationship else None)
             for n in notes]
    plan = plan_notes(specs, area.w * ppu, area.h * ppu, max_size=note_max, min_size=note_min)
    m = metrics()
    for placed in plan.notes:
        note = notes[placed.index]
        seg_colors = [colors[s] for s in note.segments if s in colors]
        nx = area.x + placed.x * u
        top = area.y1 - placed.y * u
        nw, nh = placed.w * u, placed.h * u
        patch = FancyBboxPatch((nx, top - nh), nw, nh,
                               boxstyle=f"round,pad=0,rounding_size={0.25 * plan.pad * u}",
                               facecolor=palette.note_face(seg_colors),
                               edgecolor="#8C8C8C", linewidth=0.5,
                               gid=f"note:{block_id}:{placed.index}", zorder=2)
        add_fixed(ax, patch)
        out.artists.append(patch)
        band_w = plan.band * u
        for k, col in enumerate(seg_colors):       # split band: one stripe per segment
            part = nh / len(seg_colors)
            stripe = Rectangle((nx, top - (k + 1) * part), band_w, part, facecolor=col,
                               edgecolor="none", zorder=2.5)
            add_fixed(ax, stripe)
            out.artists.append(stripe)
        tx = nx + (plan.band + plan.pad) * u
        text = ax.text(tx, top - plan.pad * u, "\n".join(placed.lines), ha="left", va="top",
                       fontsize=plan.size, family=FONT_FAMILY, color=palette.TEXT,
                       gid=f"note-text:{block_id}:{placed.index}", zorder=3)
        out.artists.append(text)
        out.notes.append((patch, text))
        if placed.tag_lines:
            tpad = 0.3 * plan.tag_size
            tag_top = top - (plan.pad + m.lines_height(placed.lines, plan.size)
                             + TAG_GAP * plan.size) * u
            tw = (lines_width(list(placed.tag_lines), plan.tag_size, m) + 2 * tpad) * u
            th = (m.lines_height(placed.tag_lines, plan.tag_size) + 2 * tpad) * u
            tag = FancyBboxPatch((tx, tag_top - th), tw, th,
                                 boxstyle=f"round,pad=0,rounding_size={0.4 * th}",
                                 facecolor=palette.TAG_FACE, edgecolor=palette.TAG_EDGE,
                                 linewidth=0.6, gid=f"tag:{block_id}:{placed.index}", zorder=3)
            add_fixed(ax, tag)
            tag_text = ax.text(tx + tw / 2, tag_top - th / 2, "\n".join(placed.tag_lines),
                               ha="center", va="center", fontsize=plan.tag_size, family=FONT_FAMILY,
                               color=palette.TEXT, zorder=4,
                               gid=f"tag-text:{block_id}:{placed.index}")
            out.artists += [tag, tag_text]
    if plan.hidden:
        out.hidden = plan.hidden
        shown = {placed.index for placed in plan.notes}
        out.hidden_indices = tuple(i for i in range(len(notes)) if i not in shown)
        label = drawing_text("more_notes", lang, n=plan.hidden)
        size = MARKER_SCALE * note_min
        mb = metrics("bold")
        mpad = 0.4 * size * u
        mw = min(mb.width(label, size) * u + 2 * mpad, area.w)
        mh = mb.height(1, size) * u + 2 * mpad
        box = FancyBboxPatch((area.x1 - mw, area.y), mw, mh,
                             boxstyle=f"round,pad=0,rounding_size={0.3 * mh}",
                             facecolor="#FFF3C4", edgecolor="#D55E00", linewidth=1.0,
                             gid=f"more:{block_id}", zorder=3)
        add_fixed(ax, box)
        marker = ax.text(area.x1 - mw + mpad, area.y + mh - mpad, label, ha="left", va="top",
                         fontsize=size, fontweight="bold", family=FONT_FAMILY,
                         color="#8A3B00", gid=f"more-text:{block_id}", zorder=4)
        out.marker = marker
        out.artists += [box, marker]
    return out


def _prepare_axes(ax: Axes | None, width: float, height: float, figsize) -> Axes:
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


def draw_block(canvas: Canvas, block: str = "customer_relationships", ax: Axes | None = None,
               *, lang: str | None = None, **kwargs: Any) -> Axes:
    """Draw one block enlarged (bigger notes with type tags) for a lesson or a widget.

    When the block's notes have segments, a legend of their colours runs under the block.
    Keyword arguments: ``figsize`` (new figure only, default (8, 5.5)), ``max_font_size``
    (16), ``min_font_size`` (7), ``legend`` (True).

    >>> from canvastools.model.canvas import load_canvas
    >>> ax = draw_block(load_canvas("youtube"), "customer_relationships", lang="it")
    """
    from matplotlib import rc_context

    from canvastools.draw.canvas import check_block, check_kwargs, legend_entries

    check_kwargs(kwargs, ("figsize", "max_font_size", "min_font_size", "legend"),
                 "draw_block")
    domain = load_domain()
    check_block(block, "block")
    lang = domain.check_language(lang or canvas.language)
    figsize = kwargs.get("figsize") or (8.0, 5.5)
    width, height = 8.0, 5.5
    ax = _prepare_axes(ax, width, height, figsize)
    with rc_context({"font.family": FONT_FAMILY, **LITERAL_RC}):
        ppu = points_per_unit(ax)
        scale = ppu / 72.0
        colors = palette.segment_colors(canvas)
        rect = Rect(0.05, 0.05, width - 0.1, height - 0.1)
        entries = (legend_entries(canvas, canvas.notes(block), colors, lang)
                   if kwargs.get("legend", True) else [])
        legend = _legend_rows(entries, rect.w * ppu, scale) if entries else None
        if legend is not None:
            size, rows = legend
            foot = (len(rows) * 1.5 + 0.7) * size / ppu
            rect = Rect(rect.x, rect.y + foot, rect.w, rect.h - foot)
        drawn = render_block(ax, canvas, block, rect, ppu,
                             lang=lang, colors=colors,
                             note_max=kwargs.get("max_font_size", 16.0) * scale,
                             note_min=max(4.5, kwargs.get("min_font_size", 7.0) * min(1.0, scale)),
                             title_max=20 * scale, title_min=max(6.0, 10 * scale),
                             placeholder=True)
        if legend is not None:
            from canvastools.draw.canvas import draw_legend

            size, rows = legend
            for i, row in enumerate(rows):
                y = rect.y - (0.3 + 0.75 + 1.5 * i) * size / ppu
                draw_legend(ax, row, rect.x + 0.8 * size / ppu, y, size, ppu)
    ax._canvastools_blocks = {block: drawn}     # for tests and widgets: what the block shows
    return ax


def _legend_rows(entries: list[tuple[str, str]], room: float,
                 scale: float) -> tuple[float, list[list[tuple[str, str]]]]:
    """Font size and rows of a legend ``room`` points wide: one row, shrinking the font down
    to 7 pt (scaled); then as many rows as needed at that size."""
    from canvastools.draw.canvas import legend_width

    size = 10.0 * scale
    room -= 1.6 * size
    while size > 7.0 * scale and legend_width(entries, size) > room:
        size -= 0.5 * scale
    rows: list[list[tuple[str, str]]] = [[]]
    for entry in entries:
        if rows[-1] and legend_width([*rows[-1], entry], size) > room:
            rows.append([])
        rows[-1].append(entry)
    return size, rows


