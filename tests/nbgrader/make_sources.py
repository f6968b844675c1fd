"""Write the nbgrader source assignments in solutions/ (run once by an author, then edit).

    python tests/nbgrader/make_sources.py          # rewrites solutions/<name>/<name>.ipynb

The committed notebooks in solutions/ are the source of truth; this script documents how
they were made (cell metadata, hidden tests) and is re-run only on purpose.

This is the one place besides solutions/ that holds the answer keys, and it has to: it is the
generator of solutions/, so it cannot read them from there (the tests never import it; they
read the keys from solutions/ with check_release.grading_calls). Keep it in step with
solutions/ when a key changes, or delete it once solutions/ are edited by hand only.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[2]


def _meta(grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = True,
          points: float | None = None, task: bool = False) -> dict:
    nbg = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
           "solution": solution, "task": task}
    if points is not None:
        nbg["points"] = points
    return {"nbgrader": nbg}


def md(grade_id: str, text: str, **kw) -> nbformat.NotebookNode:
    return new_markdown_cell(text.strip(), metadata=_meta(grade_id, **kw))


def code(grade_id: str, text: str, **kw) -> nbformat.NotebookNode:
    return new_code_cell(text.strip(), metadata=_meta(grade_id, **kw))


def notebook(cells: list) -> nbformat.NotebookNode:
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


TYPES_MD = """
The six relationship types (Osterwalder & Pigneur, *Business Model Generation*, 2010, pp. 28-29),
with the ids used in the code fallback:
`personal_assistance`, `dedicated_personal_assistance`, `self_service`, `automated_services`,
`communities`, `co_creation`.
"""

CLASSIFY_ITEMS = '''
from canvastools import ClassifyCases

CASES = [
    {"id": "apple-genius-bar", "company": "Apple Genius Bar", "multi": False,
     "description": "Customers book a slot at an Apple Store and a Genius (a trained employee) "
                    "diagnoses and repairs their device face to face. Whoever is on duty helps."},
    {"id": "amex-centurion", "company": "American Express Centurion Card", "multi": False,
     "description": "Holders of the invitation-only Centurion card have a personal account "
                    "manager and a concierge team assigned to them, reachable at any hour."},
    {"id": "ryanair-checkin", "company": "Ryanair online check-in", "multi": False,
     "description": "Passengers check in on the website or app and print or download their "
                    "own boarding pass; check-in at the airport desk costs an extra fee."},
    {"id": "spotify-discover-weekly", "company": "Spotify Discover Weekly", "multi": False,
     "description": "Every Monday each listener gets a playlist of 30 songs chosen for them "
                    "by algorithms from their own listening history."},
    {"id": "sap-community", "company": "SAP Community", "multi": False,
     "description": "Users of SAP software ask and answer each other's technical questions "
                    "in SAP's online forums and blogs; experts earn reputation points."},
    {"id": "threadless", "company": "Threadless", "multi": True,
     "description": "Members submit T-shirt designs, the community votes on them and "
                    "discusses them, and the best-rated designs are printed and sold."},
    {"id": "nike-run-club", "company": "Nike Run Club app", "multi": True,
     "description": "The app adapts a training plan to each runner's pace and history, and "
                    "runners join challenges and leaderboards with other runners."},
    {"id": "starbucks-ideas", "company": "My Starbucks Idea (2008-2018)", "multi": False,
     "description": "Customers posted ideas on a Starbucks website, voted and commented on "
                    "each other's ideas, and Starbucks launched some of them (e.g. free Wi-Fi)."},
    {"id": "boa-erica", "company": "Bank of America Erica", "multi": False,
     "description": "A virtual assistant in the banking app answers questions, warns about "
                    "unusual charges and suggests ways to save, for millions of customers."},
]

quiz = ClassifyCases("classify-cases", CASES, mode="graded", taxonomy="bmg2010")
quiz
'''

CLASSIFY_TEST = '''
# Graded from your saved answers (canvastools_answers.json) when you submit.
from canvastools.grading import grade_classification

### BEGIN HIDDEN TESTS
grade_classification(
    "classify-cases",
    key={
        "apple-genius-bar": "personal_assistance",
        "amex-centurion": "dedicated_personal_assistance",
        "ryanair-checkin": "self_service",
        "spotify-discover-weekly": "automated_services",
        "sap-community": "communities",
        "threadless": ["co_creation", "communities"],
        "nike-run-club": ["automated_services", "communities"],
        "starbucks-ideas": "co_creation",
        "boa-erica": "automated_services",
    },
    accepted={
        "starbucks-ideas": ["communities"],
        "boa-erica": ["self_service"],
    },
    taxonomy="bmg2010",
    points=1.0,
    partial=0.5,
)
### END HIDDEN TESTS
'''


def classify_cases() -> nbformat.NotebookNode:
    return notebook([
        md("cc-intro", """
# Assignment 1: classify real customer relationships

