"""The glossary as HTML tables, for the lesson page and the course site.

>>> table = glossary_table("motivations", lang="it")
>>> "Fidelizzare i clienti" in table.html and 'lang="ru"' in table.html
True

Every text is escaped; each cell in another language carries its ``lang`` attribute, so a
screen reader reads French as French and Russian as Russian.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from canvastools._io.htmlsafe import escape, html_table
from canvastools.model.glossary import KINDS, Entry, Glossary, load_glossary

__all__ = ["HtmlTable", "glossary_sources", "glossary_table"]


@dataclass(frozen=True)
class HtmlTable:
    """An HTML fragment that Jupyter shows as a table (``.html`` is the text)."""

    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html

    def __repr__(self) -> str:  # the plain-text view of a notebook output: short
        return f"<HTML table, {len(self.html)} characters>"


_esc = escape  # canvastools._io.htmlsafe: the one escaper


_TABLE = ('style="border-collapse:collapse;margin:0.5em 0 1em 0;font-size:0.92em;'
          'text-align:left;max-width:100%"')
_CELL = 'style="border:1px solid #d0d7de;padding:4px 8px;vertical-align:top;text-align:left"'
_SMALL = 'style="color:#57606a"'   # 5.9:1 on white: readable small print (WCAG AA)


def _label_html(glossary: Glossary, entry: Entry, code: str, lang: str) -> str:
    """The label in ``code`` with its sources, a * when not confirmed, and other wordings."""
    mark = ""
    if not entry.confirmed(code):
        mark = (f' <abbr title="{_esc(glossary.text("unconfirmed", lang))}">*</abbr>')
    keys = ", ".join(s.key for s in entry.sources_in(code))
    parts = [f"<b>{_esc(entry.label_in(code))}</b>{mark} <small {_SMALL}>({_esc(keys)})</small>"]
    for variant in entry.variants_in(code):
        parts.append(f"<small>{_esc(glossary.text('also', lang))}: {_esc(variant.label)} "
                     f"<span {_SMALL}>({_esc(variant.source.key)})</span></small>")
    return "<br>".join(parts)


def _rows(glossary: Glossary, entries: Sequence[Entry], lang: str,
          others: Sequence[str]) -> list[list[str]]:
    rows = []
    for entry in entries:
        definition = _esc(entry.definition_in(lang))
        if entry.note_in(lang):
            definition += f"<br><small><i>{_esc(entry.note_in(lang))}</i></small>"
        cells = [f"{_label_html(glossary, entry, lang, lang)}<br><code>{_esc(entry.id)}</code>",
                 definition]
        cells += [_label_html(glossary, entry, code, lang) for code in others]
        rows.append(cells)
    return rows


def glossary_table(kind: str | None = None, *, lang: str = "en",
                   others: Sequence[str] | None = None,
                   glossary: Glossary | None = None) -> HtmlTable:
    """The terms of ``kind`` (every kind when None) as a table in ``lang``: the term, its
    definition, and its label in each language of ``others`` (default: the glossary's other
    languages), each with its sources and the other wordings found in them.

    >>> "Partenariats clés" in glossary_table("blocks", lang="en", others=["fr"]).html
    True
    """
    glossary = glossary or load_glossary()
    lang = glossary.check_lang(lang)
    kinds = [glossary.check_kind(kind)] if kind is not None else list(KINDS)
    if others is None:
        others = [code for code in glossary.languages if code != lang]
    others = [glossary.check_lang(code, "others") for code in others]
    head = [glossary.text("term", lang), glossary.text("definition", lang),
            *(glossary.language_name(code, lang) for code in others)]
    cells = [f'lang="{code}" {_CELL}' for code in (lang, lang, *others)]
    out = []
    for one in kinds:
        out.append(html_table(
            head, _rows(glossary, glossary.of_kind(one), lang, others),
            attrs=f'class="canvastools-glossary" lang="{lang}" {_TABLE}',
            caption=f'<caption style="text-align:left;font-weight:600">'
                    f"{_esc(glossary.text(one, lang))}</caption>",
            th_attrs=f'scope="col" {_CELL}', td_attrs=cells))
    legend = f"<p><small>* {_esc(glossary.text('unconfirmed', lang))}</small></p>"
    return HtmlTable("".join(out) + legend)


def glossary_sources(*, lang: str = "en", glossary: Glossary | None = None) -> HtmlTable:
    """The sources the glossary cites, each with its key and whether it is a print edition.

    >>> "Creare modelli di business" in glossary_sources(lang="it").html
    True
    """
    glossary = glossary or load_glossary()
    lang = glossary.check_lang(lang)
    head = [glossary.text("id", lang), glossary.text("sources", lang),
            glossary.text("print_edition", lang)]
    rows = [[f"<code>{_esc(s.key)}</code>", _esc(s.cite), "✓" if s.print else "—"]
            for s in glossary.sources.values()]
    return HtmlTable(html_table(head, rows, attrs=f'class="canvastools-glossary-sources" {_TABLE}',
                                th_attrs=f'scope="col" {_CELL}', td_attrs=_CELL))
