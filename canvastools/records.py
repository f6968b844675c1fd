"""The grading record of one student's submission, kept by the grader for the instructor.

``<course>/canvastools-grading/<assignment>/<student>.json`` holds what the gradebook does not:
every flag raised while the submission was taken in and graded (a refused symlink, a left-out
code file, a cap hit, an edited locked cell, an unsandboxed run...), each graded exercise's
per-item results (with the key: the folder is the instructor's), whether a kernel ran and how,
and fingerprints of the submission (to skip unchanged ones and to find identical answer files).
The folder is outside every student folder, so no submission, kernel or feedback sees it::

    record = read_record("/course", "demo-classify", "ada")
    [flag["code"] for flag in record.get("flags", [])]

Flags are plain dicts ``{"code", "message"}`` (``code`` from :data:`FLAG_CODES`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from .safefiles import folder_locked, replace_text

RECORDS_FOLDER = "canvastools-grading"
INTAKE_SUFFIX = ".intake.json"

FLAG_CODES = {
    "symlink-refused": "a symbolic link in the submission was refused",
    "special-file-refused": "a file that is not a regular file was refused",
    "folder-refused": "the submission folder is a link to another place",
    "file-too-large": "a file over the size cap was set aside",
    "notebook-refused": "the notebook could not be used; graded from the answer file",
    "code-file-left-out": "a file that could shadow code was left out",
    "file-left-out": "a file that is not part of the assignment was left out",
    "answers-too-large": "the answer file is over the size cap; not graded",
    "answers-damaged": "the answer file has a problem",
    "locked-cell-edited": "a read-only cell was edited; the original was put back",
    "unknown-cell": "a cell claimed to be a graded cell that the assignment does not have",
    "cell-duplicated": "a graded cell appears more than once; one copy was graded",
    "cell-restored": "a graded cell was missing and was put back",
    "text-too-large": "a cell over the size cap was cut short",
    "output-capped": "the output of the student's code was over the cap and was cut",
    "attachment-capped": "cell attachments were over the cap and were dropped",
    "kernel-failed": "the student's kernel died, hung or was stopped",
    "unsandboxed": "the student's code ran without a sandbox",
    "identical-answers": "the answer file is identical to another student's",
    "key-error": "the instructor's key of a test cell is wrong; the cell scored 0",
}


def flag(code: str, message: str) -> dict[str, str]:
    """A flag dict; ``code`` must be one of :data:`FLAG_CODES`."""
    if code not in FLAG_CODES:
        raise ValueError(f"unknown flag code {code!r}")
    return {"code": code, "message": message}


def records_folder(root: str | os.PathLike[str], assignment: str) -> Path:
    return Path(root) / RECORDS_FOLDER / assignment


def record_path(root: str | os.PathLike[str], assignment: str, student: str) -> Path:
    return records_folder(root, assignment) / f"{student}.json"


def records_locked(root: str | os.PathLike[str],
                   assignment: str) -> contextlib.AbstractContextManager[None]:
    """Hold the assignment's records for a read-modify-write: two graders at once (two
    commands on halves of a class, or a re-run beside a run) never lose each other's updates
    of a shared file, such as a flag added to a classmate's record::

        with records_locked("/course", "demo-classify"):
            record = read_record("/course", "demo-classify", "ada")
            ...
            write_record("/course", "demo-classify", "ada", record)
    """
    return folder_locked(records_folder(root, assignment))


def _write_json(path: Path, data: Any) -> None:
    replace_text(path, json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False))


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def read_record(root: str | os.PathLike[str], assignment: str, student: str) -> dict[str, Any]:
    """The record of one student ({} when there is none)."""
    data = _read_json(record_path(root, assignment, student))
    return data if isinstance(data, dict) else {}


def read_records(root: str | os.PathLike[str], assignment: str) -> dict[str, dict[str, Any]]:
    """Every student's record of an assignment, by student id."""
    folder = records_folder(root, assignment)
    if not folder.is_dir():
        return {}
    found = {}
    for path in sorted(folder.glob("*.json")):
        if path.name.endswith(INTAKE_SUFFIX):
            continue
        data = _read_json(path)
        if isinstance(data, dict):
            found[path.stem] = data
    return found


def write_record(root: str | os.PathLike[str], assignment: str, student: str,
                 record: dict[str, Any]) -> Path:
    path = record_path(root, assignment, student)
    _write_json(path, record)
    return path


def write_intake(root: str | os.PathLike[str], assignment: str, student: str,
                 intake: dict[str, Any]) -> None:
    """What the intake of a submission found (read back when its notebooks are graded)."""
    _write_json(records_folder(root, assignment) / f"{student}{INTAKE_SUFFIX}", intake)


def read_intake(root: str | os.PathLike[str], assignment: str, student: str) -> dict[str, Any]:
    data = _read_json(records_folder(root, assignment) / f"{student}{INTAKE_SUFFIX}")
    return data if isinstance(data, dict) else {}


def file_digest(path: str | os.PathLike[str], limit: int | None = None) -> str | None:
    """sha256 of a regular file (not following links), None when there is none."""
    try:
        if not os.path.isfile(path) or os.path.islink(path):
            return None
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            read = 0
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
                read += len(block)
                if limit is not None and read > limit:
                    break
        return digest.hexdigest()
    except OSError:
        return None


def identical_answers(records: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    """Students whose answer files are byte for byte the same as another's.

    >>> identical_answers({"a": {"answers_sha256": "x"}, "b": {"answers_sha256": "x"},
    ...                    "c": {"answers_sha256": "y"}})
    {'a': ['b'], 'b': ['a']}
    """
    by_digest: dict[str, list[str]] = {}
    for student, record in records.items():
        digest = record.get("answers_sha256")
        if isinstance(digest, str):
            by_digest.setdefault(digest, []).append(student)
    same: dict[str, list[str]] = {}
    for students in by_digest.values():
        if len(students) > 1:
            for student in students:
                same[student] = sorted(s for s in students if s != student)
    return dict(sorted(same.items()))
