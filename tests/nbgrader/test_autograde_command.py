"""`canvastools autograde`: the same grades as `nbgrader autograde`, in parallel, with a summary.

Each test runs the real command in a fresh copy of a quickstart demo course whose class was
first graded by the real `nbgrader autograde`, and compares gradebooks.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from autograde_demo import ASSIGNMENT, BIN, answers, copy_demo, demo_key, run, scores


@pytest.fixture
def demo(autograde_demo: Path) -> Path:
    return autograde_demo


@pytest.fixture
def course(autograde_demo: Path, tmp_path: Path) -> Path:
    return copy_demo(autograde_demo, tmp_path)


def test_same_grades_as_nbgrader_autograde(demo: Path, course: Path):
    expected = scores(demo)
    assert len(expected) == 18
    assert expected["ada"] == 8.0 and expected["dev"] == 0.0 and expected["gen-forger"] == 0.0
    assert expected["gen-broken"] == 0.0 and expected["gen08"] == 8.0
    done = run(str(BIN / "canvastools"), "autograde", ASSIGNMENT, "--force", "--jobs", "2",
               cwd=course)
    assert scores(course) == expected
    assert "18 graded, 0 skipped (unchanged), 0 failed" in done.stdout
    # not a terminal: plain progress lines, and nbgrader's log is kept out of sight
    assert "18/18 graded" in done.stderr
    assert "[AutogradeApp]" not in done.stderr and "SAWarning" not in done.stderr
    logs = course / "canvastools-grading" / ASSIGNMENT / "logs"
    assert sorted(p.stem for p in logs.glob("*.log")) == sorted(expected)


def test_flags_in_the_summary(course: Path):
    done = run(str(BIN / "canvastools"), "autograde", ASSIGNMENT, "--force", cwd=course)
    assert "flagged gen-forger: code-file-left-out" in done.stdout
    assert "flagged gen-broken: answers-damaged" in done.stdout
    assert "flagged ada:" not in done.stdout
    record = json.loads((course / "canvastools-grading" / ASSIGNMENT / "gen-forger.json")
                        .read_text())
    assert {f["code"] for f in record["flags"]} == {"code-file-left-out"}


def test_unchanged_submissions_are_skipped_and_changed_ones_graded_again(course: Path):
    run(str(BIN / "canvastools"), "autograde", ASSIGNMENT, "--force", cwd=course)
    again = run(str(BIN / "canvastools"), "autograde", ASSIGNMENT, cwd=course)
    assert "0 graded, 18 skipped (unchanged)" in again.stdout
    answers(course / "submitted" / "dev" / ASSIGNMENT, demo_key(course))
    changed = run(str(BIN / "canvastools"), "autograde", ASSIGNMENT, cwd=course)
    assert "1 graded, 17 skipped (unchanged)" in changed.stdout
    assert scores(course)["dev"] == 8.0
    one = run(str(BIN / "canvastools"), "autograde", ASSIGNMENT, "--student", "ben",
              "--force", cwd=course)
    assert "1 graded, 0 skipped" in one.stdout


def test_a_failed_student_fails_the_command_not_the_class(course: Path):
    blocker = course / "autograded" / "ben"
    shutil.rmtree(blocker)
    blocker.write_text("a file where a folder must go")
    done = run(str(BIN / "canvastools"), "autograde", ASSIGNMENT, "--force", cwd=course,
               check=False)
    assert done.returncode == 1
    assert "17 graded" in done.stdout and "1 failed" in done.stdout
    assert "failed  ben:" in done.stdout


def test_an_unknown_student_or_assignment_is_a_clear_error(course: Path):
    done = run(str(BIN / "canvastools"), "autograde", ASSIGNMENT, "--student", "zed",
               cwd=course, check=False)
    assert done.returncode == 1 and "zed" in done.stderr and "Valid choices" in done.stderr
    done = run(str(BIN / "canvastools"), "autograde", "nope", cwd=course, check=False)
    assert done.returncode == 1 and "generate_assignment nope" in done.stderr


def change_key(course: Path, item: str, new: str) -> None:
    """The instructor fixes the key of ``item`` in the source and releases again."""
    path = course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    old = demo_key(course)[item][0]
    for cell in nb["cells"]:
        text = "".join(cell["source"])
        if "grade_classification(" in text:
            cell["source"] = text.replace(f'"{item}": "{old}",', f'"{item}": "{new}",', 1)
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    run(str(BIN / "nbgrader"), "generate_assignment", ASSIGNMENT, "--force", cwd=course)
    assert demo_key(course)[item] == [new]


def disagreements(course: Path) -> list[str]:
    """Students whose gradebook score, autograded notebook and grading record differ, or
    whose record was not graded with the source's current key."""
    from nbgrader.api import Gradebook

    from canvastools.grader.records import key_digest, read_record
    from canvastools.grader.steps import read_source_cells

    url = f"sqlite:///{course / 'gradebook.db'}"
    key = key_digest(read_source_cells(url, ASSIGNMENT, ASSIGNMENT, time.monotonic()))
    found = []
    with Gradebook(url) as gb:
        for submission in gb.assignment_submissions(ASSIGNMENT):
            student = submission.student.id
            nb = json.loads((course / "autograded" / student / ASSIGNMENT /
                             f"{ASSIGNMENT}.ipynb").read_text(encoding="utf-8"))
            shown = [float("".join(o["data"]["text/plain"])) for c in nb["cells"]
                     if c["metadata"].get("nbgrader", {}).get("grade_id") == "demo-test"
                     for o in c.get("outputs", []) if o["output_type"] == "execute_result"]
            entry = read_record(course, ASSIGNMENT, student)["notebooks"][ASSIGNMENT]
            recorded = entry["cells"]["demo-test"]["points"]
            if not (shown == [submission.score] and recorded == submission.score):
                found.append(f"{student}: gradebook {submission.score}, notebook {shown}, "
                             f"record {recorded}")
            elif entry["key_sha256"] != key:
                found.append(f"{student}: graded with an old key")
    return found


