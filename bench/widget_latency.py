"""Latency of every explorer callback: compute plus figure render to PNG, as a reader waits for it.

Prints p50 and p95 per explorer over its sweep points (each rendered REPEATS times, after one warm-up
render), and the target: p50 <= 50 ms.

Run: .venv/bin/python bench/widget_latency.py
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from scaling_lib.widgets import all_explorers

REPEATS = 5
TARGET_MS = 50.0


def main() -> None:
    print(f"{'explorer':40s} {'points':>6s} {'p50 ms':>8s} {'p95 ms':>8s}  target p50 <= {TARGET_MS:g} ms")
    worst = 0.0
    for explorer in all_explorers():
        explorer.render()  # warm-up: imports, font cache
        times = []
        for values in explorer.sweep_points():
            for _ in range(REPEATS):
                start = time.perf_counter()
                explorer.render(**values)
                times.append(1000 * (time.perf_counter() - start))
        p50, p95 = statistics.median(times), float(np.percentile(times, 95))
        worst = max(worst, p50)
        flag = "ok" if p50 <= TARGET_MS else "OVER"
        print(f"{explorer.name:40s} {len(explorer.sweep_points()):6d} {p50:8.1f} {p95:8.1f}  {flag}")
    print(f"worst p50 {worst:.1f} ms")


if __name__ == "__main__":
    main()
