"""Check that exercises/ is what nbgrader makes from solutions/, and that nothing leaks.

    python tools/check_release.py            # exit 1 and a list of problems, or "ok"
    python tools/check_release.py --write    # first regenerate exercises/ from solutions/

1. ``exercises/`` is exactly what ``nbgrader generate_assignment`` makes from ``solutions/``
   (regenerated in a temporary copy of the course; same files, same notebook JSON).
2. Nothing released (or, with :func:`find_leaks` on a feedback folder, fed back) contains
   ``BEGIN SOLUTION``, ``BEGIN HIDDEN TESTS``, a mark scheme, a line of hidden-test code,
   saved widget state, an answer sidecar, or an answer key: a cell (of a notebook, or of an
   HTML page; a page not made of cells: any 400 characters) that names a graded item must not
   name that item's key type(s), and a spectrum key must not appear in order. Keys are read
   from the hidden tests themselves (the dict/list literals passed to the grading helpers),
   so a new exercise is covered at once.

3. The sources are consistent (:func:`check_sources`, no nbgrader needed): in every notebook
   of ``solutions/``, each grading helper call of a hidden test grades a widget created in the
   same notebook (same exercise id, matching kind), with the same taxonomy, named explicitly;
   every id of its key and accepted alternatives is a valid choice (a relationship type of the
   taxonomy, a motivation, a guiding question); the key's item ids are exactly the widget's
   items (the spectrum key: its types, or its cases with ``items="cases"``, which the widget
   must not list in the key's order; the design check: its segments); graded widgets use
   ``mode="graded"``; an exercise id belongs to one widget of the assignment. Each problem
   names the file, the cell and the valid choices.

Used by tests/nbgrader/test_release.py (CI).
"""

from __future__ import annotations

import ast
import html
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEGIN_HIDDEN, END_HIDDEN = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", BEGIN_HIDDEN, END_HIDDEN, "BEGIN MARK SCHEME",
           "application/vnd.jupyter.widget-state+json",
           "application/vnd.canvastools.answers.store+json")  # a run's answers, copied in outputs
SIDECAR = re.compile(r"^\.?canvastools_answers")
SKIP = {".ipynb_checkpoints", "__pycache__"}
WINDOW = 400  # characters: in HTML, an item id this close to its key type is a leak


@dataclass
class Keys:
    """Hidden-test facts of one assignment."""

    lines: set[str] = field(default_factory=set)  # normalised hidden code lines
    pairs: dict[str, set[str]] = field(default_factory=dict)  # item id -> key type ids
    orders: list[list[str]] = field(default_factory=list)  # spectrum keys (flattened)


def _norm(text: str) -> str:
    return " ".join(text.split())


def _literal(node: ast.AST):
    try:
        return ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError):
        return None


def _ids(value) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, (list, tuple, set)):
        return {x for x in value if isinstance(x, str)}
    return set()


def hidden_regions(source: str) -> list[str]:
    """The code inside each BEGIN/END HIDDEN TESTS region of a cell source."""
    regions, current = [], None
    for line in source.split("\n"):
        if BEGIN_HIDDEN in line:
            current = []
        elif END_HIDDEN in line and current is not None:
            regions.append("\n".join(current))
            current = None
        elif current is not None:
            current.append(line)
    return regions


