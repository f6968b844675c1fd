"""A student answers a SpectrumOrder (cases by human contact), a MotivationMatrix and a
RelationshipDesigner with the keyboard alone in JupyterLab, restarts the kernel, runs all
again, and finds every answer shown again (read back from canvastools_answers.json). Every
control has an accessible name.

JupyterLab only: the keyboard handling of Notebook 7 is the same (both are JupyterLab's notebook
and its shortcuts), and test_classify_browser.py covers Notebook 7.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from jupyter_page import ARTIFACTS, command, wait_for_answers, wait_idle

pytestmark = pytest.mark.browser

# the focused element: its text (a checkbox: its label's, else its title) and its exercise
FOCUSED = """() => {
    const e = document.activeElement;
    const label = (e.labels && e.labels.length) ? e.labels[0].innerText.trim() : '';
    const text = label || (e.type === 'checkbox' ? e.title : (e.innerText || ''));
    const exercise = e.closest('.canvastools-exercise');
    return {text: text.trim(), tag: e.tagName.toLowerCase(), type: e.type || '',
            exercise: exercise ? [...exercise.classList].join(' ') : ''};
}"""
CONTROLS = "button, input, select, textarea, [role=slider], [role=spinbutton], [tabindex]"
SPECTRUM_RIGHT = ["banker", "help-line", "kiosk", "app"]  # the kiosk and the app tie
MOTIVES = {"free-trial": ["acquisition"], "loyalty-points": ["retention", "boosting_sales"]}
NOTE = {"text": "Repair advice in the shop", "relationship": "personal_assistance",
        "segments": ["commuters"]}
NOTE_LINE = "1. Repair advice in the shop — Personal assistance — Commuters"
FREE_TRIAL = "A streaming service offers new listeners a free month"
LOYALTY = "A supermarket card collects points on every purchase"


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def tab_to(page, text: str, kind: str, limit: int = 20) -> None:
    """Press Tab until the focus is on the control called ``text``, never leaving the
    exercise ``kind`` (a keyboard user's way through the widget)."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        assert f"canvastools-{kind}" in now["exercise"], (
            f"Tab left the {kind} exercise before reaching {text!r}: {seen + [now]}")
        if now["text"] == text:
            return
        seen.append(now["text"])
    raise AssertionError(f"{text!r} not reached with Tab in {kind}: {seen}")


def press(page, key: str, expect_text: str) -> None:
    """Press a key on the focused control; the focus stays on it (no redraw loses it)."""
    page.keyboard.press(key)
    page.wait_for_function(
        "(t) => { const e = document.activeElement; return !!e && (e.labels && e.labels.length"
        " ? e.labels[0].innerText : (e.innerText || '')).trim().endsWith(t); }", arg=expect_text,
        timeout=5_000)


def wait_for_exercises(page, path: Path, expected: dict) -> dict:
    """Wait until the answer file holds exactly ``expected`` (exercise id -> answer)."""
    def done(data: dict) -> bool:
        return {k: data["exercises"][k]["answer"] for k in expected} == expected

    return wait_for_answers(page, path, done, expected)


def assert_every_control_named(page) -> None:
    """Every focusable control in an exercise has a non-empty accessible name (what a screen
    reader says), and none is a list box or drop-down (their arrow keys move between cells)."""
    from playwright.sync_api import expect

    exercises = page.locator(".canvastools-exercise")
    assert exercises.count() == 3
    for i in range(3):
        exercise = exercises.nth(i)
        controls = exercise.locator(CONTROLS)
        assert controls.count() > 3
        for j in range(controls.count()):
            expect(controls.nth(j)).to_have_accessible_name(re.compile(r"\w"), timeout=2_000)
        for role in ("listbox", "combobox", "radiogroup"):
            assert exercise.get_by_role(role).count() == 0, role
    # the named roles a student meets: the roles Playwright's accessibility tree gives them
    spectrum = page.locator(".canvastools-spectrum")
    assert spectrum.get_by_role("button", name="▲ Move up").count() == 1
    designer = page.locator(".canvastools-designer")
    assert designer.get_by_role("textbox", name="Note").count() == 1
    assert designer.get_by_role("checkbox", name="Commuters").count() == 1
    # each box of the motivation matrix says which practice it is for, not only the motivation
    matrix = page.locator(".canvastools-motivation")
    boxes = matrix.get_by_role("checkbox")
    assert boxes.count() == 6
    names = [f"{m} ({row})" for row in (FREE_TRIAL, LOYALTY) for m in (
        "Customer acquisition", "Customer retention", "Boosting sales (upselling)")]
    for i, name in enumerate(names):
        expect(boxes.nth(i)).to_have_accessible_name(name, timeout=2_000)
    assert matrix.get_by_role("checkbox", name=f"Customer retention ({LOYALTY})",
                              exact=True).count() == 1


