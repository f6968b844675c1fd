"""scripts/course.sh as a newcomer runs it: it says what it does, and its JupyterLab has no
news pop-up over the exercises."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_first_run_says_what_it_is_doing_before_the_long_setup(tmp_path):
    """A copy of the repository without .venv, with no package index reachable: the first
    run must have said what it is setting up before pip starts (and why it stops)."""
    repo = tmp_path / "canvastools"
    repo.mkdir()
    for name in ("scripts", "canvastools"):
        shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, repo / name)
    env = {**os.environ, "PIP_INDEX_URL": "http://127.0.0.1:9/simple", "PIP_RETRIES": "0",
           "PIP_TIMEOUT": "1", "PIP_FIND_LINKS": "", "PIP_NO_INPUT": "1"}
    env.pop("VIRTUAL_ENV", None)
    run = subprocess.run(["bash", str(repo / "scripts" / "course.sh"), "--version"],
                         capture_output=True, text=True, env=env, timeout=300)
    lines = run.stdout.splitlines()
    assert lines[0].startswith("course.sh: first run: setting up .venv"), run.stdout
    assert any(line.startswith("setup-venv.sh: creating the virtual environment .venv")
               for line in lines)
    assert any(line.startswith("setup-venv.sh: installing canvastools") for line in lines)
    assert run.returncode != 0
    assert "setup-venv.sh: pip could not install canvastools" in run.stdout


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "jupyter").exists(),
                    reason="needs the project's .venv (scripts/setup-venv.sh makes it)")
def test_the_course_server_shows_no_news_popup(tmp_path):
    port = _free_port()
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "user-settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces")}
    log = open(tmp_path / "lab.log", "wb")
    server = subprocess.Popen(
        ["bash", str(ROOT / "scripts" / "course.sh"), "--no-browser", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", "--ServerApp.port_retries=0", "--IdentityProvider.token="],
        stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    url = (f"http://127.0.0.1:{port}/lab/api/settings/"
           "@jupyterlab/apputils-extension:notification")
    try:
        deadline, settings = time.monotonic() + 90, None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    settings = json.load(response)
                break
            except OSError:
                time.sleep(0.5)
        assert settings is not None, (tmp_path / "lab.log").read_text()
        # the server applies overrides.json to the defaults it sends the page (the page
        # adds the user's own settings, none here); JupyterLab's own default is "none" (ask)
        properties = settings["schema"]["properties"]
        assert properties["fetchNews"]["default"] == "false"
        assert properties["checkForUpdates"]["default"] is False
        assert "fetchNews" not in settings["settings"]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
        log.close()
