"""A course on a real JupyterHub, end to end, with two students in headless Chromium.

The instructor (a system user) makes a course with ``canvastools quickstart``, generates and
releases the demo assignment through nbgrader's exchange; each student logs in to the hub with
their system password, fetches the assignment from the Assignments tab, answers with the
widgets (Ben after restarting the kernel), saves and submits; the instructor collects,
autogrades with ``canvastools autograde``, generates and releases feedback; each student
fetches their feedback and sees their own marks only; no student can read another's work or
the instructor's ``source/``. The hub is docs/hub/jupyterhub_config.py (see hub_setup.py).
"""

from __future__ import annotations

import json
import re
import shutil
import stat
from pathlib import Path

from chromium import CHROMIUM_FLAGS, localhost_only
from hub_setup import CHROMIUM, Hub

ASSIGNMENT = "demo-classify"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
COURSE_ID = "bmc-relationships"
SHOTS = Path("/tmp/hub-shots")
# what each student answers (case id -> button label) and how it is marked
ANSWERS = {
    "ada": {"private-banking": "Dedicated personal assistance", "ikea": "Self-service"},
    "ben": {"private-banking": "Self-service", "ing-direct": "Automated services"},
}
# each student's feedback: their score and rows of the per-item table (item, answer, mark,
# points), their own answers only
FEEDBACK = {
    "ada": ["Score: 2.0 / 8.0", "Private banks Dedicated personal assistance ✓ right 1 / 1",
            "IKEA Self-service ✓ right 1 / 1", "ING Direct – – not answered 0 / 1"],
    "ben": ["Score: 1.0 / 8.0", "Private banks Self-service ✗ not right 0 / 1",
            "ING Direct Automated services ✓ right 1 / 1", "IKEA – – not answered 0 / 1"],
}
# the feedback page of nbconvert's template asks a CDN for MathJax (blocked, not needed)
EXPECTED_BLOCKED = "https://cdnjs.cloudflare.com/ajax/libs/mathjax/"
IDLE = """() => {
    const widget = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const ctx = widget && widget.sessionContext;
    const bar = document.querySelector('#jp-main-statusbar');
    return !!ctx && !!ctx.session && !!ctx.session.kernel && !ctx.isRestarting
        && ctx.session.kernel.connectionStatus === 'connected'
        && ctx.session.kernel.status === 'idle' && !!bar && bar.innerText.includes('Idle');
}"""


def nickname(hub: Hub, user: str) -> str:
    return user[-3:]


def instructor(hub: Hub, *args: str) -> str:
    """An nbgrader or canvastools command as the instructor, in the course folder."""
    done = hub.as_user(hub.instructor, "-m", *args, cwd=hub.home(hub.instructor) / "course")
    assert done.returncode == 0, f"{args}:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def command(page, name: str) -> None:
    page.evaluate("(name) => { window.jupyterapp.commands.execute(name); }", name)


def wait_idle(page) -> None:
    page.wait_for_function("() => !!window.jupyterapp")
    page.wait_for_function(IDLE)


def log_in(context, hub: Hub, user: str):
    page = context.new_page()
    page.set_default_timeout(90_000)
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", hub.password)
    page.click("#login_submit")
    return wait_for_lab(page, user)


def wait_for_lab(page, user: str):
    page.wait_for_url(f"**/user/{user}/lab**")  # the hub started their server, as them
    page.wait_for_function("() => !!window.jupyterapp")
    page.wait_for_selector("#jp-main-statusbar")
    return page


def back_to_lab(context, hub: Hub, user: str):
    """A new tab of a student who is logged in: the hub sends them to their server."""
    page = context.new_page()
    page.set_default_timeout(90_000)
    page.goto(f"{hub.url}/user/{user}/lab?reset")  # not the layout JupyterLab saved
    return wait_for_lab(page, user)


def assignments_tab(page):
    command(page, "nbgrader:open-assignment-list")
    page.wait_for_function("() => { const w = window.jupyterapp.shell.currentWidget;"
                           " return !!w && w.title.label === 'Assignments'; }")
    page.locator("#released_assignments_list").wait_for(state="visible")


def answer(page, case_id: str, label: str) -> None:
    card = page.locator(f".canvastools-item-{case_id}")
    card.get_by_role("radio", name=label, exact=True).click()  # each choice is a radio button
    card.get_by_role("radio", name=label, exact=True, checked=True).wait_for(state="visible")


def answers_file(hub: Hub, user: str) -> Path:
    return hub.home(user) / COURSE_ID / ASSIGNMENT / "canvastools_answers.json"


def wait_saved(page, hub: Hub, user: str, expected: dict[str, str]) -> None:
    """Poll the student's answer file (as root) until it holds ``expected``'s cases."""
    path = answers_file(hub, user)
    for _ in range(100):
        try:
            saved = json.loads(path.read_text())["exercises"][ASSIGNMENT]["answer"]
            if all(k in saved for k in expected):
                return
        except (OSError, ValueError, KeyError):
            pass
        page.wait_for_timeout(200)
    raise AssertionError(f"{path} never held {sorted(expected)}")