def read_keys(notebook: Path) -> Keys:
    """Hidden lines and answer keys of a source notebook."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    keys = Keys()
    for cell in nb["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for region in hidden_regions(source):
            for line in region.split("\n"):
                line = _norm(line)
                # lines that say something (not "},", ")", "key={" nor a setting such as
                # 'taxonomy="bmg2010",', which a widget cell says as well)
                setting = re.fullmatch(r"""(\w+)=(["'][\w\-. ]*["']|[\w.\-]+),?""", line)
                if (len(line) >= 10 and re.search(r"[A-Za-z0-9_\-]{4}", line)
                        and not re.fullmatch(r"""(["'])[\w\-. ]*\1,?""", line)
                        and not (setting and setting.group(1) not in ("key", "accepted"))):
                    keys.lines.add(line)
            try:
                tree = ast.parse(region)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                args = list(node.args[1:]) + [k.value for k in node.keywords
                                              if k.arg in ("key", "accepted")]
                for arg in args:
                    value = _literal(arg)
                    if isinstance(value, dict):
                        for item, types in value.items():
                            keys.pairs.setdefault(str(item), set()).update(_ids(types))
                    elif isinstance(value, list):
                        flat = [x for entry in value for x in sorted(_ids(entry))]
                        if len(flat) >= 2:
                            keys.orders.append(flat)
    return keys


# -- the sources: grading calls against the widgets they grade --------------------------------
# widget class -> (answer kind, positional parameters); helper -> (kind, positional parameters)
WIDGETS = {
    "ClassifyCases": ("classify", ("exercise_id", "cases")),
    "ClassifyItems": ("classify", ("exercise_id", "items")),
    "MotivationMatrix": ("motivation", ("exercise_id", "rows")),
    "SpectrumOrder": ("spectrum", ("exercise_id", "items")),
    "RelationshipDesigner": ("designer", ("exercise_id", "canvas_or_business")),
}
HELPERS = {
    "grade_classification": ("classify", ("exercise_id", "key", "accepted")),
    "grade_motivations": ("motivation", ("exercise_id", "key", "accepted")),
    "grade_order": ("spectrum", ("exercise_id", "key")),
    "check_design": ("designer", ("exercise_id", "segments")),
}
UNKNOWN = object()  # a value the check cannot read (not a literal)


@dataclass
class Call:
    """A widget creation or a grading helper call found in a notebook."""

    name: str
    args: dict  # parameter name -> value (UNKNOWN when it is not a literal)
    cell: str  # the cell's nbgrader grade_id (or its id)
    hidden: bool  # inside BEGIN/END HIDDEN TESTS
    notebook: Path

    @property
    def exercise_id(self):
        return self.args.get("exercise_id", UNKNOWN)

    @property
    def key(self):
        return self.args.get("key")

    @property
    def accepted(self):
        return self.args.get("accepted")

    def where(self, root: Path | None = None) -> str:
        path = self.notebook
        if root is not None:
            try:
                path = path.relative_to(root)
            except ValueError:
                pass
        return f"{path}, cell {self.cell}"

    def label(self) -> str:
        ident = self.exercise_id
        return f"{self.name}({ident!r})" if isinstance(ident, str) else f"{self.name}(...)"


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _value(node: ast.AST | None, names: dict):
    if node is None:
        return None
    if isinstance(node, ast.Name):
        return names.get(node.id, UNKNOWN)
    if isinstance(node, ast.Call) and _call_name(node) == "from_dict" and node.args:
        return _value(node.args[0], names)  # Canvas.from_dict({...}, "name")
    value = _literal(node)
    if value is None and not (isinstance(node, ast.Constant) and node.value is None):
        return UNKNOWN
    return value


def _hidden_lines(source: str) -> set[int]:
    lines, inside = set(), False
    for number, line in enumerate(source.split("\n"), 1):
        if BEGIN_HIDDEN in line:
            inside = True
        elif END_HIDDEN in line:
            inside = False
        elif inside:
            lines.add(number)
    return lines


def notebook_calls(notebook: Path) -> list[Call]:
    """Widget creations and grading helper calls of a notebook, in cell order.

    Names assigned a literal (or ``Canvas.from_dict(literal, ...)``) at the top level of a cell
    are resolved in later calls, as a kernel running the cells in order would.
    """
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    names: dict = {}
    calls: list[Call] = []
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        meta = cell.get("metadata", {}).get("nbgrader", {})
        cell_id = meta.get("grade_id") or cell.get("id") or f"#{index + 1}"
        try:
            tree = ast.parse("\n".join("" if line.lstrip().startswith(("%", "!")) else line
                                        for line in source.split("\n")))
        except SyntaxError:
            continue
        for stmt in tree.body:
            if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                    and isinstance(stmt.targets[0], ast.Name)):
                value = _value(stmt.value, names)
                if value is not UNKNOWN:
                    names[stmt.targets[0].id] = value
        hidden = _hidden_lines(source)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _call_name(node)
            spec = WIDGETS.get(name) or HELPERS.get(name)
            if spec is None:
                continue
            positional = zip(spec[1], node.args, strict=False)
            args = {param: _value(arg, names) for param, arg in positional}
            for keyword in node.keywords:
                if keyword.arg is not None:
                    args[keyword.arg] = _value(keyword.value, names)
            calls.append(Call(name, args, str(cell_id), node.lineno in hidden, Path(notebook)))
    return calls


def grading_calls(notebook: Path) -> list[Call]:
    """The grading helper calls of a notebook's hidden tests (their keys as Python values)."""
    return [c for c in notebook_calls(notebook) if c.name in HELPERS and c.hidden]


def _type_ids(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple, set)):
        return [x for entry in value for x in _type_ids(entry)]
    return [value]


