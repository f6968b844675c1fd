"""``canvastools report`` reads a gradebook in PostgreSQL exactly as one in SQLite.

The quickstart demo course (4 students) is graded twice by the real ``nbgrader autograde``:
once with the default SQLite gradebook, once with ``db_url`` pointing at a real PostgreSQL
server started by the tests (tests/services.py). Both reports must hold the same numbers.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
import report_classgen as gen

DEMO = "demo-classify"


def _graded_demo(folder: Path, db_url: str | None) -> Path:
    gen.run(sys.executable, "-m", "canvastools.cli", "quickstart", str(folder), "--demo",
            cwd=folder.parent)
    if db_url:
        with (folder / "nbgrader_config.py").open("a", encoding="utf-8") as config:
            config.write(f"\nc.CourseDirectory.db_url = {db_url!r}\n")
    gen.nbgrader("generate_assignment", DEMO, "--force", cwd=folder)
    gen.nbgrader("autograde", DEMO, "--force", cwd=folder)
    return folder


def _numbers(report) -> dict:
    from canvastools.commands.report.tables import (
        confusion,
        flag_table,
        hardest_items,
        item_table,
        students_needing_help,
    )

    return {"students": [(s.student, s.status, s.score, s.max_score) for s in report.students],
            "items": item_table(report), "confusion": confusion(report).counts,
            "hardest": [r["item"] for r in hardest_items(report)],
            "help": students_needing_help(report), "flags": flag_table(report)}


@pytest.fixture(scope="module")
def demo_courses(tmp_path_factory, postgres_server) -> tuple[Path, Path]:
    """The demo course graded twice: (with SQLite, with PostgreSQL)."""
    root = tmp_path_factory.mktemp("demo")
    on_sqlite = _graded_demo(root / "sqlite", None)
    on_postgres = _graded_demo(root / "postgres", postgres_server.create_database())
    assert not (on_postgres / "gradebook.db").exists()  # graded in PostgreSQL only
    return on_sqlite, on_postgres


def test_report_from_postgresql_matches_sqlite(tmp_path, demo_courses):
    from canvastools.commands.report.build import write_report
    from canvastools.commands.report.data import load_report

    on_sqlite, on_postgres = demo_courses

    lite, pg = load_report(DEMO, on_sqlite), load_report(DEMO, on_postgres)
    assert pg.db_url.startswith("postgresql") and lite.db_url.startswith("sqlite")
    assert _numbers(pg) == _numbers(lite)
    scores = {s.student: s.score for s in pg.students}
    assert scores["ada"] == pg.max_score == 8 and scores["dev"] == 0  # all right / no answers
    assert [r["student"] for r in _numbers(pg)["help"]] == ["dev"]

    page, table = write_report(pg, tmp_path / "pg.html")
    assert page.read_text(encoding="utf-8").count("data:image/png;base64,") >= 4
    assert pg.db_url.split("@")[0] not in page.read_text(encoding="utf-8")


def test_export_from_postgresql_matches_sqlite(tmp_path, demo_courses):
    """``canvastools export`` reads the course's db_url, PostgreSQL as SQLite."""
    written = []
    for course in demo_courses:
        out = tmp_path / f"{course.name}.csv"
        done = subprocess.run([sys.executable, "-m", "canvastools.cli", "export", DEMO,
                               "--to", "canvas", "-o", str(out)], cwd=course,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        written.append(out.read_text(encoding="utf-8-sig"))
    assert written[0] == written[1]
    rows = {r[3]: r[5] for r in csv.reader(io.StringIO(written[1]))}
    assert {k: v for k, v in rows.items() if k in ("ada", "ben", "cleo", "dev")} == {
        "ada": "8", "ben": "4", "cleo": "6", "dev": "0"}
