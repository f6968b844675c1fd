"""A class of generated students for the report tests, graded with the real nbgrader.

The course comes from ``canvastools quickstart DIR``; two source assignments are added:

- ``class-six`` (the book's six types, widgets in Italian): 8 cases to classify (two with two
  key types, three with an accepted alternative), 4 practices to match to motivations (one
  with two), and the spectrum order (2 points). 40 students in the gradebook: 31 who answer
  at random around per-item difficulties, one who answered nothing, one whose answer file is
  broken, two with byte-identical answer files, one who edited a read-only cell and added a
  ``.py`` file, one whose grading record is deleted after grading (the report must rescore
  the answer file), one who submits after autograding (not graded) and two who never submit.
- ``class-eight`` (Strategyzer's eight types, widgets in Russian): 8 cases, one per type,
  16 students answering at random.

Everything the tests expect is computed here from the generated answers, with plain set
arithmetic, never from what canvastools writes.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

CLI = [sys.executable, "-m", "canvastools.cli"]
SIX, EIGHT = "class-six", "class-eight"

BMG = ["dedicated_personal_assistance", "personal_assistance", "co_creation", "communities",
       "self_service", "automated_services"]
STRATEGYZER = BMG + ["transactional", "long_term"]
MOTIVATIONS = ["acquisition", "retention", "boosting_sales"]

# id: (company, key types, accepted, chance of right, types chosen when wrong)
SIX_CASES = {
    "branch-adviser": ("Banca di quartiere", ["personal_assistance"], [], 0.85,
                       ["dedicated_personal_assistance", "self_service"]),
    "private-banker": ("Private banker", ["dedicated_personal_assistance"],
                       ["personal_assistance"], 0.6, ["communities"]),
    "flat-pack": ("Mobili in kit", ["self_service"], [], 0.9, ["automated_services"]),
    "streaming-picks": ("Streaming video", ["automated_services"], ["self_service"], 0.5,
                        ["co_creation", "communities"]),
    "owners-forum": ("Forum dei clienti", ["communities"], [], 0.75,
                     ["co_creation", "personal_assistance"]),
    "design-contest": ("Concorso di design", ["co_creation"], ["communities"], 0.45,
                       ["self_service"]),
    "ideas-platform": ("Piattaforma di idee", ["co_creation", "communities"], [], 0.4,
                       ["automated_services", "self_service"]),
    "running-app": ("App per la corsa", ["automated_services", "communities"], [], 0.35,
                    ["self_service", "co_creation"]),
}
SIX_ROWS = {
    "welcome-bonus": ("Un bonus di benvenuto", ["acquisition"], [], 0.8),
    "loyalty-card": ("Una carta fedeltà", ["retention"], ["boosting_sales"], 0.55),
    "bought-together": ("Spesso comprati insieme", ["boosting_sales"], [], 0.7),
    "upgrade-offer": ("Un'offerta ai clienti fedeli", ["retention", "boosting_sales"], [], 0.3),
}
SPECTRUM_KEY = ["dedicated_personal_assistance", "personal_assistance",
                ["co_creation", "communities"], "self_service", "automated_services"]
SPECTRUM_POINTS = 2.0
EIGHT_CASES = {
    f"case-{t.replace('_', '-')}": (f"Azienda {i + 1}", [t], [], 0.3 + 0.08 * i,
                                    [STRATEGYZER[(i + 1) % 8], STRATEGYZER[(i + 3) % 8]])
    for i, t in enumerate(STRATEGYZER)
}
# class-six's learning objectives (the course's objectives.yaml); class-eight has none
OBJECTIVES = """\
class-six:
  - objective: distinguishes the six types
    items: [cases]
  - objective: links a relationship to its motivation
    items: [motives]
  - objective: recognises a relationship that mixes two types
    items: [cases/ideas-platform, cases/running-app]