def student_session(context, hub: Hub, user: str, shots: Path, restart: bool) -> None:
    """Log in, fetch, open, answer (restarting the kernel half-way if ``restart``), save,
    submit from the Assignments tab."""
    who = nickname(hub, user)
    page = log_in(context, hub, user)
    assignments_tab(page)
    released = page.locator("#released_assignments_list .list_item", has_text=ASSIGNMENT)
    released.wait_for(state="visible")
    page.screenshot(path=str(shots / f"{who}-assignments-released.png"))
    released.get_by_role("button", name="Fetch").click()
    fetched = page.locator("#fetched_assignments_list .list_item", has_text=ASSIGNMENT)
    fetched.first.wait_for(state="visible")
    page.screenshot(path=str(shots / f"{who}-assignments-fetched.png"))
    # open the notebook from the tab: expand the assignment, click the notebook
    links = page.locator("#fetched_assignments_list a").filter(
        has_text=re.compile(f"^{ASSIGNMENT}$"))
    links.first.click()
    links.nth(1).click()  # the notebook's row (named like the assignment) opens it
    wait_idle(page)
    command(page, "notebook:run-all-cells")
    cases = list(ANSWERS[who].items())
    answer(page, *cases[0])
    wait_saved(page, hub, user, dict(cases[:1]))
    if restart:
        command(page, "notebook:restart-clear-output")
        accept = page.locator(".jp-Dialog .jp-mod-accept")
        accept.click()
        page.locator(".canvastools-item").first.wait_for(state="detached")
        wait_idle(page)
        command(page, "notebook:run-all-cells")
        # the first answer is shown again after the restart
        page.locator(f".canvastools-item-{cases[0][0]}").get_by_role(
            "radio", name=cases[0][1], exact=True, checked=True).wait_for(state="visible")
    answer(page, *cases[1])
    wait_saved(page, hub, user, dict(cases))
    page.locator(f".canvastools-item-{cases[1][0]}").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / f"{who}-widget.png"))
    command(page, "docmanager:save")
    page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty")
    # submit from the Assignments tab
    assignments_tab(page)
    page.locator("#fetched_assignments_list .list_item", has_text=ASSIGNMENT).first \
        .get_by_role("button", name="Submit").click()
    page.locator("#submitted_assignments_list .list_item", has_text=ASSIGNMENT) \
        .first.wait_for(state="visible")
    page.screenshot(path=str(shots / f"{who}-submitted.png"))
    page.close()


def test_a_course_on_jupyterhub(hub: Hub, tmp_path: Path):
    from playwright.sync_api import sync_playwright

    shots = tmp_path / "shots"
    shots.mkdir()
    ins = hub.instructor
    course = hub.home(ins) / "course"
    made = hub.as_user(ins, "-m", "canvastools.cli", "quickstart", str(course))
    assert made.returncode == 0, made.stderr
    config = course / "nbgrader_config.py"
    config.write_text(config.read_text().replace('course_id="canvastools-course"',
                                                  f'course_id="{COURSE_ID}"'))
    # 1. the instructor generates and releases the assignment through the exchange
    instructor(hub, "nbgrader", "generate_assignment", ASSIGNMENT, "--force")
    instructor(hub, "nbgrader", "release_assignment", ASSIGNMENT)
    assert (hub.exchange / COURSE_ID / "outbound" / ASSIGNMENT / NOTEBOOK).is_file()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=CHROMIUM_FLAGS)
        blocked: list[str] = []

        contexts = {}
        try:
            for user in hub.students:
                context = browser.new_context(viewport={"width": 1280, "height": 1000})
                context.route("**/*", localhost_only(blocked))
                contexts[user] = context
            # 2. each student fetches, answers, saves and submits in their own browser
            for user, restart in zip(hub.students, (False, True), strict=True):
                student_session(contexts[user], hub, user, shots, restart)

            # 3. the instructor collects, autogrades, makes and returns feedback
            instructor(hub, "nbgrader", "collect", ASSIGNMENT)
            for user in hub.students:
                assert (course / "submitted" / user / ASSIGNMENT / "canvastools_answers.json"
                        ).is_file()
            instructor(hub, "canvastools.cli", "autograde", ASSIGNMENT, "--jobs", "1")
            instructor(hub, "nbgrader", "generate_feedback", ASSIGNMENT)
            instructor(hub, "nbgrader", "release_feedback", ASSIGNMENT)
            # the exchange's folders have the modes docs/jupyterhub.md describes
            modes = {name: stat.S_IMODE((hub.exchange / COURSE_ID / name).stat().st_mode)
                     for name in ("outbound", "inbound", "feedback")}
            assert modes == {"outbound": 0o755, "inbound": 0o2733, "feedback": 0o711}, modes
            assert stat.S_IMODE(hub.exchange.stat().st_mode) == 0o1777

            # 4. each student fetches their feedback from the Assignments tab
            for user in hub.students:
                fetch_feedback(contexts[user], hub, user, shots)
            # 5. nobody reads another's work or the instructor's source/
            ada, ben = hub.students
            no_peeking(hub, contexts[ada], ada, ben)
            no_peeking(hub, contexts[ben], ben, ada)
        except Exception:
            SHOTS.mkdir(exist_ok=True)  # what each student's browser showed when it failed
            for user, context in contexts.items():
                for index, page in enumerate(context.pages):
                    page.screenshot(path=str(SHOTS / f"FAILED-{user[-3:]}-{index}.png"))
            raise
        finally:
            for context in contexts.values():
                context.close()
            browser.close()
            SHOTS.mkdir(exist_ok=True)
            for shot in shots.iterdir():
                shutil.copy(shot, SHOTS / shot.name)
    unexpected = [url for url in blocked if not url.startswith(EXPECTED_BLOCKED)]
    assert not unexpected, f"requests to other hosts: {unexpected[:5]}"


