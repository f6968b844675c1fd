"""A save changes only what the student just changed.

Two tabs, two notebooks or two kernels on one folder answer items of one exercise: each save
is merged item by item into the file as it is on disk, so none undoes the other; a widget that
shows older answers than the file says so and shows the file's answers at its next click.
"""

from __future__ import annotations

import json
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from canvastools.answers.store import ANSWERS_FILENAME, AnswerStore, merge_answer
from canvastools.widgets import (
    ClassifyItems,
    MotivationMatrix,
    RelationshipDesigner,
    SpectrumOrder,
)

ITEMS = [{"id": f"case-{n}", "company": f"Company {n}", "description": "A firm."}
         for n in range(1, 5)]
ROWS = [{"id": "free-phones", "label": "Free phones"}, {"id": "club", "label": "Club"}]
BUSINESS = {"title": "Acme", "segments": [{"id": "shops", "name": "Shops"}]}


def saved(folder, exercise_id):
    data = json.loads((folder / ANSWERS_FILENAME).read_text(encoding="utf-8"))
    return data["exercises"][exercise_id]["answer"]


def quiz(folder, lang="en"):
    return ClassifyItems("quiz", ITEMS, choices="motivations", lang=lang, folder=folder)


# -- two widgets in one kernel (two tabs of one notebook share its kernel) -----------------
def test_a_stale_tab_saves_its_item_only_and_then_shows_the_files_answers(tmp_path):
    english, italian = quiz(tmp_path), quiz(tmp_path, lang="it")
    italian.answer("case-1", "retention")
    italian.answer("case-2", "acquisition")
    assert english.answers == {}  # shown before the Italian tab saved: stale
    english.answer("case-3", "boosting_sales")
    assert saved(tmp_path, "quiz") == {"case-1": ["retention"], "case-2": ["acquisition"],
                                       "case-3": ["boosting_sales"]}
    # the English tab now shows what the file holds, and says why
    assert english.answers == saved(tmp_path, "quiz")
    assert "another tab, notebook or kernel" in english.message
    # the Italian tab changes case-1 again: the English tab's case-3 stays
    italian.answer("case-1", "acquisition")
    assert saved(tmp_path, "quiz")["case-3"] == ["boosting_sales"]
    assert "un'altra scheda" in italian.message
    # a save that found nothing new says nothing
    italian.answer("case-4", "retention")
    assert "un'altra scheda" not in italian.message


def test_a_click_through_the_controls_of_a_stale_widget_keeps_the_others(tmp_path):
    first, second = quiz(tmp_path), quiz(tmp_path)
    first.answer("case-1", "retention")
    control = second._controls["case-2"]  # what a click in the browser changes
    control.value = "acquisition"
    assert saved(tmp_path, "quiz") == {"case-1": ["retention"], "case-2": ["acquisition"]}
    assert second.answers == saved(tmp_path, "quiz")
    assert control.value == "acquisition"
    assert second._controls["case-1"].value == "retention"  # shown from the file


def test_answering_an_item_again_writes_it_even_when_the_stale_widget_shows_it(tmp_path):
    first, second = quiz(tmp_path), quiz(tmp_path)
    first.answer("case-1", "retention")
    second.answer("case-1", "acquisition")
    first.answer("case-1", "retention")  # the same as first shows: still the student's answer
    assert saved(tmp_path, "quiz") == {"case-1": ["retention"]}
    second.answer("case-1")  # cleared
    assert saved(tmp_path, "quiz") == {}


def test_stale_motivations_notes_and_orders(tmp_path):
    a, b = MotivationMatrix("m", ROWS, folder=tmp_path), MotivationMatrix("m", ROWS,
                                                                          folder=tmp_path)
    a.answer("free-phones", "acquisition")
    b.answer("club", "retention", "boosting_sales")
    assert saved(tmp_path, "m") == {"free-phones": ["acquisition"],
                                    "club": ["retention", "boosting_sales"]}
    assert b.answers["free-phones"] == ["acquisition"]

    d1 = RelationshipDesigner("d", BUSINESS, folder=tmp_path)
    d2 = RelationshipDesigner("d", BUSINESS, folder=tmp_path)
    d1.add_note("Personal advice in the shop", "personal_assistance", ["shops"])
    d2.add_note("A forum of shop owners", "communities", ["shops"])
    assert [n["text"] for n in saved(tmp_path, "d")] == ["Personal advice in the shop",
                                                          "A forum of shop owners"]
    assert len(d2.notes) == 2
    d1.remove_note(0)  # d1 is stale (it has not seen the forum): only its own note goes
    assert [n["text"] for n in saved(tmp_path, "d")] == ["A forum of shop owners"]
    assert [n["text"] for n in d1.notes] == ["A forum of shop owners"]

    s1, s2 = SpectrumOrder("s", folder=tmp_path), SpectrumOrder("s", folder=tmp_path)
    order = sorted(s1.order)
    s1.answer(*order)
    s2.answer(*reversed(order))  # the order is one item: the last click's order is saved
    assert saved(tmp_path, "s") == list(reversed(order))
    assert "another tab" in s2.message
    assert saved(tmp_path, "m")["club"] == ["retention", "boosting_sales"]  # others untouched


