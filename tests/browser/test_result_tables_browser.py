"""The results table formgrader shows (the instructor's view, with the key and explanations),
drawn by headless Chromium in a column as wide as formgrader's: no word is broken over two
lines ("GlaxoSmit" / "hKline" in the item column, "Dedicate" / "d" in the answers), and the
table stays within its column. Screenshots: test-artifacts/results-table-640.png and
results-table-500.png (under about 490 px the table is wider than its column rather than
break a word)."""

from __future__ import annotations

import pytest
from jupyter_page import ARTIFACTS
from test_formgrader_browser import BROKEN_WORDS

from canvastools.answers.store import StoreRead
from canvastools.grading import score_classification
from canvastools.grading.views import exercise_views, result_html

EXPLANATION = ("Communities: the company hosts a space where customers exchange experiences "
               "and support one another, and it uses what it hears to understand them.")
SOURCES = [
    'CASES = [{"id": "gsk", "company": "GlaxoSmithKline (alli)"},\n'
    '         {"id": "shops", "company": "Shops, call centres and e-mail help desks"},\n'
    '         {"id": "ing", "company": "ING Direct"}]\n'
    'quiz = ClassifyCases("q", CASES, mode="graded")',
    'grade_classification("q", key={"gsk": "communities", "shops": "personal_assistance", '
    '"ing": "automated_services"}, explanations={"gsk": "' + EXPLANATION + '", "shops": "'
    + EXPLANATION + '", "ing": "' + EXPLANATION + '"})',
]


@pytest.mark.browser
@pytest.mark.parametrize("width", [640, 500])
def test_no_word_is_broken_and_the_table_fits(browser_page, width):
    answers = StoreRead({"q": {"kind": "classify", "updated": "", "taxonomy": "bmg2010",
                               "answer": {"gsk": ["dedicated_personal_assistance"],
                                          "shops": ["dedicated_personal_assistance"]}}})
    result = score_classification(answers, "q", {"gsk": "communities",
                                                 "shops": "personal_assistance",
                                                 "ing": "automated_services"})
    fragment = result_html(result, show_key=True, view=exercise_views(SOURCES)["q"])
    page = browser_page
    page.set_content(f'<body style="font: 14px sans-serif; margin: 8px">'
                     f'<div id="column" style="width:{width}px">{fragment}</div></body>')
    assert "GlaxoSmithKline" in page.inner_text("table.canvastools-items")
    assert page.evaluate(BROKEN_WORDS) == []
    fits = page.evaluate("() => { const t = document.querySelector('table.canvastools-items');"
                         " return t.getBoundingClientRect().right <="
                         " document.getElementById('column').getBoundingClientRect().right + 1 }")
    assert fits
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#column").screenshot(path=str(ARTIFACTS / f"results-table-{width}.png"))
