"""How a scored exercise is shown (canvastools.grading.views), on results scored from answer
files of the repository's assignments; no nbgrader run (test_views_feedback.py runs it)."""

from __future__ import annotations

import base64
import io
import re

import nbformat
import pytest
from nbg_helpers import ROOT

from canvastools import load_taxonomy
from canvastools.answers.store import StoreRead
from canvastools.grading import score_classification, score_design, score_order
from canvastools.grading import views as grading_views
from canvastools.grading.testcells import parse_test_cell

INJECTION = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _sources(assignment: str) -> list[str]:
    nb = nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "code"]


def _declaration(assignment: str, exercise_id: str):
    for source in _sources(assignment):
        for call in parse_test_cell(source) or []:
            if call.args[0] == exercise_id:
                return call
    raise AssertionError(exercise_id)


def _score(assignment: str, exercise_id: str, kind: str, answer, **extra):
    from canvastools.grading import SCORERS

    call = _declaration(assignment, exercise_id)
    read = StoreRead({exercise_id: {"kind": kind, "answer": answer, "updated": "",
                                    "taxonomy": "bmg2010", **extra}})
    return SCORERS[call.function](read, *call.args, **call.kwargs)


def _rows(html_text: str) -> dict[str, str]:
    """item id -> the text of its row (tags removed)."""
    rows = {}
    for match in re.finditer(r'<tr class="canvastools-item" data-item="([^"]+)"[^>]*>(.*?)</tr>',
                             html_text, re.S):
        rows[match.group(1)] = re.sub(r"<[^>]+>", " ", match.group(2))
    return rows


def test_the_views_read_the_items_as_the_assignment_shows_them():
    views = grading_views.exercise_views(_sources("classify-cases"))
    quiz = views["classify-cases"]
    assert quiz.widget == "ClassifyCases" and quiz.lang == "en"
    assert quiz.item_label("amex-centurion") == ("American Express Centurion Card", "")
    statements = grading_views.exercise_views(_sources("motivations-questions"))["questions"]
    # two statements of one company: their text tells them apart
    title, description = statements.item_label("cost-per-call")
    assert title == "Internet provider" and description.startswith("Each call to the phone")
    design = grading_views.exercise_views(_sources("design-relationships"))["design"]
    assert [s["id"] for s in design.business["segments"]] == ["commuters", "tourists",
                                                              "companies"]


def test_the_test_cells_still_parse_with_the_check_before_submitting():
    for assignment in ("classify-cases", "motivations-questions", "design-relationships"):
        tests = [s for s in _sources(assignment) if "BEGIN HIDDEN TESTS" in s]
        assert tests
        for source in tests:
            visible = source.split("### BEGIN HIDDEN TESTS")[0]
            assert "check_saved(" in visible
            calls = parse_test_cell(source)
            assert calls and all(c.function != "check_saved" for c in calls)
            assert all(f'check_saved("{c.args[0]}")' in visible for c in calls)


def test_classification_table_marks_each_item_without_the_key():
    answer = {"amex-centurion": ["personal_assistance"], "nike-run-club": ["communities"],
              "apple-genius-bar": ["personal_assistance"]}
    result = _score("classify-cases", "classify-cases", "classify", answer)
    views = grading_views.exercise_views(_sources("classify-cases"))
    page = grading_views.result_html(result, show_key=False, view=views["classify-cases"])
    rows = _rows(page)
    assert "American Express Centurion Card" in rows["amex-centurion"]
    assert "Personal assistance" in rows["amex-centurion"]
    assert "not right" in rows["amex-centurion"] and "0 / 1" in rows["amex-centurion"]
    assert "partly right" in rows["nike-run-club"] and "0.5 / 1" in rows["nike-run-club"]
    assert "✓ right" in rows["apple-genius-bar"] and "1 / 1" in rows["apple-genius-bar"]
    assert "not answered" in rows["boa-erica"]
    # the key (Dedicated personal assistance; Nike's Automated services) is nowhere
    assert "Dedicated personal assistance" not in page and "Automated services" not in page
    assert "Expected" not in page and "also accepted" not in page
    assert "<pre" not in page and "overflow-wrap:anywhere" in page

    keyed = grading_views.result_html(result, show_key=True, view=views["classify-cases"])
    rows = _rows(keyed)
    assert "Dedicated personal assistance" in rows["amex-centurion"]
    assert "Automated services, Communities" in rows["nike-run-club"]
    assert "also accepted, for part of the points: Self-service" in rows["boa-erica"]


def test_text_summary_holds_nothing_meant_for_students_only():
    result = _score("classify-cases", "classify-cases", "classify", {})
    views = grading_views.exercise_views(_sources("classify-cases"))
    (output,) = grading_views.result_outputs([result], show_key=True, views=views)
    for text in output["data"].values():
        assert "choices:" not in text and "Answer in code" not in text


def test_student_text_is_escaped_in_notes_and_answers():
    notes = [{"text": INJECTION, "relationship": "self_service", "segments": ["commuters"]},
             {"text": "ok", "relationship": INJECTION, "segments": [INJECTION]}]
    design = _score("design-relationships", "design", "designer", notes)
    views = grading_views.exercise_views(_sources("design-relationships"))
    classify = _score("classify-cases", "classify-cases", "classify",
                      {"threadless": [INJECTION], INJECTION: ["self_service"]})
    for result, view in ((design, views["design"]), (classify, None)):
        for show_key in (False, True):
            page = grading_views.result_html(result, show_key=show_key, view=view)
            assert "<script" not in page and "<img src=x" not in page
            assert "&lt;script&gt;" in page
    # the hand-edited answer id is shown as text in the row of the item it was given for
    page = grading_views.result_html(classify, show_key=False)
    assert "&lt;script&gt;" in _rows(page)["threadless"]


