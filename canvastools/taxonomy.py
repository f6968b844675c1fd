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
from importlib import resources
from pathlib import Path

from .checks import Report, entry_place
from .errors import InputError
from .yamlio import read_data_file, read_data_text

DEFAULT_TAXONOMY = "bmg2010"


@dataclass(frozen=True)
class Term:
    """One id of the domain with its labels (and, for relationship types, a definition)."""

    id: str
    label: dict[str, str]
    definition: dict[str, str] = field(default_factory=dict)
    cues: dict[str, list[str]] = field(default_factory=dict)
    spectrum: float | None = None

    def label_in(self, lang: str = "en") -> str:
        """The label in ``lang``, falling back to English."""
        return self.label.get(lang) or self.label["en"]

    def definition_in(self, lang: str = "en") -> str:
        return self.definition.get(lang) or self.definition.get("en", "")

    def cues_in(self, lang: str = "en") -> list[str]:
        return self.cues.get(lang) or self.cues.get("en", [])


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

    def check_language(self, lang: str | None, where: str = "lang") -> str:
        """Return ``lang`` (default "en") or raise InputError listing the languages."""
        if lang is None:
            return "en"
        if lang not in self.languages:
            raise InputError(f"unknown language {lang!r}", where=where,
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
        return self.type(type_id).label_in(lang)

    def by_spectrum(self) -> list[Term]:
        """The types from most personal to most automated."""
        return sorted(self.types, key=lambda t: (t.spectrum if t.spectrum is not None else 0.5))


def _find(terms: tuple[Term, ...], term_id: str, what: str) -> Term:
    for term in terms:
        if term.id == term_id:
            return term
    raise InputError(f"unknown {what} {term_id!r}", choices=[t.id for t in terms],
                     got=str(term_id))


def _data_path(*parts: str) -> Path:
    return Path(str(resources.files("canvastools").joinpath("data", *parts)))


def _terms(report: Report, items: object, key: str, languages: list[str],
           with_spectrum: bool = False) -> list[Term]:
    if not isinstance(items, list) or not items:
        report.add(f"'{key}' must be a non-empty list", key)
        return []
    terms, seen = [], set()
    for i, item in enumerate(items, 1):
        where = f"{key}, {entry_place(i, item)}"
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            report.add("each item needs an 'id' and a 'label'", where)
            continue
        if item["id"] in seen:
            report.add(f"duplicate id {item['id']!r}", where)
        seen.add(item["id"])
        label = report.localised(item.get("label"), languages, where + ", label", required=["en"])
        spectrum = item.get("spectrum")
        if with_spectrum and not (isinstance(spectrum, (int, float)) and 0 <= spectrum <= 1):
            report.add("'spectrum' must be a number from 0 (personal) to 1 (automated)", where)
            spectrum = None
        cues = item.get("cues") or {}
        terms.append(Term(
            id=item["id"], label=label,
            definition=report.localised(item.get("definition", {}), languages,
                                        where + ", definition", required=[]),
            cues={k: list(v) for k, v in cues.items()} if isinstance(cues, dict) else {},
            spectrum=float(spectrum) if spectrum is not None else None,
        ))
    return terms


@functools.lru_cache(maxsize=1)
def load_domain() -> Domain:
    """The nine blocks, three motivations and four guiding questions (cached)."""
    path = _data_path("domain.yaml")
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
    return sorted(p.stem for p in _data_path("taxonomies").glob("*.yaml"))


def load_taxonomy(name_or_path: str | Path = DEFAULT_TAXONOMY) -> Taxonomy:
    """Load a shipped taxonomy by id (``"bmg2010"``, ``"strategyzer"``) or a YAML file.

    >>> load_taxonomy("strategyzer").type_ids[-2:]
    ['transactional', 'long_term']
    """
    text = str(name_or_path)
    if text in available_taxonomies():
        return _load_shipped(text)
    if not Path(text).suffix:
        raise InputError(f"unknown taxonomy {text!r}", choices=available_taxonomies(),
                         got=text)
    return _parse_taxonomy(read_data_file(text), text)


@functools.lru_cache(maxsize=8)
def _load_shipped(name: str) -> Taxonomy:
    path = _data_path("taxonomies", f"{name}.yaml")
    return _parse_taxonomy(read_data_file(path), str(path))


def parse_taxonomy_text(text: str, filename: str = "<taxonomy>") -> Taxonomy:
    return _parse_taxonomy(read_data_text(text, filename), filename)


def _parse_taxonomy(data: object, filename: str) -> Taxonomy:
    report = Report(filename)
    if not isinstance(data, dict):
        raise InputError("a taxonomy file is a mapping with 'id', 'name' and 'types'",
                         file=filename)
    languages = list(load_domain().languages)
    base: list[Term] = []
    if data.get("extends") is not None:
        if report.choice(data["extends"], available_taxonomies(), "extends", "taxonomy"):
            base = list(_load_shipped(data["extends"]).types)
    for key in ("id", "name"):
        if not isinstance(data.get(key), str):
            report.add(f"missing the field '{key}'", key)
    own = _terms(report, data.get("types"), "types", languages, with_spectrum=True)
    clash = {t.id for t in base} & {t.id for t in own}
    for type_id in sorted(clash):
        report.add(f"type {type_id!r} is already defined by {data['extends']!r}", "types")
    report.raise_if_any()
    return Taxonomy(
        id=data["id"], name=data["name"], source=str(data.get("source", "")),
        types=tuple(base + own),
        spectrum_tolerance=float(data.get("spectrum_tolerance", 0.1)),
    )
