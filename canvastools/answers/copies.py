"""The copy of a student's saved answers that travels inside the notebook.

Under each exercise widget, an output that the frontend saves with the notebook holds the
exercise's saved entry: what the student answered for that exercise, never a key. The widget
updates it (by its display id) on every save. Its mime type is ``COPY_MIME`` and its metadata
names the exercise::

    {"output_type": "display_data",
     "data": {"application/vnd.canvastools.answers.store+json": {
         "format": "canvastools-answers-copy", "version": 1, "exercise": "classify-1",
         "mode": "graded", "kind": "classify", "answer": {"ing-direct": ["automated_services"]},
         "taxonomy": "bmg2010", "updated": "2026-11-24T10:00:00+00:00"}},
     "metadata": {"application/vnd.canvastools.answers.store+json": {"exercise": "classify-1"}}}

A notebook uploaded without ``canvastools_answers.json`` is then graded from its copy. The
grader uses the answer file when it is there and the copy otherwise, says which, and flags a
disagreement (:func:`choose_answers`). The copy is as untrusted as the file: the same shape
checks and size cap; a copy whose marker and content name different exercises, or a graded
copy of an exercise this notebook does not grade (another assignment's), is ignored with a
flag.

>>> data, metadata = copy_bundle("q", "graded", {"kind": "spectrum", "answer": ["a", "b"]})
>>> nb = {"cells": [{"cell_type": "code", "outputs": [
...     {"output_type": "display_data", "data": data, "metadata": metadata}]}]}
>>> read, flags = choose_answers(None, find_copies(nb, max_bytes=10_000), {"q"})
>>> read.exercises["q"]["answer"], [code for code, _ in flags]
(['a', 'b'], ['answers-from-notebook'])
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from canvastools.answers.store import ANSWERS_FILENAME, StoreRead, check_answer
from canvastools.errors import InputError

COPY_MIME = "application/vnd.canvastools.answers.store+json"
COPY_FORMAT = "canvastools-answers-copy"
COPY_VERSION = 1

__all__ = ["COPY_MIME", "choose_answers", "copy_bundle", "find_copies"]


def copy_bundle(exercise_id: str, mode: str,
                entry: Mapping[str, Any] | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The data and metadata of the output that carries ``entry`` (the exercise's entry in
    the answer file: kind, answer, taxonomy, updated; None when nothing is saved yet)."""
    payload: dict[str, Any] = {"format": COPY_FORMAT, "version": COPY_VERSION,
                               "exercise": exercise_id, "mode": mode}
    if entry is not None:
        payload.update({key: entry.get(key) for key in ("kind", "answer", "taxonomy",
                                                         "updated")})
        if isinstance(entry.get("student"), str):  # a pooled exercise's student id
            payload["student"] = entry["student"]
    return {COPY_MIME: payload}, {COPY_MIME: {"exercise": exercise_id}}


def _json_size(value: Any) -> int | None:
    try:
        return len(json.dumps(value))  # ASCII escapes: any code point, an upper bound
    except (TypeError, ValueError, RecursionError):
        return None


def find_copies(nb: Mapping[str, Any], *, max_bytes: int) -> list[dict[str, Any]]:
    """Every copy in the notebook's outputs, in order, as JSON-safe records ``{"cell",
    "marker", "payload"}`` (``marker``, the exercise id in the output's metadata, and
    ``payload``, the copy, as ASCII JSON texts) or ``{"cell", "marker",
    "problem"}`` when it cannot be used (too large: the copies together are capped at
    ``max_bytes``, the answer file's cap; not JSON data)."""
    found: list[dict[str, Any]] = []
    total = 0
    cells = nb.get("cells") if isinstance(nb, Mapping) else None
    for index, cell in enumerate(cells if isinstance(cells, list) else [], 1):
        outputs = cell.get("outputs") if isinstance(cell, Mapping) else None
        for output in outputs if isinstance(outputs, list) else []:
            data = output.get("data") if isinstance(output, Mapping) else None
            if not isinstance(data, Mapping) or COPY_MIME not in data:
                continue
            metadata = output.get("metadata")
            marker = metadata.get(COPY_MIME) if isinstance(metadata, Mapping) else None
            marker = marker.get("exercise") if isinstance(marker, Mapping) else None
            # texts as ASCII JSON: a lone surrogate can be stored in the graded notebook
            record: dict[str, Any] = {"cell": index, "marker": json.dumps(
                marker if isinstance(marker, str) else None)}
            size = _json_size(data[COPY_MIME])
            if size is None:
                record["problem"] = "it is not JSON data"
            elif total + size > max_bytes:
                record["problem"] = (f"it is {size:,} bytes, over the cap of {max_bytes:,} "
                                     "(for all the copies together)")
            else:
                total += size
                record["payload"] = json.dumps(data[COPY_MIME])
            found.append(record)
    return found


def _shown(text: Any) -> str:
    """A student's id, safe in a flag whatever its code points (escaped, cut short)."""
    return ascii(str(text)[:60])


