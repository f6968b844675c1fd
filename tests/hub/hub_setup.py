"""A real JupyterHub with system users, for the course test (tests/hub/test_jupyterhub_course.py).

The hub runs docs/hub/jupyterhub_config.py (the configuration docs/jupyterhub.md explains) with a
small overlay written here: random free ports on 127.0.0.1, a temporary state folder, the
groups and users this module creates, and the test-only JupyterLab settings of
/work/shared/browser-testing.md (app exposed to the page, no news notification). Every student
server runs as its own system user (PAM login, LocalProcessSpawner).

It needs root (useradd, a hub that starts servers as other users), configurable-http-proxy
from npm (scripts/test.sh installs it into HUB_PROXY_DIR) and /usr/bin/chromium; without one of
them the test is skipped with a message naming what is missing. Everything it made (users,
groups, processes, folders) is removed afterwards.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from chromium import CHROMIUM

REPO = Path(__file__).resolve().parents[2]
DOCS_HUB = REPO / "docs" / "hub"
# where scripts/test.sh runs `npm install configurable-http-proxy`
HUB_PROXY_DIR = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / (
    "canvastools/hub-proxy")
WRAPPERS = {"alembic": "alembic", "jupyter": "jupyter", "nbgrader": "nbgrader",
            "canvastools": "canvastools.cli"}
SYSTEM_TOOLS = ("useradd", "userdel", "groupadd", "groupdel", "chpasswd", "runuser", "pgrep")


def find_proxy() -> str | None:
    """configurable-http-proxy: $CANVASTOOLS_HUB_PROXY, HUB_PROXY_DIR, or on PATH."""
    candidates = [os.environ.get("CANVASTOOLS_HUB_PROXY", ""),
                  str(HUB_PROXY_DIR / "node_modules" / ".bin" / "configurable-http-proxy"),
                  shutil.which("configurable-http-proxy") or ""]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


def missing_requirements() -> list[str]:
    """What the hub test needs and this machine lacks, each with how to get it."""
    missing = []
    if os.geteuid() != 0:
        missing.append("root (the test creates system users and the hub starts a server as "
                       "each of them): run it as root, e.g. in CI or `sudo -E .venv/bin/pytest "
                       "tests/hub`")
    tools = [t for t in SYSTEM_TOOLS if shutil.which(t) is None]
    if tools:
        missing.append(f"the system tools {', '.join(tools)} (Debian: passwd, util-linux, "
                       "procps)")
    try:
        import jupyterhub  # noqa: F401
    except ImportError:
        missing.append("the Python package jupyterhub (`pip install -e '.[test]'`)")
    if find_proxy() is None:
        missing.append("configurable-http-proxy from npm: `npm install --prefix "
                       f"{HUB_PROXY_DIR} configurable-http-proxy` (scripts/test.sh does it)")
    if not os.path.exists(CHROMIUM):
        missing.append(f"{CHROMIUM} (`apt-get install -y chromium`)")
    return missing


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(*command: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)


@dataclass
class Hub:
    """A running hub and what it was made of."""

    url: str
    base: Path  # the temporary folder of everything below
    exchange: Path
    instructor: str
    students: list[str]
    password: str
    python: str  # the interpreter every user runs (same packages as this test's)
    env: dict[str, str]  # what a user's nbgrader and JupyterLab need in their environment
    log: Path
    process: subprocess.Popen | None = None
    users: list[str] = field(default_factory=list)

    def home(self, user: str) -> Path:
        return Path("/home") / user

    def as_user(self, user: str, *args: str, cwd: Path | None = None,
                timeout: float = 300) -> subprocess.CompletedProcess:
        """Run ``python args...`` as the system user ``user``, in a clean environment."""
        env = {"HOME": str(self.home(user)), "USER": user, "LOGNAME": user,
               "LANG": "C.UTF-8", **self.env}
        command = ["runuser", "-u", user, "--", "env", "-i",
                   *(f"{k}={v}" for k, v in env.items()), self.python, *args]
        return run(*command, cwd=cwd or self.home(user), timeout=timeout)

    def shell_as(self, user: str, *command: str) -> subprocess.CompletedProcess:
        """A plain command (cat, ls) as ``user``: the system's own permission checks."""
        return run("runuser", "-u", user, "--", *command, timeout=30)


