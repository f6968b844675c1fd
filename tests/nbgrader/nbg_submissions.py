"""Test students: what each one submits, and the score computed by hand from the keys.

The keys are not copied here: they are read from the hidden tests in solutions/ (with
check_release.grading_calls), and each test student's answers are built from them (right,
an accepted alternative, some of a multi-type key, or a type outside the key and its
alternatives). classify-cases: 1 point per case, 0.5 for an accepted alternative or only some
of the types of a multi-type case. motivations-questions: motivations 5 x 1, questions 4 x 1,
spectrum 2 points x share of the 8 ordered pairs of the five graded cases (tied cases form no
pair).
design-relationships: 3 checks x 1 point (+ 4 manual points, not autograded).
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import nbformat
from nbg_helpers import ROOT, check_release

from canvastools import load_domain, load_taxonomy

ASSIGNMENTS = ("classify-cases", "motivations-questions", "design-relationships")
WIDGET_CELLS = {"cc-quiz", "mq-motives", "mq-questions", "mq-spectrum", "dr-designer"}


def _call(assignment: str, exercise_id: str):
    path = ROOT / "solutions" / assignment / f"{assignment}.ipynb"
    return next(c for c in check_release.grading_calls(path) if c.exercise_id == exercise_id)


def _lists(mapping) -> dict[str, list[str]]:
    return {item: [v] if isinstance(v, str) else list(v) for item, v in (mapping or {}).items()}


def _wrong(key: dict, accepted: dict, pool: list[str]) -> dict[str, list[str]]:
    """For each item, the first id of ``pool`` that is neither its key nor accepted (0 points)."""
    return {item: [next(t for t in pool if t not in ids + accepted.get(item, []))]
            for item, ids in key.items()}


TYPES = load_taxonomy("bmg2010").type_ids
_cc = _call("classify-cases", "classify-cases")
KEY, ACCEPTED = _lists(_cc.key), _lists(_cc.accepted)
WRONG = _wrong(KEY, ACCEPTED, TYPES)
PARTLY = {**KEY,  # 1 + 0 + 1 + 1 + 0 + 1 + 0.5 + 1 + 0 (not answered) = 5.5
          "amex-centurion": WRONG["amex-centurion"], "sap-community": WRONG["sap-community"],
          "nike-run-club": KEY["nike-run-club"][:1]}
del PARTLY["boa-erica"]
AMBIGUOUS = {  # 6 right + nike 0 (a type neither key nor accepted) + 0.5 + 0.5 = 7
    **KEY,
    "nike-run-club": KEY["nike-run-club"] + WRONG["nike-run-club"],
    "starbucks-ideas": ACCEPTED["starbucks-ideas"],
    "boa-erica": ACCEPTED["boa-erica"],
}

_mq = _call("motivations-questions", "motivations")
MOTIVES, MOTIVES_ACCEPTED = _lists(_mq.key), _lists(_mq.accepted)
MOTIVES_WRONG = _wrong(MOTIVES, MOTIVES_ACCEPTED, load_domain().motivation_ids)
MOTIVES_PARTLY = {  # 1 + 0 + 1 + (not answered) 0 + 0.5 = 2.5
    "welcome-bonus": MOTIVES["welcome-bonus"],
    "frequent-flyer-status": MOTIVES["frequent-flyer-status"]
    + MOTIVES_WRONG["frequent-flyer-status"],
    "bought-together": MOTIVES["bought-together"],
    "coffee-stamp-card": MOTIVES["coffee-stamp-card"][:1]}  # only some of the key
QUESTIONS = {item: ids[0] for item, ids in _lists(
    _call("motivations-questions", "questions").key).items()}
QUESTIONS_WRONG = {item: ids[0] for item, ids in _wrong(
    _lists(QUESTIONS), {}, load_domain().question_ids).items()}
QUESTIONS_PARTLY = {**QUESTIONS, "cost-per-call": QUESTIONS["advisers-sell"],  # 2
                    "advisers-sell": QUESTIONS["cost-per-call"]}
# the key's order (tied groups, if any, the other way round: still 2 points)
_SPECTRUM_KEY = _call("motivations-questions", "spectrum").key
SPECTRUM = [t for entry in _SPECTRUM_KEY
            for t in ([entry] if isinstance(entry, str) else reversed(entry))]
_GROUPS = [1 if isinstance(entry, str) else len(entry) for entry in _SPECTRUM_KEY]
SPECTRUM_PAIRS = sum(a * b for i, a in enumerate(_GROUPS) for b in _GROUPS[i + 1:])
SPECTRUM_WRONG = list(reversed(SPECTRUM))  # 0 pairs
SPECTRUM_PARTLY = [SPECTRUM[1], SPECTRUM[0], *SPECTRUM[2:]]  # one pair the wrong way round
assert _GROUPS[0] == 1 and SPECTRUM_PAIRS == 8  # the first case is alone: swapping it costs 1
assert len(SPECTRUM) == 5 and len(KEY) == 9 and len(MOTIVES) == 5 and len(QUESTIONS) == 4

DESIGN_GOOD = [("Account manager for each company", "dedicated_personal_assistance",
                ["companies"]),
               ("Rent and pay in the app, no staff needed", "self_service",
                ["commuters", "tourists"])]
DESIGN_BAD = [("Be nice to riders", None, ["commuters"])]  # 0 of 3 checks
DESIGN_PARTLY = [("Rent and pay in the app", "self_service", ["commuters", "tourists"]),
                 ("Favourite stations remembered", "automated_services", ["commuters"])]  # 2

SPECTRUM_PARTLY_SCORE = round(2 * (SPECTRUM_PAIRS - 1) / SPECTRUM_PAIRS, 4)

# student -> {assignment: expected autograded score}
EXPECTED = {
    "s01-correct": {"classify-cases": 9.0, "motivations-questions": 11.0,
                    "design-relationships": 3.0},
    "s02-wrong": {"classify-cases": 0.0, "motivations-questions": 0.0,
                  "design-relationships": 0.0},
    "s03-partly": {"classify-cases": 5.5, "motivations-questions": 2.5 + 2 + SPECTRUM_PARTLY_SCORE,
                   "design-relationships": 2.0},
    "s04-ambiguous": {"classify-cases": 7.0},
    "s05-empty": {"classify-cases": 0.0, "motivations-questions": 0.0,
                  "design-relationships": 0.0},
    "s06-deleted-cells": {"classify-cases": 9.0},
    "s07-reordered": {"classify-cases": 5.5},
    "s08-edited-test": {"classify-cases": 0.0},
    "s09-corrupt": {"classify-cases": 0.0},
    "s10-infinite-loop": {"classify-cases": 9.0},
}


def released(course: Path, assignment: str) -> nbformat.NotebookNode:
    return nbformat.read(course / "exercises" / assignment / f"{assignment}.ipynb", as_version=4)


def grade_id(cell) -> str:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")


def open_widgets(folder: Path, nb) -> dict:
    """Run the notebook's widget cells in the submission folder, as the student's kernel."""
    namespace: dict = {}
    with contextlib.chdir(folder):
        for cell in nb.cells:
            if cell.cell_type == "code" and grade_id(cell) in WIDGET_CELLS:
                exec(compile(cell.source, f"<{grade_id(cell)}>", "exec"), namespace)
    return namespace


def submit(course: Path, student: str, assignment: str, nb=None) -> Path:
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb if nb is not None else released(course, assignment),
                   folder / f"{assignment}.ipynb")
    return folder


def classify(course: Path, student: str, answers: dict, nb=None,
             assignment: str = "classify-cases") -> Path:
    folder = submit(course, student, assignment)
    quiz = open_widgets(folder, released(course, assignment))["quiz"]
    for case_id, types in answers.items():
        quiz.answer(case_id, *types)
    if nb is not None:
        submit(course, student, assignment, nb)
    return folder


def motivations(course: Path, student: str, motives: dict, questions: dict,
                order: list, assignment: str = "motivations-questions") -> Path:
    folder = submit(course, student, assignment)
    ns = open_widgets(folder, released(course, assignment))
    for row, ids in motives.items():
        ns["motives"].answer(row, *ids)
    for item, question in questions.items():
        ns["questions"].answer(item, question)
    ns["spectrum"].answer(*order)
    return folder


def design(course: Path, student: str, notes: list,
           assignment: str = "design-relationships") -> Path:
    folder = submit(course, student, assignment)
    designer = open_widgets(folder, released(course, assignment))["designer"]
    for text, relationship, segments in notes:
        designer.add_note(text, relationship=relationship, segments=segments)
    return folder


def make_all(course: Path) -> dict:
    classify(course, "s01-correct", KEY)
    motivations(course, "s01-correct", MOTIVES, QUESTIONS, SPECTRUM)
    design(course, "s01-correct", DESIGN_GOOD)

    classify(course, "s02-wrong", WRONG)
    motivations(course, "s02-wrong", MOTIVES_WRONG, QUESTIONS_WRONG, SPECTRUM_WRONG)
    design(course, "s02-wrong", DESIGN_BAD)

    classify(course, "s03-partly", PARTLY)
    motivations(course, "s03-partly", MOTIVES_PARTLY, QUESTIONS_PARTLY, SPECTRUM_PARTLY)
    design(course, "s03-partly", DESIGN_PARTLY)

    classify(course, "s04-ambiguous", AMBIGUOUS)

    for assignment in ASSIGNMENTS:  # opened the notebooks, answered nothing: no answer file
        submit(course, "s05-empty", assignment)

    # deleted the quiz cell and the test cell (nbgrader puts the test back)
    nb = released(course, "classify-cases")
    nb.cells = [c for c in nb.cells if grade_id(c) not in ("cc-quiz", "cc-test")]
    classify(course, "s06-deleted-cells", KEY, nb=nb)

    # moved the test cell to the top and the quiz cell to the end
    nb = released(course, "classify-cases")
    test = [c for c in nb.cells if grade_id(c) == "cc-test"]
    quiz = [c for c in nb.cells if grade_id(c) == "cc-quiz"]
    nb.cells = test + [c for c in nb.cells if c not in test + quiz] + quiz
    classify(course, "s07-reordered", PARTLY, nb=nb)

    # replaced the test cell by one that claims full marks
    nb = released(course, "classify-cases")
    for cell in nb.cells:
        if grade_id(cell) == "cc-test":
            cell.source = "9.0  # full marks, please"
    classify(course, "s08-edited-test", WRONG, nb=nb)

    # answered, then the answer file got corrupted (e.g. edited by hand)
    folder = classify(course, "s09-corrupt", KEY)
    text = (folder / "canvastools_answers.json").read_text()
    (folder / "canvastools_answers.json").write_text(text[: len(text) // 2])

    # an infinite loop in a cell of their own, after answering everything right
    nb = released(course, "classify-cases")
    nb.cells.insert(3, nbformat.v4.new_code_cell("while True:\n    pass"))
    classify(course, "s10-infinite-loop", KEY, nb=nb)

    # the instructor tried the quiz inside solutions/ (all right): autograde must not copy
    # that answer file over the students' (Autograde.exclude_overwriting)
    instructor = course / "solutions" / "classify-cases"
    quiz = open_widgets(instructor, released(course, "classify-cases"))["quiz"]
    for case_id, types in KEY.items():
        quiz.answer(case_id, *types)
    return EXPECTED


def sidecar(folder: Path) -> dict:
    return json.loads((folder / "canvastools_answers.json").read_text())
