"""Hoffmann et al. (2022)'s Approach 3: the parametric law fitted to the runs themselves.

The objective is the paper's (Sec. 3.3 and App. D.2): the Huber loss (delta = 1e-3) of
``LSE(a - alpha ln N, b - beta ln D, e) - ln L`` summed over runs, minimised by L-BFGS from a grid
of 4,500 starts. :func:`fit_approach3` runs all the starts at once with the batched L-BFGS of
:mod:`scaling_lib.optim`; :func:`fit_approach3_per_start_scipy` is the slow reference it is checked
against.

Two options reproduce how Besiroglu et al. (2024) argue the published fit went wrong:
``reduction="mean"`` averages the Huber losses instead of summing them (the same minimum, an
objective 1/n as large), and ``stopping="lbfgs-default"`` runs every start with L-BFGS's usual
stopping rule (scipy's defaults), whose tolerances are absolute for an objective below 1, so an
averaged objective stops it early. Used by the chapter ``chinchilla``.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize

from .. import _checks
from .._report import Report, SelfReporting, interval, number
from ..optim import batched_lbfgs
from .allocation import _runs
from .law import ParametricLaw, allocation_exponents, loss


#: The paper's grid of initialisations (Sec. 3.3 and App. D.2): 6 x 6 x 5 x 5 x 5 = 4,500 starts.
GRID_A = np.arange(0.0, 25.0 + 1e-9, 5.0)
GRID_B = np.arange(0.0, 25.0 + 1e-9, 5.0)
GRID_E = np.arange(-1.0, 1.0 + 1e-9, 0.5)
GRID_ALPHA = np.arange(0.0, 2.0 + 1e-9, 0.5)
GRID_BETA = np.arange(0.0, 2.0 + 1e-9, 0.5)
#: The Huber threshold of the paper's objective, in ln(loss).
HUBER_DELTA = 1e-3
#: How :func:`fit_approach3` combines the runs' Huber losses: ``"sum"`` (the objective as Besiroglu
#: et al. fit it) or ``"mean"`` (averaged over runs, as they argue Hoffmann et al. did).
REDUCTIONS = ("sum", "mean")
#: When :func:`fit_approach3` stops: ``"converge"`` (its own search, to tight tolerances scaled with
#: the objective) or ``"lbfgs-default"`` (every start to L-BFGS's usual stopping rule, below).
STOPPING = ("converge", "lbfgs-default")
#: scipy's defaults for ``optimize.minimize(method="L-BFGS-B")``: stop when the gradient's largest
#: entry is <= 1e-5, or when an iteration improves the objective by <= factr * eps = 1e7 * 2.22e-16
#: times ``max(|f|, 1)``, or after 15,000 iterations.
LBFGS_DEFAULT_STOPPING = {"gtol": 1e-5, "ftol": 1e7 * np.finfo(float).eps, "ftol_floor": 1.0,
                          "max_iter": 15_000}
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


@dataclass(frozen=True, repr=False)
class ParametricFit(SelfReporting):
    """Approach 3's result, accepted wherever a law is.

    It reports itself: ``print(fit)`` or :meth:`report` gives a plain-text summary (with bootstrap
    intervals when given a :class:`~scaling_lib.chinchilla.Bootstrap`), a notebook shows a small
    table (``_repr_html_``), ``repr(fit)`` is one line.

    Attributes
    ----------
    law : ParametricLaw
        The fitted law; ``E, A, B, alpha, beta`` are also attributes of the result itself.
    objective : float
        The Huber objective at the optimum, summed over runs whatever ``reduction`` the fit used.
    r2, rmse, max_abs_residual : float
        R², root-mean-square and largest absolute value of the ``ln(loss)`` residuals (``r2`` is 0
        when the losses do not vary at all: there is nothing to explain).
    n_points, n_starts : int
        Runs fitted and starting points tried.
    theta : ndarray
        The optimum as ``(a, b, e, alpha, beta)``.
    identified : bool
        Whether the runs identify the law. ``False`` (and :func:`fit_approach3` warns with
        :class:`~scaling_lib.UnidentifiedFitWarning`) when the law's sensitivities to its five
        parameters are linearly dependent at the answer (one model size, say), or when the
        minimiser stopped short of the best fit because the runs' losses vary too little for the
        objective to resolve (a reducible loss of ~1e-6 of ``E``): the numbers are then not to be
        trusted.
    reduction, stopping : str
        The options the fit ran with (:data:`REDUCTIONS`, :data:`STOPPING`).
    """

    law: ParametricLaw
    objective: float
    r2: float
    rmse: float
    max_abs_residual: float
    n_points: int
    n_starts: int
    theta: np.ndarray = field(repr=False)
    identified: bool = True
    reduction: str = "sum"
    stopping: str = "converge"

    E = property(lambda self: self.law.E)
    A = property(lambda self: self.law.A)
    B = property(lambda self: self.law.B)
    alpha = property(lambda self: self.law.alpha)
    beta = property(lambda self: self.law.beta)

    def _summary(self, bootstrap=None, level: float = 0.95) -> Report:
        a, b = allocation_exponents(self.law)
        values = {"E": self.E, "A": self.A, "B": self.B, "alpha": self.alpha, "beta": self.beta, "a": a, "b": b}
        header = ("parameter", "value")
        if bootstrap is None:
            rows = tuple((name, number(v)) for name, v in values.items())
            spread = "no intervals: pass the bootstrap_approach3 of these runs to report(bootstrap=...)"
        else:
            if not hasattr(bootstrap, "interval") or not set(values) <= set(getattr(bootstrap, "samples", {})):
                raise ValueError(f"bootstrap must be the bootstrap_approach3 result of these runs; got {bootstrap!r}")
            header += (f"{100 * level:g} % interval",)
            rows = tuple((name, number(v), interval(bootstrap.interval(name, level))) for name, v in values.items())
            spread = f"intervals: percentiles of {bootstrap.n_used} bootstrap resamples"
        notes = (f"{self.n_points} runs; goodness of fit in ln(loss): R^2 {number(self.r2)}, RMSE "
                 f"{number(self.rmse)}, largest |residual| {number(self.max_abs_residual)}",
                 f"Huber objective {number(self.objective)}, best of {self.n_starts} starts",
                 "a = beta/(alpha+beta) and b = alpha/(alpha+beta): N_opt ∝ C^a, D_opt ∝ C^b", spread)
        return Report(f"Approach 3: L(N, D) = E + A/N^alpha + B/D^beta (Huber loss, delta {HUBER_DELTA:g})",
                      header, rows, notes)

    def report(self, bootstrap=None, level: float = 0.95) -> str:
        """A plain-text summary: the law's five parameters and the allocation exponents ``a`` and ``b``
        they imply; with ``bootstrap`` (the :func:`bootstrap_approach3` of the same runs) each one's
        percentile interval at ``level``; the number of runs, R², RMSE and largest absolute residual of
        ``ln(loss)``, the Huber objective and the starts tried. Numbers to 4 significant digits
        (``.4g``), intervals as ``low to high``."""
        return self._summary(bootstrap, _checks.level(level)).text()

    def __repr__(self) -> str:
        return (f"ParametricFit(E={number(self.E)}, A={number(self.A)}, B={number(self.B)}, "
                f"alpha={number(self.alpha)}, beta={number(self.beta)}, n_points={self.n_points})")


def _theta_to_law(theta, name="fitted (Approach 3)") -> ParametricLaw:
    a, b, e, alpha, beta = (float(v) for v in theta)
    return ParametricLaw(E=float(np.exp(e)), A=float(np.exp(a)), B=float(np.exp(b)),
                         alpha=max(alpha, 1e-12), beta=max(beta, 1e-12), name=name)


#: Tight tolerances for the last step of :func:`fit_approach3`; the reference method uses scipy's
#: defaults, which already reach the same optimum to far better than 1e-8 (and are faster).
_TIGHT = {"maxiter": 10_000, "ftol": 1e-15, "gtol": 1e-12}


def _polish(theta, args, options=None, scale=1.0):
    """Run scipy's L-BFGS-B from one start, as the paper did, on the objective times ``scale``;
    returns ``(theta, summed objective)``."""
    def fun(x):
        v, gr = _huber_block(x[None, :], *args, HUBER_DELTA, None)
        return scale * float(v[0]), scale * gr[0]
    sol = optimize.minimize(fun, theta, jac=True, method="L-BFGS-B", options=options)
    return sol.x, float(sol.fun) / scale


def _scaled(fun, scale):
    """``fun`` (returning values and gradients) times ``scale``."""
    if scale == 1.0:
        return fun

    def scaled(x, rows):
        f, g = fun(x, rows)
        return f * scale, g * scale
    return scaled


#: The most starting points :func:`fit_approach3` accepts (the paper's grid has 4,500).
MAX_STARTS = 100_000


def _parametric_inputs(n_params, n_tokens, losses, starts):
    n, d, l = _runs(n_params, n_tokens, losses, c_name="n_tokens")
    if n.size < 6:
        raise ValueError(f"n_params, n_tokens and losses need at least 6 runs to fit 5 parameters; got {n.size}")
    x0 = initial_grid() if starts is None else _checks.array(starts, "starts", ndim=2)
    if x0.shape[1] != 5 or not 1 <= x0.shape[0] <= MAX_STARTS:
        raise ValueError(f"starts must have 5 columns (a, b, e, alpha, beta) and 1 to {MAX_STARTS} rows; "
                         f"got shape {x0.shape}")
    args = (np.log(n)[None, :], np.log(d)[None, :], np.log(l)[None, :])
    return n, d, l, x0, args


#: The pass over every start sees at most this many runs (evenly spaced in the order given).
_SCREEN_POINTS = 128


def fit_approach3(n_params, n_tokens, losses, *, starts=None, screen: int = 5, keep: int = 32,
                  polish: int = 4, reduction: str = "sum", stopping: str = "converge") -> ParametricFit:
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

    With ``stopping="lbfgs-default"`` the search is instead the papers' own: every start runs one
    L-BFGS (the batched one, in float64 on all runs) until scipy's default stopping rule
    (:data:`LBFGS_DEFAULT_STOPPING`) ends it, and the best start is the answer; ``screen``, ``keep``
    and ``polish`` are then unused. ``reduction="mean"`` divides the objective by the number of runs.
    The minimiser is the same either way, and ``stopping="converge"`` reaches it either way (its
    absolute tolerances scale with the objective); the default rule's tolerances are absolute below
    an objective of 1, so with ``"mean"`` they stop L-BFGS before it converges, which is how
    Besiroglu et al. (2024) explain Hoffmann et al.'s estimates.

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
        Iterations of the pass over every start (at most 1,000), points kept after it (at most
        :data:`MAX_STARTS`), points finished with scipy (at most 100).
    reduction : {"sum", "mean"}, default "sum"
        Sum the runs' Huber losses (the objective as published) or average them.
    stopping : {"converge", "lbfgs-default"}, default "converge"
        This function's search to tight tolerances, or every start to L-BFGS's default stopping rule.

    Returns
    -------
    ParametricFit
        Its ``objective`` is the summed Huber loss, whatever ``reduction`` was minimised. Check
        :attr:`ParametricFit.identified`: when the runs cannot identify the law (or the search stopped
        short of its best fit), the fit warns with :class:`~scaling_lib.UnidentifiedFitWarning`.
    """
    n, d, l, x0, args = _parametric_inputs(n_params, n_tokens, losses, starts)
    screen = _checks.scalar(screen, "screen", integer=True, positive=True, high=1000)
    keep = _checks.scalar(keep, "keep", integer=True, positive=True, high=MAX_STARTS)
    polish = _checks.scalar(polish, "polish", integer=True, positive=True, high=100)
    _checks.choice(reduction, "reduction", REDUCTIONS)
    _checks.choice(stopping, "stopping", STOPPING)
    scale = 1.0 if reduction == "sum" else 1.0 / n.size
    if stopping == "lbfgs-default":
        x, f = batched_lbfgs(_scaled(lambda x, rows: _huber(x, *args), scale), x0, **LBFGS_DEFAULT_STOPPING)
        if not np.any(np.isfinite(f)):
            raise ValueError("n_params, n_tokens and losses: no start reached a finite objective")
        best = int(np.nanargmin(np.where(np.isfinite(f), f, np.nan)))
        return _parametric_result(x[best], f[best] / scale, n, d, l, x0.shape[0], reduction, stopping)
    some = np.unique(np.linspace(0, n.size - 1, min(n.size, _SCREEN_POINTS)).round().astype(int))
    args32 = tuple(v[:, some].astype(np.float32) for v in args)
    x, f = batched_lbfgs(_scaled(lambda x, rows: _huber(x, *args32), scale), x0, max_iter=screen, ftol=1e-6,
                          gtol=1e-7 * scale, max_step=5.0)
    chosen = []
    for i in np.argsort(f):
        if np.isfinite(f[i]) and all(np.abs(x[i] - x[j]).max() > 1e-3 for j in chosen):
            chosen.append(i)
            if len(chosen) == keep:
                break
    x, f = batched_lbfgs(_scaled(lambda x, rows: _huber(x, *args), scale), x[chosen], max_iter=40,
                          gtol=1e-10 * scale)
    tight = {**_TIGHT, "ftol": _TIGHT["ftol"] * scale, "gtol": _TIGHT["gtol"] * scale}
    best = [_polish(x[i], args, tight, scale) for i in np.argsort(f)[:polish]]
    theta, objective = min(best, key=lambda t: t[1])
    return _parametric_result(theta, objective, n, d, l, x0.shape[0], reduction, stopping)


