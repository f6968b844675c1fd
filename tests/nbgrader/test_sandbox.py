"""A sandbox's limits belong to one student, and student code never runs unsandboxed by accident.

Real bubblewrap, real kernels. The sandbox tests run twice where they can: as the grader here
(root in CI: a cgroup and a uid of its own per sandbox) and as an ordinary user (a uid without
an account, switched to with ``setpriv``: a user namespace per sandbox, no cgroup). A developer
without root gets the ordinary-user runs skipped with the reason. The class test grades an
attacker beside honest classmates with ``canvastools autograde --jobs 2``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_notebook

from canvastools.grader.sandbox import Sandbox

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None,
                                reason="bubblewrap is needed to sandbox student kernels")

BIN = Path(sys.executable).parent
USER_UID = 3_999_001  # an ordinary user without an account, for the ordinary-user runs
SYSTEM_PYTHON = "/usr/bin/python3"  # the grader's venv may live in root's home
PACKAGE = Path(__file__).resolve().parents[2] / "canvastools"
SANDBOX_MODULES = ("__init__.py", "grader/__init__.py", "grader/sandbox.py",
                   "grader/sandbox_limits.py")  # stdlib only


def _why_no_user_run() -> str | None:
    if os.geteuid() != 0:
        return "switching to an ordinary user needs root (CI runs these as root)"
    for tool in ("setpriv", SYSTEM_PYTHON):
        if shutil.which(tool) is None:
            return f"{tool} is missing (Debian: apt-get install util-linux python3)"
    return None


DELEGATED: dict[str, str] = {}  # CANVASTOOLS_CGROUP for the "delegated" runs


def run_as(who: str, script: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the Python ``script`` (``from canvastools.grader.sandbox import ...``) as the grader
    would: as this test's user ("grader"), or as an ordinary user, alone ("user") or with
    cgroups an administrator delegated to it ("delegated"), in a system Python."""
    folder = tempfile.mkdtemp(prefix="canvastools-sandbox-test-")
    try:
        os.chmod(folder, 0o755)
        package = Path(folder) / "canvastools"
        for name in SANDBOX_MODULES:
            (package / name).parent.mkdir(mode=0o755, parents=True, exist_ok=True)
            shutil.copy(PACKAGE / name, package / name)
            os.chmod(package / name, 0o644)
        command = [SYSTEM_PYTHON if who != "grader" else sys.executable, "-c",
                   textwrap.dedent(script)]
        if who != "grader":
            command = ["setpriv", f"--reuid={USER_UID}", f"--regid={USER_UID}",
                       "--clear-groups", "--inh-caps=-all", "--", *command]
        env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "PYTHONPATH": folder, "HOME": folder,
               "LANG": "C.UTF-8"}
        if who == "delegated":
            env["CANVASTOOLS_CGROUP"] = DELEGATED["folders"]
        done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True,
                              timeout=timeout)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.fixture(scope="module")
def delegated():
    """Cgroups (pids, memory) an administrator made for the ordinary user and gave it."""
    from canvastools.grader.sandbox_limits import cgroup_parents

    parents = cgroup_parents()
    if os.geteuid() != 0 or set(parents) != {"pids", "memory"}:
        yield None
        return
    made = []
    for _version, parent in parents.values():
        folder = parent / f"canvastools-test-{os.getpid()}"
        if folder not in made:
            folder.mkdir()
            made.append(folder)
            for path in [folder, *folder.iterdir()]:
                os.chown(path, USER_UID, USER_UID)
    DELEGATED["folders"] = ":".join(map(str, made))
    yield made
    for folder in made:
        folder.rmdir()


@pytest.fixture(params=["grader", "user", "delegated"])
def who(request) -> str:
    if request.param != "grader":
        reason = _why_no_user_run()
        if reason:
            pytest.skip(f"ordinary-user run skipped: {reason}")
    if request.param == "delegated" and request.getfixturevalue("delegated") is None:
        pytest.skip("no pids and memory cgroups to delegate here (needs root and cgroups)")
    return request.param


def cgroup_guard(who: str, what: str) -> str:
    """What bounds ``what`` ("tasks", "memory") of a sandbox for ``who``."""
    out = run_as(who, "from canvastools.grader.sandbox import Sandbox; "
                      f"print(Sandbox.guards()[{what!r}])")
    return out.stdout.strip()


