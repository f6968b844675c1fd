"""The class report's item analysis, learning objectives and copying signal, read from a
:class:`canvastools.commands.report.data.ClassReport` (the numbers:
:mod:`canvastools.commands.report.item_stats`)::

    from canvastools.commands.report.data import load_report
    from canvastools.commands.report.analysis import analyse

    report = load_report("classify-cases", course="~/course")
    analysis = analyse(report, threshold=0.7)
    analysis.items[0]        # {"exercise", "item", "p", "D", "r_rest", "flags", "objectives"}
    analysis.reliability     # Reliability(name="KR-20", value=0.71, ...)
    analysis.objectives      # per objective: students meeting the threshold, and their share
    analysis.copying         # CopyingPair list: improbable shared wrong answers

Learning objectives come from ``objectives.yaml`` in the course folder (docs/instructors.md,
"Learning objectives"): per assignment, a list of ``{objective, items}`` where each item is
an exercise id (all its items) or ``exercise/item``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from canvastools.commands.report import item_stats as st
from canvastools.commands.report.cells import csv_value
from canvastools.commands.report.tables import item_table
from canvastools.errors import InputError

if TYPE_CHECKING:
    from canvastools.commands.report.data import ClassReport

__all__ = ["Analysis", "analyse", "load_objectives", "OBJECTIVES_FILE", "OBJECTIVE_THRESHOLD",
           "write_objective_csv", "OBJECTIVE_FIELDS", "objective_csv_path", "item_rows"]

OBJECTIVES_FILE = "objectives.yaml"
OBJECTIVE_THRESHOLD = 0.7     # a student meets an objective with this share of its points


@dataclass(frozen=True)
class Analysis:
    """What :func:`analyse` finds (see the module's docstring)."""

    items: list[dict[str, Any]]
    reliability: st.Reliability
    objectives: list[dict[str, Any]]
    copying: list[st.CopyingPair]
    threshold: float
    students: int
    objectives_file: str = ""
    notes: list[str] = field(default_factory=list)


def _score_table(report: ClassReport) -> tuple[list[tuple[str, str]], list[float],
                                               list[str], list[list[float | None]]]:
    """(exercise, item) columns, their points, the graded students, and each student's share
    of each item's points (``None``: not given)."""
    rows = item_table(report)
    keys = [(r["exercise"], r["item"]) for r in rows]
    weights = [float(r["max_points"] or 0.0) for r in rows]
    students = sorted(report.results)
    table = []
    for student in students:
        got: dict[tuple[str, str], float | None] = {}
        for result in report.results[student]:
            for item in result.items:
                got[(result.exercise_id, item.item_id)] = (
                    item.points / item.max_points if item.max_points else None)
            for index, check in enumerate(result.checks):
                name = "order" if result.kind == "spectrum" else f"check-{index + 1}"
                got[(result.exercise_id, name)] = (
                    check.points / check.max_points if check.max_points else None)
        table.append([got.get(k) for k in keys])
    return keys, weights, students, table


def _responses(report: ClassReport) -> dict[str, dict[Any, st.Response]]:
    """Every student's classified answers: (exercise, item) -> (chosen set, fully right)."""
    out: dict[str, dict[Any, st.Response]] = {}
    for student, results in report.results.items():
        mine: dict[Any, st.Response] = {}
        for result in results:
            for item in result.items:
                answer = frozenset(item.answer) if item.answer else None
                mine[(result.exercise_id, item.item_id)] = (answer, item.verdict == "right")
        out[student] = mine
    return out


def load_objectives(root: str | os.PathLike[str], assignment: str,
                    keys: list[tuple[str, str]], declared: Iterable[str] = ()
                    ) -> tuple[list[tuple[str, list[int]]], str]:
    """The objectives of ``assignment`` in ``ROOT/objectives.yaml`` as (objective, column
    indexes of ``keys``), and the file's path (``""`` when there is no file); an item that
    the assignment does not have is refused with the file, its line and the valid ids.
    ``declared``: item ids the assignment's widgets show that may have no column (an item of
    a pool that no student was given): named in the file, they are no mistake.
    """
    from canvastools._io.yamlio import line_of, read_data_file

    path = Path(root, OBJECTIVES_FILE)
    if not path.is_file():
        return [], ""
    data = read_data_file(path) or {}
    if not isinstance(data, dict):
        raise InputError("objectives.yaml maps each assignment to a list of "
                         "{objective: ..., items: [...]}", file=str(path))
    entries = data.get(assignment) or []
    valid = sorted({e for e, _ in keys} | {f"{e}/{i}" for e, i in keys})
    found = []
    for entry in entries if isinstance(entries, list) else [entries]:
        where = f"line {line_of(entry) or line_of(entries)}"
        if (not isinstance(entry, dict) or not isinstance(entry.get("objective"), str)
                or not isinstance(entry.get("items"), list) or not entry["items"]):
            raise InputError(f"each objective of {assignment!r} is "
                             "{objective: TEXT, items: [EXERCISE or EXERCISE/ITEM, ...]}",
                             file=str(path), where=where)
        columns: list[int] = []
        for name in entry["items"]:
            name = str(name)
            match = [j for j, (e, i) in enumerate(keys) if name in (e, f"{e}/{i}")]
            if not match and name.partition("/")[2] in set(declared):
                continue  # a pool's item that no student was given (issue 20)
            if not match:
                raise InputError(f"objective {entry['objective']!r}: {assignment} has no "
                                 f"exercise or item {name!r}", file=str(path), where=where,
                                 choices=valid, got=name)
            columns += [j for j in match if j not in columns]
        if columns:  # (none: only pool items no student was given)
            found.append((entry["objective"], columns))
    return found, str(path)


def analyse(report: ClassReport, *, threshold: float = OBJECTIVE_THRESHOLD,
            objectives: list[tuple[str, list[int]]] | None = None) -> Analysis:
    """Item statistics, reliability, objectives (``objectives``: as :func:`load_objectives`
    gives them, default: read from the course folder) and the copying signal."""
    if not 0 <= threshold <= 1:
        raise InputError(f"--objective-threshold is a share of the points from 0 to 1 "
                         f"(e.g. 0.7), got {threshold:g}")
    keys, weights, students, table = _score_table(report)
    source = ""
    if objectives is None:
        objectives, source = load_objectives(report.root, report.assignment, keys,
                                             declared=report.labels)
    tags: dict[int, list[str]] = {}
    for name, columns in objectives:
        for j in columns:
            tags.setdefault(j, []).append(name)
    items = []
    for j, (exercise, item) in enumerate(keys):
        p = st.difficulty(table, j)
        d = st.discrimination_index(table, j)
        r = st.item_rest_correlation(table, j)
        items.append({"exercise": exercise, "item": item, "p": p, "D": d, "r_rest": r,
                      "flags": st.item_flags(p, r if r is not None else d),
                      "objectives": tuple(tags.get(j, ()))})
    objective_rows = []
    for name, columns in objectives:
        shares = [s for s in st.objective_shares(table, weights, columns) if s is not None]
        meeting = sum(1 for s in shares if s >= threshold - 1e-9)
        objective_rows.append({"objective": name, "items": len(columns),
                               "students": len(shares), "meeting": meeting,
                               "share": meeting / len(shares) if shares else None,
                               "mean": sum(shares) / len(shares) if shares else None})
    return Analysis(items, st.reliability(table), objective_rows,
                    st.copying_pairs(_responses(report)), threshold, len(students), source)


def item_rows(report: ClassReport, analysis: Analysis | None = None) -> list[dict[str, Any]]:
    """:func:`canvastools.commands.report.tables.item_table` with each item's ``p``, ``D``,
    ``r_rest``,
    ``flags`` and ``objectives`` (these two joined with ``"; "``), as the CSV has them."""
    analysis = analysis or analyse(report)
    stats = {(a["exercise"], a["item"]): {**a, "flags": "; ".join(a["flags"]),
                                          "objectives": "; ".join(a["objectives"])}
             for a in analysis.items}
    return [{**row, **stats.get((row["exercise"], row["item"]), {})}
            for row in item_table(report)]


def objective_csv_path(csv_path: str | os.PathLike[str]) -> Path:
    """``items.csv`` -> ``items-objectives.csv``: the per-objective table's file.

    >>> objective_csv_path("report-a.csv").name
    'report-a-objectives.csv'
    """
    csv_path = Path(csv_path)
    return csv_path.with_name(f"{csv_path.stem}-objectives.csv")


OBJECTIVE_FIELDS = ("assignment", "objective", "items", "students", "threshold", "meeting",
                    "share_meeting", "mean_share")


def write_objective_csv(report: ClassReport, analysis: Analysis,
                        path: str | os.PathLike[str]) -> Path:
    """Per objective: students meeting the threshold and their share (an accreditation
    file's table: ``assignment, objective, items, students, threshold, meeting, ...``)."""
    import csv

    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(OBJECTIVE_FIELDS)
        for row in analysis.objectives:
            writer.writerow([csv_value("objective", v) for v in (
                report.assignment, row["objective"], row["items"],
                             row["students"], f"{analysis.threshold:g}", row["meeting"],
                             "" if row["share"] is None else f"{row['share']:.4f}",
                             "" if row["mean"] is None else f"{row['mean']:.4f}")])
    return path
