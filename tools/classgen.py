"""Generate a class of submissions for the grading tests and benchmarks, without kernels.

    python tools/classgen.py COURSE ASSIGNMENT N [--seed 0] [--manifest class.json]

    from classgen import generate_class
    manifest = generate_class(course, "classify-cases", 1000, seed=1)
    manifest["s0007"]   # {"profile": "partial", "answers": {"classify-cases": {...}}, "flag": None}

For each student, ``COURSE/submitted/<student>/<assignment>/`` gets the released notebook(s),
a ``timestamp.txt`` as ``nbgrader submit`` writes it, and (for most profiles) the answer file
``canvastools_answers.json`` written by the real :meth:`canvastools.answers.store.AnswerStore.save`,
with the exercise ids, kinds and taxonomies of the assignment's widgets. The widgets are read
from the released notebook's cells (``check_release.notebook_calls``: ``ClassifyCases``,
``ClassifyItems``, ``MotivationMatrix``, ``SpectrumOrder``, ``RelationshipDesigner``), the
keys from the hidden tests of the instructor's source notebook (``grading_calls``), so any
course works: the repository's (``solutions/`` -> ``exercises/``) or one made by
``canvastools quickstart`` (``source/`` -> ``release/``; when nothing is released yet, the
student version is made from the source as ``generate_assignment`` would).

Profiles (:data:`PROFILES`):

- ``correct``: every item answered with its key (a spectrum: the key's order; a design: one
  typed note per segment, enough different types);
- ``partial``: a seeded random share right, the rest wrong, partly right or unanswered;
- ``empty``: the notebook only, no answer file;
- ``broken``: an answer file cut in half (not JSON);
- ``symlink``: the answer file is a symbolic link to a classmate's (a ``correct`` one);
- ``code-file``: partial answers, plus a ``canvastools.py`` next to the notebook that replaces
  the grading helpers by ones giving 100 points (a kernel started there imports it first);
- ``huge-output``: partial answers, plus a notebook cell whose output is ``huge_output_bytes``;
- ``copied``: a byte-for-byte copy of a ``correct`` classmate's answer file.

Each answer file holds the student's own save times (a minute before the submission's
``timestamp.txt``, one second apart per student), as if the student had answered then: files
written by ``save`` in the same second would otherwise be byte-identical for all the students
with the same answers, which only a copied file is.

The manifest maps each student to ``{"profile", "answers", "flag"}``: ``answers`` is what the
student's own answer file holds, ``{exercise_id: answer}`` as the widgets store it (empty for
``empty``, ``broken`` and ``symlink``; a ``copied`` student's are the classmate's); ``flag``
is what a grader should report (None for the honest profiles ``correct``, ``partial``,
``empty``); ``symlink`` and ``copied`` students also have ``"target"``, the classmate whose
file they link to or copied. From ``answers`` and the keys a test computes the expected score
on its own. Same arguments and seed, same files (byte for byte) and manifest.
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

PROFILES = ("correct", "partial", "empty", "broken", "symlink", "code-file", "huge-output",
            "copied")
HONEST = ("correct", "partial", "empty")
FLAGS = {"broken": "broken", "symlink": "symlink", "code-file": "code-file",
         "huge-output": "huge-output", "copied": "identical-answers"}
NEEDS_CLASSMATE = ("symlink", "copied")  # made after the others, from a 'correct' classmate
#: the share of each profile among the students after the first ``len(PROFILES)`` (which get
#: one of each profile): tampered submissions are rare, one each per class by default
DEFAULT_MIX = {"correct": 0.45, "partial": 0.45, "empty": 0.05, "broken": 0.05}
RELEASE_DIRS = ("release", "exercises")
SOURCE_DIRS = ("source", "solutions")
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"  # nbgrader's default (CourseDirectory)
FIRST_SUBMISSION = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)

SHADOW_MODULE = '''"""Added by a student: a kernel started here imports it, not canvastools."""
import sys
import types

grading = types.ModuleType("canvastools.grading")
for name in ("grade_classification", "grade_motivations", "grade_order", "check_design"):
    setattr(grading, name, lambda *args, **kwargs: 100.0)
sys.modules["canvastools.grading"] = grading
'''


@dataclass
class Exercise:
    """One widget of an assignment, as a generator needs it.

    ``items``: the ids answered (cases, items, rows; a spectrum's types; a design's segments).
    ``choices``: the valid answer ids (relationship types, motivations, questions...).
    ``key``/``accepted``: ``{item: [ids]}`` from the hidden test (a spectrum: the key's order,
    ties in the key's order; a design: the segments to cover), or None when it is not graded.
    """

    exercise_id: str
    kind: str
    taxonomy: str | None
    items: list[str]
    choices: list[str]
    multi: set[str] = field(default_factory=set)
    key: Any = None
    accepted: dict[str, list[str]] = field(default_factory=dict)
    min_types: int = 2


def _check_release():
    return sys.modules.get("check_release") or importlib.import_module("check_release")


def _as_list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def _flat(order: Sequence[Any]) -> list[str]:
    return [t for entry in order for t in _as_list(entry)]


def _find(course: Path, assignment: str, dirs: Sequence[str]) -> Path | None:
    for name in dirs:
        folder = course / name / assignment
        if folder.is_dir() and any(folder.glob("*.ipynb")):
            return folder
    return None


def _item_ids(items: Any) -> tuple[list[str], set[str]]:
    ids, multi = [], set()
    for item in items or []:
        if isinstance(item, str):
            ids.append(item)
        else:
            ids.append(item["id"])
            if item.get("multi"):
                multi.add(item["id"])
    return ids, multi


def _exercise(widget: Any, keys: Mapping[str, Any]) -> Exercise:
    from canvastools.model.taxonomy import DEFAULT_TAXONOMY, load_domain, load_taxonomy

    args, name = widget.args, widget.name
    taxonomy = args.get("taxonomy") if isinstance(args.get("taxonomy"), str) else DEFAULT_TAXONOMY
    types = load_taxonomy(taxonomy).type_ids
    domain = load_domain()
    call = keys.get(widget.exercise_id)
    if name in ("ClassifyCases", "ClassifyItems"):
        items, multi = _item_ids(args.get("cases", args.get("items")))
        choices = args.get("choices", "types")
        pools = {"types": types, "motivations": domain.motivation_ids,
                 "questions": domain.question_ids}
        pool = pools[choices] if isinstance(choices, str) else [str(c) for c in choices]
        uses_types = any(c in types for c in pool)
        ex = Exercise(widget.exercise_id, "classify", taxonomy if uses_types else None, items,
                      list(pool), multi)
    elif name == "MotivationMatrix":
        items, _ = _item_ids(args.get("rows"))
        ex = Exercise(widget.exercise_id, "motivation", None, items, domain.motivation_ids,
                      set(items))
    elif name == "SpectrumOrder":  # types, or cases (dicts) ordered by human contact
        items, _ = _item_ids(args.get("items") or types)
        cases = any(isinstance(i, dict) for i in args.get("items") or [])
        ex = Exercise(widget.exercise_id, "spectrum", None if cases else taxonomy, items, items)
    elif name == "RelationshipDesigner":
        business = args.get("canvas_or_business") or {}
        segments = [s["id"] for s in business.get("segments") or []]
        ex = Exercise(widget.exercise_id, "designer", taxonomy, segments, types)
    else:  # pragma: no cover - check_release.WIDGETS lists the classes above
        raise ValueError(f"unknown widget {name}")
    if call is not None:
        if ex.kind == "spectrum":
            ex.key = _flat(call.key)
        elif ex.kind == "designer":
            ex.key = list(call.args.get("segments") or ex.items)
            ex.min_types = int(call.args.get("min_types", 2))
        else:
            ex.key = {item: _as_list(v) for item, v in (call.key or {}).items()}
            ex.accepted = {item: _as_list(v) for item, v in (call.accepted or {}).items()}
    return ex


def read_exercises(course: str | Path, assignment: str) -> tuple[list[Path], list[Exercise]]:
    """The released notebooks of ``assignment`` and the exercises of their widgets."""
    cr = _check_release()
    course = Path(course)
    source = _find(course, assignment, SOURCE_DIRS)
    release = _find(course, assignment, RELEASE_DIRS)
    if release is None and source is None:
        raise FileNotFoundError(
            f"no notebook of assignment {assignment!r} in "
            + ", ".join(str(course / d / assignment) for d in RELEASE_DIRS + SOURCE_DIRS))
    keys: dict[str, Any] = {}
    for nb in sorted(source.glob("*.ipynb")) if source else []:
        keys.update({c.exercise_id: c for c in cr.grading_calls(nb)})
    if release is not None:
        notebooks = sorted(release.glob("*.ipynb"))
    else:
        notebooks = sorted(source.glob("*.ipynb"))  # released below, in memory
    exercises = [_exercise(w, keys) for nb in notebooks for w in cr.notebook_calls(nb)
                 if w.name in cr.WIDGETS]
    return notebooks, exercises


def _released_texts(notebooks: list[Path]) -> dict[str, str]:
    """File name -> the released notebook's JSON text (made from a source when needed)."""
    texts = {}
    for nb in notebooks:
        if nb.parent.parent.name in RELEASE_DIRS:
            texts[nb.name] = nb.read_text(encoding="utf-8")
        else:
            import nbformat

            from canvastools.commands.quickstart import student_version

            released = student_version(nbformat.read(nb, as_version=4))
            texts[nb.name] = nbformat.writes(released) + "\n"
    return texts


# -- answers ------------------------------------------------------------------------------
def _wrong(ex: Exercise, item: str, rng: random.Random) -> list[str] | None:
    right = set((ex.key or {}).get(item, [])) | set(ex.accepted.get(item, []))
    pool = [c for c in ex.choices if c not in right]
    return [rng.choice(pool)] if pool else None


def _notes(ex: Exercise, segments: list[str]) -> list[dict[str, Any]]:
    types = ex.choices
    notes = [{"text": f"How we keep {s} close", "relationship": types[i % len(types)],
              "segments": [s]} for i, s in enumerate(segments)]
    for i in range(len(notes), min(ex.min_types, len(types))):  # enough different types
        notes.append({"text": "One more way", "relationship": types[i],
                      "segments": segments[:1]})
    return notes


def correct_answer(ex: Exercise) -> Any:
    """The answer that earns every point (a valid answer when the exercise is not graded)."""
    if ex.kind == "spectrum":
        return list(ex.key or ex.items)
    if ex.kind == "designer":
        return _notes(ex, list(ex.key or ex.items))
    key = ex.key or {}
    return {item: list(key.get(item) or ex.choices[:1]) for item in ex.items}


def partial_answer(ex: Exercise, rng: random.Random, share: float = 0.5) -> Any:
    """About ``share`` of the items right; the rest wrong, partly right or unanswered."""
    if ex.kind == "spectrum":
        order = list(ex.key or ex.items)
        rng.shuffle(order)
        return order
    if ex.kind == "designer":
        notes = _notes(ex, list(ex.key or ex.items))
        kept = [n for n in notes if rng.random() < share] or notes[:1]
        if rng.random() < 0.5:
            index = rng.randrange(len(kept))
            kept[index] = {**kept[index], "relationship": None}  # a note without a type
        return kept
    full = correct_answer(ex)
    answer: dict[str, list[str]] = {}
    for item in ex.items:
        roll = rng.random()
        if roll < share:
            answer[item] = full[item]
        elif roll < share + 0.1 and len(full[item]) > 1:
            answer[item] = full[item][:1]  # some of the types of a multi-type item
        elif roll < 0.85:
            wrong = _wrong(ex, item, rng)
            if wrong is not None:
                answer[item] = wrong
    return answer


def _answers(profile: str, exercises: list[Exercise], rng: random.Random) -> dict[str, Any]:
    if profile == "correct":
        return {ex.exercise_id: correct_answer(ex) for ex in exercises}
    answers = {ex.exercise_id: partial_answer(ex, rng) for ex in exercises}
    return {eid: a for eid, a in answers.items() if a}  # a widget never clicked saves nothing


def _save(folder: Path, exercises: list[Exercise], answers: Mapping[str, Any]) -> None:
    from canvastools.answers.store import AnswerStore

    store = AnswerStore(folder)
    for ex in exercises:
        if ex.exercise_id in answers:
            store.save(ex.exercise_id, ex.kind, answers[ex.exercise_id], taxonomy=ex.taxonomy)


def _set_save_times(path: Path, when: datetime) -> None:
    """Give every entry of an answer file ``when`` as its save time (as ``save`` writes it)."""
    if not path.exists():
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    for entry in data["exercises"].values():
        entry["updated"] = when.isoformat(timespec="seconds")
    path.write_text(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                    encoding="utf-8")


def _huge(text: str, size: int) -> str:
    nb = json.loads(text)
    line = "All work and no play makes Jack a dull boy.\n"
    nb["cells"].insert(1, {
        "cell_type": "code", "execution_count": 1, "id": "student-print", "metadata": {},
        "source": f"print({line.strip()!r} * {size // len(line) + 1})",
        "outputs": [{"output_type": "stream", "name": "stdout",
                     "text": line * (size // len(line) + 1)}]})
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def _profiles(n: int, mix: Mapping[str, float], rng: random.Random) -> list[str]:
    unknown = set(mix) - set(PROFILES)
    if unknown:
        raise ValueError(f"unknown profiles {sorted(unknown)}; valid: {', '.join(PROFILES)}")
    first = list(PROFILES[:n])
    names, weights = zip(*mix.items(), strict=True) if mix else ((), ())
    return first + (rng.choices(names, weights, k=n - len(first)) if n > len(first) else [])


def generate_class(course: str | Path, assignment: str, n: int | None = None, *,
                   seed: int = 0, mix: Mapping[str, float] | None = None,
                   profiles: Sequence[str] | None = None, prefix: str = "s",
                   huge_output_bytes: int = 20_000_000) -> dict[str, dict[str, Any]]:
    """Write ``n`` students' submissions of ``assignment`` in ``course``; return the manifest.

    Students are ``<prefix>0000``, ``<prefix>0001``...; the first ``len(PROFILES)`` get one
    profile each, in :data:`PROFILES` order, the others are drawn with weights ``mix``
    (default :data:`DEFAULT_MIX`). ``profiles`` gives every student's profile instead (then
    ``n`` is its length). A student's existing submission of the assignment is replaced.
    """
    import shutil

    course = Path(course).resolve()
    rng = random.Random(seed)
    if profiles is None:
        if n is None or n < 0:
            raise ValueError("give the number of students n (or profiles)")
        chosen = _profiles(n, DEFAULT_MIX if mix is None else mix, rng)
    else:
        chosen = list(profiles)
        unknown = set(chosen) - set(PROFILES)
        if unknown:
            raise ValueError(f"unknown profiles {sorted(unknown)}; valid: {', '.join(PROFILES)}")
    if set(chosen) & set(NEEDS_CLASSMATE) and "correct" not in chosen:
        raise ValueError("a 'symlink' or 'copied' student uses a classmate's answer file: the "
                         "class needs a 'correct' student too")
    notebooks, exercises = read_exercises(course, assignment)
    texts = _released_texts(notebooks)
    width = max(4, len(str(len(chosen) - 1)))
    students = [f"{prefix}{i:0{width}d}" for i in range(len(chosen))]
    manifest: dict[str, dict[str, Any]] = {}
    target = None
    # the others first: a symlink or a copy needs a classmate's file that exists
    order = sorted(range(len(chosen)), key=lambda i: chosen[i] in NEEDS_CLASSMATE)
    for i in order:
        student, profile = students[i], chosen[i]
        folder = course / "submitted" / student / assignment
        if folder.is_symlink():
            folder.unlink()
        elif folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        huge = profile == "huge-output"
        for name, text in texts.items():
            (folder / name).write_text(_huge(text, huge_output_bytes) if huge else text,
                                       encoding="utf-8")
        stamp = FIRST_SUBMISSION + timedelta(seconds=i)
        (folder / "timestamp.txt").write_text(stamp.strftime(TIMESTAMP_FORMAT))
        entry: dict[str, Any] = {"profile": profile, "answers": {},
                                 "flag": FLAGS.get(profile)}
        if profile in ("correct", "partial", "code-file", "huge-output", "broken"):
            answers = _answers("correct" if profile == "correct" else "partial", exercises, rng)
            _save(folder, exercises, answers)
            _set_save_times(folder / "canvastools_answers.json", stamp - timedelta(minutes=1))
            if profile == "broken":
                path = folder / "canvastools_answers.json"
                if path.exists():
                    path.write_text(path.read_text(encoding="utf-8")[: path.stat().st_size // 2],
                                    encoding="utf-8")
                else:
                    path.write_text('{"format": "canvastools-answers", "exer', encoding="utf-8")
            else:
                entry["answers"] = answers
            if profile == "correct" and target is None:
                target = student
        if profile == "code-file":
            (folder / "canvastools.py").write_text(SHADOW_MODULE, encoding="utf-8")
        if profile == "symlink":
            link = folder / "canvastools_answers.json"
            link.symlink_to(Path("..", "..", target, assignment, "canvastools_answers.json"))
            entry["target"] = target
        if profile == "copied":
            shutil.copyfile(course / "submitted" / target / assignment / "canvastools_answers.json",
                            folder / "canvastools_answers.json")
            entry["answers"], entry["target"] = manifest[target]["answers"], target
        manifest[student] = entry
    return {s: manifest[s] for s in students}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("course", type=Path)
    parser.add_argument("assignment")
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--manifest", type=Path, help="write the manifest to this JSON file")
    args = parser.parse_args(argv)
    manifest = generate_class(args.course, args.assignment, args.n, seed=args.seed)
    if args.manifest:
        args.manifest.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    counts: dict[str, int] = {}
    for entry in manifest.values():
        counts[entry["profile"]] = counts.get(entry["profile"], 0) + 1
    print(f"{len(manifest)} submissions of {args.assignment} in {args.course / 'submitted'}: "
          + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
