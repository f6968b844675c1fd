"""The words drawings add (legend, markers, spectrum ends), read from ``data/drawing.yaml``.

>>> drawing_text("more_notes", "it", n=3)
'+3 altre note'
"""

from __future__ import annotations

from canvastools._io.texts import TextTable

_DRAWING = TextTable("drawing.yaml")
drawing_texts = _DRAWING.all
drawing_text = _DRAWING.text
