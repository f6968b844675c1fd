"""The lessons are saved as the course ships them: running a lesson leaves git clean.

The course's JupyterLab (``scripts/course.sh``) saves every notebook through this pre-save
hook. A notebook listed in ``lessons.yaml`` of the server's folder is saved without what
running it adds: outputs, execution counts, saved widget state and the kernel's details in the
notebook's metadata. What a student types into a cell is kept (git then shows that change, and
only that). Answers are not lost: every exercise keeps them in ``canvastools_answers.json``
(not tracked) and shows them again when the lesson is run. Other notebooks are saved as they
are::

    jupyter lab course/ \
        --ContentsManager.pre_save_hook=canvastools.answers.lesson_save.lesson_pre_save
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

LESSONS_FILE = "lessons.yaml"
# what running a cell or a lesson adds to a cell's metadata in JupyterLab
RUN_CELL_METADATA = ("collapsed", "scrolled", "execution", "trusted")


def lesson_files(root: str | Path) -> set[str]:
    """The notebooks that ``root/lessons.yaml`` lists, as paths relative to ``root``.

    >>> {"01-the-block.ipynb", "01-il-blocco.ipynb", "01-le-bloc.ipynb"} <= lesson_files("course")
    True
    """
    path = Path(root, LESSONS_FILE)
    if not path.is_file():
        return set()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {entry["file"] for lesson in data.get("lessons", [])
            for entry in lesson.values() if isinstance(entry, dict) and "file" in entry}


def strip_run(nb: dict[str, Any], shipped_metadata: dict[str, Any] | None) -> None:
    """Remove from ``nb`` (a notebook as JSON) what running it added; its metadata becomes
    ``shipped_metadata`` (the lesson's own) when given, else loses the saved widget state."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        for key in RUN_CELL_METADATA:
            cell.get("metadata", {}).pop(key, None)
    if shipped_metadata is not None:
        nb["metadata"] = shipped_metadata
    else:
        nb.get("metadata", {}).pop("widgets", None)


def lesson_pre_save(model: dict[str, Any], path: str, contents_manager: Any,
                    **_kwargs: Any) -> None:
    """jupyter-server pre-save hook: a lesson is saved without its run (see the module)."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    root = Path(contents_manager.root_dir)
    relative = path.strip("/")
    if relative not in lesson_files(root):
        return
    shipped = None
    try:
        shipped = json.loads((root / relative).read_text(encoding="utf-8"))["metadata"]
    except (OSError, ValueError, KeyError, TypeError):
        pass  # a new or unreadable file: keep the metadata, without widget state
    strip_run(model["content"], shipped)
