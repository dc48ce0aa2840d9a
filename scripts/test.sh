#!/usr/bin/env bash
# Install what the tests need and run every test: scaling_lib's unit and property tests, the widget
# sweeps, nbval on every chapter, the book build with warnings as errors, and the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh test
exec .venv/bin/python -m pytest --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg "$@"
