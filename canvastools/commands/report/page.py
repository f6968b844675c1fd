"""The class report as one self-contained HTML page (figures embedded as PNG, no links out).

>>> from canvastools.commands.report.data import load_report       # doctest: +SKIP
>>> html = render_page(load_report("classify-cases"))  # doctest: +SKIP

Every table has an ``id`` (``scores``, ``items``, ``confusion-N``, ``motivations``,
``hardest``, ``help``, ``flags``, ``reliability``, ``flag-rules``, ``item-stats``,
``objectives``, ``copying``) so that a test or a script can read the numbers back.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import Any

from canvastools._io.htmlsafe import escape
from canvastools.commands.report import figures as figs
from canvastools.commands.report import item_stats as st
from canvastools.commands.report import tables as rp
from canvastools.commands.report.analysis import Analysis, analyse
from canvastools.commands.report.data import STATUSES, ClassReport

CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;color:#1a1a1a;margin:0;background:#fafafa}
main{max-width:960px;margin:0 auto;padding:16px 20px 40px;background:#fff;box-sizing:border-box}
h1{font-size:1.5em;margin:.3em 0}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ddd}
p.note,figcaption{color:#555;font-size:.9em}
figure{margin:12px 0}figure img{max-width:100%;height:auto;display:block}
.wrap{overflow-x:auto;max-width:100%}.wrap:focus-visible{outline:2px solid #0b5cad}
table{border-collapse:collapse;font-size:.86em;margin:8px 0;max-width:100%}
th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top;
overflow-wrap:break-word}
th{background:#f2f2f2}td.n{text-align:right;white-space:nowrap;width:1%}
tr.group th{background:#e8f1f8;text-align:left}
details{margin:6px 0}summary{cursor:pointer;color:#0072b2}
.summary span{display:inline-block;margin-right:1.2em}
"""


_esc = escape  # canvastools._io.htmlsafe: the one escaper of text put in HTML


def _num(value: float | None, percent: bool = False) -> str:
    """A share as a whole percentage, points with at most two decimals."""
    if value is None:
        return "—"
    return f"{value:.0%}" if percent else f"{round(value, 2):g}"