# -- tasks -------------------------------------------------------------------------------------
STORM = """
import os, sys, time
made = 0
for _ in range(5000):  # bounded: the sandbox stops it far earlier
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        time.sleep(5)
        os._exit(0)
    made += 1
print(made, flush=True)
time.sleep(5)
"""

STORM_BESIDE = """
import subprocess, tempfile, sys
from canvastools.grader.sandbox import Limits, Sandbox
limits = Limits(processes=64, memory=512 * 1024**2)
a_dir, b_dir = tempfile.mkdtemp(), tempfile.mkdtemp()
a, b = Sandbox(limits=limits).open(a_dir), Sandbox(limits=limits).open(b_dir)
storm = subprocess.Popen(a.wrap(["/usr/bin/python3", "-c", STORM], shown=True),
                         stdout=subprocess.PIPE, text=True)
made = int(storm.stdout.readline())  # the storm holds its processes for 5 s more
problem = b.check()
beside = subprocess.run(b.wrap(["/usr/bin/python3", "-c", "import os\\nfor _ in range(20):\\n"
                                "    os.wait() if os.fork() else os._exit(0)\\nprint('ok')"],
                               shown=True), capture_output=True, text=True)
again = Sandbox(limits=limits).open(tempfile.mkdtemp())
print(made, problem, beside.stdout.strip() or beside.stderr[-300:], again.check())
for box in (a, b, again):
    box.close()
storm.kill()
"""


def test_a_fork_storm_is_held_in_its_own_sandbox_and_the_next_sandbox_starts(who):
    """A student's fork storm is stopped at its sandbox's task limit; while it holds its
    processes, a classmate's sandbox starts and forks, and a new sandbox still starts. As an
    ordinary user the grader's own account is limited too (as on a server): the storm does
    not count against it beyond its sandbox's share."""
    script = f"STORM = {STORM!r}\n" + STORM_BESIDE
    if who != "grader":  # the account's own limit: the grader's tasks + both sandboxes' shares
        script = ("import resource\nresource.setrlimit(resource.RLIMIT_NPROC, (200, 200))\n"
                  + script)
    made, problem, beside, again = run_as(who, script).stdout.split()
    assert 0 < int(made) <= 64, f"the storm made {made} processes in a 64-task sandbox"
    assert problem == "None", f"a classmate's sandbox did not start: {problem}"
    assert beside == "ok", beside
    assert again == "None"


def test_two_sandboxes_at_once_share_no_limit(tmp_path):
    """Two sandboxes open at once (two students graded side by side) have their own cgroups
    and, as root, their own uids: nothing one of them counts is the other's."""
    if os.geteuid() != 0:
        pytest.skip("the uid pool is root's (an ordinary grader: a user namespace each)")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = Sandbox().open(tmp_path / "a")
    b = Sandbox().open(tmp_path / "b")
    try:
        assert a.uid != b.uid and a.uid >= 64000 and b.uid >= 64000
        assert not set(a.cgroup.procs) & set(b.cgroup.procs)
        assert a.check() is None and b.check() is None
    finally:
        a.close()
        b.close()


# -- memory ------------------------------------------------------------------------------------
HOGS = """
import os, sys, time
size = int(sys.argv[1])
children = []
for i in range(3):
    pid = os.fork()
    if pid == 0:
        hog = b"x" * size  # written: really held
        time.sleep(3)
        os._exit(0)
    children.append(pid)
    time.sleep(0.3)
print(sum(os.waitpid(pid, 0)[1] == 0 for pid in children))
"""


