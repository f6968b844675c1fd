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
import sys
import time
from pathlib import Path

import pytest
from nbg_helpers import ROOT

BIN = Path(sys.executable).parent
ASSIGNMENT = "demo-classify"


def demo_key(course: Path) -> dict[str, list[str]]:
    """The demo's key, read from its source notebook (canvastools/commands/quickstart.py writes
    it)."""
    from canvastools.grading.testcells import parse_test_cell

    nb = json.loads((course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text())
    for cell in nb["cells"]:
        calls = parse_test_cell("".join(cell["source"]))
        if calls:
            key = calls[0].kwargs["key"]
            return {item: [types] if isinstance(types, str) else list(types)
                    for item, types in key.items()}
    raise AssertionError("no key in the demo")


def run(*args: str, cwd: Path, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    done = subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600, **kwargs)
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def scores(course: Path) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return {s.student.id: s.score for s in gb.assignment_submissions(ASSIGNMENT)}


def _answers(student_dir: Path, answer: dict[str, list[str]]) -> None:
    from canvastools.answers.store import AnswerStore

    AnswerStore(student_dir).save(ASSIGNMENT, "classify", answer, taxonomy="bmg2010")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """A demo course with 16 students (honest, partial, empty, broken, tampered), graded by
    nbgrader autograde."""
    course = tmp_path_factory.mktemp("demo") / "course"
    run(str(BIN / "canvastools"), "quickstart", str(course), "--demo", cwd=ROOT)
    run(str(BIN / "nbgrader"), "generate_assignment", ASSIGNMENT, "--force", cwd=course)
    submitted = course / "submitted"
    key = demo_key(course)
    items = sorted(key)
    for n in range(12):
        folder = submitted / f"gen{n:02d}" / ASSIGNMENT
        shutil.copytree(submitted / "ada" / ASSIGNMENT, folder)
        (folder / "canvastools_answers.json").unlink()
        right = items[: n % 9]
        wrong = {i: sorted({"communities", "self_service"} - set(key[i]))[:1] for i in items}
        _answers(folder, {i: key[i] if i in right else wrong[i] for i in items})
    broken = submitted / "gen-broken" / ASSIGNMENT
    shutil.copytree(submitted / "ada" / ASSIGNMENT, broken)
    (broken / "canvastools_answers.json").write_text("{not json")
    forger = submitted / "gen-forger" / ASSIGNMENT
    shutil.copytree(submitted / "dev" / ASSIGNMENT, forger)
    nb = json.loads((forger / f"{ASSIGNMENT}.ipynb").read_text())
    nb["cells"].insert(0, {"cell_type": "code", "metadata": {}, "outputs": [],
                           "execution_count": None,
                           "source": "import canvastools.grading as g\n"
                                     "g.grade_classification = lambda *a, **k: 8.0\n"})
    (forger / f"{ASSIGNMENT}.ipynb").write_text(json.dumps(nb))
    (forger / "canvastools").mkdir()
    (forger / "canvastools" / "__init__.py").write_text("raise SystemExit\n")
    run(str(BIN / "nbgrader"), "autograde", ASSIGNMENT, cwd=course)
    return course


@pytest.fixture
def course(demo: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "course"
    shutil.copytree(demo, copy, symlinks=True)
    return copy


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
    _answers(course / "submitted" / "dev" / ASSIGNMENT, demo_key(course))
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
    _answers(course / "submitted" / "dev" / ASSIGNMENT, demo_key(course))  # meanwhile
    with Gradebook(loaded.db_url) as gradebook:
        write_student(gradebook, loaded, ASSIGNMENT, result, "run-1", logging.getLogger("t"))
    assert scores(course)["dev"] == 0.0  # graded from the answers it took in
    done = run(str(BIN / "canvastools"), "autograde", ASSIGNMENT, cwd=course)
    assert "1 graded, 17 skipped (unchanged)" in done.stdout
    assert scores(course)["dev"] == 8.0


def test_a_student_whose_gradebook_write_fails_leaves_no_row(course: Path):
    """One student's rows are one transaction: a failure after nbgrader's first commits (the
    student, the submission) leaves neither behind."""
    import logging

    from nbgrader.api import Gradebook, MissingEntry

    from canvastools.grader.autograde_task import TaskResult, load_course
    from canvastools.grader.gradebook_writer import write_student

    loaded = load_course(course)
    # graded by no worker: there is no autograded notebook to read, so the write fails midway
    result = TaskResult("newcomer", ok=True, notebooks=[ASSIGNMENT])
    with Gradebook(loaded.db_url) as gradebook:
        with pytest.raises(FileNotFoundError):
            write_student(gradebook, loaded, ASSIGNMENT, result, "run",
                          logging.getLogger("test"))
        assert gradebook.find_student("ada").id == "ada"  # the session is usable again
    with Gradebook(loaded.db_url) as gradebook:
        with pytest.raises(MissingEntry):
            gradebook.find_student("newcomer")
        with pytest.raises(MissingEntry):
            gradebook.find_submission(ASSIGNMENT, "newcomer")
        assert len(gradebook.assignment_submissions(ASSIGNMENT)) == 18


def test_a_worker_running_students_in_threads_gives_each_its_own_gradebook(course: Path):
    """A Dask worker of a shared cluster may grade several students at once, in threads: each
    of nbgrader's steps must use its own thread's gradebook, and a new one outside."""
    import threading

    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import overwritecells, saveautogrades

    from canvastools.grader._nbgrader import lend_gradebook

    lent = {n: object() for n in range(4)}
    used: dict[int, bool] = {}
    together = threading.Barrier(len(lent))

    def grade(n: int) -> None:
        with lend_gradebook(lent[n], (overwritecells, saveautogrades)):
            together.wait()  # every thread has lent its own before any uses one
            with overwritecells.Gradebook("sqlite:///unused.db") as gb, \
                    saveautogrades.Gradebook("sqlite:///unused.db") as gb2:
                used[n] = gb is lent[n] and gb2 is lent[n]
            together.wait()

    threads = [threading.Thread(target=grade, args=(n,)) for n in lent]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert used == {n: True for n in lent}
    url = f"sqlite:///{course / 'gradebook.db'}"
    with overwritecells.Gradebook(url) as gb:  # nothing lent here: a real one, opened anew
        assert isinstance(gb, Gradebook) and gb.find_student("ada").id == "ada"


def test_kernels_are_needed_only_for_plain_tests_and_solution_cells(course: Path):
    """How the command sizes its local workers: a widget-only assignment runs no kernel."""
    from canvastools.grader.steps import read_source_cells, runs_kernel

    cells = read_source_cells(f"sqlite:///{course / 'gradebook.db'}", ASSIGNMENT, ASSIGNMENT, "t")
    assert any(c["grade"] for c in cells.values()) and not runs_kernel(cells)
    plain = {"cell_type": "code", "grade": True, "solution": False,
             "source": "assert margin(3, 1) == 2"}
    assert runs_kernel(dict(cells, plain_test=plain))
    assert runs_kernel(dict(cells, answer=dict(plain, grade=False, solution=True)))


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
