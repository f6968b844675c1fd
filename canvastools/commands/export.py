"""``canvastools export [ASSIGNMENT] --to canvas|moodle|csv --roster FILE``: grades into the LMS.

Run in a course folder (the one with ``nbgrader_config.py``). The scores come from nbgrader's
gradebook (SQLite or PostgreSQL: the course's ``db_url``, as ``canvastools report`` reads it),
each one as ``nbgrader export`` computes it (the score less any late penalty, never below 0).
The students come from a roster file, a CSV with a student's login and/or email and names
(the format is in docs/instructors.md, "Grades into your LMS"); Canvas's own gradebook export
and Moodle's own grade export are rosters too. Without a roster, the gradebook's students
(``nbgrader db student import``) are the roster. The same in Python::

    from canvastools.commands.export import export_grades, format_summary

    summary = export_grades(to="canvas", roster="roster.csv", assignments=["classify-cases"])
    print(format_summary(summary))

What is written:

- ``canvas``: the columns of Canvas's gradebook export (Student, ID, SIS User ID, SIS Login
  ID, Section), one column per assignment and a "Points Possible" row: Canvas's gradebook
  *Import* accepts it as it is. An assignment column takes the header of the roster's column
  for that assignment (``classify-cases (12345)``, so Canvas finds its assignment by id),
  otherwise the assignment's name (Canvas then matches it by name, or creates it).
- ``moodle``: First name, Last name, ID number, Email address, Username and one column per
  grade item, as Moodle's grade export writes them; in Moodle's *Import > CSV file*, identify
  users by "Email address" (or "Username") and map each column to its grade item.
- ``csv``: one row per student and assignment with every fact (ids, names, score, points,
  percent, status), the gradebook's students missing from the roster included.

Students of the roster without a grade get an empty cell (``nbgrader export`` writes 0); the
summary lists them, the gradebook's students missing from the roster, the
grades still waiting for manual grading, and every cell written as text because a spreadsheet
would run it as a formula (``=2+5`` is written ``'=2+5``).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from canvastools.commands.report.cells import FORMULA_STARTS, safe_cell
from canvastools.commands.roster import MATCHES, Roster, RosterEntry, read_roster
from canvastools.errors import InputError
from canvastools.grader.gradebook import GradebookReader, course_folders, open_gradebook

__all__ = ["FORMATS", "MATCHES", "FORMULA_STARTS", "AssignmentGrades", "Gradebook",
           "ExportSummary", "read_gradebook", "read_grades", "export_grades", "format_summary",
           "safe_cell"]

FORMATS = ("canvas", "moodle", "csv")
CANVAS_POINTS_ROW = "    Points Possible"   # as Canvas's export writes it (the import skips it)


# -- cells -----------------------------------------------------------------------------------
def _number(value: float | None, decimals: int = 2) -> str:
    """A score as Canvas and Moodle read it: up to two decimals, a point, no exponent.

    >>> _number(6.1667), _number(8.0), _number(6.1667, 4), _number(None)
    ('6.17', '8', '6.1667', '')
    """
    if value is None:
        return ""
    return f"{value:.{decimals}f}".rstrip("0").rstrip(".")


# -- the gradebook ---------------------------------------------------------------------------
@dataclass(frozen=True)
class AssignmentGrades:
    """One assignment of the gradebook: its points and each graded student's score."""

    name: str
    max_score: float
    scores: dict[str, float]
    pending: frozenset[str] = frozenset()   # a manually graded part is not graded yet


@dataclass(frozen=True)
class Gradebook:
    """What the export reads from nbgrader's gradebook."""

    assignments: tuple[AssignmentGrades, ...]
    students: tuple[RosterEntry, ...]        # the gradebook's own students, login = their id


def read_grades(gradebook: GradebookReader, assignments: Sequence[str] | None = None
                ) -> Gradebook:
    """The scores of ``assignments`` (default: every assignment, in the gradebook's order),
    as ``nbgrader export`` computes them (the score less the late penalty, never below 0),
    and the gradebook's students: a few queries, whatever the size of the class."""
    every = gradebook.assignment_names()
    wanted = list(dict.fromkeys(assignments)) if assignments else every
    for name in wanted:
        if name not in every:
            raise InputError(f"the gradebook has no assignment {name!r}",
                             where=gradebook.db_url.split("@")[-1], choices=every, got=name)
    maxima = gradebook.max_scores()
    scores: dict[str, dict[str, float]] = {name: {} for name in wanted}
    pending: dict[str, set[str]] = {name: set() for name in wanted}
    for sub in gradebook.submissions(wanted):
        scores[sub.assignment][sub.student] = max(0.0, sub.score - sub.late_penalty)
        if sub.needs_manual_grade:
            pending[sub.assignment].add(sub.student)
    found = tuple(AssignmentGrades(name, maxima[name], scores[name], frozenset(pending[name]))
                  for name in wanted)
    students = tuple(sorted(
        (RosterEntry(login=s.id, email=s.email, first_name=s.first_name,
                     last_name=s.last_name, canvas_id=s.lms_user_id)
         for s in gradebook.students()),
        key=lambda e: (e.last_name.casefold(), e.first_name.casefold(), e.login)))
    return Gradebook(found, students)


