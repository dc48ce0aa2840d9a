"""Simulated runs from a stated law, for the chapters' known-truth exercises (labelled as simulated
wherever they are shown): IsoFLOP profiles for Approaches 2 and 3, idealised training curves for
Approach 1."""

from __future__ import annotations

import numpy as np

from .. import _checks
from ..compute import _tokens_for_budget, _training_flops
from .law import _law, _loss, compute_optimal

#: The largest ``noise`` (standard deviation of ``ln(loss)``) a simulation accepts.
MAX_NOISE = 5.0
#: The most model sizes per budget, or points per training curve, a simulation makes.
MAX_POINTS = 100_000


def simulate_isoflop_runs(law, flops_budgets, *, models_per_budget: int = 9, span: float = 16.0,
                          noise: float = 0.01, seed: int = 0) -> dict:
    """Final losses of IsoFLOP runs simulated from ``law`` (for Approaches 2 and 3).

    For each budget, ``models_per_budget`` sizes log-spaced over a factor ``span`` centred on the
    law's optimum, each trained on ``D = C/(6N)`` tokens; the loss is the law's times log-normal noise.

    Parameters
    ----------
    law : ParametricLaw or fit result
        The law the data come from.
    flops_budgets : array_like
        Budgets, FLOPs (> 0), one IsoFLOP profile each.
    models_per_budget : int, default 9
        Model sizes per budget (3 to 100,000).
    span : float, default 16
        Ratio of the largest to the smallest size of a profile (> 1).
    noise : float, default 0.01
        Standard deviation of ``ln(loss)`` (0.01 is about 1 % scatter); 0 for exact values; at most 5.
    seed : int, default 0
        Seed of the ``numpy.random.Generator`` that draws the noise.

    Returns
    -------
    dict of ndarray
        ``n_params`` (parameters), ``n_tokens`` (tokens), ``flops`` (FLOPs), ``loss`` (nats per
        token), one entry per run.
    """
    law = _law(law)
    budgets = _checks.array(flops_budgets, "flops_budgets", positive=True, ndim=1)
    k = _checks.scalar(models_per_budget, "models_per_budget", integer=True, low=3, high=MAX_POINTS)
    span = _checks.scalar(span, "span", low=1.0 + 1e-9)
    noise = _checks.scalar(noise, "noise", nonnegative=True, high=MAX_NOISE)
    rng = np.random.default_rng(_checks.scalar(seed, "seed", integer=True, nonnegative=True))
    n_opt = np.atleast_1d(compute_optimal(budgets, law).n_params)
    names = "flops_budgets, span and law"
    n = _checks.finite(lambda: (n_opt[:, None] * np.geomspace(span**-0.5, span**0.5, k)[None, :]).ravel(),
                       names, "the model sizes")
    c = np.repeat(budgets, k)
    d = _checks.finite(lambda: _tokens_for_budget(c, n), names, "the tokens")
    clean = _checks.finite(lambda: _loss(n, d, law), names, "the losses")
    return {"n_params": n, "n_tokens": d, "flops": c,
            "loss": _checks.finite(lambda: clean * np.exp(noise * rng.standard_normal(clean.shape)),
                                   names + " and noise", "the noisy losses")}


#: The general name of :func:`simulate_isoflop_runs`: (N, D, loss) runs from a stated law.
simulate_runs = simulate_isoflop_runs


def simulate_training_curves(law, model_sizes, *, max_tokens_per_parameter: float = 200.0,
                             points_per_curve: int = 40, noise: float = 0.005, seed: int = 0) -> dict:
    """Idealised training curves simulated from ``law`` (for Approach 1).

    For each size, the loss after ``D`` tokens for ``D`` log-spaced from 1 to
    ``max_tokens_per_parameter`` tokens per parameter, as if each point's learning-rate schedule had
    been set for that length (the envelope Approach 1 needs), times log-normal noise.

    Parameters
    ----------
    law : ParametricLaw or fit result
    model_sizes : array_like
        Model sizes, parameters (> 0), one curve each.
    max_tokens_per_parameter : float, default 200
        Length of the longest run, tokens per parameter (>= 2).
    points_per_curve : int, default 40
        Points on each curve (2 to 100,000).
    noise : float, default 0.005
        Standard deviation of ``ln(loss)`` (at most 5).
    seed : int, default 0
        Seed of the ``numpy.random.Generator`` that draws the noise.

    Returns
    -------
    dict of ndarray
        ``n_params``, ``n_tokens`` (tokens seen so far), ``flops`` (``6 N D``, FLOPs spent so far),
        ``loss`` (nats per token), one entry per point.
    """
    law = _law(law)
    sizes = _checks.array(model_sizes, "model_sizes", positive=True, ndim=1)
    top = _checks.scalar(max_tokens_per_parameter, "max_tokens_per_parameter", low=2.0)
    k = _checks.scalar(points_per_curve, "points_per_curve", integer=True, low=2, high=MAX_POINTS)
    noise = _checks.scalar(noise, "noise", nonnegative=True, high=MAX_NOISE)
    rng = np.random.default_rng(_checks.scalar(seed, "seed", integer=True, nonnegative=True))
    ratio = np.geomspace(1.0, top, k)
    n = np.repeat(sizes, k)
    names = "model_sizes, max_tokens_per_parameter and law"
    d = _checks.finite(lambda: (sizes[:, None] * ratio[None, :]).ravel(), names, "the tokens")
    flops = _checks.finite(lambda: _training_flops(n, d), names, "6 N D")
    clean = _checks.finite(lambda: _loss(n, d, law), names, "the losses")
    return {"n_params": n, "n_tokens": d, "flops": flops,
            "loss": _checks.finite(lambda: clean * np.exp(noise * rng.standard_normal(clean.shape)),
                                   names + " and noise", "the noisy losses")}
