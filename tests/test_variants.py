"""Pools and variants (issue 20): a student's subset and order of a pool."""

import hashlib
import os
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from canvastools.errors import InputError
from canvastools.model.variants import GUEST_PREFIX, check_pool, new_guest_id, variant

POOL = [f"case-{n}" for n in range(12)]


def test_the_variant_is_the_documented_sha256_ranking():
    """Computed here by hand from the documented recipe: the widget and the grader (and any
    other tool) can reproduce a student's variant."""
    def digest(item):
        return hashlib.sha256(b"\0".join(s.encode() for s in ("a1", "ex", "ada", item))).digest()

    assert variant(POOL, 5, assignment="a1", exercise="ex", student="ada") == \
        sorted(POOL, key=digest)[:5]


def test_same_in_another_python_process_with_another_hash_seed():
    code = ("from canvastools.model.variants import variant;"
            f"print(variant({POOL!r}, 4, assignment='a1', exercise='ex', student='bob'))")
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "2", "random")}
    assert outputs == {str(variant(POOL, 4, assignment="a1", exercise="ex", student="bob"))
                       + "\n"}


def test_students_get_different_subsets_and_orders():
    variants = {tuple(variant(POOL, 4, assignment="a1", exercise="ex", student=f"s{n}"))
                for n in range(30)}
    assert len(variants) > 25
    assert len({frozenset(v) for v in variants}) > 20


def test_exercise_and_assignment_change_the_variant():
    base = variant(POOL, 6, assignment="a1", exercise="ex", student="ada")
    assert variant(POOL, 6, assignment="a2", exercise="ex", student="ada") != base
    assert variant(POOL, 6, assignment="a1", exercise="other", student="ada") != base


def test_spaces_around_an_id_do_not_change_the_variant_but_case_does():
    ada = variant(POOL, 4, assignment="a", exercise="e", student="ada")
    assert variant(POOL, 4, assignment="a", exercise="e", student=" ada\n") == ada
    assert variant(POOL, 4, assignment="a", exercise="e", student="Ada") != ada


@given(st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=20, unique=True),
       st.data())
def test_a_variant_is_a_subset_of_the_pool_of_the_asked_size(pool, data):
    count = data.draw(st.integers(1, len(pool)))
    student = data.draw(st.text(min_size=1).filter(str.strip))
    got = variant(pool, count, assignment="a", exercise="e", student=student)
    assert len(got) == count == len(set(got))
    assert set(got) <= set(pool)
    # the whole pool ranked: the variant is its first `count` items
    assert variant(pool, len(pool), assignment="a", exercise="e", student=student)[:count] == got


@pytest.mark.parametrize(("pool", "count", "message"), [
    (["a", "b"], 3, "the pool has only 2 items: a count from 1 to 2"),
    (["a", "b"], 0, "a count from 1 to 2"),
    (["a", "a"], 1, "item 'a' is twice in the pool"),
    ("ab", 1, "a pool is a list of item ids"),
    (["a", "b"], 1.5, "count is a whole number"),
])
def test_bad_pools_are_refused_with_the_valid_range(pool, count, message):
    with pytest.raises(InputError, match=message):
        check_pool(pool, count)


def test_an_empty_student_id_is_refused():
    with pytest.raises(InputError, match="needs a student id"):
        variant(POOL, 2, assignment="a", exercise="e", student="  ")


def test_guests_get_random_ids_and_so_random_variants():
    ids = {new_guest_id() for _ in range(20)}
    assert len(ids) == 20 and all(i.startswith(GUEST_PREFIX) for i in ids)
    drawn = {tuple(variant(POOL, 4, assignment="a", exercise="e", student=i)) for i in ids}
    assert len(drawn) > 10


# -- the grader's side: a pooled declaration is scored on the student's own variant ----------
KEY = {f"case-{n}": "self_service" if n % 2 else "communities" for n in range(8)}
SOURCE = f"grade_classification('quiz', key={KEY!r}, accepted={{'case-1': ['co_creation']}}, " \
         "count=3, points=2)"


