"""Regenerate the book's own scaling experiment: the languages, the sweep, and the tables in data/.

For each language seed (scaling_lib.experiment.sweep.LANGUAGE_SEEDS) and then each language variant
(sweep.VARIANTS): build the language, train every run of its sweep on two worker processes; then
write data/experiment_runs.csv, data/experiment_curves.csv, data/experiment_variants.csv and
data/experiment_language.json. Then the learning-rate schedule runs on language 0
(scaling_lib.experiment.schedule_runs: per width one long constant-learning-rate run and cooldowns branched
from it), written to data/experiment_schedules.csv; --schedules-only runs this stage alone. Finished
runs are kept in a resume folder, so an interrupted sweep continues where it stopped; --fresh starts
over. About 10 minutes on a 2-core machine for the sweep, and about 1 more for the schedule runs.

The tables depend only on the seeds: the same machine writes the same bytes (floats in full, no
timings). Another machine's BLAS may round differently in the last digits.

Run: python scripts/run_experiment.py [--workers 2] [--out data] [--resume-dir .experiment_runs] [--fresh]
     [--schedules-only]
Prints each stage's wall time and the sweep's matrix-product throughput beside this machine's own
single-core float32 matrix-multiply rate, measured in the same run.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # one BLAS thread per process: steadier than two threads (see the chapter)

import argparse  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scaling_lib.experiment import language, schedule_runs, sweep  # noqa: E402


def matmul_rate(repeats: int = 30, size: int = 1024) -> float:
    """This machine's float32 matrix-multiply rate on one core, FLOP/s (best of ``repeats``)."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((size, size), dtype=np.float32)
    b = rng.standard_normal((size, size), dtype=np.float32)
    out = np.empty_like(a)
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        np.matmul(a, b, out=out)
        best = min(best, time.perf_counter() - start)
    return 2 * size ** 3 / best


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "data")
    parser.add_argument("--resume-dir", type=Path, default=ROOT / ".experiment_runs")
    parser.add_argument("--fresh", action="store_true", help="forget finished runs and start over")
    parser.add_argument("--schedules-only", action="store_true",
                        help="run only the learning-rate schedule stage (data/experiment_schedules.csv)")
    args = parser.parse_args(argv)
    if args.fresh and args.resume_dir.exists():
        shutil.rmtree(args.resume_dir)
    if args.schedules_only:
        return run_schedule_stage(args)

    rate_before = matmul_rate()
    jobs = [(f"language {seed}", seed, "", sweep.sweep_specs(seed)) for seed in sweep.LANGUAGE_SEEDS]
    jobs += [(f"variant {name}", 0, name, sweep.variant_specs(name)) for name in sweep.VARIANTS]
    results, facts = [], []
    for label, seed, variant, specs in jobs:
        start = time.perf_counter()
        lang = language.build_language(seed, workers=args.workers, **sweep.VARIANTS.get(variant, {}))
        built = time.perf_counter() - start
        print(f"{label}: built in {built:.1f} s; entropy rate {lang.entropy_rate:.6f} nats, "
              f"stationary residual {lang.stationary_residual:.1e}", flush=True)
        count = [0]

        def progress(r, total=len(specs)):
            count[0] += 1
            s = r["spec"]
            print(f"  [{count[0]:3d}/{total}] C={s['budget']:.2e} H={s['width']:5d} seed={s['seed']} "
                  f"loss {r['loss']:.4f} ({r['wall_time_s']:.1f} s)", flush=True)

        start = time.perf_counter()
        mine = sweep.run_sweep(lang, specs, resume_dir=args.resume_dir, workers=args.workers,
                               progress=progress)
        wall = time.perf_counter() - start
        totals = sweep.timing_summary(mine)
        print(f"{label}: {len(mine)} runs, {count[0]} of them trained now, in {wall:.1f} s wall "
              f"({totals['wall_time_s']:.1f} s in runs, {totals['eval_time_s']:.1f} s of it evaluating)",
              flush=True)
        results += mine
        facts.append(lang.facts())
        del lang, mine
        language.build_language.cache_clear()  # one language in memory at a time
    rate_after = matmul_rate()

    args.out.mkdir(parents=True, exist_ok=True)
    for path in sweep.write_tables(results, facts, args.out):
        print(f"wrote {path}")
    totals = sweep.timing_summary(results)
    flops = totals["train_matmul_flops"] + totals["eval_matmul_flops"]
    if totals["wall_time_s"] > 0:
        per_core = flops / totals["wall_time_s"]
        rate = max(rate_before, rate_after)
        print(f"matmul rate of one core: {rate_before / 1e9:.1f} GFLOP/s before, "
              f"{rate_after / 1e9:.1f} after the sweep")
        print(f"model throughput per core: {per_core / 1e9:.1f} GFLOP/s "
              f"(training {totals['train_matmul_flops']:.3e} + evaluation "
              f"{totals['eval_matmul_flops']:.3e} FLOPs in products, over {totals['wall_time_s']:.1f} s "
              f"of runs), {100 * per_core / rate:.0f} % of the matmul rate")
    return run_schedule_stage(args)


def run_schedule_stage(args) -> int:
    """The learning-rate schedule runs on language 0: data/experiment_schedules.csv."""
    start = time.perf_counter()
    lang = language.build_language(0, workers=args.workers)
    widths = schedule_runs.SCHEDULE_WIDTHS

    def progress(width, rows):
        print(f"  schedules: width {width:4d} done ({len(rows)} evaluations, "
              f"{time.perf_counter() - start:.1f} s)", flush=True)

    rows = schedule_runs.run_schedules(lang, widths, resume_dir=args.resume_dir, workers=args.workers,
                                   progress=progress)
    args.out.mkdir(parents=True, exist_ok=True)
    path = schedule_runs.write_schedule_table(rows, args.out / "experiment_schedules.csv")
    print(f"schedules: {len(widths)} widths in {time.perf_counter() - start:.1f} s wall; wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
