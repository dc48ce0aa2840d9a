"""Hoffmann et al. (2022), *Training Compute-Optimal Large Language Models*: the parametric law, its
compute-optimal allocation, and the paper's three ways of fitting it, with bootstrap intervals.

The law is ``L(N, D) = E + A / N**alpha + B / D**beta`` (loss in nats per token, ``N`` parameters,
``D`` training tokens). Under the budget ``C = 6 N D`` FLOPs its minimum is

    N_opt = G (C/6)**a,  D_opt = (C/6)**b / G,  G = (alpha A / (beta B))**(1/(alpha+beta)),

with ``a = beta/(alpha+beta)`` and ``b = alpha/(alpha+beta)``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize

from . import _checks
from .powerlaw import PowerLawFit, fit_power_law
from .published import Source


@dataclass(frozen=True)
class ParametricLaw:
    """``L(N, D) = E + A/N**alpha + B/D**beta``, published or fitted.

    ``source`` names the paper and place for a published law, and is ``None`` for a fit.
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


HOFFMANN_2022 = ParametricLaw(E=1.69, A=406.4, B=410.7, alpha=0.34, beta=0.28,
                              name="Hoffmann et al. (2022), Approach 3",
                              source=Source("hoffmann2022training", "Sec. 3.3, Eq. (10)"))

BESIROGLU_2024 = ParametricLaw(E=1.82, A=482.01, B=2085.43, alpha=0.3478, beta=0.3658,
                               name="Besiroglu et al. (2024), refit",
                               source=Source("besiroglu2024chinchilla", "Table 1 / Sec. 3"))


def _law(law) -> ParametricLaw:
    if isinstance(law, ParametricLaw):
        return law
    inner = getattr(law, "law", None)
    if isinstance(inner, ParametricLaw):
        return inner
    raise ValueError(f"law must be a ParametricLaw (e.g. HOFFMANN_2022) or a fit result; got {law!r}")


def loss(n_params, n_tokens, law=HOFFMANN_2022):
    """The predicted loss in nats per token of ``n_params`` parameters trained on ``n_tokens`` tokens."""
    law = _law(law)
    n = _checks.array(n_params, "n_params", positive=True)
    d = _checks.array(n_tokens, "n_tokens", positive=True)
    return _checks.result(law.E + law.A * n ** -law.alpha + law.B * d ** -law.beta)


def allocation_exponents(law=HOFFMANN_2022) -> tuple:
    """``(a, b)`` with ``N_opt ∝ C**a`` and ``D_opt ∝ C**b``: ``a = beta/(alpha+beta)``, ``b = alpha/(alpha+beta)``."""
    law = _law(law)
    total = law.alpha + law.beta
    return law.beta / total, law.alpha / total


@dataclass(frozen=True)
class Allocation:
    """The compute-optimal model for a budget: ``flops``, ``n_params``, ``n_tokens``, ``loss`` and
    ``tokens_per_parameter`` (arrays when the budget is an array)."""

    flops: object
    n_params: object
    n_tokens: object
    loss: object
    tokens_per_parameter: object

    def __iter__(self):  # so that ``N, D = compute_optimal(C)`` works
        return iter((self.n_params, self.n_tokens))


def compute_optimal(flops, law=HOFFMANN_2022) -> Allocation:
    """The model size and tokens that minimise the law's loss at ``flops`` = 6 N D (closed form)."""
    law = _law(law)
    c = _checks.array(flops, "flops", positive=True)
    a, b = allocation_exponents(law)
    G = (law.alpha * law.A / (law.beta * law.B)) ** (1.0 / (law.alpha + law.beta))
    n = G * (c / 6.0) ** a
    d = (c / 6.0) ** b / G
    return Allocation(flops=_checks.result(c), n_params=_checks.result(n), n_tokens=_checks.result(d),
                      loss=loss(n, d, law), tokens_per_parameter=_checks.result(d / n))


def frontier_loss(flops, law=HOFFMANN_2022):
    """The lowest loss reachable with ``flops`` FLOPs: the efficient frontier."""
    return compute_optimal(flops, law).loss


