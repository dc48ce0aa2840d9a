"""How long the experiment chapter's live slice takes here: building the language, then each slice.

The chapter's "Train a slice yourself" button builds language 0 and trains five models of one
budget in the reader's process, one BLAS thread (:class:`scaling_lib.widgets.experiment.LiveSlice`).
This script does the same, in a fresh process so the language is not cached, and prints the wall
time of each stage with the machine's load average: timings on a shared machine are not
reproducible, so the chapter quotes the range this script measured rather than a single figure.

Run: python bench/live_slice.py [repeats]     (a few minutes per repeat on a 2-core machine)
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

WORKER = r"""
import json, os, time
from scaling_lib.experiment import language, sweep
from scaling_lib.widgets.experiment import SLICE_BUDGETS
out = {"load_before": os.getloadavg()[0]}
start = time.perf_counter()
lang = language.build_language(0)
out["build_s"] = time.perf_counter() - start
out["slices_s"] = {}
for budget in SLICE_BUDGETS:
    start = time.perf_counter()
    sweep.run_sweep(lang, sweep.slice_specs(budget, 0), workers=1)
    out["slices_s"][f"{budget:.3g}"] = time.perf_counter() - start
out["load_after"] = os.getloadavg()[0]
print("RESULT" + json.dumps(out))
"""


def main(repeats: int = 1):
    print(f"{os.cpu_count()} cores; one BLAS thread, as the live slice runs")
    results = []
    for i in range(repeats):
        proc = subprocess.run([sys.executable, "-c", WORKER], cwd=ROOT, capture_output=True, text=True,
                              env=dict(os.environ))
        lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT")]
        if proc.returncode or not lines:
            print(f"repeat {i + 1}: failed ({proc.stderr.strip().splitlines()[-1:]})")
            continue
        r = json.loads(lines[-1][len("RESULT"):])
        results.append(r)
        slices = ", ".join(f"{b}: {s:.0f} s" for b, s in r["slices_s"].items())
        print(f"repeat {i + 1} (load average {r['load_before']:.1f} to {r['load_after']:.1f}): "
              f"language {r['build_s']:.0f} s; slices {slices}", flush=True)
    if results:
        build = [r["build_s"] for r in results]
        print(f"language: {min(build):.0f} to {max(build):.0f} s")
        for b in results[0]["slices_s"]:
            t = [r["slices_s"][b] for r in results]
            print(f"slice at {b} FLOPs: {min(t):.0f} to {max(t):.0f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
