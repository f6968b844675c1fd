"""The services the tests start for real: PostgreSQL (gradebooks) and a Dask cluster."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

WRITER = """
import sys
import sqlalchemy as sa
url, writer, rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
engine = sa.create_engine(url)
for n in range(rows):  # one transaction per row, as one graded student per task
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO grade (writer, n, score) VALUES (:w, :n, :s)"),
                     {"w": writer, "n": n, "s": n / 2})
engine.dispose()
"""


def test_postgres_round_trip_as_a_non_root_user(postgres_server, postgres_url):
    import sqlalchemy as sa

    engine = sa.create_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE note (id serial PRIMARY KEY, text text)"))
        conn.execute(sa.text("INSERT INTO note (text) VALUES ('café ✓')"))
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT text FROM note")).scalar_one() == "café ✓"
        server_pid = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
    engine.dispose()
    owner = Path(f"/proc/{server_pid}").stat().st_uid
    assert owner != 0, "the PostgreSQL server must not run as root"
    assert postgres_url.startswith("postgresql+psycopg://")


def test_postgres_concurrent_writers_lose_no_row(fresh_postgres_url):
    import sqlalchemy as sa

    engine = sa.create_engine(fresh_postgres_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE grade (writer int, n int, score float, "
                             "PRIMARY KEY (writer, n))"))
    writers, rows = 4, 150
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, fresh_postgres_url, str(w),
                               str(rows)], stderr=subprocess.PIPE, text=True)
             for w in range(writers)]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    with engine.connect() as conn:
        got = conn.execute(sa.text("SELECT writer, n FROM grade")).all()
    engine.dispose()
    assert sorted(got) == [(w, n) for w in range(writers) for n in range(rows)]


def test_each_test_can_have_its_own_database(postgres_server, fresh_postgres_url):
    import sqlalchemy as sa

    other = postgres_server.create_database()
    assert other != fresh_postgres_url
    for url in (fresh_postgres_url, other):
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            tables = conn.execute(sa.text(
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_schema = 'public'")).scalar_one()
        engine.dispose()
        assert tables == 0


def test_nbgrader_gradebook_on_postgres(fresh_postgres_url, monkeypatch):
    from nbgrader.api import Gradebook

    # nbgrader runs `alembic` (of this venv) to set up the database
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])

    with Gradebook(fresh_postgres_url, course_id="course101") as gb:
        gb.add_student("ada", first_name="Ada")
        gb.add_assignment("demo-classify")
    with Gradebook(fresh_postgres_url, course_id="course101") as gb:
        assert [s.id for s in gb.students] == ["ada"]
        assert [a.name for a in gb.assignments] == ["demo-classify"]


# -- Dask ---------------------------------------------------------------------------------
def whoami() -> tuple[int, str]:
    """Run on a worker: its process id, and where it imports canvastools from."""
    import canvastools

    return os.getpid(), str(Path(canvastools.__file__).resolve().parents[1])


def start_then_wait(folder: str, timeout: float = 60) -> int:
    """Say 'started' (a file named after this process), then wait for a 'go' file."""
    Path(folder, f"started-{os.getpid()}").touch()
    deadline = time.monotonic() + timeout
    while not Path(folder, "go").exists():
        if time.monotonic() > deadline:
            raise TimeoutError("no 'go' file")
        time.sleep(0.05)
    return os.getpid()


def _wait_for(predicate, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while not (found := predicate()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
    return found


def test_dask_task_runs_on_each_worker_with_the_project(dask_cluster, dask_scheduler):
    from distributed import Client

    assert dask_cluster.address == dask_scheduler
    assert dask_scheduler.startswith("tcp://127.0.0.1:")
    workers = dask_cluster.worker_addresses()
    assert sorted(workers) == dask_cluster.alive_workers() and len(workers) == 2
    root = str(Path(__file__).resolve().parents[1])
    with Client(dask_scheduler, timeout=30) as client:
        for name, address in workers.items():
            pid, project = client.submit(whoami, workers=[address], pure=False).result(60)
            assert pid == dask_cluster.pid(name)  # a separate worker process, not this one
            assert pid != os.getpid()
            assert project == root
        info = client.scheduler_info(n_workers=-1)["workers"]
        assert all(w["nthreads"] == 1 for w in info.values())


def test_a_killed_workers_task_runs_again_on_the_other(dask_cluster, tmp_path):
    from distributed import Client

    workers = dask_cluster.worker_addresses()
    victim, survivor = sorted(workers)
    with Client(dask_cluster.address, timeout=30) as client:
        future = client.submit(start_then_wait, str(tmp_path), workers=[workers[victim]],
                               allow_other_workers=True, pure=False)
        started = tmp_path / f"started-{dask_cluster.pid(victim)}"
        _wait_for(started.exists)
        dask_cluster.kill_worker(victim)
        assert dask_cluster.alive_workers() == [survivor]
        rerun = tmp_path / f"started-{dask_cluster.pid(survivor)}"
        _wait_for(rerun.exists)
        (tmp_path / "go").touch()
        assert future.result(timeout=60) == dask_cluster.pid(survivor)
        replacement = dask_cluster.start_worker()
        assert replacement in dask_cluster.worker_addresses()


def add_student(url: str, student: str) -> list[str]:
    """Run on a worker: add a student to an nbgrader gradebook, return the students."""
    from nbgrader.api import Gradebook

    with Gradebook(url, course_id="course101") as gb:
        gb.add_student(student)
        return sorted(s.id for s in gb.students)


def test_workers_write_one_nbgrader_gradebook_on_postgres(dask_cluster, fresh_postgres_url):
    from distributed import Client

    workers = dask_cluster.worker_addresses()
    with Client(dask_cluster.address, timeout=30) as client:
        first = client.submit(add_student, fresh_postgres_url, "ada", pure=False,
                              workers=[workers["w0"]] if "w0" in workers else None)
        assert first.result(timeout=120) == ["ada"]  # a fresh gradebook, created on a worker
        others = [client.submit(add_student, fresh_postgres_url, s, pure=False, workers=[w])
                  for s, w in zip(("ben", "cleo"), sorted(workers.values()), strict=True)]
        client.gather(others)
        assert add_student(fresh_postgres_url, "dev") == ["ada", "ben", "cleo", "dev"]


def test_import_canvastools_loads_no_cluster_progress_or_database_library():
    code = ("import sys, canvastools; print([m for m in sys.modules if m.split('.')[0] in "
            "('dask', 'distributed', 'tqdm', 'sqlalchemy', 'psycopg', 'matplotlib', "
            "'nbgrader')])")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert run.stdout.strip() == "[]"

