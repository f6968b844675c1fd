"""A pooled ordered exercise through the real graders (issue 20): each student orders their
own 3 of the 5 cases; `nbgrader autograde` and `canvastools autograde` grade each on the key's
order of their own cases."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import nbformat
import pytest
from nbg_helpers import check_release
from test_assignment_new import canvastools_autograde, nbgrader, scores

from canvastools.model.variants import variant

NAME = "pooled-order"
KEY = ["banker", ["help-line", "shop"], "kiosk", "app"]
POOL = ["banker", "help-line", "shop", "kiosk", "app"]
RANK = {"banker": 0, "help-line": 1, "shop": 1, "kiosk": 2, "app": 3}
WIDGET = f'''from canvastools.widgets import SpectrumOrder

CASES = [{{"id": "app", "company": "Banking app", "description": "Everything in the app."}},
         {{"id": "banker", "company": "Private bank", "description": "Your own banker."}},
         {{"id": "help-line", "company": "Insurer", "description": "Call any agent."}},
         {{"id": "kiosk", "company": "Cinema", "description": "Tickets at a kiosk."}},
         {{"id": "shop", "company": "Phone shop", "description": "Staff help who comes in."}}]
contact = SpectrumOrder("{NAME}", CASES, mode="graded", count=3, assignment="{NAME}")
contact'''
TEST = f'''from canvastools.grading import check_saved
check_saved("{NAME}")

### BEGIN HIDDEN TESTS
from canvastools.grading import grade_order
grade_order("{NAME}", key={KEY!r}, items="cases", count=3, points=2.0)
### END HIDDEN TESTS'''


def _cell(kind: str, source: str, grade_id: str, **flags: object):
    from nbformat.v4 import new_code_cell, new_markdown_cell

    meta = {"nbgrader": {"grade": False, "solution": False, "locked": True, "task": False,
                         "grade_id": grade_id, "schema_version": 3, **flags}}
    return (new_code_cell if kind == "code" else new_markdown_cell)(source, metadata=meta)


def released_course(folder: Path, name: str, intro: str, widget: str, test: str,
                    points: float) -> Path:
    """A quickstart course with one source notebook (intro, widget cell, graded test cell),
    released by ``nbgrader generate_assignment``."""
    from nbformat.v4 import new_notebook

    from canvastools.commands.quickstart import create_course

    course = create_course(folder / "course")
    nb = new_notebook(cells=[
        _cell("markdown", intro, f"{name}-intro"),
        _cell("code", widget, f"{name}-widget"),
        _cell("code", test, f"{name}-test", grade=True, points=points)])
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    (course / "source" / name).mkdir(parents=True)
    nbformat.write(nb, course / "source" / name / f"{name}.ipynb")
    nbgrader("generate_assignment", name, "--force", cwd=course)
    return course


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    return released_course(tmp_path_factory.mktemp("order"), NAME,
                           "# Order your own three cases by human contact", WIDGET, TEST, 2.0)


def own(student: str) -> list[str]:
    return variant(POOL, 3, assignment=NAME, exercise=NAME, student=student)


def run_widget_cell(course: Path, name: str, student: str) -> dict:
    """The released notebook ``name`` copied into the student's submission folder and its
    widget cell (cell 1) run there, as the student's kernel would; returns its names."""
    released = course / "release" / name / f"{name}.ipynb"
    folder = course / "submitted" / student / name
    folder.mkdir(parents=True)
    shutil.copy(released, folder)
    nb = nbformat.read(released, as_version=4)
    namespace: dict = {}
    cwd, hub = os.getcwd(), os.environ.pop("JUPYTERHUB_USER", None)
    os.chdir(folder)
    try:
        exec(compile(nb.cells[1].source, "<widget cell>", "exec"), namespace)
    finally:
        os.chdir(cwd)
        if hub is not None:
            os.environ["JUPYTERHUB_USER"] = hub
    return namespace


def hand_in(course: Path, student: str, order: list[str]):
    """The released notebook in the student's submission folder, its widget cell run there
    as the student's kernel would, and the order given through the widget."""
    namespace = run_widget_cell(course, NAME, student)
    contact = namespace["contact"]
    shown = list(contact.order)
    contact.answer(*order)
    return shown


def test_the_release_check_covers_a_pooled_order(course: Path, copy_of):
    assert check_release.check_sources(course / "source") == []
    keys = check_release.assignment_keys(course / "source")
    assert check_release.find_leaks(course / "release", keys) == []
    source = copy_of(course / "source")
    path = source / NAME / f"{NAME}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[2].source = nb.cells[2].source.replace("count=3,", "count=4,")
    nbformat.write(nb, path)
    assert any("grades count=4 items per student but the widget" in p and "count=3" in p
               for p in check_release.check_sources(source))
    nb.cells[1].source = nb.cells[1].source.replace("count=3", "count=2")
    nb.cells[2].source = nb.cells[2].source.replace("count=4,", "count=2,")
    nbformat.write(nb, path)
    assert any("count=2, but the pool has 5 items and the key ties 2 ids" in p
               and "a count from 3 to 5" in p for p in check_release.check_sources(source))


def test_each_student_orders_and_is_graded_on_their_own_cases(course: Path, tmp_path: Path):
    assert set(own("ada")) != set(own("cleo"))   # two ids, two different subsets
    right = {s: sorted(own(s), key=RANK.__getitem__) for s in ("ada", "cleo")}
    assert hand_in(course, "ada", right["ada"]) == own("ada")      # shown: her own, her order
    assert hand_in(course, "cleo", list(reversed(right["cleo"]))) == own("cleo")
    expected = {"ada": 2.0, "cleo": 0.0}
    nbgrader("autograde", NAME, cwd=course)
    assert scores(course, NAME) == expected
    again = canvastools_autograde(course, NAME, tmp_path)
    assert scores(again, NAME) == expected
    for graded in (course, again):
        records = graded / "canvastools-grading" / NAME
        for student in ("ada", "cleo"):
            record = json.loads((records / f"{student}.json").read_text())
            assert record.get("flags", []) == []
