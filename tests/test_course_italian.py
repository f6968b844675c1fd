"""The Italian lessons read as Italian: case titles in Italian, and the appendix prints its
error messages and the command line's output in Italian (issue 21).

The appendix runs with nbclient in a temporary copy of ``course/`` (like tests/test_course.py).
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


@pytest.fixture(scope="module")
def appendix(tmp_path_factory):
    return _run("07-appendice-file-canvas.ipynb", tmp_path_factory.mktemp("it") / "course")


def test_the_italian_appendix_prints_its_messages_in_italian(appendix):
    printed = _printed(appendix)
    for italian in (
            "my-canvases/bakery-typo.yaml, blocks, customer_relationships, nota 1 (riga 9), "
            "campo 'relationship' (riga 11): tipo di relazione 'personal_asistance' sconosciuto "
            "(forse intendevi 'personal_assistance'?). Scelte valide: ",
            "my-canvases/bakery-typo.yaml, blocks, chanels (riga 15): blocco 'chanels' "
            "sconosciuto (forse intendevi 'channels'?). Scelte valide: ",
            "ok: bakery.yaml (canvas 'Forno di quartiere', note: 4)",
            "errore: bakery-typo.yaml, blocks, chanels (riga 15): blocco 'chanels' sconosciuto",
            "salvato bakery.png", "(codice di uscita 1)", "(codice di uscita 0)"):
        assert italian in printed
    english = re.findall(r"\b(?:line|note \d|field|unknown|did you mean|Valid choices|error:|"
                         r"wrote|notes\)|exit code)", printed)
    assert english == []
    # no table translating English messages is left
    assert not any(line.startswith("| `") for cell in appendix.cells
                   if cell.cell_type == "markdown" for line in cell.source.splitlines())


def test_lesson_2_prints_italian_case_titles(tmp_path):
    printed = _printed(_run("02-sei-tipi.ipynb", tmp_path / "course"))
    assert "Sportelli bancomat: Self-service (alternativa accettabile: Servizi automatici)" \
        in printed
    assert "Compagnie telefoniche (clienti business): Assistenza personale" in printed
    for english in ("Bank cash machines", "Telephone companies", "defensible", "(Italy)"):
        assert english not in printed
