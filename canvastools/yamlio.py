"""Read YAML or JSON files, remembering the line of every mapping for error messages.

>>> data = read_data_text("- id: a\\n- id: b\\n", "cases.yaml")
>>> line_of(data[1])
2
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError


class _LineDict(dict):
    """A dict that knows the line it started on in its file (1-based)."""

    line: int | None = None


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _LineDict:
    mapping = _LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def line_of(value: Any) -> int | None:
    """The 1-based line a mapping read by this module started on, or None."""
    return getattr(value, "line", None)


def read_data_text(text: str, filename: str) -> Any:
    """Parse YAML (or JSON, by file suffix) text; raise InputError naming the file and line."""
    if not text.strip():
        raise InputError("the file is empty", file=filename)
    if filename.endswith(".json"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"JSON syntax error: {exc.msg}", file=filename, where=f"line {exc.lineno}"
            ) from None
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"YAML syntax error: {problem}", file=filename, where=where) from None
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
