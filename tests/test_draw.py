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

from canvastools.model.canvas import Canvas  # noqa: E402

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
    for block_id, drawn in drawn_blocks(ax).items():
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

from canvastools.draw import (  # noqa: E402
    draw_block,
    draw_canvas,
    draw_relationship_spectrum,
    plot_canvas,
    save_canvas,
)
from canvastools.draw.axes import drawn_blocks  # noqa: E402
from canvastools.errors import InputError  # noqa: E402
from canvastools.model.cases import parse_cases_text  # noqa: E402

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
    hidden = sum(d.hidden for d in drawn_blocks(ax).values())
    assert shown + hidden == canvas.note_count
    if kind != "long":
        assert hidden == 0, "these canvases fit without hiding notes"


def tall_canvas() -> Canvas:
    """Notes whose later lines start with accented capitals (matplotlib spaces those lines
    further apart than plain ones) mixed with plain lines."""
    texts = ["Kundenkarte für Stammkunden Über alles Ärger vermeiden Öfter kommen",
             "État des lieux À la carte Ève et Ångström Île de France",
             "Plain words only in this note here and there",
             "Ёлки и Йогурты Ёжики в тумане Йошкар-Ола снова",
             "ÀÉÍ ÓÚ ÂÊ ÎÔ ÛÄ ËÏ ÖÜ ŸÇ ÅÆ ÑØ ÀÉÍ ÓÚ ÂÊ ÎÔ ÛÄ"]
    return Canvas.from_dict({"title": "Ärger", "segments": SEGMENTS,
                             "blocks": {b: [_note(b, i + j, texts[(i + j) % len(texts)])
                                            for j in range(3)]
                                        for i, b in enumerate(BLOCKS)}})


@pytest.mark.parametrize("dpi", [40, 100, 200])
def test_lines_with_accented_capitals_stay_inside_their_notes(dpi):
    from canvastools.draw.canvas import RC

    fig = plot_canvas(tall_canvas())
    fig.set_dpi(dpi)
    if dpi < 72:
        with matplotlib.rc_context(RC):
            assert check_geometry(fig.axes[0]) == 27
    else:
        assert check_geometry(fig.axes[0]) == 27
    assert check_geometry(draw_block(tall_canvas())) == 3


def test_line_heights_do_not_depend_on_hinting_or_on_what_was_measured_first():
    from canvastools.draw.fitting import FontMetrics

    plain = FontMetrics()
    with matplotlib.rc_context({"text.hinting": "no_hinting"}):
        other = FontMetrics()
        other.width("Amazon recommendations", 10)
    assert (plain.line_first, plain.line_step) == (other.line_first, other.line_step)
    assert plain.width("Amazon recommendations", 10) == other.width("Amazon recommendations", 10)
    assert plain.lines_height(["a", "b"], 10) < plain.lines_height(["a", "Й"], 10)
    assert plain.lines_height(["a", "b"], 10) < plain.height(2, 10)


@pytest.mark.parametrize("kind", list(CANVASES))
def test_baseline_images(kind, tmp_path):
    check_image(plot_canvas(CANVASES[kind]()), f"canvas_{kind}", tmp_path=tmp_path)


def test_baseline_highlight(tmp_path):
    fig = plot_canvas(many_canvas(4), highlight="customer_relationships")
    check_image(fig, "canvas_highlight", tmp_path=tmp_path)


def test_baseline_spectrum(tmp_path):
    ax = draw_relationship_spectrum(cases=list(parse_cases_text(CASES_YAML)))
    check_image(ax.figure, "spectrum_cases", tmp_path=tmp_path)



def test_spectrum_labels_cases_in_the_drawing_language():
    yaml_text = CASES_YAML.replace("company: Private banks",
                                   "company: {en: Private banks, it: Private banking}")
    cases = list(parse_cases_text(yaml_text))
    italian = [t.get_text() for t in draw_relationship_spectrum(cases=cases, lang="it").texts]
    english = [t.get_text() for t in draw_relationship_spectrum(cases=cases, lang="en").texts]
    plt.close("all")
    assert "Private banking" in italian and "Private banks" not in italian
    assert "Private banks" in english and "Zappos" in italian