def answer_with_the_keyboard(page) -> None:
    # SpectrumOrder: the cases are shown; pick "Private banking" (3rd), move it up twice, check
    spectrum = page.locator(".canvastools-spectrum")
    spectrum.get_by_text("A banker of your own calls you every month.").wait_for()
    spectrum.get_by_text("▲ Most human contact").wait_for()
    spectrum.get_by_role("radio", name="3. Private banking").focus()
    press(page, "Space", "3. Private banking")  # a radio button: Space chooses it
    spectrum.get_by_text("Selected: Private banking, place 3 of 4.").wait_for()
    tab_to(page, "▲ Move up", "spectrum")
    press(page, "Enter", "▲ Move up")
    spectrum.get_by_text("place 2 of 4").wait_for()
    press(page, "Enter", "▲ Move up")
    spectrum.get_by_text("place 1 of 4").wait_for()
    tab_to(page, "Check", "spectrum")
    press(page, "Space", "Check")
    spectrum.get_by_text("✓ Right: the order runs from the most human contact to the least."
                         ).wait_for()
    spectrum.get_by_text("A person of your own, then staff on request, then nobody.").wait_for()
    spectrum.get_by_text("either order is right: Ticket kiosk = Streaming app").wait_for()

    # MotivationMatrix: acquisition for the first practice, retention + sales for the second
    matrix = page.locator(".canvastools-motivation")
    matrix.get_by_role("checkbox", name=f"Customer acquisition ({FREE_TRIAL})").focus()
    page.keyboard.press("Space")
    for _ in range(3):  # retention, sales of the first row, then the second row
        page.keyboard.press("Tab")
    assert focused(page)["text"] == f"Customer acquisition ({LOYALTY})"
    page.keyboard.press("Tab")
    assert focused(page)["text"] == f"Customer retention ({LOYALTY})"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == f"Boosting sales (upselling) ({LOYALTY})"
    page.keyboard.press("Space")
    tab_to(page, "Check", "motivation")
    press(page, "Enter", "Check")
    matrix.get_by_text("✓ Right.").nth(1).wait_for()
    matrix.get_by_text("2 of 2 right.").wait_for()

    # RelationshipDesigner: type a note, choose a type and a segment, add it
    designer = page.locator(".canvastools-designer")
    designer.get_by_role("textbox", name="Note").focus()
    page.keyboard.type(NOTE["text"])
    tab_to(page, "Personal assistance", "designer")
    press(page, "Space", "Personal assistance")
    tab_to(page, "Commuters", "designer")
    page.keyboard.press("Space")
    tab_to(page, "Add note", "designer")
    press(page, "Enter", "Add note")
    designer.get_by_role("radio", name=NOTE_LINE).wait_for()
    designer.get_by_text("1 note", exact=True).wait_for()


def assert_designer_fits_and_drawing_has_text(page) -> None:
    """The note box ends inside the exercise; the drawing's text alternative lists the notes."""
    designer = page.locator(".canvastools-designer")
    box = designer.bounding_box()
    note = designer.get_by_role("textbox", name="Note").bounding_box()
    assert note["x"] + note["width"] <= box["x"] + box["width"] + 0.5, (note, box)
    assert note["width"] > box["width"] / 2, (note, box)
    drawing = designer.get_by_role("img", name=re.compile("Repair advice in the shop"))
    drawing.wait_for()
    expect_alt = ("Drawing of the Customer Relationships block of Ciclo Verde (sample "
                  f"business). {NOTE_LINE}")
    assert drawing.get_attribute("alt") == expect_alt
    image = drawing.bounding_box()
    assert image["x"] + image["width"] <= box["x"] + box["width"] + 0.5, (image, box)


def assert_answers_shown(page) -> None:
    spectrum = page.locator(".canvastools-spectrum .canvastools-choice")
    spectrum.first.wait_for()
    import time

    deadline = time.monotonic() + 20
    shown = [t.strip() for t in spectrum.all_inner_texts()]
    while not all(shown) and time.monotonic() < deadline:  # labels render after the buttons
        page.wait_for_timeout(200)
        shown = [t.strip() for t in spectrum.all_inner_texts()]
    assert shown == ["1. Private banking", "2. Phone company", "3. Ticket kiosk",
                     "4. Streaming app"], shown
    page.locator(".canvastools-spectrum").get_by_text("Order saved.").wait_for()
    boxes = page.locator(".canvastools-motivation input[type=checkbox]")
    assert [boxes.nth(i).is_checked() for i in range(6)] == [
        True, False, False, False, True, True]
    page.locator(".canvastools-motivation").get_by_text("2 of 2 answered").wait_for()
    designer = page.locator(".canvastools-designer")
    designer.get_by_role("radio", name=NOTE_LINE).wait_for()
    designer.get_by_text("1 note", exact=True).wait_for()
    assert_designer_fits_and_drawing_has_text(page)


@pytest.mark.parametrize("jupyter", ["lab"], indirect=True)
def test_keyboard_only_answers_survive_a_kernel_restart(jupyter, browser_page):
    page = browser_page
    notebook = jupyter.copy_notebook("all_widgets_practice.ipynb")
    page.goto(jupyter.page_url(notebook))
    wait_idle(page)
    command(page, "notebook:run-all-cells")
    page.locator(".canvastools-designer .canvastools-choice").first.wait_for()
    assert_every_control_named(page)

    answer_with_the_keyboard(page)
    sidecar = jupyter.root / "canvastools_answers.json"
    expected = {"browser-spectrum": SPECTRUM_RIGHT, "browser-motives": MOTIVES,
                "browser-designer": [NOTE]}
    wait_for_exercises(page, sidecar, expected)

    # restart the kernel and clear the outputs (accept the dialog), then run all again
    command(page, "notebook:restart-clear-output")
    accept = page.locator(".jp-Dialog .jp-mod-accept")
    accept.wait_for(state="visible")
    accept.click()
    page.locator(".canvastools-exercise").first.wait_for(state="detached")
    wait_idle(page)
    command(page, "notebook:run-all-cells")
    assert_answers_shown(page)
    data = wait_for_exercises(page, sidecar, expected)
    assert {data["exercises"][k]["kind"] for k in expected} == {
        "spectrum", "motivation", "designer"}

    ARTIFACTS.mkdir(exist_ok=True)
    for kind in ("spectrum", "motivation", "designer"):
        exercise = page.locator(f".canvastools-{kind}")
        exercise.scroll_into_view_if_needed()
        exercise.screenshot(path=str(ARTIFACTS / f"all-widgets-{kind}-restored.png"))
