"""Time of 1,000 bootstrap resamples of each approach (target: <= 60 s each on the 2-core machine).

Run: .venv/bin/python bench/bootstrap_speed.py
"""

from __future__ import annotations

import time

import numpy as np

from scaling_lib import chinchilla as ch


def main() -> None:
    runs = ch.simulate_isoflop_runs(ch.HOFFMANN_2022, np.geomspace(1e18, 1e22, 20), models_per_budget=15,
                                    noise=0.01, seed=0)
    curves = ch.simulate_training_curves(ch.HOFFMANN_2022, np.geomspace(4e7, 1.6e10, 12), seed=0)
    fit = ch.fit_approach3(runs["n_params"], runs["n_tokens"], runs["loss"])
    jobs = {
        "Approach 1 (training curves)": lambda: ch.bootstrap_allocation(
            1, curves["n_params"], curves["flops"], curves["loss"], n_resamples=1000, at_flops=5.76e23),
        "Approach 2 (IsoFLOP profiles)": lambda: ch.bootstrap_allocation(
            2, runs["n_params"], runs["flops"], runs["loss"], n_resamples=1000, at_flops=5.76e23),
        "Approach 3 (parametric fit)": lambda: ch.bootstrap_approach3(
            runs["n_params"], runs["n_tokens"], runs["loss"], n_resamples=1000, at_flops=5.76e23, fit=fit),
    }
    for name, job in jobs.items():
        start = time.perf_counter()
        boot = job()
        seconds = time.perf_counter() - start
        lo, hi = boot.interval("a")
        print(f"{name:32s} 1000 resamples in {seconds:6.2f} s   a in [{lo:.3f}, {hi:.3f}]")


if __name__ == "__main__":
    main()
