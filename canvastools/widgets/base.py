"""What every exercise widget shares: its id, language, mode, answer store and status lines.

An exercise keeps its answer in a traitlet (``answers``, ``order`` or ``notes``). Every change
of that traitlet, from a control or from code, is written to the answer store; a new widget
with the same id (after a restart, "Run All", or when nbgrader runs the notebook) reads it back
and shows it. All texts come from ``canvastools/data/ui.yaml``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar

import ipywidgets as widgets
import traitlets

from canvastools._io.htmlsafe import escape
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


def with_item_answer(answers: dict[str, list[str]], item_id: str,
                     ids: list[str]) -> dict[str, list[str]]:
    """A copy of ``answers`` with ``item_id`` answered by ``ids`` (removed when empty).

    >>> with_item_answer({"a": ["x"]}, "b", [])
    {'a': ['x']}
    """
    new = dict(answers)
    if ids:
        new[item_id] = ids
    else:
        new.pop(item_id, None)
    return new


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


CHOSEN_MARK = "✓ "


class ChoiceRadio(widgets.RadioButtons):
    """One option of :class:`ChoiceButtons`: a native radio button with its label."""

    @property
    def text(self) -> str:
        """The option's text (without a tick)."""
        return str(self.options[0]) if self.options else ""

    def click(self) -> None:
        """Choose this option, as a student's click (or Space) does."""
        self.index = 0


class ChoiceButtons(widgets.Box):
    """One radio button per option; a click, or Tab then Space, chooses one (``value``).

    Each option is a native radio button (an ipywidgets ``RadioButtons`` of one option), so a
    screen reader says which answer is chosen ("radio button, checked"): ipywidgets 8 cannot
    give a plain button ``aria-pressed`` or a role. Instead of a list box, a drop-down or
    ToggleButtons: in JupyterLab and Notebook 7 the arrow keys on a focused list box or
    drop-down move to another cell, and ToggleButtons redraw their buttons when the choice
    moves, so the keyboard focus is lost. These radios stay in place: only their state
    changes; :attr:`labels` marks the chosen one with a tick ("✓ ").

    >>> pick = ChoiceButtons([("Self-service", "self_service"), ("Communities", "communities")])
    >>> pick.value = "communities"
    >>> pick.labels
    ['Self-service', '✓ Communities']
    """

    value = traitlets.Any(None, allow_none=True, help="the chosen option's value, or None")
    options = traitlets.List(help="[(label, value)]")
    tooltips = traitlets.List(traitlets.Unicode(), help="one per option (optional)")

    def __init__(self, options: Any = (), *, value: Any = None, vertical: bool = False,
                 button_width: str = "auto", tooltips: Any = (), **kwargs: Any) -> None:
        kwargs.setdefault("layout", widgets.Layout(
            flex_flow="column" if vertical else "row wrap", align_items="flex-start"))
        super().__init__(**kwargs)
        self._button_width = button_width
        self._buttons: list[ChoiceRadio] = []
        self._showing = False  # True while _render sets the radios (not a student's click)
        self.add_class("canvastools-choices")
        self.observe(self._render, names=["options", "value", "tooltips"])
        self.options = [tuple(o) for o in options]
        self.tooltips = list(tooltips)
        self.value = value
        self._render()

    def _render(self, _change: Any = None) -> None:
        self._showing = True
        try:
            for index in range(len(self._buttons), len(self.options)):
                radio = ChoiceRadio(options=[""], index=None, layout=widgets.Layout(
                    width=self._button_width, margin="2px 12px 2px 0"))
                radio.add_class("canvastools-choice")
                radio.observe(lambda change, i=index: self._clicked(i, change.new),
                              names="index")
                self._buttons.append(radio)
            for i, (label, value) in enumerate(self.options):
                chosen = value == self.value and self.value is not None
                radio = self._buttons[i]
                if radio.options != (str(label),):
                    radio.options = [str(label)]
                # nothing else of the chosen radio changes: ipywidgets redraws a RadioButtons
                # on any change from the kernel, and the keyboard focus would be lost
                radio.index = 0 if chosen else None
                radio.tooltip = self.tooltips[i] if i < len(self.tooltips) else str(label)
        finally:
            self._showing = False
        shown = tuple(self._buttons[:len(self.options)])
        if tuple(self.children) != shown:
            self.children = shown

    def _clicked(self, index: int, radio_index: int | None) -> None:
        if self._showing or index >= len(self.options):
            return
        if radio_index == 0:
            self.value = self.options[index][1]
        else:  # a radio is never unchecked by a student: show the choice again
            self._render()

    @property
    def labels(self) -> list[str]:
        """The options' texts, the chosen one with a tick."""
        return [(CHOSEN_MARK if b.index == 0 else "") + b.text for b in self.children]


