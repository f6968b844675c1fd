"""``canvastools glossary``: the glossary in the terminal, in one language or in all four.

>>> print(format_glossary(load_glossary(), lang="fr", kind="motivations"))  # doctest: +ELLIPSIS
Les trois motivations
<BLANKLINE>
acquisition     Acquisition de clients  (bmg-fr)
                aussi : Achat du client (article-fr)
                Gagner de nouveaux clients, comme les opérateurs mobiles qui, à leurs débuts,
...
"""

from __future__ import annotations

import sys
import textwrap
from typing import TextIO

from canvastools._io.messages import Msg
from canvastools.errors import InputError
from canvastools.model.glossary import KINDS, Entry, Glossary, load_glossary

__all__ = ["format_glossary", "main"]

WIDTH = 100
ALL = "all"


def _label(glossary: Glossary, entry: Entry, code: str, lang: str) -> list[str]:
    """The label in ``code`` (``*`` when unconfirmed) with its sources, then other wordings."""
    mark = " *" if not entry.confirmed(code) else ""
    keys = ", ".join(s.key for s in entry.sources_in(code))
    lines = [f"{entry.label_in(code)}{mark}  ({keys})"]
    also = glossary.text("also", lang)
    lines += [f"{also}{_colon(lang)} {v.label} ({v.source.key})" for v in entry.variants_in(code)]
    return lines


def _colon(lang: str) -> str:
    return " :" if lang == "fr" else ":"   # French puts a space before a colon


def _wrapped(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent)


def _entry_lines(glossary: Glossary, entry: Entry, languages: list[str], id_width: int,
                 lang: str) -> list[str]:
    pad = " " * (id_width + 2)
    if len(languages) == 1:
        code = languages[0]
        head, *rest = _label(glossary, entry, code, lang)
        lines = [f"{entry.id:{id_width}}  {head}"] + [pad + line for line in rest]
        lines += _wrapped(entry.definition_in(code), pad)
        if entry.note_in(code):
            lines += _wrapped(entry.note_in(code), pad)
        return lines
    lines = [entry.id]
    for code in languages:
        head, *rest = _label(glossary, entry, code, lang)
        lines.append(f"  {code}  {head}")
        lines += ["      " + line for line in rest]
        lines += _wrapped(entry.definition_in(code), "      ")
        if entry.note_in(code):
            lines += _wrapped(entry.note_in(code), "      ")
    return lines


def format_glossary(glossary: Glossary, *, lang: str = "en", kind: str | None = None) -> str:
    """The listing: for each kind (or only ``kind``), each term's id, its label in ``lang``
    (every language with ``lang="all"``), its sources, the other wordings and the definition;
    then what ``*`` means and the sources cited."""
    if lang != ALL and lang not in glossary.languages:
        raise InputError(Msg("glossary_no_language", value=lang), where="--lang",
                         choices=[*glossary.languages, ALL], got=str(lang))
    languages = list(glossary.languages) if lang == ALL else [lang]
    texts_lang = "en" if lang == ALL else lang
    kinds = [glossary.check_kind(kind, "--kind")] if kind is not None else list(KINDS)
    out: list[str] = []
    cited: dict[str, str] = {}
    unconfirmed = False
    for one in kinds:
        entries = glossary.of_kind(one)
        id_width = max(len(e.id) for e in entries)
        out += [glossary.text(one, texts_lang), ""]
        for entry in entries:
            out += _entry_lines(glossary, entry, languages, id_width, texts_lang)
            out.append("")
            for code in languages:
                unconfirmed = unconfirmed or not entry.confirmed(code)
                for source in (*entry.sources_in(code),
                               *(v.source for v in entry.variants_in(code))):
                    cited[source.key] = source.cite
    if unconfirmed:
        out.append(f"* {glossary.text('unconfirmed', texts_lang)}")
    out.append(f"{glossary.text('sources', texts_lang)}{_colon(texts_lang)}")
    out += [f"  {key}: {cite}" for key, cite in sorted(cited.items())]
    return "\n".join(out)


def main(*, lang: str = "en", kind: str | None = None, out: TextIO | None = None) -> int:
    """Print the glossary; a wrong ``lang`` or ``kind`` raises InputError naming the choices
    (``canvastools glossary --lang de`` prints "error: --lang: the glossary has no language
    'de'. Valid choices: en, it, fr, ru, all").

    >>> main(lang="ru", kind="motivations")  # doctest: +ELLIPSIS
    Три мотива
    ...
    0
    """
    glossary = load_glossary()
    print(format_glossary(glossary, lang=lang, kind=kind), file=out or sys.stdout)
    return 0
