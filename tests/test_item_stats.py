"""Item statistics, objectives and the copying signal: hand-computed fixtures, then classes
generated from a known ability model (2PL: P(right) = 1 / (1 + exp(-a (theta - b)))).
"""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest

from canvastools.commands.report import item_stats as st
from canvastools.commands.report.analysis import analyse, load_objectives, objective_csv_path
from canvastools.commands.report.build import write_report
from canvastools.commands.report.data import ClassReport, StudentGrade
from canvastools.errors import InputError
from canvastools.grading import ExerciseResult, ItemResult

# -- hand-computed fixtures --------------------------------------------------------------------
# five students, three 0/1 items; totals 3, 2, 2, 1, 0 (mean 1.6)
FIVE = [[1, 1, 1], [1, 1, 0], [1, 0, 1], [0, 1, 0], [0, 0, 0]]


def test_difficulty_by_hand():
    # p = right / students: 3/5, 3/5, 2/5
    assert [st.difficulty(FIVE, j) for j in range(3)] == [0.6, 0.6, 0.4]


def test_kr20_by_hand():
    # sum p q = 0.24 + 0.24 + 0.24 = 0.72; variance of the totals:
    # (1.4² + 0.4² + 0.4² + 0.6² + 1.6²) / 5 = 5.2 / 5 = 1.04
    # KR-20 = 3/2 * (1 - 0.72 / 1.04) = 0.461538...
    rel = st.reliability(FIVE)
    assert rel.name == "KR-20" and (rel.students, rel.items) == (5, 3)
    assert rel.value == pytest.approx(1.5 * (1 - 0.72 / 1.04))
    assert rel.value == pytest.approx(0.461538, abs=1e-6)


def test_cronbach_alpha_by_hand_with_partial_credit():
    # item variances: (0.25 + 0 + 0.25) / 3 = 1/6 and ((1/6)² * 2 + (1/3)²) / 3 = 1/18;
    # totals 1.5, 1, 0 (mean 5/6): ((2/3)² + (1/6)² + (5/6)²) / 3 = 7/18
    # alpha = 2 * (1 - (1/6 + 1/18) / (7/18)) = 6/7
    rel = st.reliability([[1, 0.5], [0.5, 0.5], [0, 0], [None, 1]])
    assert rel.name == "Cronbach's alpha" and rel.students == 3    # the last had one item
    assert rel.value == pytest.approx(6 / 7)


def test_item_rest_correlation_by_hand():
    # item 1: x = 1 1 1 0 0, rest = total - x = 2 1 1 1 0; cov = (0.4*1 + 0.6*1) / 5 = 0.2,
    # var x = 0.24, var rest = 0.4: r = 0.2 / sqrt(0.096) = 0.645497
    assert st.item_rest_correlation(FIVE, 0) == pytest.approx(0.2 / math.sqrt(0.24 * 0.4))
    # item 3: x = 1 0 1 0 0, rest = 2 2 1 1 0; cov = 0.6 / 5 = 0.12, var rest = 2.8 / 5 = 0.56
    assert st.item_rest_correlation(FIVE, 2) == pytest.approx(0.327327, abs=1e-6)
    assert st.item_rest_correlation([[1, 0], [1, 1]], 0) is None      # everyone right


# ten students, four items, totals 4 3 3 2 2 2 2 1 1 0: the upper 27% (round(2.7) = 3) are
# s0 s1 s2, the lower s7 s8 s9, with no tie across either boundary
TEN = [[1, 1, 1, 1], [1, 1, 1, 0], [1, 0, 1, 1], [1, 1, 0, 0], [0, 1, 1, 0],
       [1, 0, 0, 1], [0, 1, 0, 1], [0, 0, 1, 0], [1, 0, 0, 0], [0, 0, 0, 0]]


def test_upper_lower_discrimination_by_hand():
    # item 1: upper 1 1 1, lower 0 1 0 -> D = 1 - 1/3; item 2: upper 1 1 0, lower 0 0 0 -> 2/3
    # item 4: upper 1 0 1, lower 0 0 0 -> 2/3
    assert st.discrimination_index(TEN, 0) == pytest.approx(2 / 3)
    assert st.discrimination_index(TEN, 1) == pytest.approx(2 / 3)
    assert st.discrimination_index(TEN, 3) == pytest.approx(2 / 3)
    # a reversed item (right for the weak, wrong for the strong) has D = -1
    reversed_item = [row + [1 - row[0] if i < 3 else 1] for i, row in enumerate(TEN)]
    assert st.discrimination_index(reversed_item, 4) < 0