def restore_id_map(raw: Any, items: dict[str, tuple[str, bool]], choices: dict[str, str],
                   lang: str) -> tuple[dict[str, list[str]], dict[str, Any], dict[str, str]]:
    """Take over a saved ``{item id: [choice ids]}`` answer only where it can be shown as saved.

    ``items``: item id -> (its name, several choices allowed); ``choices``: choice id -> label,
    in the order the widget lists them. An item's saved answer is shown only when every id in
    it is a choice and a single-choice item has one: otherwise the widget would show something
    else than what is graded. Returns the answers to show, the saved entries not shown (kept in
    the file as they are until the student answers the item again) and a notice per item
    (key ``item id``; unknown items together under the key ``""``).
    """
    answers: dict[str, list[str]] = {}
    extra: dict[str, Any] = {}
    notes: dict[str, str] = {}
    unknown_items: list[str] = []
    valid = ", ".join(choices)
    for item_id, saved in raw.items():
        ids = list(dict.fromkeys(saved))
        if item_id not in items:
            extra[item_id] = saved
            unknown_items.append(item_id)
            continue
        name, multi = items[item_id]
        shown = ", ".join(map(str, saved))
        unknown = [i for i in ids if i not in choices]
        if unknown:
            extra[item_id] = saved
            notes[item_id] = ui_text("restore_unknown_choice", lang, item=name, saved=shown,
                                     unknown=", ".join(map(str, unknown)), choices=valid)
        elif len(ids) > 1 and not multi:
            extra[item_id] = saved
            notes[item_id] = ui_text("restore_too_many", lang, item=name, saved=shown,
                                     count=len(ids))
        elif ids:
            answers[item_id] = [c for c in choices if c in ids]
    if unknown_items:
        notes[""] = ui_text("ignored_ids", lang, ids=", ".join(unknown_items))
    return answers, extra, notes


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
        self._file_problem: str | None = None
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
            self._file_problem, self._problem_scope = read.problem, "entry"
        elif read.problem is not None and read.repaired:  # hand-edited frame, answers kept
            self._file_problem, self._problem_scope = read.problem, "repaired"
        elif read.problem is not None and not read.damaged:  # the whole file is unreadable
            self._file_problem, self._problem_scope = read.problem, "file"
        if entry is not None and entry["kind"] != self.kind:
            # Not an instructor's error here (two exercises of one live kernel sharing an id
            # are refused by _claim): the entry was edited by hand, or a notebook of another
            # kernel uses the id. Like a malformed entry: start empty, keep the file as it is,
            # and the store copies it before this exercise's first answer replaces the entry.
            self._file_problem = (
                f"the saved answer of {self.exercise_id!r} is a {entry['kind']!r} answer, not a "
                f"{self.kind!r} answer (edited by hand, or another exercise uses the id "
                f"{self.exercise_id!r})")
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
                                    problem=self._file_problem))
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


