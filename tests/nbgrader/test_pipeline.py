"""The whole nbgrader cycle with real commands: autograde, generate_feedback, export."""

from __future__ import annotations

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
