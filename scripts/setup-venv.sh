#!/usr/bin/env bash
# Create .venv (installing Debian's python3-venv if Python lacks venv) and install the project
# into it, editable. Usage: bash scripts/setup-venv.sh [EXTRAS]   e.g. test
set -euo pipefail
cd "$(dirname "$0")/.."

python="${PYTHON:-python3}"
sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
if [ ! -x .venv/bin/python ] && ! "$python" -m venv .venv; then
    # Debian's python3 ships venv separately
    echo "Installing Debian's python3-venv..."
    rm -rf .venv
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >/dev/null
    "$python" -m venv .venv
fi
target="."; [ -z "${1:-}" ] || target=".[$1]"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$target"
