"""Lesson 2 as a newcomer meets it in JupyterLab: after Run All no exercise box scrolls
sideways, the progress line says how many are answered (and, after Check, right) and is never
stale, and the spectrum never shows a verdict above "Not answered yet". A screenshot of the
lesson is kept in test-artifacts/ to look at.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from jupyter_page import ARTIFACTS, run_all, wait_idle
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CHECK = re.compile(r"^\W*Check$")  # the button (its icon may come first)
COURSE = Path(__file__).resolve().parents[2] / "course"
# lesson 2's transfer cases: six right, the recipe site and the car sharing only partly
ANSWERS = {"tr-accountants": "Dedicated personal assistance",
           "tr-diy-phone-line": "Personal assistance", "tr-launderette": "Self-service",
           "tr-pharmacy-app": "Automated services", "tr-climbing-board": "Communities",
           "tr-board-games": "Co-creation", "tr-recipe-site": "Communities",
           "tr-car-sharing": "Automated services"}

# every box of an exercise (and the output area around it) that is wider inside than shown:
# a horizontal scrollbar, or content cut off
OVERFLOWING = """() => {
    const boxes = [...document.querySelectorAll(
        '.canvastools-exercise, .canvastools-exercise .widget-box, .canvastools-item')];
    for (const exercise of document.querySelectorAll('.canvastools-exercise')) {
        let e = exercise.parentElement;
        while (e && !e.classList.contains('jp-Cell')) { boxes.push(e); e = e.parentElement; }
    }
    return boxes.filter(b => b.scrollWidth > b.clientWidth).map(b =>
        `${[...b.classList].join('.')}: scrollWidth ${b.scrollWidth} > ${b.clientWidth}`);
}"""


@pytest.mark.parametrize("jupyter", ["lab"], indirect=True)
def test_lesson_2_after_run_all(jupyter, browser_page):
    page = browser_page
    shutil.copytree(COURSE / "data", jupyter.root / "data")
    name = "02-six-types-run.ipynb"
    shutil.copy(COURSE / "02-six-types.ipynb", jupyter.root / name)
    page.goto(jupyter.page_url(name))
    wait_idle(page)
    run_all(page)
    page.wait_for_function(
        "() => document.querySelectorAll('.canvastools-exercise').length === 3")
    wait_idle(page)
    page.wait_for_timeout(500)
    over = page.evaluate(OVERFLOWING)
    assert over == [], "\n".join(over)

    # the transfer exercise: 8 answered, 6 of them right (2 only partly), then Check
    transfer = page.locator(".canvastools-exercise").nth(1)
    for case, label in ANSWERS.items():
        card = transfer.locator(f".canvastools-item-{case}")
        if case == "tr-car-sharing":  # several types: checkboxes
            card.get_by_label(label, exact=True).check()
        else:
            card.get_by_role("radio", name=label, exact=True).click()
    expect(transfer).to_contain_text("8 of 8 answered")
    transfer.get_by_role("button", name=CHECK).click()
    expect(transfer).to_contain_text("8 of 8 answered, 6 right")
    # no stale count anywhere in the lesson
    assert "0 of 8 answered" not in page.locator(".jp-Notebook").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    transfer.locator(".canvastools-item-tr-car-sharing").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "lesson-2-transfer.png"))

    # the spectrum: no verdict before Check; after it, the verdict and "Order saved."
    spectrum = page.locator(".canvastools-spectrum")
    expect(spectrum).to_contain_text("Not answered yet")
    expect(spectrum).not_to_contain_text("Not right")
    spectrum.get_by_role("button", name=CHECK).click()
    expect(spectrum).to_contain_text("Order saved.")
    expect(spectrum).to_contain_text("in the wrong order")
    expect(spectrum).not_to_contain_text("Not answered yet")
    spectrum.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "lesson-2-spectrum.png"))