def _choices_text(what: str, got, valid: list[str]) -> str:
    from canvastools.errors import did_you_mean

    hint = did_you_mean(str(got), valid) if isinstance(got, str) else None
    hint = f" (did you mean '{hint}'?)" if hint and hint != got else ""
    return f"{got!r} is not a {what}{hint}; valid: {', '.join(valid)}"


class _Pools:
    """Valid ids, from the installed canvastools."""

    def __init__(self) -> None:
        from canvastools.model.taxonomy import available_taxonomies, load_domain

        domain = load_domain()
        self.taxonomies = available_taxonomies()
        self.fixed = {"motivations": (domain.motivation_ids, "motivation"),
                      "questions": (domain.question_ids, "guiding question")}

    def types(self, taxonomy: str) -> list[str]:
        from canvastools.model.taxonomy import load_taxonomy

        return load_taxonomy(taxonomy).type_ids

    def choices(self, choices, taxonomy: str) -> tuple[list[str], str] | None:
        if choices == "types":
            if taxonomy not in self.taxonomies:
                return None
            return self.types(taxonomy), f"relationship type of taxonomy '{taxonomy}'"
        if isinstance(choices, str):
            return self.fixed.get(choices)
        if isinstance(choices, (list, tuple)):
            return [str(c) for c in choices], "choice of the exercise"
        return None


def _item_ids(widget: Call) -> list[str] | None:
    """The ids of what a widget's key must cover (None when they cannot be read)."""
    kind = WIDGETS[widget.name][0]
    if kind == "designer":
        business = widget.args.get("canvas_or_business")
        if not isinstance(business, dict):
            return None
        return [s.get("id") for s in business.get("segments") or [] if isinstance(s, dict)]
    items = widget.args.get("cases", widget.args.get("items", widget.args.get("rows")))
    if kind == "spectrum" and items is None:
        return []  # every type of the taxonomy: filled in by the caller
    if not isinstance(items, (list, tuple)):
        return None
    ids = []
    for item in items:
        if isinstance(item, str):
            ids.append(item)
        elif isinstance(item, dict) and isinstance(item.get("id"), str):
            ids.append(item["id"])
        else:
            return None
    return ids


TAXONOMY_USERS = {"ClassifyCases", "SpectrumOrder", "RelationshipDesigner",
                  "grade_order", "check_design"}


def _orders_cases(call: Call) -> bool:
    """A SpectrumOrder of cases (dict items), or a grade_order with ``items="cases"``."""
    if call.name == "grade_order":
        return call.args.get("items", "types") == "cases"
    items = call.args.get("items")
    return call.name == "SpectrumOrder" and isinstance(items, (list, tuple)) and any(
        isinstance(i, dict) for i in items)


def _uses_types(call: Call) -> bool:
    if _orders_cases(call):
        return False
    if call.name in TAXONOMY_USERS:
        return True
    if call.name in ("ClassifyItems", "grade_classification"):
        return call.args.get("choices", "types") == "types" or (
            isinstance(call.args.get("choices"), (list, tuple)))
    return False


def _check_assignment(notebooks: list[Path], root: Path | None, pools: _Pools) -> list[str]:
    problems: list[str] = []
    calls = {nb: notebook_calls(nb) for nb in notebooks}
    seen: dict[str, Call] = {}
    for nb, found in calls.items():
        for widget in (c for c in found if c.name in WIDGETS):
            ident = widget.exercise_id
            if not isinstance(ident, str):
                problems.append(f"{widget.where(root)}: {widget.name}: the exercise id is not a "
                                "text literal (the check cannot follow it)")
                continue
            other = seen.get(ident)
            if other is not None and (other.name != widget.name or other.notebook != nb):
                problems.append(f"{widget.where(root)}: exercise id {ident!r} is already used by "
                                f"{other.name} in {other.where(root)}; give each exercise of "
                                "an assignment its own id")
            seen.setdefault(ident, widget)
    for found in calls.values():
        widgets = {c.exercise_id: c for c in found if c.name in WIDGETS}
        graded_ids = set()
        for call in (c for c in found if c.name in HELPERS):
            problems += _check_call(call, widgets, root, pools)
            graded_ids.add(call.exercise_id)
        for ident, widget in widgets.items():
            if ident in graded_ids and widget.args.get("mode", "practice") != "graded":
                problems.append(f"{widget.where(root)}: {widget.label()} is graded by a hidden "
                                "test but is not created with mode=\"graded\" (it would show "
                                "practice feedback)")
            problems += _check_taxonomy_named(widget, root, pools)
    return problems


