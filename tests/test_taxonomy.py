"""The taxonomy and domain data: every id, every language, extension by instructors."""

import pytest

from canvastools import InputError, ValidationErrors, load_domain, load_taxonomy
from canvastools.model.taxonomy import parse_taxonomy_text

LANGS = ["en", "it", "fr", "ru", "de", "es"]
BLOCKS = ["key_partners", "key_activities", "key_resources", "value_propositions",
          "customer_relationships", "channels", "customer_segments", "cost_structure",
          "revenue_streams"]
TYPES = ["personal_assistance", "dedicated_personal_assistance", "self_service",
         "automated_services", "communities", "co_creation"]


def test_domain_ids_are_exactly_the_design_ones_in_canvas_order():
    domain = load_domain()
    assert domain.block_ids == BLOCKS
    assert domain.motivation_ids == ["acquisition", "retention", "boosting_sales"]
    assert domain.question_ids == ["expected", "established", "cost", "integration"]
    assert list(domain.languages) == LANGS


def test_book_taxonomy_has_the_six_types():
    tax = load_taxonomy()
    assert tax.id == "bmg2010"
    assert sorted(tax.type_ids) == sorted(TYPES)


@pytest.mark.parametrize("lang", LANGS)
def test_every_block_type_motivation_and_question_has_a_label_in(lang):
    domain, tax = load_domain(), load_taxonomy()
    for term in (*domain.blocks, *domain.motivations, *domain.questions, *tax.types):
        assert term.label.get(lang, "").strip(), f"{term.id} has no {lang} label"


def test_labels_are_those_of_the_book_editions():
    domain, tax = load_domain(), load_taxonomy()
    cr = domain.block("customer_relationships")
    assert cr.label_in("it") == "Relazioni con i clienti"
    assert cr.label_in("fr") == "Relations avec le client"
    assert cr.label_in("ru") == "Взаимоотношения с клиентами"
    assert tax.label("self_service", "ru") == "Самообслуживание"
    assert tax.label("co_creation", "de") == "Mitbeteiligung"


def test_every_type_has_definition_cues_and_a_place_on_the_spectrum():
    tax = load_taxonomy()
    for t in tax.types:
        assert len(t.definition_in("en")) > 40 and t.definition.get("it")
        assert len(t.cues_in("en")) >= 2
        assert 0.0 <= t.spectrum <= 1.0
    order = [t.id for t in tax.by_spectrum()]
    assert order[0] == "dedicated_personal_assistance"
    assert order.index("personal_assistance") < order.index("self_service")
    assert order[-1] == "automated_services"


def test_strategyzer_taxonomy_extends_the_book_with_two_types():
    tax = load_taxonomy("strategyzer")
    assert tax.type_ids[:6] == load_taxonomy().type_ids
    assert tax.type_ids[6:] == ["transactional", "long_term"]


def test_instructor_can_load_a_taxonomy_file(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("id: mine\nname: Mine\nextends: bmg2010\ntypes:\n"
                    "  - id: concierge\n    spectrum: 0.1\n    label: {en: Concierge}\n",
                    encoding="utf-8")
    tax = load_taxonomy(path)
    assert tax.id == "mine" and "concierge" in tax.type_ids and "self_service" in tax.type_ids


def test_unknown_taxonomy_name_suggests_the_shipped_ones():
    with pytest.raises(InputError) as err:
        load_taxonomy("bmg2011")
    assert "did you mean 'bmg2010'" in str(err.value)
    assert "strategyzer" in str(err.value)


def test_taxonomy_redefining_a_base_type_is_rejected():
    with pytest.raises(InputError, match="already defined by 'bmg2010'"):
        parse_taxonomy_text("id: x\nname: X\nextends: bmg2010\ntypes:\n"
                            "  - {id: self_service, spectrum: 0.5, label: {en: S}}\n",
                            "x.yaml")


def test_unknown_language_lists_the_six():
    with pytest.raises(InputError) as err:
        load_domain().check_language("pt", "--lang")
    assert "unknown language 'pt'" in str(err.value)
    for lang in LANGS:
        assert lang in str(err.value)


# --- wrongly-typed values in an instructor's taxonomy file -----------------------------

def taxonomy_error(text):
    with pytest.raises((InputError, ValidationErrors)) as err:
        parse_taxonomy_text(text, "mine.yaml")
    return str(err.value)


ONE_TYPE = "id: t\nname: T\ntypes:\n  - {id: a, spectrum: 0.5, label: {en: A}}\n"


def test_cues_that_are_not_lists_of_texts_are_reported():
    msg = taxonomy_error(ONE_TYPE.replace("label:", "cues: {en: 5}, label:"))
    assert "mine.yaml, types, entry 1 (id: a" in msg
    assert "cues: expected the 'en' cues to be a list of texts, got a number" in msg


def test_spectrum_tolerance_must_be_a_number():
    msg = taxonomy_error("spectrum_tolerance: abc\n" + ONE_TYPE)
    assert "mine.yaml, field 'spectrum_tolerance' (line 1): expected a number from 0 to 1" in msg
    assert "got a text" in msg


def test_spectrum_true_is_not_a_number():
    msg = taxonomy_error(ONE_TYPE.replace("spectrum: 0.5", "spectrum: true"))
    assert "'spectrum' must be a number from 0 (personal) to 1 (automated), got yes/no" in msg


def test_a_wrongly_typed_name_is_not_called_missing():
    msg = taxonomy_error(ONE_TYPE.replace("name: T", "name: [T]"))
    assert "field 'name' (line 2): expected a text, got a list" in msg and "missing" not in msg
    assert "missing the field 'name'" in taxonomy_error(ONE_TYPE.replace("name: T\n", ""))


def test_unknown_field_of_a_type_suggests():
    msg = taxonomy_error(ONE_TYPE.replace("label:", "lable: {en: A}, label:"))
    assert "unknown field 'lable' (did you mean 'label'?)" in msg


@pytest.mark.parametrize("lang, message", [
    ("itt", "lang: unknown language 'itt' (did you mean 'it'?). Valid choices: en, it, fr, "
            "ru, de, es"),
    ("IT", "lang: unknown language 'IT' (did you mean 'it'?). Valid choices: en, it, fr, ru, "
           "de, es"),
    ("xx", "lang: unknown language 'xx'. Valid choices: en, it, fr, ru, de, es"),
    (None, "lang: expected a language id, got nothing (an empty value). Valid choices: en, "
           "it, fr, ru, de, es"),
])
def test_a_label_in_an_unknown_language_is_an_error_not_english(lang, message):
    tax, domain = load_taxonomy(), load_domain()
    calls = [lambda: tax.label("co_creation", lang), lambda: tax.type("co_creation").label_in(lang),
             lambda: tax.type("co_creation").definition_in(lang),
             lambda: tax.type("co_creation").cues_in(lang),
             lambda: domain.block("channels").label_in(lang),
             lambda: domain.motivation("retention").label_in(lang)]
    for call in calls:
        with pytest.raises(InputError) as err:
            call()
        assert str(err.value) == message
    assert tax.label("co_creation", "it") == "Co-creazione"  # the README's first example
