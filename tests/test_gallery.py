"""The gallery canvases: each validates, draws with no hidden or overflowing note, cites sources."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from test_draw import check_geometry  # noqa: E402

from canvastools.cli import main  # noqa: E402
from canvastools.draw import draw_block, plot_canvas  # noqa: E402
from canvastools.draw.axes import drawn_blocks  # noqa: E402
from canvastools.model.canvas import gallery_dir, gallery_names, load_canvas  # noqa: E402
from canvastools.model.taxonomy import load_domain  # noqa: E402

REQUIRED = ["mobile-operator", "private-bank", "ing-direct", "danone-activia",
            "glaxosmithkline-alli", "youtube", "amazon"]


def test_gallery_has_the_required_canvases_and_languages():
    names = gallery_names()
    assert set(REQUIRED) <= set(names)
    languages = {load_canvas(n).language for n in names}
    assert {"en", "it", "ru"} <= languages


@pytest.mark.parametrize("name", gallery_names())
def test_gallery_canvas_is_complete(name, capsys):
    path = gallery_dir() / f"{name}.yaml"
    assert main(["validate", str(path)]) == 0
    assert "ok:" in capsys.readouterr().out
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#"), "each gallery file starts with a comment naming its sources"
    head = text.split("\ntitle:")[0].lower()
    assert any(w in head for w in ("source", "fonti", "источник")), "name the sources"
    canvas = load_canvas(name)
    for block_id in load_domain().block_ids:
        assert canvas.notes(block_id), f"{name}: block {block_id} is empty"
    assert canvas.segments and all(s.name for s in canvas.segments)
    cr = canvas.notes("customer_relationships")
    assert sum(1 for n in cr if n.relationship) >= 2


@pytest.mark.parametrize("name", gallery_names())
def test_gallery_canvas_draws_cleanly(name):
    canvas = load_canvas(name)
    fig = plot_canvas(canvas, highlight="customer_relationships")
    ax = fig.axes[0]
    assert check_geometry(ax) == canvas.note_count       # every note shown, none overflows
    assert all(d.hidden == 0 for d in drawn_blocks(ax).values())
    block_ax = draw_block(canvas)
    check_geometry(block_ax)
    plt.close("all")


def _languages(canvas) -> set[str]:
    notes = [n for block in canvas.blocks.values() for n in block]
    return ({lang for n in notes for lang, _ in n.texts}
            | {lang for s in canvas.segments for lang, _ in s.names})


@pytest.mark.parametrize("name", [n for n in gallery_names() if _languages(load_canvas(n))])
def test_gallery_canvas_in_each_of_its_languages_draws_cleanly(name):
    canvas = load_canvas(name)
    for lang in sorted(_languages(canvas)):
        ax = plot_canvas(canvas, highlight="customer_relationships", lang=lang).axes[0]
        assert check_geometry(ax) == canvas.note_count, f"{name} in {lang}"
        assert all(d.hidden == 0 for d in drawn_blocks(ax).values())
        texts = {t.get_text() for t in ax.texts}
        for note in canvas.notes("customer_relationships"):
            assert any(note.text_in(lang).split()[0] in t for t in texts), (name, lang)
        plt.close("all")
