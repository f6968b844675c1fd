"""The command line speaks the student's language: ``--lang``, else CANVASTOOLS_LANG, else
the locale (LC_ALL, LC_MESSAGES, LANG), else English (issue 21)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from canvastools import load_taxonomy

TYPO = """\
title: {en: Neighbourhood bakery, it: Forno di quartiere}
blocks:
  customer_relationships:
    - text: Al banco consigliano cosa scegliere
      relationship: personal_asistance
  chanels:
    - Banco del negozio
"""
GOOD = "title: {en: Neighbourhood bakery, it: Forno di quartiere}\nblocks:\n  channels: [Banco]\n"


def run(args, cwd, **env):
    """Run ``canvastools ARGS`` with no language set but ``env``."""
    clean = {k: v for k, v in os.environ.items()
             if k not in ("CANVASTOOLS_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")}
    return subprocess.run([sys.executable, "-m", "canvastools.cli", *args], cwd=cwd,
                          capture_output=True, text=True,
                          env={**clean, "PYTHONWARNINGS": "ignore", **env})


@pytest.fixture
def files(tmp_path):
    (tmp_path / "typo.yaml").write_text(TYPO, encoding="utf-8")
    (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")
    return tmp_path


ITALIAN_ERRORS = [
    "errore: typo.yaml, blocks, customer_relationships, nota 1 (riga 4), campo 'relationship' "
    "(riga 5): tipo di relazione 'personal_asistance' sconosciuto (forse intendevi "
    "'personal_assistance'?). Scelte valide: " + ", ".join(load_taxonomy().type_ids),
    "errore: typo.yaml, blocks, chanels (riga 6): blocco 'chanels' sconosciuto (forse "
    "intendevi 'channels'?). Scelte valide: ",
]


@pytest.mark.parametrize("how", [
    (["--lang", "it"], {}),
    ([], {"CANVASTOOLS_LANG": "it"}),
    ([], {"LANG": "it_IT.UTF-8"}),
    ([], {"LC_MESSAGES": "it_IT.UTF-8", "LANG": "en_GB.UTF-8"}),
])
def test_validate_answers_in_italian(files, how):
    options, env = how
    result = run(["validate", "good.yaml", "typo.yaml", *options], files, **env)
    assert result.returncode == 1
    assert result.stdout == "ok: good.yaml (canvas 'Forno di quartiere', note: 1)\n"
    errors = result.stderr.splitlines()
    assert errors[0] == ITALIAN_ERRORS[0]
    assert errors[1].startswith(ITALIAN_ERRORS[1]) and len(errors) == 2


def test_validate_answers_in_english_without_a_language(files):
    result = run(["validate", "good.yaml", "typo.yaml"], files, LANG="C.UTF-8")
    assert result.stdout == "ok: good.yaml (canvas 'Neighbourhood bakery', notes: 1)\n"
    assert result.stderr.startswith(
        "error: typo.yaml, blocks, customer_relationships, note 1 (line 4), field "
        "'relationship' (line 5): unknown relationship type 'personal_asistance' (did you "
        "mean 'personal_assistance'?). Valid choices: ")


def test_lang_wins_over_the_environment(files):
    result = run(["validate", "typo.yaml", "--lang", "en"], files, CANVASTOOLS_LANG="it",
                 LANG="it_IT.UTF-8")
    assert result.stderr.startswith("error: typo.yaml, blocks, customer_relationships, note 1")


def test_validate_refuses_an_unknown_language(files):
    result = run(["validate", "good.yaml", "--lang", "itt"], files, LANG="it_IT.UTF-8")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip() == ("errore: --lang: lingua 'itt' sconosciuta (forse "
                                     "intendevi 'it'?). Scelte valide: en, it, fr, ru, de, es")


def test_draw_says_wrote_and_its_errors_in_italian(files):
    result = run(["draw", "good.yaml", "-o", "good.png", "--lang", "it"], files)
    assert result.returncode == 0 and result.stdout == "salvato good.png\n"
    assert (files / "good.png").is_file()
    result = run(["draw", "typo.yaml", "-o", "typo.png"], files, CANVASTOOLS_LANG="it")
    assert result.returncode == 1 and not (files / "typo.png").exists()
    assert result.stderr.splitlines()[0] == ITALIAN_ERRORS[0]
    result = run(["draw", "good.yaml", "-o", "good.bmp"], files, LANG="it_IT.UTF-8")
    assert result.stderr.startswith("errore: impossibile salvare un canvas come 'good.bmp': "
                                    "tipo di file '.bmp' sconosciuto. Scelte valide: ")


def test_cases_and_glossary_in_italian(files):
    result = run(["cases", "--type", "communities", "--lang", "it"], files)
    assert result.returncode == 0 and result.stdout.splitlines()[-1].startswith("casi: ")
    result = run(["cases", "--type", "comunities"], files, LANG="it_IT.UTF-8")
    assert result.stderr.startswith("errore: --type: tipo di relazione 'comunities' "
                                    "sconosciuto (forse intendevi 'communities'?)")
    result = run(["glossary", "--kind", "typse", "--lang", "it"], files)
    assert result.stderr.startswith("errore: --kind: tipo di termine 'typse' sconosciuto "
                                    "(forse intendevi 'types'?)")


def test_a_yaml_syntax_error_in_italian(files):
    (files / "broken.yaml").write_text("title: A\nblocks:\n\tchannels: [a]\n", encoding="utf-8")
    result = run(["validate", "broken.yaml"], files, CANVASTOOLS_LANG="it")
    assert result.stderr.strip() == (
        "errore: broken.yaml, riga 3, colonna 1: errore di sintassi YAML: un carattere di "
        "tabulazione: fai i rientri con gli spazi, non con le tabulazioni")
