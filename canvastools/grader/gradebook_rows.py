"""A batch of graded students' gradebook rows, written with a few bulk SQL statements.

What nbgrader's ``SaveAutoGrades`` and ``AssignLatePenalties`` write, student by student and
cell by cell through the ORM (a query a grade, a comment, a late penalty, a commit each), is
written here for a whole batch at once, on the gradebook's own session and transaction: the
students (inserted when missing), the submissions (inserted with every notebook, grade and
comment row ``Gradebook.add_submission`` makes, or their timestamp updated), the grades
(``auto_score``, ``needs_manual_grade``), the comments (``auto_comment``) and the notebooks'
late penalties. The values are computed from the graded notebook's cells and their metadata
exactly as nbgrader's steps compute them (nbgrader's own ``determine_grade``,
``compute_checksum``, ``is_grade``/``is_solution``/``is_task``, the configured late
submission plugin): only the writing is batched, not the grading::

    write_rows(gradebook.db, "demo-classify", [StudentRows("ada", None, [], graded)],
               save=True, late=AssignLatePenalties(config=config), log=log)
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nbformat import NotebookNode


@dataclass
class StudentRows:
    """One graded student as the bulk writer needs it: its submission's time (None: not
    given), the notebooks it did not submit, and its graded notebooks by name."""

    student: str
    timestamp: datetime | None
    missing: list[str] = field(default_factory=list)
    notebooks: list[tuple[str, NotebookNode]] = field(default_factory=list)


def _new_id() -> str:
    return uuid.uuid4().hex  # as nbgrader's new_uuid


_Key = tuple[str, str, str]  # (student, notebook, cell name)
_Submissions = dict[str, tuple[str, "datetime | None", Any]]  # student: (id, time, extension)


def write_rows(session: Any, assignment: str, students: list[StudentRows], save: bool,
               late: Any, log: logging.Logger) -> None:
    """Write ``students``' rows in ``session``'s transaction (flushed, not committed).

    ``save``: what ``SaveAutoGrades`` writes; ``late``: an ``AssignLatePenalties`` (or None)
    whose plugin sets the late penalties. Raises nbgrader's ``MissingEntry`` when the
    assignment, or a graded cell's row, is not in the gradebook, as nbgrader's steps do::

        write_rows(gradebook.db, "demo-classify", rows, save=True, late=None, log=log)
    """
    from nbgrader.api import Assignment, MissingEntry
    from sqlalchemy import select

    found = session.execute(select(Assignment.id, Assignment.duedate)
                            .where(Assignment.name == assignment)).first()
    if found is None:
        raise MissingEntry()
    assignment_id, duedate = found
    submissions, notebooks = _submissions(session, assignment_id, students)
    grades, every_grade, comments, notebook_rows = _cell_rows(session, submissions, notebooks)
    _autograde_values(session, students, save, grades, every_grade, comments, log)
    if late is not None:
        _late_penalties(session, assignment, students, submissions, notebook_rows, duedate,
                        late, log)


def _submissions(session: Any, assignment_id: str, students: list[StudentRows],
                 ) -> tuple[_Submissions, dict[str, str]]:
    """The students inserted when missing (``update_or_create_student``), their submissions'
    timestamps updated or the submissions inserted with every notebook, grade and comment row
    ``add_submission`` makes. Returns the submissions and the assignment's notebooks."""
    from nbgrader.api import (
        BaseCell,
        Comment,
        Grade,
        Notebook,
        SubmittedAssignment,
        SubmittedNotebook,
    )
    from sqlalchemy import bindparam, insert, select, update

    names = [s.student for s in students]
    notebooks = dict(session.execute(select(Notebook.id, Notebook.name)
                                     .where(Notebook.assignment_id == assignment_id)).all())
    cells: dict[str, list[tuple[str, str]]] = {n: [] for n in notebooks}
    for cell_id, notebook_id, kind in session.execute(
            select(BaseCell.id, BaseCell.notebook_id, BaseCell.type)
            .where(BaseCell.notebook_id.in_(list(notebooks)))).all():
        cells[notebook_id].append((cell_id, kind))
    _insert_students(session, names)
    sa = SubmittedAssignment.__table__
    submissions: _Submissions = {student: (sid, ts, ext) for sid, student, ts, ext in
                                 session.execute(
        select(sa.c.id, sa.c.student_id, sa.c.timestamp, sa.c.extension)
        .where(sa.c.assignment_id == assignment_id, sa.c.student_id.in_(names))).all()}
    new: dict[Any, list[dict[str, Any]]] = {sa: [], SubmittedNotebook.__table__: [],
                                            Grade.__table__: [], Comment.__table__: []}
    updates = []
    for rows in students:
        if rows.student in submissions:
            sid, timestamp, extension = submissions[rows.student]
            if rows.timestamp is not None:
                updates.append({"b_id": sid, "b_timestamp": rows.timestamp})
                submissions[rows.student] = (sid, rows.timestamp, extension)
            continue
        sid = _new_id()
        submissions[rows.student] = (sid, rows.timestamp, None)
        new[sa].append({"id": sid, "assignment_id": assignment_id, "student_id": rows.student,
                        "timestamp": rows.timestamp, "extension": None})
        for notebook_id in notebooks:
            nid = _new_id()
            new[SubmittedNotebook.__table__].append({
                "id": nid, "assignment_id": sid, "notebook_id": notebook_id, "flagged": False,
                "late_submission_penalty": None})
            for cell_id, kind in cells[notebook_id]:
                if kind in ("GradeCell", "TaskCell"):
                    new[Grade.__table__].append({
                        "id": _new_id(), "notebook_id": nid, "cell_id": cell_id,
                        "auto_score": None, "manual_score": None, "extra_credit": None,
                        "needs_manual_grade": True})
                if kind in ("SolutionCell", "TaskCell"):
                    new[Comment.__table__].append({
                        "id": _new_id(), "notebook_id": nid, "cell_id": cell_id,
                        "auto_comment": None, "manual_comment": None})
    if updates:
        session.execute(update(sa).where(sa.c.id == bindparam("b_id"))
                        .values(timestamp=bindparam("b_timestamp")), updates)
    for table, values in new.items():
        if values:
            session.execute(insert(table), values)
    return submissions, notebooks


