"""``canvastools validate FILE...``: check case, canvas, taxonomy or items files, each on its own.

>>> kind_of([{"id": "acme"}]), kind_of({"types": []}), kind_of({"title": "Acme"})
('cases', 'taxonomy', 'canvas')
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from canvastools._io.literal import print_error
from canvastools._io.messages import Msg, message
from canvastools.errors import CanvasToolsError


def kind_of(data: object) -> str:
    """What a data file holds: ``"cases"``, ``"taxonomy"`` or ``"canvas"``."""
    if isinstance(data, list) or (isinstance(data, dict) and "cases" in data):
        return "cases"
    if isinstance(data, dict) and "types" in data and "blocks" not in data:
        return "taxonomy"
    return "canvas"


def _summary(name: str, lang: str = "en") -> Msg | str:
    """Check one file; what it holds, in a few words (a canvas's title in ``lang``, when the
    file has one in it). Raises CanvasToolsError."""
    from canvastools._io.yamlio import read_data_file
    from canvastools.model.canvas import parse_canvas
    from canvastools.model.cases import parse_cases
    from canvastools.model.items import looks_like_items, parse_items
    from canvastools.model.taxonomy import parse_taxonomy

    data = read_data_file(name)
    if looks_like_items(data):
        return parse_items(data, name).summary
    kind = kind_of(data)
    if kind == "cases":
        bank = parse_cases(data, name)
        return Msg("summary.cases", count=len(bank), taxonomy=bank.taxonomy.id)
    if kind == "taxonomy":
        return Msg("summary.taxonomy", count=len(parse_taxonomy(data, name).types))
    canvas = parse_canvas(data, name)
    return Msg("summary.canvas", title=canvas.title_in(lang), notes=canvas.note_count)


def main(*, files: Iterable[str], lang: str = "en") -> int:
    """Check every file, print ``ok: FILE (...)`` or its errors (in ``lang``); 1 when one
    failed."""
    failed = 0
    for name in files:
        try:
            print(message("cli.ok", lang, file=name, summary=_summary(name, lang)))
        except CanvasToolsError as exc:
            failed += 1
            print_error(exc, lang)
        except Exception as exc:  # noqa: BLE001 - a bug of ours must not skip the other files
            failed += 1
            bug = message("cli.bug", lang, file=name, problem=f"{type(exc).__name__}: {exc}")
            print(message("cli.error", lang, message=bug), file=sys.stderr)
    return 1 if failed else 0
