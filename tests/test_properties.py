"""Property-based tests (hypothesis) of the file loaders and the answer store.

- Any input to the case, canvas and taxonomy loaders (random data written as YAML or JSON,
  near-valid files built from the real field names and ids, raw text) gives either a valid
  object or the project's own error with a message naming the file, never another exception.
- A valid canvas round-trips through ``to_dict``.
- Any valid answer round-trips through the answer file; any bytes in the answer file are read
  without an exception and are kept in a backup copy before the next save.
- Several processes writing to one folder at once lose no answer.

10,512 examples in all, in about a minute of CPU time; the examples are drawn afresh on every run.
"""

from __future__ import annotations

import datetime
import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_answers import write_at_once

from canvastools import InputError, ValidationErrors
from canvastools._io.yamlio import read_data_text
from canvastools.answers.store import KINDS, AnswerStore
from canvastools.model.canvas import Canvas, parse_canvas_text
from canvastools.model.cases import CaseBank, parse_cases_text
from canvastools.model.taxonomy import Taxonomy, load_domain, load_taxonomy, parse_taxonomy_text

COMMON = {"deadline": None, "database": None,
          "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}

# answers are fsync'ed on every save: in memory (tmpfs), thousands of saves stay fast
SCRATCH = "/dev/shm" if Path("/dev/shm").is_dir() else None

DOMAIN = load_domain()
BLOCKS = DOMAIN.block_ids
LANGS = list(DOMAIN.languages)
TYPES = load_taxonomy("strategyzer").type_ids
MOTIVATIONS = DOMAIN.motivation_ids

texts = st.text(max_size=12)
scalars = (st.none() | st.booleans() | st.integers(-10**6, 10**6)
           | st.floats(allow_nan=False, allow_infinity=False) | texts
           | st.dates(datetime.date(1990, 1, 1), datetime.date(2040, 1, 1)))
anything = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                        | st.dictionaries(texts, inner, max_size=3), max_leaves=6)
#: a value of the wrong kind in a field (cheaper to draw than ``anything``, as varied there)
odd = scalars | st.lists(scalars, max_size=2) | st.dictionaries(texts, scalars, max_size=2)


def near(choices: list[str]) -> st.SearchStrategy[Any]:
    """Mostly a valid id, sometimes a near miss, an empty text or a value of another kind."""
    return st.one_of(st.sampled_from(choices), st.sampled_from(choices).map(lambda c: c[:-1]),
                     st.sampled_from(choices).map(lambda c: [c]), odd)


def near_key(choices: list[str]) -> st.SearchStrategy[Any]:
    """A mapping key: mostly a valid id, sometimes a near miss, a text or a number."""
    return st.one_of(st.sampled_from(choices), st.sampled_from(choices).map(lambda c: c[:-1]),
                     texts, st.integers(-5, 5), st.booleans())


localised = st.one_of(texts, st.dictionaries(near_key(LANGS), texts | odd, max_size=3),
                      odd)

notes = st.one_of(
    texts, scalars,
    st.fixed_dictionaries({"text": texts | odd}, optional={
        "segments": st.lists(near(["households", "offices"]), max_size=3) | odd,
        "relationship": near(TYPES), "colour": odd}))
segments = st.lists(st.fixed_dictionaries(
    {"id": near(["households", "offices"])},
    optional={"name": texts | odd, "color": st.sampled_from(["#E69F00", "red", "#12"])
              | odd}), max_size=3)
canvases = st.fixed_dictionaries(
    {"title": texts | odd,
     "blocks": st.dictionaries(near_key(BLOCKS), st.lists(notes, max_size=5) | odd, max_size=4)
     | odd},
    optional={"language": near(LANGS), "segments": segments | odd,
              "taxonomy": near(["bmg2010", "strategyzer"]), "notes": odd})
cases = st.lists(st.fixed_dictionaries(
    {"id": texts | odd, "company": texts | odd, "description": localised,
     "types": st.lists(near(TYPES), max_size=3) | near(TYPES), "motivations":
     st.lists(near(MOTIVATIONS), max_size=3) | odd, "explanation": localised,
     "source": texts | odd},
    optional={"accepted": st.lists(near(TYPES), max_size=2) | odd, "sorce": odd}),
    max_size=3)
case_files = cases | st.fixed_dictionaries(
    {"cases": cases | odd}, optional={"taxonomy": near(["bmg2010", "strategyzer"])})
taxonomies = st.fixed_dictionaries(
    {"id": texts | odd, "name": texts | odd,
     "types": st.lists(st.fixed_dictionaries(
         {"id": texts | near(TYPES), "label": localised},
         optional={"spectrum": st.floats(-1, 2) | odd, "definition": localised,
                   "cues": st.dictionaries(near_key(LANGS), st.lists(texts, max_size=2) | odd,
                                           max_size=2) | odd}), max_size=3) | odd},
    optional={"extends": near(["bmg2010", "strategyzer"]), "source": texts | odd,
              "spectrum_tolerance": st.floats(-1, 2) | odd, "lable": odd})


def written(data: Any, as_json: bool) -> str:
    if as_json:
        return json.dumps(data, default=str, ensure_ascii=False)
    return yaml.safe_dump(data, allow_unicode=True)


def loads_or_says_why(parse, text: str, filename: str, kind: type) -> Any:
    """The loaded object, or None after the project's own error: anything else fails."""
    try:
        result = parse(text, filename)
    except (InputError, ValidationErrors) as exc:
        errors = exc.errors if isinstance(exc, ValidationErrors) else [exc]
        assert errors and all(str(e).strip() for e in errors)
        assert all(e.file == filename for e in errors if isinstance(e, InputError)), str(exc)
        return None
    assert isinstance(result, kind)
    return result


