"""The experiment's results: read from ``data/``, fitted with the three approaches of the chapter
``chinchilla`` (Hoffmann et al. 2022), checked. The chapter ``experiment`` ("Measure your own
scaling law") is built on them.

:func:`load_sweep` reads one language's runs and training curves from the committed tables;
:func:`fit_approaches` fits Approaches 1, 2 and 3 (:mod:`scaling_lib.chinchilla`) to them with
bootstrap intervals; :func:`extrapolation` fits on all budgets but the largest and predicts it;
:func:`seed_spread`, :func:`loss_rises` and :func:`isoflop_minima` measure what the chapter claims
about the runs themselves, and :func:`check_language` gathers those checks for one language.
:func:`compare_variants` fits Approaches 2 and 3 to every language variant.

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
from .._report import Report, SelfReporting, interval, number
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
class ApproachFits(SelfReporting):
    """The three approaches on one sweep, with bootstrap intervals. It reports itself
    (:meth:`report`, and a table in a notebook).

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

    _METHODS = {1: "training-curve minima", 2: "IsoFLOP parabolas", 3: "fit of L(N, D)"}

    def _summary(self, level: float = 0.95) -> Report:
        rows = tuple((f"Approach {k}", self._METHODS[k], number(self.a[k]), interval(self.a_interval(k, level)))
                     for k in (1, 2, 3))
        resamples = ", ".join(str(self.bootstraps[k].n_used) for k in (1, 2, 3))
        notes = (f"largest difference between approaches {number(self.a_spread)}",
                 f"intervals: bootstrap percentiles ({resamples} resamples fitted)")
        return Report("The allocation exponent a of N_opt ∝ C^a, by approach",
                      ("approach", "from", "a", f"{100 * level:g} % interval"), rows, notes)

    def report(self, level: float = 0.95) -> str:
        """A plain-text summary: each approach's ``a``, what it is fitted from and its bootstrap
        percentile interval at ``level``; the largest difference between approaches; the resamples
        fitted. Numbers to 4 significant digits (``.4g``), intervals as ``low to high``."""
        return self._summary(_checks.level(level)).text()


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


@dataclass(frozen=True)
class LanguageCheck(SelfReporting):
    """What the chapter checks on one language's sweep (:func:`check_language`).

    Attributes
    ----------
    language_seed : int
    entropy_rate : float
        The true entropy rate, nats per token.
    E_error : float
        Approach 3's fitted ``E`` relative to the entropy rate, ``E / H - 1``.
    r2 : float
        Approach 3's R² of ``ln(loss)``.
    a_spread : float
        The largest difference between the three approaches' ``a``.
    loss_error : float
        The largest budget's loss predicted from the smaller ones, ``predicted / measured - 1``.
    seed_sd : float
        The largest seed-to-seed standard deviation of a replicated run's final loss, nats.
    unstable_runs, n_runs : int
        Runs whose loss rose by more than 0.01 nats above its lowest earlier value, of all runs.
    interior_minima, n_budgets : int
        Budgets whose lowest run has at least two runs on each side, of all budgets.
    heldout_gap : float
        The largest ``|held-out estimate - exact loss|`` over every evaluation of every run, nats.
    heldout_above : float
        The fraction of runs whose final held-out estimate is above the exact loss. Every run is
        scored on the same held-out sample, so their errors are not independent.
    """

    language_seed: int
    entropy_rate: float
    E_error: float
    r2: float
    a_spread: float
    loss_error: float
    seed_sd: float
    unstable_runs: int
    n_runs: int
    interior_minima: int
    n_budgets: int
    heldout_gap: float
    heldout_above: float

    def _rows(self) -> tuple:
        return (("entropy rate (nats)", f"{self.entropy_rate:.4f}"),
                ("fitted E against it", f"{100 * self.E_error:+.1f} %"),
                ("R^2 of ln(loss), Approach 3", f"{self.r2:.4f}"),
                ("largest difference in a", f"{self.a_spread:.3f}"),
                ("largest budget's loss predicted", f"{100 * self.loss_error:+.1f} %"),
                ("seed-to-seed sd, largest (nats)", f"{self.seed_sd:.4f}"),
                ("runs whose loss rose > 0.01", f"{self.unstable_runs} of {self.n_runs}"),
                ("IsoFLOP minima with 2+ runs each side", f"{self.interior_minima} of {self.n_budgets}"),
                ("held-out against exact, largest gap", f"{self.heldout_gap:.4f}"),
                ("runs whose held-out loss is higher", f"{100 * self.heldout_above:.0f} %"))

    def _summary(self, others=()) -> Report:
        checks = (self,) + tuple(others)
        header = ("check",) + tuple(f"language {c.language_seed}" for c in checks)
        columns = [c._rows() for c in checks]
        rows = tuple((name,) + tuple(col[i][1] for col in columns) for i, (name, _) in enumerate(columns[0]))
        return Report("The checks on each language's sweep", header, rows)

    def report(self, others=()) -> str:
        """A plain-text table of the checks (see the attributes), with one column per language: this
        one and each of ``others`` (a sequence of more :class:`LanguageCheck`)."""
        if isinstance(others, (str, bytes, dict)) or not hasattr(others, "__iter__"):
            raise _checks.ArgumentTypeError(f"others must be a sequence of LanguageCheck (check_language); got "
                                            f"{_checks._describe(others)}")
        others = tuple(others)
        for other in others:
            _checks.instance(other, "others", LanguageCheck, "a sequence of LanguageCheck (check_language)")
        return self._summary(others).text()