def compute_for_loss(target_loss, law=HOFFMANN_2022) -> float:
    """The FLOPs a compute-optimal model needs to reach ``target_loss`` (nats/token, above ``E``)."""
    law = _law(law)
    target = _checks.scalar(target_loss, "target_loss", positive=True)
    if target <= law.E:
        raise ValueError(f"target_loss must be above the irreducible loss E = {law.E}; got {target}")
    # the frontier falls monotonically in log C: bracket, then solve in log space
    low, high = 0.0, 60.0
    while frontier_loss(10.0**high, law) > target:
        high += 20.0
    root = optimize.brentq(lambda x: frontier_loss(10.0**x, law) - target, low, high, xtol=1e-12)
    return float(10.0**root)


def iso_loss_tokens(n_params, target_loss, law=HOFFMANN_2022):
    """Tokens ``D`` at which a model of ``n_params`` reaches ``target_loss``: one iso-loss contour.

    Where the model is too small to ever reach the target (``E + A/N**alpha >= target``), the
    answer is ``inf``.
    """
    law = _law(law)
    n = _checks.array(n_params, "n_params", positive=True)
    target = _checks.scalar(target_loss, "target_loss", positive=True)
    room = target - law.E - law.A * n ** -law.alpha
    with np.errstate(divide="ignore"):
        d = np.where(room > 0, (law.B / np.where(room > 0, room, 1.0)) ** (1.0 / law.beta), np.inf)
    return _checks.result(d)


# ---- simulated data, labelled as such wherever it is shown -------------------------------------

def simulate_isoflop_runs(law, flops_budgets, *, models_per_budget: int = 9, span: float = 16.0,
                          noise: float = 0.01, seed: int = 0) -> dict:
    """Final losses of IsoFLOP runs simulated from ``law``: for each budget, ``models_per_budget``
    sizes log-spaced over a factor ``span`` around the law's optimum, ``D = C/(6N)``, and log-normal
    noise of standard deviation ``noise`` on the loss. Returns arrays ``n_params``, ``n_tokens``,
    ``flops``, ``loss``."""
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


def simulate_training_curves(law, model_sizes, *, max_tokens_per_parameter: float = 200.0,
                             points_per_curve: int = 40, noise: float = 0.005, seed: int = 0) -> dict:
    """Idealised training curves from ``law``: for each size, the loss after ``D`` tokens for ``D`` from
    1 to ``max_tokens_per_parameter`` tokens per parameter, as if the run's schedule had been set for
    that length (the envelope Approach 1 needs), with log-normal noise. Returns arrays ``n_params``,
    ``n_tokens``, ``flops``, ``loss`` (one row per point)."""
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

    Attributes: ``a``, ``b``; ``a_interval``, ``b_interval`` (95 % from the fits); ``flops``,
    ``n_opt``, ``d_opt``, ``loss_opt`` (the points fitted); ``n_fit``, ``d_fit`` (the underlying
    :class:`~scaling_lib.powerlaw.PowerLawFit` of N and D against 1/C); ``method``; and for Approach
    2 ``parabolas`` (per budget: flops, coefficients of loss in ln N, interior flag).
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
    method: str = ""
    parabolas: tuple = field(default=(), repr=False)

    def predict(self, flops) -> tuple:
        """``(N_opt, D_opt)`` the fitted power laws give at ``flops``."""
        c = _checks.array(flops, "flops", positive=True)
        return _checks.result(self.n_fit.predict(1.0 / c)), _checks.result(self.d_fit.predict(1.0 / c))


def _allocation_fit(flops, n_opt, d_opt, loss_opt, method, parabolas=()) -> AllocationFit:
    if len(flops) < 3:
        raise ValueError(f"need compute-optimal points at 3 or more compute levels to fit exponents; got {len(flops)}")
    # N_opt = k C**a is a power law in 1/C with exponent a
    n_fit = fit_power_law(1.0 / flops, n_opt)
    d_fit = fit_power_law(1.0 / flops, d_opt)
    return AllocationFit(a=n_fit.alpha, b=d_fit.alpha, a_interval=n_fit.conf_int()["alpha"],
                         b_interval=d_fit.conf_int()["alpha"], flops=flops, n_opt=n_opt, d_opt=d_opt,
                         loss_opt=loss_opt, n_fit=n_fit, d_fit=d_fit, method=method, parabolas=tuple(parabolas))


