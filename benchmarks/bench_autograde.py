"""Grading speed, measured as the instructor runs it: whole commands, ratios in one run.

    .venv/bin/python benchmarks/bench_autograde.py            # 40 per assignment, 1,000 demo
    .venv/bin/python benchmarks/bench_autograde.py --quick    # 10 per assignment, 200 demo

For each shipped assignment (and the quickstart demo) it makes a course with N generated
submissions (answers written with the real AnswerStore) and times, in the same run:

- ``nbgrader autograde`` as nbgrader grades out of the box: every notebook executed in a
  kernel, the hidden test computing the grade in the student's kernel (the old design);
- ``nbgrader autograde`` with the course's canvastools settings (scored by the grader, no
  kernel for widget-only assignments);
- ``canvastools autograde --jobs 2``;

and prints the cost of one submission (CPU seconds of every process the command started, so
that parallelism does not hide it) with canvastools against the same cells graded by nbgrader
as it comes (aim: at most 1.1x).

Then ``canvastools autograde --jobs 2`` on 1,000 demo submissions, with the gradebook written,
and the per-submission cost. And an assignment whose plain-Python test needs a kernel (run
under bubblewrap): ``nbgrader autograde`` against ``canvastools autograde --jobs 2`` (aim:
1.8x), and the CPU cost of one submission (``--jobs 1``) against nbgrader's (aim: at most
1.1x).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "tools"))

from classes import CPU, demo_course, make_class, sh, stock_copy  # noqa: E402


def repo_course(work: Path, assignment: str) -> Path:
    from check_release import regenerate

    course = work / f"repo-{assignment}"
    regenerate(ROOT, course)
    return course


def compare(course: Path, assignment: str, n: int, work: Path) -> None:
    make_class(course, assignment, n)
    stock = stock_copy(course, work, f"stock-{assignment}")
    ours = work / f"ours-{assignment}"
    shutil.copytree(course, ours, symlinks=True)
    t_stock = sh(str(BIN / "nbgrader"), "autograde", assignment, cwd=stock)
    t_nbgrader = sh(str(BIN / "nbgrader"), "autograde", assignment, cwd=course)
    t_ours = sh(str(BIN / "canvastools"), "autograde", assignment, "--jobs", "2", cwd=ours)
    print(f"{assignment:24} {n:5d}  stock nbgrader {t_stock:7.1f} s | nbgrader+canvastools "
          f"{t_nbgrader:6.1f} s ({t_stock / t_nbgrader:5.1f}x) | canvastools autograde "
          f"--jobs 2 {t_ours:6.1f} s ({t_stock / t_ours:5.1f}x; aim 10x)", flush=True)
    c_stock, c_nbgrader = CPU[str(stock)], CPU[str(course)]
    print(f"{'':24} {'':5}  CPU per submission: the same cells graded by nbgrader as it comes "
          f"{1000 * c_stock / n:.0f} ms | by nbgrader with canvastools "
          f"{1000 * c_nbgrader / n:.0f} ms ({c_nbgrader / c_stock:4.2f}x the cost; aim at most "
          "1.1x)", flush=True)


def kernel_course(work: Path, n: int) -> Path:
    """A course whose assignment has a plain-Python test: every submission needs a kernel."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    course = work / "kernel"
    sh(str(BIN / "canvastools"), "quickstart", str(course), cwd=work)

    def cell(source: str, grade_id: str, **flags) -> object:
        made = new_code_cell(source)
        made.metadata["nbgrader"] = {"grade": flags.get("grade", False), "grade_id": grade_id,
                                     "locked": flags.get("locked", False),
                                     "schema_version": 3, "task": False,
                                     "solution": flags.get("solution", False)}
        if flags.get("grade"):
            made.metadata["nbgrader"]["points"] = 1.0
        return made

    nb = new_notebook(cells=[
        cell("def margin(price, cost):\n    ### BEGIN SOLUTION\n    return price - cost\n"
             "    ### END SOLUTION", "answer", solution=True),
        cell("assert margin(3, 1) == 2", "test", grade=True, locked=True)])
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python",
                                 "name": "python3"}
    (course / "source" / "margin").mkdir(parents=True)
    nbformat.write(nb, str(course / "source" / "margin" / "margin.ipynb"))
    sh(str(BIN / "nbgrader"), "generate_assignment", "margin", "--force", cwd=course)
    for index in range(n):
        folder = course / "submitted" / f"s{index:04d}" / "margin"
        folder.mkdir(parents=True)
        shutil.copyfile(course / "release" / "margin" / "margin.ipynb", folder / "margin.ipynb")
    return course


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer submissions")
    args = parser.parse_args()
    n, big = (10, 200) if args.quick else (40, 1000)
    with tempfile.TemporaryDirectory(prefix="bench-autograde-") as tmp:
        work = Path(tmp)
        print(f"{'assignment':24} {'subs':>5}")
        compare(demo_course(work), "demo-classify", n, work)
        for assignment in ("classify-cases", "motivations-questions", "design-relationships"):
            compare(repo_course(work, assignment), assignment, n, work)

        course = kernel_course(work, n)
        one, two = work / "kernel-one", work / "kernel-two"
        shutil.copytree(course, one, symlinks=True)
        shutil.copytree(course, two, symlinks=True)
        t_nbgrader = sh(str(BIN / "nbgrader"), "autograde", "margin", cwd=course)
        c_nbgrader = CPU[str(course)]
        t_one = sh(str(BIN / "canvastools"), "autograde", "margin", "--jobs", "1", cwd=one)
        c_one = CPU[str(one)]
        t_two = sh(str(BIN / "canvastools"), "autograde", "margin", "--jobs", "2", cwd=two)
        print(f"{'margin (kernel, bwrap)':24} {n:5d}  nbgrader autograde {t_nbgrader:6.1f} s | "
              f"canvastools autograde --jobs 1 {t_one:6.1f} s | --jobs 2 {t_two:6.1f} s "
              f"({t_nbgrader / t_two:4.2f}x; aim 1.8x)", flush=True)
        print(f"{'':24} {'':5}  CPU per submission (every process): nbgrader "
              f"{1000 * c_nbgrader / n:.0f} ms | canvastools autograde --jobs 1 (sandboxed) "
              f"{1000 * c_one / n:.0f} ms ({c_one / c_nbgrader:4.2f}x the cost; aim at most "
              "1.1x)", flush=True)

        (work / "b").mkdir()
        big_course = demo_course(work / "b")
        make_class(big_course, "demo-classify", big, seed=2)
        seconds = sh(str(BIN / "canvastools"), "autograde", "demo-classify", "--jobs", "2",
                     cwd=big_course)
        print(f"{'demo-classify':24} {big:5d}  canvastools autograde --jobs 2: {seconds:.1f} s "
              f"in all, {1000 * seconds / big:.0f} ms per submission (aim: 1,000 in 60 s)")


if __name__ == "__main__":
    main()
