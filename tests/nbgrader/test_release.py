"""exercises/ is what nbgrader makes from solutions/, and nothing released leaks an answer."""

from __future__ import annotations

import json
import shutil

from nbg_helpers import ROOT


def test_exercises_are_generated_from_solutions(course, release_tools):
    assert release_tools.compare_release(course / "exercises", ROOT / "exercises") == []


def test_no_answer_file_in_solutions_or_exercises():
    for folder in ("solutions", "exercises"):
        assert not [p for p in (ROOT / folder).rglob("*") if "canvastools_answers" in p.name]


def test_release_has_no_solution_hidden_test_key_or_widget_state(release_tools):
    keys = release_tools.assignment_keys(ROOT / "solutions")
    assert keys["classify-cases"].pairs["threadless"] == {"co_creation", "communities"}
    assert keys["motivations-questions"].orders
    assert release_tools.find_leaks(ROOT / "exercises", keys) == []


def test_the_leak_check_can_fail(release_tools, copy_of):
    keys = release_tools.assignment_keys(ROOT / "solutions")
    assert release_tools.find_leaks(ROOT / "solutions", keys)  # the sources hold the keys

    bad = copy_of(ROOT / "exercises")
    path = bad / "classify-cases" / "classify-cases.ipynb"
    nb = json.loads(path.read_text())
    nb["cells"].append({"cell_type": "markdown", "metadata": {}, "id": "x",
                        "source": "Hint: ryanair-checkin is self_service."})
    nb["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
    path.write_text(json.dumps(nb))
    (bad / "classify-cases" / "canvastools_answers.json").write_text("{}")
    path = bad / "motivations-questions" / "motivations-questions.ipynb"
    nb = json.loads(path.read_text())
    cell = nb["cells"][-1]
    cell["source"] = "".join(cell["source"]) + '\n# "welcome-bonus": ["acquisition"],'
    path.write_text(json.dumps(nb))
    problems = "\n".join(release_tools.find_leaks(bad, keys))
    assert "names item 'ryanair-checkin' with its key ['self_service']" in problems
    assert "widget-state+json" in problems
    assert "an answer file is released" in problems
    assert "quotes hidden test code" in problems


def test_the_sync_check_can_fail(course, release_tools, copy_of):
    bad = copy_of(ROOT / "exercises")
    path = bad / "design-relationships" / "design-relationships.ipynb"
    nb = json.loads(path.read_text())
    nb["cells"][0]["source"] = "edited by hand"
    path.write_text(json.dumps(nb))
    (bad / "design-relationships" / "extra.txt").write_text("x")
    shutil.rmtree(bad / "classify-cases")
    problems = "\n".join(release_tools.compare_release(course / "exercises", bad))
    assert "design-relationships.ipynb differs" in problems
    assert "extra.txt" in problems and "missing in exercises/: classify-cases" in problems


def test_released_notebooks_run_widget_cells_without_solution_cells():
    for path in (ROOT / "exercises").rglob("*.ipynb"):
        nb = json.loads(path.read_text())
        for cell in nb["cells"]:
            text = "".join(cell["source"])
            assert "NotImplementedError" not in text
            if cell["cell_type"] == "code":
                assert not cell.get("outputs")


def test_generate_assignment_never_releases_an_answer_file(tmp_path, release_tools):
    """Even when the instructor's answers are lying in solutions/<assignment>/."""
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    source = tmp_path / "solutions" / "design-relationships"
    shutil.copytree(ROOT / "solutions" / "design-relationships", source)
    for name in ("canvastools_answers.json", ".canvastools_answers.lock",
                 "canvastools_answers.corrupt-20261124-100000.json"):
        (source / name).write_text('{"format": "canvastools-answers"}')
    (source / "citybike.csv").write_text("station,bikes\n")
    run = release_tools.nbgrader("generate_assignment", "design-relationships", "--force",
                                 cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    released = sorted(p.name for p in (tmp_path / "exercises" / "design-relationships").iterdir())
    assert released == ["citybike.csv", "design-relationships.ipynb"]


def test_graded_cases_are_not_from_the_practice_bank(release_tools):
    from canvastools.cases import load_cases

    bank = load_cases()
    graded = release_tools.assignment_keys(ROOT / "solutions")["classify-cases"].pairs
    assert not set(graded) & set(bank.ids)
    text = (ROOT / "exercises" / "classify-cases" / "classify-cases.ipynb").read_text()
    companies = {case.company for case in bank}
    assert not [c for c in companies if f'"company": "{c}"' in text.replace('\\"', '"')]
