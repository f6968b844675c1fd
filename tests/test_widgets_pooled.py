"""A pooled exercise in the student's kernel (issue 20): the student's own items, the id
found or typed once and saved with the answers, a guest's random variant."""

from __future__ import annotations

import json

import pytest

from canvastools import ClassifyCases
from canvastools.errors import InputError
from canvastools.model.variants import variant

ITEMS = [{"id": f"case-{n}", "company": f"Company {n}", "description": f"Practice {n}."}
         for n in range(6)]
POOL = [item["id"] for item in ITEMS]


@pytest.fixture(autouse=True)
def no_hub(monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)


def shown(quiz) -> list[str]:
    return [item.id for item in quiz._items]


def saved(folder) -> dict:
    return json.loads((folder / "canvastools_answers.json").read_text())["exercises"]


def test_on_a_hub_the_user_is_the_id_and_it_is_saved_with_the_answers(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "ada")
    quiz = ClassifyCases("quiz", ITEMS, mode="graded", taxonomy="bmg2010", count=3,
                         assignment="a1", folder=tmp_path)
    assert shown(quiz) == variant(POOL, 3, assignment="a1", exercise="quiz", student="ada")
    quiz.answer(shown(quiz)[0], "self_service")
    assert saved(tmp_path)["quiz"]["student"] == "ada"
    with pytest.raises(InputError, match="no item"):   # not one of ada's items
        quiz.answer(next(i for i in POOL if i not in shown(quiz)), "self_service")


def test_in_an_nbgrader_submission_folder_the_submission_names_the_student(tmp_path):
    folder = tmp_path / "submitted" / "bob" / "a1"
    folder.mkdir(parents=True)
    quiz = ClassifyCases("quiz", ITEMS, mode="graded", taxonomy="bmg2010", count=2,
                         folder=folder)                 # the assignment: the folder's name
    assert shown(quiz) == variant(POOL, 2, assignment="a1", exercise="quiz", student="bob")


def test_without_an_id_the_student_types_it_once(tmp_path):
    quiz = ClassifyCases("quiz", ITEMS, mode="graded", taxonomy="bmg2010", count=2,
                         assignment="a1", folder=tmp_path)
    prompt = quiz.children[0]
    assert "canvastools-student-prompt" in prompt._dom_classes
    with pytest.raises(InputError, match="Type your student id first"):
        quiz.answer("case-0", "self_service")
    assert "Type your student id first" in repr(quiz) and "case-0" not in repr(quiz)
    text, button = prompt.children[1].children
    text.value = "   "
    button.click()                                      # an empty id: said, nothing saved
    assert "needs a student id" in prompt.children[2].value
    text.value = "cleo"
    button.click()
    mine = variant(POOL, 2, assignment="a1", exercise="quiz", student="cleo")
    assert shown(quiz) == mine
    quiz.answer(mine[1], "communities")
    again = ClassifyCases("quiz", ITEMS, mode="graded", taxonomy="bmg2010", count=2,
                          assignment="a1", folder=tmp_path)   # a restart: no question
    assert shown(again) == mine and again.answers == {mine[1]: ["communities"]}
    assert saved(tmp_path)["quiz"]["student"] == "cleo"


def test_a_self_learner_gets_a_random_variant_and_can_draw_another(tmp_path):
    quiz = ClassifyCases("practice", ITEMS, count=3, folder=tmp_path)
    first, guest = shown(quiz), saved(tmp_path)["practice"]["student"]
    assert guest.startswith("guest-") and len(first) == 3
    assert shown(ClassifyCases("practice", ITEMS, count=3, folder=tmp_path)) == first
    quiz.answer(first[0], "self_service")
    for _ in range(10):                                  # 20 variants of 3 in 6: one differs
        quiz._variant.draw_another()
        if shown(quiz) != first:
            break
    assert shown(quiz) != first and quiz.answers == {}
    assert saved(tmp_path)["practice"]["student"] != guest


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"count": 7}, "the pool has only 6 items"),
    ({"count": 2, "pool": ["case-0", "case-9"]}, "the pool names items the exercise does not"),
])
def test_a_bad_pool_is_refused(tmp_path, kwargs, message):
    with pytest.raises(InputError, match=message):
        ClassifyCases("quiz", ITEMS, mode="graded", taxonomy="bmg2010", folder=tmp_path,
                      **kwargs)
