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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from canvastools._io.literal import LITERAL_RC
from canvastools.draw import palette
from canvastools.draw.alt import DescribedFigure
from canvastools.draw.fitting import (
    FONT_FAMILY,
    FontMetrics,
    fit_title,
    font_sizes,
    lines_width,
    metrics,
    words,
    wrap,
)
from canvastools.draw.texts import drawing_text
from canvastools.errors import InputError
from canvastools.model.taxonomy import Taxonomy, load_domain, load_taxonomy

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from canvastools.model.canvas import Canvas
    from canvastools.model.cases import Case

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
WIDTH, HEIGHT = 12.0, 6.0       # data units (inches on a new figure); HEIGHT: the usual cap
X0, X1 = 1.0, 11.0              # where spectrum 0 and 1 are drawn
SIDE = 0.12                     # left and right margin
MIN_SIZE = 7.0                  # smallest chip font on a new 12-inch-wide figure
FLOOR_SIZE = 3.5                # smallest chip font anywhere (a small given Axes)
MAX_LINES = 3                   # a chip or type label wraps into at most this many lines
LEADER = "#8C8C8C"


@dataclass(frozen=True)
class _Item:
    label: str
    color: str
    italic: bool = False


@dataclass
class _Column:
    type_id: str
    marker: float                       # x of the type's marker (points)
    items: list[_Item] = field(default_factory=list)
    k: int = 1                          # sub-columns


@dataclass
class _Chips:
    """The chip columns at one font size, in points (x from the left, heights upward)."""

    size: float
    pad: float
    vgap: float
    subgap: float
    chip_w: list[float]                 # per column: the width of each chip
    lines: list[list[list[str]]]        # per column, per item
    left: list[float]                   # per column: its left edge
    height: float                       # the tallest column
    dest: list[float]                   # per column: where its leader meets the shelf
    levels: list[int]                   # per column: elbow level of its leader
    ks: list[int]                       # per column: its sub-columns
    level_count: int                    # elbow heights needed (0: all leaders straight)


def _x(value: float) -> float:
    return X0 + (X1 - X0) * value


def _shorten(text: str, n: int = 80) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _pack(ideal: list[float], widths: list[float], lo: float, hi: float,
          gap: float) -> list[float]:
    """Left edges of boxes kept in order, ``gap`` apart, inside [lo, hi], each as near as it
    can be to being centred on its ``ideal`` x (clusters of touching boxes are centred on
    the mean of their ideals)."""
    clusters: list[list[Any]] = []            # [first index, last index, left edge]

    def span(first: int, last: int) -> float:
        return sum(widths[first:last + 1]) + gap * (last - first)

    def place(first: int, last: int) -> float:
        offsets, x = [], 0.0
        for i in range(first, last + 1):
            offsets.append(ideal[i] - (x + widths[i] / 2))
            x += widths[i] + gap
        left = sum(offsets) / len(offsets)
        return min(max(left, lo), hi - span(first, last))

    for i in range(len(ideal)):
        clusters.append([i, i, place(i, i)])
        while len(clusters) > 1:
            a, b = clusters[-2], clusters[-1]
            if a[2] + span(a[0], a[1]) + gap <= b[2] + 1e-9:
                break
            clusters[-2:] = [[a[0], b[1], place(a[0], b[1])]]
    lefts = []
    for first, last, left in clusters:
        x = left
        for i in range(first, last + 1):
            lefts.append(x)
            x += widths[i] + gap
    return lefts


def _levels(src: list[float], dst: list[float], tol: float) -> list[int]:
    """Elbow heights for leaders from ``src`` to ``dst`` (both increasing) so that none
    crosses another: a leader bent over the start of a neighbour bent the same way runs
    above that neighbour's elbow."""
    n = len(src)
    levels = [0] * n
    for i in reversed(range(n)):                        # bent to the right
        if dst[i] > src[i] + tol:
            levels[i] = max([levels[j] + 1 for j in range(i + 1, n)
                             if dst[j] > src[j] + tol and src[j] <= dst[i] + tol]
                            or [0])
    for i in range(n):                                  # bent to the left
        if dst[i] < src[i] - tol:
            levels[i] = max([levels[j] + 1 for j in range(i)
                             if dst[j] < src[j] - tol and src[j] >= dst[i] - tol]
                            or [0])
    return levels


