"""The kinds of submission of the tampering suite: one student each, expected grade written down.

Two assignments of one course made by ``canvastools quickstart DIR --demo``:

- ``demo-classify`` (the quickstart demo: 8 cases, 1 point each, 0.5 for an accepted
  alternative; widget-only, so grading starts no kernel);
- ``tamper-mixed`` (``tests/nbgrader/data/tamper-mixed``: a 3-item canvastools quiz worth 3 points
  and a small code exercise whose plain nbgrader test is worth 2; its notebook must run, in the
  sandbox). The kinds that need student code to run at grading time use it.

Every kind says what it does, the grade its honest answers deserve (``score``) and the flag
codes (:data:`canvastools.grader.records.FLAG_CODES`) its record must carry, before anything is
graded. ``answers`` is what the grader must read as the student's classification (item ->
types; None: nothing), used to tell a key leak from the student's own answers.
"""

from __future__ import annotations

import ast
import copy
import json
import os
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from nbformat.v4 import new_code_cell

from canvastools.answers.store import ANSWERS_FILENAME, AnswerStore
from canvastools.grading.testcells import parse_test_cell
from canvastools.model.taxonomy import load_taxonomy

DEMO = "demo-classify"
MIXED = "tamper-mixed"
DATA = Path(__file__).resolve().parent / "data"
TYPES = load_taxonomy("bmg2010").type_ids
# in tamper-mixed's hidden tests and model answer: never in a student's feedback
CANARIES = ("tamper-canary-QX7", "plain-canary-ZK4", "model-answer-canary-MA9")
DETACHED_NAME = "ctdetached"  # the process name of the detached attacker (prctl)
BOMB_SLEEP = "61.5"  # `sleep 61.5`: the processes of the fork bomb


def grade_id(cell: Any) -> str:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")


@dataclass
class Assignment:
    """What a test needs to know of one assignment (read from the instructor's source)."""

    name: str
    source: Any
    released: Any
    exercise: str
    key: dict[str, list[str]]
    accepted: dict[str, list[str]]
    items: list[dict[str, Any]]

    @property
    def right(self) -> dict[str, list[str]]:
        return {item: list(types) for item, types in self.key.items()}

    @property
    def wrong(self) -> dict[str, list[str]]:
        """For each item, a type that is neither its key nor accepted (0 points)."""
        return {item: [next(t for t in TYPES if t not in types + self.accepted.get(item, []))]
                for item, types in self.key.items()}

    @property
    def half(self) -> dict[str, list[str]]:
        """The even items right, the odd ones wrong."""
        return {item: (self.right if i % 2 == 0 else self.wrong)[item]
                for i, item in enumerate(self.key)}

    def notebook(self) -> Any:
        return copy.deepcopy(self.released)

    def index(self, nb: Any, gid: str) -> int:
        return next(i for i, c in enumerate(nb.cells) if grade_id(c) == gid)


def _lists(mapping: dict[str, Any]) -> dict[str, list[str]]:
    return {k: [v] if isinstance(v, str) else list(v) for k, v in (mapping or {}).items()}


def read_assignment(course: Path, name: str) -> Assignment:
    source = nbformat.read(course / "source" / name / f"{name}.ipynb", as_version=4)
    released = nbformat.read(course / "release" / name / f"{name}.ipynb", as_version=4)
    call = None
    items: list[dict[str, Any]] = []
    for cell in source.cells:
        if cell.cell_type != "code":
            continue
        calls = parse_test_cell(cell.source)
        if calls:
            call = calls[0]
        for node in ast.parse(cell.source).body:
            if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "CASES":
                items = ast.literal_eval(node.value)
    assert call is not None and items, name
    args = dict(zip(("exercise_id", "key", "accepted"), call.args, strict=False))
    args.update(call.kwargs)
    return Assignment(name, source, released, args["exercise_id"], _lists(args["key"]),
                      _lists(args.get("accepted") or {}), items)


# -- writing a submission ----------------------------------------------------------------------
def write_notebook(folder: Path, name: str, nb: Any) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{name}.ipynb")


_SAVED = [0]


def save_answers(folder: Path, exercise: str, answers: dict[str, list[str]],
                 taxonomy: str = "bmg2010") -> None:
    """As the widget does: through the answer store. Each student's save gets a time of its
    own (two students saving the same answers in the same second would have identical files,
    which the grader rightly flags)."""
    folder.mkdir(parents=True, exist_ok=True)
    AnswerStore(str(folder)).save(exercise, "classify", answers, taxonomy=taxonomy)
    _SAVED[0] += 1
    path = folder / ANSWERS_FILENAME
    data = json.loads(path.read_text(encoding="utf-8"))
    minutes, seconds = divmod(_SAVED[0], 60)
    data["exercises"][exercise]["updated"] = f"2026-12-01T{9 + minutes // 60:02d}:" \
        f"{minutes % 60:02d}:{seconds:02d}+00:00"
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")


def answer_file(exercises: dict[str, Any]) -> str:
    return json.dumps({"exercises": exercises, "format": "canvastools-answers", "version": 1},
                      indent=1)


def entry(answer: Any, kind: str = "classify", taxonomy: str = "bmg2010") -> dict[str, Any]:
    return {"answer": answer, "kind": kind, "taxonomy": taxonomy,
            "updated": "2026-12-01T10:00:00+00:00"}


