"""The README's instructor steps, pasted into a fresh terminal: they work as written."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

from nbg_helpers import ROOT

BIN = Path(sys.executable).parent


def instructor_steps() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## For instructors", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    return [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]


def test_the_steps_activate_the_environment_and_leave_the_repository_first():
    steps = instructor_steps()
    activate = steps.index("source .venv/bin/activate")
    leave = next(i for i, step in enumerate(steps) if step in ("cd ~", "cd /tmp"))
    quickstart = next(i for i, s in enumerate(steps) if s.startswith("canvastools quickstart"))
    first_nbgrader = next(i for i, s in enumerate(steps) if s.startswith("nbgrader"))
    assert activate < leave < quickstart < first_nbgrader
    assert "jupyter lab" not in " ".join(steps) and "course.sh" not in " ".join(steps)


def test_the_steps_pasted_into_a_fresh_terminal_give_the_grades_they_promise(tmp_path):
    """Run as bash runs them, from the repository, with HOME a new folder; setup-venv.sh is
    left out (it would reinstall the package from the network): this .venv is the one it
    makes. Activation is the real `source .venv/bin/activate` of the steps."""
    steps = [s for s in instructor_steps() if not s.startswith("bash scripts/setup-venv.sh")]
    venv = BIN.parent
    script = "set -e\n" + "\n".join(
        s.replace("source .venv/bin/activate", f"source {venv}/bin/activate") for s in steps)
    env = {"HOME": str(tmp_path), "PATH": "/usr/local/bin:/usr/bin:/bin",
           "LANG": os.environ.get("LANG", "C.UTF-8")}
    run = subprocess.run(["bash", "-c", script], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    course = tmp_path / "mycourse"
    with open(course / "grades.csv", newline="") as f:
        scores = {r["student_id"]: (float(r["score"]), float(r["max_score"]))
                  for r in csv.DictReader(f)}
    promised = re.search(r"grades\.csv: (.*)", (ROOT / "README.md").read_text()).group(1)
    expected = {name: (float(got), float(total)) for name, got, total in
                re.findall(r"(\w+) (\d+)/(\d+)", promised)}
    assert scores == expected
    assert not (ROOT / "mycourse").exists()
