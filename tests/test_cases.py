"""The practice case bank and the validation of instructors' case files."""

import re
from collections import Counter

import pytest

from canvastools import InputError, ValidationErrors, load_cases, load_domain, load_taxonomy
from canvastools.model.cases import parse_cases_text

GOOD = """\
- id: corner-bakery
  company: Corner bakery
  description: {en: "The baker knows regulars by name.", it: "Il fornaio conosce i clienti."}
  types: [personal_assistance]
  accepted: []
  motivations: [retention]
  explanation: {en: "People serve people.", it: "Persone servono persone."}
  source: "Class notes, 2026"
"""


def write(tmp_path, text, name="cases.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_text(tmp_path, text, name="cases.yaml"):
    with pytest.raises((InputError, ValidationErrors)) as err:
        load_cases(write(tmp_path, text, name))
    return str(err.value)


# --- the shipped practice bank -------------------------------------------------------

def test_bank_has_at_least_40_cases_and_6_per_type():
    bank = load_cases()
    assert len(bank) >= 40
    counts = Counter(t for case in bank for t in case.types)
    for type_id in load_taxonomy().type_ids:
        assert counts[type_id] >= 6, f"only {counts[type_id]} cases of {type_id}"


def test_every_bank_case_is_complete_in_english_and_italian():
    for case in load_cases():
        for lang in ("en", "it"):
            assert case.description.get(lang, "").strip(), (case.id, lang)
            assert case.explanation.get(lang, "").strip(), (case.id, lang)
        assert case.source.strip() and case.motivations, case.id
        assert not set(case.types) & set(case.accepted), case.id


def test_bank_descriptions_do_not_give_the_answer_away():
    giveaways = ["self-service", "co-creat", "dedicated personal", "automated service",
                 "personal assistance"]
    for case in load_cases():
        text = case.description_in("en").lower()
        assert not [g for g in giveaways if g in text], case.id



# English words that never belong in an Italian case title (brand names aside: "Amazon Web
# Services", "Starbucks Rewards" and "Desmo Owners Clubs" are names, not descriptions)
ENGLISH_IN_TITLES = re.compile(
    r"\b(banks?|compan(y|ies)|machines?|shops?|customers?|suppliers?|advisers?|kiosks?|tills?|"
    r"stations?|portals?|hosts|suggestions?|reviews?|italy|italian|national|membership|"
    r"operators?|desks?)\b", re.IGNORECASE)


def test_every_bank_case_title_reads_as_italian_in_italian():
    for case in load_cases():
        title = case.company_in("it")
        assert not ENGLISH_IN_TITLES.search(title), (case.id, title)
    assert ENGLISH_IN_TITLES.search(load_cases()["atms"].company)  # the pattern does catch
    assert load_cases()["private-banking"].company_in("it") == "Private banking"


def test_bank_titles_do_not_give_the_answer_away_in_italian():
    giveaways = ["self-service", "automatic", "co-crea", "community", "dedicat",
                 "assistenza personale"]
    for case in load_cases():
        title = case.company_in("it").lower()
        assert not [g for g in giveaways if g in title], (case.id, title)

@pytest.mark.parametrize("case_id,types", [
    ("private-banking", {"dedicated_personal_assistance"}),
    ("ing-direct", {"automated_services"}),
    ("glaxosmithkline-alli", {"communities"}),
    ("amazon-reviews", {"co_creation"}),
    ("youtube", {"co_creation"}),
    ("danone-activia", {"co_creation"}),
])
def test_the_sources_examples_are_in_the_bank(case_id, types):
    assert set(load_cases()[case_id].types) == types


def test_ambiguous_cases_name_their_alternative():
    bank = load_cases()
    assert "self_service" in bank["ing-direct"].accepted
    assert "communities" in bank["amazon-reviews"].accepted
    assert sum(1 for c in bank if c.accepted) >= 8


def test_filter_by_type_and_motivation():
    bank = load_cases()
    selfs = bank.filter(type="self_service")
    assert selfs and all("self_service" in c.types for c in selfs)
    both = bank.filter(type="communities", motivation="retention")
    assert both and all("retention" in c.motivations for c in both)
    with pytest.raises(InputError, match="did you mean 'self_service'"):
        bank.filter(type="self_serve")


def test_unknown_case_id_suggests_the_nearest():
    with pytest.raises(InputError, match="did you mean 'ing-direct'"):
        load_cases()["ing-directt"]


# --- an instructor's own file ----------------------------------------------------------

def test_good_instructor_file_loads(tmp_path):
    bank = load_cases(write(tmp_path, GOOD))
    assert bank.ids == ["corner-bakery"]
    assert bank["corner-bakery"].description_in("ru") == "The baker knows regulars by name."


def test_file_with_a_taxonomy_header_uses_that_taxonomy(tmp_path):
    text = "taxonomy: strategyzer\ncases:\n" + "\n".join(
        "  " + line for line in GOOD.replace("[personal_assistance]", "[transactional]")
        .splitlines())
    bank = load_cases(write(tmp_path, text))
    assert bank.taxonomy.id == "strategyzer" and bank["corner-bakery"].types == ("transactional",)


def test_wrong_type_names_file_entry_and_suggests(tmp_path):
    msg = error_text(tmp_path, GOOD.replace("[personal_assistance]", "[self_serve]"))
    assert "cases.yaml" in msg and "entry 1 (id: corner-bakery, line 1)" in msg
    assert "unknown relationship type 'self_serve'" in msg
    assert "did you mean 'self_service'" in msg and "co_creation" in msg


def test_wrong_motivation_lists_the_valid_ones(tmp_path):
    msg = error_text(tmp_path, GOOD.replace("[retention]", "[loyalty]"))
    assert "unknown motivation 'loyalty'" in msg
    assert "acquisition, retention, boosting_sales" in msg


def test_duplicate_id(tmp_path):
    msg = error_text(tmp_path, GOOD + GOOD.replace("- id:", "- id:", 1))
    assert "entry 2" in msg and "duplicate id 'corner-bakery' (first used in entry 1)" in msg


def test_missing_field(tmp_path):
    msg = error_text(tmp_path, GOOD.replace('  source: "Class notes, 2026"\n', ""))
    assert "missing the field 'source'" in msg and "corner-bakery" in msg


def test_missing_english_text(tmp_path):
    msg = error_text(tmp_path, GOOD.replace('en: "People serve people.", ', ""))
    assert "field 'explanation'" in msg and "missing the 'en' text" in msg


def test_type_both_required_and_accepted(tmp_path):
    msg = error_text(tmp_path, GOOD.replace("accepted: []", "accepted: [personal_assistance]"))
    assert "both in 'types' and in 'accepted'" in msg


def test_yaml_syntax_error_names_line(tmp_path):
    msg = error_text(tmp_path, GOOD.replace("types: [personal_assistance]",
                                            "types: [personal_assistance"))
    assert "cases.yaml" in msg and "YAML syntax error" in msg and "line " in msg


def test_empty_file(tmp_path):
    assert "the file is empty" in error_text(tmp_path, "  \n")
    assert "the file is empty" in error_text(tmp_path, "# only a comment\n")


def test_unknown_language_in_description(tmp_path):
    msg = error_text(tmp_path, GOOD.replace('it: "Il fornaio', 'pt: "Il fornaio'))
    assert "unknown language 'pt'" in msg and "en, it, fr, ru, de, es" in msg


def test_unknown_field_suggests_the_right_one(tmp_path):
    msg = error_text(tmp_path, GOOD.replace("accepted:", "acepted:"))
    assert "unknown field 'acepted'" in msg and "did you mean 'accepted'" in msg


def test_every_error_in_the_file_is_reported_at_once(tmp_path):
    bad = GOOD.replace("[personal_assistance]", "[self_serve]").replace("[retention]",
                                                                          "[loyalty]")
    with pytest.raises(ValidationErrors) as err:
        parse_cases_text(bad, "x.yaml")
    assert len(err.value.errors) == 2


def test_not_a_list(tmp_path):
    assert "a case file is a list of cases" in error_text(tmp_path, "id: x\ncompany: y\n")


def test_json_case_files_work_too(tmp_path):
    import json

    import yaml
    data = yaml.safe_load(GOOD)
    bank = load_cases(write(tmp_path, json.dumps(data), "cases.json"))
    assert bank.ids == ["corner-bakery"]
    msg = error_text(tmp_path, json.dumps(data)[:-5], "broken.json")
    assert "broken.json" in msg and "JSON syntax error" in msg


def test_motivation_labels_exist_for_every_bank_motivation():
    ids = set(load_domain().motivation_ids)
    assert {m for c in load_cases() for m in c.motivations} <= ids


# --- wrongly-typed fields, the taxonomy header, motivations-only cases ----------------

def test_an_id_given_as_a_list_is_an_error_not_a_crash(tmp_path):
    msg = error_text(tmp_path, GOOD.replace("- id: corner-bakery", "- id: [a, b]"))
    assert "entry 1 (line 1), field 'id': expected a text, got a list" in msg


def test_a_wrongly_typed_field_is_not_called_missing(tmp_path):
    msg = error_text(tmp_path, GOOD.replace("company: Corner bakery", "company: 3"))
    assert "field 'company' (line 2): expected a text, got a number (put it in quotes)" in msg
    assert "missing" not in msg


def test_a_non_text_description_is_reported(tmp_path):
    msg = error_text(tmp_path, GOOD.replace('{en: "The baker knows regulars by name.",',
                                            "{en: [The baker],"))
    assert "field 'description' (line 3): expected the 'en' text to be a text, got a list" in msg


def test_unknown_taxonomy_header_names_the_file_and_the_field(tmp_path):
    text = "taxonomy: bmg2011\ncases:\n" + "\n".join("  " + ln for ln in GOOD.splitlines())
    msg = error_text(tmp_path, text)
    assert msg.startswith(f"{tmp_path / 'cases.yaml'}, field 'taxonomy' (line 1): unknown taxonomy "
                          "'bmg2011' (did you mean 'bmg2010'?)")
    assert "Valid choices: bmg2010, strategyzer" in msg


def test_a_taxonomy_path_is_read_relative_to_the_case_file(tmp_path, monkeypatch,
                                                            concierge_taxonomy):
    folder = concierge_taxonomy
    text = "taxonomy: mine.yaml\ncases:\n" + "\n".join(
        "  " + ln for ln in GOOD.replace("[personal_assistance]", "[concierge]").splitlines())
    path = write(folder, text)
    monkeypatch.chdir(tmp_path)  # not the case file's folder
    bank = load_cases(path)
    assert bank.taxonomy.id == "mine" and bank["corner-bakery"].types == ("concierge",)


def test_a_missing_taxonomy_file_is_named_with_where_it_was_looked_for(tmp_path):
    text = "taxonomy: nope.yaml\ncases:\n" + "\n".join("  " + ln for ln in GOOD.splitlines())
    msg = error_text(tmp_path, text)
    assert "field 'taxonomy' (line 1): no taxonomy file 'nope.yaml'" in msg
    assert str(tmp_path / "nope.yaml") in msg


def test_motivations_only_cases_are_allowed_but_not_classifiable():
    bank = load_cases()
    case = bank["mobile-operators"]
    assert case.types == () and case.motivations_only and case.motivations
    classifiable = bank.classifiable()
    assert case not in classifiable and all(c.types for c in classifiable)
    assert len(classifiable) == len(bank) - sum(1 for c in bank if not c.types)


def test_a_case_with_neither_types_nor_motivations_is_an_error(tmp_path):
    msg = error_text(tmp_path, GOOD.replace("[personal_assistance]", "[]")
                     .replace("[retention]", "[]"))
    assert "needs at least one type, or (motivations only) at least one motivation" in msg


def test_accepted_types_need_types(tmp_path):
    msg = error_text(tmp_path, GOOD.replace("types: [personal_assistance]", "types: []")
                     .replace("accepted: []", "accepted: [self_service]"))
    assert "a case without types (motivations only) cannot have 'accepted' types" in msg


def test_a_field_written_twice_is_an_error_not_last_one_wins(tmp_path):
    msg = error_text(tmp_path, GOOD + "  types: [communities]\n")
    assert msg == (f"{tmp_path / 'cases.yaml'}, line 9: duplicate key 'types' (first at "
                   "line 4): write each key once (merge the two)")


def test_a_json_case_file_with_a_field_twice_is_an_error(tmp_path):
    import json

    import yaml
    text = json.dumps(yaml.safe_load(GOOD), indent=1)[:-5] + ',\n  "types": []\n }\n]\n'
    msg = error_text(tmp_path, text, "cases.json")
    assert msg == (f"{tmp_path / 'cases.json'}, line 21: duplicate key 'types' (first at "
                   "line 9): write each key once (merge the two)")


@pytest.mark.parametrize("lang", ["itt", "IT", "xx", "", None])
def test_texts_of_a_case_in_an_unknown_language_are_an_error(lang):
    case = load_cases()["ing-direct"]
    for method in (case.description_in, case.explanation_in):
        with pytest.raises(InputError, match="Valid choices: en, it, fr, ru, de, es"):
            method(lang)


def test_a_company_may_be_given_per_language(tmp_path):
    bank = load_cases(write(tmp_path, GOOD.replace(
        "company: Corner bakery", "company: {en: Corner bakery, it: Forno all'angolo}")))
    case = bank["corner-bakery"]
    assert case.company == "Corner bakery" and case.company_in("en") == "Corner bakery"
    assert case.company_in("it") == "Forno all'angolo"
    assert case.company_in("fr") == "Corner bakery"          # no French title: the English one
    plain = load_cases(write(tmp_path, GOOD, "plain.yaml"))["corner-bakery"]
    assert plain.company_in("it") == "Corner bakery"
    with pytest.raises(InputError, match="did you mean 'it'"):
        case.company_in("itt")


def test_a_company_mapping_needs_english_and_known_languages(tmp_path):
    msg = error_text(tmp_path, GOOD.replace("company: Corner bakery",
                                            "company: {it: Forno all'angolo}"))
    assert "entry 1 (id: corner-bakery, line 1), field 'company' (line 2): missing the 'en' text" \
        in msg
    msg = error_text(tmp_path, GOOD.replace("company: Corner bakery",
                                            "company: {en: Corner bakery, itt: Forno}"))
    assert "field 'company' (line 2): unknown language 'itt' (did you mean 'it'?)" in msg


def test_a_source_can_be_given_in_each_language():
    from pathlib import Path

    transfer = load_cases(Path(__file__).resolve().parents[1] / "course" / "data"
                          / "transfer-cases.yaml")
    case = next(iter(transfer))
    assert case.source_in("en") == case.source == "Course exercise (invented example)"
    assert case.source_in("it") == "Esercizio del corso (esempio inventato)"
    assert case.source_in("de") == case.source  # no German: English


def test_a_localised_source_in_an_unknown_language_is_reported(tmp_path):
    bank = tmp_path / "bank.yaml"
    bank.write_text("""- id: corner-bakery
  company: Corner bakery
  description: {en: "Staff greet each customer"}
  types: [personal_assistance]
  motivations: [retention]
  explanation: {en: "People serve people."}
  source: {en: "Class notes", klingon: "x"}
""", encoding="utf-8")
    with pytest.raises(InputError, match=r"field 'source'.*Valid choices: en, it, fr, ru, de, es"):
        load_cases(bank)
