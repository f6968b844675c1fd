"""nbgrader preprocessors used by the canvastools course (registered in nbgrader_config.py).

- :class:`StripWidgetState` (``generate_assignment``): released notebooks carry no saved widget
  state and no widget outputs, and no answer sidecar (``canvastools_answers.json``, its lock or
  backups) is ever released, even if an instructor tried the widgets inside ``solutions/``.
- :class:`RestoreMissingCells` (``autograde``): nbgrader's ``OverwriteCells`` with
  ``add_missing_cells`` puts a deleted test cell back, but nbgrader 0.9.6 crashes
  (``KeyError``) when the cell before it in the source is a read-only cell, which is the rule
  here (the widget cell, then its test). This subclass finds the place from any cell that is
  still there, and otherwise appends the test at the end.
- :class:`HideHiddenTests` (``generate_feedback``): the feedback shows no hidden test. The
  hidden-test regions of the cells are replaced by a placeholder line, and outputs that would
  quote them (IPython tracebacks print the failing lines of the cell) are cut down to the
  error's name and message, or replaced when even that quotes hidden code. Widget state and
  widget views are removed too, and so is the copy of the student's answer file that nbgrader
  puts in the feedback folder (the answers stay in autograded/).

- :class:`ShowResults` (``generate_feedback``, after ``HideHiddenTests``): each exercise the
  grader scored is shown again from its results (``cell.metadata["canvastools"]``): the
  student's own answers (the drawn design too) and marks, in the assignment's language. The
  expected answers, their explanations and sources are shown only when the instructor sets
  ``c.ShowResults.show_key = True``; the canvastools metadata is removed from the feedback.
- :class:`TableStyles` (every HTML page: formgrader and feedback, as
  ``c.HTMLExporter.preprocessors``): markdown tables (a rubric) get borders and a header.

They are nbgrader preprocessors (``NbGraderPreprocessor``): add them to nbgrader's default
lists, e.g.::

    c.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, ShowResults,
                                        CSSHTMLHeaderPreprocessor]
"""

from __future__ import annotations

import fnmatch
import os
import re
from typing import Any

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, List, Unicode

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
SIDECAR_PATTERNS = ("canvastools_answers*", ".canvastools_answers*")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
META = "canvastools"
_WIDGET_NOTE = "[interactive widget: the answers are graded from canvastools_answers.json]"


def _strip_widget_outputs(cell: NotebookNode) -> None:
    """Drop widget views and saved widget state from a code cell's outputs."""
    if cell.get("cell_type") != "code":
        return
    kept = []
    for output in cell.get("outputs", []):
        data = output.get("data")
        if data is not None and (WIDGET_VIEW in data or WIDGET_STATE in data):
            data.pop(WIDGET_STATE, None)
            if data.pop(WIDGET_VIEW, None) is not None:
                data.clear()
                data["text/plain"] = _WIDGET_NOTE
            if not data:
                continue
        kept.append(output)
    cell["outputs"] = kept
    cell.get("metadata", {}).pop("widgets", None)


def _strip_notebook_widgets(nb: NotebookNode) -> None:
    nb.get("metadata", {}).pop("widgets", None)
    for cell in nb.cells:
        _strip_widget_outputs(cell)


class _FeedbackStep(NbGraderPreprocessor):
    """A step of generate_feedback's list (configured like nbgrader's own GetGrades)."""

    # as in nbgrader's GetGrades (silences "Config option not recognized" from HTMLExporter)
    display_data_priority = List(
        ["text/html", "application/pdf", "text/latex", "image/svg+xml", "image/png",
         "image/jpeg", "text/plain"],
    ).tag(config=True)


class _RemovesAnswerFiles(_FeedbackStep):
    """Deletes answer sidecars (and their lock and backups) from the converter's output folder."""

    sidecar_patterns = List(
        Unicode(), list(SIDECAR_PATTERNS),
        help="Files removed from the output folder (the answer file, its lock and backups).",
    ).tag(config=True)

    def _output_folder(self, resources: dict[str, Any]) -> str | None:
        converter = getattr(self.parent, "parent", None)
        info = resources.get("nbgrader") or {}
        if converter is None or not hasattr(converter, "_format_dest") or "assignment" not in info:
            return None
        from canvastools.grader._nbgrader import converter_dest

        return converter_dest(converter, info["assignment"], info.get("student", "."))

    def _remove_sidecars(self, resources: dict[str, Any]) -> None:
        folder = self._output_folder(resources)
        if not folder or not os.path.isdir(folder):
            return
        for dirpath, _dirnames, filenames in os.walk(folder):
            for name in filenames:
                if any(fnmatch.fnmatch(name, pattern) for pattern in self.sidecar_patterns):
                    path = os.path.join(dirpath, name)
                    self.log.info("Removing the answer file %s from %s", name, folder)
                    os.remove(path)


