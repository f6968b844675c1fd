"""axe-core (npm) in headless Chromium against WCAG 2.1 A and AA (tags wcag2a, wcag2aa,
wcag21a, wcag21aa), on what a student and an instructor read:

- a lesson of the static site (``canvastools site``), in English and in Italian, and its index;
- a real feedback page (``nbgrader generate_feedback`` of the quickstart demo course);
- the class report (``canvastools report`` of the same course);
- lesson 2 open in JupyterLab, after Run All: its exercises answered with the keyboard alone
  (Tab to a choice, Space chooses it, the answer is saved to the answer file).

No violation may come from canvastools's own markup. In JupyterLab, only the cells' outputs
are canvastools's: JupyterLab's own interface (menus, toolbars, side panels, the cells' input
editors and prompts) is left out with its selectors in ``JUPYTERLAB_OWN``.

axe-core is installed by scripts/test.sh (npm) into ~/.cache/canvastools/axe (or give its
axe.min.js in $CANVASTOOLS_AXE); without npm the test is skipped and says so. Screenshots go
to test-artifacts/ (look at them: contrast changes must still look good).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from jupyter_page import ARTIFACTS, run_all, wait_for_answers, wait_idle

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "nbgrader"))
from nbg_helpers import check_release  # noqa: E402  (the real nbgrader commands)

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
COURSE = REPO / "course"
DEMO_CASES = REPO / "tests" / "nbgrader" / "data" / "cases.yaml"
# where scripts/test.sh runs `npm install axe-core`
AXE_DIR = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "canvastools/axe"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# in JupyterLab, canvastools's markup is the lesson's text and the cells' outputs (exercises,
# figures); JupyterLab's own interface around them is left out
LESSON_CONTENT = [".jp-MarkdownOutput", ".jp-OutputArea-output"]
JUPYTERLAB_OWN = [
    "#jp-top-panel", "#jp-menu-panel", "#jp-left-stack", "#jp-right-stack",
    ".jp-SideBar", "#jp-main-statusbar", ".jp-Toolbar", ".lm-TabBar",
    ".jp-InputArea", ".jp-OutputPrompt", ".jp-Collapser", ".jp-cell-toolbar",
    ".jp-Notebook-footer", ".jp-InputCollapser", ".jp-OutputCollapser",
]


def axe_script() -> Path:
    given = os.environ.get("CANVASTOOLS_AXE")
    path = Path(given) if given else AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if not path.is_file():
        why = ("npm is missing" if shutil.which("npm") is None
               else "run `bash scripts/test.sh` once, or `npm install --prefix "
                    f"{AXE_DIR} axe-core`")
        pytest.skip(f"axe-core is not installed at {path} ({why}): the accessibility checks "
                    "need it")
    return path


def violations(page, *, include: list[str] = (), exclude: list[str] = ()) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on ``page`` (only in ``include``, if given, and
    not in ``exclude``: CSS selectors), one line per element."""
    page.add_script_tag(path=str(axe_script()))
    return page.evaluate(
        """async ([include, exclude, tags]) => {
            const context = {exclude: exclude.map(s => [s])};
            if (include.length) context.include = include.map(s => [s]);
            const result = await axe.run(context, {runOnly: {type: 'tag', values: tags}});
            return result.violations.flatMap(v => v.nodes.map(n =>
                `${v.id} (${v.impact}) at ${n.target.join(' ')}: ${n.failureSummary}`));
        }""", [list(include), list(exclude), WCAG])


