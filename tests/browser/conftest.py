"""A real JupyterLab / Notebook 7 server and a headless Chromium, for the browser tests.

Follows docs in /work/shared/browser-testing.md: server on 127.0.0.1 with a temporary root dir,
no token, the app exposed to the page, the news notification off (settings overrides.json), a
uniquely named notebook copy opened with ``?reset``, kernel idle awaited in the status bar,
cells run through ``window.jupyterapp.commands``, the session deleted through the REST API and
the server stopped by its PID. Every request not to 127.0.0.1 is blocked.

These tests run by default (they are part of the CI test command). Without /usr/bin/chromium
they fail with a message saying how to install it.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from chromium import CHROMIUM, CHROMIUM_FLAGS, localhost_only

HERE = Path(__file__).parent
NOTEBOOKS = HERE / "notebooks"
ARTIFACTS = HERE.parents[1] / "test-artifacts"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives JupyterLab / Notebook 7 in headless Chromium "
        "(run by default; needs /usr/bin/chromium)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    flavour: str  # "lab" or "notebook"
    url: str
    root: Path
    process: subprocess.Popen
    log: Path

    def page_url(self, notebook: str) -> str:
        prefix = "lab/tree" if self.flavour == "lab" else "notebooks"
        return f"{self.url}/{prefix}/{notebook}?reset"

    def api(self, method: str, path: str) -> object:
        request = urllib.request.Request(f"{self.url}{path}", method=method)
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - localhost
            body = response.read()
        return json.loads(body) if body else None

    def delete_sessions(self) -> None:
        for session in self.api("GET", "/api/sessions") or []:  # type: ignore[union-attr]
            self.api("DELETE", f"/api/sessions/{session['id']}")

    def copy_notebook(self, name: str) -> str:
        target = f"{Path(name).stem}-{uuid.uuid4().hex[:8]}.ipynb"
        shutil.copy(NOTEBOOKS / name, self.root / target)
        return target


def _start_server(flavour: str, tmp: Path) -> Server:
    root, settings, app_settings, runtime = (tmp / d for d in (
        "root", "user-settings", "app-settings", "runtime"))
    for folder in (root, settings, app_settings, runtime, tmp / "config", tmp / "workspaces"):
        folder.mkdir(parents=True, exist_ok=True)
    news_off = {"fetchNews": "false", "checkForUpdates": False}
    (app_settings / "overrides.json").write_text(json.dumps(
        {"@jupyterlab/apputils-extension:notification": news_off}))
    port = _free_port()
    app = "LabApp" if flavour == "lab" else "JupyterNotebookApp"
    command = [
        sys.executable, "-m", "jupyterlab" if flavour == "lab" else "notebook",
        "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0", "--IdentityProvider.token=", "--ServerApp.password=",
        "--ServerApp.allow_root=True",
        "--ServerApp.disable_check_xsrf=True", f"--ServerApp.root_dir={root}",
        f"--{app}.expose_app_in_browser=True", f"--{app}.app_settings_dir={app_settings}",
        f"--{app}.user_settings_dir={settings}", f"--{app}.workspaces_dir={tmp / 'workspaces'}",
    ]
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(settings),
           "JUPYTER_CONFIG_DIR": str(tmp / "config"), "JUPYTER_RUNTIME_DIR": str(runtime),
           "IPYTHONDIR": str(tmp / "ipython"), "PYTHONUNBUFFERED": "1"}
    log = tmp / f"jupyter-{flavour}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env,
                                   cwd=root)
    server = Server(flavour, f"http://127.0.0.1:{port}", root, process, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"jupyter {flavour} exited:\n{log.read_text()[-3000:]}")
        try:
            server.api("GET", "/api/status")
            return server
        except OSError:
            time.sleep(0.25)
    _stop(server)
    raise RuntimeError(f"jupyter {flavour} did not start in 60 s:\n{log.read_text()[-3000:]}")


def _stop(server: Server) -> None:
    try:
        server.delete_sessions()
    except OSError:
        pass
    server.process.terminate()  # by its PID: Popen signals exactly this process
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=5)


@pytest.fixture
def chromium_path() -> str:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's Chromium. "
                    "Run `apt-get install -y chromium` (as root) and run the tests again.",
                    pytrace=False)
    return CHROMIUM


@pytest.fixture(params=["lab", "notebook"])
def jupyter(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    server = _start_server(request.param, tmp_path)
    try:
        yield server
    finally:
        _stop(server)


@pytest.fixture
def browser_page(chromium_path: str, tmp_path: Path, request: pytest.FixtureRequest):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=chromium_path,
            headless=True, args=CHROMIUM_FLAGS, viewport={"width": 1280, "height": 1000})
        blocked: list[str] = []

        context.route("**/*", localhost_only(blocked))
        page = context.pages[0] if context.pages else context.new_page()
        page.set_default_timeout(60_000)
        page.blocked_requests = blocked  # type: ignore[attr-defined]
        try:
            yield page
        finally:
            failed = getattr(request.node, "rep_call", None)
            if failed is not None and failed.failed:
                ARTIFACTS.mkdir(exist_ok=True)
                name = request.node.name.replace("[", "-").replace("]", "")
                try:
                    page.screenshot(path=str(ARTIFACTS / f"{name}-FAILED.png"), full_page=True)
                except Exception:  # noqa: BLE001 - the screenshot must not hide the failure
                    pass
            context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
    return report
