"""The index of identical answers (canvastools/grader/records.py): one small file a digest, so
entering a student touches only the files of its own answers, whatever the size of the class;
regrades move a student between groups and fix its classmates' flags; an index written by an
earlier canvastools (``answers.sha256``) is read and moved into the new one."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from canvastools.grader.records import (
    IDENTICAL_FOLDER,
    OLD_ANSWERS_INDEX,
    flag_identical_answers,
    index_answers,
    read_record,
    records_folder,
    records_locked,
    students_with_answers,
    write_record,
)

ASSIGNMENT = "demo-classify"


def grade(root: Path, student: str, digest: str | None) -> list[str]:
    """What RecordGrading does for a student: a fresh record, then the index and the flags."""
    with records_locked(root, ASSIGNMENT):
        write_record(root, ASSIGNMENT, student, {"student": student, "flags": [],
                                                 "answers_sha256": digest})
        return flag_identical_answers(root, ASSIGNMENT, student, digest)


def identical_flag(root: Path, student: str) -> str | None:
    found = [f["message"] for f in read_record(root, ASSIGNMENT, student)["flags"]
             if f["code"] == "identical-answers"]
    assert len(found) <= 1, found
    return found[0] if found else None


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def test_a_regrade_with_other_answers_unflags_the_student_and_a_classmate_left_alone(
        tmp_path: Path):
    for student in ("ada", "ben", "cleo"):
        grade(tmp_path, student, "X")
    # every flag names every classmate with the same answers, whoever was graded first
    assert identical_flag(tmp_path, "ada") == ("the graded answers are identical to those "
                                               "of ben, cleo")
    assert identical_flag(tmp_path, "cleo").endswith("of ada, ben")
    assert grade(tmp_path, "ben", "Y") == []  # ben's regrade: answers of his own now
    assert identical_flag(tmp_path, "ben") is None
    assert identical_flag(tmp_path, "ada").endswith("of cleo")
    assert identical_flag(tmp_path, "cleo").endswith("of ada")
    assert grade(tmp_path, "cleo", "Y") == ["ben"]  # cleo now hands in ben's answers
    assert identical_flag(tmp_path, "ada") is None  # alone: no longer flagged
    assert identical_flag(tmp_path, "ben").endswith("of cleo")
    assert identical_flag(tmp_path, "cleo").endswith("of ben")
    assert grade(tmp_path, "cleo", None) == []  # no answers at all: in no group
    assert identical_flag(tmp_path, "ben") is None
    assert students_with_answers(tmp_path, ASSIGNMENT, "Y") == ["ben"]
    # the index keeps no file for a group nobody is in any more
    assert students_with_answers(tmp_path, ASSIGNMENT, "X") == ["ada"]


def test_a_large_group_names_a_few_classmates_and_its_flags_stop_changing(tmp_path: Path):
    """30 students with the same answers: each flag names 10 classmates and says there are
    more; a classmate graded later in the alphabet rewrites nobody's record."""
    names = [f"s{n:02d}" for n in range(30)]
    for name in names:
        grade(tmp_path, name, "X")
    first = identical_flag(tmp_path, "s00")
    assert first == ("the graded answers are identical to those of "
                     + ", ".join(names[1:11]) + " and more classmates")
    assert identical_flag(tmp_path, "s29").endswith("of s00, s01, s02, s03, s04, s05, s06, s07, "
                                                   "s08, s09 and more classmates")
    before = files(tmp_path)
    grade(tmp_path, "s30", "X")
    changed = {p for p, data in files(tmp_path).items() if before.get(p) != data}
    assert {p for p in changed if p.endswith(".json")} == {f"canvastools-grading/{ASSIGNMENT}"
                                                           "/s30.json"}


