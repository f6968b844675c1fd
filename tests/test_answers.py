"""The answer store: format, atomic merged writes, damaged files, concurrent notebooks."""

import json
import multiprocessing

import pytest

from canvastools import InputError
from canvastools.answers.store import ANSWERS_FILENAME, AnswerStore


def test_round_trip_and_human_readable_format(tmp_path):
    store = AnswerStore(tmp_path)
    assert store.path == tmp_path / ANSWERS_FILENAME
    store.save("classify-1", "classify", {"caffè-nero": ["self_service"]})
    store.save("spectrum-1", "spectrum", ["personal_assistance", "self_service"])
    assert store.load("classify-1") == {"caffè-nero": ["self_service"]}
    assert store.load("missing") is None
    text = store.path.read_text(encoding="utf-8")
    assert "caffè-nero" in text  # ensure_ascii=False
    data = json.loads(text)
    assert text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert data["format"] == "canvastools-answers" and data["version"] == 1
    entry = data["exercises"]["spectrum-1"]
    assert entry["kind"] == "spectrum" and entry["updated"].endswith("+00:00")
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        ANSWERS_FILENAME]  # no temporary file left behind


def test_no_file_is_no_answers_and_no_problem(tmp_path):
    read = AnswerStore(tmp_path).read()
    assert read.exercises == {} and read.problem is None


def test_save_rejects_wrong_shapes(tmp_path):
    store = AnswerStore(tmp_path)
    with pytest.raises(InputError, match="kind"):
        store.save("x", "clasify", {})
    with pytest.raises(InputError, match="list of ids"):
        store.save("x", "spectrum", {"a": 1})
    with pytest.raises(InputError):
        store.save("", "spectrum", [])
    assert not store.path.exists()


GOOD = {"format": "canvastools-answers", "version": 1, "exercises": {
    "ok": {"kind": "classify", "answer": {"a": ["self_service"]}, "updated": "x"}}}


@pytest.mark.parametrize("content, words", [
    ('{"format": "canvastools-answers", "version": 1, "exercises": {', "not valid JSON"),
    ("[1, 2, 3]", "not a canvastools answer file"),
    ("null", "not a canvastools answer file (it holds null"),
    ('{"answers": {"x": 1}}', "not a canvastools answer file"),
    (b"\xff\xfe garbage", "not UTF-8"),
])
def test_damaged_file_is_reported_backed_up_and_never_overwritten(tmp_path, capsys, content,
                                                                  words):
    store = AnswerStore(tmp_path)
    raw = content if isinstance(content, bytes) else content.encode("utf-8")
    store.path.write_bytes(raw)
    read = store.read()
    assert read.exercises == {} and words in read.problem and store.problem == read.problem
    assert capsys.readouterr() == ("", "")  # read() never prints (nbgrader zeroes on stderr)
    backup = store.save("new", "spectrum", ["a", "b"])
    assert backup is not None and backup.name.startswith("canvastools_answers.corrupt-")
    assert backup.read_bytes() == raw
    assert store.read().problem is None and store.load("new") == ["a", "b"]
    assert store.save("newer", "spectrum", ["b"]) is None  # one backup, before the first write
    assert len(list(tmp_path.glob("*.corrupt-*.json"))) == 1


def test_bad_entries_are_reported_good_ones_kept(tmp_path):
    data = json.loads(json.dumps(GOOD))
    data["exercises"]["bad-kind"] = {"kind": "essay", "answer": "text"}
    data["exercises"]["bad-shape"] = {"kind": "classify", "answer": ["self_service"]}
    data["exercises"]["no-answer"] = {"kind": "spectrum"}
    store = AnswerStore(tmp_path)
    store.path.write_text(json.dumps(data))
    read = store.read()
    # entries with a kind and an answer are handed over as written (a grader may salvage them)
    assert set(read.exercises) == {"ok", "bad-kind", "bad-shape"}
    assert set(read.damaged) == {"bad-kind", "bad-shape", "no-answer"}
    assert "bad-kind" in read.problem and "no-answer" in read.problem
    assert store.save("other", "spectrum", ["x"]) is None  # other entries are kept verbatim
    after = json.loads(store.path.read_text())["exercises"]
    assert {k: after[k] for k in data["exercises"]} == data["exercises"]
    backup = store.save("bad-shape", "classify", {"a": ["self_service"]})  # replaces one
    assert json.loads(backup.read_text())["exercises"]["bad-shape"] == {
        "kind": "classify", "answer": ["self_service"]}
    assert store.read().damaged == ("bad-kind", "no-answer")


