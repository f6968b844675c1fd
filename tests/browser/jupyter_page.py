"""What the browser tests share: waiting for an idle kernel, running JupyterLab commands, and
polling the answer file (a module with a unique name, imported by the test modules)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

IDLE_IN_STATUS_BAR = """() => {
    const bar = document.querySelector('#jp-main-statusbar');
    return !!bar && bar.innerText.includes('Idle');
}"""
KERNEL_IDLE = """() => {
    const widget = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const ctx = widget && widget.sessionContext;
    return !!ctx && !!ctx.session && !!ctx.session.kernel && !ctx.isRestarting
        && ctx.session.kernel.connectionStatus === 'connected'
        && ctx.session.kernel.status === 'idle';
}"""


def wait_idle(page, flavour: str = "lab") -> None:
    page.wait_for_function("() => !!window.jupyterapp")
    page.wait_for_function(KERNEL_IDLE)
    if flavour == "lab":  # the status bar (the toolbar says idle too early)
        page.wait_for_function(IDLE_IN_STATUS_BAR)


def command(page, name: str) -> None:
    """Start a JupyterLab command without awaiting its promise (page.evaluate has no
    timeout, and a command that opens a dialog resolves only once the dialog is closed)."""
    page.evaluate("(name) => { window.jupyterapp.commands.execute(name); }", name)


def run_all(page) -> None:
    command(page, "notebook:run-all-cells")


def wait_for_answers(page, path: Path, done: Callable[[dict], bool], what: object,
                     timeout: float = 20) -> dict:
    """Poll the answer file until ``done(data)``; page.wait_for_timeout keeps Playwright's
    event loop running. ``what`` describes the expected answers in the failure message."""
    deadline = time.monotonic() + timeout
    data: dict = {}
    while time.monotonic() < deadline:
        try:
            data = json.loads(path.read_text())
            if done(data):
                return data
        except (OSError, ValueError, KeyError):
            pass
        page.wait_for_timeout(200)
    raise AssertionError(f"{path.name} never got {what}: {data}")
