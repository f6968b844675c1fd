"""``canvastools export`` on the graded test course, checked against the LMSs' import formats.

The rosters are files shaped like the LMSs' own exports (tests/nbgrader/data/lms/): a Canvas
gradebook export (Student, ID, SIS User ID, SIS Login ID, Section, one column per assignment
named "NAME (id)", the "Points Possible" row, the read-only totals) and a Moodle "plain text
file" grade export (First name, Last name, ID number, Institution, Department, Email address,
"Assignment: NAME (Real)", "Last downloaded from this course"). The grades must be the ones
nbgrader's own ``nbgrader export`` writes, student by student.

The course is a copy of the session's graded course with the students' names and emails
imported with ``nbgrader db student import`` and one more student, ``=2+5`` (a copy of
s01-correct's classify-cases submission), graded with ``canvastools autograde``.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from nbg_helpers import check_release
from nbgrader.api import Gradebook

LMS = Path(__file__).resolve().parent / "data" / "lms"
CANVAS_ROSTER = LMS / "canvas-gradebook-export.csv"
MOODLE_ROSTER = LMS / "moodle-grades-export.csv"
CANVAS_IDENTITY = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
FORMULA = "=2+5"

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "canvastools.cli", *args], cwd=cwd,
                          capture_output=True, text=True, env=check_release.nbgrader_env(),
                          timeout=600)


@pytest.fixture(scope="module")
def lms_course(graded, tmp_path_factory) -> dict:
    course = tmp_path_factory.mktemp("lms") / "course"
    shutil.copytree(graded["course"], course, symlinks=True)
    done = check_release.nbgrader("db", "student", "import", str(LMS / "nbgrader-students.csv"),
                                  cwd=course)
    assert done.returncode == 0, done.stdout + done.stderr
    shutil.copytree(course / "submitted" / "s01-correct" / "classify-cases",
                    course / "submitted" / FORMULA / "classify-cases")
    done = run_cli("autograde", "classify-cases", "--student", FORMULA, cwd=course)
    assert done.returncode == 0, done.stdout + done.stderr
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        # s03-partly's justification waits for formgrader, as when a student wrote one
        grade = gb.find_grade("dr-justification", "design-relationships",
                              "design-relationships", "s03-partly")
        grade.needs_manual_grade = True
        gb.db.commit()
    done = check_release.nbgrader("export", cwd=course)
    assert done.returncode == 0, done.stdout + done.stderr
    with open(course / "grades.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    submitted = {(p.parent.name, p.name) for p in (course / "autograded").glob("*/*")}
    scores = {(r["assignment"], r["student_id"]): float(r["score"]) for r in rows
              if (r["student_id"], r["assignment"]) in submitted}
    maxima = {r["assignment"]: float(r["max_score"]) for r in rows}
    assert scores["classify-cases", FORMULA] == graded["scores"]["classify-cases",
                                                                 "s01-correct"] == 9.0
    return {"course": course, "scores": scores, "maxima": maxima, "nbgrader_rows": rows}


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, as Canvas exports it
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def as_number(cell: str) -> float | None:
    if cell == "":
        return None
    assert cell.replace(".", "", 1).isdigit(), f"not a plain number: {cell!r}"
    return float(cell)


def unescaped(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@") else cell


# -- what Canvas's gradebook import reads, by its documented rules ------------------------
def canvas_import(path: Path, course_export: Path) -> tuple[dict, dict]:
    """Read ``path`` as Canvas's gradebook import does: the header's identity columns, the
    "Points Possible" row (skipped as a student), students found by ID, SIS User ID or SIS
    Login ID among the course's students (the course's own export), assignment columns
    "Name (id)" or a new name. Returns ({column: points possible}, {SIS Login ID: {column:
    grade}})."""
    rows = read_csv(path)
    course = {r["SIS Login ID"]: r for r in csv.DictReader(
        io.StringIO(course_export.read_text(encoding="utf-8-sig")))
        if r["Student"].strip() != "Points Possible"}
    header = rows[0]
    assert header[:5] == CANVAS_IDENTITY
    assignments = header[5:]
    assert rows[1][0].strip() == "Points Possible" and rows[1][1:5] == ["", "", "", ""]
    points = {a: as_number(v) for a, v in zip(assignments, rows[1][5:], strict=True)}
    grades = {}
    for row in rows[2:]:
        assert len(row) == len(header)
        login = unescaped(row[3])
        known = course[login]   # every row is a student of the course...
        assert row[1] == known["ID"] and unescaped(row[2]) == known["SIS User ID"]
        assert row[0] == known["Student"] and row[4] == known["Section"]
        grades[login] = {a: as_number(v) for a, v in zip(assignments, row[5:], strict=True)}
    assert set(grades) == set(course)  # ...and every student of the course has a row
    return points, grades


def test_canvas_file_is_canvas_import_shaped_with_nbgraders_grades(lms_course):
    done = run_cli("export", "classify-cases", "--to", "canvas", "--roster", str(CANVAS_ROSTER),
                   cwd=lms_course["course"])
    assert done.returncode == 0, done.stderr
    path = lms_course["course"] / "grades-canvas-classify-cases.csv"
    points, grades = canvas_import(path, CANVAS_ROSTER)
    # the roster's column of the assignment, with Canvas's id: Canvas updates that assignment
    assert points == {"classify-cases (90001)": 9.0}
    scores = lms_course["scores"]
    for login, got in grades.items():
        want = scores.get(("classify-cases", login))
        assert got == {"classify-cases (90001)": want}, login
    assert grades["s01-correct"]["classify-cases (90001)"] == 9.0
    assert grades["s03-partly"]["classify-cases (90001)"] == 5.5
    assert grades[FORMULA]["classify-cases (90001)"] == 9.0
    assert grades["n11-never"]["classify-cases (90001)"] is None   # left empty

    out = done.stdout
    assert "no grade for 2 students in classify-cases" in out
    assert "n11-never (line 13): not in the gradebook" in out
    assert "5a8e31c2f0b94d7e (line 14): not in the gradebook" in out  # Canvas's test student
    assert ("1 graded student in the gradebook but not in the roster (not written to the LMS "
            "file): s10-infinite-loop") in out
    assert "line 12: =2+5" in out and "line 12: @SUM(1)" in out


def test_a_formula_shaped_id_stays_text(lms_course):
    """nbgrader's own export writes ``=2+5`` raw (a spreadsheet computes 7); ours does not."""
    course = lms_course["course"]
    nbgrader_ids = [r["student_id"] for r in lms_course["nbgrader_rows"]]
    assert FORMULA in nbgrader_ids
    run_cli("export", "classify-cases", "--to", "canvas", "--roster", str(CANVAS_ROSTER),
            cwd=course)
    rows = read_csv(course / "grades-canvas-classify-cases.csv")
    quinn = next(r for r in rows if r[0] == "Formula, Quinn")
    assert quinn[2:4] == ["'@SUM(1)", "'=2+5"]
    every = [cell for row in rows for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in every)

    done = run_cli("export", "--all", "--to", "csv", cwd=course)
    assert done.returncode == 0, done.stderr
    rows = read_csv(course / "grades-csv-all.csv")
    ids = {r[0] for r in rows[1:]}
    assert "'=2+5" in ids and FORMULA not in ids
    assert not any(c.startswith(("=", "+", "-", "@")) for r in rows for c in r)


