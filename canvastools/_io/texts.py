"""Texts shown to users in the six languages, kept in data files, not in code.

>>> TextTable("drawing.yaml").text("more_notes", "it", n=3)
'+3 altre note'
"""

from __future__ import annotations

from typing import Any

from canvastools._io.yamlio import read_data_file, shipped_data_path


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
        entry = self.all()[key]
        text = entry.get(lang) or entry["en"]
        return text.format(**values) if values else text
