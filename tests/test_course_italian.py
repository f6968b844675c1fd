"""The Italian lessons read as Italian: case titles in Italian, and the appendix explains, in
Italian, every English message its cells print.

The appendix runs with nbclient in a temporary copy of ``course/`` (like tests/test_course.py).
The command line's messages are English-only; the Italian appendix quotes each message in a
table with its meaning, and this test fails when a quoted message is no longer what the cells
print (a changed message left the table stale).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "course"


def _run(name: str, workdir: Path) -> nbformat.NotebookNode:
    from nbclient import NotebookClient

    shutil.copytree(COURSE, workdir, ignore=shutil.ignore_patterns(
        "canvastools_answers*", ".canvastools_answers*", ".ipynb_checkpoints", "my-canvases"))
    nb = nbformat.read(workdir / name, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(workdir)}}).execute()
    return nb


def _printed(nb: nbformat.NotebookNode) -> str:
    return "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                     for o in c.outputs)


def _quoted_messages(nb: nbformat.NotebookNode) -> list[str]:
    """The `code` fragments in the first column of the markdown tables, split at '...'."""
    fragments = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            if line.startswith("| `"):
                first = line.split("|")[1]
                for quoted in re.findall(r"`([^`]+)`", first):
                    fragments += [part.strip(" ,") for part in quoted.split("...")
                                  if part.strip(" ,")]
    return fragments


@pytest.fixture(scope="module")
def appendix(tmp_path_factory):
    return _run("07-appendice-file-canvas.ipynb", tmp_path_factory.mktemp("it") / "course")


def test_the_italian_appendix_explains_every_message_its_cells_print(appendix):
    printed = _printed(appendix)
    quoted = _quoted_messages(appendix)
    assert len(quoted) >= 8, quoted
    assert [q for q in quoted if q not in printed] == [], "stale quotes in the appendix's tables"
    # every kind of line the cells print has its row: errors, 'ok:', 'error:', 'wrote', exit codes
    kinds = {"unknown relationship type", "did you mean", "Valid choices", "unknown block",
             "ok: ", "error: ", "wrote ", "(exit code 1)", "(exit code 0)"}
    assert {k for k in kinds if k in printed} <= {k for k in kinds if any(k in q for q in quoted)}


def test_lesson_2_prints_italian_case_titles(tmp_path):
    printed = _printed(_run("02-sei-tipi.ipynb", tmp_path / "course"))
    assert "Sportelli bancomat: Self-service (alternativa accettabile: Servizi automatici)" \
        in printed
    assert "Compagnie telefoniche (clienti business): Assistenza personale" in printed
    for english in ("Bank cash machines", "Telephone companies", "defensible", "(Italy)"):
        assert english not in printed
