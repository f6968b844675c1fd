"""Canvas files (the format of DESIGN.md) and their errors."""

import pytest

from canvastools import Canvas, InputError, ValidationErrors, load_canvas

GOOD = """\
title: Nespresso
language: en
segments:
  - id: households
    name: Households
    color: "#E69F00"
  - id: offices
    name: Offices
blocks:
  customer_relationships:
    - text: Nespresso Club with personal advice
      segments: [households]
      relationship: dedicated_personal_assistance
    - Online self-service ordering
  value_propositions:
    - text: Premium espresso at home
      segments: [households, offices]
"""


def load_text(tmp_path, text, name="nespresso.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_canvas(path)


def error_text(tmp_path, text, name="nespresso.yaml"):
    with pytest.raises((InputError, ValidationErrors)) as err:
        load_text(tmp_path, text, name)
    return str(err.value)


def test_design_example_loads_with_all_nine_blocks(tmp_path):
    canvas = load_text(tmp_path, GOOD)
    assert canvas.title == "Nespresso" and len(canvas.blocks) == 9
    first, second = canvas.notes("customer_relationships")
    assert first.relationship == "dedicated_personal_assistance"
    assert first.segments == ("households",)
    assert second.text == "Online self-service ordering" and second.relationship is None
    assert canvas.segment("offices").color is None
    assert canvas.notes("channels") == ()


def test_round_trip_through_to_dict(tmp_path):
    canvas = load_text(tmp_path, GOOD)
    assert Canvas.from_dict(canvas.to_dict()) == canvas


def test_wrong_block_name_suggests(tmp_path):
    msg = error_text(tmp_path, GOOD.replace("  customer_relationships:",
                                            "  customer_relationship:"))
    assert "nespresso.yaml" in msg and "unknown block 'customer_relationship'" in msg
    assert "did you mean 'customer_relationships'" in msg and "revenue_streams" in msg


def test_wrong_relationship_type_suggests(tmp_path):
    msg = error_text(tmp_path, GOOD.replace("dedicated_personal_assistance", "self_serve"))
    assert "blocks, customer_relationships, note 1" in msg
    assert "did you mean 'self_service'" in msg


def test_relationship_outside_the_cr_block_is_an_error(tmp_path):
    text = GOOD + "      relationship: self_service\n"
    assert "only Customer Relationships notes" in error_text(tmp_path, text)


def test_unknown_segment_in_a_note(tmp_path):
    msg = error_text(tmp_path, GOOD.replace("[households, offices]", "[household]"))
    assert "unknown segment 'household'" in msg and "did you mean 'households'" in msg


def test_bad_colour_and_language(tmp_path):
    msg = error_text(tmp_path, GOOD.replace('"#E69F00"', "orangey").replace("language: en",
                                                                             "language: english"))
    assert "colour 'orangey' is not a hex colour" in msg
    assert "unknown language 'english'" in msg


def test_missing_title_and_broken_yaml(tmp_path):
    assert "missing the field 'title'" in error_text(tmp_path, GOOD.replace("title: Nespresso",
                                                                          ""))
    msg = error_text(tmp_path, GOOD.replace("- Online", "- [Online"))
    assert "YAML syntax error" in msg and "line" in msg


def test_unknown_gallery_name_lists_the_gallery():
    with pytest.raises(InputError, match="no canvas file or gallery canvas named 'nope'"):
        load_canvas("nope")


def test_missing_file_is_named(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_canvas(tmp_path / "absent.yaml")


def test_json_canvas(tmp_path):
    import json

    import yaml
    canvas = load_text(tmp_path, json.dumps(yaml.safe_load(GOOD)), "n.json")
    assert canvas.notes("value_propositions")[0].segments == ("households", "offices")


# --- wrongly-typed values say what was written, in plain words --------------------------

def test_segments_given_as_a_mapping_says_a_mapping(tmp_path):
    msg = error_text(tmp_path, GOOD.replace("[households, offices]", "{households: 1}"))
    assert ("value_propositions, note 1 (line 16), field 'segments' (line 17): expected a list "
            "of segments, got a mapping") in msg
    assert "_LineDict" not in msg and "dict" not in msg


def test_relationship_given_as_a_list_asks_for_one_id(tmp_path):
    msg = error_text(tmp_path, GOOD.replace("relationship: dedicated_personal_assistance",
                                            "relationship: [self_service]"))
    assert ("customer_relationships, note 1 (line 11), field 'relationship' (line 13): expected "
            "one relationship type, not a list") in msg
    assert "unknown relationship type" not in msg and "['self_service']" not in msg


def test_a_title_of_the_wrong_kind_is_not_called_missing(tmp_path):
    msg = error_text(tmp_path, GOOD.replace("title: Nespresso", "title: 5"))
    assert "field 'title' (line 1): expected a text, got a number (put it in quotes)" in msg
    assert "missing" not in msg


def test_a_yes_note_is_not_silently_turned_into_true(tmp_path):
    msg = error_text(tmp_path, GOOD.replace("- Online self-service ordering", "- yes"))
    assert "note 2 (line 14): a note is a text, got yes/no (true)" in msg


def test_a_segment_id_must_be_a_text(tmp_path):
    msg = error_text(tmp_path, GOOD.replace("- id: offices", "- id: 7"))
    assert "segments, entry 2 (line 7), field 'id': expected a text, got a number" in msg


def test_a_taxonomy_path_is_read_relative_to_the_canvas_file(tmp_path, monkeypatch,
                                                              concierge_taxonomy):
    folder = concierge_taxonomy
    monkeypatch.chdir(tmp_path)
    canvas = load_text(folder, "taxonomy: mine.yaml\n" + GOOD.replace(
        "dedicated_personal_assistance", "concierge"))
    assert canvas.notes("customer_relationships")[0].relationship == "concierge"
    assert Canvas.from_dict(canvas.to_dict()) == canvas


# --- nothing the user wrote is silently lost or changed -----------------------------------

def test_a_block_written_twice_is_an_error_naming_both_lines(tmp_path):
    text = GOOD + "  customer_relationships:\n    - Loyalty card\n"
    msg = error_text(tmp_path, text)
    assert msg == (f"{tmp_path / 'nespresso.yaml'}, line 18: duplicate key "
                   "'customer_relationships' (first at line 10): write each key once "
                   "(merge the two)")


def test_every_duplicate_key_is_reported_at_once_in_yaml_and_json(tmp_path):
    text = "title: A\nblocks:\n  channels: [{text: a, text: b}]\ntitle: B\n"
    msg = error_text(tmp_path, text)
    assert "line 3: duplicate key 'text' (first at line 3)" in msg
    assert "line 4: duplicate key 'title' (first at line 1)" in msg
    json_text = ('{"title": "A",\n "blocks": {"channels": [{"text": "a", "n": {"text": 1}}],\n'
                 '  "channels": []}}\n')
    msg = error_text(tmp_path, json_text, "c.json")
    assert msg == (f"{tmp_path / 'c.json'}, line 3: duplicate key 'channels' (first at line 2):"
                   " write each key once (merge the two)")  # "text" of the nested object: no


def test_a_yaml_merge_key_may_be_overridden(tmp_path):
    text = ("title: A\nsegments:\n  - &s {id: a, name: A}\n  - {<<: *s, id: b}\n"
            "blocks: {channels: [Web]}\n")
    assert [s.id for s in load_text(tmp_path, text).segments] == ["a", "b"]


@pytest.mark.parametrize("written, read_as", [
    ("- 1.50", "number"), ("- 0100", "number"), ("- 1_000", "number"), ("- 42", "number"),
    ("- 2026-01-01", "date"),
])
def test_a_note_that_yaml_reads_as_a_number_or_date_must_be_quoted(tmp_path, written, read_as):
    msg = error_text(tmp_path, GOOD.replace("- Online self-service ordering", written))
    assert msg.endswith(f"blocks, customer_relationships, note 2 (line 14): a note is a text, "
                        f"got a {read_as} (put it in quotes)")
    quoted = f'- "{written[2:]}"'
    canvas = load_text(tmp_path, GOOD.replace("- Online self-service ordering", quoted))
    assert canvas.notes("customer_relationships")[1].text == written[2:]


def test_a_note_text_that_is_a_number_must_be_quoted(tmp_path):
    msg = error_text(tmp_path, GOOD.replace("text: Premium espresso at home", "text: 3.10"))
    assert msg.endswith("value_propositions, note 1 (line 16), field 'text': expected a text, "
                        "got a number (put it in quotes)")


def test_a_case_file_is_not_taken_for_a_canvas(tmp_path):
    from test_cases import GOOD as CASES

    for text in (CASES, "taxonomy: bmg2010\ncases:\n  " + CASES.replace("\n", "\n  ")):
        msg = error_text(tmp_path, text)
        assert msg == (f"{tmp_path / 'nespresso.yaml'}: this is a case file, not a canvas "
                       "file: a canvas file is a mapping with 'title' and 'blocks' "
                       "(see docs/formats.md)")
