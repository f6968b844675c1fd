"""Tampering suite: grades no student can forge, through the real commands, by both graders.

A course made by ``canvastools quickstart DIR --demo``, plus ``tamper-mixed`` (a canvastools
quiz and a code exercise with a plain nbgrader test, so its notebooks run in the sandbox). One
student per kind of submission (:mod:`tamper_kinds`: honest ones and attacks, each with the
grade and flags it must get, written down there before anything is graded). Every kind is
graded through both entry points, in a course of its own each: the whole class of each
assignment in one ``nbgrader autograde`` run (then ``canvastools autograde`` for the students
nbgrader cannot see: no notebook at all), or in one ``canvastools autograde`` run; then
``generate_feedback`` and ``export``. The same grade and flags are expected of both. The tests
then check, per student, the grade in grades.csv, the flags of its
grading record and that its feedback shows no key; and for the class, that nothing outside each
student's own submission changed, that honest students leave no WARNING, that no student
process outlives grading and that the gradebook is not edited after grading.
"""

from __future__ import annotations

import base64
import binascii
import csv
import hashlib
import html
import os
import re
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import tamper_kinds as tk
from nbg_helpers import check_release

from canvastools.grader.records import FLAG_CODES, read_record

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None,
                                reason="bubblewrap is needed to sandbox student kernels")

BIN = Path(sys.executable).parent
GRADER_TABLES = {"student", "submitted_assignment", "submitted_notebook", "grade", "comment"}
KIND_IDS = [k.name for k in tk.KINDS]
BY_NAME = {k.name: k for k in tk.KINDS}
ENTRY_POINTS = ["nbgrader", "canvastools"]  # `nbgrader autograde`, `canvastools autograde`


TIMES: dict[str, float] = {}


