"""Small checkers shared by the file loaders: each records an InputError and goes on,
so that one run reports every mistake in a file.

>>> report = Report("cases.yaml")
>>> report.choice("self_serve", ["self_service"], "entry 1, field 'types'", "relationship type")
False
>>> print(report.errors[0])
cases.yaml, entry 1, field 'types': unknown relationship type 'self_serve' (did you mean 'self_service'?). Valid choices: self_service
>>> report.text(5, "entry 1, field 'company'") is None
True
>>> print(report.errors[1])
cases.yaml, entry 1, field 'company': expected a text, got a number (put it in quotes)
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from typing import Any

from canvastools._io.messages import Msg, Place, catalogue
from canvastools._io.yamlio import line_of, line_of_item, line_of_key
from canvastools.errors import InputError, ValidationErrors


def value_kind(value: Any) -> Msg:
    """What kind of value a user wrote, as a message (never an internal class name).

    >>> value_kind(2.5).render("it"), str(value_kind(None))
    ('un numero', 'nothing (an empty value)')
    """
    if value is None:
        return Msg("kind.nothing")
    if isinstance(value, bool):
        return Msg("kind.yes_no", value=str(value).lower())
    if isinstance(value, (int, float)):
        return Msg("kind.number")
    if isinstance(value, str):
        return Msg("kind.text")
    if isinstance(value, Mapping):
        return Msg("kind.mapping")
    if isinstance(value, (list, tuple, set)):
        return Msg("kind.list")
    if isinstance(value, (datetime.date, datetime.datetime)):
        return Msg("kind.date")
    return Msg("kind.other")


def describe_value(value: Any) -> str:
    """Say in plain English what kind of value a user wrote (:func:`value_kind` in English).

    >>> describe_value({"a": 1}), describe_value(["a"]), describe_value(2.5), describe_value("x")
    ('a mapping', 'a list', 'a number', 'a text')
    >>> describe_value(None), describe_value(True)
    ('nothing (an empty value)', 'yes/no (true)')
    """
    return str(value_kind(value))


def noun(what: str, *, plural: bool = False) -> Msg | str:
    """The name of a kind of choice ("relationship type") as a message when the catalogue has
    it, else as given (English).

    >>> noun("relationship type").render("it"), noun("source", plural=True)
    ('tipo di relazione', 'sources')
    """
    key = ("nouns." if plural else "noun.") + what.replace(" ", "_")
    if key in catalogue():
        return Msg(key)
    return what + "s" if plural else what


def unknown(what: str, value: Any) -> Msg:
    """"unknown <what> 'value'", with the word order and agreement of each language.

    >>> unknown("motivation", "retain").render("it")
    "motivazione 'retain' sconosciuta"
    """
    key = "unknown." + what.replace(" ", "_")
    if key in catalogue():
        return Msg(key, value=value)
    return Msg("unknown_choice", what=what, value=value)


def is_number(value: Any) -> bool:
    """True for an int or a float, but not for a bool (``True`` is an int in Python)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def at_line(place: str | Msg | Place, line: int | None,
            where: str | Msg | Place | None = None) -> str | Msg | Place:
    """``place`` with ``(line N)`` after it, unless ``where`` (the enclosing place) already
    names that line or the line is unknown.

    >>> str(at_line("field 'types'", 5)), at_line("note 1", 3, "entry 1 (line 3)")
    ("field 'types' (line 5)", 'note 1')
    """
    if line is None or (where and re.search(rf"\bline {line}\b", str(where))):
        return place
    return Msg("with_line", place=place, line=line)


def field_place(where: str | Msg | Place | None, key: str, mapping: Any = None) -> Place:
    """``field_place("entry 2", "types")`` is ``"entry 2, field 'types'"``; given the mapping
    read from the file, the field's line is added (``field 'types' (line 5)``).

    >>> from canvastools._io.yamlio import read_data_text
    >>> place = field_place(None, "blocks", read_data_text("title: A\\nblocks: {}\\n", "c.yaml"))
    >>> str(place), place.render("it")
    ("field 'blocks' (line 2)", "campo 'blocks' (riga 2)")
    """
    return Place(where, at_line(Msg("field", name=key), line_of_key(mapping, key), where))


def item_place(where: str | Msg | Place, name: str, index: int, items: Any) -> Place:
    """``item_place("blocks, channels", "note", 0, notes)`` is
    ``"blocks, channels, note 1 (line 7)"``: the 1-based position and, when known, the line.
    ``name``: a key of the message catalogue ("note")."""
    return Place(where, at_line(Msg(name, n=index + 1), line_of_item(items, index), where))