def _table(table_id: str, head: Sequence[str], rows: Sequence[Sequence[Any]],
           numeric: Sequence[int] = ()) -> str:
    """An HTML table; ``rows`` hold already-escaped HTML (a row that is a text is a group
    heading across the table); columns in ``numeric`` align right."""
    # the wrapper scrolls sideways on a narrow screen: focusable, so the keyboard can scroll it
    out = [f'<div class="wrap" tabindex="0"><table id="{table_id}"><thead><tr>']
    out += [f"<th>{_esc(h)}</th>" for h in head]
    out.append("</tr></thead><tbody>")
    for row in rows:
        if isinstance(row, str):  # a group heading
            out.append(f'<tr class="group"><th colspan="{len(head)}">{row}</th></tr>')
            continue
        out.append("<tr>" + "".join(
            f'<td class="n">{c}</td>' if i in numeric else f"<td>{c}</td>"
            for i, c in enumerate(row)) + "</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def figure_png(draw: Callable[..., Any], figsize: tuple[float, float], dpi: int = 110) -> str:
    """Draw on the Axes of a new (non-pyplot) Figure and return it as a base64 PNG."""
    from matplotlib.figure import Figure

    from canvastools._io.literal import literal_text

    with literal_text():  # tick labels are made while saving: a student's "$...$" as written
        fig = Figure(figsize=figsize, dpi=dpi)
        draw(ax=fig.add_subplot())
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", bbox_inches="tight", pad_inches=0.08)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _img(data: str, alt: str, caption: str = "") -> str:
    cap = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure><img src="data:image/png;base64,{data}" alt="{_esc(alt)}">{cap}</figure>'


def _labels(ids: Sequence[str], lang: str, taxonomy: str | None, choices: str) -> str:
    order = {c: n for n, c in enumerate(rp.choice_ids(choices, taxonomy))}
    ids = sorted(ids, key=lambda i: (order.get(i, len(order)), i))
    return " + ".join(_esc(rp.choice_label(i, lang, taxonomy)) for i in ids) or "—"


def _split_text(row: dict[str, Any], lang: str) -> str:
    parts = [f"{_esc(rp.choice_label(c, lang, row['taxonomy']))}: {n}"
             for c, n in row["split"].items()]
    return "<br>".join(parts) or "—"


def _section_scores(report: ClassReport, low: float) -> str:
    graded = [s.score for s in report.graded if s.score is not None]
    parts = ["<h2>Score distribution</h2>"]
    if not graded:
        return parts[0] + "<p>No graded submission yet.</p>"
    mean = sum(graded) / len(graded)
    ordered = sorted(graded)
    mid = len(ordered) // 2
    median = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    pending = sum(1 for s in report.graded if s.manual_pending)
    parts.append(
        '<p class="summary">' + "".join(f"<span>{k}: <b>{v}</b></span>" for k, v in (
            ("graded", len(graded)), ("mean", _num(mean)), ("median", _num(median)),
            ("lowest", _num(ordered[0])), ("highest", _num(ordered[-1])),
            ("out of", _num(report.max_score)))) + "</p>")
    if pending:
        parts.append(f'<p class="note">{pending} graded submissions wait for manual grading '
                     "(formgrader): their scores lack the manual points.</p>")
    parts.append(_img(figure_png(lambda ax: figs.plot_scores(report, ax, low=low),
                                 figs.scores_figsize()), "histogram of the scores"))
    rows = [[f"{score:g}", str(n)] for score, n in rp.score_counts(report)]
    parts.append("<details><summary>scores as a table</summary>"
                 + _table("scores", ["score", "students"], rows, numeric=(0, 1))
                 + "</details>")
    return "".join(parts)


def _section_items(report: ClassReport, items: list[dict[str, Any]]) -> str:
    lang = report.lang
    parts = ["<h2>Per item</h2>",
             '<p class="note">Accuracy: the share of the graded students fully right; none: '
             "not answered; mean pts: the mean points of the item. Answers: how many students "
             "chose each choice (a student choosing two types counts in both).</p>"]
    if not items:
        return "".join(parts) + "<p>No graded item.</p>"
    parts.append(_img(figure_png(lambda ax: figs.plot_item_results(items, ax),
                                 figs.items_figsize(items)), "results per item"))
    for exercise in report.exercises():
        rows = [r for r in items if r["exercise"] == exercise.exercise_id]
        if not exercise.items or not rows:
            continue
        choices = [c for c in rp.choice_pool(exercise, {c for r in rows for c in r["split"]})
                   if any(c in r["split"] or c in r["key"] or c in r["accepted"]
                          for r in rows)]
        parts.append(_img(
            figure_png(lambda ax, rows=rows, choices=choices, tax=exercise.taxonomy:
                       figs.plot_answer_split(rows, choices, ax, lang=lang, taxonomy=tax),
                figs.split_figsize(rows, len(choices))),
            f"how the answers to {exercise.exercise_id} split",
            f"How the class answered <b>{_esc(exercise.exercise_id)}</b>: students per "
            "choice; the key is framed, accepted alternatives dashed."))
    table: list[Any] = []
    exercise = None
    for r in items:
        if r["exercise"] != exercise:
            exercise = r["exercise"]
            table.append(f"exercise {_esc(exercise)}")
        table.append([_esc(r["item"]), _esc(r["label"]),
                      _labels(r["key"], lang, r["taxonomy"], r["choices"]),
                      str(r["students"]), str(r["right"]), str(r["partly"]), str(r["wrong"]),
                      str(r["unanswered"]), _num(r["accuracy"], True),
                      _num(r["mean_points"]), _split_text(r, lang)])
    parts.append(_table("items", ["item", "label", "key", "students", "right", "partly",
                                  "wrong", "none", "accuracy", "mean pts", "answers"], table,
                        numeric=(3, 4, 5, 6, 7, 8, 9)))
    return "".join(parts)


def _section_confusion(report: ClassReport) -> str:
    found = rp.confusions(report)
    parts = ["<h2>Confusions</h2>", f'<p class="note">{_esc(rp.CONFUSION_RULE)}</p>']
    if not found:
        return "".join(parts) + "<p>No classified item.</p>"
    for n, conf in enumerate(found, 1):
        what = {"types": f"relationship types ({conf.taxonomy})", "motivations": "motivations",
                "questions": "guiding questions"}[conf.choices]
        parts.append(_img(
            figure_png(lambda ax, conf=conf: figs.plot_confusion(conf, ax, lang=report.lang),
                       figs.confusion_figsize(conf)),
            f"confusion matrix of the {what}",
            f"Key against choice, {_esc(what)}: {conf.answers} answered items"
            f" ({conf.unanswered} not answered, left out)."))
        labels = conf.labels(report.lang)
        rows = [[_esc(name)] + [str(v) for v in row]
                for name, row in zip([*labels, "not in the key"], conf.counts, strict=True)]
        parts.append(f"<details><summary>{_esc(what)} as a table</summary>"
                     + _table(f"confusion-{n}", ["key \\ chosen", *labels, "not chosen"],
                              rows, numeric=tuple(range(1, len(labels) + 2)))
                     + "</details>")
    return "".join(parts)


def _section_motivations(report: ClassReport, items: list[dict[str, Any]]) -> str:
    rows = rp.motivation_table(report, items)
    if not rows:
        return ""
    body = [[_esc(r["label"]), str(r["items"]), str(r["answers"]), str(r["chosen"]),
             str(r["right"]), _num(r["accuracy"], True)] for r in rows]
    return ("<h2>Per motivation</h2><p class=\"note\">Over the rows whose key has the "
            "motivation: answers (students × rows), how many chose it, how many were fully "
            "right.</p>" + _table("motivations", ["motivation", "rows", "answers", "chose it",
                                                  "right", "accuracy"], body,
                                  numeric=(1, 2, 3, 4, 5)))


def _section_hardest(report: ClassReport, items: list[dict[str, Any]]) -> str:
    rows = rp.hardest_items(report, items=items)
    body = []
    for r in rows:
        instead = rp.most_chosen_instead(r)
        body.append([_esc(r["exercise"]), _esc(r["item"]), _esc(r["label"]),
                     _num(r["accuracy"], True),
                     _labels(r["key"], report.lang, r["taxonomy"], r["choices"]),
                     f"{_esc(rp.choice_label(instead[0], report.lang, r['taxonomy']))}: "
                     f"{instead[1]}" if instead else "—"])
    return ("<h2>Hardest items</h2><p class=\"note\">Lowest accuracy first (then lowest mean "
            "points).</p>" + _table("hardest", ["exercise", "item", "label", "accuracy",
                                                "key", "most chosen instead"], body,
                                    numeric=(3,)))


def _section_help(report: ClassReport, low: float) -> str:
    rows = rp.students_needing_help(report, low)
    body = [[_esc(r["student"]), _esc(r["status"]),
             f"{_num(r['score'])} / {_num(r['max_score'])}" if r["score"] is not None else "—",
             _esc("; ".join(r["reasons"]))] for r in rows]
    return (f"<h2>Students who may need help</h2><p class=\"note\">No submission, a "
            f"submission not graded yet, or under {low:.0%} of the points.</p>"
            + (_table("help", ["student", "status", "score", "why"], body)
               if rows else "<p>None.</p>"))


def _section_flags(report: ClassReport) -> str:
    rows = rp.flag_table(report)
    body = [[_esc(f["student"]), f"<code>{_esc(f['code'])}</code>", _esc(f["meaning"]),
             _esc(f["message"])] for f in rows]
    return ("<h2>Grading flags</h2><p class=\"note\">Everything the grader noticed while "
            "taking in and grading the submissions, and identical answer files.</p>"
            + (_table("flags", ["student", "flag", "meaning", "details"], body)
               if rows else "<p>No flags.</p>"))


STAT_WORDS = (
    ("difficulty p", "the share of the item's points the class earned: 0.9 means an easy "
                     "item, 0.3 a hard one."),
    ("D (upper − lower 27%)", "how much better the top 27% of the class (by total score) did "
                              "on the item than the bottom 27%, from −1 to 1."),
    ("item–rest r", "whether the students who did well on the rest of the assignment also did "
                    "well on this item (a correlation from −1 to 1; the item itself is left out "
                    "of the rest)."),
    ("KR-20 / Cronbach's alpha", "how consistently the items rank the students, from 0 to 1; "
                                 "KR-20 when every item is right or wrong, alpha when there is "
                                 "partial credit; around 0.7 or more is usual for a grade that "
                                 "counts, a short assignment is lower."),
)


def _section_analysis(analysis: Analysis) -> str:
    parts = ["<h2>Item analysis</h2>", '<p class="note">'
             + "<br>".join(f"<b>{_esc(k)}</b>: {_esc(v)}" for k, v in STAT_WORDS) + "</p>"]
    rel = analysis.reliability
    parts.append(f'<p class="summary" id="reliability"><span>{_esc(rel.name)}: <b>'
                 f"{_num(rel.value)}</b></span><span>over {rel.students} students who had "
                 f"all {rel.items} items</span></p>")
    rules = [[f"<b>{_esc(flag)}</b>", _esc(rule), _esc(source)]
             for flag, (rule, source) in st.FLAG_RULES.items()]
    parts.append("<details><summary>the flags, their thresholds and sources</summary>"
                 + _table("flag-rules", ["flag", "when", "source"], rules) + "</details>")
    if not analysis.items:
        return "".join(parts) + "<p>No graded item.</p>"
    parts.append(_img(figure_png(lambda ax: figs.draw_item_map(analysis.items, ax=ax),
                                 figs.item_map_figsize()),
                      "difficulty against discrimination, per item",
                      "Each item: difficulty (across) and discrimination (up, the item–rest "
                      "r); the shaded band is negative discrimination, the dashed line 0.2; "
                      "flagged items are named."))
    body = [[_esc(f"{a['exercise']} / {a['item']}"), _num(a["p"]), _num(a["D"]),
             _num(a["r_rest"]), _esc(", ".join(a["flags"])) or "—",
             _esc("; ".join(a["objectives"])) or "—"] for a in analysis.items]
    parts.append(_table("item-stats", ["item", "p", "D", "item–rest r", "flags",
                                       "objectives"], body, numeric=(1, 2, 3)))
    return "".join(parts)


def _section_objectives(analysis: Analysis) -> str:
    if not analysis.objectives:
        return ("<h2>Learning objectives</h2><p class=\"note\">No objective is tagged for "
                "this assignment: list them in objectives.yaml in the course folder "
                "(docs/instructors.md, Learning objectives).</p>")
    body = [[_esc(o["objective"]), str(o["items"]), str(o["students"]), str(o["meeting"]),
             _num(o["share"], True), _num(o["mean"], True)] for o in analysis.objectives]
    return ("<h2>Learning objectives</h2><p class=\"note\">A student meets an objective with "
            f"at least {analysis.threshold:.0%} of the points of its items "
            "(--objective-threshold). Meeting: how many students do; share: of the graded "
            "students given its items.</p>"
            + _table("objectives", ["objective", "items", "students", "meeting", "share",
                                    "mean score"], body, numeric=(1, 2, 3, 4, 5)))


def _odds(p: float) -> str:
    """A small probability as an instructor reads it: ``1 in 2,200,000`` (else a %)."""
    if p >= 0.01:
        return f"{p:.0%}"
    if p < 1e-12:
        return "under 1 in a million million"
    return f"1 in {float(f'{1 / p:.2g}'):,.0f}"


def _section_copying(analysis: Analysis) -> str:
    parts = ["<h2>Copying signal</h2>", '<p class="note">For every pair of students: the '
             "items both got wrong, how many of them have the very same wrong answer, and how "
             "many the class's own wrong answers make likely by chance. Listed: the pairs "
             "whose count has a chance under "
             f"{st.COPYING_ALPHA:.0%} even after correcting for the number of pairs (Holm). "
             "<b>A signal to look at, not proof</b>: friends who studied together, or a "
             "misconception taught the same way, give the same signal.</p>"]
    if not analysis.copying:
        return "".join(parts) + ("<p>No improbable pair. (Byte-identical answer files are "
                                 "in the grading flags above.)</p>")
    body = [[_esc(c.first), _esc(c.second), str(c.both_wrong), str(c.shared),
             _num(c.expected), _odds(c.p), _odds(c.p_corrected),
             _esc(f"{c.shared} identical wrong answers where about {_num(c.expected)} "
                  "would happen by chance")] for c in analysis.copying]
    return "".join(parts) + _table("copying", [
        "student", "student", "both wrong", "same wrong answer", "expected", "chance",
        "chance, all pairs", "reading"], body, numeric=(2, 3, 4, 5, 6))


def render_page(report: ClassReport, *, low: float = rp.LOW_SCORE,
                analysis: Analysis | None = None) -> str:
    """The whole report as HTML text (``analysis``:
    :func:`canvastools.commands.report.analysis.analyse`
    of the report, made with the default threshold when not given)."""
    analysis = analysis or analyse(report)
    items = rp.item_table(report)
    counts = {status: sum(1 for s in report.students if s.status == status)
              for status in STATUSES}
    rescored = [s.student for s in report.graded if s.source == "answer file"]
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    head = (f"<h1>Class report: {_esc(report.assignment)}</h1>"
            f'<p class="note">Course {_esc(report.root)} · {stamp} · labels in '
            f"{_esc(report.lang)} · {counts['graded']} graded, {counts['not graded']} not "
            f"graded, {counts['no submission']} without a submission, of "
            f"{len(report.students)} students.</p>")
    if rescored:
        head += (f'<p class="note">No grading record for {_esc(", ".join(rescored))}: their '
                 "items were scored again from the graded answer files.</p>")
    body = (head + _section_scores(report, low) + _section_items(report, items)
            + _section_analysis(analysis) + _section_objectives(analysis)
            + _section_confusion(report) + _section_motivations(report, items)
            + _section_hardest(report, items) + _section_help(report, low) + _section_flags(report)
            + _section_copying(analysis))
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>Class report: {_esc(report.assignment)}</title><style>{CSS}</style>"
            f"</head><body><main>{body}</main></body></html>\n")
