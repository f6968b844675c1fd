"""Pooled declarations: a test cell's key for a whole pool, graded per student on their own
variant (:mod:`canvastools.model.variants`).

A hidden test declares the key of every item of the pool and how many each student answers::

    grade_classification("quiz", key={...every pool item...}, count=3)

The grader knows the student's id (nbgrader's submission) and the assignment; it restricts
the declaration to that student's variant before scoring it, so an item outside the variant
earns nothing, whatever the answer file says. :func:`pool_flags` says what the instructor
should look at: an answer file that claims another student's id, or answers items outside the
student's variant.

>>> from canvastools.answers.store import StoreRead
>>> from canvastools.grading.testcells import parse_test_cell
>>> calls = parse_test_cell('grade_classification("q", key={"a": "self_service", '
...                         '"b": "communities", "c": "co_creation"}, count=2)')
>>> own = own_variant(calls[0], assignment="a1", student="ada")
>>> sorted(own.kwargs["key"]), "count" in own.kwargs
(['a', 'b'], False)
>>> read = StoreRead({"q": {"kind": "classify", "answer": {"c": ["co_creation"]},
...                         "updated": "", "taxonomy": None, "student": "bob"}})
>>> [code for code, _ in pool_flags(calls, read, assignment="a1", student="ada")]
['variant-other-student', 'variant-outside-items']

An ordered exercise declares its pool the same way: the key orders every item of the pool (ties
in an inner list), and each student's key keeps their own items in the key's order, ties kept:

>>> order = parse_test_cell('grade_order("contact", key=["banker", ["help-line", "shop"], '
...                         '"kiosk", "app"], count=3, items="cases")')[0]
>>> own_variant(order, assignment="a1", student="bob").kwargs["key"]
[['help-line', 'shop'], 'app']
>>> order_variant(["banker", ["help-line", "shop"], "kiosk"], {"help-line", "shop", "kiosk"})
[['help-line', 'shop'], 'kiosk']
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from canvastools.answers.store import StoreRead
from canvastools.errors import InputError
from canvastools.grading.testcells import GradingCall
from canvastools.model.ordering import key_groups
from canvastools.model.variants import check_pool, normalise_student_id, variant

__all__ = ["POOL_ARGUMENT", "POOLED", "is_pooled", "own_variant", "pool_flags",
           "exercise_of", "notebook_variant", "order_variant", "order_pool",
           "notebook_order_variant"]

#: the keyword of a declaration that makes it pooled: how many items each student answers
POOL_ARGUMENT = "count"
#: the declarations that may be pooled, with the positions of ``key`` and ``accepted`` (None:
#: the declaration takes no ``accepted``)
POOLED: dict[str, tuple[int, int | None]] = {
    "grade_classification": (1, 2), "grade_motivations": (1, 2), "grade_order": (1, None)}
#: the pooled declaration whose key is an order (a list of ids and tied groups), not a dict
ORDER = "grade_order"


def is_pooled(call: GradingCall) -> bool:
    """True when the declaration gives ``count=``: each student answers a variant."""
    return POOL_ARGUMENT in call.kwargs


def exercise_of(call: GradingCall) -> str:
    """The exercise id a declaration grades."""
    return str(call.args[0] if call.args else call.kwargs.get("exercise_id", ""))


def _argument(call: GradingCall, name: str, position: int) -> Any:
    if name in call.kwargs:
        return call.kwargs[name]
    return call.args[position] if len(call.args) > position else None


def _pool(call: GradingCall) -> tuple[list[str], int]:
    where = f"{call.function}({exercise_of(call)!r}), line {call.line}"
    if call.function not in POOLED:
        raise InputError(f"{POOL_ARGUMENT}= (a pool) is for " + ", ".join(POOLED) + " only",
                         where=where)
    key = _argument(call, "key", POOLED[call.function][0])
    count = call.kwargs[POOL_ARGUMENT]
    if call.function == ORDER:
        return order_pool(key, count, where), count
    if not isinstance(key, Mapping) or not key:
        raise InputError("the key must be a non-empty dict {item_id: id or [ids]}",
                         where=f"{where}, key")
    return check_pool([str(item) for item in key], count, where=f"{where}, {POOL_ARGUMENT}"), count


def order_pool(key: Sequence[str | Sequence[str]], count: int, where: str = "grade_order"
               ) -> list[str]:
    """The pool of an order key (its ids, first first), checked with ``count``: every variant
    must have an order to grade, so ``count`` is more than the largest tie.

    >>> order_pool(["a", ["b", "c"], "d"], 3)
    ['a', 'b', 'c', 'd']
    >>> try:
    ...     order_pool(["a", ["b", "c"], "d"], 2)
    ... except InputError as error:
    ...     print(error.message.split(": ")[0], "/", error.message.split("; ")[-1])
    count=2, but the key ties 2 ids (b, c) / a count from 3 to 4
    """
    groups = key_groups(key, f"{where}, key")
    pool = check_pool([item for group in groups for item in group], count,
                      where=f"{where}, {POOL_ARGUMENT}")
    largest = max(groups, key=len)
    if count <= len(largest):
        why = (f"the key ties {len(largest)} ids ({', '.join(largest)}): a variant could be "
               "one tie, with no order to grade" if len(largest) > 1 else
               "an order needs at least two items")
        raise InputError(f"count={count}, but {why}; a count from {len(largest) + 1} to "
                         f"{len(pool)}", where=f"{where}, {POOL_ARGUMENT}")
    return pool


def order_variant(key: Sequence[str | Sequence[str]], mine: Collection[str]
                  ) -> list[str | list[str]]:
    """An order key restricted to the ids in ``mine``, in the key's order, ties kept: a tie
    left with one id becomes that id, an empty one disappears."""
    kept: list[str | list[str]] = []
    for group in key_groups(key):
        left = [item for item in group if item in mine]
        if len(left) > 1:
            kept.append(left)
        elif left:
            kept.append(left[0])
    return kept


def _restrict(value: Any, mine: Collection[str]) -> Any:
    """A key or accepted alternatives restricted to the ids in ``mine``: a dict's items, an
    order's ids (anything else as it is)."""
    if isinstance(value, Mapping):
        return {item: v for item, v in value.items() if item in mine}
    if isinstance(value, (list, tuple)):
        return order_variant(value, mine)
    return value


