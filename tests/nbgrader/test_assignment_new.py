"""`canvastools assignment new NAME --items FILE`: an assignment written from an items file
releases (real `nbgrader generate_assignment`), passes the release check and grades (real
`nbgrader autograde` and `canvastools autograde`) with no hand edits (issue 20)."""

from __future__ import annotations

import csv
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


def scores(course: Path, name: str = NAME) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return {s.student.id: s.score for s in gb.assignment_submissions(name)}


def canvastools_autograde(course: Path, name: str, tmp_path: Path) -> Path:
    """A copy of ``course`` with a fresh gradebook, graded by `canvastools autograde`."""
    again = tmp_path / "again"
    shutil.copytree(course, again, symlinks=True)
    (again / "gradebook.db").unlink()
    shutil.rmtree(again / "autograded")
    shutil.rmtree(again / "canvastools-grading", ignore_errors=True)
    nbgrader("generate_assignment", name, "--force", cwd=again)   # a fresh gradebook
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    done = subprocess.run([str(BIN / "canvastools"), "autograde", name], cwd=again, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return again


def answer(course: Path, student: str, answers: dict[str, list[str]], name: str = NAME) -> Path:
    """The released notebook in the student's submission folder, answered through its own
    widget cell, run there as the student's kernel would."""
    released = course / "release" / name / f"{name}.ipynb"
    folder = course / "submitted" / student / name
    folder.mkdir(parents=True)
    shutil.copy(released, folder)
    nb = nbformat.read(released, as_version=4)
    namespace: dict = {}
    cwd, hub = os.getcwd(), os.environ.pop("JUPYTERHUB_USER", None)
    os.chdir(folder)
    try:
        for cell in nb.cells:
            if cell.cell_type == "code" and "BEGIN HIDDEN" not in cell.source \
                    and "grade_classification" not in cell.source:
                exec(compile(cell.source, "<widget cell>", "exec"), namespace)
    finally:
        os.chdir(cwd)
        if hub is not None:
            os.environ["JUPYTERHUB_USER"] = hub
    for item, types in answers.items():
        namespace["quiz"].answer(item, *types)
    namespace["folder"] = folder
    return namespace["quiz"]


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

    assert scores(canvastools_autograde(course, NAME, tmp_path)) == expected


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


# -- a pool: each student answers their own 2 of the 4 items ---------------------------------
POOLED = "pooled-quiz"
POOL_KEY = {**KEY, "bank-adviser": ["dedicated_personal_assistance"]}


@pytest.fixture(scope="module")
def pooled(course: Path) -> Path:
    items = course / "pooled.yaml"
    items.write_text(ITEMS.replace("points: 2\n", "points: 1\npool: 2\n")
                     + "  - id: bank-adviser\n"
                       "    company: Private bank\n"
                       "    description: Each client has an adviser of their own.\n"
                       "    key: dedicated_personal_assistance\n", encoding="utf-8")
    assert main(["assignment", "new", POOLED, "--items", str(items), "--course",
                 str(course)]) == 0
    nbgrader("generate_assignment", POOLED, "--force", cwd=course)
    return course


def test_the_release_check_refuses_a_pool_too_small_or_counts_that_differ(pooled: Path,
                                                                           copy_of):
    source = copy_of(pooled / "source")
    path = source / POOLED / f"{POOLED}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[3].source = nb.cells[3].source.replace("count=2,", "count=3,")
    nbformat.write(nb, path)
    assert any("grades count=3 items per student but the widget" in p and "count=2" in p
               for p in check_release.check_sources(source))
    nb.cells[2].source = nb.cells[2].source.replace("count=2", "count=5")
    nb.cells[3].source = nb.cells[3].source.replace("count=3,", "count=5,")
    nbformat.write(nb, path)
    assert any("count=5, but the pool has 4 items: a count from 1 to 4" in p
               for p in check_release.check_sources(source))


def own(student: str) -> list[str]:
    from canvastools.model.variants import variant

    return variant(list(POOL_KEY), 2, assignment=POOLED, exercise=POOLED, student=student)


def test_a_pooled_release_has_every_text_and_no_key(pooled: Path):
    assert check_release.check_sources(pooled / "source") == []
    keys = check_release.assignment_keys(pooled / "source")
    assert check_release.find_leaks(pooled / "release", keys) == []
    released = (pooled / "release" / POOLED / f"{POOLED}.ipynb").read_text()
    assert "count=2" in released and "Each client has an adviser of their own" in released
    assert "dedicated_personal_assistance\\\"" not in released


def test_each_student_sees_and_is_graded_on_their_own_items(pooled: Path, tmp_path: Path):
    from canvastools.answers.store import AnswerStore

    students = ["ada", "bob", "cleo", "dan"]
    assert len({tuple(own(s)) for s in students}) > 1    # they do not all see the same
    for student in ("ada", "bob", "cleo"):
        quiz = answer(pooled, student, {item: POOL_KEY[item] for item in own(student)}, POOLED)
        assert [item.id for item in quiz._items] == own(student)   # shown in their order
    # dan hands in bob's answer file (bob's id and items) next to his own notebook
    dan = answer(pooled, "dan", {}, POOLED)
    shutil.copy(pooled / "submitted" / "bob" / POOLED / "canvastools_answers.json",
                pooled / "submitted" / "dan" / POOLED / "canvastools_answers.json")
    assert dan is not None
    # eve answers every item of the pool (a hand-edited file): only her own two count
    eve = answer(pooled, "eve", {}, POOLED)
    AnswerStore(pooled / "submitted" / "eve" / POOLED).save(
        POOLED, "classify", dict(POOL_KEY), taxonomy="bmg2010", student="eve")
    assert eve is not None
    expected = {"ada": 2.0, "bob": 2.0, "cleo": 2.0, "eve": 2.0,
                "dan": float(len(set(own("dan")) & set(own("bob"))))}
    nbgrader("autograde", POOLED, cwd=pooled)
    assert scores(pooled, POOLED) == expected
    again = canvastools_autograde(pooled, POOLED, tmp_path)
    assert scores(again, POOLED) == expected

    for course in (pooled, again):
        records = course / "canvastools-grading" / POOLED

        def flags(student: str, records: Path = records) -> dict[str, str]:
            record = json.loads((records / f"{student}.json").read_text())
            return {flag["code"]: flag["message"] for flag in record.get("flags", [])}

        assert "variant-other-student" in flags("dan")
        assert "saved under the id 'bob', not 'dan'" in flags("dan")["variant-other-student"]
        if set(own("bob")) - set(own("dan")):
            assert "variant-outside-items" in flags("dan")
        assert "variant-outside-items" in flags("eve")
        assert "variant-other-student" not in flags("eve")
        assert flags("ada") == {} and flags("cleo") == {}

    # and the class report, with no hand edits: each student's own items, the objectives
    page = tmp_path / "report.html"
    assert main(["report", POOLED, "--course", str(pooled), "-o", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    assert "variant-other-student" in html and "recognises a relationship that mixes" in html
    with open(page.with_suffix(".csv"), newline="", encoding="utf-8") as table:
        rows = list(csv.DictReader(table))
    answered = {(row["student"], row["item"]) for row in rows if row.get("student")}
    if answered:   # per-student rows: only the student's own items are there
        assert {item for student, item in answered if student == "ada"} <= set(own("ada"))
