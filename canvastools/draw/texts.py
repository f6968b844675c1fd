"""The words drawings add (legend, markers, spectrum ends), read from ``data/drawing.yaml``.

>>> drawing_text("more_notes", "it", n=3)
'+3 altre note'
"""

from __future__ import annotations

import functools
from typing import Any

from ..taxonomy import _data_path
from ..yamlio import read_data_file


@functools.lru_cache(maxsize=1)
def drawing_texts() -> dict[str, dict[str, str]]:
    """All drawing texts: ``{key: {lang: text}}``."""
    return read_data_file(_data_path("drawing.yaml"))


def drawing_text(key: str, lang: str = "en", **values: Any) -> str:
    """One drawing text in ``lang`` (English when missing), with ``{placeholders}`` filled."""
    entry = drawing_texts()[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text
