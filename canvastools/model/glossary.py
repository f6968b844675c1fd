"""The glossary: every block, relationship type, motivation and guiding question in English,
Italian, French and Russian, with a short definition and the sources of each wording.

The labels are not stored twice: they come from ``domain.yaml`` and the taxonomies (the
definitions of the types too); ``data/glossary.yaml`` adds the other definitions, the sources
and the other wordings found in the sources.

>>> glossary = load_glossary()
>>> term = glossary.entry("blocks", "customer_relationships")
>>> term.label_in("fr"), [v.label for v in term.variants_in("fr")]
('Relations avec le client', ['Relation client'])
>>> glossary.entry("blocks", "revenue_streams").confirmed("it")   # no print edition checked
False
>>> [t.id for t in glossary.of_kind("types")][-2:]                # Strategyzer's two, as a note
['transactional', 'long_term']
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from canvastools._io.checks import Report, entry_place, field_place, unknown
from canvastools._io.yamlio import line_of_key, read_data_file, shipped_data_path
from canvastools.errors import InputError
from canvastools.model.taxonomy import (
    DEFAULT_TAXONOMY,
    Term,
    available_taxonomies,
    load_domain,
    load_taxonomy,
)

__all__ = ["KINDS", "Entry", "Glossary", "Source", "Variant", "load_glossary", "parse_glossary"]

#: The kinds of term, in the order the glossary lists them.
KINDS = ("blocks", "types", "motivations", "questions")
TOP_FIELDS = ("languages", "sources", "texts", *KINDS)
ENTRY_FIELDS = ("id", "definition", "sources", "variants", "note", "taxonomy")
TEXT_KEYS = ("blocks", "types", "motivations", "questions", "id", "term", "definition",
             "sources", "also", "unconfirmed", "language_en", "language_it", "language_fr",
             "language_ru", "print_edition", "quiz_explanation")


@dataclass(frozen=True)
class Source:
    """Where a wording comes from: ``cite`` for a reader, ``print`` for a print edition."""

    key: str
    cite: str
    print: bool


@dataclass(frozen=True)
class Variant:
    """Another wording of a term, found in ``source``."""

    label: str
    source: Source


@dataclass(frozen=True)
class Entry:
    """One term of the glossary, e.g. the block ``customer_relationships``."""

    kind: str
    id: str
    label: dict[str, str]
    definition: dict[str, str]
    sources: dict[str, tuple[Source, ...]]
    variants: dict[str, tuple[Variant, ...]] = field(default_factory=dict)
    note: dict[str, str] = field(default_factory=dict)
    taxonomy: str | None = None   # the taxonomy of a relationship type

    def label_in(self, lang: str) -> str:
        return self.label[lang]

    def definition_in(self, lang: str) -> str:
        return self.definition[lang]

    def note_in(self, lang: str) -> str:
        return self.note.get(lang, "")

    def sources_in(self, lang: str) -> tuple[Source, ...]:
        return self.sources[lang]

    def variants_in(self, lang: str) -> tuple[Variant, ...]:
        return self.variants.get(lang, ())

    def confirmed(self, lang: str) -> bool:
        """True when the label in ``lang`` was checked against a print edition.

        >>> load_glossary().entry("types", "communities").confirmed("it")
        True
        """
        return any(source.print for source in self.sources[lang])


@dataclass(frozen=True)
class Glossary:
    """The terms of the glossary, its sources and the texts that present it."""

    file: str
    languages: tuple[str, ...]
    sources: dict[str, Source]
    entries: tuple[Entry, ...]
    texts: dict[str, dict[str, str]]

    def check_lang(self, lang: object, where: str = "lang") -> str:
        """Return ``lang`` when the glossary has it, else raise InputError naming the choices.

        >>> try:
        ...     load_glossary().check_lang("de", "--lang")
        ... except InputError as err:
        ...     print(err)
        --lang: the glossary has no language 'de'. Valid choices: en, it, fr, ru
        """
        if isinstance(lang, str) and lang in self.languages:
            return lang
        raise InputError(f"the glossary has no language {lang!r}", where=where,
                         choices=list(self.languages), got=str(lang))

    def check_kind(self, kind: object, where: str = "kind") -> str:
        """Return ``kind`` when it is one of :data:`KINDS`, else raise InputError."""
        if isinstance(kind, str) and kind in KINDS:
            return kind
        raise InputError(unknown("kind of term", kind), where=where, choices=list(KINDS),
                         got=str(kind))

    def of_kind(self, kind: str) -> list[Entry]:
        """The entries of one kind (``"blocks"``, ``"types"``...), in the glossary's order."""
        self.check_kind(kind)
        return [e for e in self.entries if e.kind == kind]

    def entry(self, kind: str, term_id: str) -> Entry:
        """One entry, e.g. ``entry("types", "co_creation")``."""
        entries = self.of_kind(kind)
        for candidate in entries:
            if candidate.id == term_id:
                return candidate
        raise InputError(f"no {kind} term {term_id!r} in the glossary",
                         choices=[e.id for e in entries], got=str(term_id))

    def text(self, key: str, lang: str, **values: Any) -> str:
        """A text of the listing or the table in ``lang``, with ``{placeholders}`` filled."""
        text = self.texts[key][self.check_lang(lang)]
        return text.format(**values) if values else text

    def language_name(self, code: str, lang: str) -> str:
        """The name of the language ``code`` in ``lang``: ``language_name("ru", "it")`` is
        ``'Russo'``."""
        return self.text(f"language_{self.check_lang(code)}", lang)

    def quiz_items(self, terms: list[dict[str, str]], lang: str) -> list[dict[str, Any]]:
        """Items for a ClassifyItems exercise "which type does this term name?".

        ``terms``: ``[{"lang": "ru", "type": "self_service"}, ...]``; each item shows the
        label in that language, its answer is the type, its explanation the definition.

        >>> load_glossary().quiz_items([{"lang": "ru", "type": "self_service"}], "en")[0]["company"]
        'Самообслуживание'
        """
        lang = self.check_lang(lang)
        items = []
        for index, term in enumerate(terms, 1):
            where = f"term {index}"
            if not isinstance(term, dict) or set(term) != {"lang", "type"}:
                raise InputError("each term is a mapping with 'lang' and 'type'", where=where)
            code = self.check_lang(term["lang"], f"{where}, lang")
            entry = self.entry("types", term["type"])
            language = self.language_name(code, lang)
            items.append({
                "id": f"glossary-{code}-{entry.id}",
                "company": entry.label_in(code),
                "description": language,
                "types": [entry.id],
                "explanation": self.text(
                    "quiz_explanation", lang, term=entry.label_in(code), language=language,
                    answer=entry.label_in(lang), definition=entry.definition_in(lang)),
            })
        return items


