"""The experiment's results: read from ``data/``, fitted with Chapter 3's three approaches, checked.

:func:`load_sweep` reads one language's runs and training curves from the committed tables;
:func:`fit_approaches` fits Approaches 1, 2 and 3 (:mod:`scaling_lib.chinchilla`) to them with
bootstrap intervals; :func:`extrapolation` fits on all budgets but the largest and predicts it; and
:func:`seed_spread`, :func:`loss_rises` and :func:`isoflop_minima` measure what the chapter claims
about the runs themselves.

The grid runs (seed 0) are what the approaches fit; the seed replicas only measure the spread.
Approach 1 reads the training curves (the exact loss at nine points of every run, FLOPs
``6 N D_seen``); Approach 2 groups runs by their nominal budget; Approach 3 fits the final losses
against non-embedding parameters and tokens.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import _checks, chinchilla
from .. import data as _data
from .sweep import BUDGETS, VARIANT_BUDGETS, VARIANTS

_RUN_FIELDS = ("budget_flops", "width", "seed", "n_params", "n_params_total", "n_tokens", "flops",
               "loss", "heldout_loss")
_CURVE_FIELDS = ("budget_flops", "width", "seed", "n_params", "n_tokens", "flops", "loss",
                 "heldout_loss")


@dataclass(frozen=True)
class Sweep:
    """One language's sweep.

    Attributes
    ----------
    language_seed : int
    language : dict
        The language's facts (``data/experiment_language.json``): entropies in nats, the
        stationary residual, the design.
    runs : dict of ndarray
        One entry per run: ``budget_flops`` (nominal ``C``), ``width``, ``seed``, ``n_params``
        (non-embedding), ``n_params_total``, ``n_tokens``, ``flops`` (``6 N D``), ``loss`` (exact,
        nats per token), ``heldout_loss``.
    curves : dict of ndarray
        One entry per evaluation of every run: the same identifiers, tokens and FLOPs so far, losses.
    """

    language_seed: int
    language: dict = field(repr=False)
    runs: dict = field(repr=False)
    curves: dict = field(repr=False)

    @property
    def entropy_rate(self) -> float:
        """The language's entropy rate, nats per token: the true irreducible loss."""
        return float(self.language["entropy_rate_nats"])

    @property
    def budgets(self) -> np.ndarray:
        """The nominal budgets, FLOPs, increasing."""
        return np.unique(self.runs["budget_flops"])

    def grid(self, max_budget: float | None = None) -> dict:
        """The grid's runs (seed 0), optionally only budgets up to ``max_budget`` FLOPs."""
        return _grid_rows(self.runs, max_budget)

    def grid_curves(self, max_budget: float | None = None) -> dict:
        """The training curves of the grid's runs, optionally only budgets up to ``max_budget``."""
        return _grid_rows(self.curves, max_budget)


def _sweep(sweep) -> "Sweep":
    return _checks.instance(sweep, "sweep", Sweep, "a Sweep (from load_sweep or load_variant)")


def _grid_rows(table: dict, max_budget) -> dict:
    keep = table["seed"] == 0
    if max_budget is not None:
        keep &= table["budget_flops"] <= _checks.scalar(max_budget, "max_budget", positive=True) * (1 + 1e-9)
    return {k: v[keep] for k, v in table.items()}


def load_sweep(language_seed: int = 0) -> Sweep:
    """Read one language's sweep from ``data/experiment_runs.csv``, ``experiment_curves.csv`` and
    ``experiment_language.json`` (written by ``scripts/run_experiment.py``)."""
    facts = _data.load_json("experiment_language")["languages"]
    seeds = [f["seed"] for f in facts]
    language_seed = _checks.choice(language_seed, "language_seed", seeds)
    tables = []
    for name, fields in (("experiment_runs", _RUN_FIELDS), ("experiment_curves", _CURVE_FIELDS)):
        table = _data.load_table(name).where("language_seed", language_seed)
        tables.append({k: table[k] for k in fields})
    return Sweep(language_seed, facts[seeds.index(language_seed)], *tables)


