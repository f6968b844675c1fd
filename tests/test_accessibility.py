"""What makes the pages and exercises accessible, checked without a browser (the browser test
with axe-core is tests/browser/test_accessibility_browser.py): drawings carry a text
alternative, the feedback page says its language, the colours the pages set reach WCAG 2.1
AA's 4.5:1 contrast, and a choice is a native radio button."""

from __future__ import annotations

import doctest
import re

import ipywidgets as widgets
import matplotlib
import pytest

matplotlib.use("Agg")

from canvastools.commands.site import PAGE_CSS  # noqa: E402
from canvastools.draw.alt import DescribedFigure, figure_alt  # noqa: E402
from canvastools.grader import feedback_page  # noqa: E402
from canvastools.grader.plugins import TABLE_CSS  # noqa: E402
from canvastools.widgets.controls import ChoiceButtons  # noqa: E402

CODE_BACKGROUND = "#f5f5f5"  # the grey behind code in nbconvert's lab and classic templates


def contrast(a: str, b: str) -> float:
    """WCAG 2.1's contrast ratio of two #rrggbb colours."""
    def luminance(colour: str) -> float:
        r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("css", [PAGE_CSS, TABLE_CSS], ids=["site", "feedback"])
def test_text_colours_set_for_code_reach_4_5_to_1(css):
    colours = re.findall(r"(?:color|-color):\s*(#[0-9a-fA-F]{6})\b", css)
    assert len(colours) >= 8
    low = {c: round(contrast(c, CODE_BACKGROUND), 2) for c in colours
           if contrast(c, CODE_BACKGROUND) < 4.5 and c.lower() != "#ffffff"}
    assert low == {}


def test_a_drawing_says_what_it_shows():
    import canvastools as ct

    canvas = ct.load_canvas("amazon")
    ax = ct.draw_block(canvas)
    fig = ax.figure
    assert isinstance(fig, DescribedFigure)
    note = canvas.blocks["customer_relationships"][0].text_in("en")
    assert " ".join(note.split()) in figure_alt(fig)
    bundle = fig._repr_mimebundle_()
    alt = re.search(r'alt="([^"]*)"', bundle["text/html"]).group(1)
    assert alt and alt.startswith(figure_alt(fig)[:30])
    assert bundle["image/png"] and bundle["image/png"] in bundle["text/html"]
    for made in (ct.plot_canvas(canvas), ct.draw_relationship_spectrum(lang="it").figure,
                 ct.draw_relationship_matrix([]).figure):
        assert isinstance(made, DescribedFigure)
    assert "Assistenza personale" in figure_alt(ct.draw_relationship_spectrum(lang="it").figure)


def test_a_long_drawing_is_cut_short():
    fig = DescribedFigure()
    for i in range(400):
        fig.text(0, 0, f"note number {i}")
    alt = figure_alt(fig, limit=200)
    assert len(alt) == 200 and alt.endswith("…") and alt.startswith("note number 0; ")


def test_feedback_pages_get_a_language(tmp_path):
    page = tmp_path / "feedback" / "ada" / "hw1" / "hw1.html"
    page.parent.mkdir(parents=True)
    page.write_text("<!DOCTYPE html>\n<html>\n<head></head><body><html></body>", "utf-8")
    notebook = tmp_path / "autograded" / "ada" / "hw1" / "hw1.ipynb"
    missing = tmp_path / "autograded" / "ada" / "hw1" / "not-fed-back.ipynb"
    feedback_page.post_convert_hook(assignment="hw1", student="ada",
                                    notebooks=[str(notebook), str(missing)])
    text = page.read_text("utf-8")
    assert text.count('<html lang="en">') == 1 and text.count("<html>") == 1
    assert not feedback_page.add_page_language(page)  # once only


def test_a_choice_is_a_radio_button_that_says_it_is_chosen():
    pick = ChoiceButtons([("Self-service", "self_service"), ("Communities", "communities")])
    assert all(isinstance(b, widgets.RadioButtons) for b in pick.children)
    assert [b.index for b in pick.children] == [None, None]
    pick.children[1].index = 0  # a click or Space in the browser
    assert pick.value == "communities"
    assert [b.index for b in pick.children] == [None, 0]
    pick.children[0].click()
    assert pick.value == "self_service" and [b.index for b in pick.children] == [0, None]
    pick.children[0].index = None  # not possible for a student: the choice is shown again
    assert pick.value == "self_service" and pick.children[0].index == 0


@pytest.mark.parametrize("module", [feedback_page, "canvastools.draw.alt"])
def test_docstring_examples(module, tmp_path, monkeypatch):
    import importlib

    monkeypatch.chdir(tmp_path)
    if isinstance(module, str):
        module = importlib.import_module(module)
    assert doctest.testmod(module).failed == 0
