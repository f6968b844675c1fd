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

from canvastools._io.yamlio import line_of, line_of_item, line_of_key
from canvastools.errors import InputError, ValidationErrors


def describe_value(value: Any) -> str:
    """Say in plain words what kind of value a user wrote (never an internal class name).

    >>> describe_value({"a": 1}), describe_value(["a"]), describe_value(2.5), describe_value("x")
    ('a mapping', 'a list', 'a number', 'a text')
    >>> describe_value(None), describe_value(True)
    ('nothing (an empty value)', 'yes/no (true)')
    """
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"yes/no ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple, set)):
        return "a list"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return "a date"
    return "a value of an unexpected kind"


def is_number(value: Any) -> bool:
    """True for an int or a float, but not for a bool (``True`` is an int in Python)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def at_line(place: str, line: int | None, where: str | None = None) -> str:
    """``place`` with ``(line N)`` after it, unless ``where`` (the enclosing place) already
    names that line or the line is unknown.

    >>> at_line("field 'types'", 5), at_line("note 1", 3, "entry 1 (line 3)")
    ("field 'types' (line 5)", 'note 1')
    """
    if line is None or (where and re.search(rf"\bline {line}\b", where)):
        return place
    return f"{place} (line {line})"


def field_place(where: str | None, key: str, mapping: Any = None) -> str:
    """``field_place("entry 2", "types")`` is ``"entry 2, field 'types'"``; given the mapping
    read from the file, the field's line is added (``field 'types' (line 5)``).

    >>> from canvastools._io.yamlio import read_data_text
    >>> field_place(None, "blocks", read_data_text("title: A\\nblocks: {}\\n", "c.yaml"))
    "field 'blocks' (line 2)"
    """
    place = at_line(f"field '{key}'", line_of_key(mapping, key), where)
    return f"{where}, {place}" if where else place


def item_place(where: str, name: str, index: int, items: Any) -> str:
    """``item_place("blocks, channels", "note", 0, notes)`` is
    ``"blocks, channels, note 1 (line 7)"``: the 1-based position and, when known, the line."""
    return f"{where}, {at_line(f'{name} {index + 1}', line_of_item(items, index), where)}"


class Report:
    """Collects the errors found in one file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.errors: list[InputError] = []

    def add(self, message: str, where: str | None = None, **kwargs: Any) -> None:
        self.errors.append(InputError(message, file=self.file, where=where, **kwargs))

    def wrong_kind(self, value: Any, expected: str, where: str | None, **kwargs: Any) -> None:
        """Record "expected <expected>, got <what the user wrote>"."""
        hint = ""
        if expected.endswith("a text") and (is_number(value) or isinstance(
                value, (bool, datetime.date))):
            hint = " (put it in quotes)"
        self.add(f"expected {expected}, got {describe_value(value)}{hint}", where, **kwargs)

    def missing(self, mapping: Mapping[str, Any], keys: Sequence[str],
                where: str | None) -> bool:
        """Record every key of ``keys`` absent from ``mapping``; True when none is missing."""
        absent = [key for key in keys if key not in mapping]
        place = at_line(where or "top level", line_of(mapping), where)
        for key in absent:
            self.add(f"missing the field '{key}'", place)
        return not absent

    def entry_fields(self, entry: Any, required: Sequence[str], optional: Sequence[str],
                     where: str | None, what: str) -> bool:
        """Check that ``entry`` is a mapping with every ``required`` field and no field outside
        ``required`` and ``optional``; False (recorded) when it is not a mapping at all.
        ``what`` names an entry in the message ("a case", "an item")."""
        if not isinstance(entry, dict):
            self.add(f"{what} is a mapping with the fields " + ", ".join(required)
                     + ", got " + describe_value(entry), where)
            return False
        self.missing(entry, required, where)
        self.unknown_fields(entry, list(required) + list(optional), where)
        return True

    def unknown_fields(self, mapping: Mapping[Any, Any], allowed: Sequence[str],
                       where: str | None) -> None:
        """Record every key of ``mapping`` that is not one of ``allowed`` (with its line)."""
        for key in mapping:
            if key not in allowed:
                self.add(f"unknown field {key!r}", field_place(where, str(key), mapping),
                         choices=list(allowed), got=str(key))

    def text(self, value: Any, where: str | None) -> str | None:
        """Check a non-empty text; return it, or None after recording an error."""
        if isinstance(value, str) and value.strip():
            return value
        if isinstance(value, str):
            self.add("the text is empty", where)
        else:
            self.wrong_kind(value, "a text", where)
        return None

    def number(self, value: Any, where: str | None, low: float, high: float,
               message: str) -> float | None:
        """Check a number from ``low`` to ``high``; ``message`` says what it must be."""
        if not is_number(value):
            self.add(f"{message}, got {describe_value(value)}", where)
            return None
        if not low <= value <= high:
            self.add(f"{message}, got {value}", where)
            return None
        return float(value)

    def choice(self, value: Any, choices: Sequence[str], where: str | None, what: str) -> bool:
        """Check that ``value`` is one of ``choices``; record an error with a hint if not."""
        if isinstance(value, str) and value in choices:
            return True
        if not choices:
            self.add(f"no valid {what}s are defined, so {value!r} cannot be used", where)
        elif isinstance(value, str):
            self.add(f"unknown {what} {value!r}", where, choices=choices, got=value)
        elif isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
            self.add(f"expected one {what}, not a list (write {value[0]} without the "
                     "brackets)", where, choices=choices, got=value[0])
        else:
            self.add(f"expected one {what} (a text), got {describe_value(value)}", where,
                     choices=choices)
        return False

    def id_list(self, value: Any, choices: Sequence[str], where: str, what: str) -> list[str]:
        """Check a list of ids (a single id string is accepted as a one-item list)."""
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.add(f"expected a list of {what}s, got {describe_value(value)}", where,
                     choices=choices)
            return []
        return [v for v in value if self.choice(v, choices, where, what)]

    def localised(self, value: Any, languages: Sequence[str], where: str,
                  required: Sequence[str] = ("en",)) -> dict[str, str]:
        """Check a text given per language, ``{en: ..., it: ...}`` (a bare string means en)."""
        if isinstance(value, str):
            value = {"en": value}
        if not isinstance(value, dict):
            self.add("expected a text or a mapping of language to text, got "
                     + describe_value(value), where, choices=languages)
            return {}
        result, wrongly_typed = {}, set()
        for lang, text in value.items():
            if not self.choice(lang, languages, where, "language"):
                continue
            if isinstance(text, str):
                result[lang] = text
            else:
                wrongly_typed.add(lang)
                self.wrong_kind(text, f"the '{lang}' text to be a text", where)
        for lang in required:
            if lang not in wrongly_typed and not result.get(lang, "").strip():
                self.add(f"missing the '{lang}' text", where)
        return result

    def raise_if_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise ValidationErrors(self.errors)


def entry_place(index: int, entry: Any, key: str = "id", items: Any = None) -> str:
    """Describe where an entry of a list stands: ``entry 3 (id: ikea, line 14)``.

    ``items``: the list read from the file, which knows the line of an entry that is not a
    mapping (``- just a text``).
    """
    bits = []
    if isinstance(entry, dict) and isinstance(entry.get(key), str):
        bits.append(f"{key}: {entry[key]}")
    line = getattr(entry, "line", None) or line_of_item(items, index - 1)
    if line:
        bits.append(f"line {line}")
    return f"entry {index}" + (f" ({', '.join(bits)})" if bits else "")
