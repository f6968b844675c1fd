"""A sandbox for one student's kernel: bubblewrap, limits that belong to that student alone.

The kernel of a submission that must execute (an instructor's own plain-Python tests) runs
under Debian's ``bwrap``. It sees a read-only Python with the installed packages, ``/usr`` and
``/etc``, and nothing else of the machine: no network (its own network namespace: the grader
talks to it over jupyter's ``ipc`` transport), its own PID namespace (it cannot see or signal
the grader, and every process it starts ends with it), no capabilities. Everything it can
write is in memory and bounded: its working folder and ``/tmp`` and ``/dev/shm`` are tmpfs
mounts of a fixed size, gone with the sandbox. The limits are the sandbox's own:

- a **cgroup per sandbox** (``pids.max``, memory without swap) where this process may make one
  below its own (root here; an ordinary user where the instructor's server delegates one);
- a **distinct unprivileged uid per sandbox** when the grader is root (a pool from
  :data:`UID_BASE`, skipping every uid with an account), so ``RLIMIT_NPROC`` counts that
  student's processes only; as an ordinary user, a user namespace per sandbox, whose own
  process count is what ``RLIMIT_NPROC`` bounds inside it (Linux >= 5.14);
- ``RLIMIT_AS`` per process, file size and open files, set inside the sandbox::

    box = Sandbox().open("/tmp/canvastools-kernel-x")    # input files in .../in
    problem = box.check()                                # None when the sandbox starts
    cmd = box.wrap(["python", "-m", "ipykernel_launcher", "-f", ".../in/kernel.json"])
    ...
    box.close()                                          # every process ended, limits freed

:meth:`Sandbox.unavailable` says what this machine lacks (bubblewrap, util-linux),
:meth:`Sandbox.guards` which of the limits above this machine enforces.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from canvastools.grader.sandbox_limits import (
    CGROUP_ENV,
    UID_BASE,
    Cgroup,
    Limits,
    cgroup_parents,
    free_uid,
)

__all__ = ["CGROUP_ENV", "Box", "Limits", "Sandbox", "SandboxUnavailable", "kill_kernel",
           "make_kernel_manager"]

NOBODY = 65534
INPUT = "in"  # the files given to the kernel, read-only, in the working folder

# Run inside the sandbox: copy the input into the working folder (a tmpfs) and start the
# command with its output discarded (what the grader's stderr gets is the sandbox's own).
_START_SHOWN = f'cd "$0" && cp -R {INPUT}/. . && mkdir -p .home && exec "$@"'
_START = _START_SHOWN + " </dev/null >/dev/null 2>&1"


class SandboxUnavailable(RuntimeError):
    """The sandbox of one student's kernel could not start (after retries)."""


# -- what this machine allows ------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _probe() -> str | None:
    """None when the tools of a sandbox are installed here, else what is missing (whether a
    sandbox starts is tried for each student: :meth:`Box.check`)."""
    if shutil.which("bwrap") is None:
        return "bubblewrap (bwrap) is not installed (Debian: apt-get install bubblewrap)"
    for tool in ("prlimit", "setpriv"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (Debian: apt-get install util-linux)"
    return None


def _python_roots() -> list[str]:
    """Folders a kernel needs to read: the interpreter, the venv, the installed packages."""
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
             os.path.dirname(os.path.realpath(sys.executable))}
    package = Path(__file__).resolve().parents[1]  # an editable install lives in a checkout
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


# -- a sandbox -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sandbox:
    """How to sandbox a kernel on this machine; :meth:`open` makes one student's sandbox."""

    bwrap: str = "bwrap"
    limits: Limits = Limits()

    @staticmethod
    def unavailable() -> str | None:
        """None when sandboxing works on this machine, else the reason."""
        return _probe()

    @staticmethod
    def guards() -> dict[str, str]:
        """What bounds one sandbox's tasks and memory on this machine, for the log and docs::

            {"tasks": "cgroup v1 pids.max", "memory": "cgroup v1 memory limit, no swap",
             "uid": "a uid of its own (64000+)"}
        """
        parents = cgroup_parents()
        root = os.geteuid() == 0
        tasks = (f"cgroup v{parents['pids'][0]} pids.max" if "pids" in parents
                 else "RLIMIT_NPROC of its own uid" if root
                 else "RLIMIT_NPROC of its own user namespace")
        memory = (f"cgroup v{parents['memory'][0]} memory limit, no swap" if "memory" in parents
                  else "RLIMIT_AS per process only (no cgroup: the total is not bounded)")
        uid = (f"a uid of its own ({UID_BASE}+)" if root
               else "the grader's uid in a user namespace of its own")
        return {"tasks": tasks, "memory": memory, "uid": uid}

    def start(self, scratch: str | os.PathLike[str], attempts: int = 3,
              log: Any = None) -> Box:
        """One student's sandbox, opened and checked to start, tried ``attempts`` times with a
        short pause between two; else :class:`SandboxUnavailable` (never a kernel without)::

            box = Sandbox().start("/tmp/canvastools-kernel-x")
        """
        reason = self.unavailable()
        if reason:
            raise SandboxUnavailable(reason)
        attempts = max(1, attempts)
        problem = ""
        for attempt in range(attempts):
            if attempt:
                time.sleep(0.5 * 2 ** (attempt - 1))
            try:
                box = self.open(scratch)
            except OSError as exc:
                problem = f"{type(exc).__name__}: {exc}"
                continue
            problem = box.check() or ""
            if not problem:
                return box
            box.close()
            if log is not None:
                log.warning("[canvastools] the sandbox did not start (try %d of %d): %s",
                            attempt + 1, attempts, problem)
        raise SandboxUnavailable(f"{problem} (tried {attempts} times)")

    def open(self, scratch: str | os.PathLike[str]) -> Box:
        """One student's sandbox, on the host folder ``scratch`` (its ``in`` folder holds the
        files given to the kernel); :meth:`Box.close` ends it."""
        uid, lock = free_uid() if os.geteuid() == 0 else (None, None)
        try:
            cgroup = Cgroup.make(self.limits)
        except OSError:
            if lock is not None:
                os.close(lock)
            raise
        box = Box(self, os.path.realpath(scratch), uid, lock, cgroup)
        box.prepare()
        return box