def code_cell(source: str) -> Any:
    return new_code_cell(textwrap.dedent(source).strip())


def with_code(a: Assignment, code: str, *, above: str | None = None,
              after: str | None = None) -> Any:
    """The released notebook with ``code`` in a new cell above/after the cell ``above``/``after``
    (default: at the end)."""
    nb = a.notebook()
    cell = code_cell(code)
    if above:
        nb.cells.insert(a.index(nb, above), cell)
    elif after:
        nb.cells.insert(a.index(nb, after) + 1, cell)
    else:
        nb.cells.append(cell)
    return nb


RIGHT_CODE = "def loyalty_points(amount):\n    return int(amount // 10)"
WRONG_CODE = "def loyalty_points(amount):\n    return 0"


def set_solution(a: Assignment, nb: Any, code: str) -> Any:
    nb.cells[a.index(nb, "tm-code")].source = code
    return nb


@dataclass
class Ctx:
    course: Path
    demo: Assignment
    mixed: Assignment

    def folder(self, student: str, assignment: str) -> Path:
        return self.course / "submitted" / student / assignment


@dataclass(frozen=True)
class Kind:
    name: str  # the student id
    assignment: str
    score: float  # the grade its honest answers deserve
    what: str
    build: Callable[[Ctx, Path], None] | None = None
    answers: str | None = "wrong"  # right / wrong / half / None (nothing graded)
    flags: tuple[str, ...] = ()
    honest: bool = False
    changes_own: bool = False  # intake sets files of its own submission aside
    forbidden: tuple[str, ...] = ()  # texts its feedback must not contain
    max_flags: int = 20  # what an instructor can read: flags of one kind are summed up
    nbgrader_sees: bool = True  # False: no notebook, so only canvastools autograde grades it

    @property
    def kernel(self) -> str:
        return "sandboxed" if self.assignment == MIXED else "not needed"


# -- demo-classify kinds (no kernel) -----------------------------------------------------------
def demo_plain(answers: str | None, nb_change: Callable[[Assignment, Any], Any] | None = None,
               taxonomy: str = "bmg2010") -> Callable[[Ctx, Path], None]:
    def build(ctx: Ctx, folder: Path) -> None:
        a = ctx.demo
        nb = a.notebook()
        if nb_change is not None:
            nb = nb_change(a, nb)
        write_notebook(folder, a.name, nb)
        if answers is not None:
            save_answers(folder, a.exercise, getattr(a, answers), taxonomy)
    return build


def _deleted(a: Assignment, nb: Any) -> Any:
    nb.cells = [c for c in nb.cells if grade_id(c) not in ("demo-quiz", "demo-test")]
    return nb


def _reordered(a: Assignment, nb: Any) -> Any:
    test = [c for c in nb.cells if grade_id(c) == "demo-test"]
    quiz = [c for c in nb.cells if grade_id(c) == "demo-quiz"]
    nb.cells = test + [c for c in nb.cells if c not in test + quiz] + quiz
    return nb


def _duplicated(a: Assignment, nb: Any) -> Any:
    extra = [copy.deepcopy(c) for c in nb.cells if grade_id(c) in ("demo-quiz", "demo-test")]
    for number, cell in enumerate(extra):
        cell["id"] = f"pasted-{number}"  # JupyterLab gives a pasted cell a new id
    nb.cells = nb.cells + extra
    return nb


def _empty_nbgrader_cell(a: Assignment, nb: Any) -> Any:
    cell = code_cell("# my notes")
    cell.metadata["nbgrader"] = {}
    nb.cells.append(cell)
    return nb


def _twins(ctx: Ctx, folder: Path) -> None:
    a = ctx.demo
    write_notebook(folder, a.name, a.notebook())
    twin = ctx.folder("h-twin-a", a.name)
    if not (twin / ANSWERS_FILENAME).exists():
        save_answers(twin, a.exercise, a.half)
    if folder != twin:
        (folder / ANSWERS_FILENAME).write_bytes((twin / ANSWERS_FILENAME).read_bytes())


def _other_taxonomy(ctx: Ctx, folder: Path) -> None:
    a = ctx.demo
    write_notebook(folder, a.name, a.notebook())
    answers = a.right
    answers[next(iter(answers))] = ["transactional"]  # a Strategyzer type: not in bmg2010
    save_answers(folder, a.exercise, answers, taxonomy="strategyzer")


MONKEYPATCH = """
import builtins, json, sys, types
import canvastools.grading as g
for name in ("grade_classification", "score_classification", "grade_motivations",
             "grade_order", "check_design", "score_item"):
    setattr(g, name, lambda *a, **k: 8.0)
g.SCORERS = {k: (lambda *a, **k: 8.0) for k in g.SCORERS}
fake = types.ModuleType("canvastools.grading")
fake.grade_classification = lambda *a, **k: 8.0
sys.modules["canvastools.grading"] = fake
_real_import = builtins.__import__
builtins.__import__ = lambda name, *a, **k: fake if name.startswith("canvastools") else \\
    _real_import(name, *a, **k)
json.loads = lambda *a, **k: {"exercises": {}}
builtins.round = lambda *a, **k: 8.0
"""
# what a kernel survives of it (json.loads and __import__ replaced break the kernel itself:
# a dead kernel is am-signals' and am-die-in-test's case)
MONKEYPATCH_KERNEL = """
import builtins, sys, types
import canvastools.grading as g
for name in ("grade_classification", "score_classification", "score_item"):
    setattr(g, name, lambda *a, **k: 3.0)
g.SCORERS = {k: (lambda *a, **k: 3.0) for k in g.SCORERS}
fake = types.ModuleType("canvastools.grading")
fake.grade_classification = lambda *a, **k: 3.0
sys.modules["canvastools.grading"] = fake
builtins.round = lambda *a, **k: 3.0
"""


