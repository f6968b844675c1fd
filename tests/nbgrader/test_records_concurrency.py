"""Grading records written by two graders at once (two `canvastools autograde` commands on
halves of a class): no update of a shared file is lost, no write fails."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from canvastools.grader.records import read_record, records_folder, students_with_answers

ASSIGNMENT = "demo-classify"


def _grade_many(root: str, prefix: str, count: int, start: object) -> None:
    import logging

    from canvastools.grader.records import records_locked, write_record
    from canvastools.grader.steps import RecordGrading

    step = RecordGrading()
    step.log = logging.getLogger("test")
    start.wait()  # both graders at once
    for n in range(count):
        student = f"{prefix}{n:03d}"
        with records_locked(root, ASSIGNMENT):
            write_record(root, ASSIGNMENT, student, {"student": student, "flags": []})
            # every student of both graders hands in the same answer file
            step._flag_identical(root, ASSIGNMENT, student, "same-digest")


def test_two_graders_at_once_lose_no_entry_of_the_identical_answers_index(tmp_path: Path):
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    graders = [context.Process(target=_grade_many, args=(str(tmp_path), prefix, 150, start))
               for prefix in ("a", "b")]
    for grader in graders:
        grader.start()
    for grader in graders:
        grader.join(timeout=900)  # a loaded machine: slow, not stuck
    assert [g.exitcode for g in graders] == [0, 0]
    everyone = [f"{p}{n:03d}" for p in ("a", "b") for n in range(150)]
    assert students_with_answers(tmp_path, ASSIGNMENT, "same-digest") == everyone
    # each flagged as identical to the 299 others, whichever grader wrote it: the flag names
    # the first ten (the same for every one, whatever order the two graders went in)
    for student in ("a000", "a149", "b000", "b149"):
        flags = read_record(tmp_path, ASSIGNMENT, student)["flags"]
        assert [f["code"] for f in flags] == ["identical-answers"], student
        named = [s for s in everyone if s != student][:10]
        assert flags[0]["message"] == ("the graded answers are identical to those of "
                                       + ", ".join(named) + " and more classmates"), student
    assert not list(records_folder(tmp_path, ASSIGNMENT).glob("*.tmp"))


def test_a_student_id_with_a_newline_cannot_write_a_classmates_line_of_the_index(
        tmp_path: Path):
    """The index of answer digests is one line per student: a student id holding a newline
    and a digest once wrote a second line, giving a classmate (ben) the attacker's digest;
    the next grading of the attacker flagged ben as a copier."""
    import logging

    from canvastools.grader.records import write_record
    from canvastools.grader.steps import RecordGrading

    step = RecordGrading()
    step.log = logging.getLogger("test")
    root = str(tmp_path)
    evil = "mallory\nMALLORY-DIGEST ben"
    for student, digest in (("ben", "BEN-DIGEST"), (evil, "MALLORY-DIGEST"),
                            (evil, "MALLORY-DIGEST"), ("copier", "MALLORY-DIGEST")):
        write_record(root, ASSIGNMENT, student, {"student": student, "flags": [
            f for f in (read_record(root, ASSIGNMENT, student) or {}).get("flags", [])]})
        step._flag_identical(root, ASSIGNMENT, student, digest)
    assert read_record(root, ASSIGNMENT, "ben")["flags"] == []
    copier = read_record(root, ASSIGNMENT, "copier")["flags"]
    assert [f["code"] for f in copier] == ["identical-answers"]
    assert "ben" not in copier[0]["message"].replace(evil, "")
    assert [f["code"] for f in read_record(root, ASSIGNMENT, evil)["flags"]] == [
        "identical-answers"]


def test_a_student_named_like_a_classmates_intake_file_has_a_record_of_its_own(
        tmp_path: Path):
    """A student id "ben.intake" once wrote its grading record over ben's intake file
    (``ben.intake.json``): ben's intake was lost, and the record of "ben.intake" was skipped
    as an intake file, so its flags reached no report."""
    from canvastools.grader.records import (
        flag,
        read_intake,
        read_records,
        write_intake,
        write_record,
    )

    root = str(tmp_path)
    write_intake(root, ASSIGNMENT, "ben", {"flags": [], "submission_sha256": "ben's"})
    write_record(root, ASSIGNMENT, "ben", {"student": "ben", "flags": []})
    copied = flag("identical-answers", "the graded answers are identical to those of ada")
    write_record(root, ASSIGNMENT, "ben.intake", {"student": "ben.intake", "flags": [copied]})
    assert read_intake(root, ASSIGNMENT, "ben") == {"flags": [],
                                                     "submission_sha256": "ben's"}
    records = read_records(root, ASSIGNMENT)
    assert sorted(records) == ["ben", "ben.intake"]
    assert records["ben.intake"]["flags"] == [copied]
