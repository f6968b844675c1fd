"""autograde's sanitize steps that put the instructor's cells back
(canvastools/grader/steps/restore.py, deduplicate.py)."""

from __future__ import annotations

from nbg_helpers import grade_outputs


def test_deleted_test_cell_is_put_back(graded):
    outputs = grade_outputs(graded["course"], "s06-deleted-cells", "classify-cases")
    assert "cc-test" in outputs