def _edit_test(source: str) -> Callable[[Assignment, Any], Any]:
    def change(a: Assignment, nb: Any) -> Any:
        nb.cells[a.index(nb, "demo-test")].source = source
        return nb
    return change


def _edit_quiz(a: Assignment, nb: Any) -> Any:
    cell = nb.cells[a.index(nb, "demo-quiz")]
    cell.source = cell.source.replace('mode="graded"', 'mode="practice"')
    return nb


def _test_meta(**changes: Any) -> Callable[[Assignment, Any], Any]:
    def change(a: Assignment, nb: Any) -> Any:
        nb.cells[a.index(nb, "demo-test")].metadata.nbgrader.update(changes)
        return nb
    return change


def _fake_grade_cell(a: Assignment, nb: Any) -> Any:
    cell = code_cell("100")
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True,
                                 "task": False, "grade_id": "bonus-points", "points": 100.0,
                                 "schema_version": 3}
    cell.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "100"},
                                           execution_count=1)]
    nb.cells.append(cell)
    return nb


def _forged_outputs(a: Assignment, nb: Any) -> Any:
    test = nb.cells[a.index(nb, "demo-test")]
    test.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "8.0"},
                                           execution_count=3)]
    test.metadata["canvastools"] = {"scored": True, "results": []}
    nb.metadata["canvastools"] = {"flags": [], "kernel": "not needed",
                                  "answers_sha256": "0" * 64}
    return nb


def _select_all(ctx: Ctx, folder: Path) -> None:
    a = ctx.demo
    write_notebook(folder, a.name, a.notebook())
    save_answers(folder, a.exercise, {item: list(TYPES) for item in a.key})


def _extra_ids(ctx: Ctx, folder: Path) -> None:
    a = ctx.demo
    write_notebook(folder, a.name, a.notebook())
    answers = dict(a.right)
    answers.update({f"bonus-{i}": ["self_service"] for i in range(5)})
    text = answer_file({
        a.exercise: entry(answers),
        f"{a.exercise}-bonus": entry({"x": ["self_service"]}),
        "tm-quiz": entry({"tm-bank": ["dedicated_personal_assistance"]}),
        "spectrum-extra": entry(["self_service", "communities"], kind="spectrum"),
    })
    (folder / ANSWERS_FILENAME).write_text(text, encoding="utf-8")


def _html_injection(ctx: Ctx, folder: Path) -> None:
    a = ctx.demo
    write_notebook(folder, a.name, a.notebook())
    evil = "<script>alert('tampered')</script>"
    text = answer_file({a.exercise: entry({item: [evil] for item in a.key})})
    (folder / ANSWERS_FILENAME).write_text(text, encoding="utf-8")


def _symlink_answers(ctx: Ctx, folder: Path) -> None:
    write_notebook(folder, DEMO, ctx.demo.notebook())
    os.symlink(f"../../ada/{DEMO}/{ANSWERS_FILENAME}", folder / ANSWERS_FILENAME)


def _symlink_notebook(ctx: Ctx, folder: Path) -> None:
    folder.mkdir(parents=True)
    os.symlink(ctx.folder("ada", DEMO) / f"{DEMO}.ipynb", folder / f"{DEMO}.ipynb")
    save_answers(folder, ctx.demo.exercise, ctx.demo.wrong)


def _symlink_folder(ctx: Ctx, folder: Path) -> None:
    folder.parent.mkdir(parents=True)
    os.symlink(ctx.folder("ada", DEMO), folder)


def _symlink_student(ctx: Ctx, folder: Path) -> None:
    os.symlink(ctx.course / "submitted" / "ada", folder.parent)


def _dev_zero(ctx: Ctx, folder: Path) -> None:
    write_notebook(folder, DEMO, ctx.demo.notebook())
    os.symlink("/dev/zero", folder / ANSWERS_FILENAME)
    os.symlink("/dev/zero", folder / "data.bin")


def _fifo(ctx: Ctx, folder: Path) -> None:
    write_notebook(folder, DEMO, ctx.demo.notebook())
    os.mkfifo(folder / ANSWERS_FILENAME)


def _big_answers(size: int) -> Callable[[Ctx, Path], None]:
    def build(ctx: Ctx, folder: Path) -> None:
        a = ctx.demo
        write_notebook(folder, a.name, a.notebook())
        exercises = {a.exercise: entry(a.right), "padding": entry({"p": ["x" * size]})}
        (folder / ANSWERS_FILENAME).write_text(answer_file(exercises), encoding="utf-8")
    return build


def _big_notebook(ctx: Ctx, folder: Path) -> None:
    a = ctx.demo
    nb = a.notebook()
    cell = code_cell("print('x' * 50_000_000)")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="x" * 50_000_000)]
    nb.cells.append(cell)
    write_notebook(folder, a.name, nb)
    save_answers(folder, a.exercise, a.right)


