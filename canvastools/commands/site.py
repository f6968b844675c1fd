"""The course as static HTML pages, with its drawings, to read without Jupyter.

>>> build_site("course-site", lang="it")                       # doctest: +SKIP
[PosixPath('course-site/index-it.html'), PosixPath('course-site/01-il-blocco.html'), ...]

Each lesson notebook runs top to bottom (nbclient) in a temporary copy of the course folder,
so nothing is written into the course; nbconvert then turns it into one HTML page with the
figures embedded. Two preprocessors prepare the pages: :class:`StaticWidgets` replaces each
exercise widget (which needs a live kernel) by a short note, and :class:`LessonLinks` points
the links between lessons at the pages instead of the notebooks. ``index.html`` (and
``index-it.html``) list the lessons. The lessons, their notebook in each language and the
pages' texts come from ``course/lessons.yaml``.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor
from traitlets import Dict, Unicode
from traitlets.config import Config

from canvastools._io.htmlsafe import escape
from canvastools._io.yamlio import read_data_file
from canvastools.answers.copies import COPY_MIME
from canvastools.errors import InputError
from canvastools.model.taxonomy import load_domain

__all__ = ["build_site", "default_course_dir", "LessonLinks", "StaticWidgets"]

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
CELL_TIMEOUT = 180
# JupyterLab's light theme as nbconvert's "lab" template draws it, with the text colours that
# fall under WCAG 2.1 AA's 4.5:1 on the code's grey made darker, and prompts not faded
PAGE_CSS = """<style>
:root {
  --jp-mirror-editor-atom-color: #5c5cd6; --jp-mirror-editor-bracket-color: #707052;
  --jp-mirror-editor-comment-color: #3a7575; --jp-mirror-editor-error-color: #d00000;
  --jp-mirror-editor-meta-color: #8a1fd9; --jp-mirror-editor-number-color: #007a00;
  --jp-mirror-editor-operator-color: #8a1fd9; --jp-mirror-editor-quote-color: #007a00;
  --jp-cell-prompt-not-active-opacity: 1;
}
</style>
"""


def default_course_dir() -> Path:
    """The ``course/`` folder next to the package (a source checkout)."""
    return Path(__file__).resolve().parents[2] / "course"


class StaticWidgets(Preprocessor):
    """Replace each widget output by ``note`` (an exercise needs a live kernel); leave out the
    copies of the saved answers."""

    note = Unicode("").tag(config=True)

    def preprocess(self, nb, resources):
        nb.metadata.pop("widgets", None)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code":
            # the copy of the saved answers is for graders: nothing to show
            cell.outputs = [self._static(out) for out in cell.get("outputs", [])
                            if COPY_MIME not in out.get("data", {})]
        return cell, resources

    def _static(self, out):
        if WIDGET_VIEW not in out.get("data", {}):
            return out
        return nbformat.v4.new_output("display_data", data={
            "text/html": f'<p class="static-widget"><i>{escape(self.note)}</i></p>'})


class LessonLinks(Preprocessor):
    """Point markdown links to ``pages`` (notebook name -> page name) at the pages."""

    pages = Dict().tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown" and self.pages:
            names = "|".join(re.escape(n) for n in self.pages)
            cell.source = re.sub(rf"\]\(({names})\)",
                                 lambda m: f"]({self.pages[m.group(1)]})", cell.source)
        return cell, resources


def _lessons(course: Path) -> dict[str, Any]:
    index = course / "lessons.yaml"
    if not index.is_file():
        raise InputError("no course here: the course folder holds lessons.yaml and the lesson "
                         "notebooks", file=str(course))
    return read_data_file(index)


def _run(course: Path, name: str) -> Any:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "course"
        shutil.copytree(course, work, ignore=shutil.ignore_patterns(
            "canvastools_answers*", ".canvastools_answers*", ".ipynb_checkpoints",
            "my-canvases"))
        nb = nbformat.read(work / name, as_version=4)
        NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                       resources={"metadata": {"path": str(work)}}).execute()
    return nb


def build_site(out_dir: str | Path, lang: str | None = None, *,
               course_dir: str | Path | None = None,
               lessons: Iterable[str] | None = None, jobs: int = 2) -> list[Path]:
    """Write the course as HTML pages into ``out_dir``; return the pages written.

    ``lang``: one language of ``lessons.yaml`` (``"en"``, ``"it"``, ``"fr"``, ``"ru"``; default
    English and Italian, which have every lesson); a language with only some lessons gets those.
    ``lessons``: only these notebooks (file names), e.g. to rebuild one page; the index lists
    every lesson of its language. ``jobs`` notebooks run at a time.
    """
    course = Path(course_dir) if course_dir is not None else default_course_dir()
    index = _lessons(course)
    languages = [lang] if lang else ["en", "it"]
    valid = sorted({code for lesson in index["lessons"] for code in lesson})
    for code in languages:
        if code not in valid:
            raise InputError(f"the course has no lessons in {code!r}", where="lang",
                             choices=valid, got=code)
    wanted = None if lessons is None else set(lessons)
    names = [lesson[code]["file"] for code in languages for lesson in index["lessons"]
             if code in lesson]
    if wanted is not None:
        unknown = sorted(wanted - set(names))
        if unknown:
            raise InputError(f"no lesson {unknown[0]!r} in {', '.join(languages)}",
                             where="lessons", choices=names, got=unknown[0])
        names = [n for n in names if n in wanted]
    pages = {lesson[code]["file"]: Path(lesson[code]["file"]).with_suffix(".html").name
             for lesson in index["lessons"] for code in lesson}
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)

    with ThreadPoolExecutor(max(1, jobs)) as pool:
        executed = dict(zip(names, pool.map(lambda n: _run(course, n), names), strict=True))
    written = []
    for code in languages:
        config = Config()
        config.StaticWidgets.note = index["texts"][code]["widget"]
        config.HTMLExporter.language_code = code  # <html lang>: how screen readers speak it
        config.LessonLinks.pages = {**pages, "README.md": _index_name(code)}
        exporter = HTMLExporter(config=config)
        exporter.register_preprocessor(StaticWidgets(config=config), enabled=True)
        exporter.register_preprocessor(LessonLinks(config=config), enabled=True)
        written.append(_write_index(out, index, code, languages))
        for lesson in index["lessons"]:
            name = lesson[code]["file"] if code in lesson else None
            if name in executed:
                body, _ = exporter.from_notebook_node(
                    executed[name], resources={"metadata": {"name": lesson[code]["title"]}})
                page = out / pages[name]
                page.write_text(body.replace("</head>", PAGE_CSS + "</head>", 1),
                                encoding="utf-8")
                written.append(page)
    return written


def _index_name(code: str) -> str:
    return "index.html" if code == "en" else f"index-{code}.html"


def _write_index(out: Path, index: dict[str, Any], code: str, languages: list[str]) -> Path:
    texts = index["texts"][code]
    title = index["title"][code]
    items = "\n".join(
        f'<li><a href="{Path(lesson[code]["file"]).with_suffix(".html").name}">'
        f'{escape(lesson[code]["title"])}</a></li>'
        for lesson in index["lessons"] if code in lesson)
    other = [c for c in index["title"] if c != code and c in languages]
    names = load_domain().languages  # each language named in itself: "Italiano", "Русский"
    switch = "".join(f'<p><a href="{_index_name(c)}" lang="{c}">{escape(names[c])}'
                     "</a></p>" for c in other)
    page = out / _index_name(code)
    page.write_text(
        f'<!DOCTYPE html>\n<html lang="{code}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title>"
        '<style>body{font-family:sans-serif;max-width:46em;margin:2em auto;padding:0 1em;'
        "line-height:1.5}</style></head>\n"
        f"<body><h1>{escape(title)}</h1><p>{escape(texts['index_intro'])}</p>\n"
        f"<ol>\n{items}\n</ol>\n{switch}"
        f"<p><small>{escape(load_domain().credit)}</small></p>"
        "</body></html>\n", encoding="utf-8")
    return page


def main(*, output: str, lang: str | None = None, course: str | None = None,
         lessons: Iterable[str] | None = None) -> int:
    """``canvastools site -o DIR``: write the pages and say where they are; the exit code."""
    pages = build_site(output, lang, course_dir=course, lessons=lessons)
    print(f"wrote {len(pages)} pages to {output} (open {pages[0]})")
    return 0
