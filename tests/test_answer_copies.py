"""The copy of the answers inside a notebook: found, capped, checked, chosen (unit level; the
grading commands are tested in tests/nbgrader/test_notebook_copy.py)."""

from __future__ import annotations

import doctest
import json

import nbformat
import pytest

import canvastools.answers.copies
import canvastools.answers.store
from canvastools.answers.copies import COPY_MIME, choose_answers, copy_bundle, find_copies
from canvastools.answers.store import StoreRead


@pytest.mark.parametrize("module", [canvastools.answers.copies, canvastools.answers.store])
def test_docstring_examples(module):
    assert doctest.testmod(module).failed == 0


def notebook(*bundles):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("quiz")
    cell.outputs = [nbformat.v4.new_output("display_data", data=data, metadata=metadata)
                    for data, metadata in bundles]
    nb.cells = [cell]
    return nb


def entry(answer, updated="2026-01-01T00:00:00+00:00", kind="classify"):
    return {"kind": kind, "answer": answer, "taxonomy": "bmg2010", "updated": updated}


def test_the_newest_copy_of_an_exercise_is_used_and_a_practice_copy_is_not_flagged():
    nb = notebook(copy_bundle("q", "graded", entry({"a": ["x"]}, "2026-01-02")),
                  copy_bundle("q", "graded", entry({"a": ["y"]}, "2026-01-01")),
                  copy_bundle("practice-1", "practice", entry({"b": ["x"]})),
                  copy_bundle("q", "graded", None))  # displayed, nothing saved yet
    read, flags = choose_answers(None, find_copies(nb, max_bytes=10_000), {"q"})
    assert read.exercises["q"]["answer"] == {"a": ["x"]}
    assert "practice-1" not in read.exercises
    assert [code for code, _ in flags] == ["answers-from-notebook"]


def test_the_file_wins_and_a_disagreement_is_flagged():
    file = StoreRead({"q": entry({"a": ["z"]})})
    nb = notebook(copy_bundle("q", "graded", entry({"a": ["x"]})))
    read, flags = choose_answers(file, find_copies(nb, max_bytes=10_000), {"q"})
    assert read.exercises["q"]["answer"] == {"a": ["z"]}
    assert dict(flags).keys() == {"answers-disagree"}
    same = notebook(copy_bundle("q", "graded", entry({"a": ["z"]})))
    assert choose_answers(file, find_copies(same, max_bytes=10_000), {"q"})[1] == []


def test_a_damaged_file_entry_is_graded_from_the_copy():
    file = StoreRead({"q": {"kind": "classify", "answer": 3, "updated": "", "taxonomy": None}},
                     "damaged", ("q",))
    nb = notebook(copy_bundle("q", "graded", entry({"a": ["x"]})))
    read, flags = choose_answers(file, find_copies(nb, max_bytes=10_000), {"q"})
    assert read.exercises["q"]["answer"] == {"a": ["x"]} and read.damaged == ()
    assert "has no usable answer" in dict(flags)["answers-from-notebook"]


@pytest.mark.parametrize("tamper, words", [
    (lambda d, m: d[COPY_MIME].update(exercise="other"), "marker names the exercise 'q'"),
    (lambda d, m: d[COPY_MIME].update(answer={"a": "x"}), "map item ids to lists"),
    (lambda d, m: d[COPY_MIME].update(kind="essay"), "unknown kind"),
    (lambda d, m: d[COPY_MIME].update(format="mine"), "not a canvastools answer copy"),
    (lambda d, m: m.clear(), "metadata names no exercise"),
    (lambda d, m: d[COPY_MIME].update(answer={"a": ["x" * 5000]}), "over the cap"),
    (lambda d, m: d[COPY_MIME].update(exercise="graded-elsewhere"), "marker names"),
])
def test_a_tampered_copy_is_ignored_with_a_flag(tamper, words):
    data, metadata = copy_bundle("q", "graded", entry({"a": ["x"]}))
    tamper(data, metadata)
    nb = notebook((data, metadata))
    read, flags = choose_answers(None, find_copies(nb, max_bytes=2_000), {"q"})
    assert "q" not in read.exercises
    assert words in dict(flags)["notebook-answers-ignored"]


def test_a_graded_copy_of_another_exercise_is_flagged_and_any_code_point_is_safe():
    odd = "x\ud800\x00y"
    nb = notebook(copy_bundle(odd, "graded", entry({odd: [odd]})),
                  copy_bundle("q", "graded", entry({odd: ["self_service"]})))
    copies = find_copies(nb, max_bytes=10_000)
    json.dumps(copies, ensure_ascii=False).encode("utf-8")  # storable in a notebook
    read, flags = choose_answers(None, copies, {"q"})
    assert read.exercises["q"]["answer"] == {odd: ["self_service"]}
    message = dict(flags)["notebook-answers-ignored"]
    assert "does not grade" in message
    message.encode("utf-8")  # loggable


def test_the_course_site_leaves_the_copy_out_without_a_warning(recwarn):
    from nbconvert import HTMLExporter

    from canvastools.commands.site import StaticWidgets

    nb = notebook(copy_bundle("q", "practice", entry({"a": ["x"]})))
    exporter = HTMLExporter()
    exporter.register_preprocessor(StaticWidgets(), enabled=True)
    body, _ = exporter.from_notebook_node(nb)
    assert COPY_MIME not in body and "canvastools-answers-copy" not in body
    assert not [w for w in recwarn if "not able to be represented" in str(w.message)]
