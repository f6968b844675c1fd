"""Every loader answers a wrongly-typed value with an InputError, never a crash.

Each field of a good case, canvas and taxonomy file (and of the items nested in them) is
replaced in turn by values of the wrong kind, or removed; the file is written as YAML and read
back, as a user's file would be. Only InputError / ValidationErrors may come out, and their
messages must speak plain words (no Python class names) and name the file.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import yaml

from canvastools import InputError, ValidationErrors
from canvastools.model.canvas import parse_canvas_text
from canvastools.model.cases import parse_cases_text
from canvastools.model.taxonomy import parse_taxonomy_text

WRONG_VALUES: list[Any] = [
    ["a", "b"], ["self_service"], [], [[]], [{"a": 1}], [None], {"a": 1}, {"en": 5},
    {"en": ["x"]}, {5: "x"}, {}, 5, 2.5, -1, None, True, False, "", "x",
    datetime.date(2026, 1, 1),
]

GOOD_CASES: dict[str, Any] = {
    "taxonomy": "bmg2010",
    "cases": [{
        "id": "corner-bakery", "company": "Corner bakery",
        "description": {"en": "The baker knows regulars.", "it": "Il fornaio."},
        "types": ["personal_assistance"], "accepted": ["self_service"],
        "motivations": ["retention"],
        "explanation": {"en": "People serve people."}, "source": "Class notes",
    }],
}

GOOD_CANVAS: dict[str, Any] = {
    "title": "Nespresso", "language": "en", "taxonomy": "bmg2010",
    "segments": [{"id": "households", "name": "Households", "color": "#E69F00"}],
    "blocks": {
        "customer_relationships": [
            {"text": "Club", "segments": ["households"],
             "relationship": "dedicated_personal_assistance"},
            "Online ordering",
        ],
        "channels": ["Boutiques"],
    },
}

GOOD_TAXONOMY: dict[str, Any] = {
    "id": "mine", "name": "Mine", "source": "Class notes", "extends": "bmg2010",
    "spectrum_tolerance": 0.1,
    "types": [{
        "id": "concierge", "spectrum": 0.1, "label": {"en": "Concierge", "it": "Portiere"},
        "definition": {"en": "A person at your service."},
        "cues": {"en": ["a named person", "on call"]},
    }],
}

Path = tuple[Any, ...]


def places(data: Any, path: Path = ()) -> Iterator[Path]:
    """Every place of ``data`` (mapping keys and list items, at every depth)."""
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        return
    for key, value in items:
        yield (*path, key)
        yield from places(value, (*path, key))


def replaced(data: Any, path: Path, value: Any) -> Any:
    """A copy of ``data`` with the value at ``path`` replaced (or removed, for ``...``)."""
    data = copy.deepcopy(data)
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    if value is ...:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return data


def variants(good: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    yield "<whole file>", [good]
    for value in WRONG_VALUES:
        if value not in ({}, []):  # YAML would give "the file is empty"... or a valid {}
            yield f"<whole file> = {value!r}", value
    for path in places(good):
        yield f"{path} removed", replaced(good, path, ...)
        for value in WRONG_VALUES:
            yield f"{path} = {value!r}", replaced(good, path, value)


LOADERS: dict[str, tuple[dict[str, Any], Callable[[str, str], Any]]] = {
    "cases": (GOOD_CASES, parse_cases_text),
    "canvas": (GOOD_CANVAS, parse_canvas_text),
    "taxonomy": (GOOD_TAXONOMY, parse_taxonomy_text),
}


@pytest.mark.parametrize("kind", LOADERS)
def test_the_good_file_loads(kind):
    good, parse = LOADERS[kind]
    parse(yaml.safe_dump(good, allow_unicode=True), f"{kind}.yaml")


@pytest.mark.parametrize("kind", LOADERS)
def test_wrongly_typed_values_give_input_errors_never_a_crash(kind):
    good, parse = LOADERS[kind]
    crashes = []
    for label, data in variants(good):
        text = yaml.safe_dump(data, allow_unicode=True)
        try:
            parse(text, f"{kind}.yaml")
        except (InputError, ValidationErrors) as exc:
            message = str(exc)
            errors = exc.errors if isinstance(exc, ValidationErrors) else [exc]
            if "_LineDict" in message or "<class" in message or "NoneType" in message:
                crashes.append(f"{label}: internal name in {message!r}")
            if not all(e.file == f"{kind}.yaml" for e in errors):
                crashes.append(f"{label}: an error does not name the file: {message!r}")
        except Exception as exc:  # noqa: BLE001 - collecting every crash is the point
            crashes.append(f"{label}: {type(exc).__name__}: {exc}")
    assert crashes == []


@pytest.mark.parametrize("field", ["id", "company", "source", "types", "motivations",
                                   "description", "explanation"])
@pytest.mark.parametrize("value", [["a", "b"], {"a": 1}, 5, True, None])
def test_a_wrongly_typed_case_field_is_named_and_not_called_missing(field, value):
    data = replaced(GOOD_CASES, ("cases", 0, field), value)
    with pytest.raises((InputError, ValidationErrors)) as err:
        parse_cases_text(yaml.safe_dump(data), "cases.yaml")
    message = str(err.value)
    assert f"field '{field}'" in message and "missing the field" not in message


@pytest.mark.parametrize("kind", LOADERS)
@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_every_error_in_a_file_names_its_line(kind, suffix):
    """docs/formats.md promises the line: structural errors (unknown block or field, a value of
    the wrong kind, a missing field) name it too, in YAML and in JSON files."""
    import json

    good, parse = LOADERS[kind]
    unplaced = []
    for label, data in variants(good):
        if label.startswith("<whole file>"):
            continue  # the whole file is of the wrong kind: there is no line to point at
        text = (json.dumps(data, indent=2, default=str) if suffix == ".json"
                else yaml.safe_dump(data, allow_unicode=True))
        try:
            parse(text, f"{kind}{suffix}")
        except (InputError, ValidationErrors) as exc:
            errors = exc.errors if isinstance(exc, ValidationErrors) else [exc]
            unplaced += [f"{label}: {e}" for e in errors if "line " not in str(e)]
    assert unplaced == []
