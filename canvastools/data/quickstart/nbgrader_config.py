"""nbgrader configuration of a course made by `canvastools quickstart`.

    nbgrader generate_assignment demo-classify --force   # source/ -> release/
    nbgrader autograde demo-classify                     # submitted/ -> autograded/
    nbgrader generate_feedback demo-classify             # autograded/ -> feedback/
    nbgrader export                                      # grades.csv

Students answer with canvastools widgets, which save to `canvastools_answers.json` next to
the notebook; hidden tests grade that file (canvastools.grading). The settings that make this
work are explained in canvastools/grader/settings.py; add your own below the call.
"""

import os

from canvastools.grader.settings import configure_course

c = get_config()  # noqa: F821 (provided by traitlets)

configure_course(c, os.path.dirname(os.path.abspath(__file__)), course_id="canvastools-course")
