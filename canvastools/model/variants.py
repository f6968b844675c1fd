"""Pools and variants: which items of a pool a student gets, and in which order.

A graded exercise may declare a *pool* of item ids and a *count*: each student answers
``count`` items of the pool, in an order of their own. The subset and the order follow from
the assignment, the exercise and the student's id, and from nothing else, so the widget (on
the student's side) and the grader (on the instructor's side) compute the same variant
independently, on any machine and with any Python version:

>>> pool = ["bakery", "bank", "airline", "radio", "forum", "maker"]
>>> mine = variant(pool, 3, assignment="quiz-1", exercise="classify", student="ada")
>>> mine
['radio', 'airline', 'bank']
>>> mine == variant(list(reversed(pool)), 3, assignment="quiz-1", exercise="classify",
...                 student="ada")              # the order the pool is written in is irrelevant
True
>>> variant(pool, 3, assignment="quiz-1", exercise="classify", student="bob")
['airline', 'forum', 'bakery']

How: every item of the pool gets the SHA-256 digest of ``assignment``, ``exercise``,
``student`` and the item id (each encoded as UTF-8, separated by a NUL byte); the items are
sorted by their digests and the first ``count`` are the student's variant, in that order.
SHA-256 (hashlib), not Python's ``hash()``, which changes from one process to the next. An
item added to the pool later changes a student's variant only where the new item's digest
comes among the first ``count``. The student id is used as written, after stripping spaces at
both ends (nbgrader's ids are case-sensitive).

A variant is not a secret: anyone who knows the pool, the count and a student's id can
compute it. It keeps a shared list of answers from fitting every student; it does not hide
the key, which lives only in the hidden tests.

A self-learner without an id gets a random one (:func:`new_guest_id`), saved with the
answers like a typed id, so the variant survives a restart; drawing another variant is
drawing another guest id.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence

from canvastools._io.messages import Msg
from canvastools.errors import InputError

__all__ = ["variant", "check_pool", "new_guest_id", "GUEST_PREFIX", "normalise_student_id"]

#: Guest ids (self-learners without an id) start with this: ``guest-3f9a0c1d``.
GUEST_PREFIX = "guest-"
_SEPARATOR = b"\x00"


def normalise_student_id(student: str) -> str:
    """The student id as the variant uses it: spaces at both ends removed; an empty id is
    refused.

    >>> normalise_student_id("  ada ")
    'ada'
    """
    if not isinstance(student, str) or not student.strip():
        raise InputError(Msg("student_id_needed"), where=Msg("student_place"),
                         got=repr(student))
    return student.strip()


def check_pool(pool: Sequence[str], count: int, where: str = "pool") -> list[str]:
    """Check a pool and a count; return the pool as a list.

    A pool is a list of distinct, non-empty item ids; ``count`` is a whole number from 1 to
    the size of the pool.

    >>> check_pool(["a", "b"], 3)
    Traceback (most recent call last):
    ...
    canvastools.errors.InputError: pool: count=3, but the pool has only 2 items: a count from 1 to 2
    """
    if isinstance(pool, str) or not all(isinstance(i, str) and i for i in pool):
        raise InputError("a pool is a list of item ids (texts)", where=where)
    items = list(pool)
    seen: set[str] = set()
    for item in items:
        if item in seen:
            raise InputError(f"item {item!r} is twice in the pool", where=where)
        seen.add(item)
    if isinstance(count, bool) or not isinstance(count, int):
        raise InputError(f"count is a whole number, got {count!r}", where=where)
    if not 1 <= count <= len(items):
        raise InputError(f"count={count}, but the pool has only {len(items)} items: a count "
                         f"from 1 to {len(items)}" if count > len(items) else
                         f"count={count}: a count from 1 to {len(items)}", where=where)
    return items


def _digest(assignment: str, exercise: str, student: str, item: str) -> bytes:
    parts = (assignment, exercise, student, item)
    return hashlib.sha256(_SEPARATOR.join(p.encode("utf-8") for p in parts)).digest()


def variant(pool: Sequence[str], count: int, *, assignment: str, exercise: str,
            student: str) -> list[str]:
    """The ``count`` items of ``pool`` that ``student`` answers, in their order.

    Deterministic from (assignment, exercise, student id): see the module's docstring.

    >>> variant(["a", "b", "c"], 3, assignment="x", exercise="y", student="z")
    ['c', 'b', 'a']
    """
    items = check_pool(pool, count)
    student = normalise_student_id(student)
    ranked = sorted(items, key=lambda item: _digest(assignment, exercise, student, item))
    return ranked[:count]


def new_guest_id() -> str:
    """A random id for a self-learner without one: ``guest-`` and 8 hex digits.

    >>> new_guest_id().startswith(GUEST_PREFIX), len(new_guest_id())
    (True, 14)
    """
    return GUEST_PREFIX + secrets.token_hex(4)