def test_baseline_block(tmp_path):
    ax = draw_block(italian_canvas(), "customer_relationships")
    check_image(ax.figure, "block_italian", tmp_path=tmp_path)


def test_full_block_shows_more_marker():
    blocks = {"channels": [f"Channel number {i} with a rather long description of how it "
                           "reaches customers" for i in range(40)]}
    canvas = Canvas.from_dict({"title": "Crowded", "blocks": blocks})
    ax = draw_canvas(canvas)
    drawn = drawn_blocks(ax)["channels"]
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
    drawn = drawn_blocks(draw_canvas(canvas))["key_resources"]
    assert drawn.hidden == 1 and drawn.marker.get_text() == "+1 more notes"


def test_highlight_fades_the_other_blocks():
    ax = draw_canvas(short_canvas(), highlight="customer_relationships")
    drawn = drawn_blocks(ax)
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
    many = drawn_blocks(draw_canvas(many_canvas()))["key_partners"]
    stripes = [a for a in many.artists if type(a).__name__ == "Rectangle" and a is not many.frame]
    colours = {matplotlib.colors.to_hex(a.get_facecolor()).upper() for a in stripes}
    assert {"#E69F00", "#56B4E9", "#CC79A7"} <= colours


@pytest.mark.parametrize("draw", ["block", "canvas"])
def test_shared_note_has_one_face_and_all_segments_on_its_stripe(draw):
    """A note of several segments: one face colour behind the text, the colours on the
    stripe at its left (the text never runs across a colour boundary)."""
    from canvastools.draw.palette import SHARED_NOTE, segment_colors
    from canvastools.model.canvas import load_canvas

    canvas = load_canvas("youtube")
    ax = draw_block(canvas) if draw == "block" else draw_canvas(canvas)
    renderer = render(ax.figure)
    drawn = drawn_blocks(ax)["customer_relationships"]
    colors = segment_colors(canvas)
    notes = canvas.notes("customer_relationships")
    rects = [a for a in drawn.artists if type(a).__name__ == "Rectangle" and a is not drawn.frame]
    shared = 0
    for patch, text in drawn.notes:
        note = notes[int(patch.get_gid().rsplit(":", 1)[1])]
        box, text_box = patch.get_window_extent(renderer), text.get_window_extent(renderer)
        mine = [r for r in rects if inside(r.get_window_extent(renderer), box)]
        for r in mine:
            assert not r.get_window_extent(renderer).overlaps(text_box), "colour behind text"
        assert [matplotlib.colors.to_hex(r.get_facecolor()) for r in mine] == \
            [colors[s].lower() for s in note.segments]
        if len(note.segments) > 1:
            shared += 1
            assert matplotlib.colors.to_hex(patch.get_facecolor()) == SHARED_NOTE.lower()
    assert shared == 2


def test_draw_block_has_a_segment_legend_under_the_block():
    from canvastools.model.canvas import load_canvas

    canvas = load_canvas("youtube")
    ax = draw_block(canvas)
    renderer = render(ax.figure)
    used = {s for n in canvas.notes("customer_relationships") for s in n.segments}
    names = [t.get_text() for t in ax.texts if t.get_gid() == "legend-text"]
    assert names == [s.name for s in canvas.segments if s.id in used]
    frame = drawn_blocks(ax)["customer_relationships"].frame.get_window_extent(renderer)
    fig_box = ax.figure.bbox
    legend = [a for a in [*ax.texts, *ax.patches]
              if a.get_gid() in ("legend-text", "legend-swatch")]
    boxes = [a.get_window_extent(renderer) for a in legend]
    for i, a in enumerate(boxes):
        assert a.y1 < frame.y0 and inside(a, fig_box), "legend under the block, in the figure"
        for b in boxes[i + 1:]:
            assert not a.overlaps(b)
    check_geometry(ax)
    # 'no segment' when a note of the block has none; no legend without segments
    many = draw_block(many_canvas(), "key_partners", lang="it")
    assert [t.get_text() for t in many.texts if t.get_gid() == "legend-text"][-1] == \
        "nessun segmento"
    plain = draw_block(Canvas.from_dict({"title": "T", "segments": SEGMENTS,
                                         "blocks": {"channels": ["Shop", "Web"]}}), "channels")
    assert not [t for t in plain.texts if t.get_gid() == "legend-text"]
    off = draw_block(canvas, legend=False)
    assert not [t for t in off.texts if t.get_gid() == "legend-text"]


