"""Big or broken input files: refused at once with the limit named, every error on its line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from canvastools import InputError
from canvastools._io.yamlio import MAX_FILE_BYTES, read_data_text
from canvastools.model.canvas import load_canvas, parse_canvas_text
from canvastools.model.cases import load_cases

BIN = Path(sys.executable).parent / "canvastools"


def run(*args):
    return subprocess.run([str(BIN), *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"}, timeout=120)


def canvas_with(notes: int) -> str:
    return "title: Big\nblocks:\n  channels:\n" + "".join(
        f"    - Channel number {i} with a few words\n" for i in range(notes))


def test_a_file_over_the_size_limit_is_refused_naming_the_limit(tmp_path):
    big = tmp_path / "big.yaml"
    text = canvas_with(1)
    big.write_text(text + "# padding\n" * (MAX_FILE_BYTES // 10 + 1), encoding="utf-8")
    out = run("validate", big)
    assert out.returncode == 1 and "ok:" not in out.stdout
    size = big.stat().st_size
    assert out.stderr == (f"error: {big}: too big: the file is {size:,} bytes; the limit is 1 MB "
                          "(1,000,000 bytes) (see docs/formats.md, Limits)\n")


def test_a_huge_file_is_not_read_at_all(tmp_path):
    huge = tmp_path / "huge.yaml"
    with open(huge, "wb") as out:          # 49 MB, written sparse: instant
        out.truncate(49_000_000)
    with pytest.raises(InputError, match=r"too big: the file is 49\.0 MB; the limit is 1 MB "):
        load_canvas(huge)


def test_a_stream_without_end_is_read_no_further_than_the_limit():
    out = run("validate", "/dev/zero")          # its size says 0: reading must stop anyway
    assert out.returncode == 1
    assert "/dev/zero: too big: more than 1 MB (1,000,000 bytes), the limit" in out.stderr


def test_too_many_notes_in_one_block_names_the_line_and_the_limit():
    with pytest.raises(InputError) as err:
        parse_canvas_text(canvas_with(1001), "many.yaml")
    assert str(err.value) == ("many.yaml, line 4: too big: a list of 1,001 items; the limit is "
                              "1,000 items in one list (see docs/formats.md, Limits)")


def test_too_many_notes_in_one_canvas_are_refused_before_they_are_checked():
    blocks = "".join(f"  {b}:\n" + "".join(f"    - Note {i}\n" for i in range(120))
                     for b in ("key_partners", "key_activities", "key_resources",
                               "value_propositions", "customer_relationships", "channels",
                               "customer_segments", "cost_structure", "revenue_streams"))
    with pytest.raises(InputError) as err:
        parse_canvas_text("title: Big\nblocks:\n" + blocks, "many.yaml")
    assert str(err.value) == ("many.yaml, field 'blocks' (line 2): too big: 1,080 notes; the "
                              "limit is 1,000 notes in one canvas (see docs/formats.md, Limits)")


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_text_over_the_length_limit_names_its_line(tmp_path, suffix):
    note = "word " * 1199 + "words"
    text = (f"title: Long\nblocks:\n  channels:\n    - {note}\n" if suffix == ".yaml" else
            f'{{"title": "Long",\n "blocks": {{"channels": [\n  "{note}"]}}}}')
    with pytest.raises(InputError) as err:
        read_data_text(text, f"long{suffix}")
    assert str(err.value) == (f"long{suffix}, line {4 if suffix == '.yaml' else 2}: too big: a "
                              "text of 6,000 characters; the limit is 5,000 characters "
                              "(see docs/formats.md, Limits)")


@pytest.mark.parametrize("text, line, words", [
    ("title: A\nblocks\n  channels: [a]\nsegments: []\n", 2, "a key without ':' after it"),
    ("- id: a\n  company b\n  types: [x]\n- id: c\n", 2, "a key without ':' after it"),
    ('title: "Nespresso\nblocks: {}\nlanguage: en\n', 1, "a quote that is never closed"),
    ("title: A\nblocks:\n  channels: [a, b\n  key_partners: [c]\n", 3,
     "a '[' that is never closed"),
    ("title: A\nblocks:\n\tchannels: [a]\n", 3, "a tab character: indent with spaces"),
])
def test_a_yaml_syntax_error_points_at_the_line_of_the_mistake(text, line, words):
    with pytest.raises(InputError) as err:
        read_data_text(text, "c.yaml")
    message = str(err.value)
    assert message.startswith(f"c.yaml, line {line}, column ") and words in message


def test_a_file_that_is_not_utf8_names_the_byte_and_its_line(tmp_path):
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("title: Caffè\nblocks:\n  channels: [Caffè Nero]\n".encode("latin-1"))
    with pytest.raises(InputError) as err:
        load_canvas(bad)
    assert str(err.value) == (f"{bad}, line 1, column 12: the file is not UTF-8 text: byte 11 "
                              "(0xe8) is not UTF-8; save the file with the UTF-8 encoding")


def test_a_case_file_with_a_byte_order_mark_is_read(tmp_path):
    from test_cases import GOOD

    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    assert len(load_cases(path)) == 1
