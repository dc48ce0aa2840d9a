"""Hoffmann et al. (2022)'s Approaches 1 and 2: power laws ``N_opt ∝ C**a`` and ``D_opt ∝ C**b``
through compute-optimal points found from the runs themselves — the lower envelope of training
curves (Approach 1, Sec. 3.1) or the minima of IsoFLOP profiles (Approach 2, Sec. 3.2)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import _checks
from .._report import Report, SelfReporting, interval, number
from ..compute import _tokens_for_budget
from ..power_laws import PowerLawFit, fit_power_law


@dataclass(frozen=True, repr=False)
class AllocationFit(SelfReporting):
    """Power laws ``N_opt = k_N C**a`` and ``D_opt = k_D C**b`` through compute-optimal points.

    It reports itself: ``print(fit)`` or :meth:`report` gives a plain-text summary, a notebook shows
    a small table (``_repr_html_``), ``repr(fit)`` is one line.

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
        points, else ``None``. When the optimal losses cannot identify it (they hardly change with
        compute), fitting warns with :class:`~scaling_lib.UnidentifiedFitWarning` and its standard
        errors are ``inf`` (see :attr:`PowerLawFit.identified`).
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
        with np.errstate(over="ignore"):
            inverse = 1.0 / c
        return (_checks.finite(lambda: self.n_fit.A * inverse ** -self.n_fit.alpha, "flops", "N_opt"),
                _checks.finite(lambda: self.d_fit.A * inverse ** -self.d_fit.alpha, "flops", "D_opt"))

    def _summary(self, level: float = 0.95) -> Report:
        rows = [(name, number(fit.alpha), number(fit.stderr["alpha"]), interval(fit.conf_int(level)["alpha"]))
                for name, fit in (("a", self.n_fit), ("b", self.d_fit))]
        notes = [f"{self.flops.size} compute-optimal points, budgets {number(self.flops.min())} to "
                 f"{number(self.flops.max())} FLOPs",
                 f"residual sd of log N_opt {number(self.n_fit.residual_std)}, of log D_opt "
                 f"{number(self.d_fit.residual_std)}"]
        if self.loss_fit is not None:
            ci = self.loss_fit.conf_int(level)
            rows += [(f"{name} (loss at the optimum)", number(value), number(self.loss_fit.stderr[key]),
                      interval(ci[key]))
                     for name, key, value in (("E", "E", self.loss_fit.E), ("gamma", "alpha", self.loss_fit.alpha))]
            notes.append("loss at the optimum fitted as E + A C^-gamma, nats per token")
        else:
            notes.append("loss at the optimum not fitted (fewer than 4 points)")
        if self.parabolas:
            notes.append(f"{int(self.interior.sum())} of {len(self.parabolas)} parabola minima inside the sizes tried")
        return Report(f"{self.method or 'Allocation fit'}: N_opt = k_N C^a, D_opt = k_D C^b",
                      ("parameter", "value", "std. error", f"{100 * level:g} % interval"), tuple(rows), tuple(notes))

    def report(self, level: float = 0.95) -> str:
        """A plain-text summary: the method; the exponents ``a`` and ``b`` with their standard errors
        and intervals at ``level`` from the log-log regressions (and ``E`` and ``gamma`` of the loss at
        the optimum when fitted); the number of points, the budgets they span, the residual standard
        deviations of ``log N_opt`` and ``log D_opt``, and for Approach 2 how many parabola minima lie
        inside the sizes tried. Numbers to 4 significant digits (``.4g``), intervals as ``low to high``.
        """
        return self._summary(_checks.level(level)).text()

    def __repr__(self) -> str:
        return (f"AllocationFit({self.method!r}, a={number(self.a)}, b={number(self.b)}, "
                f"points={self.flops.size})")

    def predict_loss(self, flops):
        """The loss at the optimum, nats per token, extrapolated to ``flops`` FLOPs along ``loss_fit``."""
        c = _checks.array(flops, "flops", positive=True)
        if self.loss_fit is None:
            raise ValueError("flops: this fit has fewer than 4 compute-optimal points, too few to fit the frontier's loss")
        f = self.loss_fit
        return _checks.finite(lambda: f.A * c ** -f.alpha + f.E, "flops", "the frontier's loss")


