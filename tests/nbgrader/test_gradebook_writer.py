"""The one writer of `canvastools autograde` (canvastools/grader/gradebook_writer.py): one
student's gradebook rows are one transaction, and nbgrader's steps use the gradebook lent to
their thread (canvastools/grader/_nbgrader.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from autograde_demo import ASSIGNMENT, copy_demo


@pytest.fixture
def course(autograde_demo: Path, tmp_path: Path) -> Path:
    return copy_demo(autograde_demo, tmp_path)


def test_a_student_whose_gradebook_write_fails_leaves_no_row(course: Path):
    """One student's rows are one transaction: a failure after nbgrader's first commits (the
    student, the submission) leaves neither behind."""
    import logging

    from nbgrader.api import Gradebook, MissingEntry

    from canvastools.grader.autograde_task import TaskResult, load_course
    from canvastools.grader.gradebook_writer import write_student

    loaded = load_course(course)
    # graded by no worker: there is no autograded notebook to read, so the write fails midway
    result = TaskResult("newcomer", ok=True, notebooks=[ASSIGNMENT])
    with Gradebook(loaded.db_url) as gradebook:
        with pytest.raises(FileNotFoundError):
            write_student(gradebook, loaded, ASSIGNMENT, result, "run",
                          logging.getLogger("test"))
        assert gradebook.find_student("ada").id == "ada"  # the session is usable again
    with Gradebook(loaded.db_url) as gradebook:
        with pytest.raises(MissingEntry):
            gradebook.find_student("newcomer")
        with pytest.raises(MissingEntry):
            gradebook.find_submission(ASSIGNMENT, "newcomer")
        assert len(gradebook.assignment_submissions(ASSIGNMENT)) == 18

def test_a_worker_running_students_in_threads_gives_each_its_own_gradebook(course: Path):
    """A Dask worker of a shared cluster may grade several students at once, in threads: each
    of nbgrader's steps must use its own thread's gradebook, and a new one outside."""
    import threading

    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import overwritecells, saveautogrades

    from canvastools.grader._nbgrader import lend_gradebook

    lent = {n: object() for n in range(4)}
    used: dict[int, bool] = {}
    together = threading.Barrier(len(lent))

    def grade(n: int) -> None:
        with lend_gradebook(lent[n], (overwritecells, saveautogrades)):
            together.wait()  # every thread has lent its own before any uses one
            with overwritecells.Gradebook("sqlite:///unused.db") as gb, \
                    saveautogrades.Gradebook("sqlite:///unused.db") as gb2:
                used[n] = gb is lent[n] and gb2 is lent[n]
            together.wait()

    threads = [threading.Thread(target=grade, args=(n,)) for n in lent]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert used == {n: True for n in lent}
    url = f"sqlite:///{course / 'gradebook.db'}"
    with overwritecells.Gradebook(url) as gb:  # nothing lent here: a real one, opened anew
        assert isinstance(gb, Gradebook) and gb.find_student("ada").id == "ada"
