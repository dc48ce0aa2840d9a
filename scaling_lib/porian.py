"""Why Kaplan et al. and Hoffmann et al. disagreed, measured on Porian et al. (2024)'s own runs.

Porian et al. reproduced Kaplan et al.'s compute-optimal exponent (``N_opt ∝ C**a`` with a ≈ 0.83
on RefinedWeb) and removed the discrepancy with Chinchilla's a ≈ 0.5 one factor at a time: count the
output layer's FLOPs, shorten the warm-up, decay the learning rate to the run's length, tune AdamW
for each scale. :func:`reconciliation_ladder` redoes that ladder from the released IsoFLOP points.

Their fit is not a parabola through each budget's points. For each budget (their code: the
``analysis.interp_flop`` function of github.com/formll/resolving-scaling-law-discrepancies):

1. interpolate ``ln loss`` against ``ln N`` through the budget's points with an Akima spline, on a
   grid of 25 points per interval between sizes tried, and take the grid's minimum; a budget whose
   minimum falls on the first or last grid point has no interior optimum and is left out;
2. bootstrap the minimum by adding Gaussian noise to every loss (their model of seed-to-seed noise;
   with their settings every loss here gets the same standard deviation, :data:`SEED_NOISE`) and
   repeating step 1, 1,000 times; a budget with interior minima in fewer than half the draws is left
   out; the budget's ``N_opt`` is the median of the draws' minima, its spread their standard
   deviation in ``ln N`` (at least a third of the grid's spacing between sizes tried);
3. fit ``ln N_opt`` against ``ln C`` by least squares (``a``; ``a_weighted`` weights each budget by
   one over its spread squared), and repeat the fit through the i-th draw of every budget for the
   bootstrap distribution of ``a``.

:func:`naive_vs_interpolated` sets this beside Approach 2's parabola through the same points
(:func:`scaling_lib.chinchilla.fit_approach2`), which on one configuration gives a ≈ 1.04 instead of
0.70, and shows why.

Used by the chapter ``limitations``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.interpolate import Akima1DInterpolator

from . import _checks, chinchilla, published_runs
from .published import Source

#: Standard deviation of the noise Porian et al.'s bootstrap adds to each loss, nats per token, by data
#: set (their ``configs.py``: ``noise_low`` of RW_SEED_CONFIG and OWT2_SEED_CONFIG; their noise model
#: interpolates up to ``noise_high`` only for losses above e**3 ≈ 20, which no run here reaches).
SEED_NOISE = {"rw": 0.002, "owt2": 0.01}
#: Grid points per interval between the sizes tried, where each budget's spline is evaluated.
POINTS_PER_INTERVAL = 25
#: The smallest spread of a budget's optimum, as a fraction of the grid's spacing between sizes.
MIN_SPREAD = 0.33
_SOURCE = Source("porian2024resolving", "Sec. 2 and App. B; analysis.py of the authors' repository")

#: The ladder of Porian et al.'s Figure 1: each rung one change, as (label, configuration without the
#: data set); configurations are (hparams, warmup, decay, param_count, loss_split).
LADDER = (
    ("Kaplan et al.'s setting", ("base", "long", "kaplan", "kaplan", "train")),
    ("count the output layer", ("base", "long", "kaplan", "standard", "val")),
    ("short warm-up", ("base", "short", "kaplan", "standard", "val")),
    ("cosine decay to the run's length", ("base", "short", "chinchilla", "standard", "val")),
    ("AdamW tuned per size, no decay", ("tuned", "short", "const", "standard", "val")),
)
#: The configuration where a parabola through the points goes furthest wrong (RefinedWeb, output
#: layer counted, long warm-up).
NAIVE_EXAMPLE = ("rw", "base", "long", "kaplan", "standard", "val")


@dataclass(frozen=True)
class BudgetProfile:
    """One budget's IsoFLOP profile and the minimum Porian et al.'s method finds in it.

    Attributes
    ----------
    flops : float
        The budget, FLOPs.
    n_params, losses : ndarray
        The runs, sorted by size: parameters and loss (nats per token).
    grid_n, grid_loss : ndarray
        The Akima spline of ``ln loss`` in ``ln N``, evaluated on the grid (parameters, nats per token).
    n_opt_spline : float
        The grid's minimum without noise, parameters.
    interior : bool
        Whether that minimum lies inside the grid (not on its first or last point).
    n_opt_samples : ndarray
        The interior minima of the noisy draws, parameters, in draw order.
    n_boot : int
        Draws made.
    accepted : bool
        Whether the budget enters the fit (interior, and interior in at least half the draws).
    n_opt : float
        The budget's optimum: the median of ``n_opt_samples`` (NaN if not accepted), parameters.
    log_spread : float
        Its spread in ``ln N`` (NaN if not accepted).
    parabola : ndarray
        Approach 2's parabola through the points: coefficients of loss in ``ln N``, highest first.
    n_opt_parabola : float
        That parabola's vertex, parameters (NaN if it opens downwards).
    """

    flops: float
    n_params: np.ndarray = field(repr=False)
    losses: np.ndarray = field(repr=False)
    grid_n: np.ndarray = field(repr=False)
    grid_loss: np.ndarray = field(repr=False)
    n_opt_spline: float
    interior: bool
    n_opt_samples: np.ndarray = field(repr=False)
    n_boot: int
    accepted: bool
    n_opt: float
    log_spread: float
    parabola: np.ndarray = field(repr=False)
    n_opt_parabola: float


def _profile(flops, n, l, noise, n_boot, rng, per_interval) -> BudgetProfile:
    order = np.argsort(n, kind="stable")
    n, l = n[order], l[order]
    x = np.log(n)
    grid = np.linspace(x[0], x[-1], (n.size - 1) * per_interval)  # geometric in N, as theirs
    curve = Akima1DInterpolator(x, np.log(l))(grid)
    best = int(np.argmin(curve))
    interior = 0 < best < grid.size - 1
    noisy = l[:, None] + noise * rng.standard_normal((n.size, n_boot))
    with np.errstate(invalid="ignore"):
        curves = Akima1DInterpolator(x, np.log(noisy), axis=0)(grid)  # (grid, draws)
    found = np.argmin(np.where(np.isfinite(curves), curves, np.inf), axis=0)
    ok = (found > 0) & (found < grid.size - 1) & np.all(noisy > 0, axis=0)
    samples = np.exp(grid[found[ok]])
    accepted = bool(interior and ok.sum() >= n_boot // 2)
    if accepted:
        spread = max(float(np.std(np.log(samples))), MIN_SPREAD * per_interval * (grid[1] - grid[0]))
        spread *= n_boot / ok.sum()
        n_opt = float(np.median(samples))
    else:
        spread, n_opt = float("nan"), float("nan")
    coeffs = np.polynomial.Polynomial.fit(x, l, 2).convert().coef[::-1]
    vertex = float(np.exp(-coeffs[1] / (2 * coeffs[0]))) if coeffs[0] > 0 else float("nan")
    return BudgetProfile(flops=float(flops), n_params=n, losses=l, grid_n=np.exp(grid), grid_loss=np.exp(curve),
                         n_opt_spline=float(np.exp(grid[best])), interior=bool(interior), n_opt_samples=samples,
                         n_boot=int(n_boot), accepted=accepted, n_opt=n_opt, log_spread=spread,
                         parabola=coeffs, n_opt_parabola=vertex)


def _slope(log_c, log_n, weights=None):
    """Least-squares slope and intercept of ``log_n`` on ``log_c`` (weighted if ``weights``)."""
    w = np.ones_like(log_c) if weights is None else weights
    mc, mn = np.average(log_c, weights=w), np.average(log_n, weights=w)
    slope = np.sum(w * (log_c - mc) * (log_n - mn)) / np.sum(w * (log_c - mc) ** 2)
    return float(slope), float(mn - slope * mc)


@dataclass(frozen=True)
class IsoflopFit:
    """``N_opt ∝ C**a`` fitted Porian et al.'s way: interpolated, bootstrapped minima per budget.

    Attributes
    ----------
    a : float
        The exponent, least squares through the budgets' optima.
    a_weighted : float
        The same, each budget weighted by one over its spread squared.
    coefficient : float
        ``k`` of ``N_opt = k C**a``.
    flops, n_opt, log_spread : ndarray
        The accepted budgets (FLOPs), their optima (parameters) and spreads (in ``ln N``).
    a_samples : ndarray
        The bootstrap distribution of ``a``.
    profiles : tuple of BudgetProfile
        Every budget, accepted or not.
    noise : float
        The standard deviation of the noise added to each loss, nats per token.
    """

    a: float
    a_weighted: float
    coefficient: float
    flops: np.ndarray = field(repr=False)
    n_opt: np.ndarray = field(repr=False)
    log_spread: np.ndarray = field(repr=False)
    a_samples: np.ndarray = field(repr=False)
    profiles: tuple = field(repr=False)
    noise: float = 0.0

    @property
    def b(self) -> float:
        """The exponent of ``D_opt ∝ C**b``: ``1 - a``, since ``D = C / (6 N)``."""
        return 1.0 - self.a

    def interval(self, level: float = 0.9) -> tuple:
        """The bootstrap's central ``level`` interval of ``a`` (0.9: the 5th to 95th percentiles,
        as Porian et al. publish)."""
        level = _checks.level(level)
        return tuple(float(v) for v in np.quantile(self.a_samples, [0.5 - level / 2, 0.5 + level / 2]))

    def predict(self, flops):
        """``N_opt`` at ``flops`` FLOPs along the fitted power law, parameters."""
        c = _checks.array(flops, "flops", positive=True)
        return _checks.result(self.coefficient * c ** self.a)


def fit_isoflop_interpolated(n_params, flops, losses, *, noise: float, n_boot: int = 1000, seed: int = 0,
                             points_per_interval: int = POINTS_PER_INTERVAL) -> IsoflopFit:
    """Fit ``N_opt ∝ C**a`` to IsoFLOP runs as Porian et al. (2024) do (see the module's docstring).

    Parameters
    ----------
    n_params : array_like
        Model size of each run, parameters.
    flops : array_like
        Budget of each run, FLOPs (runs equal to a relative 1e-3 share a budget).
    losses : array_like
        Loss of each run at its budget, nats per token.
    noise : float
        Standard deviation of the Gaussian noise added to each loss in the bootstrap, nats per token
        (>= 0; Porian et al.'s: :data:`SEED_NOISE`).
    n_boot : int, default 1000
        Noisy draws per budget (>= 2).
    seed : int, default 0
        Seed of the ``numpy.random.Generator`` that draws the noise.
    points_per_interval : int, default 25
        Grid points per interval between the sizes tried (>= 2).

    Returns
    -------
    IsoflopFit
        In its ``profiles``, a budget whose profile is not accepted has NaN for its optimum and spread (see :class:`BudgetProfile`).

    Raises
    ------
    ValueError
        On bad input, or when fewer than 3 budgets have an interior, stable minimum.
    """
    n, c, l = chinchilla.allocation._runs(n_params, flops, losses)
    noise = _checks.scalar(noise, "noise", nonnegative=True, high=5.0)  # nats per token: far beyond any real spread
    n_boot = _checks.scalar(n_boot, "n_boot", integer=True, low=2, high=10**6)
    seed = _checks.scalar(seed, "seed", integer=True, nonnegative=True)
    per = _checks.scalar(points_per_interval, "points_per_interval", integer=True, low=2, high=10**4)
    groups = chinchilla.allocation._budget_groups(c)
    rng = np.random.default_rng(seed)
    profiles = []
    for g in np.unique(groups):
        mine = groups == g
        if np.unique(n[mine]).size < 3:
            continue
        budget = float(np.exp(np.log(c[mine]).mean()))
        profiles.append(_profile(budget, n[mine], l[mine], noise, n_boot, rng, per))
    used = [p for p in profiles if p.accepted]
    if len(used) < 3:
        raise ValueError("n_params, flops and losses: flops must hold at least 3 budgets with 3 or more sizes whose interpolated minimum "
                         f"lies inside the sizes tried; got {len(used)}")
    log_c = np.log([p.flops for p in used])
    log_n = np.log([p.n_opt for p in used])
    spread = np.array([p.log_spread for p in used])
    a, intercept = _slope(log_c, log_n)
    a_w, _ = _slope(log_c, log_n, 1.0 / spread ** 2)
    draws = min(p.n_opt_samples.size for p in used)
    stacked = np.log(np.stack([p.n_opt_samples[:draws] for p in used]))  # (budgets, draws)
    lc = log_c - log_c.mean()
    a_samples = (lc @ (stacked - stacked.mean(0))) / (lc @ lc)
    return IsoflopFit(a=a, a_weighted=a_w, coefficient=float(np.exp(intercept)), flops=np.exp(log_c),
                      n_opt=np.exp(log_n), log_spread=spread, a_samples=a_samples, profiles=tuple(profiles),
                      noise=noise)


def _porian_runs(runs):
    if runs is None:
        return published_runs.load_porian_runs()
    if not isinstance(runs, published_runs.PorianRuns):
        raise ValueError(f"runs must be the PorianRuns of load_porian_runs() or None; got {runs!r}")
    return runs


def fit_configuration(configuration, runs=None, *, n_boot: int = 1000, seed: int = 0) -> IsoflopFit:
    """Porian et al.'s fit of one of their configurations, with their noise for its data set.

    Parameters
    ----------
    configuration : tuple of str
        In :data:`scaling_lib.published_runs.CONFIGURATION_COLUMNS` order, e.g.
        ``("rw", "base", "long", "kaplan", "standard", "val")``.
    runs : PorianRuns, optional
        :func:`scaling_lib.published_runs.load_porian_runs` when not given.
    n_boot, seed : int
        As for :func:`fit_isoflop_interpolated` (whose result it is: a budget whose profile is not
        accepted has NaN for its optimum and spread).
    """
    sub = _porian_runs(runs).configuration(configuration)
    return fit_isoflop_interpolated(sub.n_params, sub.flops, sub.loss, noise=SEED_NOISE[configuration[0]],
                                    n_boot=n_boot, seed=seed)


@dataclass(frozen=True)
class LadderStep:
    """One rung of the ladder: ``label``, ``configuration``, the refit ``fit`` (:class:`IsoflopFit`), the
    authors' ``published`` exponents (:class:`~scaling_lib.published_runs.PorianExponent`) and Approach 2's
    parabola fit ``naive`` of the same points (:class:`~scaling_lib.chinchilla.AllocationFit`)."""

    label: str
    configuration: tuple
    fit: IsoflopFit
    published: published_runs.PorianExponent
    naive: chinchilla.AllocationFit = field(repr=False)


@dataclass(frozen=True)
class Ladder:
    """Porian et al.'s ladder from Kaplan et al.'s exponent to Chinchilla's, refitted on one data set.

    Attributes
    ----------
    dataset : str
        ``"rw"`` (RefinedWeb) or ``"owt2"`` (OpenWebText2).
    steps : tuple of LadderStep
        In the order of :data:`LADDER`.
    """

    dataset: str
    steps: tuple

    @property
    def a(self) -> np.ndarray:
        """The refitted exponents, rung by rung."""
        return np.array([s.fit.a for s in self.steps])

    @property
    def published_a(self) -> np.ndarray:
        """Porian et al.'s exponents, rung by rung."""
        return np.array([s.published.a for s in self.steps])

    def report(self) -> str:
        name = {"rw": "RefinedWeb", "owt2": "OpenWebText2"}[self.dataset]
        lines = [f"Porian et al.'s ladder on {name}: N_opt ∝ C^a",
                 f"{'rung':34s} {'a':>7s} {'90% interval':>17s} {'published':>10s} {'their 90%':>17s} {'parabola':>9s}"]
        for s in self.steps:
            lo, hi = s.fit.interval(0.9)
            lines.append(f"{s.label:34s} {s.fit.a:7.3f} {f'[{lo:.3f}, {hi:.3f}]':>17s} {s.published.a:10.3f} "
                         f"{f'[{s.published.a_p05:.3f}, {s.published.a_p95:.3f}]':>17s} {s.naive.a:9.3f}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.report()


def reconciliation_ladder(dataset: str = "rw", runs=None, *, n_boot: int = 1000, seed: int = 0) -> Ladder:
    """Refit every rung of Porian et al.'s ladder on one data set, beside their published exponents and
    Approach 2's parabola through the same points.

    Parameters
    ----------
    dataset : {"rw", "owt2"}, default "rw"
    runs : PorianRuns, optional
        :func:`scaling_lib.published_runs.load_porian_runs` when not given.
    n_boot, seed : int
        As for :func:`fit_isoflop_interpolated`; every rung uses the same seed.

    Returns
    -------
    Ladder
        In each step's fit, a budget whose profile is not accepted has NaN for its optimum and spread (see :class:`BudgetProfile`).
    """
    _checks.choice(dataset, "dataset", tuple(SEED_NOISE))
    runs = _porian_runs(runs)
    published = published_runs.load_porian_exponents()
    steps = []
    for label, rest in LADDER:
        config = (dataset,) + rest
        sub = runs.configuration(config)
        fit = fit_isoflop_interpolated(sub.n_params, sub.flops, sub.loss, noise=SEED_NOISE[dataset],
                                       n_boot=n_boot, seed=seed)
        steps.append(LadderStep(label=label, configuration=config, fit=fit, published=published[config],
                                naive=chinchilla.fit_approach2(sub.n_params, sub.flops, sub.loss)))
    return Ladder(dataset=dataset, steps=tuple(steps))


@dataclass(frozen=True)
class NaiveComparison:
    """Approach 2's parabola against Porian et al.'s interpolation, on one configuration.

    Attributes
    ----------
    configuration : tuple of str
    fit : IsoflopFit
        Porian et al.'s method.
    naive : AllocationFit
        Approach 2 on every budget (:func:`scaling_lib.chinchilla.fit_approach2`).
    a_parabola_same_budgets : float
        Parabola vertices fitted on the budgets the interpolation accepts, so only the method differs.
    a_parabola_near_minimum : float
        Parabolas through only the ``near`` runs closest to each accepted budget's interpolated minimum.
    near : int
        How many runs those local parabolas use.
    published : PorianExponent
    """

    configuration: tuple
    fit: IsoflopFit
    naive: chinchilla.AllocationFit = field(repr=False)
    a_parabola_same_budgets: float
    a_parabola_near_minimum: float
    near: int
    published: published_runs.PorianExponent

    def report(self) -> str:
        return "\n".join([
            f"N_opt ∝ C^a on {self.configuration}:",
            f"  Porian et al. (published)                      a = {self.published.a:.3f}",
            f"  interpolated minima (their method, refit)      a = {self.fit.a:.3f}",
            f"  parabola through every budget (Approach 2)     a = {self.naive.a:.3f}",
            f"  parabola, the same budgets as the refit        a = {self.a_parabola_same_budgets:.3f}",
            f"  parabola through the {self.near} runs nearest each minimum a = {self.a_parabola_near_minimum:.3f}",
        ])

    def __str__(self) -> str:
        return self.report()


def naive_vs_interpolated(configuration=NAIVE_EXAMPLE, runs=None, *, near: int = 5, n_boot: int = 1000,
                          seed: int = 0) -> NaiveComparison:
    """Why a parabola through the IsoFLOP points goes wrong where Porian et al.'s interpolation does not.

    Three parabola fits separate the causes: through every budget (Approach 2 as the book implements it);
    through the budgets the interpolation accepts (so only the curve differs); and through only the
    ``near`` runs nearest each interpolated minimum (so the far points, which a wide and lopsided
    profile puts far from a parabola, no longer pull the vertex).

    Parameters
    ----------
    configuration : tuple of str, default :data:`NAIVE_EXAMPLE`
    runs : PorianRuns, optional
    near : int, default 5
        Runs per budget in the local parabolas (>= 3).
    n_boot, seed : int
        As for :func:`fit_isoflop_interpolated`.

    Returns
    -------
    NaiveComparison
        In its fit, a budget whose profile is not accepted has NaN for its optimum and spread (see :class:`BudgetProfile`); a profile whose parabola opens downwards has a NaN vertex.
    """
    near = _checks.scalar(near, "near", integer=True, low=3)
    sub = _porian_runs(runs).configuration(configuration)
    fit = fit_isoflop_interpolated(sub.n_params, sub.flops, sub.loss, noise=SEED_NOISE[configuration[0]],
                                   n_boot=n_boot, seed=seed)
    used = [p for p in fit.profiles if p.accepted]
    log_c = np.log([p.flops for p in used])
    vertices = np.log([p.n_opt_parabola for p in used])
    ok = np.isfinite(vertices)
    a_same, _ = _slope(log_c[ok], vertices[ok])
    local = []
    for p in used:
        idx = np.sort(np.argsort(np.abs(np.log(p.n_params) - np.log(p.n_opt)))[:near])
        co = np.polynomial.Polynomial.fit(np.log(p.n_params[idx]), p.losses[idx], 2).convert().coef[::-1]
        local.append(-co[1] / (2 * co[0]) if co[0] > 0 else np.nan)
    local = np.array(local)
    ok = np.isfinite(local)
    a_local, _ = _slope(log_c[ok], local[ok])
    return NaiveComparison(configuration=tuple(configuration), fit=fit,
                           naive=chinchilla.fit_approach2(sub.n_params, sub.flops, sub.loss),
                           a_parabola_same_budgets=a_same, a_parabola_near_minimum=a_local, near=near,
                           published=published_runs.load_porian_exponents()[tuple(configuration)])