def test_draw_block_legend_wraps_into_rows_when_long():
    segs = [{"id": f"s{i}", "name": f"A rather long segment name number {i}"} for i in range(6)]
    notes = [{"text": f"Note {i}", "segments": [f"s{i}"], "relationship": "self_service"}
             for i in range(6)]
    ax = draw_block(Canvas.from_dict({"title": "T", "segments": segs,
                                      "blocks": {"customer_relationships": notes}}))
    renderer = render(ax.figure)
    texts = [t for t in ax.texts if t.get_gid() == "legend-text"]
    assert len(texts) == 6 and min(t.get_fontsize() for t in texts) >= 7
    boxes = [t.get_window_extent(renderer) for t in texts]
    assert len({round(b.y0) for b in boxes}) > 1, "several rows"
    for i, a in enumerate(boxes):
        assert inside(a, ax.figure.bbox)
        for b in boxes[i + 1:]:
            assert not a.overlaps(b)
    check_geometry(ax)


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
    block = drawn_blocks(ax) or None
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
    assert len(items) == 12 + 3          # LEGO Ideas has two types: one chip under each
    boxes = [t.get_window_extent(renderer) for t in items]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b), "case labels overlap"
    type_boxes = [t.get_window_extent(renderer) for t in types.values()]
    for i, a in enumerate(type_boxes):
        for b in type_boxes[i + 1:]:
            assert not a.overlaps(b), "type labels overlap"


def _segments(line, renderer):
    """The straight pieces of a Line2D, in display coordinates."""
    del renderer
    xy = line.get_transform().transform(line.get_xydata())
    return [xy[i:i + 2] for i in range(len(xy) - 1)]


def _crosses(segment, bbox, shrink: float = 0.5) -> bool:
    from matplotlib.path import Path as MplPath
    from matplotlib.transforms import Bbox

    inner = Bbox.from_extents(bbox.x0 + shrink, bbox.y0 + shrink, bbox.x1 - shrink,
                              bbox.y1 - shrink)
    return MplPath(segment).intersects_bbox(inner, filled=True)


def check_spectrum(ax, min_item_size: float | None = None) -> dict:
    """Nothing on a spectrum overlaps: texts, chips, leaders; everything inside the Axes."""
    fig = ax.get_figure(root=True)
    renderer = render(fig)
    texts = [t for t in ax.texts if t.get_text()]
    boxes = {t: t.get_window_extent(renderer) for t in texts}
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            assert not boxes[a].overlaps(boxes[b]), (a.get_text(), b.get_text())
    chips = [p for p in ax.patches if p.get_gid() == "spectrum-chip"]
    chip_boxes = [p.get_window_extent(renderer) for p in chips]
    for i, a in enumerate(chip_boxes):
        for b in chip_boxes[i + 1:]:
            assert not a.overlaps(b), "chips overlap"
    items = [t for t in texts if t.get_gid() == "spectrum-item"]
    assert len(items) == len(chips)
    for t, box in zip(items, chip_boxes, strict=True):
        assert inside(boxes[t], box), t.get_text()       # each text inside its own chip
    frame = ax.get_window_extent(renderer)
    for t, box in boxes.items():
        assert inside(box, frame, tol=2.0), f"{t.get_text()!r} leaves the Axes"
    leaders = [ln for ln in ax.lines
               if ln.get_gid() in ("spectrum-leader", "spectrum-shelf", "type-leader")]
    obstacles = list(boxes.values()) + chip_boxes
    for line in leaders:
        for seg in _segments(line, renderer):
            for box in obstacles:
                assert not _crosses(seg, box), f"a {line.get_gid()} crosses a label"
    columns = [ln for ln in ax.lines if ln.get_gid() == "spectrum-leader"]
    for i, a in enumerate(columns):            # leaders of different columns never cross
        for b in columns[i + 1:]:
            for sa in _segments(a, renderer):
                for sb in _segments(b, renderer):
                    assert not _segments_cross(sa, sb), "two leaders cross"
    if min_item_size is not None:
        assert min(t.get_fontsize() for t in items) >= min_item_size
    return {"items": items, "boxes": boxes, "renderer": renderer}


