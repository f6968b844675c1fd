"""`canvastools site`: the course as HTML pages with the drawings, readable without Jupyter."""

from __future__ import annotations

import re

import pytest

from canvastools import InputError
from canvastools.cli import main
from canvastools.commands.site import build_site

LESSON = "05-caso-di-studio-e-secondo-asse.ipynb"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    assert main(["site", "-o", str(out), "--lang", "it", "--lesson", LESSON]) == 0
    return out


def test_the_page_has_the_lesson_its_figures_and_no_live_widget(site):
    page = (site / "05-caso-di-studio-e-secondo-asse.html").read_text(encoding="utf-8")
    assert "<title>Lezione 5 · Un caso di studio e il secondo asse</title>" in page
    assert "Un&#39;azienda, tre segmenti" in page or "Un'azienda, tre segmenti" in page
    # the canvas, the 2x2 and the learner's 2x2, embedded: nothing to fetch
    assert len(re.findall(r'src="data:image/png;base64,', page)) >= 3
    assert "application/vnd.jupyter.widget-view+json" not in page
    assert page.count('class="static-widget"') == 2
    assert "Esercizio interattivo: apri questa lezione in Jupyter" in page
    assert "Traceback" not in page


def test_links_between_lessons_point_at_pages(site):
    page = (site / "05-caso-di-studio-e-secondo-asse.html").read_text(encoding="utf-8")
    assert 'href="06-errori-comuni-e-metodo-in-aula.html"' in page
    assert ".ipynb\"" not in page


def test_the_index_lists_every_italian_lesson(site):
    index = (site / "index-it.html").read_text(encoding="utf-8")
    assert '<html lang="it">' in index
    # the six lessons, the appendix and the glossary
    assert len(re.findall(r'<li><a href="0\d-[a-z-]+\.html">', index)) == 8
    assert 'href="05-caso-di-studio-e-secondo-asse.html"' in index
    assert "Strategyzer AG" in index


def test_bad_choices_are_reported(tmp_path, capsys):
    with pytest.raises(InputError, match="no lesson 'nope.ipynb'"):
        build_site(tmp_path, "it", lessons=["nope.ipynb"])
    assert main(["site", "-o", str(tmp_path), "--lang", "de"]) == 1
    assert "the course has no lessons in 'de'" in capsys.readouterr().err
    assert not list(tmp_path.iterdir()), "nothing written"


def test_a_language_with_only_some_lessons_builds_those(tmp_path):
    pages = build_site(tmp_path, "fr", lessons=["01-le-bloc.ipynb"])
    assert [p.name for p in pages] == ["index-fr.html", "01-le-bloc.html"]
    index = (tmp_path / "index-fr.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in index and 'href="01-le-bloc.html"' in index


def test_each_index_links_to_the_other_languages_by_their_own_names(tmp_path):
    build_site(tmp_path, lessons=["08-glossary.ipynb"])
    english = (tmp_path / "index.html").read_text(encoding="utf-8")
    italian = (tmp_path / "index-it.html").read_text(encoding="utf-8")
    assert '<a href="index-it.html" lang="it">Italiano</a>' in english
    assert '<a href="index.html" lang="en">English</a>' in italian
