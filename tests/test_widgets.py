"""Exercise widgets driven as a browser would (control values, button clicks), then re-created
as after a kernel restart: the answers come back from canvastools_answers.json."""

import json
import re
import subprocess
import sys

import ipywidgets as widgets
import pytest

from canvastools import Canvas, InputError, load_domain
from canvastools.answers.store import ANSWERS_FILENAME
from canvastools.model.cases import parse_cases_text
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
    """The control of card ``index``: ChoiceButtons (one choice) or a row of checkboxes."""
    return [w for w in descendants(quiz)
            if isinstance(w, ChoiceButtons)
            or (isinstance(w, widgets.HBox) and w.children
                and all(isinstance(c, widgets.Checkbox) for c in w.children))][index]


def button(widget, label):
    return next(w for w in descendants(widget)
                if isinstance(w, widgets.Button) and w.description == label)


# --- ClassifyCases ----------------------------------------------------------------------

def test_classify_practice_saves_checks_and_comes_back(tmp_path, cases):
    quiz = ClassifyCases("classify-1", cases, folder=tmp_path)
    toggles, multi, third = (card_control(quiz, i) for i in range(3))
    assert isinstance(toggles, ChoiceButtons) and isinstance(multi, widgets.HBox)
    assert quiz.progress == "0 of 3 answered"
    next(b for b in toggles.children  # a student clicks a type button
         if b.text == "Dedicated personal assistance").click()
    assert toggles.value == "dedicated_personal_assistance"
    assert "✓ Dedicated personal assistance" in toggles.labels
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
    assert again.progress == "3 of 3 answered" and "✓ Right" not in all_text(again)
    assert "✓ Dedicated personal assistance" in card_control(again, 0).labels  # the tick


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
    italian = repr(ClassifyCases("classify-2", cases, folder=tmp_path, lang="it"))
    assert "fan-flavours [più di una]" in italian and "  scelte: " in italian
    assert "[several]" not in italian and "choices:" not in italian


def test_graded_mode_has_no_check_no_feedback_no_key(tmp_path, cases):
    with pytest.raises(InputError, match="must not carry their answer"):
        ClassifyCases("graded", cases, mode="graded", folder=tmp_path)
    with pytest.raises(InputError, match="must not carry their answer"):
        ClassifyCases("graded", [{**GRADED[0], "types": ["self_service"]}], mode="graded",
                      folder=tmp_path)
    quiz = ClassifyCases("graded", GRADED, mode="graded", taxonomy="bmg2010", folder=tmp_path)
    card_control(quiz, 0).value = "personal_assistance"
    card_control(quiz, 1).children[0].value = True
    text = all_text(quiz)
    assert not any(isinstance(w, widgets.Button) and w.description == "Check"
                   for w in descendants(quiz))
    for word in ("✓ Right", "✗", "Right", "right.", "The answer", "Source:"):
        assert word not in text
    assert "✓ Personal assistance" in card_control(quiz, 0).labels
    assert "Graded exercise" in text and "2 of 2 answered" in text
    with pytest.raises(InputError, match="no feedback"):
        quiz.check()


def test_same_id_other_kind_is_an_error_same_kind_is_run_all(tmp_path):
    """Two different widgets with one id in one live kernel: the instructor's mistake."""
    ClassifyCases("ex", GRADED, mode="graded", taxonomy="bmg2010", folder=tmp_path)
    ClassifyCases("ex", GRADED, mode="graded", taxonomy="bmg2010", folder=tmp_path)  # Run All
    with pytest.raises(InputError, match="already used by a ClassifyCases"):
        SpectrumOrder("ex", folder=tmp_path)


