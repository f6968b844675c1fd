"""A sandbox for a student's kernel: bubblewrap, an unprivileged user, a scratch copy, limits.

The kernel of a submission that must execute (an instructor's own plain-Python tests) runs
under Debian's ``bwrap`` in a scratch folder outside the course: it sees that folder
(read-write), a read-only Python with the installed packages, ``/usr``, ``/etc`` and nothing
else of the machine; it has no network (its own network namespace: the grader talks to it over
jupyter's ``ipc`` transport, unix sockets in the scratch folder), its own PID namespace (all its
processes end with it, and it cannot see or signal the grader), no capabilities, and runs as
``nobody`` when the grader is root (``setpriv``) or as the grader's own user mapped in a user
namespace otherwise. ``prlimit`` bounds memory, processes, open files and file sizes::

    sandbox = Sandbox.detect()          # None reason when bwrap works here
    cmd = sandbox.wrap(["python", "-m", "ipykernel_launcher", "-f", "k.json"], "/tmp/x")

Where bubblewrap is missing or cannot create namespaces, :meth:`Sandbox.detect` says why and
the grader runs the kernel unsandboxed (in a scratch copy still), and says so loudly.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

NOBODY = 65534


@dataclass(frozen=True)
class Limits:
    """Per-sandbox bounds (bytes, counts)."""

    memory: int = 2 * 1024**3
    processes: int = 256
    open_files: int = 512
    file_size: int = 64 * 1024**2
    tmp_size: int = 256 * 1024**2  # /tmp is in memory: without a size, half the machine's RAM


@functools.lru_cache(maxsize=1)
def _probe() -> str | None:
    """None when a bubblewrap sandbox starts here, else why not."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return "bubblewrap (bwrap) is not installed (Debian: apt-get install bubblewrap)"
    probe = Sandbox(bwrap=bwrap).wrap(["/bin/true"], "/")
    try:
        run = subprocess.run(probe, capture_output=True, timeout=20, text=True)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap could not start: {exc}"
    if run.returncode != 0:
        return f"bubblewrap could not start a sandbox: {run.stderr.strip()[:300]}"
    return None


def _python_roots() -> list[str]:
    """Folders a kernel needs to read: the interpreter, the venv, the installed packages."""
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
             os.path.dirname(os.path.realpath(sys.executable))}
    package = Path(__file__).resolve().parent  # an editable install lives in a checkout
    roots.add(str(package))
    for entry in sys.path:
        if entry and os.path.isdir(entry) and "site-packages" in entry:
            roots.add(os.path.realpath(entry))
    kept: list[str] = []
    for root in sorted(roots, key=len):  # drop folders inside another one kept
        real = os.path.realpath(root)
        if not os.path.isdir(real) or real in ("/", "/usr") or any(
                real == k or real.startswith(k + os.sep) for k in kept):
            continue
        kept.append(real)
    return kept


@dataclass(frozen=True)
class Sandbox:
    """How to wrap a command; :meth:`detect` gives one for this machine."""

    bwrap: str = "bwrap"
    limits: Limits = Limits()

    @staticmethod
    def unavailable() -> str | None:
        """None when sandboxing works on this machine, else the reason."""
        return _probe()

    @property
    def as_root(self) -> bool:
        return os.geteuid() == 0

    def prepare(self, scratch: str | os.PathLike[str]) -> None:
        """Make the scratch folder usable by the sandboxed user."""
        os.makedirs(os.path.join(scratch, ".home"), exist_ok=True)
        if not self.as_root:
            return
        for dirpath, dirnames, filenames in os.walk(scratch):
            os.chown(dirpath, NOBODY, NOBODY)
            for name in dirnames + filenames:
                os.chown(os.path.join(dirpath, name), NOBODY, NOBODY, follow_symlinks=False)

    def wrap(self, command: list[str], scratch: str | os.PathLike[str]) -> list[str]:
        """``command`` run in the sandbox, with ``scratch`` its only writable folder."""
        scratch = os.path.realpath(scratch)
        limits = self.limits
        cmd = ["prlimit", f"--as={limits.memory}", f"--nproc={limits.processes}",
               f"--nofile={limits.open_files}", f"--fsize={limits.file_size}", "--",
               self.bwrap, "--die-with-parent", "--new-session", "--unshare-pid",
               "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
               "--hostname", "sandbox"]
        if not self.as_root:
            cmd += ["--unshare-user", "--uid", str(NOBODY), "--gid", str(NOBODY)]
        for top in ("/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32"):
            if os.path.islink(top):
                cmd += ["--symlink", os.readlink(top), top]
            elif os.path.isdir(top):
                cmd += ["--ro-bind", top, top]
        cmd += ["--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc",
                "--proc", "/proc", "--dev", "/dev", "--perms", "1777",
                "--size", str(limits.tmp_size), "--tmpfs", "/tmp"]
        # the Python (a checkout or venv may live in /tmp) is bound after /tmp is mounted
        made = {"/", "/usr", "/etc", "/tmp"}
        for root in _python_roots():
            parents = list(reversed(Path(root).parents))
            for parent in map(str, parents):  # bwrap would make them 0700
                if parent not in made:
                    cmd += ["--perms", "0755", "--dir", parent]
                    made.add(parent)
            cmd += ["--ro-bind", root, root]
        home = os.path.join(scratch, ".home")
        cmd += ["--bind", scratch, scratch, "--chdir", scratch, "--clearenv",
                "--setenv", "HOME", home, "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin",
                "--setenv", "LANG", "C.UTF-8", "--setenv", "MPLBACKEND", "Agg",
                "--setenv", "MPLCONFIGDIR", os.path.join(home, "mpl"),
                "--setenv", "IPYTHONDIR", os.path.join(home, "ipython"),
                "--setenv", "JUPYTER_RUNTIME_DIR", os.path.join(home, "runtime"),
                "--setenv", "PYTHONDONTWRITEBYTECODE", "1"]
        if not self.as_root:
            cmd += ["--cap-drop", "ALL", "--"]
        else:  # setpriv needs the capability to change user; it drops them all itself
            cmd += ["--"]
            cmd += ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                    "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]
        return cmd + list(command)