"""
SIX_MAX = len(SIX_CASES) + len(SIX_ROWS) + SPECTRUM_POINTS
EIGHT_MAX = float(len(EIGHT_CASES))


@dataclass
class GeneratedClass:
    course: Path
    # assignment -> student -> {exercise id: answer as given} (None: no answer file at all)
    answers: dict[str, dict[str, dict | None]]
    graded: dict[str, list[str]]        # assignment -> graded students
    late: dict[str, list[str]]          # submitted after autograding
    roster: list[str]                   # every student in the gradebook
    flags: dict[str, set[tuple[str, str]]] = field(default_factory=dict)  # (student, code)
    no_record: list[str] = field(default_factory=list)


# -- the assignments --------------------------------------------------------------------------
def _cell(kind: str, source: str, grade_id: str, **flags) -> nbformat.NotebookNode:
    meta = {"nbgrader": {"grade": False, "solution": False, "locked": True, "task": False,
                         "grade_id": grade_id, "schema_version": 3, **flags}}
    make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
    return make(source.strip(), metadata=meta)


def _items(cases: dict) -> list[dict]:
    return [{"id": cid, "company": c[0], "description": f"What {c[0]} does.",
             "multi": len(c[1]) > 1} for cid, c in cases.items()]


def _key(cases: dict) -> tuple[dict, dict]:
    key = {cid: c[1] if len(c[1]) > 1 else c[1][0] for cid, c in cases.items()}
    return key, {cid: c[2] for cid, c in cases.items() if c[2]}


def _hidden_test(function: str, call: str, grade_id: str, points: float):
    """A test cell declaring ``function(call)`` in hidden tests, worth ``points``."""
    return _cell("code", f"from canvastools.grading import {function}\n"
                 f"### BEGIN HIDDEN TESTS\n{function}({call})\n### END HIDDEN TESTS",
                 grade_id, grade=True, points=float(points))


def _widget(grade_id: str, widget: str, name: str, call: str, data: str = "") -> Any:
    """A read-only widget cell: ``name = widget(call)`` (after ``data``, e.g. the items)."""
    return _cell("code", f"from canvastools import {widget}\n\n{data}"
                 f"{name} = {widget}({call})\n{name}", grade_id)


def source_notebook(assignment: str) -> nbformat.NotebookNode:
    if assignment == SIX:
        key, accepted = _key(SIX_CASES)
        rows = [{"id": rid, "label": r[0]} for rid, r in SIX_ROWS.items()]
        mkey = {rid: r[1] for rid, r in SIX_ROWS.items()}
        macc = {rid: r[2] for rid, r in SIX_ROWS.items() if r[2]}
        cells = [
            _cell("markdown", "# Relazioni con i clienti\n\nClassifica i casi.", "intro"),
            _widget("quiz", "ClassifyCases", "quiz", '"cases", CASES, mode="graded", '
                    'taxonomy="bmg2010", lang="it"', f"CASES = {_items(SIX_CASES)!r}\n\n"),
            _hidden_test("grade_classification",
                         f'"cases", {key!r}, {accepted!r}, taxonomy="bmg2010"', "quiz-test",
                         len(SIX_CASES)),
            _widget("motives", "MotivationMatrix", "motives",
                    '"motives", ROWS, mode="graded", lang="it"', f"ROWS = {rows!r}\n\n"),
            _hidden_test("grade_motivations", f'"motives", {mkey!r}, {macc!r}',
                         "motives-test", len(SIX_ROWS)),
            _widget("spectrum", "SpectrumOrder", "spectrum",
                    '"order", mode="graded", taxonomy="bmg2010", lang="it"'),
            _hidden_test("grade_order", f'"order", {SPECTRUM_KEY!r}, taxonomy="bmg2010", '
                         f"points={SPECTRUM_POINTS}", "spectrum-test", SPECTRUM_POINTS),
        ]
    else:
        key, _ = _key(EIGHT_CASES)
        cells = [
            _cell("markdown", "# Отношения с клиентами", "intro"),
            _widget("quiz", "ClassifyCases", "quiz", '"cases8", CASES, mode="graded", '
                    'taxonomy="strategyzer", lang="ru"',
                    f"CASES = {_items(EIGHT_CASES)!r}\n\n"),
            _hidden_test("grade_classification", f'"cases8", {key!r}, taxonomy="strategyzer"',
                         "quiz-test", len(EIGHT_CASES)),
        ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


# -- the students' answers ---------------------------------------------------------------------
def _choose(rng: random.Random, case: tuple, pool: list[str]) -> list[str]:
    """One student's answer to one item: right, accepted, some of the key, wrong or none."""
    _, key, accepted, p_right, confusable = case
    roll = rng.random()
    if roll < p_right:
        return list(key)
    roll = rng.random()
    if roll < 0.12:
        return []
    if accepted and roll < 0.45:
        return [rng.choice(accepted)]
    if len(key) > 1 and roll < 0.6:
        return [rng.choice(key)]
    if len(key) > 1 and roll < 0.7:
        return [key[0], rng.choice(confusable)]
    if len(key) > 1 and roll < 0.8:
        return [*key, rng.choice(confusable)]
    return [rng.choice(confusable)]


