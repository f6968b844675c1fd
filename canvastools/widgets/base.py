"""What every exercise widget shares: its id, language, mode, answer store and status lines.

An exercise keeps its answer in a traitlet (``answers``, ``order`` or ``notes``). Every change
of that traitlet, from a control or from code, is written to the answer store; a new widget
with the same id (after a restart, "Run All", or when nbgrader runs the notebook) reads it back
and shows it. All texts come from ``canvastools/data/ui.yaml``.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any, ClassVar

import ipywidgets as widgets
import traitlets

from canvastools._io.htmlsafe import escape
from canvastools._io.messages import Msg, Place, render
from canvastools._io.texts import TextTable
from canvastools.answers.copies import copy_bundle
from canvastools.answers.store import ANSWERS_FILENAME, AnswerStore
from canvastools.errors import InputError
from canvastools.model.taxonomy import load_domain

MODES = ("practice", "graded")

# (folder, exercise id) -> widget class name, for the exercises created in this kernel
_CLAIMED: dict[tuple[str, str], tuple[str, str]] = {}
# (folder, exercise id) -> the last widget created for it in this kernel (check_saved asks it
# which parts its exercise has; the key is never there)
_LATEST: dict[tuple[str, str], Exercise] = {}


def created_exercise(exercise_id: str, folder: str | Path | None = None) -> Exercise | None:
    """The widget last created in this kernel for ``exercise_id`` in ``folder`` (default: the
    current folder), or None.

    >>> created_exercise("never-created") is None
    True
    """
    return _LATEST.get((str(Path(folder or ".").resolve()), exercise_id))


_UI = TextTable("ui.yaml")
ui_strings = _UI.all    # all widget texts: {key: {lang: text}} from canvastools/data/ui.yaml
ui_text = _UI.text      # one widget text in a language, with {placeholders} filled


def css_name(text: str) -> str:
    """``text`` made safe for a CSS class name (tests and styles find items by it)."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", text)


esc = escape  # canvastools._io.htmlsafe: the one escaper of text put in HTML


def feedback_html(verdict: str, lang: str, details: list[str]) -> str:
    """A verdict ("right", "partly", "wrong", "not_answered") as words, symbol and colour."""
    colours = {"right": "#1a7f37", "partly": "#9a6700", "wrong": "#cf222e",
               "not_answered": "#57606a"}
    parts = [f'<b style="color:{colours.get(verdict, "#24292f")}">{esc(ui_text(verdict, lang))}'
             "</b>"]
    parts += [esc(d) for d in details if d]
    return '<div role="status" style="line-height:1.4">' + "<br>".join(parts) + "</div>"


def verdict(given: set[str], key: set[str], accepted: set[str]) -> str:
    """right: exactly the key; partly: not empty and all in key or accepted; else wrong."""
    if not given:
        return "not_answered"
    if given == key:
        return "right"
    if given <= key | accepted:
        return "partly"
    return "wrong"


def flatten_ids(values: tuple[Any, ...]) -> list[str]:
    """``("a", "b")`` or ``(["a", "b"],)`` -> ``["a", "b"]``."""
    out: list[str] = []
    for value in values:
        if isinstance(value, (list, tuple, set, frozenset)):
            out.extend(str(v) for v in value)
        else:
            out.append(str(value))
    return out


