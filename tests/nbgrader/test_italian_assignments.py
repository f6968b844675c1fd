"""The Italian assignments are the English ones in Italian, graded exactly alike.

Each pair (``nbg_helpers.ITALIAN``) has the same cells in the same order, with the same grade
ids, points and exercise ids; its hidden tests declare the same keys, accepted alternatives,
points and options (read without running them, as the grader reads them, with
``canvastools.grading.testcells.parse_test_cell``); its widgets show the same items in the same
order,
in Italian. The Italian release holds no English instruction and no key, and the real
``nbgrader autograde`` gives the same points, cell by cell, to the same answers.
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import nbformat
import nbg_submissions as submissions
import pytest
from nbg_helpers import ITALIAN, ROOT, check_release

from canvastools import load_domain, load_taxonomy
from canvastools.grading.testcells import parse_test_cell

PAIRS = sorted(ITALIAN.items())
# words that are common in English instructions and are not Italian words
ENGLISH_WORDS = {"the", "and", "your", "you", "with", "each", "this", "that", "are", "is",
                 "for", "from", "which", "when", "will", "without", "their", "our", "have",
                 "choose", "answer", "answers", "saved", "graded", "points"}
# nbgrader's own placeholder for a written answer (ClearSolutions.text_stub, one setting for
# every assignment of a course): the student replaces it
NBGRADER_STUB = "YOUR ANSWER HERE"


def _path(folder: str, name: str) -> Path:
    return ROOT / folder / name / f"{name}.ipynb"


def _grade_id(cell) -> str:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")


def _declarations(name: str) -> dict[str, list[tuple]]:
    """grade id -> the grading declarations of its test cell: (function, args, kwargs)."""
    nb = nbformat.read(_path("solutions", name), as_version=4)
    found = {}
    for cell in nb.cells:
        calls = parse_test_cell(cell.source, where=f"{name}, cell {_grade_id(cell)}")
        if calls:
            found[_grade_id(cell)] = [(c.function, c.args, c.kwargs) for c in calls]
    return found


def _structure(name: str) -> list[tuple]:
    """Each cell's type and nbgrader metadata (grade id, points, graded, solution, locked)."""
    nb = nbformat.read(_path("solutions", name), as_version=4)
    return [(c.cell_type, dict(c.metadata.get("nbgrader", {}))) for c in nb.cells]


def _items(call) -> list[tuple[str, bool]]:
    """(id, multi) of what a widget shows, in order (the designer: its segments)."""
    if call.name == "RelationshipDesigner":
        raw = call.args["canvas_or_business"]["segments"]
    else:
        raw = call.args.get("cases", call.args.get("items", call.args.get("rows")))
    return [(item["id"], bool(item.get("multi", False))) for item in raw]


def _widgets(path: Path) -> dict[str, dict]:
    """exercise id -> what a widget creation says: class, cell, items, options."""
    found = {}
    for call in check_release.notebook_calls(path):
        if call.name in check_release.WIDGETS:
            options = {k: v for k, v in call.args.items()
                       if k not in ("exercise_id", "cases", "items", "rows",
                                    "canvas_or_business")}
            found[call.exercise_id] = {"class": call.name, "cell": call.cell,
                                       "items": _items(call), "options": options}
    return found


def _key_items(declaration: tuple) -> list[str]:
    function, args, kwargs = declaration
    if function == "check_design":
        return list(kwargs.get("segments", args[1] if len(args) > 1 else []))
    key = kwargs.get("key", args[1] if len(args) > 1 else None)
    if isinstance(key, dict):
        return list(key)
    return [i for entry in key for i in ([entry] if isinstance(entry, str) else entry)]


@pytest.mark.parametrize(("english", "italian"), PAIRS)
def test_the_hidden_tests_declare_the_same_keys_accepted_and_points(english, italian):
    en, it = _declarations(english), _declarations(italian)
    assert en, f"no grading declaration found in {english}"
    assert it == en


@pytest.mark.parametrize(("english", "italian"), PAIRS)
def test_the_cells_grade_ids_and_points_are_the_same(english, italian):
    assert _structure(italian) == _structure(english)
    points = sum(meta.get("points", 0) for _, meta in _structure(italian))
    assert points > 0


