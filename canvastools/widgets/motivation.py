"""Which motivations (acquisition, retention, boosting sales) does each practice serve?"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from canvastools._io.checks import unknown
from canvastools._io.messages import Msg
from canvastools._io.texts import pick_text
from canvastools.errors import InputError
from canvastools.model.canvas import Canvas, Segment
from canvastools.model.taxonomy import load_domain
from canvastools.widgets.base import esc, flatten_ids, ui_text
from canvastools.widgets.idmap import IdMapExercise, restore_id_map
from canvastools.widgets.pooled import PooledExercise, PooledVariant

# visually hidden, still read by screen readers (JupyterLab's sanitizer keeps the class)
SR_ONLY = ("position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;"
           "clip:rect(0 0 0 0);white-space:nowrap;border:0")
ROW_FIELDS = ("id", "label", "name", "motivations", "accepted", "explanation", "source")
KEY_FIELDS = ("motivations", "accepted", "explanation")


@dataclass(frozen=True)
class Row:
    id: str
    label: str
    motivations: tuple[str, ...] = ()
    accepted: tuple[str, ...] = ()
    explanation: str = ""
    source: str = ""


class MotivationMatrix(PooledExercise, IdMapExercise):
    """Rows (``[{"id", "label"}]``, Segments or a Canvas's segments) x the three motivations.

    ``.answers`` is ``{row_id: [motivation ids]}``; ``.answer(row_id, *motivation_ids)``.
    ``count``: the rows are a pool (``pool``: its row ids; default: every row) and each
    student gets their own ``count`` of them, in their own order (``assignment``: default the
    notebook folder's name), graded by ``grade_motivations(..., count=)``::

        matrix = MotivationMatrix("why", ROWS, mode="graded", count=3, assignment="quiz-1")
    """

    kind = "motivation"

    def __init__(self, exercise_id: str, rows: Any, *, lang: str = "en",
                 mode: str = "practice", folder: str | Path | None = None,
                 count: int | None = None, pool: Sequence[str] | None = None,
                 assignment: str | None = None) -> None:
        super().__init__(exercise_id, lang=lang, mode=mode, folder=folder)
        domain = load_domain()
        self._motivations = domain.motivation_ids
        self._labels = {m.id: m.label_in(self.lang) for m in domain.motivations}
        self._rows = self._read_rows(rows)  # every row checked, a pool's too
        self._variant: PooledVariant | None = None
        shown = list(self._rows)
        if count is not None or pool is not None:  # each student answers their own rows
            self._variant = PooledVariant(self, self._rows, pool, count, assignment,
                                          build=self._build, redraw=self._redraw)
            if self._variant.student is None:
                return  # the student types their id first; set_student() builds the rest
            shown = self._variant.items()
        self._build(shown)

    def _build(self, rows: list[Row]) -> None:
        """The matrix (for a pooled exercise, the rows of the student's variant)."""
        self._rows = list(rows)
        self._by_id = {row.id: row for row in self._rows}
        self._extra: dict[str, Any] = {}
        self._checked = False
        self._boxes: dict[str, list[widgets.Checkbox]] = {}
        self._feedback: dict[str, widgets.HTML] = {}
        body: list[widgets.Widget] = [self._header(),
                                      *(self._row_widget(row) for row in self._rows)]
        self._score_html = widgets.HTML()
        if self.mode == "practice":
            self._check_button = widgets.Button(
                description=ui_text("check", self.lang), icon="check", button_style="primary",
                tooltip=ui_text("check_tooltip", self.lang), layout=widgets.Layout(width="auto"))
            self._check_button.on_click(lambda _: self.check())
            body.append(widgets.HBox([self._check_button, self._score_html],
                                     layout=widgets.Layout(align_items="center")))
        if self._variant is not None:
            body.insert(0, self._variant.bar())
        self._start(body, ui_text("motivations_help", self.lang))

    def _read_rows(self, rows: Any) -> list[Row]:
        if isinstance(rows, Canvas):
            rows = rows.segments
        if isinstance(rows, (str, Mapping)) or not isinstance(rows, Iterable):
            raise InputError("rows is a list of {'id', 'label'} dicts, Segments or a Canvas",
                             where="rows")
        out: list[Row] = []
        for index, raw in enumerate(rows, 1):
            where = f"row {index}"
            if isinstance(raw, Segment):
                row = Row(raw.id, raw.name)
            elif isinstance(raw, Mapping):
                row = self._row_of(raw, where)
            else:
                raise InputError("a row is a dict {'id', 'label'} or a Segment", where=where)
            if row.id in {r.id for r in out}:
                raise InputError(f"duplicate row id {row.id!r}", where=where)
            out.append(row)
        if not out:
            raise InputError("the exercise has no rows", where="rows")
        return out

    def _row_of(self, raw: Mapping[str, Any], where: str) -> Row:
        """A row given as a dict, checked (a graded row carries no answer)."""
        for key in raw:
            if key not in ROW_FIELDS:
                raise InputError(f"unknown field {key!r}", where=where,
                                 choices=list(ROW_FIELDS), got=str(key))
        if not isinstance(raw.get("id"), str) or not raw["id"].strip():
            raise InputError("each row needs an 'id' (a text) and a 'label'", where=where)
        if not pick_text(raw.get("label") or raw.get("name"), self.lang).strip():
            raise InputError(f"row {raw['id']!r} has no 'label': the student would see "
                             "an unnamed row", where=f"{where} (id: {raw['id']})",
                             choices=list(ROW_FIELDS))
        if self.mode == "graded" and any(raw.get(k) for k in KEY_FIELDS):
            raise InputError(f"graded rows must not carry their answer (row "
                             f"{raw['id']!r}); keep the key in a hidden test", where=where)
        keys = {k: tuple(flatten_ids((raw.get(k) or (),))) for k in ("motivations",
                                                                     "accepted")}
        for m in (*keys["motivations"], *keys["accepted"]):
            if m not in self._motivations:
                raise InputError(f"unknown motivation {m!r}", where=where,
                                 choices=self._motivations, got=m)
        return Row(raw["id"], pick_text(raw.get("label") or raw.get("name"), self.lang),
                   keys["motivations"], keys["accepted"],
                   pick_text(raw.get("explanation"), self.lang), str(raw.get("source") or ""))

    def _header(self) -> widgets.Widget:
        """The motivations once, as the matrix's column headings."""
        cells = [widgets.HTML(layout=widgets.Layout(flex="1 1 0", min_width="0"))]
        cells += [widgets.HTML(f'<div style="text-align:center;line-height:1.3"><b>'
                               f'{esc(self._labels[m])}</b></div>', layout=self._cell_layout())
                  for m in self._motivations]
        return widgets.HBox(cells, layout=widgets.Layout(
            width="auto", padding="0 12px", align_items="flex-end"))

    @staticmethod
    def _cell_layout() -> widgets.Layout:
        return widgets.Layout(width="140px", min_width="140px", justify_content="center")

    def _row_widget(self, row: Row) -> widgets.Widget:
        """The practice, then a checkbox under each motivation heading.

        A checkbox's name (what a screen reader says) is the motivation and the practice: the
        same visible text in every row would leave a screen reader user guessing which practice
        a box belongs to, and ipywidgets 8 cannot tie a checkbox to its column heading. So the
        name is the checkbox's own description, visually hidden (JupyterLab's ``jp-sr-only``)
        since the headings show it; no tooltip (ipywidgets would show the description's markup).
        """
        boxes = []
        for m in self._motivations:
            name = ui_text("motivation_for", self.lang, motivation=self._labels[m], row=row.label)
            box = widgets.Checkbox(
                value=False, description=f'<span class="jp-sr-only" style="{SR_ONLY}">'
                                         f"{esc(name)}</span>",
                description_allow_html=True, indent=False, tooltip=None,
                layout=self._cell_layout())
            box.add_class("canvastools-motivation-" + m)
            box.observe(lambda _c, r=row.id: self._from_controls(r), names="value")
            boxes.append(box)
        self._boxes[row.id] = boxes
        feedback = widgets.HTML(layout=widgets.Layout(width="auto"))
        self._feedback[row.id] = feedback
        label = widgets.HTML(f'<div style="line-height:1.45">{esc(row.label)}</div>',
                             layout=widgets.Layout(flex="1 1 0", min_width="0"))
        parts = [widgets.HBox([label, *boxes], layout=widgets.Layout(
            width="auto", align_items="center"))]
        if self.mode == "practice":
            parts.append(feedback)
        return widgets.VBox(parts, layout=widgets.Layout(
            border="1px solid #d0d7de", padding="6px 12px", margin="0 0 6px 0", width="auto"))

    def _item_ids(self) -> list[str]:
        return [row.id for row in self._rows]

    def _item_name(self, item_id: str) -> str:
        return self._by_id[item_id].label or item_id

    def _control_ids(self, row_id: str) -> list[str]:
        pairs = zip(self._motivations, self._boxes[row_id], strict=True)
        return [m for m, box in pairs if box.value]

    def _show_item(self, row_id: str, chosen: list[str]) -> None:
        for m, box in zip(self._motivations, self._boxes[row_id], strict=True):
            box.value = m in chosen

    def _restore(self, raw: Any) -> dict[str, str]:
        answers, self._extra, notes = restore_id_map(
            raw, {r.id: (r.label, True) for r in self._rows}, self._labels, self.lang)
        self.answers = answers
        return notes

    def answer(self, row_id: str, *motivation_ids: Any) -> None:
        """Set the motivations of one row in code (none clears the row)."""
        if self._variant is not None and self._variant.student is None:
            raise InputError(ui_text("student_needed", self.lang, name="matrix"),
                             where="answer")
        if row_id not in self._by_id:
            raise InputError(Msg("no_row", row=row_id, exercise=self.exercise_id),
                             where="answer", choices=list(self._by_id),
                             got=str(row_id)).shown_in_language(self.lang)
        ids = flatten_ids(motivation_ids)
        for m in ids:
            if m not in self._motivations:
                raise InputError(unknown("motivation", m), where=Msg("answer_for", item=row_id),
                                 choices=self._motivations, got=m).shown_in_language(self.lang)
        self._set_item(row_id, [m for m in self._motivations if m in ids])

    def check(self) -> dict[str, str]:
        """Show the feedback (practice mode); return ``{row_id: right|partly|wrong|...}``."""
        if self.mode != "practice":
            raise InputError("a graded exercise gives no feedback; it is graded after you "
                             "submit", where="check")
        self._checked = True
        return self._show_feedback()

    def _show_feedback(self) -> dict[str, str]:
        results = {row.id: self._item_feedback(row.id, row.motivations, row.accepted,
                                               row.explanation, row.source)
                   for row in self._rows}
        self._show_score(results.values())
        return results

    def _summary_lines(self) -> list[str]:
        if self._variant is not None and self._variant.student is None:  # no rows shown yet
            return ["  " + ui_text("student_needed", self.lang, name="matrix")]
        return [f"  {row.id}: {', '.join(self.answers.get(row.id, [])) or '-'}"
                for row in self._rows] + ["  motivations: " + ", ".join(self._motivations)]

    def _code_hint(self) -> str:
        # placeholders, not a real pair: a real row with a real motivation could be its answer
        return ui_text("code_hint_motivations", self.lang)
