"""Courses and generated classes shared by the grading benchmarks (not a benchmark itself).

    from classes import demo_course, make_class, measure
    course = demo_course(work)                       # canvastools quickstart + release
    make_class(course, "demo-classify", 300)         # 300 widget-only submissions
    wall, cpu, output = measure("canvastools", "autograde", "demo-classify", cwd=course)

Submissions are written with the real AnswerStore: each student answers every widget of the
released notebooks at random (seeded).
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent

STOCK = """
# nbgrader out of the box: every cell executed, the test cell grading in the student's kernel
from nbgrader.preprocessors import (ClearOutput, DeduplicateIds, OverwriteKernelspec,
    OverwriteCells, CheckCellMetadata, Execute, IgnorePattern, LimitOutput, SaveAutoGrades,
    AssignLatePenalties)
c.Autograde.pre_convert_hook = None
c.Autograde.sanitize_preprocessors = [ClearOutput, DeduplicateIds, OverwriteKernelspec,
    OverwriteCells, CheckCellMetadata]
c.Autograde.autograde_preprocessors = [Execute, IgnorePattern, LimitOutput, SaveAutoGrades,
    AssignLatePenalties, CheckCellMetadata]
"""


CPU: dict[str, float] = {}  # the CPU seconds of the last command run by sh(), by its cwd


def measure(*args: str, cwd: Path, timeout: float | None = None) -> tuple[float, float, str | None]:
    """Run a command to the end as its own process: its wall-clock seconds, the CPU seconds
    (user + system) of every process it started and waited for, and its output; a failure
    ends the benchmark with the command's output. Past ``timeout`` seconds the command is
    stopped and its output is None.

    >>> wall, cpu, out = measure("true", cwd=Path("."))
    """
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    try:
        done = subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        done = None
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if done is None:
        return seconds, cpu, None
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")
    return seconds, cpu, done.stdout + done.stderr


def sh(*args: str, cwd: Path) -> float:
    """Run a command to the end; its wall-clock seconds (its CPU seconds, with every process
    it started, go to CPU[str(cwd)])."""
    seconds, CPU[str(cwd)], _ = measure(*args, cwd=cwd)
    return seconds


def widget_answers(notebook: Path) -> list[tuple[str, str, list[str], str | None]]:
    """(exercise id, kind, item ids, taxonomy) of each widget of a released notebook."""
    import ast

    found = []
    nb = json.loads(notebook.read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        literals = {}
        for node in tree.body:
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
                try:
                    literals[node.targets[0].id] = ast.literal_eval(node.value)
                except ValueError:
                    pass
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            name = node.func.id
            kinds = {"ClassifyCases": "classify", "ClassifyItems": "classify",
                     "MotivationMatrix": "motivation", "SpectrumOrder": "spectrum",
                     "RelationshipDesigner": "designer"}
            if name not in kinds or not node.args:
                continue
            exercise = ast.literal_eval(node.args[0])
            items = []
            if len(node.args) > 1 and isinstance(node.args[1], ast.Name):
                items = [i["id"] for i in literals.get(node.args[1].id, [])]
            found.append((exercise, kinds[name], items, "bmg2010"))
    return found


TYPES = ["personal_assistance", "dedicated_personal_assistance", "self_service",
         "automated_services", "communities", "co_creation"]
MOTIVES = ["acquisition", "retention", "boosting_sales"]
QUESTIONS = ["expected", "established", "cost", "integration"]


def make_class(course: Path, assignment: str, n: int, seed: int = 1) -> None:
    from canvastools.answers.store import AnswerStore

    rng = random.Random(seed)
    release = course / "release" / assignment
    if not release.is_dir():  # the repository's course releases to exercises/
        release = course / "exercises" / assignment
    notebooks = sorted(release.glob("*.ipynb"))
    widgets = [w for nb in notebooks for w in widget_answers(nb)]
    for index in range(n):
        folder = course / "submitted" / f"s{index:04d}" / assignment
        folder.mkdir(parents=True, exist_ok=True)
        for nb in notebooks:
            shutil.copyfile(nb, folder / nb.name)
        (folder / "timestamp.txt").write_text("2026-12-01 10:00:00.000000 UTC")
        store = AnswerStore(folder)
        for exercise, kind, items, taxonomy in widgets:
            if kind == "classify":
                pool = QUESTIONS if exercise == "questions" else TYPES
                store.save(exercise, kind, {i: [rng.choice(pool)] for i in items},
                           taxonomy=None if pool is QUESTIONS else taxonomy)
            elif kind == "motivation":
                store.save(exercise, kind, {i: [rng.choice(MOTIVES)] for i in items})
            elif kind == "spectrum":  # an order of the widget's cases, or of the types
                order = rng.sample(items or TYPES, len(items or TYPES))
                store.save(exercise, kind, order, taxonomy=None if items else taxonomy)
            elif kind == "designer":
                store.save(exercise, kind, [{"text": "Account manager", "segments": ["companies"],
                                             "relationship": rng.choice(TYPES)}],
                           taxonomy=taxonomy)


def demo_course(work: Path) -> Path:
    course = work / "demo"
    sh(str(BIN / "canvastools"), "quickstart", str(course), cwd=work)
    sh(str(BIN / "nbgrader"), "generate_assignment", "demo-classify", "--force", cwd=course)
    return course


def stock_copy(course: Path, work: Path, name: str) -> Path:
    copy = work / name
    shutil.copytree(course, copy, symlinks=True)
    with (copy / "nbgrader_config.py").open("a") as config:
        config.write(STOCK)
    return copy
