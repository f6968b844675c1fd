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

:meth:`Sandbox.unavailable` says why no sandbox can start on this machine (bubblewrap missing),
:meth:`Sandbox.guards` which of the limits above this machine enforces.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import functools
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

NOBODY = 65534
UID_BASE = 64000  # the pool of sandbox uids as root: UID_BASE .. UID_BASE + UID_COUNT - 1
UID_COUNT = 512
LOCKS = "/run/canvastools-sandbox"  # one lock file per uid in use (root only)
INPUT = "in"  # the files given to the kernel, read-only, in the working folder

# Run inside the sandbox: copy the input into the working folder (a tmpfs) and start the
# command with its output discarded (what the grader's stderr gets is the sandbox's own).
_START_SHOWN = f'cd "$0" && cp -R {INPUT}/. . && mkdir -p .home && exec "$@"'
_START = _START_SHOWN + " </dev/null >/dev/null 2>&1"


class SandboxUnavailable(RuntimeError):
    """The sandbox of one student's kernel could not start (after retries)."""


@dataclass(frozen=True)
class Limits:
    """Per-sandbox bounds (bytes, counts), as PrairieLearn's external graders' by default
    but for memory and disk (a class is graded two students per core)::

        Limits(memory=512 * 1024**2, processes=128)
    """

    memory: int = 1024**3  # all processes of the sandbox together (per process without cgroup)
    processes: int = 256  # tasks (processes and threads) of the sandbox
    open_files: int = 512
    file_size: int = 64 * 1024**2
    disk: int = 256 * 1024**2  # the working folder, in memory
    tmp_size: int = 64 * 1024**2  # /tmp and /dev/shm, each


# -- what this machine allows ------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _probe() -> str | None:
    """None when a bubblewrap sandbox starts here, else why not."""
    if shutil.which("bwrap") is None:
        return "bubblewrap (bwrap) is not installed (Debian: apt-get install bubblewrap)"
    for tool in ("prlimit", "setpriv"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (Debian: apt-get install util-linux)"
    scratch = tempfile.mkdtemp(prefix="canvastools-probe-")
    try:
        box = Sandbox(limits=Limits(memory=256 * 1024**2, processes=32)).open(scratch)
        try:
            return box.check()
        finally:
            box.close()
    except OSError as exc:
        return f"bubblewrap could not start: {exc}"
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _mounts() -> list[tuple[str, str, set[str]]]:
    """(mount point, filesystem type, options) of every cgroup filesystem of this process."""
    found = []
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/mountinfo").read_text().splitlines():
            left, _, right = line.partition(" - ")
            fields, rest = left.split(), right.split()
            if len(fields) > 4 and len(rest) > 2 and rest[0] in ("cgroup", "cgroup2"):
                found.append((fields[4], rest[0], set(rest[2].split(","))))
    return found


CGROUP_ENV = "CANVASTOOLS_CGROUP"  # folders delegated to the grader, ":" between two


def _delegated() -> dict[str, tuple[str, Path]]:
    """controller -> (version, folder) of the cgroups named in ``$CANVASTOOLS_CGROUP``: what an
    instructor's server delegates to an ordinary grader (see docs/grading-security.md)."""
    found: dict[str, tuple[str, Path]] = {}
    for name in filter(None, os.environ.get(CGROUP_ENV, "").split(":")):
        folder = Path(name)
        if not os.access(folder, os.W_OK):
            continue
        control = folder / "cgroup.subtree_control"
        if control.exists() and (folder / "cgroup.type").exists():  # cgroup v2
            with contextlib.suppress(OSError):
                for controller in control.read_text().split():
                    if controller in ("pids", "memory"):
                        found.setdefault(controller, ("2", folder))
        else:
            if (folder / "pids.max").exists():
                found.setdefault("pids", ("1", folder))
            if (folder / "memory.limit_in_bytes").exists():
                found.setdefault("memory", ("1", folder))
    return found


def _cgroup_parents() -> dict[str, tuple[str, Path]]:
    """controller ("pids", "memory") -> (version, folder) where a child cgroup per sandbox can
    be made and limited: the folders delegated in ``$CANVASTOOLS_CGROUP``, else this process's
    own cgroup where this process may write there (root)."""
    found = _delegated()
    own: dict[str, str] = {}
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            own["" if not controllers else controllers] = path
    for point, kind, options in _mounts():
        if kind == "cgroup":
            for controller in ("pids", "memory"):
                key = next((k for k in own if controller in k.split(",")), None)
                if controller in options and key is not None:
                    folder = Path(point + own[key])
                    if os.access(folder, os.W_OK):
                        found.setdefault(controller, ("1", folder))
        elif "" in own:
            folder = Path(point + own[""])
            with contextlib.suppress(OSError):
                enabled = (folder / "cgroup.subtree_control").read_text().split()
                for controller in ("pids", "memory"):
                    if controller in enabled and os.access(folder, os.W_OK):
                        found.setdefault(controller, ("2", folder))
    return found


@dataclass
class _Cgroup:
    """One sandbox's cgroups (a folder per hierarchy), made and removed by the grader."""

    folders: list[tuple[str, Path]] = field(default_factory=list)

    @classmethod
    def make(cls, limits: Limits) -> _Cgroup:
        made = cls()
        name = f"canvastools-{uuid.uuid4().hex[:12]}"
        for version, parent in _cgroup_parents().values():
            folder = parent / name
            if any(f == folder for _, f in made.folders):
                continue
            try:
                folder.mkdir()
            except OSError:
                continue
            made.folders.append((version, folder))
            try:
                made._limit(version, folder, limits)
            except OSError:
                made.close()
                raise
        return made

    @staticmethod
    def _limit(version: str, folder: Path, limits: Limits) -> None:
        def write(name: str, value: int | str) -> None:
            if (folder / name).exists():
                (folder / name).write_text(f"{value}\n")

        write("pids.max", limits.processes)
        if version == "1":
            write("memory.limit_in_bytes", limits.memory)
            write("memory.memsw.limit_in_bytes", limits.memory)  # no swap (when accounted)
        else:
            write("memory.max", limits.memory)
            write("memory.swap.max", 0)

    @property
    def procs(self) -> list[str]:
        return [str(folder / "cgroup.procs") for _, folder in self.folders]

    @property
    def controllers(self) -> set[str]:
        return {name.split(".")[0] for _, folder in self.folders
                for name in ("pids.max", "memory.max", "memory.limit_in_bytes")
                if (folder / name).exists()}

    def limits_hit(self, limits: Limits) -> list[str]:
        """What the sandbox's processes were refused: tasks over ``pids.max``, memory."""
        said = []
        for _, folder in self.folders:
            events = _counts(folder / "pids.events")
            if events.get("max"):
                said.append(f"{events['max']} time(s) refused a new process or thread: "
                            f"the limit is {limits.processes} tasks")
            killed = (_counts(folder / "memory.oom_control").get("oom_kill")
                      or _counts(folder / "memory.events").get("oom_kill"))
            if killed:
                said.append(f"{killed} process(es) killed for using more than "
                            f"{limits.memory:,} bytes of memory together")
        return said

    def close(self) -> None:
        """Kill every process left in the cgroups, then remove them."""
        for version, folder in self.folders:
            if version == "2" and (folder / "cgroup.kill").exists():
                with contextlib.suppress(OSError):
                    (folder / "cgroup.kill").write_text("1\n")
            for _ in range(200):
                try:
                    pids = (folder / "cgroup.procs").read_text().split()
                except OSError:
                    break
                if not pids:
                    break
                for pid in pids:
                    with contextlib.suppress(OSError):
                        os.kill(int(pid), signal.SIGKILL)
                time.sleep(0.01)
            for _ in range(100):
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.02)
        self.folders = []