def own_variant(call: GradingCall, *, assignment: str, student: str) -> GradingCall:
    """The declaration restricted to ``student``'s own variant: key and accepted hold only
    the variant's items, and ``count`` is gone (a declaration without it is returned as is).

    Raises InputError for a pool that cannot be (a count over the pool's size...)."""
    if not is_pooled(call):
        return call
    pool, count = _pool(call)
    mine = set(variant(pool, count, assignment=assignment, exercise=exercise_of(call),
                       student=student))
    args = list(call.args)
    kwargs = {k: v for k, v in call.kwargs.items() if k != POOL_ARGUMENT}
    for name, position in zip(("key", "accepted"), POOLED[call.function], strict=True):
        if position is None:
            continue
        value = _argument(call, name, position)
        if value is None:
            continue
        if name in kwargs:
            kwargs[name] = _restrict(value, mine)
        else:
            args[position] = _restrict(value, mine)
    return replace(call, args=tuple(args), kwargs=kwargs)


def _entry(answers: StoreRead, exercise: str) -> Mapping[str, Any] | None:
    exercises = getattr(answers, "exercises", None)
    entry = exercises.get(exercise) if isinstance(exercises, Mapping) else None
    return entry if isinstance(entry, Mapping) else None


def pool_flags(calls: Sequence[GradingCall], answers: StoreRead, *, assignment: str,
               student: str) -> list[tuple[str, str]]:
    """``(code, message)`` for each pooled exercise whose answers claim another student's id
    (``variant-other-student``) or answer items of the pool outside the student's own variant
    (``variant-outside-items``)."""
    flags: list[tuple[str, str]] = []
    for call in calls:
        if not is_pooled(call):
            continue
        exercise = exercise_of(call)
        entry = _entry(answers, exercise)
        if entry is None:
            continue
        claimed = entry.get("student")
        if isinstance(claimed, str) and claimed.strip() and \
                claimed.strip() != normalise_student_id(student):
            flags.append(("variant-other-student",
                          f"the answers of '{exercise}' were saved under the id "
                          f"'{claimed.strip()}', not '{student}': graded on {student}'s own "
                          "items"))
        pool, count = _pool(call)
        mine = set(variant(pool, count, assignment=assignment, exercise=exercise,
                           student=student))
        outside = sorted(item for item in _answered(entry.get("answer"))
                         if item in pool and item not in mine)
        if outside:
            flags.append(("variant-outside-items",
                          f"'{exercise}' answers {len(outside)} item(s) outside {student}'s "
                          f"own variant ({', '.join(outside[:10])}): they earn nothing"))
    return flags


def _answered(answer: Any) -> list[str]:
    """The item ids an answer names: a classification's keys, an order's ids."""
    if isinstance(answer, Mapping):
        return [str(item) for item in answer]
    if isinstance(answer, list):
        return [item for item in answer if isinstance(item, str)]
    return []


def _notebook_mine(answers: StoreRead, exercise_id: str, pool: list[str], count: int
                   ) -> set[str]:
    entry = _entry(answers, exercise_id) or {}
    student = entry.get("student") or os.environ.get("JUPYTERHUB_USER", "")
    if isinstance(student, str) and student.strip():
        return set(variant(pool, count, assignment=Path.cwd().name, exercise=exercise_id,
                           student=student))
    return set(pool)


def notebook_order_variant(answers: StoreRead, exercise_id: str,
                           key: Sequence[str | Sequence[str]], count: int
                           ) -> list[str | list[str]]:
    """The order key of one variant, for a pooled ``grade_order`` run in a notebook (as
    :func:`notebook_variant`)."""
    pool = order_pool(key, count, where=f"grade_order({exercise_id!r})")
    return order_variant(key, _notebook_mine(answers, exercise_id, pool, count))


def notebook_variant(answers: StoreRead, exercise_id: str, key: Mapping[str, Any],
                     accepted: Mapping[str, Any] | None, count: int
                     ) -> tuple[dict[str, Any], dict[str, Any]]:
    """The key and accepted alternatives of one variant, for a pooled declaration run in a
    notebook (an instructor trying the source, ``nbgrader validate``): the variant of the id
    saved with the answers, else of the JupyterHub user; the assignment is the folder's name.
    With no id at all, the whole pool. The grader never uses this: it knows the student."""
    pool = check_pool([str(item) for item in key], count, where=f"{exercise_id}, count")
    mine = _notebook_mine(answers, exercise_id, pool, count)
    return ({k: v for k, v in key.items() if k in mine},
            {k: v for k, v in (accepted or {}).items() if k in mine})
