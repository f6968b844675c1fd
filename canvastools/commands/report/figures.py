"""The class report's figures, like seaborn's: each draws on ``ax`` (or a new figure's Axes)
and returns the Axes; rcParams are changed only inside a ``with``.

>>> from canvastools.commands.report.tables import Confusion
>>> conf = Confusion("types", "bmg2010", ("personal_assistance", "self_service"),
...                  ((3, 1, 0), (0, 4, 1), (0, 0, 0)), answers=9, unanswered=0)
>>> ax = plot_confusion(conf, lang="it")
>>> ax.get_ylabel()
'key (expected type)'
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from canvastools._io.literal import LITERAL_RC
from canvastools.draw import palette
from canvastools.draw.fitting import FONT_FAMILY

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from canvastools.commands.report.data import ClassReport
    from canvastools.commands.report.tables import Confusion

__all__ = ["plot_scores", "plot_item_results", "plot_answer_split", "plot_confusion",
           "draw_item_map"]

RC = {"font.family": FONT_FAMILY, "font.size": 9, "axes.titlesize": 10,
      "axes.labelsize": 9, "xtick.labelsize": 8, "ytick.labelsize": 8,
      **LITERAL_RC}  # a student's choice "$...$" is drawn as written, never as mathtext
RIGHT, PARTLY, WRONG, UNANSWERED = "#009E73", "#E69F00", "#D55E00", "#BDBDBD"
VERDICT_COLOURS = {"right": RIGHT, "partly": PARTLY, "wrong": WRONG, "unanswered": UNANSWERED}
VERDICT_NAMES = {"right": "right", "partly": "partly right", "wrong": "wrong",
                 "unanswered": "not answered"}
MARGIN_FACE = "#F2F2F2"
CELL = 0.62            # inches per matrix cell on a new figure
ROW = 0.3              # inches per item bar on a new figure
LABEL_CHARS = 30       # row labels wrap at this many characters
COLUMN_CHARS = 34      # column labels are cut at this many characters (one turned line)


def _axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    """``ax``, or the Axes of a new pyplot figure (made outside any rc_context: the first
    pyplot figure of a Jupyter kernel sets up the inline backend in rcParams)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.figure(figsize=figsize).add_subplot()


def _wrap(text: str, width: int, lines: int = 3) -> str:
    wrapped = textwrap.wrap(text, width, break_long_words=False,
                            break_on_hyphens=False) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: max(1, width - 1)] + "…"
    return "\n".join(wrapped)


def _luminance(colour: Any) -> float:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _shade(base: str, share: float) -> tuple[float, float, float]:
    """``base`` mixed with white: white at share 0, ``base`` at share 1."""
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(base)
    t = 0.12 + 0.88 * max(0.0, min(1.0, share)) if share > 0 else 0.0
    return (1 - t + t * r, 1 - t + t * g, 1 - t + t * b)


# -- score distribution ----------------------------------------------------------------------
def scores_figsize() -> tuple[float, float]:
    return (7.0, 2.8)


def plot_scores(report: ClassReport, ax: Axes | None = None, *, low: float | None = None,
                bins: int | None = None) -> Axes:
    """Histogram of the graded students' scores (bins of one point, at most 20 bins), with
    the count above each bar and, when ``low`` is given, the low-score line."""
    import numpy as np
    from matplotlib import rc_context

    ax = _axes(ax, scores_figsize())
    scores = [s.score for s in report.graded if s.score is not None]
    top = report.max_score or max(scores, default=1.0) or 1.0
    bins = bins or int(min(20, max(1, np.ceil(top))))
    with rc_context(RC):
        counts, edges, bars = ax.hist(scores, bins=bins, range=(0, top),
                                      color=palette.OKABE_ITO[4], edgecolor="white",
                                      linewidth=1)
        for count, bar in zip(counts, bars, strict=True):
            if count:
                ax.annotate(f"{int(count)}", (bar.get_x() + bar.get_width() / 2, count),
                            xytext=(0, 2), textcoords="offset points", ha="center",
                            va="bottom", fontsize=8, color=palette.TEXT)
        if low is not None:
            ax.axvline(low * top, color=WRONG, linestyle="--", linewidth=1)
            ax.annotate(f"low score (< {low * top:g})", (low * top, 1), xycoords=(
                "data", "axes fraction"), xytext=(-4, -4), textcoords="offset points",
                ha="right", va="top", fontsize=8, color=WRONG)
        ax.set_xlim(0, top)
        ax.set_ylim(0, max(counts.max() if len(counts) else 1, 1) * 1.18)
        ax.set_xticks(edges if len(edges) <= 21 else edges[::2])
        ax.xaxis.set_major_formatter("{x:g}")
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.set_xlabel(f"points (of {top:g}); {len(scores)} graded students")
        ax.set_ylabel("students")
        ax.spines[["top", "right"]].set_visible(False)
    return ax


