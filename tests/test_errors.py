"""A user's mistake shows as its message alone: no traceback in a notebook either."""

import re
import string
from pathlib import Path

import pytest
import yaml

from canvastools import (
    CanvasToolsError,
    InputError,
    ValidationErrors,
    load_canvas,
    load_cases,
    load_domain,
    load_taxonomy,
)
from canvastools.errors import Msg
from canvastools.model.canvas import parse_canvas_text


def test_render_traceback_is_the_message_prefixed_with_the_class_name():
    err = InputError("unknown relationship type 'self_serve'", where="answer for 'b'",
                     choices=["self_service"], got="self_serve")
    assert err._render_traceback_() == [
        "InputError: answer for 'b': unknown relationship type 'self_serve' "
        "(did you mean 'self_service'?). Valid choices: self_service"]


def test_render_traceback_of_several_errors_gives_one_line_each():
    errors = ValidationErrors([InputError("first", file="a.yaml"),
                               InputError("second", file="a.yaml")])
    assert errors._render_traceback_() == ["ValidationErrors: a.yaml: first", "a.yaml: second"]


def test_a_notebook_shows_the_message_without_a_traceback(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import canvastools as ct\nbank = ct.load_cases()"),
        nbformat.v4.new_code_cell('bank["ing-directt"]'),
        nbformat.v4.new_code_cell('ct.Canvas.from_dict({"title": 5, "blocks": []})'),
    ]
    nbclient.NotebookClient(nb, kernel_name="python3", allow_errors=True, timeout=120,
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    first, second = (cell.outputs[0] for cell in nb.cells[1:])
    assert first.output_type == "error" and first.ename == "InputError"
    assert len(first.traceback) == 1 and first.traceback[0].startswith("InputError: ")
    assert "no case with id 'ing-directt' (did you mean 'ing-direct'?)" in first.traceback[0]
    assert second.ename == "ValidationErrors" and len(second.traceback) == 2
    assert second.traceback[0].startswith("ValidationErrors: <canvas>, field 'title'")
    for output in (first, second):
        text = "\n".join(output.traceback)
        assert "Traceback" not in text and ".py" not in text and "\x1b[" not in text


def test_not_ready_to_submit_is_in_the_one_error_tree_at_every_old_path():
    """check_saved's error is a CanvasToolsError (and still a ValueError, as code caught it)."""
    import canvastools
    from canvastools.errors import CanvasToolsError, NotReadyToSubmit
    from canvastools.grading import NotReadyToSubmit as from_grading

    assert from_grading is NotReadyToSubmit is canvastools.NotReadyToSubmit
    assert issubclass(NotReadyToSubmit, CanvasToolsError) and issubclass(NotReadyToSubmit,
                                                                         ValueError)
    err = NotReadyToSubmit("Not ready: quiz\n- nothing saved")
    assert err._render_traceback_() == ["Not ready: quiz", "- nothing saved"]


def test_check_saved_raises_the_tree_error(tmp_path):
    from canvastools.errors import CanvasToolsError
    from canvastools.grading import check_saved

    with pytest.raises(CanvasToolsError, match="canvastools_answers.json"):
        check_saved("quiz", folder=str(tmp_path))


# -- the messages in other languages (canvastools/data/messages.yaml) --

CATALOGUE = Path(__file__).resolve().parents[1] / "canvastools" / "data" / "messages.yaml"
SOURCE = Path(__file__).resolve().parents[1] / "canvastools"


def _placeholders(text):
    return {(name, conversion, spec) for _, name, spec, conversion in
            string.Formatter().parse(text) if name is not None}


def test_every_message_has_english_and_italian_with_the_same_placeholders():
    messages = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    for key, texts in messages.items():
        assert {"en", "it"} <= set(texts), f"{key}: missing en or it"
        assert set(texts) <= {"en", "it", "fr", "ru", "de", "es"}, key
        english = {name for name, _, _ in _placeholders(texts["en"])}
        for lang, text in texts.items():
            assert {name for name, _, _ in _placeholders(text)} == english, (key, lang)


# a count that can be 0 or 1 is never the number of a plural noun ("1 notes", "1 delle sue
# voci") nor the subject of a plural verb ("there are 1 notes", "le note sono 0"): it is
# written as "notes: {count}". Only messages about going over a limit (too_many_*,
# too_long_*, size_*, *_many) may say "{count} notes", their count being above that limit.
COUNTS = r"(count|lost|notes|kept|n|total)"
# the messages of errors and command lines, and those check_saved prints (results.yaml)
COUNTED = (CATALOGUE, CATALOGUE.with_name("results.yaml"))
PLURAL_COUNT = (r"\{" + COUNTS + r"(:[^}]*)?\}\s+(?!(of|su)\b)\w",
                r"\b(are|is|sono|è)\s+\{" + COUNTS + r"\b")


def test_no_count_that_can_be_one_is_read_as_a_plural():
    messages = {f"{path.name}: {key}": texts for path in COUNTED
                for key, texts in yaml.safe_load(path.read_text(encoding="utf-8")).items()}
    checked, wrong = 0, []
    for key, texts in messages.items():
        name = key.partition(": ")[2]
        if name.startswith(("too_many", "too_long", "size_")) or name.endswith("_many"):
            continue
        for lang in ("en", "it"):
            checked += bool(re.search(r"\{" + COUNTS + r"\b", texts[lang]))
            wrong += [(key, lang, texts[lang]) for p in PLURAL_COUNT
                      if re.search(p, texts[lang])]
    assert checked >= 8, checked
    assert not wrong


def test_every_message_is_used_in_the_code():
    """A key is written in the code, or (noun.X, nouns.X, unknown.X) its X is a kind of
    choice the code names ("relationship type")."""
    code = "\n".join(p.read_text(encoding="utf-8") for p in SOURCE.rglob("*.py"))
    messages = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    unused = []
    for key in messages:
        prefix, _, what = key.partition(".")
        if f'"{key}"' in code or (prefix in ("noun", "nouns", "unknown")
                                  and f'"{what.replace("_", " ")}"' in code):
            continue
        unused.append(key)
    assert unused == []


def test_an_error_of_a_canvas_file_in_italian_names_file_line_and_choices(tmp_path):
    path = tmp_path / "bakery.yaml"
    path.write_text("title: Forno\nblocks:\n  customer_relationships:\n"
                    "    - text: Al banco\n      relationship: personal_asistance\n"
                    "  chanels:\n    - Banco\n", encoding="utf-8")
    with pytest.raises(ValidationErrors) as caught:
        load_canvas(path)
    italian = caught.value.in_language("it").splitlines()
    assert italian[0] == (
        f"{path}, blocks, customer_relationships, nota 1 (riga 4), campo 'relationship' "
        "(riga 5): tipo di relazione 'personal_asistance' sconosciuto (forse intendevi "
        "'personal_assistance'?). Scelte valide: " + ", ".join(load_taxonomy().type_ids))
    assert italian[1].startswith(f"{path}, blocks, chanels (riga 6): blocco 'chanels' "
                                 "sconosciuto (forse intendevi 'channels'?). Scelte valide: ")
    # str() stays English, word for word the same error
    english = str(caught.value).splitlines()
    assert english[0].startswith(f"{path}, blocks, customer_relationships, note 1 (line 4), "
                                 "field 'relationship' (line 5): unknown relationship type")


@pytest.mark.parametrize(("text", "italian"), [
    ("title: A\nblocks: {channels: [a}\n", "errore di sintassi YAML: una parentesi '['"),
    ("title: 'A\nblocks: {}\n", "errore di sintassi YAML: una virgoletta che non viene mai"),
    ("title: A\ntitle: B\nblocks: {}\n", "chiave 'title' ripetuta (la prima volta alla riga 1)"),
    ("title: A\nblocks:\n  channels:\n    - 1.50\n", "una nota è un testo, non un numero "
                                                     "(mettilo tra virgolette)"),
    ("- id: a\n", "questo è un file di casi, non un file di canvas"),
    ("title: A\nblocks: {}\nsegmens: []\n", "campo 'segmens' sconosciuto (forse intendevi "
                                            "'segments'?)"),
])
def test_errors_of_canvas_files_read_as_italian(text, italian):
    with pytest.raises(CanvasToolsError) as caught:
        parse_canvas_text(text, "c.yaml")
    shown = caught.value.in_language("it")
    assert shown.startswith("c.yaml") and italian in shown
    shown = re.sub(r"dice il lettore YAML: [^)]*", "", shown)  # PyYAML's own words: English
    assert not re.search(r"\b(line|field|got|expected|unknown|Valid choices)\b", shown), shown


def test_a_file_too_big_in_italian_writes_numbers_the_italian_way(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text("title: A\n" + "#" * 1_000_001, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_canvas(path)
    assert caught.value.in_language("it") == (
        f"{path}: troppo grande: il file è di 1.000.010 byte; il limite è 1 MB (1.000.000 "
        "byte) (vedi docs/formats.md, Limits)")
    assert "1,000,010 bytes" in str(caught.value)


def test_an_unknown_case_in_italian():
    with pytest.raises(InputError) as caught:
        load_cases()["ing-directt"]
    assert "nessun caso ha l'id 'ing-directt' (forse intendevi 'ing-direct'?)" in \
        caught.value.in_language("it")


def test_an_error_made_from_an_english_text_stays_english_but_its_frame_is_italian():
    err = InputError("something odd", file="a.yaml", choices=["x"], got="y")
    assert err.in_language("it") == "a.yaml: something odd. Scelte valide: x"


def test_a_language_without_translations_falls_back_to_english():
    err = InputError(Msg("unknown.block", value="chanels"), choices=["channels"], got="chanels")
    assert err.in_language("de") == str(err) == (
        "unknown block 'chanels' (did you mean 'channels'?). Valid choices: channels")


def test_a_widget_shows_a_students_mistake_in_its_language(tmp_path):
    """``quiz.answer(...)`` in an Italian lesson: IPython shows the error in Italian (the
    widget's language); ``str()`` stays English."""
    from canvastools.model.cases import parse_cases_text
    from canvastools.widgets import ClassifyCases, MotivationMatrix, SpectrumOrder

    bank = parse_cases_text("- id: corner-bakery\n  company: Forno\n  description: {en: A}\n"
                            "  types: [personal_assistance]\n  motivations: [retention]\n"
                            "  explanation: {en: B}\n  source: C\n", "c.yaml")
    quiz = ClassifyCases("quiz", bank, folder=tmp_path, lang="it")
    with pytest.raises(InputError) as caught:
        quiz.answer("corner-bakery", "self-servce")
    assert caught.value._render_traceback_() == [
        "InputError: risposta per 'corner-bakery': tipo di relazione 'self-servce' sconosciuto "
        "(forse intendevi 'self_service'?). Scelte valide: " + ", ".join(quiz._choice_ids)]
    assert str(caught.value).startswith("answer for 'corner-bakery': unknown relationship type")
    with pytest.raises(InputError) as caught:
        quiz.answer("corner-bakey", "self_service")
    assert caught.value._render_traceback_()[0].startswith(
        "InputError: answer: l'esercizio 'quiz' non ha nessuna voce 'corner-bakey' (forse "
        "intendevi 'corner-bakery'?)")
    matrix = MotivationMatrix("matrix", [{"id": "corner-bakery", "label": "Forno"}],
                              folder=tmp_path, lang="it")
    with pytest.raises(InputError) as caught:
        matrix.answer("corner-bakery", "retenton")
    assert "motivazione 'retenton' sconosciuta (forse intendevi 'retention'?)" in \
        caught.value._render_traceback_()[0]
    spectrum = SpectrumOrder("order", folder=tmp_path, lang="it")
    with pytest.raises(InputError) as caught:
        spectrum.answer("self_service")
    assert "dai l'ordine di tutte le scelte (tipi di relazione); mancano: " in \
        caught.value._render_traceback_()[0]


@pytest.mark.parametrize(("content", "italian"), [
    ('{"format": "canvastools-answers", "version": 1, "exercises": {', "non è un JSON valido "
                                                                     "alla riga 1"),
    ('[1, 2]', "non è un file di risposte di canvastools (è una lista"),
    ('{"format": "canvastools-answers", "version": "1", "exercises": {"quiz": {"kind": '
     '"classify", "answer": {"a": ["self_service"]}}}}',
     "\"version\" deve essere il numero 1, non il testo '1' (la sua unica risposta salvata "
     "ben formata viene comunque usata)"),
    ('{"format": "canvastools-answers", "version": 1, "exercises": {"quiz": {"kind": '
     '"classify", "answer": ["self_service"]}}}',
     "alcune risposte salvate sono danneggiate: 'quiz': la risposta dovrebbe associare"),
])
def test_a_damaged_answer_file_is_explained_in_the_widgets_language(tmp_path, content,
                                                                    italian):
    from canvastools.answers.store import ANSWERS_FILENAME
    from canvastools.model.cases import parse_cases_text
    from canvastools.widgets import ClassifyCases

    (tmp_path / ANSWERS_FILENAME).write_text(content, encoding="utf-8")
    bank = parse_cases_text("- id: a\n  company: Forno\n  description: {en: A}\n"
                            "  types: [personal_assistance]\n  motivations: [retention]\n"
                            "  explanation: {en: B}\n  source: C\n", "c.yaml")
    quiz = ClassifyCases("quiz", bank, folder=tmp_path, lang="it")
    assert italian in quiz.message
    assert not re.search(r"\b(it is|must be|got|answers? (should|are))\b", quiz.message)
    english = ClassifyCases("quiz", bank, folder=tmp_path)
    assert "could not be read" in english.message or "edited by hand" in english.message \
        or "damaged" in english.message


def test_check_saved_explains_a_damaged_file_in_the_exercises_language(tmp_path):
    from canvastools.answers.store import ANSWERS_FILENAME
    from canvastools.errors import NotReadyToSubmit
    from canvastools.grading import check_saved
    from canvastools.widgets import SpectrumOrder

    SpectrumOrder("order", folder=tmp_path, lang="it")
    (tmp_path / ANSWERS_FILENAME).write_text("{not json", encoding="utf-8")
    with pytest.raises(NotReadyToSubmit) as caught:
        check_saved("order", folder=str(tmp_path))
    shown = " ".join(" ".join(caught.value._render_traceback_()).split())  # unwrapped
    assert "non è un JSON valido alla riga 1" in shown and "not valid JSON" not in shown


def test_the_errors_of_a_canvas_file_in_french_and_russian():
    """fr and ru are partial: the canvas-file errors a self-learner meets first."""
    with pytest.raises(ValidationErrors) as caught:
        parse_canvas_text("title: A\nblocks:\n  chanels: [a]\n  channels:\n    - 1.5\n", "c.yaml")
    assert caught.value.in_language("fr").splitlines() == [
        "c.yaml, blocks, chanels (ligne 3) : bloc 'chanels' inconnu (vouliez-vous dire "
        "'channels' ?). Choix valides : " + ", ".join(load_domain().block_ids),
        "c.yaml, blocks, channels, note 1 (ligne 5) : une note est un texte, pas un nombre "
        "(mettez-le entre guillemets)"]
    assert caught.value.in_language("ru").splitlines()[0].startswith(
        "c.yaml, blocks, chanels (строка 3): неизвестный блок 'chanels' (возможно, имелось в "
        "виду 'channels'?). Допустимые значения: ")
