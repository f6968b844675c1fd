"""The self-learners' course: every lesson, in English and Italian (and lessons 1-3 in French
and Russian), runs top to bottom.

Each notebook runs with nbclient in a temporary copy of ``course/`` (so the answers file the
widgets write, ``canvastools_answers.json``, and the files the appendix saves never land in
the repository): no error, no stderr. Cells tagged ``figure`` must show a PNG image, cells
tagged ``widget`` a widget view. The notebooks selected by a test run run two at a time, each
test waits for its own. The committed notebooks carry no outputs and no widget state; the code
cells of every translation are the English ones with the language switched (so an item is
graded alike in every language); every lesson ends with a self-check in practice mode and a
pointer to the next lesson (in its language, else in English).
"""

from __future__ import annotations

import os
import re
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "course"
INDEX = yaml.safe_load((COURSE / "lessons.yaml").read_text(encoding="utf-8"))
LANGUAGES = ("en", "it", "fr", "ru")
REQUIRED = {"en": range(len(INDEX["lessons"])), "it": range(len(INDEX["lessons"])),
            "fr": range(3), "ru": range(3)}  # every lesson in en and it; lessons 1-3 in fr, ru
PAIRS = [(lesson["en"]["file"], lesson["it"]["file"]) for lesson in INDEX["lessons"]]
# (English notebook, translation, language) for every translation listed
TRANSLATIONS = [(lesson["en"]["file"], lesson[lang]["file"], lang)
                for lesson in INDEX["lessons"] for lang in LANGUAGES[1:] if lang in lesson]
NOTEBOOKS = [COURSE / lesson[lang]["file"] for lesson in INDEX["lessons"]
             for lang in LANGUAGES if lang in lesson]
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
CELL_TIMEOUT = 120
SELF_CHECK = {"en": "## Check yourself", "it": "## Verifica", "fr": "## Testez-vous",
              "ru": "## Проверьте себя"}


def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _mimetypes(cell) -> set[str]:
    return {mime for out in cell.get("outputs", []) for mime in out.get("data", {})}


def _read(path: Path):
    return nbformat.read(path, as_version=4)


def _english_code(source: str, lang: str) -> str:
    return source.replace(f'LANG = "{lang}"', 'LANG = "en"')


def test_every_notebook_is_a_listed_lesson_in_its_languages():
    assert sorted(p.name for p in COURSE.glob("*.ipynb")) == sorted(p.name for p in NOTEBOOKS)
    assert len(NOTEBOOKS) == len(set(NOTEBOOKS)), "a notebook listed twice"
    assert len(PAIRS) >= 7  # six lessons and the appendix
    for lang, numbers in REQUIRED.items():
        assert all(lang in INDEX["lessons"][n] for n in numbers), f"a lesson missing in {lang}"
    for lesson in INDEX["lessons"]:
        assert set(lesson) <= set(LANGUAGES), sorted(lesson)
        for lang in lesson:
            title = _read(COURSE / lesson[lang]["file"]).cells[0].source.splitlines()[0]
            assert title == "# " + lesson[lang]["title"]
    assert set(INDEX["title"]) == set(INDEX["texts"]) == set(LANGUAGES)


@pytest.mark.parametrize("readme", [COURSE / "README.md", ROOT / "README.md"],
                         ids=["course-readme", "readme"])
def test_the_readmes_list_every_lesson_in_every_language(readme):
    text = readme.read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        assert path.name in text, f"{readme.name} does not list {path.name}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_clean(path: Path) -> None:
    nb = _read(path)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert "widgets" not in nb.metadata, "widget state must be stripped"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs, f"{path.name}: outputs must be cleared"
            assert cell.execution_count is None
            draws = any(f"ct.{name}(" in cell.source for name in (
                "plot_canvas", "draw_block", "draw_relationship_spectrum",
                "draw_relationship_matrix"))
            if draws:
                assert "figure" in _tags(cell), f"{path.name}: untagged figure cell {cell.id}"


@pytest.mark.parametrize("en, other, lang", TRANSLATIONS,
                         ids=[f"{en.split('-')[0]}-{lang}" for en, _, lang in TRANSLATIONS])