def load_variant(variant: str) -> Sweep:
    """One language variant's runs (``data/experiment_variants.csv``; no training curves).

    ``variant`` is a key of :data:`scaling_lib.experiment.sweep.VARIANTS`, or ``""`` for the base
    language (seed 0) on the same smaller grid (its budgets up to 1e11 FLOPs), to compare with.
    """
    _checks.choice(variant, "variant", ("",) + tuple(VARIANTS))
    if variant == "":
        base = load_sweep(0)
        return Sweep(0, base.language, base.grid(BUDGETS[VARIANT_BUDGETS - 1]), {})
    table = _data.load_table("experiment_variants").where("variant", variant)
    facts = _data.load_json("experiment_language")["variants"][variant]
    return Sweep(0, facts, {k: table[k] for k in _RUN_FIELDS}, {})


@dataclass(frozen=True)
class ApproachFits:
    """The three approaches on one sweep, with bootstrap intervals.

    Attributes
    ----------
    approach1, approach2 : chinchilla.AllocationFit
    approach3 : chinchilla.ParametricFit
    bootstraps : dict
        ``{1: Bootstrap, 2: Bootstrap, 3: Bootstrap}``.
    """

    approach1: chinchilla.AllocationFit
    approach2: chinchilla.AllocationFit
    approach3: chinchilla.ParametricFit
    bootstraps: dict = field(repr=False)

    @property
    def a(self) -> dict:
        """The exponent ``a`` of ``N_opt ∝ C**a`` by approach: ``{1: ..., 2: ..., 3: ...}``."""
        law = self.approach3.law
        return {1: self.approach1.a, 2: self.approach2.a,
                3: chinchilla.allocation_exponents(law)[0]}

    def a_interval(self, approach: int, level: float = 0.95) -> tuple:
        """The bootstrap percentile interval of ``a`` for ``approach`` (1, 2 or 3)."""
        _checks.choice(approach, "approach", (1, 2, 3))
        return self.bootstraps[approach].interval("a", level)

    @property
    def a_spread(self) -> float:
        """The largest difference between the three approaches' ``a``."""
        values = list(self.a.values())
        return float(max(values) - min(values))


def fit_approaches(sweep: Sweep, *, max_budget: float | None = None, n_resamples: int = 1000,
                   seed: int = 0) -> ApproachFits:
    """Fit Approaches 1, 2 and 3 to a sweep's grid, each with ``n_resamples`` bootstrap resamples.

    Parameters
    ----------
    sweep : Sweep
    max_budget : float, optional
        Fit only the budgets up to this many FLOPs.
    n_resamples : int, default 1000
    seed : int, default 0
        Seed of the resampling.
    """
    _sweep(sweep)
    n_resamples = _checks.scalar(n_resamples, "n_resamples", integer=True, low=2,
                                 high=chinchilla.bootstrap.MAX_RESAMPLES)
    seed = _checks.scalar(seed, "seed", integer=True, nonnegative=True)
    runs, curves = sweep.grid(max_budget), sweep.grid_curves(max_budget)
    if np.unique(runs["budget_flops"]).size < 3:
        raise ValueError(f"max_budget must leave at least 3 of the sweep's budgets to fit; got {max_budget!r}, "
                         f"which leaves {np.unique(runs['budget_flops']).size}")
    a1 = chinchilla.fit_approach1(curves["n_params"], curves["flops"], curves["loss"])
    a2 = chinchilla.fit_approach2(runs["n_params"], runs["budget_flops"], runs["loss"])
    a3 = chinchilla.fit_approach3(runs["n_params"], runs["n_tokens"], runs["loss"])
    boots = {
        1: chinchilla.bootstrap_allocation(1, curves["n_params"], curves["flops"], curves["loss"],
                                           n_resamples=n_resamples, seed=seed),
        2: chinchilla.bootstrap_allocation(2, runs["n_params"], runs["budget_flops"], runs["loss"],
                                           n_resamples=n_resamples, seed=seed),
        3: chinchilla.bootstrap_approach3(runs["n_params"], runs["n_tokens"], runs["loss"],
                                          n_resamples=n_resamples, seed=seed, fit=a3),
    }
    return ApproachFits(a1, a2, a3, boots)


