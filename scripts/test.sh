#!/usr/bin/env bash
# Install what the tests need and run every test: scaling_lib's unit and property tests, the widget
# sweeps, nbval on every chapter, the book build with warnings as errors, and the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh test
# The book build starts with the session and runs beside the other tests (tests/conftest.py), and two
# pytest-xdist workers share the rest, each test file and each notebook on one worker: the suite's
# ~700 CPU-seconds on a 2-core machine. Add -n 0 to run the tests in one process.
export SCALING_BOOK_START_BUILD=1
# One BLAS thread per process: two workers, the build and the notebooks' kernels already share two
# cores, and OpenBLAS threads that outnumber the cores spin against each other (in two fresh clones
# run one after the other on one 2-core machine, the suite took 810 s with numpy's default threads and
# 559 s with one). Results are unchanged: nbval compares every stored output. The BLAS kernel is
# still the one the machine picks.
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
exec .venv/bin/python -m pytest -n 2 --dist loadscope --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg "$@"