@functools.lru_cache(maxsize=1)
def _load_shipped() -> Glossary:
    path = shipped_data_path("glossary.yaml")
    return parse_glossary(read_data_file(path), str(path))


def load_glossary(path: str | Path | None = None) -> Glossary:
    """The glossary shipped with canvastools (read once), or the glossary file ``path``.

    >>> load_glossary().entry("motivations", "retention").label_in("ru")
    'Удержание клиентов'
    """
    if path is None:
        return _load_shipped()
    return parse_glossary(read_data_file(path), str(path))


# -- reading the file ------------------------------------------------------------------------
def _domain_terms(kind: str, taxonomy: str) -> list[Term]:
    domain = load_domain()
    if kind == "types":
        return list(load_taxonomy(taxonomy).types)
    return list({"blocks": domain.blocks, "motivations": domain.motivations,
                 "questions": domain.questions}[kind])


def _sources(report: Report, value: object, where: str) -> dict[str, Source]:
    if not isinstance(value, dict):
        report.wrong_kind(value, "a mapping of source keys to {cite, print}", where)
        return {}
    sources = {}
    for key, spec in value.items():
        place = field_place(where, str(key), value)
        if not isinstance(spec, dict):
            report.wrong_kind(spec, "a mapping with 'cite' and 'print'", place)
            continue
        report.unknown_fields(spec, ("cite", "print"), place)
        if not report.missing(spec, ("cite", "print"), place):
            continue
        cite = report.text(spec["cite"], field_place(place, "cite", spec))
        if not isinstance(spec["print"], bool):
            report.wrong_kind(spec["print"], "true or false", field_place(place, "print", spec))
        elif cite is not None:
            sources[str(key)] = Source(str(key), cite, spec["print"])
    return sources


