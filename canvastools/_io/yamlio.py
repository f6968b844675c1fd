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

import bisect
import json
import json.decoder
import json.scanner
import os
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from canvastools._io.messages import Msg
from canvastools.errors import InputError, ValidationErrors

#: Limits on what one file may hold, checked before the data is built, so that a huge or
#: runaway file is refused at once with the limit named (docs/formats.md, "Limits").
MAX_FILE_BYTES = 1_000_000        # a canvas is a few kB; the practice bank, 45 cases, 70 kB
MAX_LIST_ITEMS = 1_000            # items of any one list: cases, notes of a block, types...
MAX_TEXT_CHARS = 5_000            # characters of any one text (a case description, a note)
LIMITS_DOC = Msg("limits_doc")   # "see docs/formats.md, Limits"


class _LineDict(dict):
    """A dict that knows the line it started on in its file (1-based), and those of its keys."""

    line: int | None = None
    _key_lines: dict[Any, int] | None = None
    _json: tuple[_JsonSource, int, int] | None = None   # where it is in a JSON text

    def placed(self, line: int, *, key_lines: dict[Any, int] | None = None,
               json_span: tuple[_JsonSource, int, int] | None = None) -> _LineDict:
        """This dict, told its line and its keys' lines (or where it is in a JSON text)."""
        self.line, self._key_lines, self._json = line, key_lines, json_span
        return self

    def key_line(self, key: Any) -> int | None:
        if self._key_lines is None and self._json is not None:
            source, start, end = self._json
            self._key_lines = {k: lines[0] for k, lines in
                               _json_key_lines(source, start, end).items()}
        try:
            return (self._key_lines or {}).get(key)
        except TypeError:  # an unhashable key
            return None


class _LineList(list):
    """A list that knows the line it started on (1-based), and those of its items."""

    line: int | None = None
    _item_lines: list[int] | None = None
    _json: tuple[_JsonSource, int, int] | None = None

    def placed(self, line: int, *, item_lines: list[int] | None = None,
               json_span: tuple[_JsonSource, int, int] | None = None) -> _LineList:
        """This list, told its line and its items' lines (or where it is in a JSON text)."""
        self.line, self._item_lines, self._json = line, item_lines, json_span
        return self

    def item_line(self, index: int) -> int | None:
        if self._item_lines is None and self._json is not None:
            source, start, end = self._json
            self._item_lines = _json_item_lines(source, start, end)
        lines = self._item_lines or []
        return lines[index] if 0 <= index < len(lines) else None


class _TooBig(Exception):
    """A limit was passed while reading (raised inside the parser, turned into InputError)."""

    def __init__(self, message: Msg, line: int | None) -> None:
        super().__init__(message)
        self.message, self.line = message, line


def _too_many(count: int, line: int | None) -> _TooBig:
    return _TooBig(Msg("too_many_items", count=count, limit=MAX_LIST_ITEMS, doc=LIMITS_DOC),
                   line)


def _too_long(length: int, line: int | None) -> _TooBig:
    return _TooBig(Msg("too_long_text", count=length, limit=MAX_TEXT_CHARS, doc=LIMITS_DOC),
                   line)


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml when PyYAML has it


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    #: (key, line, first line) of every key written twice in one mapping
    duplicates: list[tuple[str, int, int]]


def shipped_data_path(*parts: str) -> Path:
    """A file or folder of the data shipped in the package, ``canvastools/data/...``.

    >>> shipped_data_path("taxonomies", "bmg2010.yaml").name
    'bmg2010.yaml'
    """
    return Path(str(resources.files("canvastools").joinpath("data", *parts)))

def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _LineDict:
    if len(node.value) > MAX_LIST_ITEMS:
        raise _too_many(len(node.value), node.start_mark.line + 1)
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
    return _LineDict(loader.construct_mapping(node, deep=True)).placed(
        node.start_mark.line + 1, key_lines=first_lines)


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> _LineList:
    if len(node.value) > MAX_LIST_ITEMS:
        raise _too_many(len(node.value), node.start_mark.line + 1)
    return _LineList(loader.construct_sequence(node, deep=True)).placed(
        node.start_mark.line + 1, item_lines=[item.start_mark.line + 1 for item in node.value])


