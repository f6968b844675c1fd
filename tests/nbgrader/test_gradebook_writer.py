"""The one writer of `canvastools autograde` (canvastools/grader/gradebook_writer.py): one
student's gradebook rows are one transaction, and nbgrader's steps use the gradebook lent to
their thread (canvastools/grader/_nbgrader.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from autograde_demo import ASSIGNMENT, copy_demo


@pytest.fixture
def course(autograde_demo: Path, tmp_path: Path) -> Path:
    return copy_demo(autograde_demo, tmp_path)


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


def _rows(db: Path | str) -> dict[str, list[tuple]]:
    """Every row of every table of a gradebook (a SQLite file or any SQLAlchemy URL), each
    generated id (a uuid) replaced by the row it names, recursively: two gradebooks written
    alike compare equal."""
    from collections import Counter

    import sqlalchemy as sa

    engine = sa.create_engine(f"sqlite:///{db}" if isinstance(db, Path) else db)
    metadata = sa.MetaData()
    metadata.reflect(engine)
    natural_ids = {"student", "course", "alembic_version"}  # ids that are names
    content: dict[str, dict[str, tuple]] = {}
    links: dict[str, dict[str, str]] = {}
    with engine.connect() as con:
        for table in metadata.sorted_tables:
            links[table.name] = {fk.parent.name: fk.column.table.name
                                 for fk in table.foreign_keys}
            content[table.name] = {}
            for n, values in enumerate(con.execute(sa.select(table)).mappings()):
                row = dict(values)
                key = row["id"] if "id" in row else str(n)
                content[table.name][key] = tuple(sorted(row.items()))
    engine.dispose()

    def natural(table: str, key: str) -> tuple:
        items = []
        for column, value in content[table][key]:
            if column in links[table] and value is not None:
                items.append((column, natural(links[table][column], value)))
            elif column != "id" or table in natural_ids:
                items.append((column, value))
        return (table, tuple(items))

    return {table: sorted(Counter(natural(table, key) for key in content[table]).items(),
                          key=repr) for table in content}


def test_the_gradebook_rows_are_nbgrader_autogrades_own(autograde_demo: Path, course: Path):
    """The class graded by `canvastools autograde` (workers, batches of students in one
    transaction) from an empty gradebook writes exactly the rows `nbgrader autograde` wrote:
    every table, every column, generated ids aside."""
    from autograde_demo import BIN, run
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for student in gradebook.students:
            gradebook.remove_student(student.id)
    emptied = _rows(course / "gradebook.db")
    assert not emptied["submitted_assignment"] and not emptied["grade"]
    run(str(BIN / "canvastools"), "autograde", ASSIGNMENT, "--jobs", "2", cwd=course)
    ours, theirs = _rows(course / "gradebook.db"), _rows(autograde_demo / "gradebook.db")
    assert set(ours) == set(theirs)
    assert sum(n for _, n in theirs["submitted_assignment"]) == 18
    assert sum(n for _, n in theirs["grade"]) >= 18
    for table in theirs:
        assert ours[table] == theirs[table], table


def test_a_batch_writes_every_student_but_the_one_that_fails(course: Path):
    """Students written as one batch: one whose rows cannot be written (no graded notebook)
    is left out, with no row and its record not complete; the others are whole."""
    import logging
    import shutil

    from nbgrader.api import Gradebook, MissingEntry

    from canvastools.grader.autograde_task import grade_student, load_course, staging_folder
    from canvastools.grader.gradebook_writer import write_students
    from canvastools.grader.records import read_record

    loaded = load_course(course)
    with Gradebook(loaded.db_url) as gradebook:
        expected = {s: gradebook.find_submission(ASSIGNMENT, s).score for s in ("ada", "gen05")}
        for student in ("ada", "gen03", "gen05"):
            gradebook.remove_student(student)
    results = [grade_student(loaded, ASSIGNMENT, s, [ASSIGNMENT], "run")
               for s in ("ada", "gen03", "gen05")]
    assert all(r.ok for r in results), [r.error for r in results]
    shutil.rmtree(staging_folder(loaded, ASSIGNMENT, "gen03", "run"))  # as if never graded
    with Gradebook(loaded.db_url) as gradebook:
        failed = write_students(gradebook, loaded, ASSIGNMENT, results, "run",
                                logging.getLogger("test"))
    assert list(failed) == ["gen03"] and isinstance(failed["gen03"], FileNotFoundError)
    with Gradebook(loaded.db_url) as gradebook:
        assert {s: gradebook.find_submission(ASSIGNMENT, s).score
                for s in ("ada", "gen05")} == expected  # nbgrader autograde's
        with pytest.raises(MissingEntry):
            gradebook.find_submission(ASSIGNMENT, "gen03")
    assert read_record(str(course), ASSIGNMENT, "ada")["complete"] is True
    assert read_record(str(course), ASSIGNMENT, "gen05")["complete"] is True
    assert read_record(str(course), ASSIGNMENT, "gen03").get("complete") is not True
    for student in ("ada", "gen05"):
        assert (course / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()


def _late_regraded(course: Path, db_url: str | None = None) -> None:
    """``course`` made ready to be graded again: a due date and nbgrader's "zero" late policy,
    two students late and one on time, a grader's manual score on ada's first grade when she
    has one (the rows already there: a resubmission updates them)."""
    from nbgrader.api import Gradebook

    with (course / "nbgrader_config.py").open("a") as config:
        config.write('\nc.LateSubmissionPlugin.penalty_method = "zero"\n')
        if db_url:
            config.write(f"c.CourseDirectory.db_url = {db_url!r}\n")
    for student, stamp in (("gen05", "2026-03-02 10:00:00 UTC"),
                           ("gen08", "2026-03-01 12:00:01 UTC"),
                           ("gen07", "2026-03-01 11:59:00 UTC")):
        (course / "submitted" / student / ASSIGNMENT / "timestamp.txt").write_text(stamp)
    with Gradebook(db_url or f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        gradebook.update_or_create_assignment(ASSIGNMENT, duedate="2026-03-01 12:00:00 UTC")
        _manual_score(gradebook)


def _manual_score(gradebook) -> None:
    """A grader's manual score on ada's first grade, if she has a submission."""
    from nbgrader.api import MissingEntry

    try:
        grade = gradebook.find_submission(ASSIGNMENT, "ada").notebooks[0].grades[0]
    except MissingEntry:
        return
    grade.manual_score = 1.0
    gradebook.db.commit()


def _nbgraders_own_steps(course):
    """``course`` (a loaded Course) with nbgrader's gradebook steps as classes of the same name
    that are not nbgrader's: the writer runs them as they are, through the ORM."""
    import dataclasses

    from canvastools.grader.autograde_task import step_name

    return dataclasses.replace(course, grade=[
        type(step_name(s), (s if isinstance(s, type) else type(s),), {})
        if step_name(s) in ("SaveAutoGrades", "AssignLatePenalties") else s
        for s in course.grade])


