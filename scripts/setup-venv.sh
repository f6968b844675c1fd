#!/usr/bin/env bash
# Create .venv (installing Debian's python3-venv if Python lacks venv) and install the project
# into it, editable. Usage: bash scripts/setup-venv.sh [EXTRAS]   e.g. test
# Says what it is doing: the first install takes minutes and would otherwise look stuck.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "setup-venv.sh: $*"; }

python="${PYTHON:-python3}"
sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
if [ ! -x .venv/bin/python ]; then
    say "creating the virtual environment .venv (with $python)..."
    if ! "$python" -m venv .venv; then
        # Debian's python3 ships venv separately
        say "installing Debian's python3-venv (apt-get)..."
        rm -rf .venv
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >/dev/null
        "$python" -m venv .venv
    fi
fi
target="."; [ -z "${1:-}" ] || target=".[$1]"
say "installing canvastools ($target) and its dependencies into .venv with pip (JupyterLab,"
say "nbgrader, matplotlib...: a few minutes on the first run, quick afterwards)..."
start=$SECONDS
if ! .venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$target"; then
    say "pip could not install canvastools (see its message above); nothing else was changed"
    exit 1
fi
say "done in $((SECONDS - start)) s: .venv is ready (activate it with: source .venv/bin/activate)"