class IdMapExercise(Exercise):
    """An exercise answered ``{item id: [choice ids]}`` (classification, motivations).

    Saved entries it could not show stay in ``self._extra`` (set by the subclass's
    ``_restore``) and are written back untouched until the student answers that item.
    """

    _answer_trait = "answers"
    answers = traitlets.Dict(help="{item id: [choice ids]}")
    _right: int | None = None  # items right at the last Check (None: not checked)

    def _item_ids(self) -> list[str]:
        """The ids of the items, in order (subclasses)."""
        raise NotImplementedError

    def _item_name(self, item_id: str) -> str:
        """How the exercise shows an item (subclasses)."""
        return item_id

    def unsaved_parts(self, saved: Any) -> list[str]:
        from canvastools.grading.views import view_text

        saved = saved if isinstance(saved, dict) else {}
        items = self._item_ids()
        missing = [i for i in items if not saved.get(i)]
        if not missing:
            return []
        names = "; ".join(f"{self._item_name(i)} ({i})" for i in missing)
        return [view_text("missing_items", self.lang, count=len(missing), total=len(items),
                          items=names)]

    def saved_count(self, saved: Any) -> int:
        saved = saved if isinstance(saved, dict) else {}
        return sum(1 for i in self._item_ids() if saved.get(i))

    def _control_ids(self, item_id: str) -> list[str]:
        """The choice ids an item's controls show now (subclasses)."""
        raise NotImplementedError

    def _show_item(self, item_id: str, chosen: list[str]) -> None:
        """Set an item's controls to ``chosen`` (subclasses)."""
        raise NotImplementedError

    def _from_controls(self, item_id: str) -> None:
        if self._updating or self._loading:
            return
        self.answers = with_item_answer(self.answers, item_id, self._control_ids(item_id))

    def _refresh(self) -> None:
        self._updating = True
        try:
            for item_id in self._item_ids():
                self._show_item(item_id, self.answers.get(item_id, []))
        finally:
            self._updating = False
        self._set_answered_progress(self._item_ids())
        if self._checked:
            self._show_feedback()

    def _item_feedback(self, item_id: str, key: Iterable[str], accepted: Iterable[str],
                       explanation: str, source: str) -> str:
        """Show one item's practice feedback; return its verdict ("no_key" without a key)."""
        key = list(key)
        out = self._feedback[item_id]
        if not key:
            out.value = (f'<div role="status">{esc(ui_text("no_key", self.lang))}</div>'
                         if self.answers.get(item_id) else "")
            return "no_key"
        result = verdict(set(self.answers.get(item_id, [])), set(key), set(accepted))
        details = []
        if result in ("partly", "wrong"):
            names = ", ".join(self._labels[k] for k in key)
            details.append(ui_text("answer_is", self.lang, answer=names))
        if result != "not_answered":
            details.append(explanation)
            if source:
                details.append(ui_text("source", self.lang, source=source))
        out.value = feedback_html(result, self.lang, details)
        return result

    def _show_score(self, results: Iterable[str]) -> None:
        """The "n of m right" line, over the items that have a key; the progress line says it
        too from now on ("8 of 8 answered, 6 right")."""
        keyed = [r for r in results if r != "no_key"]
        if keyed:
            right = sum(r == "right" for r in keyed)
            self._score_html.value = (
                f'<b role="status" style="margin-left:12px">'
                f'{esc(ui_text("score", self.lang, right=right, total=len(keyed)))}</b>')
            self._right = right
            self._set_answered_progress(self._item_ids())

    def _set_item(self, item_id: str, ids: list[str]) -> None:
        """Answer one item (no ids: clear it); saved again even when nothing changed."""
        self._touched.append(item_id)
        new = with_item_answer(self.answers, item_id, ids)
        if new == self.answers:
            self._save()  # may show answers saved elsewhere: never set the stale ``new`` then
            self._refresh()
            return
        self.answers = new

    def _set_answered_progress(self, item_ids: list[str]) -> None:
        """"5 of 8 answered"; once a practice exercise is checked, also how many are right."""
        answered = sum(1 for item_id in item_ids if self.answers.get(item_id))
        if self._right is None:
            self._set_progress(ui_text("progress", self.lang, answered=answered,
                                       total=len(item_ids)))
        else:
            self._set_progress(ui_text("progress_right", self.lang, answered=answered,
                                       total=len(item_ids), right=self._right))

    def _settled(self) -> list[str]:
        return [item_id for item_id in self.answers if item_id in self._extra]

    def _forget_extra(self, keys: list[str]) -> None:
        for key in keys:
            self._extra.pop(key, None)

    def _stored_answer(self) -> dict[str, list[str]]:
        return {**self._extra, **{k: list(v) for k, v in self.answers.items()}}
