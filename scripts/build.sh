#!/usr/bin/env bash
# Install what is needed and build the book into _build/html, warnings as errors.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
# Built for the static site (SCALING_BOOK_BUILD), each explorer shows its scenarios, drawn in advance.
SCALING_BOOK_BUILD=1 .venv/bin/jupyter-book build . -W -n --keep-going "$@"
echo "The book is in _build/html/index.html"
