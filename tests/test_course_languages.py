"""The French and Russian lessons: every text a student meets is in the lesson's language.

A lesson in French or Russian runs in this process (its code cells in order, in a temporary copy
of ``course/``, matplotlib drawing off screen), then every exercise it made is answered (a
different choice on each item, so that some are right and some wrong; the order reversed) and
its **Check** button pressed. What the student then sees (every value,
description, option and tooltip of the widgets) and what the cells printed must hold no English
text that has a French or Russian version in the data: the widgets' texts (``ui.yaml``,
``results.yaml``), the labels (``domain.yaml``, the taxonomies) and the texts of the lessons,
the transfer cases and the case bank. Where a text is missing in the lesson's language, the
English one is shown instead, so a missing translation fails here too; the other tests below
name the missing text directly.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
from pathlib import Path

import matplotlib
import nbformat
import pytest
import yaml

from canvastools import MotivationMatrix, SpectrumOrder, load_canvas, load_cases, load_domain
from canvastools.widgets.base import Exercise
from canvastools.widgets.controls import ChoiceButtons

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "course"
SHIPPED = ROOT / "canvastools" / "data"
INDEX = yaml.safe_load((COURSE / "lessons.yaml").read_text(encoding="utf-8"))
LESSONS = [(lesson[lang]["file"], lang) for lesson in INDEX["lessons"]
           for lang in ("fr", "ru") if lang in lesson]
UI = yaml.safe_load((SHIPPED / "ui.yaml").read_text(encoding="utf-8"))
# files whose {en: ..., <lang>: ...} texts a lesson may show
TEXT_FILES = [SHIPPED / "ui.yaml", SHIPPED / "results.yaml", SHIPPED / "domain.yaml",
              SHIPPED / "cases.yaml", *sorted((SHIPPED / "taxonomies").glob("*.yaml")),
              *sorted((COURSE / "data").glob("*.yaml"))]
MIN_FRAGMENT = 6  # shorter English pieces ("of", "Check" inside a code hint) are not telling


def _pairs(value):
    """Every {lang: text} mapping with an English text, anywhere in ``value``."""
    if isinstance(value, dict):
        if isinstance(value.get("en"), (str, list)):
            yield value
        for inner in value.values():
            yield from _pairs(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _pairs(inner)


def _as_texts(value) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def english_fragments(lang: str) -> set[str]:
    """The English texts (split at their {placeholders}) that have their own ``lang`` text."""
    found = set()
    for path in TEXT_FILES:
        for texts in _pairs(yaml.safe_load(path.read_text(encoding="utf-8"))):
            if lang not in texts:
                continue
            own = " ".join(_as_texts(texts[lang]))
            for english in _as_texts(texts["en"]):
                for piece in re.split(r"\{\w+\}", english):
                    piece = piece.strip(" :,.;()")
                    if len(piece) >= MIN_FRAGMENT and piece not in own:
                        found.add(piece)
    return found


def english_in(text: str, lang: str) -> list[str]:
    """The English fragments found in ``text`` (whole words only)."""
    return sorted(f for f in english_fragments(lang)
                  if re.search(rf"(?<!\w){re.escape(f)}(?!\w)", text))


def descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from descendants(child)


def all_text(widget) -> str:
    """Every text a student could see or hear: values, descriptions, options, tooltips."""
    parts = []
    for w in descendants(widget):
        for name in ("value", "description", "tooltip", "placeholder"):
            value = getattr(w, name, None)
            if isinstance(value, str):
                parts.append(value)
        parts += [str(o) for o in getattr(w, "options", ()) or ()]
        parts += [str(t) for t in getattr(w, "tooltips", ()) or ()]
    return "\n".join(parts)


def use_like_a_student(exercise, lang: str) -> None:
    """Answer every item (a different choice on each, so some are right and some wrong; the
    spectrum in reverse), then press the Check button."""
    import ipywidgets as widgets

    if isinstance(exercise, SpectrumOrder):
        exercise.answer(*reversed(list(exercise.order)))
    else:
        items = list(exercise.check())  # the item ids (nothing answered yet)
        if isinstance(exercise, MotivationMatrix):
            choices = list(load_domain().motivation_ids)
        else:
            choices = [value for w in descendants(exercise) if isinstance(w, ChoiceButtons)
                       for _, value in w.options]
            choices = list(dict.fromkeys(choices))
        assert items and choices, type(exercise).__name__
        for n, item in enumerate(items):
            exercise.answer(item, choices[n % len(choices)])
    checks = [w for w in descendants(exercise) if isinstance(w, widgets.Button)
              and w.description == UI["check"][lang]]
    assert checks, f"no {UI['check'][lang]!r} button in {type(exercise).__name__}"
    for button in checks:
        button.click()
    verdicts = [UI[key][lang] for key in ("right", "partly", "wrong")]
    verdicts.append(re.split(r"\{\w+\}", UI["order_wrong"][lang])[0].strip())
    assert any(v in all_text(exercise) for v in verdicts), "Check showed no verdict"


def run_lesson(name: str, workdir: Path) -> tuple[str, list[Exercise]]:
    """Run the lesson's code cells here; return what they printed and the exercises made."""
    shutil.copytree(COURSE, workdir, ignore=shutil.ignore_patterns(
        "canvastools_answers*", ".canvastools_answers*", ".ipynb_checkpoints", "my-canvases"))
    nb = nbformat.read(workdir / name, as_version=4)
    namespace: dict = {"__name__": "__lesson__"}
    printed = io.StringIO()
    before = os.getcwd()
    os.chdir(workdir)
    try:
        with contextlib.redirect_stdout(printed):
            for cell in nb.cells:
                if cell.cell_type == "code":
                    code = "\n".join(line for line in cell.source.splitlines()
                                     if not line.startswith("%"))
                    exec(compile(code, f"{name}:{cell.id}", "exec"), namespace)
    finally:
        os.chdir(before)
    import matplotlib.pyplot as plt

    plt.close("all")
    exercises = [v for v in namespace.values() if isinstance(v, Exercise)]
    return printed.getvalue(), exercises


