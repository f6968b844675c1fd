"""The self-learners' course: every lesson notebook runs top to bottom without errors.

Each notebook runs in a temporary copy of ``course/`` (so the answers file the widgets write,
``canvastools_answers.json``, and the files lesson 5 saves never land in the repository).
Cells tagged ``figure`` must show a PNG image, cells tagged ``widget`` a widget view.
The committed notebooks must carry no outputs and no widget state.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

COURSE = Path(__file__).resolve().parents[1] / "course"
NOTEBOOKS = sorted(COURSE.glob("*.ipynb"))
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
CELL_TIMEOUT = 120


def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _mimetypes(cell) -> set[str]:
    return {mime for out in cell.get("outputs", []) for mime in out.get("data", {})}


def test_the_five_lessons_are_there() -> None:
    names = [p.name for p in NOTEBOOKS]
    assert names[:5] == [
        "01-the-block.ipynb",
        "02-six-types.ipynb",
        "03-motivations-and-questions.ipynb",
        "04-designing-the-block.ipynb",
        "05-draw-your-own-canvas.ipynb",
    ]
    readme = (COURSE / "README.md").read_text(encoding="utf-8")
    for name in names:
        assert name in readme, f"course/README.md does not list {name}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_clean(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert "widgets" not in nb.metadata, "widget state must be stripped"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs, f"{path.name}: outputs must be cleared"
            assert cell.execution_count is None
    for cell in nb.cells:
        draws = cell.cell_type == "code" and any(
            f"ct.{name}(" in cell.source
            for name in ("plot_canvas", "draw_block", "draw_relationship_spectrum"))
        if draws:
            assert "figure" in _tags(cell), f"{path.name}: untagged figure cell {cell.id}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_lesson_runs(path: Path, tmp_path: Path) -> None:
    from nbclient import NotebookClient

    before = sorted(p.name for p in COURSE.iterdir())
    workdir = tmp_path / "course"
    shutil.copytree(COURSE, workdir, ignore=shutil.ignore_patterns(
        "canvastools_answers*", ".canvastools_answers*", ".ipynb_checkpoints", "my-canvases"))
    nb = nbformat.read(workdir / path.name, as_version=4)
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(workdir)}})
    client.execute()  # raises CellExecutionError on the first failing cell

    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.outputs if o.get("output_type") == "error"]
        assert not errors, f"{path.name}, cell {index}: {errors[0].get('ename')}"
        mimes = _mimetypes(cell)
        if "figure" in _tags(cell):
            assert "image/png" in mimes, f"{path.name}, cell {index}: no figure shown"
        if "widget" in _tags(cell):
            assert WIDGET_MIME in mimes, f"{path.name}, cell {index}: no widget shown"
    assert sorted(p.name for p in COURSE.iterdir()) == before, "the run wrote into course/"
