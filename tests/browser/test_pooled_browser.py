"""A pooled graded exercise in a real browser (issue 20): the student types their id once,
sees their own items (and only those), answers, restarts the kernel, and is not asked again.
"""

from __future__ import annotations

import json

import pytest
from jupyter_page import command, run_all, wait_for_answers, wait_idle

from canvastools.model.variants import variant

pytestmark = pytest.mark.browser

POOL = ["corner-bakery", "self-checkout", "wealth-manager", "music-playlist", "maker-forum"]


@pytest.mark.parametrize("jupyter", ["lab"], indirect=True)
def test_a_student_types_their_id_once_and_answers_their_own_items(jupyter, browser_page):
    page = browser_page
    notebook = jupyter.copy_notebook("pooled_graded.ipynb")
    page.goto(jupyter.page_url(notebook))
    wait_idle(page, jupyter.flavour)
    run_all(page)

    prompt = page.locator(".canvastools-student-prompt")
    prompt.wait_for(state="visible")
    assert page.locator(".canvastools-item").count() == 0     # no items before the id
    prompt.locator("input").fill("ada")
    prompt.get_by_role("button", name="Show my items").click()

    mine = variant(POOL, 2, assignment="browser-pool", exercise="browser-pool", student="ada")
    page.get_by_text("Your own 2 of 5 items (student id: ada).").wait_for(state="visible")
    cards = page.locator(".canvastools-item")
    cards.first.wait_for(state="visible")
    assert cards.count() == 2
    for index, case_id in enumerate(mine):   # the student's items, in the student's order
        assert f"canvastools-item-{case_id}" in cards.nth(index).get_attribute("class")
    page.locator(f".canvastools-item-{mine[0]}").get_by_role(
        "radio", name="Self-service", exact=True).click()

    sidecar = jupyter.root / "canvastools_answers.json"
    wait_for_answers(page, sidecar, lambda data: data["exercises"]["browser-pool"]["answer"]
                     == {mine[0]: ["self_service"]}, {mine[0]: ["self_service"]})
    assert json.loads(sidecar.read_text())["exercises"]["browser-pool"]["student"] == "ada"

    # a restart and "run all": the id is read back with the answers; no question this time
    command(page, "notebook:restart-clear-output")
    accept = page.locator(".jp-Dialog .jp-mod-accept")
    accept.wait_for(state="visible")
    accept.click()
    page.locator(".canvastools-item").first.wait_for(state="detached")
    wait_idle(page, jupyter.flavour)
    run_all(page)
    page.get_by_text("Your own 2 of 5 items (student id: ada).").wait_for(state="visible")
    assert page.locator(".canvastools-student-prompt").count() == 0
    chosen = page.locator(f".canvastools-item-{mine[0]}").get_by_role("radio", checked=True)
    chosen.wait_for(state="visible")  # the saved choice is checked again
    assert chosen.evaluate("e => e.labels[0].innerText.trim()") == "Self-service"
