"""Hoffmann et al. (2022), *Training Compute-Optimal Large Language Models*: the parametric law, its
compute-optimal allocation, and the paper's three ways of fitting it, with bootstrap intervals.

The law is ``L(N, D) = E + A / N**alpha + B / D**beta``: loss in nats per token of a model of ``N``
parameters trained on ``D`` tokens. Under a budget of ``C = 6 N D`` FLOPs its minimum is

    N_opt = G (C/6)**a,  D_opt = (C/6)**b / G,  G = (alpha A / (beta B))**(1/(alpha+beta)),

with ``a = beta/(alpha+beta)`` and ``b = alpha/(alpha+beta)`` (Hoffmann et al. 2022, Sec. 3.3), and
the loss there, the efficient frontier, is ``E + K (C/6)**(-alpha beta/(alpha+beta))``.

Fits: :func:`fit_approach1` (the envelope of training curves), :func:`fit_approach2` (IsoFLOP
profiles) and :func:`fit_approach3` (the parametric law itself, Huber loss from the paper's grid of
4,500 starts); :func:`bootstrap_allocation` and :func:`bootstrap_approach3` give their intervals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize

from . import _checks
from .powerlaw import PowerLawFit, fit_power_law
from .published import Source


@dataclass(frozen=True)
class ParametricLaw:
    """The law ``L(N, D) = E + A/N**alpha + B/D**beta``, published or fitted.

    Attributes
    ----------
    E : float
        Irreducible loss, nats per token (>= 0).
    A, B : float
        Coefficients of the parameter and data terms, nats per token times parameters**alpha and
        tokens**beta (> 0).
    alpha, beta : float
        Exponents of parameters and of tokens (> 0).
    name : str
        A label for printing.
    source : Source or None
        The paper (``source.citation``, a key of ``references.bib``) and the place in it
        (``source.where``) for a published law; ``None`` for a fit.
    """

    E: float
    A: float
    B: float
    alpha: float
    beta: float
    name: str = ""
    source: Source | None = None

    def __post_init__(self):
        for attr in ("E", "A", "B", "alpha", "beta"):
            _checks.scalar(getattr(self, attr), attr, nonnegative=(attr == "E"), positive=(attr != "E"))
        if self.source is not None and not isinstance(self.source, Source):
            raise ValueError(f"source must be a scaling_lib.published.Source or None; got {self.source!r}")

    @property
    def citation(self) -> str | None:
        """The bib key of the paper the law comes from (``None`` for a fit)."""
        return None if self.source is None else self.source.citation


#: Hoffmann et al. (2022), Approach 3 (Sec. 3.3, Eq. 10), fitted on their own runs.
HOFFMANN_2022 = ParametricLaw(E=1.69, A=406.4, B=410.7, alpha=0.34, beta=0.28,
                              name="Hoffmann et al. (2022), Approach 3",
                              source=Source("hoffmann2022training", "Sec. 3.3, Eq. (10)"))

#: Besiroglu et al. (2024), their refit of the same objective on data reconstructed from Hoffmann
#: et al.'s Figure 4 (Table 1, Sec. 3).
BESIROGLU_2024 = ParametricLaw(E=1.82, A=482.01, B=2085.43, alpha=0.3478, beta=0.3658,
                               name="Besiroglu et al. (2024), refit",
                               source=Source("besiroglu2024chinchilla", "Table 1 / Sec. 3"))


#: Hoffmann et al. (2022), Table 2: the exponent ``a`` of ``N_opt ∝ C**a`` by approach (1, 2, 3); ``b``
#: is ``1 - a`` to the table's two decimals (0.50, 0.51, 0.54).
TABLE2_A = {1: 0.50, 2: 0.49, 3: 0.46}
TABLE2_SOURCE = Source("hoffmann2022training", "Table 2")


def _law(law) -> ParametricLaw:
    if isinstance(law, ParametricLaw):
        return law
    inner = getattr(law, "law", None)
    if isinstance(inner, ParametricLaw):
        return inner
    raise ValueError(f"law must be a ParametricLaw (e.g. HOFFMANN_2022) or a fit result; got {law!r}")


def loss(n_params, n_tokens, law=HOFFMANN_2022):
    """The law's loss for ``n_params`` parameters trained on ``n_tokens`` tokens.

    Parameters
    ----------
    n_params : float or array_like
        Model size, parameters (> 0).
    n_tokens : float or array_like
        Training tokens (> 0), broadcast against ``n_params``.
    law : ParametricLaw or fit result, default HOFFMANN_2022
        Any object with a ``ParametricLaw`` (a :class:`ParametricFit` works too).

    Returns
    -------
    float or ndarray
        Loss, nats per token.
    """
    law = _law(law)
    n = _checks.array(n_params, "n_params", positive=True)
    d = _checks.array(n_tokens, "n_tokens", positive=True)
    return _checks.result(law.E + law.A * n ** -law.alpha + law.B * d ** -law.beta)


def allocation_exponents(law=HOFFMANN_2022) -> tuple:
    """The exponents ``(a, b)`` of ``N_opt ∝ C**a`` and ``D_opt ∝ C**b``.

    ``a = beta/(alpha+beta)`` and ``b = alpha/(alpha+beta)``, so ``a + b = 1``.

    Parameters
    ----------
    law : ParametricLaw or fit result, default HOFFMANN_2022

    Returns
    -------
    (float, float)
    """
    law = _law(law)
    total = law.alpha + law.beta
    return law.beta / total, law.alpha / total


@dataclass(frozen=True)
class Allocation:
    """The compute-optimal model for a budget (arrays when the budget is an array).

    Attributes
    ----------
    flops : float or ndarray
        The budget, FLOPs.
    n_params : float or ndarray
        Optimal model size, parameters.
    n_tokens : float or ndarray
        Optimal training tokens.
    loss : float or ndarray
        The law's loss there (the efficient frontier), nats per token.
    tokens_per_parameter : float or ndarray
        ``n_tokens / n_params``.

    ``N, D = compute_optimal(C)`` unpacks to ``(n_params, n_tokens)``.
    """

    flops: object
    n_params: object
    n_tokens: object
    loss: object
    tokens_per_parameter: object

    def __iter__(self):
        return iter((self.n_params, self.n_tokens))


def _g_factor(law: ParametricLaw) -> float:
    return (law.alpha * law.A / (law.beta * law.B)) ** (1.0 / (law.alpha + law.beta))


def compute_optimal(flops, law=HOFFMANN_2022) -> Allocation:
    """The model size and tokens that minimise the law's loss under ``flops = 6 N D`` (closed form).

    Parameters
    ----------
    flops : float or array_like
        Training budget, FLOPs (> 0).
    law : ParametricLaw or fit result, default HOFFMANN_2022

    Returns
    -------
    Allocation
        ``n_params = G (C/6)**a``, ``n_tokens = (C/6)**b / G``, the loss there and tokens per
        parameter.
    """
    law = _law(law)
    c = _checks.array(flops, "flops", positive=True)
    a, b = allocation_exponents(law)
    G = _g_factor(law)
    n = G * (c / 6.0) ** a
    d = (c / 6.0) ** b / G
    return Allocation(flops=_checks.result(c), n_params=_checks.result(n), n_tokens=_checks.result(d),
                      loss=loss(n, d, law), tokens_per_parameter=_checks.result(d / n))


def frontier_loss(flops, law=HOFFMANN_2022):
    """The lowest loss reachable with ``flops`` FLOPs (the efficient frontier), nats per token.

    Parameters
    ----------
    flops : float or array_like
        Training budget, FLOPs (> 0).
    law : ParametricLaw or fit result, default HOFFMANN_2022
    """
    return compute_optimal(flops, law).loss


def compute_for_loss(target_loss, law=HOFFMANN_2022) -> float:
    """The FLOPs a compute-optimal model needs to reach ``target_loss``: the frontier inverted.

    The frontier is ``E + K (C/6)**(-gamma)`` with ``gamma = alpha beta / (alpha + beta)`` and
    ``K = A G**-alpha + B G**beta``, so the inverse is exact; ``inf`` if it exceeds the float range.

    Parameters
    ----------
    target_loss : float
        Loss to reach, nats per token; must be above the law's irreducible loss ``E``.
    law : ParametricLaw or fit result, default HOFFMANN_2022

    Returns
    -------
    float
        Training compute, FLOPs.

    Raises
    ------
    ValueError
        If ``target_loss`` is not a finite number above ``E`` (no budget reaches it).
    """
    law = _law(law)
    target = _checks.scalar(target_loss, "target_loss", positive=True)
    if target <= law.E:
        raise ValueError(f"target_loss must be above the irreducible loss E = {law.E}; got {target}")
    G = _g_factor(law)
    K = law.A * G ** -law.alpha + law.B * G ** law.beta
    gamma = law.alpha * law.beta / (law.alpha + law.beta)
    log_c = math.log(6.0) + (math.log(K) - math.log(target - law.E)) / gamma
    return math.exp(log_c) if log_c < 709.0 else math.inf


def iso_loss_tokens(n_params, target_loss, law=HOFFMANN_2022):
    """Tokens ``D`` at which a model of ``n_params`` reaches ``target_loss``: an iso-loss contour.

    Parameters
    ----------
    n_params : float or array_like
        Model sizes, parameters (> 0).
    target_loss : float
        The contour's loss, nats per token (> 0).
    law : ParametricLaw or fit result, default HOFFMANN_2022

    Returns
    -------
    float or ndarray
        Training tokens. Where the model can never reach the target, because
        ``E + A/N**alpha >= target_loss`` (always so when ``target_loss <= E``), the value is
        ``inf``, never NaN.
    """
    law = _law(law)
    n = _checks.array(n_params, "n_params", positive=True)
    target = _checks.scalar(target_loss, "target_loss", positive=True)
    room = target - law.E - law.A * n ** -law.alpha
    reachable = room > 0
    with np.errstate(over="ignore", divide="ignore"):
        d = np.where(reachable, (law.B / np.where(reachable, room, 1.0)) ** (1.0 / law.beta), np.inf)
    return _checks.result(d)


# ---- simulated data, labelled as such wherever it is shown -------------------------------------

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
        Model sizes per budget (>= 3).
    span : float, default 16
        Ratio of the largest to the smallest size of a profile (> 1).
    noise : float, default 0.01
        Standard deviation of ``ln(loss)`` (0.01 is about 1 % scatter); 0 for exact values.
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
    k = _checks.scalar(models_per_budget, "models_per_budget", integer=True, low=3)
    span = _checks.scalar(span, "span", low=1.0 + 1e-9)
    noise = _checks.scalar(noise, "noise", nonnegative=True)
    rng = np.random.default_rng(_checks.scalar(seed, "seed", integer=True, nonnegative=True))
    n_opt = np.atleast_1d(compute_optimal(budgets, law).n_params)
    n = (n_opt[:, None] * np.geomspace(span**-0.5, span**0.5, k)[None, :]).ravel()
    c = np.repeat(budgets, k)
    d = c / (6.0 * n)
    clean = np.asarray(loss(n, d, law))
    return {"n_params": n, "n_tokens": d, "flops": c,
            "loss": clean * np.exp(noise * rng.standard_normal(clean.shape))}


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
        Points on each curve (>= 2).
    noise : float, default 0.005
        Standard deviation of ``ln(loss)``.
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
    k = _checks.scalar(points_per_curve, "points_per_curve", integer=True, low=2)
    noise = _checks.scalar(noise, "noise", nonnegative=True)
    rng = np.random.default_rng(_checks.scalar(seed, "seed", integer=True, nonnegative=True))
    ratio = np.geomspace(1.0, top, k)
    n = np.repeat(sizes, k)
    d = (sizes[:, None] * ratio[None, :]).ravel()
    clean = np.asarray(loss(n, d, law))
    return {"n_params": n, "n_tokens": d, "flops": 6.0 * n * d,
            "loss": clean * np.exp(noise * rng.standard_normal(clean.shape))}


# ---- Approaches 1 and 2: power laws through compute-optimal points ----------------------------

@dataclass(frozen=True)
class AllocationFit:
    """Power laws ``N_opt = k_N C**a`` and ``D_opt = k_D C**b`` through compute-optimal points.

    Attributes
    ----------
    a, b : float
        Fitted exponents of parameters and of tokens against compute.
    a_interval, b_interval : tuple
        Their 95 % intervals from the log-log regressions (Student t); see the bootstraps for
        intervals that account for how the optimal points were found.
    flops, n_opt, d_opt, loss_opt : ndarray
        The compute-optimal points fitted: FLOPs, parameters, tokens (``C/(6N)``), nats per token.
    n_fit, d_fit : PowerLawFit
        The regressions behind ``a`` and ``b``. A law that *grows* with ``C`` is a power law in
        ``1/C``, so they are fits of ``N_opt`` and ``D_opt`` against ``1/C`` whose ``alpha`` is ``a``
        and ``b``; use :meth:`predict` rather than calling them directly.
    loss_fit : PowerLawFit or None
        ``loss_opt = E + A C**-gamma`` (the efficient frontier's form) when there are 4 or more
        points, else ``None``.
    method : str
    parabolas : tuple
        Approach 2 only: per budget, ``(flops, coefficients of loss as a quadratic in ln N, highest
        power first, interior)``, ``interior`` saying whether the minimum lies inside the sizes tried.
    """

    a: float
    b: float
    a_interval: tuple
    b_interval: tuple
    flops: np.ndarray
    n_opt: np.ndarray
    d_opt: np.ndarray
    loss_opt: np.ndarray
    n_fit: PowerLawFit = field(repr=False)
    d_fit: PowerLawFit = field(repr=False)
    loss_fit: PowerLawFit | None = field(default=None, repr=False)
    method: str = ""
    parabolas: tuple = field(default=(), repr=False)

    @property
    def interior(self) -> np.ndarray:
        """Approach 2: for each budget, whether its parabola's minimum lies inside the sizes tried."""
        return np.array([p[2] for p in self.parabolas], dtype=bool)

    def predict(self, flops) -> tuple:
        """``(N_opt, D_opt)``, parameters and tokens, that the fitted power laws give at ``flops`` FLOPs."""
        c = _checks.array(flops, "flops", positive=True)
        return _checks.result(self.n_fit.predict(1.0 / c)), _checks.result(self.d_fit.predict(1.0 / c))

    def predict_loss(self, flops):
        """The loss at the optimum, nats per token, extrapolated to ``flops`` FLOPs along ``loss_fit``."""
        c = _checks.array(flops, "flops", positive=True)
        if self.loss_fit is None:
            raise ValueError("flops: this fit has fewer than 4 compute-optimal points, too few to fit the frontier's loss")
        return _checks.result(self.loss_fit.predict(c))


def _allocation_fit(flops, n_opt, loss_opt, method, parabolas=(), *, with_loss=True) -> AllocationFit:
    order = np.argsort(flops)
    flops, n_opt, loss_opt = flops[order], n_opt[order], loss_opt[order]
    d_opt = flops / (6.0 * n_opt)
    n_fit = fit_power_law(1.0 / flops, n_opt)
    d_fit = fit_power_law(1.0 / flops, d_opt)
    loss_fit = fit_power_law(flops, loss_opt, offset=True) if with_loss and flops.size >= 4 else None
    return AllocationFit(a=n_fit.alpha, b=d_fit.alpha, a_interval=n_fit.conf_int()["alpha"],
                         b_interval=d_fit.conf_int()["alpha"], flops=flops, n_opt=n_opt, d_opt=d_opt,
                         loss_opt=loss_opt, n_fit=n_fit, d_fit=d_fit, loss_fit=loss_fit, method=method,
                         parabolas=tuple(parabolas))


def _runs(n_params, flops, losses, n_name="n_params", c_name="flops", min_size=1):
    n = _checks.array(n_params, n_name, positive=True, ndim=1, min_size=min_size)
    c = _checks.array(flops, c_name, positive=True, ndim=1, min_size=min_size)
    l = _checks.array(losses, "losses", positive=True, ndim=1, min_size=min_size)
    _checks.same_shape(**{n_name: n, c_name: c, "losses": l})
    return n, c, l


#: Budgets closer than this (relative) are one IsoFLOP budget: ``6 N D`` with ``D`` rounded to whole
#: tokens misses its budget by up to ``1 / (2 D)``, 5e-5 for a run of 10,000 tokens.
BUDGET_TOLERANCE = 1e-3


def _budget_groups(flops: np.ndarray) -> np.ndarray:
    """Labels grouping equal budgets (equal to a relative :data:`BUDGET_TOLERANCE`)."""
    logc = np.log(flops)
    order = np.argsort(logc)
    breaks = np.concatenate([[0], np.diff(logc[order]) > BUDGET_TOLERANCE]).astype(int)
    labels = np.empty(flops.size, dtype=int)
    labels[order] = np.cumsum(breaks)
    return labels


def _approach1(n, c, l, bins, with_loss=True) -> AllocationFit:
    edges = np.geomspace(c.min(), c.max() * (1 + 1e-12), bins + 1)
    which = np.clip(np.searchsorted(edges, c, side="right") - 1, 0, bins - 1)
    # the lowest loss in each bin, found for all bins at once
    order = np.lexsort((l, which))
    first = np.flatnonzero(np.r_[True, np.diff(which[order]) != 0])
    best = order[first]
    sizes_per_bin = np.array([np.unique(n[which == which[i]]).size for i in best])
    keep = (sizes_per_bin >= 2) & (n[best] != n.min()) & (n[best] != n.max())
    best = best[keep]
    if best.size < 3:
        raise ValueError("flops must span enough range, with several model sizes per bin, to give 3 "
                         f"envelope points away from the smallest and largest size; got {best.size}")
    return _allocation_fit(c[best], n[best], l[best], "Approach 1: envelope of training curves",
                           with_loss=with_loss)


def fit_approach1(n_params, flops, losses, *, bins: int = 30) -> AllocationFit:
    """Approach 1: the lower envelope of training curves (Hoffmann et al. 2022, Sec. 3.1).

    The FLOP range is cut into ``bins`` log-spaced bins; in each, the point with the lowest loss across
    all model sizes is compute-optimal for that compute. Power laws ``N_opt ∝ C**a`` and
    ``D_opt ∝ C**b`` (``D = C/(6N)``) are fitted through those points by least squares in log-log.
    A bin whose best point belongs to the smallest or the largest size is dropped: there the optimum
    may lie outside the sizes trained, and keeping it would bend the exponent.

    Parameters
    ----------
    n_params : array_like
        Model size of each point, parameters.
    flops : array_like
        Compute spent so far at each point, FLOPs (``6 N D`` with ``D`` the tokens seen so far).
    losses : array_like
        Loss at each point, nats per token.
    bins : int, default 30
        Number of log-spaced FLOP bins (>= 3).

    Returns
    -------
    AllocationFit

    Raises
    ------
    ValueError
        On bad input, or when fewer than 3 bins give an envelope point.
    """
    n, c, l = _runs(n_params, flops, losses)
    bins = _checks.scalar(bins, "bins", integer=True, low=3)
    return _approach1(n, c, l, bins)


def _parabola(log_n: np.ndarray, losses: np.ndarray) -> np.ndarray:
    """Coefficients (highest power first) of the least-squares parabola of loss in ln N; a
    domain-scaled fit stays well conditioned however narrow the profile."""
    return np.polynomial.Polynomial.fit(log_n, losses, 2).convert().coef[::-1]


def isoflop_minimum(n_params, losses) -> tuple:
    """The minimum of one IsoFLOP profile, as Approach 2 finds it: the parabola in ``ln N`` through
    the final losses of runs that all spent one budget.

    Parameters
    ----------
    n_params : array_like
        Model size of each run, parameters (at least 3 distinct sizes).
    losses : array_like
        Final loss of each run, nats per token.

    Returns
    -------
    (n_opt, loss_opt) : tuple of float
        The parabola's minimum: parameters and nats per token.

    Raises
    ------
    ValueError
        With fewer than 3 distinct sizes, or when the parabola opens downwards (no minimum).
    """
    n = _checks.array(n_params, "n_params", positive=True, ndim=1)
    l = _checks.array(losses, "losses", positive=True, ndim=1)
    _checks.same_shape(n_params=n, losses=l)
    if np.unique(n).size < 3:
        raise ValueError(f"n_params must hold at least 3 distinct sizes to fit a parabola; got {np.unique(n).size}")
    coeffs = _parabola(np.log(n), l)
    if coeffs[0] <= 0:
        raise ValueError("losses: the parabola through this profile opens downwards, so it has no minimum")
    x_min = -coeffs[1] / (2 * coeffs[0])
    return float(np.exp(x_min)), float(np.polyval(coeffs, x_min))


def _approach2(n, c, l, groups=None, with_loss=True) -> AllocationFit:
    groups = _budget_groups(c) if groups is None else groups
    rows, parabolas = [], []
    for key in np.unique(groups):
        mine = groups == key
        if np.unique(n[mine]).size < 3:  # a parabola needs three distinct sizes
            continue
        x = np.log(n[mine])
        coeffs = _parabola(x, l[mine])
        if coeffs[0] <= 0:  # opens downwards: no minimum
            continue
        x_min = -coeffs[1] / (2 * coeffs[0])
        width = x.max() - x.min()
        if not x.min() - width < x_min < x.max() + width:
            continue  # a minimum far outside the sizes tried is no estimate at all
        budget = float(np.exp(np.log(c[mine]).mean()))
        parabolas.append((budget, coeffs, bool(x.min() < x_min < x.max())))
        rows.append((budget, np.exp(x_min), np.polyval(coeffs, x_min)))
    if len(rows) < 3:
        raise ValueError("flops must hold at least 3 budgets with 3 or more distinct model sizes each "
                         f"(one IsoFLOP profile per budget) whose parabola has a minimum; got {len(rows)}")
    cc, nn, ll = map(np.array, zip(*rows))
    return _allocation_fit(cc, nn, ll, "Approach 2: IsoFLOP profiles", parabolas, with_loss=with_loss)


def fit_approach2(n_params, flops, losses) -> AllocationFit:
    """Approach 2: IsoFLOP profiles (Hoffmann et al. 2022, Sec. 3.2).

    Runs are grouped by budget (``flops`` equal to a relative 1e-3, so a run whose tokens were
    rounded to a whole number stays in its budget). Through each group's final
    losses a parabola in ``ln N``; its minimum is that budget's optimum. Power laws ``N_opt ∝ C**a``
    and ``D_opt ∝ C**b`` are fitted through the minima. A budget is skipped if it has fewer than 3
    distinct sizes, if its parabola opens downwards, or if the minimum lies further outside the sizes
    tried than the profile is wide; a minimum outside the sizes but nearer is kept and flagged
    (``parabolas[i][2]`` / :attr:`AllocationFit.interior` is ``False``).

    Parameters
    ----------
    n_params : array_like
        Model size of each run, parameters.
    flops : array_like
        Budget of each run, FLOPs.
    losses : array_like
        Final loss of each run, nats per token.

    Returns
    -------
    AllocationFit
        With ``parabolas`` (per budget: FLOPs, coefficients, interior flag) for drawing the valleys.

    Raises
    ------
    ValueError
        On bad input, or with fewer than 3 usable budgets.
    """
    n, c, l = _runs(n_params, flops, losses)
    return _approach2(n, c, l)


# ---- Approach 3: the parametric fit -----------------------------------------------------------

#: The paper's grid of initialisations (Sec. 3.3 and App. D.2): 6 x 6 x 5 x 5 x 5 = 4,500 starts.
GRID_A = np.arange(0.0, 25.0 + 1e-9, 5.0)
GRID_B = np.arange(0.0, 25.0 + 1e-9, 5.0)
GRID_E = np.arange(-1.0, 1.0 + 1e-9, 0.5)
GRID_ALPHA = np.arange(0.0, 2.0 + 1e-9, 0.5)
GRID_BETA = np.arange(0.0, 2.0 + 1e-9, 0.5)
#: The Huber threshold of the paper's objective, in ln(loss).
HUBER_DELTA = 1e-3
_CHUNK = 256  # rows per block of the batched objective: blocks of (256 x points) stay in cache


def initial_grid() -> np.ndarray:
    """The paper's 4,500 starting points.

    Returns
    -------
    ndarray, shape (4500, 5)
        Rows ``(a, b, e, alpha, beta)`` with ``A = e**a``, ``B = e**b``, ``E = e**e``:
        ``a, b`` in {0, 5, ..., 25}, ``e`` in {-1, -0.5, ..., 1}, ``alpha, beta`` in {0, 0.5, ..., 2}.
    """
    mesh = np.meshgrid(GRID_A, GRID_B, GRID_E, GRID_ALPHA, GRID_BETA, indexing="ij")
    return np.stack([m.ravel() for m in mesh], axis=1)


def _huber_block(theta, log_n, log_d, log_loss, delta, weights):
    # LSE(t1, t2, e) = e + ln(1 + exp(t1 - e) + exp(t2 - e)): shifting by each row's e (a scalar)
    # saves an exp per point; a point so far out that exp overflows gets an infinite objective,
    # which the line search rejects.
    a, b, e, alpha, beta = (theta[:, i:i + 1] for i in range(5))
    with np.errstate(over="ignore", invalid="ignore"):
        w1 = np.multiply(alpha, log_n)
        np.subtract(a - e, w1, out=w1)
        np.exp(w1, out=w1)
        w2 = np.multiply(beta, log_d)
        np.subtract(b - e, w2, out=w2)
        np.exp(w2, out=w2)
        total = np.add(w1, w2)
        total += 1.0
        r = np.log(total)
        r += e
        r -= log_loss  # the residual: LSE(...) - ln L
        dh = np.clip(r, -delta, delta)  # Huber's derivative; Huber itself is dh * (r - dh/2)
        r -= 0.5 * dh
        r *= dh  # now the Huber loss of each point
        if weights is not None:
            r *= weights
            dh *= weights
        dh /= total  # now d objective / d e, per point
        w1 *= dh
        w2 *= dh
        g = np.empty((theta.shape[0], 5), dtype=np.float64)
        g[:, 0] = w1.sum(1)
        g[:, 1] = w2.sum(1)
        g[:, 2] = dh.sum(1)
        g[:, 3] = -(w1 @ log_n[0])
        g[:, 4] = -(w2 @ log_d[0])
        return r.sum(1).astype(np.float64), g


def _huber(theta, log_n, log_d, log_loss, delta=HUBER_DELTA, weights=None):
    """The objective and gradient for rows of ``theta`` (S, 5); ``log_*`` are (1, n) arrays, ``weights``
    (S, n) or None. Evaluated in blocks of rows: much faster than one (S x n) pass for large S."""
    with np.errstate(over="ignore"):  # a wild trial step overflows float32: inf, rejected
        theta = theta.astype(log_n.dtype, copy=False)
    if theta.shape[0] <= _CHUNK:
        return _huber_block(theta, log_n, log_d, log_loss, delta, weights)
    f = np.empty(theta.shape[0])
    g = np.empty((theta.shape[0], 5))
    for i in range(0, theta.shape[0], _CHUNK):
        rows = slice(i, i + _CHUNK)
        f[rows], g[rows] = _huber_block(theta[rows], log_n, log_d, log_loss, delta,
                                        None if weights is None else weights[rows])
    return f, g


def huber_objective(theta, log_n, log_d, log_loss, *, delta: float = HUBER_DELTA, weights=None):
    """The paper's objective and its gradient, for one or many parameter vectors at once.

    ``sum_i w_i Huber_delta(LSE(a - alpha ln N_i, b - beta ln D_i, e) - ln L_i)`` (Hoffmann et al.
    2022, Sec. 3.3 and App. D.2), with ``LSE`` the log-sum-exp.

    Parameters
    ----------
    theta : array_like, shape (5,) or (S, 5)
        Parameter vectors ``(a, b, e, alpha, beta)`` with ``A = e**a``, ``B = e**b``, ``E = e**e``.
    log_n, log_d, log_loss : array_like, shape (n,)
        ``ln`` of parameters, of tokens and of losses (nats per token) of the runs.
    delta : float, default 1e-3
        Huber threshold on the ``ln(loss)`` residual (> 0).
    weights : array_like, shape (n,) or (S, n), optional
        Weight of each run (a bootstrap resample is a row of counts), >= 0.

    Returns
    -------
    values : float or ndarray (S,)
    gradients : ndarray (5,) or (S, 5)
        Gradient with respect to ``(a, b, e, alpha, beta)``.
    """
    theta = _checks.array(theta, "theta")
    single = theta.ndim == 1
    theta = np.atleast_2d(theta)
    if theta.ndim != 2 or theta.shape[1] != 5:
        raise ValueError(f"theta must have 5 entries (a, b, e, alpha, beta) per row; got shape {theta.shape}")
    logs = [_checks.array(v, name, ndim=1) for v, name in
            ((log_n, "log_n"), (log_d, "log_d"), (log_loss, "log_loss"))]
    _checks.same_shape(log_n=logs[0], log_d=logs[1], log_loss=logs[2])
    delta = _checks.scalar(delta, "delta", positive=True)
    if weights is not None:
        weights = _checks.array(weights, "weights", nonnegative=True)
        if weights.shape not in (logs[0].shape, (theta.shape[0], logs[0].size)):
            raise ValueError(f"weights must have shape {logs[0].shape} or {(theta.shape[0], logs[0].size)}; "
                             f"got {weights.shape}")
        weights = np.broadcast_to(weights, (theta.shape[0], logs[0].size))
    f, g = _huber(theta, *(v[None, :] for v in logs), delta=delta, weights=weights)
    return (float(f[0]), g[0]) if single else (f, g)


def _batched_lbfgs(fun, x0, *, max_iter: int = 500, memory: int = 10, gtol: float = 1e-10,
                   ftol: float = 1e-15, max_step: float = np.inf):
    """Minimise ``fun`` from every row of ``x0`` at once; returns the final rows and values.

    ``fun(x, rows)`` returns the values (m,) and gradients (m, P) at the rows ``x`` (``rows``: their
    indices in ``x0``). Each row runs its own L-BFGS with a backtracking line search (Armijo condition,
    next trial at the minimum of a quadratic fit, within [0.1, 0.5] of the last). A row stops when
    its gradient's largest entry is below ``gtol``, an iteration improves it by less than ``ftol``
    relative, or its line search fails. No trial moves a parameter by more than ``max_step``: after
    one step the curvature estimate of a Huber objective is often far too flat, and the first trial
    far too long.
    """
    x = np.array(x0, dtype=float)
    S, P = x.shape
    f, g = fun(x, np.arange(S))
    # history, newest first: s_hist[i, k] is row i's k-th most recent step; unused entries hold
    # rho = 0, which makes them drop out of the two-loop recursion
    s_hist = np.zeros((S, memory, P))
    y_hist = np.zeros((S, memory, P))
    rho = np.zeros((S, memory))
    count = np.zeros(S, dtype=int)
    active = np.ones(S, dtype=bool)
    for _ in range(max_iter):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        gi = g[idx]
        sh, yh, rh = s_hist[idx], y_hist[idx], rho[idx]
        depth = int(min(count[idx].max(), memory))
        q = gi.copy()
        alphas = np.zeros((idx.size, depth))
        for k in range(depth):
            alphas[:, k] = rh[:, k] * np.einsum("ij,ij->i", sh[:, k], q)
            q -= alphas[:, k, None] * yh[:, k]
        if depth:
            sy = np.einsum("ij,ij->i", sh[:, 0], yh[:, 0])
            yy = np.einsum("ij,ij->i", yh[:, 0], yh[:, 0])
            has = (rh[:, 0] > 0) & (yy > 0)
            gamma = np.where(has, sy / np.where(has, yy, 1.0), 1.0 / np.maximum(1.0, np.abs(gi).max(1)))
        else:
            gamma = 1.0 / np.maximum(1.0, np.abs(gi).max(1))
        p = gamma[:, None] * q
        for k in reversed(range(depth)):
            beta_k = rh[:, k] * np.einsum("ij,ij->i", yh[:, k], p)
            p += (alphas[:, k] - beta_k)[:, None] * sh[:, k]
        p = -p
        slope = np.einsum("ij,ij->i", gi, p)
        bad = ~(slope < 0)  # not a descent direction: fall back to steepest descent
        p[bad] = -gi[bad]
        slope[bad] = -np.einsum("ij,ij->i", gi[bad], gi[bad])
        # backtracking line search, each row with its own step
        step = np.minimum(1.0, max_step / np.maximum(np.abs(p).max(1), 1e-300))
        todo = np.arange(idx.size)
        f_new = np.empty(idx.size)
        g_new = np.empty((idx.size, P))
        for _ls in range(40):
            trial = x[idx[todo]] + step[todo, None] * p[todo]
            ft, gt = fun(trial, idx[todo])
            f0, t, d0 = f[idx[todo]], step[todo], slope[todo]
            ok = ft <= f0 + 1e-4 * t * d0
            f_new[todo[ok]], g_new[todo[ok]] = ft[ok], gt[ok]
            todo, ft, f0, t, d0 = todo[~ok], ft[~ok], f0[~ok], t[~ok], d0[~ok]
            if todo.size == 0:
                break
            # next trial: the minimum of the quadratic through f(0), f'(0) and f(t), kept within
            # [0.1 t, 0.5 t] (0.1 t when f(t) is not finite)
            with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
                curvature = ft - f0 - d0 * t
                shrink = -d0 * t / (2 * curvature)
            shrink = np.where(np.isfinite(shrink) & (curvature > 0), shrink, 0.1)
            step[todo] = t * np.clip(shrink, 0.1, 0.5)
        moved = np.ones(idx.size, dtype=bool)
        moved[todo] = False
        s = step[:, None] * p
        y = g_new - gi
        sy = np.einsum("ij,ij->i", s, y)
        store = moved & (sy > 1e-300)
        rows = idx[store]
        s_hist[rows] = np.concatenate([s[store, None], sh[store, :-1]], axis=1)
        y_hist[rows] = np.concatenate([y[store, None], yh[store, :-1]], axis=1)
        rho[rows] = np.concatenate([1.0 / sy[store, None], rh[store, :-1]], axis=1)
        count[rows] += 1
        improvement = np.where(moved, f[idx] - f_new, 0.0)
        x[idx[moved]] += s[moved]
        f[idx[moved]] = f_new[moved]
        g[idx[moved]] = g_new[moved]
        done = (~moved | (np.abs(g[idx]).max(1) < gtol)
                | (moved & (improvement <= ftol * np.maximum(np.abs(f[idx]), 1e-300))))
        active[idx[done]] = False
    return x, f


@dataclass(frozen=True)
class ParametricFit:
    """Approach 3's result, accepted wherever a law is.

    Attributes
    ----------
    law : ParametricLaw
        The fitted law; ``E, A, B, alpha, beta`` are also attributes of the result itself.
    objective : float
        The Huber objective at the optimum (sum over runs).
    r2, rmse, max_abs_residual : float
        R², root-mean-square and largest absolute value of the ``ln(loss)`` residuals.
    n_points, n_starts : int
        Runs fitted and starting points tried.
    theta : ndarray
        The optimum as ``(a, b, e, alpha, beta)``.
    """

    law: ParametricLaw
    objective: float
    r2: float
    rmse: float
    max_abs_residual: float
    n_points: int
    n_starts: int
    theta: np.ndarray = field(repr=False)

    E = property(lambda self: self.law.E)
    A = property(lambda self: self.law.A)
    B = property(lambda self: self.law.B)
    alpha = property(lambda self: self.law.alpha)
    beta = property(lambda self: self.law.beta)


def _theta_to_law(theta, name="fitted (Approach 3)") -> ParametricLaw:
    a, b, e, alpha, beta = (float(v) for v in theta)
    return ParametricLaw(E=float(np.exp(e)), A=float(np.exp(a)), B=float(np.exp(b)),
                         alpha=max(alpha, 1e-12), beta=max(beta, 1e-12), name=name)


#: Tight tolerances for the last step of :func:`fit_approach3`; the reference method uses scipy's
#: defaults, which already reach the same optimum to far better than 1e-8 (and are faster).
_TIGHT = {"maxiter": 10_000, "ftol": 1e-15, "gtol": 1e-12}


def _polish(theta, args, options=None):
    """Run scipy's L-BFGS-B from one start, as the paper did; returns ``(theta, objective)``."""
    def fun(x):
        v, gr = _huber_block(x[None, :], *args, HUBER_DELTA, None)
        return float(v[0]), gr[0]
    sol = optimize.minimize(fun, theta, jac=True, method="L-BFGS-B", options=options)
    return sol.x, float(sol.fun)


def _parametric_inputs(n_params, n_tokens, losses, starts):
    n, d, l = _runs(n_params, n_tokens, losses, c_name="n_tokens")
    if n.size < 6:
        raise ValueError(f"n_params, n_tokens and losses need at least 6 runs to fit 5 parameters; got {n.size}")
    x0 = initial_grid() if starts is None else _checks.array(starts, "starts", ndim=2)
    if x0.shape[1] != 5:
        raise ValueError(f"starts must have 5 columns (a, b, e, alpha, beta); got shape {x0.shape}")
    args = (np.log(n)[None, :], np.log(d)[None, :], np.log(l)[None, :])
    return n, d, l, x0, args


#: The pass over every start sees at most this many runs (evenly spaced in the order given).
_SCREEN_POINTS = 128


def fit_approach3(n_params, n_tokens, losses, *, starts=None, screen: int = 5, keep: int = 32,
                  polish: int = 4) -> ParametricFit:
    """Approach 3: fit ``L(N, D) = E + A/N**alpha + B/D**beta`` itself (Hoffmann et al. 2022, Sec. 3.3).

    Minimises the paper's objective, the Huber loss (delta = 1e-3) of
    ``LSE(a - alpha ln N, b - beta ln D, e) - ln L`` summed over runs, from every start of the paper's
    4,500-point grid (:func:`initial_grid`), and returns the best optimum found.

    How: every start runs ``screen`` iterations of one batched L-BFGS in numpy (objective and
    gradient for all starts at once, in float32, on at most 128 of the runs, which is ample to rank
    them); the ``keep`` best distinct points go on for 40 iterations in float64 on all runs; the
    ``polish`` best of those are finished with scipy's L-BFGS-B at tight tolerances, and the best of
    those is the answer. Ranking after a few iterations is a heuristic: ``bench/fit_speed.py`` and the
    tests compare the answer with :func:`fit_approach3_per_start_scipy`, scipy's L-BFGS-B run to the
    end from every start. On small, noisy data sets near-equal local optima abound (the grid's best
    may be reached from a single start) and the two can then differ by ~1e-8 in the objective, either
    way; raise ``screen``, ``keep`` and ``polish`` there.

    Parameters
    ----------
    n_params : array_like
        Model size of each run, parameters.
    n_tokens : array_like
        Training tokens of each run.
    losses : array_like
        Final loss of each run, nats per token. At least 6 runs.
    starts : array_like, shape (S, 5), optional
        Starting points ``(a, b, e, alpha, beta)`` instead of the paper's grid.
    screen, keep, polish : int, default 5, 32, 4
        Iterations of the pass over every start, points kept after it, points finished with scipy.

    Returns
    -------
    ParametricFit
    """
    n, d, l, x0, args = _parametric_inputs(n_params, n_tokens, losses, starts)
    screen = _checks.scalar(screen, "screen", integer=True, positive=True)
    keep = _checks.scalar(keep, "keep", integer=True, positive=True)
    polish = _checks.scalar(polish, "polish", integer=True, positive=True)
    some = np.unique(np.linspace(0, n.size - 1, min(n.size, _SCREEN_POINTS)).round().astype(int))
    args32 = tuple(v[:, some].astype(np.float32) for v in args)
    x, f = _batched_lbfgs(lambda x, rows: _huber(x, *args32), x0, max_iter=screen, ftol=1e-6,
                          gtol=1e-7, max_step=5.0)
    chosen = []
    for i in np.argsort(f):
        if np.isfinite(f[i]) and all(np.abs(x[i] - x[j]).max() > 1e-3 for j in chosen):
            chosen.append(i)
            if len(chosen) == keep:
                break
    x, f = _batched_lbfgs(lambda x, rows: _huber(x, *args), x[chosen], max_iter=40)
    best = [_polish(x[i], args, _TIGHT) for i in np.argsort(f)[:polish]]
    theta, objective = min(best, key=lambda t: t[1])
    return _parametric_result(theta, objective, n, d, l, x0.shape[0])


def _parametric_result(theta, objective, n, d, l, n_starts) -> ParametricFit:
    law = _theta_to_law(theta)
    residual = np.log(np.asarray(loss(n, d, law))) - np.log(l)
    centred = np.log(l) - np.log(l).mean()
    return ParametricFit(law=law, objective=float(objective),
                         r2=float(1 - (residual @ residual) / (centred @ centred)),
                         rmse=float(np.sqrt(np.mean(residual**2))),
                         max_abs_residual=float(np.abs(residual).max()), n_points=int(n.size),
                         n_starts=int(n_starts), theta=np.asarray(theta, float))


def fit_approach3_per_start_scipy(n_params, n_tokens, losses, *, starts=None) -> ParametricFit:
    """The reference method for :func:`fit_approach3`: scipy's L-BFGS-B run separately from every start.

    Same objective, analytic gradient and starts, scipy's default tolerances; slow (tens of seconds
    for the full grid). Takes the same arguments as :func:`fit_approach3` and returns the best start's
    optimum.
    """
    n, d, l, x0, args = _parametric_inputs(n_params, n_tokens, losses, starts)
    results = [_polish(start, args) for start in x0]
    theta, objective = min(results, key=lambda t: t[1])
    return _parametric_result(theta, objective, n, d, l, x0.shape[0])


# ---- bootstrap ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bootstrap:
    """Bootstrap samples of an approach's results.

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
    """

    samples: dict
    n_resamples: int
    n_used: int
    at_flops: float | None

    def interval(self, name: str, level: float = 0.95) -> tuple:
        """The percentile interval ``(low, high)`` of ``samples[name]`` at ``level`` (0 to 1)."""
        level = _checks.level(level)
        _checks.choice(name, "name", self.samples)
        values = self.samples[name][np.isfinite(self.samples[name])]
        if values.size == 0:
            raise ValueError(f"name: no finite samples of {name!r}")
        return tuple(float(v) for v in np.quantile(values, [0.5 - level / 2, 0.5 + level / 2]))


def _bootstrap_args(n_resamples, seed, at_flops):
    n_resamples = _checks.scalar(n_resamples, "n_resamples", integer=True, low=2)
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
    _checks.choice(approach, "approach", (1, 2))
    n, c, l = _runs(n_params, flops, losses)
    n_resamples, seed, at = _bootstrap_args(n_resamples, seed, at_flops)
    bins = _checks.scalar(bins, "bins", integer=True, low=3)
    groups = _budget_groups(c) if approach == 2 else n
    members = [np.flatnonzero(groups == g) for g in np.unique(groups)]
    rng = np.random.default_rng(seed)
    keys = ["a", "b"] + (["n_opt", "d_opt", "loss"] if at else [])
    samples = {k: [] for k in keys}
    for _ in range(n_resamples):
        idx = np.concatenate([m[rng.integers(0, m.size, m.size)] for m in members])
        try:
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
    return Bootstrap({k: np.array(v, dtype=float) for k, v in samples.items()}, n_resamples, used, at)


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
    elif not isinstance(fit, ParametricFit):
        raise ValueError(f"fit must be the ParametricFit of these runs (from fit_approach3); got {fit!r}")
    rng = np.random.default_rng(seed)
    counts = rng.multinomial(n.size, np.full(n.size, 1.0 / n.size), size=n_resamples).astype(float)
    args = (np.log(n)[None, :], np.log(d)[None, :], np.log(l)[None, :])
    x, _ = _batched_lbfgs(lambda x, rows: _huber(x, *args, weights=counts[rows]),
                          np.repeat(fit.theta[None, :], n_resamples, axis=0), max_iter=3000)
    E, A, B = np.exp(x[:, 2]), np.exp(x[:, 0]), np.exp(x[:, 1])
    alpha, beta = np.maximum(x[:, 3], 1e-12), np.maximum(x[:, 4], 1e-12)
    a, b = beta / (alpha + beta), alpha / (alpha + beta)
    samples = {"E": E, "A": A, "B": B, "alpha": alpha, "beta": beta, "a": a, "b": b}
    if at:
        # the closed form of compute_optimal, for all resamples at once
        G = (alpha * A / (beta * B)) ** (1.0 / (alpha + beta))
        n_opt = G * (at / 6.0) ** a
        d_opt = (at / 6.0) ** b / G
        samples.update(n_opt=n_opt, d_opt=d_opt, loss=E + A * n_opt ** -alpha + B * d_opt ** -beta)
    return Bootstrap(samples, n_resamples, n_resamples, at)
