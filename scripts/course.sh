#!/usr/bin/env bash
# Open the course in JupyterLab, setting up .venv with the project on the first run.
# Extra arguments go to `jupyter lab` (e.g. --no-browser --port 8890).
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "course.sh: $*"; }

if [ ! -x .venv/bin/jupyter ]; then
    say "first run: setting up .venv, the course's Python environment, with canvastools,"
    say "JupyterLab and nbgrader (a few minutes, once; later runs start at once)"
    bash scripts/setup-venv.sh
fi

# The course's own JupyterLab shows no "Jupyter news" pop-up: it would cover the exercises'
# buttons. JupyterLab reads overrides.json from the settings folder of the environment's
# application directory; settings a user changes in JupyterLab still win.
.venv/bin/python - <<'PY'
import json, sys
from pathlib import Path

path = Path(sys.prefix, "share", "jupyter", "lab", "settings", "overrides.json")
settings = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
key = "@jupyterlab/apputils-extension:notification"
wanted = {"fetchNews": "false", "checkForUpdates": False}
if {k: settings.get(key, {}).get(k) for k in wanted} != wanted:
    settings.setdefault(key, {}).update(wanted)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
PY

# The terminals of this JupyterLab find `canvastools`, `jupyter` and `nbgrader` of .venv: bash
# with scripts/course-terminal.bashrc (your ~/.bashrc, then .venv/bin first on PATH). Without
# it, a server started outside a terminal opens login shells, whose /etc/profile resets PATH.
export PATH="$PWD/.venv/bin:$PATH"
terminal="shell_command=bash --rcfile $(printf '%q' "$PWD/scripts/course-terminal.bashrc")"
# Validate on a lesson says that a lesson is not graded (canvastools/grader/lesson_validate.py).
root=(); [ "$(id -u)" != 0 ] || root=(--allow-root)   # containers often run as root
say "starting JupyterLab on course/ (stop it with Ctrl+C in this terminal)"
say "the lessons are saved without their outputs, as the course ships them (git stays clean);"
say "your answers are kept in course/canvastools_answers.json and come back when you run a lesson"
exec .venv/bin/jupyter lab course/ "${root[@]}" \
    --ContentsManager.pre_save_hook=canvastools.answers.lesson_save.lesson_pre_save \
    --ServerApp.terminado_settings="$terminal" \
    --ServerApp.jpserver_extensions="{'canvastools.grader.lesson_validate': True}" "$@"
