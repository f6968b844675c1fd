"""Canvas files: a company's Business Model Canvas as plain, version-controlled text.

>>> canvas = load_canvas("ing-direct")            # a canvas from the gallery, by name
>>> canvas.notes("customer_relationships")[0].relationship
'automated_services'
>>> canvas = Canvas.from_dict({"title": "Shop", "blocks": {"channels": ["Website"]}})
>>> canvas.notes("channels")[0].text
'Website'
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from canvastools._io.checks import (
    Report,
    at_line,
    entry_place,
    field_place,
    is_number,
    item_place,
    unknown,
    value_kind,
)
from canvastools._io.messages import Msg, Place
from canvastools._io.yamlio import (
    line_of,
    line_of_key,
    read_data_file,
    read_data_text,
    shipped_data_path,
)
from canvastools.errors import InputError
from canvastools.model.taxonomy import DEFAULT_TAXONOMY, load_domain, taxonomy_from_field

CANVAS_FIELDS = ("title", "language", "taxonomy", "segments", "blocks")
NOTE_FIELDS = ("text", "segments", "relationship")
SEGMENT_FIELDS = ("id", "name", "color")
_HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
CANVAS_SUFFIXES = (".yaml", ".yml", ".json")
MAX_NOTES = 1_000      # notes in one canvas (a drawn block shows about 20 at most)


def _in_language(default: str, translations: tuple[tuple[str, str], ...], lang: str) -> str:
    return dict(translations).get(lang, default)


@dataclass(frozen=True)
class Segment:
    """A customer segment; ``names`` holds the name in other languages (``name_in(lang)``)."""

    id: str
    name: str
    color: str | None = None
    names: tuple[tuple[str, str], ...] = ()

    def name_in(self, lang: str) -> str:
        """The name in ``lang``, or ``name`` when the file gives none in that language."""
        return _in_language(self.name, self.names, lang)


@dataclass(frozen=True)
class Note:
    """A sticky note: its text, the segments it serves, and (CR notes only) a type."""

    text: str
    segments: tuple[str, ...] = ()
    relationship: str | None = None
    texts: tuple[tuple[str, str], ...] = ()  # (language, text) pairs, from text: {en:, it:}

    def text_in(self, lang: str) -> str:
        """The text in ``lang``, or ``text`` when the file gives none in that language."""
        return _in_language(self.text, self.texts, lang)


@dataclass(frozen=True)
class Canvas:
    """A validated Business Model Canvas; ``blocks`` maps every one of the nine blocks to notes."""

    title: str
    language: str = "en"
    segments: tuple[Segment, ...] = ()
    blocks: dict[str, tuple[Note, ...]] = field(default_factory=dict)
    taxonomy: str = DEFAULT_TAXONOMY
    titles: tuple[tuple[str, str], ...] = ()  # (language, title), from title: {en:, it:}

    def title_in(self, lang: str) -> str:
        """The title in ``lang``, or ``title`` when the file gives none in that language."""
        return _in_language(self.title, self.titles, lang)

    def notes(self, block_id: str) -> tuple[Note, ...]:
        if block_id not in self.blocks:
            raise InputError(unknown("block", block_id), choices=list(self.blocks),
                             got=block_id)
        return self.blocks[block_id]

    def segment(self, segment_id: str) -> Segment:
        for seg in self.segments:
            if seg.id == segment_id:
                return seg
        raise InputError(unknown("segment", segment_id),
                         choices=[s.id for s in self.segments], got=segment_id)

    @property
    def note_count(self) -> int:
        return sum(len(n) for n in self.blocks.values())

    @classmethod
    def from_dict(cls, data: Any, filename: str = "<canvas>") -> Canvas:
        """Validate canvas data (as read from YAML/JSON); every problem is reported at once."""
        return parse_canvas(data, filename)

    def to_dict(self) -> dict[str, Any]:
        """The canvas as plain data, in the file format (round-trips through ``from_dict``)."""
        out: dict[str, Any] = {"title": dict(self.titles) if self.titles else self.title,
                               "language": self.language}
        if self.taxonomy != DEFAULT_TAXONOMY:
            out["taxonomy"] = self.taxonomy
        if self.segments:
            out["segments"] = [{k: (dict(v) if k == "names" else v)
                                for k, v in vars(s).items() if v}
                               for s in self.segments]
            for seg in out["segments"]:
                if "names" in seg:
                    seg["name"] = seg.pop("names")
        blocks: dict[str, list[Any]] = {}
        for block_id, notes in self.blocks.items():
            if notes:
                blocks[block_id] = [
                    n.text if not n.segments and not n.relationship and not n.texts else
                    {"text": dict(n.texts) if n.texts else n.text}
                    | {k: (list(v) if isinstance(v, tuple) else v)
                       for k, v in vars(n).items() if v and k not in ("text", "texts")}
                    for n in notes
                ]
        out["blocks"] = blocks
        return out


def gallery_dir() -> Path:
    return shipped_data_path("gallery")


def gallery_names() -> list[str]:
    """Names of the canvases shipped with canvastools (``load_canvas(name)`` opens one)."""
    return sorted(p.stem for p in gallery_dir().glob("*.yaml"))


def load_canvas(path_or_name: str | Path) -> Canvas:
    """Load a canvas file (.yaml, .yml, .json) or a gallery canvas by name."""
    text = str(path_or_name)
    if not text.endswith(CANVAS_SUFFIXES):
        if text in gallery_names():
            path_or_name = gallery_dir() / f"{text}.yaml"
        else:
            raise InputError(Msg("no_canvas_named", value=text),
                             choices=gallery_names(), got=text)
    return parse_canvas(read_data_file(path_or_name), str(path_or_name))


def parse_canvas_text(text: str, filename: str = "<canvas>") -> Canvas:
    return parse_canvas(read_data_text(text, filename), filename)


def parse_canvas(data: Any, filename: str) -> Canvas:
    """Validate canvas data read from ``filename``; every problem is reported at once.

    A ``taxonomy:`` naming a file is read relative to the folder of ``filename``.
    """
    domain = load_domain()
    if isinstance(data, list) or (isinstance(data, dict) and "cases" in data):
        raise InputError(Msg("case_file_not_canvas"), file=filename)
    if not isinstance(data, dict):
        raise InputError(Msg("canvas_not_mapping", got=value_kind(data)), file=filename)
    _check_note_count(data, filename)
    report = Report(filename)
    report.unknown_fields(data, CANVAS_FIELDS, Msg("top_level"))
    language = data.get("language", "en")
    report.choice(language, list(domain.languages), field_place(None, "language", data),
                  "language")
    title, titles = None, ()
    if report.missing(data, ("title",), Msg("top_level")):
        title, titles = _parse_texts(report, data["title"], field_place(None, "title", data),
                                     language, list(domain.languages))
    taxonomy, taxonomy_ref = taxonomy_from_field(
        report, data.get("taxonomy", DEFAULT_TAXONOMY), Path(filename).parent,
        field_place(None, "taxonomy", data))
    type_ids = taxonomy.type_ids if taxonomy is not None else None  # None: not checkable
    languages = list(domain.languages)
    segments = _parse_segments(report, data.get("segments") or [],
                               field_place(None, "segments", data), language, languages)
    segment_ids = [s.id for s in segments]
    blocks: dict[str, tuple[Note, ...]] = {b: () for b in domain.block_ids}
    raw_blocks = data.get("blocks")
    if not isinstance(raw_blocks, dict):
        report.add(Msg("blocks_not_mapping", got=value_kind(raw_blocks)),
                   field_place(None, "blocks", data) if "blocks" in data
                   else at_line(Msg("top_level"), line_of(data)),
                   choices=domain.block_ids)
        raw_blocks = {}
    for block_id, raw_notes in raw_blocks.items():
        where = f"blocks, {block_id}"
        block_place = at_line(where, line_of_key(raw_blocks, block_id))
        if not report.choice(block_id, domain.block_ids, block_place, "block"):
            continue
        if raw_notes is None:
            continue
        if not isinstance(raw_notes, list):
            report.add(Msg("block_not_list", got=value_kind(raw_notes)), block_place)
            continue
        blocks[block_id] = tuple(
            note for i, raw in enumerate(raw_notes)
            if (note := _parse_note(report, raw, item_place(where, "note", i, raw_notes),
                                    block_id, segment_ids, type_ids, language,
                                    languages)) is not None
        )
    report.raise_if_any()
    return Canvas(title=title, language=language, segments=tuple(segments),
                  blocks=blocks, taxonomy=taxonomy_ref, titles=titles)


def _parse_texts(report: Report, value: Any, where: Place, language: Any,
                 languages: list[str]) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    """A text, or a mapping {language: text}: (the text in ``language``, or the first one;
    the (language, text) pairs). None and () after recording an error."""
    if not isinstance(value, dict):
        return report.text(value, where), ()
    if not value:
        report.add(Msg("texts_need_one"), where, choices=languages)
        return None, ()
    pairs = []
    for lang, text in value.items():
        place = Place(where, Msg("language_of_text", value=lang))
        if text is None and lang not in languages:  # {en: a, b} reads as {en: a, b: None}
            report.add(Msg("comma_in_texts", value=lang), place, choices=languages)
            continue
        ok = report.choice(lang, languages, place, "language")
        text = report.text(text, place)
        if ok and text is not None:
            pairs.append((lang, text))
    if len(pairs) < len(value):
        return None, ()
    translations = dict(pairs)
    return translations.get(language, pairs[0][1]), tuple(pairs)


def _check_note_count(data: dict[Any, Any], filename: str) -> None:
    """Refuse a canvas with more than MAX_NOTES notes before any note is checked."""
    blocks = data.get("blocks")
    if not isinstance(blocks, dict):
        return
    count = sum(len(notes) for notes in blocks.values() if isinstance(notes, list))
    if count > MAX_NOTES:
        raise InputError(Msg("too_big", problem=Msg("too_many_notes", count=count,
                                                     limit=MAX_NOTES, doc=Msg("limits_doc"))),
                         file=filename,
                         where=field_place(None, "blocks", data))


def _parse_segments(report: Report, raw: Any, place: Place, language: Any = "en",
                    languages: list[str] | None = None) -> list[Segment]:
    if not isinstance(raw, list):
        report.add(Msg("segments_not_list", got=value_kind(raw)), place)
        return []
    segments, seen = [], set()
    for i, item in enumerate(raw, 1):
        where = Place("segments", entry_place(i, item, items=raw))
        if not isinstance(item, dict):
            report.add(Msg("segment_not_mapping", got=value_kind(item)), where)
            continue
        report.unknown_fields(item, SEGMENT_FIELDS, where)
        if not report.missing(item, ("id",), where):
            continue
        segment_id = report.text(item["id"], field_place(where, "id", item))
        if segment_id is None:
            continue
        if segment_id in seen:
            report.add(Msg("duplicate_segment", value=segment_id), where)
        seen.add(segment_id)
        name, names = segment_id, ()
        if "name" in item:
            name, names = _parse_texts(report, item["name"], field_place(where, "name", item),
                                       language, languages or ["en"])
            name = name or segment_id
        color = item.get("color")
        if color is not None and not (isinstance(color, str) and _HEX_COLOUR.match(color)):
            shown = repr(color) if isinstance(color, str) else value_kind(color)
            report.add(Msg("bad_colour", value=shown), where)
            color = None
        segments.append(Segment(id=segment_id, name=name, color=color, names=names))
    return segments


def _parse_note(report: Report, raw: Any, where: Place, block_id: str,
                segment_ids: list[str], type_ids: list[str] | None, language: Any = "en",
                languages: list[str] | None = None) -> Note | None:
    if isinstance(raw, bool):
        report.add(Msg("note_yes_no", got=value_kind(raw)), where)
        return None
    if raw is None:
        report.add(Msg("note_empty"), where)
        return None
    if isinstance(raw, str):
        return Note(text=raw)
    if is_number(raw) or isinstance(raw, (datetime.date, datetime.datetime)):
        # YAML reads 1.50 as 1.5, 0100 as 64 and 2026-01-01 as a date: never guess the text
        report.add(Msg("note_number", got=value_kind(raw)), where)
        return None
    if not isinstance(raw, dict):
        report.add(Msg("note_kind", got=value_kind(raw)), where)
        return None
    report.unknown_fields(raw, NOTE_FIELDS, where)
    if not report.missing(raw, ("text",), where):
        return None
    text, texts = _parse_texts(report, raw["text"], field_place(where, "text", raw), language,
                               languages or ["en"])
    segs = report.id_list(raw.get("segments") or [], segment_ids,
                          field_place(where, "segments", raw), "segment")
    relationship = raw.get("relationship")
    if relationship is not None:
        if block_id != "customer_relationships":
            report.add(Msg("relationship_only_cr"), where)
            relationship = None
        elif type_ids is not None and not report.choice(
                relationship, type_ids, field_place(where, "relationship", raw),
                "relationship type"):
            relationship = None
    if text is None:
        return None
    return Note(text=text, segments=tuple(segs), relationship=relationship, texts=texts)
