"""``canvastools validate FILE...``: check case, canvas, taxonomy or items files, each on its own.

>>> kind_of([{"id": "acme"}]), kind_of({"types": []}), kind_of({"title": "Acme"})
('cases', 'taxonomy', 'canvas')
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from canvastools._io.literal import print_error
from canvastools.errors import CanvasToolsError


def kind_of(data: object) -> str:
    """What a data file holds: ``"cases"``, ``"taxonomy"`` or ``"canvas"``."""
    if isinstance(data, list) or (isinstance(data, dict) and "cases" in data):
        return "cases"
    if isinstance(data, dict) and "types" in data and "blocks" not in data:
        return "taxonomy"
    return "canvas"


def _summary(name: str) -> str:
    """Check one file; what it holds, in a few words. Raises CanvasToolsError."""
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
        return f"{len(bank)} cases, taxonomy {bank.taxonomy.id}"
    if kind == "taxonomy":
        return f"taxonomy with {len(parse_taxonomy(data, name).types)} types"
    canvas = parse_canvas(data, name)
    return f"canvas '{canvas.title}', {canvas.note_count} notes"


def main(*, files: Iterable[str]) -> int:
    """Check every file, print ``ok: FILE (...)`` or its errors; 1 when one failed."""
    failed = 0
    for name in files:
        try:
            print(f"ok: {name} ({_summary(name)})")
        except CanvasToolsError as exc:
            failed += 1
            print_error(exc)
        except Exception as exc:  # noqa: BLE001 - a bug of ours must not skip the other files
            failed += 1
            print(f"error: {name}: canvastools could not check this file ({type(exc).__name__}: "
                  f"{exc}); please report this as a bug", file=sys.stderr)
    return 1 if failed else 0
