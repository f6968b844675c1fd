"""Order relationship types from the most personal to the most automated.

A column of buttons, one per type (pick one with a click, or with Tab and Enter/Space), and
"Move up" / "Move down" buttons, no drag-and-drop. Not a list box: in JupyterLab and Notebook 7
the arrow keys on a list box move to another cell instead of choosing an item. Types closer on
the spectrum than the taxonomy's ``spectrum_tolerance`` may come in either order.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import traitlets

from ..errors import InputError
from ..taxonomy import DEFAULT_TAXONOMY, Taxonomy, load_taxonomy
from .base import ChoiceButtons, Exercise, esc, feedback_html, flatten_ids, ui_text


class SpectrumOrder(Exercise):
    """``.order`` is the list of type ids shown, from most personal to most automated."""

    kind = "spectrum"
    _answer_trait = "order"
    order = traitlets.List(traitlets.Unicode(), help="type ids, most personal first")

    def __init__(self, exercise_id: str, items: Iterable[str] | None = None, *,
                 lang: str = "en", mode: str = "practice",
                 taxonomy: str | Taxonomy = DEFAULT_TAXONOMY,
                 folder: str | Path | None = None) -> None:
        super().__init__(exercise_id, lang=lang, mode=mode, folder=folder)
        self._taxonomy = taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)
        type_ids = self._taxonomy.type_ids
        if items is None:
            self._items = list(type_ids)
        else:
            if isinstance(items, str):
                raise InputError("items is a list of relationship type ids", where="items")
            self._items = []
            for type_id in items:
                if type_id not in type_ids:
                    raise InputError(f"unknown relationship type {type_id!r}", where="items",
                                     choices=type_ids, got=str(type_id))
                if type_id in self._items:
                    raise InputError(f"{type_id!r} is listed twice", where="items")
                self._items.append(type_id)
        if len(self._items) < 2:
            raise InputError("give at least two types to order", where="items")
        self._labels = {t: self._taxonomy.label(t, self.lang) for t in self._items}
        self._extra: list[str] = []  # a saved order that could not be taken over
        self._checked = False
        self.order = self._start_order()

        # one button per place, stacked: Tab + Enter/Space picks a type (not a list box: in
        # JupyterLab the arrow keys on a list box move to another cell)
        self._select = ChoiceButtons(self._options(), vertical=True, button_width="300px")
        self._select.observe(lambda _c: self._show_selected(), names="value")
        self._selected_html = widgets.HTML(layout=widgets.Layout(width="100%"))
        self._up = widgets.Button(description=ui_text("move_up", self.lang),
                                  tooltip=ui_text("move_tooltip", self.lang),
                                  layout=widgets.Layout(width="auto"))
        self._down = widgets.Button(description=ui_text("move_down", self.lang),
                                    tooltip=ui_text("move_tooltip", self.lang),
                                    layout=widgets.Layout(width="auto"))
        self._save_button = widgets.Button(description=ui_text("save_order", self.lang),
                                           tooltip=ui_text("save_order", self.lang),
                                           icon="save", layout=widgets.Layout(width="auto"))
        self._up.on_click(lambda _: self.move(-1))
        self._down.on_click(lambda _: self.move(1))
        self._save_button.on_click(lambda _: self._save_order())
        buttons = [self._up, self._down, self._save_button]
        self._feedback = widgets.HTML(layout=widgets.Layout(width="100%"))
        if self.mode == "practice":
            self._check_button = widgets.Button(
                description=ui_text("check", self.lang), icon="check", button_style="primary",
                tooltip=ui_text("check_tooltip", self.lang), layout=widgets.Layout(width="auto"))
            self._check_button.on_click(lambda _: self.check())
            buttons.append(self._check_button)
        # the two ends of the spectrum above and below the list, in words and arrows
        top = widgets.HTML(f'<span style="color:#57606a">▲ '
                           f'{esc(ui_text("most_personal", self.lang))}</span>')
        bottom = widgets.HTML(f'<span style="color:#57606a">▼ '
                              f'{esc(ui_text("most_automated", self.lang))}</span>')
        order_label = widgets.HTML(f"<b>{esc(ui_text('order_list', self.lang))}:</b>")
        body: list[widgets.Widget] = [
            order_label, top, self._select, bottom,
            widgets.HBox(buttons, layout=widgets.Layout(flex_flow="row wrap")),
            self._selected_html,
        ]
        if self.mode == "practice":
            body.append(self._feedback)
        self._start(body, ui_text("spectrum_help", self.lang))

    def _options(self) -> tuple[tuple[str, str], ...]:
        """The buttons' labels: the place and the type ("2. Communities")."""
        return tuple((f"{i}. {self._labels[t]}", t) for i, t in enumerate(self.order, 1))

    def _show_selected(self) -> None:
        """Say which type is picked and its place: in words, not only by a colour."""
        selected = self._select.value
        if selected is None or selected not in self.order:
            self._selected_html.value = ""
            return
        text = ui_text("spectrum_selected", self.lang, item=self._labels[selected],
                       place=self.order.index(selected) + 1, total=len(self.order))
        self._selected_html.value = f'<span role="status">{esc(text)}</span>'

    def _spectrum(self, type_id: str) -> float | None:
        return self._taxonomy.type(type_id).spectrum

    def _wrong_pairs(self, order: list[str]) -> list[tuple[str, str]]:
        """Pairs (more personal, more automated) that ``order`` puts the other way round."""
        tol = self._taxonomy.spectrum_tolerance
        wrong = []
        for i, later in enumerate(order):
            for earlier in order[:i]:
                a, b = self._spectrum(earlier), self._spectrum(later)
                if a is not None and b is not None and a - b > tol + 1e-9:
                    wrong.append((later, earlier))
        return wrong

    def _start_order(self) -> list[str]:
        """A shuffled order (the same for an id) that is never already right."""
        order = list(self._items)
        random.Random(self.exercise_id).shuffle(order)
        for _ in range(len(order)):
            if self._wrong_pairs(order):
                break
            order = order[1:] + order[:1]
        if not self._wrong_pairs(order):
            order.reverse()
        return order

    # -- moving --------------------------------------------------------------------------
    def move(self, step: int) -> None:
        """Move the selected type ``step`` places (-1 up, +1 down)."""
        selected = self._select.value
        if selected is None:
            return
        order = list(self.order)
        i = order.index(selected)
        j = min(max(i + step, 0), len(order) - 1)
        if i == j:
            return
        order[i], order[j] = order[j], order[i]
        self.order = order

    def _save_order(self) -> None:
        self._save()
        self._refresh()

    def _refresh(self) -> None:
        self._updating = True
        try:
            selected = self._select.value
            options = self._options()
            if tuple(self._select.options) != options:
                self._select.options = options
            self._select.value = selected
        finally:
            self._updating = False
        self._show_selected()
        self._set_progress(ui_text("order_saved" if self._has_saved else "order_not_saved",
                                   self.lang))
        if self._checked:
            self._show_feedback()

    # -- saved answer --------------------------------------------------------------------
    def _restore(self, raw: Any) -> dict[str, str]:
        """A saved order is shown as saved only when it holds each type of the exercise once
        (what grade_order counts); else the types it has come first, a notice says what was
        not taken over, and the file keeps the saved order until the student saves a new one."""
        saved = [str(t) for t in raw]
        if sorted(saved) == sorted(self._items) and len(set(saved)) == len(saved):
            self._extra = []
            self.order = saved
            return {}
        known = [t for t in dict.fromkeys(saved) if t in self._items]
        problems = []
        unknown = list(dict.fromkeys(t for t in saved if t not in self._items))
        if unknown:
            problems.append(ui_text("order_unknown", self.lang, ids=", ".join(unknown),
                                    choices=", ".join(self._items)))
        twice = list(dict.fromkeys(t for t in saved if t in self._items and saved.count(t) > 1))
        if twice:
            problems.append(ui_text("order_twice", self.lang, ids=", ".join(twice)))
        missing = [t for t in self._items if t not in saved]
        if missing:
            problems.append(ui_text("order_missing", self.lang, ids=", ".join(missing)))
        self._extra = saved
        self.order = known + [t for t in self.order if t not in known]
        return {"order": ui_text("restore_order", self.lang, saved=", ".join(saved) or "-",
                                 problems="; ".join(problems))}

    def _settled(self) -> list[str]:
        return ["order"]  # every save is a whole order, given by the student

    def _forget_extra(self, keys: list[str]) -> None:
        self._extra = []

    def _save_touched(self) -> list[str]:
        return ["order"]  # the order is one item, given whole by the student at each save

    def _stored_answer(self) -> list[str]:
        return list(self.order)

    def _taxonomy_id(self) -> str | None:
        return self._taxonomy.id

    def answer(self, *type_ids: Any) -> None:
        """Give the whole order in code, most personal first."""
        ids = flatten_ids(type_ids)
        for type_id in ids:
            if type_id not in self._items:
                raise InputError(f"unknown relationship type {type_id!r}", where="answer",
                                 choices=sorted(self._items), got=type_id)
        dupes = sorted({t for t in ids if ids.count(t) > 1})
        if dupes:
            raise InputError("each type comes once; twice: " + ", ".join(dupes), where="answer")
        missing = sorted(t for t in self._items if t not in ids)
        if missing:
            raise InputError("give the order of all the types; missing: " + ", ".join(missing),
                             where="answer", choices=sorted(self._items))
        if ids == list(self.order):
            self._save_order()
            return
        self.order = ids

    # -- practice feedback ---------------------------------------------------------------
    def check(self) -> list[tuple[str, str]]:
        """Show the feedback; return the pairs in the wrong order (more personal first)."""
        if self.mode != "practice":
            raise InputError("a graded exercise gives no feedback; it is graded after you "
                             "submit", where="check")
        self._checked = True
        return self._show_feedback()

    def _show_feedback(self) -> list[tuple[str, str]]:
        wrong = self._wrong_pairs(list(self.order))
        if not wrong:
            self._feedback.value = (f'<div role="status"><b style="color:#1a7f37">'
                                    f'{esc(ui_text("order_right", self.lang))}</b></div>')
        else:
            details = [ui_text("pair_order", self.lang, first=self._labels[a],
                               second=self._labels[b]) for a, b in wrong]
            self._feedback.value = feedback_html("wrong", self.lang, details).replace(
                esc(ui_text("wrong", self.lang)),
                esc(ui_text("order_wrong", self.lang, count=len(wrong))), 1)
        return wrong

    def unsaved_parts(self, saved: Any) -> list[str]:
        from ..grading_views import view_text

        placed = set(saved) if isinstance(saved, list) else set()
        missing = [t for t in self._items if t not in placed]
        if not missing:
            return []
        return [view_text("missing_order", self.lang,
                          items=", ".join(self._labels[t] for t in missing))]

    def saved_count(self, saved: Any) -> int:
        placed = set(saved) if isinstance(saved, list) else set()
        return sum(1 for t in self._items if t in placed)

    def _summary_lines(self) -> list[str]:
        return [f"  {i}. {t}" for i, t in enumerate(self.order, 1)]

    def _code_hint(self) -> str:
        return ("Answer in code: <variable>.answer('<type id>', '<type id>', ...), all the type "
                "ids listed above, most personal first")