def _segments_cross(a, b) -> bool:
    def orient(p, q, r):
        v = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
        return 0 if abs(v) < 1e-9 else (1 if v > 0 else -1)

    o1, o2 = orient(a[0], a[1], b[0]), orient(a[0], a[1], b[1])
    o3, o4 = orient(b[0], b[1], a[0]), orient(b[0], b[1], a[1])
    return o1 * o2 < 0 and o3 * o4 < 0


@pytest.mark.parametrize("taxonomy, lang", [("bmg2010", "en"), ("strategyzer", "ru")])
def test_spectrum_of_the_whole_case_bank_is_readable(taxonomy, lang):
    from canvastools.model.cases import load_cases

    bank = load_cases()
    ax = draw_relationship_spectrum(cases=bank, taxonomy=taxonomy, lang=lang)
    w, h = ax.figure.get_size_inches()
    assert w == 12 and h <= 6.0
    found = check_spectrum(ax, min_item_size=7.0)
    placed = sum(len(set(c.types)) for c in bank)
    assert len(found["items"]) == placed
    ends = {t.get_gid(): t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("end")}
    assert ends == ({"end-personal": "personal", "end-automated": "automated"} if lang == "en"
                    else {"end-personal": "персональное", "end-automated": "автоматизированное"})


def test_spectrum_case_of_several_types_is_in_each_column_and_explained():
    from canvastools.model.cases import load_cases

    ax = draw_relationship_spectrum(cases=load_cases().select(["stitch-fix", "youtube"]))
    check_spectrum(ax)
    items = [t for t in ax.texts if t.get_gid() == "spectrum-item"]
    stitch = [t for t in items if t.get_text().startswith("Stitch Fix")]
    assert len(stitch) == 2 and all(t.get_text() == "Stitch Fix²" for t in stitch)
    assert all(t.get_style() == "italic" for t in stitch)
    yt = next(t for t in items if t.get_text() == "YouTube")
    assert yt.get_style() == "normal"
    legend = [t.get_text() for t in ax.texts if t.get_gid() == "spectrum-legend"]
    assert legend == ["² listed under 2 types"]
    # each Stitch Fix chip sits above its own type: personal assistance left of automated
    xs = sorted(t.get_position()[0] for t in stitch)
    types = {t.get_gid()[5:]: t.get_position()[0] for t in ax.texts
             if (t.get_gid() or "").startswith("type:")}
    assert abs(xs[0] - types["personal_assistance"]) < abs(xs[0] - types["automated_services"])


def test_spectrum_skips_cases_without_a_type():
    from canvastools.model.cases import load_cases

    cases = load_cases().select(["mobile-operators", "youtube"])
    assert [c.types for c in cases][0] == ()
    ax = draw_relationship_spectrum(cases=cases)
    assert [t.get_text() for t in ax.texts if t.get_gid() == "spectrum-item"] == ["YouTube"]


def test_spectrum_new_figure_is_as_high_as_its_content():
    from canvastools.model.cases import load_cases

    three = draw_relationship_spectrum(cases=load_cases().select(
        ["ing-direct", "youtube", "private-banking"]))
    empty = draw_relationship_spectrum()
    for ax in (three, empty):
        found = check_spectrum(ax)
        fig_h = ax.figure.bbox.height
        used = [b for b in found["boxes"].values()]
        top = max(b.y1 for b in used)
        bottom = min(b.y0 for b in used)
        assert top - bottom > 0.75 * fig_h, "a blank band above or below"
    assert three.figure.get_size_inches()[1] < 2.5
    assert empty.figure.get_size_inches()[1] < three.figure.get_size_inches()[1]


