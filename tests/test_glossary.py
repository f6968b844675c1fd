"""The glossary: every block, type, motivation and guiding question in en, it, fr and ru, with
a definition and sources; its labels are the domain's and the taxonomies' (read from there, so
the glossary cannot drift from the drawings and exercises); `canvastools glossary` lists it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from canvastools import InputError, ValidationErrors
from canvastools.cli import main
from canvastools.commands.glossary import format_glossary
from canvastools.model.glossary import KINDS, load_glossary
from canvastools.model.glossary_views import glossary_sources, glossary_table

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "canvastools" / "data"
SHIPPED = DATA / "glossary.yaml"
LANGUAGES = ["en", "it", "fr", "ru"]


def _raw(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _reference_terms() -> dict[str, dict[str, dict]]:
    """kind -> id -> the raw entry of domain.yaml or a taxonomy, read without canvastools."""
    domain = _raw(DATA / "domain.yaml")
    terms = {kind: {t["id"]: t for t in domain[kind]}
             for kind in ("blocks", "motivations", "questions")}
    terms["types"] = {t["id"]: t for path in sorted((DATA / "taxonomies").glob("*.yaml"))
                      for t in _raw(path)["types"]}
    return terms


REFERENCE = _reference_terms()


# -- the data --------------------------------------------------------------------------------
def test_every_term_of_the_domain_and_the_taxonomies_is_in_the_glossary():
    glossary = load_glossary()
    assert glossary.languages == tuple(LANGUAGES)
    for kind in ("blocks", "motivations", "questions"):  # in the domain's (the canvas') order
        assert [e.id for e in glossary.of_kind(kind)] == list(REFERENCE[kind]), kind
    types = [e.id for e in glossary.of_kind("types")]  # in the book's order (p. 29), then two
    assert sorted(types) == sorted(REFERENCE["types"]) and len(set(types)) == len(types)
    assert len(glossary.of_kind("blocks")) == 9 and len(glossary.of_kind("questions")) == 4
    assert len(glossary.of_kind("motivations")) == 3
    bmg = [e.id for e in glossary.of_kind("types") if e.taxonomy == "bmg2010"]
    assert len(bmg) == 6
    extra = {e.id: e for e in glossary.of_kind("types") if e.taxonomy == "strategyzer"}
    assert sorted(extra) == ["long_term", "transactional"]
    for entry in extra.values():  # shown as a note: not one of the book's six
        assert all("strategyzer" in entry.note_in(lang) for lang in LANGUAGES)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_term_has_a_label_a_definition_and_sources_in_every_language(lang):
    for entry in load_glossary().entries:
        where = f"{entry.kind} {entry.id} ({lang})"
        assert entry.label_in(lang).strip(), where
        assert len(entry.definition_in(lang).strip()) > 30, where
        assert entry.sources_in(lang), where
        assert all(s.cite.strip() for s in entry.sources_in(lang)), where


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_labels_are_those_of_domain_yaml_and_the_taxonomies(lang):
    for entry in load_glossary().entries:
        assert entry.label_in(lang) == REFERENCE[entry.kind][entry.id]["label"][lang]


def test_the_definitions_of_the_types_are_the_taxonomies_own():
    raw = _raw(SHIPPED)
    assert all("definition" not in t for t in raw["types"]), "one source: the taxonomies"
    for entry in load_glossary().of_kind("types"):
        for lang in LANGUAGES:
            assert entry.definition_in(lang) == REFERENCE["types"][entry.id]["definition"][lang]


def test_the_definitions_are_written_in_their_language():
    cyrillic = re.compile("[а-яё]", re.IGNORECASE)
    for entry in load_glossary().entries:
        assert cyrillic.search(entry.definition_in("ru")), entry.id
        for lang in ("en", "it", "fr"):
            assert not cyrillic.search(entry.definition_in(lang)), (entry.id, lang)
        texts = {entry.definition_in(lang) for lang in LANGUAGES}
        assert len(texts) == 4, f"{entry.id}: a definition left untranslated"


def test_labels_not_confirmed_from_a_print_edition_are_marked():
    """The project's table of labels stars it "Flussi di ricavi"; the guiding questions have
    no edition's wording checked in it, fr or ru; Strategyzer's types are in no edition."""
    glossary = load_glossary()
    unconfirmed = {(e.kind, e.id, lang) for e in glossary.entries for lang in LANGUAGES
                   if not e.confirmed(lang)}
    expected = {("blocks", "revenue_streams", "it")}
    expected |= {("questions", q, lang) for q in REFERENCE["questions"]
                 for lang in ("it", "fr", "ru")}
    expected |= {("types", t, lang) for t in ("transactional", "long_term") for lang in LANGUAGES}
    assert unconfirmed == expected


def test_the_french_seeds_wordings_are_kept_as_variants_with_their_source():
    glossary = load_glossary()
    block = glossary.entry("blocks", "customer_relationships")
    assert block.label_in("fr") == "Relations avec le client"
    assert [(v.label, v.source.key) for v in block.variants_in("fr")] == [
        ("Relation client", "article-fr")]
    partners = glossary.entry("blocks", "key_partners")
    assert partners.label_in("fr") == "Partenaires clés"
    assert "Partenariats clés" in [v.label for v in partners.variants_in("fr")]
    for entry in glossary.entries:
        for lang in LANGUAGES:
            assert all(v.label != entry.label_in(lang) for v in entry.variants_in(lang))


# -- bad glossary files ------------------------------------------------------------------------
def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "glossary.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _errors(path: Path) -> str:
    with pytest.raises((InputError, ValidationErrors)) as info:
        load_glossary(path)
    return str(info.value)


def test_a_missing_term_is_reported_with_its_id(tmp_path):
    text = SHIPPED.read_text(encoding="utf-8")
    start = text.index("  - id: channels")
    end = text.index("  - id: customer_segments")
    message = _errors(_write(tmp_path, text[:start] + text[end:]))
    assert "no entry for the blocks 'channels'" in message
    assert str(tmp_path / "glossary.yaml") in message


def test_an_unknown_source_names_the_line_and_the_valid_choices(tmp_path):
    text = SHIPPED.read_text(encoding="utf-8").replace(
        "fr: [bmg-fr, article-fr], ru: [bmg-ru, article-ru]}\n  - id: dedicated",
        "fr: [bmg-frr, article-fr], ru: [bmg-ru, article-ru]}\n  - id: dedicated", 1)
    message = _errors(_write(tmp_path, text))
    line = text.splitlines().index(next(ln for ln in text.splitlines() if "bmg-frr" in ln)) + 1
    assert f"types, entry 1 (id: personal_assistance, line {line - 1})" in message
    assert "unknown source 'bmg-frr' (did you mean 'bmg-fr'?)" in message
    assert "Valid choices: bmg-en, bmg-it, bmg-fr, bmg-ru" in message


def test_a_definition_of_a_type_or_a_missing_language_is_refused(tmp_path):
    text = SHIPPED.read_text(encoding="utf-8")
    text = text.replace("  - id: self_service\n",
                        "  - id: self_service\n    definition: {en: Do it yourself.}\n", 1)
    text = re.sub(r'\n      ru: "Активы[^\n]*', "", text, count=1)
    message = _errors(_write(tmp_path, text))
    assert "the definitions of the types are in taxonomy 'bmg2010'" in message
    assert "blocks, entry 3 (id: key_resources" in message and "missing the 'ru' text" in message


def test_a_term_the_domain_does_not_have_is_refused(tmp_path):
    text = SHIPPED.read_text(encoding="utf-8").replace("  - id: retention\n",
                                                       "  - id: retentoin\n", 1)
    message = _errors(_write(tmp_path, text))
    assert "unknown motivation 'retentoin' (did you mean 'retention'?)" in message


# -- the listing -------------------------------------------------------------------------------
def test_cli_lists_one_kind_in_one_language(capsys):
    assert main(["glossary", "--lang", "fr", "--kind", "types"]) == 0
    out = capsys.readouterr().out
    glossary = load_glossary()
    assert out.startswith("Les types de relations\n")
    for entry in glossary.of_kind("types"):
        assert entry.label_in("fr") in out
        assert entry.definition_in("fr").split()[0] in out
        assert entry.label_in("en") not in out.replace(entry.label_in("fr"), "")
    for entry in glossary.of_kind("blocks"):
        assert entry.label_in("fr") not in out
    assert "Relation transactionnelle *" in out
    assert "* non vérifié dans une édition imprimée" in out
    assert "bmg-fr: A. Osterwalder & Y. Pigneur, Business Model Nouvelle Génération" in out


def test_cli_lists_every_language_side_by_side(capsys):
    assert main(["glossary", "--lang", "all", "--kind", "blocks"]) == 0
    out = capsys.readouterr().out
    for entry in load_glossary().of_kind("blocks"):
        for lang in LANGUAGES:
            assert f"  {lang}  {entry.label_in(lang)}" in out, (entry.id, lang)
    assert "Flussi di ricavi *  (bmc-it)" in out
    assert "also: Relation client (article-fr)" in out
    assert "Les neuf blocs" not in out and "Самообслуживание" not in out


def test_cli_without_options_lists_every_kind_in_english(capsys):
    assert main(["glossary"]) == 0
    out = capsys.readouterr().out
    for kind in KINDS:
        for entry in load_glossary().of_kind(kind):
            assert re.search(rf"^{entry.id} +{re.escape(entry.label_in('en'))}", out, re.M)
    assert "Relazioni con i clienti" not in out


@pytest.mark.parametrize("args, message", [
    (["--lang", "de"], "error: --lang: the glossary has no language 'de'. Valid choices: en, "
                       "it, fr, ru, all"),
    (["--lang", "itt"], "error: --lang: the glossary has no language 'itt' (did you mean "
                        "'it'?). Valid choices: en, it, fr, ru, all"),
    (["--kind", "type"], "error: --kind: unknown kind of term 'type' (did you mean 'types'?). "
                         "Valid choices: blocks, types, motivations, questions"),
])
def test_cli_rejects_a_wrong_choice_naming_the_valid_ones(args, message, capsys):
    assert main(["glossary", *args]) == 1
    captured = capsys.readouterr()
    assert captured.err.strip() == message
    assert captured.out == ""


def test_the_installed_command_exits_1_on_a_wrong_language():
    out = subprocess.run([sys.executable, "-m", "canvastools.cli", "glossary", "--lang", "pt"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    assert "Valid choices: en, it, fr, ru, all" in out.stderr and "Traceback" not in out.stderr


def test_format_is_the_same_text_as_the_command(capsys):
    main(["glossary", "--lang", "ru", "--kind", "questions"])
    assert capsys.readouterr().out == format_glossary(load_glossary(), lang="ru",
                                                      kind="questions") + "\n"


# -- the HTML tables -----------------------------------------------------------------------------
def test_the_table_has_a_row_per_term_with_each_language_marked():
    html = glossary_table("types", lang="it").html
    rows = re.findall(r"<tr>(.*?)</tr>", html)[1:]  # after the header
    assert len(rows) == len(load_glossary().of_kind("types"))
    for row in rows:
        assert re.findall(r'<td lang="(\w+)"', row) == ["it", "it", "en", "fr", "ru"]
    assert "Servizi automatici" in html and "Автоматизированное обслуживание" in html
    assert '<abbr title="non verificato su un&#x27;edizione a stampa">*</abbr>' in html


def test_the_table_escapes_every_text(tmp_path):
    text = SHIPPED.read_text(encoding="utf-8").replace(
        "The assets the business model cannot do without",
        "<script>alert(1)</script> & <b>assets</b>", 1)
    glossary = load_glossary(_write(tmp_path, text))
    html = glossary_table("blocks", lang="en", glossary=glossary).html
    assert "<script>" not in html and "<b>assets</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;assets&lt;/b&gt;" in html


def test_the_sources_table_lists_every_source():
    html = glossary_sources(lang="en").html
    for source in load_glossary().sources.values():
        assert f"<code>{source.key}</code>" in html


def test_the_self_check_items_ask_for_the_type_of_a_foreign_name():
    items = load_glossary().quiz_items([{"lang": "ru", "type": "co_creation"}], "it")
    assert items == [{
        "id": "glossary-ru-co_creation", "company": "Совместное создание",
        "description": "Russo", "types": ["co_creation"],
        "explanation": items[0]["explanation"]}]
    assert items[0]["explanation"].startswith("«Совместное создание» (Russo) indica Co-creazione:")
    with pytest.raises(InputError, match="the glossary has no language 'de'"):
        load_glossary().quiz_items([{"lang": "de", "type": "co_creation"}], "en")


def test_the_glossary_loads_only_when_used():
    code = ("import sys, canvastools as ct; print('canvastools.model.glossary' in sys.modules); "
            "ct.glossary_table('blocks'); print(sorted(m for m in ('matplotlib', 'ipywidgets', "
            "'nbformat') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert out.stdout.splitlines() == ["False", "[]"], out.stdout + out.stderr


def test_the_lessons_self_check_grades_a_foreign_name_by_its_type(tmp_path):
    from canvastools import ClassifyItems

    lesson = yaml.safe_load((ROOT / "course" / "data" / "lesson-08.yaml").read_text("utf-8"))
    items = load_glossary().quiz_items(lesson["quiz"], "it")
    assert all(item["company"] not in ("", item["types"][0]) for item in items)
    quiz = ClassifyItems("lesson8-terms", items, choices="types", lang="it", folder=tmp_path)
    quiz.answer("glossary-ru-self_service", "self_service")
    quiz.answer("glossary-ru-personal_assistance", "dedicated_personal_assistance")
    verdicts = quiz.check()
    assert verdicts["glossary-ru-self_service"] == "right"
    assert verdicts["glossary-ru-personal_assistance"] == "wrong"
    assert verdicts["glossary-fr-communities"] == "not_answered"