def _counts(path: Path) -> dict[str, int]:
    """``name value`` lines of a cgroup file (``pids.events``, ``memory.events``)."""
    found = {}
    with contextlib.suppress(OSError, ValueError):
        for line in path.read_text().splitlines():
            name, _, value = line.partition(" ")
            found[name] = int(value)
    return found


def _free_uid() -> tuple[int, int]:
    """A sandbox uid no other sandbox of this machine uses now, and its lock (held open)."""
    os.makedirs(LOCKS, mode=0o700, exist_ok=True)
    start = os.getpid() % UID_COUNT  # graders started at once rarely try the same uids first
    for step in range(UID_COUNT):
        uid = UID_BASE + (start + step) % UID_COUNT
        try:
            pwd.getpwuid(uid)
            continue  # an account's uid: never
        except KeyError:
            pass
        fd = os.open(os.path.join(LOCKS, str(uid)), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC,
                     0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
                continue
            raise
        return uid, fd
    raise SandboxUnavailable(f"all {UID_COUNT} sandbox uids from {UID_BASE} are in use")


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
        parents = _cgroup_parents()
        root = os.geteuid() == 0
        tasks = (f"cgroup v{parents['pids'][0]} pids.max" if "pids" in parents
                 else "RLIMIT_NPROC of its own uid" if root
                 else "RLIMIT_NPROC of its own user namespace")
        memory = (f"cgroup v{parents['memory'][0]} memory limit, no swap" if "memory" in parents
                  else "RLIMIT_AS per process only (no cgroup: the total is not bounded)")
        uid = (f"a uid of its own ({UID_BASE}+)" if root
               else "the grader's uid in a user namespace of its own")
        return {"tasks": tasks, "memory": memory, "uid": uid}

    def open(self, scratch: str | os.PathLike[str]) -> Box:
        """One student's sandbox, on the host folder ``scratch`` (its ``in`` folder holds the
        files given to the kernel); :meth:`Box.close` ends it."""
        uid, lock = _free_uid() if os.geteuid() == 0 else (None, None)
        try:
            cgroup = _Cgroup.make(self.limits)
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
    cgroup: _Cgroup

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
