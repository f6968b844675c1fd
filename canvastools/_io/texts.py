"""Texts shown to users in the six languages, kept in data files, not in code; and the one
picker of a localised text (:func:`pick_text`).

>>> TextTable("drawing.yaml").text("more_notes", "it", n=3)
'+3 altre note'
>>> pick_text({"en": "Desks", "it": "Scrivanie"}, "it"), pick_text({"en": "Desks"}, "it")
('Scrivanie', 'Desks')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from canvastools._io.yamlio import read_data_file, shipped_data_path


def pick_text(value: object, lang: str) -> str:
    """A text, or ``{lang: text}``, in ``lang``: the text in ``lang``, else the English one,
    else the first one given; ``""`` for None (a plain text is the same in every language).

    >>> pick_text({"fr": "Bureaux"}, "it"), pick_text(None, "it"), pick_text("Acme", "it")
    ('Bureaux', '', 'Acme')
    """
    if isinstance(value, Mapping):
        return str(value.get(lang) or value.get("en") or next(iter(value.values()), ""))
    return "" if value is None else str(value)


class TextTable:
    """The texts of one file of ``canvastools/data``: ``{key: {lang: text}}``, read once.

    Texts may hold ``{placeholders}``, filled by :meth:`text`.
    """

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self._entries: dict[str, dict[str, str]] | None = None

    def all(self) -> dict[str, dict[str, str]]:
        """Every entry, ``{key: {lang: text}}``."""
        if self._entries is None:
            self._entries = read_data_file(shipped_data_path(self.filename))
        return self._entries

    def text(self, key: str, lang: str = "en", **values: Any) -> str:
        """One text in ``lang`` (English when missing), with ``{placeholders}`` filled."""
        text = pick_text(self.all()[key], lang)
        return text.format(**values) if values else text