def _texts(report: Report, value: object, languages: list[str]) -> dict[str, dict[str, str]]:
    where = field_place(None, "texts", value)
    if not isinstance(value, dict):
        report.wrong_kind(value, "a mapping of text keys to texts per language", "field 'texts'")
        return {}
    report.unknown_fields(value, TEXT_KEYS, "texts")
    texts = {}
    for key in TEXT_KEYS:
        if key not in value:
            report.add(f"missing the text {key!r}", where)
            continue
        texts[key] = report.localised(value[key], languages, field_place("texts", key, value),
                                      required=languages)
    return texts


def _entry(report: Report, kind: str, item: dict[str, Any], where: str,
           glossary: dict[str, Any]) -> Entry | None:
    languages, sources = glossary["languages"], glossary["sources"]
    report.unknown_fields(item, ENTRY_FIELDS, where)
    if not report.missing(item, ("id", "sources"), where):
        return None
    term_id = report.text(item["id"], field_place(where, "id", item))
    taxonomy = None
    if kind == "types":
        taxonomy = item.get("taxonomy", DEFAULT_TAXONOMY)
        if not report.choice(taxonomy, available_taxonomies(), field_place(where, "taxonomy",
                                                                            item), "taxonomy"):
            return None
    elif "taxonomy" in item:
        report.add(f"only relationship types name a taxonomy, not {kind}",
                   field_place(where, "taxonomy", item))
    terms = {t.id: t for t in _domain_terms(kind, taxonomy or DEFAULT_TAXONOMY)}
    if term_id is None or not report.choice(term_id, list(terms), field_place(where, "id", item),
                                            kind[:-1]):
        return None
    term = terms[term_id]
    home = f"taxonomy {taxonomy!r}" if kind == "types" else "domain.yaml"
    for lang in languages:
        if not term.label.get(lang, "").strip():
            report.add(f"{home} has no {lang!r} label for {term_id!r}: the glossary reads its "
                       "labels from there", where)
    if kind == "types":  # the taxonomy's definitions: one source of truth
        if "definition" in item:
            report.add(f"the definitions of the types are in {home} (field 'definition' of "
                       "the type): do not write them here", field_place(where, "definition", item))
        definition = dict(term.definition)
        for lang in languages:
            if not definition.get(lang, "").strip():
                report.add(f"{home} has no {lang!r} definition for {term_id!r}", where)
    else:
        definition = report.localised(item.get("definition", {}), languages,
                                      _place(where, "definition", item), required=languages)
    return Entry(
        kind=kind, id=term_id, label=dict(term.label), definition=definition,
        sources=_entry_sources(report, item["sources"], _place(where, "sources", item),
                               languages, sources),
        variants=_variants(report, item.get("variants", {}), _place(where, "variants", item),
                           languages, sources, term.label),
        note=(report.localised(item["note"], languages, _place(where, "note", item),
                               required=languages) if "note" in item else {}),
        taxonomy=taxonomy)


def _place(where: str, key: str, item: dict[str, Any]) -> str:
    line = line_of_key(item, key)
    return f"{where}, {key}" + (f" (line {line})" if line is not None else "")


def _entry_sources(report: Report, value: object, where: str, languages: list[str],
                   sources: dict[str, Source]) -> dict[str, tuple[Source, ...]]:
    if not isinstance(value, dict):
        report.wrong_kind(value, "a mapping of language to a list of source keys", where,
                          choices=languages)
        return {}
    result = {}
    for lang in value:
        report.choice(lang, languages, where, "language")
    for lang in languages:
        keys = value.get(lang)
        if not keys:
            report.add(f"missing the '{lang}' sources", where, choices=list(sources))
            continue
        keys = report.id_list(keys, list(sources), f"{where}, {lang}", "source")
        result[lang] = tuple(sources[k] for k in keys)
    return result


