"""How a graded exercise is shown: in the autograded notebook (formgrader) and in the feedback.

Made by the grader from :class:`~canvastools.grading.ExerciseResult` objects, in its own
process, without running any student code: the items as the assignment shows them (read from
the widget cells of the instructor's source with :func:`exercise_views`), the answers as
labels in the assignment's language, the mark and the points; for the designer, the drawn
Customer Relationships block (a PNG made with :func:`canvastools.draw.draw_block`) with its
notes and the checks. Every text that comes from a student is escaped, every table wraps::

    views = exercise_views([widget_cell_source, test_cell_source])
    outputs = result_outputs(results, show_key=False, views=views)   # nbformat output dicts

``show_key=True`` (the instructor's view in ``autograded/``, or the feedback when the
instructor opts in) adds the expected answer, the accepted alternatives, the explanation and
the source given in the declaration (``explanations=`` / ``sources=``); with
``show_key=False`` nothing of the key is written, not even in an attribute.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from canvastools._io.htmlsafe import escape, html_table
from canvastools._io.texts import pick_text
from canvastools.grading.exercise_views import ExerciseView, exercise_views
from canvastools.grading.results import Check, ExerciseResult, view_text

if TYPE_CHECKING:
    from canvastools.model.canvas import Canvas

__all__ = ["ExerciseView", "exercise_views", "result_html", "result_text", "result_outputs",
           "design_png", "view_text", "items_list_html"]


VERDICT_COLOURS = {"right": "#1a7f37", "partly": "#9a6700", "wrong": "#cf222e",
                   "unanswered": "#57606a"}
DRAWING_DPI = 90

# inline styles: the views must read the same in formgrader, the feedback and JupyterLab
_TABLE = ("border-collapse:collapse;width:100%;max-width:100%;table-layout:auto;"
          "margin:4px 0 10px 0;font-size:inherit;color:inherit")
_TH = ("text-align:left;vertical-align:bottom;padding:4px 8px;border-bottom:2px solid #8c959f;"
       "font-weight:600;white-space:normal;overflow-wrap:normal;word-break:normal")
_NARROW = "width:1%;white-space:nowrap"  # a column as wide as its content (marks, points)
# words are not broken ("GlaxoSmit hKline"): a column is at least as wide as its longest word;
# a student's free text may break anywhere (_FREE), so a long token cannot widen the table
_TD = ("text-align:left;vertical-align:top;padding:4px 8px;border-bottom:1px solid #d0d7de;"
       "white-space:normal;overflow-wrap:break-word;word-break:normal;max-width:none")
_FREE = "overflow-wrap:anywhere"
_WRAP = "max-width:100%;overflow-wrap:anywhere;line-height:1.4;white-space:normal"


# -- labels ----------------------------------------------------------------------------------
def _lang(lang: str) -> str:
    from canvastools.model.taxonomy import load_domain

    try:
        return load_domain().check_language(lang)
    except ValueError:
        return "en"


def _labeller(result: ExerciseResult, lang: str) -> Callable[[object], str]:
    """id -> label in ``lang`` for the choices of ``result`` (the id when unknown)."""
    from canvastools.model.choices import choice_sets
    from canvastools.model.taxonomy import load_taxonomy

    labels: dict[str, str] = {}
    try:
        sets = choice_sets(load_taxonomy(result.taxonomy or "bmg2010"), lang)
    except ValueError:  # an unknown taxonomy: every set but its types
        sets = choice_sets(load_taxonomy("bmg2010"), lang)
        sets.pop("types")
    for chosen in sets.values():
        labels.update({c.id: c.label for c in chosen.choices})
    return lambda ident: labels.get(str(ident), str(ident))


def _fmt(value: float) -> str:
    return f"{round(float(value), 2):g}"


# -- HTML ------------------------------------------------------------------------------------
_esc = escape  # a student's text in the grader's HTML: canvastools._io.htmlsafe, the one escaper


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], row_attrs: Sequence[str] = (),
           cls: str = "", narrow: Iterable[int] = ()) -> str:
    """An HTML table (canvastools._io.htmlsafe.html_table) in the views' style; ``head`` is
    plain text, the cells are HTML already escaped; the columns ``narrow`` are as wide as their
    content."""
    narrow = set(narrow)
    columns = range(max([len(head), *map(len, rows)]))

    def style(base: str) -> list[str]:
        return [f'style="{base};{_NARROW}"' if i in narrow else f'style="{base}"'
                for i in columns]

    return html_table(head, rows, attrs=f'class="canvastools-table {cls}" style="{_TABLE}"',
                      th_attrs=style(_TH), td_attrs=style(_TD), row_attrs=row_attrs)


def _mark(verdict: str, lang: str) -> str:
    colour = VERDICT_COLOURS.get(verdict, "#24292f")
    key = f"mark_{verdict}" if verdict in VERDICT_COLOURS else "mark_wrong"
    return (f'<span style="color:{colour};font-weight:600;white-space:nowrap">'
            f"{_esc(view_text(key, lang))}</span>")


def _check_mark(ok: bool, lang: str) -> str:
    return _mark("right" if ok else "wrong", lang).replace(
        _esc(view_text("mark_right" if ok else "mark_wrong", lang)),
        _esc(view_text("check_done" if ok else "check_not_yet", lang)))


def _item_cell(view: ExerciseView, item_id: str) -> str:
    title, description = view.item_label(item_id)
    out = f"<b>{_esc(title)}</b>"
    if description:
        out += f'<br><span style="color:#57606a">{_esc(description)}</span>'
    return out


def _points(points: float, max_points: float) -> str:
    return f'<span style="white-space:nowrap">{_fmt(points)} / {_fmt(max_points)}</span>'


def _header(result: ExerciseResult, lang: str) -> str:
    total = view_text("points_of", lang, points=_fmt(result.points), max=_fmt(result.max_points))
    return (f'<p style="margin:0 0 4px 0"><b>{_esc(result.exercise_id)}</b>: '
            f"{_esc(total)}</p>")


def _remarks(result: ExerciseResult) -> str:
    if not result.notes:
        return ""
    items = "".join(f"<li>{_esc(n)}</li>" for n in result.notes)
    return f'<ul style="margin:4px 0;padding-left:1.4em">{items}</ul>'


def _items_html(result: ExerciseResult, view: ExerciseView, lang: str, show_key: bool) -> str:
    label = _labeller(result, lang)
    head = [view_text(k, lang) for k in ("col_item", "col_answer", "col_mark", "col_points")]
    if show_key:
        head.append(view_text("col_expected", lang))
    rows, attrs = [], []
    for item in result.items:
        answer = ", ".join(_esc(label(a)) for a in item.answer) or "–"
        row = [_item_cell(view, item.item_id), answer, _mark(item.verdict, lang),
               _points(item.points, item.max_points)]
        if show_key:
            expected = _esc(", ".join(label(k) for k in item.key))
            if item.accepted:
                expected += "<br>" + _esc(view_text(
                    "also_accepted", lang, answers=", ".join(label(a) for a in item.accepted)))
            for text in (view.explanations.get(item.item_id, ""),
                         view.sources.get(item.item_id, "")):
                if text:
                    expected += f'<br><span style="color:#57606a">{_esc(text)}</span>'
            row.append(expected)
        rows.append(row)
        attrs.append(f'class="canvastools-item" data-item="{_esc(item.item_id)}" '
                     f'data-verdict="{_esc(item.verdict)}"')
    return _table(head, rows, attrs, "canvastools-items", narrow=(2, 3))


def _pairs(check: Check) -> tuple[int, int] | None:
    found = re.search(r"(\d+) of (\d+)", f"{check.detail} {check.label}")
    return (int(found.group(1)), int(found.group(2))) if found else None


def _spectrum_html(result: ExerciseResult, view: ExerciseView, lang: str, show_key: bool) -> str:
    """The student's order, the pairs' check, and the key's order only with ``show_key``.

    What is not placed is listed alphabetically: nothing shown without the key follows the
    key's order."""
    if result.choices == "cases":
        def label(ident: Any) -> str:
            return view.item_label(str(ident))[0]
    else:
        label = _labeller(result, lang)
    order = [str(x) for x in (result.answer or [])]
    groups = [[g] if isinstance(g, str) else [str(t) for t in g] for g in (result.key or [])]
    parts = []
    if order or show_key:
        head = ["#", view_text("order_given", lang)]
        if show_key:
            head.append(view_text("order_expected", lang))
        rows = []
        for index in range(max(len(order), len(groups) if show_key else 0)):
            row = [str(index + 1), _esc(label(order[index])) if index < len(order) else ""]
            if show_key:
                row.append(_esc(" = ".join(label(t) for t in groups[index]))
                           if index < len(groups) else "")
            rows.append(row)
        parts.append(_table(head, rows, cls="canvastools-order", narrow=(0,)))
    if not order:
        parts.append(f"<p>{_esc(view_text('no_order', lang))}</p>")
    rows = []
    placed = set(order)
    missing = sorted((label(t) for group in groups for t in group if t not in placed),
                     key=str.casefold)
    for check in result.checks:
        counted = _pairs(check)
        detail = (view_text("order_pairs_count", lang, right=counted[0], total=counted[1])
                  if counted else check.detail)
        if order and missing:
            detail += "; " + view_text("order_not_placed", lang, types=", ".join(missing))
        rows.append([_esc(view_text("order_pairs", lang)), _esc(detail),
                     _check_mark(check.ok, lang), _points(check.points, check.max_points)])
    head = [view_text(k, lang) for k in ("col_check", "col_detail", "col_mark", "col_points")]
    parts.append(_table(head, rows, cls="canvastools-checks", narrow=(2, 3)))
    return "".join(parts)


