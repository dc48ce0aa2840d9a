#!/usr/bin/env bash
# Install what the book needs into .venv (created with the python3 on PATH, 3.11 or newer).
#   bash scripts/install.sh         reading, running and building the book
#   bash scripts/install.sh test    ... and everything the tests need, Chromium included
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
if [ "${1:-}" = "test" ]; then
    .venv/bin/python -m pip install --quiet -r requirements-test.txt
else
    .venv/bin/python -m pip install --quiet -r requirements.txt
fi
.venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
apt_install() {
    command -v apt-get >/dev/null || return 1
    as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

# The site serves its own JavaScript (widgets, MathJax), fetched from the npm registry.
if ! command -v npm >/dev/null; then
    apt_install npm || echo "install npm (Node.js) to build the site" >&2
fi
.venv/bin/python scripts/fetch_site_assets.py

# The browser tests drive Debian's Chromium (a test tool's own browser download cannot work here).
if [ "${1:-}" = "test" ] && ! command -v chromium >/dev/null; then
    apt_install chromium || echo "Chromium is missing and could not be installed: browser tests will skip (fail with CI=true)" >&2
fi
