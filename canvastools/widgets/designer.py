"""Design the Customer Relationships block of a business, drawn live as the notes change."""

from __future__ import annotations

import base64
import dataclasses
import io
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import traitlets

from canvastools._io.checks import unknown
from canvastools._io.messages import Msg, render
from canvastools.errors import InputError
from canvastools.model.canvas import Canvas, Note
from canvastools.model.taxonomy import load_taxonomy
from canvastools.widgets.base import Exercise, esc, ui_text
from canvastools.widgets.controls import ChoiceButtons

BLOCK = "customer_relationships"


def _business(value: Any, taxonomy: str | None = None) -> Canvas:
    if isinstance(value, Canvas):
        return value
    if isinstance(value, Mapping):
        data = dict(value)
        data.setdefault("blocks", {})
        if taxonomy is not None:
            data.setdefault("taxonomy", taxonomy)
        data["segments"] = [{k: v for k, v in dict(s).items() if k in ("id", "name", "color")}
                            for s in data.get("segments") or []]
        return Canvas.from_dict(data, "<business>")
    raise InputError("the business is a Canvas or a dict {'title', 'segments': [{'id', "
                     "'name'}]}", where="canvas_or_business")


class RelationshipDesigner(Exercise):
    """Add Customer Relationships notes (text, type, segments); ``.notes`` holds them.

    The relationship types come from the business's taxonomy (a Canvas's ``taxonomy``, or
    ``taxonomy=``, default bmg2010, for a dict business).
    """

    kind = "designer"
    _answer_trait = "notes"
    notes = traitlets.List(traitlets.Dict(), help="[{'text', 'relationship', 'segments'}]")

    def __init__(self, exercise_id: str, canvas_or_business: Any, *, lang: str = "en",
                 mode: str = "practice", taxonomy: str | None = None,
                 folder: str | Path | None = None) -> None:
        super().__init__(exercise_id, lang=lang, mode=mode, folder=folder)
        self._business = _business(canvas_or_business, taxonomy)
        if taxonomy is not None and taxonomy != self._business.taxonomy:
            raise InputError(
                f"the business uses the taxonomy {self._business.taxonomy!r} but taxonomy="
                f"{taxonomy!r} was given; use the same one in both", where="taxonomy",
                choices=[self._business.taxonomy], got=str(taxonomy))
        self._taxonomy = load_taxonomy(self._business.taxonomy)
        self._type_labels = {t: self._taxonomy.label(t, self.lang)
                             for t in self._taxonomy.type_ids}
        # alphabetical: the taxonomy's own order is the spectrum (a SpectrumOrder's key)
        self._type_ids = sorted(self._type_labels, key=lambda t: self._type_labels[t].casefold())
        self._segment_ids = [s.id for s in self._business.segments]
        self._segment_names = {s.id: s.name_in(self.lang) for s in self._business.segments}
        self._extra: list[dict[str, Any]] = []

        self._text = widgets.Text(
            description=ui_text("note_text", self.lang),
            placeholder=ui_text("note_placeholder", self.lang),
            tooltip=ui_text("note_text", self.lang),
            # width auto: the column stretches it to its width less its margins (100% plus the
            # margins ran past the right edge)
            layout=widgets.Layout(width="auto"), style={"description_width": "initial"})
        # buttons, not a drop-down: in JupyterLab the arrow keys on a drop-down move to
        # another cell; Tab + Enter/Space chooses a button
        self._type = ChoiceButtons(
            [(ui_text("no_type", self.lang), "")]
            + [(self._type_labels[t], t) for t in self._type_ids], value="",
            tooltips=[ui_text("no_type", self.lang)]
            + [self._taxonomy.type(t).definition_in(self.lang) or self._type_labels[t]
               for t in self._type_ids])
        self._segment_boxes = [
            widgets.Checkbox(value=False, description=s.name_in(self.lang), indent=False,
                             tooltip=f"{ui_text('segments', self.lang)}: {s.name_in(self.lang)}",
                             layout=widgets.Layout(width="auto", margin="0 16px 0 0"))
            for s in self._business.segments]
        self._add = widgets.Button(description=ui_text("add_note", self.lang), icon="plus",
                                   button_style="primary",
                                   tooltip=ui_text("add_note", self.lang),
                                   layout=widgets.Layout(width="auto"))
        self._add.on_click(lambda _: self._add_from_controls())
        self._error = widgets.HTML()
        self._list = ChoiceButtons(vertical=True, button_width="100%",
                                   layout=widgets.Layout(flex_flow="column", width="auto"))
        self._remove = widgets.Button(description=ui_text("remove_note", self.lang),
                                      icon="trash", tooltip=ui_text("remove_note", self.lang),
                                      layout=widgets.Layout(width="auto"))
        self._remove.on_click(lambda _: self._remove_selected())
        # the drawing as an <img> with a text alternative (the notes), not an Output's image
        self._drawing = widgets.HTML(layout=widgets.Layout(width="auto"))
        self._drawing.add_class("canvastools-drawing")
        segments_row = widgets.HBox(
            [widgets.HTML(f"{esc(ui_text('segments', self.lang))}:&nbsp;"),
             *self._segment_boxes], layout=widgets.Layout(flex_flow="row wrap"))
        def label(key: str) -> widgets.HTML:
            return widgets.HTML(f"{esc(ui_text(key, self.lang))}:")

        body: list[widgets.Widget] = [
            widgets.HTML(f"<b>{esc(self._business.title_in(self.lang))}</b>"),
            self._text,
            widgets.HBox([label("note_type"), self._type],
                         layout=widgets.Layout(flex_flow="row wrap", align_items="center")),
            segments_row,
            widgets.HBox([self._add, self._error], layout=widgets.Layout(align_items="center")),
            label("notes_list"), self._list, widgets.HBox([self._remove]), self._drawing,
        ]
        self._start(body, ui_text("designer_help", self.lang))

    # -- the notes -----------------------------------------------------------------------
    def _checked_note(self, text: Any, relationship: Any, segments: Any) -> dict[str, Any]:
        if not isinstance(text, str) or not text.strip():
            raise InputError(ui_text("empty_note", "en"), where="add_note")
        if relationship in ("", None):
            relationship = None
        elif relationship not in self._type_ids:
            raise InputError(unknown("relationship type", relationship),
                             where="add_note, relationship", choices=self._type_ids,
                             got=str(relationship)).shown_in_language(self.lang)
        if isinstance(segments, str):
            segments = [segments]
        segments = list(dict.fromkeys(segments or ()))
        for seg in segments:
            if seg not in self._segment_ids:
                raise InputError(unknown("segment", seg), where="add_note, segments",
                                 choices=self._segment_ids,
                                 got=str(seg)).shown_in_language(self.lang)
        return {"text": text.strip(), "relationship": relationship, "segments": segments}

    def add_note(self, text: str, relationship: str | None = None,
                 segments: Iterable[str] | str = ()) -> None:
        """Add a Customer Relationships note."""
        self.notes = [*self.notes, self._checked_note(text, relationship, segments)]

    def remove_note(self, index: int) -> None:
        """Remove the note at ``index`` (0 is the first)."""
        if not isinstance(index, int) or not -len(self.notes) <= index < len(self.notes):
            raise InputError(Msg("no_note_at", index=index, count=len(self.notes)),
                             where="remove_note").shown_in_language(self.lang)
        notes = list(self.notes)
        del notes[index]
        self.notes = notes

    def canvas(self) -> Canvas:
        """The business with its Customer Relationships block made of the notes."""
        notes = tuple(Note(text=n["text"], segments=tuple(n["segments"]),
                           relationship=n["relationship"]) for n in self.notes)
        return dataclasses.replace(self._business, blocks={**self._business.blocks,
                                                           BLOCK: notes})

    # -- controls ------------------------------------------------------------------------
    def _add_from_controls(self) -> None:
        pairs = zip(self._segment_ids, self._segment_boxes, strict=True)
        segments = [s for s, box in pairs if box.value]
        if not self._text.value.strip():
            self._error.value = (f'<span role="alert">⚠ '
                                 f'{esc(ui_text("empty_note", self.lang))}</span>')
            return
        self._error.value = ""
        self.add_note(self._text.value, self._type.value or None, segments)
        self._text.value = ""
        self._type.value = ""
        for box in self._segment_boxes:
            box.value = False

    def _remove_selected(self) -> None:
        if self._list.value is not None:
            self.remove_note(self._list.value)

    def _note_line(self, index: int, note: Mapping[str, Any]) -> str:
        kind = self._type_labels.get(note["relationship"] or "", ui_text("no_type", self.lang))
        segs = ", ".join(self._segment_names.get(s, s) for s in note["segments"])
        return f"{index + 1}. {note['text']} — {kind}" + (f" — {segs}" if segs else "")

    def _refresh(self) -> None:
        self._updating = True
        try:
            self._list.value = None
            self._list.options = [(self._note_line(i, n), i) for i, n in enumerate(self.notes)]
        finally:
            self._updating = False
        self._set_progress(self._count_text())
        self._redraw()

    def _count_text(self) -> str:
        count = len(self.notes)
        if count == 0:
            return ui_text("no_notes", self.lang)
        return ui_text("notes_count_one" if count == 1 else "notes_count_other", self.lang,
                       count=count)

    def _text_list(self) -> str:
        lines = [self._note_line(i, n) for i, n in enumerate(self.notes)]
        return "\n".join(lines) if lines else ui_text("no_notes", self.lang)

    def _figure(self) -> Any:
        """The drawing of the block, at the size draw_block is made for (8 x 5.5 in, axes
        filling the figure): notes and segment legend at full size (legend 10 pt)."""
        from matplotlib.figure import Figure

        from canvastools.draw import draw_block

        fig = Figure(figsize=(8, 5.5))
        draw_block(self.canvas(), BLOCK, ax=fig.add_axes((0, 0, 1, 1)), lang=self.lang)
        return fig

    def _redraw(self) -> None:
        """Draw the block with canvastools.draw, with the notes as its text alternative; show
        the notes as text if the drawing fails."""
        try:
            fig = self._figure()
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=100)
            png = base64.b64encode(buffer.getvalue()).decode("ascii")
        except Exception:  # noqa: BLE001 - the drawing is optional; the notes are not
            self._drawing.value = (
                f'<div style="line-height:1.4">{esc(ui_text("drawing_unavailable", self.lang))}'
                f'<pre style="white-space:pre-wrap;margin:4px 0">{esc(self._text_list())}</pre>'
                "</div>")
            return
        alt = ui_text("drawing_alt", self.lang, title=self._business.title_in(self.lang),
                      notes=self._text_list().replace("\n", "; "))
        self._drawing.value = (f'<img src="data:image/png;base64,{png}" alt="{esc(alt)}" '
                               'style="max-width:100%;height:auto;display:block">')

    # -- saved answer --------------------------------------------------------------------
    def _restore(self, raw: Any) -> dict[str, str]:
        notes, ignored = [], {}
        self._extra = []
        for i, note in enumerate(raw, 1):
            try:
                notes.append(self._checked_note(note.get("text"), note.get("relationship"),
                                                note.get("segments", [])))
            except InputError as error:
                self._extra.append(note)
                ignored[f"note {i}"] = ui_text("restore_note", self.lang, number=i,
                                               text=str(note.get("text", "")),
                                               problem=render(error.text, self.lang) + (
                                                   f" ({', '.join(error.choices)})"
                                                   if error.choices else ""))
        self.notes = notes
        return ignored

    def _stored_answer(self) -> list[dict[str, Any]]:
        return [dict(n) for n in self.notes] + self._extra

    def _taxonomy_id(self) -> str | None:
        return self._taxonomy.id

    def unsaved_parts(self, saved: Any) -> list[str]:
        from canvastools.grading.results import view_text

        notes = [n for n in saved if isinstance(n, Mapping)] if isinstance(saved, list) else []
        typed = [n for n in notes if n.get("relationship") in self._type_labels]
        untyped = [str(i) for i, n in enumerate(notes, 1)
                   if n.get("relationship") not in self._type_labels]
        served = {s for n in typed for s in (n.get("segments") or [])}
        lines = []
        if untyped:
            lines.append(view_text("untyped_notes", self.lang, notes=", ".join(untyped)))
        alone = [self._segment_names[s] for s in self._segment_ids if s not in served]
        if notes and alone:
            lines.append(view_text("segments_without_notes", self.lang,
                                   segments=", ".join(alone)))
        return lines

    def _summary_lines(self) -> list[str]:
        return ["  " + line for line in self._text_list().splitlines()]

    def _code_hint(self) -> str:
        segments = ", ".join(self._segment_ids) or "-"
        return ui_text("code_hint_designer", self.lang, types=", ".join(self._type_ids),
                       segments=segments)
