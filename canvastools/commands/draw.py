"""``canvastools draw FILE -o OUT``: a canvas file (or a gallery canvas) to PNG, SVG or PDF."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from canvastools._io.literal import printable
from canvastools._io.messages import Msg, Place, message
from canvastools.errors import InputError


def canvas_path(name: str) -> Path:
    """The canvas file ``name`` names: itself, or the file of a gallery canvas."""
    from canvastools.model.canvas import CANVAS_SUFFIXES, gallery_dir, load_canvas

    if name.endswith(CANVAS_SUFFIXES):
        return Path(name)
    path = gallery_dir() / f"{name}.yaml"
    if not path.is_file():
        load_canvas(name)  # raises the error listing the gallery's canvases
    return path


def _hidden_note_errors(fig: Any, data: Any, shown: str, lang: str) -> list[InputError]:
    """One error per block whose notes did not all fit, naming their lines in the file."""
    from canvastools._io.yamlio import line_of_item
    from canvastools.draw.canvas import hidden_message, hidden_notes

    problems = []
    for hidden in hidden_notes(fig):
        notes = data["blocks"][hidden.block]
        lines = [line_of_item(notes, i - 1) for i in hidden.notes]
        where: Msg | Place = Place("blocks", hidden.block)
        if lines[0] is not None:
            where = (Msg("with_line", place=where, line=lines[0]) if len(lines) == 1
                     else Msg("with_lines", place=where, first=lines[0], last=lines[-1]))
        problems.append(InputError(hidden_message(hidden, lang), file=shown, where=where))
    return problems


def main(*, file: str, output: str, lang: str | None = None, highlight: str | None = None,
         dpi: int = 150, strict: bool = False, messages: str = "en") -> int:
    """Draw ``file`` to ``output``; notes that do not fit are warnings (errors with
    ``strict``, and then nothing is written). The exit code. ``messages``: the language of
    the lines printed ("wrote ...", warnings)."""
    from canvastools._io.yamlio import read_data_file
    from canvastools.commands.validate import kind_of
    from canvastools.model.canvas import parse_canvas
    from canvastools.model.taxonomy import load_domain

    domain = load_domain()
    if lang is not None:
        domain.check_language(lang, "--lang")
    if highlight is not None:
        domain.check_block(highlight, "--highlight")
    path = canvas_path(file)
    shown = file if path.suffix and file.endswith(path.suffix) else str(path)
    data = read_data_file(path)
    kind = kind_of(data)
    if kind != "canvas":
        raise InputError(Msg("draw.case_file" if kind == "cases" else "draw.taxonomy_file"),
                         file=shown)
    canvas = parse_canvas(data, shown)

    from canvastools.draw.canvas import check_target, plot_canvas, save_figure

    out = check_target(output, dpi)
    fig = plot_canvas(canvas, lang=lang, highlight=highlight)
    problems = _hidden_note_errors(fig, data, shown, lang or canvas.language)
    for problem in problems:
        line = message("cli.error" if strict else "cli.warning", messages,
                       message=problem.in_language(messages))
        print(printable(line, keep_newlines=True), file=sys.stderr)
    if problems and strict:
        print(message("cli.error", messages,
                      message=message("cli.nothing_written", messages, file=out)),
              file=sys.stderr)
        return 1
    save_figure(fig, out, dpi)
    print(message("cli.wrote", messages, file=out))
    return 0
