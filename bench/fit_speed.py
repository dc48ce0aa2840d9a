"""Approach 3 on the paper's full 4,500-start grid: the batched fit against scipy from every start.

Both methods fit the same 300 points, simulated from Hoffmann et al.'s law (HOFFMANN_2022) with 1 %
log-normal noise (seed 0), in one run. Both are single-threaded (BLAS threads pinned to 1 before
numpy loads), so the ratio compares algorithms, not cores. The fast fit is timed three times before
and three times after the slow one (the median of six), so a machine that speeds up or slows down
during the run does not bias the ratio.

Prints each method's wall time and best objective, their difference (target: within 1e-8), and
last a line `speedup <ratio>x` (target: >= 100x, with the fast fit <= 2 s on the 2-core machine).

Run: python bench/fit_speed.py
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import time  # noqa: E402

import numpy as np  # noqa: E402

from scaling_lib import chinchilla  # noqa: E402


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> None:
    runs = chinchilla.simulate_runs(chinchilla.HOFFMANN_2022, np.geomspace(1e18, 1e22, 20),
                                    models_per_budget=15, noise=0.01, seed=0)
    data = (runs["n_params"], runs["n_tokens"], runs["loss"])
    chinchilla.fit_approach3(*data)  # warm-up: imports, first touch of memory

    fast_times = []
    for _ in range(3):
        seconds, fast = _timed(lambda: chinchilla.fit_approach3(*data))
        fast_times.append(seconds)
    slow_s, slow = _timed(lambda: chinchilla.fit_approach3_per_start_scipy(*data))
    for _ in range(3):
        seconds, fast = _timed(lambda: chinchilla.fit_approach3(*data))
        fast_times.append(seconds)
    fast_s = float(np.median(fast_times))

    print(f"data: {len(data[0])} points from HOFFMANN_2022, 1 % noise, seed 0; starts: {fast.n_starts}")
    print(f"batched L-BFGS + scipy polish:   {fast_s:8.3f} s (median of 6: "
          f"{', '.join(f'{t:.3f}' for t in fast_times)}), objective {fast.objective:.15g}")
    print(f"scipy L-BFGS-B from every start: {slow_s:8.3f} s ({1e3 * slow_s / slow.n_starts:.2f} ms per start), "
          f"objective {slow.objective:.15g}")
    print(f"objective difference (fast - scipy): {fast.objective - slow.objective:+.2e} (target: within 1e-8)")
    for name in ("E", "A", "B", "alpha", "beta"):
        print(f"  {name:5s} fast {getattr(fast, name):12.6g}   scipy {getattr(slow, name):12.6g}")
    print(f"speedup {slow_s / fast_s:.0f}x")


if __name__ == "__main__":
    main()
