"""A student's payload, graded by the real pipeline, opened in formgrader by the instructor.

A course with ``tamper-mixed`` (a widget quiz, a manually graded answer, a code answer with a
plain hidden test, so the notebook runs in the sandbox). One student's notebook displays plain
text with a ``display_id`` and then updates it, raw, with ``text/html`` holding ``<img onerror>``
and ``<script>`` that would open a terminal; shows an image whose output metadata names a
remote host; writes a ``javascript&#58;`` link in the marked answer; and writes honest text
(``if staff < 1``, ``$n<1$``). ``nbgrader autograde`` grades it; the instructor (a server without
a token: every request of the page is the instructor's) opens the submission in formgrader in
headless Chromium and clicks the link. No script runs, no terminal opens, nothing is requested
off 127.0.0.1, the honest text reads as written, and the code answer keeps its marks.
"""

from __future__ import annotations

import base64
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_page import ARTIFACTS

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "nbgrader"))

from nbg_helpers import check_release  # noqa: E402
from test_formgrader_browser import _server_helpers, _submission_id  # noqa: E402

_start_server, _stop = _server_helpers()
ASSIGNMENT = "tamper-mixed"
STUDENT = "mallory"
ATTACKER = "198.51.100.7"  # TEST-NET-2: never a real host
# formgrader's own page template loads MathJax from this CDN (nbgrader's setting, not a
# student's doing; blocked here, so maths shows as written): docs/grading-security.md
FORMGRADERS_MATHJAX = "https://cdnjs.cloudflare.com/ajax/libs/mathjax/"
OPEN_TERMINAL = "fetch('/api/terminals',{method:'POST'})"
PAYLOAD = (f'<img src=x onerror="window.__pwned=1;{OPEN_TERMINAL}">'
           f"<script>window.__pwned=2;{OPEN_TERMINAL}</script>"
           f'<img src="http://{ATTACKER}/pixel.gif"><b>Updated honestly</b>')
PNG = base64.b64encode((ROOT / "tests" / "baseline_images").glob("*.png").__next__()
                       .read_bytes()).decode()
ATTACK = f"""from IPython.display import display, update_display
display({{'text/plain': 'loading'}}, raw=True, display_id='status')
update_display({{'text/plain': 'done', 'text/html': {PAYLOAD!r}}}, raw=True, display_id='status')
display({{'image/png': {PNG!r}, 'text/plain': 'chart'}}, raw=True, metadata={{
    'filenames': {{'image/png': 'http://{ATTACKER}/track.png'}},
    'url': 'http://{ATTACKER}/u', 'image/png': {{'width': 120}}}})
print('if staff < 1 then escalate & call')"""
ANSWER = (f"QuickPark drivers serve themselves: see [my notes](javascript&#58;{OPEN_TERMINAL})."
          "\n\nIf staff < 1 per site, maths $n<1$ & costs fall.")


def _course(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(ROOT / "tests" / "nbgrader" / "data" / ASSIGNMENT,
                    root / "solutions" / ASSIGNMENT)
    run = check_release.nbgrader("generate_assignment", ASSIGNMENT, "--force", cwd=root)
    assert run.returncode == 0, run.stderr
    nb = nbformat.read(root / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]
    nb.cells[ids.index("tm-code")].source = "def loyalty_points(amount):\n" \
                                            "    return int(amount // 10)"
    nb.cells[ids.index("tm-explain")].source = ANSWER
    nb.cells.insert(ids.index("tm-code") + 1, nbformat.v4.new_code_cell(ATTACK))
    folder = root / "submitted" / STUDENT / ASSIGNMENT
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{ASSIGNMENT}.ipynb")
    run = check_release.nbgrader("autograde", ASSIGNMENT, "--force", cwd=root)
    assert run.returncode == 0, run.stderr
    return root


@pytest.mark.browser
@pytest.mark.skipif(shutil.which("bwrap") is None, reason="the notebook runs under bubblewrap")
def test_a_student_payload_runs_nothing_in_formgrader(browser_page, tmp_path: Path):
    course = _course(tmp_path / "root")
    graded = nbformat.read(course / "autograded" / STUDENT / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                           as_version=4)
    assert "Updated honestly" in nbformat.writes(graded)  # the update went through nbclient
    server = _start_server("lab", tmp_path)
    page = browser_page
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        page.set_viewport_size({"width": 1024, "height": 900})
        page.goto(f"{server.url}/formgrader/submissions/"
                  + _submission_id(course, ASSIGNMENT, STUDENT))
        page.locator("b", has_text="Updated honestly").wait_for()
        page.wait_for_load_state("networkidle")
        text = page.locator("body").inner_text()
        assert "if staff < 1 then escalate & call" in text
        assert "If staff < 1 per site" in text and "& costs fall" in text
        assert "&lt;" not in text and "&amp;" not in text
        link = page.locator("a", has_text="my notes")
        assert link.get_attribute("href") in (None, "#harmful-link")
        link.click()
        page.wait_for_timeout(1000)
        page.screenshot(path=str(ARTIFACTS / "formgrader-student-payload.png"), full_page=True)
        assert page.evaluate("() => window.__pwned") is None
        assert server.api("GET", "/api/terminals") == []
        off_machine = [u for u in requests + page.blocked_requests  # type: ignore[attr-defined]
                       if not u.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:",
                                            "blob:", FORMGRADERS_MATHJAX))]
        assert off_machine == [], off_machine
        assert not any(ATTACKER in u for u in requests)
    finally:
        _stop(server)
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        grade = gb.find_grade("tm-code-test", ASSIGNMENT, ASSIGNMENT, STUDENT)
        assert grade.auto_score == grade.max_score  # the honest part keeps its marks