def test_flags_follow_the_thresholds():
    assert st.item_flags(0.5, -0.01) == ("check the key",)
    assert st.item_flags(0.5, 0.19) == ("revise",)
    assert st.item_flags(0.5, 0.2) == ()
    assert st.item_flags(0.97, 0.05) == ("very easy",)             # "unless very easy"
    assert st.item_flags(0.97, -0.2) == ("check the key", "very easy")


def test_copying_by_hand():
    # key A on both items. Wrong answers, item 1: B B C -> q = 2/3, 1/3, chance of a match
    # 4/9 + 1/9 = 5/9; item 2: C C B D -> 1/4 + 1/16 + 1/16 = 3/8.
    # s1 and s2 are both wrong on both and match on both: P(X >= 2) = 5/9 * 3/8 = 0.208333,
    # expected 5/9 + 3/8 = 0.930556; six pairs, Holm: the smallest p times 6, capped at 1
    answers = {"s1": "BC", "s2": "BC", "s3": "CB", "s4": "AD"}
    responses = {s: {i: (a, a == "A") for i, a in enumerate(text)}
                 for s, text in answers.items()}
    pairs = {(p.first, p.second): p for p in st.copying_pairs(responses, every=True)}
    s12 = pairs[("s1", "s2")]
    assert (s12.both_wrong, s12.shared) == (2, 2)
    assert s12.p == pytest.approx(15 / 72)
    assert s12.expected == pytest.approx(5 / 9 + 3 / 8)
    assert s12.p_corrected == pytest.approx(min(1.0, 6 * 15 / 72))
    s13 = pairs[("s1", "s3")]
    assert (s13.both_wrong, s13.shared, s13.p) == (2, 0, 1.0)
    assert pairs[("s1", "s4")].both_wrong == 1                      # s4 got item 1 right
    assert st.copying_pairs(responses) == []                        # nothing improbable


def test_poisson_binomial_tail_by_hand():
    # chances 0.5, 0.2, 0.1; P(X >= 2) = P({1,2}) + P({1,3}) + P({2,3}) + P(all three)
    # = .5*.2*.9 + .5*.8*.1 + .5*.2*.1 + .5*.2*.1 = .09 + .04 + .01 + .01 = 0.15
    assert st.shared_wrong_tail([0.5, 0.2, 0.1], 2) == pytest.approx(0.15)
    assert st.shared_wrong_tail([0.5, 0.2, 0.1], 0) == 1.0
    assert st.shared_wrong_tail([0.5], 2) == 0.0


# -- generated classes -----------------------------------------------------------------------
CHOICES = "ABCD"


def ability_class(seed: int, students: int = 200, items: int = 20, noise: float = 0.0):
    """Answers of a 2PL class: the key is "A"; a wrong student picks B (most), C or D.
    With ``noise``, that share of the answers is a blind guess instead."""
    rng = np.random.default_rng(seed)
    theta = rng.normal(0, 1, students)
    a = rng.uniform(0.8, 2.0, items)
    b = rng.normal(0, 0.8, items)
    right = rng.random((students, items)) < 1 / (1 + np.exp(-a * (theta[:, None] - b)))
    wrong = rng.choice(list("BCD"), size=(students, items), p=[0.6, 0.25, 0.15])
    answers = np.where(right, "A", wrong)
    guess = rng.random((students, items)) < noise
    return np.where(guess, rng.choice(list(CHOICES), size=(students, items)), answers)


def scored(answers, keys):
    return [[1 if a == k else 0 for a, k in zip(row, keys, strict=True)] for row in answers]


def test_a_wrong_key_gets_negative_discrimination_and_the_flag():
    answers = ability_class(seed=3)
    keys = ["A"] * answers.shape[1]
    keys[5] = "B"            # the most common wrong answer, keyed as right by mistake
    table = scored(answers, keys)
    r = st.item_rest_correlation(table, 5)
    d = st.discrimination_index(table, 5)
    assert r < 0 and d < 0
    assert "check the key" in st.item_flags(st.difficulty(table, 5), r)
    others = [st.item_rest_correlation(table, j) for j in range(len(keys)) if j != 5]
    assert min(others) > 0.2                  # the well-keyed items discriminate
    assert not any("check the key" in st.item_flags(st.difficulty(table, j), x)
                   for j, x in zip([j for j in range(len(keys)) if j != 5], others,
                                   strict=True))


def test_kr20_goes_down_when_noise_is_added():
    keys = ["A"] * 20
    values = [st.reliability(scored(ability_class(seed=7, noise=n), keys)).value
              for n in (0.0, 0.3, 0.6, 0.9)]
    assert values == sorted(values, reverse=True) and values[0] > 0.8 and values[-1] < 0.4


