"""Fixtures for the nbgrader tests: one generated course and one grading run per session.

Everything runs the real nbgrader commands in a temporary copy of the course; students'
answers are written through the widgets' Python API, by executing the released notebook's
widget cells in the submission folder, as a student's kernel would.
"""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from nbg_helpers import ROOT, check_release  # noqa: E402


@pytest.fixture(scope="session")
def release_tools():
    return check_release


@pytest.fixture(scope="session")
def course(tmp_path_factory) -> Path:
    """A temporary course: the repo's config and solutions/, every assignment generated."""
    work = tmp_path_factory.mktemp("course")
    check_release.regenerate(ROOT, work)
    # the student with an infinite loop is interrupted after 5 s instead of the course's 30 s
    # (same mechanism, 25 s less waiting; test_quickstart checks the real setting)
    with (work / "nbgrader_config.py").open("a") as config:
        config.write("\nc.Execute.timeout = 5\n")
    return work


@pytest.fixture(scope="session")
def graded(course: Path):
    """Submissions of every test student, autograded, fed back and exported (once)."""
    import nbg_submissions

    students = nbg_submissions.make_all(course)
    for assignment in nbg_submissions.ASSIGNMENTS:
        run = check_release.nbgrader("autograde", assignment, "--force", cwd=course)
        assert run.returncode == 0, run.stdout + run.stderr
        run = check_release.nbgrader("generate_feedback", assignment, "--force", cwd=course)
        assert run.returncode == 0, run.stdout + run.stderr
    run = check_release.nbgrader("export", cwd=course)
    assert run.returncode == 0, run.stdout + run.stderr
    with open(course / "grades.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    scores = {(r["assignment"], r["student_id"]): float(r["score"]) for r in rows}
    return {"course": course, "students": students, "scores": scores, "rows": rows,
            "ROOT": ROOT}


@pytest.fixture(scope="session")
def autograde_demo(tmp_path_factory) -> Path:
    """The demo class of ``canvastools autograde``'s tests, graded by nbgrader (once)."""
    from autograde_demo import make_demo

    return make_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def copy_of(tmp_path):
    def _copy(folder: Path) -> Path:
        dest = tmp_path / folder.name
        shutil.copytree(folder, dest)
        return dest
    return _copy