def _design_checks(result: ExerciseResult, view: ExerciseView, lang: str) -> list[list[str]]:
    """The three checks of a design, in the assignment's language (details recomputed)."""
    from canvastools.model.taxonomy import load_taxonomy

    notes = [n for n in (result.answer or []) if isinstance(n, Mapping)]
    try:
        valid = set(load_taxonomy(result.taxonomy or "bmg2010").type_ids)
    except ValueError:
        valid = set()
    names = _segment_names(result, view)
    required = list((result.key or {}).get("segments", [])) if isinstance(
        result.key, Mapping) else []
    covered = {s for n in notes if n.get("relationship") in valid for s in n.get("segments", [])}
    used = {n.get("relationship") for n in notes if n.get("relationship") in valid}
    untyped = [str(i) for i, n in enumerate(notes, 1) if n.get("relationship") not in valid]
    rows = []
    for index, check in enumerate(result.checks):
        label, detail = check.label, check.detail
        if len(result.checks) == 3:
            if index == 0:
                label = view_text("check_segments", lang)
                missing = [names.get(s, s) for s in required if s not in covered]
                detail = (view_text("check_segments_missing", lang, segments=", ".join(missing))
                          if missing else detail)
            elif index == 1:
                count = re.search(r"(\d+)", check.label)
                label = view_text("check_types", lang, count=count.group(1) if count else 2)
                detail = view_text("check_types_used", lang, count=len(used))
            else:
                label = view_text("check_typed", lang)
                detail = (view_text("check_no_notes", lang) if not notes else
                          view_text("check_typed_missing", lang, notes=", ".join(untyped))
                          if untyped else "")
        rows.append([_esc(label), _esc(detail if not check.ok or index == 1 else ""),
                     _check_mark(check.ok, lang), _points(check.points, check.max_points)])
    return rows