def test_translated_code_is_the_english_code_with_the_language_switched(en, other, lang):
    english, translated = _read(COURSE / en), _read(COURSE / other)
    assert [c.cell_type for c in translated.cells] == [c.cell_type for c in english.cells]
    assert [c.id for c in translated.cells] == [c.id for c in english.cells]
    assert [c.get("metadata", {}) for c in translated.cells] == \
        [c.get("metadata", {}) for c in english.cells]
    code_en = [c.source for c in english.cells if c.cell_type == "code"]
    code_other = [c.source for c in translated.cells if c.cell_type == "code"]
    assert code_en[0].count('LANG = "en"') == 1 and code_other[0].count(f'LANG = "{lang}"') == 1
    assert [_english_code(s, lang) for s in code_other] == code_en
    assert not any("LANG = " in s for s in code_en[1:]), "LANG is set once, in the first cell"
    for cell_en, cell_other in zip(english.cells, translated.cells, strict=True):
        if cell_en.cell_type == "markdown":
            assert cell_en.source != cell_other.source, \
                f"{other}: an untranslated cell {cell_other.id}"


def _next_link(lesson_index: int, lang: str) -> str:
    """The next lesson in ``lang``, else in English; after the last one, the README."""
    if lesson_index + 1 < len(INDEX["lessons"]):
        following = INDEX["lessons"][lesson_index + 1]
        return following.get(lang, following["en"])["file"]
    return "README.md"


@pytest.mark.parametrize("number, lang", [
    (n, lang) for n, lesson in enumerate(INDEX["lessons"]) for lang in LANGUAGES
    if lang in lesson], ids=lambda v: f"{v + 1:02d}" if isinstance(v, int) else v)
def test_each_lesson_ends_with_a_self_check_and_a_pointer_to_the_next(number, lang):
    nb = _read(COURSE / INDEX["lessons"][number][lang]["file"])
    heads = [i for i, c in enumerate(nb.cells)
             if c.cell_type == "markdown" and c.source.startswith(SELF_CHECK[lang])]
    assert len(heads) == 1, "one self-check section"
    after = nb.cells[heads[0] + 1:]
    checks = [c for c in after if c.cell_type == "code"]
    assert checks, "the self-check has a cell to run"
    if number < 6:  # the lessons: an exercise widget with instant feedback
        widgets = [c for c in checks if "widget" in _tags(c)]
        assert widgets and all('mode="graded"' not in c.source for c in widgets)
    assert len([c for c in after if c.cell_type == "markdown"]) <= 2, "the self-check is last"
    last = nb.cells[-1].source
    assert f"({_next_link(number, lang)})" in last, "the last cell points to what comes next"


# -- running the notebooks ------------------------------------------------------------------
def _execute(path: Path, workdir: Path):
    from nbclient import NotebookClient

    shutil.copytree(COURSE, workdir, ignore=shutil.ignore_patterns(
        "canvastools_answers*", ".canvastools_answers*", ".ipynb_checkpoints", "my-canvases"))
    nb = _read(workdir / path.name)
    NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                   resources={"metadata": {"path": str(workdir)}}).execute()
    return nb


@pytest.fixture(scope="module")
def executed(request, tmp_path_factory):
    """path -> Future of the executed notebook, for the notebooks this run selected."""
    selected = [item.callspec.params["path"] for item in request.session.items
                if getattr(item, "originalname", "") == "test_lesson_runs"
                and hasattr(item, "callspec")]
    pool = ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1))
    futures: dict[Path, Future] = {
        path: pool.submit(_execute, path, tmp_path_factory.mktemp(path.stem) / "course")
        for path in dict.fromkeys(selected)}
    yield futures
    pool.shutdown(wait=True, cancel_futures=True)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_lesson_runs(path: Path, executed) -> None:
    before = sorted(p.name for p in COURSE.iterdir())
    nb = executed[path].result()  # raises CellExecutionError on the first failing cell
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.outputs if o.get("output_type") == "error"]
        assert not errors, f"{path.name}, cell {index}: {errors[0].get('ename')}"
        stderr = [o.get("text", "") for o in cell.outputs if o.get("name") == "stderr"]
        assert not stderr, f"{path.name}, cell {index} wrote to stderr: {stderr[0][:300]}"
        mimes = _mimetypes(cell)
        if "figure" in _tags(cell):
            assert "image/png" in mimes, f"{path.name}, cell {index}: no figure shown"
        if "widget" in _tags(cell):
            assert WIDGET_MIME in mimes, f"{path.name}, cell {index}: no widget shown"
    text = "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                     for o in c.outputs)
    if path.name not in {en for en, _ in PAIRS}:  # printed labels follow the lesson's language
        assert not re.search(r"\b(Customer Relationships|Personal assistance)\b", text)
    assert sorted(p.name for p in COURSE.iterdir()) == before, "the run wrote into course/"
