"""Colours: segment colours (Okabe-Ito, colour-blind safe), note tints, neutral greys.

>>> from canvastools.model.canvas import load_canvas
>>> segment_colors(load_canvas("amazon"))["shoppers"]
'#E69F00'
"""

from __future__ import annotations

from matplotlib.colors import to_hex, to_rgb

# Okabe & Ito (2008), "Color Universal Design"; black left out (it is the text colour).
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
NEUTRAL_NOTE = "#EDEDED"
SHARED_NOTE = "#FCFCFC"          # a note of several segments: one neutral face, split stripe
NEUTRAL_BAND = "#9E9E9E"
BLOCK_FACE = "#FFFFFF"
BLOCK_EDGE = "#4D4D4D"
HIGHLIGHT_EDGE = "#0072B2"
TEXT = "#1A1A1A"
MUTED = "#595959"
TAG_FACE = "#FFFFFF"
TAG_EDGE = "#333333"
FADED_ALPHA = 0.3


def segment_colors(canvas) -> dict[str, str]:
    """Map each segment id to its colour: its own ``color`` or the next unused Okabe-Ito one."""
    used = {s.color.upper() for s in canvas.segments if s.color}
    free = [c for c in OKABE_ITO if c.upper() not in used] or list(OKABE_ITO)
    out: dict[str, str] = {}
    i = 0
    for seg in canvas.segments:
        if seg.color:
            out[seg.id] = seg.color
        else:
            out[seg.id] = free[i % len(free)]
            i += 1
    return out


def tint(color: str, amount: float = 0.6) -> str:
    """``color`` mixed with white (``amount`` of white), for a readable note background."""
    r, g, b = to_rgb(color)
    return to_hex((r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount))


def note_face(colors: list[str]) -> str:
    """The background of a note serving ``colors``' segments: the segment's tint, neutral
    grey when none, near-white when several (their colours are on the note's stripe, so
    the text never runs across a colour boundary).

    >>> note_face([]), note_face(["#E69F00", "#56B4E9"])
    ('#EDEDED', '#FCFCFC')
    """
    if not colors:
        return NEUTRAL_NOTE
    if len(set(colors)) > 1:
        return SHARED_NOTE
    return tint(colors[0], 0.72)
