"""The domain (blocks, motivations, guiding questions) and relationship-type taxonomies, as data.

>>> tax = load_taxonomy()            # the book's six types, id "bmg2010"
>>> tax.label("self_service", "ru")
'Самообслуживание'
>>> [b.id for b in load_domain().blocks][4]
'customer_relationships'
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from canvastools._io.checks import (
    Report,
    at_line,
    describe_value,
    entry_place,
    field_place,
    unknown,
)
from canvastools._io.messages import Msg
from canvastools._io.texts import pick_text
from canvastools._io.yamlio import line_of_key, read_data_file, read_data_text, shipped_data_path
from canvastools.errors import InputError, ValidationErrors

DEFAULT_TAXONOMY = "bmg2010"
TAXONOMY_FIELDS = ("id", "name", "source", "extends", "spectrum_tolerance", "types")
TERM_FIELDS = ("id", "label", "definition", "cues", "spectrum")
SPECTRUM_RULE = "'spectrum' must be a number from 0 (personal) to 1 (automated)"


@dataclass(frozen=True)
class Term:
    """One id of the domain with its labels (and, for relationship types, a definition)."""

    id: str
    label: dict[str, str]
    definition: dict[str, str] = field(default_factory=dict)
    cues: dict[str, list[str]] = field(default_factory=dict)
    spectrum: float | None = None

    def label_in(self, lang: str = "en") -> str:
        """The label in ``lang`` (a language id), falling back to English when it has none.

        >>> try:
        ...     load_domain().block("channels").label_in("itt")
        ... except InputError as err:
        ...     print(err)
        lang: unknown language 'itt' (did you mean 'it'?). Valid choices: en, it, fr, ru, de, es
        """
        return pick_text(self.label, check_lang(lang))

    def definition_in(self, lang: str = "en") -> str:
        return pick_text(self.definition, check_lang(lang))

    def cues_in(self, lang: str = "en") -> list[str]:
        return self.cues.get(check_lang(lang)) or self.cues.get("en", [])


def check_lang(lang: object) -> str:
    """Return ``lang`` when it is one of the languages canvastools knows, else raise InputError.

    Unlike ``Domain.check_language`` there is no default: ``None`` is a mistake too. Cheap
    (the domain is read once), so every ``*_in(lang)`` method checks its argument.

    >>> check_lang("ru")
    'ru'
    """
    languages = load_domain().languages
    if isinstance(lang, str) and lang in languages:
        return lang
    if not isinstance(lang, str):
        raise InputError(f"expected a language id, got {describe_value(lang)}", where="lang",
                         choices=list(languages))
    raise InputError(unknown("language", lang), where="lang", choices=list(languages),
                     got=lang)


@dataclass(frozen=True)
class Domain:
    """The canvas parts that do not depend on a taxonomy."""

    languages: dict[str, str]
    blocks: tuple[Term, ...]
    motivations: tuple[Term, ...]
    questions: tuple[Term, ...]
    credit: str

    @property
    def block_ids(self) -> list[str]:
        return [b.id for b in self.blocks]

    @property
    def motivation_ids(self) -> list[str]:
        return [m.id for m in self.motivations]

    @property
    def question_ids(self) -> list[str]:
        return [q.id for q in self.questions]

    def block(self, block_id: str) -> Term:
        return _find(self.blocks, block_id, "block")

    def motivation(self, motivation_id: str) -> Term:
        return _find(self.motivations, motivation_id, "motivation")

    def question(self, question_id: str) -> Term:
        return _find(self.questions, question_id, "guiding question")

    def check_block(self, block: str, where: str = "block") -> str:
        """Return ``block`` or raise InputError listing the nine block ids (did you mean...)."""
        if block not in self.block_ids:
            raise InputError(unknown("block", block), where=where, choices=self.block_ids,
                             got=str(block))
        return block

    def check_language(self, lang: str | None, where: str = "lang") -> str:
        """Return ``lang`` (default "en") or raise InputError listing the languages."""
        if lang is None:
            return "en"
        if lang not in self.languages:
            raise InputError(unknown("language", lang), where=where,
                             choices=list(self.languages), got=str(lang))
        return lang


@dataclass(frozen=True)
class Taxonomy:
    """A list of relationship types, e.g. the book's six (``bmg2010``)."""

    id: str
    name: str
    source: str
    types: tuple[Term, ...]
    spectrum_tolerance: float = 0.1

    @property
    def type_ids(self) -> list[str]:
        return [t.id for t in self.types]

    def type(self, type_id: str) -> Term:
        return _find(self.types, type_id, f"relationship type of taxonomy {self.id!r}")

    def label(self, type_id: str, lang: str = "en") -> str:
        """The label of a type in ``lang`` (a language id).

        >>> try:
        ...     load_taxonomy().label("co_creation", "itt")  # "it" with a typo
        ... except InputError as err:
        ...     print(err)
        lang: unknown language 'itt' (did you mean 'it'?). Valid choices: en, it, fr, ru, de, es
        """
        check_lang(lang)  # before the type: a wrong language is the likelier typo to report
        return self.type(type_id).label_in(lang)

    def by_spectrum(self) -> list[Term]:
        """The types from most personal to most automated."""
        return sorted(self.types, key=lambda t: (t.spectrum if t.spectrum is not None else 0.5))

    def on_spectrum(self) -> list[Term]:
        """The types placed on the personal-to-automated range (``spectrum`` not null), in order.

        >>> [t.id for t in load_taxonomy("strategyzer").on_spectrum()][-1]
        'automated_services'
        """
        return [t for t in self.by_spectrum() if t.spectrum is not None]