def _fit_widths(groups: list[list[str]], ks: list[int], size: float, pad: float,
                subgap: float, gap: float, avail: float,
                m: FontMetrics) -> tuple[list[float], list[list[list[str]]]] | None:
    """The widest common cap on box widths such that the groups fit ``avail`` side by side:
    labels longer than the cap wrap (whole words, at most MAX_LINES lines). Returns the box
    width of each group and the lines of each label, or None when nothing fits."""
    nat = [[m.width(t, size) for t in g] for g in groups]

    def layout(cap: float) -> tuple[list[float], list[list[list[str]]]] | None:
        inner = cap - 2 * pad
        widths, out = [], []
        for g, ws in zip(groups, nat, strict=True):
            group = []
            for text, w in zip(g, ws, strict=True):
                if w <= inner + 1e-6:
                    group.append([text])
                    continue
                lines = wrap(text, inner, size, m)
                if len(lines) > MAX_LINES or lines_width(lines, size, m) > inner + 1e-6:
                    return None
                group.append(lines)
            out.append(group)
            widths.append(max(lines_width(lines, size, m) for lines in group) + 2 * pad)
        return widths, out

    def total(widths: list[float]) -> float:
        return (sum(k * w + (k - 1) * subgap for k, w in zip(ks, widths, strict=True))
                + gap * (len(widths) - 1))

    hi = max(max(ws) for ws in nat) + 2 * pad
    best = layout(hi)
    if best is not None and total(best[0]) <= avail:
        return best
    lo = max(m.width(w, size) for g in groups for t in g for w in words(t)) + 2 * pad
    if layout(lo) is None:          # too many lines: find the narrowest cap that works
        a, b = lo, hi
        for _ in range(12):
            mid = (a + b) / 2
            a, b = (a, mid) if layout(mid) is not None else (mid, b)
        lo = b
    best = layout(lo)
    if best is None or total(best[0]) > avail:
        return None
    a, b = lo, hi
    for _ in range(12):
        mid = (a + b) / 2
        res = layout(mid)
        if res is not None and total(res[0]) <= avail:
            a, best = mid, res
        else:
            b = mid
    return best