# -- results per item ------------------------------------------------------------------------
def _item_name(row: dict[str, Any]) -> str:
    label = row["label"]
    return label if label == row["item"] else f"{label} ({row['item']})"


def items_figsize(rows: Sequence[dict[str, Any]]) -> tuple[float, float]:
    groups = len({r["exercise"] for r in rows})
    return (8.0, 0.9 + ROW * (len(rows) + groups))


def plot_item_results(rows: Sequence[dict[str, Any]], ax: Axes | None = None) -> Axes:
    """One bar per item (rows of :func:`canvastools.commands.report.tables.item_table`): the shares
    of the
    students right, partly right, wrong and not answered; exercises are headed in bold."""
    from matplotlib import rc_context

    ax = _axes(ax, items_figsize(rows))
    with rc_context(RC):
        labels, y, order, exercise = [], 0, [], None
        positions = []
        for row in rows:
            if row["exercise"] != exercise:
                exercise = row["exercise"]
                order.append((y, exercise))
                y += 1
            positions.append(y)
            labels.append(_wrap(_item_name(row), 46, 1))
            y += 1
        for verdict in ("right", "partly", "wrong", "unanswered"):
            left = [sum(r[v] for v in ("right", "partly", "wrong", "unanswered")[
                :("right", "partly", "wrong", "unanswered").index(verdict)])
                / r["students"] if r["students"] else 0 for r in rows]
            width = [r[verdict] / r["students"] if r["students"] else 0 for r in rows]
            ax.barh(positions, width, left=left, height=0.72, color=VERDICT_COLOURS[verdict],
                    label=VERDICT_NAMES[verdict], edgecolor="white", linewidth=0.6)
        for pos, row in zip(positions, rows, strict=True):
            if row["students"] and row["right"]:
                share = row["right"] / row["students"]
                ax.text(min(share, 1) / 2, pos, f"{share:.0%}", ha="center", va="center",
                        fontsize=7, color="white", fontweight="bold")
        ax.set_yticks(positions, labels)
        for pos, name in order:
            ax.text(0, pos, name, ha="left", va="center", fontweight="bold",
                    fontsize=8.5, color=palette.TEXT)
        ax.set_ylim(y - 0.4, -0.7)
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter("{x:.0%}")
        ax.set_xlabel("share of the graded students")
        ax.legend(ncols=4, loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False,
                  fontsize=8, handlelength=1.2, borderaxespad=0.2)
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(axis="y", length=0)
    return ax