def test_three_processes_cannot_hold_more_than_the_sandbox_memory(who):
    """Three processes of one sandbox, each allocating 60 % of its memory: with a memory
    cgroup (root here) the total is bounded, so at most one keeps it; as an ordinary user
    without a delegated cgroup only each process is bounded (RLIMIT_AS): one process asking
    for more than the limit is refused."""
    guard = cgroup_guard(who, "memory")
    limit = 256 * 1024**2
    script = f"""
        import subprocess, tempfile
        from canvastools.grader.sandbox import Limits, Sandbox
        box = Sandbox(limits=Limits(memory={limit})).open(tempfile.mkdtemp())
        hogs = subprocess.run(box.wrap(["/usr/bin/python3", "-c", {HOGS!r}, "{int(limit * 0.6)}"],
                              shown=True), capture_output=True, text=True)
        one = subprocess.run(box.wrap(["/usr/bin/python3", "-c",
                                       "b = b'x' * {int(limit * 1.2)}"], shown=True),
                             capture_output=True, text=True)
        print(hogs.stdout.strip() or "0", "MemoryError" in one.stderr, box.limits_hit())
        box.close()
        """
    survivors, refused, *hit = run_as(who, script).stdout.split(maxsplit=2)
    assert refused == "True", "one process held more than the sandbox's memory"
    if guard.startswith("cgroup"):
        assert int(survivors) <= 1, f"{survivors} processes held 60 % of the limit each"
        assert "memory" in hit[0], hit
    else:
        pytest.skip(f"total memory not bounded here ({guard}); per process only: checked")


# -- disk --------------------------------------------------------------------------------------
FILL = """
import os
kept = []
def fill(path, keep_open=False):
    written = 0
    handle = open(path, "wb")
    if keep_open:
        os.unlink(path)  # deleted, still open: invisible to any folder walk
        kept.append(handle)
    try:
        while written < 200 * 1024**2:
            handle.write(b"x" * 1024**2)
            handle.flush()
            written += 1024**2
    except OSError:
        pass
    return written
held = fill("gone", keep_open=True)
os.mkdir("hidden")
os.chmod("hidden", 0o300)  # nobody may list it
hidden = fill("hidden/f")
tmp = fill("/tmp/f")
shm = fill("/dev/shm/f")
print(held + hidden, tmp, shm)
"""


def test_what_a_kernel_writes_is_bounded_whatever_it_hides(who):
    """Written then deleted but kept open, and in a folder of mode 0300: the working folder
    holds no more than its size, /tmp and /dev/shm no more than theirs, and nothing of it is
    on the grader's disk."""
    script = f"""
        import os, subprocess, tempfile
        from canvastools.grader.sandbox import Limits, Sandbox
        scratch = tempfile.mkdtemp()
        box = Sandbox(limits=Limits(disk=32 * 1024**2, tmp_size=16 * 1024**2)).open(scratch)
        out = subprocess.run(box.wrap(["/usr/bin/python3", "-c", {FILL!r}], shown=True),
                             capture_output=True, text=True)
        on_disk = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(scratch)
                      for f in fs)
        box.close()
        print(out.stdout.strip() or out.stderr[-300:], on_disk)
        """
    work, tmp, shm, on_disk = map(int, run_as(who, script).stdout.split())
    mb = 1024**2
    assert 0 < work <= 32 * mb, f"the working folder took {work / mb:.0f} MB (32 MB)"
    assert 0 < tmp <= 16 * mb and 0 < shm <= 16 * mb, (tmp, shm)
    assert on_disk < mb, f"{on_disk} bytes of the kernel's writing on the grader's disk"


# -- through the grading step: a real kernel -----------------------------------------------------
def _notebook(*sources: str, test: str = "assert True") -> object:
    cells = [new_code_cell(s) for s in sources]
    graded = new_code_cell(test)
    graded.metadata["nbgrader"] = {"grade": True, "grade_id": "t", "points": 1.0,
                                   "locked": True, "solution": False, "task": False,
                                   "schema_version": 3}
    nb = new_notebook(cells=[*cells, graded])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return nb


def _resources(tmp_path: Path) -> dict:
    dest = tmp_path / "dest"
    dest.mkdir(exist_ok=True)
    return {"nbgrader": {"student": "s", "assignment": "a", "notebook": "n", "db_url": ""},
            "canvastools": {"root": str(tmp_path), "submitted": str(dest), "dest": str(dest),
                            "source": ""},
            "metadata": {"path": str(dest)}}


def _marked(name: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "comm").read_text().strip() == name:
                found.append(int(entry.name))
        except OSError:
            continue
    return found


DAEMON = """
import ctypes, os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        ctypes.CDLL(None).prctl(15, b"{name}", 0, 0, 0)
        os.closerange(0, 256)
        for _ in range(120):
            for path in ("{gradebook}", "gradebook.db", "/tmp/gradebook.db"):
                try:
                    with open(path, "a") as handle:
                        handle.write("tampered later")
                except OSError:
                    pass
            time.sleep(0.25)
        os._exit(0)
    os._exit(0)
os.wait()
"""


