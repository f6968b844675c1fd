"""What the instructor commands read from nbgrader: the gradebook and the course's folders.

The report and the export never import nbgrader: they read plain records through the two
protocols below (:class:`GradebookReader`, :class:`CourseFolders`), which this module
implements on nbgrader's :class:`nbgrader.api.Gradebook` (SQLite or PostgreSQL: whatever
``db_url`` the course configures) and its ``CourseDirectory``::

    from canvastools.grader.gradebook import course_folders, open_gradebook

    course = course_folders("~/course")          # reads nbgrader_config.py as nbgrader does
    with open_gradebook(course.db_url) as book:
        names = book.assignment_names()
        scores = book.submissions(names)         # a few joined queries, whatever the class size

A submission's ``score`` is the sum of its grades (the manual score where there is one, as
nbgrader computes it); ``late_penalty`` the sum of its notebooks' late penalties.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from canvastools.errors import InputError

if TYPE_CHECKING:
    from nbgrader.api import Gradebook
    from nbgrader.coursedir import CourseDirectory

__all__ = ["GradebookReader", "CourseFolders", "GradebookStudent", "SubmissionScore",
           "AssignmentSource", "open_gradebook", "course_folders", "require_gradebook",
           "NbgraderGradebook", "NbgraderCourse"]


# -- the records -----------------------------------------------------------------------------
@dataclass(frozen=True)
class GradebookStudent:
    """A student of the gradebook (``nbgrader db student import``)."""

    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    lms_user_id: str = ""


@dataclass(frozen=True)
class SubmissionScore:
    """One submitted assignment's scores, as nbgrader computes them."""

    assignment: str
    student: str
    score: float
    max_score: float
    late_penalty: float = 0.0
    needs_manual_grade: bool = False


@dataclass(frozen=True)
class AssignmentSource:
    """An assignment of the gradebook: its points and the source of its graded cells
    (notebook name -> cell name -> source)."""

    name: str
    max_score: float
    cells: dict[str, dict[str, str]]


# -- the protocols ---------------------------------------------------------------------------
class GradebookReader(Protocol):
    """What the report and the export read from a gradebook."""

    db_url: str

    def assignment_names(self) -> list[str]:
        """Every assignment, in the gradebook's order."""
        ...

    def students(self) -> list[GradebookStudent]:
        """Every student of the gradebook."""
        ...

    def max_scores(self) -> dict[str, float]:
        """Every assignment's points."""
        ...

    def assignment(self, name: str) -> AssignmentSource:
        """One assignment (an :class:`InputError` naming the valid ones when it is not there)."""
        ...

    def submissions(self, assignments: Sequence[str]) -> list[SubmissionScore]:
        """Every submission of ``assignments``."""
        ...


Step = Literal["source", "submitted", "autograded"]


class CourseFolders(Protocol):
    """Where a course's files are (nbgrader's ``CourseDirectory``, read-only)."""

    root: str
    db_url: str

    def folder(self, step: Step, student: str, assignment: str) -> Path:
        """``step``'s folder of ``assignment`` for ``student`` (``"."`` for ``source``)."""
        ...

    def submitted_students(self, assignment: str) -> list[str]:
        """Students with a folder in ``submitted/`` for ``assignment``."""
        ...


# -- nbgrader's gradebook --------------------------------------------------------------------
def require_gradebook(db_url: str) -> None:
    """Refuse a SQLite gradebook that does not exist yet (nbgrader would create an empty one).

    >>> require_gradebook("sqlite:////nowhere/gradebook.db")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    canvastools.errors.InputError: ...there is no gradebook yet: run nbgrader generate_assignment...
    """
    if db_url.startswith("sqlite:///") and not os.path.isfile(db_url[len("sqlite:///"):]):
        raise InputError("there is no gradebook yet: run nbgrader generate_assignment and "
                         "nbgrader autograde first", file=db_url[len("sqlite:///"):])