def _broken_json(ctx: Ctx, folder: Path) -> None:
    a = ctx.demo
    text = nbformat.writes(a.notebook())
    folder.mkdir(parents=True)
    (folder / f"{a.name}.ipynb").write_text(text[: len(text) // 2], encoding="utf-8")
    save_answers(folder, a.exercise, a.right)


def _deep_json(ctx: Ctx, folder: Path) -> None:
    """Valid JSON that the parser takes but that nbformat cannot read (it recurses): 700
    mappings inside each other in a cell's metadata (5 KB)."""
    a = ctx.demo
    nb = json.loads(nbformat.writes(a.notebook()))
    deep: dict[str, Any] = {}
    for _ in range(700):
        deep = {"a": deep}
    nb["cells"][0]["metadata"]["deep"] = deep
    folder.mkdir(parents=True)
    (folder / f"{a.name}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    save_answers(folder, a.exercise, a.right)


def _many_files(ctx: Ctx, folder: Path) -> None:
    demo_plain("right")(ctx, folder)
    for number in range(500):
        (folder / f"notes-{number:03d}.txt").write_text("x", encoding="utf-8")


def _hardlink(ctx: Ctx, folder: Path) -> None:
    write_notebook(folder, DEMO, ctx.demo.notebook())
    os.link(ctx.folder("ada", DEMO) / ANSWERS_FILENAME, folder / ANSWERS_FILENAME)


def _markdown_script(a: Assignment, nb: Any) -> Any:
    nb.cells.append(nbformat.v4.new_markdown_cell(
        '<script>alert("xss-canary")</script>\n\n<img src="x" onerror="alert(\'xss\')">'))
    return nb


def _empty_folder(ctx: Ctx, folder: Path) -> None:
    folder.mkdir(parents=True)


def _all_cells_deleted(a: Assignment, nb: Any) -> Any:
    nb.cells = []
    return nb


def _renamed(ctx: Ctx, folder: Path) -> None:
    """As an LMS download names a second copy: 'demo-classify (1).ipynb'."""
    a = ctx.demo
    write_notebook(folder, f"{a.name} (1)", a.notebook())
    save_answers(folder, a.exercise, a.right)


def _answers_only(ctx: Ctx, folder: Path) -> None:
    save_answers(folder, ctx.demo.exercise, ctx.demo.right)


# item ids and a markdown cell holding lone surrogates and NUL (JSON escapes, as a hand-edited
# or generated file can have them): storable nowhere as UTF-8 unless escaped
ODD_TEXT = r"odd\ud800id\u0000\udcff"


def _odd_code_points(ctx: Ctx, folder: Path) -> None:
    a = ctx.demo
    nb = a.notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("ODD_TEXT"))
    folder.mkdir(parents=True)
    (folder / f"{a.name}.ipynb").write_text(
        nbformat.writes(nb).replace('"ODD_TEXT"', f'"{ODD_TEXT}"'), encoding="utf-8")
    save_answers(folder, a.exercise, a.right)
    path = folder / ANSWERS_FILENAME
    text = path.read_text(encoding="utf-8")
    odd = f'"{ODD_TEXT}": ["self_service"], "\\udcff\\u0000": ["communities"], '
    path.write_text(text.replace('"answer": {', '"answer": {' + odd, 1), encoding="utf-8")


# -- tamper-mixed kinds (the notebook runs in the sandbox) -----------------------------------
def mixed(quiz: str | None, code: str, cell: str = "", *, above: str | None = None,
          after: str | None = None, change: Callable[[Assignment, Any], Any] | None = None,
          files: dict[str, str] | None = None) -> Callable[[Ctx, Path], None]:
    """A tamper-mixed submission: quiz answers, the code answer, an extra cell, extra files.

    ``cell`` may say {course}, {submitted}, {package}: absolute paths an attacker could guess.
    """
    def build(ctx: Ctx, folder: Path) -> None:
        import canvastools

        a = ctx.mixed
        nb = a.notebook()
        if cell:
            text = (cell.replace("{submitted}", str(ctx.course / "submitted"))
                    .replace("{course}", str(ctx.course))
                    .replace("{package}", str(Path(canvastools.__file__).parent)))
            new = code_cell(text)
            if above:
                nb.cells.insert(a.index(nb, above), new)
            elif after:
                nb.cells.insert(a.index(nb, after) + 1, new)
            else:
                nb.cells.append(new)
        set_solution(a, nb, code)
        if change is not None:
            nb = change(a, nb)
        write_notebook(folder, a.name, nb)
        if quiz is not None:
            save_answers(folder, a.exercise, getattr(a, quiz))
        for relative, content in (files or {}).items():
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
    return build


SHADOW_FILES = {
    "canvastools/__init__.py": "from .grading import *\n",
    "canvastools/grading/__init__.py": "def grade_classification(*a, **k):\n    return 3.0\n",
    "canvastools/grading/declarations.py": "def grade_classification(*a, **k):\n"
                                           "    return 3.0\n",
    "evil.pth": "import os; os.environ['PWNED'] = '1'\n",
    "sitecustomize.py": "import builtins; builtins.round = lambda *a, **k: 3.0\n",
    "usercustomize.py": "import builtins; builtins.round = lambda *a, **k: 3.0\n",
    "loyalty.py": "def loyalty_points(amount):\n    return int(amount // 10)\n",
}
SHADOW_IMPORT = """
import os, sys
assert 'PWNED' not in os.environ
from loyalty import loyalty_points  # only works if loyalty.py was shipped into grading
"""

DISPLAY_HOOKS = """
import sys
ip = get_ipython()
ip.set_custom_exc((AssertionError,), lambda *args, **kwargs: None)  # errors swallowed
ip.display_formatter.formatters["text/plain"].for_type(float, lambda v, p, c: p.text("nan"))
ip.display_formatter.formatters["text/plain"].for_type(int, lambda v, p, c: p.text("3"))
ip.ast_node_interactivity = "all"
sys.displayhook = lambda value: print("3.0")
"""

PRE_RUN_SCORE = """
ip = get_ipython()
def claim_points(info):
    if "loyalty_points(25)" in info.raw_cell:
        ip.displayhook(2.0)  # an execute_result before the test's error
ip.events.register("pre_run_cell", claim_points)
"""

INPUT_TRANSFORMER = """
ip = get_ipython()
def skip_tests(lines):
    if any("loyalty_points(25)" in line for line in lines):
        return ["pass\\n"]
    return lines
ip.input_transformers_cleanup.append(skip_tests)
"""

PRINT_KEY = """
import base64, glob, json, os
found = {"In": list(In), "globals": sorted(globals())}
for pattern in ("../../../gradebook.db", "../../../source/*/*.ipynb", "{course}/gradebook.db",
                "{course}/source/*/*.ipynb", "{course}/autograded/*/*/*.ipynb",
                "{course}/canvastools-grading/*/*.json", "/proc/1/cmdline", "/proc/*/environ",
                "/tmp/*", "/tmp/*/*"):
    for path in glob.glob(pattern)[:20]:
        try:
            with open(path, "rb") as handle:
                found[path] = base64.b64encode(handle.read(300_000)).decode()
        except OSError as exc:
            found[path] = repr(exc)
print(base64.b64encode(json.dumps(found).encode()).decode())
"""

COPY_CLASSMATE = """
import shutil
for source in ("../../../submitted/hm-right/tamper-mixed/canvastools_answers.json",
               "{submitted}/hm-right/tamper-mixed/canvastools_answers.json"):
    try:
        shutil.copy(source, "canvastools_answers.json")
        print("copied", source)
    except OSError as exc:
        print("no:", exc)
"""

REWRITE_OUTSIDE = """
import glob, os, canvastools
targets = ["../../../submitted/hm-right/tamper-mixed/canvastools_answers.json",
           "{submitted}/hm-right/tamper-mixed/canvastools_answers.json",
           "{submitted}/ada/demo-classify/canvastools_answers.json",
           "{course}/gradebook.db", "{course}/nbgrader_config.py",
           "{course}/source/tamper-mixed/tamper-mixed.ipynb",
           "{course}/release/tamper-mixed/tamper-mixed.ipynb",
           "{package}/grading/__init__.py", "{package}/grading/declarations.py",
           "{package}/grading/rules.py", "{package}/grader/steps/score.py",
           os.path.join(os.path.dirname(canvastools.__file__), "grading", "declarations.py")]
targets += glob.glob("{submitted}/*/*/canvastools_answers.json")
for path in targets:
    try:
        with open(path, "w") as handle:
            handle.write("tampered")
        print("WROTE", path)
    except OSError as exc:
        print("no:", type(exc).__name__)
for path in ("{course}/sneaky.txt", "{package}/sneaky.py"):
    try:
        open(path, "x").close()
        print("CREATED", path)
    except OSError as exc:
        print("no:", type(exc).__name__)
"""

DETACHED = """
import ctypes, os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        ctypes.CDLL(None).prctl(15, b"{name}", 0, 0, 0)  # PR_SET_NAME
        os.closerange(0, 256)
        for _ in range(60):  # 30 s: long after grading would have ended
            for path in ("{course}/gradebook.db", "{submitted}/hm-right/tamper-mixed/"
                         "canvastools_answers.json", "{course}/source/tamper-mixed/x.txt"):
                try:
                    with open(path, "a") as handle:
                        handle.write("tampered later")
                except OSError:
                    pass
            time.sleep(0.5)
        os._exit(0)
    os._exit(0)
os.wait()
print("detached")
"""

SIGNALS = """
import os, signal
for target, sig in ((os.getppid(), signal.SIGTERM), (os.getppid(), signal.SIGKILL),
                    (1, signal.SIGKILL), (0, signal.SIGHUP), (-1, signal.SIGKILL)):
    try:
        os.kill(target, sig)
    except OSError as exc:
        print(target, sig, exc)
os.kill(os.getpid(), signal.SIGKILL)
"""

UNSTOPPABLE_LOOP = """
import signal
signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    pass
"""

FORK_BOMB = """
import os
try:
    hog = bytearray(3 * 1024**3)  # over the sandbox's memory (1 GiB)
except MemoryError:
    print("no memory")
if os.fork() == 0:  # a chain of processes, each forks once then sleeps (bounded: 1000)
    for _ in range(1000):
        try:
            if os.fork() != 0:
                break
        except OSError:
            break
    try:
        os.execv("/bin/sleep", ["sleep", "{sleep}"])
    finally:
        os._exit(0)
print("bombed")
"""

DISPLAY_UPDATE_40MB = """
from IPython.display import display, update_display
display({'text/plain': 'waiting'}, raw=True, display_id='d')
update_display({'text/plain': 'x',
                'text/html': '<script>window.__pwned=1</script>' + 'x' * 40_000_000},
               raw=True, display_id='d')
"""
BIG_OUTPUT = """
import sys
line = "x" * 1_000_000
for _ in range(100):  # 100 MB
    sys.stdout.write(line)
    sys.stdout.flush()
"""

DIE_IN_TEST = "def loyalty_points(amount):\n    import os\n    os._exit(1)"

def _drop(nb: Any, gid: str) -> Any:
    nb.cells = [c for c in nb.cells if grade_id(c) != gid]
    return nb


def _fake_scored(a: Assignment, nb: Any) -> Any:
    for gid in ("tm-code", "tm-code-test"):
        nb.cells[a.index(nb, gid)].metadata["canvastools"] = {"scored": True}
    return nb


KINDS: list[Kind] = [
    # -- honest, demo-classify (quickstart's own students first) --
    # (a-hardlink submits ada's very answer file: both are flagged, as neither can be told
    # from the other)
    Kind("ada", DEMO, 8.0, "quickstart demo student: all right", answers="right", honest=True,
         flags=("identical-answers",)),
    Kind("ben", DEMO, 4.0, "quickstart demo student: half right", answers="quickstart",
         honest=True),
    # 4 of the 8 demo cases have an accepted alternative (0.5 each), the other 4 are right
    Kind("cleo", DEMO, 6.0, "quickstart demo student: accepted alternatives",
         answers="quickstart", honest=True),
    Kind("dev", DEMO, 0.0, "quickstart demo student: no answer file", answers=None,
         honest=True),
    Kind("h-all-wrong", DEMO, 0.0, "every item wrong", demo_plain("wrong"), honest=True),
    Kind("h-half", DEMO, 4.0, "half the items right", demo_plain("half"), answers="half",
         honest=True),
    Kind("h-deleted-cells", DEMO, 8.0, "quiz and test cells deleted, answers right",
         demo_plain("right", _deleted), answers="right", flags=("cell-restored",),
         honest=True),
    Kind("h-reordered", DEMO, 8.0, "test cell moved above the quiz", demo_plain(
        "right", _reordered), answers="right", honest=True),
    Kind("h-duplicated", DEMO, 8.0, "quiz and test cells copy-pasted", demo_plain(
        "right", _duplicated), answers="right", flags=("cell-duplicated",), honest=True),
    Kind("h-twin-a", DEMO, 4.0, "answer file identical to h-twin-b's", _twins,
         answers="half", flags=("identical-answers",), honest=True),
    Kind("h-twin-b", DEMO, 4.0, "answer file identical to h-twin-a's", _twins,
         answers="half", flags=("identical-answers",), honest=True),
    Kind("h-all-cells-deleted", DEMO, 8.0, "every cell deleted, answers right",
         demo_plain("right", _all_cells_deleted), answers="right", flags=("cell-restored",),
         honest=True),
    Kind("h-renamed", DEMO, 8.0, "notebook renamed 'demo-classify (1).ipynb' (an LMS "
         "download), answers right", _renamed, answers="right",
         flags=("notebook-renamed",), honest=True, changes_own=True),
    Kind("h-answers-only", DEMO, 8.0, "the answer file alone, no notebook", _answers_only,
         answers="right", flags=("notebook-refused", "cell-restored"), honest=True,
         nbgrader_sees=False),
    Kind("h-odd-code-points", DEMO, 8.0, "extra item ids and a markdown cell with lone "
         "surrogates and NUL, answers right", _odd_code_points, answers="right", honest=True),
    Kind("h-other-taxonomy", DEMO, 7.0, "answers saved with the strategyzer taxonomy, one of "
         "them a type bmg2010 lacks", _other_taxonomy, answers="right", honest=True),
    # -- attacks, demo-classify --
    Kind("a-monkeypatch", DEMO, 0.0, "cell above the quiz replaces the grading functions, "
         "sys.modules, builtins.__import__, json.loads, round",
         demo_plain("wrong", lambda a, nb: with_code(a, MONKEYPATCH, above="demo-quiz"))),
    Kind("a-test-edited", DEMO, 0.0, "test cell replaced by '8.0'",
         demo_plain("wrong", _edit_test("8.0")), flags=("locked-cell-edited",)),
    Kind("a-quiz-edited", DEMO, 8.0, "locked widget cell edited (practice mode)",
         demo_plain("right", _edit_quiz), answers="right", flags=("locked-cell-edited",)),
    Kind("a-fake-grade-id", DEMO, 0.0, "a new cell claims grade id 'bonus-points' worth 100",
         demo_plain("wrong", _fake_grade_cell), flags=("unknown-cell",)),
    Kind("a-points-raised", DEMO, 4.0, "test cell metadata: points 8 -> 100",
         demo_plain("half", _test_meta(points=100.0)), answers="half",
         flags=("locked-cell-edited",)),
    Kind("a-grade-off", DEMO, 8.0, "test cell metadata: grade false",
         demo_plain("right", _test_meta(grade=False)), answers="right",
         flags=("locked-cell-edited",)),
    Kind("a-solution-on", DEMO, 8.0, "test cell metadata: solution true",
         demo_plain("right", _test_meta(solution=True)), answers="right",
         flags=("locked-cell-edited",)),
    Kind("a-meta-empty", DEMO, 8.0, "a cell of its own with empty nbgrader metadata "
         "(an old schema version for nbgrader, which reads it as an ordinary cell)",
         demo_plain("right", _empty_nbgrader_cell), answers="right"),
    Kind("a-meta-schema-99", DEMO, 8.0, "test cell metadata: schema_version 99",
         demo_plain("right", _test_meta(schema_version=99)), answers="right",
         flags=("locked-cell-edited",)),
    Kind("a-meta-bad-points", DEMO, 8.0, "test cell metadata: points 'lots'",
         demo_plain("right", _test_meta(points="lots")), answers="right",
         flags=("locked-cell-edited",)),
    Kind("a-forged-outputs", DEMO, 0.0, "test cell with an output '8.0' and forged "
         "canvastools metadata (cell and notebook)", demo_plain("wrong", _forged_outputs)),
    Kind("a-select-all", DEMO, 0.0, "every type ticked for every item", _select_all,
         answers="all"),
    Kind("a-extra-ids", DEMO, 8.0, "hand-edited answer file: extra items and exercises",
         _extra_ids, answers="right"),
    Kind("a-html-injection", DEMO, 0.0, "answers are <script> tags", _html_injection,
         answers=None, forbidden=("<script>alert",)),
    Kind("a-symlink-answers", DEMO, 0.0, "answer file is a symlink to ada's",
         _symlink_answers, answers=None, flags=("symlink-refused",), changes_own=True),
    Kind("a-symlink-notebook", DEMO, 0.0, "notebook is a symlink to ada's", _symlink_notebook,
         flags=("symlink-refused",), changes_own=True),
    Kind("a-symlink-folder", DEMO, 0.0, "submission folder is a symlink to ada's",
         _symlink_folder, answers=None, flags=("folder-refused",), changes_own=True),
    Kind("a-symlink-student", DEMO, 0.0, "student folder is a symlink to ada's",
         _symlink_student, answers=None, flags=("folder-refused",), changes_own=True),
    Kind("a-dev-zero", DEMO, 0.0, "answer file and data.bin are symlinks to /dev/zero",
         _dev_zero, answers=None, flags=("symlink-refused",), changes_own=True),
    Kind("a-fifo", DEMO, 0.0, "answer file is a FIFO", _fifo, answers=None,
         flags=("special-file-refused",), changes_own=True),
    Kind("a-answers-50mb", DEMO, 0.0, "a 50 MB answer file", _big_answers(50_000_000),
         answers=None, flags=("file-too-large",), changes_own=True),
    Kind("a-answers-2mb", DEMO, 0.0, "a 2 MB answer file (over the answers cap)",
         _big_answers(2_000_000), answers=None, flags=("answers-too-large",)),
    Kind("a-notebook-50mb", DEMO, 8.0, "a 50 MB notebook, answers right", _big_notebook,
         answers="right", flags=("notebook-refused",), changes_own=True),
    Kind("a-broken-json", DEMO, 8.0, "notebook cut in half (not JSON), answers right",
         _broken_json, answers="right", flags=("notebook-refused",), changes_own=True),
    Kind("a-deep-json", DEMO, 8.0, "notebook holding JSON nested 700 deep (canvastools "
         "autograde once failed the student: RecursionError), answers right", _deep_json,
         answers="right", flags=("notebook-refused",), changes_own=True),
    Kind("a-many-files", DEMO, 8.0, "500 stray files next to the notebook, answers right",
         _many_files, answers="right", flags=("file-left-out",)),
    Kind("a-hardlink", DEMO, 8.0, "answer file is a hard link to ada's (a byte copy: graded "
         "as submitted, flagged)", _hardlink, answers="right", flags=("identical-answers",)),
    Kind("a-markdown-script", DEMO, 0.0, "a markdown cell with <script> and an onerror "
         "handler (would run in the instructor's browser in formgrader)",
         demo_plain("wrong", _markdown_script),
         forbidden=('<script>alert("xss-canary")', '<img src="x" onerror')),
    # -- honest, tamper-mixed (the notebook runs, sandboxed) --
    Kind("hm-right", MIXED, 5.0, "quiz right, code right", mixed("right", RIGHT_CODE),
         answers="right", honest=True),
    Kind("hm-wrong", MIXED, 0.0, "quiz wrong, code wrong", mixed("wrong", WRONG_CODE),
         honest=True),
    Kind("am-monkeypatch", MIXED, 2.0, "cell above the quiz replaces grading functions, "
         "SCORERS, sys.modules['canvastools.grading'], round", mixed(
             "wrong", RIGHT_CODE, MONKEYPATCH_KERNEL, above="tm-quiz")),
    Kind("hm-tests-deleted", MIXED, 5.0, "deleted its three graded cells (quiz test, written "
         "answer, code test), quiz and code right", mixed(
             "right", RIGHT_CODE, change=lambda a, nb: _drop(_drop(_drop(
                 nb, "tm-quiz-test"), "tm-explain"), "tm-code-test")),
         answers="right", flags=("cell-restored",), honest=True),
    Kind("am-deleted-answer-cell", MIXED, 5.0, "deleted the manually graded written answer",
         mixed("right", RIGHT_CODE, change=lambda a, nb: _drop(nb, "tm-explain")),
         answers="right", flags=("cell-restored",)),
    Kind("am-shadow-files", MIXED, 0.0, "ships canvastools/, a .pth, sitecustomize, "
         "usercustomize and the answer as loyalty.py (imported by its code cell)",
         mixed("wrong", SHADOW_IMPORT, files=SHADOW_FILES),
         flags=("code-file-left-out",)),
    Kind("am-display-hooks", MIXED, 0.0, "display formatters, ast_node_interactivity, "
         "sys.displayhook replaced, a custom handler swallows AssertionError",
         mixed("wrong", WRONG_CODE, DISPLAY_HOOKS, above="tm-quiz")),
    Kind("am-pre-run-score", MIXED, 0.0, "a pre_run_cell hook emits 2.0 as the test cell's "
         "result before its assertion fails", mixed("wrong", WRONG_CODE, PRE_RUN_SCORE,
                                                    above="tm-quiz")),
    # the documented limit (docs/grading-security.md): a plain-Python test runs in the student's
    # kernel, as in nbgrader, so the student's code can defeat it (here: its 2 points); the
    # canvastools quiz of the same notebook is still graded from the answers (0, all wrong)
    Kind("am-input-transformer", MIXED, 2.0, "an input transformer turns the test cell into "
         "'pass'", mixed("wrong", WRONG_CODE, INPUT_TRANSFORMER, above="tm-quiz")),
    Kind("am-fake-scored", MIXED, 0.0, "the plain test and code cells claim "
         "canvastools.scored metadata (so they would be skipped)",
         mixed("wrong", WRONG_CODE, change=_fake_scored)),
    Kind("am-print-key", MIXED, 2.0, "prints In[], globals, gradebook.db, source/, "
         "autograded/, records, /proc and /tmp, base64-encoded, after the tests",
         mixed("wrong", RIGHT_CODE, PRINT_KEY)),
    Kind("am-copy-classmate", MIXED, 2.0, "copies hm-right's answer file over its own from "
         "../../../submitted/ and by absolute path", mixed("wrong", RIGHT_CODE,
                                                           COPY_CLASSMATE, above="tm-quiz")),
    Kind("am-rewrite-outside", MIXED, 2.0, "writes classmates' answer files, gradebook.db, "
         "nbgrader_config.py, source/, release/ and the installed canvastools/grading/ files",
         mixed("wrong", RIGHT_CODE, REWRITE_OUTSIDE, above="tm-quiz")),
    Kind("am-detached", MIXED, 5.0, "double fork + setsid: a process that edits gradebook.db "
         "for 30 s after grading", mixed("right", RIGHT_CODE, DETACHED.replace(
             "{name}", DETACHED_NAME), above="tm-quiz"), answers="right"),
    Kind("am-signals", MIXED, 3.0, "SIGTERM/SIGKILL to its parent, to 1, kill(0), kill -1, "
         "then kills its own kernel before the test (test not run: 0)",
         mixed("right", RIGHT_CODE, SIGNALS, above="tm-code-test"), answers="right",
         flags=("kernel-failed",)),
    Kind("am-unstoppable-loop", MIXED, 3.0, "SIGINT ignored, then an infinite loop before "
         "the test (killed at the run's time limit; test not run: 0)",
         mixed("right", RIGHT_CODE, UNSTOPPABLE_LOOP, above="tm-code-test"), answers="right",
         flags=("kernel-failed",)),
    Kind("am-fork-bomb", MIXED, 5.0, "allocates 3 GB, then a bounded fork bomb (a chain of "
         "up to 1000 sleeping processes)",
         mixed("right", RIGHT_CODE, FORK_BOMB.replace("{sleep}", BOMB_SLEEP),
               after="tm-quiz-test"),
         answers="right"),
    Kind("am-output-100mb", MIXED, 3.0, "prints 100 MB before a failing test",
         mixed("right", WRONG_CODE, BIG_OUTPUT, above="tm-quiz"), answers="right",
         flags=("output-capped",)),
    Kind("am-display-update-40mb", MIXED, 5.0, "a 40 MB display update with a <script> "
         "(nbclient writes display updates past the per-message output filter)",
         mixed("right", RIGHT_CODE, DISPLAY_UPDATE_40MB, after="tm-code"), answers="right",
         flags=("output-capped",), forbidden=("<script>window.__pwned",)),
    Kind("am-die-in-test", MIXED, 3.0, "its function kills the kernel while the test runs",
         mixed("right", DIE_IN_TEST), answers="right", flags=("kernel-failed",)),
]


def build_all(ctx: Ctx) -> None:
    for kind in KINDS:
        if kind.build is not None:
            kind.build(ctx, ctx.folder(kind.name, kind.assignment))


def expected_answers(ctx: Ctx, kind: Kind) -> dict[str, set[str]]:
    """What the grader must read as the student's answers (for the leak check)."""
    a = ctx.demo if kind.assignment == DEMO else ctx.mixed
    if kind.answers is None:
        return {}
    if kind.answers == "quickstart":
        store = AnswerStore(str(ctx.folder(kind.name, kind.assignment))).read()
        return {k: set(v) for k, v in store.exercises[a.exercise]["answer"].items()}
    if kind.answers == "all":
        return {item: set(TYPES) for item in a.key}
    return {k: set(v) for k, v in getattr(a, kind.answers).items()}

