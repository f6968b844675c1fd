"""The steps of autograding a canvastools submission, as nbgrader preprocessors.

``configure_course`` puts them in nbgrader's autograde pipeline, and ``canvastools autograde``
runs the same classes, so there is one grading path::

    sanitize:  SanitizeSubmission, ClearOutput, DeduplicateCells, OverwriteKernelspec,
               RestoreCells, CheckCellMetadata
    autograde: ScoreAnswers, SandboxedExecute, IgnorePattern, LimitOutput,
               CleanStudentContent, SaveAutoGrades, AssignLatePenalties, CheckCellMetadata,
               RecordGrading

- :class:`SanitizeSubmission` keeps only the notebooks and the answer file of a submission
  (``allowed_files`` adds more), caps the answer file and the cells' text, and starts the
  notebook's list of flags (after :mod:`canvastools.grader.intake` set aside links and oversized
  files before nbgrader copied anything).
- :class:`DeduplicateCells` and :class:`RestoreCells` make a notebook whose graded cells were
  deleted, reordered or copied gradable, put back the original of an edited read-only cell
  (a flag), and stay quiet for an honest notebook (nbgrader warns about every test cell,
  whose released text lacks the hidden tests: nbgrader#1961).
- :class:`ScoreAnswers` scores every canvastools test cell in the grader's own process, from
  the answer file as submitted and the key in the instructor's source, and writes the points
  as the cell's result; the cell is never executed.
- :class:`SandboxedExecute` runs the notebook only when some graded cell needs it (an
  instructor's plain-Python test, a code answer), in a scratch copy under bubblewrap
  (:mod:`canvastools.grader.sandbox`), skipping the cells already scored; otherwise no kernel
  starts.
- :class:`RecordGrading` writes the student's grading record (:mod:`canvastools.grader.records`).

Every flag is logged once as a warning, and kept in the record; an honest submission raises
none.

One step per module (:mod:`.sanitize`, :mod:`.deduplicate`, :mod:`.restore`, :mod:`.score`,
:mod:`.execute`, :mod:`.record`), sharing :mod:`canvastools.grader.step_context`; every class
and helper is importable from here under its name, as course configs do::

    from canvastools.grader.steps import SandboxedExecute, SanitizeSubmission
"""

from canvastools.grader.step_context import (
    META,
    add_flag,
    course_paths,
    nbgrader_metadata,
    notebook_meta,
    read_source_cells,
    source_cells,
)
from canvastools.grader.steps.deduplicate import DeduplicateCells
from canvastools.grader.steps.execute import SandboxedExecute, needs_kernel, runs_kernel
from canvastools.grader.steps.record import RecordGrading
from canvastools.grader.steps.restore import RestoreCells, released_text
from canvastools.grader.steps.sanitize import SHADOWING, SanitizeSubmission
from canvastools.grader.steps.score import ScoreAnswers

__all__ = [
    "META", "SHADOWING", "DeduplicateCells", "RecordGrading", "RestoreCells",
    "SandboxedExecute", "SanitizeSubmission", "ScoreAnswers", "add_flag", "course_paths",
    "nbgrader_metadata", "needs_kernel", "notebook_meta", "read_source_cells", "released_text",
    "runs_kernel", "source_cells",
]
