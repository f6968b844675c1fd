"""The fourth review of the course (issue 21): each class of contradiction it found, checked
over every item of the class (docs/reviews/course-review-2026-12-07-fourth.md).

The helpers and the collected items are the ones of ``test_course_keys``, so every test file
reads the course the same way.
"""

from __future__ import annotations

import ast
import re

import nbformat
from test_course_keys import ROOT, _graded_rule

# -- a graded automated-services item says, in every language, that it serves the one customer
# (finding 2): rule 2 tells automated services from self-service by the customer's own data,
# so the text a student grades must give that cue, in English and in Italian alike (Erica's
# Italian once read "answers questions about accounts, cards and payments": an FAQ)
ASSIGNMENT_1 = {"en": "classify-cases/classify-cases.ipynb",
                "it": "classifica-casi/classifica-casi.ipynb"}
OWN_DATA = {"en": r"\b(customer's own|their own|each (customer|listener|runner|user)('s)?)\b",
            "it": r"\b(del cliente|ciascun\w*|ogni (cliente|utente)|per lui|propri\w*)\b"}


def _graded_items(lang: str) -> list[dict]:
    nb = nbformat.read(ROOT / "solutions" / ASSIGNMENT_1[lang], as_version=4)
    quiz = next(c.source for c in nb.cells if "CASES = [" in c.source)
    return next(ast.literal_eval(n.value) for n in ast.parse(quiz).body
                if isinstance(n, ast.Assign) and n.targets[0].id == "CASES")


def test_every_graded_automated_item_shows_the_customers_own_data_in_every_language():
    checked = 0
    for lang, pattern in OWN_DATA.items():
        for item in _graded_items(lang):
            if "automated_services" in _graded_rule(item["id"])[0]:
                checked += 1
                assert re.search(pattern, item["description"], re.I), (lang, item["id"])
    assert checked >= 6, checked