def _runs(n_params, flops, losses, n_name="n_params"):
    n = _checks.array(n_params, n_name, positive=True, ndim=1)
    c = _checks.array(flops, "flops", positive=True, ndim=1)
    l = _checks.array(losses, "losses", positive=True, ndim=1)
    _checks.same_shape(**{n_name: n, "flops": c, "losses": l})
    return n, c, l


def fit_approach1(n_params, flops, losses, *, bins: int = 30) -> AllocationFit:
    """Approach 1: the envelope of training curves. ``flops`` is the compute spent so far at each
    point of every curve; the FLOP range is cut into ``bins`` log-spaced bins, and in each the
    point with the lowest loss (across all model sizes) is compute-optimal for that compute.

    A bin whose best point belongs to the smallest or the largest model size is dropped: there the
    optimum may lie outside the sizes trained, and keeping it would bend the fitted exponent."""
    n, c, l = _runs(n_params, flops, losses)
    bins = _checks.scalar(bins, "bins", integer=True, low=3)
    edges = np.geomspace(c.min(), c.max() * (1 + 1e-12), bins + 1)
    which = np.clip(np.searchsorted(edges, c, side="right") - 1, 0, bins - 1)
    rows = []
    edge_sizes = (n.min(), n.max())
    for k in range(bins):
        inside = np.flatnonzero(which == k)
        if inside.size and np.unique(n[inside]).size >= 2:  # the envelope needs a choice of sizes
            best = inside[np.argmin(l[inside])]
            if n[best] not in edge_sizes:
                rows.append((c[best], n[best], l[best]))
    if len(rows) < 3:
        raise ValueError("flops must span enough range, with several model sizes per bin, to give 3 envelope points")
    cc, nn, ll = map(np.array, zip(*rows))
    return _allocation_fit(cc, nn, cc / (6.0 * nn), ll, "Approach 1: envelope of training curves")


def fit_approach2(n_params, flops, losses) -> AllocationFit:
    """Approach 2: IsoFLOP profiles. Runs are grouped by budget (equal ``flops`` to 6 significant
    digits); through each group's final losses a parabola in ln N, whose minimum is that budget's
    optimum. Budgets with fewer than 3 distinct sizes or a parabola that opens downwards are skipped; each
    parabola records whether its minimum lies inside the sizes tried (budgets whose minimum lies
    more than the profile's own width outside it are skipped)."""
    n, c, l = _runs(n_params, flops, losses)
    keys = np.round(np.log10(c), 6)
    rows, parabolas = [], []
    for key in np.unique(keys):
        group = keys == key
        if np.unique(n[group]).size < 3:  # a parabola needs three distinct sizes
            continue
        x = np.log(n[group])
        # a domain-scaled fit stays well conditioned however narrow the profile
        coeffs = np.polynomial.Polynomial.fit(x, l[group], 2).convert().coef[::-1]
        if coeffs[0] <= 0:
            continue
        x_min = -coeffs[1] / (2 * coeffs[0])
        width = x.max() - x.min()
        if not x.min() - width < x_min < x.max() + width:
            continue  # a minimum far outside the sizes tried is no estimate at all
        interior = bool(x.min() < x_min < x.max())
        budget = float(c[group].mean())
        parabolas.append((budget, coeffs, interior))
        rows.append((budget, np.exp(x_min), np.polyval(coeffs, x_min)))
    if len(rows) < 3:
        raise ValueError("flops must hold at least 3 budgets with 3 or more runs each (an IsoFLOP profile each)")
    cc, nn, ll = map(np.array, zip(*rows))
    return _allocation_fit(cc, nn, cc / (6.0 * nn), ll, "Approach 2: IsoFLOP profiles", parabolas)


# ---- Approach 3: the parametric fit -----------------------------------------------------------

