"""How a graded exercise is shown: the per-item table in the autograded notebook and feedback.

Made by the grader from :class:`~canvastools.grading.ExerciseResult` objects, without running
anything; every text that comes from a student is escaped::

    outputs = result_outputs([result], show_key=False)   # nbformat output dicts
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

VERDICT_WORDS = {"right": "right", "partly": "partly right", "wrong": "wrong",
                 "unanswered": "not answered"}


def _ids(values: Sequence[str]) -> str:
    return ", ".join(values) if values else "—"


def _labels(result: Any, values: Sequence[str], lang: str = "en") -> str:
    """The choices' labels (ids that have none are shown as they are)."""
    from .taxonomy import load_domain, load_taxonomy

    def one(value: str) -> str:
        try:
            if result.choices == "motivations":
                return load_domain().motivation(value).label_in(lang)
            if result.choices == "questions":
                return load_domain().question(value).label_in(lang)
            if result.taxonomy:
                return load_taxonomy(result.taxonomy).label(value, lang)
        except Exception:  # noqa: BLE001 - a student's odd id is shown as it is
            pass
        return value

    return ", ".join(one(v) for v in values) if values else "—"


def result_table_html(result: Any, *, show_key: bool) -> str:
    """A compact, wrapping HTML table of one exercise's items (or checks)."""
    esc = html.escape
    rows = []
    head = ["item", "answer", "mark", "points"] + (["expected"] if show_key else [])
    for item in result.items:
        cells = [item.item_id, _labels(result, item.answer),
                 VERDICT_WORDS.get(item.verdict, item.verdict),
                 f"{item.points:g}/{item.max_points:g}"]
        if show_key:
            cells.append(_labels(result, item.key) + (
                f" (accepted: {_labels(result, item.accepted)})"
                                           if item.accepted else ""))
        rows.append(cells)
    for check in result.checks:
        rows.append([check.label, check.detail or "", "ok" if check.ok else "not yet",
                     f"{check.points:g}/{check.max_points:g}"] + ([""] if show_key else []))
    body = "".join("<tr>" + "".join(f"<td>{esc(str(c))}</td>" for c in row) + "</tr>"
                   for row in rows)
    notes = "".join(f"<li>{esc(n)}</li>" for n in result.notes)
    return (f'<div class="canvastools-result" style="overflow-wrap:anywhere">'
            f"<p><b>{esc(result.exercise_id)}</b>: {result.points:g}/{result.max_points:g}</p>"
            f'<table style="border-collapse:collapse;table-layout:auto">'
            f"<tr>{''.join(f'<th>{esc(h)}</th>' for h in head)}</tr>{body}</table>"
            + (f"<ul>{notes}</ul>" if notes else "") + "</div>")


def result_text(result: Any) -> str:
    lines = [f"{result.exercise_id}: {result.points:g}/{result.max_points:g}"]
    lines += [f"  {i.item_id}: {VERDICT_WORDS.get(i.verdict, i.verdict)} "
              f"({i.points:g}/{i.max_points:g})" for i in result.items]
    lines += [f"  {'ok' if c.ok else 'not yet'}: {c.label}" for c in result.checks]
    lines += [f"  note: {n}" for n in result.notes]
    return "\n".join(lines)


def result_outputs(results: Sequence[Any], *, show_key: bool) -> list[dict[str, Any]]:
    """nbformat ``display_data`` outputs showing ``results``."""
    return [{"output_type": "display_data", "metadata": {},
             "data": {"text/html": result_table_html(r, show_key=show_key),
                      "text/plain": result_text(r)}} for r in results]