def _order(rng: random.Random) -> list[str] | None:
    flat = [t for g in SPECTRUM_KEY for t in ([g] if isinstance(g, str) else g)]
    roll = rng.random()
    if roll < 0.1:
        return None
    if roll < 0.45:
        return flat
    if roll < 0.75:
        i = rng.randrange(len(flat) - 1)
        flat[i], flat[i + 1] = flat[i + 1], flat[i]
        return flat
    if roll < 0.9:
        rng.shuffle(flat)
        return flat
    return list(reversed(flat))


def six_answers(rng: random.Random) -> dict:
    return {"cases": {cid: _choose(rng, c, BMG) for cid, c in SIX_CASES.items()},
            "motives": {rid: _choose(rng, (r[0], r[1], r[2], r[3],
                                           [m for m in MOTIVATIONS if m not in r[1]]),
                                     MOTIVATIONS) for rid, r in SIX_ROWS.items()},
            "order": _order(rng)}


def eight_answers(rng: random.Random) -> dict:
    return {"cases8": {cid: _choose(rng, c, STRATEGYZER) for cid, c in EIGHT_CASES.items()}}


def write_answers(folder: Path, assignment: str, answers: dict) -> None:
    """Answer through the widgets' Python API, in the submission folder, as a kernel would."""
    from canvastools.widgets import ClassifyCases, MotivationMatrix, SpectrumOrder

    if assignment == SIX:
        quiz = ClassifyCases("cases", _items(SIX_CASES), mode="graded", taxonomy="bmg2010",
                             lang="it", folder=str(folder))
        for cid, types in answers["cases"].items():
            if types:
                quiz.answer(cid, *types)
        motives = MotivationMatrix("motives", [{"id": r, "label": v[0]}
                                               for r, v in SIX_ROWS.items()],
                                   mode="graded", lang="it", folder=str(folder))
        for rid, ids in answers["motives"].items():
            if ids:
                motives.answer(rid, *ids)
        if answers["order"]:
            SpectrumOrder("order", mode="graded", taxonomy="bmg2010", lang="it",
                          folder=str(folder)).answer(*answers["order"])
    else:
        quiz = ClassifyCases("cases8", _items(EIGHT_CASES), mode="graded",
                             taxonomy="strategyzer", lang="ru", folder=str(folder))
        for cid, types in answers["cases8"].items():
            if types:
                quiz.answer(cid, *types)


# -- the course ----------------------------------------------------------------------------------
def env() -> dict[str, str]:
    """nbgrader runs ``alembic``, which must be on PATH (the venv's bin folder)."""
    found = dict(os.environ)
    found["PATH"] = str(Path(sys.executable).parent) + os.pathsep + found.get("PATH", "")
    found.pop("JUPYTER_CONFIG_DIR", None)
    return found


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    done = subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, timeout=600,
                          env=env())
    assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    return done