def served(folder: Path) -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.RequestHandlerClass.log_message = lambda *args: None
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> Iterator[str]:
    """Lesson 2 of the site in both languages, the demo course's feedback and its report,
    all under one local web server."""
    axe_script()
    from canvastools.commands.quickstart import create_course
    from canvastools.commands.site import build_site

    out = tmp_path_factory.mktemp("pages")
    build_site(out / "site", lessons=["02-six-types.ipynb", "02-sei-tipi.ipynb"])
    course = create_course(out / "course", demo=True, cases=DEMO_CASES)
    for args in (["generate_assignment", "demo-classify", "--force"],
                 ["autograde", "demo-classify"], ["generate_feedback", "demo-classify"]):
        run = check_release.nbgrader(*args, cwd=course)
        assert run.returncode == 0, run.stdout + run.stderr
    run = subprocess.run([sys.executable, "-m", "canvastools.cli", "report", "demo-classify",
                          "-o", str(out / "report.html")], cwd=course, capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    yield from served(out)


@pytest.mark.parametrize("width", [1280, 480])  # a laptop, a phone (code must not scroll)
@pytest.mark.parametrize("path", [
    "site/02-six-types.html", "site/02-sei-tipi.html", "site/index.html",
    "course/feedback/ben/demo-classify/demo-classify.html", "report.html"])
def test_page_has_no_wcag_violation(pages, browser_page, path, width):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(f"{pages}/{path}")
    page.wait_for_load_state("load")
    found = violations(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"a11y-{Path(path).stem}-{width}.png"), full_page=True)
    # (nbconvert's templates ask a CDN for MathJax and require.js: blocked here, not needed)
    assert found == [], "\n".join(found)
    if "sei-tipi" in path:  # the page says which language it is in
        assert page.evaluate("() => document.documentElement.lang") == "it"


@pytest.mark.parametrize("jupyter", ["lab"], indirect=True)
def test_lesson_in_jupyterlab_answered_with_the_keyboard(jupyter, browser_page):
    page = browser_page
    axe_script()
    shutil.copytree(COURSE / "data", jupyter.root / "data")
    name = "02-six-types-a11y.ipynb"
    shutil.copy(COURSE / "02-six-types.ipynb", jupyter.root / name)
    page.goto(jupyter.page_url(name))
    wait_idle(page)
    run_all(page)
    page.wait_for_function(
        "() => document.querySelectorAll('.canvastools-exercise').length === 3")
    wait_idle(page)
    page.wait_for_timeout(500)

    # keyboard only: focus the first card's first choice, Tab to the third, Space chooses it
    transfer = page.locator(".canvastools-exercise").nth(1)
    card = transfer.locator(".canvastools-item").first
    radios = card.get_by_role("radio")
    assert radios.count() == 6
    radios.first.focus()
    for _ in range(2):
        page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.labels[0].innerText.trim()")
    page.keyboard.press("Space")
    chosen = card.get_by_role("radio", checked=True)
    assert chosen.count() == 1 and chosen.evaluate("e => e.labels[0].innerText.trim()") == (
        focused)
    assert page.evaluate("() => document.activeElement.checked")  # the focus stayed on it
    item = card.get_attribute("class").split("canvastools-item-")[-1].split()[0]
    sidecar = jupyter.root / "canvastools_answers.json"
    wait_for_answers(page, sidecar, lambda data: any(
        item in exercise["answer"] for exercise in data["exercises"].values()),
        f"an answer for {item}")

    # the lesson's drawings say what they show: the spectrum's types, in the drawing
    figures = page.locator(".jp-OutputArea-output img")
    assert figures.count() >= 1
    alts = [figures.nth(i).get_attribute("alt") or "" for i in range(figures.count())]
    assert all("Personal assistance" in alt for alt in alts), alts
    ARTIFACTS.mkdir(exist_ok=True)
    figures.first.scroll_into_view_if_needed()
    figures.first.screenshot(path=str(ARTIFACTS / "a11y-lesson-2-figure.png"))

    # axe on the lesson: nothing from canvastools's outputs (JupyterLab's own UI left out)
    found = violations(page, include=LESSON_CONTENT, exclude=JUPYTERLAB_OWN)
    ARTIFACTS.mkdir(exist_ok=True)
    card.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "a11y-lesson-2-jupyterlab.png"))
    assert found == [], "\n".join(found)
    json.loads(sidecar.read_text())  # the file is whole