#: The paper's grid of initialisations: 5 x 5 x 5 x 6 x 6 = 4,500 starts of (a, b, e, alpha, beta).
GRID_A = np.arange(0.0, 25.0 + 1e-9, 5.0)
GRID_B = np.arange(0.0, 25.0 + 1e-9, 5.0)
GRID_E = np.arange(-1.0, 1.0 + 1e-9, 0.5)
GRID_ALPHA = np.arange(0.0, 2.0 + 1e-9, 0.5)
GRID_BETA = np.arange(0.0, 2.0 + 1e-9, 0.5)
HUBER_DELTA = 1e-3
_CHUNK = 256
_POOL = []


def _pool():
    """Two worker threads for the batched objective (numpy releases the GIL in its loops)."""
    if not _POOL:
        from concurrent.futures import ThreadPoolExecutor
        _POOL.append(ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)))
    return _POOL[0]


def initial_grid() -> np.ndarray:
    """The 4,500 starting points as rows of ``(a, b, e, alpha, beta)`` (A = e^a, B = e^b, E = e^e)."""
    mesh = np.meshgrid(GRID_A, GRID_B, GRID_E, GRID_ALPHA, GRID_BETA, indexing="ij")
    return np.stack([m.ravel() for m in mesh], axis=1)


def huber_objective(theta, log_n, log_d, log_loss, *, delta: float = HUBER_DELTA, weights=None):
    """The paper's objective and its gradient for parameter rows ``theta`` = (a, b, e, alpha, beta).

    ``sum_i w_i Huber_delta(LSE(a - alpha ln N_i, b - beta ln D_i, e) - ln L_i)``, evaluated for every
    row of ``theta`` at once (shape ``(S, 5)``), with optional per-row point weights ``(S, n)`` (a
    bootstrap resample is a row of counts). Returns ``(values (S,), gradients (S, 5))``.
    """
    a, b, e, alpha, beta = (theta[:, i:i + 1] for i in range(5))
    t1 = a - alpha * log_n
    t2 = b - beta * log_d
    top = np.maximum(np.maximum(t1, t2), e)
    t1 -= top
    t2 -= top
    w1 = np.exp(t1, out=t1)
    w2 = np.exp(t2, out=t2)
    w3 = np.exp(e - top)
    total = w1 + w2
    total += w3
    r = np.log(total)
    r += top
    r -= log_loss
    dh = np.clip(r, -delta, delta)  # the Huber derivative; Huber itself is dh * (r - dh/2)
    r -= 0.5 * dh
    h = r
    h *= dh
    if weights is not None:
        h *= weights
        dh = dh * weights
    dh /= total
    w1 *= dh
    w2 *= dh
    w3 *= dh
    g = np.empty((theta.shape[0], 5), dtype=theta.dtype)
    g[:, 0] = w1.sum(1)
    g[:, 1] = w2.sum(1)
    g[:, 2] = w3.sum(1)
    g[:, 3] = -(w1 @ log_n[0])
    g[:, 4] = -(w2 @ log_d[0])
    return h.sum(1, dtype=np.float64), g.astype(np.float64, copy=False)


