"""What bounds one sandbox on this machine: its cgroup, its uid, the :class:`Limits`.

:mod:`canvastools.grader.sandbox` makes a sandbox; this module holds the parts that depend on what
the machine allows (measured in docs/grading-security.md, "What an instructor's server
needs")::

    cgroup_parents()      # {"pids": ("1", Path("/sys/fs/cgroup/pids")), ...} where writable
    cgroup = Cgroup.make(Limits())   # a cgroup of its own, limited (empty where none)
    uid, lock = free_uid()           # as root: a uid no other sandbox uses now
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import pwd
import signal
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

UID_BASE = 64000  # the pool of sandbox uids as root: UID_BASE .. UID_BASE + UID_COUNT - 1
UID_COUNT = 512
LOCKS = "/run/canvastools-sandbox"  # one lock file per uid in use (root only)


@dataclass(frozen=True)
class Limits:
    """Per-sandbox bounds (bytes, counts). PrairieLearn's external graders give one grading
    job 2 GiB of memory, 1 GiB of disk and 1,024 PIDs; here two students are graded per core,
    so the defaults are smaller (``SandboxedExecute`` options change them)::

        Limits(memory=512 * 1024**2, processes=128)
    """

    memory: int = 1024**3  # all processes of the sandbox together (per process without cgroup)
    processes: int = 256  # tasks (processes and threads) of the sandbox
    open_files: int = 512
    file_size: int = 64 * 1024**2
    disk: int = 256 * 1024**2  # the working folder, in memory
    tmp_size: int = 64 * 1024**2  # /tmp and /dev/shm, each


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


def cgroup_parents() -> dict[str, tuple[str, Path]]:
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
class Cgroup:
    """One sandbox's cgroups (a folder per hierarchy), made and removed by the grader."""

    folders: list[tuple[str, Path]] = field(default_factory=list)

    @classmethod
    def make(cls, limits: Limits) -> Cgroup:
        made = cls()
        name = f"canvastools-{uuid.uuid4().hex[:12]}"
        for version, parent in cgroup_parents().values():
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


def free_uid() -> tuple[int, int]:
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
    raise OSError(errno.EAGAIN, f"all {UID_COUNT} sandbox uids from {UID_BASE} are in use")