def check_language(sweep: Sweep, fits: ApproachFits | None = None) -> LanguageCheck:
    """The checks the chapter makes on one language's sweep (see :class:`LanguageCheck`); ``fits``
    are the sweep's :func:`fit_approaches` (computed, with 200 resamples, when not given)."""
    _sweep(sweep)
    if fits is None:
        fits = fit_approaches(sweep, n_resamples=200)
    _checks.instance(fits, "fits", ApproachFits, "the ApproachFits of this sweep (fit_approaches)")
    rises = loss_rises(sweep)
    minima = isoflop_minima(sweep)
    runs, curves = sweep.runs, sweep.curves
    return LanguageCheck(
        language_seed=sweep.language_seed, entropy_rate=sweep.entropy_rate,
        E_error=float(fits.approach3.E / sweep.entropy_rate - 1), r2=float(fits.approach3.r2),
        a_spread=fits.a_spread, loss_error=float(extrapolation(sweep).loss_error),
        seed_sd=float(max(seed_spread(sweep).values())), unstable_runs=int(np.sum(rises > 0.01)),
        n_runs=int(rises.size), interior_minima=sum(lo >= 2 and hi >= 2 for _, lo, hi in minima),
        n_budgets=len(minima), heldout_gap=float(np.abs(curves["heldout_loss"] - curves["loss"]).max()),
        heldout_above=float(np.mean(runs["heldout_loss"] > runs["loss"])))


#: Short names of the base language and its variants, for tables: ``(key, name)``, ``""`` the base.
VARIANT_NAMES = (("", "base (seed 0)"), ("zipf_0.0", "Zipf exponent 0"), ("zipf_1.0", "Zipf exponent 1"),
                 ("tail_0.4", "tail i^-0.4"), ("tail_0.8", "tail i^-0.8"), ("order_2", "order 2"))


@dataclass(frozen=True)
class VariantFit:
    """Approaches 2 and 3 on one language variant's runs (budgets 1e9 to 1e11 FLOPs).

    Attributes
    ----------
    variant, name : str
        The key of :data:`scaling_lib.experiment.sweep.VARIANTS` (``""``: the base language) and its
        short name (:data:`VARIANT_NAMES`).
    entropy_rate : float
        The variant's true entropy rate, nats per token.
    approach2 : chinchilla.AllocationFit
    approach3 : chinchilla.ParametricFit
    best_loss : float
        The lowest final loss at the largest budget, nats.
    valley_depth : float
        How far the largest budget's valley falls: its highest final loss minus its lowest, nats.
    """

    variant: str
    name: str
    entropy_rate: float
    approach2: chinchilla.AllocationFit
    approach3: chinchilla.ParametricFit
    best_loss: float
    valley_depth: float

    @property
    def a(self) -> float:
        """Approach 3's exponent ``a`` of ``N_opt ∝ C**a``."""
        return float(chinchilla.allocation_exponents(self.approach3)[0])

    @property
    def E_error(self) -> float:
        """Approach 3's fitted ``E`` relative to the true entropy rate, ``E / H - 1``."""
        return float(self.approach3.E / self.entropy_rate - 1)

    @property
    def gap(self) -> float:
        """How far the best run at the largest budget is above the entropy rate, nats."""
        return self.best_loss - self.entropy_rate


@dataclass(frozen=True)
class VariantComparison(SelfReporting):
    """Every language variant fitted (:func:`compare_variants`); ``comparison[key]`` is one
    :class:`VariantFit` (``key`` a variant's key, ``""`` the base language)."""

    fits: tuple

    def __getitem__(self, variant: str) -> VariantFit:
        keys = [f.variant for f in self.fits]
        return self.fits[keys.index(_checks.choice(variant, "variant", tuple(keys)))]

    def _summary(self) -> Report:
        header = ("language", "entropy", "fitted E", "E off", "alpha", "beta", "a")
        rows = tuple((f.name, f"{f.entropy_rate:.3f}", f"{f.approach3.E:.3f}", f"{100 * f.E_error:+.1f} %",
                      f"{f.approach3.alpha:.2f}", f"{f.approach3.beta:.2f}", f"{f.a:.2f}") for f in self.fits)
        return Report("Approach 3 on each language (budgets 1e9 to 1e11 FLOPs)", header, rows,
                      ("a = beta/(alpha+beta), the exponent of N_opt ∝ C^a",))

    def report(self) -> str:
        """A plain-text table: per language, its true entropy rate, Approach 3's ``E`` and how far off
        it is, ``alpha``, ``beta`` and the allocation exponent ``a``."""
        return self._summary().text()

    def __repr__(self) -> str:
        return f"VariantComparison({', '.join(repr(f.variant) for f in self.fits)})"


def compare_variants() -> VariantComparison:
    """Fit Approaches 2 and 3 to the base language and each variant, on the variants' grid (the five
    smallest budgets, seed 0), in the order of :data:`VARIANT_NAMES`."""
    out = []
    for key, name in VARIANT_NAMES:
        v = load_variant(key)
        runs = v.runs
        top = runs["budget_flops"] == runs["budget_flops"].max()
        out.append(VariantFit(
            key, name, v.entropy_rate,
            chinchilla.fit_approach2(runs["n_params"], runs["budget_flops"], runs["loss"]),
            chinchilla.fit_approach3(runs["n_params"], runs["n_tokens"], runs["loss"]),
            float(runs["loss"][top].min()), float(np.ptp(runs["loss"][top]))))
    return VariantComparison(tuple(out))