def test_a_late_regrade_with_a_manual_score_writes_nbgrader_autogrades_rows(
        autograde_demo: Path, tmp_path: Path):
    """The class graded again, after the due date, with nbgrader's late policy and a
    grader's manual score: `canvastools autograde --force` updates the rows exactly as
    `nbgrader autograde --force` does (timestamps, late penalties, needs_manual_grade; no
    duplicate submission), every table, every column."""
    import shutil

    from autograde_demo import BIN, run
    from nbgrader.api import Gradebook

    theirs, ours = tmp_path / "theirs", tmp_path / "ours"
    for course in (theirs, ours):
        shutil.copytree(autograde_demo, course, symlinks=True)
        _late_regraded(course)
    run(str(BIN / "nbgrader"), "autograde", ASSIGNMENT, "--force", cwd=theirs)
    run(str(BIN / "canvastools"), "autograde", ASSIGNMENT, "--jobs", "2", "--force", cwd=ours)
    rows, expected = _rows(ours / "gradebook.db"), _rows(theirs / "gradebook.db")
    assert set(rows) == set(expected)
    for table in expected:
        assert rows[table] == expected[table], table
    with Gradebook(f"sqlite:///{ours / 'gradebook.db'}") as gradebook:
        assert len(gradebook.assignment_submissions(ASSIGNMENT)) == 18
        late = {s: gradebook.find_submission(ASSIGNMENT, s) for s in ("gen05", "gen08", "gen07")}
        assert late["gen05"].score > 0 and late["gen08"].score > 0
        assert late["gen05"].late_submission_penalty == late["gen05"].score
        assert late["gen08"].late_submission_penalty == late["gen08"].score
        assert not late["gen07"].late_submission_penalty
        assert gradebook.find_submission(ASSIGNMENT, "ada").notebooks[0].grades[0] \
            .needs_manual_grade is True


