"""Small checkers shared by the file loaders: each records an InputError and goes on,
so that one run reports every mistake in a file.

>>> report = Report("cases.yaml")
>>> report.choice("self_serve", ["self_service"], "entry 1, field 'types'", "relationship type")
False
>>> print(report.errors[0])
cases.yaml, entry 1, field 'types': unknown relationship type 'self_serve' (did you mean 'self_service'?). Valid choices: self_service
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .errors import InputError, ValidationErrors


class Report:
    """Collects the errors found in one file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.errors: list[InputError] = []

    def add(self, message: str, where: str | None = None, **kwargs: Any) -> None:
        self.errors.append(InputError(message, file=self.file, where=where, **kwargs))

    def choice(self, value: Any, choices: Sequence[str], where: str, what: str) -> bool:
        """Check that ``value`` is one of ``choices``; record an error with a hint if not."""
        if isinstance(value, str) and value in choices:
            return True
        self.add(f"unknown {what} {value!r}", where, choices=choices, got=str(value))
        return False

    def id_list(self, value: Any, choices: Sequence[str], where: str, what: str) -> list[str]:
        """Check a list of ids (a single id string is accepted as a one-item list)."""
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.add(f"expected a list of {what}s, got {type(value).__name__}", where,
                     choices=choices)
            return []
        return [v for v in value if self.choice(v, choices, where, what)]

    def localised(self, value: Any, languages: Sequence[str], where: str,
                  required: Sequence[str] = ("en",)) -> dict[str, str]:
        """Check a text given per language, ``{en: ..., it: ...}`` (a bare string means en)."""
        if isinstance(value, str):
            value = {"en": value}
        if not isinstance(value, dict):
            self.add("expected a text or a mapping of language to text", where,
                     choices=languages)
            return {}
        result = {}
        for lang, text in value.items():
            if self.choice(lang, languages, where, "language") and isinstance(text, str):
                result[lang] = text
        for lang in required:
            if not str(value.get(lang, "")).strip():
                self.add(f"missing the '{lang}' text", where)
        return result

    def raise_if_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise ValidationErrors(self.errors)


def entry_place(index: int, entry: Any, key: str = "id") -> str:
    """Describe where an entry of a list stands: ``entry 3 (id: ikea, line 14)``."""
    bits = []
    if isinstance(entry, dict) and isinstance(entry.get(key), str):
        bits.append(f"{key}: {entry[key]}")
    line = getattr(entry, "line", None)
    if line:
        bits.append(f"line {line}")
    return f"entry {index}" + (f" ({', '.join(bits)})" if bits else "")