def _segment_names(result: ExerciseResult, view: ExerciseView) -> dict[str, str]:
    business = view.business or {}
    names = {}
    for seg in business.get("segments") or []:
        if isinstance(seg, Mapping) and isinstance(seg.get("id"), str):
            names[seg["id"]] = pick_text(seg.get("name"), view.lang) or seg["id"]
    return names


def _design_canvas(result: ExerciseResult, view: ExerciseView) -> Canvas:
    """The business of the exercise with the student's notes as its Customer Relationships."""
    from canvastools.model.canvas import Canvas
    from canvastools.model.taxonomy import load_taxonomy

    business = dict(view.business or {})
    segment_ids = list(_segment_names(result, view))
    if not business:
        required = (result.key or {}).get("segments", []) if isinstance(result.key,
                                                                        Mapping) else []
        segment_ids = [str(s) for s in required]
        business = {"title": result.exercise_id,
                    "segments": [{"id": s, "name": s} for s in segment_ids]}
    try:
        valid = set(load_taxonomy(result.taxonomy or "bmg2010").type_ids)
    except ValueError:
        valid = set()
    notes = []
    for note in result.answer or []:
        if not isinstance(note, Mapping):
            continue
        text = " ".join(str(note.get("text", "")).split()) or "…"
        relationship = note.get("relationship") if note.get("relationship") in valid else None
        segments = [s for s in note.get("segments", []) if s in segment_ids]
        notes.append({"text": text, "relationship": relationship, "segments": segments})
    data = {k: business[k] for k in ("title", "language") if k in business}
    data["title"] = str(data.get("title") or result.exercise_id)
    data["language"] = view.lang
    data["taxonomy"] = result.taxonomy or "bmg2010"
    data["segments"] = [{k: v for k, v in dict(s).items() if k in ("id", "name", "color")}
                        for s in business.get("segments") or [] if isinstance(s, Mapping)]
    data["blocks"] = {"customer_relationships": notes}
    return Canvas.from_dict(data, f"<design {result.exercise_id}>")


