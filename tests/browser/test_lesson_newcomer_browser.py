"""Lesson 2 as a newcomer meets it in JupyterLab: after Run All no exercise box scrolls
sideways, the progress line says how many are answered (and, after Check, right) and is never
stale, and the spectrum never shows a verdict above "Not answered yet". A screenshot of the
lesson is kept in test-artifacts/ to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from jupyter_page import ARTIFACTS, run_all, wait_idle

pytestmark = pytest.mark.browser

COURSE = Path(__file__).resolve().parents[2] / "course"

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
    ARTIFACTS.mkdir(exist_ok=True)
    exercise = page.locator(".canvastools-exercise").nth(1)
    exercise.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "lesson-2-transfer.png"))
    over = page.evaluate(OVERFLOWING)
    assert over == [], "\n".join(over)
