"""Items files (issue 20): an instructor's own graded items, checked with clear errors."""

from __future__ import annotations

import textwrap

import pytest

from canvastools.cli import main
from canvastools.errors import CanvasToolsError
from canvastools.model.items import load_items, parse_items_text

GOOD = textwrap.dedent("""\
    title: {en: Quiz, it: Quiz}
    language: it
    choices: types
    points: 2
    pool: 2
    objectives:
      dist: distinguishes the six types
    items:
      - id: a
        company: {en: Acme, it: Acme SpA}
        description: {en: A named adviser per client, it: Un consulente per cliente}
        key: dedicated_personal_assistance
        accepted: [personal_assistance]
        explanation: {en: One person of your own.}
        objectives: [dist]
      - id: b
        description: Customers help each other in a forum.
        key: [communities, co_creation]
      - id: c
        description: A playlist made for each listener.
        key: automated_services
    """)


def test_a_good_file_reads_with_its_keys_texts_and_pool():
    items = parse_items_text(GOOD, "quiz.yaml")
    assert items.ids == ["a", "b", "c"] and items.language == "it"
    assert items.items[0].accepted == ("personal_assistance",)
    assert items.items[1].multi and items.items[1].key == ("communities", "co_creation")
    assert items.text(items.items[0].company) == "Acme SpA"
    assert items.text(items.items[1].description) == "Customers help each other in a forum."
    assert items.pool == 2 and items.total_points == 4.0   # 2 items each, 2 points each
    assert items.items[0].objectives == ("dist",)


def test_motivations_and_questions_are_keyed_with_their_own_ids():
    text = ("title: Q\nchoices: questions\nitems:\n"
            "  - {id: q1, description: What do they expect?, key: expected}\n")
    assert parse_items_text(text, "q.yaml").items[0].key == ("expected",)
    with pytest.raises(CanvasToolsError) as err:
        parse_items_text(text.replace("key: expected", "key: retention"), "q.yaml")
    assert "unknown guiding question 'retention'" in str(err.value)
    assert "Valid choices: expected, established, cost, integration" in str(err.value)


BAD = textwrap.dedent("""\
    title: Quiz
    choices: type
    pool: 9
    objectives:
      dist: distinguishes the six types
    items:
      - id: a
        description: {en: An adviser, xx: bad}
        key: self_serve
        objectives: [distinct]
      - id: b
        description: Another
        key: [self_service]
        accepted: self_service
        colour: red
      - just text
      - id: a
        description: Again
        key: communities
      - id: d
        key: communities
    """)


def test_every_mistake_is_reported_at_once_with_the_line_and_the_choices(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD)
    with pytest.raises(CanvasToolsError) as err:
        load_items(path)
    lines = str(err.value).splitlines()
    assert all(line.startswith(str(path)) for line in lines)
    expected = [
        "field 'choices' (line 2): unknown choice set 'type' (did you mean 'types'?)",
        "field 'key' (line 9): unknown relationship type 'self_serve' (did you mean "
        "'self_service'?)",
        "field 'description' (line 8): unknown language 'xx'",
        "field 'objectives' (line 10): unknown objective (an id of the file's 'objectives') "
        "'distinct' (did you mean 'dist'?)",
        "field 'colour' (line 15): unknown field 'colour'",
        "entry 2 (id: b, line 11): 'self_service' is both in 'key' and in 'accepted'",
        "entry 3 (line 16): an item is a mapping with the fields id, description, key, "
        "got a text",
        "entry 4 (id: a, line 17): duplicate id 'a' (first used in entry 1)",
        "entry 5 (id: d, line 20): missing the field 'description'",
        "field 'pool' (line 3): a pool of 9 items, but the file has only 5 items: a pool size "
        "from 1 to 5",
    ]
    for part in expected:
        assert any(part in line for line in lines), (part, lines)


@pytest.mark.parametrize(("text", "message"), [
    ("- id: a\n", "missing the field 'types'"),  # a list is a case file, not items
    ("title: Q\nitems: {a: 1}\n", "items is a list of items"),
    ("title: Q\nitems: []\n", "the file has no items"),
    ("items:\n  - {id: a, description: d, key: self_service}\n", "missing the field 'title'"),
    ("title: Q\npoints: -1\nitems:\n  - {id: a, description: d, key: self_service}\n",
     "points per item: a number from 0 to 1000, got -1"),
    ("title: Q\npartial: 2\nitems:\n  - {id: a, description: d, key: self_service}\n",
     "a number from 0 to 1, got 2"),
    ("title: Q\npool: 1.5\nitems:\n  - {id: a, description: d, key: self_service}\n",
     "a whole number from 1 to 1, got 1.5"),
    ("title: Q\nitems:\n  - {id: a, description: d, key: []}\n", "the key is empty"),
])
def test_validate_names_the_mistake(tmp_path, capsys, text, message):
    path = tmp_path / "items.yaml"
    path.write_text(text)
    assert main(["validate", str(path)]) == 1
    assert message in capsys.readouterr().err


def test_validate_says_ok_with_a_summary(tmp_path, capsys):
    path = tmp_path / "quiz.yaml"
    path.write_text(GOOD)
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out == (f"ok: {path} (items file 'Quiz', 3 items, each student "
                                       "answers 2, types)\n")


def test_an_italian_source_notebook_speaks_italian_and_keeps_the_key_hidden():
    from canvastools.commands.assignment import source_notebook

    nb = source_notebook(parse_items_text(GOOD, "quiz.yaml"), "quiz-it")
    intro, rubric, widget, test = (cell.source for cell in nb.cells)
    assert "Che cosa consegnare" in intro and "Le tue voci" in intro      # hand-in, pool note
    assert "Come viene valutato" in rubric and "4 in tutto" in rubric
    assert "distinguishes the six types" in rubric
    assert 'lang="it"' in widget and "Un consulente per cliente" in widget
    assert "count=2" in widget and 'assignment="quiz-it"' in widget
    assert "dedicated_personal_assistance" not in widget + rubric   # the intro lists every id
    for released in (intro, rubric, widget):
        assert "One person of your own" not in released and "personal_assistance\"]" \
            not in released
    hidden = test.split("### BEGIN HIDDEN TESTS")[1]
    assert '"a": "dedicated_personal_assistance"' in hidden and "count=2" in hidden
    assert '"b": ["communities", "co_creation"]' in hidden
    assert nb.cells[3].metadata["nbgrader"]["points"] == 4.0
