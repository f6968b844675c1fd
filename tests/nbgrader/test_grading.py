"""canvastools.grading on answer files written in the answer-store format (no nbgrader run)."""

from __future__ import annotations

import json

import pytest

from canvastools import grading

KEY = {"a": "self_service", "b": ["co_creation", "communities"], "c": "co_creation"}
ACCEPTED = {"c": ["communities"]}


def store(folder, **exercises):
    data = {"format": "canvastools-answers", "version": 1, "exercises": {
        ex: {"kind": kind, "answer": answer, "updated": "2026-11-24T10:00:00+00:00"}
        for ex, (kind, answer) in exercises.items()}}
    (folder / "canvastools_answers.json").write_text(json.dumps(data))


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("answer, score", [
    ({"a": ["self_service"], "b": ["communities", "co_creation"], "c": ["co_creation"]}, 3.0),
    ({"a": ["self_service"], "b": ["co_creation"], "c": ["communities"]}, 2.0),
    ({"a": ["automated_services"], "b": ["co_creation", "self_service"], "c": []}, 0.0),
    ({"a": "self_service", "zzz": ["x"]}, 1.0),            # a bare string; an unknown id
    ({"a": [1, None], "b": {"x": 1}, "c": 42}, 0.0),       # hand-edited nonsense
])
def test_grade_classification(here, capsys, answer, score):
    store(here, quiz=("classify", answer))
    assert grading.grade_classification("quiz", KEY, ACCEPTED) == score
    out = capsys.readouterr()
    assert out.err == ""
    assert "self_service" not in out.out and "co_creation" not in out.out


def test_show_prints_right_and_wrong_but_never_the_answer(here, capsys):
    store(here, quiz=("classify", {"a": ["self_service"], "c": ["communities"]}))
    assert grading.grade_classification("quiz", KEY, ACCEPTED, show=True) == 1.5
    out = capsys.readouterr().out
    assert "a: right" in out and "b: not answered" in out and "c: partly right" in out
    assert "co_creation" not in out and "total: 1.5/3" in out


@pytest.mark.parametrize("content", [None, "", "{not json", "[1, 2]",
                                     '{"format": "canvastools-answers", "exercises": 5}'])
def test_missing_or_corrupted_file_scores_zero_quietly(here, capsys, content):
    if content is not None:
        (here / "canvastools_answers.json").write_text(content)
    assert grading.grade_classification("quiz", KEY) == 0.0
    assert grading.grade_order("spectrum", ["personal_assistance", "self_service"]) == 0.0
    assert grading.check_design("design", ["s"], show=False) == 0.0
    out = capsys.readouterr()
    assert out.err == "" and "[canvastools]" in out.out


def test_grade_motivations(here):
    store(here, m=("motivation", {"r1": ["acquisition"], "r2": ["retention"],
                                  "r3": ["retention", "boosting_sales"]}))
    key = {"r1": ["acquisition"], "r2": ["retention", "boosting_sales"], "r3": ["retention"]}
    assert grading.grade_motivations("m", key) == 1.5


A, B, C, D = ("dedicated_personal_assistance", "personal_assistance", "co_creation",
              "automated_services")


@pytest.mark.parametrize("order, score", [
    ([A, B, C, D], 1.0),
    ([A, C, B, D], 1.0),          # B and C are tied
    ([D, C, B, A], 0.0),
    ([B, A, C, D], 0.8),          # 4 of the 5 ordered pairs
    ([A, B, B, "zzz"], 0.2),      # only A<B; C and D missing
    ("abcd", 0.0),
])
def test_grade_order(here, order, score):
    store(here, s=("spectrum", order))
    assert grading.grade_order("s", [A, [B, C], D]) == score


def test_check_design(here, capsys):
    notes = [{"text": "x", "relationship": "self_service", "segments": ["s1", "s2"]},
             {"text": "y", "relationship": "communities", "segments": ["s1"]}]
    store(here, d=("designer", notes))
    assert grading.check_design("d", ["s1", "s2"]) == 3.0
    store(here, d=("designer", notes + [{"text": "z", "relationship": None, "segments": []}]))
    assert grading.check_design("d", ["s1", "s2", "s3"]) == 1.0
    out = capsys.readouterr()
    assert "not yet: every segment" in out.out and out.err == ""


def test_instructor_mistakes_in_the_key_raise(here):
    with pytest.raises(ValueError):
        grading.grade_classification("quiz", {})
    with pytest.raises(ValueError):
        grading.grade_classification("quiz", KEY, {"nope": ["x"]})
    with pytest.raises(ValueError):
        grading.grade_order("s", [A, A])