def _construct_text(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    if len(node.value) > MAX_TEXT_CHARS:
        raise _too_long(len(node.value), node.start_mark.line + 1)
    return loader.construct_yaml_str(node)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG, _construct_text)


def line_of(value: Any) -> int | None:
    """The 1-based line a mapping or list read by this module started on, or None."""
    return getattr(value, "line", None)


def line_of_key(mapping: Any, key: Any) -> int | None:
    """The 1-based line of ``key`` in a mapping read by this module, or None.

    >>> line_of_key(read_data_text("title: A\\nblocks: {}\\n", "c.yaml"), "blocks")
    2
    """
    return mapping.key_line(key) if isinstance(mapping, _LineDict) else None


def line_of_item(items: Any, index: int) -> int | None:
    """The 1-based line of ``items[index]`` (0-based) in a list read by this module, or None.

    >>> line_of_item(read_data_text('["a",\\n "b"]', "c.json"), 1)
    2
    """
    return items.item_line(index) if isinstance(items, _LineList) else None


def _duplicate_errors(duplicates: list[tuple[str, int, int]], filename: str) -> None:
    """Raise one InputError per key written twice (all of them at once), if any."""
    errors = [InputError(Msg("duplicate_key", key=key, first=first), file=filename,
                         where=Msg("line", line=line))
              for key, line, first in duplicates]
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ValidationErrors(errors)


