"""Taking a submission in (canvastools/grader/intake.py): what must not be read is set aside,
with a flag, before anything is copied; an honest submission raises none."""

from __future__ import annotations

import json
import os
from pathlib import Path

from canvastools.grader.intake import EMPTY_NOTEBOOK, Policy, screen_submission
from canvastools.grader.records import records_folder

ASSIGNMENT = "demo"
NOTEBOOK = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def _submission(root: Path, student: str) -> Path:
    folder = root / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    (folder / "demo.ipynb").write_text(json.dumps(NOTEBOOK))
    (folder / "canvastools_answers.json").write_text("{}")
    return folder


def _aside(root: Path, student: str) -> list[str]:
    folder = records_folder(root, ASSIGNMENT) / "quarantine" / student
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.is_dir() \
        else []


def test_an_honest_submission_raises_no_flag_and_loses_nothing(tmp_path):
    folder = _submission(tmp_path, "ada")
    (folder / "data").mkdir()
    (folder / "data" / "notes.txt").write_text("mine")
    assert screen_submission(tmp_path, ASSIGNMENT, "ada", Policy(), ["demo"]) == []
    assert sorted(p.name for p in folder.rglob("*")) == [
        "canvastools_answers.json", "data", "demo.ipynb", "notes.txt"]
    assert _aside(tmp_path, "ada") == []


def test_links_special_files_big_files_and_broken_notebooks_are_set_aside(tmp_path):
    folder = _submission(tmp_path, "eve")
    classmate = _submission(tmp_path, "ada") / "canvastools_answers.json"
    (folder / "canvastools_answers.json").unlink()
    (folder / "canvastools_answers.json").symlink_to(classmate)
    os.mkfifo(folder / "pipe")
    (folder / "big.bin").write_bytes(b"x" * 2048)
    (folder / "demo.ipynb").write_text("{not json")
    flags = screen_submission(tmp_path, ASSIGNMENT, "eve", Policy(max_file_bytes=1024),
                              ["demo"])
    codes = sorted(f["code"] for f in flags)
    assert codes == ["file-too-large", "notebook-refused", "special-file-refused",
                     "symlink-refused"]
    assert _aside(tmp_path, "eve") == ["big.bin", "canvastools_answers.json", "demo.ipynb",
                                       "pipe"]
    # the notebook set aside is replaced by an empty one: still graded from the answer file
    assert json.loads((folder / "demo.ipynb").read_text()) == EMPTY_NOTEBOOK
    assert classmate.read_text() == "{}"  # the classmate's file is untouched


def test_a_linked_submission_folder_is_refused_and_graded_as_empty(tmp_path):
    elsewhere = _submission(tmp_path, "ada")
    folder = tmp_path / "submitted" / "mal" / ASSIGNMENT
    folder.parent.mkdir(parents=True)
    folder.symlink_to(elsewhere)
    flags = screen_submission(tmp_path, ASSIGNMENT, "mal", Policy(), ["demo"])
    assert [f["code"] for f in flags] == ["folder-refused"]
    assert not folder.is_symlink() and folder.is_dir()
    assert json.loads((folder / "demo.ipynb").read_text()) == EMPTY_NOTEBOOK
    assert (elsewhere / "canvastools_answers.json").read_text() == "{}"


def test_files_past_the_caps_of_a_submission_are_set_aside_in_one_flag(tmp_path):
    folder = _submission(tmp_path, "bob")
    for n in range(5):
        (folder / f"extra{n}.txt").write_text("x")
    flags = screen_submission(tmp_path, ASSIGNMENT, "bob", Policy(max_files=4), ["demo"])
    assert [f["code"] for f in flags] == ["file-too-large"]
    assert "3 files past the caps" in flags[0]["message"]
    # the notebook and the answer file are never the ones set aside
    assert (folder / "demo.ipynb").is_file() and (folder / "canvastools_answers.json").is_file()
    assert len(_aside(tmp_path, "bob")) == 3


def test_a_notebook_handed_in_under_another_name_is_graded_as_the_missing_one(tmp_path):
    folder = _submission(tmp_path, "cleo")
    (folder / "demo.ipynb").rename(folder / "demo (1).ipynb")
    flags = screen_submission(tmp_path, ASSIGNMENT, "cleo", Policy(), ["demo"])
    assert [f["code"] for f in flags] == ["notebook-renamed"]
    assert (folder / "demo.ipynb").is_file() and not (folder / "demo (1).ipynb").exists()