def fetch_feedback(context, hub: Hub, user: str, shots: Path) -> None:
    who = nickname(hub, user)
    page = back_to_lab(context, hub, user)
    assignments_tab(page)
    submitted = page.locator("#submitted_assignments_list .list_item", has_text=ASSIGNMENT)
    submitted.first.get_by_role("button", name="Fetch Feedback").click()
    submitted.first.get_by_text("view feedback").wait_for(state="visible")
    page.screenshot(path=str(shots / f"{who}-feedback-fetched.png"))
    feedback = sorted((hub.home(user) / COURSE_ID / ASSIGNMENT / "feedback").glob(
        f"*/{ASSIGNMENT}.html"))
    assert len(feedback) == 1, feedback
    relative = feedback[0].relative_to(hub.home(user))
    shutil.copy(feedback[0], shots / f"{who}-feedback.html")
    page.goto(f"{hub.url}/user/{user}/files/{relative}")
    page.locator("table", has_text="Private banks").last.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / f"{who}-feedback.png"))
    shown = " ".join(page.inner_text("body").split())
    for row in FEEDBACK[who]:
        assert row in shown, (row, shown[-1500:])
    others = [u for u in (*hub.students, hub.instructor) if u != user]
    page_html = feedback[0].read_text()
    assert not any(name in page_html for name in others)
    assert "BEGIN HIDDEN TESTS" not in page_html and "grade_classification(" not in page_html
    page.close()


CONTENTS = """async (path) => {
    // as JupyterLab does: the page's cookie and its XSRF token
    const xsrf = (document.cookie.match(/(?:^|; )_xsrf=([^;]*)/) || [])[1] || '';
    const response = await fetch(path, {credentials: 'same-origin',
                                        headers: {'X-XSRFToken': decodeURIComponent(xsrf)}});
    return {status: response.status, url: response.url, body: await response.text()};
}"""


def no_peeking(hub: Hub, context, user: str, other: str) -> None:
    """``user`` tries to read ``other``'s answers and the instructor's source/: as their
    system user (cat, ls), and through their own server's contents API, also by a symlink."""
    course = hub.home(hub.instructor) / "course"
    theirs = answers_file(hub, other)
    source = course / "source" / ASSIGNMENT / NOTEBOOK
    assert theirs.is_file() and source.is_file()
    for target in (theirs, source, course / "gradebook.db",
                   course / "submitted" / other / ASSIGNMENT / "canvastools_answers.json"):
        read = hub.shell_as(user, "cat", str(target))
        assert read.returncode != 0 and "Permission denied" in read.stderr, (target, read)
    for folder in (hub.home(other), course / "source",
                   hub.exchange / COURSE_ID / "inbound", hub.exchange / COURSE_ID / "feedback"):
        listed = hub.shell_as(user, "ls", str(folder))
        assert listed.returncode != 0 and "Permission denied" in listed.stderr, (folder, listed)
    for name, target in (("peek-source", course / "source"), ("peek-other", hub.home(other))):
        made = hub.shell_as(user, "ln", "-sfn", str(target), str(hub.home(user) / name))
        assert made.returncode == 0, made.stderr

    page = back_to_lab(context, hub, user)
    mine = page.evaluate(CONTENTS, f"/user/{user}/api/contents/{COURSE_ID}/{ASSIGNMENT}")
    assert mine["status"] == 200 and "canvastools_answers.json" in mine["body"]  # it works
    for path in (f"/user/{other}/api/contents/{COURSE_ID}/{ASSIGNMENT}",
                 f"/user/{other}/files/{COURSE_ID}/{ASSIGNMENT}/canvastools_answers.json",
                 f"/user/{user}/api/contents/peek-source/{ASSIGNMENT}/{NOTEBOOK}",
                 f"/user/{user}/api/contents/peek-source",
                 f"/user/{user}/api/contents/peek-other/{COURSE_ID}",
                 f"/user/{user}/api/contents/..%2F{other}",
                 f"/user/{user}/api/contents/%2E%2E/{hub.instructor}/course/source"):
        got = page.evaluate(CONTENTS, path)
        assert got["status"] != 200 or f"/user/{user}/" not in got["url"] and \
            "content" not in got["body"], (path, got["status"], got["url"], got["body"][:300])
        assert "BEGIN HIDDEN TESTS" not in got["body"] and '"answer"' not in got["body"], path
    page.close()