def test_a_key_fixed_between_two_runs_grades_the_class_again(course: Path):
    run(str(BIN / "canvastools"), "autograde", ASSIGNMENT, "--force", cwd=course)
    assert scores(course)["ada"] == 8.0
    change_key(course, "ikea", "communities")  # ada answered self_service
    done = run(str(BIN / "canvastools"), "autograde", ASSIGNMENT, cwd=course)
    assert "18 graded, 0 skipped (unchanged)" in done.stdout
    assert "key changed since last run: 18 re-graded" in done.stdout
    assert scores(course)["ada"] == 7.0
    assert disagreements(course) == []
    again = run(str(BIN / "canvastools"), "autograde", ASSIGNMENT, cwd=course)
    assert "0 graded, 18 skipped (unchanged)" in again.stdout and "key changed" not in again.stdout


def test_ctrl_c_leaves_no_student_half_written_and_the_next_run_finishes(course: Path):
    """The issue's instructor: a key fixed, the class graded again, Ctrl-C once a student is
    recorded. Every student's gradebook score, autograded notebook and record still agree;
    the next run (no --force) grades everyone the interrupted run did not, with the new key."""
    submitted = course / "submitted"
    for n in range(80):
        shutil.copytree(submitted / "ada" / ASSIGNMENT, submitted / f"more{n:03d}" / ASSIGNMENT)
    run(str(BIN / "canvastools"), "autograde", ASSIGNMENT, "--force", cwd=course)
    change_key(course, "ikea", "communities")
    records = course / "canvastools-grading" / ASSIGNMENT
    started = time.time()
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    process = subprocess.Popen([str(BIN / "canvastools"), "autograde", ASSIGNMENT,
                                "--jobs", "2"], cwd=course, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if any(p.stat().st_mtime > started and json.loads(p.read_text()).get("complete")
               for p in records.glob("*.json") if not p.name.endswith(".intake.json")):
            break  # the first student is recorded
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode != 0, out + err
    assert "interrupted" in out
    finished = int([line for line in out.splitlines() if " graded, " in line][0].split()[0])
    assert 0 < finished < 98
    stale = disagreements(course)
    assert len(stale) == 98 - finished and all("old key" in s for s in stale), stale
    again = run(str(BIN / "canvastools"), "autograde", ASSIGNMENT, cwd=course)
    assert f"{98 - finished} graded, {finished} skipped (unchanged)" in again.stdout
    assert f"key changed since last run: {98 - finished} re-graded" in again.stdout
    assert disagreements(course) == []
    assert scores(course)["more000"] == 7.0
    assert not list((records / "staging").glob("*/*"))


def test_a_submission_replaced_while_it_is_graded_is_graded_again_next_run(course: Path):
    """The record keeps the fingerprint taken before grading: an answer file replaced
    between the intake and the record is not skipped for ever."""
    import logging

    from nbgrader.api import Gradebook

    from canvastools.grader.autograde_task import grade_student, load_course
    from canvastools.grader.gradebook_writer import write_student

    run(str(BIN / "canvastools"), "autograde", ASSIGNMENT, "--force", cwd=course)
    loaded = load_course(course)
    result = grade_student(loaded, ASSIGNMENT, "dev", [ASSIGNMENT], "run-1")
    assert result.ok, result.error
    answers(course / "submitted" / "dev" / ASSIGNMENT, demo_key(course))  # meanwhile
    with Gradebook(loaded.db_url) as gradebook:
        write_student(gradebook, loaded, ASSIGNMENT, result, "run-1", logging.getLogger("t"))
    assert scores(course)["dev"] == 0.0  # graded from the answers it took in
    done = run(str(BIN / "canvastools"), "autograde", ASSIGNMENT, cwd=course)
    assert "1 graded, 17 skipped (unchanged)" in done.stdout
    assert scores(course)["dev"] == 8.0


def test_terminal_escapes_in_a_file_name_are_shown_escaped(course: Path):
    name = "notes\x1b[2K\x1b[1A\x1b]0;pwned\x07\u202etxt.exe"
    (course / "submitted" / "ben" / ASSIGNMENT / name).write_text("hello")
    done = run(str(BIN / "canvastools"), "autograde", ASSIGNMENT, "--student", "ben",
               "--force", cwd=course)
    assert "\x1b" not in done.stdout + done.stderr and "\x07" not in done.stdout
    assert "\u202e" not in done.stdout
    assert r"notes\x1b[2K\x1b[1A\x1b]0;pwned\x07\u202etxt.exe" in done.stdout
    log = course / "canvastools-grading" / ASSIGNMENT / "logs" / "ben.log"
    assert "\x1b" not in log.read_text() and r"\x1b[2K" in log.read_text()
