"""The autograded notebook made safe to open in a browser, and capped, after it ran.

:class:`CleanStudentContent` is the last step of autograding before the gradebook is written
(``configure_course`` puts it there, so ``nbgrader autograde`` and ``canvastools autograde`` run
it alike). It reads the *final* notebook, whatever way an output came into it (an
``execute_result``, a ``display_data``, an ``update_display_data`` that nbclient wrote over an
earlier output, a stream, an error, a cell attachment, output metadata), so no path is left
beside it::

    c.CleanStudentContent.max_output_bytes = 2 * 1024**2   # the defaults
    c.CleanStudentContent.max_outputs = 2_000
    c.CleanStudentContent.max_attachment_bytes = 1024**2

- outputs keep ``text/plain``, inline PNG/JPEG/GIF images (checked to be base64) and
  ``text/html`` cleaned by :func:`canvastools._io.htmlsafe.clean_html`; every other kind
  (JavaScript, SVG, LaTeX, markdown, widgets) and all output metadata but an image's numeric
  width and height (``filenames``, ``url``...) are dropped;
- a student's markdown and raw cells become clean HTML
(:func:`canvastools._io.htmlsafe.markdown_html`);
  the instructor's read-only cells are left as the source has them (their attachments only
  as inline images, within the cap); saved widget state is dropped (nbconvert would load a
  widget manager from a CDN for it);
- outputs past ``max_outputs`` or ``max_output_bytes`` are cut (the flag ``output-capped``),
  except what decides a grade: the first error, stderr text and result of a graded cell stay,
  shortened; attachments past ``max_attachment_bytes`` are dropped (``attachment-capped``).

Only the grader's own outputs keep their HTML: those of a cell that
:class:`~canvastools.grader.steps.ScoreAnswers` scored in this run (it sets
``cell.metadata["canvastools"]["scored"]`` after ``SanitizeSubmission`` removed whatever a
student wrote there, and such a cell is never executed).

:class:`OutputBudget` is the running guard of the executing step: what the kernel sends past the
byte budget (display updates too) is not kept in memory while the notebook runs.
"""

from __future__ import annotations

import json
from typing import Any

from nbformat import NotebookNode
from nbgrader import utils as nbutils
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Integer

from canvastools._io.htmlsafe import IMAGE_MIMES, clean_html, is_base64, markdown_html
from canvastools.grader.step_context import META, add_flag, error_output, source_cells

VERDICTS = ("error", "stderr", "execute_result")  # what nbgrader reads a code cell's grade from


def _size(value: Any) -> int:
    return len(json.dumps(value, default=str))


def _text(value: Any) -> str:
    return "".join(str(v) for v in value) if isinstance(value, list) else str(value)


def _verdict(output: dict[str, Any]) -> str | None:
    kind = output.get("output_type")
    if kind == "stream":
        return "stderr" if output.get("name") == "stderr" else None
    return kind if kind in ("error", "execute_result") else None


def short_verdict(output: dict[str, Any]) -> NotebookNode:
    """What decides a grade, kept past a cap in a few hundred characters."""
    kind = _verdict(output)
    if kind == "error":
        return error_output(_text(output.get("ename", "Error"))[:100],
                            _text(output.get("evalue", ""))[:300])
    if kind == "stderr":
        return NotebookNode({"output_type": "stream", "name": "stderr",
                             "text": _text(output.get("text", ""))[:1000]})
    plain = output.get("data", {}).get("text/plain", "") if isinstance(
        output.get("data"), dict) else ""
    return NotebookNode({"output_type": "execute_result", "metadata": {},
                         "execution_count": None, "data": {"text/plain": _text(plain)[:100]}})