def _batched_lbfgs(fun, x0, *, max_iter: int = 500, memory: int = 10, gtol: float = 1e-10,
                   ftol: float = 1e-15):
    """Minimise ``fun`` (values and gradients for rows of ``x``) from every row of ``x0`` at once:
    L-BFGS with a backtracking (Armijo) line search per row. Rows stop when their gradient's largest
    entry is below ``gtol`` or an iteration improves them by less than ``ftol`` relative."""
    x = np.array(x0, dtype=float)
    S, P = x.shape
    f, g = fun(x, np.arange(S))
    s_hist = np.zeros((memory, S, P))
    y_hist = np.zeros((memory, S, P))
    rho = np.zeros((memory, S))
    count = np.zeros(S, dtype=int)
    active = np.ones(S, dtype=bool)
    for _ in range(max_iter):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        gi = g[idx]
        # two-loop recursion, vectorised over rows (each row uses its own history length)
        q = gi.copy()
        alphas = np.zeros((memory, idx.size))
        for k in range(memory):
            slot = (count[idx] - 1 - k) % memory
            valid = k < np.minimum(count[idx], memory)
            s_k, y_k, r_k = s_hist[slot, idx], y_hist[slot, idx], rho[slot, idx]
            al = np.where(valid, r_k * np.einsum("ij,ij->i", s_k, q), 0.0)
            alphas[k] = al
            q -= al[:, None] * y_k
        last = (count[idx] - 1) % memory
        has = count[idx] > 0
        sy = np.einsum("ij,ij->i", s_hist[last, idx], y_hist[last, idx])
        yy = np.einsum("ij,ij->i", y_hist[last, idx], y_hist[last, idx])
        gamma = np.where(has & (yy > 0), sy / np.where(yy > 0, yy, 1.0), 1.0 / np.maximum(1.0, np.abs(gi).max(1)))
        r = gamma[:, None] * q
        for k in reversed(range(memory)):
            slot = (count[idx] - 1 - k) % memory
            valid = k < np.minimum(count[idx], memory)
            s_k, y_k, r_k = s_hist[slot, idx], y_hist[slot, idx], rho[slot, idx]
            be = np.where(valid, r_k * np.einsum("ij,ij->i", y_k, r), 0.0)
            r += (alphas[k] - be)[:, None] * s_k
        p = -r
        slope = np.einsum("ij,ij->i", gi, p)
        bad = slope >= 0  # not a descent direction: fall back to steepest descent
        p[bad] = -gi[bad]
        slope[bad] = -np.einsum("ij,ij->i", gi[bad], gi[bad])
        # backtracking line search
        step = np.ones(idx.size)
        todo = np.arange(idx.size)
        f_new = np.empty(idx.size)
        g_new = np.empty((idx.size, P))
        for _ls in range(40):
            trial = x[idx[todo]] + step[todo, None] * p[todo]
            ft, gt = fun(trial, idx[todo])
            ok = ft <= f[idx[todo]] + 1e-4 * step[todo] * slope[todo]
            f_new[todo[ok]], g_new[todo[ok]] = ft[ok], gt[ok]
            todo = todo[~ok]
            if todo.size == 0:
                break
            step[todo] *= 0.5
        failed = np.zeros(idx.size, dtype=bool)
        failed[todo] = True
        moved = ~failed
        new_x = x[idx] + step[:, None] * p
        s = new_x - x[idx]
        y = g_new - gi
        sy = np.einsum("ij,ij->i", s, y)
        store = moved & (sy > 1e-300)
        rows = idx[store]
        slot = count[rows] % memory
        s_hist[slot, rows] = s[store]
        y_hist[slot, rows] = y[store]
        rho[slot, rows] = 1.0 / sy[store]
        count[rows] += 1
        improvement = np.where(moved, f[idx] - f_new, 0.0)
        x[idx[moved]] = new_x[moved]
        f[idx[moved]] = f_new[moved]
        g[idx[moved]] = g_new[moved]
        done = failed | (np.abs(g[idx]).max(1) < gtol) | (moved & (improvement <= ftol * np.maximum(np.abs(f[idx]), 1e-300)))
        active[idx[done]] = False
    return x, f


@dataclass(frozen=True)
class ParametricFit:
    """Approach 3's result. ``law`` is the fitted :class:`ParametricLaw` (and the result itself has its
    ``E, A, B, alpha, beta``, so it can be passed wherever a law is accepted). Diagnostics:
    ``objective`` (the Huber sum), ``r2``, ``rmse`` and ``max_abs_residual`` of the log-loss
    residuals, ``n_points``, ``n_starts``; ``theta`` = (a, b, e, alpha, beta)."""

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


def _polish(theta, args, weights=None):
    """Finish one start with scipy's L-BFGS-B, as the paper did."""
    def fun(x):
        v, gr = huber_objective(x[None, :], *args, weights=None if weights is None else weights[None, :])
        return float(v[0]), gr[0]
    sol = optimize.minimize(fun, theta, jac=True, method="L-BFGS-B",
                            options={"maxiter": 10_000, "ftol": 1e-15, "gtol": 1e-12})
    return sol.x, float(sol.fun)


