"""Canvas notes and segment names in several languages (``text: {en: ..., it: ...}``)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from canvastools import CanvasToolsError, load_canvas  # noqa: E402
from canvastools.cli import main  # noqa: E402
from canvastools.draw import plot_canvas  # noqa: E402
from canvastools.model.canvas import Canvas, parse_canvas_text  # noqa: E402

SHOP = """\
title: {en: Ciclo Verde bike shop, it: "Ciclo Verde, negozio di bici"}
language: en
segments:
  - id: families
    name: {en: Families, it: Famiglie}
  - id: commuters
    name: Commuters
blocks:
  customer_relationships:
    - text: {en: Advice in the shop, it: Consigli in negozio}
      segments: [families]
      relationship: personal_assistance
    - text: {it: Prenotazione online delle riparazioni}
      segments: [commuters]
      relationship: automated_services
    - Sunday group rides
"""


def _texts(fig) -> set[str]:
    return {" ".join(t.get_text().split()) for ax in fig.axes for t in ax.texts}


def test_each_language_has_its_text_and_a_default():
    canvas = parse_canvas_text(SHOP, "shop.yaml")
    advice, booking, rides = canvas.notes("customer_relationships")
    assert (advice.text, advice.text_in("it"), advice.text_in("fr")) == (
        "Advice in the shop", "Consigli in negozio", "Advice in the shop")
    # no English text: the default is the first one written
    assert booking.text == booking.text_in("en") == "Prenotazione online delle riparazioni"
    assert rides.text_in("it") == "Sunday group rides"
    families, commuters = canvas.segments
    assert (families.name, families.name_in("it")) == ("Families", "Famiglie")
    assert commuters.name_in("it") == "Commuters"


def test_the_canvas_language_picks_the_default_text():
    canvas = parse_canvas_text(SHOP.replace("language: en", "language: it"), "shop.yaml")
    assert canvas.notes("customer_relationships")[0].text == "Consigli in negozio"
    assert canvas.segments[0].name == "Famiglie"


def test_round_trip_keeps_every_language():
    canvas = parse_canvas_text(SHOP, "shop.yaml")
    data = canvas.to_dict()
    assert data["blocks"]["customer_relationships"][0]["text"] == {
        "en": "Advice in the shop", "it": "Consigli in negozio"}
    assert data["segments"][0]["name"] == {"en": "Families", "it": "Famiglie"}
    assert Canvas.from_dict(data) == canvas


def test_lang_draws_the_notes_and_segment_names_of_that_language():
    canvas = parse_canvas_text(SHOP, "shop.yaml")
    italian = _texts(plot_canvas(canvas, lang="it"))
    english = _texts(plot_canvas(canvas))
    plt.close("all")
    assert {"Consigli in negozio", "Famiglie", "Relazioni con i clienti",
            "Ciclo Verde, negozio di bici"} <= italian
    assert not {"Advice in the shop", "Families"} & italian
    assert {"Advice in the shop", "Families", "Customer Relationships",
            "Ciclo Verde bike shop"} <= english


@pytest.mark.parametrize("bad, message", [
    ("{en: Advice, itt: Consigli}",
     "note 1 (line 10), field 'text', language 'itt': unknown language 'itt' (did you mean 'it'?). "
     "Valid choices: en, it, fr, ru, de, es"),
    ("{}", "note 1 (line 10), field 'text': a text in several languages needs at least one"),
    ("{en: Advice, it: ''}", "note 1 (line 10), field 'text', language 'it': the text is empty"),
    ("{en: 12}", "note 1 (line 10), field 'text', language 'en': expected a text, got a number"),
])
def test_bad_translations_name_the_file_the_place_and_the_languages(bad, message):
    text = SHOP.replace("{en: Advice in the shop, it: Consigli in negozio}", bad)
    with pytest.raises(CanvasToolsError) as error:
        parse_canvas_text(text, "shop.yaml")
    assert "shop.yaml, blocks, customer_relationships, " + message in str(error.value)


def test_bad_segment_name_language_is_reported():
    with pytest.raises(CanvasToolsError) as error:
        parse_canvas_text(SHOP.replace("{en: Families, it: Famiglie}", "{en: Families, ital: x}"),
                          "shop.yaml")
    message = str(error.value)
    assert message.startswith("shop.yaml, segments, entry 1 (id: families")
    assert "field 'name' (line 5), language 'ital': unknown language 'ital'" in message


def test_validate_and_draw_commands(tmp_path, capsys):
    path = tmp_path / "shop.yaml"
    path.write_text(SHOP, encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    out = tmp_path / "shop-it.png"
    assert main(["draw", str(path), "-o", str(out), "--lang", "it", "--dpi", "40"]) == 0
    assert out.stat().st_size > 1000
    path.write_text(SHOP.replace("it: Famiglie", "xx: Famiglie"), encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", str(path)]) == 1
    captured = capsys.readouterr()
    assert "language 'xx': unknown language 'xx'" in captured.out + captured.err


def test_the_mobile_operator_gallery_canvas_is_in_english_and_italian():
    canvas = load_canvas("mobile-operator")
    notes = [n for block in canvas.blocks.values() for n in block]
    assert notes and all(n.text_in("it") != n.text_in("en") for n in notes)
    assert all(s.name_in("it") != s.name_in("en") for s in canvas.segments)


def test_a_comma_in_an_unquoted_text_gets_a_quoting_hint():
    text = SHOP.replace("{en: Advice in the shop, it: Consigli in negozio}",
                        "{en: Advice, fitting and repairs, it: Consigli}")
    with pytest.raises(CanvasToolsError) as error:
        parse_canvas_text(text, "shop.yaml")
    message = str(error.value)
    assert "language 'fitting and repairs': 'fitting and repairs' is not a language" in message
    assert "put a text with a comma in quotes" in message and message.count("\n") == 0
