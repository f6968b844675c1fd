"""The class report in headless Chromium: every image loads, nothing overflows at 1024 px.

The page is served by a local ``http.server`` on 127.0.0.1; every other request is blocked
(the page must need none). Screenshots and the page's figures go to ``test-artifacts/``.
Needs Debian's ``/usr/bin/chromium`` (``apt-get install -y chromium``).
"""

from __future__ import annotations

import base64
import functools
import http.server
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import report_classgen as gen

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
WIDTH = 1024


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """Both reports written by the CLI, served over http://127.0.0.1:PORT/."""
    cls = gen.graded_class(tmp_path_factory)
    folder = tmp_path_factory.mktemp("served")
    for assignment in (gen.SIX, gen.EIGHT):
        done = subprocess.run([sys.executable, "-m", "canvastools.cli", "report", assignment,
                               "-o", str(folder / f"{assignment}.html")], cwd=cls.course,
                              capture_output=True, text=True, env=gen.env(), timeout=600)
        assert done.returncode == 0, done.stderr
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.RequestHandlerClass.log_message = lambda *args: None
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", folder
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no {CHROMIUM}: run `apt-get install -y chromium` (as root) and run the "
                    "tests again")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, args=FLAGS, headless=True,
            viewport={"width": WIDTH, "height": 800})
        blocked: list[str] = []

        def only_localhost(route) -> None:
            if re.match(r"^(http://127\.0\.0\.1[:/]|data:|about:)", route.request.url):
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()

        context.route("**/*", only_localhost)
        tab = context.new_page()
        tab.blocked = blocked
        yield tab
        context.close()


@pytest.mark.parametrize("assignment", [gen.SIX, gen.EIGHT])
def test_report_opens_with_every_image_and_no_overflow(served, page, assignment):
    url, folder = served
    page.goto(f"{url}/{assignment}.html")
    page.wait_for_load_state("load")
    images = page.eval_on_selector_all(
        "img", "els => els.map(e => [e.complete, e.naturalWidth, e.alt])")
    assert len(images) >= 4
    broken = [alt for complete, width, alt in images if not complete or width <= 0]
    assert not broken, f"broken images: {broken}"
    overflow = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert overflow[0] <= overflow[1] <= WIDTH, f"horizontal overflow: {overflow}"
    # no figure is drawn wider than the page's column
    widths = page.eval_on_selector_all(
        "img", "els => els.map(e => e.getBoundingClientRect().right)")
    assert max(widths) <= WIDTH
    assert page.blocked == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"report-{assignment}.png"), full_page=True)
    html = (folder / f"{assignment}.html").read_text(encoding="utf-8")
    for n, data in enumerate(re.findall(r'data:image/png;base64,([^"]+)', html)):
        (ARTIFACTS / f"report-{assignment}-figure-{n}.png").write_bytes(base64.b64decode(data))
