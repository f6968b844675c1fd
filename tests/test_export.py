"""The export's roster and cells, without a course (the grades themselves:
tests/nbgrader/test_export_gradebook.py, on a course graded by nbgrader)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from canvastools.commands.export import FORMULA_STARTS, safe_cell
from canvastools.commands.roster import read_roster
from canvastools.errors import InputError


def roster(tmp_path, text: str, name: str = "roster.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@given(st.text())
def test_no_cell_starts_like_a_formula_and_the_text_is_kept(text):
    safe = safe_cell(text)
    assert not safe.startswith(FORMULA_STARTS)
    assert safe in (text, "'" + text)


def test_formula_cells_get_a_quote():
    assert [safe_cell(t) for t in ("=2+5", "+1", "-1", "@A1", "\t=1", "\r=1", "ada", "1")] == [
        "'=2+5", "'+1", "'-1", "'@A1", "'\t=1", "'\r=1", "ada", "1"]


def test_own_format_semicolons_and_a_bom(tmp_path):
    path = roster(tmp_path, "\ufeffLogin;E-mail;First Name;Last Name;Section\n"
                            "ada;Ada@Uni.example;Ada;Lovelace;A\n\n"
                            "ben;ben@uni.example;Ben;Okafor;B\n")
    got = read_roster(path)
    assert got.match == "login" and [e.login for e in got.entries] == ["ada", "ben"]
    assert got.entries[0].email == "Ada@Uni.example" and got.entries[1].line == 4
    assert got.entries[0].sortable_name == "Lovelace, Ada"
    assert read_roster(path, match="email").key_of(got.entries[0]) == "ada@uni.example"


def test_canvas_export_is_a_roster(tmp_path):
    path = roster(tmp_path, "Student,ID,SIS User ID,SIS Login ID,Section,Quiz (77)\n"
                            "    Points Possible,,,,,9.00\n"
                            '"Lovelace, Ada",501,S1,ada,A,\n')
    got = read_roster(path)
    assert len(got.entries) == 1
    ada = got.entries[0]
    assert (ada.name, ada.canvas_id, ada.sis_id, ada.login, ada.line) == (
        "Lovelace, Ada", "501", "S1", "ada", 3)
    assert got.column_for("Quiz", "canvas") == "Quiz (77)"
    assert got.column_for("Quiz", "moodle") is None


def test_moodle_export_matches_by_email(tmp_path):
    path = roster(tmp_path, "First name,Last name,ID number,Email address,"
                            "Assignment: Quiz (Real),Last downloaded from this course\n"
                            "Ada,Lovelace,S1,ada@uni.example,-,1718870400\n")
    got = read_roster(path)
    assert got.match == "email" and got.column_for("Quiz", "moodle") == "Assignment: Quiz (Real)"


@pytest.mark.parametrize(("text", "match", "message"), [
    ("", None, "the roster is empty"),
    ("first_name,last_name\nAda,Lovelace\n", None, "has no email column"),
    ("email,first_name\nada@x.org,Ada\n", "login", "has no login column"),
    ("login,email\n", None, "a header but no student"),
    ("login,email\nada,a@x.org\nbob,b@x.org\nada,c@x.org\n", None,
     "login 'ada' is on two rows (lines 2 and 4)"),
    ("login,email\nada,A@x.org\nbob,a@x.org\n", "email",
     "email 'a@x.org' is on two rows (lines 2 and 3)"),
])
def test_bad_rosters_are_explained(tmp_path, text, match, message):
    path = roster(tmp_path, text)
    with pytest.raises(InputError) as caught:
        read_roster(path, match=match)
    assert message in str(caught.value) and str(path) in str(caught.value)


def test_a_roster_saved_in_another_encoding_says_so(tmp_path):
    path = roster(tmp_path, "login,last_name\nada,Lovelace\nzoe,Müller\n", encoding="cp1252")
    with pytest.raises(InputError, match=r"line 3: the roster is not UTF-8 text"):
        read_roster(path)


def test_unknown_match_names_the_choices(tmp_path):
    path = roster(tmp_path, "login,email\nada,a@x.org\n")
    with pytest.raises(InputError, match="Valid choices: login, email"):
        read_roster(path, match="sis")


def run_cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "canvastools.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def test_cli_refuses_an_assignment_and_all(tmp_path):
    done = run_cli("export", "quiz", "--all", "--to", "csv", cwd=tmp_path)
    assert done.returncode == 1 and "give an assignment (quiz) or --all, not both" in done.stderr


def test_cli_outside_a_course_and_a_wrong_format(tmp_path):
    done = run_cli("export", "--to", "csv", cwd=tmp_path)
    assert done.returncode == 1 and "no nbgrader_config.py" in done.stderr
    done = run_cli("export", "--to", "blackboard", cwd=tmp_path)
    assert done.returncode == 2 and "(choose from 'canvas', 'moodle', 'csv')" in done.stderr


def test_help_has_examples():
    done = run_cli("export", "--help", cwd=".")
    assert done.returncode == 0 and "examples:" in done.stdout and "--roster" in done.stdout


def test_docstring_examples_and_a_light_import():
    import doctest

    from canvastools.commands import export, roster

    assert doctest.testmod(export).failed == 0 and doctest.testmod(roster).failed == 0
    done = subprocess.run([sys.executable, "-c", "import sys, canvastools.commands.export; print("
                           "[m for m in ('matplotlib', 'nbgrader') if m in sys.modules])"],
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr
