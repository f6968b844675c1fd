"""`canvastools quickstart DIR --demo`, then the instructor's first five minutes, for real."""

from __future__ import annotations

import csv
from pathlib import Path

from nbg_helpers import ROOT, check_release

from canvastools.cli import main

CASES = Path(__file__).parent / "data" / "cases.yaml"
ASSIGNMENT = "demo-classify"


def test_the_package_ships_no_answer_key():
    data = ROOT / "canvastools" / "data" / "quickstart"
    for path in data.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert "BEGIN HIDDEN TESTS" not in text and "grade_classification(" not in text


def test_refuses_a_non_empty_folder(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine")
    assert main(["quickstart", str(tmp_path)]) == 1
    assert "not empty" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_default_bank_course(tmp_path):
    """Built from the public practice bank when it is installed."""
    assert main(["quickstart", str(tmp_path / "c")]) == 0
    nb = (tmp_path / "c" / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text()
    assert "BEGIN HIDDEN TESTS" in nb
    assert "practice bank" in (tmp_path / "c" / "README.md").read_text()


def test_demo_course_first_five_minutes(tmp_path):
    from canvastools.commands.quickstart import create_course

    course = create_course(tmp_path / "mycourse", demo=True, cases=CASES)
    students = sorted(p.name for p in (course / "submitted").iterdir())
    assert students == ["ada", "ben", "cleo", "dev"]
    assert not (course / "submitted" / "dev" / ASSIGNMENT / "canvastools_answers.json").exists()

    for args in (["generate_assignment", ASSIGNMENT, "--force"], ["autograde", ASSIGNMENT],
                 ["generate_feedback", ASSIGNMENT], ["export"]):
        run = check_release.nbgrader(*args, cwd=course)
        assert run.returncode == 0, run.stdout + run.stderr

    with open(course / "grades.csv", newline="") as f:
        scores = {r["student_id"]: float(r["score"]) for r in csv.DictReader(f)}
    # 4 cases (wealth-manager, corner-shop, maker-forum, ticket-machine; ticket-machine has
    # an accepted alternative): ada all right; ben right on the 1st and 3rd; cleo takes the
    # alternative for ticket-machine (0.5); dev answered nothing.
    assert scores == {"ada": 4.0, "ben": 2.0, "cleo": 3.5, "dev": 0.0}

    assert check_release.check_sources(course / "source") == []  # names its taxonomy too
    keys = check_release.assignment_keys(course / "source")
    assert keys[ASSIGNMENT].pairs["maker-forum"] == {"communities", "co_creation"}
    assert check_release.find_leaks(course / "release", keys) == []
    assert check_release.find_leaks(course / "feedback", keys) == []
    assert len(list((course / "feedback").rglob("*.html"))) == 4
    # what students see (the released notebook, their feedback) holds nothing for instructors
    for path in [*(course / "release").rglob("*.ipynb"), *(course / "feedback").rglob("*.html")]:
        assert "instructor" not in path.read_text(encoding="utf-8").lower(), path
    # the answer files were written under a lock that leaves no file behind
    assert [p.name for p in course.rglob(".canvastools*")] == []


def test_quickstart_config_has_the_repository_settings():
    from traitlets.config.loader import PyFileConfigLoader

    def load(path):
        return PyFileConfigLoader(path.name, path=str(path.parent)).load_config()

    repo = load(ROOT / "nbgrader_config.py")
    quick = load(ROOT / "canvastools" / "data" / "quickstart" / "nbgrader_config.py")
    for section, name in [("CourseDirectory", "ignore"), ("Execute", "timeout"),
                          ("Execute", "interrupt_on_timeout"), ("Execute", "store_widget_state"),
                          ("OverwriteCells", "add_missing_cells"),
                          ("GenerateAssignment", "preprocessors"),
                          ("Autograde", "sanitize_preprocessors"),
                          ("GenerateFeedback", "preprocessors")]:
        assert repo[section][name] == quick[section][name], (section, name)
    assert repo.Execute.timeout == 30
    assert "canvastools_answers.json" not in repo.CourseDirectory.ignore
    assert repo.Autograde.exclude_overwriting["classify-cases"] == ["canvastools_answers.json"]
    assert repo.CourseDirectory.source_directory == "solutions"
    assert repo.CourseDirectory.release_directory == "exercises"
