"""An order key with ties, and the pairs an answer puts the right or the wrong way round.

One rule for the grader (:func:`canvastools.grading.score_order`) and for the practice
feedback of :class:`canvastools.widgets.SpectrumOrder`. A key lists ids from first to last; an
inner list groups ids that tie (e.g. two cases with as much human contact): their order among
themselves is not counted, either way is right. Only pairs of ids from different groups count.

>>> rank = key_ranks(["banker", ["help-line", "shop-staff"], "locker"])
>>> len(ordered_pairs(rank))
5
>>> pairs_out_of_order(["help-line", "banker", "shop-staff", "locker"], rank)
[('banker', 'help-line')]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from canvastools.errors import InputError

__all__ = ["key_ranks", "ordered_pairs", "pairs_out_of_order", "key_groups"]


def key_groups(key: Sequence[str | Sequence[str]], where: str = "key") -> list[list[str]]:
    """The key as groups of tied ids, first group first; InputError for a malformed key.

    >>> key_groups(["a", ["b", "c"]])
    [['a'], ['b', 'c']]
    """
    if isinstance(key, (str, Mapping)) or not isinstance(key, Iterable):
        raise InputError("the key is a list of ids, first first (an inner list for ids that "
                         "tie)", where=where)
    groups: list[list[str]] = []
    seen: set[str] = set()
    for entry in key:
        group = [entry] if isinstance(entry, str) else (
            list(entry) if isinstance(entry, Iterable) and not isinstance(entry, Mapping)
            else [entry])
        if not group:
            raise InputError("an empty group in the key", where=where)
        for item in group:
            if not isinstance(item, str) or not item:
                raise InputError(f"{item!r} is not an id (a non-empty text)", where=where)
            if item in seen:
                raise InputError(f"'{item}' appears twice in the key", where=where)
            seen.add(item)
        groups.append(group)
    if len(seen) < 2:
        raise InputError("the key must order at least two ids", where=where)
    if len(groups) < 2:
        raise InputError("the key puts every id in one tie: there is no order to grade",
                         where=where)
    return groups


def key_ranks(key: Sequence[str | Sequence[str]], where: str = "key") -> dict[str, int]:
    """id -> the position of its group in the key (tied ids share one)."""
    return {item: position for position, group in enumerate(key_groups(key, where))
            for item in group}


def ordered_pairs(rank: Mapping[str, int]) -> list[tuple[str, str]]:
    """Every pair (must come first, must come later) of ids from different groups."""
    return [(a, b) for a in rank for b in rank if rank[a] < rank[b]]


def pairs_out_of_order(order: Sequence[str], rank: Mapping[str, int]) -> list[tuple[str, str]]:
    """The pairs (must come first, must come later) that ``order`` puts the other way round,
    or leaves out (an id of the key that ``order`` lacks is out of order with every other)."""
    position: dict[str, int] = {}
    for index, item in enumerate(order):
        position.setdefault(item, index)
    return [(a, b) for a, b in ordered_pairs(rank)
            if a not in position or b not in position or position[a] > position[b]]
