"""Classify items (cases, statements) into relationship types, motivations or guiding questions.

Practice mode takes Case objects from a bank (or dicts with ``types``) and explains each answer
after "Check"; graded mode takes dicts without answers and shows no feedback and no key::

    quiz = ClassifyCases("classify-1", [{"id": "acme", "company": "Acme",
                                         "description": "A named adviser for each client."}],
                         mode="graded", taxonomy="bmg2010")
    quiz.answer("acme", "dedicated_personal_assistance")     # the code fallback
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from canvastools._io.checks import noun, unknown
from canvastools._io.messages import Msg
from canvastools._io.texts import pick_text
from canvastools.errors import InputError
from canvastools.model.cases import Case, CaseBank, load_cases
from canvastools.model.choices import CHOICE_SETS, Choice, choice_set, choice_sets
from canvastools.model.taxonomy import (
    DEFAULT_TAXONOMY,
    Taxonomy,
    as_taxonomy,
    available_taxonomies,
    load_taxonomy,
)
from canvastools.widgets.base import css_name, esc, flatten_ids, ui_text, verdict
from canvastools.widgets.controls import ChoiceButtons
from canvastools.widgets.idmap import IdMapExercise, restore_id_map
from canvastools.widgets.pooled import PooledExercise, PooledVariant

ITEM_FIELDS = ("id", "company", "label", "description", "multi", "types", "accepted",
               "explanation", "source")
KEY_FIELDS = ("types", "accepted", "explanation")
@dataclass(frozen=True)
class Item:
    id: str
    title: str
    description: str
    multi: bool
    types: tuple[str, ...] = ()
    accepted: tuple[str, ...] = ()
    explanation: str = ""
    source: str = ""

    @property
    def has_key(self) -> bool:
        return bool(self.types)


def _taxonomy(taxonomy: str | Taxonomy) -> Taxonomy:
    return as_taxonomy(taxonomy)


def _items_taxonomy(items: Any, given: str | Taxonomy | None) -> Taxonomy | None:
    """The taxonomy of the exercise: ``given``, else the one its cases come from (a CaseBank's
    own, or the one all its Case objects name), else None (the caller's default).

    A ``given`` taxonomy other than the cases' is refused: the cases' answers are its types.
    """
    if isinstance(items, CaseBank):
        theirs: Taxonomy | str | None = items.taxonomy
        origin = f"the case bank {items.file}"
    else:
        named = sorted({c.taxonomy for c in items if isinstance(c, Case)})
        if len(named) > 1:
            raise InputError("the cases come from case files of different taxonomies ("
                             + ", ".join(map(repr, named)) + "): one exercise classifies into "
                             "one taxonomy's types", where="items")
        theirs = named[0] if named else None
        origin = "the cases"
    their_id = theirs.id if isinstance(theirs, Taxonomy) else theirs
    if given is not None:
        mine = _taxonomy(given)
        if their_id is not None and their_id != mine.id:
            raise InputError(
                f"{origin} use the relationship types of taxonomy {their_id!r}, but taxonomy="
                f"{mine.id!r} was given: leave taxonomy= out to use the cases' own, or load "
                f"the cases with taxonomy {mine.id!r}", where="taxonomy",
                choices=[their_id], got=mine.id)
        return mine
    if isinstance(theirs, Taxonomy):
        return theirs
    if their_id is not None:
        if their_id not in available_taxonomies():
            raise InputError(
                f"the cases use the taxonomy {their_id!r} of their case file: pass the case "
                "bank itself (ClassifyCases(id, bank)) or its taxonomy (taxonomy=bank.taxonomy)",
                where="taxonomy", got=their_id)
        return load_taxonomy(their_id)
    return None


def resolve_choices(choices: str | Iterable[str], taxonomy: Taxonomy, lang: str
                    ) -> tuple[list[Choice], str]:
    """The choices (id, label in ``lang``, tooltip) and what one of them is called."""
    if isinstance(choices, str):
        chosen = choice_set(choices, taxonomy, lang)
        if chosen.name == "types":  # alphabetical: the taxonomy's own order is the spectrum
            return sorted(chosen.choices, key=lambda c: c.label.casefold()), chosen.what
        return list(chosen.choices), chosen.what
    if not isinstance(choices, Iterable):
        raise InputError("choices is " + ", ".join(map(repr, CHOICE_SETS)) + " or a list "
                         "of ids", where="choices")
    every = {c.id: c for pool in choice_sets(taxonomy, lang).values() for c in pool.choices}
    picked = []
    for choice_id in choices:
        if choice_id not in every:
            raise InputError(f"unknown choice {choice_id!r}", where="choices",
                             choices=list(every), got=str(choice_id))
        if every[choice_id] in picked:
            raise InputError(f"choice {choice_id!r} is listed twice", where="choices")
        picked.append(every[choice_id])
    if len(picked) < 2:
        raise InputError("give at least two choices", where="choices")
    return picked, "choice"


localised = pick_text  # canvastools._io.texts: a text or {lang: text} in ``lang``


def _ids(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def normalise_item(raw: Any, index: int, lang: str, bank_loader: Any) -> Item:
    """A Case, a case id of the practice bank, or a dict -> Item."""
    where = f"item {index}"
    if isinstance(raw, str):
        raw = bank_loader()[raw]
    if isinstance(raw, Case):
        return Item(raw.id, raw.company_in(lang), raw.description_in(lang), raw.multi, raw.types,
                    raw.accepted, raw.explanation_in(lang), raw.source_in(lang))
    if not isinstance(raw, Mapping):
        raise InputError("an item is a Case, a case id, or a dict with 'id', 'company' and "
                         "'description'", where=where)
    for key in raw:
        if key not in ITEM_FIELDS:
            raise InputError(f"unknown field {key!r}", where=where, choices=list(ITEM_FIELDS),
                             got=str(key))
    item_id = raw.get("id")
    if not isinstance(item_id, str) or not item_id.strip():
        raise InputError("each item needs an 'id' (a text)", where=where)
    if not any(pick_text(raw.get(k), lang).strip() for k in ("company", "label", "description")):
        raise InputError(f"item {item_id!r} has neither a 'company' nor a 'description': the "
                         "student would see an empty card", where=f"{where} (id: {item_id})",
                         choices=list(ITEM_FIELDS))
    types = _ids(raw.get("types"))
    multi = raw.get("multi")
    if multi is not None and not isinstance(multi, bool):
        raise InputError("'multi' is true or false", where=f"{where} (id: {item_id})")
    return Item(
        id=item_id,
        title=pick_text(raw.get("company") or raw.get("label"), lang),
        description=pick_text(raw.get("description"), lang),
        multi=bool(multi) if multi is not None else len(types) > 1,
        types=types, accepted=_ids(raw.get("accepted")),
        explanation=pick_text(raw.get("explanation"), lang),
        source=pick_text(raw.get("source"), lang),
    )


class ClassifyItems(PooledExercise, IdMapExercise):
    """Put each item in one class (or several, for items marked multi).

    ``choices``: ``"types"`` (the taxonomy's relationship types), ``"motivations"``,
    ``"questions"`` (the four guiding questions) or a list of such ids.
    ``.answers`` is ``{item_id: [choice ids]}``; ``.answer(item_id, *ids)`` sets one.

    ``taxonomy``: where the relationship types come from. Left out, it is the cases' own (a
    CaseBank's ``taxonomy``, or the one its Case objects name), else ``bmg2010``. A graded
    exercise whose choices are relationship types must name it (the hidden test grades with
    it); one that differs from the cases' taxonomy is refused.
    """

    kind = "classify"

    def __init__(self, exercise_id: str, items: Iterable[Any], *, choices: Any = "types",
                 lang: str = "en", mode: str = "practice",
                 taxonomy: str | Taxonomy | None = None,
                 folder: str | Path | None = None, count: int | None = None,
                 pool: Sequence[str] | None = None, assignment: str | None = None) -> None:
        super().__init__(exercise_id, lang=lang, mode=mode, folder=folder)
        if isinstance(items, (str, Mapping)) or not isinstance(items, Iterable):
            raise InputError("items is a list of Case objects, case ids or dicts, or a CaseBank",
                             where="items")
        if not isinstance(items, CaseBank):
            items = list(items)  # a generator is read once
        found = _items_taxonomy(items, taxonomy)
        items = list(items)
        self._taxonomy = found or _taxonomy(DEFAULT_TAXONOMY)
        self._choices, self._what = resolve_choices(choices, self._taxonomy, self.lang)
        self._choice_ids = [c.id for c in self._choices]
        self._labels = {c.id: c.label for c in self._choices}
        self._items = self._read_items(items)  # every item checked, a pool's too
        if (self.mode == "graded" and taxonomy is None
                and any(c in self._taxonomy.type_ids for c in self._choice_ids)):
            raise InputError(
                f"graded exercises name their taxonomy: add taxonomy={DEFAULT_TAXONOMY!r} (or "
                f"the one the hidden test grades with) to {type(self).__name__}"
                f"({exercise_id!r}, ...)", where="taxonomy", choices=available_taxonomies())
        self._variant: PooledVariant | None = None
        if count is not None or pool is not None:  # each student answers their own variant
            self._variant = PooledVariant(self, items, pool, count, assignment,
                                          build=self._build, redraw=self._redraw)
            if self._variant.student is None:
                return  # the student types their id first; set_student() builds the rest
            items = self._variant.items()
        self._build(items)

    def _build(self, items: list[Any]) -> None:
        """The item cards and controls (for a pooled exercise, of the student's variant)."""
        self._items = self._read_items(items)
        self._by_id = {item.id: item for item in self._items}
        self._extra: dict[str, Any] = {}
        self._checked = False
        self._controls: dict[str, Any] = {}
        self._feedback: dict[str, widgets.HTML] = {}
        cards = [self._card(item) for item in self._items]
        body: list[widgets.Widget] = [widgets.VBox(cards, layout=widgets.Layout(width="auto"))]
        self._score_html = widgets.HTML()
        if self.mode == "practice":
            self._check_button = widgets.Button(
                description=ui_text("check", self.lang), icon="check", button_style="primary",
                tooltip=ui_text("check_tooltip", self.lang),
                layout=widgets.Layout(width="auto"))
            self._check_button.on_click(lambda _: self.check())
            body.append(widgets.HBox([self._check_button, self._score_html],
                                     layout=widgets.Layout(align_items="center")))
        if self._variant is not None:
            body.insert(0, self._variant.bar())
        self._start(body)

    # -- items ---------------------------------------------------------------------------
    def _read_items(self, items: Iterable[Any]) -> list[Item]:
        bank: list[Any] = []

        def bank_loader() -> Any:
            if not bank:
                bank.append(load_cases(taxonomy=self._taxonomy))
            return bank[0]

        out: list[Item] = []
        for index, raw in enumerate(items, 1):
            if self.mode == "graded" and isinstance(raw, str):
                raise InputError(
                    f"{raw!r} is a case id of the practice bank, whose answers are published "
                    "(a graded exercise must not load them into the kernel): write graded items "
                    "as dicts with 'id', 'company', 'description' (and 'multi'); keep the key "
                    "in a hidden test", where=f"item {index}", got=raw)
            case = bank_loader()[raw] if isinstance(raw, str) else raw
            if (isinstance(case, Case) and not case.types
                    and any(c in self._taxonomy.type_ids for c in self._choice_ids)):
                raise InputError(
                    f"case {case.id!r} ({case.company}) illustrates motivations only; it has no "
                    "relationship type to classify (use it in a MotivationMatrix, or choose "
                    "another case)", where=f"item {index}", got=case.id)
            item = normalise_item(raw, index, self.lang, bank_loader)
            if item.id in {i.id for i in out}:
                raise InputError(f"duplicate item id {item.id!r}", where=f"item {index}")
            has_key = isinstance(raw, Case) or (isinstance(raw, Mapping) and any(
                raw.get(k) for k in KEY_FIELDS))
            if self.mode == "graded" and has_key:
                raise InputError(
                    f"graded items must not carry their answer (item {item.id!r} has types, "
                    "accepted or an explanation): write graded items as dicts with 'id', "
                    "'company', 'description' (and 'multi'); keep the key in a hidden test",
                    where=f"item {index}")
            for type_id in (*item.types, *item.accepted):
                if type_id not in self._choice_ids:
                    raise InputError(f"item {item.id!r} has the answer {type_id!r}, which is "
                                     f"not a {self._what} of this exercise", where=f"item {index}",
                                     choices=self._choice_ids, got=type_id)
            out.append(item)
        if not out:
            raise InputError("the exercise has no items", where="items")
        return out

    def _card(self, item: Item) -> widgets.Widget:
        title = f"<b>{esc(item.title)}</b>" if item.title else ""
        text = (f'<div style="line-height:1.45">{title}'
                f'{"<br>" if title and item.description else ""}{esc(item.description)}</div>')
        hint = ui_text("choose_all" if item.multi else "choose_one", self.lang)
        label = ui_text("answer_for", self.lang, item=item.title or item.id)
        if item.multi:
            boxes = []
            for choice in self._choices:
                box = widgets.Checkbox(value=False, description=choice.label, indent=False,
                                       tooltip=choice.tooltip or label,
                                       layout=widgets.Layout(width="auto", margin="0 16px 0 0"))
                box.observe(lambda _c, i=item.id: self._from_controls(i), names="value")
                boxes.append(box)
            control: widgets.Widget = widgets.HBox(
                boxes, layout=widgets.Layout(flex_flow="row wrap", width="auto"))
        else:
            # buttons that stay in place (Tab + Enter/Space keeps the focus on them); the
            # chosen one carries a tick: colour is not the only signal. Long labels: a column.
            long = max(len(c.label) for c in self._choices) > 40
            control = ChoiceButtons(
                [(c.label, c.id) for c in self._choices], value=None, vertical=long,
                tooltips=[c.tooltip or f"{label}: {c.label}" for c in self._choices])
            control.observe(lambda _c, i=item.id: self._from_controls(i), names="value")
        self._controls[item.id] = control
        feedback = widgets.HTML(layout=widgets.Layout(width="auto"))
        self._feedback[item.id] = feedback
        parts = [widgets.HTML(text, layout=widgets.Layout(width="auto")),
                 widgets.HTML(f'<span style="color:#57606a">{esc(hint)}:</span>'), control]
        if self.mode == "practice":
            parts.append(feedback)
        card = widgets.VBox(parts, layout=widgets.Layout(
            border="1px solid #d0d7de", padding="8px 12px", margin="0 0 8px 0", width="auto"))
        card.add_class("canvastools-item")
        card.add_class("canvastools-item-" + css_name(item.id))
        return card

    # -- controls <-> answers ------------------------------------------------------------
    def _control_ids(self, item_id: str) -> list[str]:
        control = self._controls[item_id]
        if isinstance(control, widgets.HBox):
            pairs = zip(self._choices, control.children, strict=True)
            return [c.id for c, box in pairs if box.value]
        return [control.value] if control.value is not None else []

    def _item_ids(self) -> list[str]:
        return [item.id for item in self._items]

    def _item_name(self, item_id: str) -> str:
        item = self._by_id[item_id]
        return item.title or item.description[:60] or item_id

    def _show_item(self, item_id: str, chosen: list[str]) -> None:
        control = self._controls[item_id]
        if isinstance(control, widgets.HBox):
            for choice, box in zip(self._choices, control.children, strict=True):
                box.value = choice.id in chosen
        else:
            control.value = chosen[0] if chosen else None

    # -- the saved answer ----------------------------------------------------------------
    def _restore(self, raw: Any) -> dict[str, str]:
        answers, self._extra, notes = restore_id_map(
            raw, {i.id: (i.title or i.id, i.multi) for i in self._items},
            {c: self._labels[c] for c in self._choice_ids}, self.lang)
        self.answers = answers
        return notes

    def _taxonomy_id(self) -> str | None:
        types = self._taxonomy.type_ids
        return self._taxonomy.id if any(c in types for c in self._choice_ids) else None

    # -- the code fallback ---------------------------------------------------------------
    def answer(self, item_id: str, *choice_ids: Any) -> None:
        """Answer one item in code: ``quiz.answer("ing-direct", "automated_services")``.

        Several ids for an item marked multi; no id clears the item's answer.
        """
        if self._variant is not None and self._variant.student is None:
            raise InputError(ui_text("student_needed", self.lang, name="quiz"),
                             where="answer")
        if item_id not in self._by_id:
            raise InputError(Msg("no_item", item=item_id, exercise=self.exercise_id),
                             where="answer", choices=list(self._by_id),
                             got=str(item_id)).shown_in_language(self.lang)
        item = self._by_id[item_id]
        ids = list(dict.fromkeys(flatten_ids(choice_ids)))
        for choice_id in ids:
            if choice_id not in self._choice_ids:
                raise InputError(unknown(self._what, choice_id),
                                 where=Msg("answer_for", item=item_id), choices=self._choice_ids,
                                 got=choice_id).shown_in_language(self.lang)
        if len(ids) > 1 and not item.multi:
            raise InputError(Msg("one_answer_only", item=item_id, what=noun(self._what),
                                 count=len(ids), ids=", ".join(ids)),
                             where=Msg("answer_for", item=item_id)).shown_in_language(self.lang)
        self._set_item(item_id, [c for c in self._choice_ids if c in ids])

    # -- practice feedback ---------------------------------------------------------------
    def _result(self, item: Item) -> str:
        return verdict(set(self.answers.get(item.id, [])), set(item.types), set(item.accepted))

    def check(self) -> dict[str, str]:
        """Show the feedback (practice mode); return ``{item_id: right|partly|wrong|...}``."""
        if self.mode != "practice":
            raise InputError("a graded exercise gives no feedback; it is graded after you "
                             "submit", where="check")
        self._checked = True
        self._show_feedback()
        return {item.id: (self._result(item) if item.has_key else "no_key")
                for item in self._items}

    def _show_feedback(self) -> None:
        self._show_score([self._item_feedback(item.id, item.types, item.accepted,
                                              item.explanation, item.source)
                          for item in self._items])

    # -- text ------------------------------------------------------------------------------
    def _summary_lines(self) -> list[str]:
        if self._variant is not None and self._variant.student is None:  # no items shown yet
            return ["  " + ui_text("student_needed", self.lang, name="quiz")]
        lines = []
        for item in self._items:
            chosen = self.answers.get(item.id, [])
            shown = ", ".join(self._labels[c] for c in chosen) if chosen else "-"
            multi = f" [{ui_text('several_mark', self.lang)}]" if item.multi else ""
            lines.append(f"  {item.id}{multi}: {shown}")
        lines.append(f"  {ui_text('choices_label', self.lang)}: " + ", ".join(self._choice_ids))
        return lines

    def _code_hint(self) -> str:
        # placeholders, not a real pair: a real item with a real choice could be its answer
        return ui_text("code_hint_items", self.lang)


class ClassifyCases(ClassifyItems):
    """Classify cases (Case objects, bank ids or dicts) into the taxonomy's relationship types."""

    def __init__(self, exercise_id: str, cases: Iterable[Any], *, lang: str = "en",
                 mode: str = "practice", taxonomy: str | Taxonomy | None = None,
                 folder: str | Path | None = None, count: int | None = None,
                 pool: Sequence[str] | None = None, assignment: str | None = None) -> None:
        super().__init__(exercise_id, cases, choices="types", lang=lang, mode=mode,
                         taxonomy=taxonomy, folder=folder, count=count, pool=pool,
                         assignment=assignment)
