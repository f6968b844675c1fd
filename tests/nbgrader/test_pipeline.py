"""The whole nbgrader cycle with real commands: autograde, generate_feedback, export."""

from __future__ import annotations

import json

import nbg_submissions as submissions
import pytest
from nbg_helpers import ITALIAN


def test_every_score_is_the_hand_computed_one(graded):
    scores = graded["scores"]
    wrong = {}
    for student, expected in submissions.EXPECTED.items():
        for assignment, score in expected.items():
            got = scores.get((assignment, student))
            if got is None or got != pytest.approx(score, abs=1e-3):
                wrong[(student, assignment)] = (got, score)
    assert not wrong, f"(got, expected): {wrong}"


def test_export_lists_max_scores(graded):
    maxima = {r["assignment"]: float(r["max_score"]) for r in graded["rows"]}
    english = {"classify-cases": 9.0, "motivations-questions": 11.0,
               "design-relationships": 7.0}
    # each Italian version is worth what its English one is
    assert maxima == {**english, **{ITALIAN[name]: score for name, score in english.items()}}


def _grade_outputs(course, student, assignment):
    path = course / "autograded" / student / assignment / f"{assignment}.ipynb"
    nb = json.loads(path.read_text())
    return {c["metadata"]["nbgrader"]["grade_id"]: c.get("outputs", []) for c in nb["cells"]
            if c.get("metadata", {}).get("nbgrader", {}).get("grade")}


@pytest.mark.parametrize("student", ["s01-correct", "s02-wrong", "s05-empty", "s09-corrupt"])
def test_grading_never_writes_to_stderr_or_fails(graded, student):
    outputs = _grade_outputs(graded["course"], student, "classify-cases")["cc-test"]
    kinds = [(o["output_type"], o.get("name")) for o in outputs]
    assert ("stream", "stderr") not in kinds and ("error", None) not in kinds
    assert any(o["output_type"] == "execute_result" for o in outputs)


def test_corrupted_and_missing_answer_files_are_explained_in_the_result(graded):
    course = graded["course"]
    for student, words in (("s09-corrupt", "problem"), ("s05-empty", "no saved answer")):
        outputs = _grade_outputs(course, student, "classify-cases")["cc-test"]
        text = "".join("".join(o.get("data", {}).get("text/plain", "")) for o in outputs
                       if o["output_type"] == "display_data")
        assert words in text, (student, text)


def test_the_student_answer_file_is_graded_not_replaced(graded):
    course = graded["course"]
    for student in ("s01-correct", "s03-partly"):
        got = submissions.sidecar(course / "autograded" / student / "classify-cases")
        sent = submissions.sidecar(course / "submitted" / student / "classify-cases")
        assert got == sent


def test_deleted_test_cell_is_put_back(graded):
    outputs = _grade_outputs(graded["course"], "s06-deleted-cells", "classify-cases")
    assert "cc-test" in outputs


def test_a_widget_only_assignment_is_graded_without_running_student_code(graded):
    """The infinite loop a student added never runs: no kernel starts, the answers count."""
    path = (graded["course"] / "autograded" / "s10-infinite-loop" / "classify-cases"
            / "classify-cases.ipynb")
    nb = json.loads(path.read_text())
    assert nb["metadata"]["canvastools"]["kernel"] == "not needed"
    loop = next(c for c in nb["cells"] if c["cell_type"] == "code"
                and "while True" in "".join(c["source"]))
    assert loop["outputs"] == []
    assert graded["scores"][("classify-cases", "s10-infinite-loop")] == \
        submissions.EXPECTED["s10-infinite-loop"]["classify-cases"]


def test_feedback_holds_no_hidden_test_key_or_widget_state(graded, release_tools):
    course = graded["course"]
    feedback = course / "feedback"
    pages = sorted(feedback.rglob("*.html"))
    expected = sum(len(v) for v in submissions.EXPECTED.values())
    assert len(pages) == expected
    keys = release_tools.assignment_keys(course / "solutions")
    problems = []
    for student in sorted(p.name for p in feedback.iterdir()):
        for assignment, key in keys.items():
            if not (feedback / student / assignment).is_dir():
                continue
            sidecar = course / "autograded" / student / assignment / "canvastools_answers.json"
            try:
                answers = json.loads(sidecar.read_text())["exercises"]
            except (OSError, ValueError, KeyError, TypeError):
                answers = {}
            own = {assignment: release_tools.keys_not_given(key, answers)}
            problems += release_tools.find_leaks(feedback / student, own)
    assert problems == []
    page = (feedback / "s01-correct" / "classify-cases" / "classify-cases.html").read_text()
    assert "hidden tests are not shown" in page
    assert "widget-state" not in page and "widget-view" not in page


def test_feedback_check_would_catch_nbgraders_own_feedback(graded, release_tools, tmp_path):
    """Without HideHiddenTests, nbgrader's feedback shows the key: the check must see it."""
    course = graded["course"]
    keys = release_tools.assignment_keys(course / "solutions")
    autograded = course / "autograded" / "s01-correct" / "classify-cases" / "classify-cases.ipynb"
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter().from_filename(str(autograded))
    page = tmp_path / "classify-cases" / "raw.html"
    page.parent.mkdir()
    page.write_text(body)
    problems = release_tools.find_leaks(tmp_path, keys)
    assert any("BEGIN HIDDEN TESTS" in p for p in problems)
    assert any("with its key" in p for p in problems)