def _read(answer, student=None):
    from canvastools.answers.store import StoreRead

    entry = {"kind": "classify", "answer": answer, "updated": "", "taxonomy": "bmg2010"}
    if student is not None:
        entry["student"] = student
    return StoreRead({"quiz": entry})


def _score(read, student):
    from canvastools.grading.points import score_calls
    from canvastools.grading.testcells import parse_test_cell

    return score_calls(parse_test_cell(SOURCE), read, assignment="a1", student=student)[0]


def test_each_student_is_graded_on_their_own_items_only():
    for student in ("ada", "bob", "cleo"):
        mine = variant(list(KEY), 3, assignment="a1", exercise="quiz", student=student)
        everything_right = _read({item: [KEY[item]] for item in KEY})
        result = _score(everything_right, student)
        assert sorted(item.item_id for item in result.items) == sorted(mine)
        assert (result.points, result.max_points) == (6.0, 6.0)
        only_mine = _read({item: [KEY[item]] for item in mine})
        assert _score(only_mine, student).points == 6.0


def test_answers_outside_the_variant_earn_nothing_and_are_flagged():
    from canvastools.grading.pools import pool_flags
    from canvastools.grading.testcells import parse_test_cell

    ada = variant(list(KEY), 3, assignment="a1", exercise="quiz", student="ada")
    bob = variant(list(KEY), 3, assignment="a1", exercise="quiz", student="bob")
    assert set(ada) != set(bob)
    bobs_answers = _read({item: [KEY[item]] for item in bob}, student="bob")
    # ada hands in bob's file: graded on ada's items; only those bob also had earn points
    expected = 2.0 * len(set(ada) & set(bob))
    assert _score(bobs_answers, "ada").points == expected
    flags = dict(pool_flags(parse_test_cell(SOURCE), bobs_answers, assignment="a1",
                            student="ada"))
    assert "saved under the id 'bob', not 'ada'" in flags["variant-other-student"]
    outside = sorted(set(bob) - set(ada))
    assert f"answers {len(outside)} item(s) outside ada's own variant" in \
        flags["variant-outside-items"]
    assert pool_flags(parse_test_cell(SOURCE), _read({i: [KEY[i]] for i in ada}, "ada"),
                      assignment="a1", student="ada") == []


def test_a_pooled_declaration_without_a_student_or_with_a_bad_count_is_a_key_error():
    from canvastools.grading.points import score_calls
    from canvastools.grading.testcells import parse_test_cell

    with pytest.raises(ValueError, match="graded per student"):
        score_calls(parse_test_cell(SOURCE), _read({}))
    with pytest.raises(InputError, match="the pool has only 8 items"):
        score_calls(parse_test_cell(SOURCE.replace("count=3", "count=9")), _read({}),
                    assignment="a1", student="ada")
    with pytest.raises(InputError, match="is for grade_classification, grade_motivations, "
                                         "grade_order only"):
        score_calls(parse_test_cell("check_design('d', segments=['a'], count=1)"), _read({}),
                    assignment="a1", student="ada")
    with pytest.raises(InputError, match=r"count=1.*a count from 2 to 2"):
        score_calls(parse_test_cell("grade_order('s', key=['a', 'b'], count=1)"), _read({}),
                    assignment="a1", student="ada")


def test_a_pooled_declaration_run_in_a_notebook_grades_the_saved_ids_variant(tmp_path,
                                                                             monkeypatch):
    """An instructor trying the source notebook, or nbgrader validate: grade_classification
    with count= grades the variant of the id saved with the answers."""
    from canvastools.answers.store import AnswerStore
    from canvastools.grading import grade_classification

    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    folder = tmp_path / "a1"
    folder.mkdir()
    monkeypatch.chdir(folder)
    assert grade_classification("quiz", KEY, count=3, points=2) == 0.0   # nothing saved
    mine = variant(list(KEY), 3, assignment="a1", exercise="quiz", student="ada")
    AnswerStore(folder).save("quiz", "classify", {i: [KEY[i]] for i in KEY},
                             taxonomy="bmg2010", student="ada")
    assert grade_classification("quiz", KEY, count=3, points=2, show=True) == 6.0
    assert len(mine) == 3
