"""autograde's score step (canvastools/grader/steps/score.py): canvastools test cells scored
from the answer file by the grader, never executed; what the result says."""

from __future__ import annotations

import nbg_submissions as submissions
import pytest
from nbg_helpers import grade_outputs


@pytest.mark.parametrize("student", ["s01-correct", "s02-wrong", "s05-empty", "s09-corrupt"])
def test_grading_never_writes_to_stderr_or_fails(graded, student):
    outputs = grade_outputs(graded["course"], student, "classify-cases")["cc-test"]
    kinds = [(o["output_type"], o.get("name")) for o in outputs]
    assert ("stream", "stderr") not in kinds and ("error", None) not in kinds
    assert any(o["output_type"] == "execute_result" for o in outputs)

def test_corrupted_and_missing_answer_files_are_explained_in_the_result(graded):
    course = graded["course"]
    for student, words in (("s09-corrupt", "problem"), ("s05-empty", "no saved answer")):
        outputs = grade_outputs(course, student, "classify-cases")["cc-test"]
        text = "".join("".join(o.get("data", {}).get("text/plain", "")) for o in outputs
                       if o["output_type"] == "display_data")
        assert words in text, (student, text)

def test_the_student_answer_file_is_graded_not_replaced(graded):
    course = graded["course"]
    for student in ("s01-correct", "s03-partly"):
        got = submissions.sidecar(course / "autograded" / student / "classify-cases")
        sent = submissions.sidecar(course / "submitted" / student / "classify-cases")
        assert got == sent
