"""draw_relationship_matrix: the 2x2 of personal-automated by transactional-long-term."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from canvastools import InputError, draw_relationship_matrix  # noqa: E402

CROWDED = [("Commessa di un negozio di souvenir", 0.2, 0.1),
           ("Biglietteria automatica in stazione", 0.8, 0.1),
           ("Croccanti", 0.45, 0.1), ("Moto Rossa", 0.5, 0.9),
           ({"en": "Private banker", "it": "Private banker (20 anni)"}, 0.0, 0.9),
           ("Studio Bianchi", 0.0, 0.5)]


def test_labels_and_axis_ends_never_overlap():
    ax = draw_relationship_matrix(CROWDED, lang="it")
    renderer = ax.figure.canvas.get_renderer()
    texts = [t for t in ax.texts if (t.get_gid() or "").startswith(("placement:", "end:"))]
    assert len(texts) == len(CROWDED) + 4
    boxes = [t.get_window_extent(renderer) for t in texts]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b)
    shown = {t.get_text() for t in texts}
    assert {"transazionale", "di lungo periodo", "personale", "automatizzato",
            "Private banker (20 anni)"} <= shown
    plt.close("all")


def test_draws_on_a_given_axes():
    fig, ax = plt.subplots()
    assert draw_relationship_matrix([{"label": "Kiosk", "automated": 1, "long_term": 0}],
                                    ax=ax) is ax
    assert "long-term" in {t.get_text() for t in ax.texts}
    plt.close(fig)


@pytest.mark.parametrize("bad, message", [
    ([("Kiosk", 1.5, 0.1)], "'automated' is a number from 0 to 1, got 1.5"),
    ([("Kiosk", 0.5, "high")], "'long_term' is a number from 0 to 1, got 'high'"),
    ([("Kiosk", 0.5)], "a placement is (label, automated, long_term)"),
    ([("", 0.5, 0.5)], "the label is a non-empty text"),
])
def test_bad_placements_say_what_is_wrong(bad, message):
    with pytest.raises(InputError) as error:
        draw_relationship_matrix(bad)
    assert message in str(error.value) and "placement 1" in str(error.value)
    plt.close("all")
