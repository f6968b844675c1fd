"""The demo class ``canvastools autograde`` is tested on: a quickstart demo course with 18
students, first graded by the real ``nbgrader autograde`` (a module with a unique name, safe to
import; the fixture ``autograde_demo`` of conftest.py makes it once per session)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from nbg_helpers import ROOT

BIN = Path(sys.executable).parent
ASSIGNMENT = "demo-classify"


def demo_key(course: Path) -> dict[str, list[str]]:
    """The demo's key, read from its source notebook (canvastools/commands/quickstart.py writes
    it)."""
    from canvastools.grading.testcells import parse_test_cell

    nb = json.loads((course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text())
    for cell in nb["cells"]:
        calls = parse_test_cell("".join(cell["source"]))
        if calls:
            key = calls[0].kwargs["key"]
            return {item: [types] if isinstance(types, str) else list(types)
                    for item, types in key.items()}
    raise AssertionError("no key in the demo")


def run(*args: str, cwd: Path, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    done = subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600, **kwargs)
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def scores(course: Path) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return {s.student.id: s.score for s in gb.assignment_submissions(ASSIGNMENT)}


def answers(student_dir: Path, answer: dict[str, list[str]]) -> None:
    from canvastools.answers.store import AnswerStore

    AnswerStore(student_dir).save(ASSIGNMENT, "classify", answer, taxonomy="bmg2010")



def make_demo(base: Path) -> Path:
    """A demo course in ``base`` with 18 students (honest, partial, empty, broken, tampered),
    graded by nbgrader autograde."""
    course = base / "course"
    run(str(BIN / "canvastools"), "quickstart", str(course), "--demo", cwd=ROOT)
    run(str(BIN / "nbgrader"), "generate_assignment", ASSIGNMENT, "--force", cwd=course)
    submitted = course / "submitted"
    key = demo_key(course)
    items = sorted(key)
    for n in range(12):
        folder = submitted / f"gen{n:02d}" / ASSIGNMENT
        shutil.copytree(submitted / "ada" / ASSIGNMENT, folder)
        (folder / "canvastools_answers.json").unlink()
        right = items[: n % 9]
        wrong = {i: sorted({"communities", "self_service"} - set(key[i]))[:1] for i in items}
        answers(folder, {i: key[i] if i in right else wrong[i] for i in items})
    broken = submitted / "gen-broken" / ASSIGNMENT
    shutil.copytree(submitted / "ada" / ASSIGNMENT, broken)
    (broken / "canvastools_answers.json").write_text("{not json")
    forger = submitted / "gen-forger" / ASSIGNMENT
    shutil.copytree(submitted / "dev" / ASSIGNMENT, forger)
    nb = json.loads((forger / f"{ASSIGNMENT}.ipynb").read_text())
    nb["cells"].insert(0, {"cell_type": "code", "metadata": {}, "outputs": [],
                           "execution_count": None,
                           "source": "import canvastools.grading as g\n"
                                     "g.grade_classification = lambda *a, **k: 8.0\n"})
    (forger / f"{ASSIGNMENT}.ipynb").write_text(json.dumps(nb))
    (forger / "canvastools").mkdir()
    (forger / "canvastools" / "__init__.py").write_text("raise SystemExit\n")
    run(str(BIN / "nbgrader"), "autograde", ASSIGNMENT, cwd=course)
    return course


def copy_demo(demo: Path, tmp_path: Path) -> Path:
    """A fresh copy of the graded demo course, for a test to change."""
    copy = tmp_path / "course"
    shutil.copytree(demo, copy, symlinks=True)
    return copy