def _allocation_fit(flops, n_opt, loss_opt, method, parabolas=(), *, with_loss=True) -> AllocationFit:
    order = np.argsort(flops)
    flops, n_opt, loss_opt = flops[order], n_opt[order], loss_opt[order]
    d_opt = _tokens_for_budget(flops, n_opt)  # unchecked: runs once per bootstrap resample
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
        raise ValueError("n_params, flops and losses: flops must span enough range, with several model "
                         "sizes per bin, to give 3 envelope points away from the smallest and largest "
                         f"size; got {best.size}")
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
        Number of log-spaced FLOP bins (3 to 10,000).

    Returns
    -------
    AllocationFit
        Its ``loss_fit`` may warn and carry ``inf`` standard errors when the envelope's losses
        cannot identify the frontier's offset law (see :class:`AllocationFit`).

    Raises
    ------
    ValueError
        On bad input, or when fewer than 3 bins give an envelope point.
    """
    n, c, l = _runs(n_params, flops, losses)
    bins = _checks.scalar(bins, "bins", integer=True, low=3, high=MAX_BINS)
    return _approach1(n, c, l, bins)


#: The most FLOP bins Approach 1 accepts.
MAX_BINS = 10_000


def _parabola(log_n: np.ndarray, losses: np.ndarray) -> np.ndarray:
    """Coefficients (highest power first) of the least-squares parabola of loss in ln N; a
    domain-scaled fit stays well conditioned however narrow the profile."""
    return np.polynomial.Polynomial.fit(log_n, losses, 2).convert().coef[::-1]


def _vertex(coeffs: np.ndarray) -> tuple:
    """``(ln N, loss)`` at the vertex of a parabola given by :func:`_parabola` (a minimum when
    ``coeffs[0] > 0``)."""
    x_min = -coeffs[1] / (2 * coeffs[0])
    return x_min, np.polyval(coeffs, x_min)


def isoflop_parabola(n_params, losses) -> np.ndarray:
    """The parabola Approach 2 fits through one IsoFLOP profile: final loss as a quadratic in ``ln N``.

    Parameters
    ----------
    n_params : array_like
        Model size of each run, parameters (at least 3 distinct sizes).
    losses : array_like
        Final loss of each run, nats per token.

    Returns
    -------
    ndarray, shape (3,)
        Least-squares coefficients, highest power first: the fitted loss at ``N`` parameters is
        ``np.polyval(coeffs, np.log(N))``. The parabola may open downwards (``coeffs[0] <= 0``), and
        then has no minimum; :func:`isoflop_minimum` says so.

    Raises
    ------
    ValueError
        On bad input, or with fewer than 3 distinct sizes.
    """
    n = _checks.array(n_params, "n_params", positive=True, ndim=1)
    l = _checks.array(losses, "losses", positive=True, ndim=1)
    _checks.same_shape(n_params=n, losses=l)
    if np.unique(n).size < 3:
        raise ValueError(f"n_params must hold at least 3 distinct sizes to fit a parabola; got {np.unique(n).size}")
    return _parabola(np.log(n), l)


def isoflop_minimum(n_params, losses) -> tuple:
    """The minimum of one IsoFLOP profile, as Approach 2 finds it: the vertex of
    :func:`isoflop_parabola`, the parabola in ``ln N`` through the final losses of runs that all
    spent one budget. Takes the arguments of :func:`isoflop_parabola`.

    Returns
    -------
    (n_opt, loss_opt) : tuple of float
        The parabola's minimum: parameters and nats per token.

    Raises
    ------
    ValueError
        With fewer than 3 distinct sizes, or when the parabola opens downwards (no minimum).
    """
    coeffs = isoflop_parabola(n_params, losses)
    if coeffs[0] <= 0:
        raise ValueError("losses: the parabola through this profile opens downwards, so it has no minimum")
    x_min, loss_min = _vertex(coeffs)
    return float(np.exp(x_min)), float(loss_min)


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
        x_min, loss_min = _vertex(coeffs)
        width = x.max() - x.min()
        if not x.min() - width < x_min < x.max() + width:
            continue  # a minimum far outside the sizes tried is no estimate at all
        budget = float(np.exp(np.log(c[mine]).mean()))
        parabolas.append((budget, coeffs, bool(x.min() < x_min < x.max())))
        rows.append((budget, np.exp(x_min), loss_min))
    if len(rows) < 3:
        raise ValueError("n_params, flops and losses: flops must hold at least 3 budgets with 3 or more "
                         "distinct model sizes each (one IsoFLOP profile per budget) whose parabola has a "
                         f"minimum; got {len(rows)}")
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
        Its ``loss_fit`` may warn and carry ``inf`` standard errors when the minima's losses cannot
        identify the frontier's offset law (see :class:`AllocationFit`).

    Raises
    ------
    ValueError
        On bad input, or with fewer than 3 usable budgets.
    """
    n, c, l = _runs(n_params, flops, losses)
    return _approach2(n, c, l)