class NbgraderGradebook:
    """:class:`GradebookReader` on an open :class:`nbgrader.api.Gradebook`."""

    def __init__(self, gradebook: Gradebook, db_url: str) -> None:
        self.gradebook = gradebook    # its SQLAlchemy session is .db
        self.db_url = db_url

    def assignment_names(self) -> list[str]:
        return [a.name for a in self.gradebook.assignments]

    def students(self) -> list[GradebookStudent]:
        return [GradebookStudent(s.id, s.first_name or "", s.last_name or "", s.email or "",
                                 s.lms_user_id or "") for s in self.gradebook.students]

    def max_scores(self) -> dict[str, float]:
        return {a.name: float(a.max_score or 0.0) for a in self.gradebook.assignments}

    def assignment(self, name: str) -> AssignmentSource:
        from nbgrader.api import MissingEntry

        try:
            found = self.gradebook.find_assignment(name)
        except MissingEntry:
            raise InputError(f"the gradebook has no assignment {name!r}",
                             where=self.db_url.split("@")[-1],
                             choices=sorted(self.assignment_names()), got=name) from None
        cells = {nb.name: {c.name: c.source or "" for c in nb.source_cells}
                 for nb in found.notebooks}
        return AssignmentSource(found.name, float(found.max_score or 0.0), cells)

    def submissions(self, assignments: Sequence[str]) -> list[SubmissionScore]:
        from nbgrader.api import Assignment, Grade, Student, SubmittedAssignment, SubmittedNotebook
        from sqlalchemy import case, func

        db = self.gradebook.db
        maxima = {name: points for name, points in self.max_scores().items()
                  if name in assignments}
        grades = (db.query(SubmittedNotebook.assignment_id.label("id"),
                           func.coalesce(func.sum(Grade.score), 0.0).label("score"),
                           func.max(case((Grade.needs_manual_grade, 1), else_=0)).label("manual"))
                  .join(Grade, Grade.notebook_id == SubmittedNotebook.id)
                  .group_by(SubmittedNotebook.assignment_id).subquery())
        late = (db.query(SubmittedNotebook.assignment_id.label("id"),
                         func.coalesce(func.sum(SubmittedNotebook.late_submission_penalty),
                                       0.0).label("late"))
                .group_by(SubmittedNotebook.assignment_id).subquery())
        rows = (db.query(Assignment.name, Student.id, grades.c.score, grades.c.manual,
                         late.c.late)
                .select_from(SubmittedAssignment)
                .join(Assignment, SubmittedAssignment.assignment_id == Assignment.id)
                .join(Student, SubmittedAssignment.student_id == Student.id)
                .outerjoin(grades, grades.c.id == SubmittedAssignment.id)
                .outerjoin(late, late.c.id == SubmittedAssignment.id)
                .filter(Assignment.name.in_(list(maxima))))
        return [SubmissionScore(name, student, float(score or 0.0), maxima[name],
                                float(penalty or 0.0), bool(manual))
                for name, student, score, manual, penalty in rows]


@contextlib.contextmanager
def open_gradebook(db_url: str) -> Iterator[GradebookReader]:
    """The gradebook at ``db_url``, to read (a SQLite file that is not there is refused)."""
    from nbgrader.api import Gradebook as NbGradebook

    require_gradebook(db_url)
    with NbGradebook(db_url) as gb:
        yield NbgraderGradebook(gb, db_url)


# -- nbgrader's course directory -------------------------------------------------------------
class NbgraderCourse:
    """:class:`CourseFolders` on nbgrader's ``CourseDirectory``."""

    def __init__(self, coursedir: CourseDirectory) -> None:
        self.coursedir = coursedir
        self.root = os.path.abspath(coursedir.root or ".")
        self.db_url: str = coursedir.db_url

    def folder(self, step: Step, student: str, assignment: str) -> Path:
        directory = getattr(self.coursedir, f"{step}_directory")
        return Path(self.coursedir.format_path(directory, student, assignment))

    def submitted_students(self, assignment: str) -> list[str]:
        """Students with a folder in ``submitted/`` (as nbgrader's API finds them)."""
        cd = self.coursedir
        pattern = cd.format_path(cd.submitted_directory, "*", assignment)
        regex = cd.format_path(cd.submitted_directory, "(?P<student_id>[^/]+)",
                               re.escape(assignment), escape=True)
        found = set()
        for name in glob.glob(pattern):
            match = re.fullmatch(regex, name)
            if os.path.isdir(name) and match:
                found.add(match.group("student_id"))
        return sorted(found)


def course_folders(course: str | os.PathLike[str] = ".") -> CourseFolders:
    """The course's folders and ``db_url``, configured as nbgrader's own apps do it
    (``nbgrader_config.py`` of the folder and the user's Jupyter config)."""
    from nbgrader.apps.baseapp import NbGrader

    folder = Path(course).expanduser()
    if not (folder / "nbgrader_config.py").is_file():
        raise InputError("no nbgrader_config.py here: run the command in the course folder "
                         "(or pass --course)", file=str(folder.resolve()))
    with contextlib.chdir(folder):
        app = NbGrader()
        app.initialize([])
        coursedir = app.coursedir
        coursedir.root = os.path.abspath(coursedir.root or ".")
        app.clear_instance()
    return NbgraderCourse(coursedir)
