"""Approach 3 on the paper's full 4,500-start grid: the batched fit against scipy from every start.

Both fit the same 300 points simulated from Hoffmann et al.'s law with 1 % log-normal noise
(seeded), in one run, one after the other. Prints each method's wall time and best objective, the
objective difference (target: within 1e-8), and last a line `speedup <ratio>x` (target: >= 100x,
with the fast fit <= 2 s on this 2-core machine).

Run: .venv/bin/python bench/fit_speed.py
"""

from __future__ import annotations

import time

import numpy as np

from scaling_lib import chinchilla


def main() -> None:
    runs = chinchilla.simulate_isoflop_runs(chinchilla.HOFFMANN_2022, np.geomspace(1e18, 1e22, 20),
                                            models_per_budget=15, noise=0.01, seed=0)
    data = (runs["n_params"], runs["n_tokens"], runs["loss"])
    chinchilla.fit_approach3(*data)  # warm-up: imports, first-touch of memory

    times = []
    for _ in range(5):  # the fast fit is cheap: take the median of five
        start = time.perf_counter()
        fast = chinchilla.fit_approach3(*data)
        times.append(time.perf_counter() - start)
    fast_s = sorted(times)[2]

    start = time.perf_counter()
    slow = chinchilla.fit_approach3_per_start_scipy(*data)
    slow_s = time.perf_counter() - start

    print(f"points: {len(data[0])}, starts: {fast.n_starts}")
    print(f"batched L-BFGS + polish:        {fast_s:8.3f} s (median of 5), objective {fast.objective:.15g}")
    print(f"scipy L-BFGS-B from each start: {slow_s:8.3f} s, objective {slow.objective:.15g}")
    print(f"objective difference (fast - scipy): {fast.objective - slow.objective:+.2e} (target |d| <= 1e-8)")
    print(f"fitted: E={fast.E:.4f} A={fast.A:.2f} B={fast.B:.2f} alpha={fast.alpha:.4f} beta={fast.beta:.4f}")
    print(f"speedup {slow_s / fast_s:.0f}x")


if __name__ == "__main__":
    main()