def _check_taxonomy_named(call: Call, root: Path | None, pools: _Pools) -> list[str]:
    if not _uses_types(call):
        return []
    taxonomy = call.args.get("taxonomy")
    if taxonomy is None:
        return [f"{call.where(root)}: {call.label()} names no taxonomy: add "
                f"taxonomy=\"bmg2010\" (valid: {', '.join(pools.taxonomies)})"]
    if taxonomy not in pools.taxonomies:
        return [f"{call.where(root)}: {call.label()}: "
                + _choices_text("taxonomy", taxonomy, pools.taxonomies)]
    return []


def _check_call(call: Call, widgets: dict, root: Path | None, pools: _Pools) -> list[str]:
    where, label = call.where(root), call.label()
    kind = HELPERS[call.name][0]
    problems: list[str] = []
    if not call.hidden and call.name != "check_design":
        problems.append(f"{where}: {label} is outside BEGIN/END HIDDEN TESTS: students would "
                        "see its key")
    ident = call.exercise_id
    if not isinstance(ident, str):
        return problems + [f"{where}: {call.name}: the exercise id is not a text literal"]
    widget = widgets.get(ident)
    if widget is None:
        valid = ", ".join(repr(i) for i in widgets) or "none"
        from canvastools.errors import did_you_mean

        hint = did_you_mean(ident, [i for i in widgets if isinstance(i, str)])
        hint = f" (did you mean {hint!r}?)" if hint else ""
        return problems + [f"{where}: {label} grades no widget of this notebook{hint}; "
                           f"exercise ids of its widgets: {valid}"]
    wkind = WIDGETS[widget.name][0]
    if wkind != kind:
        return problems + [f"{where}: {label} grades a {kind!r} answer but {ident!r} is a "
                           f"{widget.name} (in cell {widget.cell})"]
    problems += _check_taxonomy_named(call, root, pools)
    taxonomy = call.args.get("taxonomy") or "bmg2010"
    wtaxonomy = widget.args.get("taxonomy") or "bmg2010"
    if _uses_types(call) and taxonomy != wtaxonomy:
        problems.append(f"{where}: {label} uses taxonomy {taxonomy!r} but the widget (cell "
                        f"{widget.cell}) uses {wtaxonomy!r}")
    if taxonomy not in pools.taxonomies:
        return problems
    items = _item_ids(widget)
    if kind == "spectrum" and items == []:
        items = pools.types(wtaxonomy) if wtaxonomy in pools.taxonomies else None

    if kind in ("classify", "motivation"):
        if kind == "classify":
            choices = call.args.get("choices", "types")
            wchoices = widget.args.get("choices", "types")
            if choices != wchoices:
                problems.append(f"{where}: {label} grades choices={choices!r} but the widget "
                                f"(cell {widget.cell}) has choices={wchoices!r}: pass "
                                f"choices={wchoices!r}")
        else:
            choices = "motivations"
        pool = pools.choices(choices, taxonomy)
        key, accepted = call.key, call.accepted
        if not isinstance(key, dict) or not key:
            return problems + [f"{where}: {label}: the key is not a non-empty dict literal "
                               "{item_id: id or [ids]} (the release check reads keys from it)"]
        if accepted is UNKNOWN or (accepted is not None and not isinstance(accepted, dict)):
            problems.append(f"{where}: {label}: accepted is not a dict literal")
            accepted = {}
        accepted = accepted or {}
        if pool is not None:
            valid, what = pool
            for part, mapping in (("key", key), ("accepted", accepted)):
                for item, value in mapping.items():
                    for got in _type_ids(value):
                        if got not in valid:
                            problems.append(f"{where}: {label}, {part} of item {item!r}: "
                                            + _choices_text(what, got, valid))
        for item in accepted:
            if item not in key:
                problems.append(f"{where}: {label}: accepted names item {item!r}, which is not "
                                "in the key")
        if items is not None:
            problems += _compare_items(where, label, widget, list(key), items)
        problems += _check_pool(where, label, call, widget, list(key))
    elif kind == "spectrum":
        key = call.key
        cases = _orders_cases(call)
        if cases != _orders_cases(widget):
            return problems + [
                f"{where}: {label} orders {'cases' if cases else 'types'} but the widget "
                f"(cell {widget.cell}) shows {'types' if cases else 'cases'}: pass "
                f"items={'types' if cases else 'cases'!r}"]
        if not isinstance(key, (list, tuple)):
            return problems + [f"{where}: {label}: the key is not a list literal of "
                               f"{'case' if cases else 'type'} ids"]
        flat = _type_ids(key)
        valid = list(items or []) if cases else pools.types(taxonomy)
        what = "case of the widget" if cases else f"relationship type of taxonomy '{taxonomy}'"
        for got in flat:
            if got not in valid:
                problems.append(f"{where}: {label}, key: " + _choices_text(what, got, valid))
        twice = sorted({t for t in flat if flat.count(t) > 1})
        if twice:
            problems.append(f"{where}: {label}, key: listed twice: {', '.join(map(str, twice))}")
        if items is not None:  # (an id that is no type at all is reported once, above)
            problems += _compare_items(where, label, widget, [t for t in flat if t in valid],
                                       items, what="case" if cases else "type")
        ties = [len(entry) for entry in key if isinstance(entry, (list, tuple))]
        problems += _check_pool(where, label, call, widget, flat, largest_tie=max(ties, default=1))
        pooled = call.args.get("count") is not None  # each student starts in their own order
        if cases and items and not twice and not pooled and set(flat) == set(items):
            from canvastools.model.ordering import key_ranks, pairs_out_of_order

            try:
                already_right = not pairs_out_of_order(items, key_ranks(key))
            except ValueError:  # a key with no order at all: grade_order says so when run
                already_right = False
            if already_right:
                problems.append(f"{where}: {label}: the widget (cell {widget.cell}) lists the "
                                "cases in the key's order, so the order a student starts with "
                                "is already right and the release shows the key: list them in "
                                "another order (e.g. alphabetical by id)")
    else:  # designer
        segments = call.args.get("segments")
        if not isinstance(segments, (list, tuple)) or not segments:
            return problems + [f"{where}: {label}: segments is not a non-empty list literal"]
        if items is not None:
            for seg in segments:
                if seg not in items:
                    problems.append(f"{where}: {label}, segments: " + _choices_text(
                        f"segment of the business of {ident!r}", seg, items))
        types = call.args.get("types")
        if types is not None:
            valid = pools.types(taxonomy)
            for got in _type_ids(types):
                if got not in valid:
                    problems.append(f"{where}: {label}, types: " + _choices_text(
                        f"relationship type of taxonomy '{taxonomy}'", got, valid))
    return problems