class Exercise(widgets.VBox):
    """Base class: subclasses build their controls and call ``_start(body)``."""

    kind: ClassVar[str] = ""
    _answer_trait: ClassVar[str] = "answers"

    exercise_id = traitlets.Unicode(help="unique within an assignment (the answer file's key)")
    lang = traitlets.Unicode("en")
    mode = traitlets.Unicode("practice")
    folder = traitlets.Unicode(help="the folder of the answer file")
    progress = traitlets.Unicode(help="e.g. '5 of 8 answered' ('8 of 8 answered, 6 right' "
                                 "once a practice exercise is checked)")
    message = traitlets.Unicode(help="what the student must know about the answer file")

    def __init__(self, exercise_id: str, *, lang: str = "en", mode: str = "practice",
                 folder: str | Path | None = None) -> None:
        if not isinstance(exercise_id, str) or not exercise_id.strip():
            raise InputError("the exercise id must be a non-empty text, unique within the "
                             "assignment, e.g. 'classify-1'", got=str(exercise_id))
        lang = load_domain().check_language(lang)
        if mode not in MODES:
            raise InputError(f"unknown mode {mode!r}", where="mode", choices=list(MODES),
                             got=str(mode))
        store = AnswerStore(folder)
        super().__init__(layout=widgets.Layout(width="100%", max_width="980px"))
        self._store = store
        self._loading = True
        self._updating = False
        self._has_saved = False
        self._file_problem: Msg | Place | str | None = None   # shown in self.lang
        self._problem_scope = "file"  # "file" unreadable, "entry" this one, "repaired"
        self._backup: Path | None = None
        self._notices: list[str] = []
        # what a saved answer held that the widget could not show (key -> notice); the file
        # keeps it as it is until the student answers again (a copy is kept then)
        self._restore_notes: dict[str, str] = {}
        self._restore_backup: Path | None = None
        # the file's answer for this exercise when the widget last read or wrote it (raw), the
        # widget's own answer then (what a save diffs against), the items answered again
        # since, and whether the last save found answers saved by another tab or kernel
        self._known: Any = None
        self._base: Any = None
        self._touched: list[str] = []
        self._reloaded = False
        # the copy of the saved entry shown in the notebook (under the widget, updated by its
        # display id on each save; the frontend saves it with the notebook)
        self._copy_entry: dict[str, Any] | None = None
        self._copy_id = f"canvastools-answers-{uuid.uuid4().hex}"
        self._copy_shown = False
        self._status_html = widgets.HTML(layout=widgets.Layout(width="auto"))
        self._progress_html = widgets.HTML(layout=widgets.Layout(width="auto"))
        self.exercise_id = exercise_id
        self.lang = lang
        self.mode = mode
        self.folder = str(store.folder)
        self.add_class("canvastools-exercise")
        self.add_class(f"canvastools-{self.kind}")
        self._claim()

    # -- the exercise id ---------------------------------------------------------------
    def _claim(self) -> None:
        key = (str(self._store.folder.resolve()), self.exercise_id)
        mine = (self.kind, type(self).__name__)
        other = _CLAIMED.get(key)
        if other is not None and other[0] != self.kind:
            raise InputError(
                f"exercise id {self.exercise_id!r} is already used by a {other[1]} in this "
                f"folder; a {type(self).__name__} needs an id of its own (ids are the keys of "
                f"{ANSWERS_FILENAME})", where="exercise_id", got=self.exercise_id)
        _CLAIMED[key] = mine
        _LATEST[key] = self

    # -- start-up: load the saved answer -------------------------------------------------
    def _start(self, body: list[widgets.Widget], help_text: str = "") -> None:
        read = self._store.read()
        entry = read.exercises.get(self.exercise_id)
        if self.exercise_id in read.damaged:  # this exercise's saved answer is malformed
            entry = None
            self._file_problem, self._problem_scope = read.reason or read.problem, "entry"
        elif read.problem is not None and read.repaired:  # hand-edited frame, answers kept
            self._file_problem, self._problem_scope = read.reason or read.problem, "repaired"
        elif read.problem is not None and not read.damaged:  # the whole file is unreadable
            self._file_problem, self._problem_scope = read.reason or read.problem, "file"
        if entry is not None and entry["kind"] != self.kind:
            # Not an instructor's error here (two exercises of one live kernel sharing an id
            # are refused by _claim): the entry was edited by hand, or a notebook of another
            # kernel uses the id. Like a malformed entry: start empty, keep the file as it is,
            # and the store copies it before this exercise's first answer replaces the entry.
            self._file_problem = Msg("store.other_kind", id=self.exercise_id,
                                     kind=entry["kind"], mine=self.kind)
            self._problem_scope = "entry"
            entry = None
        if entry is not None:
            try:
                self._restore_notes = dict(self._restore(entry["answer"]))
            except Exception:  # noqa: BLE001 - an odd saved answer must not break the notebook
                # the whole saved answer is replaced by the first new one (after a copy)
                self._restore_notes = {"*": ui_text("restore_failed", self.lang)}
            self._has_saved = not self._restore_notes
            saved_in, mine = entry.get("taxonomy"), self._taxonomy_id()
            if saved_in and mine and saved_in != mine:
                self._notices.append(ui_text("other_taxonomy", self.lang, saved=saved_in,
                                             taxonomy=mine))
        if entry is not None:
            self._known, self._base = entry["answer"], self._stored_answer()
            self._copy_entry = entry
        self._loading = False
        self.observe(self._answer_changed, names=self._answer_trait)
        top = [widgets.HTML(f'<div style="line-height:1.4">{esc(help_text)}</div>',
                            layout=widgets.Layout(width="auto"))] if help_text else []
        if self.mode == "graded":
            top.append(widgets.HTML(f"<i>{esc(ui_text('graded_note', self.lang))}</i>",
                                    layout=widgets.Layout(width="auto")))
        self.children = [*top, *body, self._progress_html, self._status_html]
        self._refresh()
        self._show_status()

    # -- hooks for subclasses ----------------------------------------------------------
    def _restore(self, raw: Any) -> dict[str, str]:
        """Set the answer traitlet from a saved answer; return a notice for each part of it
        that is not shown (by key: an item id, or ``""``), saying what and why."""
        raise NotImplementedError

    def _settled(self) -> list[str]:
        """Keys of the restore notices that the answer about to be saved replaces."""
        return []

    def _forget_extra(self, keys: list[str]) -> None:
        """Stop keeping the saved parts of ``keys`` that were not shown (now replaced)."""

    def _stored_answer(self) -> Any:
        raise NotImplementedError

    def _taxonomy_id(self) -> str | None:
        """The id of the taxonomy the answer's relationship types come from (None: no types)."""
        return None

    def _refresh(self) -> None:
        """Show the answer traitlet in the controls, progress and feedback."""
        raise NotImplementedError

    def _summary_lines(self) -> list[str]:
        return []

    def unsaved_parts(self, saved: Any) -> list[str]:
        """What the saved answer ``saved`` (as read from the answer file) still lacks, one
        line per kind of part, in the widget's language; [] when nothing is missing. Never
        says whether an answer is right."""
        return []

    def saved_count(self, saved: Any) -> int:
        """How many parts (items, types, notes) ``saved`` holds."""
        return len(saved) if isinstance(saved, (list, dict)) else 0

    def _code_hint(self) -> str:
        return ""

    # -- saving ------------------------------------------------------------------------
    def _answer_changed(self, change: dict[str, Any]) -> None:
        if self._loading:
            return
        self._save()
        self._refresh()

    def _save(self) -> bool:
        settled = [k for k in [*self._settled(), "*"] if k in self._restore_notes]
        try:
            if (settled and self._restore_backup is None and self._store.path.is_file()):
                self._restore_backup = self._store.keep_copy()
        except OSError as exc:  # no copy: do not replace what was saved
            self.message = ui_text("save_failed", self.lang, error=f"{type(exc).__name__}: {exc}")
            self._status_html.value = self._status_value()
            return False
        if settled:
            self._forget_extra(settled)
            for key in settled:
                del self._restore_notes[key]
        mine = self._stored_answer()
        try:
            backup = self._store.save(self.exercise_id, self.kind, mine,
                                      taxonomy=self._taxonomy_id(), base=self._base,
                                      touched=self._save_touched())
        except Exception as exc:  # noqa: BLE001 - say it on screen, never lose it silently
            self.message = ui_text("save_failed", self.lang, error=f"{type(exc).__name__}: {exc}")
            self._status_html.value = self._status_value()
            return False
        self._touched = []
        self._take_saved(self._store.before, self._store.saved, mine)
        self._copy_entry = self._store.entry
        self._update_copy()
        self._has_saved = True
        if backup is None and self._file_problem is not None:
            backup = self._store.latest_backup()  # another widget or notebook made the copy
        if self._file_problem is not None:
            self._file_problem = None
            self._backup = backup
        self._show_status()
        return True

    def _save_touched(self) -> list[str]:
        """The items a save writes even when unchanged (answered again by the student)."""
        return list(self._touched)

    def _take_saved(self, before: Any, saved: Any, mine: Any) -> None:
        """After a save: when the file held answers this widget had not seen (another tab,
        notebook or kernel saved since), show the merged answer, which keeps the student's
        change, and say so."""
        self._reloaded = before is not None and before != self._known
        if self._reloaded and saved != mine:
            self._loading = True
            try:
                self._restore_notes = dict(self._restore(saved))
            except Exception:  # noqa: BLE001 - an odd saved answer must not break the notebook
                self._restore_notes = {"*": ui_text("restore_failed", self.lang)}
            finally:
                self._loading = False
        self._known, self._base = saved, self._stored_answer()

    def _show_status(self) -> None:
        messages = []
        problem_key, backup_key = {
            "entry": ("entry_problem", "entry_backup_made"),
            "repaired": ("file_repaired", "repair_made"),
        }.get(self._problem_scope, ("file_problem", "backup_made"))
        if self._file_problem is not None:
            messages.append(ui_text(problem_key, self.lang, file=ANSWERS_FILENAME,
                                    problem=render(self._file_problem, self.lang)))
        elif self._backup is not None:
            messages.append(ui_text(backup_key, self.lang, file=ANSWERS_FILENAME,
                                    backup=self._backup.name))
        messages += self._notices
        if self._reloaded:
            messages.append(ui_text("answers_reloaded", self.lang, file=ANSWERS_FILENAME))
        messages += self._restore_notes.values()
        if self._restore_backup is not None:
            messages.append(ui_text("restore_backup_made", self.lang, file=ANSWERS_FILENAME,
                                    backup=self._restore_backup.name))
        self.message = "\n".join(messages)
        self._status_html.value = self._status_value()

    def _status_value(self) -> str:
        saved = (f'<span style="color:#57606a">'
                 f'{esc(ui_text("saved_in", self.lang, file=ANSWERS_FILENAME))}</span>')
        warnings = "".join(
            f'<div role="alert" style="border-left:4px solid #9a6700;padding:2px 8px;'
            f'margin-top:4px;line-height:1.4">{esc(line)}</div>'
            for line in self.message.splitlines() if line)
        return saved + warnings

    def _set_progress(self, text: str) -> None:
        self.progress = text
        self._progress_html.value = f'<b role="status">{esc(text)}</b>'

    # -- a text summary for consoles and front-ends without widgets --------------------
    def summary(self) -> str:
        """The exercise and its progress as plain text."""
        lines = [f"{type(self).__name__} {self.exercise_id!r} ({self.mode}, {self.lang}): "
                 f"{self.progress}"]
        lines += self._summary_lines()
        lines += [f"! {line}" for line in self.message.splitlines() if line]
        hint = self._code_hint()
        if hint:
            lines.append(hint)
        return "\n".join(lines)

    def __repr__(self) -> str:
        try:
            return self.summary()
        except Exception:  # noqa: BLE001 - during construction
            return f"<{type(self).__name__} (not ready)>"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(repr(self))

    # -- the copy of the saved answers inside the notebook -------------------------------
    def _ipython_display_(self) -> None:
        """Show the widget, then the copy of its saved answers (an output the frontend saves
        with the notebook; nothing is drawn for it)."""
        from IPython.display import display

        display(self._repr_mimebundle_(), raw=True)
        data, metadata = copy_bundle(self.exercise_id, self.mode, self._copy_entry)
        display(data, raw=True, metadata=metadata, display_id=self._copy_id)
        self._copy_shown = True

    def _update_copy(self) -> None:
        if not self._copy_shown:
            return
        from IPython.display import display

        data, metadata = copy_bundle(self.exercise_id, self.mode, self._copy_entry)
        display(data, raw=True, metadata=metadata, display_id=self._copy_id, update=True)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        data = super()._repr_mimebundle_(**kwargs) or {}
        data["text/plain"] = repr(self)
        return data