def test_a_new_widget_shows_what_another_one_saved_and_saving_from_code_still_replaces(
        tmp_path):
    first = quiz(tmp_path)
    first.answer("case-1", "retention")
    assert quiz(tmp_path).answers == {"case-1": ["retention"]}
    AnswerStore(tmp_path).save("quiz", "classify", {"case-2": ["retention"]})  # whole entry
    assert saved(tmp_path, "quiz") == {"case-2": ["retention"]}


# -- two real kernels on one folder ------------------------------------------------------
KERNEL_CODE = textwrap.dedent("""
    from canvastools.widgets import ClassifyItems
    ITEMS = {items!r}
    quiz = ClassifyItems("quiz", ITEMS, choices="motivations")
""")


def run(client, code):
    """Run ``code`` in a kernel; return its stdout; fail with its error."""
    out: list[str] = []

    def hook(msg):
        if msg["msg_type"] == "stream":
            out.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            out.append("ERROR " + msg["content"]["ename"] + ": " + msg["content"]["evalue"])

    reply = client.execute_interactive(code, output_hook=hook, timeout=120)
    text = "".join(out)
    assert reply["content"]["status"] == "ok", text
    return text


@pytest.fixture
def two_kernels(tmp_path):
    from jupyter_client.manager import start_new_kernel

    started = [start_new_kernel(kernel_name="python3", cwd=str(tmp_path)) for _ in range(2)]
    try:
        yield [client for _, client in started]
    finally:
        for manager, client in started:
            client.stop_channels()
            manager.shutdown_kernel(now=True)


def test_two_kernels_answering_different_items_of_one_exercise(tmp_path, two_kernels):
    first, second = two_kernels
    for client in two_kernels:
        run(client, KERNEL_CODE.format(items=ITEMS))
    run(first, 'quiz.answer("case-1", "retention")')
    run(second, 'quiz.answer("case-2", "acquisition")')  # its widget shows no case-1
    run(first, 'quiz.answer("case-3", "boosting_sales")')
    run(second, 'quiz.answer("case-2", "retention")')
    assert saved(tmp_path, "quiz") == {"case-1": ["retention"], "case-2": ["retention"],
                                       "case-3": ["boosting_sales"]}
    # each kernel's widget now shows the other's answers and said so at its last click
    shown = run(second, "print(sorted(quiz.answers.items())); print(quiz.message)")
    assert "('case-1', ['retention'])" in shown and "('case-3', ['boosting_sales'])" in shown
    assert "another tab, notebook or kernel" in shown
    # a kernel restarted (a new widget) shows all of them
    assert run(first, "print(len(ClassifyItems('quiz', ITEMS, choices='motivations')"
                      ".answers))").strip() == "3"


# -- properties of the merge ---------------------------------------------------------------
item_ids = st.sampled_from([f"i{n}" for n in range(6)])
choices = st.lists(st.sampled_from(["acquisition", "retention", "boosting_sales"]),
                   min_size=1, max_size=3, unique=True)
id_maps = st.dictionaries(item_ids, choices, max_size=6)


@settings(deadline=None, max_examples=300)
@given(base=id_maps, mine_changes=id_maps, theirs_changes=id_maps,
       cleared=st.lists(item_ids, max_size=3))
def test_merging_two_widgets_changes_keeps_both(base, mine_changes, theirs_changes, cleared):
    """Two widgets start from one file; each changes its own items: the merge holds both."""
    theirs_changes = {k: v for k, v in theirs_changes.items() if k not in mine_changes}
    cleared = [k for k in cleared if k not in theirs_changes and k not in mine_changes]
    mine = {k: v for k, v in {**base, **mine_changes}.items() if k not in cleared}
    theirs = {**base, **theirs_changes}
    merged = merge_answer("classify", base, mine, theirs)
    for key in {*base, *mine, *theirs}:
        if key in mine_changes or key in cleared:
            assert merged.get(key) == mine.get(key)
        else:
            assert merged.get(key) == theirs.get(key)
    assert merge_answer("classify", base, mine, base) == mine  # nobody else saved: mine


notes = st.lists(st.fixed_dictionaries({
    "text": st.sampled_from(["a", "b", "c", "d"]),
    "relationship": st.sampled_from([None, "communities"]),
    "segments": st.just([])}), max_size=5)


@settings(deadline=None, max_examples=300)
@given(base=notes, added_mine=notes, added_theirs=notes)
def test_merging_notes_keeps_both_widgets_new_notes(base, added_mine, added_theirs):
    merged = merge_answer("designer", base, base + added_mine, base + added_theirs)
    assert merged == base + added_theirs + added_mine
    if base:  # one widget removes a note the other kept: it goes, the other's new ones stay
        merged = merge_answer("designer", base, base[1:], base + added_theirs)
        assert merged == base[1:] + added_theirs