@pytest.mark.parametrize("figsize, grid", [((10, 9), (2, 1)), ((6.4, 4.8), (1, 1))])
def test_spectrum_on_a_given_axes_stays_inside_it(figsize, grid):
    from canvastools.model.canvas import load_canvas
    from canvastools.model.cases import load_cases

    fig, axes = plt.subplots(*grid, figsize=figsize)
    axes = list(getattr(axes, "flat", [axes]))
    assert draw_relationship_spectrum(axes[0], cases=load_cases()) is axes[0]
    check_spectrum(axes[0])
    if len(axes) > 1:
        draw_relationship_spectrum(axes[1], canvas=load_canvas("amazon"), lang="it")
        check_spectrum(axes[1])
    assert fig.get_size_inches().tolist() == list(figsize)


def test_spectrum_of_canvas_notes_uses_segment_colours():
    from canvastools.model.canvas import load_canvas

    canvas = load_canvas("youtube")
    ax = draw_relationship_spectrum(canvas=canvas)
    check_spectrum(ax)
    typed = [n for n in canvas.notes("customer_relationships") if n.relationship]
    chips = [p for p in ax.patches if p.get_gid() == "spectrum-chip"]
    assert len(chips) == len(typed)
    assert len({matplotlib.colors.to_hex(p.get_edgecolor()) for p in chips}) > 1


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
                                  "canvastools.draw.spectrum", "canvastools.draw.texts",
                                  "canvastools.draw.axes", "canvastools.draw.spectrum_chips"])
def test_docstring_examples(name, tmp_path, monkeypatch):
    import doctest
    import importlib

    monkeypatch.chdir(tmp_path)
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0


NOTEBOOK_CELLS = ["import canvastools as ct",
                  "ct.plot_canvas(ct.load_canvas('amazon'))",
                  "ct.draw_block(ct.load_canvas('amazon'))",
                  "ct.draw_block(ct.load_canvas('youtube'))",
                  "ct.draw_relationship_spectrum()",
                  "fig = ct.plot_canvas(ct.load_canvas('youtube'))\nfig"]


@pytest.mark.parametrize("magic", [None, "%matplotlib inline"])
def test_figures_show_once_in_a_fresh_kernel(magic):
    """As the last line of a cell, each drawing shows exactly one PNG, with or without
    %matplotlib inline: plot_canvas by its own _repr_png_ (or the inline Figure formatter),
    the ax=None helpers by the inline backend, every time (not only the first)."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.v4.new_notebook()
    cells = ([magic] if magic else []) + NOTEBOOK_CELLS
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}     # the kernel's own
    nbclient.NotebookClient(nb, kernel_name="python3", timeout=120).execute(env=env)
    for cell in nb.cells:
        if cell.source in (magic, NOTEBOOK_CELLS[0]):
            continue
        assert not [o for o in cell.outputs if o.output_type == "error"], cell.outputs
        pngs = [o for o in cell.outputs if "image/png" in o.get("data", {})]
        assert len(pngs) == 1, (cell.source, [o.get("data", {}).keys() for o in cell.outputs])


def test_plot_canvas_renders_itself_as_png():
    from canvastools.draw.canvas import CanvasFigure

    fig = plot_canvas(short_canvas())
    assert isinstance(fig, CanvasFigure) and not plt.get_fignums()
    png = fig._repr_png_()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    import struct

    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (1600, 1000)          # 16 x 10 inches at 100 dpi


def test_drawing_texts_complete_in_six_languages():
    import re

    from canvastools.draw.texts import drawing_texts
    from canvastools.model.taxonomy import load_domain

    languages = set(load_domain().languages)
    for key, texts in drawing_texts().items():
        assert set(texts) == languages, key
        fields = set(re.findall(r"{(\w+)}", texts["en"]))
        for lang, text in texts.items():
            assert set(re.findall(r"{(\w+)}", text)) == fields, (key, lang)


def test_a_no_break_space_keeps_french_punctuation_on_its_line():
    from canvastools.draw.fitting import metrics, wrap
    from canvastools.draw.texts import drawing_text

    text = drawing_text("empty_block", "fr")
    assert "\u00a0:" in text
    m = metrics()
    widest_word = max(m.width(w, 8) for w in text.split())
    for width in (widest_word + 1, 44, 60, 90, 200):
        lines = wrap(text, width, 8, m)
        assert not any(line.startswith(":") for line in lines), lines
        if width > widest_word:   # no word had to be broken
            assert " ".join(lines) == text, lines