def _variants(report: Report, value: object, where: str, languages: list[str],
              sources: dict[str, Source], labels: dict[str, str]) -> dict[str, tuple[Variant, ...]]:
    if not isinstance(value, dict):
        report.wrong_kind(value, "a mapping of language to a list of {label, source}", where,
                          choices=languages)
        return {}
    result = {}
    for lang, items in value.items():
        if not report.choice(lang, languages, where, "language"):
            continue
        place = f"{where}, {lang}"
        if not isinstance(items, list):
            report.wrong_kind(items, "a list of {label, source}", place)
            continue
        found = []
        for item in items:
            if not isinstance(item, dict) or set(item) != {"label", "source"}:
                report.add("each variant is a mapping with 'label' and 'source'", place)
                continue
            label = report.text(item["label"], place)
            if label is not None and label == labels.get(lang):
                report.add(f"the variant {label!r} is the label itself: list only other "
                           "wordings", place)
            elif label is not None and report.choice(item["source"], list(sources), place,
                                                     "source"):
                found.append(Variant(label, sources[item["source"]]))
        result[lang] = tuple(found)
    return result


def parse_glossary(data: object, filename: str) -> Glossary:
    """Check a glossary file's data and build the :class:`Glossary`; every mistake is
    reported (file, line, valid choices), nothing half-loaded.

    >>> from canvastools._io.yamlio import read_data_text
    >>> text = "languages: [en, itt]\\nsources: {}\\n"
    >>> try:
    ...     parse_glossary(read_data_text(text, "g.yaml"), "g.yaml")
    ... except ValueError as err:
    ...     print(next(e for e in err.errors if "itt" in str(e)))  # doctest: +ELLIPSIS
    g.yaml, field 'languages' (line 1): unknown language 'itt' (did you mean 'it'?)...
    """
    if not isinstance(data, dict):
        raise InputError("a glossary file is a mapping with 'languages', 'sources', 'texts' "
                         f"and {', '.join(repr(k) for k in KINDS)}", file=filename)
    report = Report(filename)
    report.unknown_fields(data, TOP_FIELDS, "top level")
    report.missing(data, TOP_FIELDS, "top level")
    known = list(load_domain().languages)
    languages = data.get("languages")
    if not isinstance(languages, list) or not languages:
        report.wrong_kind(languages, "a list of language ids", field_place(None, "languages",
                                                                             data), choices=known)
        languages = []
    languages = [lang for lang in languages
                 if report.choice(lang, known, field_place(None, "languages", data), "language")]
    sources = _sources(report, data.get("sources"), field_place(None, "sources", data))
    texts = _texts(report, data.get("texts"), languages)
    context = {"languages": languages, "sources": sources}
    entries: list[Entry] = []
    for kind in KINDS:
        items = data.get(kind)
        if not isinstance(items, list):
            if kind in data:
                report.wrong_kind(items, f"a list of {kind}", field_place(None, kind, data))
            continue
        for index, item in enumerate(items, 1):
            where = f"{kind}, {entry_place(index, item, items=items)}"
            if not isinstance(item, dict):
                report.wrong_kind(item, "a mapping with 'id' and 'sources'", where)
                continue
            entry = _entry(report, kind, item, where, context)
            if entry is None:
                continue
            if any(e.kind == kind and e.id == entry.id for e in entries):
                report.add(f"duplicate id {entry.id!r}", where)
            entries.append(entry)
        _check_complete(report, kind, [e for e in entries if e.kind == kind], data)
    report.raise_if_any()
    return Glossary(file=filename, languages=tuple(languages), sources=sources,
                    entries=tuple(entries), texts=texts)


def _check_complete(report: Report, kind: str, entries: list[Entry], data: Any) -> None:
    """Every term of the domain (and of every taxonomy) has its entry."""
    if kind == "types":
        wanted = {t.id for name in available_taxonomies() for t in load_taxonomy(name).types}
    else:
        wanted = {t.id for t in _domain_terms(kind, DEFAULT_TAXONOMY)}
    missing = sorted(wanted - {e.id for e in entries})
    if missing:
        report.add(f"no entry for the {kind} {', '.join(repr(m) for m in missing)}: every term "
                   "has one", field_place(None, kind, data))