def responses_of(answers, names):
    return {name: {j: (a, a == "A") for j, a in enumerate(row)}
            for name, row in zip(names, answers, strict=True)}


@pytest.mark.parametrize("seed", [11, 12])
def test_two_students_who_copy_with_noise_are_found_independent_ones_are_not(seed):
    rng = np.random.default_rng(seed + 100)
    answers = ability_class(seed=seed, students=80, items=30)
    names = [f"s{n:02d}" for n in range(len(answers))]
    assert st.copying_pairs(responses_of(answers, names)) == []    # everyone alone
    # s10 copies the weakest student (many wrong answers to copy), changing 15% of them
    source = int(np.argmin((answers == "A").sum(axis=1)))
    copier = 10 if source != 10 else 11
    noisy = rng.random(answers.shape[1]) < 0.15
    answers[copier] = np.where(noisy, rng.choice(list(CHOICES), answers.shape[1]),
                               answers[source])
    found = st.copying_pairs(responses_of(answers, names))
    assert [{p.first, p.second} for p in found] == [{names[source], names[copier]}]
    assert found[0].shared > found[0].expected and found[0].p_corrected < st.COPYING_ALPHA
    # the listed pairs are those of the full table (only they are kept in a big class)
    every = st.copying_pairs(responses_of(answers, names), every=True)
    assert found == [p for p in every if p.p_corrected < st.COPYING_ALPHA]


def listed_by_every_pair(responses):
    """The copying list from the comparison of every pair (Holm over all of them)."""
    every = st.copying_pairs(responses, every=True)
    return [p for p in every if p.p_corrected < st.COPYING_ALPHA]


@pytest.mark.parametrize("seed", [21, 22])
def test_copying_list_compares_few_pairs_and_equals_the_full_comparison(seed):
    # copiers of several sources (one source copied twice: a group of three), in a class
    # whose common wrong answer makes many pairs share wrong answers by chance
    rng = np.random.default_rng(seed)
    answers = ability_class(seed=seed, students=150, items=40)
    names = [f"s{n:03d}" for n in range(len(answers))]
    weakest = list(np.argsort((answers == "A").sum(axis=1)))
    copies = [(weakest[0], weakest[10]), (weakest[0], weakest[11]), (weakest[1], weakest[12]),
              (weakest[2], weakest[13])]
    for source, copier in copies:
        noisy = rng.random(answers.shape[1]) < 0.1
        answers[copier] = np.where(noisy, rng.choice(list(CHOICES), answers.shape[1]),
                                   answers[source])
    responses = responses_of(answers, names)
    found = st.copying_pairs(responses)
    assert found == listed_by_every_pair(responses)
    pairs = {frozenset((p.first, p.second)) for p in found}
    assert {frozenset((names[s], names[c])) for s, c in copies} <= pairs


# -- the report's analysis on a class made of results ----------------------------------------
def _class(root, rows: dict[str, str]) -> ClassReport:
    """Students answering three classified cases (key: automated, self, community)."""
    keys = {"c1": "automated_services", "c2": "self_service", "c3": "communities"}
    pool = {"A": "automated_services", "S": "self_service", "C": "communities",
            "P": "personal_assistance"}
    results, students = {}, []
    for student, text in rows.items():
        items = tuple(ItemResult(i, (pool[c],), (k,), (), float(pool[c] == k), 1.0,
                                 "right" if pool[c] == k else "wrong")
                      for (i, k), c in zip(keys.items(), text, strict=True))
        points = sum(i.points for i in items)
        results[student] = (ExerciseResult("cases", "classify", "types", "bmg2010", points,
                                           3.0, items, answered=True),)
        students.append(StudentGrade(student, "graded", points, 3.0))
    return ClassReport("a1", str(root), "en", 3.0, tuple(students), results)


ROWS = {"ann": "ASC", "bob": "ASP", "cat": "APP", "dan": "PPP", "eve": "ASC"}


