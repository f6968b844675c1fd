"""tools/classgen.py: classes of generated submissions, as the grading tests and benchmarks use.

The generated answers are checked against the real grading helpers (run in the submission
folder, as a hidden test would): a ``correct`` student earns every point of each test cell.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from datetime import datetime
from pathlib import Path

import nbformat
import pytest

from canvastools.answers.store import AnswerStore

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ("classify-cases", "motivations-questions", "design-relationships")


@pytest.fixture(scope="module")
def repo_course(tmp_path_factory) -> Path:
    """The repository's course: its config, solutions/ and the committed release exercises/."""
    course = tmp_path_factory.mktemp("repo-course")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    for name in ("solutions", "exercises"):
        shutil.copytree(ROOT / name, course / name)
    return course


@pytest.fixture(scope="module")
def quickstart_course(tmp_path_factory) -> Path:
    from canvastools.commands.quickstart import create_course

    return create_course(tmp_path_factory.mktemp("qs") / "course")


def _course_of(assignment, repo_course, quickstart_course) -> Path:
    return quickstart_course if assignment == "demo-classify" else repo_course


def _source(course: Path, assignment: str) -> Path:
    folder = "source" if assignment == "demo-classify" else "solutions"
    return course / folder / assignment / f"{assignment}.ipynb"


def _scores(classgen, course: Path, assignment: str, folder: Path) -> list[tuple[float, float]]:
    """(score, cell points) of each hidden-test call, run by the real helpers in ``folder``."""
    import canvastools.grading as grading

    source = _source(course, assignment)
    nb = nbformat.read(source, as_version=4)
    points = {c.metadata.get("nbgrader", {}).get("grade_id"):
              c.metadata.get("nbgrader", {}).get("points") for c in nb.cells}
    result = []
    with contextlib.chdir(folder):
        for call in classgen._check_release().grading_calls(source):
            score = getattr(grading, call.name)(**call.args)
            result.append((score, float(points[call.cell])))
    return result


@pytest.mark.parametrize("assignment", [*SHIPPED, "demo-classify"])
def test_every_profile_writes_what_it_says(classgen, repo_course, quickstart_course,
                                           assignment, capsys):
    course = _course_of(assignment, repo_course, quickstart_course)
    manifest = classgen.generate_class(course, assignment, 12, seed=3, huge_output_bytes=300_000)
    assert set(classgen.PROFILES) <= {e["profile"] for e in manifest.values()}
    _, exercises = classgen.read_exercises(course, assignment)
    kinds = {ex.exercise_id: (ex.kind, ex.taxonomy) for ex in exercises}
    assert kinds and all(ex.key is not None for ex in exercises)  # every widget is graded
    for student, entry in manifest.items():
        folder = course / "submitted" / student / assignment
        nb = nbformat.read(folder / f"{assignment}.ipynb", as_version=4)
        nbformat.validate(nb)
        datetime.strptime((folder / "timestamp.txt").read_text(), "%Y-%m-%d %H:%M:%S.%f UTC")
        answer_file = folder / "canvastools_answers.json"
        profile, read = entry["profile"], AnswerStore(folder).read()
        if profile in ("correct", "partial", "code-file", "huge-output"):
            assert entry["flag"] is None or entry["flag"] == profile
            assert read.problem is None
            got = {eid: e["answer"] for eid, e in read.exercises.items()}
            assert got == entry["answers"] and got
            for eid, saved in read.exercises.items():
                assert (saved["kind"], saved["taxonomy"]) == kinds[eid]
                datetime.fromisoformat(saved["updated"])
        elif profile == "empty":
            assert not answer_file.exists() and entry["answers"] == {}
        elif profile == "broken":
            assert "not valid JSON" in read.problem and entry["flag"] == "broken"
        elif profile == "copied":
            source = course / "submitted" / entry["target"] / assignment
            assert answer_file.read_bytes() == (source / "canvastools_answers.json").read_bytes()
            assert entry["flag"] == "identical-answers" and read.problem is None
            assert entry["answers"] == manifest[entry["target"]]["answers"]
        elif profile == "symlink":
            assert answer_file.is_symlink()
            target = course / "submitted" / entry["target"] / assignment
            assert answer_file.resolve() == (target / "canvastools_answers.json").resolve()
            assert manifest[entry["target"]]["profile"] == "correct"
            assert entry["answers"] == {}
        if profile == "code-file":
            assert "grade_classification" in (folder / "canvastools.py").read_text()
        else:
            assert not list(folder.glob("*.py"))
        sizes = [len(o.get("text", "")) for c in nb.cells for o in c.get("outputs", [])]
        assert (max(sizes, default=0) >= 300_000) == (profile == "huge-output")
        if profile == "correct":
            assert all(score == points for score, points in
                       _scores(classgen, course, assignment, folder)), student
        if profile == "empty":
            assert all(score == 0 for score, _ in _scores(classgen, course, assignment, folder))
    capsys.readouterr()


