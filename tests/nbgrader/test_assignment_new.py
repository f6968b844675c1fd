"""`canvastools assignment new NAME --items FILE`: an assignment written from an items file
releases (real `nbgrader generate_assignment`), passes the release check and grades (real
`nbgrader autograde` and `canvastools autograde`) with no hand edits (issue 20)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
from nbg_helpers import check_release

from canvastools.cli import main

BIN = Path(sys.executable).parent
NAME = "my-quiz"
ITEMS = textwrap.dedent("""\
    title: {en: Classify three relationships, it: Classificare tre relazioni}
    taxonomy: bmg2010
    points: 2
    partial: 0.5
    objectives:
      distinguish: distinguishes the six relationship types
      mixed: recognises a relationship that mixes two types
    items:
      - id: corner-bakery
        company: {en: Corner bakery, it: Panetteria di quartiere}
        description:
          en: "The baker behind the counter serves whoever comes in and gives advice."
          it: "Il fornaio al banco serve chi entra e dà consigli."
        key: personal_assistance
        explanation: {en: "Staff help on request; no one is assigned to a customer."}
        objectives: [distinguish]
      - id: ticket-machine
        company: Ticket machine
        description: "Travellers buy tickets at a machine, with no staff around."
        key: self_service
        accepted: [automated_services]
        source: "Made up for this test"
        objectives: [distinguish]
      - id: running-app
        company: Running app
        description: "The app adapts a plan to each runner and runners race each other."
        key: [automated_services, communities]
        objectives: [mixed]
    """)
KEY = {"corner-bakery": ["personal_assistance"], "ticket-machine": ["self_service"],
       "running-app": ["automated_services", "communities"]}


def nbgrader(*args: str, cwd: Path) -> None:
    done = check_release.nbgrader(*args, cwd=cwd)
    assert done.returncode == 0, done.stdout + done.stderr


def scores(course: Path) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return {s.student.id: s.score for s in gb.assignment_submissions(NAME)}


def answer(course: Path, student: str, answers: dict[str, list[str]]) -> Path:
    """The released notebook in the student's submission folder, answered through its own
    widget cell, run there as the student's kernel would."""
    released = course / "release" / NAME / f"{NAME}.ipynb"
    folder = course / "submitted" / student / NAME
    folder.mkdir(parents=True)
    shutil.copy(released, folder)
    nb = nbformat.read(released, as_version=4)
    namespace: dict = {}
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        for cell in nb.cells:
            if cell.cell_type == "code" and "BEGIN HIDDEN" not in cell.source \
                    and "grade_classification" not in cell.source:
                exec(compile(cell.source, "<widget cell>", "exec"), namespace)
    finally:
        os.chdir(cwd)
    for item, types in answers.items():
        namespace["quiz"].answer(item, *types)
    return folder


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    from canvastools.commands.quickstart import create_course

    course = create_course(tmp_path_factory.mktemp("new") / "course")
    items = course / "my-quiz.yaml"
    items.write_text(ITEMS, encoding="utf-8")
    assert main(["validate", str(items)]) == 0
    assert main(["assignment", "new", NAME, "--items", str(items), "--course", str(course)]) == 0
    nbgrader("generate_assignment", NAME, "--force", cwd=course)
    return course


def test_the_source_notebook_has_the_cells_an_instructor_writes_by_hand(course: Path):
    nb = nbformat.read(course / "source" / NAME / f"{NAME}.ipynb", as_version=4)
    meta = [cell.metadata["nbgrader"] for cell in nb.cells]
    assert [m["grade_id"] for m in meta] == [f"{NAME}-intro", f"{NAME}-rubric", f"{NAME}-quiz",
                                             f"{NAME}-test"]
    assert [m["grade"] for m in meta] == [False, False, False, True]
    assert meta[3]["points"] == 6.0 and all(m["locked"] for m in meta)
    intro, rubric, widget, test = (cell.source for cell in nb.cells)
    assert intro.startswith("# Classify three relationships")
    assert "What to hand in" in intro and "canvastools_answers.json" in intro
    assert "2 point(s), 6 in all" in rubric and "50%" in rubric
    assert "recognises a relationship that mixes two types" in rubric
    for text in (widget, intro, rubric):   # the released cells: texts, never the key
        assert "personal_assistance\"" not in text and "Staff help on request" not in text
    assert "The baker behind the counter" in widget
    calls = check_release.grading_calls(course / "source" / NAME / f"{NAME}.ipynb")
    assert [c.exercise_id for c in calls] == [NAME]
    assert "### BEGIN HIDDEN TESTS" in test and "explanations=" in test


def test_the_release_check_passes_and_nothing_leaks(course: Path):
    assert check_release.check_sources(course / "source") == []
    keys = check_release.assignment_keys(course / "source")
    assert keys[NAME].pairs["running-app"] == {"automated_services", "communities"}
    assert check_release.find_leaks(course / "release", keys) == []
    released = (course / "release" / NAME / f"{NAME}.ipynb").read_text()
    assert "grade_classification(" not in released and "Staff help on request" not in released


def test_the_objectives_go_to_the_course_file_for_the_report(course: Path):
    from canvastools._io.yamlio import read_data_file

    data = read_data_file(course / "objectives.yaml")
    assert data[NAME] == [
        {"objective": "distinguishes the six relationship types",
         "items": [f"{NAME}/corner-bakery", f"{NAME}/ticket-machine"]},
        {"objective": "recognises a relationship that mixes two types",
         "items": [f"{NAME}/running-app"]}]


def test_graded_by_nbgrader_and_by_canvastools_with_the_expected_points(course: Path,
                                                                         tmp_path: Path):
    answer(course, "all-right", KEY)
    answer(course, "alternative", {**KEY, "ticket-machine": ["automated_services"]})  # 5
    answer(course, "half-mixed", {**KEY, "running-app": ["communities"],  # 2 + 0 + 1 = 3
                                  "ticket-machine": ["communities"]})
    (course / "submitted" / "nothing" / NAME).mkdir(parents=True)
    shutil.copy(course / "release" / NAME / f"{NAME}.ipynb", course / "submitted" / "nothing"
                / NAME)
    expected = {"all-right": 6.0, "alternative": 5.0, "half-mixed": 3.0, "nothing": 0.0}
    nbgrader("autograde", NAME, cwd=course)
    assert scores(course) == expected

    again = tmp_path / "again"
    shutil.copytree(course, again, symlinks=True)
    (again / "gradebook.db").unlink()
    shutil.rmtree(again / "autograded")
    nbgrader("generate_assignment", NAME, "--force", cwd=again)   # a fresh gradebook
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    done = subprocess.run([str(BIN / "canvastools"), "autograde", NAME], cwd=again, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert scores(again) == expected


def test_an_existing_notebook_is_kept_without_force(course: Path, capsys):
    items = course / "my-quiz.yaml"
    assert main(["assignment", "new", NAME, "--items", str(items), "--course",
                 str(course)]) == 1
    assert "exists already; use --force" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["../escape", "with space", ""])
def test_a_bad_name_is_refused(course: Path, name: str, capsys):
    assert main(["assignment", "new", name, "--items", str(course / "my-quiz.yaml"),
                 "--course", str(course)]) == 1
    assert "an assignment's name is" in capsys.readouterr().err
    assert json.loads(json.dumps(sorted(p.name for p in (course / "source").iterdir()))) == \
        ["demo-classify", NAME]