def test_no_process_of_the_sandbox_outlives_grading(tmp_path):
    """A daemonised process (double fork, setsid, its own name) is gone when the step returns,
    and the gradebook it aimed at is untouched; the scratch folder is removed."""
    from canvastools.grader.steps import SandboxedExecute

    gradebook = tmp_path / "gradebook.db"
    gradebook.write_text("grades")
    name = f"ct16d{os.getpid() % 10000}"
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    cell = DAEMON.replace("{name}", name).replace("{gradebook}", str(gradebook))
    step = SandboxedExecute(timeout=30, scratch_parent=str(scratch))
    nb, _ = step.preprocess(_notebook(cell), _resources(tmp_path))
    assert nb.metadata["canvastools"]["kernel"] == "sandboxed"
    assert nb.metadata["canvastools"]["flags"] == []
    left = _marked(name)
    for pid in left:
        os.kill(pid, 9)
    assert not left, f"the student's daemon outlived grading: {left}"
    time.sleep(0.5)
    assert gradebook.read_text() == "grades"
    assert list(scratch.iterdir()) == [], "a scratch folder was left behind"


KERNEL_AS_USER = """
import json, os, sys, tempfile
from pathlib import Path
from nbformat.v4 import new_code_cell, new_notebook
from canvastools.grader.steps import SandboxedExecute

folder = Path(tempfile.mkdtemp())
dest = folder / "dest"
dest.mkdir()
test = new_code_cell("assert sum(range(4)) == 6")
test.metadata["nbgrader"] = {"grade": True, "grade_id": "t", "points": 1.0, "locked": True,
                             "solution": False, "task": False, "schema_version": 3}
nb = new_notebook(cells=[new_code_cell(sys.argv[1]), test])
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                             "language": "python"}
resources = {"nbgrader": {"student": "s", "assignment": "a", "notebook": "n", "db_url": ""},
             "canvastools": {"root": str(folder), "submitted": str(dest), "dest": str(dest),
                             "source": ""},
             "metadata": {"path": str(dest)}}
nb, _ = SandboxedExecute(timeout=30).preprocess(nb, resources)
print(json.dumps([nb.metadata["canvastools"]["kernel"],
                  [f["code"] for f in nb.metadata["canvastools"]["flags"]],
                  nb.cells[-1].outputs]))
"""


READABLE = """
import os, sys
for folder in (os.path.dirname(os.path.realpath(sys.executable)), sys.base_prefix, sys.prefix):
    assert os.access(folder, os.R_OK | os.X_OK), f"{folder} is not readable"
import canvastools, ipykernel, nbgrader
"""


def test_an_ordinary_grader_runs_kernels_in_their_sandboxes(tmp_path):
    """As an ordinary user, a real kernel runs in its sandbox (reached over unix sockets in the
    sandbox's own tmpfs), a fork storm in it is held, and the graded cell passes."""
    reason = _why_no_user_run()
    if reason:
        pytest.skip(f"ordinary-user run skipped: {reason}")
    home = Path(tempfile.mkdtemp(prefix="canvastools-user-home-"))
    os.chown(home, USER_UID, USER_UID)
    user = ["setpriv", f"--reuid={USER_UID}", f"--regid={USER_UID}", "--clear-groups",
            "--inh-caps=-all", "--"]
    env = {"PATH": f"{BIN}{os.pathsep}/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
           "TMPDIR": str(home)}
    try:
        can = subprocess.run([*user, sys.executable, "-c", READABLE], env=env,
                             capture_output=True, text=True, timeout=120)
        if can.returncode != 0:
            pytest.skip("ordinary-user run skipped: the grader's Python cannot run as another "
                        f"user here ({sys.executable}: {can.stderr.strip()[-200:]})")
        storm = STORM.replace("time.sleep(5)", "time.sleep(2)")
        done = subprocess.run([*user, sys.executable, "-c", KERNEL_AS_USER, storm], env=env,
                              capture_output=True, text=True, timeout=300)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    assert done.returncode == 0, done.stdout + done.stderr
    kernel, codes, outputs = json.loads(done.stdout.strip().splitlines()[-1])
    assert kernel == "sandboxed" and outputs == [], (kernel, codes, outputs)
    assert "kernel-failed" not in codes and "unsandboxed" not in codes


