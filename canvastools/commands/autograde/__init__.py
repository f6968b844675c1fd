"""``canvastools autograde``: a whole class graded in parallel, with progress and a summary.

One student is one task, run on a Dask cluster: a local one with ``--jobs`` worker processes
(default: the number of cores), or the one at ``--scheduler tcp://HOST:PORT``, where the course
folder is on a shared filesystem. A task (:mod:`canvastools.grader.autograde_task`) takes the
submission in (:func:`canvastools.grader.intake.screen_submission`), copies what may be graded
into a staging folder, and runs the course's own nbgrader autograde pipeline on each notebook —
the classes of :mod:`canvastools.grader.steps` that plain ``nbgrader autograde`` runs too — up to
the steps that write the gradebook. Those (nbgrader's ``SaveAutoGrades`` and
``AssignLatePenalties``, then :class:`~canvastools.grader.steps.RecordGrading`) run in this
process (:mod:`canvastools.grader.gradebook_writer`), batches of students in one gradebook
session, their rows written in bulk with nbgrader's own values
(:mod:`canvastools.grader.gradebook_rows`): SQLite takes one writer, and no row is written
twice when a killed worker's task runs again elsewhere::

    canvastools autograde demo-classify --jobs 2
    canvastools autograde demo-classify --scheduler tcp://10.0.0.5:8786   # course on a shared FS

Already graded, unchanged submissions are skipped (``--force`` grades them again): unchanged
means the same submission (its fingerprint, taken before grading) graded with the same key (a
fingerprint of the source cells in the gradebook); when the key changed, the summary says how
many were graded again for it. A worker grades into a staging folder of its own; the writer
commits the student's gradebook rows, puts the autograded folder in place, and writes the
grading record last. Ctrl-C stops between two students: every finished student is in the
gradebook, its autograded notebook and its record, no student half, and a worker finishing
after the interrupt writes nothing that counts. The next run grades what this one did not.

The rooms: :mod:`.run` (the verb's main), :mod:`.cluster` (the Dask side, and
:func:`dask_setup`, the preload hook of ``dask worker --preload canvastools.commands.autograde``),
:mod:`.summary` (progress and summary).
"""

from canvastools.commands.autograde.cluster import dask_setup
from canvastools.commands.autograde.run import autograde, students_of
from canvastools.commands.autograde.summary import Progress, Summary, format_summary

__all__ = ["Progress", "Summary", "autograde", "dask_setup", "format_summary", "students_of"]
