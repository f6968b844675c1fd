"""canvastools inside nbgrader: the only room that imports nbgrader.

The course settings (:mod:`.settings`), what may enter grading (:mod:`.intake`), the
preprocessors of the autograding pipeline (:mod:`.steps`, :mod:`.plugins`,
:mod:`.clean_content`), the per-student sandbox (:mod:`.sandbox`, :mod:`.sandbox_limits`), the
grading records (:mod:`.records`) and the lesson Validate hook (:mod:`.lesson_validate`).
"""