def design_png(result: ExerciseResult, view: ExerciseView | None = None) -> bytes:
    """The drawn Customer Relationships block of a design result, as PNG bytes (Agg, no
    pyplot; the caller's rcParams untouched)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from canvastools.draw import draw_block

    view = view or ExerciseView(result.exercise_id)
    canvas = _design_canvas(result, view)
    from canvastools._io.literal import literal_text

    with literal_text():  # a student's note "$...$" drawn as written
        fig = Figure(figsize=(8, 5.5))
        FigureCanvasAgg(fig)
        draw_block(canvas, "customer_relationships", ax=fig.add_axes((0, 0, 1, 1)),
                   lang=_lang(view.lang))
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DRAWING_DPI)
    return buffer.getvalue()


def _designer_html(result: ExerciseResult, view: ExerciseView, lang: str) -> str:
    label = _labeller(result, lang)
    names = _segment_names(result, view)
    title = str((view.business or {}).get("title") or result.exercise_id)
    parts = []
    try:
        png = base64.b64encode(design_png(result, view)).decode("ascii")
        alt = view_text("drawing_alt", lang, title=title)
        parts.append(f'<img class="canvastools-drawing" src="data:image/png;base64,{png}" '
                     f'alt="{_esc(alt)}" style="display:block;max-width:100%;height:auto;'
                     f'width:{8 * DRAWING_DPI}px;border:1px solid #d0d7de;margin:4px 0">')
    except Exception:  # noqa: BLE001 - the notes below still say everything
        parts.append(f"<p><i>{_esc(view_text('drawing_unavailable', lang))}</i></p>")
    notes = [n for n in (result.answer or []) if isinstance(n, Mapping)]
    if notes:
        rows = []
        for index, note in enumerate(notes, 1):
            kind = note.get("relationship")
            rows.append([str(index),
                         f'<span style="{_FREE}">{_esc(note.get("text", ""))}</span>',
                         _esc(label(kind)) if kind else
                         f"<i>{_esc(view_text('no_type', lang))}</i>",
                         _esc(", ".join(names.get(s, s) for s in note.get("segments", [])))
                         or "–"])
        parts.append(_table(["#", view_text("col_note", lang), view_text("col_type", lang),
                             view_text("col_segments", lang)], rows, cls="canvastools-notes",
                           narrow=(0,)))
    else:
        parts.append(f"<p>{_esc(view_text('no_notes', lang))}</p>")
    head = [view_text(k, lang) for k in ("col_check", "col_detail", "col_mark", "col_points")]
    parts.append(_table(head, _design_checks(result, view, lang), cls="canvastools-checks",
                        narrow=(2, 3)))
    return "".join(parts)


def result_html(result: ExerciseResult, *, show_key: bool, view: ExerciseView | None = None) -> str:
    """One exercise's result as a self-contained, wrapping HTML fragment."""
    view = view or ExerciseView(result.exercise_id)
    lang = _lang(view.lang)
    if result.kind == "designer":
        body = _designer_html(result, view, lang)
    elif result.kind == "spectrum":
        body = _spectrum_html(result, view, lang, show_key)
    else:
        body = _items_html(result, view, lang, show_key)
    return (f'<div class="canvastools-result canvastools-{_esc(result.kind)}" '
            f'data-exercise="{_esc(result.exercise_id)}" style="{_WRAP}">'
            f"{_header(result, lang)}{body}{_remarks(result)}</div>")


