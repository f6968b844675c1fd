"""A large course, measured: 10,000 widget-only submissions graded, reported and exported.

    .venv/bin/python benchmarks/bench_scale.py                  # 10,000 students (~10 minutes)
    .venv/bin/python benchmarks/bench_scale.py --students 50    # a check, under a minute

One demo course (``canvastools quickstart``, assignment demo-classify, widgets only) with N
generated submissions (the real AnswerStore, as ``bench_autograde.py`` makes them). Every
command is timed as the instructor runs it, a whole process: wall-clock seconds, and the CPU
seconds of every process it started (so that parallel workers do not hide any). In one run:

- ``canvastools autograde demo-classify --jobs 2``, nbgrader's gradebook written (aim: 10,000
  in 180 s on 2 cores, so at most 36 ms of CPU a submission in all processes; below 10,000
  the time is scaled up, and says so);
- ``canvastools report demo-classify`` (aim: 10 s; nbgrader has no such command);
- ``canvastools export demo-classify --to csv|canvas|moodle`` against ``nbgrader export``, on
  the same gradebook (aim: 10 s each);
- ``nbgrader autograde`` on a sample of the same class (``--sample``, default 200), with the
  course's settings (canvastools scores, no kernel), and as nbgrader comes out of the box (a
  kernel per notebook; ``--stock-sample``, default 20): graded by nbgrader, 10,000 would take
  hours, so the ratios are per submission, and the output says so.

No asserts: a script. The machine is shared: the load average is printed before and after.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from classes import BIN, demo_course, make_class, measure, stock_copy  # noqa: E402

ASSIGNMENT = "demo-classify"
AIM_AUTOGRADE = 180.0  # seconds for 10,000 submissions, on 2 cores
AIM_CPU = AIM_AUTOGRADE * 2 / 10_000  # CPU seconds a submission, every process: 36 ms
AIM_COMMAND = 10.0     # seconds for report and each export
FULL = 10_000


def met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def copy_course(base: Path, to: Path) -> Path:
    shutil.copytree(base, to, symlinks=True)
    return to


def rows(path: Path) -> int:
    with path.open(newline="", encoding="utf-8") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=FULL, metavar="N",
                        help=f"submissions in the large class (default: {FULL:,})")
    parser.add_argument("--sample", type=int, metavar="N",
                        help="submissions graded by nbgrader autograde (default: 200, or a "
                             "5th of --students if fewer; at least 10)")
    parser.add_argument("--stock-sample", type=int, metavar="N",
                        help="submissions graded by nbgrader as it comes (default: 20, or "
                             "a 25th of --students if fewer; at least 2)")
    parser.add_argument("--jobs", type=int, default=2, help="canvastools autograde --jobs")
    parser.add_argument("--report-timeout", type=float, default=120, metavar="SECONDS",
                        help="stop canvastools report after this long (default: 120)")
    args = parser.parse_args()
    n = args.students
    sample = args.sample or min(200, max(10, n // 5), n)
    stock_sample = args.stock_sample or min(20, max(2, n // 25))
    ct, nbg = str(BIN / "canvastools"), str(BIN / "nbgrader")
    print(f"bench_scale {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.node()}, "
          f"Python {platform.python_version()}; {load()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        work = Path(tmp)
        base = demo_course(work)  # work/demo: the course with no submissions
        big = copy_course(base, work / "big")
        started = time.perf_counter()
        make_class(big, ASSIGNMENT, n, seed=3)
        print(f"{n:,} widget-only submissions of {ASSIGNMENT} generated in "
              f"{time.perf_counter() - started:.0f} s (not measured below)", flush=True)

        wall, cpu, out = measure(ct, "autograde", ASSIGNMENT, "--jobs", str(args.jobs),
                                 cwd=big)
        per = wall / n
        projected = per * FULL
        scaled = "" if n == FULL else (f", {projected:.0f} s scaled to {FULL:,} (start-up "
                                       "included: pessimistic for a small class)")
        print(f"canvastools autograde --jobs {args.jobs}, {n:,} submissions, gradebook written: "
              f"{wall:.1f} s wall{scaled} ({1000 * per:.1f} ms a submission), "
              f"CPU {cpu:.1f} s ({1000 * cpu / n:.1f} ms a submission); aim {FULL:,} in "
              f"{AIM_AUTOGRADE:.0f} s: {met(projected <= AIM_AUTOGRADE)}; CPU aim "
              f"{1000 * AIM_CPU:.0f} ms a submission (2 cores busy for {AIM_AUTOGRADE:.0f} s): "
              f"{met(cpu / n <= AIM_CPU)}", flush=True)
        summary = [line for line in out.splitlines() if " graded, " in line]
        print(f"  its summary: {summary[-1] if summary else out.strip()[-300:]}; now {load()}",
              flush=True)
        ours = {"wall": per, "cpu": cpu / n}


        wall_nb, cpu_nb, _ = measure(nbg, "export", cwd=big)
        print(f"nbgrader export (every assignment, {rows(big / 'grades.csv'):,} rows): "
              f"{wall_nb:.1f} s wall, CPU {cpu_nb:.1f} s", flush=True)
        for to in ("csv", "canvas", "moodle"):
            wall, cpu, _ = measure(ct, "export", ASSIGNMENT, "--to", to, cwd=big)
            written = rows(big / f"grades-{to}-{ASSIGNMENT}.csv")
            print(f"canvastools export --to {to:6} ({written:,} rows): {wall:.1f} s wall, "
                  f"CPU {cpu:.1f} s ({wall / wall_nb:.2f}x nbgrader export's wall time); aim "
                  f"{AIM_COMMAND:.0f} s: {met(wall <= AIM_COMMAND)}", flush=True)

        wall, cpu, out = measure(ct, "report", ASSIGNMENT, cwd=big, timeout=args.report_timeout)
        stopped = "" if out is not None else " (stopped at --report-timeout: more than that)"
        print(f"canvastools report, {n:,} students: {wall:.1f} s wall{stopped}, CPU {cpu:.1f} s "
              f"(no nbgrader equivalent); aim {AIM_COMMAND:.0f} s: "
              f"{met(out is not None and wall <= AIM_COMMAND)}", flush=True)

        print("nbgrader autograde on samples of the same class (10,000 by nbgrader would take "
              "too long): per-submission figures, each command's start-up included", flush=True)
        for label, course, size in (
                ("with the course's canvastools settings (no kernel)",
                 copy_course(base, work / "sample"), sample),
                ("as it comes (a kernel per notebook)",
                 stock_copy(base, work, "stock"), stock_sample)):
            make_class(course, ASSIGNMENT, size, seed=3)
            wall, cpu, _ = measure(nbg, "autograde", ASSIGNMENT, cwd=course)
            print(f"  nbgrader autograde {label}, {size:,} submissions: {wall:.1f} s wall "
                  f"({1000 * wall / size:.0f} ms a submission; canvastools autograde is "
                  f"{wall / size / ours['wall']:.1f}x faster), CPU {1000 * cpu / size:.0f} ms a "
                  f"submission (canvastools: {ours['cpu'] / (cpu / size):.2f}x the cost)",
                  flush=True)
    print(f"done; {load()}")


if __name__ == "__main__":
    main()
