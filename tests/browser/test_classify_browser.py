"""A student answers a ClassifyCases exercise in a real browser, restarts the kernel, runs all
again, and finds the answers selected again (read back from canvastools_answers.json).

Runs in JupyterLab and in Notebook 7.
"""

from __future__ import annotations

import json

import pytest
from jupyter_page import ARTIFACTS, command, run_all, wait_for_answers, wait_idle

pytestmark = pytest.mark.browser

CHOICES = {"corner-bakery": "Personal assistance", "self-checkout": "Self-service"}


def button(page, case_id: str, label: str):
    """A type of a card: a radio button (a screen reader says whether it is chosen)."""
    return page.locator(f".canvastools-item-{case_id}").get_by_role(
        "radio", name=label, exact=True)


def chosen(page, case_id: str):
    """The chosen type of a card: its checked radio button."""
    return page.locator(f".canvastools-item-{case_id}").get_by_role("radio", checked=True)


def chosen_name(page, case_id: str) -> str:
    return chosen(page, case_id).evaluate("e => e.labels[0].innerText.trim()")


# the focused control's text: a radio button's or checkbox's label, else its own text
FOCUSED_TEXT = """() => { const e = document.activeElement; if (!e) return '';
    return ((e.labels && e.labels.length) ? e.labels[0].innerText : (e.innerText || '')).trim();
}"""


def wait_for_file(page, path, expected: dict) -> dict:
    """Wait until the answer file holds ``expected`` (item -> types) for the exercise."""
    def done(data: dict) -> bool:
        answer = data["exercises"]["browser-classify"]["answer"]
        return all(answer.get(k) == v for k, v in expected.items())

    return wait_for_answers(page, path, done, expected)


def test_answers_survive_a_kernel_restart(jupyter, browser_page):
    page = browser_page
    notebook = jupyter.copy_notebook("classify_practice.ipynb")
    page.goto(jupyter.page_url(notebook))
    wait_idle(page, jupyter.flavour)
    run_all(page)

    # answer like a student: click a type button on two cards
    for case_id, label in CHOICES.items():
        target = button(page, case_id, label)
        target.wait_for(state="visible")
        target.click()
    sidecar = jupyter.root / "canvastools_answers.json"
    expected = {"corner-bakery": ["personal_assistance"], "self-checkout": ["self_service"]}
    wait_for_file(page, sidecar, expected)
    page.get_by_text("2 of 3 answered").first.wait_for(state="visible")

    # restart the kernel and clear the outputs (accept the dialog), then run all again
    command(page, "notebook:restart-clear-output")
    accept = page.locator(".jp-Dialog .jp-mod-accept")
    accept.wait_for(state="visible")
    accept.click()
    page.locator(".canvastools-item").first.wait_for(state="detached")
    wait_idle(page, jupyter.flavour)
    run_all(page)

    for case_id, label in CHOICES.items():
        active = chosen(page, case_id)
        active.wait_for(state="visible")
        assert active.count() == 1
        assert chosen_name(page, case_id) == label
    page.get_by_text("2 of 3 answered").first.wait_for(state="visible")
    none_chosen = page.locator(".canvastools-item-fan-flavours input[type=checkbox]:checked")
    assert none_chosen.count() == 0

    data = json.loads(sidecar.read_text())
    assert data["format"] == "canvastools-answers" and data["version"] == 1
    assert data["exercises"]["browser-classify"]["answer"] == expected
    assert data["exercises"]["browser-classify"]["kind"] == "classify"

    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".canvastools-exercise").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"classify-{jupyter.flavour}-ok.png"))


def test_keyboard_answers_come_back_after_closing_the_browser(jupyter, browser_page):
    """Answer with the keyboard only, close the tab and shut the kernel down (the student
    goes home), then open the notebook in a new tab and run it: every answer is shown again."""
    page = browser_page
    notebook = jupyter.copy_notebook("classify_practice.ipynb")
    page.goto(jupyter.page_url(notebook))
    wait_idle(page, jupyter.flavour)
    run_all(page)

    target = button(page, "corner-bakery", "Personal assistance")
    target.wait_for(state="visible")
    target.focus()
    page.keyboard.press("Space")
    # the focus stays on the chosen radio button (the radios are not redrawn), now checked
    page.wait_for_function(f"() => ({FOCUSED_TEXT})() === 'Personal assistance' "
                           "&& document.activeElement.checked", timeout=5_000)
    assert page.evaluate("() => !!document.activeElement.closest('.canvastools-choice')")
    page.keyboard.press("Tab")  # on to the next type of the same card
    assert page.evaluate(FOCUSED_TEXT) == "Self-service"
    assert page.evaluate("() => !!document.activeElement.closest('.canvastools-item-corner-"
                         "bakery')")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(FOCUSED_TEXT) == "Personal assistance"
    assert page.evaluate("() => document.activeElement.checked")
    for label in ("Co-creation", "Communities"):
        box = page.locator(".canvastools-item-fan-flavours").get_by_label(label, exact=True)
        box.focus()
        page.keyboard.press("Space")
    sidecar = jupyter.root / "canvastools_answers.json"
    expected = {"corner-bakery": ["personal_assistance"],
                "fan-flavours": ["co_creation", "communities"]}
    wait_for_file(page, sidecar, expected)

    context = page.context
    page.close()
    jupyter.delete_sessions()  # the kernel is shut down with the session
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(jupyter.page_url(notebook))
    wait_idle(page, jupyter.flavour)
    run_all(page)

    active = chosen(page, "corner-bakery")
    active.wait_for(state="visible")
    assert chosen_name(page, "corner-bakery") == "Personal assistance"
    ticked = page.locator(".canvastools-item-fan-flavours input[type=checkbox]:checked")
    ticked.first.wait_for(state="visible")
    assert ticked.count() == 2
    page.get_by_text("2 of 3 answered").first.wait_for(state="visible")
    assert json.loads(sidecar.read_text())["exercises"]["browser-classify"]["answer"] == expected
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".canvastools-exercise").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"classify-{jupyter.flavour}-reopened.png"))
