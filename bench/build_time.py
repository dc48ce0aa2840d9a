"""Wall time of a clean book build and of the nbval run, measured one after the other.

Run: .venv/bin/python bench/build_time.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def timed(cmd, **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT, **kwargs)
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as out:
        build = timed([str(BIN / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going", "--path-output", out],
                      env={**os.environ, "SCALING_BOOK_BUILD": "1"})
    nbval = timed([sys.executable, "-m", "pytest", "--nbval", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg",
                   "chapters", "-q", "-p", "no:cacheprovider"])
    chapters = len(list((ROOT / "chapters").glob("*.ipynb")))
    print(f"clean build ({chapters} notebooks executed): {build:.1f} s")
    print(f"nbval on every chapter:                 {nbval:.1f} s")


if __name__ == "__main__":
    main()
