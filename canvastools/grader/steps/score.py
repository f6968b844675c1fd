"""autograde: :class:`ScoreAnswers`, canvastools test cells scored in the grader's own process
from the answer file and the key in the instructor's source; never executed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nbformat import NotebookNode
from nbgrader import utils as nbutils
from nbgrader.preprocessors import NbGraderPreprocessor

from canvastools.answers.store import ANSWERS_FILENAME
from canvastools.grader.records import answers_digest, make_storable
from canvastools.grader.step_context import (
    META,
    add_flag,
    cell_grade_id,
    course_paths,
    error_output,
    notebook_meta,
    source_cells,
)


class ScoreAnswers(NbGraderPreprocessor):
    """Scores canvastools test cells from the answer file, in the grader; never runs them.

    The answer file's size cap is SanitizeSubmission's (one setting): a file over it is no
    longer there when this step reads the folder."""

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]):
        from canvastools.answers.copies import choose_answers
        from canvastools.answers.store import AnswerStore
        from canvastools.grading.points import cell_points, score_calls
        from canvastools.grading.pools import is_pooled, pool_flags
        from canvastools.grading.testcells import graded_exercises, parse_test_cell

        paths = course_paths(self, resources)
        answers_path = Path(paths["dest"]) / ANSWERS_FILENAME
        meta = notebook_meta(nb)
        if answers_path.is_file() and not answers_path.is_symlink():
            answers = AnswerStore(paths["dest"]).read()
        else:
            answers = None
        if answers is not None and answers.problem:
            add_flag(self, nb, resources, "answers-damaged", answers.problem)
        cells = source_cells(resources)
        answers, flags = choose_answers(answers, meta.pop("notebook_copies", []),
                                        graded_exercises(cells))
        for code, message in flags:
            add_flag(self, nb, resources, code, message)
        # of what is graded, file or notebook's copy: a classmate's notebook handed in alone
        # is as identical as a classmate's answer file
        meta["answers_sha256"] = answers_digest(answers.exercises)
        self._sources = [c["source"] for c in cells.values() if c["cell_type"] == "code"]
        for cell in nb.cells:
            if cell.get("cell_type") != "code" or not nbutils.is_grade(cell):
                continue
            grade_id = cell_grade_id(cell)
            if grade_id not in cells:
                continue  # SanitizeSubmission let only the source's graded cells through
            source = cells[grade_id]["source"]
            max_points = float(cells[grade_id].get("points", 0.0))
            try:
                calls = parse_test_cell(source, where=f"test cell '{grade_id}'")
            except ValueError as exc:
                calls = exc
            if calls is None:
                continue  # a plain test: SandboxedExecute runs it
            cell.metadata[META] = {"scored": True}
            cell.execution_count = None
            if isinstance(calls, Exception):
                self._key_error(nb, resources, cell, grade_id, calls)
                continue
            info = resources.get("nbgrader", {})
            who = {"assignment": info.get("assignment"), "student": info.get("student")}
            try:
                results = score_calls(calls, answers, **who)
                flags = pool_flags(calls, answers, **who) if any(map(is_pooled, calls)) else []
            except (ValueError, TypeError) as exc:
                self._key_error(nb, resources, cell, grade_id, exc)
                continue
            for code, message in flags:
                add_flag(self, nb, resources, code, message)
            points = cell_points(results, max_points)
            cell.metadata[META]["results"] = make_storable([r.to_dict() for r in results])
            cell.outputs = make_storable(self.outputs(results, points, max_points))
        return nb, resources

    def _key_error(self, nb: NotebookNode, resources: dict[str, Any], cell: NotebookNode,
                   grade_id: str, exc: Exception) -> None:
        message = str(exc)
        self.log.error("[canvastools] the key of test cell '%s' is wrong: %s", grade_id,
                       message)
        add_flag(self, nb, resources, "key-error", f"test cell '{grade_id}': {message}")
        cell.outputs = [error_output("InputError", message)]

    def outputs(self, results: list[Any], points: float, max_points: float) -> list[Any]:
        """The cell's outputs: the per-item view for the instructor, then the points."""
        from canvastools.grading.views import result_outputs

        shown = result_outputs(results, show_key=True, sources=getattr(self, "_sources", ()))
        return [NotebookNode(o) for o in shown] + [NotebookNode({
            "output_type": "execute_result", "execution_count": None, "metadata": {},
            "data": {"text/plain": repr(float(points))}})]
