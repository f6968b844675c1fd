"""The answer store: every exercise widget's answer, in a JSON file next to the notebook.

Widget state lives in the kernel and is lost on a restart, on "Run All" and when nbgrader
re-executes a notebook, so each widget writes its answer here on every change and reads it back
when it is created again. The file (``canvastools_answers.json``) is human-readable::

    {
      "exercises": {
        "classify-1": {"answer": {"ing-direct": ["automated_services"]},
                       "kind": "classify", "taxonomy": "bmg2010",
                       "updated": "2026-11-24T10:00:00+00:00"}
      },
      "format": "canvastools-answers",
      "version": 1
    }

Writes replace the file atomically (temporary file + ``os.replace``) under an ``fcntl`` lock
of the folder itself (no lock file is left anywhere) and merge with what is on disk, so two
notebooks of one folder never drop each other's answers. A widget saves only what the student
just changed (``save(..., base=...)``): under the lock the file is read again and the change is
merged item by item (a classified item, a row of motivations, a design note; a spectrum's order
is one item), so two tabs, two notebooks or two kernels of one folder never undo each other.
A damaged or hand-edited file never crashes a notebook and is never silently overwritten: it is
copied to ``canvastools_answers.corrupt-YYYYmmdd-HHMMSS.json`` before the first write. The same
copy is made before an exercise's malformed entry is replaced, or an entry of another kind (a
hand-edited ``kind``, or another exercise using the same id) is replaced.

A slightly hand-edited file keeps its answers: when it is JSON and its entries can be found
(``"version": "1"`` as a text, the object wrapped in a list, ``"exercises"`` written as a list
of entries with an ``"id"``...), every entry is read, graded and written back, and ``problem``
says precisely what was wrong. Only a file with nothing recoverable (not JSON, not an answer
file) is started afresh, after the backup copy.

Exercises whose answers are relationship types (classify, spectrum, designer) also store the
id of the taxonomy they use (``"taxonomy"``); the field is optional, so files written before it
existed are read as they are (format version 1 either way).

>>> import tempfile
>>> store = AnswerStore(tempfile.mkdtemp())
>>> store.save("spectrum-1", "spectrum", ["personal_assistance", "self_service"])
>>> store.load("spectrum-1")
['personal_assistance', 'self_service']
>>> store.read().problem is None
True
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from canvastools._io.messages import Msg, Place
from canvastools._io.safefiles import folder_locked, replace_text
from canvastools.errors import InputError

ANSWERS_FILENAME = "canvastools_answers.json"
FORMAT = "canvastools-answers"
VERSION = 1
KINDS = ("classify", "spectrum", "motivation", "designer")

__all__ = ["ANSWERS_FILENAME", "KINDS", "AnswerStore", "StoreRead", "check_answer",
           "merge_answer"]


@dataclass(frozen=True)
class StoreRead:
    """What ``AnswerStore.read()`` found.

    ``exercises`` maps exercise ids to ``{"kind", "answer", "updated", "taxonomy"}`` (taxonomy:
    the id the answer was given in, or None when the entry does not say): every entry that has
    a kind and an answer, as written (a grader may salvage an odd-shaped, hand-edited answer;
    widgets ignore them). ``problem`` says in words what is wrong with the file, or is None.
    ``damaged`` lists the exercise ids whose entries are malformed (the rest of the file is
    fine); when the whole file is unreadable, ``exercises`` is empty and ``damaged`` too.
    ``repaired`` is True when the file's frame was wrong (a hand-edited ``"version": "1"``,
    the object wrapped in a list, ``exercises`` written as a list...) but its answers could be
    recovered: ``exercises`` holds them, ``problem`` says what was wrong, and the next save
    writes them back in a correct file (after a backup copy).
    ``reason`` is ``problem`` as a message, to show in the student's language
    (``render(read.reason, "it")``); ``problem`` is its English text.
    """

    exercises: dict[str, dict[str, Any]] = field(default_factory=dict)
    problem: str | None = None
    damaged: tuple[str, ...] = ()
    repaired: bool = False
    reason: Msg | Place | None = None

    def __post_init__(self) -> None:
        if self.reason is not None and self.problem is None:
            object.__setattr__(self, "problem", str(self.reason))


def _failed(reason: Msg | Place) -> StoreRead:
    """The read of a file none of whose answers can be used."""
    return StoreRead({}, reason=reason)


def _is_id_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _is_id_map(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and _is_id_list(v) for k, v in value.items())


def _is_note(value: Any) -> bool:
    return (isinstance(value, dict) and isinstance(value.get("text"), str)
            and (value.get("relationship") is None or isinstance(value["relationship"], str))
            and _is_id_list(value.get("segments", [])))


def _shape_problem(kind: Any, answer: Any) -> Msg | None:
    """Why ``answer`` is not a valid answer of ``kind``, or None when it is."""
    if kind not in KINDS:
        return Msg("store.unknown_kind", kind=kind, kinds=", ".join(KINDS))
    if kind in ("classify", "motivation") and not _is_id_map(answer):
        return Msg("store.not_id_map")
    if kind == "spectrum" and not _is_id_list(answer):
        return Msg("store.not_id_list")
    if kind == "designer" and not (isinstance(answer, list) and all(map(_is_note, answer))):
        return Msg("store.not_notes")
    return None


def check_answer(kind: str, answer: Any) -> None:
    """Raise InputError when ``answer`` does not have the shape of a ``kind`` answer."""
    problem = _shape_problem(kind, answer)
    if problem is not None:
        raise InputError(problem, where=Msg("store.answer_of_kind", kind=kind),
                         choices=list(KINDS) if kind not in KINDS else None, got=str(kind))


def _without(notes: list[Any], gone: list[Any]) -> list[Any]:
    """``notes`` less one equal note for each of ``gone`` (a multiset difference)."""
    out = list(notes)
    for note in gone:
        if note in out:
            out.remove(note)
    return out


def merge_answer(kind: str, base: Any, mine: Any, theirs: Any,
                 touched: Any = ()) -> Any:
    """The answer to write when a widget that knew ``base`` now has ``mine`` and the file holds
    ``theirs``: only what changed from ``base`` to ``mine`` (and the ``touched`` item ids,
    answered again) replaces ``theirs``, item by item.

    Items: an item id's choices (classify, motivation), a note (designer), the whole order
    (spectrum). ``theirs`` None or malformed: ``mine`` as it is.

    >>> merge_answer("classify", {"a": ["x"]}, {"a": ["y"]}, {"a": ["x"], "b": ["z"]})
    {'a': ['y'], 'b': ['z']}
    >>> merge_answer("designer", [], [{"text": "new", "relationship": None, "segments": []}],
    ...              [{"text": "other tab", "relationship": None, "segments": []}])[1]["text"]
    'new'
    """
    if theirs is None or _shape_problem(kind, theirs) is not None or theirs == base:
        return mine
    if kind in ("classify", "motivation"):
        base = base if _is_id_map(base) else {}
        out = dict(theirs)
        for key in [*base, *(k for k in mine if k not in base)]:
            if base.get(key) != mine.get(key):
                _put(out, key, mine)
        for key in touched:
            _put(out, key, mine)
        return out
    if kind == "spectrum":
        return mine if (touched or mine != base) else theirs
    base = base if isinstance(base, list) else []
    return _without(theirs, _without(base, mine)) + _without(mine, base)


def _put(out: dict[str, Any], key: str, mine: dict[str, Any]) -> None:
    if key in mine:
        out[key] = mine[key]
    else:
        out.pop(key, None)


def _parse(text: str) -> StoreRead:
    return _parse_raw(text)[0]


def _words(value: Any) -> Msg | str:
    """A JSON value in plain words, for a message: ``the text '1'``, ``2``, ``a list``."""
    if isinstance(value, str):
        return Msg("store.the_text", value=value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return Msg("kind.yes_no", value=str(value).lower())
    if isinstance(value, (int, float)):
        return str(value)
    return Msg("kind.list") if isinstance(value, list) else Msg("kind.mapping")


def _looks_like_entry(value: Any) -> bool:
    return isinstance(value, dict) and "answer" in value and "kind" in value


def _version_problems(data: dict[str, Any]) -> list[Msg]:
    """What is wrong with the ``version`` of an answer file: [] when nothing."""
    version = data.get("version")
    if "version" not in data:
        return [Msg("store.version_missing", version=VERSION)]
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        return [Msg("store.version_newer", version=version, reads=VERSION)]
    if isinstance(version, bool) or version != VERSION:
        return [Msg("store.version_wrong", version=VERSION, got=_words(version))]
    return []


def _exercises_of(raw: Any) -> tuple[dict[str, Any], Msg | None]:
    """The entries of an answer file's ``exercises`` (a mapping, or a list written by hand),
    and what is wrong with its shape (None: nothing)."""
    if isinstance(raw, dict):
        return dict(raw), None
    if not isinstance(raw, list):
        return {}, Msg("store.exercises_not_mapping", got=_words(raw))
    exercises: dict[str, Any] = {}
    lost = 0
    for item in raw:
        if _looks_like_entry(item) and isinstance(item.get("id"), str):
            exercises[item["id"]] = {k: v for k, v in item.items() if k != "id"}
        elif isinstance(item, dict) and len(item) == 1 and _looks_like_entry(
                next(iter(item.values()))):
            exercises.update(item)
        else:
            lost += 1
    problem = Msg("store.exercises_not_mapping", got=Msg("kind.list"))
    if lost:
        problem = Msg("store.exercises_lost", problem=problem, lost=lost, count=len(raw))
    return exercises, problem


def _recover(data: Any) -> tuple[dict[str, Any] | None, list[Msg]]:
    """The ``exercises`` mapping of a parsed answer file, and what was wrong with its frame.

    Hand-edited files keep their answers: a wrong or missing ``format`` or ``version``, the
    whole object wrapped in a list, ``exercises`` written as a list of ``{id: entry}`` or of
    entries with an ``"id"``, entries outside ``exercises``. Returns None (nothing to recover)
    when the file holds nothing that looks like an answer.
    """
    problems: list[Msg] = []
    if isinstance(data, list):
        found = [item for item in data if isinstance(item, dict)]
        if len(found) != 1:
            return None, [Msg("store.list_not_file")]
        problems.append(Msg("store.wrapped"))
        data = found[0]
    if not isinstance(data, dict):
        return None, [Msg("store.not_answer_file", got=_words(data))]
    stray = {key: value for key, value in data.items()
             if key not in ("format", "version", "exercises") and _looks_like_entry(value)}
    if data.get("format") != FORMAT and "exercises" not in data and not stray:
        return None, [Msg("store.no_format", format=FORMAT)]
    if "format" not in data:
        problems.append(Msg("store.format_missing", format=FORMAT))
    elif data["format"] != FORMAT:
        problems.append(Msg("store.format_wrong", format=FORMAT, got=_words(data["format"])))
    problems += _version_problems(data)
    exercises, problem = _exercises_of(data.get("exercises", {}))
    if problem:
        problems.append(problem)
    for key, value in stray.items():
        exercises.setdefault(key, value)
    if stray:
        problems.append(Msg("store.stray", ids=", ".join(map(repr, stray))))
    return exercises, problems


def _parse_raw(text: str) -> tuple[StoreRead, dict[str, Any] | None]:
    """The read, and the raw ``exercises`` mapping to write back (None: nothing recoverable).

    ``StoreRead.repaired`` says the file's frame was wrong but its answers were recovered:
    the next save rewrites it (after a backup copy).
    """
    try:
        data = json.loads(text)
    except ValueError as exc:
        return _failed(Msg("store.not_json_at", line=exc.lineno)
                       if isinstance(exc, json.JSONDecodeError) else Msg("store.not_json")), None
    except RecursionError:
        return _failed(Msg("store.not_json_deep")), None
    raw, frame = _recover(data)
    if raw is None:
        return _failed(Place(*frame, sep="; ")), None
    exercises: dict[str, Any] = {}
    bad: list[Msg] = []
    damaged: list[str] = []
    for exercise_id, entry in raw.items():
        if not isinstance(entry, dict) or "answer" not in entry:
            bad.append(Msg("store.entry_not_mapping", id=exercise_id))
            damaged.append(exercise_id)
            continue
        problem = _shape_problem(entry.get("kind"), entry["answer"])
        if problem is not None:
            bad.append(Msg("store.entry_problem", id=exercise_id, problem=problem))
            damaged.append(exercise_id)
        taxonomy = entry.get("taxonomy")
        exercises[exercise_id] = {"kind": entry.get("kind"), "answer": entry["answer"],
                                  "updated": str(entry.get("updated", "")),
                                  "taxonomy": taxonomy if isinstance(taxonomy, str) else None}
        if isinstance(entry.get("student"), str):  # the id a pooled exercise's variant used
            exercises[exercise_id]["student"] = entry["student"]
    problems: list[Msg | Place] = []
    if frame:
        kept = len(raw) - len(damaged)
        joined = Place(*frame, sep="; ")
        problems.append(joined if kept == 0 else
                        Msg("store.kept_one", frame=joined) if kept == 1 else
                        Msg("store.kept_many", frame=joined, kept=kept))
    if bad:
        problems.append(Msg("store.damaged", bad=Place(*bad, sep="; ")))
    return StoreRead(exercises, None, tuple(damaged), repaired=bool(frame),
                     reason=Place(*problems, sep="; ") if problems else None), raw


_WHOLE: Any = object()  # save(): no base given, the answer replaces the entry whole


class AnswerStore:
    """The answers of the exercises of one folder (default: the current working directory)."""

    def __init__(self, folder: str | os.PathLike[str] | None = None) -> None:
        self.folder = Path(folder) if folder not in (None, "") else Path.cwd()
        self.path = self.folder / ANSWERS_FILENAME
        #: what was wrong with the file at the last read (None when it was fine)
        self.problem: str | None = None
        #: the copy of a damaged file made by the last ``save`` that needed one
        self.backup: Path | None = None
        #: what the file held for the exercise of the last ``save`` just before it (None: no
        #: usable entry), and the answer that save wrote (after merging)
        self.before: Any = None
        self.saved: Any = None
        #: the whole entry the last ``save`` wrote (kind, answer, updated, taxonomy)
        self.entry: dict[str, Any] | None = None

    def __repr__(self) -> str:
        return f"AnswerStore({str(self.folder)!r})"

    # -- reading -------------------------------------------------------------------------
    def read(self) -> StoreRead:
        """Every well-formed saved answer, and a problem text; never raises, never prints."""
        try:
            result = self._read_unlocked()
        except Exception as exc:  # noqa: BLE001 - a grading helper relies on this never raising
            result = _failed(Msg("store.cannot_read", reason=f"{type(exc).__name__}: {exc}"))
        self.problem = result.problem
        return result

    def _read_unlocked(self) -> StoreRead:
        return self._read_raw()[0]

    def _read_raw(self) -> tuple[StoreRead, dict[str, Any] | None]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return StoreRead({}, None), {}
        except OSError as exc:
            return _failed(Msg("store.cannot_read", reason=exc.strerror or exc)), None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return _failed(Msg("store.not_utf8")), None
        return _parse_raw(text)

    def load(self, exercise_id: str) -> Any:
        """The saved answer of one exercise, or None."""
        entry = self.read().exercises.get(exercise_id)
        return entry["answer"] if entry else None

    # -- writing -------------------------------------------------------------------------
    def _locked(self) -> contextlib.AbstractContextManager[None]:
        """Hold an exclusive lock on the notebook's folder itself while reading and replacing
        the answer file: every writer of the folder locks the same directory, and no lock file
        is left beside the notebook (or in a submission)."""
        return folder_locked(self.folder)

    def _backup_name(self) -> Path:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = self.folder / f"canvastools_answers.corrupt-{stamp}.json"
        n = 2
        while path.exists():
            path = self.folder / f"canvastools_answers.corrupt-{stamp}-{n}.json"
            n += 1
        return path

    def keep_copy(self) -> Path:
        """Copy the answer file as it is now to ``canvastools_answers.corrupt-<stamp>.json``.

        For a caller about to replace a saved answer it could not use. Raises OSError when
        there is no file or the folder is not writable.
        """
        with self._locked():
            backup = self._backup_name()
            shutil.copy2(self.path, backup)
        return backup

    def latest_backup(self) -> Path | None:
        """The newest backup copy in the folder, or None."""
        found = sorted(self.folder.glob("canvastools_answers.corrupt-*.json"),
                       key=lambda p: p.stat().st_mtime)
        return found[-1] if found else None

    def save(self, exercise_id: str, kind: str, answer: Any, *,
             taxonomy: str | None = None, base: Any = _WHOLE,
             touched: Any = (), student: str | None = None) -> Path | None:
        """Save one exercise's answer, keeping every other exercise's entry in the file as is.

        ``taxonomy``: the id of the taxonomy the answer uses (stored when given).
        ``student``: the student id a pooled exercise's variant was drawn for (stored when
        given, else the entry's id is kept; :mod:`canvastools.model.variants`).
        ``base``: the answer the caller last read from (or wrote to) the file for this
        exercise (None: none); given, only what changed from ``base`` to ``answer``, and the
        item ids in ``touched``, is written over the file's entry as it is now
        (:func:`merge_answer`), else ``answer`` replaces the entry whole. ``self.before`` and
        ``self.saved`` then hold the entry's answer before and after.
        Returns the path of the backup copy when the file on disk was unreadable or had to
        be repaired, or this exercise's saved entry was malformed or of another kind (the file
        is copied before any of them is replaced), else None. Raises OSError when the folder
        is not writable.
        """
        if not isinstance(exercise_id, str) or not exercise_id.strip():
            raise InputError("an exercise id is a non-empty text", got=str(exercise_id))
        check_answer(kind, answer)
        if taxonomy is not None and (not isinstance(taxonomy, str) or not taxonomy.strip()):
            raise InputError("a taxonomy id is a non-empty text, e.g. 'bmg2010'",
                             where="taxonomy", got=str(taxonomy))
        entry: dict[str, Any] = {
            "kind": kind, "answer": answer,
            "updated": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        if taxonomy is not None:
            entry["taxonomy"] = taxonomy
        if student is not None:
            entry["student"] = str(student)
        backup = None
        with self._locked():
            current, raw = self._read_raw()
            old_kind = current.exercises.get(exercise_id, {}).get("kind", kind)
            if self.path.is_file() and (raw is None or current.repaired
                                        or exercise_id in current.damaged
                                        or old_kind != kind):
                backup = self._backup_name()
                shutil.copy2(self.path, backup)
                self.backup = backup
            theirs = current.exercises.get(exercise_id)
            usable = (theirs is not None and theirs["kind"] == kind
                      and exercise_id not in current.damaged)
            self.before = theirs["answer"] if usable else None
            if student is None and usable and isinstance(theirs.get("student"), str):
                entry["student"] = theirs["student"]  # a later save keeps the variant's id
            if base is not _WHOLE and usable:
                entry["answer"] = merge_answer(kind, base, answer, self.before, touched)
            self.saved = entry["answer"]
            self.entry = dict(entry)
            exercises = dict(raw or {})
            exercises[exercise_id] = entry
            data = {"format": FORMAT, "version": VERSION, "exercises": exercises}
            text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
            replace_text(self.path, text, durable=True, mode=0o644)
        self.read()  # sets self.problem for the file as it is now
        return backup