Read each case and choose the relationship type(s) it illustrates. Some cases combine
**several** types: choose all of them. Some are debatable: choose the type that fits best.
Your answers are saved automatically next to this notebook (`canvastools_answers.json`) and
graded when you submit; there is no feedback before the deadline.

**Without widgets** (e.g. a viewer that does not show them), answer in code in a new cell
below the quiz, one line per case, e.g. `quiz.answer("case-id", "type_id")`, or
`quiz.answer("case-id", "type_id_1", "type_id_2")` for a case with several types (the case
ids are in the quiz cell).
""" + TYPES_MD),
        md("cc-sources", """
**Sources.** Apple, "Get support at the Genius Bar" (apple.com/retail/geniusbar);
American Express, Centurion Card benefits (americanexpress.com); Ryanair, "Online check-in"
help pages (ryanair.com); Spotify Newsroom, "Introducing Discover Weekly" (20 July 2015);
SAP Community (community.sap.com); K. Lakhani & Z. Kanji, *Threadless: The Business of
Community*, Harvard Business School case 608-707 (2008); Nike, Nike Run Club app
(nike.com/nrc-app); Starbucks press release "Starbucks Celebrates Five-Year Anniversary of My
Starbucks Idea" (2013); Bank of America newsroom, "Erica" (2018).
"""),
        code("cc-quiz", CLASSIFY_ITEMS),
        code("cc-test", CLASSIFY_TEST, grade=True, points=9),
    ])


MOTIVES_ITEMS = '''
from canvastools import MotivationMatrix

PRACTICES = [
    {"id": "welcome-bonus",
     "label": "A bank pays 100 EUR to every new customer who opens a current account"},
    {"id": "frequent-flyer-status",
     "label": "An airline gives lounge access and priority boarding to members who fly often"},
    {"id": "bought-together",
     "label": "An online shop shows 'frequently bought together' items at checkout"},
    {"id": "cancel-discount",
     "label": "A phone company offers a discount to customers who ask to cancel"},
    {"id": "coffee-stamp-card",
     "label": "A coffee bar's stamp card: the tenth coffee is free"},
]

motives = MotivationMatrix("motivations", PRACTICES, mode="graded")
motives
'''

MOTIVES_TEST = '''
from canvastools.grading import grade_motivations

### BEGIN HIDDEN TESTS
grade_motivations(
    "motivations",
    key={
        "welcome-bonus": ["acquisition"],
        "frequent-flyer-status": ["retention"],
        "bought-together": ["boosting_sales"],
        "cancel-discount": ["retention"],
        "coffee-stamp-card": ["retention"],
    },
    accepted={"coffee-stamp-card": ["boosting_sales"]},
)
### END HIDDEN TESTS
'''

QUESTIONS_ITEMS = '''
from canvastools.widgets import ClassifyItems

STATEMENTS = [
    {"id": "expect-contact", "company": "Office supplies wholesaler",
     "description": "Our business customers want a named contact person who knows their account."},
    {"id": "have-helpdesk", "company": "Internet provider",
     "description": "Today we serve households through an online help centre and a phone line."},
    {"id": "cost-per-call", "company": "Internet provider",
     "description": "Each call to the phone line costs us about 6 EUR; "
                    "a help-centre visit costs almost nothing."},
    {"id": "advisers-sell", "company": "Insurance company",
     "description": "Our advisers also sell the premium plans, "
                    "so the relationship feeds our revenue streams."},
]

questions = ClassifyItems("questions", STATEMENTS, choices="questions", mode="graded")
questions
'''

QUESTIONS_TEST = '''
from canvastools.grading import grade_classification

### BEGIN HIDDEN TESTS
grade_classification(
    "questions",
    key={
        "expect-contact": "expected",
        "have-helpdesk": "established",
        "cost-per-call": "cost",
        "advisers-sell": "integration",
    },
    choices="questions",
)
### END HIDDEN TESTS
'''

SPECTRUM_ITEMS = '''
from canvastools import SpectrumOrder

spectrum = SpectrumOrder("spectrum", mode="graded", taxonomy="bmg2010")
spectrum
'''

SPECTRUM_TEST = '''
from canvastools.grading import grade_order

### BEGIN HIDDEN TESTS
grade_order(
    "spectrum",
    key=[
        "dedicated_personal_assistance",
        "personal_assistance",
        ["co_creation", "communities"],
        "self_service",
        "automated_services",
    ],
    taxonomy="bmg2010",
    points=2.0,
)
### END HIDDEN TESTS
'''


def motivations_questions() -> nbformat.NotebookNode:
    return notebook([
        md("mq-intro", """
# Assignment 2: motivations, guiding questions and the spectrum

Three short exercises. Your answers are saved automatically next to this notebook
(`canvastools_answers.json`) and graded when you submit.
"""),
        md("mq-motives-intro", """
## Part A: why? (5 points)

For each practice, tick the motivation(s) behind it: `acquisition` (winning new customers),
`retention` (keeping customers) or `boosting_sales` (selling more to existing customers).

