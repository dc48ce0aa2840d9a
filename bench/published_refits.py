"""Wall time of every refit on published runs the chapters run (they execute on every build).

Times, in one run and in one process, single-threaded (BLAS threads pinned to 1 before numpy loads):
Approach 3 on the 240 extracted Chinchilla runs (target: under 2 s), the replication's account of the
published fit (the same optimiser on the summed and on the averaged objective), the bootstrap of the
refit (1,000 resamples), Porian et al.'s ladder on each data set (5 configurations, 1,000 noisy draws
per budget), the naive-parabola comparison and the refit of Muennighoff et al.'s R*. Each is timed
after a warm-up call of the cheapest one; prints the time and the headline number of each.

Run: python bench/published_refits.py
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import time  # noqa: E402

from scaling_lib import chinchilla, data_constrained, porian, published_runs  # noqa: E402


def _timed(label, fn, describe):
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    print(f"{label:48s} {seconds:7.2f} s   {describe(result)}")
    return result


def main() -> None:
    runs = published_runs.load_chinchilla_extracted().without_highest_losses(5)
    chinchilla.fit_approach3(runs.n_params[:60], runs.n_tokens[:60], runs.loss[:60])  # warm-up
    fit = _timed("Approach 3, 240 runs (fit_approach3)",
                 lambda: chinchilla.fit_approach3(runs.n_params, runs.n_tokens, runs.loss),
                 lambda f: f"E={f.E:.4f} A={f.A:.1f} B={f.B:.1f} alpha={f.alpha:.4f} beta={f.beta:.4f}")
    refit = _timed("refit_extracted (fit + published laws scored)", chinchilla.refit_extracted,
                   lambda r: f"objective {r.objectives['refit']:.6f} vs Hoffmann {r.objectives['Hoffmann et al. (2022)']:.6f}")
    _timed("fit_approach3 stopping='lbfgs-default', summed",
           lambda: chinchilla.fit_approach3(runs.n_params, runs.n_tokens, runs.loss, stopping="lbfgs-default"),
           lambda f: f"a={chinchilla.allocation_exponents(f)[0]:.4f}")
    _timed("fit_approach3 stopping='lbfgs-default', averaged",
           lambda: chinchilla.fit_approach3(runs.n_params, runs.n_tokens, runs.loss, stopping="lbfgs-default",
                                            reduction="mean"),
           lambda f: f"a={chinchilla.allocation_exponents(f)[0]:.4f}")
    _timed("interval_widths (1,000 resamples)", lambda: chinchilla.interval_widths(refit),
           lambda i: f"a 80% width {i.intervals['a'][1] - i.intervals['a'][0]:.4f}, runs needed {i.runs_needed['a']:,.0f}")
    for dataset in ("rw", "owt2"):
        _timed(f"reconciliation_ladder('{dataset}')", lambda: porian.reconciliation_ladder(dataset),
               lambda lad: "a = " + " -> ".join(f"{a:.3f}" for a in lad.a))
    _timed("naive_vs_interpolated", porian.naive_vs_interpolated,
           lambda c: f"interpolated a={c.fit.a:.3f}, parabola a={c.naive.a:.3f}")
    _timed("refit_data_constrained", data_constrained.refit_data_constrained,
           lambda r: f"R*_D={r.fit.r_star_d:.3f} R*_N={r.fit.r_star_n:.3f}")
    del fit


if __name__ == "__main__":
    main()
