"""A pool for the ordered exercise (issue 20): ``grade_order(..., count=)`` grades each student
on the key's order of their own items (ties kept), and SpectrumOrder(count=) shows them."""

from __future__ import annotations

import json

import pytest

from canvastools.answers.store import StoreRead
from canvastools.errors import InputError
from canvastools.grading.pools import own_variant, pool_flags
from canvastools.grading.testcells import parse_test_cell
from canvastools.model.variants import variant
from canvastools.widgets import SpectrumOrder

# most human contact first; help-line and shop tie, so do kiosk and app
KEY = ["banker", ["help-line", "shop"], "branch", ["kiosk", "app"], "vending"]
POOL = ["banker", "help-line", "shop", "branch", "kiosk", "app", "vending"]
RANK = {"banker": 0, "help-line": 1, "shop": 1, "branch": 2, "kiosk": 3, "app": 3, "vending": 4}
SOURCE = f'grade_order("contact", key={KEY!r}, count=4, items="cases", points=2.0)'
CASES = [{"id": i, "company": f"Company {i}", "description": f"How {i} serves you."}
         for i in sorted(POOL)]
STUDENTS = ["ada", "bob", "cleo", "dan", "eve", "fay", "gus", "hal"]


@pytest.fixture(autouse=True)
def no_hub(monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)


def mine(student: str) -> list[str]:
    return variant(POOL, 4, assignment="a1", exercise="contact", student=student)


def _read(order: list[str], student: str | None = None) -> StoreRead:
    entry = {"kind": "spectrum", "answer": order, "updated": "", "taxonomy": None}
    if student is not None:
        entry["student"] = student
    return StoreRead({"contact": entry})


def _score(read: StoreRead, student: str):
    from canvastools.grading.points import score_calls

    return score_calls(parse_test_cell(SOURCE), read, assignment="a1", student=student)[0]


def test_the_own_key_keeps_the_variants_items_in_the_keys_order_ties_kept():
    seen_tie = seen_single = False
    for student in STUDENTS:
        key = own_variant(parse_test_cell(SOURCE)[0], assignment="a1",
                          student=student).kwargs["key"]
        flat = [i for entry in key for i in ([entry] if isinstance(entry, str) else entry)]
        assert sorted(flat) == sorted(mine(student))           # the variant's items, once
        ranks = [RANK[entry if isinstance(entry, str) else entry[0]] for entry in key]
        assert ranks == sorted(set(ranks))                      # in the key's order, one group each
        for entry in key:
            if isinstance(entry, list):                         # a kept tie: ids tied in the key
                seen_tie = True
                assert len(entry) > 1 and len({RANK[i] for i in entry}) == 1
        tied_alone = [i for i in ("help-line", "shop", "kiosk", "app")
                      if i in flat and sum(RANK[j] == RANK[i] for j in flat) == 1]
        for item in tied_alone:                                 # a tie left with one id: the id
            seen_single = True
            assert item in key
    assert seen_tie and seen_single


def test_each_student_is_graded_on_the_order_of_their_own_items():
    for student in STUDENTS:
        own = sorted(mine(student), key=RANK.__getitem__)
        assert _score(_read(own), student).points == 2.0
        assert _score(_read(list(reversed(own))), student).points == 0.0
        # the whole pool in the key's order: only the student's own pairs count
        result = _score(_read(sorted(POOL, key=RANK.__getitem__)), student)
        assert (result.points, result.max_points) == (2.0, 2.0)


def test_items_outside_the_variant_earn_nothing_and_are_flagged():
    ada, bob = mine("ada"), mine("bob")
    assert set(ada) != set(bob)
    outside = [i for i in sorted(POOL, key=RANK.__getitem__) if i not in ada]
    assert _score(_read(outside, "ada"), "ada").points == 0.0
    flags = dict(pool_flags(parse_test_cell(SOURCE), _read(bob, "bob"), assignment="a1",
                            student="ada"))
    assert set(flags) == {"variant-other-student", "variant-outside-items"}
    extra = sorted(set(bob) - set(ada))
    assert f"{len(extra)} item(s) outside ada's own variant ({', '.join(extra)})" in \
        flags["variant-outside-items"]
    assert pool_flags(parse_test_cell(SOURCE), _read(ada, "ada"), assignment="a1",
                      student="ada") == []


