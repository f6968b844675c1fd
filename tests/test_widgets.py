"""Exercise widgets driven as a browser would (control values, button clicks), then re-created
as after a kernel restart: the answers come back from canvastools_answers.json."""

import json
import re
import subprocess
import sys

import ipywidgets as widgets
import pytest

from canvastools import Canvas, InputError, load_domain
from canvastools.answers import ANSWERS_FILENAME
from canvastools.cases import parse_cases_text
from canvastools.widgets import (
    ChoiceButtons,
    ClassifyCases,
    ClassifyItems,
    MotivationMatrix,
    RelationshipDesigner,
    SpectrumOrder,
    ui_strings,
)

CASES_YAML = """\
- id: corner-bakery
  company: Corner bakery
  description: {en: "The baker knows regulars by name.", it: "Il fornaio conosce i clienti."}
  types: [personal_assistance]
  accepted: [dedicated_personal_assistance]
  motivations: [retention]
  explanation: {en: "People serve people at the counter."}
  source: "Class notes, 2026"
- id: fan-flavours
  company: Yoghurt brand
  description: {en: "Fans vote for flavours and discuss them."}
  types: [co_creation, communities]
  motivations: [retention]
  explanation: {en: "Customers create value together."}
  source: "Class notes, 2026"
- id: web-banking
  company: Online bank
  description: {en: "Profiles suggest products from past transactions."}
  types: [automated_services]
  motivations: [boosting_sales]
  explanation: {en: "Software tailors the offer."}
  source: "Class notes, 2026"
"""
GRADED = [
    {"id": "acme-desk", "company": "Acme", "description": "A named adviser for each client."},
    {"id": "club", "company": "Club", "description": {"en": "Members help each other.",
                                                      "it": "I soci si aiutano."},
     "multi": True},
]
BUSINESS = {"title": "CityBike", "segments": [{"id": "commuters", "name": "Commuters"},
                                               {"id": "tourists", "name": "Tourists"}]}


@pytest.fixture
def cases():
    return list(parse_cases_text(CASES_YAML, "cases.yaml"))


def sidecar(folder):
    return json.loads((folder / ANSWERS_FILENAME).read_text(encoding="utf-8"))


def saved(folder, exercise_id):
    return sidecar(folder)["exercises"][exercise_id]["answer"]


def descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from descendants(child)


def all_text(widget):
    """Every text a student could see or hear: values, descriptions, options, tooltips."""
    parts = []
    for w in descendants(widget):
        for name in ("value", "description", "tooltip", "placeholder"):
            value = getattr(w, name, None)
            if isinstance(value, str):
                parts.append(value)
        parts += [str(o) for o in getattr(w, "options", ()) or ()]
        parts += [str(t) for t in getattr(w, "tooltips", ()) or ()]
    return "\n".join(parts)


def card_control(quiz, index):
    return [w for w in descendants(quiz)
            if isinstance(w, (widgets.ToggleButtons, widgets.RadioButtons))
            or (isinstance(w, widgets.HBox) and w.children
                and all(isinstance(c, widgets.Checkbox) for c in w.children))][index]


def button(widget, label):
    return next(w for w in descendants(widget)
                if isinstance(w, widgets.Button) and w.description == label)


# --- ClassifyCases ----------------------------------------------------------------------

