"""What a student's notebook may put in front of the instructor's browser, after it ran.

A notebook of attacks is executed by nbclient (a real kernel: display updates are written by
nbclient itself, past any per-message filter), then cleaned by CleanStudentContent and rendered
by nbconvert's classic template, which formgrader extends.
"""

from __future__ import annotations

import base64
import json
import re

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from nbgrader import utils as nbutils

from canvastools._io.htmlsafe import clean_html, markdown_html
from canvastools.grader.clean_content import CleanStudentContent, OutputBudget

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 32).decode()
EVIL_HTML = ('<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
             '<b>bold</b><a href="javascript:alert(3)">j</a><img src="https://evil.example/t.gif">'
             '<span style="background:url(https://evil.example/s.png)" onclick="x()">s</span>')
CELLS = [
    "from IPython.display import display, update_display",
    "display({'text/plain': 'waiting'}, raw=True, display_id='one')",
    f"update_display({{'text/plain': 'p', 'text/html': {EVIL_HTML!r}}}, raw=True, "
    "display_id='one')",
    f"display({{'image/png': {PNG!r}, 'text/plain': 'img', 'application/javascript': "
    "'window.__pwned=4', 'image/svg+xml': '<svg onload=\"x()\"/>'}, raw=True, "
    "metadata={'image/png': {'width': 10, 'height': '1 onerror=x()'}, "
    "'filenames': {'image/png': 'https://evil.example/f.png'}, "
    "'url': 'https://evil.example/u'})",
    "print('if staff < 1 & $n<1$')",
    "display({'text/plain': 'small'}, raw=True, display_id='big')",
    "update_display({'text/plain': 'x' * 40_000_000}, raw=True, display_id='big')",
]
MARKDOWN = ("See [the docs](javascript&#58;alert(1)), [ok](https://example.org) and "
            "`if staff < 1`; maths $n<1$ & more.\n\n"
            "<img src=x onerror=alert(1)> ![pic](attachment:p.png) ![far](http://evil.example/p)")