def test_a_count_that_could_leave_one_tie_is_refused_with_the_valid_counts():
    from canvastools.grading.points import score_calls

    cell = parse_test_cell(SOURCE.replace("count=4", "count=2"))
    with pytest.raises(InputError, match=r"ties 2 ids \(help-line, shop\).*a count from 3 to 7"):
        score_calls(cell, _read([]), assignment="a1", student="ada")


def saved(folder) -> dict:
    return json.loads((folder / "canvastools_answers.json").read_text())["exercises"]


def test_the_widget_shows_the_students_own_items_in_the_variants_order_and_saves_them(
        tmp_path, monkeypatch):
    shown = {}
    for student in ("ada", "bob"):
        monkeypatch.setenv("JUPYTERHUB_USER", student)
        folder = tmp_path / student
        contact = SpectrumOrder("contact", CASES, mode="graded", count=4, assignment="a1",
                                folder=folder)
        assert contact.order == mine(student)                   # count items, in their order
        assert "canvastools-variant" in contact.children[2]._dom_classes
        assert (f"Your own 4 of {len(POOL)} items (student id: {student})"
                in contact.children[2].children[0].value)
        assert contact.progress.startswith("Not answered yet")  # only the id is saved yet
        with pytest.raises(InputError, match="unknown case"):  # an item of someone else
            contact.answer(*[i for i in POOL if i not in mine(student)][:4])
        right = sorted(mine(student), key=RANK.__getitem__)
        contact.answer(*right)
        assert contact.progress == "Order saved."
        assert saved(folder)["contact"]["answer"] == right
        assert saved(folder)["contact"]["student"] == student
        again = SpectrumOrder("contact", CASES, mode="graded", count=4, assignment="a1",
                              folder=folder)                    # a restart keeps the order
        assert again.order == right
        shown[student] = set(contact.order)
    assert shown["ada"] != shown["bob"]


def test_without_an_id_the_student_types_it_once(tmp_path):
    contact = SpectrumOrder("contact", CASES, mode="graded", count=4, assignment="a1",
                            folder=tmp_path)
    assert "canvastools-student-prompt" in contact.children[0]._dom_classes
    contact.set_student("cleo")
    assert contact.order == mine("cleo")
    assert saved(tmp_path)["contact"] == {**saved(tmp_path)["contact"], "answer": [],
                                          "student": "cleo"}
    contact.move(1)   # nothing selected: nothing moves
    contact.answer(*reversed(mine("cleo")))
    assert saved(tmp_path)["contact"]["answer"] == list(reversed(mine("cleo")))


def test_a_count_of_one_is_refused(tmp_path):
    with pytest.raises(InputError, match="an order needs at least two items"):
        SpectrumOrder("contact", CASES, mode="graded", count=1, assignment="a1",
                      folder=tmp_path)


def test_a_self_learner_orders_a_random_variant_with_feedback_and_can_draw_another(tmp_path):
    contact = SpectrumOrder("practice", CASES, count=4, folder=tmp_path, key=KEY)
    guest = saved(tmp_path)["practice"]["student"]
    first = list(contact.order)
    assert guest.startswith("guest-") and len(first) == 4 and set(first) <= set(POOL)
    assert contact.check()                       # the start order is never already right
    contact.answer(*sorted(first, key=RANK.__getitem__))
    assert contact.check() == []
    for _ in range(10):                          # 35 variants of 4 in 7: one differs
        contact._variant.draw_another()
        if set(contact.order) != set(first):
            break
    assert set(contact.order) != set(first) and len(contact.order) == 4
    assert saved(tmp_path)["practice"]["answer"] == []   # the last variant's order cleared
    assert saved(tmp_path)["practice"]["student"] != guest
