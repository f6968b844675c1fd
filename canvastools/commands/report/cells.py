"""Cells of the CSV files the instructor commands write (the report's tables, the export's
grades): text a spreadsheet keeps as text, never runs as a formula; numbers as a spreadsheet
reads them.

>>> safe_cell("=2+5"), csv_value("split", {"a": 2}), csv_value("accuracy", 0.5)
("'=2+5", 'a:2', '0.5')
"""

from __future__ import annotations

from typing import Any

__all__ = ["FORMULA_STARTS", "safe_cell", "csv_value"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """``text`` as a spreadsheet keeps it: a cell a spreadsheet would run as a formula (it
    starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading ``'``.

    >>> safe_cell("=2+5"), safe_cell("@SUM(A1)"), safe_cell("ada"), safe_cell("")
    ("'=2+5", "'@SUM(A1)", 'ada', '')
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_value(name: str, value: Any) -> str:
    """One cell of the report's CSV tables (``name``: the column); every text (a student's
    choice in ``split`` too) is written so a spreadsheet keeps it as text.

    >>> csv_value("split", {"=HYPERLINK(1)": 2}), csv_value("accuracy", 0.5)
    ("'=HYPERLINK(1):2", '0.5')
    >>> csv_value("key", ("a", "b")), csv_value("students", 3), csv_value("p", None)
    ('a b', '3', '')
    """
    if name in ("key", "accepted"):
        return safe_cell(" ".join(value))
    if name == "split":
        return safe_cell(" ".join(f"{c}:{n}" for c, n in value.items()))
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return str(value)
    return "" if value is None else safe_cell(str(value))
