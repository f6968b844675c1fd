"""The relationship types on an axis from personal to automated, with cases or canvas notes.

Each type with cases (or notes) gets one column of chips above its marker. The columns are
packed left to right in spectrum order so that they never overlap; a column pushed aside
is joined to its marker by a short elbow leader. A case of several types appears in the
column of each of them, in italics with a superscript count explained under the figure.

>>> ax = draw_relationship_spectrum(lang="ru")
>>> from canvastools.model.cases import load_cases
>>> ax = draw_relationship_spectrum(cases=load_cases().select(["ing-direct", "youtube"]))
... # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from canvastools._io.literal import LITERAL_RC
from canvastools.draw import palette
from canvastools.draw.alt import DescribedFigure
from canvastools.draw.fitting import (
    FONT_FAMILY,
    fit_title,
    font_sizes,
    metrics,
)
from canvastools.draw.spectrum_chips import (
    FLOOR_SIZE,
    HEIGHT,
    LEADER,
    MIN_SIZE,
    SIDE,
    SUPERSCRIPT,
    WIDTH,
    X0,
    X1,
    ChipColumn,
    ChipItem,
    ChipLayout,
    band_height,
    elbow_height,
    fit_widths,
    leader_lines,
    pack_boxes,
    place_chips,
    shorten,
    spectrum_x,
    split_evenly,
)
from canvastools.draw.texts import drawing_text
from canvastools.errors import InputError
from canvastools.model.taxonomy import Taxonomy, as_taxonomy, load_domain

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from canvastools.model.canvas import Canvas
    from canvastools.model.cases import Case


def _collect(tax: Taxonomy, cases: Iterable[Case] | None,
             canvas: Canvas | None, lang: str = "en") -> tuple[dict[str, list[ChipItem]], set[int]]:
    pos = {t.id for t in tax.types}
    by_type: dict[str, list[ChipItem]] = {t.id: [] for t in tax.by_spectrum()}
    several: set[int] = set()
    case_color = palette.OKABE_ITO[4]
    for case in cases or ():
        if not case.types:          # a motivation-only example has no place on the axis
            continue
        bad = [t for t in case.types if t not in pos]
        if bad:
            raise InputError(f"case {case.id!r} has type {bad[0]!r}, not in taxonomy "
                             f"{tax.id!r}", choices=tax.type_ids, got=bad[0])
        n = len(set(case.types))
        name = case.company_in(lang)
        label = name if n == 1 else f"{name}{str(n).translate(SUPERSCRIPT)}"
        if n > 1:
            several.add(n)
        for type_id in dict.fromkeys(case.types):
            by_type[type_id].append(ChipItem(label, case_color, italic=n > 1))
    if canvas is not None:
        colors = palette.segment_colors(canvas)
        for note in canvas.notes("customer_relationships"):
            if note.relationship in pos:
                col = colors.get(note.segments[0], palette.NEUTRAL_BAND) if note.segments \
                    else palette.NEUTRAL_BAND
                by_type[note.relationship].append(ChipItem(shorten(note.text_in(lang)), col))
    return by_type, several


def draw_relationship_spectrum(ax: Axes | None = None, *, taxonomy: str | Taxonomy = "bmg2010",
                               lang: str = "en", cases: Iterable[Case] | None = None,
                               canvas: Canvas | None = None, **kwargs: Any) -> Axes:
    """Draw the types of ``taxonomy`` from most personal to most automated.

    ``cases``: Case objects, each shown as a chip above its type(s), labelled with its
    company. ``canvas``: its Customer Relationships notes with a type are shown the same way.
    Options: ``figsize`` (new figure only; default 12 inches wide and as high as the content
    needs, usually at most 6), ``font_size`` (10; chips shrink to fit, not below 7 on a new
    figure).

    >>> ax = draw_relationship_spectrum(taxonomy="strategyzer", lang="it")
    """
    from matplotlib import rc_context

    from canvastools.draw.axes import check_kwargs

    check_kwargs(kwargs, ("figsize", "font_size"), "draw_relationship_spectrum")
    lang = load_domain().check_language(lang)
    tax = as_taxonomy(taxonomy)
    by_type, several = _collect(tax, cases, canvas, lang)
    terms = tax.on_spectrum()            # types off this range (spectrum: null) are not drawn
    block_label = load_domain().block("customer_relationships").label_in(lang)
    title = f"{block_label} — {tax.name}"
    if ax is None and kwargs.get("figsize") is None:
        box_w, box_h = WIDTH, None                      # the height follows the content
    elif ax is None:
        box_w, box_h = (float(v) for v in kwargs["figsize"])
    else:
        fig = ax.get_figure(root=True)
        pos = ax.get_position(original=True)
        fw, fh = fig.get_size_inches()
        box_w, box_h = pos.width * fw, pos.height * fh
    ppu = 72.0 * box_w / WIDTH                          # points per data unit
    avail_h = (HEIGHT if box_h is None else WIDTH * box_h / box_w) * ppu
    # Text sizes are points; a figure wider than 12 inches scales them up, a narrower
    # one (or a small Axes) shrinks them only as far as needed to fit.
    plan = _Layout(terms, by_type, several, lang, title, ppu,
                   kwargs.get("font_size", 10.0) * max(1.0, ppu / 72.0))
    plan.fit(avail_h, new_figure=ax is None)
    height = plan.total_h / ppu
    if ax is None:          # outside rc_context: see block._prepare_axes
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(box_w, box_h if box_h is not None else height),
                         FigureClass=DescribedFigure)  # with alt text
        ax = fig.add_axes((0, 0, 1, 1))
    full_h = WIDTH * box_h / box_w if box_h is not None else height
    ax.set_xlim(0, WIDTH)
    ax.set_ylim(0, full_h)
    ax.set_aspect("equal", adjustable="box")
    ax.set_axis_off()
    with rc_context({"font.family": FONT_FAMILY, **LITERAL_RC}):
        plan.draw(ax, (full_h - height) / 2)
    return ax


class _Layout:
    """Sizes and positions of everything on the spectrum, computed in points before drawing."""

    def __init__(self, terms, by_type: dict[str, list[ChipItem]], several: set[int], lang: str,
                 title: str, ppu: float, base: float) -> None:
        self.terms, self.lang, self.title, self.ppu, self.base = terms, lang, title, ppu, base
        self.several = sorted(several)
        self.m, self.mb = metrics(), metrics("bold")
        self.lo, self.hi = SIDE * ppu, (WIDTH - SIDE) * ppu
        self.markers = {t.id: spectrum_x(t.spectrum if t.spectrum is not None else 0.5) * ppu
                        for t in terms}
        self.columns = [ChipColumn(t.id, self.markers[t.id], list(by_type[t.id]))
                        for t in terms if by_type[t.id]]
        self.chips: ChipLayout | None = None
        self._text_size = 0.0
        self._set_text_size(base)

    def _set_text_size(self, size: float) -> None:
        """Lay out the title, type labels and end words at about ``size`` points."""
        if size == self._text_size:
            return
        self._text_size = size
        self._fit_type_labels(size)
        self._fit_bottom(size)
        self.title_size, self.title_lines = fit_title(
            self.title, self.hi - self.lo, max_size=1.3 * size, min_size=0.7 * size,
            max_lines=2)

    # --- below the axis: type labels, end words, the "several types" note -------------
    def _fit_type_labels(self, base: float) -> None:
        labels = [[t.label_in(self.lang)] for t in self.terms]
        ks = [1] * len(labels)
        for size in font_sizes(base, 0.5 * base, 0.025 * base):
            gap = 0.8 * size
            fitted = fit_widths(labels, ks, size, 0.0, 0.0, gap, self.hi - self.lo, self.m)
            if fitted is not None:
                break
        assert fitted is not None
        self.type_size = size
        self.type_w = fitted[0]
        self.type_lines = [g[0] for g in fitted[1]]
        ideal = [self.markers[t.id] for t in self.terms]
        self.type_left = pack_boxes(ideal, self.type_w, self.lo, self.hi, gap)
        self.type_dest, self.type_levels, count = leader_lines(ideal, self.type_left, self.type_w,
                                                           size)
        self.type_band = band_height(count, size) if count else 0.9 * size
        self.type_h = max(self.m.lines_height(lines, size) for lines in self.type_lines)

    def _fit_bottom(self, size: float) -> None:
        left, right = (drawing_text("end_personal", self.lang),
                       drawing_text("end_automated", self.lang))

        def ends(size: float) -> float:
            return (self.mb.width(left, size) + self.mb.width(right, size)
                    + 2 * (2.2 * size + 0.4 * size))

        while ends(size) + 2 * size > self.hi - self.lo and size > FLOOR_SIZE:
            size *= 0.9
        self.end_size, self.arrow = size, 2.2 * size
        ends_w = ends(size)
        self.notes = [drawing_text("several_types", self.lang, n=n,
                                   mark=str(n).translate(SUPERSCRIPT)) for n in self.several]
        note = "   ".join(self.notes)
        self.note_size = 0.85 * size
        self.note_w = self.m.width(note, self.note_size)
        self.note_row = bool(note) and ends_w + self.note_w + 4 * size > self.hi - self.lo
        self.note_h = self.m.height(1, self.note_size)
        self.bottom_h = (0.5 * size + self.mb.height(1, size)
                         + (0.4 * size + self.note_h if self.note_row else 0.0))

    # --- heights -------------------------------------------------------------------------
    def _above(self, chips: ChipLayout | None) -> float:
        """From the axis to the top of the figure."""
        b = self._text_size
        head = 0.8 * b + self.mb.height(len(self.title_lines), self.title_size) + 0.9 * b
        if chips is None:
            return 0.6 * b + head
        return band_height(chips.level_count, chips.size) + 0.25 * chips.size + chips.height + head

    def _below(self) -> float:
        """From the bottom of the figure to the axis."""
        return self.bottom_h + 0.6 * self._text_size + self.type_h + self.type_band

    def fit(self, avail_h: float, *, new_figure: bool) -> None:
        """Pick the biggest chip font (and sub-column splits) that fits ``avail_h`` points."""
        if not self.columns:
            self.total_h = self._above(None) + self._below()
            return
        floor = max(FLOOR_SIZE, MIN_SIZE * min(1.0, self.ppu / 72.0)) if new_figure \
            else FLOOR_SIZE
        sizes = font_sizes(self.base, min(self.base, floor))
        smallest: ChipLayout | None = None
        for size in sizes:
            self._set_text_size(min(self.base, 1.25 * size))
            for col in self.columns:
                col.k = 1
            while True:
                chips = place_chips(self.columns, size, self.lo, self.hi, self.m)
                if chips is None:
                    break
                smallest = chips
                if self._above(chips) + self._below() <= avail_h + 1e-6:
                    self._accept(chips)
                    return
                tall = max(self.columns, key=lambda c: len(c.items) / c.k)
                if len(tall.items) < 2 * (tall.k + 1) - 1 or tall.k >= 3:
                    break
                tall.k += 1
                if place_chips(self.columns, size, self.lo, self.hi, self.m) is None:
                    tall.k -= 1
                    break
        if smallest is None:                 # not even the floor size fits the width
            raise InputError("too many cases for a spectrum this narrow: draw fewer cases "
                             "or on a wider figure")
        self._accept(smallest)        # a new figure grows; a given Axes gets the floor size

    def _accept(self, chips: ChipLayout) -> None:
        self.chips = chips
        self.total_h = self._above(chips) + self._below()

    # --- drawing --------------------------------------------------------------------------
    def draw(self, ax: Axes, y_offset: float) -> None:
        from matplotlib.lines import Line2D
        from matplotlib.patches import FancyArrowPatch

        u = 1.0 / self.ppu
        scale = self._text_size / 10.0         # line widths follow the text size
        b = self._text_size
        y0 = y_offset                                    # data y of the content's bottom
        axis_y = y0 + self._below() * u

        def D(x: float) -> float:                       # noqa: N802 - points to data units
            return x * u

        # Title
        ax.text(D(self.lo), y0 + (self.total_h - 0.8 * b) * u, "\n".join(self.title_lines),
                ha="left", va="top", fontsize=self.title_size, fontweight="bold",
                color=palette.TEXT, gid="spectrum-title")
        # Axis and the type markers
        ax.add_patch(FancyArrowPatch((X0 - 0.4, axis_y), (X1 + 0.4, axis_y),
                                     arrowstyle="<|-|>", mutation_scale=14 * scale,
                                     color=palette.BLOCK_EDGE, lw=1.5 * scale, gid="axis"))
        ts = self.type_size
        label_top = axis_y - self.type_band * u
        for i, term in enumerate(self.terms):
            x = D(self.markers[term.id])
            ax.plot([x], [axis_y], "o", color=palette.BLOCK_EDGE, ms=5 * scale, zorder=4)
            c = D(self.type_left[i] + self.type_w[i] / 2)
            d = D(self.type_dest[i])
            if abs(d - x) * self.ppu > 0.5:
                ye = axis_y - elbow_height(self.type_levels[i], ts) * u
                xs, ys = [x, x, d, d], [axis_y, ye, ye, label_top + 0.2 * ts * u]
            else:
                xs, ys = [x, x], [axis_y, label_top + 0.2 * ts * u]
            ax.add_line(Line2D(xs, ys, color=palette.BLOCK_EDGE, lw=1.0 * scale,
                               gid="type-leader"))
            ax.text(c, label_top, "\n".join(self.type_lines[i]), ha="center", va="top",
                    fontsize=ts, color=palette.TEXT, multialignment="center",
                    gid=f"type:{term.id}")
        # End words under the type labels, with arrows pointing outwards
        left, right = (drawing_text("end_personal", self.lang),
                       drawing_text("end_automated", self.lang))
        es = self.end_size
        end_y = y0 + (self.bottom_h - self.mb.height(1, es) / 2) * u
        gap = 0.4 * es
        for word, gid, sign in ((left, "end-personal", -1), (right, "end-automated", 1)):
            edge = self.lo if sign < 0 else self.hi
            inner = edge - sign * self.arrow
            ax.add_patch(FancyArrowPatch((D(inner), end_y), (D(edge), end_y),
                                         arrowstyle="-|>", mutation_scale=10 * scale,
                                         color=palette.MUTED, lw=1.2 * scale,
                                         gid=f"{gid}-arrow"))
            ax.text(D(inner - sign * gap), end_y, word, ha="left" if sign < 0 else "right",
                    va="center", fontsize=es, fontweight="bold", color=palette.MUTED,
                    gid=gid)
        if self.notes:
            note_y = y0 + (0.5 * b + self.note_h / 2) * u if self.note_row else end_y
            ax.text(WIDTH / 2, note_y, "   ".join(self.notes), ha="center", va="center",
                    fontsize=self.note_size, style="italic", color=palette.MUTED,
                    gid="spectrum-legend")
        if self.chips is not None:
            self._draw_chips(ax, axis_y, u, scale)

    def _draw_chips(self, ax: Axes, axis_y: float, u: float, scale: float) -> None:
        from matplotlib.lines import Line2D
        from matplotlib.patches import FancyBboxPatch

        ch = self.chips
        assert ch is not None
        s = ch.size
        shelf = axis_y + band_height(ch.level_count, s) * u
        base = shelf + 0.25 * s * u
        widths = [k * w + (k - 1) * ch.subgap for k, w in zip(ch.ks, ch.chip_w, strict=True)]
        for i, col in enumerate(self.columns):
            x, d = col.marker * u, ch.dest[i] * u
            if abs(d - x) * self.ppu > 0.5:
                ye = axis_y + elbow_height(ch.levels[i], s) * u
                xs, ys = [x, x, d, d], [axis_y, ye, ye, shelf]
            else:
                xs, ys = [x, x], [axis_y, shelf]
            ax.add_line(Line2D(xs, ys, color=LEADER, lw=1.0 * scale, zorder=2,
                               gid="spectrum-leader"))
            ax.add_line(Line2D([ch.left[i] * u, (ch.left[i] + widths[i]) * u], [shelf, shelf],
                               color=LEADER, lw=1.0 * scale, zorder=2, gid="spectrum-shelf"))
            lines = ch.lines[i]
            for j, run in enumerate(split_evenly(len(col.items), ch.ks[i])):
                cx = ch.left[i] + j * (ch.chip_w[i] + ch.subgap)
                heights = [self.m.lines_height(lines[n], s) + 2 * ch.pad for n in run]
                top = base + (sum(heights) + ch.vgap * (len(heights) - 1)) * u
                for n, h in zip(run, heights, strict=True):
                    item = col.items[n]
                    ax.add_patch(FancyBboxPatch(
                        (cx * u, top - h * u), ch.chip_w[i] * u, h * u,
                        boxstyle=f"round,pad=0,rounding_size={0.3 * s * u}",
                        facecolor=palette.tint(item.color, 0.75), edgecolor=item.color,
                        linewidth=0.8 * scale, zorder=5, gid="spectrum-chip"))
                    ax.text((cx + ch.chip_w[i] / 2) * u, top - h * u / 2, "\n".join(lines[n]),
                            ha="center", va="center", multialignment="center", fontsize=s,
                            style="italic" if item.italic else "normal", color=palette.TEXT,
                            zorder=6, gid="spectrum-item")
                    top -= (h + ch.vgap) * u