def result_text(result: ExerciseResult, *, view: ExerciseView | None = None) -> str:
    """A plain-text summary (no key): item, mark, points."""
    view = view or ExerciseView(result.exercise_id)
    lang = _lang(view.lang)
    lines = [f"{result.exercise_id}: {_fmt(result.points)}/{_fmt(result.max_points)}"]
    lines += [f"  {view.item_label(i.item_id)[0]}: {view_text('mark_' + i.verdict, lang)} "
              f"({_fmt(i.points)}/{_fmt(i.max_points)})" for i in result.items
              if i.verdict in VERDICT_COLOURS]
    lines += [f"  {view_text('check_done' if c.ok else 'check_not_yet', lang)}: {c.label}"
              for c in result.checks]
    lines += [f"  {n}" for n in result.notes]
    return "\n".join(lines)


def result_outputs(results: Sequence[ExerciseResult], *, show_key: bool,
                   views: Mapping[str, ExerciseView] | None = None,
                   sources: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """nbformat ``display_data`` outputs showing ``results``.

    ``views`` (or ``sources``, the code cells of the instructor's notebook, read with
    :func:`exercise_views`) say how the assignment shows each exercise.
    """
    if views is None:
        views = exercise_views(sources or ())
    outputs = []
    for result in results:
        view = views.get(result.exercise_id)
        outputs.append({"output_type": "display_data", "metadata": {},
                        "data": {"text/html": result_html(result, show_key=show_key,
                                                          view=view),
                                 "text/plain": result_text(result, view=view)}})
    return outputs


def items_list_html(view: ExerciseView, result: ExerciseResult | None = None) -> str:
    """What an exercise asked, readable: its items in order (a case's company in bold, its
    description), each with the student's mark and points when ``result`` is given. Shown in
    the feedback instead of the code that made the widget; no key.

    >>> view = exercise_views(['quiz = ClassifyItems("q", [{"id": "a", "company": "Acme", '
    ...                        '"description": "Desks by post"}, {"id": "b", "company": "Acme",'
    ...                        ' "description": "A shop"}])'])["q"]
    >>> "<b>Acme</b> – Desks by post" in items_list_html(view)
    True
    """
    lang = _lang(view.lang)
    marks = {i.item_id: i for i in getattr(result, "items", ())}
    entries = []
    for ident, title, description in view.items:
        text = f"<b>{_esc(title or ident)}</b>"
        if description:
            text += f" – {_esc(description)}"
        item = marks.get(ident)
        if item is not None:
            text += f" {_mark(item.verdict, lang)} {_points(item.points, item.max_points)}"
        entries.append(f'<li data-item="{_esc(ident)}" style="margin:2px 0">{text}</li>')
    title = view_text("items_asked", lang, exercise=view.exercise_id)
    return (f'<div class="canvastools-asked" style="{_WRAP}"><p style="margin:0 0 4px 0">'
            f'<b>{_esc(title)}</b></p><ol style="margin:0;padding-left:1.6em">'
            f'{"".join(entries)}</ol></div>')
