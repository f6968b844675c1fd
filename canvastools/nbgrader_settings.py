"""The old path of the course settings, kept so that existing course configs keep working.

Course configs written before the grader got its own room call::

    from canvastools.nbgrader_settings import configure_course

New configs import it from :mod:`canvastools.grader.settings`, where it lives.
"""

from canvastools.grader.settings import configure_course

__all__ = ["configure_course"]
