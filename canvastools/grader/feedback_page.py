"""The feedback page's language, for screen readers (WCAG 2.1, "Language of Page").

nbgrader's feedback template writes ``<html>`` with no ``lang``, so a screen reader guesses
the language of the page. Its words ("Test cell", "Score") are English:
:func:`post_convert_hook` (``c.GenerateFeedback.post_convert_hook``, set by
:func:`canvastools.grader.settings.configure_course`) gives each page it has just written
``<html lang="en">``. A page that already has a language is left alone.
"""

from __future__ import annotations

import re
from pathlib import Path

PAGE_LANGUAGE = "en"  # the language of nbgrader's feedback template
FEEDBACK_DIRECTORY = "feedback"  # nbgrader's CourseDirectory.feedback_directory
_OPENING = re.compile(r"(\s*(?:<!DOCTYPE html>\s*)?)<html>", re.IGNORECASE)


def feedback_pages(notebooks: list[str]) -> list[Path]:
    """The feedback pages made from the autograded ``notebooks``, in nbgrader's default
    layout (``autograded/<student>/<assignment>/x.ipynb`` -> ``feedback/.../x.html``).

    >>> feedback_pages(["/course/autograded/ada/demo/demo.ipynb"])
    [PosixPath('/course/feedback/ada/demo/demo.html')]
    """
    pages = []
    for notebook in map(Path, notebooks):
        root = notebook.parents[3]
        pages.append(root / FEEDBACK_DIRECTORY / notebook.parents[1].name
                     / notebook.parent.name / f"{notebook.stem}.html")
    return pages


def add_page_language(page: Path, lang: str = PAGE_LANGUAGE) -> bool:
    """Write ``lang`` into the page's ``<html>`` tag if it has none; True if changed.

    >>> import tempfile
    >>> page = Path(tempfile.mkdtemp()) / "x.html"
    >>> _ = page.write_text("<!DOCTYPE html>\\n<html>\\n<head>")
    >>> add_page_language(page), page.read_text().splitlines()[1]
    (True, '<html lang="en">')
    """
    text = page.read_text(encoding="utf-8")
    opening = _OPENING.match(text)  # the page's own tag, never one in its content
    if opening is None:
        return False
    page.write_text(f'{opening.group(1)}<html lang="{lang}">{text[opening.end():]}',
                    encoding="utf-8")
    return True


def post_convert_hook(assignment: str, student: str, notebooks: list[str],
                      **_ignored: object) -> None:
    """nbgrader's ``GenerateFeedback.post_convert_hook``: each feedback page just written
    gets ``<html lang="en">`` (pages nbgrader did not write, or not where the default
    layout puts them, are skipped)."""
    for page in feedback_pages(notebooks):
        if page.is_file():
            add_page_language(page)