def test_an_entry_of_another_kind_is_a_damaged_entry_not_an_error(tmp_path):
    """A hand-edited "kind" (or another kernel's exercise with the same id): the student can
    still answer; the file is copied before the entry is replaced; other answers are kept."""
    data = {"format": "canvastools-answers", "version": 1, "exercises": {
        "ex": {"kind": "spectrum", "updated": "x", "answer": ["self_service"]},
        "other": {"kind": "motivation", "updated": "x", "answer": {"r": ["retention"]}}}}
    (tmp_path / ANSWERS_FILENAME).write_text(json.dumps(data))
    quiz = ClassifyCases("ex", GRADED, mode="graded", taxonomy="bmg2010",
                         folder=tmp_path)  # no exception
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
    ClassifyCases("c", GRADED, mode="graded", taxonomy="bmg2010",
                  folder=tmp_path).answer("acme-desk", "self_service")
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
    quiz = ClassifyCases("c", GRADED, mode="graded", taxonomy="bmg2010", folder=old)
    assert quiz.answers == {"acme-desk": ["self_service"]} and quiz.message == ""
    # answers given in another taxonomy: shown when they exist here, and a notice
    other = ClassifyCases("c8", GRADED, mode="graded", taxonomy="bmg2010", folder=tmp_path)
    assert other.answers == {}
    assert "'strategyzer'" in other.message and "'bmg2010'" in other.message
    assert "“Acme” (transactional) is not shown" in other.message  # kept in the file


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
    quiz = ClassifyCases("ex", GRADED, mode="graded", taxonomy="bmg2010", folder=tmp_path)
    assert "could not be read" in quiz.message and "not valid JSON" in quiz.message
    assert "could not be read" in all_text(quiz) and "could not be read" in repr(quiz)
    assert not list(tmp_path.glob("*.corrupt-*"))  # nothing written before an answer
    card_control(quiz, 0).value = "self_service"
    backups = list(tmp_path.glob("canvastools_answers.corrupt-*.json"))
    assert len(backups) == 1 and backups[0].read_text().endswith('"x"')
    assert backups[0].name in quiz.message and backups[0].name in all_text(quiz)
    assert saved(tmp_path, "ex") == {"acme-desk": ["self_service"]}


def test_hand_edited_file_frame_keeps_the_answers_and_says_so(tmp_path):
    data = {"format": "canvastools-answers", "version": "1", "exercises": {
        "ex": {"kind": "classify", "answer": {"acme-desk": ["self_service"]}},
        "other": {"kind": "classify", "answer": {"x": ["co_creation"]}}}}
    (tmp_path / ANSWERS_FILENAME).write_text(json.dumps(data))
    quiz = ClassifyCases("ex", GRADED, mode="graded", taxonomy="bmg2010", folder=tmp_path)
    assert quiz.answers == {"acme-desk": ["self_service"]}
    assert "edited by hand" in quiz.message and "could not be read" not in quiz.message
    assert "'version' must be the number 1" in quiz.message.replace('"', "'")
    card_control(quiz, 0).value = "communities"
    (backup,) = tmp_path.glob("canvastools_answers.corrupt-*.json")
    assert json.loads(backup.read_text()) == data
    assert backup.name in quiz.message and "written again in the right form" in quiz.message
    fixed = json.loads((tmp_path / ANSWERS_FILENAME).read_text())
    assert fixed["version"] == 1
    assert fixed["exercises"]["other"]["answer"] == {"x": ["co_creation"]}
    assert saved(tmp_path, "ex") == {"acme-desk": ["communities"]}


def test_saved_ids_that_no_longer_exist_are_kept_but_ignored(tmp_path):
    data = {"format": "canvastools-answers", "version": 1, "exercises": {
        "ex": {"kind": "classify", "updated": "x", "answer": {
            "acme-desk": ["self_service"], "removed-item": ["co_creation"],
            "club": ["renamed_type"]}}}}
    (tmp_path / ANSWERS_FILENAME).write_text(json.dumps(data))
    quiz = ClassifyCases("ex", GRADED, mode="graded", taxonomy="bmg2010", folder=tmp_path)
    assert quiz.answers == {"acme-desk": ["self_service"]}
    assert ("Saved answers for items that are not in this exercise are kept in the file but "
            "not shown: removed-item.") in quiz.message
    assert "“Club” (renamed_type) is not shown" in quiz.message
    card_control(quiz, 0).value = "communities"
    assert saved(tmp_path, "ex") == {"acme-desk": ["communities"],
                                     "removed-item": ["co_creation"], "club": ["renamed_type"]}


