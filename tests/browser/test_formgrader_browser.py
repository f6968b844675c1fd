"""Grading by hand in nbgrader's formgrader (JupyterLab 4, nbgrader 0.9.6), in headless Chromium.

A temporary course made from the repository's classify-cases and design-relationships
assignments, two submissions written through the widgets' Python API and autograded with the
real `nbgrader autograde`. The instructor opens Nbgrader > Formgrader, the manual grading view
of the design submission (drawn, with its checks), the per-item view of a classification, enters
manual points and a comment, and `nbgrader export` / `generate_feedback` include them.
Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import csv
import re
import shutil
import sys
import time
from pathlib import Path

import pytest
from jupyter_page import ARTIFACTS
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "nbgrader"))


def _server_helpers():
    """This folder's conftest (server start and stop), under a name of its own."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("browser_servers",
                                                  Path(__file__).parent / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module._start_server, module._stop


_start_server, _stop = _server_helpers()
import nbg_submissions as submissions  # noqa: E402
from nbg_helpers import check_release  # noqa: E402

ASSIGNMENTS = ("classify-cases", "design-relationships")
COMMENT = "Clear link between the account manager and the sales channel."
NO_OVERFLOW = """() => {
    const doc = document.documentElement;
    const wide = [...document.querySelectorAll('.canvastools-result, .rendered_html table')]
        .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.className || e.tagName);
    return {page: doc.scrollWidth - doc.clientWidth, wide};
}"""


BROKEN_WORDS = """() => {
    // words of the canvastools tables drawn over two lines ("GlaxoSmit" / "hKline")
    const broken = [];
    for (const cell of document.querySelectorAll('table.canvastools-table td')) {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const word of node.data.matchAll(/[^\\s\\-\\/]+/g)) {
                const range = document.createRange();
                range.setStart(node, word.index);
                range.setEnd(node, word.index + word[0].length);
                const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                if (tops.size > 1) broken.push(word[0]);
            }
        }
    }
    return broken;
}"""


