# The shell of the terminals in the course's JupyterLab (scripts/course.sh starts them with
# `bash --rcfile` this file): your own ~/.bashrc, then the course's .venv first on PATH, so that
# `canvastools`, `jupyter` and `nbgrader` are the course's own.
# shellcheck disable=SC1090
[ -f ~/.bashrc ] && . ~/.bashrc
PATH="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.venv/bin:$PATH"
export PATH