class StripWidgetState(_RemovesAnswerFiles):
    """generate_assignment: no widget state, widget outputs or answer sidecars in a release."""

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]):
        _strip_notebook_widgets(nb)
        self._remove_sidecars(resources)
        return nb, resources


class HideHiddenTests(_RemovesAnswerFiles):
    """generate_feedback: hidden tests (code and anything quoting it) are not shown."""

    begin_test_delimeter = Unicode("BEGIN HIDDEN TESTS").tag(config=True)
    end_test_delimeter = Unicode("END HIDDEN TESTS").tag(config=True)
    placeholder = Unicode(
        "# (hidden tests are not shown in the feedback)",
        help="Replaces each hidden-test region of a cell.",
    ).tag(config=True)
    hidden_output = Unicode(
        "(this output is not shown: it quotes a hidden test)",
    ).tag(config=True)
    min_fragment = 6

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]):
        _strip_notebook_widgets(nb)
        self._remove_sidecars(resources)  # feedback is HTML; the answers stay in autograded/
        hidden_cells = set()
        fragments: set[str] = set()
        for index, cell in enumerate(nb.cells):
            source, lines = self.hide_regions(cell.get("source", ""))
            if lines:
                hidden_cells.add(index)
                cell["source"] = source
                fragments.update(line for line in lines if len(line) >= self.min_fragment)
        for index, cell in enumerate(nb.cells):
            if cell.get("cell_type") == "code":
                self._sanitise_outputs(cell, fragments, index in hidden_cells)
        return nb, resources

    def hide_regions(self, source: str) -> tuple[str, list[str]]:
        """Return the source with hidden regions replaced, and the stripped hidden lines."""
        new_lines: list[str] = []
        hidden: list[str] = []
        in_test = False
        for line in source.split("\n"):
            if self.begin_test_delimeter in line and not in_test:
                in_test = True
                indent = line[: len(line) - len(line.lstrip())]
                new_lines.append(indent + self.placeholder)
            elif in_test and self.end_test_delimeter in line:
                in_test = False
            elif in_test:
                if line.strip():
                    hidden.append(" ".join(line.split()))
            else:
                new_lines.append(line)
        if not hidden and not any(self.begin_test_delimeter in x for x in source.split("\n")):
            return source, []
        return "\n".join(new_lines), hidden or [self.begin_test_delimeter]

    def _quotes(self, text: str, fragments: set[str]) -> bool:
        flat = " ".join(_ANSI.sub("", text).split())
        return any(fragment in flat for fragment in fragments)

    def _sanitise_outputs(self, cell: NotebookNode, fragments: set[str], hidden: bool) -> None:
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "error":
                ename = _ANSI.sub("", str(output.get("ename", "Error")))
                evalue = _ANSI.sub("", str(output.get("evalue", "")))
                if self._quotes(ename + " " + evalue, fragments):
                    evalue = self.hidden_output
                tb_text = "\n".join(str(x) for x in output.get("traceback", []))
                if hidden or self._quotes(tb_text, fragments):
                    output["evalue"] = evalue
                    output["traceback"] = [f"{ename}: {evalue}" if evalue else ename]
            elif kind == "stream":
                text = output.get("text", "")
                text = "".join(text) if isinstance(text, list) else str(text)
                if self._quotes(text, fragments):
                    output["text"] = self.hidden_output + "\n"
            elif kind in ("execute_result", "display_data"):
                data = output.get("data", {})
                for mime in list(data):
                    value = data[mime]
                    text = "".join(value) if isinstance(value, list) else str(value)
                    if self._quotes(text, fragments):
                        data[mime] = self.hidden_output