def _probe(python: str, user: str, env: dict[str, str]) -> bool:
    """Can ``user`` run ``python`` and import what a user's server needs?"""
    probe = run("runuser", "-u", user, "--", "env", "-i", *(f"{k}={v}" for k, v in env.items()),
                python, "-c", "import jupyterhub.singleuser, nbgrader, canvastools",
                cwd="/", timeout=60)
    return probe.returncode == 0


def user_environment(base: Path, user: str) -> tuple[str, dict[str, str]]:
    """The interpreter the hub's users run, and the variables that find the lab extensions,
    the server extensions and the shared nbgrader config (``base/config``).

    This test's own interpreter when other users can run it. Otherwise (a Python installed
    under root's private home, e.g. by pyenv) the same interpreter, linked into ``base``
    (``cp -al``: no copy on the same filesystem), in a venv that reads this environment's
    site-packages. A real hub installs one environment that every user can run.
    """
    prefix = Path(sys.prefix)
    env = {"JUPYTER_PATH": str(prefix / "share" / "jupyter"),
           "JUPYTER_CONFIG_PATH": f"{base / 'config'}:{prefix / 'etc' / 'jupyter'}",
           "JUPYTERLAB_DIR": str(prefix / "share" / "jupyter" / "lab")}
    if _probe(sys.executable, user, env):
        env["PATH"] = f"{prefix / 'bin'}:/usr/local/bin:/usr/bin:/bin"
        return sys.executable, env
    interpreter = base / "cpython"
    linked = run("cp", "-al", sys.base_prefix, str(interpreter))
    if linked.returncode != 0:
        linked = run("cp", "-a", sys.base_prefix, str(interpreter))
    assert linked.returncode == 0, linked.stderr
    env["LD_LIBRARY_PATH"] = str(interpreter / "lib")  # libpython, if it is shared
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    shared = base / "python"
    made = run(str(interpreter / "bin" / version), "-m", "venv", "--without-pip", str(shared),
               env={**os.environ, "LD_LIBRARY_PATH": env["LD_LIBRARY_PATH"]})
    assert made.returncode == 0, made.stderr
    site = shared / "lib" / version / "site-packages"
    (site / "canvastools-test-env.pth").write_text(
        f"import site; site.addsitedir({sysconfig.get_path('purelib')!r})\n")
    python = str(shared / "bin" / "python")
    for name, module in WRAPPERS.items():  # the commands nbgrader itself runs (alembic)
        script = shared / "bin" / name
        script.write_text(f'#!/bin/sh\nexec {python} -m {module} "$@"\n')
        script.chmod(0o755)
    env["PATH"] = f"{shared / 'bin'}:/usr/local/bin:/usr/bin:/bin"
    if not _probe(python, user, env):
        pytest.skip(f"other users cannot run {sys.executable} (under a private folder?), "
                    f"nor a copy of it in {base}: install the test environment where all "
                    "users can read it")
    return python, env


OVERLAY = """\
# written by tests/hub/hub_setup.py: the documented configuration plus the test's own settings
c = get_config()  # noqa: F821
load_subconfig({docs!r})  # noqa: F821
c.JupyterHub.bind_url = {url!r}
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.ConfigurableHTTPProxy.pid_file = {state!r} + "/proxy.pid"
c.JupyterHub.pid_file = {state!r} + "/hub.pid"
c.JupyterHub.cookie_secret_file = {state!r} + "/cookie_secret"
c.JupyterHub.db_url = "sqlite:///" + {state!r} + "/jupyterhub.sqlite"
c.JupyterHub.cleanup_servers = True
c.LocalAuthenticator.allowed_groups = {groups!r}
c.Spawner.cmd = [{python!r}, "-m", "jupyterhub.singleuser"]
c.Spawner.environment = {env!r}
# browser-testing.md: the app exposed to the page, no "Jupyter news" notification
c.Spawner.args = ["--LabApp.expose_app_in_browser=True",
                  "--LabApp.app_settings_dir=" + {lab_settings!r}]
"""

TEST_NBGRADER_CONFIG = """\
# written by tests/hub/hub_setup.py: the documented shared config, with a temporary exchange
c = get_config()  # noqa: F821
load_subconfig({docs!r})  # noqa: F821
c.Exchange.root = {exchange!r}
"""


def _mkdir(path: Path, mode: int) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(mode)
    return path


