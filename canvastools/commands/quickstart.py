"""``canvastools quickstart DIR [--demo]``: a ready nbgrader course directory.

Creates ``DIR/nbgrader_config.py`` (the settings canvastools needs: answer file kept with the
submission and out of the release, cell timeout, feedback without hidden tests) and a demo
assignment ``source/demo-classify/``. With ``demo=True`` it also writes sample student
submissions in ``submitted/<student>/demo-classify/`` (the released notebook and the answer
file, written through the widgets' Python API), so that ``nbgrader autograde``,
``generate_feedback`` and ``export`` can be tried at once.

The installed package holds no secret answer key: the demo assignment is built now from the
public practice bank (:func:`canvastools.model.cases.load_cases`), whose answers are published for
self-study anyway.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from canvastools._io.yamlio import shipped_data_path
from canvastools.errors import InputError
from canvastools.model.taxonomy import DEFAULT_TAXONOMY, available_taxonomies

ASSIGNMENT = "demo-classify"
MAX_CASES = 8

# what each demo student does with the demo cases: "key", "accepted", "wrong" or None (skip)
DEMO_STUDENTS = {
    "ada": "all right",
    "ben": "half right",
    "cleo": "accepted alternatives where there are some",
    "dev": "no answers at all (no answer file)",
}


def _pick_cases(bank: Any) -> list[Any]:
    """Up to MAX_CASES cases: one per type first, then multi-type and debatable ones.

    Cases without a relationship type (they illustrate motivations only) are left out.
    """
    chosen: list[Any] = []
    typed = [c for c in bank if c.types]
    for type_id in bank.taxonomy.type_ids:
        for case in typed:
            if type_id in case.types and case not in chosen:
                chosen.append(case)
                break
    extra = [c for c in typed if c not in chosen and (c.multi or c.accepted)]
    extra += [c for c in typed if c not in chosen and c not in extra]
    for case in extra:
        if len(chosen) >= MAX_CASES:
            break
        chosen.append(case)
    return chosen[:MAX_CASES]


def _items(cases: list[Any]) -> list[dict[str, Any]]:
    return [{"id": c.id, "company": c.company, "description": c.description_in("en"),
             "multi": c.multi} for c in cases]


def _cell(kind: str, source: str, grade_id: str, **flags: Any) -> Any:
    from nbformat.v4 import new_code_cell, new_markdown_cell

    meta = {"nbgrader": {"grade": False, "solution": False, "locked": True, "task": False,
                         "grade_id": grade_id, "schema_version": 3, **flags}}
    make = new_code_cell if kind == "code" else new_markdown_cell
    return make(source.strip(), metadata=meta)


def demo_notebook(cases: list[Any]) -> Any:
    """The instructor's (source) version of the demo assignment."""
    from nbformat.v4 import new_notebook

    q = json.dumps
    items = "[\n" + "".join(
        f'    {{"id": {q(i["id"])}, "company": {q(i["company"])}, "multi": {i["multi"]},\n'
        f'     "description": {q(i["description"], ensure_ascii=False)}}},\n'
        for i in _items(cases)) + "]"
    key = "".join(f"        {q(c.id)}: {q(list(c.types) if c.multi else c.types[0])},\n"
                  for c in cases)
    accepted = "".join(f"        {q(c.id)}: {q(list(c.accepted))},\n"
                       for c in cases if c.accepted)
    explanations = "".join(f"        {q(c.id)}: {q(c.explanation_in('en'), ensure_ascii=False)},\n"
                           for c in cases if c.explanation_in("en"))
    sources = "".join(f"        {q(c.id)}: {q(c.source, ensure_ascii=False)},\n"
                      for c in cases if c.source)
    # every graded item names its taxonomy (a taxonomy read from a file has no shipped id:
    # the notebook then uses the default, as the widget and the helper do)
    taxonomy = cases[0].taxonomy if cases else DEFAULT_TAXONOMY
    if taxonomy not in available_taxonomies():
        taxonomy = DEFAULT_TAXONOMY
    intro = """
# Demo: classify customer relationships

Choose the relationship type(s) each case illustrates (several for a case marked as such).
Your answers are saved next to this notebook in `canvastools_answers.json` and graded after
you submit. Without widgets: `quiz.answer("case-id", "type_id")` in a new cell.

**What to hand in:** this notebook **and** `canvastools_answers.json` next to it. Save the
notebook before you hand it in: it keeps a copy of your saved answers too.
"""
    # Nothing here is for instructors only: this cell is released to students as it is. That
    # the demo comes from the public practice bank is said in the course's README.md.
    quiz = f"""
from canvastools import ClassifyCases

CASES = {items}

quiz = ClassifyCases("{ASSIGNMENT}", CASES, mode="graded", taxonomy={q(taxonomy)})
quiz
"""
    test = f"""
# Graded from your saved answers when you submit.
from canvastools.grading import grade_classification
from canvastools.grading import check_saved
check_saved("{ASSIGNMENT}")  # Validate: are all your answers saved?

### BEGIN HIDDEN TESTS
grade_classification(
    "{ASSIGNMENT}",
    key={{
{key}    }},
    accepted={{
{accepted}    }},
    taxonomy={q(taxonomy)},
    # shown with the key in the feedback only if nbgrader_config.py sets
    # c.ShowResults.show_key = True
    explanations={{
{explanations}    }},
    sources={{
{sources}    }},
)
### END HIDDEN TESTS
"""
    nb = new_notebook(cells=[
        _cell("markdown", intro, "demo-intro"),
        _cell("code", quiz, "demo-quiz"),
        _cell("code", test, "demo-test", grade=True, points=float(len(cases))),
    ])
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)",
                                 "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def student_version(nb: Any) -> Any:
    """What ``nbgrader generate_assignment`` releases (same preprocessors, no database)."""
    from canvastools.grader.release import released_notebook

    return released_notebook(nb)