def _insert_students(session: Any, names: list[str]) -> None:
    """The students not in the gradebook, inserted as ``update_or_create_student`` adds them."""
    from nbgrader.api import Student
    from sqlalchemy import insert, select

    known = set(session.execute(select(Student.id).where(Student.id.in_(names))).scalars())
    new = [s for s in dict.fromkeys(names) if s not in known]
    if new:
        session.execute(insert(Student.__table__), [
            {"id": s, "first_name": None, "last_name": None, "email": None,
             "lms_user_id": None} for s in new])


def _cell_rows(session: Any, submissions: _Submissions, notebooks: dict[str, str]) -> tuple[
        dict[_Key, dict[str, Any]], list[tuple[str, str, dict[str, Any]]],
        dict[_Key, dict[str, Any]], dict[tuple[str, str], str]]:
    """Every grade and comment row of ``submissions`` by (student, notebook, cell), as
    ``find_grade`` (a grade cell's first) and ``find_comment`` (a solution cell's first) find
    them; every grade row by student and notebook; the submitted notebooks' ids."""
    from nbgrader.api import BaseCell, Comment, Grade, SubmittedNotebook
    from sqlalchemy import select

    sn, gt, ct, bc = (SubmittedNotebook.__table__, Grade.__table__, Comment.__table__,
                      BaseCell.__table__)
    by_id = {sid: student for student, (sid, _, _) in submissions.items()}
    grades: dict[_Key, dict[str, Any]] = {}
    every_grade = []
    notebook_rows: dict[tuple[str, str], str] = {}
    for gid, sid, notebook_id, cell, kind, manual in session.execute(
            select(gt.c.id, sn.c.assignment_id, sn.c.notebook_id, bc.c.name,
                   bc.c.type, gt.c.manual_score)
            .join(sn, sn.c.id == gt.c.notebook_id).join(bc, bc.c.id == gt.c.cell_id)
            .where(sn.c.assignment_id.in_(list(by_id)))).all():
        key = (by_id[sid], notebooks[notebook_id], cell)
        row = {"id": gid, "auto": None, "manual": manual, "needs": None}
        every_grade.append((key[0], key[1], row))
        if key not in grades or kind == "GradeCell":
            grades[key] = row
    for nid, sid, notebook_id in session.execute(
            select(sn.c.id, sn.c.assignment_id, sn.c.notebook_id)
            .where(sn.c.assignment_id.in_(list(by_id)))).all():
        notebook_rows[(by_id[sid], notebooks[notebook_id])] = nid
    comments: dict[_Key, dict[str, Any]] = {}
    for cid, sid, notebook_id, cell, kind in session.execute(
            select(ct.c.id, sn.c.assignment_id, sn.c.notebook_id, bc.c.name, bc.c.type)
            .join(sn, sn.c.id == ct.c.notebook_id).join(bc, bc.c.id == ct.c.cell_id)
            .where(sn.c.assignment_id.in_(list(by_id)))).all():
        key = (by_id[sid], notebooks[notebook_id], cell)
        if key not in comments or kind == "SolutionCell":
            comments[key] = {"id": cid, "text": None}
    return grades, every_grade, comments, notebook_rows


