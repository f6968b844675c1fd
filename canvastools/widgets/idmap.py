"""Exercises answered ``{item id: [choice ids]}`` (classification, motivations): the base class
:class:`IdMapExercise` and how a saved answer of that shape is taken over.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import traitlets

from canvastools.widgets.base import Exercise, esc, feedback_html, ui_text, verdict


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

    def _build(self, items: list[Any]) -> None:
        """Make the items' controls and start (subclasses; a pooled exercise: its variant)."""
        raise NotImplementedError

    def _redraw(self, items: list[Any]) -> None:
        """The items made again for another variant of a pool (its saved answers, none at
        first)."""
        self._loading = True
        self.answers = {}
        self._checked = False
        self._build(items)

    def _item_name(self, item_id: str) -> str:
        """How the exercise shows an item (subclasses)."""
        return item_id

    def unsaved_parts(self, saved: Any) -> list[str]:
        from canvastools.grading.results import view_text

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
