"""What the assignment shows of each exercise, read from the instructor's source cells without
running them (with :mod:`canvastools.grading.testcells`, the one reader of a cell).

>>> views = exercise_views(['CASES = [{"id": "a", "company": "Acme"}]',
...                         'quiz = ClassifyCases("q", CASES, lang="it", mode="graded")'])
>>> views["q"].lang, views["q"].item_label("a")
('it', ('Acme', ''))
"""

from __future__ import annotations

import ast
import dataclasses
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from canvastools._io.texts import pick_text
from canvastools.grading.testcells import DECLARATIONS, called_name, parse_cell, read_literal

__all__ = ["ExerciseView", "exercise_views", "WIDGETS"]

WIDGETS = {  # widget class -> its positional parameters (as in its signature)
    "ClassifyCases": ("exercise_id", "cases"),
    "ClassifyItems": ("exercise_id", "items"),
    "MotivationMatrix": ("exercise_id", "rows"),
    "SpectrumOrder": ("exercise_id", "items"),
    "RelationshipDesigner": ("exercise_id", "canvas_or_business"),
}
DESCRIPTION_CHARS = 160


@dataclass(frozen=True)
class ExerciseView:
    """What the assignment shows of one exercise, read from the instructor's source cells.

    ``items``: (item id, title, short description) in the widget's order; ``business``: the
    designer's business (a dict, as in ``Canvas.from_dict``); ``explanations`` and ``sources``:
    per item id, given in the grading declaration (shown only with the key).
    """

    exercise_id: str
    widget: str = ""
    lang: str = "en"
    items: tuple[tuple[str, str, str], ...] = ()
    business: Mapping[str, Any] | None = None
    explanations: Mapping[str, str] = field(default_factory=dict)
    sources: Mapping[str, str] = field(default_factory=dict)

    def item_label(self, item_id: str) -> tuple[str, str]:
        """(title, description) of an item; the id when the assignment does not show it."""
        for ident, title, description in self.items:
            if ident == item_id:
                return title or item_id, description
        return item_id, ""


# -- reading the assignment's widget cells (with testcells, the one reader of a cell) ---------
def _literal(node: ast.AST | None, names: Mapping[str, Any]) -> Any:
    """A literal argument of a widget or declaration; None when it is not one."""
    if node is None:
        return None
    if isinstance(node, ast.Call) and called_name(node) == "from_dict" and node.args:
        return _literal(node.args[0], names)  # Canvas.from_dict({...}, "name")
    try:
        return read_literal(node, names)
    except ValueError:
        return None


def _parse(source: str) -> ast.Module | None:
    try:
        return parse_cell(source)
    except (SyntaxError, ValueError):
        return None


def _short(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _bank_item(case_id: str, lang: str) -> tuple[str, str, str]:
    """A practice-bank case given by id (practice exercises only)."""
    try:
        from canvastools.model.cases import load_cases

        case = load_cases()[case_id]
        return case_id, case.company, _short(case.description_in(lang))
    except Exception:  # noqa: BLE001 - a label is a nicety: the id is shown instead
        return case_id, case_id, ""


def _items(raw: Any, lang: str) -> tuple[tuple[str, str, str], ...]:
    if not isinstance(raw, (list, tuple)):
        return ()
    out = []
    for item in raw:
        if isinstance(item, str):
            out.append(_bank_item(item, lang))
        elif isinstance(item, Mapping) and isinstance(item.get("id"), str):
            title = pick_text(item.get("company") or item.get("label") or item.get("name"),
                               lang)
            out.append((item["id"], title, _short(pick_text(item.get("description"), lang))))
    titles = [title for _, title, _ in out]
    unique = len(set(titles)) == len(titles) and all(titles)
    # a case is known by its company; statements of one company need their text
    return tuple((i, t, "" if unique and t else d) for i, t, d in out)


def _texts(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        return {}
    return {str(k): str(v) for k, v in value.items() if isinstance(v, (str, int, float))}


def _literal_names(trees: Sequence[ast.Module]) -> dict[str, Any]:
    """Every ``NAME = <literal>`` of the cells: cells may come in any order."""
    names: dict[str, Any] = {}
    for tree in trees:
        for stmt in tree.body:
            if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                    and isinstance(stmt.targets[0], ast.Name)):
                value = _literal(stmt.value, names)
                if value is not None:
                    names[stmt.targets[0].id] = value
    return names


def _widget_view(name: str, node: ast.Call, names: Mapping[str, Any]) -> ExerciseView | None:
    """The view of a widget creation ``Widget("id", items, lang=...)``; None when unreadable."""
    args: dict[str, ast.AST] = {k.arg: k.value for k in node.keywords if k.arg}
    args.update(dict(zip(WIDGETS[name], node.args, strict=False)))
    ident = _literal(args.get("exercise_id"), names)
    if not isinstance(ident, str):
        return None
    lang = _literal(args.get("lang"), names)
    lang = lang if isinstance(lang, str) and lang else "en"
    second = _literal(args.get(WIDGETS[name][1]), names)
    if name == "RelationshipDesigner":
        return ExerciseView(ident, name, lang,
                            business=second if isinstance(second, Mapping) else None)
    return ExerciseView(ident, name, lang, items=_items(second, lang))


@functools.lru_cache(maxsize=64)
def _views(sources: tuple[str, ...]) -> dict[str, ExerciseView]:
    trees = [tree for tree in map(_parse, sources) if tree is not None]
    names = _literal_names(trees)
    views: dict[str, ExerciseView] = {}
    extras: dict[str, tuple[dict[str, str], dict[str, str]]] = {}
    for node in (n for tree in trees for n in ast.walk(tree) if isinstance(n, ast.Call)):
        name = called_name(node) or ""
        if name in DECLARATIONS and node.args:
            ident = _literal(node.args[0], names)
            args = {k.arg: k.value for k in node.keywords if k.arg}
            if isinstance(ident, str):
                extras[ident] = (_texts(_literal(args.get("explanations"), names)),
                                 _texts(_literal(args.get("sources"), names)))
        elif name in WIDGETS:
            view = _widget_view(name, node, names)
            if view is not None:
                views[view.exercise_id] = view
    for ident, (explanations, sources_) in extras.items():
        view = views.get(ident, ExerciseView(ident))
        views[ident] = dataclasses.replace(view, explanations=explanations, sources=sources_)
    return views


def exercise_views(sources: Iterable[str]) -> dict[str, ExerciseView]:
    """Exercise id -> :class:`ExerciseView`, from the code cells of an assignment notebook.

    Widget creations (``ClassifyCases("id", CASES, lang="it", ...)``) are read without running
    anything: names assigned a literal anywhere in the cells are resolved, as is
    ``Canvas.from_dict(literal, ...)``. What cannot be read is left out (items then show as
    their ids).

    >>> views = exercise_views(['CASES = [{"id": "a", "company": "Acme"}]',
    ...                         'quiz = ClassifyCases("q", CASES, lang="it", mode="graded")'])
    >>> views["q"].lang, views["q"].item_label("a")
    ('it', ('Acme', ''))
    """
    return _views(tuple(str(s) for s in sources))
