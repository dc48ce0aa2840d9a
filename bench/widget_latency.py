"""Latency of every explorer redraw, as a reader waits for it: compute, draw and render to PNG.

Absolute times on a shared machine move by half between runs, so each explorer is measured against
a baseline taken in the same run: a fresh one-line house-style figure (``plotting.figure``, one
``plot`` call) rendered to PNG. For each explorer the bench renders its sweep points in turn, one
after another (each render follows a render of a different setting, as when a reader moves a
control), REPEATS rounds after one warm-up round, and prints the baseline's p50, each explorer's p50
and p95, and p50 as a ratio of the baseline. Baseline renders are interleaved with the explorers'
rounds so that both see the same load.

Target: every explorer's p50 <= 0.8 x the baseline.

Run: .venv/bin/python bench/widget_latency.py
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from scaling_lib import plotting
from scaling_lib.widgets import all_explorers

REPEATS = 5
TARGET_RATIO = 0.8


def fresh_figure_png() -> bytes:
    """The baseline: a new one-line figure in the house style, rendered to PNG."""
    fig, ax = plotting.figure()
    x = np.geomspace(1.0, 1e3, 50)
    ax.plot(x, 2.0 * x**-0.3)
    return plotting.to_png(fig)


def _ms(call) -> float:
    start = time.perf_counter()
    call()
    return 1000 * (time.perf_counter() - start)


def main() -> None:
    explorers = all_explorers()
    fresh_figure_png()  # warm-up: fonts, caches
    baseline, times = [], {e.name: [] for e in explorers}
    for round_ in range(REPEATS + 1):
        for explorer in explorers:
            baseline.append(_ms(fresh_figure_png))
            for values in explorer.sweep_points():
                elapsed = _ms(lambda: explorer.render(**values))
                if round_:  # round 0 warms up: imports, cached fits
                    times[explorer.name].append(elapsed)
    base = statistics.median(baseline[len(explorers):])
    print(f"baseline: a fresh one-line figure rendered to PNG, p50 {base:.1f} ms")
    print(f"{'explorer':34s} {'points':>6s} {'p50 ms':>7s} {'p95 ms':>7s} {'ratio':>6s}  target <= {TARGET_RATIO:g}")
    worst = 0.0
    for explorer in explorers:
        t = times[explorer.name]
        p50, p95 = statistics.median(t), float(np.percentile(t, 95))
        ratio = p50 / base
        worst = max(worst, ratio)
        print(f"{explorer.name:34s} {len(explorer.sweep_points()):6d} {p50:7.1f} {p95:7.1f} {ratio:6.2f}  "
              f"{'ok' if ratio <= TARGET_RATIO else 'OVER'}")
    print(f"worst ratio {worst:.2f} (target <= {TARGET_RATIO:g})")


if __name__ == "__main__":
    main()
