"""The student's own variant of a pooled exercise, on the student's side.

A widget given ``count=`` (and optionally ``pool=``, the item ids of the pool; default: all
its items) shows the student's own ``count`` items of the pool, in their order
(:func:`canvastools.model.variants.variant`). The student's id is found, in this order:

1. on a JupyterHub, the user (``JUPYTERHUB_USER``);
2. in nbgrader's folders, the submission's student: ``submitted/<student>/<assignment>/`` (and
   ``autograded/``), or an exchange folder ``<student>+<assignment>+<timestamp>``;
3. the id saved with the answers (typed once by the student);
4. a self-learner (practice mode) without any of these gets a guest id, saved the same way,
   and can draw another variant;
5. otherwise (graded mode) the student types it once.

The id is saved with the exercise's answers (``"student"`` in the answer file), so the grader
can see an answer file that claims another id.

>>> submission_student(Path("/course/submitted/ada/quiz-1"))
StudentId(id='ada', source='submission')
>>> submission_student(Path("/srv/exchange/c/inbound/bob+quiz-1+2026-12-01 10:00:00"))
StudentId(id='bob', source='submission')
>>> pick([{"id": "a"}, {"id": "b"}, {"id": "c"}], None, 2, assignment="x", exercise="y",
...      student="z")
[{'id': 'c'}, {'id': 'b'}]
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from canvastools._io.messages import render
from canvastools.answers.store import AnswerStore
from canvastools.errors import InputError
from canvastools.model.variants import check_pool, new_guest_id, normalise_student_id, variant
from canvastools.widgets.base import Exercise, esc, ui_text

__all__ = ["HUB_VARIABLE", "StudentId", "find_student", "submission_student", "pick",
           "item_id", "check_pooled", "PooledVariant"]

HUB_VARIABLE = "JUPYTERHUB_USER"
_GRADER_FOLDERS = ("submitted", "autograded")
_EXCHANGE = re.compile(r"^(?P<student>[^+]+)\+(?P<assignment>[^+]+)\+")


@dataclass(frozen=True)
class StudentId:
    """A student id and where it was found: ``hub``, ``submission``, ``saved``, ``guest``
    or ``typed``."""

    id: str
    source: str


def submission_student(folder: Path) -> StudentId | None:
    """The student of an nbgrader submission folder, or None when ``folder`` is not one."""
    folder = Path(folder)
    match = _EXCHANGE.match(folder.name)
    if match:
        return StudentId(match["student"], "submission")
    parts = folder.parts
    if len(parts) >= 3 and parts[-3] in _GRADER_FOLDERS and parts[-2].strip():
        return StudentId(parts[-2], "submission")
    return None


def find_student(folder: Path, saved: object, mode: str) -> StudentId | None:
    """The student's id (see the module's docstring for the order), or None when the student
    has to type it (graded mode, nothing found)."""
    hub = os.environ.get(HUB_VARIABLE, "").strip()
    if hub:
        return StudentId(hub, "hub")
    found = submission_student(folder.resolve())
    if found is not None:
        return found
    if isinstance(saved, str) and saved.strip():
        return StudentId(saved.strip(), "saved")
    if mode == "practice":
        return StudentId(new_guest_id(), "guest")
    return None


def item_id(raw: object) -> str:
    """The id of an item as a widget takes it: a Case, a bank id or a dict with ``id``."""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, Mapping):
        return str(raw.get("id", ""))
    return str(getattr(raw, "id", ""))


def check_pooled(items: Sequence[Any], pool: Sequence[str] | None, count: int) -> list[str]:
    """The pool's ids (``pool``, else every item's), checked against the items and ``count``."""
    ids = [item_id(raw) for raw in items]
    chosen = list(pool) if pool is not None else ids
    missing = [i for i in chosen if i not in ids] if pool is not None else []
    if missing:
        raise InputError(f"the pool names items the exercise does not have: {missing}",
                         where="pool", choices=ids, got=str(missing[0]))
    return check_pool(chosen, count, where="count")


def pick(items: Sequence[Any], pool: Sequence[str] | None, count: int, *, assignment: str,
         exercise: str, student: str) -> list[Any]:
    """The items of ``student``'s variant, in its order."""
    chosen = check_pooled(items, pool, count)
    order = variant(chosen, count, assignment=assignment, exercise=exercise,
                    student=normalise_student_id(student))
    by_id = {item_id(raw): raw for raw in items}
    return [by_id[i] for i in order]