def test_design_is_drawn_with_its_notes_types_and_checks():
    import matplotlib

    before = dict(matplotlib.rcParams)
    notes = [{"text": "Account manager for each company",
              "relationship": "dedicated_personal_assistance", "segments": ["companies"]},
             {"text": "Rent in the app", "relationship": None, "segments": ["commuters"]}]
    result = _score("design-relationships", "design", "designer", notes)
    view = grading_views.exercise_views(_sources("design-relationships"))["design"]
    page = grading_views.result_html(result, show_key=False, view=view)
    found = re.search(r'<img class="canvastools-drawing" src="data:image/png;base64,([^"]+)"',
                      page)
    assert found, page[:500]
    from PIL import Image

    image = Image.open(io.BytesIO(base64.b64decode(found.group(1))))
    assert image.format == "PNG" and image.size == (720, 495)
    assert "max-width:100%" in page
    assert "Dedicated personal assistance" in page and "(no type)" in page
    assert "Companies (staff mobility plans)" in page  # segments by name
    assert "missing for: Commuters, Tourists" in page and "notes without a type: 2" in page
    assert dict(matplotlib.rcParams) == before


def _text_of(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_spectrum_shows_the_order_and_the_key_only_on_request():
    call = _declaration("motivations-questions", "spectrum")
    key = call.kwargs["key"]
    flat = [c for group in key for c in ([group] if isinstance(group, str) else group)]
    views = grading_views.exercise_views(_sources("motivations-questions"))
    result = _score("motivations-questions", "spectrum", "spectrum", list(reversed(flat)))
    page = grading_views.result_html(result, show_key=False, view=views["spectrum"])
    assert "Family wealth office" in page and "0 of 8" in page  # cases by their titles
    assert "=" not in re.sub(r'="[^"]*"', "", re.sub(r"<[^>]+>", "", page))  # no tied group
    assert "Expected order" not in page
    keyed = grading_views.result_html(result, show_key=True, view=views["spectrum"])
    assert "Expected order" in keyed
    rows = re.findall(r"<tr>(.*?)</tr>", keyed.split("Expected order", 1)[1], re.S)
    assert _text_of(rows[0]).endswith("Family wealth office")
    assert _text_of(rows[1]).endswith("Car insurer = DIY store")  # a tie, either order


@pytest.mark.parametrize("kind", ["cases", "types"])
def test_hidden_key_feedback_lists_nothing_in_key_order(kind):
    """A saved order holding one non-item: what is not placed is listed alphabetically, never
    in the key's order (issue 16, item 7)."""
    if kind == "cases":
        views = grading_views.exercise_views(_sources("motivations-questions"))
        view = views["spectrum"]
        call = _declaration("motivations-questions", "spectrum")
        key, options = call.kwargs["key"], {"items": "cases"}
    else:  # an old assignment that orders types; its key is not alphabetical
        view, key, options = None, ["self_service", "dedicated_personal_assistance",
                                    "personal_assistance", "automated_services"], {}
    read = StoreRead({"s": {"kind": "spectrum", "answer": ["not-an-item"], "updated": ""}})
    result = score_order(read, "s", key, **options)
    taxonomy = load_taxonomy("bmg2010")
    label = ((lambda i: view.item_label(i)[0]) if view is not None else
             (lambda i: taxonomy.label(i, "en")))
    flat = [c for group in key for c in ([group] if isinstance(group, str) else group)]
    in_key_order = [label(i) for i in flat]
    alphabetical = sorted(in_key_order, key=str.casefold)
    assert in_key_order != alphabetical  # else the test could not tell them apart
    text = _text_of(grading_views.result_html(result, show_key=False, view=view))
    listed = text.split("not placed: ", 1)[1]
    assert listed.startswith(", ".join(alphabetical))
    assert ", ".join(in_key_order) not in text


def test_the_assignments_language_is_used():
    sources = ['CASES = [{"id": "a", "company": "Banca"}]',
               'quiz = ClassifyCases("q", CASES, lang="it", mode="graded", taxonomy="bmg2010")']
    views = grading_views.exercise_views(sources)
    read = StoreRead({"q": {"kind": "classify", "answer": {"a": ["self_service"]},
                            "updated": ""}})
    result = score_classification(read, "q", {"a": "self_service"})
    page = grading_views.result_html(result, show_key=False, view=views["q"])
    assert "Risposta" in page and "giusto" in page and "Self-service" in page
    order = score_order(StoreRead({}), "s", ["personal_assistance", "self_service"])
    assert "Nessun ordine salvato" in grading_views.result_html(
        order, show_key=False, view=grading_views.ExerciseView("s", lang="it"))


@pytest.mark.parametrize("answer", [None, "not a list", [{"text": 5}]])
def test_a_broken_design_answer_still_shows(answer):
    read = StoreRead({} if answer is None else {"d": {"kind": "designer", "answer": answer,
                                                       "updated": ""}})
    result = score_design(read, "d", ["s1"])
    page = grading_views.result_html(result, show_key=False)
    assert "0 of 3 points" in page and "canvastools-checks" in page