def _check_pool(where: str, label: str, call: Call, widget: Call, keyed: list, *,
                largest_tie: int = 0) -> list[str]:
    """A pool (issue 20): the test and the widget ask for the same count, and the pool (the
    key's items, or the widget's pool=) is large enough for it; an order's count is more than
    its largest tie (``largest_tie``), so every variant has an order to grade."""
    count, wcount = call.args.get("count"), widget.args.get("count")
    if count is None and wcount is None:
        return []
    if count != wcount:
        return [f"{where}: {label} grades count={count!r} items per student but the widget "
                f"(cell {widget.cell}) shows count={wcount!r}: give both the same count"]
    pool = widget.args.get("pool")
    size = len(pool) if isinstance(pool, (list, tuple)) else len(keyed)
    least = largest_tie + 1
    if isinstance(count, bool) or not isinstance(count, int) or not least <= count <= size:
        tie = (f" and the key ties {largest_tie} ids (a variant could be one tie, with no "
               "order to grade)" if largest_tie > 1 else "")
        return [f"{where}: {label}: count={count!r}, but the pool has {size} items{tie}: a "
                f"count from {least} to {size}"]
    return []


def _compare_items(where: str, label: str, widget: Call, keyed: list, items: list,
                   what: str = "item") -> list[str]:
    problems = []
    for item in keyed:
        if item not in items:
            problems.append(f"{where}: {label}: the key names {what} {item!r}, which the widget "
                            f"{widget.label()} (cell {widget.cell}) does not have; its "
                            f"{what}s: {', '.join(map(str, items))}")
    missing = [i for i in items if i not in keyed]
    if missing:
        problems.append(f"{where}: {label}: the key has no answer for the widget's {what}(s) "
                        f"{', '.join(map(repr, missing))} (they could never score)")
    return problems