def _run_and_clean(tmp_path) -> tuple[nbformat.NotebookNode, str]:
    nb = new_notebook(cells=[new_code_cell(c) for c in CELLS] + [new_markdown_cell(
        MARKDOWN, attachments={"p.png": {"image/png": PNG}})])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "version_major": 2, "version_minor": 0, "state": {}}}  # a CDN script in the page
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    NotebookClient(nb, timeout=60, resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert len(json.dumps(nb)) > 40_000_000  # nbclient wrote the update: the side door
    nb, _ = CleanStudentContent().preprocess(nb, {})
    path = tmp_path / "graded.ipynb"
    nbformat.write(nb, str(path))
    from nbconvert import HTMLExporter

    # the student's code is shown escaped (highlighted): only what it produced is checked
    page, _ = HTMLExporter(template_name="classic", exclude_input=True).from_notebook_node(nb)
    return nb, page


@pytest.fixture(scope="module")
def cleaned(tmp_path_factory):
    return _run_and_clean(tmp_path_factory.mktemp("clean"))


def _student_part(page: str) -> str:
    """The page without nbconvert's own head (CSS, MathJax, require.js)."""
    return page[page.index("<body"):]


def test_no_script_event_or_remote_resource_survives(cleaned):
    nb, page = cleaned
    body = _student_part(page)
    assert "@jupyter-widgets/html-manager" not in page
    for bad in ("<script>window", "onerror", "onclick", "onload", "javascript:", "__pwned=",
                "evil.example", "style=", "<svg"):
        assert bad not in body, bad
    assert "<b>bold</b>" in body  # harmless HTML stays
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert all(set(o.get("metadata", {})) <= {"image/png"} for o in outputs)
    assert [o.metadata["image/png"] for o in outputs if "image/png" in o.get("data", {})] == [
        {"width": 10}]


def test_honest_text_is_shown_as_written(cleaned):
    nb, page = cleaned
    body = _student_part(page)
    assert "if staff &lt; 1 &amp; $n&lt;1$" in body  # escaped once: the browser shows it as is
    assert "<code>if staff &lt; 1</code>" in body
    assert "$n&lt;1$ &amp; more" in body
    assert "&amp;lt;" not in body
    assert '<a href="https://example.org"' in body
    assert f'src="data:image/png;base64,{PNG}"' in body  # the attachment, inline
    assert "attachments" not in nb.cells[-1]


def test_a_40_mb_display_update_is_capped_and_flagged(cleaned, tmp_path):
    nb, _ = cleaned
    size = len(nbformat.writes(nb))
    assert size < 3 * 1024**2, size
    flags = [f["code"] for f in nb.metadata["canvastools"]["flags"]]
    assert flags == ["output-capped"]


def _graded_cell(outputs):
    cell = new_code_cell("assert answer()", metadata={"nbgrader": {
        "grade": True, "solution": False, "grade_id": "t", "points": 2.0, "locked": True,
        "schema_version": 3}})
    cell.outputs = outputs
    return cell


def test_a_cap_never_turns_a_failed_test_into_marks():
    flood = [new_output("display_data", data={"text/plain": "y" * 10}) for _ in range(50)]
    failed = _graded_cell(flood + [new_output("error", ename="AssertionError", evalue="no",
                                              traceback=["x" * 5000])])
    partial = _graded_cell(flood + [new_output("execute_result", data={"text/plain": "0.5"},
                                               execution_count=1)])
    nb = new_notebook(cells=[failed, partial])
    step = CleanStudentContent(max_outputs=10)
    nb, _ = step.preprocess(nb, {})
    assert nbutils.determine_grade(nb.cells[0]) == (0, 2.0)
    assert nbutils.determine_grade(nb.cells[1]) == (0.5, 2.0)
    assert sum(len(c.outputs) for c in nb.cells) == 12
    assert [f["code"] for f in nb.metadata["canvastools"]["flags"]] == ["output-capped"]


def test_oversized_attachments_are_dropped_with_a_flag():
    nb = new_notebook(cells=[new_markdown_cell("![a](attachment:a.png)", attachments={
        "a.png": {"image/png": PNG * 100}})])
    nb, _ = CleanStudentContent(max_attachment_bytes=1000).preprocess(nb, {})
    assert "data:image" not in nb.cells[0].source
    assert [f["code"] for f in nb.metadata["canvastools"]["flags"]] == ["attachment-capped"]


def test_the_graders_own_outputs_keep_their_html():
    table = '<table class="canvastools-table"><tr><td>right</td></tr></table>'
    scored = _graded_cell([new_output("display_data", data={"text/html": table})])
    scored.metadata["canvastools"] = {"scored": True}
    forged = _graded_cell([new_output("display_data", data={"text/html": table})])
    nb, _ = CleanStudentContent().preprocess(new_notebook(cells=[scored, forged]), {})
    assert nb.cells[0].outputs[0].data["text/html"] == table
    assert 'class=' not in nb.cells[1].outputs[0].data["text/html"]  # no dressing up


@pytest.mark.parametrize("text", [
    "[x](javascript&#58;alert(1))", "[x](JaVaScRiPt:alert(1))", "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)", "<a href='java\tscript:alert(1)'>x</a>",
    "[x](  javascript:alert(1))", "<iframe src=//evil.example></iframe>",
    "<form action=/api/terminals method=post><button>go</button></form>",
    "<div style='position:fixed'>x</div>", "<base href=//evil.example/>",
    "<a href=/api/terminals>relative</a>", "<img srcset='//evil.example/x 1x'>",
])
def test_markdown_tricks_leave_no_active_link(text):
    html = markdown_html(text)
    assert not re.search(r"(href|src|action|srcset|style)=\"(?!#harmful-link)", html), html
    assert "<iframe" not in html and "<form" not in html and "<base" not in html


@pytest.mark.parametrize("text", [
    "[x](//evil.example/x)", "<a href='\\\\evil.example/x'>x</a>",
    "<meta http-equiv=refresh content='0;url=https://evil.example'>",
    "<svg><a href='javascript:alert(1)'><text>x</text></a></svg>",
    "<math><maction actiontype=statusline xlink:href='javascript:alert(1)'>x</maction></math>",
    "<table background='https://evil.example/t'><tr><td background=//evil.example>x</td>"
    "</tr></table>", "<video poster='https://evil.example/p'><source src=//evil.example>",
    "<blockquote cite='https://evil.example/track'>q</blockquote>",
    "<span style='background:url(https://evil.example/x)'>x</span>",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<img src='data:image/png;base64,AAAA' srcset='https://evil.example/x 2x'>",
    "<noscript><p title='</noscript><img src=x onerror=alert(1)>'></noscript>",
])
def test_more_markdown_tricks_fetch_and_run_nothing(text):
    """Protocol-relative and backslash links, meta refresh, SVG and MathML links, legacy
    ``background``/``poster``/``cite`` URLs, CSS ``url()``, an SVG data image, ``srcset``
    beside a harmless image, the noscript parsing trick: no URL is left but ``#`` anchors
    and inline PNG/JPEG/GIF images."""
    html = markdown_html(text)
    for attribute, value in re.findall(r'([a-z:-]+)="([^"]*)"', html):
        assert attribute in ("href", "src", "alt", "rel", "class", "title"), html
        if attribute == "href":
            assert value.startswith("#"), html
        if attribute == "src":
            assert re.match(r"data:image/(png|jpeg|gif);base64,", value), html
    assert not re.search(r"<(svg|math|meta|video|source|noscript|script)\b", html), html
    assert not re.search(r"<img[^>]*onerror", html), html


def test_maths_that_makes_links_is_not_typeset():
    assert "mathjax_ignore" in markdown_html(r"$\href{javascript:alert(1)}{x}$")
    assert "mathjax_ignore" not in markdown_html("$n<1$")
    assert clean_html("a < b") == "a &lt; b"


def test_the_running_budget_keeps_what_decides_a_grade():
    class Base:
        def output(self, outs, msg, display_id, cell_index):
            outs.append(new_output(msg["header"]["msg_type"], **msg["content"]))

        def _update_display_id(self, display_id, msg):
            raise AssertionError("past the budget: never applied")

    class Step(OutputBudget, Base):
        pass

    step, outs = Step(), []
    step._output_budget = 100
    big = {"header": {"msg_type": "display_data"}, "content": {"data": {"text/plain": "x" * 200},
                                                               "metadata": {}}}
    step.output(outs, big, None, 0)
    step._update_display_id("d", big)
    error = {"header": {"msg_type": "error"}, "content": {"ename": "E", "evalue": "v" * 900,
                                                          "traceback": ["t" * 9000]}}
    step.output(outs, error, None, 0)
    step.output(outs, error, None, 0)
    assert step._capped and len(outs) == 1 and outs[0].output_type == "error"
    assert len(json.dumps(outs)) < 1000


def test_both_autograde_commands_clean_the_final_notebook():
    """`nbgrader autograde` and `canvastools autograde` read one list of steps (the course's
    config): the cleaning comes after the last step that can add an output, before the
    gradebook is written."""
    from nbg_helpers import ROOT

    from canvastools.grader.autograde_task import WRITERS, load_course

    names = [s.__name__ if isinstance(s, type) else type(s).__name__
             for s in load_course(ROOT).grade]
    clean = names.index("CleanStudentContent")
    assert names.index("SandboxedExecute") < names.index("LimitOutput") < clean
    assert all(names.index(w) > clean for w in WRITERS)


def test_an_unanswered_marked_answer_still_scores_zero_by_itself():
    """nbgrader gives 0 to a solution cell whose text is the released one (checksum): cleaning
    must not turn it into "needs manual grading"."""
    meta = {"grade": True, "solution": True, "grade_id": "why", "points": 2.0,
            "locked": False, "schema_version": 3}
    blank = new_markdown_cell("YOUR ANSWER HERE", metadata={"nbgrader": dict(meta)})
    blank.metadata.nbgrader["checksum"] = nbutils.compute_checksum(blank)
    answered = new_markdown_cell("Because staff < 1 per site.", metadata={"nbgrader": dict(
        meta, checksum=blank.metadata.nbgrader["checksum"])})
    nb, _ = CleanStudentContent().preprocess(new_notebook(cells=[blank, answered]), {})
    assert nbutils.determine_grade(nb.cells[0]) == (0, 2.0)
    assert nbutils.determine_grade(nb.cells[1]) == (None, 2.0)
    assert "staff &lt; 1" in nb.cells[1].source