def test_only_a_copied_answer_file_is_identical_to_another(classgen, repo_course):
    manifest = classgen.generate_class(repo_course, "classify-cases", 30, seed=6,
                                       mix={"correct": 1})
    files: dict[bytes, list[str]] = {}
    for student in manifest:
        path = repo_course / "submitted" / student / "classify-cases" / "canvastools_answers.json"
        if path.is_file() and not path.is_symlink():
            files.setdefault(path.read_bytes(), []).append(student)
    twins = [sorted(group) for group in files.values() if len(group) > 1]
    copier = next(s for s, e in manifest.items() if e["profile"] == "copied")
    assert twins == [sorted([copier, manifest[copier]["target"]])]


def test_honest_submissions_hold_the_released_notebook(classgen, repo_course):
    manifest = classgen.generate_class(repo_course, "classify-cases", 10, seed=1)
    released = (repo_course / "exercises" / "classify-cases" / "classify-cases.ipynb").read_text()
    for student, entry in manifest.items():
        if entry["profile"] != "huge-output":
            path = repo_course / "submitted" / student / "classify-cases" / "classify-cases.ipynb"
            assert path.read_text() == released


def test_partial_students_score_between_nothing_and_everything(classgen, repo_course, capsys):
    manifest = classgen.generate_class(repo_course, "classify-cases", 60, seed=5,
                                       mix={"partial": 1})
    totals = set()
    for student, entry in manifest.items():
        if entry["profile"] == "partial":
            folder = repo_course / "submitted" / student / "classify-cases"
            [(score, points)] = _scores(classgen, repo_course, "classify-cases", folder)
            assert 0 <= score <= points
            totals.add(score)
    assert len(totals) >= 4  # a spread of scores, not one answer copied
    capsys.readouterr()


def _snapshot(course: Path) -> dict[str, object]:
    files = {}
    for path in sorted((course / "submitted").rglob("*")):
        rel = str(path.relative_to(course))
        if path.is_symlink():
            files[rel] = ("link", str(path.readlink()))
        elif path.is_file():
            files[rel] = path.read_bytes()
    return files


def test_same_seed_same_class(classgen, tmp_path, repo_course):
    runs = []
    for name in ("a", "b", "c"):
        course = tmp_path / name
        shutil.copytree(repo_course, course, ignore=shutil.ignore_patterns("submitted"))
        seed = 7 if name != "c" else 8
        manifest = classgen.generate_class(course, "motivations-questions", 40, seed=seed,
                                           huge_output_bytes=10_000)
        runs.append((manifest, _snapshot(course)))
    assert runs[0] == runs[1]
    assert runs[0][0] != runs[2][0]


def test_explicit_profiles_and_bad_requests(classgen, repo_course):
    manifest = classgen.generate_class(repo_course, "design-relationships",
                                       profiles=["empty", "correct", "symlink"], prefix="t")
    assert [e["profile"] for e in manifest.values()] == ["empty", "correct", "symlink"]
    assert manifest["t0002"]["target"] == "t0001"
    with pytest.raises(ValueError, match="valid: correct, partial"):
        classgen.generate_class(repo_course, "design-relationships", profiles=["honest"])
    for profile in ("symlink", "copied"):
        with pytest.raises(ValueError, match="needs a 'correct' student"):
            classgen.generate_class(repo_course, "design-relationships", profiles=[profile])
    with pytest.raises(FileNotFoundError, match="no-such-assignment"):
        classgen.generate_class(repo_course, "no-such-assignment", 3)


def test_a_large_class_keeps_tampering_rare(classgen, repo_course):
    manifest = classgen.generate_class(repo_course, "classify-cases", 400, seed=2,
                                       huge_output_bytes=10_000)
    counts = {p: 0 for p in classgen.PROFILES}
    for entry in manifest.values():
        counts[entry["profile"]] += 1
    assert all(counts[p] == 1 for p in ("symlink", "code-file", "huge-output", "copied"))
    assert counts["correct"] > 100 and counts["partial"] > 100
    assert len(list((repo_course / "submitted").glob("s0*/classify-cases"))) >= 400


def test_command_line_writes_the_class_and_its_manifest(tmp_path, repo_course):
    import subprocess
    import sys

    course = tmp_path / "course"
    shutil.copytree(repo_course, course, ignore=shutil.ignore_patterns("submitted"))
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "classgen.py"), str(course),
                          "design-relationships", "8", "--seed", "4", "--manifest",
                          str(tmp_path / "class.json")], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("8 submissions of design-relationships")
    manifest = json.loads((tmp_path / "class.json").read_text())
    assert sorted(manifest) == [f"s{i:04d}" for i in range(8)]
    assert all((course / "submitted" / s / "design-relationships").is_dir() for s in manifest)
