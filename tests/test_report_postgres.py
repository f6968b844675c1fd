"""``canvastools report`` reads a gradebook in PostgreSQL exactly as one in SQLite.

The quickstart demo course (4 students) is graded twice by the real ``nbgrader autograde``:
once with the default SQLite gradebook, once with ``db_url`` pointing at a real PostgreSQL
server started by the tests (tests/services.py). Both reports must hold the same numbers.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

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
    from canvastools.report import (
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


def test_report_from_postgresql_matches_sqlite(tmp_path, fresh_postgres_url):
    from canvastools.report import load_report, write_report

    on_sqlite = _graded_demo(tmp_path / "sqlite", None)
    on_postgres = _graded_demo(tmp_path / "postgres", fresh_postgres_url)
    assert not (on_postgres / "gradebook.db").exists()  # graded in PostgreSQL only

    lite, pg = load_report(DEMO, on_sqlite), load_report(DEMO, on_postgres)
    assert pg.db_url.startswith("postgresql") and lite.db_url.startswith("sqlite")
    assert _numbers(pg) == _numbers(lite)
    scores = {s.student: s.score for s in pg.students}
    assert scores["ada"] == pg.max_score == 8 and scores["dev"] == 0  # all right / no answers
    assert [r["student"] for r in _numbers(pg)["help"]] == ["dev"]

    page, table = write_report(pg, tmp_path / "pg.html")
    assert page.read_text(encoding="utf-8").count("data:image/png;base64,") >= 4
    assert fresh_postgres_url.split("@")[0] not in page.read_text(encoding="utf-8")
    shutil.rmtree(on_sqlite)
