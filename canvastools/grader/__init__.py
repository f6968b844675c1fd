"""canvastools inside nbgrader: the only room that imports nbgrader.

The course settings (:mod:`.settings`), what may enter grading (:mod:`.intake`), the
preprocessors of the autograding pipeline (:mod:`.steps`, one step per module, sharing
:mod:`.step_context`; :mod:`.plugins`, :mod:`.clean_content`), the per-student sandbox
(:mod:`.sandbox`, :mod:`.sandbox_limits`), the grading records (:mod:`.records`), the lesson
Validate hook (:mod:`.lesson_validate`), ``canvastools autograde``'s task and single writer
(:mod:`.autograde_task`, :mod:`.gradebook_writer`, its bulk rows :mod:`.gradebook_rows`), a
notebook as released (:mod:`.release`), and every use of nbgrader's private API (:mod:`._nbgrader`).
"""
