"""Case banks: real companies' practices with the relationship types they illustrate.

>>> bank = load_cases()                        # the practice bank shipped with canvastools
>>> bank["ing-direct"].types
('automated_services',)
>>> [c.id for c in bank.filter(type="communities")][:1]
['glaxosmithkline-alli']
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from canvastools._io.checks import (
    Report,
    at_line,
    entry_place,
    field_place,
    unknown,
    value_kind,
)
from canvastools._io.messages import Msg
from canvastools._io.texts import pick_text
from canvastools._io.yamlio import line_of, read_data_file, read_data_text, shipped_data_path
from canvastools.errors import InputError
from canvastools.model.taxonomy import (
    DEFAULT_TAXONOMY,
    Taxonomy,
    check_lang,
    load_domain,
    load_taxonomy,
    taxonomy_from_field,
)

REQUIRED_FIELDS = ("id", "company", "description", "types", "motivations", "explanation", "source")
OPTIONAL_FIELDS = ("accepted",)
HEADER_FIELDS = ("taxonomy", "cases")


@dataclass(frozen=True)
class Case:
    """One real practice to classify."""

    id: str
    company: str
    description: dict[str, str]
    types: tuple[str, ...]
    accepted: tuple[str, ...]
    motivations: tuple[str, ...]
    explanation: dict[str, str]
    source: str
    taxonomy: str = DEFAULT_TAXONOMY
    companies: dict[str, str] = field(default_factory=dict)  # company: {en:, it:} in the file
    sources: dict[str, str] = field(default_factory=dict)  # source: {en:, it:} in the file

    def company_in(self, lang: str = "en") -> str:
        """The company (the case's title) in ``lang``, falling back to ``company``.

        >>> load_cases()["atms"].company_in("it")
        'Sportelli bancomat'
        """
        return self.companies.get(check_lang(lang)) or self.company

    def source_in(self, lang: str = "en") -> str:
        """Where the case comes from, in ``lang`` when the file gives it in several languages.

        >>> load_cases()["atms"].source_in("it") == load_cases()["atms"].source
        True
        """
        return self.sources.get(check_lang(lang)) or self.source

    def description_in(self, lang: str = "en") -> str:
        """The description in ``lang`` (a language id), falling back to English."""
        return pick_text(self.description, check_lang(lang))

    def explanation_in(self, lang: str = "en") -> str:
        """The explanation in ``lang`` (a language id), falling back to English."""
        return pick_text(self.explanation, check_lang(lang))

    @property
    def multi(self) -> bool:
        """True when the answer has several types (all required)."""
        return len(self.types) > 1

    @property
    def motivations_only(self) -> bool:
        """True for a case that illustrates motivations only (``types: []``): nothing to classify.

        >>> load_cases()["mobile-operators"].motivations_only
        True
        """
        return not self.types


class CaseBank:
    """An ordered, validated collection of cases that all use one taxonomy."""

    def __init__(self, cases: list[Case], taxonomy: Taxonomy, file: str = "<cases>") -> None:
        self.cases = tuple(cases)
        self.taxonomy = taxonomy
        self.file = file
        self._by_id = {c.id: c for c in self.cases}

    def __iter__(self) -> Iterator[Case]:
        return iter(self.cases)

    def __len__(self) -> int:
        return len(self.cases)

    def __contains__(self, case_id: object) -> bool:
        return case_id in self._by_id

    def __getitem__(self, case_id: str) -> Case:
        try:
            return self._by_id[case_id]
        except KeyError:
            raise InputError(Msg("no_case", value=case_id), file=self.file,
                             choices=list(self._by_id), got=str(case_id)) from None

    @property
    def ids(self) -> list[str]:
        return list(self._by_id)

    def filter(self, *, type: str | None = None, motivation: str | None = None) -> list[Case]:
        """Cases whose answer includes ``type`` and whose motivations include ``motivation``."""
        if type is not None and type not in self.taxonomy.type_ids:
            raise InputError(unknown("relationship type", type), where="--type",
                             choices=self.taxonomy.type_ids, got=type)
        motivations = load_domain().motivation_ids
        if motivation is not None and motivation not in motivations:
            raise InputError(unknown("motivation", motivation), where="--motivation",
                             choices=motivations, got=motivation)
        return [c for c in self.cases
                if (type is None or type in c.types)
                and (motivation is None or motivation in c.motivations)]

    def classifiable(self) -> list[Case]:
        """The cases with at least one relationship type: those a student can classify.

        Cases with ``types: []`` illustrate the motivations only (the book's mobile operators).

        >>> bank = load_cases()
        >>> "mobile-operators" in [c.id for c in bank.classifiable()]
        False
        >>> all(case.types for case in bank.classifiable())
        True
        """
        return [c for c in self.cases if c.types]

    def select(self, ids: list[str]) -> list[Case]:
        """The cases with these ids, in this order (unknown ids get a clear error)."""
        return [self[i] for i in ids]


def practice_bank_path() -> Path:
    return shipped_data_path("cases.yaml")


def load_cases(path: str | Path | None = None, taxonomy: str | Taxonomy | None = None) -> CaseBank:
    """Load and validate a case file (default: the practice bank shipped with canvastools).

    The file is a list of cases, or a mapping ``{taxonomy: ID, cases: [...]}`` naming the
    taxonomy its types come from (default ``bmg2010``).
    """
    path = Path(path) if path is not None else practice_bank_path()
    return parse_cases(read_data_file(path), str(path), taxonomy)


def parse_cases_text(text: str, filename: str = "<cases>",
                     taxonomy: str | Taxonomy | None = None) -> CaseBank:
    return parse_cases(read_data_text(text, filename), filename, taxonomy)


def _parse_case(report: Report, entry: Any, index: int, data: list[Any], taxonomy: Taxonomy,
                seen: dict[str, int]) -> Case | None:
    """One entry of a case file as a Case; None (its problems in ``report``) when it has any.
    ``seen``: case id -> the entry that used it first (updated)."""
    domain = load_domain()
    languages = list(domain.languages)
    where = entry_place(index, entry, items=data)
    errors_before = len(report.errors)
    if not report.entry_fields(entry, REQUIRED_FIELDS, OPTIONAL_FIELDS, where,
                               Msg("a_case")):
        return None
    case_id = (report.text(entry["id"], field_place(where, "id", entry)) if "id" in entry
               else None)
    if case_id is not None and case_id in seen:
        report.add(Msg("duplicate_case_id", value=case_id, first=seen[case_id]), where)
    elif case_id is not None:
        seen[case_id] = index
    texts = {key: report.text(entry[key], field_place(where, key, entry))
             for key in ("company", "source")
             if key in entry and not isinstance(entry[key], dict)}
    localised = {key: report.localised(entry[key], languages, field_place(where, key, entry))
                 for key in ("company", "source") if isinstance(entry.get(key), dict)}
    companies, sources = localised.get("company", {}), localised.get("source", {})
    for key, texts_in in (("company", companies), ("source", sources)):
        if texts_in.get("en"):
            texts[key] = texts_in["en"]
    types = report.id_list(entry.get("types", []), taxonomy.type_ids,
                           field_place(where, "types", entry), "relationship type")
    accepted = report.id_list(entry.get("accepted") or [], taxonomy.type_ids,
                              field_place(where, "accepted", entry), "relationship type")
    for both in sorted(set(types) & set(accepted)):
        report.add(Msg("type_and_accepted", value=both), where)
    motivations = report.id_list(entry.get("motivations", []), domain.motivation_ids,
                                 field_place(where, "motivations", entry), "motivation")
    if entry.get("types") == [] and entry.get("accepted"):
        report.add(Msg("accepted_without_types"), field_place(where, "accepted", entry))
    if entry.get("types") == [] and entry.get("motivations") == []:
        report.add(Msg("case_needs_type"), where)
    description = report.localised(entry.get("description", {"en": "x"}), languages,
                                   field_place(where, "description", entry))
    explanation = report.localised(entry.get("explanation", {"en": "x"}), languages,
                                   field_place(where, "explanation", entry))
    if len(report.errors) != errors_before:
        return None
    return Case(
        id=str(case_id), company=str(texts["company"]), description=description,
        types=tuple(types), accepted=tuple(accepted), motivations=tuple(motivations),
        explanation=explanation, source=str(texts["source"]), taxonomy=taxonomy.id,
        companies=companies, sources=sources,
    )


def parse_cases(data: Any, filename: str, taxonomy: str | Taxonomy | None = None) -> CaseBank:
    """Validate already-parsed case data; every problem is reported at once.

    A ``taxonomy:`` header naming a file is read relative to the folder of ``filename``.
    """
    report = Report(filename)
    place = at_line(Msg("top_level"), line_of(data))
    if isinstance(data, dict) and "cases" in data:
        place = field_place(None, "cases", data)
        report.unknown_fields(data, HEADER_FIELDS, Msg("top_level"))
        if taxonomy is None and "taxonomy" in data:
            taxonomy, _ = taxonomy_from_field(report, data["taxonomy"], Path(filename).parent,
                                              field_place(None, "taxonomy", data))
            if taxonomy is None:  # the cases cannot be checked without their taxonomy
                report.raise_if_any()
        data = data["cases"]
    if not isinstance(taxonomy, Taxonomy):
        taxonomy = load_taxonomy(taxonomy or DEFAULT_TAXONOMY)
    if not isinstance(data, list):
        report.add(Msg("cases_not_list", got=value_kind(data)), place)
        report.raise_if_any()
    if not data:
        report.add(Msg("no_cases"), place)
        report.raise_if_any()
    cases, seen = [], {}
    for index, entry in enumerate(data, 1):
        case = _parse_case(report, entry, index, data, taxonomy, seen)
        if case is not None:
            cases.append(case)
    report.raise_if_any()
    return CaseBank(cases, taxonomy, filename)
