"""Item statistics and a copying signal: plain numbers from plain tables (no HTML, no nbgrader).

A score table has one row per student and one column per item; each cell is the share of the
item's points the student earned (0 to 1), or ``None`` when the student was not given it::

    scores = [[1, 1, 1], [1, 1, 0], [1, 0, 1], [0, 1, 0], [0, 0, 0]]
    difficulty(scores, 0)               # 0.6: the share of the points the class earned
    item_rest_correlation(scores, 0)    # 0.645: item against the rest of the assignment
    reliability(scores).value           # 0.462: KR-20 (every item scored 0 or 1)

>>> round(reliability([[1, 1, 1], [1, 1, 0], [1, 0, 1], [0, 1, 0], [0, 0, 0]]).value, 3)
0.462
>>> item_flags(p=0.97, discrimination=0.1)
('very easy',)
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["difficulty", "discrimination_index", "item_rest_correlation", "reliability",
           "Reliability", "item_flags", "FLAG_RULES", "objective_shares", "copying_pairs",
           "CopyingPair", "shared_wrong_tail", "holm", "GROUP_SHARE", "REVISE_BELOW",
           "VERY_EASY_ABOVE", "COPYING_ALPHA"]

Table = Sequence[Sequence[float | None]]

GROUP_SHARE = 0.27        # the upper and lower groups of D: 27% of the students each (Kelley)
REVISE_BELOW = 0.2        # discrimination under this: revise (PrairieLearn: "above 20%")
VERY_EASY_ABOVE = 0.95    # difficulty p over this: very easy
COPYING_ALPHA = 0.05      # a pair is listed when its Holm-corrected probability is under this

#: flag -> (the rule in words, where the threshold comes from), shown on the report page
FLAG_RULES = {
    "check the key": ("discrimination under 0: the students who did worse on the rest of "
                      "the assignment did better on this item",
                      "any negative value: a wrong key or an ambiguous item is the usual "
                      "cause (Ebel & Frisbie, Essentials of Educational Measurement, 1991)"),
    "revise": (f"discrimination under {REVISE_BELOW:g}, unless the item is very easy",
               "PrairieLearn's assessment question statistics: discrimination \u201cshould "
               "be above 20%, unless a question is very easy (mean score above 95%)\u201d "
               "(its discrimination is the item-total correlation; the item-rest r used here "
               "leaves the item out of the total, so it reads a little lower); Ebel & "
               "Frisbie call D under 0.2 poor"),
    "very easy": (f"difficulty p over {VERY_EASY_ABOVE:g}: almost everyone got it",
                  "PrairieLearn's assessment question statistics (\u201cmean score above "
                  "95%\u201d); such an item tells the students apart little and may stay as "
                  "a warm-up"),
}


def _column(scores: Table, item: int) -> list[tuple[int, float]]:
    return [(s, float(row[item])) for s, row in enumerate(scores) if row[item] is not None]


def _totals(scores: Table) -> list[float]:
    return [sum(float(v) for v in row if v is not None) for row in scores]


def difficulty(scores: Table, item: int) -> float | None:
    """p: the mean share of the item's points over the students given it (higher: easier).

    >>> difficulty([[1], [0.5], [None], [0]], 0)
    0.5
    """
    column = _column(scores, item)
    return sum(v for _, v in column) / len(column) if column else None


def discrimination_index(scores: Table, item: int, share: float = GROUP_SHARE) -> float | None:
    """D: the item's mean share in the upper ``share`` of the students (by total score) minus
    its mean share in the lower ``share``; the groups have ``max(1, round(share * n))``
    students, ties in the total broken by the rows' order. ``None`` under 2 students.

    >>> discrimination_index([[1, 1], [1, 0], [0, 1], [0, 0]], 0, share=0.5)
    1.0
    """
    column = _column(scores, item)
    if len(column) < 2:
        return None
    totals = _totals(scores)
    ranked = sorted(column, key=lambda sv: -totals[sv[0]])       # stable: rows' order on ties
    size = max(1, round(share * len(ranked)))
    upper, lower = ranked[:size], ranked[-size:]
    return sum(v for _, v in upper) / size - sum(v for _, v in lower) / size


def _pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sxy / math.sqrt(sxx * syy)


def item_rest_correlation(scores: Table, item: int) -> float | None:
    """The corrected item-rest point-biserial: the correlation between the item's share and
    the student's total over the *other* items (``None`` when either does not vary).

    >>> round(item_rest_correlation([[1, 1], [1, 0], [0, 1], [0, 0], [1, 1]], 0), 3)
    0.167
    """
    column = _column(scores, item)
    totals = _totals(scores)
    return _pearson([v for _, v in column], [totals[s] - v for s, v in column])


@dataclass(frozen=True)
class Reliability:
    """``name`` is ``KR-20`` (every score 0 or 1) or ``Cronbach's alpha`` (partial credit);
    ``value`` is ``None`` when it cannot be computed (under 2 items or 2 students, or no
    spread in the totals); ``students`` counts the students given every item."""

    name: str
    value: float | None
    students: int
    items: int


def reliability(scores: Table) -> Reliability:
    """KR-20 when every score is 0 or 1, else Cronbach's alpha (the same formula with the
    items' variances), over the students given every item; population variances.

    ``k / (k - 1) * (1 - sum of the items' variances / variance of the totals)``
    """
    rows = [[float(v) for v in row] for row in scores if all(v is not None for v in row)]
    k = len(rows[0]) if rows else 0
    binary = all(v in (0.0, 1.0) for row in rows for v in row)
    name = "KR-20" if binary else "Cronbach's alpha"
    n = len(rows)
    if k < 2 or n < 2:
        return Reliability(name, None, n, k)

    def variance(values: list[float]) -> float:
        mean = sum(values) / len(values)
        return sum((v - mean) ** 2 for v in values) / len(values)

    item_var = sum(variance([row[j] for row in rows]) for j in range(k))
    total_var = variance([sum(row) for row in rows])
    if total_var <= 1e-12:
        return Reliability(name, None, n, k)
    return Reliability(name, k / (k - 1) * (1 - item_var / total_var), n, k)


def item_flags(p: float | None, discrimination: float | None) -> tuple[str, ...]:
    """The flags of an item (see :data:`FLAG_RULES`) from its difficulty and discrimination.

    >>> item_flags(0.6, -0.3), item_flags(0.6, 0.1), item_flags(0.6, 0.45)
    (('check the key',), ('revise',), ())
    """
    flags = []
    very_easy = p is not None and p > VERY_EASY_ABOVE
    if discrimination is not None and discrimination < 0:
        flags.append("check the key")
    elif discrimination is not None and discrimination < REVISE_BELOW and not very_easy:
        flags.append("revise")
    if very_easy:
        flags.append("very easy")
    return tuple(flags)


def objective_shares(scores: Table, weights: Sequence[float], items: Sequence[int]
                     ) -> list[float | None]:
    """Each student's share of the points of ``items`` (the items of one objective), over
    the items the student was given (``weights``: each item's points); ``None`` for a student
    given none of them.

    >>> objective_shares([[1, 0, 0.5], [None, 1, 1]], [2, 1, 2], [0, 2])
    [0.75, 1.0]
    """
    out: list[float | None] = []
    for row in scores:
        given = [j for j in items if row[j] is not None]
        whole = sum(weights[j] for j in given)
        out.append(sum(float(row[j]) * weights[j] for j in given) / whole  # type: ignore[arg-type]
                   if whole else None)
    return out


# -- copying ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class CopyingPair:
    """Two students and their shared wrong answers: ``both_wrong`` (items both got wrong),
    ``shared`` (of these, the same wrong answer), ``expected`` (the number of shared ones
    the class's answer frequencies make likely), ``p`` (the chance of ``shared`` or more if
    they worked alone) and ``p_corrected`` (Holm, over every pair of the class)."""

    first: str
    second: str
    both_wrong: int
    shared: int
    expected: float
    p: float
    p_corrected: float


def shared_wrong_tail(chances: Sequence[float], shared: int) -> float:
    """P(X >= shared) for X the number of successes of independent trials with these chances
    (the Poisson-binomial tail, computed exactly).

    >>> shared_wrong_tail([0.5, 0.5], 1)
    0.75
    """
    if shared <= 0:
        return 1.0
    # dist[j]: P(j successes so far), with j == shared meaning "shared or more" (absorbing)
    dist = [1.0] + [0.0] * shared
    for c in chances:
        new = [0.0] * (shared + 1)
        for j, prob in enumerate(dist):
            if prob:
                if j == shared:
                    new[j] += prob
                    continue
                new[j] += prob * (1 - c)
                new[j + 1] += prob * c
        dist = new
    return min(1.0, dist[shared])


def holm(ps: Sequence[float], m: int | None = None) -> list[float]:
    """Holm's step-down correction of ``ps`` (adjusted values, in the input's order).

    ``m``, when given, is the number of tests in all, of which ``ps`` are the smallest (the
    others, left out, are never adjusted below these):

    >>> holm([0.01, 0.04, 0.03])
    [0.03, 0.06, 0.06]
    >>> holm([0.01, 0.03], m=3)
    [0.03, 0.06]
    """
    m = len(ps) if m is None else m
    order = sorted(range(len(ps)), key=lambda i: ps[i])
    out = [0.0] * len(ps)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * ps[i]))
        out[i] = round(running, 15)
    return out


Response = tuple[Hashable | None, bool]   # (the answer, None if unanswered; fully right?)


def copying_pairs(responses: Mapping[str, Mapping[Hashable, Response]], *,
                  alpha: float = COPYING_ALPHA, every: bool = False) -> list[CopyingPair]:
    """Pairs of students whose identical wrong answers are too many for chance.

    ``responses[student][item] = (answer, right)``; an item a student was not given is left
    out, an unanswered one has answer ``None`` (never counted as shared). For each item, the
    class's wrong answers give each wrong answer's frequency ``q``; two students who both got
    the item wrong give the same wrong answer by chance with ``sum(q * q)``. The number of
    shared wrong answers of a pair is compared with these chances over the items both got
    wrong (:func:`shared_wrong_tail`), and the probabilities are corrected for the number of
    pairs (:func:`holm`). Returns the pairs under ``alpha`` (all of them with ``every``, each
    with its exact probability), most improbable first.

    Holm's correction is over every pair of the class, but only the pairs that share enough
    identical wrong answers are compared (:func:`_candidates`): the list is the one the
    comparison of every pair gives, in a time that grows with the pairs that share answers.
    """
    wrong = {s: {i: ans for i, (ans, right) in responses[s].items()
                 if ans is not None and not right} for s in sorted(responses)}
    match = _match_chances(wrong)
    students = list(wrong)
    pairs_in_all = len(students) * (len(students) - 1) // 2
    if every:
        found = [_compare(a, b, wrong, match, exact=True)
                 for n, a in enumerate(students) for b in students[n + 1:]]
    else:
        # a pair listed at rank k has p < alpha / (pairs_in_all - k): with k at most half the
        # pairs, p < cutoff; checked below, else every pair is compared
        cutoff = min(alpha, 2 * alpha / pairs_in_all) if pairs_in_all else alpha
        found = [f for f in (_compare(a, b, wrong, match, under=cutoff)
                             for a, b in _candidates(wrong, match, cutoff)) if f[5] < cutoff]
        if len(found) < pairs_in_all and (pairs_in_all - len(found)) * cutoff < alpha:
            found = [f for f in (_compare(a, b, wrong, match, under=alpha)
                                 for n, a in enumerate(students) for b in students[n + 1:])
                     if f[5] < alpha]
    corrected = holm([f[5] for f in found], m=pairs_in_all)
    pairs = [CopyingPair(*f, p_corrected=c) for f, c in zip(found, corrected, strict=True)]
    pairs.sort(key=lambda p: (p.p, -p.shared, p.first, p.second))
    return pairs if every else [p for p in pairs if p.p_corrected < alpha]


Wrong = dict[str, dict[Hashable, Hashable]]   # student -> item -> the wrong answer given


def _match_chances(wrong: Wrong) -> dict[Hashable, float]:
    """Per item: the chance that two students who got it wrong give the same wrong answer."""
    counts: dict[Hashable, Counter[Hashable]] = {}
    for answers in wrong.values():
        for item, answer in answers.items():
            counts.setdefault(item, Counter())[answer] += 1
    return {item: sum((n / sum(c.values())) ** 2 for n in c.values())
            for item, c in counts.items()}


def _compare(a: str, b: str, wrong: Wrong, match: Mapping[Hashable, float], *,
             exact: bool = False, under: float = 0.5) -> tuple[str, str, int, int, float, float]:
    """(a, b, items both got wrong, shared wrong answers, expected, tail).

    Unless ``exact``, the tail is 1.0 where it is known to be at least ``under`` (at most
    1/2), which only leaves out pairs that cannot be listed (Holm's values of the listed
    pairs depend only on the smaller probabilities): at or under the expected count (a
    Poisson-binomial's median is within 1 of its mean, so the tail is at least 1/2 there),
    or when the shared items' chances multiply to ``under`` or more (the tail is at least
    the chance that they all match)."""
    mine, theirs = wrong[a], wrong[b]
    both = [i for i in mine if i in theirs]
    same = [i for i in both if theirs[i] == mine[i]]
    chances = [match[i] for i in both]
    expected = sum(chances)
    listable = len(same) > expected and math.prod(match[i] for i in same) < under
    tail = shared_wrong_tail(chances, len(same)) if exact or listable else 1.0
    return a, b, len(both), len(same), expected, tail


def _candidates(wrong: Wrong, match: Mapping[Hashable, float], cutoff: float
                ) -> Iterator[tuple[str, str]]:
    """Every pair whose tail can be under ``cutoff``, each once.

    The tail of a pair is at least the chance that its shared items all match:
    ``P(X >= shared) >= prod(match[i] for i shared)``. So a pair under ``cutoff`` shares
    (item, wrong answer) tokens whose weights ``-log(match[i])`` add up to more than
    ``-log(cutoff)``. With the tokens in one order (heaviest first), such a pair shares a token
    in both students' prefixes, where a student's prefix is the tokens from which the rest of
    the student's tokens still weigh more than that (the prefix filter of set-similarity
    joins): only the students indexed under a prefix token are compared.
    """
    need = -math.log(cutoff) - 1e-9 if 0 < cutoff < 1 else 0.0
    weight = {i: -math.log(c) for i, c in match.items()}
    order: dict[tuple[Hashable, Hashable], int] = {}
    prefixes: dict[str, list[int]] = {}
    for student, answers in wrong.items():
        tokens = [(item, answer) for item, answer in answers.items()]
        for token in tokens:
            order.setdefault(token, len(order))
        tokens.sort(key=lambda t: (-weight[t[0]], order[t]))
        rest = sum(weight[item] for item, _ in tokens)
        prefix = []
        for token in tokens:
            if rest <= need:
                break
            prefix.append(order[token])
            rest -= weight[token[0]]
        prefixes[student] = prefix
    index: dict[int, list[str]] = {}
    for student, prefix in prefixes.items():
        for token_id in prefix:
            index.setdefault(token_id, []).append(student)
    for student, prefix in prefixes.items():
        others = {b for token_id in prefix for b in index[token_id] if b > student}
        for b in sorted(others):
            yield student, b
