"""Benchmark the commands as a user runs them, each a whole process, against baselines run in
the same session (the machine is shared and noisy: only the ratios mean something).

- ``canvastools draw canvas72.yaml -o out.png`` vs a plain matplotlib script (its own process)
  that draws the same 72 texts in boxes and saves a PNG of the same size and dpi.
  Target: ratio <= 1.5.
- ``python -c "import canvastools"`` vs ``python -c "pass"`` (a bare interpreter).
  Target: at most 50 ms added.

Run: ``python benchmarks/bench_cli.py`` (options: ``--repeats N``). Prints the best-of-N times
and the ratios; no asserts: a script.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_draw import many_canvas  # noqa: E402

BIN = Path(sys.executable).parent / "canvastools"
DPI = 150

PLAIN_SCRIPT = """\
import sys
import yaml
import matplotlib
matplotlib.use("Agg")
from matplotlib.figure import Figure

data = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
texts = [n if isinstance(n, str) else n["text"] for notes in data["blocks"].values()
         for n in notes]
fig = Figure(figsize=(16, 10))
ax = fig.add_axes((0, 0, 1, 1))
ax.set_xlim(0, 16)
ax.set_ylim(0, 10)
ax.set_axis_off()
for i, text in enumerate(texts):
    ax.text(0.3 + (i % 9) * 1.75, 0.4 + (i // 9) * 1.2, text, fontsize=8,
            bbox={"boxstyle": "round", "facecolor": "#F9E3B8", "edgecolor": "#888888"})
fig.savefig(sys.argv[2], dpi=DPI, format="png")
""".replace("DPI", str(DPI))


def best_of(command: list[str], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=7, help="runs of each command (best kept)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        canvas_file = tmp / "canvas72.yaml"
        canvas = many_canvas()
        assert canvas.note_count == 72
        canvas_file.write_text(yaml.safe_dump(canvas.to_dict(), allow_unicode=True),
                               encoding="utf-8")
        script = tmp / "plain.py"
        script.write_text(PLAIN_SCRIPT, encoding="utf-8")
        py = sys.executable
        draw = [str(BIN), "draw", str(canvas_file), "-o", str(tmp / "ours.png"),
                "--dpi", str(DPI)]
        plain = [py, str(script), str(canvas_file), str(tmp / "plain.png")]
        bare, light = [py, "-c", "pass"], [py, "-c", "import canvastools"]
        for command in (draw, plain, bare, light):   # warm-up: disk and font caches
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        # interleave the measured commands so that a noisy neighbour hits both alike
        t = {"draw": [], "plain": [], "bare": [], "light": []}
        for _ in range(args.repeats):
            for name, command in (("draw", draw), ("plain", plain), ("bare", bare),
                                  ("light", light)):
                t[name].append(best_of(command, 1))
        best = {name: min(values) for name, values in t.items()}
    print(f"plain matplotlib script, 72 boxed texts, PNG: {best['plain'] * 1000:7.0f} ms")
    print(f"canvastools draw, 72-note canvas, PNG:        {best['draw'] * 1000:7.0f} ms")
    print(f"draw ratio: {best['draw'] / best['plain']:.2f} (target <= 1.5)")
    print(f"bare interpreter (python -c pass):            {best['bare'] * 1000:7.0f} ms")
    print(f"python -c 'import canvastools':               {best['light'] * 1000:7.0f} ms")
    added = (best["light"] - best["bare"]) * 1000
    print(f"import canvastools adds: {added:.0f} ms (target <= 50); "
          f"ratio {best['light'] / best['bare']:.2f}")
    print(f"(best of {args.repeats} interleaved runs of each command, this machine, now)")


if __name__ == "__main__":
    main()
