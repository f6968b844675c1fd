"""The JupyterLab that scripts/course.sh starts, as a newcomer uses it: its terminal finds
`canvastools`, and running then saving a lesson leaves the tracked notebook as it was.

The server runs on a copy of the repository (scripts/ and course/, with the project's .venv),
so no test ever writes to the real lessons.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
LESSON = "02-six-types.ipynb"

pytestmark = pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "jupyter").exists(),
                                reason="needs the project's .venv (scripts/setup-venv.sh)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def course_server(tmp_path):
    """scripts/course.sh on a copy of the repository: (base url, the copy's course folder)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("scripts", "course"):
        shutil.copytree(ROOT / name, repo / name,
                        ignore=shutil.ignore_patterns("canvastools_answers*", ".ipynb_checkpoints"))
    (repo / ".venv").symlink_to(ROOT / ".venv")
    port = _free_port()
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "user-settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
           "PATH": "/usr/bin:/bin"}  # a newcomer's shell: no .venv on PATH
    env.pop("VIRTUAL_ENV", None)
    log_path = tmp_path / "lab.log"
    log = open(log_path, "wb")
    server = subprocess.Popen(
        ["bash", str(repo / "scripts" / "course.sh"), "--no-browser",
         "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
         "--IdentityProvider.token=", "--ServerApp.disable_check_xsrf=True"],
        stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None and time.monotonic() < deadline, log_path.read_text()
            try:
                _api(url, "GET", "/api/status")
                break
            except OSError:
                time.sleep(0.5)
        yield url, repo / "course"
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the server's own process group, started here
        server.wait(30)
        log.close()


def _api(url: str, method: str, path: str, body: object = None) -> object:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{url}{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - localhost
        text = response.read()
    return json.loads(text) if text else None


async def _terminal_output(url: str, name: str, line: str, until: str) -> str:
    from tornado.websocket import websocket_connect

    ws = await websocket_connect(f"ws{url[4:]}/terminals/websocket/{name}")
    await ws.write_message(json.dumps(["stdin", line + "\r"]))
    seen = ""
    deadline = time.monotonic() + 30
    while until not in seen and time.monotonic() < deadline:
        message = await asyncio.wait_for(ws.read_message(), 30)
        if message is None:
            break
        kind, *rest = json.loads(message)
        if kind == "stdout":
            seen += rest[0]
    ws.close()
    return seen


def test_the_course_terminal_finds_canvastools(course_server):
    url, course = course_server
    name = _api(url, "POST", "/api/terminals")["name"]
    try:
        out = asyncio.run(_terminal_output(
            url, name, "command -v canvastools || echo NOT-FOUND; canvastools --help >/dev/null && "
            "echo RAN-$((6*7))", "RAN-42"))
    finally:
        _api(url, "DELETE", f"/api/terminals/{name}")
    answer = out.split("RAN-$((6*7))")[-1]  # what the shell printed, after its echo
    assert "NOT-FOUND" not in answer, out
    assert f"{course.parent}/.venv/bin/canvastools\r\n" in answer, out
    assert "RAN-42" in answer, out


def _run_lesson(course: Path, tmp: Path) -> dict:
    """The lesson as JupyterLab sends it on save after Run All: outputs, execution counts,
    widget state and the kernel's language_info."""
    work = tmp / "run"
    shutil.copytree(course, work, ignore=shutil.ignore_patterns("canvastools_answers*"))
    nb = nbformat.read(work / LESSON, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", store_widget_state=True,
                   resources={"metadata": {"path": str(work)}}).execute()
    assert any(c.get("outputs") for c in nb.cells)
    assert "widgets" in nb.metadata and "version" in nb.metadata["language_info"]
    return json.loads(nbformat.writes(nb))


def test_saving_a_run_lesson_leaves_it_as_shipped(course_server, tmp_path):
    url, course = course_server
    shipped = (ROOT / "course" / LESSON).read_bytes()
    run = _run_lesson(course, tmp_path)

    _api(url, "PUT", f"/api/contents/{LESSON}", {"type": "notebook", "format": "json",
                                                 "content": run})
    assert (course / LESSON).read_bytes() == shipped

    # a student's own edit is kept (and is all git shows), without the run
    edited = json.loads(json.dumps(run))
    edited["cells"][1]["source"] += "\nprint('my note')"
    _api(url, "PUT", f"/api/contents/{LESSON}", {"type": "notebook", "format": "json",
                                                 "content": edited})
    saved = nbformat.read(course / LESSON, as_version=4)
    assert saved.cells[1].source.endswith("print('my note')")
    assert all(not c.get("outputs") and c.get("execution_count") is None
               for c in saved.cells if c.cell_type == "code")
    assert saved.metadata == nbformat.reads(shipped.decode(), as_version=4).metadata

    # a notebook of the student's own keeps its outputs
    _api(url, "PUT", "/api/contents/mine.ipynb", {"type": "notebook", "format": "json",
                                                  "content": run})
    mine = nbformat.read(course / "mine.ipynb", as_version=4)
    assert any(c.get("outputs") for c in mine.cells)


def test_validate_on_a_lesson_says_it_is_not_graded(course_server):
    url, course = course_server
    lesson = _api(url, "POST", "/assignments/validate", {"path": LESSON})
    assert lesson["success"] is False and "Success" not in json.dumps(lesson)
    text = " ".join(lesson["value"].split())
    assert text.startswith(f"{LESSON} is not an assignment: nothing in it is graded")
    assert "press Check under each exercise" in text
    # nbgrader's dialog shows it in a <pre>: lines short enough to read without scrolling
    assert max(len(line) for line in lesson["value"].splitlines()) <= 80
    italian = _api(url, "POST", "/assignments/validate", {"path": "02-sei-tipi.ipynb"})
    assert italian["value"].startswith("02-sei-tipi.ipynb non è un compito")
    # an assignment still goes to nbgrader: nothing answered yet, so validation fails
    shutil.copy(ROOT / "exercises" / "classify-cases" / "classify-cases.ipynb", course)
    assignment = _api(url, "POST", "/assignments/validate", {"path": "classify-cases.ipynb"})
    assert assignment["success"] is True and assignment["value"].get("failed"), assignment