class HideKernelOutput(_FeedbackStep):
    """generate_feedback: what a student's kernel printed at grading time is not shown.

    A notebook that had to run (an instructor's plain-Python test) ran the hidden part of that
    test in the student's kernel, so the student's own code could have printed it, encoded,
    anywhere. The feedback therefore shows no output of code cells that ran, except that a
    graded test cell that failed says so (the error's name, without its message). canvastools
    cells are not concerned: they never ran, and ShowResults shows their results.
    """

    note = Unicode("(the output of your code at grading time is not shown in the feedback: "
                   "see your own notebook)").tag(config=True)
    enabled_for_kernel_runs = Bool(
        True, help="Hide outputs of notebooks that ran in a kernel.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]):
        ran = nb.get("metadata", {}).get(META, {}).get("kernel") in ("sandboxed", "unsandboxed")
        if not (ran and self.enabled_for_kernel_runs):
            return nb, resources
        from nbgrader import utils as nbutils

        for cell in nb.cells:
            if cell.get("cell_type") != "code" or cell.get("metadata", {}).get(META):
                continue
            outputs = cell.get("outputs", [])
            if nbutils.is_grade(cell):
                failed = [o for o in outputs if o.get("output_type") == "error"]
                cell["outputs"] = [NotebookNode({
                    "output_type": "error", "ename": _ANSI.sub("", str(failed[0].get("ename"))
                                                              )[:60],
                    "evalue": "", "traceback": ["this test did not pass"]})] if failed else []
            elif outputs:
                cell["outputs"] = [NotebookNode({"output_type": "stream", "name": "stdout",
                                                 "text": self.note + "\n"})]
        return nb, resources


class ShowResults(_FeedbackStep):
    """generate_feedback: each scored exercise shown from its results; the key only on request.

    In ``nbgrader_config.py`` (after ``configure_course``)::

        c.ShowResults.show_key = True   # also show the expected answers (default: False)
    """

    show_key = Bool(
        False, help="Whether the feedback shows the expected answer of each item (with the "
                    "accepted alternatives, the explanation and the source given in the "
                    "grading declaration) and the expected spectrum order. Off: the feedback "
                    "shows the student's own answers, marks and points only.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]):
        from canvastools.grading.results import ExerciseResult
        from canvastools.grading.views import exercise_views, result_outputs

        views = None
        scored: dict[str, Any] = {}
        for cell in nb.cells:
            meta = cell.get("metadata", {}).pop(META, None)
            if cell.get("cell_type") != "code" or not isinstance(meta, dict):
                continue
            results = meta.get("results")
            if not meta.get("scored") or not isinstance(results, list):
                continue  # a key error: its (sanitised) message stays
            if views is None:
                views = exercise_views(self._sources(nb, resources))
            try:
                parsed = [ExerciseResult.from_dict(r) for r in results]
                shown = result_outputs(parsed, show_key=self.show_key, views=views)
            except (TypeError, ValueError, KeyError) as exc:
                self.log.warning("[canvastools] results of a cell could not be shown: %s", exc)
                parsed, shown = [], []
            scored.update((r.exercise_id, r) for r in parsed)
            # the points are in the results' header and nbgrader's own score: no "Out[ ]: 4.0"
            cell["outputs"] = [NotebookNode(o) for o in shown]
        nb.get("metadata", {}).pop(META, None)
        if views is not None:
            self._show_items_asked(nb, views, scored)
        return nb, resources

    def _show_items_asked(self, nb: NotebookNode, views: dict[str, Any],
                          scored: dict[str, Any]) -> None:
        """Each read-only cell that creates a graded widget (``CASES = [...]`` and
        ``ClassifyCases(...)``) becomes a readable list of its items with the student's marks."""
        from canvastools.grading.views import exercise_views, items_list_html

        for index, cell in enumerate(nb.cells):
            if cell.get("cell_type") != "code" or not cell.get("metadata", {}).get(
                    "nbgrader", {}).get("locked"):
                continue
            made = [ident for ident, view in exercise_views([cell.get("source", "")]).items()
                    if view.widget and ident in scored and views.get(ident) is not None
                    and views[ident].items]
            if not made:
                continue
            shown = "".join(items_list_html(views[ident], scored[ident]) for ident in made)
            nb.cells[index] = NotebookNode({
                "cell_type": "markdown", "source": shown, "metadata": cell.get("metadata", {}),
                **({"id": cell["id"]} if "id" in cell else {})})

    def _sources(self, nb: NotebookNode, resources: dict[str, Any]) -> list[str]:
        """The code cells of the instructor's source notebook (the gradebook's), else the
        feedback notebook's own read-only cells."""
        try:
            from canvastools.grader.step_context import source_cells

            cells = source_cells(resources)
            return [c["source"] for c in cells.values() if c["cell_type"] == "code"]
        except Exception as exc:  # noqa: BLE001 - labels are a nicety: ids are shown instead
            self.log.info("[canvastools] no source cells from the gradebook (%s): the feedback "
                          "notebook's read-only cells describe the exercises", exc)
            return [c.get("source", "") for c in nb.cells if c.get("cell_type") == "code"
                    and c.get("metadata", {}).get("nbgrader", {}).get("locked")]


# rubric tables with borders and a header; links and code colours readable (WCAG 2.1 AA:
# contrast of 4.5:1 on the code's grey, links underlined, not told apart by colour alone);
# code wraps on a narrow screen instead of scrolling where the keyboard cannot
TABLE_CSS = """
.rendered_html table:not(.canvastools-table), .jp-RenderedHTMLCommon table:not(.canvastools-table) {
  border-collapse: collapse; border-spacing: 0; margin: 0.6em 0; table-layout: auto;
  max-width: 100%;
}
.rendered_html table:not(.canvastools-table) th, .rendered_html table:not(.canvastools-table) td,
.jp-RenderedHTMLCommon table:not(.canvastools-table) th,
.jp-RenderedHTMLCommon table:not(.canvastools-table) td {
  border: 1px solid #d0d7de; padding: 4px 10px; text-align: left; vertical-align: top;
  white-space: normal;
}
.rendered_html table:not(.canvastools-table) thead th,
.jp-RenderedHTMLCommon table:not(.canvastools-table) thead th {
  background: #f6f8fa; font-weight: 600; border-bottom: 2px solid #8c959f;
}
.canvastools-result img { max-width: 100%; height: auto; }
#toc a, #notebook-container a, div.nbgrader_cell .panel-heading a {
  color: #1f5a8c; text-decoration: underline;
}
#notebook-container div.nbgrader_cell .panel-heading a { color: #ffffff; }
.highlight .c, .highlight .ch, .highlight .cm, .highlight .cpf, .highlight .c1,
.highlight .cs { color: #3a7575; }
.highlight .gr { color: #d00000; } .highlight .gi { color: #007a00; }
.highlight .go, .highlight .ni { color: #666666; } .highlight .na { color: #5e6b1e; }
.highlight .nd, .highlight .ow { color: #8a1fd9; } .highlight .ne { color: #b5352f; }
.highlight .nl { color: #686800; } .highlight .se { color: #97531b; }
.highlight .si, .highlight .sr { color: #944f6a; }
div.input_area pre, div.output_subarea pre { white-space: pre-wrap; overflow-wrap: anywhere; }
"""


class TableStyles(_FeedbackStep):
    """HTML pages (formgrader, feedback): markdown tables drawn with borders and a header.

    The CSS goes in a cell at the top of the page's notebook (nbconvert's templates
    put their own CSS after every configured preprocessor has run, so ``resources`` cannot
    carry it); the notebook file itself is not changed.
    """

    css = Unicode(TABLE_CSS, help="CSS added to the page.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]):
        # a markdown cell: every template renders its HTML as it is (a raw cell is escaped by
        # formgrader's); a <style> block holds no text, so the cell shows nothing
        source = "<style>" + " ".join(self.css.split()) + "</style>"
        first = nb.cells[0] if nb.cells else None
        # known by its text too: a later step (ShowResults) drops canvastools metadata
        if first is not None and (first.get("metadata", {}).get(META) == "styles"
                                  or first.get("source") == source):
            return nb, resources
        nb.cells.insert(0, NotebookNode({
            "cell_type": "markdown", "source": source,
            "metadata": {META: "styles"}, "id": unique_cell_id(nb, STYLE_CELL_ID)}))
        return nb, resources


STYLE_CELL_ID = "canvastools-css"


def unique_cell_id(nb: NotebookNode, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever no cell of ``nb`` has yet.

    >>> from nbformat.v4 import new_markdown_cell, new_notebook
    >>> unique_cell_id(new_notebook(cells=[new_markdown_cell("x", id="css")]), "css")
    'css-2'
    """
    taken = {str(c.get("id")) for c in nb.cells}
    found, n = base, 1
    while found in taken:
        n += 1
        found = f"{base}-{n}"
    return found
