#!/usr/bin/env bash
# Set up everything the tests need on a fresh Debian machine, then lint and run the tests:
# Debian's chromium (browser tests), bubblewrap (sandboxed student code) and postgresql (the
# tests start their own server with its initdb/pg_ctl), each installed only when missing, with
# one `apt-get update` at most; then a virtual environment in .venv with the project and its
# test extras. Works as root (CI) and for a developer with sudo. Extra arguments go to pytest
# (e.g. -k answers).
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v bwrap >/dev/null || missing+=(bubblewrap)
compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null || missing+=(postgresql)
# Debian's python3 ships venv separately (scripts/setup-venv.sh would install it on its own)
[ -x .venv/bin/python ] || python3 -c "import ensurepip" 2>/dev/null || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing Debian packages for the tests: ${missing[*]}..."
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# configurable-http-proxy from npm, for the JupyterHub course test (tests/hub), once, into a
# cache folder (the test looks there; without npm that test is skipped and says why)
proxy_dir="${XDG_CACHE_HOME:-$HOME/.cache}/canvastools/hub-proxy"
if [ ! -x "$proxy_dir/node_modules/.bin/configurable-http-proxy" ]; then
    if command -v npm >/dev/null; then
        echo "Installing configurable-http-proxy (npm) into $proxy_dir for the JupyterHub test..."
        npm install --prefix "$proxy_dir" --no-audit --no-fund --loglevel=error \
            configurable-http-proxy >/dev/null
    else
        echo "npm is missing: the JupyterHub test (tests/hub) will be skipped"
    fi
fi

# axe-core from npm, for the accessibility checks (tests/browser/test_accessibility_browser.py),
# once, into a cache folder (the test looks there; without npm it is skipped and says why)
axe_dir="${XDG_CACHE_HOME:-$HOME/.cache}/canvastools/axe"
if [ ! -f "$axe_dir/node_modules/axe-core/axe.min.js" ]; then
    if command -v npm >/dev/null; then
        echo "Installing axe-core (npm) into $axe_dir for the accessibility test..."
        npm install --prefix "$axe_dir" --no-audit --no-fund --loglevel=error axe-core >/dev/null
    else
        echo "npm is missing: the accessibility test (axe-core) will be skipped"
    fi
fi

bash scripts/setup-venv.sh test
.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"
