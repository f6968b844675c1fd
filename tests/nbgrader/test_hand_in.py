"""What to hand in, said in plain words: in the released notebooks' first cell and by
`nbgrader validate` when the answer file is missing; and nothing of the instructor's own run
(the copy of its answers in the outputs) reaches a released notebook."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbg_helpers import ROOT, check_release

from canvastools.answers.copies import COPY_MIME

ASSIGNMENTS = ("classify-cases", "motivations-questions", "design-relationships")
HAND_IN = {
    "en": "**What to hand in:** this notebook **and** the file `canvastools_answers.json`",
    "it": "**Che cosa consegnare:** questo notebook **e** il file `canvastools_answers.json`",
}
RELEASED = {**{a: "en" for a in ASSIGNMENTS},
            **{a: "it" for a in ("classifica-casi", "motivazioni-domande", "progettare-relazioni")}}


def test_the_first_cell_of_every_released_assignment_says_what_to_hand_in():
    released = {p.name for p in (ROOT / "exercises").iterdir() if p.is_dir()}
    assert released == set(RELEASED), "a released assignment without its hand-in check"
    for assignment, lang in RELEASED.items():
        nb = json.loads((ROOT / "exercises" / assignment / f"{assignment}.ipynb").read_text())
        first = "".join(nb["cells"][0]["source"])
        assert HAND_IN[lang] in first, assignment


def test_validate_without_the_answer_file_says_what_to_hand_in(tmp_path: Path):
    shutil.copy(ROOT / "exercises" / "classify-cases" / "classify-cases.ipynb", tmp_path)
    run = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "validate",
                          "classify-cases.ipynb"], cwd=tmp_path,
                         env=check_release.nbgrader_env(), capture_output=True, text=True,
                         timeout=300)
    out = " ".join((run.stdout + run.stderr).split())  # validate wraps long lines
    assert "VALIDATION FAILED" in out
    assert "To hand in: this notebook and canvastools_answers.json next to it." in out


def test_the_instructors_run_leaves_no_copy_of_its_answers_in_the_release(tmp_path: Path):
    """The instructor ran the source notebook and answered: its outputs carry the copy."""
    from nbclient import NotebookClient

    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    source = tmp_path / "solutions" / "classify-cases"
    shutil.copytree(ROOT / "solutions" / "classify-cases", source)
    path = source / "classify-cases.ipynb"
    nb = nbformat.read(path, as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "ClassifyCases(" in c.source) + 1
    nb.cells.insert(at, nbformat.v4.new_code_cell(
        'quiz.answer("apple-genius-bar", "personal_assistance")'))
    client = NotebookClient(nb, kernel_name="python3", timeout=120, allow_errors=True,
                            resources={"metadata": {"path": str(source)}})
    client.execute()
    del nb.cells[at]  # the answer stays in the quiz cell's outputs, by its display id
    assert '"personal_assistance"' in json.dumps(nb.cells[at - 1].outputs)
    nbformat.write(nb, path)
    (source / "canvastools_answers.json").unlink()
    run = check_release.nbgrader("generate_assignment", "classify-cases", "--force",
                                 cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    released = tmp_path / "exercises" / "classify-cases"
    text = (released / "classify-cases.ipynb").read_text()
    assert COPY_MIME not in text and "personal_assistance\"]" not in text
    keys = {"classify-cases": check_release.read_keys(path)}
    assert check_release.find_leaks(released.parent, keys) == []
    # the check would catch one
    nb = json.loads(text)
    nb["cells"][0]["outputs"] = [{"output_type": "display_data", "metadata": {},
                                  "data": {COPY_MIME: {"answer": {}}}}]
    (released / "classify-cases.ipynb").write_text(json.dumps(nb))
    assert any(COPY_MIME in p for p in check_release.find_leaks(released.parent, keys))