def nbgrader(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return run(sys.executable, "-m", "nbgrader", *args, cwd=cwd)


def _released(course: Path, assignment: str) -> nbformat.NotebookNode:
    return nbformat.read(course / "release" / assignment / f"{assignment}.ipynb", as_version=4)


def _submit(course: Path, student: str, assignment: str, answers: dict | None,
            nb: nbformat.NotebookNode | None = None) -> Path:
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb or _released(course, assignment), folder / f"{assignment}.ipynb")
    if answers is not None:
        write_answers(folder, assignment, answers)
    return folder


def build(base: Path) -> GeneratedClass:
    course = base / "course"
    run(*CLI, "quickstart", str(course), cwd=base)
    (course / "objectives.yaml").write_text(OBJECTIVES, encoding="utf-8")
    for assignment in (SIX, EIGHT):
        folder = course / "source" / assignment
        folder.mkdir(parents=True)
        nbformat.write(source_notebook(assignment), folder / f"{assignment}.ipynb")
        nbgrader("generate_assignment", assignment, "--force", cwd=course)

    rng = random.Random(20261201)
    normal = [f"s{n:02d}" for n in range(1, 32)]
    six: dict[str, dict | None] = {}
    for student in normal:
        six[student] = six_answers(rng)
    six["s32-empty"] = None
    six["s33-broken"] = six_answers(rng)
    six["s34-copy-a"] = six_answers(rng)
    six["s35-copy-b"] = six["s34-copy-a"]
    six["s36-edited"] = six_answers(rng)
    six["s37-no-record"] = six_answers(rng)
    given = [json.dumps(a, sort_keys=True) for s, a in six.items() if s not in (
        "s32-empty", "s35-copy-b")]
    assert len(set(given)) == len(given), "two generated students answered the same"
    for student, answers in six.items():
        folder = _submit(course, student, SIX, answers)
        if student == "s33-broken":
            path = folder / "canvastools_answers.json"
            text = path.read_text()
            path.write_text(text[: len(text) // 2])
        if student == "s36-edited":
            nb = _released(course, SIX)
            nb.cells[0].source += "\n\nI changed this."
            nbformat.write(nb, folder / f"{SIX}.ipynb")
            (folder / "helper.py").write_text("print('hi')\n")
    shutil.copyfile(course / "submitted" / "s34-copy-a" / SIX / "canvastools_answers.json",
                    course / "submitted" / "s35-copy-b" / SIX / "canvastools_answers.json")

    eight = {f"s{n:02d}": eight_answers(rng) for n in range(1, 17)}
    for student, answers in eight.items():
        _submit(course, student, EIGHT, answers)

    for student in ("s39-missing", "s40-missing"):
        nbgrader("db", "student", "add", student, cwd=course)
    nbgrader("autograde", SIX, "--force", cwd=course)
    nbgrader("autograde", EIGHT, "--force", cwd=course)
    (course / "canvastools-grading" / SIX / "s37-no-record.json").unlink()
    late = six_answers(rng)
    _submit(course, "s38-late", SIX, late)

    # the broken file holds no answer the grader can use
    graded_six = {s: (None if s in ("s32-empty", "s33-broken") else a) for s, a in six.items()}
    roster = sorted(set(six) | set(eight) | {"s39-missing", "s40-missing"})
    return GeneratedClass(
        course=course, answers={SIX: {**graded_six, "s38-late": late}, EIGHT: eight},
        graded={SIX: sorted(six), EIGHT: sorted(eight)},
        late={SIX: ["s38-late"], EIGHT: []}, roster=roster,
        flags={SIX: {("s33-broken", "answers-damaged"), ("s34-copy-a", "identical-answers"),
                     ("s35-copy-b", "identical-answers"), ("s36-edited", "locked-cell-edited"),
                     ("s36-edited", "code-file-left-out")},
               EIGHT: set()},
        no_record=["s37-no-record"])


_BUILT: dict[str, GeneratedClass] = {}


def graded_class(tmp_path_factory) -> GeneratedClass:
    """The class, built and graded once per test session."""
    if "class" not in _BUILT:
        _BUILT["class"] = build(tmp_path_factory.mktemp("report-class"))
    return _BUILT["class"]
