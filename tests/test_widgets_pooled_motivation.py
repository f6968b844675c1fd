"""A pooled MotivationMatrix in the student's kernel (issue 20): the student's own rows, in
their variant's order, the id saved with the answers, a guest's random variant."""

from __future__ import annotations

import json

import pytest

from canvastools import MotivationMatrix
from canvastools.errors import InputError
from canvastools.model.variants import variant

ROWS = [{"id": f"practice-{n}", "label": f"Practice {n}"} for n in range(6)]
POOL = [row["id"] for row in ROWS]


@pytest.fixture(autouse=True)
def no_hub(monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)


def walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def shown(matrix) -> list[str]:
    """The ids of the rows the student sees, top to bottom (from their visible labels)."""
    labels = {f">{row['label']}<": row["id"] for row in ROWS}
    return [labels[text] for w in walk(matrix) for text in labels
            if text in str(getattr(w, "value", ""))]


def bar(matrix):
    """The line above the rows: whose rows they are (and a guest's "Draw other items")."""
    return next(w for w in walk(matrix) if "canvastools-variant" in w._dom_classes)


def saved(folder) -> dict:
    return json.loads((folder / "canvastools_answers.json").read_text())["exercises"]


def graded(folder, **kwargs) -> MotivationMatrix:
    return MotivationMatrix("why", ROWS, mode="graded", count=3, assignment="a1",
                            folder=folder, **kwargs)


def test_a_student_sees_and_saves_their_own_count_rows_in_their_order(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "ada")
    matrix = graded(tmp_path)
    mine = variant(POOL, 3, assignment="a1", exercise="why", student="ada")
    assert [row.id for row in matrix._rows] == mine
    text = repr(matrix)
    assert [line.split(":")[0].strip() for line in text.splitlines()[1:4]] == mine
    assert not any(i in text for i in POOL if i not in mine)
    assert shown(matrix) == mine
    assert "ada" in bar(matrix).children[0].value
    matrix.answer(mine[0], "acquisition", "retention")
    entry = saved(tmp_path)["why"]
    assert entry["student"] == "ada" and entry["answer"] == {mine[0]: ["acquisition",
                                                                       "retention"]}
    with pytest.raises(InputError, match="no row"):      # not one of ada's rows
        matrix.answer(next(i for i in POOL if i not in mine), "retention")


def test_two_students_get_different_rows(tmp_path, monkeypatch):
    seen = {}
    for student in ("ada", "bob", "cleo"):
        folder = tmp_path / "submitted" / student / "a1"
        folder.mkdir(parents=True)
        seen[student] = [row.id for row in MotivationMatrix(
            "why", ROWS, mode="graded", count=3, folder=folder)._rows]
        assert seen[student] == variant(POOL, 3, assignment="a1", exercise="why",
                                        student=student)
    assert len({tuple(rows) for rows in seen.values()}) > 1


def test_without_an_id_the_student_types_it_once(tmp_path):
    matrix = graded(tmp_path)
    prompt = matrix.children[0]
    assert "canvastools-student-prompt" in prompt._dom_classes
    with pytest.raises(InputError, match="Type your student id first"):
        matrix.answer("practice-0", "retention")
    assert "matrix.set_student" in repr(matrix) and "practice-0" not in repr(matrix)
    text, button = prompt.children[1].children
    text.value = "cleo"
    button.click()
    mine = variant(POOL, 3, assignment="a1", exercise="why", student="cleo")
    assert [row.id for row in matrix._rows] == mine
    assert shown(matrix) == mine and "cleo" in bar(matrix).children[0].value
    matrix.answer(mine[1], "boosting_sales")
    again = graded(tmp_path)                               # a restart: no question
    assert [row.id for row in again._rows] == mine
    assert again.answers == {mine[1]: ["boosting_sales"]}
    assert saved(tmp_path)["why"]["student"] == "cleo"


def test_set_student_in_code(tmp_path):
    matrix = graded(tmp_path)
    matrix.set_student("dan")
    assert [row.id for row in matrix._rows] == variant(POOL, 3, assignment="a1",
                                                       exercise="why", student="dan")


def test_a_self_learner_gets_a_random_variant_and_can_draw_another(tmp_path):
    rows = [{**row, "motivations": ["retention"]} for row in ROWS]
    matrix = MotivationMatrix("practice", rows, count=3, folder=tmp_path)
    first = [row.id for row in matrix._rows]
    guest = saved(tmp_path)["practice"]["student"]
    assert guest.startswith("guest-") and len(first) == 3
    again = MotivationMatrix("practice", rows, count=3, folder=tmp_path)
    assert [row.id for row in again._rows] == first
    matrix.answer(first[0], "retention")
    assert matrix.check() == {first[0]: "right", first[1]: "not_answered",
                              first[2]: "not_answered"}
    assert shown(matrix) == first
    button = next(c for c in bar(matrix).children if hasattr(c, "click"))
    for _ in range(10):                                    # 20 variants of 3 in 6: one differs
        button.click()
        if [row.id for row in matrix._rows] != first:
            break
    assert [row.id for row in matrix._rows] != first and matrix.answers == {}
    assert shown(matrix) == [row.id for row in matrix._rows]
    assert saved(tmp_path)["practice"]["student"] != guest
    assert saved(tmp_path)["practice"]["answer"] == {}


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"count": 7}, "the pool has only 6 items"),
    ({"count": 2, "pool": ["practice-0", "practice-9"]},
     "the pool names items the exercise does not"),
])
def test_a_bad_pool_is_refused(tmp_path, kwargs, message):
    with pytest.raises(InputError, match=message):
        MotivationMatrix("why", ROWS, mode="graded", folder=tmp_path, **kwargs)