def read_gradebook(db_url: str, assignments: Sequence[str] | None = None) -> Gradebook:
    """:func:`read_grades` of the gradebook at ``db_url``."""
    with open_gradebook(db_url) as gradebook:
        return read_grades(gradebook, assignments)


# -- matching --------------------------------------------------------------------------------
@dataclass
class ExportSummary:
    """What :func:`export_grades` wrote, and what the instructor should look at.

    ``no_grade``: assignment -> roster students without a grade (left empty);
    ``not_in_roster``: gradebook students with a grade but no row in the roster;
    ``pending``: assignment -> students whose score still waits for manual grading;
    ``escaped``: (line of the output, the cell's text) for every cell written as text.
    """

    path: Path
    to: str
    assignments: list[str]
    roster: str
    students: int = 0
    grades: int = 0
    no_grade: dict[str, list[str]] = field(default_factory=dict)
    not_in_roster: list[str] = field(default_factory=list)
    pending: dict[str, list[str]] = field(default_factory=dict)
    escaped: list[tuple[int, str]] = field(default_factory=list)


def _match(roster: Roster, book: Gradebook) -> tuple[dict[int, str], list[str]]:
    """Roster entry index -> nbgrader student id; and the graded students nobody matched."""
    graded = sorted({s for a in book.assignments for s in a.scores}
                    | {s.login for s in book.students})
    by_key: dict[str, str] = {}
    for student in graded:
        by_key.setdefault(student.casefold() if roster.match == "email" else student, student)
    if roster.match == "email":  # the gradebook's own email of a student counts too
        for student in book.students:
            if student.email:
                by_key.setdefault(student.email.casefold(), student.login)
    matched: dict[int, str] = {}
    for index, entry in enumerate(roster.entries):
        key = roster.key_of(entry)
        if key and key in by_key:
            matched[index] = by_key[key]
    used = set(matched.values())
    with_grade = {s for a in book.assignments for s in a.scores}
    return matched, sorted(s for s in with_grade if s not in used)


def _value(grades: AssignmentGrades, student: str | None, percent: bool) -> float | None:
    if student is None or student not in grades.scores:
        return None
    score = grades.scores[student]
    if not percent:
        return score
    return 100.0 * score / grades.max_score if grades.max_score else None


# -- the three formats -----------------------------------------------------------------------
Cell = str | float | None   # str: text (escaped when formula-like); float: a number; None: empty


def _canvas_rows(roster: Roster, book: Gradebook, matched: dict[int, str],
                 percent: bool) -> list[list[Cell]]:
    header: list[Cell] = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    header += [roster.column_for(a.name, "canvas") or a.name for a in book.assignments]
    points: list[Cell] = [CANVAS_POINTS_ROW, "", "", "", ""]
    points += [100.0 if percent else a.max_score for a in book.assignments]
    rows = [header, points]
    for index, entry in enumerate(roster.entries):
        student = matched.get(index)
        rows.append([entry.sortable_name, entry.canvas_id, entry.sis_id, entry.login,
                     entry.section]
                    + [_value(a, student, percent) for a in book.assignments])
    return rows


def _moodle_rows(roster: Roster, book: Gradebook, matched: dict[int, str],
                 percent: bool) -> list[list[Cell]]:
    header: list[Cell] = ["First name", "Last name", "ID number", "Email address", "Username"]
    header += [roster.column_for(a.name, "moodle") or a.name for a in book.assignments]
    rows = [header]
    for index, entry in enumerate(roster.entries):
        student = matched.get(index)
        first, last = entry.first_name, entry.last_name
        if not (first or last) and entry.name:
            last, _, first = (part.strip() for part in entry.name.partition(","))
        rows.append([first, last, entry.sis_id, entry.email, entry.login]
                    + [_value(a, student, percent) for a in book.assignments])
    return rows


CSV_HEADER = ["student_id", "login", "email", "first_name", "last_name", "sis_id", "section",
              "assignment", "score", "max_score", "percent", "status"]


def _status(grades: AssignmentGrades, student: str | None) -> str:
    if student is None or student not in grades.scores:
        return "no grade"
    return "manual grading pending" if student in grades.pending else "graded"


def _csv_rows(roster: Roster, book: Gradebook, matched: dict[int, str],
              unmatched: list[str]) -> list[list[Cell]]:
    rows: list[list[Cell]] = [list(CSV_HEADER)]
    people = [(matched.get(i), e, "") for i, e in enumerate(roster.entries)]
    people += [(s, RosterEntry(login=s), ", not in the roster") for s in unmatched]
    for student, entry, note in people:
        for grades in book.assignments:
            status = _status(grades, student) + note
            rows.append([student or "", entry.login, entry.email, entry.first_name,
                         entry.last_name, entry.sis_id, entry.section, grades.name,
                         _value(grades, student, False), grades.max_score,
                         _value(grades, student, True), status])
    return rows


