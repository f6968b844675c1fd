"""``canvastools report ASSIGNMENT [-o PAGE.html] [--csv items.csv]``: where the class goes wrong.

The page and the table are ``report-ASSIGNMENT.html`` and ``report-ASSIGNMENT.csv`` by default,
so the reports of two assignments never overwrite each other.

Run in a course folder (the one with ``nbgrader_config.py``). Where the numbers come from:
:mod:`.data` reads the class (nbgrader's gradebook, SQLite or PostgreSQL, and the grading
records), :mod:`.tables` and :mod:`.analysis` compute the tables and the statistics,
:mod:`.figures` and :mod:`.page` show them. The same pieces are functions to call in a
notebook::

    from canvastools.commands.report.data import load_report
    from canvastools.commands.report.tables import item_table, confusion, hardest_items
    from canvastools.commands.report.figures import plot_confusion
    from canvastools.commands.report.build import write_report

    report = load_report("classify-cases", course="~/course")
    rows = item_table(report)                # one dict per item: accuracy, how answers split
    ax = plot_confusion(confusion(report))   # key type x chosen type, across the class
    write_report(report)     # the whole page: report-classify-cases.html (and .csv)
"""

from __future__ import annotations

import argparse
import csv
import os
from pathlib import Path

from canvastools.commands.report.analysis import (
    Analysis,
    analyse,
    item_rows,
    objective_csv_path,
    write_objective_csv,
)
from canvastools.commands.report.cells import csv_value
from canvastools.commands.report.data import ClassReport, load_report
from canvastools.commands.report.tables import LOW_SCORE
from canvastools.errors import InputError

__all__ = ["write_report", "write_item_csv", "default_report_path", "run", "CSV_FIELDS"]

CSV_FIELDS = ("exercise", "item", "label", "key", "accepted", "students", "right", "partly",
              "wrong", "unanswered", "accuracy", "mean_points", "max_points", "split",
              "p", "D", "r_rest", "flags", "objectives")   # the last five: analysis


def write_item_csv(report: ClassReport, path: str | os.PathLike[str],
                   analysis: Analysis | None = None) -> Path:
    """The per-item table as CSV (ids, not labels; ``split`` as ``id:count`` pairs), with
    the item statistics (:func:`canvastools.commands.report.analysis.item_rows`)."""
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_FIELDS)
        for row in item_rows(report, analysis):
            writer.writerow([csv_value(f, row.get(f)) for f in CSV_FIELDS])
    return path


def default_report_path(assignment: str) -> Path:
    """Where the page goes by default: ``report-ASSIGNMENT.html`` in the current folder.

    >>> default_report_path("classify-cases").name
    'report-classify-cases.html'
    """
    return Path(f"report-{assignment}.html")


def write_report(report: ClassReport, path: str | os.PathLike[str] | None = None, *,
                 csv_path: str | os.PathLike[str] | None = None,
                 low: float = LOW_SCORE, objective_threshold: float = 0.7
                 ) -> tuple[Path, Path]:
    """Write the page (self-contained HTML; default :func:`default_report_path`) and the
    per-item CSV (default: next to it, ``.csv``); with learning objectives, also
    ``NAME-objectives.csv`` next to the CSV."""
    from canvastools.commands.report.page import render_page  # matplotlib: loaded when drawn

    analysis = analyse(report, threshold=objective_threshold)
    path = Path(path) if path else default_report_path(report.assignment)
    csv_out = Path(csv_path) if csv_path else path.with_suffix(".csv")
    path.write_text(render_page(report, low=low, analysis=analysis), encoding="utf-8")
    write_item_csv(report, csv_out, analysis)
    if analysis.objectives:
        write_objective_csv(report, analysis, objective_csv_path(csv_out))
    return path, csv_out


def run(args: argparse.Namespace) -> int:
    """``canvastools report`` (called by the CLI with its parsed arguments)."""
    if not 0 <= args.low <= 1:
        raise InputError(f"--low is a share of the points from 0 to 1 (e.g. 0.5), got "
                         f"{args.low:g}")
    if not 0 <= args.objective_threshold <= 1:
        raise InputError("--objective-threshold is a share of the points from 0 to 1 (e.g. "
                         f"0.7), got {args.objective_threshold:g}")
    report = load_report(args.assignment, args.course, db_url=args.db_url, lang=args.lang)
    page, table = write_report(report, args.output, csv_path=args.csv, low=args.low,
                               objective_threshold=args.objective_threshold)
    graded = len(report.graded)
    print(f"wrote {page} and {table} ({graded} graded of {len(report.students)} students, "
          f"{len(report.flags)} flags)")
    return 0

