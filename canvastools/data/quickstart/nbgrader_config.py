"""nbgrader configuration of a course made by `canvastools quickstart`.

    nbgrader generate_assignment demo-classify --force   # source/ -> release/
    nbgrader autograde demo-classify                     # submitted/ -> autograded/
    nbgrader generate_feedback demo-classify             # autograded/ -> feedback/
    nbgrader export                                      # grades.csv

Students answer with canvastools widgets, which save to `canvastools_answers.json` next to
the notebook; hidden tests grade that file (canvastools.grading).
"""

import os

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearHiddenTests,
    ClearMarkScheme,
    ClearOutput,
    ClearSolutions,
    ComputeChecksums,
    DeduplicateIds,
    GetGrades,
    IncludeHeaderFooter,
    InstantiateTests,
    LockCells,
    OverwriteKernelspec,
    SaveCells,
)

from canvastools.nbgrader_plugins import HideHiddenTests, RestoreMissingCells, StripWidgetState

c = get_config()  # noqa: F821 (provided by traitlets)

HERE = os.path.dirname(os.path.abspath(__file__))
ANSWERS = "canvastools_answers.json"

c.CourseDirectory.root = HERE
c.CourseDirectory.course_id = "canvastools-course"
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"

# Never copied by any step: locks, temporary files, backups of corrupted answer files.
# (The answer file itself must not be here: `ignore` also applies to submitted/ ->
# autograded/. StripWidgetState keeps it out of the release instead.)
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback",
    ".canvastools_answers*", "canvastools_answers.json.*", "canvastools_answers.corrupt-*",
    "*.corrupt-*.json",
]

# The student's answer file is never replaced by a copy left in source/<assignment>/.
_source = os.path.join(HERE, "source")
_names = sorted(n for n in os.listdir(_source) if os.path.isdir(os.path.join(_source, n))) \
    if os.path.isdir(_source) else []
c.Autograde.exclude_overwriting = {name: [ANSWERS] for name in _names}

c.Execute.timeout = 30  # seconds per cell: an infinite loop cannot hang grading
c.Execute.interrupt_on_timeout = True
c.Execute.store_widget_state = False
c.OverwriteCells.add_missing_cells = True

c.GenerateAssignment.preprocessors = [
    IncludeHeaderFooter, InstantiateTests, LockCells, ClearSolutions, ClearOutput,
    CheckCellMetadata, ComputeChecksums, SaveCells, ClearHiddenTests, ClearMarkScheme,
    ComputeChecksums, CheckCellMetadata, StripWidgetState,
]
# nbgrader's sanitize steps; RestoreMissingCells puts deleted test cells back (nbgrader 0.9.6's
# OverwriteCells crashes when the cell before a deleted test cell is read-only)
c.Autograde.sanitize_preprocessors = [
    ClearOutput, DeduplicateIds, OverwriteKernelspec, RestoreMissingCells, CheckCellMetadata,
]
c.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, CSSHTMLHeaderPreprocessor]
