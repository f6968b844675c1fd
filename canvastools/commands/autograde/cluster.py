"""The Dask side of ``canvastools autograde``: a local cluster or a shared one, and what a
student's task takes of a worker::

    start = ClusterStart(jobs=2, scheduler=None)
    client = start.client()
    ...
    start.close()

A worker of a cluster started elsewhere loads what grading needs as it starts with
``dask worker tcp://SCHEDULER:8786 --preload canvastools.commands.autograde``
(:func:`dask_setup`).
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from canvastools.grader.autograde_task import Course

PRELOAD = "canvastools.commands.autograde"

# A local worker process grades one student at a time where grading is all Python (two would
# only share one core), and two where student code runs in kernels: one's kernel works while
# the other's starts or waits (measured: 40 kernel submissions on 2 cores, 19.5 s -> 15.7 s).
STUDENTS_PER_WORKER = 2


def task_resources(course: Course, assignment: str, notebooks: list[str], run: str,
                   local: bool) -> dict[str, int] | None:
    """What a student's task takes of a local worker: all of it, or half where kernels run."""
    from canvastools.grader.steps import read_source_cells, runs_kernel

    if not local:  # a shared cluster's workers: their own --nthreads decides
        return None
    kernels = any(runs_kernel(read_source_cells(course.db_url, assignment, notebook, run))
                  for notebook in notebooks)
    return {"students": 1 if kernels else STUDENTS_PER_WORKER}


def dask_setup(worker: Any) -> None:
    """Dask's preload hook: a grading worker imports what grading needs as it starts, not
    when its first student arrives (``dask worker --preload canvastools.commands.autograde``)."""
    from canvastools.grader.autograde_task import preload

    preload()


def _cluster(jobs: int, scheduler: str | None) -> tuple[Any, Any]:
    """A client of the cluster at ``scheduler``, or of a new local one (and that cluster)."""
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler, timeout="20s"), None
    cluster = LocalCluster(n_workers=jobs, threads_per_worker=STUDENTS_PER_WORKER,
                           resources={"students": STUDENTS_PER_WORKER}, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR,
                           host="127.0.0.1", worker_class="distributed.Nanny",
                           preload=[PRELOAD])
    return Client(cluster), cluster


class ClusterStart:
    """The cluster, started in a thread of its own while this process reads the course: the
    workers' start and this process's imports overlap instead of adding up."""

    def __init__(self, jobs: int, scheduler: str | None) -> None:
        from concurrent.futures import ThreadPoolExecutor

        pool = ThreadPoolExecutor(1, thread_name_prefix="canvastools-cluster")
        self._future = pool.submit(_cluster, jobs, scheduler)
        pool.shutdown(wait=False)
        self.local = scheduler is None

    def client(self) -> Any:
        """The ``distributed.Client`` (waits for the cluster to be up)."""
        return self._future.result()[0]

    def close(self) -> None:
        """Close the client and the local cluster, whatever state they are in."""
        try:
            client, cluster = self._future.result()
        except Exception:  # noqa: BLE001 - it never started: nothing to close
            return
        # closing is best effort: a cluster already gone raises whatever Dask's comms raise
        with contextlib.suppress(Exception):
            client.close(timeout=10)
        if cluster is not None:
            with contextlib.suppress(Exception):
                cluster.close(timeout=10)