def run(*args: str, cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess:
    env = check_release.nbgrader_env()
    env["PATH"] = str(BIN) + os.pathsep + env.get("PATH", "")
    started = time.monotonic()
    done = subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    TIMES[" ".join([Path(args[0]).name, *(a for a in args[1:3] if "/" not in a)])] = \
        time.monotonic() - started
    return done


# -- fingerprints --------------------------------------------------------------------------------
def tree_state(top: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Every entry under ``top`` (links and special files named, never followed or read)."""
    if top.is_symlink():
        return {".": "link -> " + os.readlink(top)}
    if not top.exists():
        return {}
    state = {}
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = [d for d in dirnames if d not in skip]
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = str(path.relative_to(top))
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                state[rel] = "link -> " + os.readlink(path)
            elif stat.S_ISDIR(info.st_mode):
                state[rel] = "dir"
            elif stat.S_ISREG(info.st_mode):
                digest = hashlib.sha256()
                with open(path, "rb") as handle:
                    for block in iter(lambda: handle.read(1 << 20), b""):
                        digest.update(block)
                state[rel] = digest.hexdigest()
            else:
                state[rel] = f"special {stat.S_IFMT(info.st_mode):o}"
    return state


def gradebook_dump(db: Path, tables: set[str] | None = None,
                   exclude: set[str] = frozenset()) -> dict[str, list]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        names = [r[0] for r in con.execute("select name from sqlite_master where type='table'")]
        return {name: sorted(map(repr, con.execute(f'select * from "{name}"')))
                for name in names if (tables is None or name in tables) and name not in exclude}


def snapshot(course: Path) -> dict[str, object]:
    import canvastools

    package = Path(canvastools.__file__).parent
    submitted = course / "submitted"
    return {
        "students": {p.name: tree_state(p) for p in sorted(submitted.iterdir())},
        "source": tree_state(course / "source"),
        "release": tree_state(course / "release"),
        "config": tree_state(course / "nbgrader_config.py") or
        hashlib.sha256((course / "nbgrader_config.py").read_bytes()).hexdigest(),
        "package": tree_state(package, skip=("__pycache__",)),
        "gradebook": gradebook_dump(course / "gradebook.db", exclude=GRADER_TABLES),
        "root": sorted(p.name for p in course.iterdir()),
    }


def student_processes() -> list[int]:
    """Processes of the attackers that would have outlived their sandbox."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            comm = (entry / "comm").read_text().strip()
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if comm == tk.DETACHED_NAME or cmdline[:2] == [b"sleep", tk.BOMB_SLEEP.encode()]:
            found.append(int(entry.name))
    return found


# -- the graded course (once per module) ----------------------------------------------------------
@pytest.fixture(scope="module", params=ENTRY_POINTS)
def graded(request, tmp_path_factory):
    entry = request.param
    course = tmp_path_factory.mktemp(f"tamper-{entry}") / "course"
    TIMES.clear()
    started = time.monotonic()
    made = run(str(BIN / "canvastools"), "quickstart", str(course), "--demo", cwd=course.parent)
    assert made.returncode == 0, made.stdout + made.stderr
    shutil.copytree(tk.DATA / tk.MIXED, course / "source" / tk.MIXED)
    with (course / "nbgrader_config.py").open("a") as config:
        # the same mechanisms as the course defaults, with less waiting: a cell is interrupted
        # after 5 s (default 30), a notebook's run killed after 12 s (default 300)
        config.write("\nc.Execute.timeout = 5\nc.SandboxedExecute.max_seconds = 12\n")
    for assignment in (tk.DEMO, tk.MIXED):
        out = run(str(BIN / "nbgrader"), "generate_assignment", assignment, "--force",
                  cwd=course)
        assert out.returncode == 0, out.stdout + out.stderr
    ctx = tk.Ctx(course, tk.read_assignment(course, tk.DEMO),
                 tk.read_assignment(course, tk.MIXED))
    tk.build_all(ctx)
    answers = {k.name: tk.expected_answers(ctx, k) for k in tk.KINDS}
    before = snapshot(course)

    runs = {}
    leftovers: list[int] = []
    for assignment in (tk.DEMO, tk.MIXED):  # the whole class in one run
        runs[f"autograde {assignment}"] = run(str(BIN / entry), "autograde", assignment,
                                              cwd=course)
        # nbgrader never sees a submission without a notebook; canvastools autograde grades it
        unseen = [k.name for k in tk.KINDS if not k.nbgrader_sees and k.assignment == assignment]
        if entry == "nbgrader" and unseen:
            runs[f"canvastools autograde {assignment} (unseen)"] = run(
                str(BIN / "canvastools"), "autograde", assignment,
                *(a for name in unseen for a in ("--student", name)), cwd=course)
    leftovers = student_processes()
    grades_after_autograde = gradebook_dump(course / "gradebook.db", tables=GRADER_TABLES)
    for assignment in (tk.DEMO, tk.MIXED):
        runs[f"generate_feedback {assignment}"] = run(str(BIN / "nbgrader"),
                                                      "generate_feedback", assignment,
                                                      cwd=course)
    runs["export"] = run(str(BIN / "nbgrader"), "export", cwd=course)
    after = snapshot(course)
    grades_at_end = gradebook_dump(course / "gradebook.db", tables=GRADER_TABLES)
    scores = {}
    if (course / "grades.csv").exists():
        with open(course / "grades.csv", newline="") as f:
            scores = {(r["assignment"], r["student_id"]): float(r["score"])
                      for r in csv.DictReader(f)}
    print(f"tampering suite ({entry} autograde): {len(tk.KINDS)} kinds graded in "
          f"{time.monotonic() - started:.0f} s (" +
          ", ".join(f"{name} {seconds:.0f} s" for name, seconds in TIMES.items()) + ")")
    yield {"entry": entry, "course": course, "ctx": ctx, "answers": answers, "before": before,
           "after": after, "runs": runs, "scores": scores, "leftovers": leftovers,
           "grades_after_autograde": grades_after_autograde, "grades_at_end": grades_at_end}
    for pid in leftovers + student_processes():  # only the attackers' own processes
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


# -- the batch ------------------------------------------------------------------------------------
def test_kinds_are_written_down():
    assert len(tk.KINDS) >= 30 and len(set(KIND_IDS)) == len(KIND_IDS)
    assert {k.assignment for k in tk.KINDS} == {tk.DEMO, tk.MIXED}
    assert any(k.honest for k in tk.KINDS) and any(not k.honest for k in tk.KINDS)
    for kind in tk.KINDS:
        assert set(kind.flags) <= set(FLAG_CODES), kind.name
        assert 0 <= kind.score <= (8.0 if kind.assignment == tk.DEMO else 5.0)  # autograded


def test_every_command_finishes(graded):
    assert len(graded["runs"]) >= 5
    for command, out in graded["runs"].items():
        assert out.returncode == 0, f"{command}:\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}"


# -- per student ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", KIND_IDS)
def test_grade(graded, name):
    kind = BY_NAME[name]
    got = graded["scores"].get((kind.assignment, name))
    assert got == pytest.approx(kind.score), \
        f"{graded['entry']} autograde, {name} ({kind.what}): {got} != {kind.score}"


@pytest.mark.parametrize("name", KIND_IDS)
def test_flags_and_kernel_recorded(graded, name):
    kind = BY_NAME[name]
    record = read_record(graded["course"], kind.assignment, name)
    assert record, f"{name}: no grading record"
    codes = {f["code"] for f in record.get("flags", [])}
    assert set(kind.flags) <= codes, f"{name}: flags {sorted(codes)}"
    assert len(record["flags"]) <= kind.max_flags, f"{name}: {len(record['flags'])} flags"
    if kind.honest and not kind.flags:
        assert not codes, f"{name} is honest but flagged: {record['flags']}"
    kernels = {nb.get("kernel") for nb in record.get("notebooks", {}).values()}
    assert kernels == {kind.kernel}, f"{name}: kernel {kernels}"


B64 = re.compile(r"[A-Za-z0-9+/]{24,}={0,2}")


def decoded_texts(text: str, depth: int = 3) -> list[str]:
    """``text`` and whatever base64 inside it decodes to (nested), as text."""
    found = [text]
    if depth == 0:
        return found
    for blob in B64.findall(text):
        try:
            raw = base64.b64decode(blob + "=" * (-len(blob) % 4))
        except (binascii.Error, ValueError):
            continue
        found += decoded_texts(raw.decode("utf-8", "replace"), depth - 1)
    return found


def key_leaks(text: str, key: dict[str, list[str]], accepted: dict[str, list[str]],
              answers: dict[str, set[str]]) -> list[str]:
    """Items whose key (or accepted) types the page shows, beyond the student's own answer."""
    plain = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())
    ids = "|".join(re.escape(i) for i in sorted(key, key=len, reverse=True))
    leaks = []
    spots = list(re.finditer(rf"(?<![\w-])(?:{ids})(?![\w-])", plain))
    for index, match in enumerate(spots):
        item = match.group(0)
        end = spots[index + 1].start() if index + 1 < len(spots) else len(plain)
        segment = plain[match.end(): min(end, match.end() + 400)]
        secret = (set(key[item]) | set(accepted.get(item, []))) - answers.get(item, set())
        shown = sorted(t for t in secret if re.search(rf"(?<![\w-]){t}(?![\w-])", segment))
        if shown:
            leaks.append(f"{item} -> {shown}")
    return sorted(set(leaks))


@pytest.mark.parametrize("name", KIND_IDS)
def test_feedback_shows_no_key(graded, name):
    kind = BY_NAME[name]
    a = graded["ctx"].demo if kind.assignment == tk.DEMO else graded["ctx"].mixed
    pages = list((graded["course"] / "feedback" / name / kind.assignment).glob("*.html"))
    assert pages, f"{name}: no feedback page"
    for page in pages:
        text = page.read_text(encoding="utf-8", errors="replace")
        assert page.stat().st_size < 5 * 1024**2, f"{name}: feedback of {page.stat().st_size}"
        for decoded in decoded_texts(text):
            for secret in tk.CANARIES + check_release.MARKERS[:4]:
                assert secret not in decoded, f"{name}: feedback contains {secret!r}"
        for forbidden in kind.forbidden:
            assert forbidden not in text, f"{name}: feedback contains {forbidden!r}"
        leaks = key_leaks(text, a.key, a.accepted, graded["answers"][name])
        assert not leaks, f"{name}: feedback shows the key of {leaks}"


# -- the class ------------------------------------------------------------------------------------
def test_nothing_outside_own_submission_changed(graded):
    before, after = graded["before"], graded["after"]
    changed = [s for s in before["students"]
               if before["students"][s] != after["students"].get(s)]
    allowed = {k.name for k in tk.KINDS if k.changes_own}
    assert set(changed) <= allowed, f"submissions changed: {sorted(set(changed) - allowed)}"
    for part in ("source", "release", "config", "package", "gradebook"):
        assert before[part] == after[part], f"{part} changed"
    grown = set(after["root"]) - set(before["root"])
    assert grown <= {"autograded", "feedback", "grades.csv", "canvastools-grading"}, grown


def test_gradebook_not_edited_after_grading(graded):
    assert graded["grades_after_autograde"] == graded["grades_at_end"]


def test_no_student_process_outlives_grading(graded):
    assert graded["leftovers"] == [], "attackers' processes still running"


def test_set_aside_files_are_kept(graded):
    """Nothing a student did is lost: refused files are in quarantine or still submitted."""
    quarantine = graded["course"] / "canvastools-grading"
    for kind in tk.KINDS:
        if kind.changes_own:
            kept = list(quarantine.glob(f"{kind.assignment}/quarantine/{kind.name}/**/*"))
            assert kept, f"{kind.name}: nothing in quarantine"


def log_segments(log: str) -> dict[str, list[str]]:
    """Log lines per student (a student's part starts at nbgrader's pre-convert hook)."""
    segments: dict[str, list[str]] = {}
    current: list[str] = []
    for line in log.splitlines():
        if "Running pre-convert hook" in line:
            current = []
        found = re.search(r"Creating/updating student with ID '([^']+)'", line)
        if found:
            segments[found.group(1)] = current
        current.append(line)
    return segments


def student_logs(graded, assignment: str) -> dict[str, list[str]]:
    """Log lines per student: nbgrader's log of the run, or canvastools' one log per student."""
    if graded["entry"] == "nbgrader":
        return log_segments(graded["runs"][f"autograde {assignment}"].stderr)
    logs = graded["course"] / "canvastools-grading" / assignment / "logs"
    return {p.stem: p.read_text(encoding="utf-8").splitlines() for p in logs.glob("*.log")}


def test_honest_students_leave_no_warning(graded):
    problems = []
    for assignment in (tk.DEMO, tk.MIXED):
        segments = student_logs(graded, assignment)
        for kind in tk.KINDS:
            if not kind.honest or kind.assignment != assignment:
                continue
            if graded["entry"] == "nbgrader" and not kind.nbgrader_sees:
                continue  # graded by the canvastools command's run: its log is checked there
            lines = segments.get(kind.name)
            if lines is None:
                problems.append(f"{kind.name}: not in the log")
                continue
            for line in lines:
                if "WARNING" not in line and "ERROR" not in line:
                    continue
                flagged = re.search(rf"\[canvastools\] {re.escape(kind.name)}/[^:]+: ([\w-]+):",
                                    line)
                if not (flagged and flagged.group(1) in kind.flags):
                    problems.append(f"{kind.name}: {line}")
    assert not problems, "\n".join(problems)


def test_records_name_every_flag_code(graded):
    for kind in tk.KINDS:
        record = read_record(graded["course"], kind.assignment, kind.name)
        for item in record.get("flags", []):
            assert item["code"] in FLAG_CODES and item["message"], (kind.name, item)


# What a kernel writes, and every other limit of a sandbox: test_sandbox.py.


@pytest.mark.parametrize("name", KIND_IDS)
def test_autograded_notebook_is_capped_and_safe_to_open(graded, name):
    """What formgrader opens: capped whatever path an output took (a 40 MB display update
    included), and no student output with a script or an event handler."""
    import nbformat

    kind = BY_NAME[name]
    for path in (graded["course"] / "autograded" / name / kind.assignment).glob("*.ipynb"):
        assert path.stat().st_size < 5 * 1024**2, f"{name}: {path.stat().st_size:,} bytes"
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.get("metadata", {}).get("canvastools", {}).get("scored"):
                continue  # the grader's own outputs
            for output in cell.get("outputs", []):
                shown = str(output.get("data", {}).get("text/html", ""))
                assert "<script" not in shown and "onerror" not in shown, name
