"""Benchmark: drawing + saving a 72-note canvas vs plain matplotlib drawing 72 boxed texts.

Run: ``python benchmarks/bench_draw.py``. Prints the best-of-5 times, their ratio (the target
is <= 3) and the tracemalloc memory peak of one canvas draw + save. No asserts: a script.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_draw import many_canvas  # noqa: E402

from canvastools.draw import save_canvas  # noqa: E402
from canvastools.draw.canvas import DEFAULT_FIGSIZE  # noqa: E402

DPI = 150
REPEATS = 5


def plain(canvas, out) -> None:
    """The baseline: the same 72 texts with ax.text + bbox, same figure size and dpi."""
    fig = Figure(figsize=DEFAULT_FIGSIZE)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 16)
    ax.set_ylim(0, 10)
    ax.set_axis_off()
    notes = [n for notes in canvas.blocks.values() for n in notes]
    for i, note in enumerate(notes):
        x, y = 0.3 + (i % 9) * 1.75, 0.4 + (i // 9) * 1.2
        ax.text(x, y, note.text, fontsize=8, wrap=False,
                bbox={"boxstyle": "round", "facecolor": "#F9E3B8", "edgecolor": "#888888"})
    fig.savefig(out, dpi=DPI, format="png")


def ours(canvas, out) -> None:
    save_canvas(canvas, out, dpi=DPI)


def best(func, canvas, out_path) -> float:
    times = []
    for _ in range(REPEATS):
        t = time.perf_counter()
        func(canvas, out_path)
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    import tempfile

    canvas = many_canvas()
    assert canvas.note_count == 72
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bench.png"
        ours(canvas, out)          # warm-up: font caches, imports
        plain_out = Path(tmp) / "plain.png"
        plain(canvas, plain_out)
        t_plain = best(plain, canvas, plain_out)
        t_ours = best(ours, canvas, out)
        tracemalloc.start()
        ours(canvas, out)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(f"plain matplotlib, 72 boxed texts, draw+save PNG: {t_plain * 1000:7.1f} ms (best of 5)")
    print(f"canvastools save_canvas, 72 notes:               {t_ours * 1000:7.1f} ms (best of 5)")
    print(f"ratio: {t_ours / t_plain:.2f} (target <= 3)")
    print(f"memory peak of one canvas draw+save (tracemalloc): {peak / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
