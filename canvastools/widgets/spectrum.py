"""Put items in order along a range: relationship types from the most personal to the most
automated, or cases from the most human contact to the least.

A column of buttons, one per item (pick one with a click, or with Tab and Enter/Space), and
"Move up" / "Move down" buttons, no drag-and-drop. Not a list box: in JupyterLab and Notebook 7
the arrow keys on a list box move to another cell instead of choosing an item.

Types (the items are type ids): the practice feedback follows the taxonomy's ``spectrum``
values; types closer than its ``spectrum_tolerance`` may come in either order.

Cases (the items are dicts with ``id``, ``company`` and ``description``): the student orders
them by how much human contact they involve, which follows from the sources' definitions of
the types (human interaction, a dedicated person, no direct relationship) and not from any
list the package holds. They start in the order given (write them in an order that is not the
key, e.g. alphabetical by id). A practice exercise takes its ``key`` (groups of tied ids, as
:func:`canvastools.grading.grade_order`), an ``explanation`` shown after Check, and a
``source``; a graded one takes no key (it stays in the hidden test)::

    CASES = [{"id": "help-line", "company": "Insurer", "description": "Call an agent."},
             {"id": "banker", "company": "Private bank", "description": "Your own banker."}]
    contact = SpectrumOrder("contact", CASES, key=["banker", "help-line"],
                            explanation="A banker of your own is the most contact.")
    contact.answer("banker", "help-line")
    contact.check()            # [] : no pair in the wrong order
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import traitlets

from canvastools._io.checks import noun, unknown
from canvastools._io.messages import Msg
from canvastools.errors import InputError
from canvastools.model.ordering import key_groups, pairs_out_of_order
from canvastools.model.taxonomy import DEFAULT_TAXONOMY, Taxonomy, as_taxonomy
from canvastools.widgets.base import Exercise, esc, feedback_html, flatten_ids, ui_text
from canvastools.widgets.classify import localised, normalise_item
from canvastools.widgets.controls import ChoiceButtons
from canvastools.widgets.pooled import PooledExercise, PooledVariant

CASE_FIELDS = ("id", "company", "label", "description")
# the texts of ui.yaml that differ between an order of types and an order of cases
TEXTS = {
    "types": {"help": "spectrum_help", "top": "most_personal", "bottom": "most_automated",
              "move": "move_tooltip", "not_saved": "order_not_saved",
              "restore": "restore_order", "unknown": "order_unknown", "right": "order_right",
              "pair": "pair_order"},
    "cases": {"help": "contact_help", "top": "most_contact", "bottom": "least_contact",
              "move": "move_case_tooltip", "not_saved": "contact_not_saved",
              "restore": "restore_contact", "unknown": "contact_unknown",
              "right": "contact_right", "pair": "pair_contact"},
}


class SpectrumOrder(PooledExercise, Exercise):
    """``.order`` is the list of item ids shown, first (most personal, most contact) first.

    ``items``: relationship type ids of ``taxonomy`` (default: all of them), or cases as dicts
    ``{"id", "company", "description"}`` (``description`` may be ``{lang: text}``).
    ``key``, ``explanation`` and ``source``: the practice feedback of an order of cases (see
    the module); refused in graded mode.
    """

    kind = "spectrum"
    _answer_trait = "order"
    order = traitlets.List(traitlets.Unicode(), help="item ids, first first")

    def __init__(self, exercise_id: str, items: Iterable[Any] | None = None, *,
                 lang: str = "en", mode: str = "practice",
                 taxonomy: str | Taxonomy = DEFAULT_TAXONOMY,
                 folder: str | Path | None = None,
                 key: Sequence[str | Sequence[str]] | None = None,
                 explanation: str | Mapping[str, str] | None = None,
                 source: str | None = None, count: int | None = None,
                 pool: Sequence[str] | None = None, assignment: str | None = None) -> None:
        super().__init__(exercise_id, lang=lang, mode=mode, folder=folder)
        self._taxonomy = as_taxonomy(taxonomy)
        if isinstance(items, Iterable) and not isinstance(items, (str, Mapping)):
            items = list(items)  # a generator is read once
        self._what, self._items, self._labels, self._cards = self._read_items(items)
        self._key_rank = self._read_key(key, explanation, source)
        self._explanation = localised(explanation, self.lang)
        self._source = str(source or "")
        self._variant: PooledVariant | None = None
        every = list(items) if items is not None else list(self._items)
        if count is not None or pool is not None:  # each student orders their own variant
            if count is not None and not isinstance(count, bool) and count == 1:
                raise InputError("count=1: an order needs at least two items; a count from 2",
                                 where="count")
            self._variant = PooledVariant(self, every, pool, count, assignment,
                                          build=self._build, redraw=self._redraw, empty=list)
            if self._variant.student is None:
                return  # the student types their id first; set_student() builds the rest
            every = self._variant.items()
        self._build(every)

    def _redraw(self, items: list[Any]) -> None:
        """The list made again for another variant (its saved order, none at first)."""
        self._loading = True
        self._build(items)

    def _build(self, items: list[Any]) -> None:
        """The list and its buttons (for a pooled exercise, of the student's variant, in the
        variant's order)."""
        self._what, self._items, self._labels, self._cards = self._read_items(items)
        self._rank = (None if self._key_rank is None else
                      {i: r for i, r in self._key_rank.items() if i in self._items})
        self._extra: list[str] = []  # a saved order that could not be taken over
        self._checked = False
        self.order = self._start_order()

        # one button per place, stacked: Tab + Enter/Space picks an item (not a list box: in
        # JupyterLab the arrow keys on a list box move to another cell)
        self._select = ChoiceButtons(self._options(), vertical=True, button_width="300px")
        self._select.observe(lambda _c: self._show_selected(), names="value")
        self._selected_html = widgets.HTML(layout=widgets.Layout(width="auto"))
        self._up = widgets.Button(description=ui_text("move_up", self.lang),
                                  tooltip=self._text("move"),
                                  layout=widgets.Layout(width="auto"))
        self._down = widgets.Button(description=ui_text("move_down", self.lang),
                                    tooltip=self._text("move"),
                                    layout=widgets.Layout(width="auto"))
        self._save_button = widgets.Button(description=ui_text("save_order", self.lang),
                                           tooltip=ui_text("save_order", self.lang),
                                           icon="save", layout=widgets.Layout(width="auto"))
        self._up.on_click(lambda _: self.move(-1))
        self._down.on_click(lambda _: self.move(1))
        self._save_button.on_click(lambda _: self._save_order())
        buttons = [self._up, self._down, self._save_button]
        self._feedback = widgets.HTML(layout=widgets.Layout(width="auto"))
        if self.mode == "practice":
            self._check_button = widgets.Button(
                description=ui_text("check", self.lang), icon="check", button_style="primary",
                tooltip=ui_text("check_tooltip", self.lang), layout=widgets.Layout(width="auto"))
            self._check_button.on_click(lambda _: self.check())
            buttons.append(self._check_button)
        # the two ends of the range above and below the list, in words and arrows
        top = widgets.HTML(f'<span style="color:#57606a">▲ {esc(self._text("top"))}</span>')
        bottom = widgets.HTML(f'<span style="color:#57606a">▼ '
                              f'{esc(self._text("bottom"))}</span>')
        order_label = widgets.HTML(f"<b>{esc(ui_text('order_list', self.lang))}:</b>")
        body: list[widgets.Widget] = [
            order_label, top, self._select, bottom,
            widgets.HBox(buttons, layout=widgets.Layout(flex_flow="row wrap")),
            self._selected_html,
        ]
        if self._cards:
            body[:0] = [widgets.HTML(f"<b>{esc(ui_text('contact_cases', self.lang))}:</b>"),
                        *self._cards]
        if self.mode == "practice":
            body.append(self._feedback)
        if self._variant is not None:
            body.insert(0, self._variant.bar())
        self._start(body, self._text("help"))

    # -- the items and the key -----------------------------------------------------------
    def _text(self, role: str, **values: Any) -> str:
        return ui_text(TEXTS[self._what][role], self.lang, **values)

    def _read_items(self, items: Iterable[Any] | None
                    ) -> tuple[str, list[str], dict[str, str], list[widgets.Widget]]:
        """(``"types"`` or ``"cases"``, the ids, id -> label, the cases' cards)."""
        if items is None:
            items = list(self._taxonomy.type_ids)
        if isinstance(items, (str, Mapping)) or not isinstance(items, Iterable):
            raise InputError("items is a list of relationship type ids, or of cases (dicts "
                             "with 'id', 'company' and 'description')", where="items")
        raw = list(items)
        if all(isinstance(item, str) for item in raw):
            ids = self._read_type_ids(raw)
            return "types", ids, {t: self._taxonomy.label(t, self.lang) for t in ids}, []
        return ("cases", *self._read_cases(raw))

    def _read_type_ids(self, raw: list[str]) -> list[str]:
        """The relationship types to order: known, each once, at least two."""
        type_ids = self._taxonomy.type_ids
        ids: list[str] = []
        for type_id in raw:
            if type_id not in type_ids:
                raise InputError(f"unknown relationship type {type_id!r}", where="items",
                                 choices=type_ids, got=str(type_id))
            if type_id in ids:
                raise InputError(f"{type_id!r} is listed twice", where="items")
            ids.append(type_id)
        if len(ids) < 2:
            raise InputError("give at least two types to order", where="items")
        return ids

    def _read_cases(self, raw: list[Any]
                    ) -> tuple[list[str], dict[str, str], list[widgets.Widget]]:
        """The cases to order: their ids, id -> label (the id added to a title shown twice),
        and their cards."""
        cards: list[widgets.Widget] = []
        titles: dict[str, str] = {}
        for index, item in enumerate(raw, 1):
            if not isinstance(item, Mapping):
                raise InputError("items are all relationship type ids or all cases (dicts "
                                 "with 'id', 'company' and 'description')",
                                 where=f"item {index}", got=str(item))
            for field in item:
                if field not in CASE_FIELDS:
                    raise InputError(f"unknown field {field!r} (the order of cases is in the "
                                     "key: key= in practice, the hidden test when graded)",
                                     where=f"item {index}", choices=list(CASE_FIELDS),
                                     got=str(field))
            item = {**item, **{k: localised(item[k], self.lang)
                               for k in ("company", "label") if k in item}}
            case = normalise_item(item, index, self.lang, _no_bank)
            if case.id in titles:
                raise InputError(f"duplicate item id {case.id!r}", where=f"item {index}")
            titles[case.id] = case.title or case.id
            text = (f'<div style="line-height:1.45"><b>{esc(titles[case.id])}</b>'
                    f'{"<br>" + esc(case.description) if case.description else ""}</div>')
            card = widgets.HTML(text, layout=widgets.Layout(
                border="1px solid #d0d7de", padding="4px 10px", margin="0 0 6px 0",
                width="auto"))
            card.add_class("canvastools-item")
            cards.append(card)
        if len(titles) < 2:
            raise InputError("give at least two cases to order", where="items")
        shown = list(titles.values())
        labels = {i: t if shown.count(t) == 1 else f"{t} ({i})" for i, t in titles.items()}
        return list(titles), labels, cards

    def _read_key(self, key: Any, explanation: Any, source: Any) -> dict[str, int] | None:
        """The practice key as id -> rank of its group (None: no key given)."""
        given = [name for name, value in (("key", key), ("explanation", explanation),
                                          ("source", source)) if value is not None]
        if self.mode == "graded" and given:
            raise InputError(f"a graded exercise shows no {given[0]}: keep the key in the "
                             "hidden test (grade_order)", where=given[0])
        if key is None:
            return None
        groups = key_groups(key, "key")
        rank = {item: position for position, group in enumerate(groups) for item in group}
        unknown = [i for i in rank if i not in self._items]
        if unknown:
            raise InputError(f"{unknown[0]!r} is not an item of this exercise", where="key",
                             choices=self._items, got=unknown[0])
        missing = [i for i in self._items if i not in rank]
        if missing:
            raise InputError("the key must place every item; missing: " + ", ".join(missing),
                             where="key", choices=self._items)
        return rank

    def _options(self) -> tuple[tuple[str, str], ...]:
        """The buttons' labels: the place and the item ("2. Communities")."""
        return tuple((f"{i}. {self._labels[t]}", t) for i, t in enumerate(self.order, 1))

    def _show_selected(self) -> None:
        """Say which item is picked and its place: in words, not only by a colour."""
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
        """Pairs (must come first, must come later) that ``order`` puts the other way round:
        by the key when there is one, else (types) by the taxonomy's spectrum values."""
        if self._rank is not None:
            return pairs_out_of_order(order, self._rank)
        if self._what != "types":
            return []
        tol = self._taxonomy.spectrum_tolerance
        wrong = []
        for i, later in enumerate(order):
            for earlier in order[:i]:
                a, b = self._spectrum(earlier), self._spectrum(later)
                if a is not None and b is not None and a - b > tol + 1e-9:
                    wrong.append((later, earlier))
        return wrong

    def _has_key(self) -> bool:
        return self._rank is not None or self._what == "types"

    def _start_order(self) -> list[str]:
        """Types: a shuffled order (the same for an id); cases: the order given; a pooled
        exercise: the variant's order. Never already right when the widget knows the key."""
        order = list(self._items)
        if self._what == "types" and self._variant is None:  # a variant has its own order
            random.Random(self.exercise_id).shuffle(order)
        if not self._has_key():
            return order
        for _ in range(len(order)):
            if self._wrong_pairs(order):
                break
            order = order[1:] + order[:1]
        if not self._wrong_pairs(order):
            order.reverse()
        return order

    # -- moving --------------------------------------------------------------------------
    def move(self, step: int) -> None:
        """Move the selected item ``step`` places (-1 up, +1 down)."""
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
        self._set_progress(ui_text("order_saved", self.lang) if self._order_saved()
                           else self._text("not_saved"))
        if self._checked:
            self._show_feedback()

    # -- saved answer --------------------------------------------------------------------
    def _restore(self, raw: Any) -> dict[str, str]:
        """A saved order is shown as saved only when it holds each item of the exercise once
        (what grade_order counts); else the items it has come first, a notice says what was
        not taken over, and the file keeps the saved order until the student saves a new one."""
        saved = [str(t) for t in raw]
        if not saved:  # nothing ordered yet (a pooled exercise saves the student's id first)
            self._extra = []
            return {}
        if sorted(saved) == sorted(self._items) and len(set(saved)) == len(saved):
            self._extra = []
            self.order = saved
            return {}
        known = [t for t in dict.fromkeys(saved) if t in self._items]
        problems = []
        unknown = list(dict.fromkeys(t for t in saved if t not in self._items))
        if unknown:
            problems.append(self._text("unknown", ids=", ".join(unknown),
                                       choices=", ".join(self._items)))
        twice = list(dict.fromkeys(t for t in saved if t in self._items and saved.count(t) > 1))
        if twice:
            problems.append(ui_text("order_twice", self.lang, ids=", ".join(twice)))
        missing = [t for t in self._items if t not in saved]
        if missing:
            problems.append(ui_text("order_missing", self.lang, ids=", ".join(missing)))
        self._extra = saved
        self.order = known + [t for t in self.order if t not in known]
        return {"order": self._text("restore", saved=", ".join(saved) or "-",
                                    problems="; ".join(problems))}

    def _order_saved(self) -> bool:
        """True once the file holds an order (not only the student's id, saved with [])."""
        return self._has_saved and bool(self._known)

    def _settled(self) -> list[str]:
        return ["order"]  # every save is a whole order, given by the student

    def _forget_extra(self, keys: list[str]) -> None:
        self._extra = []

    def _save_touched(self) -> list[str]:
        return ["order"]  # the order is one item, given whole by the student at each save

    def _stored_answer(self) -> list[str]:
        return list(self.order)

    def _taxonomy_id(self) -> str | None:
        return self._taxonomy.id if self._what == "types" else None

    def answer(self, *item_ids: Any) -> None:
        """Give the whole order in code, first first: ``spectrum.answer("banker", "kiosk")``."""
        what = "relationship type" if self._what == "types" else "case"
        ids = flatten_ids(item_ids)
        for item_id in ids:
            if item_id not in self._items:
                raise InputError(unknown(what, item_id), where="answer",
                                 choices=sorted(self._items),
                                 got=item_id).shown_in_language(self.lang)
        dupes = sorted({t for t in ids if ids.count(t) > 1})
        if dupes:
            raise InputError(Msg("each_once", what=noun(what), ids=", ".join(dupes)),
                             where="answer").shown_in_language(self.lang)
        missing = sorted(t for t in self._items if t not in ids)
        if missing:
            raise InputError(Msg("order_all", what=noun(what, plural=True),
                                 ids=", ".join(missing)), where="answer",
                             choices=sorted(self._items)).shown_in_language(self.lang)
        if ids == list(self.order):
            self._save_order()
            return
        self.order = ids

    # -- practice feedback ---------------------------------------------------------------
    def check(self) -> list[tuple[str, str]]:
        """Show the feedback; return the pairs in the wrong order (the one that must come
        first first). The order shown is the answer: it is saved if it was not yet."""
        if self.mode != "practice":
            raise InputError("a graded exercise gives no feedback; it is graded after you "
                             "submit", where="check")
        self._checked = True
        if not self._order_saved():
            self._save_order()  # saves, then shows the feedback
            return self._wrong_pairs(list(self.order))
        return self._show_feedback()

    def _show_feedback(self) -> list[tuple[str, str]]:
        if not self._has_key():
            self._feedback.value = (f'<div role="status">{esc(ui_text("no_key", self.lang))}'
                                    "</div>")
            return []
        wrong = self._wrong_pairs(list(self.order))
        if not wrong:
            html = (f'<div role="status"><b style="color:#1a7f37">'
                    f'{esc(self._text("right"))}</b></div>')
        else:
            details = [self._text("pair", first=self._labels[a], second=self._labels[b])
                       for a, b in wrong]
            html = feedback_html("wrong", self.lang, details).replace(
                esc(ui_text("wrong", self.lang)),
                esc(ui_text("order_wrong", self.lang, count=len(wrong))), 1)
        self._feedback.value = html + self._explanation_html()
        return wrong

    def _explanation_html(self) -> str:
        """The ties, the explanation and the source of a practice key (after Check)."""
        lines = []
        if self._rank is not None:
            groups: dict[int, list[str]] = {}
            for item in self.order:
                groups.setdefault(self._rank[item], []).append(self._labels[item])
            ties = "; ".join(" = ".join(g) for g in groups.values() if len(g) > 1)
            if ties:
                lines.append(ui_text("contact_ties", self.lang, items=ties))
        if self._explanation:
            lines.append(self._explanation)
        if self._source:
            lines.append(ui_text("source", self.lang, source=self._source))
        if not lines:
            return ""
        return ('<div style="line-height:1.4;margin-top:4px">'
                + "<br>".join(esc(line) for line in lines) + "</div>")

    def unsaved_parts(self, saved: Any) -> list[str]:
        from canvastools.grading.results import view_text

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
        key = "code_hint_spectrum_cases" if self._what == "cases" else "code_hint_spectrum"
        return ui_text(key, self.lang)


def _no_bank() -> Any:
    raise InputError("an order of cases takes dicts with 'id', 'company' and 'description', "
                     "not case ids of the practice bank", where="items")