# -- matrices --------------------------------------------------------------------------------
def _matrix(ax: Axes, counts: Sequence[Sequence[float]], row_labels: list[str],
            col_labels: list[str], *, colour: Any, margins: tuple[bool, bool] = (False, False),
            framed: Sequence[tuple[int, int, str]] = ()) -> None:
    """Draw a count matrix: each cell in ``colour(row, col)``, shaded by its share of its
    row; zero cells blank (grey in the margins); ``framed`` cells outlined (``-`` solid,
    ``--`` dashed). Column labels stay on one line, turned by 40 degrees, so that they never
    run into each other."""
    from matplotlib.patches import Rectangle

    n_rows, n_cols = len(row_labels), len(col_labels)
    extra_row, extra_col = margins
    biggest = max((sum(r) for r in counts[: n_rows - 1 if extra_row else n_rows]), default=1)
    for i, row in enumerate(counts):
        # the margin row has no total of its own: shaded against the fullest row
        total = biggest if extra_row and i == n_rows - 1 else sum(row)
        for j, value in enumerate(row):
            margin = (extra_row and i == n_rows - 1) or (extra_col and j == n_cols - 1)
            share = value / total if total else 0.0
            face = (_shade(colour(i, j), share) if value
                    else (MARGIN_FACE if margin else "white"))
            ax.add_patch(Rectangle((j, i), 1, 1, facecolor=face, edgecolor="#DDDDDD",
                                   linewidth=0.6))
            if value:
                ink = "white" if _luminance(face) < 0.5 else palette.TEXT
                weight = "bold" if colour(i, j) == RIGHT else "normal"
                ax.text(j + 0.5, i + 0.5, f"{value:g}", ha="center", va="center",
                        fontsize=8.5, color=ink, fontweight=weight)
    for i, j, style in framed:
        ax.add_patch(Rectangle((j + 0.04, i + 0.04), 0.92, 0.92, fill=False,
                               edgecolor=palette.TEXT, linewidth=1.6 if style == "-" else 1.1,
                               linestyle="-" if style == "-" else (0, (2, 1.5))))
    if extra_row:
        ax.axhline(n_rows - 1, color=palette.MUTED, linewidth=1.2)
    if extra_col:
        ax.axvline(n_cols - 1, color=palette.MUTED, linewidth=1.2)
    ax.set_xlim(0, n_cols)
    ax.set_ylim(n_rows, 0)
    ax.set_yticks([i + 0.5 for i in range(n_rows)],
                  [_wrap(t, LABEL_CHARS, 2) for t in row_labels])
    ax.set_xticks([j + 0.5 for j in range(n_cols)],
                  [_wrap(t, COLUMN_CHARS, 1) for t in col_labels], rotation=40, ha="right",
                  rotation_mode="anchor")
    ax.tick_params(length=0)
    ax.set_aspect("equal")
    for spine in ax.spines.values():
        spine.set_visible(False)


def confusion_figsize(conf: Confusion) -> tuple[float, float]:
    n = len(conf.ids) + 1
    return (2.4 + CELL * n, 1.6 + CELL * n)


def plot_confusion(conf: Confusion, ax: Axes | None = None, *, lang: str = "en") -> Axes:
    """The confusion matrix (:func:`canvastools.commands.report.tables.confusion`): rows the key's
    type,
    columns the chosen type, a last row and column for types chosen outside the key and
    key types not chosen. Cells show counts, shaded by their share of the row: green on
    the diagonal, orange elsewhere."""
    from matplotlib import rc_context

    from canvastools.commands.report.tables import choice_label

    ax = _axes(ax, confusion_figsize(conf))
    labels = [choice_label(i, lang, conf.taxonomy) for i in conf.ids]
    n = len(labels)
    with rc_context(RC):
        _matrix(ax, conf.counts, labels + ["not in the key"], labels + ["not chosen"],
                colour=lambda i, j: RIGHT if i == j and i < n else WRONG,
                margins=(True, True))
        what = {"types": "type", "motivations": "motivation",
                "questions": "guiding question"}.get(conf.choices, "choice")
        ax.set_ylabel(f"key (expected {what})")
        ax.set_xlabel("chosen by the student")
        ax.xaxis.set_label_position("bottom")
    return ax


def split_figsize(rows: Sequence[dict[str, Any]], n_choices: int) -> tuple[float, float]:
    return (3.2 + CELL * (n_choices + 1), 1.7 + CELL * len(rows))


