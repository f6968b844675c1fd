"""The graded spectrum orders cases by human contact, and its key is only in the hidden test.

Issue 16 item 7 and issue 21 point 6: the old Part C graded the taxonomy's own order of four
types, which any student could compute from the installed package
(``load_taxonomy("bmg2010").by_spectrum()``) and which the sources do not state. Now students
order cases by how much human contact they involve (which follows from the sources'
definitions); the cases and their order live only in the hidden test of ``solutions/``.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sys
from importlib.resources import files
from pathlib import Path

import ipywidgets as widgets
import nbformat
import pytest

from canvastools import SpectrumOrder, load_cases, load_taxonomy
from canvastools.answers.store import AnswerStore, StoreRead
from canvastools.errors import InputError
from canvastools.grading import SCORERS
from canvastools.grading.testcells import parse_test_cell
from canvastools.model.taxonomy import available_taxonomies

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "solutions" / "motivations-questions" / "motivations-questions.ipynb"
RELEASE = ROOT / "exercises" / "motivations-questions" / "motivations-questions.ipynb"
sys.path.insert(0, str(ROOT / "tools"))
import check_release  # noqa: E402


def _cell(path: Path, grade_id: str) -> str:
    nb = nbformat.read(path, as_version=4)
    return next(c.source for c in nb.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _declaration():
    return parse_test_cell(_cell(SOURCE, "mq-spectrum-test"))[0]


def _flat(key) -> list[str]:
    return [i for group in key for i in ([group] if isinstance(group, str) else group)]


def _grade(order, folder: Path | None = None, call=None) -> float:
    call = call or _declaration()
    read = (AnswerStore(folder).read() if folder is not None else
            StoreRead({"spectrum": {"kind": "spectrum", "answer": order, "updated": ""}}))
    return SCORERS[call.function](read, *call.args, **call.kwargs).points


GRADED_IDS = _flat(_declaration().kwargs["key"])


# -- the key cannot be had from the package ---------------------------------------------------
def test_the_graded_order_is_of_cases_that_no_package_file_names():
    call = _declaration()
    assert call.function == "grade_order" and call.kwargs["items"] == "cases"
    assert len(GRADED_IDS) == 5
    package = Path(str(files("canvastools")))
    found = []
    for path in package.rglob("*"):
        if path.is_file() and path.suffix in (".py", ".yaml", ".yml", ".json", ".txt", ".md"):
            text = path.read_text(encoding="utf-8", errors="replace")
            found += [(path.name, i) for i in GRADED_IDS if i in text]
    assert found == []  # neither the package's data (cases, taxonomies, gallery) nor its code


def test_no_function_of_the_package_gives_the_graded_order():
    bank_ids = set(load_cases().ids)
    assert not bank_ids & set(GRADED_IDS)
    for name in available_taxonomies():
        taxonomy = load_taxonomy(name)
        ranked = [t.id for t in taxonomy.by_spectrum()]
        assert not set(ranked) & set(GRADED_IDS)
    # the practice self-check of lesson 2 uses other cases than the graded ones
    lesson = (ROOT / "course" / "data" / "lesson-02.yaml").read_text(encoding="utf-8")
    assert not [i for i in GRADED_IDS if i in lesson]


def test_the_release_shows_the_cases_not_their_order_and_the_release_check_passes():
    released = _cell(RELEASE, "mq-spectrum")
    for case_id in GRADED_IDS:
        assert f'"{case_id}"' in released
    shown = [i for i in sorted(GRADED_IDS, key=released.index)]
    assert shown == sorted(GRADED_IDS)  # alphabetical, as the assignment says
    assert _grade(shown) <= 1.0  # listed (and started) in an order worth half the points or less
    text = RELEASE.read_text(encoding="utf-8")
    assert "grade_order(" not in text and "items=" not in text
    keys = check_release.assignment_keys(ROOT / "solutions")
    assert check_release.find_leaks(ROOT / "exercises", keys) == []
    assert check_release.check_sources(ROOT / "solutions", ROOT) == []


# -- grading ----------------------------------------------------------------------------------
def test_ties_go_either_way_and_pairs_earn_partial_credit():
    key = _declaration().kwargs["key"]
    first, (a, b), (c, d) = key
    assert _grade([first, a, b, c, d]) == 2.0
    assert _grade([first, b, a, d, c]) == 2.0          # tied cases in the other order
    assert _grade([a, first, b, c, d]) == round(2 * 7 / 8, 4)  # one pair the wrong way
    assert _grade([d, c, b, a, first]) == 0.0
    assert _grade([first, a, b, c, d, "extra"]) == 2.0  # an unknown id changes nothing
    assert _grade([first]) == 0.0


def test_the_released_widget_grades_as_the_student_leaves_it(tmp_path):
    namespace: dict = {}
    with contextlib.chdir(tmp_path):
        exec(compile(_cell(RELEASE, "mq-spectrum"), "mq-spectrum", "exec"), namespace)
    spectrum = namespace["spectrum"]
    assert spectrum.order == sorted(GRADED_IDS)  # student-independent start: the listing
    assert "Family wealth office" in spectrum._labels.values()
    key = _declaration().kwargs["key"]
    spectrum.answer(*_flat(key))
    saved = json.loads((tmp_path / "canvastools_answers.json").read_text())
    assert saved["exercises"]["spectrum"]["answer"] == _flat(key)
    assert "taxonomy" not in saved["exercises"]["spectrum"]  # cases belong to no taxonomy
    assert _grade(None, tmp_path) == 2.0


OLD_WIDGET = '''from canvastools import SpectrumOrder

spectrum = SpectrumOrder("spectrum", ["self_service", "dedicated_personal_assistance",
                                      "automated_services", "personal_assistance"],
                         mode="graded", taxonomy="bmg2010")
spectrum'''
OLD_TEST = '''from canvastools.grading import grade_order
from canvastools.grading import check_saved
check_saved("spectrum")  # Validate: are all your answers saved?

### BEGIN HIDDEN TESTS
grade_order(
    "spectrum",
    key=[
        "dedicated_personal_assistance",
        "personal_assistance",
        "self_service",
        "automated_services",
    ],
    taxonomy="bmg2010",
    points=2.0,
)
### END HIDDEN TESTS'''


def test_an_old_spectrum_of_types_still_grades(tmp_path):
    """Notebooks released before keep working: the widget and the test cell of the old Part C."""
    namespace: dict = {}
    with contextlib.chdir(tmp_path):
        exec(compile(OLD_WIDGET, "old-widget", "exec"), namespace)
    spectrum = namespace["spectrum"]
    call = parse_test_cell(OLD_TEST)[0]
    order = ["dedicated_personal_assistance", "personal_assistance", "self_service",
             "automated_services"]
    spectrum.answer(*order)
    assert _grade(None, tmp_path, call) == 2.0
    spectrum.answer(order[1], order[0], *order[2:])
    assert _grade(None, tmp_path, call) == round(2 * 5 / 6, 4)
    entry = AnswerStore(tmp_path).read().exercises["spectrum"]
    assert entry["taxonomy"] == "bmg2010"


# -- the widget -------------------------------------------------------------------------------
CASES = [{"id": "help-line", "company": {"en": "Insurer", "it": "Assicurazione"},
          "description": "Call an agent."},
         {"id": "banker", "company": "Private banking", "description": "A banker of your own."},
         {"id": "kiosk", "company": "Kiosk", "description": "No staff."},
         {"id": "app", "company": "Streaming app", "description": "Computed playlists."}]
KEY = ["banker", "help-line", ["app", "kiosk"]]


def test_practice_check_saves_the_order_shown_and_explains(tmp_path):
    quiz = SpectrumOrder("contact", CASES, key=KEY, explanation={"en": "The definitions.",
                                                                 "it": "Le definizioni."},
                         source="BMG p. 29", folder=tmp_path, lang="it")
    assert quiz.order[:2] == ["help-line", "banker"]  # the order given, never already right
    assert "Ancora senza risposta" in quiz.progress
    assert quiz.check() == [("banker", "help-line")]
    assert quiz.progress == "Ordine salvato."  # not "wrong" above "not answered yet"
    feedback = quiz._feedback.value
    assert "Private banking comporta più contatto umano di Assicurazione" in feedback
    assert "Le definizioni." in feedback and "Fonte: BMG p. 29" in feedback
    assert "Kiosk = Streaming app" in feedback  # the tie, in the order shown
    quiz.answer("banker", "help-line", "kiosk", "app")  # tied cases: either order
    assert quiz.check() == [] and "✓ Giusto" in quiz._feedback.value


def test_graded_cases_carry_no_key_and_bad_items_are_named(tmp_path):
    with pytest.raises(InputError, match="keep the key in the hidden test"):
        SpectrumOrder("g", CASES, key=KEY, mode="graded", folder=tmp_path)
    with pytest.raises(InputError, match="unknown field 'types'"):
        SpectrumOrder("g", [{**CASES[0], "types": ["self_service"]}, CASES[1]],
                      mode="graded", folder=tmp_path)
    with pytest.raises(InputError, match="all relationship type ids or all cases"):
        SpectrumOrder("g", [CASES[0], "self_service"], folder=tmp_path)
    with pytest.raises(InputError, match="missing: kiosk"):
        SpectrumOrder("p", CASES, key=["banker", "help-line", "app"], folder=tmp_path)
    graded = SpectrumOrder("g", CASES, mode="graded", folder=tmp_path)
    with pytest.raises(InputError, match="unknown case 'self_service'"):
        graded.answer("self_service", "banker", "help-line", "kiosk")
    shown = " ".join(w.value for w in graded.children if isinstance(w, widgets.HTML))
    assert "Most human contact" in shown and "Least human contact" in shown


def test_the_release_check_names_a_case_order_graded_as_types(tmp_path):
    course = tmp_path / "solutions"
    shutil.copytree(ROOT / "solutions", course)
    path = course / "motivations-questions" / "motivations-questions.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == "mq-spectrum-test")
    cell.source = cell.source.replace('    items="cases",\n', "")
    nbformat.write(nb, path)
    problems = check_release.check_sources(course, tmp_path)
    assert any("grade_order('spectrum') orders types but the widget" in p
               and "pass items='cases'" in p for p in problems), problems


def test_the_release_check_refuses_cases_listed_in_the_key_order(tmp_path):
    course = tmp_path / "solutions"
    shutil.copytree(ROOT / "solutions", course)
    path = course / "motivations-questions" / "motivations-questions.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == "mq-spectrum")
    head, rest = cell.source.split("CONTACT_CASES = [", 1)
    body, tail = rest.split("\n]\n", 1)
    entries = ["    {" + e.strip().rstrip(",") for e in body.split("\n    {")[1:]]
    by_id = {e.split('"id": "', 1)[1].split('"', 1)[0]: e for e in entries}
    assert sorted(by_id) == sorted(GRADED_IDS)
    listed = ",\n".join(by_id[i] for i in _flat(_declaration().kwargs["key"]))
    cell.source = f"{head}CONTACT_CASES = [\n{listed},\n]\n{tail}"
    nbformat.write(nb, path)
    problems = check_release.check_sources(course, tmp_path)
    assert any("lists the cases in the key's order" in p for p in problems), problems