class PooledVariant:
    """The variant part of a pooled exercise widget: finds the student's id, saves it with the
    answers, shows which items are the student's (and, for a guest, a button to draw others),
    and asks for the id when nothing gives it.

    ``build(items)`` (the exercise's) makes the item cards of a variant; ``redraw(items)`` makes
    them again for another variant; ``empty()`` is the exercise's answer with nothing answered
    (``dict`` for a classification, ``list`` for an order), saved with a new id.
    """

    def __init__(self, exercise: Exercise, items: Sequence[Any], pool: Sequence[str] | None,
                 count: int | None, assignment: str | None, *,
                 build: Callable[[list[Any]], None],
                 redraw: Callable[[list[Any]], None],
                 empty: Callable[[], Any] = dict) -> None:
        self._exercise = exercise
        self._empty = empty  # the exercise's answer with nothing answered: {} or []
        self._all = list(items)
        self._build, self._redraw = build, redraw
        self.count = count if count is not None else len(pool or [])
        self.pool = check_pooled(self._all, pool, self.count)
        self.assignment = assignment or Path(exercise.folder).resolve().name
        self._message = widgets.HTML(layout=widgets.Layout(width="auto"))
        entry = self._entry()
        self.student = find_student(Path(exercise.folder), entry.get("student"), exercise.mode)
        if self.student is None:
            exercise.children = [self.prompt()]
        else:
            self._keep(entry)

    def _entry(self) -> Mapping[str, Any]:
        read = AnswerStore(self._exercise.folder).read()
        return read.exercises.get(self._exercise.exercise_id) or {}

    def _keep(self, entry: Mapping[str, Any], *, clear: bool = False) -> None:
        """Save the student's id with the exercise's answers (kept as they are, unless
        ``clear``) when the file does not hold this id yet."""
        assert self.student is not None
        if entry.get("student") == self.student.id and not clear:
            return
        answer = entry.get("answer")
        empty = self._empty()
        if clear or entry.get("kind") != self._exercise.kind or \
                not isinstance(answer, type(empty)):
            answer = empty
        AnswerStore(self._exercise.folder).save(
            self._exercise.exercise_id, self._exercise.kind, type(empty)(answer),
            taxonomy=entry.get("taxonomy"), student=self.student.id)

    def items(self) -> list[Any]:
        """The student's items, in their order."""
        assert self.student is not None
        return pick(self._all, self.pool, self.count, assignment=self.assignment,
                    exercise=self._exercise.exercise_id, student=self.student.id)

    def set_student(self, student_id: str) -> None:
        """The id the student typed: saved, then their items shown."""
        self._switch(StudentId(normalise_student_id(student_id), "typed"))

    def draw_another(self) -> None:
        """A self-learner's new random variant (the answers of the last one are cleared)."""
        self._switch(StudentId(new_guest_id(), "guest"))

    def _switch(self, new: StudentId) -> None:
        first = self.student is None
        if self.student is not None and new.id == self.student.id:
            return
        self.student = new
        self._keep(self._entry(), clear=not first)   # another variant: other items
        (self._build if first else self._redraw)(self.items())

    def bar(self) -> widgets.Widget:
        """The line above the items: whose items they are; for a guest, "Draw other items"."""
        assert self.student is not None
        lang = self._exercise.lang
        size = len(self.pool)
        if self.student.source == "guest":
            note = ui_text("guest_note", lang, count=self.count, size=size)
            button = widgets.Button(description=ui_text("draw_another", lang), icon="random",
                                    layout=widgets.Layout(width="auto"))
            button.on_click(lambda _: self.draw_another())
            parts: list[widgets.Widget] = [widgets.HTML(f"<i>{esc(note)}</i>"), button]
        else:
            note = ui_text("variant_note", lang, count=self.count, size=size,
                           student=self.student.id)
            parts = [widgets.HTML(f"<i>{esc(note)}</i>")]
        box = widgets.HBox(parts, layout=widgets.Layout(align_items="center", width="auto"))
        box.add_class("canvastools-variant")
        return box

    def prompt(self) -> widgets.Widget:
        """Where a student without an id types it once."""
        lang = self._exercise.lang
        text = widgets.Text(placeholder="s1234567", layout=widgets.Layout(width="16em"))
        button = widgets.Button(description=ui_text("student_button", lang),
                                button_style="primary", layout=widgets.Layout(width="auto"))

        def submit(_: object) -> None:
            try:
                self.set_student(text.value)
            except InputError as exc:
                self._message.value = ('<span style="color:#cf222e">'
                                       f"{esc(render(exc.text, lang))}</span>")

        button.on_click(submit)
        box = widgets.VBox([widgets.HTML(esc(ui_text("student_prompt", lang))),
                            widgets.HBox([text, button]), self._message],
                           layout=widgets.Layout(width="auto"))
        box.add_class("canvastools-student-prompt")
        return box


class PooledExercise:
    """What an exercise with a pool (``count=``) offers its user: :meth:`set_student`.
    A widget that mixes it in keeps its :class:`PooledVariant` (or None) in ``_variant``."""

    _variant: PooledVariant | None = None

    def set_student(self, student_id: str) -> None:
        """Set the student id of a pooled exercise (``count=``): it is saved with the answers
        and the student's own items are shown. ``quiz.set_student("s1234567")``"""
        if self._variant is None:
            raise InputError("set_student is for an exercise with a pool (count=)",
                             where="set_student")
        self._variant.set_student(student_id)