def test_the_bulk_rows_are_nbgraders_own_steps_rows(autograde_demo: Path, tmp_path: Path):
    """The same graded students written in bulk, and through nbgrader's own SaveAutoGrades
    and AssignLatePenalties (the writer's path for steps that are not nbgrader's): the same
    rows, for a new student, a late one, one with its notebook missing (graded from its
    answer file), one whose notebook is written as missing (its grades zeroed), and a manual
    score kept."""
    import logging
    import shutil

    from nbgrader.api import Gradebook

    from canvastools.grader.autograde_task import grade_student, load_course
    from canvastools.grader.gradebook_writer import write_students

    students = ("newbie", "gen05", "gen04", "gen03", "ada")
    theirs, ours = tmp_path / "theirs", tmp_path / "ours"
    for course in (theirs, ours):
        shutil.copytree(autograde_demo, course, symlinks=True)
        _late_regraded(course)
        shutil.copytree(course / "submitted" / "gen01", course / "submitted" / "newbie")
        (course / "submitted" / "gen04" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").unlink()
        loaded = load_course(course)
        if course == theirs:
            loaded = _nbgraders_own_steps(loaded)
        results = [grade_student(loaded, ASSIGNMENT, s, [ASSIGNMENT], "run") for s in students]
        assert all(r.ok for r in results), [r.error for r in results]
        results[3].missing, results[3].notebooks = [ASSIGNMENT], []
        with Gradebook(loaded.db_url) as gradebook:
            assert write_students(gradebook, loaded, ASSIGNMENT, results, "run",
                                  logging.getLogger("test")) == {}
    rows, expected = _rows(ours / "gradebook.db"), _rows(theirs / "gradebook.db")
    for table in expected:
        assert rows[table] == expected[table], table
    with Gradebook(f"sqlite:///{ours / 'gradebook.db'}") as gradebook:
        assert len(gradebook.assignment_submissions(ASSIGNMENT)) == 19
        assert gradebook.find_submission(ASSIGNMENT, "gen03").score == 0
        assert gradebook.find_submission(ASSIGNMENT, "newbie").score > 0
        late = gradebook.find_submission(ASSIGNMENT, "gen05")
        assert late.score > 0 and late.late_submission_penalty == late.score


def test_the_bulk_rows_in_postgresql_are_nbgraders_own_steps_rows(
        autograde_demo: Path, tmp_path: Path, postgres_server, monkeypatch):
    """In PostgreSQL, students written twice (new submissions, then resubmitted after a
    grader's manual score), in bulk and through nbgrader's own steps: the same rows."""
    import logging
    import os
    import shutil

    from autograde_demo import BIN, run
    from nbgrader.api import Gradebook

    from canvastools.grader.autograde_task import grade_student, load_course
    from canvastools.grader.gradebook_writer import write_students

    students = ("ada", "gen05", "gen08", "gen07", "gen02")
    # a new gradebook's schema is made by nbgrader running alembic, found on PATH
    monkeypatch.setenv("PATH", f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    urls = {}
    for name in ("theirs", "ours"):
        course = tmp_path / name
        shutil.copytree(autograde_demo, course, symlinks=True)
        (course / "gradebook.db").unlink()
        urls[name] = postgres_server.create_database()
        _late_regraded(course, urls[name])
        run(str(BIN / "nbgrader"), "generate_assignment", ASSIGNMENT, "--force", cwd=course)
        loaded = load_course(course)
        assert loaded.db_url == urls[name]
        if name == "theirs":
            loaded = _nbgraders_own_steps(loaded)
        for again in (False, True):
            results = [grade_student(loaded, ASSIGNMENT, s, [ASSIGNMENT], f"run{again}")
                       for s in students]
            assert all(r.ok for r in results), [r.error for r in results]
            with Gradebook(loaded.db_url) as gradebook:
                if again:
                    _manual_score(gradebook)
                assert write_students(gradebook, loaded, ASSIGNMENT, results, f"run{again}",
                                      logging.getLogger("test")) == {}
    rows, expected = _rows(urls["ours"]), _rows(urls["theirs"])
    assert sum(n for _, n in rows["submitted_assignment"]) == len(students)
    for table in expected:
        assert rows[table] == expected[table], table
    with Gradebook(urls["ours"]) as gradebook:
        late = gradebook.find_submission(ASSIGNMENT, "gen05")
        assert late.score > 0 and late.late_submission_penalty == late.score
        assert gradebook.find_submission(ASSIGNMENT, "ada").notebooks[0].grades[0] \
            .needs_manual_grade is True