Without widgets: `motives.answer("practice-id", "motivation_id")`.
"""),
        code("mq-motives", MOTIVES_ITEMS),
        code("mq-motives-test", MOTIVES_TEST, grade=True, points=5),
        md("mq-questions-intro", """
## Part B: which guiding question? (4 points)

Each statement answers one of the four guiding questions of the Customer Relationships
block: `expected` (what relationship does each segment expect?), `established` (which ones
have we established?), `cost` (how costly are they?), `integration` (how are they integrated
with the rest of the business model?).

Without widgets: `questions.answer("statement-id", "question_id")`.
"""),
        code("mq-questions", QUESTIONS_ITEMS),
        code("mq-questions-test", QUESTIONS_TEST, grade=True, points=4),
        md("mq-spectrum-intro", """
## Part C: the spectrum (2 points)

Order the six relationship types from the most personal to the most automated.

Without widgets: `spectrum.answer("type_id_1", "type_id_2", ...)` with all six ids in order.
"""),
        code("mq-spectrum", SPECTRUM_ITEMS),
        code("mq-spectrum-test", SPECTRUM_TEST, grade=True, points=2),
    ])


DESIGN_ITEMS = '''
from canvastools import Canvas, RelationshipDesigner

BUSINESS = Canvas.from_dict({
    "title": "CityBike, a bike-sharing service",
    "segments": [
        {"id": "commuters", "name": "Commuters"},
        {"id": "tourists", "name": "Tourists"},
        {"id": "companies", "name": "Companies (staff mobility plans)"},
    ],
    "blocks": {
        "value_propositions": [
            {"text": "A bike at every corner, 24/7", "segments": ["commuters", "tourists"]},
            {"text": "Greener, cheaper staff travel", "segments": ["companies"]},
        ],
        "channels": ["Mobile app", "Docking stations", "Sales team for companies"],
    },
}, "citybike")

designer = RelationshipDesigner("design", BUSINESS, mode="graded", taxonomy="bmg2010")
designer
'''

DESIGN_TEST = '''
# These checks are shown to you in the feedback.
from canvastools.grading import check_design

### BEGIN HIDDEN TESTS
check_design("design", segments=["commuters", "tourists", "companies"], min_types=2,
             taxonomy="bmg2010", points=3.0, show=True)
### END HIDDEN TESTS
'''

RUBRIC = """
## Part B: justify your design (manually graded, 4 points)

In the cell below, explain in 150-250 words why each segment gets the relationship(s) you
chose. The rubric:

| points | criterion |
|---|---|
| 1 | each segment's relationship fits what that segment expects (guiding question 1) |
| 1 | the cost of each relationship is discussed (guiding question 3) |
| 1 | the motivation (acquisition, retention, boosting sales) is named for each choice |
| 1 | the link to channels or revenue streams is explained (guiding question 4) |
"""

MODEL_ANSWER = """
Model answer (instructor only): commuters use the bike daily and value speed, so
self-service and automated services (the app remembers favourite stations and warns when a
dock is full) fit and cost little per ride (retention). Tourists need help once:
self-service at the station plus a community of rides and tips in the app (acquisition
through sharing). Companies sign contracts worth thousands of euros a year: a dedicated
account manager is worth the cost and keeps them (retention) and sells more passes
(boosting sales); it runs through the sales-team channel and feeds the subscription revenue.
"""


def design_relationships() -> nbformat.NotebookNode:
    return notebook([
        md("dr-intro", """
# Assignment 3: design the Customer Relationships block

CityBike runs a bike-sharing service for three customer segments. Design its Customer
Relationships block: add notes, each with a relationship type and the segment(s) it serves.
Your notes are saved automatically next to this notebook (`canvastools_answers.json`).

Without widgets:
`designer.add_note("Account manager for each company", relationship="type_id",
segments=["companies"])`.
""" + TYPES_MD),
        md("dr-part-a", """
## Part A: the design (3 points, checked automatically)

1. every segment has at least one relationship;
2. you use at least two different relationship types;
3. every note has a relationship type.
"""),
        code("dr-designer", DESIGN_ITEMS),
        code("dr-design-test", DESIGN_TEST, grade=True, points=3),
        md("dr-rubric", RUBRIC),
        md("dr-justification", MODEL_ANSWER, grade=True, solution=True, locked=False,
           points=4),
    ])


ASSIGNMENTS = {
    "classify-cases": classify_cases,
    "motivations-questions": motivations_questions,
    "design-relationships": design_relationships,
}


def main(root: Path = ROOT) -> None:
    for name, make in ASSIGNMENTS.items():
        folder = root / "solutions" / name
        folder.mkdir(parents=True, exist_ok=True)
        nb = make()
        nbformat.validate(nb)
        nbformat.write(nb, folder / f"{name}.ipynb")
        print(f"wrote {folder / (name + '.ipynb')}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT)