def test_objectives_share_and_csv(tmp_path):
    (tmp_path / "objectives.yaml").write_text(
        "a1:\n  - objective: tells automated from self-service\n    items: [cases/c1, cases/c2]\n"
        "  - objective: distinguishes the six types\n    items: [cases]\n", encoding="utf-8")
    report = _class(tmp_path, ROWS)
    analysis = analyse(report, threshold=0.6)
    # shares of c1+c2: ann 1, bob 1, cat 0.5, dan 0, eve 1 -> 3 of 5 at 0.6 or more;
    # of c1+c2+c3: ann 1, bob 2/3, cat 1/3, dan 0, eve 1 -> 3 of 5
    assert [(o["objective"], o["meeting"], o["students"]) for o in analysis.objectives] == [
        ("tells automated from self-service", 3, 5), ("distinguishes the six types", 3, 5)]
    assert analyse(report, threshold=0.7).objectives[1]["meeting"] == 2     # bob: 2/3
    assert analysis.items[0]["objectives"] == ("tells automated from self-service",
                                               "distinguishes the six types")
    page, table = write_report(report, tmp_path / "r.html", objective_threshold=0.6)
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    assert rows[0]["p"] == "0.8" and "distinguishes the six types" in rows[0]["objectives"]
    acc = list(csv.DictReader(objective_csv_path(table).open(encoding="utf-8")))
    assert [(r["objective"], r["meeting"], r["share_meeting"], r["threshold"]) for r in acc] == [
        ("tells automated from self-service", "3", "0.6000", "0.6"),
        ("distinguishes the six types", "3", "0.6000", "0.6")]
    html = page.read_text(encoding="utf-8")
    for words in ('id="item-stats"', 'id="objectives"', "KR-20", "check the key",
                  "should be above 20%", "not proof"):
        assert words in html


def test_an_unknown_objective_item_names_the_file_and_the_choices(tmp_path):
    (tmp_path / "objectives.yaml").write_text(
        "a1:\n  - objective: x\n    items: [cases/c9]\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_objectives(tmp_path, "a1", [("cases", "c1"), ("cases", "c2")])
    text = str(err.value)
    assert "objectives.yaml" in text and "line 2" in text and "cases/c1" in text
    with pytest.raises(InputError, match="objective-threshold"):
        analyse(_class(tmp_path, ROWS), threshold=1.5, objectives=[])


def test_shipped_assignments_name_existing_exercises():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    import yaml

    data = yaml.safe_load((root / "objectives.yaml").read_text(encoding="utf-8"))
    for assignment, objectives in data.items():
        source = (root / "solutions" / assignment / f"{assignment}.ipynb").read_text(
            encoding="utf-8")
        assert 2 <= len(objectives) <= 3 or assignment in ("design-relationships",
                                                           "progettare-relazioni")
        for objective in objectives:
            for item in objective["items"]:
                exercise, _, case = item.partition("/")
                assert f'\\"{exercise}\\"' in source, (assignment, item)
                assert not case or f'\\"{case}\\"' in source, (assignment, item)


def test_the_page_lists_a_copying_pair_with_its_figures_and_reading(tmp_path):
    """A generated class of 60 on 24 cases (the choices: four relationship types, the key
    the first); s07 copies the weakest student with 15% of the answers changed."""
    from canvastools.commands.report.page import render_page

    types = {"A": "automated_services", "B": "self_service", "C": "communities",
             "D": "personal_assistance"}
    answers = ability_class(seed=5, students=60, items=24)
    source = int(np.argmin((answers == "A").sum(axis=1)))
    copier = 7 if source != 7 else 8
    rng = np.random.default_rng(9)
    noisy = rng.random(answers.shape[1]) < 0.15
    answers[copier] = np.where(noisy, rng.choice(list(CHOICES), answers.shape[1]),
                               answers[source])
    results, students = {}, []
    for n, row in enumerate(answers):
        items = tuple(ItemResult(f"c{j:02d}", (types[a],), (types["A"],), (),
                                 float(a == "A"), 1.0, "right" if a == "A" else "wrong")
                      for j, a in enumerate(row))
        points = sum(i.points for i in items)
        results[f"s{n:02d}"] = (ExerciseResult("cases", "classify", "types", "bmg2010",
                                               points, 24.0, items, answered=True),)
        students.append(StudentGrade(f"s{n:02d}", "graded", points, 24.0))
    report = ClassReport("a1", str(tmp_path), "en", 24.0, tuple(students), results)
    analysis = analyse(report)
    assert analysis.reliability.name == "KR-20" and analysis.reliability.value > 0.7
    assert [{c.first, c.second} for c in analysis.copying] == [
        {f"s{source:02d}", f"s{copier:02d}"}]
    html = render_page(report, analysis=analysis)
    table = html.split('id="copying"')[1].split("</table>")[0]
    pair = analysis.copying[0]
    assert f"<td>{pair.first}</td><td>{pair.second}</td>" in table
    assert f'<td class="n">{pair.shared}</td>' in table
    assert "identical wrong answers where about" in table
    assert "A signal to look at, not proof" in html
