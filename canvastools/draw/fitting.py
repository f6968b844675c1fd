"""Text fitting without re-rendering: measure once, then wrap and shrink with arithmetic.

Word widths are measured once per (font, word) with the Agg renderer's
``get_text_width_height_descent`` at a reference size and scaled linearly; line heights are
calibrated once per font from a throwaway figure. Wrapping a note is then pure Python.

>>> m = metrics()
>>> lines = wrap("Dedicated bankers for wealthy clients", width_pt=80, size=10, m=m)
>>> len(lines) > 1
True
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from matplotlib.font_manager import FontProperties

FONT_FAMILY = "DejaVu Sans"      # ships with matplotlib; covers Latin accents and Cyrillic
REF_SIZE = 10.0                  # points; measurements are scaled from this size
WIDTH_SAFETY = 1.12              # hinting makes rendered widths vary by up to ~10 % with dpi
MARKER_SCALE = 1.3               # the "+N more notes" marker is bigger than the notes
LONG_TOKEN = 18                  # words longer than this (URLs...) may be broken anywhere
TAG_GAP = 0.25                   # space between a note's text and its type tag (x font size)


@contextlib.contextmanager
def _unhinted() -> Iterator[None]:
    """Measure text without hinting; the caller's ``text.hinting`` is restored on exit.

    Like ``rc_context({"text.hinting": "no_hinting"})`` for this one setting, without copying
    every rcParam on each call: measuring the words of a canvas calls it hundreds of times.
    """
    from matplotlib import rcParams

    old = rcParams["text.hinting"]
    if old == "no_hinting":
        yield
        return
    rcParams["text.hinting"] = "no_hinting"
    try:
        yield
    finally:
        rcParams["text.hinting"] = old


@dataclass
class FontMetrics:
    """Cached measurements of one font (family + weight), in points at ``REF_SIZE``."""

    weight: str = "normal"
    family: str = FONT_FAMILY
    _widths: dict[str, float] = field(default_factory=dict, repr=False)
    _tall: dict[str, bool] = field(default_factory=dict, repr=False)
    line_first: float = 0.0      # height of a one-line text (with accented capitals: À, Й)
    line_step: float = 0.0       # extra height per further line (idem)
    plain_first: float = 0.0     # the same for lines without glyphs taller than "l"
    plain_step: float = 0.0

    def __post_init__(self) -> None:
        from matplotlib.backends.backend_agg import RendererAgg

        self.prop = FontProperties(family=self.family, weight=self.weight, size=REF_SIZE)
        self._renderer = RendererAgg(10, 10, 72)        # 72 dpi: pixels are points
        self._calibrate_heights()

    def width(self, text: str, size: float) -> float:
        """Width in points of ``text`` (one line) at font ``size``."""
        w = self._widths.get(text)
        if w is None:
            # Measured without hinting whatever the caller's rcParams, so the cached width
            # (and every layout built on it) does not depend on what was drawn before.
            with _unhinted():
                w, _, _ = self._renderer.get_text_width_height_descent(text, self.prop, False)
            self._widths[text] = w
        return w * size / REF_SIZE * WIDTH_SAFETY

    def height(self, n_lines: int, size: float) -> float:
        """Height in points of a text of ``n_lines`` lines at font ``size``, whatever they
        hold (see ``lines_height`` for the height of given lines)."""
        if n_lines <= 0:
            return 0.0
        return (self.line_first + (n_lines - 1) * self.line_step) * size / REF_SIZE

    def lines_height(self, lines: list[str] | tuple[str, ...], size: float) -> float:
        """Height in points of ``lines`` at font ``size``: matplotlib gives a line holding a
        glyph taller than "l" (À, Й...) more room, so only such lines count as tall.

        >>> m = metrics()
        >>> m.lines_height(["Hello", "world"], 10) < m.lines_height(["Hello", "Ёлка"], 10)
        True
        """
        if not lines:
            return 0.0
        tall = [self._is_tall(line) for line in lines]
        h = self.line_first if tall[0] else self.plain_first
        h += sum(self.line_step if t else self.plain_step for t in tall[1:])
        return h * size / REF_SIZE

    def _is_tall(self, line: str) -> bool:
        new = [c for c in set(line) if c not in self._tall]
        if new:
            with _unhinted():
                for c in new:
                    _, h, d = self._renderer.get_text_width_height_descent(c, self.prop, False)
                    self._tall[c] = bool(h - d > self._ascent + 0.05)
        return any(self._tall[c] for c in line)

    def _calibrate_heights(self) -> None:
        from matplotlib import rc_context
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        # Hinting changes the rendered heights by a few %: take the larger of the two, so the
        # result neither depends on the caller's rcParams nor lets hinted text overflow.
        # The plain sample has the deepest common descenders; the tall one adds capitals
        # with accents, which make matplotlib space their line further from the previous.
        samples = {"tall": "ÀÉÍgjpqy|Йё(", "plain": "gjpqy|lp(Q)"}
        found = {k: [0.0, 0.0] for k in samples}
        for hinting in ("no_hinting", "default"):    # saving; the notebook
            with rc_context({"text.hinting": hinting}):
                fig = Figure(figsize=(4, 4), dpi=72)
                renderer = FigureCanvasAgg(fig).get_renderer()
                for kind, sample in samples.items():
                    heights = []
                    for n in (1, 2, 3):
                        t = fig.text(0.1, 0.9, "\n".join([sample] * n),
                                     fontproperties=self.prop, va="top")
                        heights.append(t.get_window_extent(renderer).height)
                    found[kind][0] = max(found[kind][0], heights[0])
                    found[kind][1] = max(found[kind][1], heights[2] - heights[1],
                                         heights[1] - heights[0])
        self.line_first, self.line_step = (float(v) * 1.02 for v in found["tall"])
        self.plain_first, self.plain_step = (float(v) * 1.02 for v in found["plain"])
        with rc_context({"text.hinting": "no_hinting"}):
            _, h, d = self._renderer.get_text_width_height_descent("lp", self.prop, False)
        self._ascent = h - d


@functools.lru_cache(maxsize=4)
def metrics(weight: str = "normal") -> FontMetrics:
    """The shared, cached metrics of the drawing font."""
    return FontMetrics(weight=weight)


def words(text: str) -> list[str]:
    """The words of ``text``, split at ordinary spaces only: a no-break space (U+00A0, as in
    French « : ») keeps its two sides on one line.

    >>> words("Pas encore de note\u00a0: ajoutez")
    ['Pas', 'encore', 'de', 'note\xa0:', 'ajoutez']
    """
    return [w for w in re.split(r"[ \t\n\r\f\v]+", text) if w]


def _split_long(word: str, width_pt: float, size: float, m: FontMetrics) -> list[str]:
    """Break a word wider than the line into pieces (character by character)."""
    pieces, cur = [], ""
    for ch in word:
        if cur and m.width(cur + ch, size) > width_pt:
            pieces.append(cur)
            cur = ch
        else:
            cur += ch
    if cur:
        pieces.append(cur)
    return pieces


def wrap(text: str, width_pt: float, size: float, m: FontMetrics) -> list[str]:
    """Greedy word wrap of ``text`` into lines no wider than ``width_pt`` at ``size``."""
    lines: list[str] = []
    space = m.width(" ", size)
    for paragraph in str(text).split("\n"):
        cur, cur_w = "", 0.0
        for word in words(paragraph):
            ww = m.width(word, size)
            if ww > width_pt:
                parts = _split_long(word, width_pt, size, m)
                if cur:
                    lines.append(cur)
                lines.extend(parts[:-1])
                cur = parts[-1]
                cur_w = m.width(cur, size)
                continue
            if cur and cur_w + space + ww <= width_pt:
                cur, cur_w = f"{cur} {word}", cur_w + space + ww
            elif cur:
                lines.append(cur)
                cur, cur_w = word, ww
            else:
                cur, cur_w = word, ww
        lines.append(cur)
    return lines


def lines_width(lines: list[str], size: float, m: FontMetrics) -> float:
    return max((m.width(line, size) for line in lines if line), default=0.0)


def fits(text: str, width_pt: float, height_pt: float, size: float,
         m: FontMetrics) -> list[str] | None:
    """The wrapped lines when ``text`` fits the box at ``size``, else None."""
    if width_pt <= 0 or height_pt <= 0:
        return None
    lines = wrap(text, width_pt, size, m)
    if m.height(len(lines), size) > height_pt or lines_width(lines, size, m) > width_pt:
        return None
    return lines


def font_sizes(max_size: float, min_size: float, step: float = 0.5) -> list[float]:
    """Candidate sizes from largest to smallest."""
    out, s = [], max_size
    while s >= min_size - 1e-9:
        out.append(round(s, 2))
        s -= step
    return out


# --- fitting sticky notes into a block ------------------------------------------------------

@dataclass(frozen=True)
class NoteSpec:
    """What a note needs fitted: its text and (CR notes) the label of its type tag."""

    text: str
    tag: str | None = None


@dataclass(frozen=True)
class PlacedNote:
    """A fitted note, in points relative to the top-left corner of the notes area."""

    index: int
    x: float
    y: float           # distance from the top of the area to the top of the note
    w: float
    h: float
    lines: tuple[str, ...]
    tag_lines: tuple[str, ...]


@dataclass(frozen=True)
class NotePlan:
    size: float                       # font size of the note texts
    tag_size: float
    pad: float                        # inner padding of a note (points)
    band: float                       # width of the segment colour band (points)
    gap: float                        # space between notes (points)
    notes: tuple[PlacedNote, ...]
    hidden: int = 0                   # notes that could not be shown
    marker_h: float = 0.0             # height reserved at the bottom for "+N more notes"


def note_geometry(size: float) -> tuple[float, float, float, float]:
    """(pad, band, gap, tag_size) for notes written at ``size``."""
    return max(2.0, 0.4 * size), max(2.5, 0.5 * size), max(2.5, 0.45 * size), 0.82 * size


def _breaks_words(text: str, width: float, size: float, m: FontMetrics) -> bool:
    """True when an ordinary word of ``text`` is wider than ``width`` (it would be split)."""
    return any(len(w) <= LONG_TOKEN and m.width(w, size) > width for w in words(text))


def _note_height(spec: NoteSpec, inner_w: float, size: float, tag_size: float, pad: float,
                 m: FontMetrics, allow_split: bool = True) -> tuple[float, list[str], list[str]]:
    if not allow_split and (_breaks_words(spec.text, inner_w, size, m) or (
            spec.tag and _breaks_words(spec.tag, inner_w - 0.6 * tag_size, tag_size, m))):
        return float("inf"), [], []
    lines = wrap(spec.text, inner_w, size, m)
    if lines_width(lines, size, m) > inner_w:
        return float("inf"), lines, []
    h = m.lines_height(lines, size) + 2 * pad
    tag_lines: list[str] = []
    if spec.tag:
        tpad = 0.3 * tag_size
        tag_lines = wrap(spec.tag, inner_w - 2 * tpad, tag_size, m)
        if lines_width(tag_lines, tag_size, m) > inner_w - 2 * tpad:
            return float("inf"), lines, tag_lines
        h += TAG_GAP * size + m.lines_height(tag_lines, tag_size) + 2 * tpad
    return h, lines, tag_lines


def _try_grid(specs: list[NoteSpec], width: float, height: float, size: float, cols: int,
              m: FontMetrics, allow_split: bool = True) -> list[PlacedNote] | None:
    pad, band, gap, tag_size = note_geometry(size)
    note_w = (width - (cols - 1) * gap) / cols
    inner_w = note_w - band - 2 * pad
    if inner_w < 6 * size:          # too narrow to be readable
        return None
    min_h = m.height(2, size) + 2 * pad   # at least two lines high, so it looks like a note
    placed: list[PlacedNote] = []
    top = 0.0
    for r0 in range(0, len(specs), cols):
        row = []
        for j, spec in enumerate(specs[r0:r0 + cols]):
            h, lines, tag_lines = _note_height(spec, inner_w, size, tag_size, pad, m,
                                               allow_split)
            row.append((r0 + j, j, h if spec.tag else max(h, min_h), lines, tag_lines))
        row_h = max(r[2] for r in row)
        if top + row_h > height + 1e-6:
            return None
        for idx, j, _h, lines, tag_lines in row:
            placed.append(PlacedNote(idx, j * (note_w + gap), top, note_w, row_h,
                                     tuple(lines), tuple(tag_lines)))
        top += row_h + gap
    return placed


def plan_notes(specs: list[NoteSpec], width: float, height: float, *, max_size: float = 10.0,
               min_size: float = 6.0, max_cols: int = 4, marker: bool = True,
               m: FontMetrics | None = None) -> NotePlan:
    """Fit ``specs`` into a ``width`` x ``height`` area (points): biggest font that fits all.

    When even ``min_size`` cannot hold them all, keep the first notes that fit and report the
    rest as ``hidden`` (the caller draws a "+N more notes" marker in ``marker_h``).

    >>> plan = plan_notes([NoteSpec("Website")] * 3, 200, 300)
    >>> plan.size, plan.hidden
    (10.0, 0)
    """
    m = m or metrics()
    n = len(specs)
    if n == 0:
        pad, band, gap, tag_size = note_geometry(max_size)
        return NotePlan(max_size, tag_size, pad, band, gap, ())
    cols_options = range(1, min(n, max_cols) + 1)
    for allow_split in (False, True):      # break words inside only when nothing else fits
        for size in font_sizes(max_size, min_size):
            for cols in cols_options:
                placed = _try_grid(specs, width, height, size, cols, m, allow_split)
                if placed is not None:
                    pad, band, gap, tag_size = note_geometry(size)
                    return NotePlan(size, tag_size, pad, band, gap, tuple(placed))
    # Too many notes for this block: show the first k at the minimum size plus a marker.
    size = min_size
    pad, band, gap, tag_size = note_geometry(size)
    ms = MARKER_SCALE * size
    marker_h = metrics("bold").height(1, ms) + 0.8 * ms + gap if marker else 0.0
    # The first k notes fit for every k below the largest that fits (a grid with fewer notes
    # is never taller), so a binary search per column count finds the largest k quickly:
    # a block of 1,000 notes takes about 40 tries instead of 4,000.
    best: tuple[int, int, list[PlacedNote]] | None = None      # (k, -cols, placed)
    for cols in cols_options:
        low, high, found = 1, n - 1, None
        while low <= high:
            k = (low + high) // 2
            placed = _try_grid(specs[:k], width, height - marker_h, size, cols, m)
            if placed is not None:
                low, found = k + 1, (k, -cols, placed)
            else:
                high = k - 1
        if found is not None and (best is None or found[:2] > best[:2]):
            best = found
    if best is not None:
        k, _, placed = best
        return NotePlan(size, tag_size, pad, band, gap, tuple(placed), n - k, marker_h)
    return NotePlan(size, tag_size, pad, band, gap, (), n, marker_h)


def fit_title(text: str, width: float, *, max_size: float, min_size: float,
              max_lines: int = 2, m: FontMetrics | None = None) -> tuple[float, list[str]]:
    """The biggest size (and wrapped lines) at which ``text`` fits ``width`` in few lines."""
    m = m or metrics("bold")
    for size in font_sizes(max_size, min_size):
        lines = wrap(text, width, size, m)
        if len(lines) <= max_lines and lines_width(lines, size, m) <= width:
            return size, lines
    lines = wrap(text, width, min_size, m)
    return min_size, lines
