"""The grading record of one student's submission, kept by the grader for the instructor.

``<course>/canvastools-grading/<assignment>/<student>.json`` holds what the gradebook does not:
every flag raised while the submission was taken in and graded (a refused symlink, a left-out
code file, a cap hit, an edited locked cell, an unsandboxed run...), each graded exercise's
per-item results (with the key: the folder is the instructor's), whether a kernel ran and how,
and fingerprints of the submission (to skip unchanged ones) and of the answers graded (to find
identical ones, from the answer file or the notebook's copy).
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
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from canvastools._io.safefiles import folder_locked, replace_text

RECORDS_FOLDER = "canvastools-grading"
IDENTICAL_FOLDER = "identical"  # <records>/identical/<digest>: the students with those answers
OLD_ANSWERS_INDEX = "answers.sha256"  # before IDENTICAL_FOLDER: '<digest> "<student>"' a line
NAMED_CLASSMATES = 10  # an identical-answers flag names this many classmates, then "and more"
INTAKE_SUFFIX = ".intake.json"  # where intakes were before INTAKE_FOLDER (still skipped)
INTAKE_FOLDER = "intake"  # <records>/intake/<student>.json: no student id names it

FLAG_CODES = {
    "symlink-refused": "a symbolic link in the submission was refused",
    "special-file-refused": "a file that is not a regular file was refused",
    "folder-refused": "the submission folder is a link to another place",
    "file-too-large": "a file over the size cap was set aside",
    "notebook-refused": "the notebook could not be used; graded from the answer file",
    "notebook-renamed": "a notebook of another name was graded as the assignment's notebook",
    "code-file-left-out": "a file that could shadow code was left out",
    "file-left-out": "a file that is not part of the assignment was left out",
    "answers-too-large": "the answer file is over the size cap; not graded",
    "answers-damaged": "the answer file has a problem",
    "answers-from-notebook": "graded from the copy of the answers saved in the notebook "
                             "(the answer file was missing or had no answer for it)",
    "answers-disagree": "the notebook's copy of the answers differs from the answer file, "
                        "which was graded",
    "notebook-answers-ignored": "a copy of answers in the notebook could not be used",
    "locked-cell-edited": "a read-only cell was edited; the original was put back",
    "unknown-cell": "a cell claimed to be a graded cell that the assignment does not have",
    "cell-duplicated": "a graded cell appears more than once; one copy was graded",
    "cell-restored": "a graded cell was missing and was put back",
    "text-too-large": "a cell over the size cap was cut short",
    "output-capped": "the output of the student's code was over the cap and was cut",
    "attachment-capped": "cell attachments were over the cap and were dropped",
    "kernel-failed": "the student's kernel died, hung or was stopped",
    "unsandboxed": "the student's code ran without a sandbox",
    "sandbox-unavailable": "the student's sandbox could not start: not graded",
    "sandbox-limit": "the student's code reached a limit of its sandbox (tasks, memory)",
    "identical-answers": "the graded answers (with their save times) are identical to "
                         "another student's",
    "key-error": "the instructor's key of a test cell is wrong; the cell scored 0",
    "variant-other-student": "the answers of a pooled exercise were saved under another "
                             "student's id; graded on the student's own items",
    "variant-outside-items": "answers to items outside the student's own variant of a pool; "
                             "they earn nothing",
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


_SURROGATE = re.compile("[\ud800-\udfff]")
_UNSTORABLE = re.compile("[\ud800-\udfff\x00]")
_UNSHOWABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def storable(text: str) -> str:
    r"""``text`` as any UTF-8 file, log or database can hold it: a lone surrogate (from a
    ``\ud800`` escape in a student's JSON, or a folder name that is not UTF-8) and NUL are
    written as escapes; everything else is kept::

        >>> storable("id\ud800\x00ok")
        'id\\ud800\\x00ok'
    """
    return _UNSTORABLE.sub(_escape, text)


def showable(text: str) -> str:
    r"""``text`` as a terminal can show it on one line: also control characters (a student's
    ESC sequence never reaches the instructor's terminal) escaped::

        >>> showable("eve\x1b[2J\n")
        'eve\\x1b[2J\\x0a'
    """
    return _UNSHOWABLE.sub(_escape, text)


def make_storable(data: Any) -> Any:
    r"""Every string of ``data`` (in dicts, lists and tuples, keys included) made
    :func:`storable`, in place where ``data`` is a dict or a list (a notebook stays the same
    object); returns it::

        >>> make_storable({"answer": {"id\ud800": ("self_service",)}})
        {'answer': {'id\\ud800': ('self_service',)}}
    """
    if isinstance(data, str):
        return storable(data)
    if isinstance(data, dict):
        for key in list(data):
            value = make_storable(data[key])
            if isinstance(key, str) and _UNSTORABLE.search(key):
                del data[key]
                key = storable(key)
            data[key] = value
    elif isinstance(data, list):
        data[:] = [make_storable(value) for value in data]
    elif isinstance(data, tuple):
        return tuple(make_storable(value) for value in data)
    return data


def _write_json(path: Path, data: Any) -> None:
    # a lone surrogate is written as its JSON escape: read back, it is the same string.
    # No indent: with one, json uses its pure-Python encoder, 7 times slower (measured: 13 ms
    # of the grader's serial time a record on a loaded machine); `python -m json.tool` shows it
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    replace_text(path, _SURROGATE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text))


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
        data = _read_json(path)
        if not isinstance(data, dict):
            continue
        if path.name.endswith(INTAKE_SUFFIX) and data.get("student") != path.stem:
            continue  # an intake written by an earlier canvastools, not a student's record
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
    _write_json(records_folder(root, assignment) / INTAKE_FOLDER / f"{student}.json", intake)


def read_intake(root: str | os.PathLike[str], assignment: str, student: str) -> dict[str, Any]:
    data = _read_json(records_folder(root, assignment) / INTAKE_FOLDER / f"{student}.json")
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


def submission_digest(folder: str | os.PathLike[str]) -> str | None:
    """A fingerprint of a submission folder: names, sizes and contents of its regular files
    (taken before grading: a file replaced meanwhile makes the next run grade it again)."""
    if not os.path.isdir(folder):
        return None
    digest = hashlib.sha256()
    for dirpath, dirnames, filenames in sorted(os.walk(folder)):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            digest.update(os.path.relpath(path, folder).encode("utf-8", "surrogateescape"))
            digest.update((file_digest(path) or "-").encode())
    return digest.hexdigest()


def key_digest(cells: dict[str, Any]) -> str:
    """A fingerprint of a notebook's key: its source cells as the grader reads them from the
    gradebook (texts, hidden tests, points), so a key fixed and released again re-grades::

        >>> key_digest({"t": {"source": "a"}}) == key_digest({"t": {"source": "b"}})
        False
    """
    text = json.dumps(cells, sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def answers_digest(exercises: Mapping[str, Mapping[str, Any]]) -> str | None:
    """A fingerprint of the answers graded (each exercise's kind, answer, taxonomy and save
    time), whether they came from the answer file or the notebook's copy, however the file
    was spelled; None when there is no answer. Two students with the same fingerprint
    handed in the same saves: honest twins would need the same answers saved at the same
    second.

    >>> a = {"q": {"kind": "spectrum", "answer": ["x"], "updated": "2026-12-01T09:00:00"}}
    >>> answers_digest(a) == answers_digest(dict(a)), answers_digest({})
    (True, None)
    """
    if not exercises:
        return None
    text = json.dumps({name: {field: entry.get(field) for field in
                              ("kind", "answer", "taxonomy", "updated")}
                       for name, entry in exercises.items()},
                      sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def identical_answers(records: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    """Students whose graded answers are the same as another's (:func:`answers_digest`), from
    their records (every record read: for the summary and the report, not once a student).

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


# The index of identical answers, one small file a digest: the work of entering one student
# depends on how many classmates share its answers, never on the size of the class.
#   <records>/identical/<digest>            one JSON text (ASCII) a line: the students
#   <records>/identical/students/<sha256>   a student's digest (the file named by its id's hash)
# A student id may hold any code point (a newline, a quote, a lone surrogate, "/"): it names no
# file and is never written raw, so it cannot write a classmate's line.
_HEX_DIGEST = re.compile("[0-9a-f]{64}")


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _group_path(folder: Path, digest: str) -> Path:
    # an answers_digest names its file; any other text (never from a student) is hashed
    name = digest if _HEX_DIGEST.fullmatch(digest) else "x" + _hash(digest)
    return folder / IDENTICAL_FOLDER / name


def _pointer_path(folder: Path, student: str) -> Path:
    return folder / IDENTICAL_FOLDER / "students" / _hash(student)


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def _lines(text: str | None) -> list[Any]:
    """The JSON texts of a file, one a line; a damaged line (a write cut short) is skipped."""
    found = []
    for line in (text or "").splitlines():
        with contextlib.suppress(ValueError):
            found.append(json.loads(line))
    return found


def _write_lines(path: Path, values: list[Any]) -> None:
    if values:
        replace_text(path, "".join(json.dumps(v) + "\n" for v in values))
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _append_line(path: Path, value: Any, text: str | None) -> None:
    """``value`` added as a line to ``path``, whose text is ``text`` (None: no file yet),
    without rewriting it; a last line cut short by a crash is ended first."""
    line = json.dumps(value) + "\n"
    if text and not text.endswith("\n"):
        line = "\n" + line
    try:
        handle = open(path, "a", encoding="utf-8")  # noqa: SIM115 (closed below)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a", encoding="utf-8")  # noqa: SIM115
    with handle:
        handle.write(line)


def students_with_answers(root: str | os.PathLike[str], assignment: str,
                          digest: str) -> list[str]:
    """The students whose graded answers have this :func:`answers_digest`, from the index
    (sorted; an index of an earlier canvastools is moved first: hold :func:`records_locked`)::

        students_with_answers("/course", "demo-classify", record["answers_sha256"])
    """
    folder = records_folder(root, assignment)
    _migrate_old_index(folder)
    return sorted({s for s in _lines(_read_text(_group_path(folder, digest)))
                   if isinstance(s, str)})


def index_answers(root: str | os.PathLike[str], assignment: str, student: str,
                  digest: str | None) -> tuple[list[str], list[str]]:
    """Enter a student's answers digest (None: no answers) in the index of identical answers,
    in place of its former one; call it holding :func:`records_locked`. Returns the students
    with this digest now and those with the student's former digest (when it changed), both
    without the student, sorted::

        with records_locked("/course", "demo-classify"):
            same, former = index_answers("/course", "demo-classify", "ada", digest)
    """
    folder = records_folder(root, assignment)
    _migrate_old_index(folder)
    return _enter(folder, student, digest)


def _enter(folder: Path, student: str, digest: str | None) -> tuple[list[str], list[str]]:
    # written in this order, an index cut short anywhere may miss a student, never list one
    # under answers it no longer has (its old group is left first, its new one joined last)
    pointer = _pointer_path(folder, student)
    pointed = _read_text(pointer)
    old = next(iter(_lines(pointed)), None)
    old = old if isinstance(old, str) else None
    former: list[str] = []
    if old is not None and old != digest:
        path = _group_path(folder, old)
        former = [s for s in _lines(_read_text(path)) if isinstance(s, str) and s != student]
        _write_lines(path, former)
    if old != digest:
        if pointed is None and digest is not None:
            _append_line(pointer, digest, None)
        else:
            _write_lines(pointer, [] if digest is None else [digest])
    if digest is None:
        return [], sorted(set(former))
    path = _group_path(folder, digest)
    text = _read_text(path)
    group = [s for s in _lines(text) if isinstance(s, str)]
    if student not in group:
        _append_line(path, student, text)
    return sorted(set(group) - {student}), sorted(set(former))


def _migrate_old_index(folder: Path) -> None:
    """An index written by an earlier canvastools (``answers.sha256``, one line a student,
    rewritten whole for each) moved into the index of one file a digest, once."""
    old = folder / OLD_ANSWERS_INDEX
    if not old.is_file():
        return
    for line in old.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition(" ")
        with contextlib.suppress(ValueError):  # the oldest indexes wrote the id raw
            name = json.loads(name) if name.startswith('"') else name
        if name and isinstance(name, str) and digest:
            _enter(folder, name, None if digest == "-" else digest)
    old.unlink()  # last: a migration cut short is done again whole (entering is idempotent)


def _identical_message(group: list[str], student: str) -> str | None:
    """The identical-answers message of ``student`` in ``group`` (sorted, the student in it):
    the first :data:`NAMED_CLASSMATES` classmates, so that a large group's flags do not all
    change with each classmate graded (the summary and the report list every one)."""
    head = [s for s in group[:NAMED_CLASSMATES + 1] if s != student][:NAMED_CLASSMATES]
    if not head:
        return None
    more = " and more classmates" if len(group) - 1 > NAMED_CLASSMATES else ""
    return "the graded answers are identical to those of " + ", ".join(head) + more


def _set_identical_flag(root: str | os.PathLike[str], assignment: str, student: str,
                        message: str | None) -> None:
    """The student's identical-answers flag made to say ``message`` (None: no flag), its
    record written only when that changes (no record: nothing to flag)."""
    record = read_record(root, assignment, student)
    if not record:
        return
    flags = [f for f in record.get("flags") or [] if isinstance(f, dict)]
    kept = [f for f in flags if f.get("code") != "identical-answers"]
    wanted = kept if message is None else kept + [flag("identical-answers", message)]
    if wanted != flags:
        record["flags"] = wanted
        write_record(root, assignment, student, record)


def flag_identical_answers(root: str | os.PathLike[str], assignment: str, student: str,
                           digest: str | None) -> list[str]:
    """Enter the student's answers digest in the index (:func:`index_answers`) and flag
    ``identical-answers`` on the student and every classmate with the same answers (on the
    classmates of its former answers, the flag is updated, or removed from one now alone);
    call it holding :func:`records_locked`, after writing the student's record. Returns the
    classmates with the same answers::

        with records_locked("/course", "demo-classify"):
            write_record("/course", "demo-classify", "ada", record)
            same = flag_identical_answers("/course", "demo-classify", "ada", digest)
    """
    same, former = index_answers(root, assignment, student, digest)
    # each group before and after the student left or joined it: a classmate's record is
    # written only where its message changes
    for before, after in ((sorted([*former, student]), former), (same, sorted([*same, student]))):
        for name in after:
            message = _identical_message(after, name)
            if name == student or message != _identical_message(before, name):
                _set_identical_flag(root, assignment, name, message)
    return same