class _JsonSource:
    """A JSON text, with the offsets of its line breaks for quick line look-ups."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._breaks: list[int] | None = None

    def line_at(self, index: int) -> int:
        if self._breaks is None:
            self._breaks = [i for i, char in enumerate(self.text) if char == "\n"]
        return bisect.bisect_left(self._breaks, index) + 1


def _skip_string(text: str, i: int) -> int:
    """The index just after the JSON string that starts at ``text[i] == '"'``."""
    close = i + 1
    while text[close] != '"':
        close += 2 if text[close] == "\\" else 1
    return close + 1


def _json_key_lines(source: _JsonSource, start: int, end: int) -> dict[str, list[int]]:
    """The lines of the keys of the JSON object whose body is ``text[start:end]`` (its own
    keys only, not those of the objects nested in it)."""
    text = source.text
    lines: dict[str, list[int]] = {}
    depth, i = 0, start
    while i < end:
        char = text[i]
        if char == '"':
            after = close = _skip_string(text, i)
            while after < end and text[after] in " \t\r\n":
                after += 1
            if depth == 0 and after < end and text[after] == ":":
                lines.setdefault(json.loads(text[i:close]), []).append(source.line_at(i))
            i = close
            continue
        if char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
        i += 1
    return lines


def _json_item_lines(source: _JsonSource, start: int, end: int) -> list[int]:
    """The lines where the items of the JSON array whose body is ``text[start:end]`` start."""
    text = source.text
    lines: list[int] = []
    depth, i, expecting = 0, start, True
    while i < end:
        char = text[i]
        if char in " \t\r\n":
            i += 1
            continue
        if expecting and depth == 0:
            lines.append(source.line_at(i))
            expecting = False
        if char == '"':
            i = _skip_string(text, i)
            continue
        if char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
        elif char == "," and depth == 0:
            expecting = True
        i += 1
    return lines


class _JsonReader:
    """``json`` parsing hooks: objects and arrays that know their lines, keys written twice
    collected, the limits on lists and texts checked."""

    def __init__(self, text: str) -> None:
        self.source = _JsonSource(text)
        self.duplicates: list[tuple[str, int, int]] = []

    def check_texts(self, values: Any, start: int) -> None:
        for value in values:
            if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
                raise _too_long(len(value), self.source.line_at(start))

    def parse_object(self, s_and_end: tuple[str, int], strict: bool, scan_once: Any,
                     object_hook: Any, object_pairs_hook: Any,
                     memo: Any = None) -> tuple[dict[str, Any], int]:
        start = s_and_end[1]
        pairs, end = json.decoder.JSONObject(s_and_end, strict, scan_once, None, list, memo)
        if len(pairs) > MAX_LIST_ITEMS:
            raise _too_many(len(pairs), self.source.line_at(start))
        self.check_texts((v for pair in pairs for v in pair), start)
        keys = [key for key, _ in pairs]
        if len(set(keys)) != len(keys):
            for key, lines in _json_key_lines(self.source, start, end - 1).items():
                self.duplicates.extend((key, line, lines[0]) for line in lines[1:])
        return _LineDict(pairs).placed(self.source.line_at(start - 1),
                                       json_span=(self.source, start, end - 1)), end

    def parse_array(self, s_and_end: tuple[str, int], scan_once: Any) -> tuple[list[Any], int]:
        start = s_and_end[1]
        values, end = json.decoder.JSONArray(s_and_end, scan_once)
        if len(values) > MAX_LIST_ITEMS:
            raise _too_many(len(values), self.source.line_at(start))
        self.check_texts(values, start)
        return _LineList(values).placed(self.source.line_at(start - 1),
                                        json_span=(self.source, start, end - 1)), end

    def decoder(self) -> json.JSONDecoder:
        decoder = json.JSONDecoder()
        decoder.parse_object = self.parse_object  # type: ignore[assignment]
        decoder.parse_array = self.parse_array  # type: ignore[assignment]
        decoder.scan_once = json.scanner.py_make_scanner(decoder)  # the C scanner ignores them
        return decoder


def _read_json(text: str, filename: str) -> Any:
    """``json.loads``, but a key written twice in one object is an error, not "last wins";
    objects and arrays know their lines, and the limits on lists and texts hold."""
    reader = _JsonReader(text)
    decoder = reader.decoder()
    try:
        data = decoder.decode(text)
    except json.JSONDecodeError as exc:
        raise InputError(Msg("json_syntax", problem=exc.msg), file=filename,
                         where=Msg("line_column", line=exc.lineno, column=exc.colno)) from None
    except _TooBig as exc:
        raise _limit_error(exc, filename) from None
    except RecursionError:
        raise InputError(Msg("nested_too_deeply"), file=filename) from None
    if isinstance(data, str) and len(data) > MAX_TEXT_CHARS:
        raise _limit_error(_too_long(len(data), 1), filename)
    _duplicate_errors(sorted(reader.duplicates, key=lambda d: d[1]), filename)
    return data


def _limit_error(exc: _TooBig, filename: str) -> InputError:
    return InputError(Msg("too_big", problem=exc.message), file=filename,
                      where=Msg("line", line=exc.line) if exc.line else None)


#: contexts in which a YAML parser notices a mistake only later: the mistake is where the
#: context started (an opening quote or bracket never closed, a key without its ':')
_STARTED_AT_CONTEXT = ("while scanning a quoted scalar", "while parsing a flow sequence",
                       "while parsing a flow mapping", "while scanning a simple key")


def _code(character: int | str) -> int:
    return character if isinstance(character, int) else ord(character)


def _yaml_error(exc: yaml.YAMLError, text: str, filename: str) -> InputError:
    """A YAML syntax error as an InputError placed on the line of the mistake.

    The parser reports where it noticed the problem; for an unclosed quote or bracket, or a
    key without ':', that is a later line than the mistake, so the error names the line where
    the quote, bracket or key started, and says where the parser noticed.
    """
    problem = getattr(exc, "problem", None) or ""
    context = getattr(exc, "context", None) or ""
    mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    lines = text.splitlines()
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        return InputError(Msg("yaml_control_character", code=_code(exc.character)),
                          file=filename, where=Msg("line", line=line))
    noticed: Msg | str = ""
    if context_mark is not None and context in _STARTED_AT_CONTEXT and (
            mark is None or context_mark.line < mark.line or "expected ':'" in problem):
        if mark is not None and mark.line != context_mark.line:
            noticed = Msg("yaml_noticed", line=mark.line + 1)
        mark = context_mark
    message: Msg | str
    if "expected ':'" in problem:
        message = Msg("yaml_key_without_colon")
    elif context == "while scanning a quoted scalar":
        message = Msg("yaml_unclosed_quote")
    elif context.startswith("while parsing a flow"):
        bracket = "[" if "sequence" in context else "{"
        message = Msg("yaml_unclosed_bracket", bracket=bracket, problem=problem)
    elif mark is not None and mark.line < len(lines) and mark.column < len(lines[mark.line]) \
            and lines[mark.line][mark.column] == "\t":
        message = Msg("yaml_tab")
    else:
        message = problem or str(exc)
        if context and context not in message:
            message += f" ({context})"
    where = (Msg("line_column", line=mark.line + 1, column=mark.column + 1)
             if mark is not None else None)
    return InputError(Msg("yaml_syntax", problem=message, noticed=noticed), file=filename,
                      where=where)


def read_data_text(text: str, filename: str) -> Any:
    """Parse YAML (or JSON, by file suffix) text; raise InputError naming the file and line.

    A key written twice in one mapping is an error naming both lines. A text longer than
    ``MAX_FILE_BYTES`` characters, a list longer than ``MAX_LIST_ITEMS`` and a text value
    longer than ``MAX_TEXT_CHARS`` are refused with the limit named, before the data is built.
    """
    if len(text) > MAX_FILE_BYTES:
        raise InputError(Msg("too_big", problem=Msg("too_many_characters", count=len(text),
                                                     limit=MAX_FILE_BYTES, doc=LIMITS_DOC)),
                         file=filename)
    if not text.strip():
        raise InputError(Msg("file_empty"), file=filename)
    text = text.removeprefix("\ufeff")       # a byte-order mark some editors write
    if filename.endswith(".json"):
        return _read_json(text, filename)
    loader = _LineLoader(text)
    loader.duplicates = []
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, text, filename) from None
    except _TooBig as exc:
        raise _limit_error(exc, filename) from None
    except RecursionError:
        raise InputError(Msg("nested_too_deeply"), file=filename) from None
    finally:
        loader.dispose()
    _duplicate_errors(loader.duplicates, filename)
    if data is None:
        raise InputError(Msg("file_empty"), file=filename)
    return data


def _megabytes(size: int) -> Msg:
    if size >= 10_000_000:
        return Msg("size_mb", mb=f"{size / 1_000_000:.1f}")
    return Msg("size_bytes", n=size)


_SIZE_LIMIT = Msg("size_limit", mb=f"{MAX_FILE_BYTES / 1_000_000:g}", n=MAX_FILE_BYTES)


def read_data_file(path: str | Path) -> Any:
    """Read a YAML or JSON file; every error names the file (and the line, where it has one).

    A file bigger than ``MAX_FILE_BYTES`` is refused before it is read.
    """
    path = Path(path)
    name = str(path)
    try:
        with open(path, "rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise InputError(Msg("too_big", problem=Msg(
                    "too_big_file", size=_megabytes(size), limit=_SIZE_LIMIT, doc=LIMITS_DOC)),
                    file=name)
            raw = stream.read(MAX_FILE_BYTES + 1)     # not a regular file: read no further
    except FileNotFoundError:
        raise InputError(Msg("no_such_file"), file=name) from None
    except IsADirectoryError:
        raise InputError(Msg("is_folder"), file=name) from None
    except OSError as exc:  # permission denied, a broken disk, a name that is too long...
        raise InputError(Msg("cannot_read", reason=exc.strerror or exc), file=name) from None
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(Msg("too_big", problem=Msg("too_big_stream", limit=_SIZE_LIMIT,
                                                    doc=LIMITS_DOC)), file=name)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(Msg("not_utf8", at=exc.start, byte=raw[exc.start]), file=name,
                         where=Msg("line_column", line=line, column=column)) from None
    return read_data_text(text, name)