@pytest.mark.parametrize(("english", "italian"), PAIRS)
def test_the_widgets_show_the_same_items_in_italian(english, italian):
    en, it = _widgets(_path("solutions", english)), _widgets(_path("solutions", italian))
    assert set(it) == set(en)
    for exercise, widget in it.items():
        assert widget["options"].pop("lang") == "it", exercise
        assert en[exercise]["options"].get("lang", "en") == "en"
        en[exercise]["options"].pop("lang", None)
        assert widget == en[exercise], exercise
    # and every item of a widget is one its hidden test grades, and the other way round
    for grade_id, declarations in _declarations(italian).items():
        for declaration in declarations:
            widget = it[declaration[1][0]]
            assert sorted(_key_items(declaration)) == sorted(i for i, _ in widget["items"]), \
                (italian, grade_id)


def _english_words(text: str) -> list[str]:
    text = text.replace(NBGRADER_STUB, " ")
    # code, quoted and italic titles (the sources' own titles stay in English), file names
    # and ids are not instructions
    text = re.sub(r"`[^`]*`|«[^»]*»|\"[^\"]*\"|\*[^*\s][^*]*\*(?!\*)", " ", text)
    text = re.sub(r"\S*[_./@:=(]\S*", " ", text)
    return [w for w in re.findall(r"[^\W\d_]+", text) if w.lower() in ENGLISH_WORDS]


def _student_texts(path: Path) -> list[tuple[str, str]]:
    """(cell, text) of what a student reads: markdown, code comments and texts in code."""
    texts = []
    for cell in nbformat.read(path, as_version=4).cells:
        where = _grade_id(cell) or cell.get("id", "")
        if cell.cell_type == "markdown":
            texts += [(where, p) for p in re.split(r"\n\s*\n", cell.source)]
            continue
        texts += [(where, line.split("#", 1)[1]) for line in cell.source.split("\n")
                  if "#" in line]
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and " " in node.value:
                texts.append((where, node.value))
    return texts


def _english_paragraphs(path: Path) -> list[tuple[str, str, list[str]]]:
    found = []
    for where, text in _student_texts(path):
        words = _english_words(text)
        if words:
            found.append((where, text[:80], words))
    return found


@pytest.mark.parametrize(("english", "italian"), PAIRS)
def test_the_italian_release_has_no_english_instruction(english, italian):
    assert _english_paragraphs(_path("exercises", italian)) == []
    # the check sees English when it is there
    assert len(_english_paragraphs(_path("exercises", english))) >= 3


def test_the_english_word_check_keeps_source_titles_and_ids_but_not_instructions():
    assert _english_words('Fonti: «Get support at the Genius Bar»; `quiz.answer("id")`; '
                          "*Threadless: The Business of Community*; canvastools_answers.json") \
        == []
    assert _english_words("Scegli il tipo che calza meglio. Choose the type for each case.") \
        == ["Choose", "the", "for", "each"]


@pytest.mark.parametrize(("english", "italian"), PAIRS)
def test_the_italian_release_holds_no_key(english, italian):
    keys = check_release.assignment_keys(ROOT / "solutions")
    assert keys[italian].pairs == keys[english].pairs
    assert keys[italian].orders == keys[english].orders
    assert check_release.find_leaks(ROOT / "exercises" / italian, {italian: keys[italian]}) == []
    # no item's text names the type (or motivation, or question) of its key, in either language
    domain = load_domain()
    labels = {t.id: (t.label_in("it"), t.label_in("en")) for t in load_taxonomy("bmg2010").types}
    labels.update({m.id: (m.label_in("it"), m.label_in("en")) for m in domain.motivations})
    labels.update({q.id: (q.label_in("it"), q.label_in("en")) for q in domain.questions})
    released = _path("exercises", italian)
    for call in check_release.notebook_calls(released):
        if call.name not in check_release.WIDGETS or call.name == "RelationshipDesigner":
            continue
        for item in call.args.get("cases", call.args.get("items", call.args.get("rows"))):
            text = f"{item.get('description', '')} {item.get('label', '')}".lower()
            for key_id in keys[italian].pairs.get(item["id"], ()):
                assert not [lb for lb in labels[key_id] if lb.lower() in text], item["id"]
    assert "BEGIN HIDDEN TESTS" in _path("solutions", italian).read_text()