def test_entering_a_student_touches_only_the_files_of_its_own_answers(tmp_path: Path):
    """The index that was rewritten whole for every student (O(n²) for a class): now the
    files a student's grading writes do not depend on how many classmates were graded."""
    for n in range(200):
        grade(tmp_path, f"s{n:03d}", f"{n:064x}")
    before = files(tmp_path)
    grade(tmp_path, "new", "a" * 64)
    after = files(tmp_path)
    assert {p for p in before if before[p] != after.get(p)} == set()  # nothing rewritten
    index = f"canvastools-grading/{ASSIGNMENT}/{IDENTICAL_FOLDER}/"
    added = sorted(p.removeprefix(index) for p in set(after) - set(before))
    # its group, its pointer (students/<hash of its id>), its record
    assert len(added) == 3 and {"a" * 64, f"canvastools-grading/{ASSIGNMENT}/new.json"} < set(
        added) and any(p.startswith("students/") for p in added), added
    # a regrade with other answers: its old group, its new group and its pointer
    grade(tmp_path, "s007", "a" * 64)
    changed = {p for p, data in files(tmp_path).items() if after.get(p) != data}
    gone = set(after) - set(files(tmp_path))
    touched = sorted(p.removeprefix(index) for p in changed | gone if p.startswith(index))
    assert touched[:2] == [f"{7:064x}", "a" * 64], touched  # s007's old group is gone
    assert len(touched) == 3 and touched[2].startswith("students/"), touched
    assert {p for p in changed if p.endswith(".json")} == {
        f"canvastools-grading/{ASSIGNMENT}/s007.json",
        f"canvastools-grading/{ASSIGNMENT}/new.json"}


def test_an_index_of_an_earlier_canvastools_is_read_then_moved_to_the_new_one(
        tmp_path: Path):
    """A course graded before: answers.sha256, one line a student ('<digest> "<id>"', the
    oldest with the id raw, '-' for no answers), is read on the first grading and removed."""
    folder = records_folder(tmp_path, ASSIGNMENT)
    folder.mkdir(parents=True)
    evil = "mallory\nD1 ben"
    lines = [f'D1 {json.dumps("ada")}', "D1 ben", f'- {json.dumps("cleo")}',
             f"D2 {json.dumps(evil)}"]
    (folder / OLD_ANSWERS_INDEX).write_text("\n".join(lines) + "\n", encoding="utf-8")
    for student in ("ada", "ben", "cleo", evil):
        write_record(tmp_path, ASSIGNMENT, student, {"student": student, "flags": []})
    assert grade(tmp_path, "dan", "D1") == ["ada", "ben"]
    assert identical_flag(tmp_path, "dan").endswith("of ada, ben")
    assert identical_flag(tmp_path, "ada").endswith("of ben, dan")
    assert not (folder / OLD_ANSWERS_INDEX).exists()
    assert students_with_answers(tmp_path, ASSIGNMENT, "D2") == [evil]
    assert students_with_answers(tmp_path, ASSIGNMENT, "-") == []
    # the old entries are the students' own: ada's regrade moves her out of D1
    assert grade(tmp_path, "ada", "D3") == []
    assert students_with_answers(tmp_path, ASSIGNMENT, "D1") == ["ben", "dan"]
    assert identical_flag(tmp_path, "ben").endswith("of dan")


def test_a_write_cut_short_costs_its_line_only(tmp_path: Path):
    """A crash in the middle of a line: the reader skips that line, the next student's
    line still reads."""
    grade(tmp_path, "ada", "X")
    group = records_folder(tmp_path, ASSIGNMENT) / IDENTICAL_FOLDER / ("x" + hashlib.sha256(
        b"X").hexdigest())
    with group.open("a", encoding="utf-8") as out:
        out.write('"be')  # ben's line, cut short
    assert grade(tmp_path, "cleo", "X") == ["ada"]
    assert students_with_answers(tmp_path, ASSIGNMENT, "X") == ["ada", "cleo"]


ANY_ID = st.text(st.characters(codec=None, blacklist_categories=()), min_size=1, max_size=8)


@settings(max_examples=60, deadline=None)
@given(ids=st.lists(ANY_ID, min_size=1, max_size=5, unique=True),
       steps=st.lists(st.tuples(st.integers(0, 4), st.sampled_from(["D1", "D2", "D3", None])),
                      max_size=12))
def test_the_index_is_the_last_digest_of_each_student_whatever_the_ids(tmp_path_factory,
                                                                         ids, steps):
    """Any code point in a student id (a newline, a quote, a lone surrogate, '/', NUL): the
    index always says which students last handed in which answers."""
    root = tmp_path_factory.mktemp("index")
    model: dict[str, str | None] = {}
    for which, digest in steps:
        student = ids[which % len(ids)]
        former_digest = model.get(student)
        model[student] = digest
        same, former = index_answers(root, ASSIGNMENT, student, digest)
        expected_same = sorted(s for s, d in model.items() if d == digest and s != student)
        assert same == (expected_same if digest is not None else [])
        if former_digest is not None and former_digest != digest:
            assert former == sorted(s for s, d in model.items() if d == former_digest)
        else:
            assert former == []
    for digest in ("D1", "D2", "D3"):
        assert students_with_answers(root, ASSIGNMENT, digest) == sorted(
            s for s, d in model.items() if d == digest)
