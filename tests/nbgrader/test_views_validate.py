"""The check before submitting, with the real `nbgrader validate` on released notebooks: it
names what is not answered or not saved yet, never whether an answer is right."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbg_submissions as submissions
from nbg_helpers import ROOT, check_release


def _validate(*notebooks: Path) -> str:
    """`nbgrader validate` of each notebook, in its own folder: what it printed."""
    exe = str(Path(sys.executable).parent / "nbgrader")
    outputs = []
    for notebook in notebooks:
        run = subprocess.run([exe, "validate", notebook.name], cwd=notebook.parent,
                             env=check_release.nbgrader_env(), capture_output=True, text=True,
                             timeout=300)
        outputs.append(run.stdout + run.stderr)
    return outputs


def _release(tmp_path: Path, name: str, assignment: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    target = folder / f"{assignment}.ipynb"
    shutil.copy(ROOT / "exercises" / assignment / f"{assignment}.ipynb", target)
    return target


def test_validate_names_what_is_missing_and_passes_when_all_is_saved(tmp_path):
    untouched = _release(tmp_path, "untouched", "classify-cases")
    partly = _release(tmp_path, "partly", "classify-cases")
    wrong = _release(tmp_path, "all-wrong", "classify-cases")
    design = _release(tmp_path, "design", "design-relationships")
    nb = submissions.released(ROOT, "classify-cases")
    quiz = submissions.open_widgets(partly.parent, nb)["quiz"]
    quiz.answer("apple-genius-bar", "personal_assistance")
    quiz.answer("threadless", "co_creation")
    quiz = submissions.open_widgets(wrong.parent, nb)["quiz"]
    for case, types in submissions.WRONG.items():  # every case answered, every one wrong
        quiz.answer(case, *types)
    designer = submissions.open_widgets(
        design.parent, submissions.released(ROOT, "design-relationships"))["designer"]
    designer.add_note("Rent in the app", relationship="self_service", segments=["commuters"])
    designer.add_note("Be nice to riders", segments=["tourists"])

    out_untouched, out_partly, out_wrong, out_design = _validate(untouched, partly, wrong,
                                                                  design)

    assert "VALIDATION FAILED" in out_untouched
    assert "There is no answer file canvastools_answers.json" in out_untouched
    assert "Success" not in out_untouched

    assert "VALIDATION FAILED" in out_partly
    assert "Not answered or not saved yet (7 of 9)" in out_partly
    assert "American Express Centurion Card" in out_partly and "(amex-centurion)" in out_partly
    assert "Threadless" not in out_partly.split("Not answered")[1]  # answered (partly right)
    for word in ("right", "wrong", "correct", "personal_assistance"):
        assert word not in out_partly.split("The error was:")[1].lower()

    # all answered: it passes, although every answer is wrong (it never judges)
    assert "Success! Your notebook passes all the tests." in out_wrong

    assert "VALIDATION FAILED" in out_design
    assert "Notes without a relationship type: 2" in out_design
    assert "Segments without a note: Tourists, Companies (staff mobility plans)" in out_design
    for out in (out_untouched, out_partly, out_design):  # nbgrader cuts lines over 87 chars
        assert "..." not in out.split("The error was:")[1]


def test_the_check_does_not_change_autograded_scores(graded):
    """The graded course's releases carry check_saved; the scores are the hand-computed ones
    (also checked by test_pipeline), and no test cell was run at autograde."""
    course = graded["course"]
    released = (course / "exercises" / "classify-cases" / "classify-cases.ipynb").read_text()
    assert "check_saved(" in released
    assert graded["scores"][("classify-cases", "s05-empty")] == 0.0
    assert graded["scores"][("classify-cases", "s03-partly")] == 5.5
    import json

    nb = json.loads((course / "autograded" / "s05-empty" / "classify-cases" /
                     "classify-cases.ipynb").read_text())
    test = next(c for c in nb["cells"]
                if c["metadata"].get("nbgrader", {}).get("grade_id") == "cc-test")
    assert not any(o["output_type"] == "error" for o in test["outputs"])  # check_saved not run