def test_canvas_every_assignment_as_percentages(lms_course):
    done = run_cli("export", "--to", "canvas", "--roster", str(CANVAS_ROSTER), "--percent",
                   cwd=lms_course["course"])
    assert done.returncode == 0, done.stderr
    points, grades = canvas_import(lms_course["course"] / "grades-canvas-all.csv",
                                   CANVAS_ROSTER)
    columns = {"classify-cases": "classify-cases (90001)",
               "motivations-questions": "motivations-questions (90002)",
               # not in Canvas yet: by name (the Italian assignments too)
               "design-relationships": "design-relationships",
               **{name: name for name in ("classifica-casi", "motivazioni-domande",
                                          "progettare-relazioni")}}
    assert sorted(points) == sorted(columns.values())
    assert set(points.values()) == {100.0}
    for assignment, column in columns.items():
        maximum = lms_course["maxima"][assignment]
        for login, got in grades.items():
            score = lms_course["scores"].get((assignment, login))
            want = None if score is None else round(100 * score / maximum, 2)
            assert got[column] == want, (assignment, login)
    assert grades["s03-partly"]["classify-cases (90001)"] == round(100 * 5.5 / 9, 2)
    # design-relationships has 4 points graded by hand, not graded yet for s03-partly
    assert ("manual grading pending in design-relationships (the score so far is written): "
            "s03-partly\n") in done.stdout


