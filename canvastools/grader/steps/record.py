"""autograde: :class:`RecordGrading`, the student's grading record (flags, per-item results,
fingerprints; :mod:`canvastools.grader.records`), and the index of identical answers."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from typing import Any

from nbformat import NotebookNode
from nbgrader import utils as nbutils
from nbgrader.preprocessors import NbGraderPreprocessor

from canvastools.grader.records import (
    flag_identical_answers,
    key_digest,
    make_storable,
    read_intake,
    read_record,
    records_locked,
    submission_digest,
    write_record,
)
from canvastools.grader.step_context import (
    META,
    cell_grade_id,
    course_paths,
    notebook_meta,
    source_cells,
)


class RecordGrading(NbGraderPreprocessor):
    """Writes the student's grading record (flags, per-item results, fingerprints)."""

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]):
        make_storable(nb)  # whatever the kernel sent: nbgrader writes the notebook next
        paths = course_paths(self, resources)
        with records_locked(paths["root"], resources["nbgrader"]["assignment"]):
            self._record(nb, resources, paths)
        return nb, resources

    def _record(self, nb: NotebookNode, resources: dict[str, Any],
                paths: dict[str, str]) -> None:
        info = resources["nbgrader"]
        meta = notebook_meta(nb)
        record = read_record(paths["root"], info["assignment"], info["student"])
        if record.get("run") != resources.get("canvastools_run", os.getpid()):
            record = {}  # a new grading of this submission: start afresh
        cells = {}
        for cell in nb.cells:
            grade_id = cell_grade_id(cell)
            if grade_id is None or not nbutils.is_grade(cell):
                continue
            score, max_score = nbutils.determine_grade(cell, self.log)
            cells[grade_id] = {"points": score, "max_points": max_score,
                               "results": cell.metadata.get(META, {}).get("results", [])}
        notebooks = record.setdefault("notebooks", {})
        notebooks[info["notebook"]] = {"cells": cells, "kernel": meta.get("kernel"),
                                       "flags": meta.get("flags", []),
                                       "key_sha256": key_digest(source_cells(resources))}
        flags: list[dict[str, str]] = []
        for entry in notebooks.values():
            flags += [f for f in entry["flags"] if f not in flags]
        record.update({
            "student": info["student"], "assignment": info["assignment"],
            "run": resources.get("canvastools_run", os.getpid()),
            "graded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "answers_sha256": meta.get("answers_sha256"),
            # taken as the submission was taken in, before grading (by the intake)
            "submission_sha256": read_intake(paths["root"], info["assignment"],
                                             info["student"]).get("submission_sha256")
            or submission_digest(paths["submitted"]),
            "flags": flags,
        })
        write_record(paths["root"], info["assignment"], info["student"], record)
        self._flag_identical(paths["root"], info["assignment"], info["student"],
                             record.get("answers_sha256"))

    def _flag_identical(self, root: str, assignment: str, student: str,
                        digest: str | None) -> None:
        """Flag this student and every classmate whose graded answers are the same (the index
        of identical answers, one small file a digest, sits next to the records)."""
        same = flag_identical_answers(root, assignment, student, digest)
        if same:
            self.log.warning("[canvastools] %s/%s: identical-answers: the graded answers are "
                             "identical to those of %s", student, assignment, ", ".join(same))