@settings(max_examples=2500, **COMMON)
@given(data=canvases | anything, as_json=st.booleans())
def test_any_canvas_file_loads_or_gives_our_error(data, as_json):
    name = "canvas.json" if as_json else "canvas.yaml"
    canvas = loads_or_says_why(parse_canvas_text, written(data, as_json), name, Canvas)
    if canvas is not None:     # a valid canvas round-trips through its file format
        assert Canvas.from_dict(canvas.to_dict(), name) == canvas


@settings(max_examples=2000, **COMMON)
@given(data=case_files | anything, as_json=st.booleans())
def test_any_case_file_loads_or_gives_our_error(data, as_json):
    name = "cases.json" if as_json else "cases.yaml"
    bank = loads_or_says_why(parse_cases_text, written(data, as_json), name, CaseBank)
    if bank is not None:
        assert len(bank) == len(data["cases"] if isinstance(data, dict) else data)


@settings(max_examples=2000, **COMMON)
@given(data=taxonomies | anything, as_json=st.booleans())
def test_any_taxonomy_file_loads_or_gives_our_error(data, as_json):
    name = "mine.json" if as_json else "mine.yaml"
    taxonomy = loads_or_says_why(parse_taxonomy_text, written(data, as_json), name, Taxonomy)
    if taxonomy is not None:
        assert all(0 <= t.spectrum <= 1 for t in taxonomy.types)


@settings(max_examples=2000, **COMMON)
@given(text=st.text(max_size=200) | st.lists(st.sampled_from(
    ["title: ", "blocks:", "\n", "  ", "- ", "[", "]", "{", "}", ":", '"', "'", "#", "&a",
     "*a", "\t", "channels", "text: x", ",", "!!str", "---", "\ufeff", "\x00"]),
    max_size=40).map("".join), suffix=st.sampled_from([".yaml", ".json"]))
def test_any_text_reads_or_gives_our_error(text, suffix):
    try:
        read_data_text(text, f"file{suffix}")
    except (InputError, ValidationErrors) as exc:
        assert str(exc).startswith(f"file{suffix}")


ids = st.text(min_size=1, max_size=10).filter(str.strip)
id_lists = st.lists(ids, max_size=4)
answers = {
    "classify": st.dictionaries(ids, id_lists, max_size=4),
    "motivation": st.dictionaries(ids, id_lists, max_size=4),
    "spectrum": id_lists,
    "designer": st.lists(st.fixed_dictionaries(
        {"text": st.text(max_size=30), "relationship": st.none() | ids, "segments": id_lists}),
        max_size=3),
}
kind_and_answer = st.sampled_from(KINDS).flatmap(
    lambda kind: st.tuples(st.just(kind), answers[kind]))


@settings(max_examples=1500, **COMMON)
@given(saved=st.dictionaries(ids, kind_and_answer, min_size=1, max_size=4))
def test_answers_round_trip(saved):
    with tempfile.TemporaryDirectory(dir=SCRATCH) as folder:
        store = AnswerStore(folder)
        for exercise_id, (kind, answer) in saved.items():
            store.save(exercise_id, kind, answer, taxonomy="bmg2010")
        read = AnswerStore(folder).read()       # a new store, as after a kernel restart
        assert read.problem is None and read.damaged == ()
        assert {k: (v["kind"], v["answer"]) for k, v in read.exercises.items()} == saved
        assert [p.name for p in Path(folder).iterdir()] == ["canvastools_answers.json"]


@settings(max_examples=500, **COMMON)
@given(content=st.binary(max_size=300) | anything.map(
    lambda d: json.dumps(d, default=str).encode()) | st.builds(
    lambda d: json.dumps({"format": "canvastools-answers", "version": 1, "exercises": d},
                         default=str).encode(), st.dictionaries(ids, anything, max_size=3)))
def test_any_answer_file_is_read_without_error_and_kept_before_a_save(content):
    with tempfile.TemporaryDirectory(dir=SCRATCH) as folder:
        store = AnswerStore(folder)
        store.path.write_bytes(content)
        read = store.read()                     # never raises
        assert isinstance(read.exercises, dict)
        backup = store.save("new", "spectrum", ["self_service"])
        assert store.load("new") == ["self_service"]
        if backup is not None:                  # what was there is never lost: copied...
            assert backup.read_bytes() == content
        elif read.problem is not None:          # ...or, entries only damaged, kept as they were
            old = json.loads(content)["exercises"]
            new = json.loads(store.path.read_text(encoding="utf-8"))["exercises"]
            assert {k: new[k] for k in old} == old


@settings(max_examples=12, **COMMON)
@given(counts=st.lists(st.integers(1, 12), min_size=2, max_size=6),
       before=st.dictionaries(ids, kind_and_answer, max_size=3))
def test_many_processes_writing_at_once_lose_nothing(counts, before):
    with tempfile.TemporaryDirectory(dir=SCRATCH) as folder:
        for exercise_id, (kind, answer) in before.items():
            AnswerStore(folder).save(exercise_id, kind, answer)
        write_at_once(folder, {f"writer{n}": count for n, count in enumerate(counts)})
        read = AnswerStore(folder).read()
        assert read.problem is None
        expected = {f"writer{n}-{i}" for n, count in enumerate(counts) for i in range(count)}
        assert expected | set(before) == set(read.exercises)
        for n, count in enumerate(counts):
            assert read.exercises[f"writer{n}-{count - 1}"]["answer"] == {
                "item": [f"type-{count - 1}"]}
        assert [p.name for p in Path(folder).iterdir()] == ["canvastools_answers.json"]