def clean_output(output: Any) -> NotebookNode | None:
    """One output of a student's code, as a browser may render it (None: nothing left)."""
    if not isinstance(output, dict):
        return None
    kind = output.get("output_type")
    if kind == "stream":
        name = "stderr" if output.get("name") == "stderr" else "stdout"
        return NotebookNode({"output_type": "stream", "name": name,
                             "text": _text(output.get("text", ""))})
    if kind == "error":
        traceback = output.get("traceback", [])
        return NotebookNode({
            "output_type": "error", "ename": _text(output.get("ename", "Error")),
            "evalue": _text(output.get("evalue", "")),
            "traceback": [_text(t) for t in traceback] if isinstance(traceback, list) else []})
    if kind not in ("display_data", "execute_result"):
        return None
    return _rich_output(kind, output)


def _rich_output(kind: str, output: dict[str, Any]) -> NotebookNode | None:
    """A ``display_data`` or ``execute_result``: plain text, clean HTML, checked images."""
    given = output.get("data") if isinstance(output.get("data"), dict) else {}
    given_meta = output.get("metadata") if isinstance(output.get("metadata"), dict) else {}
    data: dict[str, Any] = {}
    metadata: dict[str, Any] = {}
    if "text/plain" in given:
        data["text/plain"] = _text(given["text/plain"])
    if "text/html" in given:
        data["text/html"] = clean_html(_text(given["text/html"]))
    for mime in IMAGE_MIMES:
        if is_base64(given.get(mime)):
            data[mime] = given[mime]
            sizes = given_meta.get(mime)
            if isinstance(sizes, dict):
                kept = {k: sizes[k] for k in ("width", "height")
                        if type(sizes.get(k)) is int and 0 < sizes[k] < 10_000}
                if kept:
                    metadata[mime] = kept
    if kind == "execute_result":
        count = output.get("execution_count")
        return NotebookNode({"output_type": kind, "data": data or {"text/plain": ""},
                             "metadata": metadata,
                             "execution_count": count if type(count) is int else None})
    if not data:
        return None
    return NotebookNode({"output_type": kind, "data": data, "metadata": metadata})


