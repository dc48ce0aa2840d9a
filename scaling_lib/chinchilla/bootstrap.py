"""Bootstrap intervals for Approaches 1, 2 and 3, by resampling runs."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from .. import _checks
from .._report import Report, SelfReporting, interval, number
from ..optim import batched_lbfgs
from .allocation import MAX_BINS, _approach1, _approach2, _budget_groups, _runs
from .law import _loss, _optimum
from .parametric import ParametricFit, _huber, fit_approach3


@dataclass(frozen=True, repr=False)
class Bootstrap(SelfReporting):
    """Bootstrap samples of an approach's results.

    It reports itself: ``print(boot)`` or :meth:`report` gives a plain-text summary, a notebook shows
    a small table (``_repr_html_``), ``repr(boot)`` is one line.

    Attributes
    ----------
    samples : dict of ndarray
        Resampled values by name: ``a`` and ``b`` always; at ``at_flops``, the extrapolated optimum
        ``n_opt`` (parameters), ``d_opt`` (tokens) and ``loss`` (nats per token); for Approach 3 also
        ``E, A, B, alpha, beta``.
    n_resamples : int
        Resamples drawn.
    n_used : int
        Resamples that could be fitted (all of them for Approach 3).
    at_flops : float or None
        The budget of the extrapolation, FLOPs.
    method : str
        The approach resampled (``"Approach 1"``, ``"Approach 2"`` or ``"Approach 3"``).
    """

    samples: dict
    n_resamples: int
    n_used: int
    at_flops: float | None
    method: str = ""

    def interval(self, name: str, level: float = 0.95) -> tuple:
        """The percentile interval ``(low, high)`` of ``samples[name]`` at ``level`` (0 to 1)."""
        level = _checks.level(level)
        _checks.choice(name, "name", self.samples)
        values = self.samples[name][np.isfinite(self.samples[name])]
        if values.size == 0:
            raise ValueError(f"name: no finite samples of {name!r}")
        return tuple(float(v) for v in np.quantile(values, [0.5 - level / 2, 0.5 + level / 2]))

    def _summary(self, level: float = 0.95) -> Report:
        rows = []
        for name, values in self.samples.items():
            finite = values[np.isfinite(values)]
            if finite.size == 0:
                rows.append((name, "no finite samples", "", ""))
                continue
            rows.append((name, number(np.median(finite)), number(np.std(finite, ddof=1) if finite.size > 1 else 0.0),
                         interval(self.interval(name, level))))
        notes = [f"{self.n_used} of {self.n_resamples} resamples fitted"]
        if self.at_flops is not None:
            notes.append(f"n_opt (parameters), d_opt (tokens) and loss (nats per token) at "
                         f"{number(self.at_flops)} FLOPs")
        notes.append("intervals: percentiles of the resampled values")
        return Report(f"Bootstrap of {self.method or 'a fit'}",
                      ("quantity", "median", "sd", f"{100 * level:g} % interval"), tuple(rows), tuple(notes))

    def report(self, level: float = 0.95) -> str:
        """A plain-text summary: for every resampled quantity its median, standard deviation and
        percentile interval at ``level`` (:meth:`interval`); resamples drawn and fitted; the budget of
        the extrapolation. Numbers to 4 significant digits (``.4g``), intervals as ``low to high``."""
        return self._summary(_checks.level(level)).text()

    def __repr__(self) -> str:
        at = "" if self.at_flops is None else f", at_flops={number(self.at_flops)}"
        return (f"Bootstrap({self.method!r}, quantities={list(self.samples)}, n_used={self.n_used} of "
                f"{self.n_resamples}{at})")


#: The most resamples a bootstrap draws.
MAX_RESAMPLES = 100_000


def _bootstrap_args(n_resamples, seed, at_flops):
    n_resamples = _checks.scalar(n_resamples, "n_resamples", integer=True, low=2, high=MAX_RESAMPLES)
    seed = _checks.scalar(seed, "seed", integer=True, nonnegative=True)
    at = None if at_flops is None else _checks.scalar(at_flops, "at_flops", positive=True)
    return n_resamples, seed, at


def bootstrap_allocation(approach, n_params, flops, losses, *, n_resamples: int = 1000, seed: int = 0,
                         at_flops: float | None = None, bins: int = 30) -> Bootstrap:
    """Bootstrap intervals for Approach 1 or 2 by resampling runs.

    Points are drawn with replacement within each model size's training curve (Approach 1) or
    within each budget (Approach 2), so every curve and every profile survives; resamples that cannot
    be fitted are dropped (counted in ``n_used``).

    Parameters
    ----------
    approach : {1, 2}
    n_params, flops, losses : array_like
        As for :func:`fit_approach1` or :func:`fit_approach2`.
    n_resamples : int, default 1000
        At most :data:`MAX_RESAMPLES`. A resample whose frontier fit cannot be identified is kept
        without warning (its ``loss`` sample may be far off; the percentile interval sees it).
    seed : int, default 0
        Seed of the ``numpy.random.Generator`` that draws the resamples.
    at_flops : float, optional
        A budget, FLOPs, at which to extrapolate ``n_opt``, ``d_opt`` and ``loss`` (the last from
        :attr:`AllocationFit.loss_fit`; NaN when a resample has fewer than 4 optimal points).
    bins : int, default 30
        Approach 1's FLOP bins.

    Returns
    -------
    Bootstrap
    """
    approach = _checks.choice(approach, "approach", (1, 2))
    n, c, l = _runs(n_params, flops, losses)
    n_resamples, seed, at = _bootstrap_args(n_resamples, seed, at_flops)
    bins = _checks.scalar(bins, "bins", integer=True, low=3, high=MAX_BINS)
    groups = _budget_groups(c) if approach == 2 else n
    members = [np.flatnonzero(groups == g) for g in np.unique(groups)]
    rng = np.random.default_rng(seed)
    keys = ["a", "b"] + (["n_opt", "d_opt", "loss"] if at else [])
    samples = {k: [] for k in keys}
    for _ in range(n_resamples):
        idx = np.concatenate([m[rng.integers(0, m.size, m.size)] for m in members])
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", _checks.UnidentifiedFitWarning)
                if approach == 1:
                    result = _approach1(n[idx], c[idx], l[idx], bins, with_loss=at is not None)
                else:
                    result = _approach2(n[idx], c[idx], l[idx], groups[idx], with_loss=at is not None)
        except ValueError:
            continue
        samples["a"].append(result.a)
        samples["b"].append(result.b)
        if at:
            n_at, d_at = result.predict(at)
            samples["n_opt"].append(n_at)
            samples["d_opt"].append(d_at)
            samples["loss"].append(result.predict_loss(at) if result.loss_fit is not None else np.nan)
    used = len(samples["a"])
    if used == 0:
        raise ValueError("n_params, flops and losses: no resample could be fitted")
    return Bootstrap({k: np.array(v, dtype=float) for k, v in samples.items()}, n_resamples, used, at,
                     f"Approach {approach}")


def bootstrap_approach3(n_params, n_tokens, losses, *, n_resamples: int = 1000, seed: int = 0,
                        at_flops: float | None = None, fit: ParametricFit | None = None) -> Bootstrap:
    """Bootstrap intervals for Approach 3 by resampling runs.

    Each resample is a row of counts (multinomial, ``len(losses)`` draws), used as weights of the
    Huber objective; all resamples are refitted at once by one batched L-BFGS, each started from the
    full-data optimum ``fit`` (a local refit, not the 4,500-start search again).

    Parameters
    ----------
    n_params, n_tokens, losses : array_like
        As for :func:`fit_approach3`.
    n_resamples : int, default 1000
        At most :data:`MAX_RESAMPLES`.
    seed : int, default 0
        Seed of the ``numpy.random.Generator`` that draws the resamples.
    at_flops : float, optional
        A budget, FLOPs, at which to add each resample's closed-form optimum ``n_opt``, ``d_opt`` and
        ``loss``.
    fit : ParametricFit, optional
        The fit of the full data (computed when not given).

    Returns
    -------
    Bootstrap
        Samples of ``E, A, B, alpha, beta, a, b`` (and the optimum at ``at_flops``).
    """
    n, d, l = _runs(n_params, n_tokens, losses, c_name="n_tokens")
    n_resamples, seed, at = _bootstrap_args(n_resamples, seed, at_flops)
    if fit is None:
        fit = fit_approach3(n, d, l)
    else:
        _checks.instance(fit, "fit", ParametricFit, "the ParametricFit of these runs (from fit_approach3) or None")
    rng = np.random.default_rng(seed)
    counts = rng.multinomial(n.size, np.full(n.size, 1.0 / n.size), size=n_resamples).astype(float)
    args = (np.log(n)[None, :], np.log(d)[None, :], np.log(l)[None, :])
    x, _ = batched_lbfgs(lambda x, rows: _huber(x, *args, weights=counts[rows]),
                          np.repeat(fit.theta[None, :], n_resamples, axis=0), max_iter=3000)
    E, A, B = np.exp(x[:, 2]), np.exp(x[:, 0]), np.exp(x[:, 1])
    alpha, beta = np.maximum(x[:, 3], 1e-12), np.maximum(x[:, 4], 1e-12)
    a, b = beta / (alpha + beta), alpha / (alpha + beta)
    samples = {"E": E, "A": A, "B": B, "alpha": alpha, "beta": beta, "a": a, "b": b}
    if at:
        # compute_optimal's closed form, for all resamples at once (the law's parameters as arrays)
        laws = SimpleNamespace(E=E, A=A, B=B, alpha=alpha, beta=beta)
        n_opt, d_opt = _optimum(at, laws)
        samples.update(n_opt=n_opt, d_opt=d_opt, loss=_loss(n_opt, d_opt, laws))
    return Bootstrap(samples, n_resamples, n_resamples, at, "Approach 3")
