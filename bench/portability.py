"""How far the book's trained results move between BLAS kernels (and CPU code paths).

numpy's OpenBLAS picks a kernel for the CPU at run time, and numpy itself picks SIMD code paths
(AVX-512 or not) for functions such as ``exp``. This script reruns, in one subprocess per
configuration, everything the tests and chapters compare with a committed table:

- the synthetic language: hashes of its probability tables and of a sampled stream;
- the capstone's real-run service (``capstone.ToyTrainingService``: width 45 at 1e9 FLOPs);
- the experiment chapter's two trained examples (width 64 for 200,000 tokens, and width 64 at
  1e10 FLOPs);
- the live slice (five runs at each of its budgets), against ``data/experiment_runs.csv``.

Each subprocess sets ``OPENBLAS_CORETYPE`` (and, for the stand-ins of older CPUs,
``NPY_DISABLE_CPU_FEATURES``) for itself only; threadpoolctl reports which kernel really ran, and a
configuration whose kernel falls back to one already run (the CPU cannot run it) counts once. It prints,
per result, the largest difference from the committed tables and the spread across kernels.
The tests never set these variables: they pass with whatever kernel numpy picks, comparing trained
results within ``training.REPRODUCTION_TOLERANCE``, a margin over the spread this script measures.

Run: python bench/portability.py      (about a minute per configuration; more on a busy machine)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: (label, OPENBLAS_CORETYPE, numpy CPU features disabled): kernels from the oldest to the newest x86
#: ones, and two stand-ins for CPUs without AVX-512 or without AVX2 (numpy's dispatch limited).
CONFIGS = (
    ("Prescott", "Prescott", ""),
    ("Sandybridge", "Sandybridge", ""),
    ("Haswell", "Haswell", ""),
    ("SkylakeX", "SkylakeX", ""),
    ("Zen", "Zen", ""),
    ("Haswell, numpy without AVX-512", "Haswell", "X86_V4"),
    ("Sandybridge, numpy without AVX2 or AVX-512", "Sandybridge", "X86_V3 X86_V4"),
)

WORKER = r"""
import hashlib, json
import numpy as np, threadpoolctl
from scaling_lib import capstone
from scaling_lib.experiment import analysis, language, model, sweep, training

def digest(*arrays):
    h = hashlib.sha256()
    for a in arrays:
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()[:16]

lang = language.build_language(0)
contexts, tokens = lang.sample(1 << 22, 12345)
out = {
    "kernel": [i.get("architecture") for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas"],
    "tables": digest(lang.conditional, lang.stationary, lang._threshold, lang._alias),
    "stream": digest(contexts, tokens),
    "entropy_rate": lang.entropy_rate,
}
grid = analysis.load_sweep(0).grid()
row = (grid["budget_flops"] == 1e9) & (grid["width"] == 45)
toy = capstone.ToyTrainingService(budget_flops=2e9, language_seed=0)
out["capstone"] = [toy.train(45, int(grid["n_tokens"][row][0])), float(grid["loss"][row][0])]
curve = training.train(lang, 64, 200_000, seed=0)
out["experiment_curve"] = [float(x) for x in curve.curve_loss]
n = training.tokens_for_budget(1e10, 64)
row = (grid["width"] == 64) & (grid["budget_flops"] == 1e10)
out["experiment_1e10"] = [training.train(lang, 64, n, seed=0).final_loss, float(grid["loss"][row][0])]
out["slice"] = []
for budget in sweep.BUDGETS[:5]:
    for r in sweep.run_sweep(lang, sweep.slice_specs(budget, 0), workers=1):
        row = (grid["budget_flops"] == budget) & (grid["width"] == r["spec"]["width"])
        out["slice"].append([r["loss"], float(grid["loss"][row][0])])
print("RESULT" + json.dumps(out))
"""


def run(label, coretype, disabled):
    env = dict(os.environ, OPENBLAS_CORETYPE=coretype, OPENBLAS_NUM_THREADS="1")
    env.pop("NPY_DISABLE_CPU_FEATURES", None)
    if disabled:
        env["NPY_DISABLE_CPU_FEATURES"] = disabled
    proc = subprocess.run([sys.executable, "-c", WORKER], cwd=ROOT, env=env, capture_output=True, text=True)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT")]
    if proc.returncode or not lines:
        print(f"{label}: failed ({proc.stderr.strip().splitlines()[-1:]})", flush=True)
        return None
    result = json.loads(lines[-1][len("RESULT"):])
    kernels = sorted(set(result["kernel"]))  # numpy's and scipy's OpenBLAS report one each
    result["ran"] = f"{'/'.join(kernels)}{', numpy without ' + disabled if disabled else ''}"
    print(f"{label}: ran {result['ran']}", flush=True)
    return result


def main():
    results = {}
    for label, *cfg in CONFIGS:
        r = run(label, *cfg)
        if r is not None and r["ran"] not in results:  # a kernel the CPU cannot run falls back to another
            results[r["ran"]] = r
    if not results:
        print("no configuration ran")
        return
    print(f"\n{len(results)} configurations ran. Per configuration: the language against the first's, and the"
          " largest |trained - committed| loss (nats) of each result (the committed tables are data/)")
    first = next(iter(results.values()))
    print(f"{'configuration':<40}{'tables':>8}{'stream':>8}{'entropy':>9}{'capstone':>10}{'1e10 run':>10}"
          f"{'slice':>10}{'curve*':>10}")
    for name, r in results.items():
        same = lambda key: "same" if r[key] == first[key] else "differ"  # noqa: E731
        slice_gap = max(abs(a - b) for a, b in r["slice"])
        curve = max(abs(a - b) for a, b in zip(r["experiment_curve"], first["experiment_curve"]))
        print(f"{name:<40}{same('tables'):>8}{same('stream'):>8}{abs(r['entropy_rate'] - first['entropy_rate']):>9.0e}"
              f"{abs(r['capstone'][0] - r['capstone'][1]):>10.1e}{abs(r['experiment_1e10'][0] - r['experiment_1e10'][1]):>10.1e}"
              f"{slice_gap:>10.1e}{curve:>10.1e}")
    print("* the training curve of width 64 over 200,000 tokens is not in data/: against the first configuration")
    sys.path.insert(0, str(ROOT))
    from scaling_lib.experiment import training
    print(f"\nthe tests' tolerance, training.REPRODUCTION_TOLERANCE = {training.REPRODUCTION_TOLERANCE:.0e}")


if __name__ == "__main__":
    main()