def test_classify_items_with_guiding_questions_and_motivations(tmp_path):
    statements = [{"id": "s1", "company": "Shop", "description": "Each call costs us 6 EUR."}]
    quiz = ClassifyItems("questions", statements, choices="questions", mode="graded",
                         folder=tmp_path)
    radio = card_control(quiz, 0)
    assert isinstance(radio, ChoiceButtons)  # long labels: buttons in a column
    assert radio.layout.flex_flow == "column"
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
    assert [b.index for b in picker.children].count(0) == 1  # one radio checked
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
                     ClassifyCases("c", GRADED, mode="graded", taxonomy="bmg2010",
                                   folder=tmp_path),
                     ClassifyItems("q", GRADED, choices="questions", folder=tmp_path),
                     MotivationMatrix("m", rows, folder=tmp_path),
                     RelationshipDesigner("d", BUSINESS, folder=tmp_path)):
        kinds = {type(w) for w in descendants(exercise)}
        assert not kinds & {widgets.Select, widgets.Dropdown, widgets.RadioButtons,
                            widgets.SelectMultiple, widgets.ToggleButtons}, exercise
        for w in descendants(exercise):  # every control has a name
            if isinstance(w, (widgets.Button, widgets.Text)):
                assert w.description.strip(), w
            if isinstance(w, widgets.Checkbox):  # a matrix cell is named by its tooltip
                assert (w.description or w.tooltip).strip(), w


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
    labels = [m.label_in("en") for m in load_domain().motivations]

    def name(box):  # the accessible name: the description's (visually hidden) text
        assert box.description_allow_html and 'class="jp-sr-only"' in box.description
        return re.sub(r"<[^>]+>", "", box.description)

    assert [name(b) for b in boxes[:3]] == [
        f"{label} (A bank pays new customers 100 EUR)" for label in labels]
    assert name(boxes[3]) == "Customer acquisition (Tenth coffee free)"
    assert len({name(b) for b in boxes}) == 6  # a different name for each box
    assert all(label in all_text(matrix) for label in labels)  # the column headings
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
    next(b for b in kind.children if b.text == "Self-service").click()
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
    drawing = designer._drawing
    assert "not available" in drawing.value and "Tour guides in person" in drawing.value
    assert designer.progress == "2 notes"
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



def test_an_italian_exercise_shows_italian_titles_and_hint(tmp_path):
    quiz = ClassifyCases("c", ["atms", "telecom-business-clients"], lang="it", folder=tmp_path)
    text = all_text(quiz)
    assert "Sportelli bancomat" in text and "Compagnie telefoniche (clienti business)" in text
    assert "Bank cash machines" not in text and "Telephone companies" not in text
    assert "Per rispondere nel codice" in quiz.summary() and "Answer in code" not in quiz.summary()
    english = ClassifyCases("e", ["atms"], lang="en", folder=tmp_path)
    assert "Bank cash machines (ATMs)" in all_text(english)
    assert "Answer in code" in english.summary()
    shop = {"id": "corner", "company": {"en": "Corner bakery", "it": "Forno del quartiere"},
            "description": {"en": "The baker knows you.", "it": "Il fornaio ti conosce."}}
    assert "Forno del quartiere" in all_text(ClassifyCases("d", [shop], lang="it", folder=tmp_path))
    assert "Corner bakery" in all_text(ClassifyCases("d", [shop], lang="fr", folder=tmp_path))
    for widget in (MotivationMatrix("m", [{"id": "r", "label": "R"}], lang="it", folder=tmp_path),
                   RelationshipDesigner("g", BUSINESS, lang="it", folder=tmp_path),
                   SpectrumOrder("s", lang="it", folder=tmp_path)):
        assert "Per rispondere nel codice" in widget.summary(), type(widget).__name__

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
    quiz = ClassifyCases("ex", GRADED, mode="graded", taxonomy="bmg2010", folder=tmp_path)
    assert quiz.answers == {} and "could not be read" in quiz.message
    quiz.answer("acme-desk", "self_service")
    backups = list(tmp_path.glob("canvastools_answers.corrupt-*.json"))
    assert len(backups) == 1 and backups[0].name in quiz.message
    after = sidecar(tmp_path)["exercises"]
    assert after["ex"]["answer"] == {"acme-desk": ["self_service"]}
    assert after["someone-else"] == data["exercises"]["someone-else"]