def _course(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    for assignment in ASSIGNMENTS:
        shutil.copytree(ROOT / "solutions" / assignment, root / "solutions" / assignment,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        run = check_release.nbgrader("generate_assignment", assignment, "--force", cwd=root)
        assert run.returncode == 0, run.stderr
    submissions.classify(root, "s03-partly", submissions.PARTLY)
    submissions.design(root, "s01-correct", submissions.DESIGN_GOOD
                       + [("Rides <b>shared</b> in the app <script>window.__injected = 1</script>",
                           "communities", ["tourists"])])
    for assignment in ASSIGNMENTS:
        run = check_release.nbgrader("autograde", assignment, "--force", cwd=root)
        assert run.returncode == 0, run.stderr
    return root


def _submission_id(course: Path, assignment: str, student: str) -> str:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return gb.find_submission_notebook(assignment, assignment, student).id


def _manual(course: Path) -> tuple[float | None, str | None]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        grade = gb.find_grade("dr-justification", "design-relationships",
                              "design-relationships", "s01-correct")
        comment = gb.find_comment("dr-justification", "design-relationships",
                                  "design-relationships", "s01-correct")
        return grade.manual_score, comment.manual_comment


@pytest.mark.browser
def test_manual_grading_in_formgrader(browser_page, tmp_path: Path):
    course = _course(tmp_path / "root")
    server = _start_server("lab", tmp_path)  # root dir and working dir: the course
    page = browser_page
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        page.set_viewport_size({"width": 1024, "height": 900})
        page.goto(f"{server.url}/lab?reset")
        page.wait_for_function("() => !!window.jupyterapp")
        # the instructor's way in: the Nbgrader menu of JupyterLab 4
        page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Formgrader$")).click()
        frame = page.frame_locator("iframe").first
        frame.get_by_role("link", name="Manual Grading").click()
        frame.get_by_role("link", name="design-relationships").first.click()
        frame.get_by_role("link", name="design-relationships").first.click()
        frame.locator("a[href*='/formgrader/submissions/']").first.click()
        frame.locator("img.canvastools-drawing").wait_for()
        page.screenshot(path=str(ARTIFACTS / "formgrader-lab-design.png"))

        # the manual grading view at 1024 px, as its own page
        design_url = f"{server.url}/formgrader/submissions/" + _submission_id(
            course, "design-relationships", "s01-correct")
        page.goto(design_url)
        drawing = page.locator("img.canvastools-drawing")
        drawing.wait_for()
        assert page.evaluate("(img) => img.complete && img.naturalWidth > 0",
                             drawing.element_handle())
        box = drawing.bounding_box()
        assert box and box["width"] > 300 and box["x"] + box["width"] <= 1024
        notes = page.locator("table.canvastools-notes")
        assert "Account manager for each company" in notes.inner_text()
        assert "<script>" in notes.inner_text()  # the student's text, shown as text
        assert page.evaluate("() => !!window.__injected") is False
        checks = page.locator("table.canvastools-checks").inner_text()
        assert checks.count("✓ done") == 3 and checks.count("1 / 1") == 3
        rubric = page.locator(".rendered_html table:not(.canvastools-table)").first
        assert rubric.locator("th").first.inner_text().strip() == "points"
        assert rubric.locator("td").first.evaluate(
            "(td) => getComputedStyle(td).borderTopStyle") == "solid"
        overflow = page.evaluate(NO_OVERFLOW)
        assert overflow == {"page": 0, "wide": []}, overflow
        page.screenshot(path=str(ARTIFACTS / "formgrader-design.png"), full_page=True)

        # manual points and a comment, saved by formgrader when the box is left
        score = page.locator("input.score#dr-justification")
        score.fill("3")
        score.press("Tab")
        comment = page.locator("textarea#dr-justification-comment")
        comment.fill(COMMENT)
        comment.press("Tab")
        deadline = time.monotonic() + 20
        while _manual(course) != (3.0, COMMENT) and time.monotonic() < deadline:
            page.wait_for_timeout(250)
        assert _manual(course) == (3.0, COMMENT)
        page.reload()
        # formgrader fills the boxes from its REST API after the page loads
        expect(page.locator("input.score#dr-justification")).to_have_value(
            "3", timeout=20_000)
        expect(page.locator("textarea#dr-justification-comment")).to_have_value(
            COMMENT, timeout=20_000)
        page.screenshot(path=str(ARTIFACTS / "formgrader-design-graded.png"), full_page=True)

        # the per-item view of a classification
        page.goto(f"{server.url}/formgrader/submissions/" + _submission_id(
            course, "classify-cases", "s03-partly"))
        rows = page.locator("tr.canvastools-item")
        rows.first.wait_for()
        marks = {rows.nth(i).get_attribute("data-item"): rows.nth(i).get_attribute(
            "data-verdict") for i in range(rows.count())}
        assert marks == {"apple-genius-bar": "right", "amex-centurion": "wrong",
                         "ryanair-checkin": "right", "spotify-discover-weekly": "right",
                         "sap-community": "wrong", "threadless": "right",
                         "nike-run-club": "partly", "starbucks-ideas": "right",
                         "boa-erica": "unanswered"}
        nike = page.locator("tr.canvastools-item[data-item='nike-run-club']").inner_text()
        assert "Nike Run Club" in nike and "partly right" in nike
        assert "0.5 / 1" in nike
        assert "5.5 of 9 points" in page.locator(".canvastools-result").inner_text()
        overflow = page.evaluate(NO_OVERFLOW)
        assert overflow == {"page": 0, "wide": []}, overflow
        assert page.evaluate(BROKEN_WORDS) == []   # "Bank of America", not "Americ a"
        page.locator(".canvastools-result").screenshot(
            path=str(ARTIFACTS / "formgrader-classify.png"))
        page.set_viewport_size({"width": 700, "height": 900})   # a half-screen window
        page.wait_for_timeout(300)
        assert page.evaluate(BROKEN_WORDS) == []
        assert page.evaluate(NO_OVERFLOW)["wide"] == []
        page.locator(".canvastools-result").screenshot(
            path=str(ARTIFACTS / "formgrader-classify-700.png"))
    finally:
        _stop(server)

    run = check_release.nbgrader("export", cwd=course)
    assert run.returncode == 0, run.stderr
    with open(course / "grades.csv", newline="") as f:
        scores = {(r["assignment"], r["student_id"]): float(r["score"])
                  for r in csv.DictReader(f)}
    assert scores[("design-relationships", "s01-correct")] == 6.0  # 3 autograded + 3 by hand
    run = check_release.nbgrader("generate_feedback", "design-relationships", cwd=course)
    assert run.returncode == 0, run.stderr
    feedback = (course / "feedback" / "s01-correct" / "design-relationships" /
                "design-relationships.html").read_text()
    assert COMMENT in feedback and "canvastools-drawing" in feedback
