"""Time of 1,000 bootstrap resamples of each approach (target: <= 60 s each on the 2-core machine).

Data as in bench/fit_speed.py (300 IsoFLOP runs from HOFFMANN_2022, 1 % noise) and, for Approach 1,
12 simulated training curves of 40 points. Each bootstrap also extrapolates the optimum to the Gopher
budget, 5.76e23 FLOPs. Single-threaded BLAS, as in fit_speed.py.

Run: python bench/bootstrap_speed.py
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import time  # noqa: E402

import numpy as np  # noqa: E402

from scaling_lib import chinchilla as ch  # noqa: E402


def main() -> None:
    runs = ch.simulate_runs(ch.HOFFMANN_2022, np.geomspace(1e18, 1e22, 20), models_per_budget=15,
                            noise=0.01, seed=0)
    curves = ch.simulate_training_curves(ch.HOFFMANN_2022, np.geomspace(4e7, 1.6e10, 12), seed=0)
    start = time.perf_counter()
    fit = ch.fit_approach3(runs["n_params"], runs["n_tokens"], runs["loss"])
    print(f"Approach 3 fit of the full data (the bootstrap's starting point): {time.perf_counter() - start:.2f} s")
    jobs = {
        "Approach 1 (training curves)": lambda: ch.bootstrap_allocation(
            1, curves["n_params"], curves["flops"], curves["loss"], n_resamples=1000, at_flops=5.76e23),
        "Approach 2 (IsoFLOP profiles)": lambda: ch.bootstrap_allocation(
            2, runs["n_params"], runs["flops"], runs["loss"], n_resamples=1000, at_flops=5.76e23),
        "Approach 3 (parametric fit)": lambda: ch.bootstrap_approach3(
            runs["n_params"], runs["n_tokens"], runs["loss"], n_resamples=1000, at_flops=5.76e23, fit=fit),
    }
    total = 0.0
    for name, job in jobs.items():
        start = time.perf_counter()
        boot = job()
        seconds = time.perf_counter() - start
        total += seconds
        a_lo, a_hi = boot.interval("a")
        n_lo, n_hi = boot.interval("n_opt")
        print(f"{name:30s} {boot.n_used:4d}/1000 resamples in {seconds:6.2f} s   a in [{a_lo:.3f}, {a_hi:.3f}]"
              f"   N_opt(5.76e23) in [{n_lo:.3g}, {n_hi:.3g}]")
    print(f"bootstrap total {total:.1f} s")


if __name__ == "__main__":
    main()