def test_the_chosen_button_carries_a_tick_not_only_a_colour(tmp_path):
    items = [{"id": "bakery", "company": "Bakery",
              "description": "The baker serves regulars by name."}]
    quiz = ClassifyCases("tick", items, mode="graded", taxonomy="bmg2010", folder=tmp_path)
    buttons = quiz._controls["bakery"]
    first = list(buttons.children)
    quiz.answer("bakery", "personal_assistance")
    assert [label for label in buttons.labels if label.startswith("✓")] == [
        "✓ Personal assistance"]
    # the same button objects, only their texts change: the keyboard focus stays on them
    assert list(buttons.children) == first
    # a native radio button: a screen reader says which one is chosen
    assert buttons.children[buttons.labels.index("✓ Personal assistance")].index == 0
    again = ClassifyCases("tick", items, mode="graded", taxonomy="bmg2010", folder=tmp_path)
    assert [label for label in again._controls["bakery"].labels if label.startswith("✓")] == [
        "✓ Personal assistance"]


# --- honesty: what a widget shows from a saved answer is what is graded ------------------

ITEMS = [{"id": "a-case", "company": "A shop", "description": "Customers serve themselves."},
         {"id": "b-case", "company": "B bank", "description": "A named adviser per client."},
         {"id": "c-case", "company": "C club", "description": "Members help each other.",
          "multi": True}]


def test_classify_restore_shows_only_what_is_graded_and_says_what_is_not(
        tmp_path, monkeypatch, capsys):
    from canvastools.answers.store import AnswerStore
    from canvastools.grading import grade_classification

    monkeypatch.chdir(tmp_path)
    saved_answer = {"a-case": ["self_service", "bogus"],               # an unknown type id
                    "b-case": ["dedicated_personal_assistance", "self_service"],  # two for one
                    "c-case": ["communities", "communities"],          # the same id twice: fine
                    "gone": ["co_creation"]}                           # an item not here
    AnswerStore(tmp_path).save("ex", "classify", saved_answer, taxonomy="bmg2010")
    before = (tmp_path / ANSWERS_FILENAME).read_text()
    key = {"a-case": "self_service", "b-case": "dedicated_personal_assistance",
           "c-case": "communities"}
    quiz = ClassifyCases("ex", ITEMS, mode="graded", taxonomy="bmg2010", folder=tmp_path)
    # shown: only c-case, which is also the only item graded right
    assert quiz.answers == {"c-case": ["communities"]}
    assert grade_classification("ex", key, taxonomy="bmg2010", show=True) == 1.0
    out = capsys.readouterr().out
    assert "a-case: wrong" in out and "b-case: wrong" in out and "c-case: right" in out
    assert card_control(quiz, 0).value is None and card_control(quiz, 1).value is None
    assert quiz.progress == "1 of 3 answered"
    valid = ("automated_services, co_creation, communities, dedicated_personal_assistance, "
             "personal_assistance, self_service")
    assert (f"Your saved answer to “A shop” (self_service, bogus) is not shown and counts as "
            f"not right: bogus is not one of this exercise's choices ({valid}). Please answer "
            "“A shop” again") in quiz.message
    assert ("Your saved answer to “B bank” (dedicated_personal_assistance, self_service) is "
            "not shown and counts as not right: this item takes one answer, the file holds 2."
            ) in quiz.message
    assert "not in this exercise are kept in the file but not shown: gone." in quiz.message
    assert "a-case" not in quiz.message.split("not in this exercise")[1]  # item 2: no wrong reason
    assert "“A shop”" in all_text(quiz)  # on screen too, not only in .message
    assert (tmp_path / ANSWERS_FILENAME).read_text() == before  # nothing rewritten by loading

    # answering another item keeps the saved entries that are not shown, as they were
    quiz.answer("c-case", "communities", "co_creation")
    after = saved(tmp_path, "ex")
    assert after["a-case"] == ["self_service", "bogus"] and after["gone"] == ["co_creation"]
    assert after["b-case"] == saved_answer["b-case"]
    assert not list(tmp_path.glob("canvastools_answers.corrupt-*"))
    # answering a-case again replaces its saved answer: a copy of the file is kept first
    card_control(quiz, 0).children[
        card_control(quiz, 0).labels.index("Self-service")].click()
    backups = list(tmp_path.glob("canvastools_answers.corrupt-*.json"))
    assert len(backups) == 1
    assert json.loads(backups[0].read_text())["exercises"]["ex"]["answer"]["a-case"] == [
        "self_service", "bogus"]
    assert backups[0].name in quiz.message
    assert "“A shop”" not in quiz.message and "“B bank”" in quiz.message
    assert saved(tmp_path, "ex")["a-case"] == ["self_service"]
    quiz.answer("a-case")  # cleared: the old saved answer does not come back
    assert "a-case" not in saved(tmp_path, "ex")
    quiz.answer("a-case", "self_service")
    assert grade_classification("ex", key, taxonomy="bmg2010") == 1.0  # a-case only
    again = ClassifyCases("ex", ITEMS, mode="graded", taxonomy="bmg2010", folder=tmp_path)
    assert again.answers == {"a-case": ["self_service"],
                             "c-case": ["co_creation", "communities"]}