def _split(n: int, k: int) -> list[range]:
    """Consecutive runs of ``n`` items in ``k`` sub-columns, the first ones longest."""
    per = -(-n // k)
    return [range(i, min(i + per, n)) for i in range(0, n, per)]


def _chips(columns: list[_Column], size: float, lo: float, hi: float,
           m: FontMetrics) -> _Chips | None:
    pad, vgap, subgap, gap = 0.3 * size, 0.3 * size, 0.5 * size, 0.9 * size
    groups = [[it.label for it in col.items] for col in columns]
    ks = [col.k for col in columns]
    fitted = _fit_widths(groups, ks, size, pad, subgap, gap, hi - lo, m)
    if fitted is None:
        return None
    chip_w, lines = fitted
    height = 0.0
    for col_lines, k in zip(lines, ks, strict=True):
        for run in _split(len(col_lines), k):
            h = sum(m.lines_height(col_lines[i], size) + 2 * pad for i in run)
            height = max(height, h + vgap * (len(run) - 1))
    widths = [k * w + (k - 1) * subgap for k, w in zip(ks, chip_w, strict=True)]
    markers = [c.marker for c in columns]
    left = _pack(markers, widths, lo, hi, gap)
    dest, levels, count = _leaders(markers, left, widths, size)
    return _Chips(size, pad, vgap, subgap, chip_w, lines, left, height, dest, levels, ks,
                  count)


def _leaders(markers: list[float], left: list[float], widths: list[float],
             size: float) -> tuple[list[float], list[int], int]:
    """Where each leader meets its box (straight up or down when the marker lies under the
    box, else at the nearest point a little inside it), the elbow level of each leader and
    how many levels there are (0: all straight)."""
    dest = []
    for x, lf, w in zip(markers, left, widths, strict=True):
        inset = min(w / 2, max(0.15 * w, size))
        dest.append(x if lf + 0.3 * size <= x <= lf + w - 0.3 * size
                    else min(max(x, lf + inset), lf + w - inset))
    levels = _levels(markers, dest, 0.5)
    bent = any(abs(d - x) > 0.5 for x, d in zip(markers, dest, strict=True))
    return dest, levels, (max(levels) + 1 if bent else 0)


def _elbow(level: int, size: float) -> float:
    """Distance from the axis to the elbow of a leader at ``level``."""
    return (0.9 + 0.5 * level) * size


def _band(count: int, size: float) -> float:
    """Distance from the axis to the shelf under the chips (or to the top of the type
    labels) when the leaders need ``count`` elbow heights."""
    return (0.9 + 0.5 * count + 0.8) * size if count else 1.6 * size


def _collect(tax: Taxonomy, cases: Iterable[Case] | None,
             canvas: Canvas | None, lang: str = "en") -> tuple[dict[str, list[_Item]], set[int]]:
    pos = {t.id for t in tax.types}
    by_type: dict[str, list[_Item]] = {t.id: [] for t in tax.by_spectrum()}
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
            by_type[type_id].append(_Item(label, case_color, italic=n > 1))
    if canvas is not None:
        colors = palette.segment_colors(canvas)
        for note in canvas.notes("customer_relationships"):
            if note.relationship in pos:
                col = colors.get(note.segments[0], palette.NEUTRAL_BAND) if note.segments \
                    else palette.NEUTRAL_BAND
                by_type[note.relationship].append(_Item(_shorten(note.text_in(lang)), col))
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

    from canvastools.draw.canvas import check_kwargs

    check_kwargs(kwargs, ("figsize", "font_size"), "draw_relationship_spectrum")
    lang = load_domain().check_language(lang)
    tax = taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)
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

    def __init__(self, terms, by_type: dict[str, list[_Item]], several: set[int], lang: str,
                 title: str, ppu: float, base: float) -> None:
        self.terms, self.lang, self.title, self.ppu, self.base = terms, lang, title, ppu, base
        self.several = sorted(several)
        self.m, self.mb = metrics(), metrics("bold")
        self.lo, self.hi = SIDE * ppu, (WIDTH - SIDE) * ppu
        self.markers = {t.id: _x(t.spectrum if t.spectrum is not None else 0.5) * ppu
                        for t in terms}
        self.columns = [_Column(t.id, self.markers[t.id], list(by_type[t.id]))
                        for t in terms if by_type[t.id]]
        self.chips: _Chips | None = None
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
            fitted = _fit_widths(labels, ks, size, 0.0, 0.0, gap, self.hi - self.lo, self.m)
            if fitted is not None:
                break
        assert fitted is not None
        self.type_size = size
        self.type_w = fitted[0]
        self.type_lines = [g[0] for g in fitted[1]]
        ideal = [self.markers[t.id] for t in self.terms]
        self.type_left = _pack(ideal, self.type_w, self.lo, self.hi, gap)
        self.type_dest, self.type_levels, count = _leaders(ideal, self.type_left, self.type_w,
                                                           size)
        self.type_band = _band(count, size) if count else 0.9 * size
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
    def _above(self, chips: _Chips | None) -> float:
        """From the axis to the top of the figure."""
        b = self._text_size
        head = 0.8 * b + self.mb.height(len(self.title_lines), self.title_size) + 0.9 * b
        if chips is None:
            return 0.6 * b + head
        return _band(chips.level_count, chips.size) + 0.25 * chips.size + chips.height + head

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
        smallest: _Chips | None = None
        for size in sizes:
            self._set_text_size(min(self.base, 1.25 * size))
            for col in self.columns:
                col.k = 1
            while True:
                chips = _chips(self.columns, size, self.lo, self.hi, self.m)
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
                if _chips(self.columns, size, self.lo, self.hi, self.m) is None:
                    tall.k -= 1
                    break
        if smallest is None:                 # not even the floor size fits the width
            raise InputError("too many cases for a spectrum this narrow: draw fewer cases "
                             "or on a wider figure")
        self._accept(smallest)        # a new figure grows; a given Axes gets the floor size

    def _accept(self, chips: _Chips) -> None:
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
                ye = axis_y - _elbow(self.type_levels[i], ts) * u
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
        shelf = axis_y + _band(ch.level_count, s) * u
        base = shelf + 0.25 * s * u
        widths = [k * w + (k - 1) * ch.subgap for k, w in zip(ch.ks, ch.chip_w, strict=True)]
        for i, col in enumerate(self.columns):
            x, d = col.marker * u, ch.dest[i] * u
            if abs(d - x) * self.ppu > 0.5:
                ye = axis_y + _elbow(ch.levels[i], s) * u
                xs, ys = [x, x, d, d], [axis_y, ye, ye, shelf]
            else:
                xs, ys = [x, x], [axis_y, shelf]
            ax.add_line(Line2D(xs, ys, color=LEADER, lw=1.0 * scale, zorder=2,
                               gid="spectrum-leader"))
            ax.add_line(Line2D([ch.left[i] * u, (ch.left[i] + widths[i]) * u], [shelf, shelf],
                               color=LEADER, lw=1.0 * scale, zorder=2, gid="spectrum-shelf"))
            lines = ch.lines[i]
            for j, run in enumerate(_split(len(col.items), ch.ks[i])):
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