def test_unreadable_path_never_raises(tmp_path):
    (tmp_path / ANSWERS_FILENAME).mkdir()
    read = AnswerStore(tmp_path).read()
    assert read.exercises == {} and "could not be read" in read.problem


def _writer(folder: str, prefix: str, count: int) -> None:
    store = AnswerStore(folder)
    for i in range(count):
        store.save(f"{prefix}-{i}", "classify", {"item": [f"type-{i}"]})


def write_at_once(folder, counts: dict[str, int]) -> None:
    """Start one process per writer (``{prefix: number of answers}``), all at once; wait."""
    ctx = multiprocessing.get_context("fork")
    workers = [ctx.Process(target=_writer, args=(str(folder), prefix, count))
               for prefix, count in counts.items()]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0


def test_two_notebooks_writing_at_once_never_lose_answers(tmp_path):
    count = 60
    write_at_once(tmp_path, {"notebook-a": count, "notebook-b": count})
    read = AnswerStore(tmp_path).read()
    assert read.problem is None
    assert len(read.exercises) == 2 * count
    assert read.exercises["notebook-b-59"]["answer"] == {"item": ["type-59"]}


def test_taxonomy_is_stored_and_optional(tmp_path):
    store = AnswerStore(tmp_path)
    store.save("a", "classify", {"x": ["transactional"]}, taxonomy="strategyzer")
    store.save("b", "motivation", {"x": ["retention"]})
    data = json.loads(store.path.read_text())
    assert data["version"] == 1
    assert data["exercises"]["a"]["taxonomy"] == "strategyzer"
    assert "taxonomy" not in data["exercises"]["b"]
    read = store.read()
    assert read.exercises["a"]["taxonomy"] == "strategyzer"
    assert read.exercises["b"]["taxonomy"] is None and read.problem is None
    with pytest.raises(InputError, match="taxonomy"):
        store.save("c", "classify", {}, taxonomy="")


def test_replacing_an_entry_of_another_kind_backs_the_file_up_first(tmp_path):
    store = AnswerStore(tmp_path)
    store.save("ex", "spectrum", ["a", "b"])
    store.save("keep", "motivation", {"r": ["retention"]})
    before = store.path.read_bytes()
    assert store.save("ex", "spectrum", ["b", "a"]) is None  # same kind: no copy
    before = store.path.read_bytes()
    backup = store.save("ex", "classify", {"i": ["self_service"]})
    assert backup is not None and backup.read_bytes() == before
    assert store.load("keep") == {"r": ["retention"]}
    assert store.load("ex") == {"i": ["self_service"]}


# --- a slightly hand-edited file keeps its answers --------------------------------------

FIVE = {"format": "canvastools-answers", "version": 1, "exercises": {
    "classify": {"kind": "classify", "answer": {"a-case": ["self_service"]},
                 "taxonomy": "bmg2010", "updated": "2026-11-25T13:12:18+00:00"},
    "spectrum": {"kind": "spectrum", "answer": ["personal_assistance", "self_service"],
                 "updated": "2026-11-25T13:12:18+00:00"},
    "motivations": {"kind": "motivation", "answer": {"p1": ["acquisition"]},
                    "updated": "2026-11-25T13:12:18+00:00"},
}}
ENTRIES = FIVE["exercises"]