def test_the_type_ids_are_explained_with_their_italian_labels():
    taxonomy = load_taxonomy("bmg2010")
    for italian in ("classifica-casi", "progettare-relazioni"):
        intro = nbformat.read(_path("exercises", italian), as_version=4).cells[0].source
        flat = " ".join(intro.split())
        for t in taxonomy.types:
            assert f"`{t.id}` ({t.label_in('it')})" in flat, (italian, t.id)


# -- the real grading: the same answers, in each language, through nbgrader autograde ---------
STUDENTS = {  # student -> (classify, motives, questions, order, design notes)
    "s01-correct": (submissions.KEY, submissions.MOTIVES, submissions.QUESTIONS,
                    submissions.SPECTRUM, submissions.DESIGN_GOOD),
    "s02-wrong": (submissions.WRONG, submissions.MOTIVES_WRONG, submissions.QUESTIONS_WRONG,
                  submissions.SPECTRUM_WRONG, submissions.DESIGN_BAD),
    "s03-partly": (submissions.PARTLY, submissions.MOTIVES_PARTLY, submissions.QUESTIONS_PARTLY,
                   submissions.SPECTRUM_PARTLY, submissions.DESIGN_PARTLY),
}


@pytest.fixture(scope="module")
def both_graded(course, tmp_path_factory):
    """A copy of the generated course; the same students submit each assignment of a pair;
    every assignment autograded. Returns (course, {(assignment, student): {grade id: score}})."""
    from nbgrader.api import Gradebook

    work = tmp_path_factory.mktemp("italian") / "course"
    shutil.copytree(course, work,
                    ignore=shutil.ignore_patterns("submitted", "autograded", "feedback"))
    for student, (answers, motives, questions, order, notes) in STUDENTS.items():
        for english, italian in PAIRS:
            for name in (english, italian):
                if english == "classify-cases":
                    submissions.classify(work, student, answers, assignment=name)
                elif english == "motivations-questions":
                    submissions.motivations(work, student, motives, questions, order,
                                            assignment=name)
                else:
                    submissions.design(work, student, notes, assignment=name)
    for english, italian in PAIRS:
        for name in (english, italian):
            run = check_release.nbgrader("autograde", name, "--force", cwd=work)
            assert run.returncode == 0, run.stdout + run.stderr
    scores: dict = {}
    with Gradebook(f"sqlite:///{work / 'gradebook.db'}") as gb:
        for english, italian in PAIRS:
            for name in (english, italian):
                for student in STUDENTS:
                    notebook = gb.find_submission_notebook(name, name, student)
                    scores[(name, student)] = {g.name: g.score for g in notebook.grades}
    return work, scores


@pytest.mark.parametrize(("english", "italian"), PAIRS)
def test_autograde_gives_the_same_points_in_italian(both_graded, english, italian):
    course, scores = both_graded
    for student in STUDENTS:
        it, en = scores[(italian, student)], scores[(english, student)]
        assert it == en, (student, it, en)
        assert sum(s or 0 for s in it.values()) == pytest.approx(
            submissions.EXPECTED[student][english], abs=1e-3), (student, it)
        # and the Italian notebook ran cleanly: no error, nothing on stderr
        path = course / "autograded" / student / italian / f"{italian}.ipynb"
        outputs = [o for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"
                   for o in c.outputs]
        assert not [o for o in outputs if o.output_type == "error"
                    or o.get("name") == "stderr"], (student, italian)


def test_the_italian_feedback_is_in_italian_and_shows_no_key(both_graded):
    course, _ = both_graded
    run = check_release.nbgrader("generate_feedback", "classifica-casi", "--force", cwd=course)
    assert run.returncode == 0, run.stdout + run.stderr
    page = (course / "feedback" / "s03-partly" / "classifica-casi" /
            "classifica-casi.html").read_text(encoding="utf-8")
    taxonomy = load_taxonomy("bmg2010")
    chosen = taxonomy.label(submissions.PARTLY["nike-run-club"][0], "it")
    assert chosen in page and "Erica di Bank of America" in page
    assert taxonomy.label(submissions.PARTLY["nike-run-club"][0], "en") not in page
    keys = check_release.assignment_keys(course / "solutions")
    assert check_release.find_leaks(course / "feedback", {"classifica-casi":
                                                          keys["classifica-casi"]}) == []
