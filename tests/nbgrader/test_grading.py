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
    assert grading.grade_order("spectrum", ["a", "b", "c"]) == 0.0
    assert grading.check_design("design", ["s"], show=False) == 0.0
    out = capsys.readouterr()
    assert out.err == "" and "[canvastools]" in out.out


def test_grade_motivations(here):
    store(here, m=("motivation", {"r1": ["acquisition"], "r2": ["retention"],
                                  "r3": ["retention", "boosting_sales"]}))
    key = {"r1": ["acquisition"], "r2": ["retention", "boosting_sales"], "r3": ["retention"]}
    assert grading.grade_motivations("m", key) == 1.5


@pytest.mark.parametrize("order, score", [
    (["a", "b", "c", "d"], 1.0),
    (["a", "c", "b", "d"], 1.0),          # b and c are tied
    (["d", "c", "b", "a"], 0.0),
    (["b", "a", "c", "d"], 0.8),          # 4 of the 5 ordered pairs
    (["a", "b", "b", "zzz"], 0.2),        # only a<b; c and d missing
    ("abcd", 0.0),
])
def test_grade_order(here, order, score):
    store(here, s=("spectrum", order))
    assert grading.grade_order("s", ["a", ["b", "c"], "d"]) == score


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
        grading.grade_order("s", ["a", "a"])


def test_the_package_holds_no_key():
    import inspect

    source = inspect.getsource(grading)
    assert "apple-genius-bar" not in source and "welcome-bonus" not in source