def _answer_demo(folder: Path, cases: list[Any], style: str, type_ids: tuple[str, ...]) -> None:
    """Answer the demo quiz through the widget's Python API, as a student would."""
    from canvastools.widgets import ClassifyCases

    taxonomy = cases[0].taxonomy if cases else DEFAULT_TAXONOMY
    if taxonomy not in available_taxonomies():
        taxonomy = DEFAULT_TAXONOMY
    quiz = ClassifyCases(ASSIGNMENT, _items(cases), mode="graded", taxonomy=taxonomy,
                         folder=str(folder))
    for index, case in enumerate(cases):
        if style == "all right" or (style == "half right" and index % 2 == 0):
            answer = list(case.types)
        elif style.startswith("accepted") and case.accepted:
            answer = [case.accepted[0]]
        elif style.startswith("accepted"):
            answer = list(case.types)
        else:
            answer = [next(t for t in type_ids if t not in case.types and t not in case.accepted)]
        quiz.answer(case.id, *answer)


def create_course(path: Path, demo: bool = False, force: bool = False,
                  cases: str | Path | None = None) -> Path:
    """Create an nbgrader course in ``path``; return its absolute path.

    ``cases``: a case file to build the demo from (default: the practice bank).
    """
    import nbformat

    from canvastools.model.cases import load_cases

    path = Path(path).expanduser().resolve()
    if path.exists() and not path.is_dir():
        raise InputError("not a folder", file=str(path))
    if path.is_dir() and any(path.iterdir()) and not force:
        raise InputError("the folder is not empty; use --force to write into it anyway",
                         file=str(path))
    bank = load_cases(cases) if cases else load_cases()
    chosen = _pick_cases(bank)
    path.mkdir(parents=True, exist_ok=True)

    data = shipped_data_path("quickstart")
    for name in ("nbgrader_config.py", "README.md"):
        (path / name).write_text(data.joinpath(name).read_text(encoding="utf-8"),
                                 encoding="utf-8")
    source = demo_notebook(chosen)
    nbformat.validate(source)
    src_dir = path / "source" / ASSIGNMENT
    src_dir.mkdir(parents=True, exist_ok=True)
    nbformat.write(source, src_dir / f"{ASSIGNMENT}.ipynb")

    if demo:
        released = student_version(source)
        for student, style in DEMO_STUDENTS.items():
            folder = path / "submitted" / student / ASSIGNMENT
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
            nbformat.write(released, folder / f"{ASSIGNMENT}.ipynb")
            if not style.startswith("no answers"):
                _answer_demo(folder, chosen, style, bank.taxonomy.type_ids)
    return path