@dataclass(frozen=True)
class Extrapolation:
    """Approach 3 fitted on every budget but the largest, against what the largest measured.

    Attributes
    ----------
    flops : float
        The held-out (largest) budget, FLOPs.
    predicted_loss, predicted_n_params : float
        The fitted law's optimum there (closed form): loss in nats per token, non-embedding parameters.
    measured_loss, measured_n_params : float
        The minimum of that budget's IsoFLOP parabola (Approach 2's estimate of the optimum).
    best_run_loss : float
        The lowest final loss among that budget's runs.
    fit : chinchilla.ParametricFit
    """

    flops: float
    predicted_loss: float
    predicted_n_params: float
    measured_loss: float
    measured_n_params: float
    best_run_loss: float
    fit: chinchilla.ParametricFit = field(repr=False)

    @property
    def loss_error(self) -> float:
        """Relative error of the predicted loss, ``predicted / measured - 1``."""
        return self.predicted_loss / self.measured_loss - 1.0

    @property
    def n_params_error(self) -> float:
        """Relative error of the predicted model size, ``predicted / measured - 1``."""
        return self.predicted_n_params / self.measured_n_params - 1.0


def extrapolation(sweep: Sweep) -> Extrapolation:
    """Fit Approach 3 on all budgets but the largest and predict the largest budget's optimum."""
    _sweep(sweep)
    budgets = sweep.budgets
    if budgets.size < 4:
        raise ValueError(f"sweep must have at least 4 budgets to hold one out; got {budgets.size}")
    top = float(budgets[-1])
    train = sweep.grid(budgets[-2])
    fit = chinchilla.fit_approach3(train["n_params"], train["n_tokens"], train["loss"])
    predicted = chinchilla.compute_optimal(top, fit)
    grid = sweep.grid()
    profile = chinchilla.fit_approach2(grid["n_params"], grid["budget_flops"], grid["loss"])
    at_top = int(np.argmin(np.abs(np.log(profile.flops / top))))
    best = float(grid["loss"][grid["budget_flops"] == top].min())
    return Extrapolation(top, float(predicted.loss), float(predicted.n_params),
                         float(profile.loss_opt[at_top]), float(profile.n_opt[at_top]), best, fit)


def seed_spread(sweep: Sweep) -> dict:
    """Seed-to-seed standard deviation (ddof 1) of the final loss of every replicated run, nats.

    Returns ``{(budget_flops, width): std}`` for each budget and width trained with several seeds.
    """
    runs = _sweep(sweep).runs
    out = {}
    for b, h in sorted(set(zip(runs["budget_flops"], runs["width"]))):
        mine = (runs["budget_flops"] == b) & (runs["width"] == h)
        if mine.sum() > 1:
            out[(float(b), int(h))] = float(np.std(runs["loss"][mine], ddof=1))
    return out


def loss_rises(sweep: Sweep) -> np.ndarray:
    """For every run, the largest rise of its evaluation loss above the lowest value seen before it,
    nats (0 for a curve that never goes up). One entry per run, in the order of ``sweep.runs``."""
    runs, curves = _sweep(sweep).runs, sweep.curves
    if not curves:
        raise ValueError("sweep has no training curves (a language variant keeps final losses only)")
    out = np.zeros(runs["loss"].size)
    for i, key in enumerate(zip(runs["budget_flops"], runs["width"], runs["seed"])):
        mine = ((curves["budget_flops"] == key[0]) & (curves["width"] == key[1])
                & (curves["seed"] == key[2]))
        losses = curves["loss"][mine][np.argsort(curves["n_tokens"][mine])]
        out[i] = float(np.max(losses - np.minimum.accumulate(losses)))
    return out


def isoflop_minima(sweep: Sweep) -> list:
    """For each budget of the grid: ``(budget, runs below the best width, runs above it)``."""
    grid = _sweep(sweep).grid()
    out = []
    for b in sweep.budgets:
        mine = grid["budget_flops"] == b
        widths, losses = grid["width"][mine], grid["loss"][mine]
        best = widths[np.argmin(losses)]
        out.append((float(b), int((widths < best).sum()), int((widths > best).sum())))
    return out
