"""A notebook uploaded alone is graded from the copy of the answers it carries.

A student answers the released demo notebook in a real kernel (nbclient, in the submission
folder), the executed notebook is saved, and the answer file is removed, as when an LMS takes
the ``.ipynb`` only. Both `nbgrader autograde` and `canvastools autograde` grade it from the
notebook's copy, with the right score and the flag "answers-from-notebook"; a copy that
differs from the answer file is flagged and the file is graded; a copy for another exercise
or tampered with is ignored with a flag.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from nbg_helpers import ROOT
from test_autograde_command import ASSIGNMENT, BIN, demo_key, run, scores

from canvastools.answers.copies import COPY_MIME
from canvastools.answers.store import ANSWERS_FILENAME, AnswerStore
from canvastools.grader.records import read_record


def answer_in_a_kernel(course: Path, student: str, answers: dict[str, list[str]]) -> Path:
    """The released notebook, answered in code below the quiz and run by a real kernel in the
    submission folder; saved as executed. Returns the folder."""
    from nbclient import NotebookClient

    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    nb = nbformat.read(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    at = next(i for i, c in enumerate(nb.cells)
              if c.metadata.get("nbgrader", {}).get("grade_id") == "demo-quiz") + 1
    lines = [f"quiz.answer({item!r}, *{types!r})" for item, types in answers.items()]
    nb.cells.insert(at, nbformat.v4.new_code_cell("\n".join(lines)))
    NotebookClient(nb, kernel_name="python3", timeout=120,
                   resources={"metadata": {"path": str(folder)}}).execute()
    nbformat.write(nb, folder / f"{ASSIGNMENT}.ipynb")
    return folder


def flags_of(course: Path, student: str) -> dict[str, str]:
    nb = json.loads((course / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
                    .read_text(encoding="utf-8"))
    return {f["code"]: f["message"] for f in nb["metadata"]["canvastools"]["flags"]}


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    course = tmp_path_factory.mktemp("copy") / "course"
    run(str(BIN / "canvastools"), "quickstart", str(course), "--demo", cwd=ROOT)
    run(str(BIN / "nbgrader"), "generate_assignment", ASSIGNMENT, "--force", cwd=course)
    key = demo_key(course)
    items = sorted(key)
    wrong = {i: sorted({"communities", "self_service"} - set(key[i]))[:1] for i in items}
    five_right = {i: key[i] if n < 5 else wrong[i] for n, i in enumerate(items)}

    # nora: the notebook only (5 of 8 right)
    folder = answer_in_a_kernel(course, "nora", five_right)
    (folder / ANSWERS_FILENAME).unlink()

    # rita: nora's notebook handed in as hers (the notebook only, as an LMS takes it)
    shutil.copytree(folder, course / "submitted" / "rita" / ASSIGNMENT)

    # quin: the same answers in the answer file only, the notebook as released
    folder = course / "submitted" / "quin" / ASSIGNMENT
    folder.mkdir(parents=True)
    shutil.copy(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", folder)
    AnswerStore(folder).save(ASSIGNMENT, "classify", five_right, taxonomy="bmg2010")

    # olga: both; the file was changed after the notebook was saved (all 8 right): it wins
    folder = answer_in_a_kernel(course, "olga", five_right)
    AnswerStore(folder).save(ASSIGNMENT, "classify", key, taxonomy="bmg2010")

    # pete: the notebook only, its copy claims to be of another exercise (marker edited)
    folder = answer_in_a_kernel(course, "pete", key)
    (folder / ANSWERS_FILENAME).unlink()
    path = folder / f"{ASSIGNMENT}.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            if COPY_MIME in output.get("data", {}):
                output["data"][COPY_MIME]["exercise"] = "another-assignment"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return course


@pytest.mark.parametrize("command", ["nbgrader", "canvastools"])
def test_a_notebook_uploaded_alone_is_graded_from_its_copy(course: Path, tmp_path: Path,
                                                           command: str):
    copy = tmp_path / "course"
    shutil.copytree(course, copy, symlinks=True)
    nora = copy / "submitted" / "nora" / ASSIGNMENT
    assert not (nora / ANSWERS_FILENAME).exists()
    if command == "nbgrader":
        run(str(BIN / "nbgrader"), "autograde", ASSIGNMENT, cwd=copy)
    else:
        run(str(BIN / "canvastools"), "autograde", ASSIGNMENT, "--jobs", "1", cwd=copy)
    got = scores(copy)
    assert 5.0 <= got["quin"] < 8.0  # five right, three wrong (some of them accepted)
    assert got["nora"] == got["quin"]  # the same answers, from the notebook's copy
    assert got["olga"] == 8.0  # the file wins over the notebook's older copy
    assert got["pete"] == 0.0  # a copy naming another exercise is not graded
    assert got["ada"] == 8.0 and got["dev"] == 0.0  # the demo's honest students, as before

    nora_flags = flags_of(copy, "nora")
    assert "answers-from-notebook" in nora_flags
    assert f"there is no {ANSWERS_FILENAME}" in nora_flags["answers-from-notebook"]
    olga_flags = flags_of(copy, "olga")
    assert "answers-disagree" in olga_flags and "answers-from-notebook" not in olga_flags
    assert "'demo-classify'" in olga_flags["answers-disagree"]
    pete_flags = flags_of(copy, "pete")
    assert "another-assignment" in pete_flags["notebook-answers-ignored"]
    assert "answers-from-notebook" not in pete_flags
    for honest in ("ada", "ben", "cleo"):  # the demo's submissions have no copy: no flag
        assert not {"answers-from-notebook", "answers-disagree",
                    "notebook-answers-ignored"} & set(flags_of(copy, honest))
    # a classmate's notebook handed in alone is as identical as a classmate's answer file
    # (both students' answers come from the notebook: there is no answer file to compare)
    assert got["rita"] == got["nora"]
    assert read_record(copy, ASSIGNMENT, "rita")
    # (quin saved the same answers by hand: when the two saves fall in the same second, quin's
    # are identical too, and the flag may name quin: any classmate with the same answers)
    for student in ("rita", "nora"):
        codes = {f["code"]: f["message"]
                 for f in read_record(copy, ASSIGNMENT, student).get("flags", [])}
        others = {"rita", "nora", "quin"} - {student}
        assert any(o in codes.get("identical-answers", "") for o in others), (student, codes)
    for honest in ("olga", "pete", "ben", "cleo"):
        codes = {f["code"] for f in read_record(copy, ASSIGNMENT, honest).get("flags", [])}
        assert "identical-answers" not in codes, honest
    # the copies do not stay in the autograded notebook's metadata
    nb = json.loads((copy / "autograded" / "nora" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
                    .read_text(encoding="utf-8"))
    assert "notebook_copies" not in nb["metadata"]["canvastools"]