def test_classify_practice_saves_checks_and_comes_back(tmp_path, cases):
    quiz = ClassifyCases("classify-1", cases, folder=tmp_path)
    toggles, multi, third = (card_control(quiz, i) for i in range(3))
    assert isinstance(toggles, widgets.ToggleButtons) and isinstance(multi, widgets.HBox)
    assert quiz.progress == "0 of 3 answered"
    toggles.value = "dedicated_personal_assistance"  # a student clicks a type button
    for box in multi.children:
        box.value = box.description in ("Co-creation", "Communities")
    third.value = "self_service"
    assert saved(tmp_path, "classify-1") == {
        "corner-bakery": ["dedicated_personal_assistance"],
        "fan-flavours": ["co_creation", "communities"], "web-banking": ["self_service"]}
    assert quiz.answers["fan-flavours"] == ["co_creation", "communities"]
    assert quiz.progress == "3 of 3 answered"

    button(quiz, "Check").click()
    text = all_text(quiz)
    assert "~ Partly right." in text and "✓ Right." in text and "✗ Not right." in text
    assert "People serve people at the counter." in text and "Source: Class notes, 2026" in text
    assert "The answer: Automated services." in text and "2 of 3 right." not in text
    assert "1 of 3 right." in text
    assert quiz.check() == {"corner-bakery": "partly", "fan-flavours": "right",
                            "web-banking": "wrong"}
    third.value = "automated_services"  # after a check, feedback follows each change
    assert "2 of 3 right." in all_text(quiz)

    again = ClassifyCases("classify-1", cases, folder=tmp_path)  # kernel restart
    assert again.answers == quiz.answers
    assert card_control(again, 0).value == "dedicated_personal_assistance"
    assert [b.value for b in card_control(again, 1).children] == [
        b.description in ("Co-creation", "Communities") for b in card_control(again, 1).children]
    assert card_control(again, 2).value == "automated_services"
    assert again.progress == "3 of 3 answered" and "✓" not in all_text(again)


def test_classify_code_fallback_and_clear_errors(tmp_path, cases):
    quiz = ClassifyCases("classify-2", cases, folder=tmp_path)
    quiz.answer("web-banking", "automated_services")
    quiz.answer("fan-flavours", ["communities", "co_creation"])
    assert saved(tmp_path, "classify-2") == {"web-banking": ["automated_services"],
                                             "fan-flavours": ["co_creation", "communities"]}
    assert card_control(quiz, 2).value == "automated_services"
    with pytest.raises(InputError, match="did you mean 'web-banking'"):
        quiz.answer("web-bank", "automated_services")
    with pytest.raises(InputError, match="did you mean 'self_service'"):
        quiz.answer("web-banking", "self-servce")
    with pytest.raises(InputError, match="takes one relationship type"):
        quiz.answer("web-banking", "self_service", "automated_services")
    quiz.answer("web-banking")  # no type clears the item
    assert "web-banking" not in saved(tmp_path, "classify-2")
    summary = repr(quiz)
    assert "1 of 3 answered" in summary and "fan-flavours [several]" in summary
    assert ".answer(" in summary
    assert quiz._repr_mimebundle_()["text/plain"] == summary


def test_graded_mode_has_no_check_no_feedback_no_key(tmp_path, cases):
    with pytest.raises(InputError, match="must not carry their answer"):
        ClassifyCases("graded", cases, mode="graded", folder=tmp_path)
    with pytest.raises(InputError, match="must not carry their answer"):
        ClassifyCases("graded", [{**GRADED[0], "types": ["self_service"]}], mode="graded",
                      folder=tmp_path)
    quiz = ClassifyCases("graded", GRADED, mode="graded", folder=tmp_path)
    card_control(quiz, 0).value = "personal_assistance"
    card_control(quiz, 1).children[0].value = True
    text = all_text(quiz)
    assert not any(isinstance(w, widgets.Button) for w in descendants(quiz))
    for word in ("✓", "✗", "Right", "right.", "The answer", "Source:"):
        assert word not in text
    assert "Graded exercise" in text and "2 of 2 answered" in text
    with pytest.raises(InputError, match="no feedback"):
        quiz.check()


def test_same_id_other_kind_is_an_error_same_kind_is_run_all(tmp_path):
    """Two different widgets with one id in one live kernel: the instructor's mistake."""
    ClassifyCases("ex", GRADED, mode="graded", folder=tmp_path)
    ClassifyCases("ex", GRADED, mode="graded", folder=tmp_path)  # Run All: fine
    with pytest.raises(InputError, match="already used by a ClassifyCases"):
        SpectrumOrder("ex", folder=tmp_path)


