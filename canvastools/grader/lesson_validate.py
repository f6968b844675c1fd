"""The Validate button of the course's JupyterLab tells the truth on a lesson.

nbgrader's Validate button checks the graded cells of an assignment; on a notebook that has
none (a lesson, or a student's own notebook) it would say "Success! Your notebook passes all
the tests" whatever the answers. This jupyter-server extension answers the button first: on such
a notebook it says that there is nothing to validate and how to check a lesson's answers (in the
lesson's language, from ``lessons.yaml``); assignments go to nbgrader's own validation.
``scripts/course.sh`` turns it on::

    jupyter lab course/ \
        --ServerApp.jpserver_extensions="{'canvastools.grader.lesson_validate': True}"

It must load before nbgrader's extension (extensions load in alphabetical order, and tornado
asks the handlers in the order they were added).
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

from jupyter_server.utils import url_path_join
from nbgrader.server_extensions.validate_assignment.handlers import ValidateAssignmentHandler

from canvastools.grading.views import view_text

NBGRADER_ROLES = ("grade", "solution", "locked", "task")


def graded_cells(path: str | Path) -> int:
    """How many cells of the notebook at ``path`` nbgrader grades, checks or locks."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    return sum(1 for cell in nb.get("cells", [])
               if any(cell.get("metadata", {}).get("nbgrader", {}).get(role)
                      for role in NBGRADER_ROLES))


def lesson_language(root: str | Path, relative: str) -> str:
    """The language ``lessons.yaml`` of ``root`` gives the lesson ``relative`` (else "en")."""
    import yaml

    listing = Path(root, "lessons.yaml")
    if listing.is_file():
        data = yaml.safe_load(listing.read_text(encoding="utf-8")) or {}
        for lesson in data.get("lessons", []):
            for lang, entry in lesson.items():
                if isinstance(entry, dict) and entry.get("file") == relative:
                    return str(lang)
    return "en"


class LessonAwareValidateHandler(ValidateAssignmentHandler):
    """nbgrader's validate handler; a notebook without graded cells gets a true answer."""

    def validate_notebook(self, path: str) -> dict[str, Any]:
        root = Path(self.root_dir).resolve()
        relative = path.strip("/")
        target = (root / relative).resolve()
        try:
            graded = graded_cells(target) if target.is_relative_to(root) else 1
        except (OSError, ValueError):
            graded = 1  # nbgrader says what is wrong with the file
        if graded:
            return super().validate_notebook(path)
        text = view_text("not_an_assignment", lesson_language(root, relative),
                         notebook=Path(relative).name)
        # nbgrader shows it in a <pre>, which does not wrap lines
        return {"success": False, "value": textwrap.fill(text, 70, break_on_hyphens=False)}


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "canvastools.grader.lesson_validate"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    webapp = serverapp.web_app
    webapp.settings["root_dir"] = serverapp.root_dir
    webapp.add_handlers(".*$", [(url_path_join(webapp.settings["base_url"],
                                               "/assignments/validate"),
                                 LessonAwareValidateHandler)])
