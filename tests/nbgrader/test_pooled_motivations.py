"""A pooled MotivationMatrix through the real graders (issue 20): each student gets their own
3 of the 6 practices; `nbgrader autograde` and `canvastools autograde` grade each on the key
of their own rows."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbg_helpers import check_release
from test_assignment_new import canvastools_autograde, nbgrader, scores
from test_pooled_order import released_course, run_widget_cell

from canvastools.model.variants import variant

NAME = "pooled-why"
KEY = {"welcome-offer": "acquisition", "loyalty-card": "retention",
       "upsell-call": "boosting_sales", "free-trial": "acquisition",
       "member-club": "retention", "bundle-deal": "boosting_sales"}
POOL = list(KEY)
WRONG = {"acquisition": "retention", "retention": "boosting_sales",
         "boosting_sales": "acquisition"}
WIDGET = f'''from canvastools.widgets import MotivationMatrix

ROWS = [{{"id": "bundle-deal", "label": "A bundle at a lower price"}},
        {{"id": "free-trial", "label": "A free first month"}},
        {{"id": "loyalty-card", "label": "A loyalty card"}},
        {{"id": "member-club", "label": "A members' club"}},
        {{"id": "upsell-call", "label": "A call offering the premium plan"}},
        {{"id": "welcome-offer", "label": "A welcome discount"}}]
matrix = MotivationMatrix("{NAME}", ROWS, mode="graded", count=3, assignment="{NAME}")
matrix'''
TEST = f'''from canvastools.grading import check_saved
check_saved("{NAME}")

### BEGIN HIDDEN TESTS
from canvastools.grading import grade_motivations
grade_motivations("{NAME}", key={KEY!r}, count=3)
### END HIDDEN TESTS'''


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    return released_course(tmp_path_factory.mktemp("why"), NAME,
                           "# Why does each of your three practices exist?", WIDGET, TEST, 3.0)


def own(student: str) -> list[str]:
    return variant(POOL, 3, assignment=NAME, exercise=NAME, student=student)


def hand_in(course: Path, student: str, answers: dict[str, str]) -> list[str]:
    """The released notebook in the student's submission folder, its widget cell run there
    as the student's kernel would, and the answers given through the widget; returns the
    rows the widget showed."""
    namespace = run_widget_cell(course, NAME, student)
    matrix = namespace["matrix"]
    for row, motivation in answers.items():
        matrix.answer(row, motivation)
    return [row.id for row in matrix._rows]


def test_the_release_check_covers_a_pooled_matrix(course: Path, copy_of):
    assert check_release.check_sources(course / "source") == []
    keys = check_release.assignment_keys(course / "source")
    assert check_release.find_leaks(course / "release", keys) == []
    source = copy_of(course / "source")
    path = source / NAME / f"{NAME}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[2].source = nb.cells[2].source.replace("count=3)", "count=4)")
    nbformat.write(nb, path)
    assert any("grades count=4 items per student but the widget" in p and "count=3" in p
               for p in check_release.check_sources(source))
    nb.cells[1].source = nb.cells[1].source.replace("count=3", "count=7")
    nb.cells[2].source = nb.cells[2].source.replace("count=4)", "count=7)")
    nbformat.write(nb, path)
    assert any("count=7, but the pool has 6 items" in p and "a count from 1 to 6" in p
               for p in check_release.check_sources(source))


def test_each_student_answers_and_is_graded_on_their_own_rows(course: Path, tmp_path: Path):
    assert set(own("ada")) != set(own("cleo"))   # two ids, two different subsets
    ada = {row: KEY[row] for row in own("ada")}                     # all right
    first, *rest = own("cleo")
    cleo = {first: KEY[first], **{row: WRONG[KEY[row]] for row in rest}}  # one of 3 right
    assert hand_in(course, "ada", ada) == own("ada")      # shown: her own rows, her order
    assert hand_in(course, "cleo", cleo) == own("cleo")
    expected = {"ada": 3.0, "cleo": 1.0}
    nbgrader("autograde", NAME, cwd=course)
    assert scores(course, NAME) == expected
    again = canvastools_autograde(course, NAME, tmp_path)
    assert scores(again, NAME) == expected
    for graded in (course, again):
        records = graded / "canvastools-grading" / NAME
        for student in ("ada", "cleo"):
            record = json.loads((records / f"{student}.json").read_text())
            assert record.get("flags", []) == []
            cell = record["notebooks"][NAME]["cells"][f"{NAME}-test"]
            graded_rows = [item["item_id"] for item in cell["results"][0]["items"]]
            assert sorted(graded_rows) == sorted(own(student))   # her own rows only