def fit_approach3(n_params, n_tokens, losses, *, starts=None, screen: int = 3, keep: int = 32,
                  polish: int = 4, refine: bool = True) -> ParametricFit:
    """Approach 3: fit ``L(N, D)`` by minimising the paper's Huber objective (delta = 1e-3) on log
    losses from every start of the paper's 4,500-point grid (or ``starts``, rows of (a, b, e, alpha,
    beta)), and return the best.

    All starts run together as one batched L-BFGS (numpy); after ``screen`` iterations the ``keep``
    best distinct ones continue to convergence, and the ``polish`` best of those are finished with scipy's
    L-BFGS-B. ``bench/fit_speed.py`` checks that this reaches the optimum that scipy reaches from every
    start separately.
    """
    n, d, l = _runs(n_params, n_tokens, losses)
    _checks.same_shape(n_params=n, n_tokens=d)
    if n.size < 6:
        raise ValueError(f"n_params, n_tokens and losses need at least 6 runs to fit 5 parameters; got {n.size}")
    keep = _checks.scalar(keep, "keep", integer=True, positive=True)
    polish = _checks.scalar(polish, "polish", integer=True, positive=True)
    x0 = initial_grid() if starts is None else _checks.array(starts, "starts", ndim=2)
    if x0.shape[1] != 5:
        raise ValueError(f"starts must have 5 columns (a, b, e, alpha, beta); got shape {x0.shape}")
    args = (np.log(n)[None, :], np.log(d)[None, :], np.log(l)[None, :])
    fun = lambda x, rows: huber_objective(x, *args)
    screen = _checks.scalar(screen, "screen", integer=True, positive=True)
    # screening needs no more than float32: half the memory traffic of float64
    args32 = tuple(v.astype(np.float32) for v in args)
    screen_fun = lambda x, rows: huber_objective(x.astype(np.float32), *args32)
    x, f = _batched_lbfgs(screen_fun, x0, max_iter=screen)
    chosen = []
    for i in np.argsort(f):
        if all(np.abs(x[i] - x[j]).max() > 1e-3 for j in chosen):
            chosen.append(i)
        if len(chosen) == keep:
            break
    if refine:
        x, f = _batched_lbfgs(fun, x[chosen], max_iter=150)  # enough to rank them; scipy finishes
        chosen = list(np.argsort(f))
    best = [_polish(x[i], args) for i in chosen[:polish]]
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
    """The reference method: ``scipy.optimize.minimize`` (L-BFGS-B) separately from every start.

    Slow (it is what :func:`fit_approach3` is checked against); the result is the best start's."""
    n, d, l = _runs(n_params, n_tokens, losses)
    x0 = initial_grid() if starts is None else _checks.array(starts, "starts", ndim=2)
    args = (np.log(n)[None, :], np.log(d)[None, :], np.log(l)[None, :])
    results = [_polish(start, args) for start in x0]
    theta, objective = min(results, key=lambda t: t[1])
    return _parametric_result(theta, objective, n, d, l, x0.shape[0])


# ---- bootstrap ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bootstrap:
    """Bootstrap samples of an approach's results. ``samples`` maps a name (``a``, ``b``, and at
    ``at_flops`` the extrapolated ``n_opt``, ``d_opt``, ``loss``) to an array of resampled values;
    :meth:`interval` gives percentile intervals."""

    samples: dict
    n_resamples: int
    at_flops: float | None

    def interval(self, name: str, level: float = 0.95) -> tuple:
        level = _checks.level(level)
        _checks.choice(name, "name", self.samples)
        values = self.samples[name][np.isfinite(self.samples[name])]
        return tuple(float(v) for v in np.quantile(values, [0.5 - level / 2, 0.5 + level / 2]))


def _resample_indices(n_points, n_resamples, seed, groups=None):
    rng = np.random.default_rng(seed)
    if groups is None:
        return [rng.integers(0, n_points, n_points) for _ in range(n_resamples)]
    # resample runs within each group (budget), so every budget keeps its profile
    out = []
    members = [np.flatnonzero(groups == g) for g in np.unique(groups)]
    for _ in range(n_resamples):
        out.append(np.concatenate([rng.choice(m, m.size) for m in members]))
    return out