def test_a_sandbox_that_cannot_start_fails_that_student_and_never_runs_unsandboxed(tmp_path):
    """A sandbox that cannot create its first process (its task limit, as a classmate's fork
    storm on a shared account once did) is tried again, then that student fails with the flag
    sandbox-unavailable: the code never runs outside."""
    from canvastools.grader.sandbox import SandboxUnavailable
    from canvastools.grader.steps import SandboxedExecute

    if "pids" not in Sandbox.guards()["tasks"]:
        pytest.skip("needs a pids cgroup per sandbox to make one fail to start "
                    f"(here: {Sandbox.guards()['tasks']})")
    marker = tmp_path / "ran-unsandboxed"
    nb = _notebook(f"open({str(marker)!r}, 'w').write('outside')")
    step = SandboxedExecute(timeout=30, max_processes=1, sandbox_attempts=2)
    with pytest.raises(SandboxUnavailable, match="tried 2 times"):
        step.preprocess(nb, _resources(tmp_path))
    codes = [f["code"] for f in nb.metadata["canvastools"]["flags"]]
    assert codes == ["sandbox-unavailable"]
    assert not marker.exists()


def test_a_root_grader_whose_tmpdir_is_below_tmp_runs_every_kernel(tmp_path):
    """TMPDIR a folder below /tmp (here /tmp/.../x/y): the kernel still runs sandboxed."""
    from canvastools.grader.steps import SandboxedExecute

    below = Path(tempfile.mkdtemp(dir="/tmp")) / "x" / "y"
    below.mkdir(parents=True)
    try:
        step = SandboxedExecute(timeout=30, scratch_parent=str(below))
        nb, _ = step.preprocess(_notebook("x = 1"), _resources(tmp_path))
    finally:
        shutil.rmtree(below.parent.parent)
    assert nb.metadata["canvastools"]["kernel"] == "sandboxed"
    assert nb.metadata["canvastools"]["flags"] == []
    assert nb.cells[-1].outputs == []  # the test passed


def test_unsandboxed_only_when_the_instructor_says_so(tmp_path):
    """SandboxedExecute.sandbox = False runs the code outside, with the flag unsandboxed."""
    from canvastools.grader.steps import SandboxedExecute

    marker = tmp_path / "ran-outside"
    nb = _notebook(f"open({str(marker)!r}, 'w').write('outside')")
    nb, _ = SandboxedExecute(timeout=30, sandbox=False).preprocess(nb, _resources(tmp_path))
    assert marker.exists()
    assert [f["code"] for f in nb.metadata["canvastools"]["flags"]] == ["unsandboxed"]


# -- a class: an attacker beside honest classmates --------------------------------------------
ATTACK = """
import os, time
try:
    hog = b"x" * (700 * 1024**2)  # most of its sandbox's memory
except MemoryError:
    pass
made = 0
for _ in range(3000):  # a fork storm that holds its processes through the next 4 s
    try:
        if os.fork() == 0:
            time.sleep(4)
            os._exit(0)
        made += 1
    except OSError:
        break
time.sleep(4)
"""