def _render(rows: Iterable[list[Cell]], escaped: list[tuple[int, str]],
            decimals: int = 2) -> str:
    """CSV text (RFC 4180, CRLF) with a BOM, as the LMSs export it; text cells made safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for line, row in enumerate(rows, start=1):
        cells = []
        for cell in row:
            if cell is None or isinstance(cell, float):
                cells.append(_number(cell, decimals))
                continue
            safe = safe_cell(cell)
            if safe != cell:
                escaped.append((line, cell))
            cells.append(safe)
        writer.writerow(cells)
    return "\ufeff" + out.getvalue()


# -- the command -----------------------------------------------------------------------------
def default_output(to: str, assignments: Sequence[str] | None) -> str:
    """``grades-canvas-classify-cases.csv``; ``grades-moodle-all.csv`` for every assignment.

    >>> default_output("canvas", ["classify-cases"]), default_output("csv", None)
    ('grades-canvas-classify-cases.csv', 'grades-csv-all.csv')
    """
    name = assignments[0] if assignments and len(assignments) == 1 else "all"
    return f"grades-{to}-{name}.csv"


def export_grades(*, to: str, roster: str | os.PathLike[str] | None = None,
                  assignments: Sequence[str] | None = None, course: str | os.PathLike[str] = ".",
                  db_url: str | None = None, match: str | None = None, percent: bool = False,
                  output: str | os.PathLike[str] | None = None) -> ExportSummary:
    """Write the grades of ``assignments`` (default: all) for ``to`` (``canvas``, ``moodle``
    or ``csv``) and return what was written. ``roster``: the roster CSV (default: the
    gradebook's students); ``match``: ``login`` or ``email``; ``percent``: 0-100 instead of
    points; ``output``: the file (default :func:`default_output`, in the current folder)."""
    from canvastools._io.safefiles import replace_text

    if to not in FORMATS:
        raise InputError("unknown export format", where="--to", choices=list(FORMATS), got=to)
    url = db_url or course_folders(course).db_url
    book = read_gradebook(url, assignments)
    if roster is not None:
        people = read_roster(roster, match=match)
    else:
        if match not in (None, *MATCHES):
            raise InputError("unknown way to match students", where="--match",
                             choices=list(MATCHES), got=match)
        people = Roster("gradebook", match or "login", book.students)
    matched, unmatched = _match(people, book)
    if to == "canvas":
        rows = _canvas_rows(people, book, matched, percent)
    elif to == "moodle":
        rows = _moodle_rows(people, book, matched, percent)
    else:
        rows = _csv_rows(people, book, matched, unmatched)
    path = Path(output or default_output(to, [a.name for a in book.assignments]
                                         if assignments else None))
    summary = ExportSummary(path, to, [a.name for a in book.assignments], people.source,
                            students=len(people.entries))
    # the LMSs keep two decimals; a spreadsheet gets four
    replace_text(path, _render(rows, summary.escaped, 4 if to == "csv" else 2))
    for grades in book.assignments:
        missing = []
        for index, entry in enumerate(people.entries):
            student = matched.get(index)
            if student in grades.scores:
                summary.grades += 1
            else:
                reason = ("no " + people.match + " in the roster" if not people.key_of(entry)
                          else "not in the gradebook" if student is None
                          else "no graded submission")
                missing.append(f"{entry.describe()}: {reason}")
        if missing:
            summary.no_grade[grades.name] = missing
        late = sorted(s for s in grades.pending if s in matched.values())
        if late:
            summary.pending[grades.name] = late
    summary.not_in_roster = unmatched if roster is not None else []
    return summary


def format_summary(summary: ExportSummary, limit: int = 20) -> str:
    """The summary printed by the command: what was written, then what to check."""
    what = {"canvas": "Canvas gradebook import", "moodle": "Moodle grade import (CSV)",
            "csv": "a spreadsheet"}[summary.to]
    lines = [f"wrote {summary.path} for {what}: {summary.students} students of the "
             f"{summary.roster} roster, {len(summary.assignments)} assignment"
             f"{'s' if len(summary.assignments) != 1 else ''} "
             f"({', '.join(summary.assignments)}), {summary.grades} grades"]

    def listed(items: Sequence[str]) -> str:
        shown = ", ".join(items[:limit])
        return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")

    for assignment, missing in summary.no_grade.items():
        lines.append(f"no grade for {_count(len(missing), 'student')} in {assignment} (left "
                     "empty): " + listed(missing))
    if summary.not_in_roster:
        where = "not written to the LMS file" if summary.to != "csv" else "written without names"
        lines.append(f"{_count(len(summary.not_in_roster), 'graded student')} in the gradebook "
                     f"but not in the roster ({where}): " + listed(summary.not_in_roster))
    for assignment, students in summary.pending.items():
        lines.append(f"manual grading pending in {assignment} (the score so far is written): "
                     + listed(students))
    if summary.escaped:
        cells = list(dict.fromkeys(f"line {n}: {text}" for n, text in summary.escaped))
        lines.append(f"{_count(len(summary.escaped), 'cell')} would run as a spreadsheet "
                     "formula, written as text with a leading ' (check these students in the "
                     "LMS by hand): " + listed(cells))
    return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
