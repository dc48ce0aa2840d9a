#!/usr/bin/env bash
# Install what is needed and build the book into _build/html, warnings as errors.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
# Explorers built for the static site say that their figures cannot change there.
SCALING_BOOK_BUILD=1 .venv/bin/jupyter-book build . -W -n --keep-going "$@"
echo "The book is in _build/html/index.html"