def bootstrap_allocation(approach, n_params, flops, losses, *, n_resamples: int = 1000, seed: int = 0,
                         at_flops: float | None = None) -> Bootstrap:
    """Bootstrap Approach 1 or 2 (``approach`` = 1 or 2) by resampling runs (within each budget for
    Approach 2, within each model size's curve for Approach 1); resamples that cannot be fitted are
    dropped. ``at_flops`` adds the extrapolated optimum there."""
    _checks.choice(approach, "approach", (1, 2))
    n, c, l = _runs(n_params, flops, losses)
    n_resamples = _checks.scalar(n_resamples, "n_resamples", integer=True, low=2)
    seed = _checks.scalar(seed, "seed", integer=True, nonnegative=True)
    at = None if at_flops is None else _checks.scalar(at_flops, "at_flops", positive=True)
    groups = np.round(np.log10(c), 6) if approach == 2 else n
    fit = fit_approach1 if approach == 1 else fit_approach2
    keys = ["a", "b"] + (["n_opt", "d_opt"] if at else [])
    samples = {k: [] for k in keys}
    for idx in _resample_indices(n.size, n_resamples, seed, groups):
        try:
            result = fit(n[idx], c[idx], l[idx])
        except ValueError:
            continue
        samples["a"].append(result.a)
        samples["b"].append(result.b)
        if at:
            n_at, d_at = result.predict(at)
            samples["n_opt"].append(n_at)
            samples["d_opt"].append(d_at)
    return Bootstrap({k: np.array(v) for k, v in samples.items()}, n_resamples, at)


def bootstrap_approach3(n_params, n_tokens, losses, *, n_resamples: int = 1000, seed: int = 0,
                        at_flops: float | None = None, fit: ParametricFit | None = None) -> Bootstrap:
    """Bootstrap Approach 3: refit on ``n_resamples`` resamples of the points, all at once (one batched
    L-BFGS whose rows are the resamples, as point weights), each started from the full-data fit
    (``fit``, computed if not given). Samples ``E, A, B, alpha, beta, a, b`` and, at ``at_flops``,
    the extrapolated ``n_opt``, ``d_opt`` and ``loss``."""
    n, d, l = _runs(n_params, n_tokens, losses)
    n_resamples = _checks.scalar(n_resamples, "n_resamples", integer=True, low=2)
    seed = _checks.scalar(seed, "seed", integer=True, nonnegative=True)
    at = None if at_flops is None else _checks.scalar(at_flops, "at_flops", positive=True)
    fit = fit if fit is not None else fit_approach3(n, d, l)
    rng = np.random.default_rng(seed)
    counts = rng.multinomial(n.size, np.full(n.size, 1.0 / n.size), size=n_resamples).astype(float)
    args = (np.log(n)[None, :], np.log(d)[None, :], np.log(l)[None, :])
    fun = lambda x, rows: huber_objective(x, *args, weights=counts[rows])
    x, _ = _batched_lbfgs(fun, np.repeat(fit.theta[None, :], n_resamples, axis=0), max_iter=3000)
    E, A, B = np.exp(x[:, 2]), np.exp(x[:, 0]), np.exp(x[:, 1])
    alpha, beta = x[:, 3], x[:, 4]
    samples = {"E": E, "A": A, "B": B, "alpha": alpha, "beta": beta,
               "a": beta / (alpha + beta), "b": alpha / (alpha + beta)}
    if at:
        laws = [ParametricLaw(E=max(e, 0.0), A=aa, B=bb, alpha=al, beta=be)
                for e, aa, bb, al, be in zip(E, A, B, np.maximum(alpha, 1e-12), np.maximum(beta, 1e-12))]
        optima = [compute_optimal(at, law) for law in laws]
        samples["n_opt"] = np.array([o.n_params for o in optima])
        samples["d_opt"] = np.array([o.n_tokens for o in optima])
        samples["loss"] = np.array([o.loss for o in optima])
    return Bootstrap(samples, n_resamples, at)