@pytest.mark.parametrize("data, problem", [
    ({**FIVE, "version": "1"}, '"version" must be the number 1, got the text \'1\''),
    ({**FIVE, "version": True}, '"version" must be the number 1, got yes/no (true)'),
    ({**FIVE, "version": 2},
     "it has version 2, this canvastools reads version 1: was it written by a newer "
     "canvastools?"),
    ({k: v for k, v in FIVE.items() if k != "version"},
     '"version" is missing (it must be the number 1)'),
    ({k: v for k, v in FIVE.items() if k != "format"},
     '"format" is missing (it must be "canvastools-answers")'),
    ([FIVE], "the whole content is wrapped in a list [...]"),
    ({**FIVE, "exercises": [{"id": k, **v} for k, v in ENTRIES.items()]},
     '"exercises" must be a mapping of exercise ids to answers, got a list'),
    ({**FIVE, "exercises": [{k: v} for k, v in ENTRIES.items()]},
     '"exercises" must be a mapping of exercise ids to answers, got a list'),
    ({"format": "canvastools-answers", "version": 1, **ENTRIES},
     "answers outside \"exercises\": 'classify', 'spectrum', 'motivations'"),
])
def test_a_hand_edited_file_keeps_every_well_formed_answer(tmp_path, capsys, data, problem):
    store = AnswerStore(tmp_path)
    raw = json.dumps(data, indent=1).encode("utf-8")
    store.path.write_bytes(raw)
    read = store.read()
    assert read.problem == f"{problem} (its 3 well-formed saved answers are still used)"
    assert read.repaired and read.damaged == ()
    assert {k: (v["kind"], v["answer"]) for k, v in read.exercises.items()} == {
        k: (v["kind"], v["answer"]) for k, v in ENTRIES.items()}
    assert read.exercises["classify"]["taxonomy"] == "bmg2010"
    assert capsys.readouterr() == ("", "")
    backup = store.save("new", "spectrum", ["a"])  # the first answer repairs the file...
    assert backup is not None and backup.read_bytes() == raw  # ...after a copy
    written = json.loads(store.path.read_text(encoding="utf-8"))
    assert written == {"format": "canvastools-answers", "version": 1,
                       "exercises": {**ENTRIES, "new": written["exercises"]["new"]}}
    assert store.read().problem is None
    assert store.save("newer", "spectrum", ["b"]) is None


def test_a_list_of_entries_without_ids_is_reported_and_backed_up(tmp_path):
    store = AnswerStore(tmp_path)
    raw = json.dumps({**FIVE, "exercises": list(ENTRIES.values())}).encode()
    store.path.write_bytes(raw)
    read = store.read()
    assert read.exercises == {} and read.problem == (
        '"exercises" must be a mapping of exercise ids to answers, got a list (entries with no '
        "exercise id, which cannot be used: 3 of 3)")
    assert store.save("new", "spectrum", ["a"]).read_bytes() == raw


def test_grading_finds_the_answers_of_a_hand_edited_file(tmp_path, monkeypatch, capsys):
    from canvastools.grading import grade_order

    monkeypatch.chdir(tmp_path)
    AnswerStore(tmp_path).path.write_text(json.dumps({**FIVE, "version": "1"}))
    score = grade_order("spectrum", ["personal_assistance", "self_service"])
    out = capsys.readouterr()
    assert score == pytest.approx(1.0) and out.err == ""
    assert "'version' must be the number 1" in out.out.replace('"', "'")
    assert "no saved answer" not in out.out


def test_saving_leaves_no_file_but_the_answer_file(tmp_path):
    """No lock file beside the notebook (it would also travel in every submission)."""
    store = AnswerStore(tmp_path)
    store.save("classify-1", "classify", {"ikea": ["self_service"]})
    store.save("spectrum-1", "spectrum", ["personal_assistance", "self_service"])
    store.path.write_text("{ damaged", encoding="utf-8")
    backup = store.save("spectrum-1", "spectrum", ["self_service"])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([ANSWERS_FILENAME, backup.name])


def test_writers_of_one_folder_leave_no_lock_file(tmp_path):
    write_at_once(tmp_path, {"notebook-a": 20, "notebook-b": 20, "notebook-c": 20})
    assert len(AnswerStore(tmp_path).read().exercises) == 60
    assert [p.name for p in tmp_path.iterdir()] == [ANSWERS_FILENAME]