@pytest.fixture(scope="module")
def mixed_class(tmp_path_factory):
    """The tamper-mixed assignment (its notebook runs in kernels): four honest students and
    one attacker, not graded yet."""
    import tamper_kinds as tk
    from nbg_helpers import check_release

    course = tmp_path_factory.mktemp("limits") / "course"
    env = check_release.nbgrader_env()
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    made = subprocess.run([str(BIN / "canvastools"), "quickstart", str(course), "--demo"],
                          cwd=course.parent, env=env, capture_output=True, text=True)
    assert made.returncode == 0, made.stdout + made.stderr
    shutil.copytree(tk.DATA / tk.MIXED, course / "source" / tk.MIXED)
    with (course / "nbgrader_config.py").open("a") as config:
        config.write("\nc.Execute.timeout = 20\nc.SandboxedExecute.max_seconds = 60\n")
    out = subprocess.run([str(BIN / "nbgrader"), "generate_assignment", tk.MIXED, "--force"],
                         cwd=course, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    ctx = tk.Ctx(course, None, tk.read_assignment(course, tk.MIXED))  # no demo student here
    honest = [f"honest{n}" for n in range(4)]
    for student in honest:
        tk.mixed("right", tk.RIGHT_CODE)(ctx, ctx.folder(student, tk.MIXED))
    tk.mixed("right", tk.RIGHT_CODE, ATTACK, after="tm-quiz-test")(
        ctx, ctx.folder("attacker", tk.MIXED))
    pristine = course.parent / "ungraded"
    shutil.copytree(course, pristine, symlinks=True)
    return {"course": course, "pristine": pristine, "env": env, "honest": honest,
            "assignment": tk.MIXED}


def _scores(course: Path, assignment: str) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return {s.student.id: s.score for s in gb.assignment_submissions(assignment)}


def test_an_attacker_beside_honest_classmates_costs_them_nothing(mixed_class):
    """canvastools autograde --jobs 2, TMPDIR below /tmp: the attacker's fork storm and memory
    hog stay in its sandbox, every classmate keeps full marks, and the attacker is flagged."""
    course, assignment = mixed_class["course"], mixed_class["assignment"]
    tmpdir = Path(tempfile.mkdtemp(dir="/tmp")) / "x" / "y"
    tmpdir.mkdir(parents=True)
    try:
        done = subprocess.run([str(BIN / "canvastools"), "autograde", assignment, "--jobs",
                               "2", "--force"], cwd=course,
                              env=dict(mixed_class["env"], TMPDIR=str(tmpdir)),
                              capture_output=True, text=True, timeout=600)
        left = list(tmpdir.glob("canvastools-*"))
    finally:
        shutil.rmtree(tmpdir.parent.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    scores = _scores(course, assignment)
    for student in mixed_class["honest"]:
        assert scores[student] == pytest.approx(5.0), (student, scores, done.stdout)
    record = json.loads((course / "canvastools-grading" / assignment / "attacker.json")
                        .read_text())
    codes = {f["code"] for f in record["flags"]}
    if "pids" in Sandbox.guards()["tasks"]:
        assert "sandbox-limit" in codes, (record["flags"], done.stdout)
    assert "flagged attacker" in done.stdout or "pids" not in Sandbox.guards()["tasks"]
    assert "unsandboxed" not in done.stdout.lower()
    assert left == [], f"scratch folders left behind: {left}"
    print(done.stdout)


def test_no_sandbox_is_said_loudly(mixed_class, tmp_path):
    """--no-sandbox: the run says so in the summary and flags every student it ran."""
    course = tmp_path / "course"
    shutil.copytree(mixed_class["pristine"], course, symlinks=True)
    done = subprocess.run([str(BIN / "canvastools"), "autograde", mixed_class["assignment"],
                           "--jobs", "1", "--force", "--no-sandbox", "--student", "honest0"],
                          cwd=course, env=mixed_class["env"], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "STUDENT CODE RAN WITHOUT A SANDBOX" in done.stdout
    assert "flagged honest0: unsandboxed" in done.stdout


def test_a_class_whose_sandboxes_cannot_start_is_not_graded_unsandboxed(mixed_class, tmp_path):
    """Through the command: a student whose sandbox cannot start (here every one: a task limit
    of 1) fails with sandbox-unavailable, the summary says why, and nothing ran outside."""
    if "pids" not in Sandbox.guards()["tasks"]:
        pytest.skip("needs a pids cgroup per sandbox to make one fail to start "
                    f"(here: {Sandbox.guards()['tasks']})")
    course = tmp_path / "course"
    shutil.copytree(mixed_class["pristine"], course, symlinks=True)
    with (course / "nbgrader_config.py").open("a") as config:
        config.write("\nc.SandboxedExecute.max_processes = 1\n"
                     "c.SandboxedExecute.sandbox_attempts = 2\n")
    done = subprocess.run([str(BIN / "canvastools"), "autograde", mixed_class["assignment"],
                           "--jobs", "1", "--force", "--student", "honest0"],
                          cwd=course, env=mixed_class["env"], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "failed  honest0: sandbox-unavailable" in done.stdout, done.stdout
    assert "NOT graded because their sandbox could not start" in done.stdout
    assert "unsandboxed" not in done.stdout.lower()
    assert "honest0" not in _scores(course, mixed_class["assignment"])