# -- what Moodle's CSV grade import reads -------------------------------------------------
def test_moodle_file_matches_students_by_email(lms_course):
    done = run_cli("export", "classify-cases", "--to", "moodle", "--roster",
                   str(MOODLE_ROSTER), cwd=lms_course["course"])
    assert done.returncode == 0, done.stderr
    rows = read_csv(lms_course["course"] / "grades-moodle-classify-cases.csv")
    header = rows[0]
    assert header == ["First name", "Last name", "ID number", "Email address", "Username",
                      "Assignment: classify-cases (Real)"]  # the roster's grade item
    course = list(csv.DictReader(MOODLE_ROSTER.open(encoding="utf-8")))
    # Moodle's import maps "Email address" to the user's email (case-sensitive there): the
    # roster's emails, as written in it, one row each
    assert [r[3] for r in rows[1:]] == [r["Email address"] for r in course]
    assert [(r[0], r[1], unescaped(r[2])) for r in rows[1:]] == [
        (r["First name"], r["Last name"], r["ID number"]) for r in course]
    emails = {s["email"].casefold(): s["id"] for s in csv.DictReader(
        (LMS / "nbgrader-students.csv").open(encoding="utf-8"))}
    for row in rows[1:]:
        student = emails.get(row[3].casefold())
        assert as_number(row[5]) == lms_course["scores"].get(("classify-cases", student))
    assert as_number(rows[2][5]) == 0.0            # S02-Wrong@Uni.Example: found, 0 points
    assert as_number(rows[10][5]) == 9.0           # quinn@uni.example is =2+5
    assert rows[10][2] == "'=1+1"
    assert "noah@uni.example (line 12): not in the gradebook" in done.stdout
    assert "not in the roster (not written to the LMS file): s10-infinite-loop" in done.stdout


def test_csv_has_every_grade_of_nbgraders_export(lms_course):
    done = run_cli("export", "--to", "csv", cwd=lms_course["course"])   # no roster
    assert done.returncode == 0, done.stderr
    rows = read_csv(lms_course["course"] / "grades-csv-all.csv")
    table = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    got = {(r["assignment"], unescaped(r["student_id"])): r for r in table}
    assert len(got) == len(table) == len(lms_course["nbgrader_rows"])
    for row in lms_course["nbgrader_rows"]:
        mine = got[row["assignment"], row["student_id"]]
        score = lms_course["scores"].get((row["assignment"], row["student_id"]))
        assert as_number(mine["score"]) == (None if score is None else round(score, 4))
        assert float(mine["max_score"]) == float(row["max_score"])
        assert mine["first_name"] == row["first_name"] and mine["email"] == row["email"]
        assert mine["status"] in (("no grade",) if score is None
                                  else ("graded", "manual grading pending"))
    assert "not in the roster" not in done.stdout  # the gradebook is the roster


def test_unknown_assignment_names_the_choices(lms_course):
    done = run_cli("export", "classify-case", "--to", "canvas", cwd=lms_course["course"])
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "no assignment 'classify-case'" in done.stderr
    assert "did you mean 'classify-cases'" in done.stderr


def test_the_bulk_read_gives_nbgraders_own_scores_penalties_and_flags(lms_course, tmp_path):
    """The gradebook reader takes every submission in one joined query: the same score, late
    penalty and manual-grading flag as nbgrader's own objects give, one by one, with a late
    notebook and a manual score in the gradebook."""
    from canvastools.commands.export import read_gradebook
    from canvastools.grader.gradebook import open_gradebook

    db = tmp_path / "gradebook.db"
    shutil.copy(lms_course["course"] / "gradebook.db", db)
    url = f"sqlite:///{db}"
    with Gradebook(url) as gb:
        late = gb.find_submission_notebook("classify-cases", "classify-cases", "s01-correct")
        late.late_submission_penalty = 2.5
        grade = gb.find_grade("dr-justification", "design-relationships",
                              "design-relationships", "s02-wrong")
        grade.manual_score = 0.5
        gb.db.commit()
        want = {(a.name, s.student.id): (float(s.score), float(s.late_submission_penalty or 0),
                                         bool(s.needs_manual_grade))
                for a in gb.assignments for s in a.submissions}
    with open_gradebook(url) as book:
        got = {(s.assignment, s.student): (s.score, s.late_penalty, s.needs_manual_grade)
               for s in book.submissions(book.assignment_names())}
    assert got == want
    assert want["classify-cases", "s01-correct"][1] == 2.5
    assert any(manual for _, _, manual in want.values())
    grades = {a.name: a for a in read_gradebook(url).assignments}
    assert grades["classify-cases"].scores["s01-correct"] == max(
        0.0, want["classify-cases", "s01-correct"][0] - 2.5)