@pytest.mark.parametrize("call, words", [
    (lambda: grading.grade_classification("q", {"a": "self_serve"}),
     ["'self_serve' is not a relationship type of taxonomy 'bmg2010'",
      "did you mean 'self_service'", "Valid choices: dedicated_personal_assistance"]),
    (lambda: grading.grade_classification("q", KEY, {"c": ["comunities"]}),
     ["grade_classification('q'), accepted", "did you mean 'communities'"]),
    (lambda: grading.grade_classification("q", {"a": "expected"}),
     ["'expected' is not a relationship type", "pass choices='questions'"]),
    (lambda: grading.grade_classification("q", {"a": "expectd"}, choices="questions"),
     ["not a guiding question", "did you mean 'expected'"]),
    (lambda: grading.grade_classification("q", {"a": "transactional"}),
     ["'transactional' is not a relationship type of taxonomy 'bmg2010'"]),
    (lambda: grading.grade_classification("q", {"a": "self_service"}, taxonomy="bmg2011"),
     ["unknown taxonomy 'bmg2011'", "did you mean 'bmg2010'"]),
    (lambda: grading.grade_classification("q", {"a": []}), ["at least one id"]),
    (lambda: grading.grade_motivations("m", {"r": ["retension"]}),
     ["not a motivation", "did you mean 'retention'"]),
    (lambda: grading.grade_order("s", [A, "self-service"]),
     ["grade_order('s'), key", "did you mean 'self_service'"]),
    (lambda: grading.check_design("d", ["s1"], types=["self_servce", "communities"]),
     ["check_design('d'), types", "did you mean 'self_service'"]),
])
def test_a_typo_in_the_key_is_a_clear_error_not_a_silent_zero(here, capsys, call, words):
    """A broken key must not give every student 0 quietly: the cell errors, and says why."""
    store(here, q=("classify", {"a": ["self_service"]}))
    with pytest.raises(ValueError) as error:
        call()
    for word in words:
        assert word in str(error.value)
    assert capsys.readouterr() == ("", "")  # raised before any answer was read


def test_the_message_of_a_key_error_never_pairs_an_item_with_its_key(here):
    with pytest.raises(ValueError) as error:
        grading.grade_classification("q", {"ryanair-checkin": ["self_service", "co_creaton"]})
    assert "ryanair-checkin" not in str(error.value)


def test_taxonomy_is_graded_against_and_named_in_a_note(here, capsys):
    data = {"format": "canvastools-answers", "version": 1, "exercises": {
        "q": {"kind": "classify", "taxonomy": "strategyzer", "updated": "x",
              "answer": {"a": ["transactional"], "b": ["self_service"]}},
        "old": {"kind": "classify", "updated": "x", "answer": {"a": ["self_service"]}}}}
    (here / "canvastools_answers.json").write_text(json.dumps(data))
    key = {"a": "transactional", "b": "self_service"}
    assert grading.grade_classification("q", key, taxonomy="strategyzer") == 2.0
    assert capsys.readouterr() == ("", "")
    # the key's taxonomy is not the one the student answered in: a note, not a crash
    assert grading.grade_classification("q", {"b": "self_service"}) == 1.0
    out = capsys.readouterr()
    assert out.err == "" and "taxonomy 'strategyzer', the key uses 'bmg2010'" in out.out
    # an answer file written before entries named their taxonomy
    assert grading.grade_classification("old", {"a": "self_service"},
                                         taxonomy="bmg2010") == 1.0
    assert capsys.readouterr() == ("", "")
    # the same for the spectrum and the designer
    store(here, s=("spectrum", [A, B]), d=("designer", []))
    assert grading.grade_order("s", [A, B], taxonomy="strategyzer") == 1.0
    assert grading.check_design("d", ["s1"], taxonomy="strategyzer", show=False) == 0.0


def test_the_package_holds_no_key():
    import inspect

    source = inspect.getsource(grading)
    assert "apple-genius-bar" not in source and "welcome-bonus" not in source


# --- one choice-set table: what a widget offers, grading accepts -----------------------------
@pytest.mark.parametrize("choice_set", ["types", "motivations", "questions", "blocks"])
def test_every_choice_set_a_widget_offers_is_graded(here, choice_set):
    """A widget's answer in any choice set it offers is scored; none is rejected as a key error."""
    from canvastools.model.choices import CHOICE_SETS
    from canvastools.widgets import ClassifyItems

    assert choice_set in CHOICE_SETS
    quiz = ClassifyItems("sets", [{"id": "s1", "company": "Shop", "description": "A text."}],
                         choices=choice_set, mode="graded", taxonomy="bmg2010",
                         folder=here)
    from canvastools.model.choices import choice_sets
    from canvastools.model.taxonomy import load_taxonomy

    first, second = choice_sets(load_taxonomy("bmg2010"))[choice_set].ids[:2]
    quiz.answer("s1", first)
    assert grading.grade_classification("sets", {"s1": first}, choices=choice_set) == 1.0
    assert grading.grade_classification("sets", {"s1": second}, choices=choice_set) == 0.0


def test_a_choice_set_neither_offers_is_rejected_by_both(here):
    from canvastools.errors import InputError
    from canvastools.widgets import ClassifyItems

    items = [{"id": "s1", "company": "Shop", "description": "A text."}]
    with pytest.raises(InputError, match="unknown choices 'block'.*did you mean 'blocks'"):
        ClassifyItems("sets", items, choices="block", folder=here)
    with pytest.raises(InputError, match="unknown choices 'block'.*did you mean 'blocks'"):
        grading.grade_classification("sets", {"s1": "channels"}, choices="block")


def test_one_reader_of_a_cell_keeps_the_cell_s_line_numbers_and_skips_magic_lines():
    """The grader's reader (testcells) and the feedback's reader (exercise_views) skip the same
    IPython lines, and an error names the line as the instructor sees it in the cell."""
    from canvastools.errors import InputError
    from canvastools.grading.exercise_views import exercise_views
    from canvastools.grading.testcells import parse_test_cell

    cell = ('%load_ext autoreload\n!echo hi\nKEY = {"a": "self_service"}\n'
            'grade_classification("q", KEY, explanations={"a": "Why."})')
    assert parse_test_cell(cell)[0].args == ("q", {"a": "self_service"})
    assert exercise_views([cell])["q"].explanations == {"a": "Why."}
    with pytest.raises(InputError, match="line 3"):
        parse_test_cell('%load_ext autoreload\n\ngrade_classification("q", open("k"))')
