"""Power laws: evaluate, simulate, fit, and extrapolate with an honest error band.

The law is ``y = A * x**(-alpha) + E``: ``A`` sets the scale, ``alpha`` the exponent (the negative
of the slope on log-log axes) and ``E`` an irreducible floor (0 for a pure power law).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize, stats

from . import _checks
from ._report import Report, SelfReporting, interval, number


def power_law(x, A: float, alpha: float, E: float = 0.0):
    """Evaluate ``A * x**(-alpha) + E``.

    Parameters
    ----------
    x : float or array_like
        Positive scale values (parameters, tokens, FLOPs, ...).
    A : float
        Positive coefficient, in the units of ``y``.
    alpha : float
        Exponent; positive for a law that falls as ``x`` grows.
    E : float, default 0
        Non-negative floor the law approaches as ``x`` grows.
    """
    x = _checks.array(x, "x", positive=True)
    A = _checks.scalar(A, "A", positive=True)
    alpha = _checks.scalar(alpha, "alpha")
    E = _checks.scalar(E, "E", nonnegative=True)
    return _checks.finite(lambda: A * x ** (-alpha) + E, "x, A and alpha", "A x**-alpha")


#: The largest ``noise`` (standard deviation of ``log y``) a simulation accepts: beyond it the
#: "noise" spans many orders of magnitude and says nothing about a power law.
MAX_NOISE = 5.0


def simulate_power_law(x, A: float, alpha: float, E: float = 0.0, *, noise: float = 0.0,
                       seed: int = 0) -> np.ndarray:
    """Values of a power law with multiplicative log-normal noise, reproducible from ``seed``.

    ``noise`` is the standard deviation of ``log y`` (0.05 means roughly 5 % scatter), at most
    :data:`MAX_NOISE`.
    """
    noise = _checks.scalar(noise, "noise", nonnegative=True, high=MAX_NOISE)
    seed = _checks.scalar(seed, "seed", nonnegative=True, integer=True)
    clean = np.atleast_1d(power_law(x, A, alpha, E))
    rng = np.random.default_rng(seed)
    return _checks.finite(lambda: clean * np.exp(noise * rng.standard_normal(clean.shape)),
                          "x, A, alpha and noise", "the noisy values")


def local_slope(x, y) -> np.ndarray:
    """The local log-log slope ``d log y / d log x`` at each point (a pure power law gives ``-alpha``).

    ``x`` must be strictly increasing and positive, ``y`` positive, both with at least 2 points.
    """
    x = _checks.array(x, "x", positive=True, ndim=1, min_size=2)
    y = _checks.array(y, "y", positive=True, ndim=1, min_size=2)
    _checks.same_shape(x=x, y=y)
    if np.any(np.diff(x) <= 0):
        raise ValueError("x must be strictly increasing")
    return np.gradient(np.log(y), np.log(x))


def per_decade_factor(alpha: float, multiplier: float = 10.0) -> float:
    """The factor by which the reducible part ``A x^-alpha`` shrinks when ``x`` grows ``multiplier``-fold.

    It does not depend on ``x``: every 10x buys the same *fraction*, which is why returns diminish.
    """
    alpha = _checks.scalar(alpha, "alpha")
    multiplier = _checks.scalar(multiplier, "multiplier", positive=True)
    return _checks.finite(lambda: multiplier ** (-alpha), "alpha and multiplier", "multiplier**-alpha")


def scale_for_reduction(alpha: float, reduction: float) -> float:
    """How many times larger ``x`` must be to divide the reducible part by ``reduction`` (> 1)."""
    alpha = _checks.scalar(alpha, "alpha", positive=True)
    reduction = _checks.scalar(reduction, "reduction", low=1.0)
    return _checks.finite(lambda: reduction ** (1.0 / alpha), "alpha and reduction", "reduction**(1/alpha)")


@dataclass(frozen=True, repr=False)
class PowerLawFit(SelfReporting):
    """A fitted power law ``y = A x^-alpha + E`` and its uncertainty.

    It reports itself: ``print(fit)`` or :meth:`report` gives a plain-text summary, a notebook shows
    a small table (``_repr_html_``), ``repr(fit)`` is one line.

    Attributes
    ----------
    A, alpha, E : float
        Best-fit parameters (``E`` is 0.0 for a fit without offset).
    stderr : dict
        Standard error of each fitted parameter (``A`` by the delta method from ``log A``).
    n_points, dof : int
        Number of points and residual degrees of freedom.
    residual_std : float
        Standard deviation of the residuals of ``log y``.
    x_range : tuple
        Smallest and largest ``x`` fitted: beyond it, :meth:`predict` extrapolates.
    offset : bool
        Whether ``E`` was fitted.
    identified : bool
        Whether the data identify the parameters. ``False`` when the fit with offset cannot tell
        ``A``, ``alpha`` and ``E`` apart (for example ``y`` constant to within rounding, where any
        small ``alpha`` with ``A + E`` fixed fits as well): :func:`fit_power_law` then warns with
        :class:`~scaling_lib.UnidentifiedFitWarning`, the standard errors are ``inf``, and the
        intervals are as wide as the data allow.
    """

    A: float
    alpha: float
    E: float
    stderr: dict
    n_points: int
    dof: int
    residual_std: float
    x_range: tuple
    offset: bool
    _theta: np.ndarray = field(repr=False)
    _cov: np.ndarray = field(repr=False)
    identified: bool = True
    _y_min: float = field(default=math.inf, repr=False)

    def predict(self, x):
        """The fitted law at ``x``."""
        return power_law(x, self.A, self.alpha, self.E)

    def _summary(self, level: float = 0.95) -> Report:
        ci = self.conf_int(level)
        names = ("A", "alpha", "E") if self.offset else ("A", "alpha")
        rows = tuple((name, number(getattr(self, name)), number(self.stderr[name]), interval(ci[name]))
                     for name in names)
        form = "y = A x^-alpha + E" if self.offset else "y = A x^-alpha"
        how = "robust nonlinear least squares of log y" if self.offset else "least squares of log y on log x"
        notes = (f"{self.n_points} points, x from {number(self.x_range[0])} to {number(self.x_range[1])}; "
                 f"{self.dof} degrees of freedom",
                 f"residual sd of log y {number(self.residual_std)}")
        if not self.offset:
            notes += ("E = 0 (no floor fitted)",)
        return Report(f"Power-law fit {form}: {how}",
                      ("parameter", "value", "std. error", f"{100 * level:g} % interval"), rows, notes)

    def report(self, level: float = 0.95) -> str:
        """A plain-text summary: the law fitted and how; each parameter with its standard error and
        its interval at ``level`` (:meth:`conf_int`); points, range of ``x``, degrees of freedom and
        the residual standard deviation of ``log y``. Numbers to 4 significant digits (``.4g``),
        intervals as ``low to high``."""
        return self._summary(_checks.level(level)).text()

    def __repr__(self) -> str:
        floor = f", E={number(self.E)}" if self.offset else ""
        return (f"PowerLawFit(A={number(self.A)}, alpha={number(self.alpha)}{floor}, "
                f"n_points={self.n_points})")

    def conf_int(self, level: float = 0.95) -> dict:
        """Confidence intervals ``{name: (low, high)}`` at ``level`` (Student t on ``dof``).

        The interval of ``A`` is computed on ``log A`` and mapped back, so it is never negative. For
        a fit whose parameters are not :attr:`identified`, the intervals are what the data allow:
        ``(0, inf)`` for ``A``, ``(-inf, inf)`` for ``alpha``, ``(0, min y)`` for ``E``.
        """
        level = _checks.level(level)
        if not self.identified:
            out = {"A": (0.0, math.inf), "alpha": (-math.inf, math.inf)}
            if self.offset:
                out["E"] = (0.0, self._y_min)
            return out
        t = stats.t.ppf(0.5 + level / 2, self.dof)
        se = np.sqrt(np.diag(self._cov))
        lo, hi = self._theta - t * se, self._theta + t * se
        out = {"A": (float(np.exp(lo[0])), float(np.exp(hi[0]))),
               "alpha": (float(lo[1]), float(hi[1]))}
        if self.offset:
            out["E"] = (max(float(lo[2]), 0.0), float(hi[2]))
        return out

    def predict_interval(self, x, level: float = 0.95):
        """A confidence band ``(low, high)`` for the fitted curve at ``x`` (delta method in log space).

        The band widens as ``x`` leaves :attr:`x_range`: that widening is the honest price of
        extrapolating. For a fit whose parameters are not :attr:`identified` the band is
        ``(0, inf)``: nothing in the data bounds the law.
        """
        level = _checks.level(level)
        x = _checks.array(x, "x", positive=True)
        y = np.asarray(self.predict(x), dtype=float)
        if not self.identified:
            return _checks.result(np.zeros_like(y)), _checks.result(np.full_like(y, math.inf))
        logx = np.log(x)
        reducible = y - self.E
        # gradient of log y with respect to (log A, alpha[, E])
        grads = [reducible / y, -logx * reducible / y]
        if self.offset:
            grads.append(1.0 / y)
        g = np.stack(grads, axis=-1)
        var = np.einsum("...i,ij,...j->...", g, self._cov, g)
        t = stats.t.ppf(0.5 + level / 2, self.dof)
        half = t * np.sqrt(np.maximum(var, 0.0))
        high = _checks.finite(lambda: y * np.exp(half), "x and level", "the band's upper end")
        return _checks.result(y * np.exp(-half)), high


def _fit_pure(logx: np.ndarray, logy: np.ndarray):
    X = np.column_stack([np.ones_like(logx), -logx])
    theta, *_ = np.linalg.lstsq(X, logy, rcond=None)
    resid = logy - X @ theta
    dof = len(logy) - 2
    s2 = float(resid @ resid) / dof
    cov = s2 * np.linalg.inv(X.T @ X)
    return theta, cov, resid, dof


#: Below this, the smallest singular value of the fit's column-scaled Jacobian relative to the
#: largest, ``J^T J`` is singular in float64 (its condition number exceeds 1/eps): the data cannot
#: tell the parameters apart, and no covariance can be computed.
IDENTIFIED_TOLERANCE = math.sqrt(np.finfo(float).eps)


#: The values of ``y`` a fit with offset accepts: the variances of ``A`` and ``E`` are in units of
#: ``y`` squared.
OFFSET_Y_RANGE = (1e-150, 1e150)


def _identified(J: np.ndarray) -> bool:
    """Whether the columns of ``J`` (one per parameter) are numerically independent."""
    norms = np.linalg.norm(J, axis=0)
    if np.any(norms == 0) or not np.all(np.isfinite(J)):
        return False
    s = np.linalg.svd(J / norms, compute_uv=False)
    return bool(s[-1] > IDENTIFIED_TOLERANCE * s[0])


def _fit_offset(x: np.ndarray, y: np.ndarray, f_scale: float):
    logx, logy = np.log(x), np.log(y)
    y_min = float(y.min())
    # Start from the best of a few floors E, each with the pure log-space fit of y - E.
    best = None
    for frac in (0.0, 0.25, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99):
        E0 = frac * y_min
        theta, _, resid, _ = _fit_pure(logx, np.log(y - E0))
        model = np.exp(theta[0]) * x ** (-theta[1]) + E0
        sse = float(np.sum((logy - np.log(model)) ** 2))
        if best is None or sse < best[0]:
            best = (sse, np.array([theta[0], theta[1], E0]))

    def residuals(theta):
        return logy - np.log(np.exp(theta[0]) * x ** (-theta[1]) + theta[2])

    def jac(theta):
        reducible = np.exp(theta[0]) * x ** (-theta[1])
        model = reducible + theta[2]
        return -np.column_stack([reducible / model, -logx * reducible / model, 1.0 / model])

    upper_E = y_min * (1 - 1e-12)
    start = best[1].copy()
    start[2] = min(start[2], upper_E * 0.999)
    sol = optimize.least_squares(residuals, start, jac=jac, loss="soft_l1", f_scale=f_scale,
                                 bounds=([-np.inf, -np.inf, 0.0], [np.inf, np.inf, upper_E]),
                                 x_scale="jac", ftol=1e-15, xtol=1e-15, gtol=1e-15, max_nfev=2000)
    theta = sol.x
    resid = residuals(theta)
    J = jac(theta)
    dof = len(y) - 3
    s2 = float(resid @ resid) / dof
    identified = _identified(J)
    if identified:
        # in column-scaled form, so that the result does not depend on the units of y (the E column
        # scales as 1/y, the others not at all)
        norms = np.linalg.norm(J, axis=0)
        Jn = J / norms
        cov = s2 * np.linalg.pinv(Jn.T @ Jn) / np.outer(norms, norms)
    else:
        cov = np.full((3, 3), np.inf)
    return theta, cov, resid, dof, identified


def fit_power_law(x, y, *, offset: bool = False, robust_scale: float = 0.1) -> PowerLawFit:
    """Fit ``y = A x^-alpha`` (+ ``E`` when ``offset=True``) and return a :class:`PowerLawFit`.

    Without offset the fit is ordinary least squares of ``log y`` on ``log x``: a straight line on
    log-log axes, with exact Student-t intervals when the scatter is log-normal. With offset it is a
    nonlinear least-squares fit of ``log y`` (``scipy.optimize.least_squares``) with a soft-L1 robust
    loss that treats log residuals smaller than ``robust_scale`` quadratically and down-weights
    larger ones, and ``0 <= E < min(y)``.

    A fit whose data cannot identify its parameters says so: fewer distinct ``x`` than parameters
    plus one raises ``ValueError`` (through 2 points a line always passes exactly, leaving no
    residual to measure the scatter about the law, and 3 points fix a curve with offset); and a fit
    with offset whose parameters the data cannot tell apart (``y`` constant to within rounding, for
    instance) warns with :class:`~scaling_lib.UnidentifiedFitWarning` and returns infinite standard
    errors and intervals as wide as the data allow (see :attr:`PowerLawFit.identified`).

    Parameters
    ----------
    x, y : array_like
        Positive values of the same shape, with at least 3 distinct ``x`` (4 with ``offset``); with
        ``offset``, ``y`` between 1e-150 and 1e150 (:data:`OFFSET_Y_RANGE`).
    offset : bool, default False
        Fit the irreducible floor ``E`` too.
    robust_scale : float, default 0.1
        Size of a log residual (0.1 is about 10 %) beyond which a point counts as an outlier.
    """
    x = _checks.array(x, "x", positive=True, ndim=1)
    y = _checks.array(y, "y", positive=True, ndim=1)
    _checks.same_shape(x=x, y=y)
    offset = _checks.flag(offset, "offset")
    robust_scale = _checks.scalar(robust_scale, "robust_scale", positive=True)
    need = 4 if offset else 3
    distinct = np.unique(x).size
    if distinct < need:
        raise ValueError(f"x must hold at least {need} distinct values to fit {need - 1} parameters "
                         f"{'with' if offset else 'without'} offset and measure the scatter about the "
                         f"law (with {need - 1}, the curve passes through every point whatever the "
                         f"scatter); got {distinct}")

    identified = True
    if offset:
        if not (OFFSET_Y_RANGE[0] < y.min() and y.max() < OFFSET_Y_RANGE[1]):
            raise ValueError(f"y must lie between {OFFSET_Y_RANGE[0]:g} and {OFFSET_Y_RANGE[1]:g} for a fit with "
                             f"offset (the variance of E, in units of y squared, must fit in float64); divide y "
                             f"by a scale s and multiply the fitted A and E by s; got {y.min():.3g} .. {y.max():.3g}")
        theta, cov, resid, dof, identified = _fit_offset(x, y, robust_scale)
        E = float(theta[2])
    else:
        theta, cov, resid, dof = _fit_pure(np.log(x), np.log(y))
        E = 0.0
    A = float(np.exp(theta[0]))
    if not np.isfinite(A):
        raise ValueError("x and y: the fitted coefficient A overflows float64 (the law's scale is beyond "
                         f"{_checks.FLOAT_MAX:.3g})")
    if identified:
        se = np.sqrt(np.maximum(np.diag(cov), 0.0))
        stderr = {"A": A * float(se[0]), "alpha": float(se[1]), "E": float(se[2]) if offset else 0.0}
    else:
        stderr = {"A": math.inf, "alpha": math.inf, "E": math.inf}
        warnings.warn(
            f"fit_power_law(offset=True): the data do not identify A, alpha and E separately (the fit's "
            f"sensitivities to them are linearly dependent; log y varies by {np.ptp(np.log(y)):.2g} over "
            f"x = {x.min():.3g} .. {x.max():.3g}): standard errors are inf and the intervals as wide as "
            f"the data allow", _checks.UnidentifiedFitWarning, stacklevel=2)
    return PowerLawFit(A=A, alpha=float(theta[1]), E=E, stderr=stderr, n_points=int(x.size),
                       dof=int(dof), residual_std=float(np.sqrt(resid @ resid / max(dof, 1))),
                       x_range=(float(x.min()), float(x.max())), offset=offset,
                       _theta=np.asarray(theta, float), _cov=np.asarray(cov, float),
                       identified=identified, _y_min=float(y.min()))


@dataclass(frozen=True)
class ExtrapolationStudy:
    """A fit on a limited range carried to a far-away ``x``, compared with the true law.

    Attributes: ``x``, ``y`` (the simulated data); ``fit``; ``x_target``; ``true_value`` and
    ``predicted`` at ``x_target``; ``band`` (the fit's 95 % band there); ``relative_error``
    (predicted / true - 1); ``covered`` (whether the band contains the truth).
    """

    x: np.ndarray
    y: np.ndarray
    fit: PowerLawFit
    x_target: float
    true_value: float
    predicted: float
    band: tuple
    relative_error: float
    covered: bool


def extrapolation_study(*, A: float, alpha: float, E: float, noise: float, x_min: float,
                        x_max: float, x_target: float, offset: bool, n_points: int = 12,
                        seed: int = 0) -> ExtrapolationStudy:
    """Simulate ``n_points`` log-spaced points of ``E + A x^-alpha`` on ``[x_min, x_max]``, fit
    them (with or without ``offset``) and compare the prediction at ``x_target`` with the truth.

    ``A`` and ``E`` are at most 1e100 (the fit with offset needs values below 1e150).
    When the fit cannot identify its parameters (it warns), the band is ``(0, inf)``."""
    A = _checks.scalar(A, "A", positive=True, high=1e100)
    E = _checks.scalar(E, "E", nonnegative=True, high=1e100)
    x_min = _checks.scalar(x_min, "x_min", positive=True)
    x_max = _checks.scalar(x_max, "x_max", positive=True)
    x_target = _checks.scalar(x_target, "x_target", positive=True)
    n_points = _checks.scalar(n_points, "n_points", integer=True, low=4, high=100_000)
    if x_max <= x_min:
        raise ValueError(f"x_max must be > x_min; got x_min={x_min}, x_max={x_max}")
    x = np.geomspace(x_min, x_max, n_points)
    y = simulate_power_law(x, A, alpha, E, noise=noise, seed=seed)
    fit = fit_power_law(x, y, offset=offset)
    truth = float(power_law(x_target, A, alpha, E))
    predicted = float(fit.predict(x_target))
    low, high = fit.predict_interval(x_target)
    return ExtrapolationStudy(x=x, y=y, fit=fit, x_target=x_target, true_value=truth,
                              predicted=predicted, band=(float(low), float(high)),
                              relative_error=predicted / truth - 1.0,
                              covered=bool(low <= truth <= high))


def interval_coverage(x, *, A: float, alpha: float, noise: float, level: float = 0.95,
                      trials: int = 1000, seed: int = 0) -> float:
    """The fraction of ``trials`` simulated data sets whose ``level`` confidence interval for
    ``alpha`` (from :func:`fit_power_law`, without offset) contains the true ``alpha``.

    Each data set is ``A x**-alpha`` at the points ``x`` with log-normal scatter ``noise``
    (:func:`simulate_power_law`, seeds ``seed`` to ``seed + trials - 1``). With log-normal scatter
    the log-space fit is ordinary linear regression, so the fraction should be ``level`` up to the
    binomial spread ``sqrt(level (1 - level) / trials)``.
    """
    x = _checks.array(x, "x", positive=True, ndim=1, min_size=3)
    level = _checks.level(level)
    trials = _checks.scalar(trials, "trials", integer=True, low=1, high=1_000_000)
    seed = _checks.scalar(seed, "seed", integer=True, nonnegative=True)
    _checks.scalar(noise, "noise", positive=True)
    covered = 0
    for s in range(seed, seed + trials):
        y = simulate_power_law(x, A, alpha, noise=noise, seed=s)
        if np.any(y <= 0):
            raise ValueError("x, A and alpha: the simulated values underflow to 0 (A x**-alpha is below float64's range)")
        low, high = fit_power_law(x, y).conf_int(level)["alpha"]
        covered += low <= alpha <= high
    return covered / trials
