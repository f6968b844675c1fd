"""Drawing canvases: geometry (nothing overflows), baseline images, errors, Unicode, speed-safe.

The canvases and checks here are shared with test_gallery.py and test_cli_draw.py.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.testing.compare import compare_images  # noqa: E402

from canvastools.canvas import Canvas  # noqa: E402

BASELINES = Path(__file__).parent / "baseline_images"
UPDATE_ENV = "CANVASTOOLS_UPDATE_BASELINES"
BLOCKS = ["key_partners", "key_activities", "key_resources", "value_propositions",
          "customer_relationships", "channels", "customer_segments", "cost_structure",
          "revenue_streams"]
TYPES = ["personal_assistance", "dedicated_personal_assistance", "self_service",
         "automated_services", "communities", "co_creation"]
SEGMENTS = [{"id": "homes", "name": "Households"}, {"id": "firms", "name": "Small firms"},
            {"id": "kids", "name": "Students", "color": "#CC79A7"}]


def _seg(i: int) -> list[str]:
    choices = [["homes"], ["firms"], [], ["homes", "firms"], ["kids"], ["homes", "firms", "kids"]]
    return choices[i % 6]


def _note(block: str, i: int, text: str) -> dict:
    note = {"text": text, "segments": _seg(i)}
    if block == "customer_relationships":
        note["relationship"] = TYPES[i % len(TYPES)]
    return note


def short_canvas() -> Canvas:
    words = {"key_partners": "Suppliers", "key_activities": "Roasting", "key_resources": "Brand",
             "value_propositions": "Fresh coffee", "customer_relationships": "Loyalty card",
             "channels": "Shop", "customer_segments": "Commuters", "cost_structure": "Rent",
             "revenue_streams": "Cup sales"}
    return Canvas.from_dict({"title": "Corner café", "segments": SEGMENTS,
                             "blocks": {b: [_note(b, i, w)] for i, (b, w) in
                                        enumerate(words.items())}})


LONG = ("A very long note that goes on and on about how this company keeps in touch with its "
        "customers through several channels, with personal advisers, online tools and a "
        "community forum that never seems to end supercalifragilisticexpialidocious")


def long_canvas() -> Canvas:
    return Canvas.from_dict({"title": "A company with very long notes " * 3,
                             "segments": SEGMENTS,
                             "blocks": {b: [_note(b, i, LONG), _note(b, i + 1, LONG[:90])]
                                        for i, b in enumerate(BLOCKS)}})


def many_canvas(per_block: int = 8) -> Canvas:
    """9 blocks x 8 = 72 notes of realistic length."""
    texts = ["Online profile with saved preferences", "Named adviser for key accounts",
             "Help desk by phone and e-mail", "Forum where users answer each other",
             "Customers vote on new products", "Self-service kiosks in every shop",
             "Monthly newsletter with tips", "Loyalty points and member prices"]
    return Canvas.from_dict({"title": "Seventy-two notes", "segments": SEGMENTS,
                             "blocks": {b: [_note(b, i, texts[i % len(texts)])
                                            for i in range(per_block)] for b in BLOCKS}})


def italian_canvas() -> Canvas:
    return Canvas.from_dict({
        "title": "Caffè Più — qualità e velocità", "language": "it",
        "segments": [{"id": "fam", "name": "Famiglie"}, {"id": "uff", "name": "Uffici"}],
        "blocks": {
            "key_partners": ["Torrefazioni di città", "Università"],
            "key_activities": ["Preparazione del caffè", "Formazione del personale"],
            "key_resources": ["Macchine professionali"],
            "value_propositions": [{"text": "Un caffè perfetto in più di cento città",
                                    "segments": ["fam", "uff"]}],
            "customer_relationships": [
                {"text": "Il barista conosce già il tuo caffè preferito", "segments": ["fam"],
                 "relationship": "personal_assistance"},
                {"text": "Consegna negli uffici con un referente dedicato", "segments": ["uff"],
                 "relationship": "dedicated_personal_assistance"},
                {"text": "Le ricette più votate entrano nel menù", "segments": ["fam"],
                 "relationship": "co_creation"}],
            "channels": ["Bar e chioschi", "App per ordinare"],
            "customer_segments": [{"text": "Famiglie e studenti", "segments": ["fam"]},
                                  {"text": "Uffici e aziende", "segments": ["uff"]}],
            "cost_structure": ["Affitti", "Personale", "Caffè crudo"],
            "revenue_streams": [{"text": "Vendita di caffè e dolci", "segments": ["fam"]},
                                {"text": "Abbonamenti per uffici", "segments": ["uff"]}],
        }})


def russian_canvas() -> Canvas:
    return Canvas.from_dict({
        "title": "Книжный клуб «Читай-ка»", "language": "ru",
        "segments": [{"id": "chit", "name": "Читатели"}, {"id": "avt", "name": "Авторы"}],
        "blocks": {
            "key_partners": ["Издательства", "Типографии"],
            "key_activities": ["Отбор книг", "Модерация форума"],
            "key_resources": ["Каталог и отзывы читателей"],
            "value_propositions": [{"text": "Новые книги по вашим вкусам каждый месяц",
                                    "segments": ["chit"]}],
            "customer_relationships": [
                {"text": "Рекомендации на основе прочитанного", "segments": ["chit"],
                 "relationship": "automated_services"},
                {"text": "Читатели пишут рецензии для других", "segments": ["chit", "avt"],
                 "relationship": "co_creation"},
                {"text": "Форум встреч с авторами", "segments": ["avt"],
                 "relationship": "communities"}],
            "channels": ["Сайт и приложение", "Почта"],
            "customer_segments": [{"text": "Любители чтения", "segments": ["chit"]},
                                  {"text": "Начинающие авторы", "segments": ["avt"]}],
            "cost_structure": ["Закупка книг", "Доставка"],
            "revenue_streams": [{"text": "Подписка", "segments": ["chit"]}],
        }})


CANVASES = {"short": short_canvas, "long": long_canvas, "many": many_canvas,
            "italian": italian_canvas, "russian": russian_canvas}


def render(fig):
    """Attach an Agg canvas, draw once, and return the renderer."""
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    return fig.canvas.get_renderer()


def inside(inner, outer, tol: float = 1.0) -> bool:
    return (inner.x0 >= outer.x0 - tol and inner.y0 >= outer.y0 - tol
            and inner.x1 <= outer.x1 + tol and inner.y1 <= outer.y1 + tol)


def check_geometry(ax) -> int:
    """Every note text inside its note, every note (and marker) inside its block.

    Returns the number of notes checked."""
    renderer = render(ax.get_figure(root=True))
    count = 0
    for block_id, drawn in ax._canvastools_blocks.items():
        frame = drawn.frame.get_window_extent(renderer)
        for patch, text in drawn.notes:
            note_box = patch.get_window_extent(renderer)
            text_box = text.get_window_extent(renderer)
            assert inside(text_box, note_box), (block_id, text.get_text(), text_box, note_box)
            assert inside(note_box, frame), (block_id, text.get_text())
            count += 1
        for art in drawn.artists:
            gid = art.get_gid() or ""
            if gid.startswith(("tag", "more")):
                assert inside(art.get_window_extent(renderer), frame), gid
            if gid.startswith("tag-text"):
                index = int(gid.rsplit(":", 1)[1])
                patch = next(p for p, _ in drawn.notes if p.get_gid().endswith(f":{index}"))
                assert inside(art.get_window_extent(renderer),
                              patch.get_window_extent(renderer)), gid
    return count


def check_image(fig, name: str, tol: float = 3.0, tmp_path: Path | None = None,
                dpi: int = 50) -> None:
    """Compare ``fig`` with tests/baseline_images/NAME.png (CANVASTOOLS_UPDATE_BASELINES=1
    rewrites the baseline instead; never set it in CI)."""
    baseline = BASELINES / f"{name}.png"
    out_dir = tmp_path or Path(os.environ.get("TMPDIR", "/tmp"))
    actual = out_dir / f"{name}-actual.png"
    fig.savefig(actual, dpi=dpi, metadata={"Software": None})
    if os.environ.get(UPDATE_ENV) == "1":
        BASELINES.mkdir(exist_ok=True)
        shutil.copyfile(actual, baseline)
        return
    if not baseline.exists():
        pytest.fail(f"no baseline {baseline}; run with {UPDATE_ENV}=1 to create it")
    result = compare_images(str(baseline), str(actual), tol=tol)
    assert result is None, result


# --------------------------------------------------------------------------- the tests

import io  # noqa: E402
import logging  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import warnings  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402

from canvastools.cases import parse_cases_text  # noqa: E402
from canvastools.draw import (  # noqa: E402
    draw_block,
    draw_canvas,
    draw_relationship_spectrum,
    plot_canvas,
    save_canvas,
)
from canvastools.errors import InputError  # noqa: E402

CASES_YAML = "\n".join(
    f"- id: {cid}\n  company: {company}\n  description: {{en: x}}\n  types: [{types}]\n"
    f"  motivations: [retention]\n  explanation: {{en: x}}\n  source: test"
    for cid, company, types in [
        ("pb", "Private banks", "dedicated_personal_assistance"),
        ("zappos", "Zappos", "personal_assistance"),
        ("genius", "Apple Genius Bar", "personal_assistance"),
        ("yt", "YouTube", "co_creation"),
        ("reviews", "Amazon reviews", "co_creation"),
        ("lego", "LEGO Ideas", "co_creation, communities"),
        ("alli", "GlaxoSmithKline alli", "communities"),
        ("ikea", "IKEA", "self_service"),
        ("ing", "ING Direct", "automated_services"),
        ("netflix", "Netflix", "automated_services"),
        ("recs", "Amazon recommendations", "automated_services"),
    ])


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize("dpi", [40, 100, 200])
@pytest.mark.parametrize("kind", list(CANVASES))
def test_notes_stay_inside_notes_and_blocks(kind, dpi):
    """Fitting is computed once; rendering at any dpi (hinting differs) must not overflow."""
    from canvastools.draw.canvas import RC

    canvas = CANVASES[kind]()
    fig = plot_canvas(canvas)
    fig.set_dpi(dpi)
    ax = fig.axes[0]
    if dpi < 72:           # tiny pixels: as save_canvas renders them, without hinting
        with matplotlib.rc_context(RC):
            shown = check_geometry(ax)
    else:                  # the notebook's default hinting at screen resolutions
        shown = check_geometry(ax)
    hidden = sum(d.hidden for d in ax._canvastools_blocks.values())
    assert shown + hidden == canvas.note_count
    if kind != "long":
        assert hidden == 0, "these canvases fit without hiding notes"


@pytest.mark.parametrize("kind", list(CANVASES))
def test_baseline_images(kind, tmp_path):
    check_image(plot_canvas(CANVASES[kind]()), f"canvas_{kind}", tmp_path=tmp_path)


def test_baseline_highlight(tmp_path):
    fig = plot_canvas(many_canvas(4), highlight="customer_relationships")
    check_image(fig, "canvas_highlight", tmp_path=tmp_path)


def test_baseline_spectrum(tmp_path):
    ax = draw_relationship_spectrum(cases=list(parse_cases_text(CASES_YAML)))
    check_image(ax.figure, "spectrum_cases", tmp_path=tmp_path)


def test_baseline_block(tmp_path):
    ax = draw_block(italian_canvas(), "customer_relationships")
    check_image(ax.figure, "block_italian", tmp_path=tmp_path)


def test_full_block_shows_more_marker():
    blocks = {"channels": [f"Channel number {i} with a rather long description of how it "
                           "reaches customers" for i in range(40)]}
    canvas = Canvas.from_dict({"title": "Crowded", "blocks": blocks})
    ax = draw_canvas(canvas)
    drawn = ax._canvastools_blocks["channels"]
    assert drawn.hidden > 0
    assert len(drawn.notes) + drawn.hidden == 40
    assert drawn.marker.get_text() == f"+{drawn.hidden} more notes"
    assert drawn.marker.get_visible()
    check_geometry(ax)
    # the marker is in the block, not hidden under a note
    renderer = ax.figure.canvas.get_renderer()
    marker = drawn.marker.get_window_extent(renderer)
    for patch, _ in drawn.notes:
        assert not marker.overlaps(patch.get_window_extent(renderer))


def test_note_that_cannot_fit_at_all_is_counted():
    canvas = Canvas.from_dict({"title": "T", "blocks": {"key_resources": [LONG * 12]}})
    drawn = draw_canvas(canvas)._canvastools_blocks["key_resources"]
    assert drawn.hidden == 1 and drawn.marker.get_text() == "+1 more notes"


def test_highlight_fades_the_other_blocks():
    ax = draw_canvas(short_canvas(), highlight="customer_relationships")
    drawn = ax._canvastools_blocks
    assert drawn["customer_relationships"].frame.get_alpha() is None
    assert drawn["customer_relationships"].frame.get_linewidth() > \
        drawn["channels"].frame.get_linewidth()
    assert drawn["channels"].frame.get_alpha() < 0.5
    assert all(t.get_alpha() < 0.5 for _, t in drawn["key_partners"].notes)


def test_highlight_with_a_bad_block_name():
    with pytest.raises(InputError) as err:
        draw_canvas(short_canvas(), highlight="customer_relationship")
    text = str(err.value)
    assert "did you mean 'customer_relationships'" in text
    assert "key_partners" in text
    with pytest.raises(InputError, match="did you mean 'channels'"):
        draw_block(short_canvas(), "chanels")


def test_bad_language():
    with pytest.raises(InputError, match="did you mean 'it'"):
        draw_canvas(short_canvas(), lang="itt")


def test_unknown_suffix(tmp_path):
    with pytest.raises(InputError) as err:
        save_canvas(short_canvas(), tmp_path / "canvas.jpg")
    assert ".png, .svg, .pdf" in str(err.value)
    assert not (tmp_path / "canvas.jpg").exists()


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_save_formats(tmp_path, suffix):
    out = save_canvas(russian_canvas(), tmp_path / f"c{suffix}", dpi=40)
    assert out == tmp_path / f"c{suffix}"
    head = out.read_bytes()[:8]
    assert {".png": b"\x89PNG", ".svg": b"<?xml", ".pdf": b"%PDF"}[suffix] in head


def test_draw_canvas_returns_the_given_axes_and_keeps_rcparams():
    before = dict(matplotlib.rcParams)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(16, 5))
    assert draw_canvas(short_canvas(), ax2, lang="de") is ax2
    assert dict(matplotlib.rcParams) == before
    titles = [t.get_text() for t in ax2.texts if (t.get_gid() or "").startswith("title:")]
    assert "Kundenbeziehungen" in titles
    check_geometry(ax2)       # still nothing overflows on a smaller axes


def test_canvas_parts_present():
    ax = draw_canvas(italian_canvas())
    by_gid = {t.get_gid(): t.get_text() for t in ax.texts}
    assert by_gid["credit"] == "The Business Model Canvas — Strategyzer AG — CC BY-SA 3.0"
    assert by_gid["canvas-title"].startswith("Caffè Più")
    assert by_gid["title:customer_relationships"] == "Relazioni con i clienti"
    tags = [t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("tag-text")]
    assert "Assistenza personale dedicata" in [t.replace("\n", " ") for t in tags]
    legend = [t.get_text() for t in ax.texts if t.get_gid() == "legend-text"]
    assert legend[:2] == ["Famiglie", "Uffici"]


def test_shared_note_shows_all_its_segments_colours():
    many = draw_canvas(many_canvas())._canvastools_blocks["key_partners"]
    stripes = [a for a in many.artists if type(a).__name__ == "Rectangle" and a is not many.frame]
    colours = {matplotlib.colors.to_hex(a.get_facecolor()).upper() for a in stripes}
    assert {"#E69F00", "#56B4E9", "#CC79A7"} <= colours


@pytest.mark.parametrize("factory", [italian_canvas, russian_canvas])
def test_unicode_renders_without_missing_glyph_warnings(factory, caplog):
    with warnings.catch_warnings(), caplog.at_level(logging.WARNING):
        warnings.simplefilter("error")
        fig = plot_canvas(factory())
        fig.savefig(io.BytesIO(), format="png", dpi=40)
        draw_block(factory(), "customer_relationships").figure.savefig(io.BytesIO(), dpi=30)
        draw_relationship_spectrum(lang=factory().language).figure.savefig(io.BytesIO(),
                                                                           dpi=30)
    assert not [r for r in caplog.records if "glyph" in r.getMessage().lower()]


def test_draw_block_empty_shows_placeholder():
    canvas = Canvas.from_dict({"title": "Empty", "blocks": {}})
    ax = draw_block(canvas)
    texts = [t for t in ax.texts if (t.get_gid() or "").startswith("placeholder")]
    assert texts and "No notes yet" in texts[0].get_text()
    ax = draw_block(canvas, "channels", lang="ru")
    assert any("Заметок пока нет" in t.get_text() for t in ax.texts)


def test_draw_block_enlarges_notes_with_tags():
    canvas = italian_canvas()
    ax = draw_block(canvas, "customer_relationships")
    block = ax._canvastools_blocks if hasattr(ax, "_canvastools_blocks") else None
    notes = [t for t in ax.texts if (t.get_gid() or "").startswith("note-text")]
    tags = [t for t in ax.texts if (t.get_gid() or "").startswith("tag-text")]
    assert len(notes) == 3 and len(tags) == 3
    small = [t for t in draw_canvas(canvas).texts if (t.get_gid() or "").startswith("note-text")]
    assert notes[0].get_fontsize() > small[0].get_fontsize()
    assert block is not None
    check_geometry(ax)


def test_spectrum_places_types_in_order_and_labels_do_not_overlap():
    ax = draw_relationship_spectrum(cases=list(parse_cases_text(CASES_YAML)),
                                    canvas=russian_canvas())
    renderer = render(ax.figure)
    types = {t.get_gid()[5:]: t for t in ax.texts if (t.get_gid() or "").startswith("type:")}
    assert set(types) == set(TYPES)
    items = [t for t in ax.texts if t.get_gid() == "spectrum-item"]
    assert len(items) == 11 + 3
    boxes = [t.get_window_extent(renderer) for t in items]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b), "case labels overlap"
    type_boxes = [t.get_window_extent(renderer) for t in types.values()]
    for i, a in enumerate(type_boxes):
        for b in type_boxes[i + 1:]:
            assert not a.overlaps(b), "type labels overlap"


def test_spectrum_errors():
    bad = parse_cases_text(CASES_YAML.replace("co_creation, communities", "communities"))
    with pytest.raises(InputError, match="unknown taxonomy"):
        draw_relationship_spectrum(taxonomy="bmg2011")
    cases = list(bad)
    ax = draw_relationship_spectrum(cases=cases, taxonomy="strategyzer", lang="fr")
    assert any(t.get_text() == "personnel" for t in ax.texts)


def test_fitting_is_arithmetic_not_rendering(monkeypatch):
    """Drawing a 72-note canvas renders the figure zero times (text is measured, not drawn)."""
    from matplotlib.figure import Figure

    calls = []
    original = Figure.draw
    monkeypatch.setattr(Figure, "draw", lambda self, r: calls.append(1) or original(self, r))
    draw_canvas(many_canvas())
    assert calls == []


def test_import_canvastools_does_not_import_matplotlib():
    code = ("import sys, canvastools; canvastools.draw_canvas; "
            "print('matplotlib' in sys.modules)")
    code_lazy = "import sys, canvastools; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code_lazy], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "True"       # loaded only when drawing is asked for


@pytest.mark.parametrize("name", ["canvastools.draw", "canvastools.draw.layout",
                                  "canvastools.draw.fitting", "canvastools.draw.glyphs",
                                  "canvastools.draw.block", "canvastools.draw.canvas",
                                  "canvastools.draw.spectrum"])
def test_docstring_examples(name, tmp_path, monkeypatch):
    import doctest
    import importlib

    monkeypatch.chdir(tmp_path)
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0
