"""exercises/ is what nbgrader makes from solutions/, and nothing released leaks an answer."""

from __future__ import annotations

import html
import json
import shutil

from nbg_helpers import ITALIAN, ROOT


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
    from canvastools.model.cases import load_cases

    bank = load_cases()
    graded = release_tools.assignment_keys(ROOT / "solutions")["classify-cases"].pairs
    assert not set(graded) & set(bank.ids)
    text = (ROOT / "exercises" / "classify-cases" / "classify-cases.ipynb").read_text()
    companies = {case.company for case in bank}
    assert not [c for c in companies if f'"company": "{c}"' in text.replace('\\"', '"')]


def test_the_sources_are_consistent(release_tools):
    assert release_tools.check_sources(ROOT / "solutions", ROOT) == []


def _edit(folder, assignment, grade_id, old, new):
    path = folder / assignment / f"{assignment}.ipynb"
    nb = json.loads(path.read_text())
    cell = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id")
                == grade_id)
    text = "".join(cell["source"])
    assert old in text, (grade_id, old)
    cell["source"] = text.replace(old, new, 1)
    path.write_text(json.dumps(nb))


def test_the_source_check_finds_instructor_typos(release_tools, copy_of):
    """A typo in a key used to score every student 0 without a word: CI must say where."""
    bad = copy_of(ROOT / "solutions")
    cc, mq, dr = "classify-cases", "motivations-questions", "design-relationships"
    _edit(bad, cc, "cc-test", '"ryanair-checkin": "self_service"',
          '"ryanair-checkin": "self_serve"')
    _edit(bad, cc, "cc-test", '"boa-erica": ["self_service"]', '"boa-erica": ["comunities"]')
    _edit(bad, cc, "cc-test", '"apple-genius-bar": "personal', '"apple-genius": "personal')
    _edit(bad, cc, "cc-quiz", ', taxonomy="bmg2010")', ")")
    _edit(bad, mq, "mq-questions-test", 'grade_classification(\n    "questions"',
          'grade_classification(\n    "question"')
    _edit(bad, mq, "mq-spectrum-test", '"parcel-locker"', '"parcel-lockers"')
    _edit(bad, mq, "mq-motives-test", 'accepted={"frequent-flyer-status": ["boosting_sales"]}',
          'accepted={"frequent-flyer-status": ["upselling"]}')
    _edit(bad, dr, "dr-designer", 'mode="graded", ', "")
    _edit(bad, dr, "dr-design-test", '"tourists", "companies"]', '"tourist", "companies"]')
    problems = release_tools.check_sources(bad)
    text = "\n".join(problems)
    where = f"{bad / cc / (cc + '.ipynb')}, cell cc-test: grade_classification('classify-cases')"
    assert (f"{where}, key of item 'ryanair-checkin': 'self_serve' is not a relationship type of "
            "taxonomy 'bmg2010' (did you mean 'self_service'?); valid: "
            "dedicated_personal_assistance, personal_assistance") in text
    assert (f"{where}, accepted of item 'boa-erica': 'comunities' is not a relationship type"
            in text and "(did you mean 'communities'?)" in text)
    assert (f"{where}: the key names item 'apple-genius', which the widget "
            "ClassifyCases('classify-cases') (cell cc-quiz) does not have") in text
    assert "the key has no answer for the widget's item(s) 'apple-genius-bar'" in text
    assert ("cell cc-quiz: ClassifyCases('classify-cases') names no taxonomy: add "
            'taxonomy="bmg2010" (valid: bmg2010, strategyzer)') in text
    assert ("cell mq-questions-test: grade_classification('question') grades no widget of this "
            "notebook (did you mean 'questions'?); exercise ids of its widgets: 'motivations', "
            "'questions', 'spectrum'") in text
    assert ("cell mq-spectrum-test: grade_order('spectrum'), key: 'parcel-lockers' is not a "
            "case of the widget (did you mean 'parcel-locker'?); valid: claims-line") in text
    assert ("cell mq-motives-test: grade_motivations('motivations'), accepted of item "
            "'frequent-flyer-status': 'upselling' is not a motivation; valid: acquisition, "
            "retention, boosting_sales") in text
    assert ("cell dr-designer: RelationshipDesigner('design') is graded by a hidden test but is "
            'not created with mode="graded"') in text
    assert ("cell dr-design-test: check_design('design'), segments: 'tourist' is not a segment "
            "of the business of 'design' (did you mean 'tourists'?); valid: commuters, "
            "tourists, companies") in text
    assert "the key has no answer for the widget's case(s) 'parcel-locker'" in text
    assert len(problems) == 11, text


def test_the_source_check_finds_mismatched_widgets(release_tools, copy_of):
    bad = copy_of(ROOT / "solutions")
    mq = "motivations-questions"
    _edit(bad, mq, "mq-questions-test", 'choices="questions",\n', "")
    _edit(bad, mq, "mq-spectrum-test", 'grade_order(\n    "spectrum"',
          'grade_order(\n    "questions"')
    _edit(bad, mq, "mq-motives", 'MotivationMatrix("motivations"', 'MotivationMatrix("questions"')
    text = "\n".join(release_tools.check_sources(bad))
    assert ("grade_classification('questions') grades choices='types' but the widget (cell "
            "mq-questions) has choices='questions': pass choices='questions'") in text
    assert "'expected' is not a relationship type of taxonomy 'bmg2010'" in text
    assert "exercise id 'questions' is already used by MotivationMatrix" in text


def test_every_released_widget_is_graded_and_shows_no_practice_feedback(tmp_path):
    """Run the released widget cells as a student's kernel would (the designer was practice)."""
    import contextlib

    import ipywidgets as widgets
    import nbformat

    from canvastools.widgets import Exercise
    from canvastools.widgets.base import ui_text

    def descendants(widget):
        yield widget
        for child in getattr(widget, "children", ()):
            yield from descendants(child)

    found = {}  # (assignment, exercise id) -> widget
    for path in sorted((ROOT / "exercises").rglob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        namespace: dict = {}
        folder = tmp_path / path.parent.name
        folder.mkdir()
        with contextlib.chdir(folder):
            for cell in nb.cells:
                if cell.cell_type == "code" and "BEGIN HIDDEN" not in cell.source:
                    if "grading" not in cell.source:
                        exec(compile(cell.source, str(path), "exec"), namespace)
        found.update({(path.parent.name, v.exercise_id): v for v in namespace.values()
                      if isinstance(v, Exercise)})
    english = ["classify-cases", "design", "motivations", "questions", "spectrum"]
    assert sorted({ident for _, ident in found}) == english
    # the Italian versions (same exercise ids) speak Italian
    langs = {name: "it" if name in ITALIAN.values() else "en" for name, _ in found}
    assert sorted(langs.values()).count("it") == len(ITALIAN)
    for (assignment, ident), exercise in found.items():
        lang = langs[assignment]
        assert exercise.mode == "graded", ident
        assert f"(graded, {lang})" in exercise.summary()
        buttons = [w.description for w in descendants(exercise) if isinstance(w, widgets.Button)]
        assert ui_text("check", lang) not in buttons, (assignment, ident)
        notes = [w.value for w in descendants(exercise) if isinstance(w, widgets.HTML)]
        assert any(ui_text("graded_note", lang) in html.unescape(n) for n in notes), \
            (assignment, ident)