#: :func:`fit_approach3`'s answer counts as the minimum only if one Gauss-Newton step from it would
#: move the fitted ln(loss) by less than this fraction of the spread of ln(loss) about its mean
#: (converged fits of the book's runs: 1e-11 to 6e-9).
STATIONARY_TOLERANCE = 1e-3
#: Below this, the smallest singular value of the column-scaled Jacobian relative to the largest,
#: the law's parameters are not separately identified (``J^T J`` is singular in float64).
IDENTIFIED_TOLERANCE = math.sqrt(np.finfo(float).eps)


def _identification(theta, n, d, l) -> str:
    """Why the runs do not identify the law at ``theta`` ("" if they do)."""
    a, b, e, alpha, beta = (float(v) for v in theta)
    log_n, log_d, log_l = np.log(n), np.log(d), np.log(l)
    terms = np.stack([a - alpha * log_n, b - beta * log_d, np.full_like(log_n, e)])
    top = terms.max(0)
    weights = np.exp(terms - top)
    total = weights.sum(0)
    share = weights / total  # d LSE / d (each term)
    residual = top + np.log(total) - log_l
    J = np.stack([share[0], share[1], share[2], -log_n * share[0], -log_d * share[1]], axis=1)
    norms = np.linalg.norm(J, axis=0)
    if np.any(norms == 0):
        return "the law does not depend on some of its parameters at this answer"
    sv = np.linalg.svd(J / norms, compute_uv=False)
    if sv[-1] <= IDENTIFIED_TOLERANCE * sv[0]:
        return ("the law's sensitivities to its five parameters are linearly dependent over these runs "
                "(too few distinct model sizes or token counts?), so the runs cannot tell them apart")
    psi = np.clip(residual, -HUBER_DELTA, HUBER_DELTA)  # the Huber loss's derivative
    step, *_ = np.linalg.lstsq(J, -psi, rcond=None)
    spread = float(np.linalg.norm(log_l - log_l.mean()))
    move = float(np.linalg.norm(J @ step))
    if spread == 0 or move > STATIONARY_TOLERANCE * spread:
        return (f"the minimiser stopped short of the best fit: one Gauss-Newton step from its answer "
                f"would still move the fitted ln(loss) by {move / spread if spread else math.inf:.0%} of "
                f"the data's own spread; the runs' ln(loss) spans only {np.ptp(log_l):.2g}, too little "
                f"for the objective's tolerances to resolve")
    return ""


def _parametric_result(theta, objective, n, d, l, n_starts, reduction="sum", stopping="converge") -> ParametricFit:
    law = _theta_to_law(theta)
    residual = np.log(np.asarray(loss(n, d, law))) - np.log(l)
    centred = np.log(l) - np.log(l).mean()
    centred_ss = float(centred @ centred)
    why = _identification(theta, n, d, l)
    if why:
        warnings.warn(f"fit_approach3: the runs do not identify the law: {why}. The fitted "
                      f"parameters are not to be trusted (R^2 = "
                      f"{1 - (residual @ residual) / centred_ss if centred_ss else float('nan'):.3g}).",
                      _checks.UnidentifiedFitWarning, stacklevel=3)
    return ParametricFit(law=law, objective=float(objective),
                         r2=float(1 - (residual @ residual) / centred_ss) if centred_ss else 0.0,
                         rmse=float(np.sqrt(np.mean(residual**2))),
                         max_abs_residual=float(np.abs(residual).max()), n_points=int(n.size),
                         n_starts=int(n_starts), theta=np.asarray(theta, float), reduction=reduction,
                         stopping=stopping, identified=not why)


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