@pytest.fixture(autouse=True)
def _off_screen(monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    matplotlib.use("Agg")


@pytest.mark.parametrize("name, lang", LESSONS, ids=[n for n, _ in LESSONS])
def test_what_a_student_sees_in_a_lesson_is_in_its_language(name, lang, tmp_path):
    printed, exercises = run_lesson(name, tmp_path / "course")
    assert exercises, "the lesson makes exercises"
    assert not english_in(printed, lang), "English printed by the lesson's cells"
    for exercise in exercises:
        use_like_a_student(exercise, lang)
        shown = all_text(exercise)
        leaks = english_in(shown, lang)
        assert not leaks, f"{type(exercise).__name__}: English shown in a {lang} lesson: {leaks}"


def test_the_check_finds_english_in_an_english_exercise(tmp_path):
    """The test above can fail: the same student's session in English is all leaks."""
    printed, exercises = run_lesson("01-the-block.ipynb", tmp_path / "course")
    exercise = exercises[0]
    use_like_a_student(exercise, "en")
    leaks = english_in(all_text(exercise) + printed, "fr")
    assert {"Check", "Customer Relationships"} & set(leaks) or len(leaks) > 5, leaks
    assert "Money coming in from customers" in " ".join(leaks)  # a feedback text


# -- every text the fr/ru lessons use exists in their language ------------------------------
def _code(name: str) -> str:
    return "\n".join(c.source for c in nbformat.read(COURSE / name, as_version=4).cells
                     if c.cell_type == "code")


@pytest.mark.parametrize("name, lang", LESSONS, ids=[n for n, _ in LESSONS])
def test_every_bank_case_and_canvas_a_lesson_uses_has_its_language(name, lang):
    code = _code(name)
    bank = load_cases()
    cases = set(re.findall(r'"([a-z0-9-]+)"', code)) & {c.id for c in bank}
    missing = []
    for case_id in sorted(cases):
        case = bank[case_id]
        if not case.description.get(lang):
            missing.append(f"{case_id}: description")
        if case.explanation_in(lang) == case.explanation_in("en"):
            missing.append(f"{case_id}: explanation")
        if case.companies and not case.companies.get(lang):
            missing.append(f"{case_id}: company")
    assert not missing, f"cases.yaml has no {lang} text for {missing}"
    for canvas in re.findall(r'load_canvas\("([a-z0-9-]+)"\)', code):
        notes = [n for block in load_canvas(canvas).blocks.values() for n in block]
        untranslated = [n.text_in("en") for n in notes if n.text_in(lang) == n.text_in("en")]
        assert not untranslated, f"gallery canvas {canvas!r} has no {lang} text for these notes"


@pytest.mark.parametrize("name, lang", LESSONS, ids=[n for n, _ in LESSONS])
def test_every_course_text_a_lesson_reads_has_its_language(name, lang):
    files = set(re.findall(r'DATA / "([\w.-]+\.yaml)"', _code(name)))
    assert files, "the lesson reads its exercises from data/"
    for file in sorted(files):
        data = yaml.safe_load((COURSE / "data" / file).read_text(encoding="utf-8"))
        for texts in _pairs(data):
            assert texts.get(lang), f"data/{file}: no {lang} text for {texts['en']!r}"
            assert texts[lang] != texts["en"] or len(str(texts["en"])) < 12, (file, texts)
