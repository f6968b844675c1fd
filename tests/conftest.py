"""Fixtures shared by the tests of the data files."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def concierge_taxonomy(tmp_path: Path) -> Path:
    """A folder ``tmp_path/files`` holding ``mine.yaml``: bmg2010 plus a type ``concierge``
    (the folder differs from the working directory tests may switch to, ``tmp_path``)."""
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "mine.yaml").write_text(
        "id: mine\nname: Mine\nextends: bmg2010\ntypes:\n"
        "  - {id: concierge, spectrum: 0.1, label: {en: Concierge}}\n", encoding="utf-8")
    return folder
