"""The students' feedback made by the real `nbgrader generate_feedback`: each item's own answer
and mark, in labels; no key unless the instructor sets `c.ShowResults.show_key = True`."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import nbformat
import nbg_submissions as submissions
from nbg_helpers import ROOT, check_release

from canvastools import load_domain, load_taxonomy
from canvastools.grading.testcells import parse_test_cell

ASSIGNMENTS = submissions.ASSIGNMENTS
COMMENT = "Good link to the sales team; say more about the website note."


def _labels() -> dict[str, str]:
    domain = load_domain()
    labels = {t.id: t.label_in("en") for t in load_taxonomy("bmg2010").types}
    labels.update({m.id: m.label_in("en") for m in domain.motivations})
    labels.update({q.id: q.label_in("en") for q in domain.questions})
    return labels


LABELS = _labels()


def _ids(value) -> set[str]:
    if isinstance(value, str):
        return {value}
    return {x for entry in value for x in _ids(entry)}


def _declarations() -> dict[str, dict[str, object]]:
    """exercise id -> {"function", "key", "accepted"} of every hidden test in solutions/."""
    found = {}
    for assignment in ASSIGNMENTS:
        nb = nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", 4)
        for cell in nb.cells:
            for call in parse_test_cell(cell.source) or []:
                key = call.kwargs.get("key", call.args[1] if len(call.args) > 1 else None)
                found[call.args[0]] = {"function": call.function, "key": key,
                                       "accepted": call.kwargs.get("accepted") or {}}
    return found


DECLARED = _declarations()


def _results(page: str) -> dict[str, str]:
    """exercise id -> the HTML of its result in a feedback page."""
    parts = re.split(r'<div class="canvastools-result [^"]*" data-exercise="', page)[1:]
    return {part.split('"', 1)[0]: part for part in parts}


def _rows(fragment: str) -> dict[str, tuple[str, str]]:
    """item id -> (verdict, the row's text)."""
    rows = {}
    for match in re.finditer(r"<tr([^>]*)>(.*?)</tr>", fragment, re.S):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', match.group(1)))
        if "canvastools-item" not in attrs.get("class", ""):
            continue
        text = html.unescape(re.sub(r"<[^>]+>", " ", match.group(2)))
        rows[html.unescape(attrs["data-item"])] = (attrs["data-verdict"], " ".join(text.split()))
    return rows


def _own(course: Path, student: str, assignment: str) -> dict:
    path = course / "submitted" / student / assignment / "canvastools_answers.json"
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text())
        return {k: v.get("answer") for k, v in data["exercises"].items()}
    except (ValueError, KeyError, AttributeError):
        return {}


def _verdict(given: set[str], key: set[str], accepted: set[str]) -> str:
    if not given:
        return "unanswered"
    if given == key:
        return "right"
    return "partly" if given <= key | accepted else "wrong"


def _pages(feedback: Path):
    for page in sorted(feedback.rglob("*.html")):
        student, assignment = page.relative_to(feedback).parts[:2]
        yield student, assignment, page.read_text(encoding="utf-8")


def _check_items(course: Path, feedback: Path, *, show_key: bool) -> int:
    """Every item row of every feedback page: the student's own answer and mark; the key's
    labels (not the student's own) only with ``show_key``. Returns the rows checked."""
    checked = 0
    for student, assignment, page in _pages(feedback):
        own = _own(course, student, assignment)
        if not show_key:
            assert "Expected" not in page, (student, assignment)
        for exercise, fragment in _results(page).items():
            declared = DECLARED[exercise]
            if declared["function"] not in ("grade_classification", "grade_motivations"):
                continue
            rows = _rows(fragment)
            assert set(rows) == set(declared["key"]), (student, exercise)
            answers = own.get(exercise) if isinstance(own.get(exercise), dict) else {}
            for item, (verdict, text) in rows.items():
                given = _ids(answers.get(item, []))
                key = _ids(declared["key"][item])
                accepted = _ids(declared["accepted"].get(item, []))
                assert verdict == _verdict(given, key, accepted), (student, item, text)
                for answer in given:
                    assert LABELS[answer] in text, (student, item, text)
                secret = {LABELS[k] for k in key | accepted} - {LABELS[g] for g in given}
                shown = {label for label in secret if label in text}
                if show_key:
                    assert {LABELS[k] for k in key} <= {LABELS[g] for g in given} | shown
                else:
                    assert not shown, (student, item, text)
                checked += 1
    return checked


def test_each_feedback_shows_the_students_own_answers_and_marks_and_no_key(graded):
    course = graded["course"]
    checked = _check_items(course, course / "feedback", show_key=False)
    assert checked >= 60
    for _student, assignment, page in _pages(course / "feedback"):
        assert "also accepted" not in page and "Expected order" not in page
        assert '"results"' not in page and "data:image/png" not in page or \
            assignment == "design-relationships"
    keys = check_release.assignment_keys(course / "solutions")
    assert check_release.find_leaks(course / "feedback", keys) == []