def _unchanged_answer(cell: NotebookNode) -> bool:
    """A solution cell whose text is the released one (its checksum, from the source)."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    if not (meta.get("solution") and meta.get("checksum")):
        return False
    try:
        return nbutils.compute_checksum(cell) == meta["checksum"]
    except Exception:  # noqa: BLE001 - a cell nbgrader cannot checksum is the student's
        return False


class CleanStudentContent(NbGraderPreprocessor):
    """autograde, last before the gradebook: see the module doc."""

    max_output_bytes = Integer(
        2 * 1024**2, help="Outputs of the student's code kept in the autograded notebook, "
                          "in all (bytes of JSON).").tag(config=True)
    max_outputs = Integer(2_000, help="Outputs of the student's code kept, in all.").tag(
        config=True)
    max_attachment_bytes = Integer(
        1024**2, help="Cell attachments (images in markdown) kept, in all.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]):
        try:
            locked = {name for name, cell in source_cells(resources).items()
                      if cell["locked"]}
        except Exception as exc:  # noqa: BLE001 - no gradebook: every cell is the student's
            self.log.info("[canvastools] no source cells (%s): every cell is cleaned", exc)
            locked = set()
        self._budget, self._count = self.max_output_bytes, self.max_outputs
        self._attachments = self.max_attachment_bytes
        self._cut: list[int] = [0, 0]
        self._dropped_attachments = 0
        # saved widget state makes nbconvert's page load a widget manager from a CDN and
        # render the state's HTML: no widget state is graded, none is kept
        nb.metadata.pop("widgets", None)
        for cell in nb.cells:
            cell.get("metadata", {}).pop("widgets", None)
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if cell.get("cell_type") == "code":
                if not cell.get("metadata", {}).get(META, {}).get("scored"):
                    cell["outputs"] = self._outputs(cell)
                cell.pop("attachments", None)
            elif grade_id in locked:  # the instructor's text, put back from the source
                kept = self._attachments_kept(cell.pop("attachments", None))
                if kept:
                    cell["attachments"] = {name: {mime: bundle[mime] for mime in IMAGE_MIMES
                                                  if is_base64(bundle.get(mime))}
                                           for name, bundle in kept.items()}
            elif _unchanged_answer(cell):
                continue  # the released text, unanswered: nbgrader scores it 0 by checksum
            else:
                self._text_cell(cell)
        capped = any(f.get("code") == "output-capped"
                     for f in nb.metadata.get(META, {}).get("flags", []))
        if self._cut[0] and not capped:  # one flag: the running step may have cut already
            add_flag(self, nb, resources, "output-capped",
                     f"{self._cut[0]:,} output(s) of {self._cut[1]:,} bytes were cut "
                     f"(caps: {self.max_outputs:,} outputs, {self.max_output_bytes:,} bytes "
                     "in all, display updates included)")
        if self._dropped_attachments:
            add_flag(self, nb, resources, "attachment-capped",
                     f"{self._dropped_attachments:,} cell attachment(s) over the cap of "
                     f"{self.max_attachment_bytes:,} bytes were dropped")
        return nb, resources

    def _outputs(self, cell: NotebookNode) -> list[NotebookNode]:
        graded = nbutils.is_grade(cell)
        kept: list[NotebookNode] = []
        decided: set[str] = set()
        for output in cell.get("outputs", []):
            clean = clean_output(output)
            if clean is None:
                continue
            size = _size(clean)
            if self._count > 0 and size <= self._budget:
                self._count -= 1
                self._budget -= size
                kept.append(clean)
            else:
                self._cut[0] += 1
                self._cut[1] += size
                verdict = _verdict(clean)
                if graded and verdict and verdict not in decided:
                    kept.append(short_verdict(clean))  # the grade stays what it was
            verdict = _verdict(clean)
            if verdict:
                decided.add(verdict)
        return kept

    def _attachments_kept(self, attachments: Any) -> dict[str, Any]:
        """The attachments within the cap (what is over it is counted for the flag)."""
        files = {}
        if isinstance(attachments, dict):
            for name, bundle in attachments.items():
                size = _size(bundle)
                if not isinstance(bundle, dict) or size > self._attachments:
                    self._dropped_attachments += 1
                    continue
                self._attachments -= size
                files[name] = bundle
        return files

    def _text_cell(self, cell: NotebookNode) -> None:
        files = self._attachments_kept(cell.pop("attachments", None))
        source = _text(cell.get("source", ""))
        if cell.get("cell_type") == "raw":
            cell["source"] = clean_html(source)
        else:
            cell["cell_type"] = "markdown"
            cell["source"] = markdown_html(source, files)


class OutputBudget:
    """Mixin of an nbclient-based execute step: outputs past ``max_output_bytes`` are not kept
    while the notebook runs, display updates included; ``_capped`` says some were cut.

    The step sets ``_output_budget`` and ``_capped`` before it runs a notebook. What decides a
    grade (an error, stderr, a result) is kept, shortened, past the budget.
    """

    _output_budget: int = 0
    _capped: bool = False

    def _charge(self, msg: dict[str, Any]) -> bool:
        self._output_budget -= _size(msg.get("content", ""))
        if self._output_budget >= 0:
            return True
        self._capped = True
        return False

    def output(self, outs: list[Any], msg: dict[str, Any], display_id: Any, cell_index: int):
        if self._charge(msg):
            return super().output(outs, msg, display_id, cell_index)  # type: ignore[misc]
        content = msg.get("content", {})
        kind = msg.get("header", {}).get("msg_type") or msg.get("msg_type")
        output = dict(content, output_type=kind)
        verdict = _verdict(output)
        if verdict is None or any(_verdict(o) == verdict for o in outs):
            return None  # one of each kind is enough to decide the grade
        outs.append(short_verdict(output))
        return None

    def _update_display_id(self, display_id: str, msg: dict[str, Any]) -> None:
        if self._charge(msg):
            super()._update_display_id(display_id, msg)  # type: ignore[misc]
