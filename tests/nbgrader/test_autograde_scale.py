"""`canvastools autograde` on a PostgreSQL gradebook and on a real Dask cluster.

A real PostgreSQL server and a real scheduler with two worker processes, started by the tests
(tests/services.py). The grades must be those of `nbgrader autograde` on SQLite, and no
gradebook row may be lost, doubled or half-written, even with two graders at once or a worker
killed in the middle of a batch.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from nbg_helpers import ROOT

BIN = Path(sys.executable).parent
ASSIGNMENT = "demo-classify"


def env() -> dict[str, str]:
    return dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    done = subprocess.run(list(args), cwd=cwd, env=env(), capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def make_course(folder: Path, db_url: str | None, classgen, n: int) -> Path:
    run(str(BIN / "canvastools"), "quickstart", str(folder), cwd=ROOT)
    if db_url:
        with (folder / "nbgrader_config.py").open("a") as config:
            config.write(f"\nc.CourseDirectory.db_url = {db_url!r}\n")
    run(str(BIN / "nbgrader"), "generate_assignment", ASSIGNMENT, "--force", cwd=folder)
    classgen.generate_class(folder, ASSIGNMENT, n, seed=7,
                            mix={"correct": 2, "partial": 5, "empty": 1, "broken": 1})
    return folder


def gradebook(db_url: str) -> dict[str, list[tuple[str, float | None]]]:
    """Every student's grade rows: (cell, auto score), as stored."""
    from nbgrader.api import Gradebook

    rows: dict[str, list[tuple[str, float | None]]] = {}
    with Gradebook(db_url) as gb:
        for submission in gb.assignment_submissions(ASSIGNMENT):
            rows[submission.student.id] = sorted(
                (g.name, g.auto_score) for nb in submission.notebooks for g in nb.grades)
    return rows


@pytest.fixture(scope="module")
def reference(tmp_path_factory, classgen) -> dict[str, list[tuple[str, float | None]]]:
    """The class graded by `nbgrader autograde` on SQLite."""
    course = make_course(tmp_path_factory.mktemp("ref") / "course", None, classgen, 60)
    run(str(BIN / "nbgrader"), "autograde", ASSIGNMENT, cwd=course)
    return gradebook(f"sqlite:///{course / 'gradebook.db'}")


def test_postgresql_gradebook_same_grades_and_concurrent_graders(
        tmp_path, classgen, fresh_postgres_url, reference):
    course = make_course(tmp_path / "course", fresh_postgres_url, classgen, 60)
    students = sorted(p.name for p in (course / "submitted").iterdir())
    half = len(students) // 2
    graders = []
    for group in (students[:half], students[half:]):
        args = [str(BIN / "canvastools"), "autograde", ASSIGNMENT, "--jobs", "1"]
        for student in group:
            args += ["--student", student]
        graders.append(subprocess.Popen(args, cwd=course, env=env(), text=True,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    for grader in graders:
        out, err = grader.communicate(timeout=600)
        assert grader.returncode == 0, out + err
    assert gradebook(fresh_postgres_url) == reference


def test_dask_cluster_with_a_worker_killed_mid_batch(
        tmp_path, classgen, fresh_postgres_url, dask_cluster, reference):
    course = make_course(tmp_path / "course", fresh_postgres_url, classgen, 60)
    for n in range(140):  # a longer batch, so that the kill lands in the middle of it
        shutil.copytree(course / "submitted" / "s0001" / ASSIGNMENT,
                        course / "submitted" / f"t{n:03d}" / ASSIGNMENT)
    grader = subprocess.Popen(
        [str(BIN / "canvastools"), "autograde", ASSIGNMENT, "--scheduler", dask_cluster.address],
        cwd=course, env=env(), text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    logs = course / "canvastools-grading" / ASSIGNMENT / "logs"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and grader.poll() is None:
        if logs.is_dir() and len(list(logs.iterdir())) >= 30:
            break
        time.sleep(0.1)
    victim = dask_cluster.alive_workers()[0]
    dask_cluster.kill_worker(victim)
    dask_cluster.start_worker()
    out, err = grader.communicate(timeout=600)
    assert grader.returncode == 0, out + err
    assert "200 graded" in out, out
    rows = gradebook(fresh_postgres_url)
    assert len(rows) == 200
    assert {s: r for s, r in rows.items() if s in reference} == reference
    copies = {s: r for s, r in rows.items() if s.startswith("t")}
    assert set(map(tuple, copies.values())) == {tuple(reference["s0001"])}