def test_a_partly_right_student_sees_which_items_lost_points(graded):
    page = (graded["course"] / "feedback" / "s03-partly" / "classify-cases" /
            "classify-cases.html").read_text()
    rows = _rows(_results(page)["classify-cases"])
    assert rows["amex-centurion"][0] == "wrong" and "0 / 1" in rows["amex-centurion"][1]
    assert rows["nike-run-club"][0] == "partly" and "0.5 / 1" in rows["nike-run-club"][1]
    assert rows["boa-erica"][0] == "unanswered" and "not answered" in rows["boa-erica"][1]
    assert "Nike Run Club" in rows["nike-run-club"][1]
    assert "Automated services" in rows["nike-run-club"][1]
    assert "5.5 of 9 points" in page


def test_the_feedback_lists_the_cases_with_their_marks_not_their_code(graded):
    """The read-only cell that makes the widget (``CASES = [...]``, then ``ClassifyCases``)
    is shown as the list of its cases with the student's marks; no "Out[ ]: 5.5" for the
    score (the page's header gives it)."""
    page = (graded["course"] / "feedback" / "s03-partly" / "classify-cases" /
            "classify-cases.html").read_text()
    assert "CASES = [" not in page and "ClassifyCases(" not in page
    assert not re.search(r"Out\[\s*\d*\s*\]", page)
    asked = page.split('<div class="canvastools-asked"', 1)[1].split("</ol>", 1)[0]
    listed = {html.unescape(m.group(1)): html.unescape(re.sub(r"<[^>]+>", " ", m.group(2)))
              for m in re.finditer(r'<li data-item="([^"]*)"[^>]*>(.*?)</li>', asked, re.S)}
    rows = _rows(_results(page)["classify-cases"])
    assert list(listed) == list(rows)   # every case, in the assignment's order
    marks = {"right": "✓ right", "partly": "◐ partly right", "wrong": "✗ not right",
             "unanswered": "– not answered"}
    for item, (verdict, text) in rows.items():
        assert marks[verdict] in listed[item], (item, listed[item])
        assert text.split(" ")[0] in listed[item]   # the company, as in the table
    assert "0.5 / 1" in listed["nike-run-club"] and "Nike Run Club" in listed["nike-run-club"]


def test_the_design_is_drawn_in_the_feedback_and_the_rubric_is_a_table(graded):
    page = (graded["course"] / "feedback" / "s01-correct" / "design-relationships" /
            "design-relationships.html").read_text()
    design = _results(page)["design"]
    assert re.search(r'<img[^>]*class="canvastools-drawing"[^>]*src="data:image/png;base64,',
                     design)
    assert "Account manager for each company" in design and "Self-service" in design
    assert "[interactive widget" not in page
    rubric = re.search(r"<table>\s*<thead>\s*<tr>\s*<th>points</th>\s*<th>criterion</th>", page)
    assert rubric, "the rubric is not a table with a header"
    assert "table:not(.canvastools-table) th" in page  # the borders' CSS


def test_the_feedback_notebook_keeps_no_canvastools_metadata(graded):
    from canvastools.grader.plugins import ShowResults

    path = (graded["course"] / "autograded" / "s03-partly" / "motivations-questions" /
            "motivations-questions.ipynb")
    nb = nbformat.read(path, as_version=4)
    assert any("canvastools" in c.metadata for c in nb.cells)
    nb, _ = ShowResults().preprocess(nb, {})
    assert "canvastools" not in nb.metadata
    assert not any("canvastools" in c.metadata for c in nb.cells)
    text = nbformat.writes(nb)
    assert "Expected" not in text and "Customer acquisition" in text


def test_key_option_and_manual_comments(graded, tmp_path):
    from nbgrader.api import Gradebook

    course = tmp_path / "course"
    shutil.copytree(graded["course"], course, ignore=shutil.ignore_patterns("feedback"))
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        comment = gb.find_comment("dr-justification", "design-relationships",
                                  "design-relationships", "s03-partly")
        comment.manual_comment = COMMENT
        grade = gb.find_grade("dr-justification", "design-relationships",
                              "design-relationships", "s03-partly")
        grade.manual_score = 3
        gb.db.commit()

    run = check_release.nbgrader("generate_feedback", "design-relationships", cwd=course)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "DuplicateCellId" not in run.stderr + run.stdout  # one style cell, its own id
    page = (course / "feedback" / "s03-partly" / "design-relationships" /
            "design-relationships.html").read_text()
    assert html.escape(COMMENT, quote=False) in page and "Score: 5.0 / 7.0" in page

    with (course / "nbgrader_config.py").open("a") as config:
        config.write("\nc.ShowResults.show_key = True\n")
    shutil.rmtree(course / "feedback")
    for assignment in ASSIGNMENTS:
        run = check_release.nbgrader("generate_feedback", assignment, cwd=course)
        assert run.returncode == 0, run.stdout + run.stderr
    assert _check_items(course, course / "feedback", show_key=True) >= 60
    page = (course / "feedback" / "s02-wrong" / "classify-cases" / "classify-cases.html")
    rows = _rows(_results(page.read_text())["classify-cases"])
    assert "Automated services, Communities" in rows["nike-run-club"][1]  # multi-type key
    assert "also accepted, for part of the points: Communities" in rows["starbucks-ideas"][1]
    page = (course / "feedback" / "s02-wrong" / "motivations-questions" /
            "motivations-questions.html").read_text()
    assert "Expected order" in _results(page)["spectrum"]
    page = (course / "feedback" / "s03-partly" / "design-relationships" /
            "design-relationships.html").read_text()
    assert html.escape(COMMENT, quote=False) in page
