"""Taking a submission in: what may enter grading, before nbgrader copies a single file.

``nbgrader autograde`` copies every file of ``submitted/<student>/<assignment>/`` into
``autograded/``, following symbolic links. A link to a classmate's answer file would then be
graded as this student's; a link to ``/dev/zero`` would fill the disk. So the course config runs
:func:`pre_convert_hook` first (``configure_course`` sets it), and ``canvastools autograde``
calls :func:`screen_submission` itself. Both set aside, into
``canvastools-grading/<assignment>/quarantine/<student>/`` (kept, never deleted), what must not
be read:

- symbolic links, anywhere in the submission, the folder itself included;
- anything that is not a regular file or a folder (pipes, sockets, devices);
- files over ``max_file_bytes``, notebooks over ``max_notebook_bytes`` or that are not JSON.

A notebook set aside is replaced by an empty one, so the student is still graded from the
answer file. A notebook handed in under another name (``demo-classify (1).ipynb``, as an LMS
download names a second copy) when the assignment's one is missing is graded as that one (the
original set aside). Every such event is a flag (see :mod:`canvastools.grader.records`)::

    flags = screen_submission("/course", "demo", "eve", Policy())

Which of the remaining files are used for grading (only the notebooks and the answer file, by
default) is decided by :class:`canvastools.grader.plugins.SanitizeSubmission`.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from canvastools.answers.store import ANSWERS_FILENAME
from canvastools.grader.records import flag, records_folder, submission_digest, write_intake

EMPTY_NOTEBOOK = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


@dataclass(frozen=True)
class Policy:
    """Size caps of a submission (bytes)."""

    max_file_bytes: int = 20 * 1024**2
    max_notebook_bytes: int = 20 * 1024**2
    max_answers_bytes: int = 1024**2
    max_nesting: int = 64  # a notebook's JSON (a real one nests about 10 deep)
    max_files: int = 2_000
    max_total_bytes: int = 200 * 1024**2


def _quarantine(root: Path, assignment: str, student: str, path: Path, relative: str) -> Path:
    target = records_folder(root, assignment) / "quarantine" / student / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() or target.is_symlink():
        base, n = target, 2
        while target.exists() or target.is_symlink():
            target = base.with_name(f"{base.name}.{n}")
            n += 1
    os.rename(path, target)
    return target


def _empty_notebook(path: Path) -> None:
    path.write_text(json.dumps(EMPTY_NOTEBOOK), encoding="utf-8")


def nesting_depth(data: Any, limit: int) -> int:
    """How deeply lists and mappings nest in ``data`` (a parsed JSON value), counted without
    recursion and only up to ``limit + 1``.

    >>> nesting_depth({"a": [1, {"b": []}]}, 10), nesting_depth([[[[]]]], 2)
    (4, 3)
    """
    deepest, todo = 0, [(data, 1)]
    while todo:
        value, depth = todo.pop()
        if not isinstance(value, (dict, list)):
            continue
        deepest = max(deepest, depth)
        if deepest > limit:
            break
        todo.extend((v, depth + 1) for v in (value.values() if isinstance(value, dict)
                                             else value))
    return deepest


def _notebook_problem(path: Path, policy: Policy) -> str | None:
    size = path.stat().st_size
    if size > policy.max_notebook_bytes:
        return (f"the notebook is {size / 1024**2:.1f} MB, over the cap of "
                f"{policy.max_notebook_bytes / 1024**2:.0f} MB")
    try:
        with path.open("rb") as handle:
            data = json.load(handle)
    except (ValueError, RecursionError, UnicodeDecodeError) as exc:
        return f"the notebook is not valid JSON ({type(exc).__name__})"
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        return "the notebook is not a notebook (no list of cells)"
    # JSON that the parser takes but that nbformat, copies and nbconvert cannot (they recurse)
    depth = nesting_depth(data, policy.max_nesting)
    if depth > policy.max_nesting:
        return (f"the notebook's JSON nests deeper than {policy.max_nesting} levels (lists and "
                "mappings inside each other)")
    return None


def screen_submission(root: str | os.PathLike[str], assignment: str, student: str,
                      policy: Policy = Policy(), notebooks: list[str] | None = None,
                      submitted: str = "submitted") -> list[dict[str, str]]:
    """Set aside what must not be read from one submission; return the flags raised.

    ``notebooks``: the assignment's notebook names (without ``.ipynb``), replaced by empty ones
    when they must be set aside or are links.
    """
    root = Path(root)
    student_dir = root / submitted / student
    folder = student_dir / assignment
    names = [f"{n}.ipynb" for n in (notebooks or [])]
    flags = _refuse_linked_folders(root, assignment, student, folder, names)
    if not folder.is_dir():
        return flags
    kept_files = kept_bytes = over = 0
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in sorted(dirnames + filenames):
            path = Path(dirpath) / name
            relative = str(path.relative_to(folder))
            info = path.lstat()
            if stat.S_ISDIR(info.st_mode):
                continue
            top_notebook = name.endswith(".ipynb") and dirpath == str(folder)
            refused = _why_refused(path, info, relative, top_notebook, policy)
            if refused is None and not top_notebook and name not in names and \
                    name != ANSWERS_FILENAME and (
                    kept_files >= policy.max_files
                    or kept_bytes + info.st_size > policy.max_total_bytes):
                _quarantine(root, assignment, student, path, relative)
                over += 1
                continue
            if refused is None:
                kept_files += 1
                kept_bytes += info.st_size
                continue
            code, reason = refused
            moved = _quarantine(root, assignment, student, path, relative)
            flags.append(flag(code, f"{reason}: set aside in "
                              f"{moved.relative_to(root)}"))
            if name in names and dirpath == str(folder):
                _empty_notebook(path)
        dirnames[:] = [d for d in dirnames if not (Path(dirpath) / d).is_symlink()
                       and (Path(dirpath) / d).exists()]
    if notebooks:
        flags += _adopt_renamed(root, assignment, student, folder, names)
    if over:
        aside = records_folder(root, assignment).relative_to(root) / "quarantine" / student
        flags.append(flag("file-too-large", f"{over:,} files past the caps of a submission "
                          f"({policy.max_files:,} files, {policy.max_total_bytes / 1024**2:.0f} "
                          f"MB in all) were set aside in {aside}"))
    return flags


def _refuse_linked_folders(root: Path, assignment: str, student: str, folder: Path,
                           names: list[str]) -> list[dict[str, str]]:
    """A student folder or submission folder that is a link is set aside, and the submission
    graded as empty notebooks ``names`` (the flags raised)."""
    flags: list[dict[str, str]] = []
    for link, relative in ((folder.parent, "."), (folder, assignment)):
        if link.is_symlink():
            moved = _quarantine(root, assignment, student, link, relative.replace(".", "_"))
            flags.append(flag("folder-refused", f"'{link.relative_to(root)}' is a link to "
                              f"'{os.readlink(moved)}': refused, graded as empty"))
            folder.mkdir(parents=True, exist_ok=True)
            for name in names:
                _empty_notebook(folder / name)
    return flags


def _why_refused(path: Path, info: os.stat_result, relative: str, top_notebook: bool,
                 policy: Policy) -> tuple[str, str] | None:
    """The flag code and reason a file of a submission is set aside for (None: it may stay;
    a notebook of the assignment folder is judged by :func:`_notebook_problem` alone)."""
    if stat.S_ISLNK(info.st_mode):
        return "symlink-refused", f"'{relative}' is a link to '{os.readlink(path)}'"
    if not stat.S_ISREG(info.st_mode):
        return "special-file-refused", f"'{relative}' is not a regular file"
    if top_notebook:
        problem = _notebook_problem(path, policy)
        return ("notebook-refused", f"'{relative}': {problem}") if problem else None
    if info.st_size > policy.max_file_bytes:
        return "file-too-large", (
            f"'{relative}' is {info.st_size / 1024**2:.1f} MB, over the cap of "
            f"{policy.max_file_bytes / 1024**2:.0f} MB")
    return None


def _adopt_renamed(root: Path, assignment: str, student: str, folder: Path,
                   names: list[str]) -> list[dict[str, str]]:
    """The one notebook of another name graded as the one missing notebook of the assignment."""
    missing = [n for n in names if not (folder / n).exists()]
    others = sorted(p for p in folder.glob("*.ipynb")
                    if p.name not in names and p.is_file() and not p.is_symlink())
    if len(missing) != 1 or len(others) != 1:
        return []
    shutil.copyfile(others[0], folder / missing[0])
    moved = _quarantine(root, assignment, student, others[0], others[0].name)
    return [flag("notebook-renamed", f"'{others[0].name}' was graded as '{missing[0]}' (the "
                 f"original set aside in {moved.relative_to(root)})")]


def _gradebook_notebooks(assignment: str) -> list[str] | None:
    """The notebook names of ``assignment`` in the gradebook of the running nbgrader command."""
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.apps.autogradeapp import AutogradeApp

    if not AutogradeApp.initialized():
        return None
    with Gradebook(AutogradeApp.instance().coursedir.db_url) as gradebook:
        try:
            return sorted(n.name for n in gradebook.find_assignment(assignment).notebooks)
        except MissingEntry:
            return None


def pre_convert_hook(assignment: str, student: str, notebooks: list[str],
                     **_: Any) -> None:
    """nbgrader's ``Autograde.pre_convert_hook``: screen the submission being graded.

    nbgrader passes the notebooks' paths (``<root>/submitted/<student>/<assignment>/x.ipynb``)
    and runs the hook in the course root, before it copies any file.
    """
    if not notebooks:
        return
    folder = Path(notebooks[0]).parent
    assignment_id, student_id = folder.name, folder.parent.name
    submitted = folder.parent.parent
    root = Path(os.getcwd())
    try:
        relative = str(submitted.relative_to(root))
    except ValueError:
        relative, root = submitted.name, submitted.parent
    names = _gradebook_notebooks(assignment_id) or [Path(n).stem for n in notebooks]
    flags = screen_submission(root, assignment_id, student_id, Policy(), names,
                              submitted=relative)
    write_intake(root, assignment_id, student_id,
                 {"flags": flags, "submission_sha256": submission_digest(folder)})
    # nbgrader converts the notebooks of this very list: a notebook adopted under the
    # assignment's name replaces the one set aside
    notebooks[:] = sorted({n for n in notebooks if os.path.isfile(n)} | {
        str(folder / f"{name}.ipynb") for name in names
        if (folder / f"{name}.ipynb").is_file()})


def remove_tree(path: str | os.PathLike[str]) -> None:
    """Remove a scratch folder, whatever a student's code left in it."""
    shutil.rmtree(path, ignore_errors=True)