def check_sources(source: Path, root: Path | None = None) -> list[str]:
    """Problems of the grading calls and widgets of every assignment in ``source``."""
    pools = _Pools()
    problems: list[str] = []
    for folder in sorted(p for p in Path(source).iterdir() if p.is_dir()):
        notebooks = sorted(p for p in folder.rglob("*.ipynb") if not SKIP & set(p.parts))
        problems += _check_assignment(notebooks, root, pools)
    return problems


def _cell_texts(notebook: Path) -> list[str]:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    texts = [json.dumps(nb.get("metadata", {}))]
    for cell in nb.get("cells", []):
        texts.append(json.dumps(cell, ensure_ascii=False))
    return texts


CELL_START = re.compile(r'<div[^>]*class="(?:[^"]*\s)?(?:cell|jp-Cell)(?:\s[^"]*)?"')


def _html_texts(path: Path) -> tuple[list[str], bool]:
    """The text of each notebook cell of an HTML page (or of the page, when not split)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    text = re.sub(r"<style.*?</style>|<script.*?</script>", " ", text, flags=re.S | re.I)
    chunks = CELL_START.split(text)
    # a table row is read on its own: a student's own answer in one row does not make the
    # next row's item "named with its key"
    pieces = [row for chunk in chunks for row in re.split(r"(?=<tr[\s>])", chunk, flags=re.I)]
    plain = [html.unescape(re.sub(r"<[^>]+>", "", piece)) for piece in pieces]
    return plain, len(chunks) > 1


def _leaks_in_text(where: str, text: str, keys: Keys, per_cell: bool) -> list[str]:
    problems = []
    flat = _norm(text.replace("\\n", "\n").replace('\\"', '"'))
    for marker in MARKERS:
        if marker in text:
            problems.append(f"{where}: contains '{marker}'")
    for line in sorted(keys.lines):
        if line in flat:
            problems.append(f"{where}: quotes hidden test code: {line!r}")
    for item, types in sorted(keys.pairs.items()):
        for match in re.finditer(re.escape(item), flat):
            window = flat if per_cell else flat[max(0, match.start() - WINDOW):
                                                match.end() + WINDOW]
            shown = sorted(t for t in types if re.search(rf"(?<![\w-]){re.escape(t)}(?![\w-])",
                                                          window))
            if shown:
                problems.append(f"{where}: names item '{item}' with its key {shown}")
                break
    for order in keys.orders:
        pattern = r"[\W_]{1,12}".join(re.escape(x) for x in order)
        if re.search(pattern, flat):
            problems.append(f"{where}: shows a spectrum key in order")
    return problems


def find_leaks(folder: Path, keys: dict[str, Keys]) -> list[str]:
    """Problems in a release or feedback folder laid out as <...>/<assignment>/<files>.

    ``keys`` maps assignment name -> Keys; a file is checked against the keys of every
    assignment whose name is in its path (all of them when none is).
    """
    problems = []
    for path in sorted(Path(folder).rglob("*")):
        if not path.is_file() or SKIP & set(path.parts):
            continue
        rel = path.relative_to(folder)
        if SIDECAR.match(path.name):
            problems.append(f"{rel}: an answer file is released")
            continue
        mine = [k for name, k in keys.items() if name in rel.parts] or list(keys.values())
        if path.suffix == ".ipynb":
            texts, per_cell = _cell_texts(path), True
        elif path.suffix in (".html", ".htm"):
            texts, per_cell = _html_texts(path)
        else:
            try:
                texts, per_cell = [path.read_text(encoding="utf-8")], True
            except (UnicodeDecodeError, OSError):
                continue
        for k in mine:
            for text in texts:
                problems.extend(_leaks_in_text(str(rel), text, k, per_cell))
    return sorted(set(problems))


def keys_not_given(keys: Keys, answers: dict) -> Keys:
    """The key facts a student did not give themselves (a student's feedback may show their
    own answers, and so the key types they chose; never the others).

    ``answers`` is the ``exercises`` mapping of the student's answer file.
    """
    given: dict[str, set[str]] = {}
    orders_given: list[list[str]] = []
    for entry in answers.values():
        answer = entry.get("answer") if isinstance(entry, dict) else None
        if isinstance(answer, dict):
            for item, types in answer.items():
                given.setdefault(item, set()).update(t for t in types if isinstance(t, str))
        elif isinstance(answer, list) and all(isinstance(a, str) for a in answer):
            orders_given.append(answer)
    pairs = {item: types - given.get(item, set()) for item, types in keys.pairs.items()}
    orders = [o for o in keys.orders if not any(
        [x for x in answer if x in o] == o for answer in orders_given)]
    return Keys(set(keys.lines), {i: t for i, t in pairs.items() if t}, orders)


def assignment_keys(source: Path) -> dict[str, Keys]:
    keys = {}
    for folder in sorted(p for p in Path(source).iterdir() if p.is_dir()):
        merged = Keys()
        for nb in folder.glob("*.ipynb"):
            k = read_keys(nb)
            merged.lines |= k.lines
            merged.orders += k.orders
            for item, types in k.pairs.items():
                merged.pairs.setdefault(item, set()).update(types)
        keys[folder.name] = merged
    return keys


def nbgrader_env() -> dict[str, str]:
    """Environment for nbgrader commands (nbgrader runs `alembic`, which must be on PATH)."""
    env = dict(os.environ)
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    env.pop("JUPYTER_CONFIG_DIR", None)
    return env


def nbgrader(*args: str, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    exe = str(Path(sys.executable).parent / "nbgrader")
    return subprocess.run([exe, *args], cwd=cwd, env=nbgrader_env(), capture_output=True,
                          text=True, timeout=timeout)


def regenerate(root: Path, work: Path) -> Path:
    """Copy the course's config and solutions/ to ``work`` and generate every assignment."""
    work.mkdir(parents=True, exist_ok=True)
    shutil.copy(root / "nbgrader_config.py", work / "nbgrader_config.py")
    shutil.copytree(root / "solutions", work / "solutions",
                    ignore=shutil.ignore_patterns(*SKIP))
    for folder in sorted(p for p in (work / "solutions").iterdir() if p.is_dir()):
        run = nbgrader("generate_assignment", folder.name, "--force", cwd=work)
        if run.returncode != 0:
            raise RuntimeError(f"generate_assignment {folder.name} failed:\n{run.stderr}")
    return work / "exercises"


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in Path(folder).rglob("*")
            if p.is_file() and not SKIP & set(p.parts)}