def _find(terms: tuple[Term, ...], term_id: str, what: str) -> Term:
    for term in terms:
        if term.id == term_id:
            return term
    raise InputError(unknown(what, term_id), choices=[t.id for t in terms],
                     got=str(term_id))


def _terms(report: Report, items: object, key: str, languages: list[str],
           with_spectrum: bool = False, parent: object = None) -> list[Term]:
    if not isinstance(items, list) or not items:
        got = "an empty list" if items == [] else describe_value(items)
        report.add(f"expected a non-empty list of {key}, got {got}",
                   field_place(None, key, parent))
        return []
    terms, seen = [], set()
    for i, item in enumerate(items, 1):
        where = f"{key}, {entry_place(i, item, items=items)}"
        if not isinstance(item, dict):
            report.add(f"expected a mapping with 'id' and 'label', got {describe_value(item)}",
                       where)
            continue
        report.unknown_fields(item, TERM_FIELDS, where)
        report.missing(item, ("id", "label"), where)
        term_id = (report.text(item["id"], field_place(where, "id", item)) if "id" in item
                   else None)
        if term_id is not None and term_id in seen:
            report.add(f"duplicate id {term_id!r}", where)
        seen.add(term_id)
        label = report.localised(item["label"], languages, _sub_place(where, "label", item),
                                 required=["en"]) if "label" in item else {}
        spectrum = None
        if with_spectrum and "spectrum" not in item:
            report.add("missing the field 'spectrum' (a number from 0, personal, to 1, "
                       "automated)", where)
        elif with_spectrum and item["spectrum"] is not None:  # null: not on this range
            spectrum = report.number(item["spectrum"], _sub_place(where, "spectrum", item), 0, 1,
                                     SPECTRUM_RULE)
        definition = report.localised(item.get("definition", {}), languages,
                                      _sub_place(where, "definition", item), required=[])
        cues = _cues(report, item.get("cues", {}), languages, _sub_place(where, "cues", item))
        if term_id is not None:
            terms.append(Term(id=term_id, label=label, definition=definition, cues=cues,
                              spectrum=spectrum))
    return terms


def _sub_place(where: str, key: str, item: object) -> str:
    """``types, entry 2 (...), label``, with the line of ``label`` when it is another line."""
    return at_line(f"{where}, {key}", line_of_key(item, key), where)


def _cues(report: Report, value: object, languages: list[str], where: str) -> dict[str, list[str]]:
    """Check ``cues: {en: [hint, ...], it: [...]}`` (one hint may be given as a bare text)."""
    if not isinstance(value, dict):
        report.wrong_kind(value, "a mapping of language to a list of hints", where,
                          choices=languages)
        return {}
    cues = {}
    for lang, hints in value.items():
        if not report.choice(lang, languages, where, "language"):
            continue
        if isinstance(hints, str):
            hints = [hints]
        if isinstance(hints, list) and all(isinstance(h, str) for h in hints):
            cues[lang] = list(hints)
        else:
            report.wrong_kind(hints, f"the '{lang}' cues to be a list of texts", where)
    return cues


@functools.lru_cache(maxsize=1)
def load_domain() -> Domain:
    """The nine blocks, three motivations and four guiding questions (cached)."""
    path = shipped_data_path("domain.yaml")
    data = read_data_file(path)
    report = Report(str(path))
    languages = dict(data["languages"])
    domain = Domain(
        languages=languages,
        blocks=tuple(_terms(report, data.get("blocks"), "blocks", list(languages))),
        motivations=tuple(_terms(report, data.get("motivations"), "motivations", list(languages))),
        questions=tuple(_terms(report, data.get("questions"), "questions", list(languages))),
        credit=data["credit"],
    )
    report.raise_if_any()
    return domain


def available_taxonomies() -> list[str]:
    """Ids of the taxonomies shipped with the package."""
    return sorted(p.stem for p in shipped_data_path("taxonomies").glob("*.yaml"))


