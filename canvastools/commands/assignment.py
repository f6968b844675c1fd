"""``canvastools assignment new NAME --items FILE [--course DIR]``: an nbgrader source notebook
written from an items file (:mod:`canvastools.model.items`), with no hand-written key.

The notebook has, in order: the title and instructions with the hand-in note, a rubric cell,
the widget cell (the items' texts only: released to students), and the graded test cell whose
hidden part declares the key (``grade_classification(...)``, read by the grader, never run),
with nbgrader's metadata and points. ``nbgrader generate_assignment NAME`` releases it as it
is::

    from canvastools.commands.assignment import main
    main(name="quiz-1", items="quiz-1.yaml", course="my-course")
    # -> my-course/source/quiz-1/quiz-1.ipynb (the course's source_directory)

Learning objectives of the items are added to the course's ``objectives.yaml`` (for
``canvastools report``) when the assignment is not listed there yet.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from canvastools._io.texts import TextTable
from canvastools.errors import InputError
from canvastools.model.items import ItemsFile, choice_ids, load_items

if TYPE_CHECKING:
    from nbformat import NotebookNode

__all__ = ["main", "source_notebook", "objectives_entry", "NAME_PATTERN"]

#: an assignment's name is a folder name of the course and a part of every student's path
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
TEXTS = TextTable("assignment.yaml")
WIDGET_NAME = "quiz"


def _q(value: object) -> str:
    """A Python literal of a text, list, number or yes/no (JSON's escapes are Python's)."""
    return repr(value) if isinstance(value, bool) else json.dumps(value, ensure_ascii=False)


def _mapping(entries: dict[str, Any], indent: str = "        ") -> str:
    """``{"id": value, ...}`` one entry per line, for a test cell an instructor reads."""
    if not entries:
        return "{}"
    lines = "".join(f"{indent}{_q(k)}: {_q(v)},\n" for k, v in entries.items())
    return "{\n" + lines + indent[:-4] + "}"


def _number(value: float) -> str:
    return f"{value:g}"


def widget_cell(items: ItemsFile, exercise: str) -> str:
    """The code of the widget cell: the items' texts in the notebook's language, no key."""
    rows = []
    for item in items.items:
        row = {"id": item.id}
        if item.company:
            row["company"] = items.text(item.company)
        row["multi"] = item.multi
        row["description"] = items.text(item.description)
        rows.append("    {" + ", ".join(f"{_q(k)}: {_q(v)}" for k, v in row.items()) + "},\n")
    args = [_q(exercise), "ITEMS", 'mode="graded"']
    if items.choices == "types":
        widget = "ClassifyCases"
        args.append(f"taxonomy={_q(items.taxonomy)}")
    else:
        widget = "ClassifyItems"
        args.append(f"choices={_q(items.choices)}")
    if items.pool is not None:  # the student's own variant: from the assignment and their id
        args += [f"count={items.pool}", f"assignment={_q(exercise)}"]
    if items.language != "en":
        args.append(f"lang={_q(items.language)}")
    module = "canvastools" if widget == "ClassifyCases" else "canvastools.widgets"
    return (f"from {module} import {widget}\n\n"
            f"ITEMS = [\n{''.join(rows)}]\n\n"
            f"{WIDGET_NAME} = {widget}({', '.join(args)})\n{WIDGET_NAME}")


def test_cell(items: ItemsFile, exercise: str) -> str:
    """The code of the graded cell: ``check_saved`` for students, the key in hidden tests."""
    lang = items.language
    key = {i.id: list(i.key) if i.multi else i.key[0] for i in items.items}
    accepted = {i.id: list(i.accepted) for i in items.items if i.accepted}
    explanations = {i.id: items.text(i.explanation) for i in items.items if i.explanation}
    sources = {i.id: i.source for i in items.items if i.source}
    arguments = [f"    {_q(exercise)},", f"    key={_mapping(key)},"]
    if accepted:
        arguments.append(f"    accepted={_mapping(accepted)},")
    if items.choices == "types":
        arguments.append(f"    taxonomy={_q(items.taxonomy)},")
    else:
        arguments.append(f"    choices={_q(items.choices)},")
    arguments.append(f"    points={_number(items.points)},")
    arguments.append(f"    partial={_number(items.partial)},")
    if items.pool is not None:
        arguments.append(f"    count={items.pool},  # each student is graded on their own "
                         f"{items.pool} of these {len(items.items)} items")
    if explanations:
        arguments.append("    # shown with the key in the feedback only if nbgrader_config.py "
                         "sets\n    # c.ShowResults.show_key = True")
        arguments.append(f"    explanations={_mapping(explanations)},")
    if sources:
        arguments.append(f"    sources={_mapping(sources)},")
    return (f"{TEXTS.text('test_comment', lang)}\n"
            "from canvastools.grading import grade_classification\n"
            "from canvastools.grading import check_saved\n"
            f"check_saved({_q(exercise)})  {TEXTS.text('validate_comment', lang)}\n\n"
            "### BEGIN HIDDEN TESTS\n"
            "grade_classification(\n" + "\n".join(arguments) + "\n)\n"
            "### END HIDDEN TESTS")


def _what(items: ItemsFile) -> str:
    return TEXTS.text(f"what_{items.choices}", items.language)


def intro_cell(items: ItemsFile) -> str:
    """The title, the instructions, the pool note (with a pool) and the hand-in note."""
    lang = items.language
    parts = [f"# {items.text(items.title)}"]
    parts.append(items.text(items.intro) if items.intro
                 else TEXTS.text("intro", lang, what=_what(items)))
    if items.pool is not None:
        parts.append(TEXTS.text("pool", lang, count=items.pool, size=len(items.items)))
    parts.append(TEXTS.text("hand_in", lang))
    ids = ", ".join(f"`{i}`" for i in choice_ids(items.choices, items.taxonomy))
    parts.append(TEXTS.text("no_widgets", lang, ids=ids))
    return "\n\n".join(parts)


def rubric_cell(items: ItemsFile) -> str:
    """How the points are earned, and the objectives assessed; never a key."""
    lang = items.language
    parts = [TEXTS.text("rubric_title", lang),
             TEXTS.text("rubric", lang, points=_number(items.points),
                        total=_number(items.total_points), what=_what(items),
                        partial_percent=_number(items.partial * 100))]
    if items.objectives:
        parts.append(TEXTS.text("rubric_objectives", lang) + "\n\n"
                     + "\n".join(f"- {text}" for text in items.objectives.values()))
    return "\n\n".join(parts)


def _cell(kind: str, source: str, grade_id: str, **flags: object) -> NotebookNode:
    from nbformat.v4 import new_code_cell, new_markdown_cell

    meta = {"nbgrader": {"grade": False, "solution": False, "locked": True, "task": False,
                         "grade_id": grade_id, "schema_version": 3, **flags}}
    make = new_code_cell if kind == "code" else new_markdown_cell
    return make(source, metadata=meta)


def source_notebook(items: ItemsFile, name: str) -> NotebookNode:
    """The instructor's (source) notebook of assignment ``name`` (an nbformat notebook).

    The exercise id is the assignment's name; the cells' grade ids start with it.
    """
    from nbformat.v4 import new_notebook

    nb = new_notebook(cells=[
        _cell("markdown", intro_cell(items), f"{name}-intro"),
        _cell("markdown", rubric_cell(items), f"{name}-rubric"),
        _cell("code", widget_cell(items, name), f"{name}-quiz"),
        _cell("code", test_cell(items, name), f"{name}-test", grade=True,
              points=items.total_points),
    ])
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)",
                                 "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def objectives_entry(items: ItemsFile, name: str) -> str:
    """The YAML text of the assignment's learning objectives for the course's
    ``objectives.yaml`` (docs/formats.md), "" when no item names an objective."""
    lines = []
    for objective_id, text in items.objectives.items():
        tagged = [f"{name}/{i.id}" for i in items.items if objective_id in i.objectives]
        if tagged:
            lines.append(f"  - objective: {_q(text)}\n    items: [{', '.join(tagged)}]\n")
    return f"{name}:\n" + "".join(lines) if lines else ""


def _add_objectives(course: Path, items: ItemsFile, name: str) -> str | None:
    """Append the objectives to ``course/objectives.yaml``; say what was done, or None."""
    from canvastools._io.yamlio import read_data_file

    entry = objectives_entry(items, name)
    if not entry:
        return None
    path = course / "objectives.yaml"
    if path.exists():
        data = read_data_file(path)
        if isinstance(data, dict) and name in data:
            return (f"{path} already lists {name}: left as it is (the objectives of the items "
                    "file are not added)")
        text = path.read_text(encoding="utf-8")
        path.write_text(text + ("" if text.endswith("\n") else "\n") + entry, encoding="utf-8")
    else:
        path.write_text(entry, encoding="utf-8")
    return f"added the learning objectives of {name} to {path}"


def main(*, name: str, items: str | Path, course: str | Path = ".",
         force: bool = False) -> Path:
    """Write the source notebook of assignment ``name`` from the items file ``items`` into the
    course's source folder; return its path. An existing notebook is kept unless ``force``."""
    import nbformat

    from canvastools.grader.gradebook import course_folders

    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
        raise InputError("an assignment's name is 1 to 64 letters, digits, '-' or '_', "
                         "starting with a letter or a digit", where="NAME", got=str(name))
    loaded = load_items(items)
    coursedir = course_folders(course)
    folder = coursedir.folder("source", ".", name)
    path = folder / f"{name}.ipynb"
    if path.exists() and not force:
        raise InputError("the assignment's source notebook exists already; use --force to "
                         "write over it", file=str(path))
    notebook = source_notebook(loaded, name)
    nbformat.validate(notebook)
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    print(f"wrote {path} ({len(loaded.items)} items, {_number(loaded.total_points)} points)")
    said = _add_objectives(Path(coursedir.root), loaded, name)
    if said:
        print(said)
    return path
