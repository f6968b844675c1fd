#!/usr/bin/env bash
# Set up everything the tests need on a fresh Debian machine, then lint and run the tests:
# a virtual environment in .venv with the project and its test extras, and Debian's
# Chromium for the browser tests. Extra arguments go to pytest (e.g. -k answers).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-venv.sh test
sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"

if [ ! -x /usr/bin/chromium ]; then
    echo "Installing Debian's chromium for the browser tests..."
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"
