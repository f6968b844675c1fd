"""Read YAML or JSON files, remembering the line of every mapping for error messages.

>>> data = read_data_text("- id: a\\n- id: b\\n", "cases.yaml")
>>> line_of(data[1])
2

A key written twice in one mapping is a mistake, not "the last one wins" (the first value
would be lost without a word):

>>> try:
...     read_data_text("title: A\\nblocks: {}\\ntitle: B\\n", "canvas.yaml")
... except InputError as err:
...     print(err)
canvas.yaml, line 3: duplicate key 'title' (first at line 1): write each key once (merge the two)
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, ValidationErrors


class _LineDict(dict):
    """A dict that knows the line it started on in its file (1-based)."""

    line: int | None = None


class _LineLoader(yaml.SafeLoader):
    #: (key, line, first line) of every key written twice in one mapping
    duplicates: list[tuple[str, int, int]]



def shipped_data_path(*parts: str) -> Path:
    """A file or folder of the data shipped in the package, ``canvastools/data/...``.

    >>> shipped_data_path("taxonomies", "bmg2010.yaml").name
    'bmg2010.yaml'
    """
    return Path(str(resources.files("canvastools").joinpath("data", *parts)))

def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _LineDict:
    first_lines: dict[Any, int] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            continue  # "<<" merges may be overridden on purpose; odd keys fail below
        key = loader.construct_object(key_node)
        line = key_node.start_mark.line + 1
        try:
            if key in first_lines:
                loader.duplicates.append((str(key), line, first_lines[key]))
            else:
                first_lines[key] = line
        except TypeError:  # an unhashable key: construct_mapping reports it
            continue
    mapping = _LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def line_of(value: Any) -> int | None:
    """The 1-based line a mapping read by this module started on, or None."""
    return getattr(value, "line", None)


def _duplicate_errors(duplicates: list[tuple[str, int, int]], filename: str) -> None:
    """Raise one InputError per key written twice (all of them at once), if any."""
    errors = [InputError(f"duplicate key {key!r} (first at line {first}): write each key once "
                         "(merge the two)", file=filename, where=f"line {line}")
              for key, line, first in duplicates]
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ValidationErrors(errors)


def _line_at(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _json_key_lines(text: str, start: int, end: int) -> dict[str, list[int]]:
    """The lines of the keys of the JSON object whose body is ``text[start:end]`` (its own
    keys only, not those of the objects nested in it)."""
    lines: dict[str, list[int]] = {}
    depth, i = 0, start
    while i < end:
        char = text[i]
        if char == '"':
            close = i + 1
            while text[close] != '"':
                close += 2 if text[close] == "\\" else 1
            after = close + 1
            while after < end and text[after] in " \t\r\n":
                after += 1
            if depth == 0 and after < end and text[after] == ":":
                lines.setdefault(json.loads(text[i:close + 1]), []).append(_line_at(text, i))
            i = close + 1
            continue
        if char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
        i += 1
    return lines


def _read_json(text: str, filename: str) -> Any:
    """``json.loads``, but a key written twice in one object is an error, not "last wins"."""
    duplicates: list[tuple[str, int, int]] = []

    def parse_object(s_and_end: tuple[str, int], strict: bool, scan_once: Any, object_hook: Any,
                     object_pairs_hook: Any, memo: Any = None) -> tuple[dict[str, Any], int]:
        pairs, end = json.decoder.JSONObject(s_and_end, strict, scan_once, None, list, memo)
        keys = [key for key, _ in pairs]
        if len(set(keys)) != len(keys):
            for key, lines in _json_key_lines(s_and_end[0], s_and_end[1], end - 1).items():
                duplicates.extend((key, line, lines[0]) for line in lines[1:])
        return dict(pairs), end

    decoder = json.JSONDecoder()
    decoder.parse_object = parse_object  # type: ignore[assignment]
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # the C scanner ignores it
    try:
        data = decoder.decode(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"JSON syntax error: {exc.msg}", file=filename,
                         where=f"line {exc.lineno}") from None
    except RecursionError:
        raise InputError("the data is nested too deeply", file=filename) from None
    _duplicate_errors(sorted(duplicates, key=lambda d: d[1]), filename)
    return data


def read_data_text(text: str, filename: str) -> Any:
    """Parse YAML (or JSON, by file suffix) text; raise InputError naming the file and line.

    A key written twice in one mapping is an error naming both lines.
    """
    if not text.strip():
        raise InputError("the file is empty", file=filename)
    if filename.endswith(".json"):
        return _read_json(text, filename)
    loader = _LineLoader(text)
    loader.duplicates = []
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"YAML syntax error: {problem}", file=filename, where=where) from None
    finally:
        loader.dispose()
    _duplicate_errors(loader.duplicates, filename)
    if data is None:
        raise InputError("the file is empty", file=filename)
    return data


def read_data_file(path: str | Path) -> Any:
    """Read a YAML or JSON file; every error names the file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such file", file=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("the file is not UTF-8 text", file=str(path)) from None
    except IsADirectoryError:
        raise InputError("this is a folder, not a file", file=str(path)) from None
    except OSError as exc:  # permission denied, a broken disk, a name that is too long...
        raise InputError(f"cannot read ({exc.strerror or exc})", file=str(path)) from None
    return read_data_text(text, str(path))
