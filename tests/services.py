"""Real services for the tests: a PostgreSQL server and a Dask cluster, started on this machine.

Both are started by the test session (fixtures in tests/conftest.py) and stopped at its end,
even when a test fails. Nothing is mocked: the gradebook tests talk to a real PostgreSQL server
through SQLAlchemy, the cluster tests send tasks to a real ``dask.distributed`` scheduler and
worker processes.

PostgreSQL (Debian's ``postgresql`` package: ``initdb`` and ``pg_ctl`` of the newest
``/usr/lib/postgresql/*/bin``), in a temporary folder, as a non-root user (the current user,
or ``nobody`` when the tests run as root), on 127.0.0.1 and a unix socket in that folder::

    server = PostgresServer()
    server.start()
    url = server.create_database()  # 'postgresql+psycopg://canvastools:...@127.0.0.1:PORT/db1'
    server.stop()

Dask: a scheduler and worker processes (one thread each, no nanny, so that a worker can be
killed for real and its tasks are run again on another worker)::

    cluster = DaskCluster(workers=2)
    cluster.start()
    cluster.address                # 'tcp://127.0.0.1:PORT'
    cluster.kill_worker("w0")      # SIGKILL
    cluster.start_worker()         # a replacement, 'w2'
    cluster.stop()
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

__all__ = ["DaskCluster", "PostgresServer", "ServiceError", "free_port", "postgres_bindir"]

ROOT = Path(__file__).resolve().parents[1]


class ServiceError(RuntimeError):
    """A service could not be started; the message says why and what to install or check."""


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that nothing listens on now (the kernel's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _version_key(path: Path) -> tuple:
    return tuple(int(part) if part.isdigit() else 0 for part in re.split(r"[.]", path.name))


def postgres_bindir() -> Path:
    """The newest ``/usr/lib/postgresql/VERSION/bin`` that has ``initdb`` and ``pg_ctl``.

    ``CANVASTOOLS_PG_BINDIR`` overrides it. Raises ServiceError when there is none.
    """
    override = os.environ.get("CANVASTOOLS_PG_BINDIR")
    candidates = ([Path(override)] if override else
                  sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p:
                         _version_key(p.parent), reverse=True))
    for bindir in candidates:
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return bindir
    raise ServiceError(
        "PostgreSQL's initdb and pg_ctl were not found in "
        + (override if override else "/usr/lib/postgresql/*/bin")
        + ": install Debian's postgresql package (apt-get install postgresql; "
        "scripts/test.sh does it)")


def _server_user() -> pwd.struct_passwd:
    """Who runs the server: the current user, or (as root, which PostgreSQL refuses) nobody.

    ``CANVASTOOLS_PG_USER`` names another user; when running as root and the user does not
    exist, it is created (``useradd --system``).
    """
    if os.geteuid() != 0:
        return pwd.getpwuid(os.geteuid())
    name = os.environ.get("CANVASTOOLS_PG_USER", "nobody")
    try:
        return pwd.getpwnam(name)
    except KeyError:
        run = subprocess.run(["useradd", "--system", "--no-create-home", "--shell",
                              "/usr/sbin/nologin", name], capture_output=True, text=True)
        if run.returncode != 0:
            raise ServiceError(f"cannot create the user {name!r} to run PostgreSQL as: "
                               f"{run.stderr.strip()}") from None
        return pwd.getpwnam(name)


class PostgresServer:
    """A PostgreSQL server of its own, in a temporary folder (see the module's docstring).

    ``user`` and ``password`` are the superuser's (password authentication over TCP, the
    unix socket in :attr:`socket_dir` as well). :meth:`url` and :meth:`create_database`
    give SQLAlchemy URLs for the ``psycopg`` (v3) driver, as nbgrader's ``db_url`` takes them.
    """

    def __init__(self, base: str | os.PathLike[str] | None = None,
                 host: str = "127.0.0.1") -> None:
        self.host = host
        self.port: int | None = None
        self.user = "canvastools"
        self.password = secrets.token_hex(16)
        self._base = base
        self.folder: Path | None = None
        self._owner: pwd.struct_passwd | None = None
        self._count = 0

    # -- paths -------------------------------------------------------------------------
    @property
    def data_dir(self) -> Path:
        return self._need_folder() / "data"

    @property
    def socket_dir(self) -> Path:
        return self._need_folder()

    @property
    def log_file(self) -> Path:
        return self._need_folder() / "server.log"

    def _need_folder(self) -> Path:
        if self.folder is None:
            raise ServiceError("the PostgreSQL server has not been started")
        return self.folder

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of ``database`` on this server."""
        if self.port is None:
            raise ServiceError("the PostgreSQL server has not been started")
        return (f"postgresql+psycopg://{self.user}:{self.password}@{self.host}:{self.port}/"
                f"{database}")

    # -- running -----------------------------------------------------------------------
    def _run(self, args: Sequence[str], timeout: float = 120) -> subprocess.CompletedProcess:
        owner = self._owner
        assert owner is not None
        as_other = owner.pw_uid != os.geteuid()
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8",
               "LANG": "C.UTF-8", "HOME": str(self.folder), "TZ": "UTC"}
        return subprocess.run(
            list(args), cwd=self.folder, env=env, capture_output=True, text=True,
            timeout=timeout, stdin=subprocess.DEVNULL,
            user=owner.pw_uid if as_other else None,
            group=owner.pw_gid if as_other else None,
            extra_groups=[] if as_other else None)

    def _fail(self, what: str, run: subprocess.CompletedProcess | None = None) -> ServiceError:
        detail = ""
        if run is not None:
            detail = (run.stdout + run.stderr).strip()
        if self.folder is not None and self.log_file.is_file():
            detail += "\n--- server log ---\n" + self.log_file.read_text(errors="replace")[-3000:]
        return ServiceError(f"PostgreSQL: {what}" + (f"\n{detail}" if detail else ""))

    def start(self, attempts: int = 3) -> PostgresServer:
        """initdb in a new temporary folder, then ``pg_ctl start``; raises ServiceError."""
        bindir = postgres_bindir()
        self._owner = _server_user()
        # in /tmp (or base), not in pytest's 0700 folder: the server's user must reach it
        self.folder = Path(tempfile.mkdtemp(prefix="canvastools-pg-", dir=self._base))
        if self._owner.pw_uid != os.geteuid():
            os.chown(self.folder, self._owner.pw_uid, self._owner.pw_gid)
        self.folder.chmod(0o700)
        pwfile = self.folder / "pwfile"
        pwfile.write_text(self.password + "\n")
        if self._owner.pw_uid != os.geteuid():
            os.chown(pwfile, self._owner.pw_uid, self._owner.pw_gid)
        run = self._run([str(bindir / "initdb"), "-D", str(self.data_dir), "-U", self.user,
                         "--pwfile", str(pwfile), "--auth", "scram-sha-256",
                         "--encoding", "UTF8", "--locale", "C.UTF-8", "--no-sync"])
        pwfile.unlink()
        if run.returncode != 0:
            raise self._fail(f"initdb failed (as user {self._owner.pw_name})", run)
        for _ in range(attempts):
            self.port = free_port(self.host)
            options = (f"-c listen_addresses={self.host} -p {self.port} "
                       f"-c unix_socket_directories={self.socket_dir} -c fsync=off "
                       "-c synchronous_commit=off -c full_page_writes=off "
                       "-c max_connections=200")
            run = self._run([str(bindir / "pg_ctl"), "start", "-w", "-t", "60",
                             "-D", str(self.data_dir), "-l", str(self.log_file),
                             "-o", options])
            if run.returncode == 0:
                return self
            if "already in use" not in self.log_file.read_text(errors="replace"):
                break  # not a port taken in between: trying again would not help
        raise self._fail(f"pg_ctl start failed (as user {self._owner.pw_name}, port "
                         f"{self.port})", run)

    def stop(self) -> None:
        """``pg_ctl stop -m immediate`` and the temporary folder removed (idempotent)."""
        if self.folder is None:
            return
        if (self.data_dir / "postmaster.pid").exists():
            with contextlib.suppress(Exception):
                self._run([str(postgres_bindir() / "pg_ctl"), "stop", "-w", "-t", "30",
                           "-m", "immediate", "-D", str(self.data_dir)], timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None
        self.port = None

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- databases ---------------------------------------------------------------------
    def create_database(self, name: str | None = None) -> str:
        """Create an empty database (default name ``db1``, ``db2``...); return its URL."""
        import psycopg

        if name is None:
            self._count += 1
            name = f"db{self._count}"
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            raise ValueError(f"a database name is lowercase letters, digits and _: {name!r}")
        with psycopg.connect(host=self.host, port=self.port, user=self.user,
                             password=self.password, dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


class DaskCluster:
    """A ``dask.distributed`` scheduler and worker processes on 127.0.0.1.

    Workers are plain worker processes (``--no-nanny``, one thread each) started with this
    Python (the project's venv, whose ``bin`` comes first on their PATH), named ``w0``,
    ``w1``...; ``pythonpath`` is prepended to their PYTHONPATH (the tests add the repository
    and tests/, so that functions of test modules can be sent as tasks). Logs are in
    :attr:`folder`.
    """

    def __init__(self, workers: int = 2, *, pythonpath: Sequence[str | os.PathLike[str]] = (),
                 base: str | os.PathLike[str] | None = None, timeout: float = 60) -> None:
        self.n_workers = workers
        self.pythonpath = [str(p) for p in pythonpath]
        self.timeout = timeout
        self._base = base
        self.folder: Path | None = None
        self.address: str | None = None
        self._scheduler: subprocess.Popen | None = None
        self.workers: dict[str, subprocess.Popen] = {}
        self._next = 0

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        paths = self.pythonpath + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
        if paths:
            env["PYTHONPATH"] = os.pathsep.join(paths)
        env["PYTHONUNBUFFERED"] = "1"
        # this environment's commands first: nbgrader runs `alembic` when it creates a gradebook
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        return env

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        assert self.folder is not None
        log = open(self.folder / f"{name}.log", "wb")  # noqa: SIM115 - kept by the process
        try:
            return subprocess.Popen([sys.executable, "-m", *args], stdout=log,
                                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    env=self._env(), cwd=self.folder, start_new_session=True)
        finally:
            log.close()

    def log(self, name: str) -> str:
        """What the scheduler (``"scheduler"``) or a worker printed."""
        assert self.folder is not None
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def _fail(self, what: str, name: str) -> ServiceError:
        return ServiceError(f"Dask: {what}\n--- {name} log ---\n{self.log(name)[-3000:]}")

    def start(self) -> DaskCluster:
        """The scheduler, then the workers; returns once every worker has registered."""
        self.folder = Path(tempfile.mkdtemp(prefix="canvastools-dask-", dir=self._base))
        port = free_port()
        self._scheduler = self._spawn("scheduler", [
            "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", str(port),
            "--no-dashboard", "--no-show"])
        self.address = f"tcp://127.0.0.1:{port}"
        deadline = time.monotonic() + self.timeout
        while True:
            if self._scheduler.poll() is not None:
                raise self._fail(f"the scheduler exited with status {self._scheduler.returncode}",
                                 "scheduler")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if time.monotonic() > deadline:
                raise self._fail(f"the scheduler did not listen on {self.address}", "scheduler")
            time.sleep(0.1)
        for _ in range(self.n_workers):
            self.start_worker(wait=False)
        self.wait_for_workers()
        return self

    def start_worker(self, name: str | None = None, wait: bool = True) -> str:
        """Start one more worker process (named ``w<N>`` by default); return its name."""
        if self.address is None:
            raise ServiceError("the Dask cluster has not been started")
        if name is None:
            name = f"w{self._next}"
            self._next += 1
        assert self.folder is not None
        local = self.folder / f"{name}-space"
        self.workers[name] = self._spawn(name, [
            "distributed.cli.dask_worker", self.address, "--name", name, "--nthreads", "1",
            "--no-nanny", "--no-dashboard", "--host", "127.0.0.1",
            "--local-directory", str(local)])
        if wait:
            self.wait_for_workers()
        return name

    def _registered(self) -> dict[str, str]:
        """Worker name -> address, as the scheduler knows them now."""
        from distributed import Client

        with Client(self.address, timeout=self.timeout) as client:
            info = client.scheduler_info(n_workers=-1)
        return {str(w["name"]): addr for addr, w in info["workers"].items()}

    def worker_addresses(self) -> dict[str, str]:
        """Name -> ``tcp://`` address of every worker the scheduler knows."""
        return self._registered()

    def wait_for_workers(self) -> None:
        """Wait until every running worker process of ours is registered with the scheduler."""
        deadline = time.monotonic() + self.timeout
        while True:
            for name, proc in self.workers.items():
                if proc.poll() is not None and proc.returncode != -signal.SIGKILL:
                    raise self._fail(f"worker {name} exited with status {proc.returncode}", name)
            alive = {n for n, p in self.workers.items() if p.poll() is None}
            if alive <= set(self._registered()):
                return
            if time.monotonic() > deadline:
                missing = ", ".join(sorted(alive - set(self._registered())))
                raise self._fail(f"workers {missing} did not register with {self.address}",
                                 min(alive, default="scheduler"))
            time.sleep(0.2)

    def pid(self, name: str) -> int:
        return self.workers[name].pid

    def kill_worker(self, name: str, wait: bool = True) -> None:
        """SIGKILL worker ``name`` (as a crash would); wait until the scheduler has let it go."""
        proc = self.workers[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=self.timeout)
        if not wait:
            return
        deadline = time.monotonic() + self.timeout
        while name in self._registered():
            if time.monotonic() > deadline:
                raise ServiceError(f"Dask: the scheduler still lists the killed worker {name}")
            time.sleep(0.1)

    def alive_workers(self) -> list[str]:
        return sorted(n for n, p in self.workers.items() if p.poll() is None)

    def stop(self) -> None:
        """Stop every worker and the scheduler (SIGTERM, then SIGKILL); idempotent."""
        procs = [*self.workers.values(), *([self._scheduler] if self._scheduler else [])]
        for proc in procs:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        self.workers.clear()
        self._scheduler = None
        self.address = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def __enter__(self) -> DaskCluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
