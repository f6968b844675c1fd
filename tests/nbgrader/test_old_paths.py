"""The paths and names course configs rely on still work now that the grader lives in rooms
(issue 18): the old import of ``configure_course`` and the nbgrader class names of the config."""

from __future__ import annotations

from pathlib import Path

from nbg_helpers import check_release

from canvastools.grader.records import read_record
from canvastools.grading.views import view_text

CASES = Path(__file__).parent / "data" / "cases.yaml"
ASSIGNMENT = "demo-classify"
NEW_IMPORT = "from canvastools.grader.settings import configure_course"
OLD_IMPORT = "from canvastools.nbgrader_settings import configure_course"
SETTINGS = """
c.ShowResults.show_key = True
c.SanitizeSubmission.max_cell_chars = 40
c.SandboxedExecute.execute = "always"
c.SandboxedExecute.max_seconds = 77
c.CleanStudentContent.max_outputs = 55
"""


def _old_style_course(tmp_path: Path) -> Path:
    """A quickstart demo course whose nbgrader_config.py imports configure_course from its
    old path, with canvastools' classes configured by their names."""
    from canvastools.commands.quickstart import create_course

    course = create_course(tmp_path / "old", demo=True, cases=CASES)
    config = course / "nbgrader_config.py"
    text = config.read_text(encoding="utf-8")
    assert NEW_IMPORT in text
    config.write_text(text.replace(NEW_IMPORT, OLD_IMPORT) + SETTINGS, encoding="utf-8")
    return course


def _nbgrader(course: Path, *args: str) -> str:
    run = check_release.nbgrader(*args, cwd=course)
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout + run.stderr


def test_the_old_import_and_the_class_names_configure_a_real_nbgrader_run(tmp_path):
    course = _old_style_course(tmp_path)
    _nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    _nbgrader(course, "autograde", ASSIGNMENT, "--student", "ben")
    _nbgrader(course, "generate_feedback", ASSIGNMENT, "--student", "ben")

    record = read_record(str(course), ASSIGNMENT, "ben")
    codes = {f["code"] for f in record["flags"]}
    assert "text-too-large" in codes  # c.SanitizeSubmission.max_cell_chars reached the step
    kernels = {nb["kernel"] for nb in record["notebooks"].values()}
    assert kernels == {"sandboxed"}  # c.SandboxedExecute.execute = "always": a kernel ran
    # c.ShowResults.show_key: the feedback has the column of expected answers (off by default)
    page = (course / "feedback" / "ben" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert f">{view_text('col_expected', 'en')}<" in page


def test_the_class_names_of_the_config_still_configure_the_classes(tmp_path):
    """nbgrader's own config loading (the course's nbgrader_config.py, old import) sets the
    traits of the classes under their old names and import paths."""
    from canvastools.grader.autograde_task import load_course
    from canvastools.grader.clean_content import CleanStudentContent
    from canvastools.grader.plugins import ShowResults
    from canvastools.grader.steps import SandboxedExecute, SanitizeSubmission

    config = load_course(_old_style_course(tmp_path)).config
    assert ShowResults(config=config).show_key is True
    assert SanitizeSubmission(config=config).max_cell_chars == 40
    assert SandboxedExecute(config=config).max_seconds == 77
    assert CleanStudentContent(config=config).max_outputs == 55
    assert ShowResults(config=config).show_key != ShowResults().show_key  # not the default
