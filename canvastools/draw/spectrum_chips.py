"""How the spectrum's chips are laid out: columns of chips packed left to right above their
types' markers, never overlapping, with elbow leaders for the columns pushed aside (geometry
in points; :mod:`canvastools.draw.spectrum` draws them).

>>> pack_boxes([50.0, 52.0], [20.0, 20.0], 0.0, 200.0, 2.0)
[30.0, 52.0]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from canvastools.draw.fitting import (
    FontMetrics,
    lines_width,
    words,
    wrap,
)

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
WIDTH, HEIGHT = 12.0, 6.0       # data units (inches on a new figure); HEIGHT: the usual cap
X0, X1 = 1.0, 11.0              # where spectrum 0 and 1 are drawn
SIDE = 0.12                     # left and right margin
MIN_SIZE = 7.0                  # smallest chip font on a new 12-inch-wide figure
FLOOR_SIZE = 3.5                # smallest chip font anywhere (a small given Axes)
MAX_LINES = 3                   # a chip or type label wraps into at most this many lines
LEADER = "#8C8C8C"


@dataclass(frozen=True)
class ChipItem:
    label: str
    color: str
    italic: bool = False


@dataclass
class ChipColumn:
    type_id: str
    marker: float                       # x of the type's marker (points)
    items: list[ChipItem] = field(default_factory=list)
    k: int = 1                          # sub-columns


@dataclass
class ChipLayout:
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


def spectrum_x(value: float) -> float:
    return X0 + (X1 - X0) * value


def shorten(text: str, n: int = 80) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def pack_boxes(ideal: list[float], widths: list[float], lo: float, hi: float,
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


def elbow_levels(src: list[float], dst: list[float], tol: float) -> list[int]:
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


def _boxes_under_cap(groups: list[list[str]], nat: list[list[float]], cap: float, size: float,
                     pad: float, m: FontMetrics
                     ) -> tuple[list[float], list[list[list[str]]]] | None:
    """Box widths and label lines of the groups when no box is wider than ``cap`` (labels
    wider than it wrap); None when a label would need more than MAX_LINES lines."""
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


def fit_widths(groups: list[list[str]], ks: list[int], size: float, pad: float,
                subgap: float, gap: float, avail: float,
                m: FontMetrics) -> tuple[list[float], list[list[list[str]]]] | None:
    """The widest common cap on box widths such that the groups fit ``avail`` side by side:
    labels longer than the cap wrap (whole words, at most MAX_LINES lines). Returns the box
    width of each group and the lines of each label, or None when nothing fits."""
    nat = [[m.width(t, size) for t in g] for g in groups]

    def layout(cap: float) -> tuple[list[float], list[list[list[str]]]] | None:
        return _boxes_under_cap(groups, nat, cap, size, pad, m)

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


def split_evenly(n: int, k: int) -> list[range]:
    """Consecutive runs of ``n`` items in ``k`` sub-columns, the first ones longest."""
    per = -(-n // k)
    return [range(i, min(i + per, n)) for i in range(0, n, per)]


def place_chips(columns: list[ChipColumn], size: float, lo: float, hi: float,
           m: FontMetrics) -> ChipLayout | None:
    pad, vgap, subgap, gap = 0.3 * size, 0.3 * size, 0.5 * size, 0.9 * size
    groups = [[it.label for it in col.items] for col in columns]
    ks = [col.k for col in columns]
    fitted = fit_widths(groups, ks, size, pad, subgap, gap, hi - lo, m)
    if fitted is None:
        return None
    chip_w, lines = fitted
    height = 0.0
    for col_lines, k in zip(lines, ks, strict=True):
        for run in split_evenly(len(col_lines), k):
            h = sum(m.lines_height(col_lines[i], size) + 2 * pad for i in run)
            height = max(height, h + vgap * (len(run) - 1))
    widths = [k * w + (k - 1) * subgap for k, w in zip(ks, chip_w, strict=True)]
    markers = [c.marker for c in columns]
    left = pack_boxes(markers, widths, lo, hi, gap)
    dest, levels, count = leader_lines(markers, left, widths, size)
    return ChipLayout(size, pad, vgap, subgap, chip_w, lines, left, height, dest, levels, ks,
                  count)


def leader_lines(markers: list[float], left: list[float], widths: list[float],
             size: float) -> tuple[list[float], list[int], int]:
    """Where each leader meets its box (straight up or down when the marker lies under the
    box, else at the nearest point a little inside it), the elbow level of each leader and
    how many levels there are (0: all straight)."""
    dest = []
    for x, lf, w in zip(markers, left, widths, strict=True):
        inset = min(w / 2, max(0.15 * w, size))
        dest.append(x if lf + 0.3 * size <= x <= lf + w - 0.3 * size
                    else min(max(x, lf + inset), lf + w - inset))
    levels = elbow_levels(markers, dest, 0.5)
    bent = any(abs(d - x) > 0.5 for x, d in zip(markers, dest, strict=True))
    return dest, levels, (max(levels) + 1 if bent else 0)


def elbow_height(level: int, size: float) -> float:
    """Distance from the axis to the elbow of a leader at ``level``."""
    return (0.9 + 0.5 * level) * size


def band_height(count: int, size: float) -> float:
    """Distance from the axis to the shelf under the chips (or to the top of the type
    labels) when the leaders need ``count`` elbow heights."""
    return (0.9 + 0.5 * count + 0.8) * size if count else 1.6 * size