def _wait_for_hub(hub: Hub) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if hub.process.poll() is not None:
            raise RuntimeError(f"jupyterhub exited:\n{hub.log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{hub.url}/hub/api", timeout=5) as response:  # noqa: S310
                if "version" in json.loads(response.read()):
                    return
        except (OSError, ValueError):
            time.sleep(0.3)
    raise RuntimeError(f"jupyterhub did not answer in 90 s:\n{hub.log.read_text()[-4000:]}")


def _stop(hub: Hub) -> None:
    if hub.process is not None and hub.process.poll() is None:
        hub.process.send_signal(signal.SIGTERM)  # the hub stops its users' servers and proxy
        try:
            hub.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            hub.process.kill()
            hub.process.wait(timeout=10)
    proxy_pid = hub.base / "state" / "proxy.pid"
    if proxy_pid.exists():
        try:
            os.kill(int(proxy_pid.read_text().strip()), signal.SIGTERM)
        except (ValueError, ProcessLookupError):
            pass
    for user in hub.users:  # anything left running as a user this test created, by its PID
        pids = run("pgrep", "-u", user).stdout.split()
        for pid in pids:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except ProcessLookupError:
                pass


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    missing = missing_requirements()
    if missing:
        pytest.skip("the JupyterHub course test needs " + "; ".join(missing))
    tag = secrets.token_hex(2)
    instructor, students = f"cth{tag}ins", [f"cth{tag}ada", f"cth{tag}ben"]
    groups = {"instructors": f"cth{tag}instructors", "students": f"cth{tag}students"}
    base = Path(tempfile.mkdtemp(prefix="canvastools-hub-"))
    base.chmod(0o755)  # users must reach base/config, base/python, the exchange
    password = secrets.token_urlsafe(12)
    hub = Hub(url=f"http://127.0.0.1:{free_port()}", base=base, exchange=base / "exchange",
              instructor=instructor, students=students, password=password, python="",
              env={}, log=tmp_path / "jupyterhub.log")
    try:
        for group in groups.values():
            assert run("groupadd", group).returncode == 0
        for user in [instructor, *students]:
            group = groups["instructors" if user == instructor else "students"]
            made = run("useradd", "--create-home", "--shell", "/bin/bash", "-G", group, user)
            assert made.returncode == 0, made.stderr
            hub.users.append(user)
            hub.home(user).chmod(0o700)  # a user's files are theirs alone
        chpasswd = run("chpasswd", input="".join(f"{u}:{password}\n" for u in hub.users))
        assert chpasswd.returncode == 0, chpasswd.stderr
        # the exchange: everybody writes, nobody removes another's files (sticky bit)
        _mkdir(hub.exchange, 0o1777)
        config = _mkdir(base / "config", 0o755)
        (config / "nbgrader_config.py").write_text(TEST_NBGRADER_CONFIG.format(
            docs=str(DOCS_HUB / "nbgrader_config.py"), exchange=str(hub.exchange)))
        lab_settings = _mkdir(base / "lab-settings", 0o755)
        (lab_settings / "overrides.json").write_text(json.dumps(
            {"@jupyterlab/apputils-extension:notification":
             {"fetchNews": "false", "checkForUpdates": False}}))
        hub.python, hub.env = user_environment(base, students[0])
        state = _mkdir(base / "state", 0o700)
        overlay = state / "jupyterhub_config.py"
        overlay.write_text(OVERLAY.format(
            docs=str(DOCS_HUB / "jupyterhub_config.py"), url=hub.url, hub_port=free_port(),
            api_port=free_port(), proxy=find_proxy(), state=str(state),
            groups=set(groups.values()), python=hub.python, env=hub.env,
            lab_settings=str(lab_settings)))
        with open(hub.log, "wb") as out:
            hub.process = subprocess.Popen(
                [sys.executable, "-m", "jupyterhub", "-f", str(overlay)], cwd=state,
                stdout=out, stderr=subprocess.STDOUT,
                env={**os.environ, "PATH": f"/usr/bin:/bin:{os.environ.get('PATH', '')}"})
        _wait_for_hub(hub)
        yield hub
    finally:
        _stop(hub)
        for user in hub.users:
            run("userdel", "--remove", user)
        for group in groups.values():
            run("groupdel", group)
        shutil.rmtree(base, ignore_errors=True)