def compare_release(expected: Path, actual: Path) -> list[str]:
    """Differences between a freshly generated release and the committed one."""
    problems = []
    want, have = _files(expected), _files(actual)
    problems += [f"missing in exercises/: {x}" for x in sorted(want - have)]
    problems += [f"not made from solutions/: exercises/{x}" for x in sorted(have - want)]
    for rel in sorted(want & have):
        a, b = Path(expected, rel), Path(actual, rel)
        if rel.endswith(".ipynb"):
            same = json.loads(a.read_text("utf-8")) == json.loads(b.read_text("utf-8"))
        else:
            same = a.read_bytes() == b.read_bytes()
        if not same:
            problems.append(f"exercises/{rel} differs from what generate_assignment makes "
                            "(run: nbgrader generate_assignment NAME --force)")
    return problems


def check(root: Path = ROOT, work: Path | None = None) -> list[str]:
    import tempfile

    problems = []
    for path in (root / "solutions").rglob("*"):
        if SIDECAR.match(path.name):
            problems.append(f"{path.relative_to(root)}: an answer file in solutions/ "
                            "(delete it: it would hold the instructor's answers)")
    problems += check_sources(root / "solutions", root)
    with tempfile.TemporaryDirectory() as tmp:
        fresh = regenerate(root, Path(work or tmp) / "course")
        problems += compare_release(fresh, root / "exercises")
    problems += find_leaks(root / "exercises", assignment_keys(root / "solutions"))
    return problems


def write_release(root: Path = ROOT) -> None:
    """Regenerate exercises/ from solutions/ (in a temporary course) and replace it."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        fresh = regenerate(root, Path(tmp) / "course")
        shutil.rmtree(root / "exercises", ignore_errors=True)
        shutil.copytree(fresh, root / "exercises")


def main() -> int:
    if "--write" in sys.argv[1:]:
        write_release()
        print("exercises/ regenerated from solutions/")
    problems = check()
    for problem in problems:
        print(problem)
    print("ok" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
