"""Fixtures shared by the tests of the data files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# The tests read the command line's English messages, whatever the locale of the machine
# (an Italian LANG would make canvastools answer in Italian); tests of the other languages
# set CANVASTOOLS_LANG, --lang or LANG themselves.
os.environ["CANVASTOOLS_LANG"] = "en"


@pytest.fixture
def concierge_taxonomy(tmp_path: Path) -> Path:
    """A folder ``tmp_path/files`` holding ``mine.yaml``: bmg2010 plus a type ``concierge``
    (the folder differs from the working directory tests may switch to, ``tmp_path``)."""
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "mine.yaml").write_text(
        "id: mine\nname: Mine\nextends: bmg2010\ntypes:\n"
        "  - {id: concierge, spectrum: 0.1, label: {en: Concierge}}\n", encoding="utf-8")
    return folder


# -- real services, started once per session by the tests that use them (tests/services.py) --
ROOT = Path(__file__).resolve().parents[1]


def _start(service) -> None:
    """Start a service of tests/services.py, or fail the test with the reason (never skip)."""
    from services import ServiceError

    try:
        service.start()
    except ServiceError as exc:
        reason = str(exc)
    else:
        return
    pytest.fail(reason, pytrace=False)


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server of this session (``services.PostgresServer``), stopped at its end.

    ``postgres_server.create_database()`` makes another empty database and returns its URL.
    When the server cannot start (no postgresql package...), the test fails with the reason.
    """
    from services import PostgresServer

    server = PostgresServer()
    try:
        _start(server)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_url(postgres_server) -> str:
    """SQLAlchemy URL of an empty database, shared by the session's tests that use it."""
    return postgres_server.create_database()


@pytest.fixture
def fresh_postgres_url(postgres_server) -> str:
    """SQLAlchemy URL of an empty database of this test only."""
    return postgres_server.create_database()


@pytest.fixture(scope="session")
def _dask_cluster_session():
    from services import DaskCluster

    cluster = DaskCluster(workers=2, pythonpath=[ROOT, ROOT / "tests"])
    try:
        _start(cluster)
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def dask_cluster(_dask_cluster_session):
    """The session's Dask cluster (``services.DaskCluster``): ``.address`` is the scheduler's
    ``tcp://127.0.0.1:PORT``; ``.kill_worker(name)`` SIGKILLs a worker, ``.start_worker()``
    starts a replacement. After the test, the cluster has two live workers again."""
    cluster = _dask_cluster_session
    yield cluster
    alive = cluster.alive_workers()
    for name in alive[cluster.n_workers:]:
        cluster.kill_worker(name)
    for _ in range(cluster.n_workers - len(alive)):
        cluster.start_worker()


@pytest.fixture(scope="session")
def dask_scheduler(_dask_cluster_session) -> str:
    """The address ``tcp://127.0.0.1:PORT`` of the session's Dask scheduler (two workers)."""
    return _dask_cluster_session.address


@pytest.fixture(scope="session")
def classgen():
    """The module tools/classgen.py: ``classgen.generate_class(course, assignment, n, seed=0)``
    writes a class of generated submissions and returns its manifest."""
    import sys

    tools = str(ROOT / "tools")
    if tools not in sys.path:
        sys.path.insert(0, tools)
    import classgen

    return classgen