def test_an_entry_of_another_kind_is_a_damaged_entry_not_an_error(tmp_path):
    """A hand-edited "kind" (or another kernel's exercise with the same id): the student can
    still answer; the file is copied before the entry is replaced; other answers are kept."""
    data = {"format": "canvastools-answers", "version": 1, "exercises": {
        "ex": {"kind": "spectrum", "updated": "x", "answer": ["self_service"]},
        "other": {"kind": "motivation", "updated": "x", "answer": {"r": ["retention"]}}}}
    (tmp_path / ANSWERS_FILENAME).write_text(json.dumps(data))
    quiz = ClassifyCases("ex", GRADED, mode="graded", folder=tmp_path)  # no exception
    assert quiz.answers == {}
    assert "is a 'spectrum' answer, not a 'classify' answer" in quiz.message
    assert "could not be read" in all_text(quiz) and "other exercises" in quiz.message
    assert json.loads((tmp_path / ANSWERS_FILENAME).read_text()) == data  # untouched so far
    assert not list(tmp_path.glob("*.corrupt-*"))
    quiz.answer("acme-desk", "self_service")
    backups = list(tmp_path.glob("canvastools_answers.corrupt-*.json"))
    assert len(backups) == 1 and json.loads(backups[0].read_text()) == data
    assert backups[0].name in quiz.message and "could not be used" in quiz.message
    after = sidecar(tmp_path)["exercises"]
    assert after["ex"]["kind"] == "classify"
    assert after["ex"]["answer"] == {"acme-desk": ["self_service"]}
    assert after["other"] == data["exercises"]["other"]
    # the same from another kernel (no registry of this one's widgets)
    code = ("from canvastools.widgets import MotivationMatrix\n"
            f"m = MotivationMatrix('ex', [{{'id': 'r', 'label': 'R'}}], folder={str(tmp_path)!r})\n"
            "print(m.answers, m.message)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "{}" in run.stdout and "is a 'classify' answer, not a 'motivation'" in run.stdout


def test_graded_mode_refuses_practice_bank_ids(tmp_path):
    with pytest.raises(InputError) as error:
        ClassifyCases("g", ["ing-direct", "youtube"], mode="graded", folder=tmp_path)
    text = str(error.value)
    assert "item 1" in text and "'ing-direct' is a case id of the practice bank" in text
    assert "dicts" in text
    ClassifyCases("p", ["ing-direct", "youtube"], folder=tmp_path)  # practice: fine


def test_a_case_without_types_is_refused(tmp_path):
    from canvastools import load_cases

    case = load_cases()["mobile-operators"]
    assert case.types == ()
    for items in (["mobile-operators"], [case]):
        with pytest.raises(InputError) as error:
            ClassifyCases("p", items, folder=tmp_path)
        assert ("case 'mobile-operators' (Mobile network operators) illustrates motivations "
                "only; it has no relationship type to classify") in str(error.value)
        assert "item 1" in str(error.value)


def test_each_entry_names_its_taxonomy_and_old_files_still_load(tmp_path):
    ClassifyCases("c", GRADED, mode="graded", folder=tmp_path).answer("acme-desk", "self_service")
    ClassifyCases("c8", GRADED, mode="graded", taxonomy="strategyzer",
                  folder=tmp_path).answer("acme-desk", "transactional")
    SpectrumOrder("s", folder=tmp_path)._save_order()
    RelationshipDesigner("d", BUSINESS, folder=tmp_path).add_note("x", "self_service")
    MotivationMatrix("m", [{"id": "r", "label": "R"}], folder=tmp_path).answer("r", "retention")
    ClassifyItems("q", GRADED[:1], choices="questions", folder=tmp_path).answer(
        "acme-desk", "expected")
    entries = sidecar(tmp_path)["exercises"]
    assert {k: v.get("taxonomy") for k, v in entries.items()} == {
        "c": "bmg2010", "c8": "strategyzer", "s": "bmg2010", "d": "bmg2010", "m": None,
        "q": None}
    assert sidecar(tmp_path)["version"] == 1
    # a file written before entries had a taxonomy
    old = tmp_path / "old"
    old.mkdir()
    (old / ANSWERS_FILENAME).write_text(json.dumps({
        "format": "canvastools-answers", "version": 1, "exercises": {
            "c": {"kind": "classify", "updated": "x", "answer": {"acme-desk": ["self_service"]}}}}))
    quiz = ClassifyCases("c", GRADED, mode="graded", folder=old)
    assert quiz.answers == {"acme-desk": ["self_service"]} and quiz.message == ""
    # answers given in another taxonomy: shown when they exist here, and a notice
    other = ClassifyCases("c8", GRADED, mode="graded", folder=tmp_path)
    assert other.answers == {}
    assert "'strategyzer'" in other.message and "'bmg2010'" in other.message
    assert "acme-desk" in other.message  # kept in the file, not shown


def test_designer_taxonomy_and_graded_mode(tmp_path):
    designer = RelationshipDesigner("d", BUSINESS, mode="graded", taxonomy="bmg2010",
                                    folder=tmp_path)
    designer.add_note("App", "self_service", ["commuters"])
    text = all_text(designer)
    assert "Graded exercise" in text and "(graded, en)" in designer.summary()
    assert not any(isinstance(w, widgets.Button) and w.description == "Check"
                   for w in descendants(designer))
    eight = RelationshipDesigner("d8", BUSINESS, taxonomy="strategyzer", folder=tmp_path)
    eight.add_note("One-off sale", "transactional", ["tourists"])
    assert sidecar(tmp_path)["exercises"]["d8"]["taxonomy"] == "strategyzer"
    with pytest.raises(InputError, match="uses the taxonomy 'bmg2010' but taxonomy="):
        RelationshipDesigner("d9", Canvas.from_dict({**BUSINESS, "blocks": {}}, "b"),
                             taxonomy="strategyzer", folder=tmp_path)


def test_damaged_file_backed_up_and_shown_in_the_widget(tmp_path):
    path = tmp_path / ANSWERS_FILENAME
    path.write_text('{"format": "canvastools-answers", "version": 1, "exercises": {"x"')
    quiz = ClassifyCases("ex", GRADED, mode="graded", folder=tmp_path)
    assert "could not be read" in quiz.message and "not valid JSON" in quiz.message
    assert "could not be read" in all_text(quiz) and "could not be read" in repr(quiz)
    assert not list(tmp_path.glob("*.corrupt-*"))  # nothing written before an answer
    card_control(quiz, 0).value = "self_service"
    backups = list(tmp_path.glob("canvastools_answers.corrupt-*.json"))
    assert len(backups) == 1 and backups[0].read_text().endswith('"x"')
    assert backups[0].name in quiz.message and backups[0].name in all_text(quiz)
    assert saved(tmp_path, "ex") == {"acme-desk": ["self_service"]}


def test_saved_ids_that_no_longer_exist_are_kept_but_ignored(tmp_path):
    data = {"format": "canvastools-answers", "version": 1, "exercises": {
        "ex": {"kind": "classify", "updated": "x", "answer": {
            "acme-desk": ["self_service"], "removed-item": ["co_creation"],
            "club": ["renamed_type"]}}}}
    (tmp_path / ANSWERS_FILENAME).write_text(json.dumps(data))
    quiz = ClassifyCases("ex", GRADED, mode="graded", folder=tmp_path)
    assert quiz.answers == {"acme-desk": ["self_service"]}
    assert "removed-item" in quiz.message
    card_control(quiz, 0).value = "communities"
    assert saved(tmp_path, "ex") == {"acme-desk": ["communities"],
                                     "removed-item": ["co_creation"], "club": ["renamed_type"]}


def test_classify_items_with_guiding_questions_and_motivations(tmp_path):
    statements = [{"id": "s1", "company": "Shop", "description": "Each call costs us 6 EUR."}]
    quiz = ClassifyItems("questions", statements, choices="questions", mode="graded",
                         folder=tmp_path)
    radio = card_control(quiz, 0)
    assert isinstance(radio, widgets.RadioButtons)  # long labels: a vertical list
    radio.value = "cost"
    assert saved(tmp_path, "questions") == {"s1": ["cost"]}
    assert ClassifyItems("questions", statements, choices="questions", mode="graded",
                         folder=tmp_path).answers == {"s1": ["cost"]}
    motives = ClassifyItems("m", statements, choices=["acquisition", "retention"],
                            folder=tmp_path)
    with pytest.raises(InputError, match="did you mean 'retention'"):
        motives.answer("s1", "retension")
    with pytest.raises(InputError, match="unknown choices"):
        ClassifyItems("q2", statements, choices="question", folder=tmp_path)


# --- SpectrumOrder ----------------------------------------------------------------------

def choices(widget, index=0):
    return [w for w in descendants(widget) if isinstance(w, ChoiceButtons)][index]


def test_spectrum_keyboard_controls_save_and_come_back(tmp_path):
    spectrum = SpectrumOrder("spectrum", folder=tmp_path)
    start = list(spectrum.order)
    assert spectrum.check()  # never starts in the right order
    picker = choices(spectrum)
    assert picker.labels == [f"{i}. {spectrum._labels[t]}" for i, t in enumerate(start, 1)]
    picker.children[1].click()  # a student picks the second type (click, or Tab + Enter)
    assert picker.value == start[1]
    assert picker.labels[1] == f"✓ 2. {spectrum._labels[start[1]]}"  # a tick, not only colour
    assert f"Selected: {spectrum._labels[start[1]]}, place 2 of 6." in all_text(spectrum)
    button(spectrum, "▲ Move up").click()
    assert spectrum.order[:2] == [start[1], start[0]]
    assert saved(tmp_path, "spectrum") == spectrum.order
    assert picker.value == start[1] and [v for _, v in picker.options] == spectrum.order
    assert picker.labels[0] == f"✓ 1. {spectrum._labels[start[1]]}"
    assert [b.description.startswith("✓") for b in picker.children].count(True) == 1
    assert "place 1 of 6." in all_text(spectrum)
    again = SpectrumOrder("spectrum", folder=tmp_path)
    assert again.order == spectrum.order
    assert [v for _, v in choices(again).options] == spectrum.order
    assert choices(again).value is None and "✓" not in "".join(choices(again).labels)


def test_no_list_box_or_drop_down_that_the_arrow_keys_cannot_reach(tmp_path):
    """In JupyterLab the arrow keys on a focused list box or drop-down move to another cell:
    every choice is a button (Tab + Enter/Space) or a checkbox (Tab + Space)."""
    rows = [{"id": "r", "label": "R"}]
    for exercise in (SpectrumOrder("s", folder=tmp_path),
                     MotivationMatrix("m", rows, folder=tmp_path),
                     RelationshipDesigner("d", BUSINESS, folder=tmp_path)):
        kinds = {type(w) for w in descendants(exercise)}
        assert not kinds & {widgets.Select, widgets.Dropdown, widgets.RadioButtons,
                            widgets.SelectMultiple, widgets.ToggleButtons}, exercise
        for w in descendants(exercise):  # every control has a visible name
            if isinstance(w, (widgets.Button, widgets.Checkbox, widgets.Text)):
                assert w.description.strip(), w


def test_spectrum_tolerance_and_errors(tmp_path):
    spectrum = SpectrumOrder("spectrum", folder=tmp_path)
    right = ["dedicated_personal_assistance", "personal_assistance", "communities",
             "co_creation", "self_service", "automated_services"]  # close pair swapped: fine
    spectrum.answer(*right)
    assert spectrum.check() == [] and "✓ Right" in all_text(spectrum)
    spectrum.answer(right[1], right[0], *right[2:])
    assert spectrum.check() == [("dedicated_personal_assistance", "personal_assistance")]
    assert "✗" in all_text(spectrum)
    with pytest.raises(InputError, match="missing"):
        spectrum.answer(*right[:5])
    with pytest.raises(InputError, match="did you mean 'self_service'"):
        spectrum.answer(*right[:4], "self-servise", right[5])
    graded = SpectrumOrder("graded-spectrum", mode="graded", folder=tmp_path)
    assert "Check" not in [b.description for b in descendants(graded)
                           if isinstance(b, widgets.Button)]
    assert graded.order == SpectrumOrder("graded-spectrum", mode="graded",
                                         folder=tmp_path).order  # nothing saved yet
    button(graded, "Save this order").click()
    assert saved(tmp_path, "graded-spectrum") == graded.order


# --- MotivationMatrix -------------------------------------------------------------------

def test_motivation_matrix(tmp_path):
    rows = [{"id": "welcome-bonus", "label": "A bank pays new customers 100 EUR"},
            {"id": "stamp-card", "label": "Tenth coffee free"}]
    matrix = MotivationMatrix("motives", rows, mode="graded", folder=tmp_path)
    boxes = [w for w in descendants(matrix) if isinstance(w, widgets.Checkbox)]
    assert [b.description for b in boxes[:3]] == [m.label_in("en")
                                                   for m in load_domain().motivations]
    assert all(b.tooltip for b in boxes)
    boxes[0].value = True
    boxes[4].value = True
    assert saved(tmp_path, "motives") == {"welcome-bonus": ["acquisition"],
                                          "stamp-card": ["retention"]}
    matrix.answer("stamp-card", "retention", "boosting_sales")
    again = MotivationMatrix("motives", rows, mode="graded", folder=tmp_path)
    assert again.answers == {"welcome-bonus": ["acquisition"],
                             "stamp-card": ["retention", "boosting_sales"]}
    assert [b.value for b in descendants(again) if isinstance(b, widgets.Checkbox)] == [
        True, False, False, False, True, True]
    with pytest.raises(InputError, match="did you mean 'boosting_sales'"):
        again.answer("stamp-card", "boosting-sale")
    with pytest.raises(InputError, match="no row 'stamp'"):
        again.answer("stamp", "retention")
    practice = MotivationMatrix("p", [{"id": "r", "label": "R", "motivations": ["retention"],
                                       "explanation": "Keeps them."}], folder=tmp_path)
    practice.answer("r", "retention")
    assert practice.check() == {"r": "right"} and "Keeps them." in all_text(practice)


# --- RelationshipDesigner ---------------------------------------------------------------

def test_designer_controls_save_and_come_back(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "canvastools.draw", None)  # no drawing: text list
    designer = RelationshipDesigner("design", BUSINESS, folder=tmp_path)
    text = next(w for w in descendants(designer) if isinstance(w, widgets.Text))
    kind = choices(designer, 0)
    boxes = [w for w in descendants(designer) if isinstance(w, widgets.Checkbox)]
    assert kind.value == "" and kind.labels[0] == "✓ (no type)"
    button(designer, "Add note").click()
    assert designer.notes == [] and "Write the note" in all_text(designer)
    text.value = "App with self-service booking"
    next(b for b in kind.children if b.description == "Self-service").click()
    assert kind.value == "self_service" and "✓ Self-service" in kind.labels
    boxes[0].value = True
    button(designer, "Add note").click()
    assert kind.value == "" and text.value == "" and not boxes[0].value  # ready for the next
    designer.add_note("Tour guides in person", "personal_assistance", ["tourists"])
    assert saved(tmp_path, "design") == [
        {"text": "App with self-service booking", "relationship": "self_service",
         "segments": ["commuters"]},
        {"text": "Tour guides in person", "relationship": "personal_assistance",
         "segments": ["tourists"]}]
    output = next(w for w in descendants(designer) if isinstance(w, widgets.Output))
    assert "Tour guides in person" in output.outputs[0]["text"]
    notes = choices(designer, 1)
    assert notes.labels == ["1. App with self-service booking — Self-service — Commuters",
                            "2. Tour guides in person — Personal assistance — Tourists"]
    button(designer, "Remove selected note").click()  # nothing selected: nothing removed
    assert len(designer.notes) == 2
    notes.children[0].click()
    assert notes.value == 0 and notes.labels[0].startswith("✓ 1. App")
    button(designer, "Remove selected note").click()
    assert [n["text"] for n in designer.notes] == ["Tour guides in person"]
    assert notes.value is None and len(notes.children) == 1
    canvas = designer.canvas()
    assert isinstance(canvas, Canvas)
    assert canvas.notes("customer_relationships")[0].relationship == "personal_assistance"
    again = RelationshipDesigner("design", BUSINESS, folder=tmp_path)
    assert again.notes == designer.notes and "Tour guides in person" in repr(again)
    with pytest.raises(InputError, match="did you mean 'tourists'"):
        again.add_note("x", "self_service", ["tourist"])
    with pytest.raises(InputError, match="did you mean 'co_creation'"):
        again.add_note("x", "co-creation")
    with pytest.raises(InputError):
        again.remove_note(5)


# --- languages, strings, imports --------------------------------------------------------

@pytest.mark.parametrize("lang", list(load_domain().languages))
def test_every_language_builds(tmp_path, cases, lang):
    quiz = ClassifyCases("c", cases, lang=lang, folder=tmp_path)
    quiz.answer("web-banking", "automated_services")
    quiz.check()
    assert re.search(r"1\D+3|3\D+1", quiz.progress)
    SpectrumOrder("s", lang=lang, folder=tmp_path).check()
    MotivationMatrix("m", [{"id": "r", "label": "R"}], lang=lang, folder=tmp_path)
    RelationshipDesigner("d", BUSINESS, lang=lang, folder=tmp_path)
    if lang != "en":
        assert "Check" not in all_text(quiz)


def test_unknown_language_and_mode(tmp_path):
    with pytest.raises(InputError, match="did you mean 'fr'"):
        ClassifyCases("c", GRADED, lang="FR ", folder=tmp_path)
    with pytest.raises(InputError, match="unknown mode"):
        ClassifyCases("c", GRADED, mode="exam", folder=tmp_path)


def test_ui_strings_complete_in_six_languages():
    languages = set(load_domain().languages)
    for key, texts in ui_strings().items():
        assert set(texts) == languages, key
        fields = {f for f in re.findall(r"{(\w+)}", texts["en"])}
        for lang, text in texts.items():
            assert set(re.findall(r"{(\w+)}", text)) == fields, (key, lang)


def test_import_canvastools_does_not_import_ipywidgets():
    code = "import sys, canvastools; print('ipywidgets' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.stdout.strip() == "False", run.stderr


def test_own_malformed_entry_is_ignored_then_backed_up_others_untouched(tmp_path):
    data = {"format": "canvastools-answers", "version": 1, "exercises": {
        "ex": {"kind": "classify", "answer": {"acme-desk": "self_service"}},
        "someone-else": {"kind": "spectrum", "answer": "garbage"}}}
    (tmp_path / ANSWERS_FILENAME).write_text(json.dumps(data))
    quiz = ClassifyCases("ex", GRADED, mode="graded", folder=tmp_path)
    assert quiz.answers == {} and "could not be read" in quiz.message
    quiz.answer("acme-desk", "self_service")
    backups = list(tmp_path.glob("canvastools_answers.corrupt-*.json"))
    assert len(backups) == 1 and backups[0].name in quiz.message
    after = sidecar(tmp_path)["exercises"]
    assert after["ex"]["answer"] == {"acme-desk": ["self_service"]}
    assert after["someone-else"] == data["exercises"]["someone-else"]


def test_the_chosen_button_carries_a_tick_not_only_a_colour(tmp_path):
    from canvastools.widgets import ClassifyCases

    quiz = ClassifyCases("tick", [{"id": "bakery", "company": "Bakery",
                                  "description": "The baker serves regulars by name."}],
                         mode="graded", folder=tmp_path)
    quiz.answer("bakery", "personal_assistance")
    buttons = quiz._controls["bakery"]
    ticked = [label for (label, _), icon in zip(buttons.options, buttons.icons, strict=True)
              if icon == "check"]
    assert ticked == ["Personal assistance"]
    again = ClassifyCases("tick", [{"id": "bakery", "company": "Bakery",
                                   "description": "The baker serves regulars by name."}],
                          mode="graded", folder=tmp_path)
    assert again._controls["bakery"].icons.count("check") == 1