@pytest.mark.parametrize("saved_order, problem", [
    (["self_service", "self_service"], "more than once: self_service"),
    (["bogus"], "bogus not among this exercise's types"),
])
def test_spectrum_restore_is_not_order_saved_until_a_full_order_is(
        tmp_path, monkeypatch, saved_order, problem):
    from canvastools.answers.store import AnswerStore
    from canvastools.grading import grade_order

    monkeypatch.chdir(tmp_path)
    AnswerStore(tmp_path).save("sp", "spectrum", saved_order, taxonomy="bmg2010")
    before = (tmp_path / ANSWERS_FILENAME).read_text()
    right = ["dedicated_personal_assistance", "personal_assistance", "communities",
             "co_creation", "self_service", "automated_services"]
    assert grade_order("sp", right) == 0.0
    spectrum = SpectrumOrder("sp", mode="graded", folder=tmp_path)
    assert spectrum.progress != "Order saved." and "Not answered yet" in spectrum.progress
    assert f"Your saved order ({', '.join(saved_order)}) was not taken over" in spectrum.message
    assert problem in spectrum.message and "missing: " in spectrum.message
    assert "Order saved." not in all_text(spectrum)
    assert (tmp_path / ANSWERS_FILENAME).read_text() == before
    if "self_service" in saved_order:  # the types it has come first
        assert spectrum.order[0] == "self_service"
    button(spectrum, "Save this order").click()  # the student gives a whole order
    assert spectrum.progress == "Order saved."
    assert saved(tmp_path, "sp") == spectrum.order and sorted(spectrum.order) == sorted(right)
    assert "was not taken over" not in spectrum.message
    backups = list(tmp_path.glob("canvastools_answers.corrupt-*.json"))
    assert len(backups) == 1 and backups[0].name in spectrum.message
    assert json.loads(backups[0].read_text())["exercises"]["sp"]["answer"] == saved_order
    assert grade_order("sp", right) > 0
    assert SpectrumOrder("sp", mode="graded", folder=tmp_path).progress == "Order saved."


def test_motivation_restore_with_an_unknown_id_is_not_shown(tmp_path):
    from canvastools.answers.store import AnswerStore

    AnswerStore(tmp_path).save("m", "motivation", {"r": ["retention", "loyalty"]})
    matrix = MotivationMatrix("m", [{"id": "r", "label": "Stamp card"}], folder=tmp_path)
    assert matrix.answers == {}
    assert "“Stamp card” (retention, loyalty)" in matrix.message
    assert "loyalty is not one of this exercise's choices" in matrix.message
    assert "acquisition, retention, boosting_sales" in matrix.message


# --- taxonomy of a case bank, instructor mistakes ---------------------------------------

def test_classify_uses_the_case_banks_own_taxonomy(tmp_path):
    from canvastools import load_cases

    (tmp_path / "mine.yaml").write_text(
        "id: mine\nname: Mine\nsource: class notes\nextends: bmg2010\ntypes:\n"
        "  - id: concierge\n    spectrum: 0.1\n"
        "    label: {en: Concierge, it: Concierge, fr: Concierge, ru: Консьерж, de: Concierge,"
        " es: Conserje}\n    definition: {en: A person does everything for the client.}\n")
    (tmp_path / "cases.yaml").write_text(
        "taxonomy: mine.yaml\ncases:\n"
        "  - id: hotel\n    company: Hotel\n    description: {en: The concierge books it all.}\n"
        "    types: [concierge]\n    motivations: [retention]\n"
        "    explanation: {en: One person does it all.}\n    source: notes\n")
    bank = load_cases(tmp_path / "cases.yaml")
    quiz = ClassifyCases("mine", bank, folder=tmp_path)
    assert "concierge" in quiz._choice_ids
    quiz.answer("hotel", "concierge")
    assert quiz.check() == {"hotel": "right"}
    assert sidecar(tmp_path)["exercises"]["mine"]["taxonomy"] == "mine"
    assert ClassifyCases("mine2", bank.select(["hotel"]), taxonomy=bank.taxonomy,
                         folder=tmp_path).answers == {}
    generated = ClassifyCases("mine5", (c for c in bank), taxonomy=bank.taxonomy,
                              folder=tmp_path)
    assert [i.id for i in generated._items] == ["hotel"]
    with pytest.raises(InputError) as error:
        ClassifyCases("mine3", bank, taxonomy="bmg2010", folder=tmp_path)
    assert ("use the relationship types of taxonomy 'mine', but taxonomy='bmg2010' was "
            "given") in str(error.value)
    with pytest.raises(InputError, match="pass the case bank itself"):
        ClassifyCases("mine4", bank.select(["hotel"]), folder=tmp_path)


