"""The students of a course as the LMS knows them: a roster CSV (``canvastools export``).

A header row, then one student a row; comma, semicolon or tab; UTF-8 (a BOM is fine). The
columns are found by their header (case, spaces and punctuation ignored), so Canvas's
gradebook export and Moodle's grade export are rosters as they are::

    from canvastools.commands.roster import read_roster

    roster = read_roster("canvas-export.csv")          # match="login" (it has SIS Login ID)
    roster.entries[0].sortable_name                     # 'Lovelace, Ada'
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

from canvastools.errors import InputError

__all__ = ["MATCHES", "RosterEntry", "Roster", "read_roster"]

MATCHES = ("login", "email")
MAX_ROSTER_BYTES = 20_000_000
CANVAS_MARKER_ROWS = {"points possible", "muted", "manual posting"}   # not students

# roster header (lower case, letters and digits only) -> field
ROSTER_COLUMNS = {
    "login": "login", "username": "login", "sisloginid": "login", "loginid": "login",
    "email": "email", "emailaddress": "email", "mail": "email",
    "firstname": "first_name", "givenname": "first_name",
    "lastname": "last_name", "surname": "last_name", "familyname": "last_name",
    "student": "name", "name": "name", "fullname": "name",
    "sisuserid": "sis_id", "sisid": "sis_id", "idnumber": "sis_id", "studentnumber": "sis_id",
    "id": "canvas_id", "canvasid": "canvas_id", "canvasuserid": "canvas_id",
    "section": "section",
}
_CANVAS_HEADER = re.compile(r"^(?P<name>.+?) \((?P<id>\d+)\)$")
_MOODLE_HEADER = re.compile(r"^(?:[^:]+: )?(?P<name>.+?) \((?:Real|Percentage|Letter)\)$")


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


# -- the roster ------------------------------------------------------------------------------
@dataclass(frozen=True)
class RosterEntry:
    """One student of the roster; ``line`` is the line of the roster file (0: the gradebook)."""

    login: str = ""
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    name: str = ""
    sis_id: str = ""
    canvas_id: str = ""
    section: str = ""
    line: int = 0

    @property
    def sortable_name(self) -> str:
        """"Last, First" as Canvas shows a student (the roster's own name if it has one)."""
        if self.name:
            return self.name
        both = ", ".join(p for p in (self.last_name, self.first_name) if p)
        return both or self.login or self.email

    def describe(self) -> str:
        """How the summary names the student."""
        who = self.login or self.email or self.sortable_name or "(no name)"
        return f"{who} (line {self.line})" if self.line else who


@dataclass(frozen=True)
class Roster:
    """The students to write, in the roster's order, and how to find one by its nbgrader id.

    ``headers``: the roster's own columns (a Canvas or Moodle export has a column per
    assignment, whose header the export reuses).
    """

    source: str
    match: str
    entries: tuple[RosterEntry, ...]
    headers: tuple[str, ...] = ()

    def key_of(self, entry: RosterEntry) -> str:
        value = entry.login if self.match == "login" else entry.email
        return value.casefold() if self.match == "email" else value

    def column_for(self, assignment: str, to: str) -> str | None:
        """The roster's column of ``assignment`` in the LMS's own header style, if any."""
        pattern = _CANVAS_HEADER if to == "canvas" else _MOODLE_HEADER
        for header in self.headers:
            found = pattern.match(header.strip())
            if found and found.group("name").strip() == assignment:
                return header.strip()
        return None


def _decode(path: Path) -> str:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read the roster ({exc.strerror})", file=str(path)) from None
    if size > MAX_ROSTER_BYTES:
        raise InputError(f"the roster is {size:,} bytes, over the limit of "
                         f"{MAX_ROSTER_BYTES:,}", file=str(path))
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError("the roster is not UTF-8 text: save it as \"CSV UTF-8\"",
                         file=str(path), where=f"line {line}") from None


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _columns(headers: list[str]) -> dict[int, str]:
    """Column index -> the roster field its header names (the first column of a field)."""
    fields: dict[int, str] = {}
    for index, header in enumerate(headers):
        name = ROSTER_COLUMNS.get(_key(header))
        if name and name not in fields.values():
            fields[index] = name
    return fields


def _entries(rows: list[list[str]], fields: dict[int, str], match: str, path: Path
             ) -> list[RosterEntry]:
    """The students of the rows under the header; a student on two rows is refused."""
    entries: list[RosterEntry] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {name: (row[i].strip() if i < len(row) else "") for i, name in fields.items()}
        first = row[0].strip().lower() if row else ""
        if first in CANVAS_MARKER_ROWS and not any(
                values.get(f) for f in ("login", "email", "sis_id", "canvas_id")):
            continue
        entry = RosterEntry(**values, line=number)
        entries.append(entry)
        key = entry.login if match == "login" else entry.email.casefold()
        if key and key in seen:
            raise InputError(f"{match} {key!r} is on two rows (lines {seen[key]} and "
                             f"{number}): one row per student", file=str(path),
                             where=f"line {number}")
        if key:
            seen[key] = number
    return entries


def read_roster(path: str | os.PathLike[str], *, match: str | None = None) -> Roster:
    """Read a roster CSV: a header row, then one student a row (comma, semicolon or tab).

    Recognised columns, by header (case, spaces and punctuation ignored): ``login``
    (also ``username``, ``SIS Login ID``), ``email`` (``Email address``), ``first_name``,
    ``last_name`` (``surname``), ``name`` (``Student``: "Last, First"), ``sis_id`` (``SIS User
    ID``, ``ID number``), ``ID`` (Canvas's user id) and ``section``; others are kept as
    headers only. ``match`` is the column that holds the nbgrader student id: ``login`` or
    ``email`` (default: login when the roster has it, else email). Canvas's "Points Possible"
    row is skipped.

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp(), "roster.csv")
    >>> _ = f.write_text("login,email,first_name,last_name\\nada,ada@uni.edu,Ada,Lovelace\\n")
    >>> roster = read_roster(f)
    >>> roster.match, roster.entries[0].sortable_name
    ('login', 'Lovelace, Ada')
    """
    path = Path(path)
    text = _decode(path)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise InputError("the roster is empty: it needs a header row (e.g. "
                         "login,email,first_name,last_name) and a row per student",
                         file=str(path))
    rows = list(csv.reader(io.StringIO(text), delimiter=_delimiter(lines[0])))
    headers = [h.strip() for h in rows[0]]
    fields = _columns(headers)
    have = set(fields.values())
    if match is None:
        match = "login" if "login" in have else "email"
    if match not in MATCHES:
        raise InputError("unknown way to match students", where="--match",
                         choices=list(MATCHES), got=match)
    if match not in have:
        raise InputError(f"the roster has no {match} column, needed to find the students "
                         f"(--match {match}); its columns: {', '.join(headers)}",
                         file=str(path), where="line 1",
                         choices=[h for h, f in ROSTER_COLUMNS.items() if f == match])
    entries = _entries(rows, fields, match, path)
    if not entries:
        raise InputError("the roster has a header but no student", file=str(path))
    return Roster(str(path), match, tuple(entries), tuple(headers))