def _usable(copy: Mapping[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
    """The copy's payload when it can be graded, else (None, why not); (None, None) for a
    copy that says nothing is saved yet."""
    if copy.get("problem"):
        return None, str(copy["problem"])
    try:
        payload = json.loads(copy.get("payload", ""))
    except (TypeError, ValueError, RecursionError):
        return None, "it is not JSON data"
    if not isinstance(payload, dict) or payload.get("format") != COPY_FORMAT:
        return None, f"it is not a canvastools answer copy (no \"format\": \"{COPY_FORMAT}\")"
    exercise = payload.get("exercise")
    try:
        marker = json.loads(copy.get("marker", "null"))
    except (TypeError, ValueError):
        marker = None
    if not isinstance(marker, str):
        return None, f"its output metadata names no exercise (\"{COPY_MIME}\": {{\"exercise\"}})"
    if not isinstance(exercise, str) or exercise != marker:
        return None, (f"its marker names the exercise {_shown(marker)} and its "
                      f"content {_shown(exercise)}")
    if payload.get("answer") is None:
        return None, None
    try:
        check_answer(payload.get("kind"), payload["answer"])
    except InputError as error:
        return None, f"exercise {_shown(exercise)}: {error.message}"
    if payload.get("taxonomy") is not None and not isinstance(payload["taxonomy"], str):
        return None, f"exercise {_shown(exercise)}: its taxonomy is not a text"
    return payload, None


def _newest_copies(copies: Iterable[Mapping[str, Any]], graded: set[str]
                   ) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Exercise id -> the newest usable copy of a ``graded`` exercise; and why each copy not
    used was ignored."""
    newest: dict[str, dict[str, Any]] = {}
    ignored: list[str] = []
    for copy in copies:
        payload, problem = _usable(copy)
        if problem is not None:
            ignored.append(f"the copy in cell {copy.get('cell', '?')}: {problem}")
            continue
        if payload is None:
            continue
        exercise = payload["exercise"]
        if exercise not in graded:
            if payload.get("mode") == "graded":
                ignored.append(f"the copy in cell {copy.get('cell', '?')} is of exercise "
                               f"{_shown(exercise)}, which this notebook does not grade "
                               "(another assignment's?)")
            continue
        if exercise not in newest or str(payload.get("updated")) >= str(
                newest[exercise].get("updated")):
            newest[exercise] = payload
    return newest, ignored


def choose_answers(file: StoreRead | None, copies: Iterable[Mapping[str, Any]],
                   graded: Iterable[str]) -> tuple[StoreRead, list[tuple[str, str]]]:
    """The answers to grade, and flags ``(code, message)`` saying where they came from.

    ``file``: the answer file as read (None: the submission has none); ``copies``: from
    :func:`find_copies`; ``graded``: the exercise ids this notebook's test cells grade. For
    each graded exercise, the file's well-formed entry is used when there is one; otherwise
    the notebook's newest usable copy ("answers-from-notebook"). A copy that differs from the
    file's entry is flagged ("answers-disagree": the file is graded), an unusable one too
    ("notebook-answers-ignored").
    """
    graded = set(graded)
    no_file = file is None
    file = file if file is not None else StoreRead({}, None)
    newest, ignored = _newest_copies(copies, graded)
    exercises = dict(file.exercises)
    damaged = list(file.damaged)
    flags: list[tuple[str, str]] = []
    from_notebook, disagree = [], []
    for exercise in sorted(newest):
        copy = newest[exercise]
        entry = file.exercises.get(exercise)
        if entry is not None and exercise not in file.damaged:
            if entry["answer"] != copy["answer"] or entry["kind"] != copy["kind"]:
                disagree.append(f"{_shown(exercise)} (file saved {_shown(entry['updated'])}, "
                                f"notebook's copy {_shown(copy.get('updated'))})")
            continue
        exercises[exercise] = {"kind": copy["kind"], "answer": copy["answer"],
                               "updated": str(copy.get("updated") or ""),
                               "taxonomy": copy.get("taxonomy")}
        if isinstance(copy.get("student"), str):
            exercises[exercise]["student"] = copy["student"]
        if exercise in damaged:
            damaged.remove(exercise)
        from_notebook.append(_shown(exercise))
    if from_notebook:
        why = (f"there is no {ANSWERS_FILENAME}" if no_file
               else f"{ANSWERS_FILENAME} has no usable answer for them")
        flags.append(("answers-from-notebook", f"graded from the copy of the answers saved in "
                      f"the notebook ({why}): {', '.join(from_notebook)}"))
    if disagree:
        flags.append(("answers-disagree", f"the notebook's copy of the answers differs from "
                      f"{ANSWERS_FILENAME}, which was graded: {'; '.join(disagree)}"))
    if ignored:
        flags.append(("notebook-answers-ignored", "; ".join(ignored[:10])
                      + (f"; and {len(ignored) - 10} more" if len(ignored) > 10 else "")))
    return StoreRead(exercises, file.problem, tuple(damaged), file.repaired, file.reason), flags
