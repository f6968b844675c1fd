"""sanitize: :class:`SanitizeSubmission`, the first step: only the notebooks and the answer file
of a submission are graded, every cell's nbgrader metadata comes from the source, caps, and
the notebook's list of flags starts (see :mod:`canvastools.grader.steps`)."""

from __future__ import annotations

import fnmatch
import shutil
from pathlib import Path
from typing import Any

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Integer, List, Unicode

from canvastools.answers.copies import find_copies
from canvastools.answers.store import ANSWERS_FILENAME
from canvastools.grader.intake import Policy
from canvastools.grader.records import read_intake
from canvastools.grader.step_context import (
    META,
    add_flag,
    course_paths,
    nbgrader_metadata,
    notebook_meta,
    source_cells,
)

SHADOWING = ("*.py", "*.pyc", "*.pth", "*.so", "sitecustomize*", "usercustomize*",
             "__init__.py", "*.egg-link")


class SanitizeSubmission(NbGraderPreprocessor):
    """Only the notebooks and the answer file of a submission are graded; caps; flags start."""

    allowed_files = List(
        Unicode(), [ANSWERS_FILENAME, "timestamp.txt", "submission_secret.txt"],
        help="Files of a submission (glob patterns, relative to the assignment folder) that "
             "are kept for grading besides the notebooks (submission_secret.txt: nbgrader's "
             "exchange ties feedback to it; never graded nor run). Files of the instructor's "
             "source folder are always kept.").tag(config=True)
    max_answers_bytes = Integer(Policy().max_answers_bytes,
                                help="An answer file over this size is not graded.").tag(
        config=True)
    max_cell_chars = Integer(200_000, help="A cell's text over this length is cut short.").tag(
        config=True)

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]):
        paths = course_paths(self, resources)
        info = resources["nbgrader"]
        nb.metadata.pop(META, None)  # nothing a student wrote there is believed
        meta = notebook_meta(nb)
        for item in read_intake(paths["root"], info["assignment"], info["student"]).get(
                "flags", []):
            if item not in meta["flags"]:
                meta["flags"].append(item)
        self._keep_allowed_files(nb, resources, paths)
        # the copies of the answers in the notebook's outputs, before ClearOutput
        meta["notebook_copies"] = find_copies(nb, max_bytes=self.max_answers_bytes)
        self._trust_only_the_source(nb, resources)
        for index, cell in enumerate(nb.cells):
            source = cell.get("source", "")
            if isinstance(source, str) and len(source) > self.max_cell_chars:
                cell["source"] = source[: self.max_cell_chars]
                add_flag(self, nb, resources, "text-too-large",
                         f"cell {index + 1} has {len(source):,} characters; cut to "
                         f"{self.max_cell_chars:,}")
        return nb, resources

    def _trust_only_the_source(self, nb: NotebookNode, resources: dict[str, Any]) -> None:
        """Every cell's nbgrader metadata comes from the source, whatever the notebook says."""
        cells = source_cells(resources)
        for index, cell in enumerate(nb.cells):
            metadata = cell.get("metadata")
            if not isinstance(metadata, dict):
                cell["metadata"] = metadata = NotebookNode({})
            metadata.pop(META, None)  # only ScoreAnswers marks a cell scored (never executed)
            claimed = metadata.get("nbgrader")
            if claimed is None:
                continue
            grade_id = claimed.get("grade_id") if isinstance(claimed, dict) else None
            if isinstance(grade_id, str) and grade_id in cells:
                trusted = nbgrader_metadata(grade_id, cells[grade_id])
                changed = _changed_metadata(claimed, trusted)
                if changed:
                    add_flag(self, nb, resources, "locked-cell-edited",
                             f"cell '{grade_id}': its nbgrader metadata ({', '.join(changed)}) "
                             "was changed; the original was put back")
                metadata["nbgrader"] = NotebookNode(trusted)
                continue
            metadata.pop("nbgrader")
            if grade_id is not None or (isinstance(claimed, dict) and claimed.get("grade")):
                add_flag(self, nb, resources, "unknown-cell",
                         f"cell {index + 1} claims the grade id {str(grade_id)[:60]!r}, which "
                         "the assignment does not have: graded as an ordinary cell")

    def _keep_allowed_files(self, nb: NotebookNode, resources: dict[str, Any],
                            paths: dict[str, str]) -> None:
        dest = Path(paths["dest"])
        source = Path(paths["source"]) if paths.get("source") else None
        if not dest.is_dir():
            return
        left_out: dict[str, list[str]] = {"code-file-left-out": [], "file-left-out": []}
        for path in sorted(dest.rglob("*")):
            if not path.exists() and not path.is_symlink():
                continue  # inside a folder removed above
            code = self._screen_file(nb, resources, path, dest, source)
            if code:
                left_out[code].append(str(path.relative_to(dest)))
        for code, names in left_out.items():  # one flag per kind, however many files
            if names:
                shown = ", ".join(f"'{n}'" for n in names[:10])
                add_flag(self, nb, resources, code,
                         f"{len(names)} file(s) left out of grading (they stay in "
                         f"submitted/): {shown}{', ...' if len(names) > 10 else ''}")
        for folder in sorted((p for p in dest.rglob("*") if p.is_dir()), reverse=True):
            try:
                folder.rmdir()  # folders emptied above
            except OSError:
                pass

    def _screen_file(self, nb: NotebookNode, resources: dict[str, Any], path: Path,
                     dest: Path, source: Path | None) -> str | None:
        """Keep ``path`` (None), or remove it: with a flag of its own (None), or as a file
        left out (the flag code it is listed under)."""
        relative = str(path.relative_to(dest))
        if path.is_symlink() or not (path.is_file() or path.is_dir()):
            _remove(path)
            add_flag(self, nb, resources, "symlink-refused",
                     f"'{relative}' is not a regular file: left out")
            return None
        if path.is_dir() or (path.suffix == ".ipynb" and path.parent == dest):
            return None
        if source is not None and (source / relative).is_file() and \
                relative != ANSWERS_FILENAME:
            return None  # the instructor's file, copied over by nbgrader
        if any(fnmatch.fnmatch(relative, pattern) for pattern in self.allowed_files):
            if relative == ANSWERS_FILENAME and path.stat().st_size > \
                    self.max_answers_bytes:
                size = path.stat().st_size
                _remove(path)
                add_flag(self, nb, resources, "answers-too-large",
                         f"the answer file is {size:,} bytes, over the cap of "
                         f"{self.max_answers_bytes:,}: not graded")
            return None
        shadowing = any(fnmatch.fnmatch(path.name, p) for p in SHADOWING) or any(
            (parent / "__init__.py").exists() for parent in path.parents
            if parent != dest and dest in parent.parents)
        _remove(path)
        return "code-file-left-out" if shadowing else "file-left-out"


def _changed_metadata(claimed: dict[str, Any], trusted: dict[str, Any]) -> list[str]:
    """What a submission changed of a cell's nbgrader metadata (what kind of cell, points)."""
    changed = [key for key in ("grade", "solution", "locked", "task")
               if claimed.get(key, False) is not bool(trusted.get(key, False))]
    if claimed.get("schema_version") != trusted["schema_version"]:
        changed.append("schema_version")
    if "points" in trusted:
        try:
            same = float(claimed.get("points")) == float(trusted["points"])
        except (TypeError, ValueError):
            same = False
        if not same:
            changed.append("points")
    return changed


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
