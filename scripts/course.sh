#!/usr/bin/env bash
# Open the course in JupyterLab, setting up .venv with the project on the first run.
# Extra arguments go to `jupyter lab` (e.g. --no-browser --port 8890).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/jupyter ] || bash scripts/setup-venv.sh
root=(); [ "$(id -u)" != 0 ] || root=(--allow-root)   # containers often run as root
exec .venv/bin/jupyter lab course/ "${root[@]}" "$@"
