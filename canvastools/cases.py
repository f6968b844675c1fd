"""Case banks: real companies' practices with the relationship types they illustrate.

>>> bank = load_cases()                        # the practice bank shipped with canvastools
>>> bank["ing-direct"].types
('automated_services',)
>>> [c.id for c in bank.filter(type="communities")][:1]
['glaxosmithkline-alli']
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .checks import Report, entry_place
from .errors import InputError
from .taxonomy import DEFAULT_TAXONOMY, Taxonomy, load_domain, load_taxonomy
from .yamlio import read_data_file, read_data_text

REQUIRED_FIELDS = ("id", "company", "description", "types", "motivations", "explanation", "source")
OPTIONAL_FIELDS = ("accepted",)


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

    def description_in(self, lang: str = "en") -> str:
        return self.description.get(lang) or self.description["en"]

    def explanation_in(self, lang: str = "en") -> str:
        return self.explanation.get(lang) or self.explanation["en"]

    @property
    def multi(self) -> bool:
        """True when the answer has several types (all required)."""
        return len(self.types) > 1


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
            raise InputError(f"no case with id {case_id!r}", file=self.file,
                             choices=list(self._by_id), got=str(case_id)) from None

    @property
    def ids(self) -> list[str]:
        return list(self._by_id)

    def filter(self, *, type: str | None = None, motivation: str | None = None) -> list[Case]:
        """Cases whose answer includes ``type`` and whose motivations include ``motivation``."""
        if type is not None and type not in self.taxonomy.type_ids:
            raise InputError(f"unknown relationship type {type!r}", where="--type",
                             choices=self.taxonomy.type_ids, got=type)
        motivations = load_domain().motivation_ids
        if motivation is not None and motivation not in motivations:
            raise InputError(f"unknown motivation {motivation!r}", where="--motivation",
                             choices=motivations, got=motivation)
        return [c for c in self.cases
                if (type is None or type in c.types)
                and (motivation is None or motivation in c.motivations)]

    def select(self, ids: list[str]) -> list[Case]:
        """The cases with these ids, in this order (unknown ids get a clear error)."""
        return [self[i] for i in ids]


def practice_bank_path() -> Path:
    return Path(str(resources.files("canvastools").joinpath("data", "cases.yaml")))


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


def parse_cases(data: Any, filename: str, taxonomy: str | Taxonomy | None = None) -> CaseBank:
    """Validate already-parsed case data; every problem is reported at once."""
    if isinstance(data, dict) and "cases" in data:
        if taxonomy is None:
            taxonomy = data.get("taxonomy", DEFAULT_TAXONOMY)
        data = data["cases"]
    if not isinstance(taxonomy, Taxonomy):
        taxonomy = load_taxonomy(taxonomy or DEFAULT_TAXONOMY)
    if not isinstance(data, list):
        raise InputError("a case file is a list of cases (each starting with '- id: ...')",
                         file=filename)
    if not data:
        raise InputError("the file has no cases", file=filename)
    report = Report(filename)
    domain = load_domain()
    languages = list(domain.languages)
    cases, seen = [], {}
    for index, entry in enumerate(data, 1):
        where = entry_place(index, entry)
        if not isinstance(entry, dict):
            report.add("a case is a mapping with the fields " + ", ".join(REQUIRED_FIELDS), where)
            continue
        for key in REQUIRED_FIELDS:
            if key not in entry:
                report.add(f"missing the field '{key}'", where)
        for key in entry:
            if key not in REQUIRED_FIELDS + OPTIONAL_FIELDS:
                report.add(f"unknown field {key!r}", where,
                           choices=list(REQUIRED_FIELDS + OPTIONAL_FIELDS), got=str(key))
        case_id = entry.get("id")
        if case_id in seen:
            report.add(f"duplicate id {case_id!r} (first used in entry {seen[case_id]})", where)
        elif isinstance(case_id, str):
            seen[case_id] = index
        types = report.id_list(entry.get("types", []), taxonomy.type_ids,
                               where + ", field 'types'", "relationship type")
        accepted = report.id_list(entry.get("accepted") or [], taxonomy.type_ids,
                                  where + ", field 'accepted'", "relationship type")
        for both in sorted(set(types) & set(accepted)):
            report.add(f"{both!r} is both in 'types' and in 'accepted'", where)
        motivations = report.id_list(entry.get("motivations", []), domain.motivation_ids,
                                     where + ", field 'motivations'", "motivation")
        description = report.localised(entry.get("description", {"en": "x"}), languages,
                                       where + ", field 'description'")
        explanation = report.localised(entry.get("explanation", {"en": "x"}), languages,
                                       where + ", field 'explanation'")
        if all(k in entry for k in REQUIRED_FIELDS):
            cases.append(Case(
                id=str(case_id), company=str(entry["company"]), description=description,
                types=tuple(types), accepted=tuple(accepted), motivations=tuple(motivations),
                explanation=explanation, source=str(entry["source"]), taxonomy=taxonomy.id,
            ))
    report.raise_if_any()
    return CaseBank(cases, taxonomy, filename)