@dataclass
class Box:
    """One student's sandbox: its uid (as root), its cgroup, its host folder."""

    sandbox: Sandbox
    scratch: str
    uid: int | None
    lock: int | None
    cgroup: Cgroup

    @property
    def input(self) -> str:
        return os.path.join(self.scratch, INPUT)

    @property
    def setup_log(self) -> str:
        """A host file that gets what bubblewrap and the start script print, never the
        kernel's output (the student's)."""
        return os.path.join(self.scratch, "sandbox.log")

    def prepare(self) -> None:
        """Make the input readable by the sandbox's user (the connection file too)."""
        os.makedirs(self.input, exist_ok=True)
        os.chmod(self.scratch, 0o700)
        for dirpath, _dirnames, filenames in os.walk(self.input):
            os.chmod(dirpath, 0o755)
            for name in filenames:
                path = os.path.join(dirpath, name)
                if os.path.islink(path):
                    os.unlink(path)
                elif self.uid is not None and name == "kernel.json":
                    os.chown(path, self.uid, self.uid)
                    os.chmod(path, 0o600)
                else:
                    os.chmod(path, 0o644)

    def wrap(self, command: list[str], *, shown: bool = False) -> list[str]:
        """``command`` run in this sandbox, in its working folder (the path of ``scratch``
        inside, a tmpfs holding a copy of the input); its output is discarded unless
        ``shown``: what the caller reads then is the student's."""
        limits, scratch = self.sandbox.limits, self.scratch
        cmd: list[str] = []
        if self.cgroup.procs:  # enter the cgroups before bubblewrap starts anything
            cmd += ["/bin/sh", "-c", 'for f; do [ "$f" = -- ] && break; echo $$ > "$f" || '
                    'exit 125; shift; done; shift; exec "$@"', "cgroup", *self.cgroup.procs,
                    "--"]
        cmd += [self.sandbox.bwrap, "--die-with-parent", "--new-session", "--unshare-pid",
                "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
                "--hostname", "sandbox"]
        if self.uid is None:
            cmd += ["--unshare-user", "--uid", str(NOBODY), "--gid", str(NOBODY)]
        for top in ("/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32"):
            if os.path.islink(top):
                cmd += ["--symlink", os.readlink(top), top]
            elif os.path.isdir(top):
                cmd += ["--ro-bind", top, top]
        cmd += ["--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc",
                "--proc", "/proc", "--dev", "/dev",
                "--perms", "1777", "--size", str(limits.tmp_size), "--tmpfs", "/dev/shm",
                "--perms", "1777", "--size", str(limits.tmp_size), "--tmpfs", "/tmp"]
        # a Python or the scratch folder below /tmp: parents made reachable (bwrap: 0700)
        made = {"/", "/usr", "/etc", "/tmp"}
        for root in [*_python_roots(), scratch]:
            for parent in map(str, reversed(Path(root).parents)):
                if parent not in made:
                    cmd += ["--perms", "0755", "--dir", parent]
                    made.add(parent)
            if root != scratch:
                cmd += ["--ro-bind", root, root]
        home = os.path.join(scratch, ".home")
        cmd += ["--perms", "0700", "--size", str(limits.disk), "--tmpfs", scratch,
                "--ro-bind", self.input, self.input, "--chdir", "/", "--clearenv",
                "--setenv", "HOME", home, "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin",
                "--setenv", "LANG", "C.UTF-8", "--setenv", "MPLBACKEND", "Agg",
                "--setenv", "TMPDIR", "/tmp",
                "--setenv", "MPLCONFIGDIR", os.path.join(home, "mpl"),
                "--setenv", "IPYTHONDIR", os.path.join(home, "ipython"),
                "--setenv", "JUPYTER_RUNTIME_DIR", os.path.join(home, "runtime"),
                "--setenv", "PYTHONDONTWRITEBYTECODE", "1"]
        rlimits = ["prlimit", f"--as={limits.memory}", f"--nproc={limits.processes}",
                   f"--nofile={limits.open_files}", f"--fsize={limits.file_size}", "--"]
        start = _START_SHOWN if shown else _START
        if self.uid is None:
            cmd += ["--cap-drop", "ALL", "--", "/bin/sh", "-c", start, scratch]
        else:  # setpriv needs the capability to change user; it drops them all itself
            uid = str(self.uid)
            cmd += ["--", "/bin/sh", "-c", f'chown {uid}:{uid} "$0" && exec "$@"', scratch,
                    "setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                    "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--",
                    "/bin/sh", "-c", start, scratch]
        return cmd + rlimits + list(command)

    def check(self) -> str | None:
        """None when this sandbox starts (a command run in it), else what went wrong."""
        try:
            run = subprocess.run(self.wrap(["/bin/true"]), capture_output=True, timeout=60,
                                 text=True, stdin=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"bubblewrap could not start: {exc}"
        if run.returncode != 0:
            said = run.stderr.strip()[:300] or f"exit status {run.returncode}"
            return f"the sandbox could not start: {said}"
        return None

    def setup_problem(self) -> str:
        """What bubblewrap or the start script printed (empty when the sandbox started)."""
        try:
            return Path(self.setup_log).read_text(errors="replace").strip()[:300]
        except OSError:
            return ""

    def link_sockets(self, pid: int, paths: list[str], wait: float = 10.0) -> bool:
        """Make the kernel's unix sockets ``paths`` (in its working folder, a tmpfs only the
        sandbox sees) reachable by the grader at the same paths, through the sandbox's root
        (``/proc/PID/root``); ``pid`` is bubblewrap's. False when the sandbox never started."""
        deadline = time.monotonic() + wait
        child = None
        while child is None and time.monotonic() < deadline:
            try:
                found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except OSError:
                return False  # bubblewrap already exited
            child = found[0] if found else None
            if child is None:
                time.sleep(0.005)
        if child is None:
            return False
        for path in paths:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            os.symlink(f"/proc/{child}/root{path}", path)
        return True

    def limits_hit(self) -> list[str]:
        """What the student's code was refused by this sandbox's cgroup (empty without)."""
        return self.cgroup.limits_hit(self.sandbox.limits)

    def close(self) -> None:
        """End every process of the sandbox still running, free its cgroup and uid."""
        self.cgroup.close()
        if self.lock is not None:
            with contextlib.suppress(OSError):
                os.close(self.lock)
            self.lock = None


# -- a kernel in a sandbox ------------------------------------------------------------------------
def make_kernel_manager(nb: Any, scratch: str, box: Box | None, config: Any) -> Any:
    """A kernel manager whose kernel runs in the sandbox ``box`` (a
    :class:`Box`; plainly in ``scratch`` when None), over ipc."""
    from jupyter_client.manager import AsyncKernelManager

    class SandboxedKernelManager(AsyncKernelManager):
        def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
            cmd = super().format_kernel_cmd(extra_arguments)
            if box is None:
                return cmd
            box.prepare()  # the connection file is the sandboxed user's to read
            return box.wrap(cmd)

        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            # what the kernel writes to its own stdout/stderr never reaches the grader's; in a
            # sandbox, stderr is what bubblewrap says when it cannot start
            kw.update(stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                      stderr=subprocess.DEVNULL)
            if box is None:
                await super()._async_launch_kernel(kernel_cmd, **kw)
                return
            with open(box.setup_log, "wb") as said:
                kw["stderr"] = said
                await super()._async_launch_kernel(kernel_cmd, **kw)
            process = self.provisioner.process
            sockets = [f"{self.ip}-{port}" for port in self.ports]
            if not box.link_sockets(process.pid, sockets):
                raise RuntimeError("the sandbox exited before the kernel started")

    name = nb.metadata.get("kernelspec", {}).get("name", "python3")
    folder = box.input if box is not None else scratch
    manager = SandboxedKernelManager(kernel_name=name, config=config, transport="ipc",
                                     ip=os.path.join(scratch, "kernel"),
                                     connection_file=os.path.join(folder, "kernel.json"))
    manager.kernel_spec.interrupt_mode = "message"  # a signal would stop the whole sandbox
    return manager


def kill_kernel(manager: Any) -> None:
    """Stop the kernel's process group at once (bubblewrap's: its PID namespace ends with
    it); :meth:`Box.close` ends whatever is left."""
    provisioner = getattr(manager, "provisioner", None)
    process = getattr(provisioner, "process", None)
    if process is not None and process.poll() is None:
        try:
            os.killpg(process.pid, 9)
        except OSError:
            with contextlib.suppress(OSError):
                process.kill()
        # TimeoutExpired or whatever the provisioner's process raises: Box.close ends it
        with contextlib.suppress(Exception):
            process.wait(timeout=10)
