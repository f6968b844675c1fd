"""Items files: an instructor's own graded items, with their keys, written in YAML.

``canvastools assignment new NAME --items FILE`` turns an items file into an nbgrader source
notebook (the widget cell with the texts, the hidden test with the keys);
``canvastools validate FILE`` checks it. The format (docs/formats.md, "Items files")::

    title: {en: Classify customer relationships, it: Classificare le relazioni}
    language: en                  # the notebook's language (default en)
    taxonomy: bmg2010             # optional (default bmg2010)
    choices: types                # types (default), motivations or questions
    points: 1                     # per item (default 1)
    partial: 0.5                  # share of the points for an accepted alternative
    pool: 3                       # optional: each student answers 3 items of the list
    objectives:                   # optional: id -> the words the report shows
      distinguish: distinguishes the six relationship types
    items:
      - id: genius-bar
        company: {en: Apple Genius Bar}
        description: {en: "Customers book a slot ...", it: "..."}
        key: personal_assistance          # or a list: all of them are required
        accepted: [automated_services]    # optional: partial credit
        explanation: {en: "A trained employee helps, but not one of your own."}
        objectives: [distinguish]

>>> items = parse_items_text('''
... title: Quiz
... items:
...   - {id: a, company: Acme, description: A named adviser per client,
...      key: dedicated_personal_assistance}
... ''', "quiz.yaml")
>>> items.items[0].key, items.points, items.pool
(('dedicated_personal_assistance',), 1.0, None)
>>> parse_items_text("title: Quiz\\nitems: []\\npool: 2\\n", "quiz.yaml")
Traceback (most recent call last):
...
canvastools.errors.InputError: quiz.yaml, field 'items' (line 2): the file has no items
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from canvastools._io.checks import Report, describe_value, entry_place, field_place, is_number
from canvastools._io.yamlio import read_data_file, read_data_text
from canvastools.model.taxonomy import DEFAULT_TAXONOMY, available_taxonomies, load_domain

__all__ = ["Item", "ItemsFile", "load_items", "parse_items", "parse_items_text",
           "looks_like_items", "choice_ids", "CHOICES"]

#: what the items are classified into (the widgets' and the grader's choice sets)
CHOICES = ("types", "motivations", "questions")
TOP_REQUIRED = ("title", "items")
TOP_OPTIONAL = ("language", "taxonomy", "choices", "points", "partial", "pool", "objectives",
                "intro")
ITEM_REQUIRED = ("id", "description", "key")
ITEM_OPTIONAL = ("company", "accepted", "explanation", "source", "objectives")


@dataclass(frozen=True)
class Item:
    """One graded item: its texts per language and its key (never released)."""

    id: str
    description: dict[str, str]
    key: tuple[str, ...]
    company: dict[str, str] = field(default_factory=dict)
    accepted: tuple[str, ...] = ()
    explanation: dict[str, str] = field(default_factory=dict)
    source: str = ""
    objectives: tuple[str, ...] = ()

    @property
    def multi(self) -> bool:
        """True when the key has several choices (all required)."""
        return len(self.key) > 1


@dataclass(frozen=True)
class ItemsFile:
    """A validated items file (see the module's docstring for the format)."""

    file: str
    title: dict[str, str]
    items: tuple[Item, ...]
    language: str = "en"
    taxonomy: str = DEFAULT_TAXONOMY
    choices: str = "types"
    points: float = 1.0
    partial: float = 0.5
    pool: int | None = None
    objectives: dict[str, str] = field(default_factory=dict)
    intro: dict[str, str] = field(default_factory=dict)

    @property
    def ids(self) -> list[str]:
        return [item.id for item in self.items]

    @property
    def count(self) -> int:
        """How many items each student answers: the pool size, else every item."""
        return self.pool or len(self.items)

    @property
    def total_points(self) -> float:
        """The points of the graded cell: ``points`` for each item a student answers."""
        return self.points * self.count

    @property
    def summary(self) -> str:
        """One line for ``canvastools validate``: what the file holds."""
        pool = f", each student answers {self.pool}" if self.pool else ""
        return (f"items file '{self.text(self.title)}', {len(self.items)} items{pool}, "
                f"{self.choices}")

    def text(self, texts: dict[str, str]) -> str:
        """``texts`` in the notebook's language, falling back to English."""
        return texts.get(self.language) or texts.get("en", "")


def looks_like_items(data: Any) -> bool:
    """True for data read from an items file (a mapping with ``items``), as ``validate``
    tells the kinds of file apart.

    >>> looks_like_items({"title": "Quiz", "items": []}), looks_like_items([{"id": "x"}])
    (True, False)
    """
    return isinstance(data, dict) and "items" in data and "blocks" not in data


def load_items(path: str | Path) -> ItemsFile:
    """Load and validate an items file; every mistake is reported at once, naming the file,
    the line and the valid choices."""
    return parse_items(read_data_file(path), str(path))


def parse_items_text(text: str, filename: str = "<items>") -> ItemsFile:
    return parse_items(read_data_text(text, filename), filename)


def choice_ids(choices: str, taxonomy: str = DEFAULT_TAXONOMY) -> list[str]:
    """The ids an item of the choice set ``choices`` may be classified into.

    >>> choice_ids("motivations")
    ['acquisition', 'retention', 'boosting_sales']
    """
    from canvastools.model.taxonomy import load_taxonomy

    domain = load_domain()
    if choices == "motivations":
        return domain.motivation_ids
    if choices == "questions":
        return domain.question_ids
    return load_taxonomy(taxonomy).type_ids


def _share(report: Report, data: dict[str, Any], name: str, default: float, low: float,
           high: float, what: str) -> float:
    if name not in data:
        return default
    value = report.number(data[name], field_place(None, name, data), low, high, what)
    return default if value is None else value


def _header(report: Report, data: dict[str, Any], languages: list[str]) -> dict[str, Any]:
    """The fields of the file around its items, checked."""
    found: dict[str, Any] = {}
    if "title" in data:
        found["title"] = report.localised(data["title"], languages,
                                          field_place(None, "title", data))
    if "intro" in data:
        found["intro"] = report.localised(data["intro"], languages,
                                          field_place(None, "intro", data))
    for name, choices, what in (("language", languages, "language"),
                                ("taxonomy", available_taxonomies(), "taxonomy"),
                                ("choices", list(CHOICES), "choice set")):
        if name in data and report.choice(data[name], choices, field_place(None, name, data),
                                          what):
            found[name] = data[name]
    found["points"] = _share(report, data, "points", 1.0, 0.0, 1000.0,
                             "points per item: a number from 0 to 1000")
    found["partial"] = _share(report, data, "partial", 0.5, 0.0, 1.0,
                              "partial: the share of an item's points for an accepted "
                              "alternative, a number from 0 to 1")
    objectives = data.get("objectives", {})
    where = field_place(None, "objectives", data)
    if not isinstance(objectives, dict):
        report.add("objectives is a mapping of an objective's id to its words "
                   "(distinguish: distinguishes the six types), got "
                   + describe_value(objectives), where)
        objectives = {}
    found["objectives"] = {str(key): text for key, value in objectives.items()
                           if (text := report.text(value, f"{where}, objective {key!r}"))}
    return found


def _pool(report: Report, data: dict[str, Any], size: int) -> int | None:
    if "pool" not in data or not size:
        return None
    value, where = data["pool"], field_place(None, "pool", data)
    if not is_number(value) or value != int(value) or value < 1:
        got = value if is_number(value) else describe_value(value)
        report.add("pool is how many items of the list each student answers, a whole number "
                   f"from 1 to {size}, got {got}", where)
        return None
    if value > size:
        report.add(f"a pool of {int(value)} items, but the file has only {size} items: a pool "
                   f"size from 1 to {size}", where)
        return None
    return int(value)


def _item(report: Report, entry: Any, where: str, valid: list[str], what: str,
          languages: list[str], objectives: dict[str, str]) -> Item | None:
    errors_before = len(report.errors)
    if not report.entry_fields(entry, ITEM_REQUIRED, ITEM_OPTIONAL, where, "an item"):
        return None
    item_id = report.text(entry["id"], field_place(where, "id", entry)) if "id" in entry else None

    def place(name: str) -> str:
        return field_place(where, name, entry)

    key = report.id_list(entry.get("key", []), valid, place("key"), what)
    if "key" in entry and not key and len(report.errors) == errors_before:
        report.add("the key is empty: name at least one " + what, place("key"),
                   choices=valid)
    accepted = report.id_list(entry.get("accepted") or [], valid, place("accepted"), what)
    for both in sorted(set(key) & set(accepted)):
        report.add(f"{both!r} is both in 'key' and in 'accepted'", where)
    texts = {name: report.localised(entry[name], languages, place(name))
             for name in ("description", "company", "explanation") if name in entry}
    source = report.text(entry["source"], place("source")) if "source" in entry else ""
    tags = report.id_list(entry.get("objectives") or [], list(objectives), place("objectives"),
                          "objective (an id of the file's 'objectives')")
    if len(report.errors) != errors_before:
        return None
    return Item(id=str(item_id), description=texts["description"], key=tuple(key),
                company=texts.get("company", {}), accepted=tuple(accepted),
                explanation=texts.get("explanation", {}), source=source or "",
                objectives=tuple(tags))


def parse_items(data: Any, filename: str) -> ItemsFile:
    """Validate the data of an items file; every problem is reported at once."""
    report = Report(filename)
    if not isinstance(data, dict):
        report.add("an items file is a mapping with 'title' and 'items' (and optional "
                   + ", ".join(TOP_OPTIONAL) + "), got " + describe_value(data))
        report.raise_if_any()
    languages = list(load_domain().languages)
    report.missing(data, TOP_REQUIRED, None)
    report.unknown_fields(data, TOP_REQUIRED + TOP_OPTIONAL, "top level")
    header = _header(report, data, languages)
    choices = header.get("choices", "types")
    what = {"types": "relationship type", "motivations": "motivation",
            "questions": "guiding question"}[choices]
    valid = choice_ids(choices, header.get("taxonomy", DEFAULT_TAXONOMY))
    entries = data.get("items", [])
    if not isinstance(entries, list):
        report.add("items is a list of items (each starting with '- id: ...'), got "
                   + describe_value(entries), field_place(None, "items", data))
        entries = []
    elif not entries and "items" in data:
        report.add("the file has no items", field_place(None, "items", data))
    items, seen = [], {}
    for index, entry in enumerate(entries, 1):
        where = entry_place(index, entry, items=entries)
        item = _item(report, entry, where, valid, what, languages, header["objectives"])
        item_id = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(item_id, str) and item_id in seen:
            report.add(f"duplicate id {item_id!r} (first used in entry {seen[item_id]})", where)
        elif isinstance(item_id, str):
            seen[item_id] = index
        if item is not None:
            items.append(item)
    pool = _pool(report, data, len(entries))
    report.raise_if_any()
    return ItemsFile(file=filename, title=header["title"], items=tuple(items),
                     language=header.get("language", "en"),
                     taxonomy=header.get("taxonomy", DEFAULT_TAXONOMY), choices=choices,
                     points=header["points"], partial=header["partial"], pool=pool,
                     objectives=header["objectives"], intro=header.get("intro", {}))
