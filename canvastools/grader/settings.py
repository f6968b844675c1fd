"""The nbgrader settings every canvastools course needs, applied to a config in one call.

Used by this repository's ``nbgrader_config.py`` and by the one ``canvastools quickstart``
writes, so the two cannot drift apart::

    import os
    from canvastools.grader.settings import configure_course

    c = get_config()
    configure_course(c, os.path.dirname(os.path.abspath(__file__)), course_id="my-course")

What it sets, and why:

- the answer file ``canvastools_answers.json`` survives autograding: it is listed in
  ``Autograde.exclude_overwriting`` for every assignment of the source folder, so a copy left in
  the source folder never replaces the student's;
- it is *not* in ``CourseDirectory.ignore`` (``ignore`` applies to every copy, including
  submitted -> autograded, which would throw the answers away); the release is kept free of it
  by :class:`~canvastools.grader.plugins.StripWidgetState` instead; locks, temporary files and
  backups of damaged answer files are ignored;
- grades no student can forge (:mod:`canvastools.grader.steps`): canvastools test cells are
  scored by the grader from the answer file as submitted and never executed; a notebook is run
  only when a graded cell needs it, in a bubblewrap sandbox; submissions are screened before
  nbgrader copies them (:func:`canvastools.grader.intake.pre_convert_hook`) and only their notebooks
  and answer file are graded; deleted, copied or edited cells are put back, with a flag;
- a cell that does run runs at most 30 s and no widget state is stored;
- what a student produced is cleaned, after it ran, before anyone's browser shows it: the
  autograded notebook's outputs and markdown keep an allowlist of HTML, and are capped
  (:class:`~canvastools.grader.clean_content.CleanStudentContent`);
- feedback never shows hidden tests (:class:`~canvastools.grader.plugins.HideHiddenTests`);
  it shows each exercise's answers and marks again, the key only when the instructor sets
  ``c.ShowResults.show_key = True`` (:class:`~canvastools.grader.plugins.ShowResults`);
- formgrader and the feedback draw markdown tables (rubrics) with borders and a header
  (:class:`~canvastools.grader.plugins.TableStyles`).
"""

from __future__ import annotations

import os
from typing import Any

from canvastools.answers.store import ANSWERS_FILENAME

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
    import warnings

    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import (
        AssignLatePenalties,
        CheckCellMetadata,
        ClearHiddenTests,
        ClearMarkScheme,
        ClearOutput,
        ClearSolutions,
        ComputeChecksums,
        GetGrades,
        IgnorePattern,
        IncludeHeaderFooter,
        InstantiateTests,
        LimitOutput,
        LockCells,
        OverwriteKernelspec,
        SaveAutoGrades,
        SaveCells,
    )
    from sqlalchemy.exc import SAWarning

    from canvastools.grader import feedback_page
    from canvastools.grader.clean_content import CleanStudentContent
    from canvastools.grader.intake import pre_convert_hook
    from canvastools.grader.plugins import (
        HideHiddenTests,
        HideKernelOutput,
        ShowResults,
        StripWidgetState,
        TableStyles,
    )
    from canvastools.grader.steps import (
        DeduplicateCells,
        RecordGrading,
        RestoreCells,
        SandboxedExecute,
        SanitizeSubmission,
        ScoreAnswers,
    )

    # nbgrader 0.9's own session handling warns at every submission (not ours to fix)
    warnings.filterwarnings("ignore", category=SAWarning, module=r"nbgrader\.")
    c.CourseDirectory.root = root
    c.CourseDirectory.course_id = course_id
    c.CourseDirectory.source_directory = source
    c.CourseDirectory.release_directory = release
    c.CourseDirectory.ignore = list(IGNORED)

    names = set(assignments) | set(assignments_in(os.path.join(root, source)))
    c.Autograde.exclude_overwriting = {name: [ANSWERS_FILENAME] for name in sorted(names)}

    c.Execute.timeout = CELL_TIMEOUT
    c.Execute.interrupt_on_timeout = True
    c.Execute.store_widget_state = False
    c.OverwriteCells.add_missing_cells = True  # also configures RestoreCells
    c.Autograde.pre_convert_hook = pre_convert_hook

    # nbgrader 0.9 defaults (nbgrader/converters/*.py), extended with canvastools' steps
    c.GenerateAssignment.preprocessors = [
        IncludeHeaderFooter, InstantiateTests, LockCells, ClearSolutions, ClearOutput,
        CheckCellMetadata, ComputeChecksums, SaveCells, ClearHiddenTests, ClearMarkScheme,
        ComputeChecksums, CheckCellMetadata,
        StripWidgetState,  # widget state out, no answer file in the release
    ]
    c.Autograde.sanitize_preprocessors = [
        SanitizeSubmission,  # only the notebooks and the answer file; caps; flags
        ClearOutput, DeduplicateCells, OverwriteKernelspec,
        RestoreCells,  # OverwriteCells, quiet for honest notebooks, never crashing
        CheckCellMetadata,
    ]
    c.Autograde.autograde_preprocessors = [
        ScoreAnswers,  # canvastools test cells scored by the grader, never executed
        SandboxedExecute,  # nbgrader's Execute, only when needed, under bubblewrap
        IgnorePattern, LimitOutput,
        CleanStudentContent,  # the final notebook safe to open in a browser; output caps
        SaveAutoGrades, AssignLatePenalties, CheckCellMetadata,
        RecordGrading,  # flags and per-item results for the instructor
    ]
    c.GenerateFeedback.preprocessors = [
        GetGrades,
        HideHiddenTests,  # no hidden test code, key or widget state in the feedback
        HideKernelOutput,  # nothing a student's kernel printed (it may carry a plain key)
        ShowResults,  # each exercise's answers and marks; the key only if show_key
        TableStyles,  # rubric tables with borders and a header
        CSSHTMLHeaderPreprocessor,
    ]
    # formgrader's pages and the feedback: rubric tables with borders and a header
    c.HTMLExporter.preprocessors = [TableStyles]
    # the feedback page says its language (<html lang>) to screen readers
    c.GenerateFeedback.post_convert_hook = feedback_page.post_convert_hook
    return c
