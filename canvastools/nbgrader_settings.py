"""The nbgrader settings every canvastools course needs, applied to a config in one call.

Used by this repository's ``nbgrader_config.py`` and by the one ``canvastools quickstart``
writes, so the two cannot drift apart::

    import os
    from canvastools.nbgrader_settings import configure_course

    c = get_config()
    configure_course(c, os.path.dirname(os.path.abspath(__file__)), course_id="my-course")

What it sets, and why:

- the answer file ``canvastools_answers.json`` survives autograding: it is listed in
  ``Autograde.exclude_overwriting`` for every assignment of the source folder, so a copy left in
  the source folder never replaces the student's;
- it is *not* in ``CourseDirectory.ignore`` (``ignore`` applies to every copy, including
  submitted -> autograded, which would throw the answers away); the release is kept free of it
  by :class:`~canvastools.nbgrader_plugins.StripWidgetState` instead; locks, temporary files and
  backups of damaged answer files are ignored;
- a cell runs at most 30 s (an infinite loop cannot hang grading) and no widget state is stored;
- a student who deleted a test cell gets it back
  (:class:`~canvastools.nbgrader_plugins.RestoreMissingCells`);
- feedback never shows hidden tests (:class:`~canvastools.nbgrader_plugins.HideHiddenTests`).
"""

from __future__ import annotations

import os
from typing import Any

ANSWERS = "canvastools_answers.json"
IGNORED = [
    ".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback",
    ".canvastools_answers*", "canvastools_answers.json.*", "canvastools_answers.corrupt-*",
    "*.corrupt-*.json",
]
CELL_TIMEOUT = 30  # seconds


def assignments_in(folder: str) -> list[str]:
    """The assignment names of a source folder (its subfolders), [] when it does not exist."""
    if not os.path.isdir(folder):
        return []
    return sorted(n for n in os.listdir(folder) if os.path.isdir(os.path.join(folder, n)))


def configure_course(c: Any, root: str, *, course_id: str, source: str = "source",
                     release: str = "release", assignments: tuple[str, ...] = ()) -> Any:
    """Apply canvastools' nbgrader settings to the traitlets config ``c``; return it.

    ``assignments``: names to protect even before their source folder exists.
    """
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

    from .nbgrader_plugins import HideHiddenTests, RestoreMissingCells, StripWidgetState

    c.CourseDirectory.root = root
    c.CourseDirectory.course_id = course_id
    c.CourseDirectory.source_directory = source
    c.CourseDirectory.release_directory = release
    c.CourseDirectory.ignore = list(IGNORED)

    names = set(assignments) | set(assignments_in(os.path.join(root, source)))
    c.Autograde.exclude_overwriting = {name: [ANSWERS] for name in sorted(names)}

    c.Execute.timeout = CELL_TIMEOUT
    c.Execute.interrupt_on_timeout = True
    c.Execute.store_widget_state = False
    c.OverwriteCells.add_missing_cells = True  # also configures RestoreMissingCells

    # nbgrader 0.9 defaults (nbgrader/converters/*.py), extended with canvastools' steps
    c.GenerateAssignment.preprocessors = [
        IncludeHeaderFooter, InstantiateTests, LockCells, ClearSolutions, ClearOutput,
        CheckCellMetadata, ComputeChecksums, SaveCells, ClearHiddenTests, ClearMarkScheme,
        ComputeChecksums, CheckCellMetadata,
        StripWidgetState,  # widget state out, no answer file in the release
    ]
    # OverwriteCells replaced by a subclass that puts deleted test cells back without crashing
    c.Autograde.sanitize_preprocessors = [
        ClearOutput, DeduplicateIds, OverwriteKernelspec, RestoreMissingCells, CheckCellMetadata,
    ]
    c.GenerateFeedback.preprocessors = [
        GetGrades,
        HideHiddenTests,  # no hidden test code, key or widget state in the feedback
        CSSHTMLHeaderPreprocessor,
    ]
    return c
