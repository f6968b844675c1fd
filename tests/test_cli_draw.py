"""`canvastools draw FILE -o OUT.{png,svg,pdf}`: files written, mistakes without a traceback."""

from __future__ import annotations

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from canvastools.cli import main  # noqa: E402
from canvastools.model.canvas import gallery_dir  # noqa: E402

BAD_CANVAS = """\
title: Broken
segments:
  - id: shoppers
    name: Shoppers
blocks:
  customer_relationships:
    - text: Reviews
      relationship: co_creaton
      segments: [shopers]
  chanels: [Website]
"""


@pytest.mark.parametrize("suffix", ["png", "svg", "pdf"])
def test_draw_writes_each_format(tmp_path, capsys, suffix):
    out = tmp_path / f"amazon.{suffix}"
    code = main(["draw", str(gallery_dir() / "amazon.yaml"), "-o", str(out), "--dpi", "40"])
    assert code == 0
    assert out.stat().st_size > 1000
    assert f"wrote {out}" in capsys.readouterr().out


def test_draw_gallery_name_with_lang_and_highlight(tmp_path):
    out = tmp_path / "yt.png"
    assert main(["draw", "youtube", "-o", str(out), "--lang", "ru",
                 "--highlight", "customer_relationships", "--dpi", "40"]) == 0
    assert out.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("args, expected", [
    (["-o", "{tmp}/x.jpg"], "Valid choices: .png, .svg, .pdf"),
    (["-o", "{tmp}/x.png", "--highlight", "customer_relationship"],
     "did you mean 'customer_relationships'?"),
    (["-o", "{tmp}/x.png", "--lang", "english"], "Valid choices: en, it"),
    (["-o", "{tmp}/missing/x.png"], "does not exist"),
])
def test_draw_mistakes_exit_1_with_a_message(tmp_path, capsys, args, expected):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    assert main(["draw", "amazon", *args]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and expected in err
    assert "Traceback" not in err


def test_draw_bad_file_gives_the_validation_message(tmp_path, capsys):
    bad = tmp_path / "broken.yaml"
    bad.write_text(BAD_CANVAS, encoding="utf-8")
    out = tmp_path / "broken.png"
    assert main(["draw", str(bad), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "broken.yaml" in err
    assert "did you mean 'co_creation'" in err
    assert "did you mean 'shoppers'" in err
    assert "did you mean 'channels'" in err
    assert not out.exists()


def test_draw_in_a_subprocess_has_no_traceback(tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text(BAD_CANVAS, encoding="utf-8")
    exe = [sys.executable, "-m", "canvastools.cli"]
    run = subprocess.run([*exe, "draw", str(bad), "-o", str(tmp_path / "b.png")],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr and "co_creation" in run.stderr
    run = subprocess.run([*exe, "draw", "no-such-canvas", "-o", str(tmp_path / "b.png")],
                         capture_output=True, text=True)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "ing-direct" in run.stderr          # lists the gallery names


def sixty_notes(tmp_path):
    path = tmp_path / "sixty.yaml"
    path.write_text("title: Sixty\nblocks:\n  channels:\n" + "".join(
        f"    - Channel number {i} with some words\n" for i in range(1, 61)), encoding="utf-8")
    return path


def test_draw_says_which_notes_did_not_fit_and_where(tmp_path, capsys):
    out = tmp_path / "sixty.png"
    assert main(["draw", str(sixty_notes(tmp_path)), "-o", str(out), "--dpi", "40"]) == 0
    captured = capsys.readouterr()
    assert out.exists() and captured.out == f"wrote {out}\n"
    [warning] = captured.err.splitlines()
    assert warning.startswith(f"warning: {tmp_path / 'sixty.yaml'}, blocks, channels (lines ")
    hidden = int(warning.split(" of 60 notes did not fit")[0].rsplit(" ", 1)[1])
    first = 61 - hidden      # the first notes are drawn, the rest are named
    assert f"(lines {first + 3}-63): {hidden} of 60 notes did not fit and are not drawn " \
           f"(notes {first}-60; the drawing shows \"+{hidden} more notes\")" in warning


def test_draw_strict_makes_a_note_that_does_not_fit_an_error(tmp_path, capsys):
    out = tmp_path / "sixty.png"
    assert main(["draw", str(sixty_notes(tmp_path)), "-o", str(out), "--strict"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {tmp_path / 'sixty.yaml'}, blocks, channels (lines ")
    assert f"error: nothing written to {out} (--strict: every note must fit)" in err
    assert not out.exists()
    assert main(["draw", "amazon", "-o", str(out), "--strict", "--dpi", "40"]) == 0  # all fit
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("option, value, expected", [
    ("--lang", "itt", "error: --lang: unknown language 'itt' (did you mean 'it'?)"),
    ("--highlight", "chanels", "error: --highlight: unknown block 'chanels' (did you mean "
                               "'channels'?)"),
])
def test_draw_names_its_options_as_they_are_typed(tmp_path, capsys, option, value, expected):
    assert main(["draw", "amazon", "-o", str(tmp_path / "x.png"), option, value]) == 1
    assert capsys.readouterr().err.startswith(expected)


def test_save_canvas_strict_raises_and_writes_nothing(tmp_path):
    from canvastools import InputError, ValidationErrors
    from canvastools.draw import save_canvas
    from canvastools.model.canvas import load_canvas

    out = tmp_path / "sixty.png"
    with pytest.raises((InputError, ValidationErrors), match="notes did not fit"):
        save_canvas(load_canvas(sixty_notes(tmp_path)), out, strict=True)
    assert not out.exists()
