"""The answers travel inside the notebook: after answering in JupyterLab and saving, the .ipynb
on disk carries the copy of the saved answers (an output updated on each save, which the
frontend saves with the notebook), so a notebook uploaded alone can be graded."""

from __future__ import annotations

import json
import time

import pytest
from jupyter_page import command, run_all, wait_for_answers, wait_idle

from canvastools.answers.copies import COPY_MIME

pytestmark = pytest.mark.browser


def copies_on_disk(path) -> list[dict]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [output["data"][COPY_MIME] for cell in nb["cells"]
            for output in cell.get("outputs", []) if COPY_MIME in output.get("data", {})]


@pytest.mark.parametrize("jupyter", ["lab"], indirect=True)
def test_the_saved_notebook_carries_the_answers(jupyter, browser_page):
    page = browser_page
    notebook = jupyter.copy_notebook("classify_practice.ipynb")
    page.goto(jupyter.page_url(notebook))
    wait_idle(page, jupyter.flavour)
    run_all(page)
    for case_id, label in {"corner-bakery": "Personal assistance",
                           "self-checkout": "Self-service"}.items():
        target = page.locator(f".canvastools-item-{case_id}").get_by_role(
            "radio", name=label, exact=True)  # each choice is a radio button
        target.wait_for(state="visible")
        target.click()
    expected = {"corner-bakery": ["personal_assistance"], "self-checkout": ["self_service"]}
    wait_for_answers(page, jupyter.root / "canvastools_answers.json",
                     lambda data: data["exercises"]["browser-classify"]["answer"] == expected,
                     expected)
    page.wait_for_timeout(500)  # the last update_display_data reaches the page
    command(page, "docmanager:save")
    path = jupyter.root / notebook
    deadline = time.monotonic() + 20
    found: list[dict] = []
    while time.monotonic() < deadline:
        found = copies_on_disk(path)
        if found and found[-1].get("answer") == expected:
            break
        page.wait_for_timeout(250)
    assert found, "the saved notebook has no copy of the answers"
    copy = found[-1]
    assert copy["answer"] == expected
    assert copy["exercise"] == "browser-classify" and copy["kind"] == "classify"
    assert "types" not in json.dumps(copy)  # only what the student answered, no key