def as_taxonomy(taxonomy: Taxonomy | str | Path = DEFAULT_TAXONOMY) -> Taxonomy:
    """``taxonomy`` itself when it is a Taxonomy, else the one :func:`load_taxonomy` loads.

    >>> as_taxonomy(load_taxonomy("strategyzer")).id, as_taxonomy("bmg2010").id
    ('strategyzer', 'bmg2010')
    """
    return taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)


def load_taxonomy(name_or_path: str | Path = DEFAULT_TAXONOMY) -> Taxonomy:
    """Load a shipped taxonomy by id (``"bmg2010"``, ``"strategyzer"``) or a YAML file.

    >>> load_taxonomy("strategyzer").type_ids[-2:]
    ['transactional', 'long_term']
    """
    text = str(name_or_path)
    if text in available_taxonomies():
        return _load_shipped(text)
    if not Path(text).suffix:
        raise InputError(unknown("taxonomy", text), choices=available_taxonomies(),
                         got=text)
    return parse_taxonomy(read_data_file(text), text)


def taxonomy_from_field(report: Report, value: object, base_dir: str | Path | None,
                        where: str = "field 'taxonomy'") -> tuple[Taxonomy | None, str]:
    """Load the taxonomy that a case or canvas file names in its ``taxonomy:`` field.

    The value is a shipped id, or the path of a taxonomy file relative to ``base_dir`` (the
    folder of the file that names it). Mistakes go to ``report``. Returns the taxonomy (None
    after an error) and how to refer to it later: the id, or the resolved path.

    >>> report = Report("cases.yaml")
    >>> taxonomy_from_field(report, "bmg2011", ".")
    (None, 'bmg2011')
    >>> print(report.errors[0])  # doctest: +ELLIPSIS
    cases.yaml, field 'taxonomy': unknown taxonomy 'bmg2011' (did you mean 'bmg2010'?)...
    """
    choices = available_taxonomies()
    if not isinstance(value, str) or not value.strip():
        report.wrong_kind(value, Msg("kind.taxonomy_ref"), where,
                          choices=choices)
        return None, DEFAULT_TAXONOMY
    if value in choices:
        return _load_shipped(value), value
    if not Path(value).suffix:
        report.add(unknown("taxonomy", value), where, choices=choices, got=value)
        return None, value
    path = Path(value).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = Path(base_dir) / path
    if not path.is_file():
        report.add(Msg("no_taxonomy_file", value=value, path=str(path)), where,
                   choices=choices)
        return None, value
    try:
        return parse_taxonomy(read_data_file(path), str(path)), str(path)
    except ValidationErrors as exc:
        report.errors.extend(exc.errors)
    except InputError as exc:
        report.errors.append(exc)
    return None, value


@functools.lru_cache(maxsize=8)
def _load_shipped(name: str) -> Taxonomy:
    path = shipped_data_path("taxonomies", f"{name}.yaml")
    return parse_taxonomy(read_data_file(path), str(path))


def parse_taxonomy_text(text: str, filename: str = "<taxonomy>") -> Taxonomy:
    return parse_taxonomy(read_data_text(text, filename), filename)


def parse_taxonomy(data: object, filename: str) -> Taxonomy:
    report = Report(filename)
    if not isinstance(data, dict):
        raise InputError(Msg("taxonomy_not_mapping"), file=filename)
    languages = list(load_domain().languages)
    report.unknown_fields(data, TAXONOMY_FIELDS, "top level")
    base: list[Term] = []
    extends = data.get("extends")
    if extends is not None and report.choice(extends, available_taxonomies(),
                                             field_place(None, "extends", data), "taxonomy"):
        base = list(_load_shipped(extends).types)
    report.missing(data, ("id", "name", "types"), "top level")
    taxonomy_id = report.text(data["id"], field_place(None, "id", data)) if "id" in data else None
    name = report.text(data["name"], field_place(None, "name", data)) if "name" in data else None
    source = (report.text(data["source"], field_place(None, "source", data))
              if "source" in data else "")
    tolerance = 0.1
    if "spectrum_tolerance" in data:
        tolerance = report.number(
            data["spectrum_tolerance"], field_place(None, "spectrum_tolerance", data), 0, 1,
            "expected a number from 0 to 1 (types closer than this on the spectrum may "
            "be put in either order)") or 0.0
    own = _terms(report, data["types"], "types", languages, with_spectrum=True,
                 parent=data) if "types" in data else []
    clash = {t.id for t in base} & {t.id for t in own}
    for type_id in sorted(clash):
        index = next(i for i, item in enumerate(data["types"], 1)
                     if isinstance(item, dict) and item.get("id") == type_id)
        report.add(f"type {type_id!r} is already defined by {extends!r}",
                   f"types, {entry_place(index, data['types'][index - 1], items=data['types'])}")
    report.raise_if_any()
    return Taxonomy(
        id=str(taxonomy_id), name=str(name), source=source or "", types=tuple(base + own),
        spectrum_tolerance=tolerance,
    )