def _autograde_values(session: Any, students: list[StudentRows], save: bool,
                      grades: dict[_Key, dict[str, Any]],
                      every_grade: list[tuple[str, str, dict[str, Any]]],
                      comments: dict[_Key, dict[str, Any]], log: logging.Logger) -> None:
    """The grades of the notebooks not submitted (0, no manual grade needed), then each graded
    cell's grade and comment as ``SaveAutoGrades`` computes them, written in two statements."""
    from nbgrader import utils
    from nbgrader.api import Comment, Grade, MissingEntry
    from sqlalchemy import bindparam, update

    changed: dict[str, dict[str, Any]] = {}
    said: dict[str, dict[str, Any]] = {}
    for rows in students:
        missing = set(rows.missing)
        for student, notebook, grade in every_grade if missing else []:
            if student == rows.student and notebook in missing:
                grade.update(auto=0, needs=False)
                changed[grade["id"]] = grade
        for notebook, nb in rows.notebooks if save else []:
            for cell in nb.cells:
                key = (rows.student, notebook, cell.metadata.get("nbgrader", {}).get("grade_id"))
                if utils.is_grade(cell):
                    if key not in grades:
                        raise MissingEntry()
                    grade = grades[key]
                    grade["auto"], _ = utils.determine_grade(cell, log)
                    grade["needs"] = grade["manual"] is not None or grade["auto"] is None
                    changed[grade["id"]] = grade
                if utils.is_solution(cell) or utils.is_task(cell):
                    if key not in comments:
                        raise MissingEntry()
                    unanswered = (cell.metadata.nbgrader.get("checksum", None)
                                  == utils.compute_checksum(cell) and not utils.is_task(cell))
                    comments[key]["text"] = "No response." if unanswered else None
                    said[comments[key]["id"]] = comments[key]
    gt, ct = Grade.__table__, Comment.__table__
    if changed:
        session.execute(update(gt).where(gt.c.id == bindparam("b_id")).values(
            auto_score=bindparam("b_auto"), needs_manual_grade=bindparam("b_needs")),
            [{"b_id": g["id"], "b_auto": g["auto"], "b_needs": g["needs"]}
             for g in changed.values()])
    if said:
        session.execute(update(ct).where(ct.c.id == bindparam("b_id"))
                        .values(auto_comment=bindparam("b_text")),
                        [{"b_id": c["id"], "b_text": c["text"]} for c in said.values()])


def _late_penalties(session: Any, assignment: str, students: list[StudentRows],
                    submissions: dict[str, tuple[str, datetime | None, Any]],
                    notebook_rows: dict[tuple[str, str], str], duedate: datetime | None,
                    late: Any, log: logging.Logger) -> None:
    """Every graded notebook's late penalty, as ``AssignLatePenalties`` sets it (the scores of
    the late ones read in one query, after the grades are written)."""
    from nbgrader.api import MissingEntry, SubmittedNotebook
    from sqlalchemy import bindparam, select, update

    from canvastools.grader._nbgrader import checked_late_penalty

    late.init_plugin()
    seconds: dict[str, float] = {}
    for rows in students:
        _sid, timestamp, extension = submissions[rows.student]
        due = duedate + extension if duedate is not None and extension is not None else duedate
        seconds[rows.student] = (0 if timestamp is None or due is None
                                 else max(0, (timestamp - due).total_seconds()))
    wanted = [(rows.student, name) for rows in students for name, _ in rows.notebooks]
    for key in wanted:
        if key not in notebook_rows:
            raise MissingEntry()
    late_ids = [notebook_rows[k] for k in wanted if seconds[k[0]] > 0]
    scores: dict[str, float] = {}
    if late_ids:
        scores = dict(session.execute(select(SubmittedNotebook.id, SubmittedNotebook.score)
                                      .where(SubmittedNotebook.id.in_(late_ids))).all())
    penalties = {}
    for student, name in wanted:
        nid = notebook_rows[(student, name)]
        penalty = None
        if seconds[student] > 0:
            log.warning("%s for %s is %s seconds late", assignment, student, seconds[student])
            penalty = late.plugin_inst.late_submission_penalty(student, scores[nid],
                                                              seconds[student])
            log.warning("Late submission penalty: %s", penalty)
            if penalty is not None:
                penalty = checked_late_penalty(late, scores[nid], penalty)
        penalties[nid] = penalty
    if penalties:
        table = SubmittedNotebook.__table__
        session.execute(update(table).where(table.c.id == bindparam("b_id"))
                        .values(late_submission_penalty=bindparam("b_penalty")),
                        [{"b_id": k, "b_penalty": v} for k, v in penalties.items()])
