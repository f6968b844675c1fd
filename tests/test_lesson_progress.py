"""An exercise's progress says what it counts: how many items are answered and, once a
practice exercise is checked, how many of them are right; lesson 2 says the same, in each of
its languages, and shows no count that Run All leaves stale."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from canvastools import ClassifyCases, load_cases

COURSE = Path(__file__).resolve().parents[1] / "course"
# six right; the recipe site and the car sharing only partly
ANSWERS = {"tr-accountants": ["dedicated_personal_assistance"],
           "tr-diy-phone-line": ["personal_assistance"], "tr-launderette": ["self_service"],
           "tr-pharmacy-app": ["automated_services"], "tr-climbing-board": ["communities"],
           "tr-board-games": ["co_creation"], "tr-recipe-site": ["communities"],
           "tr-car-sharing": ["automated_services"]}


@pytest.mark.parametrize(("lang", "before", "after", "fixed"), [
    ("en", "8 of 8 answered", "8 of 8 answered, 6 right", "8 of 8 answered, 7 right"),
    ("it", "Risposte: 8 su 8", "Risposte: 8 su 8, di cui 6 giuste",
     "Risposte: 8 su 8, di cui 7 giuste"),
    ("fr", "Réponses\u00a0: 8 sur 8", "Réponses\u00a0: 8 sur 8, dont 6 justes",
     "Réponses\u00a0: 8 sur 8, dont 7 justes"),
    ("ru", "Отвечено: 8 из 8", "Отвечено: 8 из 8, верно: 6", "Отвечено: 8 из 8, верно: 7"),
])
def test_progress_counts_answered_and_right_after_check(tmp_path, lang, before, after, fixed):
    practice = ClassifyCases("lesson2-transfer", load_cases(COURSE / "data" /
                                                            "transfer-cases.yaml"),
                             lang=lang, folder=tmp_path)
    for case, types in ANSWERS.items():
        practice.answer(case, *types)
    assert practice.progress == before  # no verdict before Check
    results = practice.check()
    assert sum(r == "right" for r in results.values()) == 6
    assert practice.progress == after
    assert after in practice._progress_html.value
    practice.answer("tr-recipe-site", "co_creation")  # after Check, the count follows
    assert practice.progress == fixed
    again = ClassifyCases("lesson2-transfer", load_cases(COURSE / "data" /
                                                         "transfer-cases.yaml"),
                          lang=lang, folder=tmp_path)  # Run All: read back, not checked
    assert again.progress == before


@pytest.mark.parametrize("name", ["02-six-types.ipynb", "02-sei-tipi.ipynb",
                                  "02-les-six-types.ipynb", "02-shest-tipov.ipynb"])
def test_lesson_2_says_what_progress_counts_and_shows_no_stale_count(name):
    nb = nbformat.read(COURSE / name, as_version=4)
    # a cell ending in `practice.progress` prints the count once, when it runs: stale at once
    assert not [c.source for c in nb.cells if c.cell_type == "code"
                and c.source.strip().endswith(".progress")]
    text = next(c.source for c in nb.cells if "`practice.progress`" in c.source)
    words = {"02-six-types.ipynb": ("answered", "**Check**", "right"),
             "02-sei-tipi.ipynb": ("risposto", "**Verifica**", "giusti"),
             "02-les-six-types.ipynb": ("répondu", "**Vérifier**", "justes"),
             "02-shest-tipov.ipynb": ("ответили", "**Проверить**", "верны")}[name]
    assert all(word in text for word in words), text