def plot_answer_split(rows: Sequence[dict[str, Any]], choices: Sequence[str],
                      ax: Axes | None = None, *, lang: str = "en",
                      taxonomy: str | None = None) -> Axes:
    """How the class's answers to each item (rows of one exercise of
    :func:`canvastools.commands.report.tables.item_table`) split across ``choices``, plus "no
    answer".
    The key's cells are framed, accepted alternatives dashed."""
    from matplotlib import rc_context

    from canvastools.commands.report.tables import choice_label

    ax = _axes(ax, split_figsize(rows, len(choices)))
    counts = [[r["split"].get(c, 0) for c in choices] + [r["unanswered"]] for r in rows]
    framed = [(i, j, "-") for i, r in enumerate(rows) for j, c in enumerate(choices)
              if c in r["key"]]
    framed += [(i, j, "--") for i, r in enumerate(rows) for j, c in enumerate(choices)
               if c in r["accepted"]]
    style = {(i, j): s for i, j, s in framed}

    def colour(i: int, j: int) -> str:
        if j == len(choices):
            return palette.MUTED
        return {"-": RIGHT, "--": PARTLY}.get(style.get((i, j), ""), WRONG)

    with rc_context(RC):
        _matrix(ax, counts, [_item_name(r) for r in rows],
                [choice_label(c, lang, taxonomy) for c in choices] + ["no answer"],
                colour=colour, margins=(False, True), framed=framed)
        ax.set_xlabel("students who chose it (framed: the key; dashed: accepted)")
    return ax


# -- item analysis ---------------------------------------------------------------------------
def item_map_figsize() -> tuple[float, float]:
    return (7.0, 3.2)


def draw_item_map(data: Sequence[dict[str, Any]], *, ax: Axes | None = None) -> Axes:
    """Each item as a point: difficulty p (x) against discrimination (y: the item-rest
    correlation, else D), with the flags' thresholds as lines; flagged items are named.

    >>> ax = draw_item_map([{"exercise": "e", "item": "a", "p": 0.5, "D": 0.4,
    ...                      "r_rest": 0.35, "flags": ()}])
    >>> ax.get_xlabel()
    'difficulty p (share of the points earned)'
    """
    from matplotlib import rc_context

    from canvastools.commands.report.item_stats import REVISE_BELOW, VERY_EASY_ABOVE

    ax = _axes(ax, item_map_figsize())
    with rc_context(RC):
        points = [(r["p"], r["r_rest"] if r["r_rest"] is not None else r["D"], r)
                  for r in data if r["p"] is not None]
        points = [(x, y, r) for x, y, r in points if y is not None]
        ax.axhspan(-1.05, 0, color=_shade(WRONG, 0.15), zorder=0)
        ax.axhline(REVISE_BELOW, color=PARTLY, lw=1, ls="--", zorder=1)
        ax.axvline(VERY_EASY_ABOVE, color=UNANSWERED, lw=1, ls=":", zorder=1)
        for x, y, r in points:
            colour = (WRONG if "check the key" in r["flags"] else PARTLY
                      if "revise" in r["flags"] else RIGHT)
            ax.scatter([x], [y], s=28, color=colour, edgecolor="#333333", lw=0.5, zorder=3)
            if r["flags"]:
                ax.annotate(_wrap(r["item"], 18, 1), (x, y), xytext=(4, 3),
                            textcoords="offset points", fontsize=7, color="#333333")
        ax.set_xlim(-0.02, 1.02)
        ax.set_ylim(-1.05, 1.05)
        ax.set_xlabel("difficulty p (share of the points earned)")
        ax.set_ylabel("discrimination")
        margin = ax.get_yaxis_transform()      # x in axes units, y in data units
        ax.text(1.01, -0.5, "under 0:\ncheck the key", transform=margin, fontsize=7,
                color=WRONG, va="center")
        ax.text(1.01, REVISE_BELOW, f"under {REVISE_BELOW:g}:\nrevise", transform=margin,
                fontsize=7, color="#8a5a00", va="center")
        ax.text(VERY_EASY_ABOVE, 1.06, "very easy \u2192", fontsize=7, ha="center",
                va="bottom", color="#555555", clip_on=False)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    return ax
