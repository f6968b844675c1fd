"""nbgrader configuration: the repository root is the canvastools nbgrader course.

    nbgrader generate_assignment classify-cases --force   # solutions/ -> exercises/
    nbgrader autograde classify-cases                     # submitted/ -> autograded/
    nbgrader generate_feedback classify-cases             # autograded/ -> feedback/
    nbgrader export                                       # grades.csv

Students answer with widgets; every widget saves its answer to ``canvastools_answers.json``
next to the notebook, and the hidden tests grade that file. The settings that make this work
(answer file kept through autograding, out of the release; hidden tests out of the feedback;
cell timeout; deleted test cells put back) are explained in canvastools/grader/settings.py;
add your own below the call.
"""

import os

from canvastools.grader.settings import configure_course

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

configure_course(
    c, os.path.dirname(os.path.abspath(__file__)), course_id="canvastools",
    source="solutions", release="exercises",
    assignments=("classify-cases", "motivations-questions", "design-relationships",
                 "classifica-casi", "motivazioni-domande", "progettare-relazioni"),
)
