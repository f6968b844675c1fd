"""The graded assignments as a student meets them: listed in ``course/lessons.yaml`` in both
languages, and each released notebook (``exercises/``) runs top to bottom with nbclient in a
temporary copy. Every widget cell shows its exercise with no error and nothing on stderr; the
only error a fresh notebook may show is the check cell's ``NotReadyToSubmit``, which names the
exercise whose answers are not saved yet (what Validate tells a student before they answer).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
import yaml
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
INDEX = yaml.safe_load((ROOT / "course" / "lessons.yaml").read_text(encoding="utf-8"))
LISTED = [entry[lang]["name"] for entry in INDEX["assignments"] for lang in ("en", "it")]
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def test_every_released_assignment_is_listed_in_both_languages():
    released = sorted(p.name for p in (ROOT / "exercises").iterdir() if p.is_dir())
    assert sorted(LISTED) == released
    for entry in INDEX["assignments"]:
        assert set(entry) == {"en", "it"}
        for lang, title_word in (("en", "Assignment"), ("it", "Compito")):
            assert entry[lang]["title"].startswith(title_word), entry[lang]
            first = nbformat.read(ROOT / "exercises" / entry[lang]["name"]
                                  / f"{entry[lang]['name']}.ipynb", as_version=4).cells[0]
            number = entry[lang]["title"].split("·")[0].split()[-1]
            assert first.source.startswith(f"# {title_word} {number}:"), entry[lang]["name"]


@pytest.mark.parametrize("name", LISTED)
def test_the_released_assignment_runs_cleanly(name, tmp_path):
    folder = tmp_path / name
    shutil.copytree(ROOT / "exercises" / name, folder)
    nb = nbformat.read(folder / f"{name}.ipynb", as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(folder)}}).execute()
    widgets = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        stderr = [o.get("text", "") for o in cell.outputs if o.get("name") == "stderr"]
        assert not stderr, f"{name}, cell {index} wrote to stderr: {stderr[0][:300]}"
        errors = [o for o in cell.outputs if o.get("output_type") == "error"]
        graded = cell.metadata.get("nbgrader", {}).get("grade", False)
        if errors:
            assert graded and [e["ename"] for e in errors] == ["NotReadyToSubmit"], (
                f"{name}, cell {index}: {errors[0]['ename']}: {errors[0]['evalue'][:300]}")
            assert "check_saved" in cell.source
        if any(WIDGET_MIME in o.get("data", {}) for o in cell.outputs):
            widgets += 1
            assert not errors
    assert widgets >= 1, f"{name}: no exercise shown"
