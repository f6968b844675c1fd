"""nbgrader configuration: the repository root is the canvastools nbgrader course.

    nbgrader generate_assignment classify-cases --force   # solutions/ -> exercises/
    nbgrader autograde classify-cases                     # submitted/ -> autograded/
    nbgrader generate_feedback classify-cases             # autograded/ -> feedback/
    nbgrader export                                       # grades.csv

Students answer with widgets; every widget saves its answer to the JSON sidecar
``canvastools_answers.json`` next to the notebook, and the hidden tests grade that file.
The same settings are written by ``canvastools quickstart`` (canvastools/quickstart.py);
keep the two in step.
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

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

HERE = os.path.dirname(os.path.abspath(__file__))
ANSWERS = "canvastools_answers.json"

c.CourseDirectory.root = HERE
c.CourseDirectory.course_id = "canvastools"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"

# Lock files, temporary files and backups of corrupted sidecars are never copied by any step.
# The sidecar itself must NOT be listed here: nbgrader's `ignore` applies to every copy,
# including submitted/ -> autograded/, which would throw away the student's answers.
# Keeping the sidecar out of the release is done by canvastools' StripWidgetState
# preprocessor of generate_assignment instead (it deletes any sidecar from the release).
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "feedback",
    ".canvastools_answers*",
    "canvastools_answers.json.*",
    "canvastools_answers.corrupt-*",
    "*.corrupt-*.json",
]

# Autograde copies the non-notebook files of solutions/<assignment>/ over the submission; the
# student's sidecar must never be replaced by one left in solutions/ (e.g. by an instructor
# who tried the widgets there). The option is keyed by assignment name.
_source = os.path.join(HERE, "solutions")
_assignments = {"classify-cases", "motivations-questions", "design-relationships"}
if os.path.isdir(_source):
    _assignments.update(
        name for name in os.listdir(_source) if os.path.isdir(os.path.join(_source, name))
    )
c.Autograde.exclude_overwriting = {name: [ANSWERS] for name in sorted(_assignments)}

# An infinite loop in a student's cell is interrupted after 30 s; the rest still runs.
c.Execute.timeout = 30
c.Execute.interrupt_on_timeout = True
# Executed notebooks keep no widget state (it would end up in the feedback HTML).
c.Execute.store_widget_state = False

# A student who deleted a test cell gets it back (and graded) instead of losing the grade row.
c.OverwriteCells.add_missing_cells = True  # also configures RestoreMissingCells

# nbgrader 0.9 defaults, extended with canvastools' preprocessors
# (see nbgrader/converters/generate_assignment.py, autograde.py and generate_feedback.py).
c.GenerateAssignment.preprocessors = [
    IncludeHeaderFooter,
    InstantiateTests,
    LockCells,
    ClearSolutions,
    ClearOutput,
    CheckCellMetadata,
    ComputeChecksums,
    SaveCells,
    ClearHiddenTests,
    ClearMarkScheme,
    ComputeChecksums,
    CheckCellMetadata,
    StripWidgetState,  # widget state out, no answer sidecar in the release
]
# nbgrader's default sanitize steps, with OverwriteCells replaced by a subclass that puts
# deleted test cells back without crashing (see canvastools/nbgrader_plugins.py)
c.Autograde.sanitize_preprocessors = [
    ClearOutput,
    DeduplicateIds,
    OverwriteKernelspec,
    RestoreMissingCells,
    CheckCellMetadata,
]
c.GenerateFeedback.preprocessors = [
    GetGrades,
    HideHiddenTests,  # no hidden test code, key or widget state in the feedback
    CSSHTMLHeaderPreprocessor,
]