class Report:
    """Collects the errors found in one file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.errors: list[InputError] = []

    def add(self, message: str | Msg, where: str | Msg | Place | None = None,
            **kwargs: Any) -> None:
        self.errors.append(InputError(message, file=self.file, where=where, **kwargs))

    def wrong_kind(self, value: Any, expected: str | Msg, where: str | Msg | Place | None,
                   **kwargs: Any) -> None:
        """Record "expected <expected>, got <what the user wrote>"."""
        hint: Msg | str = ""
        if str(expected).endswith("a text") and (is_number(value) or isinstance(
                value, (bool, datetime.date))):
            hint = Msg("hint.quotes")
        self.add(Msg("expected", expected=expected, got=value_kind(value), hint=hint), where,
                 **kwargs)

    def missing(self, mapping: Mapping[str, Any], keys: Sequence[str],
                where: str | Msg | Place | None) -> bool:
        """Record every key of ``keys`` absent from ``mapping``; True when none is missing."""
        absent = [key for key in keys if key not in mapping]
        place = at_line(where or Msg("top_level"), line_of(mapping), where)
        for key in absent:
            self.add(Msg("missing_field", name=key), place)
        return not absent

    def entry_fields(self, entry: Any, required: Sequence[str], optional: Sequence[str],
                     where: str | Msg | Place | None, what: str | Msg) -> bool:
        """Check that ``entry`` is a mapping with every ``required`` field and no field outside
        ``required`` and ``optional``; False (recorded) when it is not a mapping at all.
        ``what`` names an entry in the message ("a case", "an item")."""
        if not isinstance(entry, dict):
            self.add(Msg("entry_not_mapping", what=what, fields=", ".join(required),
                         got=value_kind(entry)), where)
            return False
        self.missing(entry, required, where)
        self.unknown_fields(entry, list(required) + list(optional), where)
        return True

    def unknown_fields(self, mapping: Mapping[Any, Any], allowed: Sequence[str],
                       where: str | Msg | Place | None) -> None:
        """Record every key of ``mapping`` that is not one of ``allowed`` (with its line)."""
        for key in mapping:
            if key not in allowed:
                self.add(unknown("field", key), field_place(where, str(key), mapping),
                         choices=list(allowed), got=str(key))

    def text(self, value: Any, where: str | Msg | Place | None) -> str | None:
        """Check a non-empty text; return it, or None after recording an error."""
        if isinstance(value, str) and value.strip():
            return value
        if isinstance(value, str):
            self.add(Msg("empty_text"), where)
        else:
            self.wrong_kind(value, Msg("kind.text"), where)
        return None

    def number(self, value: Any, where: str | Msg | Place | None, low: float, high: float,
               message: str | Msg) -> float | None:
        """Check a number from ``low`` to ``high``; ``message`` says what it must be."""
        if not is_number(value):
            self.add(Msg("number_got", message=message, got=value_kind(value)), where)
            return None
        if not low <= value <= high:
            self.add(Msg("number_got", message=message, got=value), where)
            return None
        return float(value)

    def choice(self, value: Any, choices: Sequence[str], where: str | Msg | Place | None,
               what: str) -> bool:
        """Check that ``value`` is one of ``choices``; record an error with a hint if not.
        ``what``: the kind of choice, in English ("relationship type"; see :func:`noun`)."""
        if isinstance(value, str) and value in choices:
            return True
        if not choices:
            self.add(Msg("no_valid_choices", what=noun(what, plural=True), value=value), where)
        elif isinstance(value, str):
            self.add(unknown(what, value), where, choices=choices, got=value)
        elif isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
            self.add(Msg("one_not_list", what=noun(what), first=value[0]), where,
                     choices=choices, got=value[0])
        else:
            self.add(Msg("one_as_text", what=noun(what), got=value_kind(value)), where,
                     choices=choices)
        return False

    def id_list(self, value: Any, choices: Sequence[str], where: str | Msg | Place,
                what: str) -> list[str]:
        """Check a list of ids (a single id string is accepted as a one-item list)."""
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.add(Msg("list_of", what=noun(what, plural=True), got=value_kind(value)), where,
                     choices=choices)
            return []
        return [v for v in value if self.choice(v, choices, where, what)]

    def localised(self, value: Any, languages: Sequence[str], where: str | Msg | Place,
                  required: Sequence[str] = ("en",)) -> dict[str, str]:
        """Check a text given per language, ``{en: ..., it: ...}`` (a bare string means en)."""
        if isinstance(value, str):
            value = {"en": value}
        if not isinstance(value, dict):
            self.add(Msg("localised_kind", got=value_kind(value)), where, choices=languages)
            return {}
        result, wrongly_typed = {}, set()
        for lang, text in value.items():
            if not self.choice(lang, languages, where, "language"):
                continue
            if isinstance(text, str):
                result[lang] = text
            else:
                wrongly_typed.add(lang)
                self.wrong_kind(text, Msg("kind.lang_text", lang=lang), where)
        for lang in required:
            if lang not in wrongly_typed and not result.get(lang, "").strip():
                self.add(Msg("missing_lang_text", lang=lang), where)
        return result

    def raise_if_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise ValidationErrors(self.errors)


def entry_place(index: int, entry: Any, key: str = "id", items: Any = None) -> Msg:
    """Describe where an entry of a list stands: ``entry 3 (id: ikea, line 14)``.

    ``items``: the list read from the file, which knows the line of an entry that is not a
    mapping (``- just a text``).
    """
    bits: list[str | Msg] = []
    if isinstance(entry, dict) and isinstance(entry.get(key), str):
        bits.append(f"{key}: {entry[key]}")
    line = getattr(entry, "line", None) or line_of_item(items, index - 1)
    if line:
        bits.append(Msg("line", line=line))
    if bits:
        return Msg("entry_details", n=index, details=Place(*bits))
    return Msg("entry", n=index)