def test_instructor_mistakes_in_items_and_rows_are_named(tmp_path):
    with pytest.raises(InputError) as error:
        ClassifyCases("x", [{"id": "x"}], mode="graded", taxonomy="bmg2010", folder=tmp_path)
    assert "item 1 (id: x)" in str(error.value)
    assert "neither a 'company' nor a 'description'" in str(error.value)
    ClassifyCases("x", [{"id": "x", "description": "Only a text."}], mode="graded",
                  taxonomy="bmg2010", folder=tmp_path)
    with pytest.raises(InputError) as error:
        MotivationMatrix("m", [{"id": "p"}], folder=tmp_path)
    assert "row 1 (id: p)" in str(error.value) and "has no 'label'" in str(error.value)
    with pytest.raises(InputError) as error:
        ClassifyCases("g", GRADED, mode="graded", folder=tmp_path)
    assert ("graded exercises name their taxonomy: add taxonomy='bmg2010'"
            in str(error.value))
    ClassifyItems("q", GRADED, choices="questions", mode="graded", folder=tmp_path)  # no types


# --- designer: drawing, text alternative, counts -----------------------------------------

def test_designer_drawing_legend_alt_text_and_counts(tmp_path):
    designer = RelationshipDesigner("d", BUSINESS, folder=tmp_path)
    assert designer.progress == "No notes yet."
    designer.add_note("Tour guides in person", "personal_assistance", ["tourists"])
    assert designer.progress == "1 note"
    fig = designer._figure()
    legend = [t for t in fig.axes[0].texts if t.get_gid() == "legend-text"]
    assert [t.get_text() for t in legend] == ["Tourists"]
    assert all(t.get_fontsize() >= 9 for t in legend)
    html_value = designer._drawing.value
    assert html_value.startswith('<img src="data:image/png;base64,')
    assert ('alt="Drawing of the Customer Relationships block of CityBike. 1. Tour guides in '
            'person — Personal assistance — Tourists"') in html_value
    designer.add_note("App", "self_service", ["commuters"])
    assert designer.progress == "2 notes" and "; 2. App — Self-service" in designer._drawing.value
    counts = {lang: RelationshipDesigner(f"d-{lang}", BUSINESS, lang=lang, folder=tmp_path)
              for lang in load_domain().languages}
    for lang, widget in counts.items():
        widget.add_note("x")
        one = widget.progress
        widget.add_note("y")
        assert one != widget.progress and "(" not in one + widget.progress, lang


def test_designer_restore_names_the_note_and_the_problem(tmp_path):
    from canvastools.answers.store import AnswerStore

    AnswerStore(tmp_path).save("d", "designer", [
        {"text": "Kiosk", "relationship": "self_service", "segments": ["commuters"]},
        {"text": "Butler", "relationship": "butler", "segments": []}], taxonomy="bmg2010")
    designer = RelationshipDesigner("d", BUSINESS, folder=tmp_path)
    assert [n["text"] for n in designer.notes] == ["Kiosk"]
    assert ("Saved note 2 (“Butler”) is kept in the file but not shown: unknown relationship "
            "type 'butler' (automated_services, co_creation") in designer.message
    designer.add_note("Tour guides", "personal_assistance")
    assert [n["text"] for n in saved(tmp_path, "d")] == ["Kiosk", "Tour guides", "Butler"]
