"""Data-mixing laws (Ye et al. 2024): the loss on each domain as a function of the training mixture.

A model of one size, trained for one number of steps on ``M`` training domains in proportions
``r`` (``r_j >= 0``, ``sum_j r_j = 1``), has on validation domain ``i`` the loss

    L_i(r) = c_i + k_i exp(sum_j t_ij r_j)

(Ye et al. 2024, their law for several domains): ``c_i`` is the part of the loss no mixture
changes, and ``t_ij < 0`` means that training on domain ``j`` lowers the loss on domain ``i``. When
the validation set is known to be made of the domains in shares ``s_i``, the overall loss is
``sum_i s_i L_i(r)``.

**What the data can tell apart.** Because the proportions sum to one, adding ``lam`` to every
``t_ij`` of a row and dividing ``k_i`` by ``exp(lam)`` gives the same ``L_i`` for every mixture:
only ``ln k_i + t_ij`` is identified. The book fixes that freedom by ``sum_j t_ij = 0``
(:meth:`MixingLaw.normalized`), which makes ``k_i`` the reducible loss on domain ``i`` at the
uniform mixture. Fits return laws in that form; compare laws only in it.

**Choosing a mixture.** Each ``L_i`` is the exponential of an affine function of ``r`` plus a
constant, so it is convex, and a weighted sum with ``s_i >= 0`` is convex too: over the simplex
(a convex set) every local minimum is the global one, which :func:`optimal_mixture` finds.

Used by the chapter ``after_chinchilla``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import optimize

from . import _checks
from ._report import Report, SelfReporting, number
from .published import Source

#: How far from 1 a mixture's proportions may sum (rounding in a table of shares).
SIMPLEX_TOLERANCE = 1e-6

#: The most domains a law may have (the fit and the optimiser are meant for a handful).
MAX_DOMAINS = 64

#: Where the form comes from.
YE_2024_FORM = Source("ye2024datamixing", "data mixing law for several domains, L_i = c_i + k_i exp(sum_j t_ij r_j)")


def _names(value, name: str, count: int, default: str) -> tuple:
    if value is None:
        return tuple(f"{default} {j + 1}" for j in range(count))
    if isinstance(value, str) or not isinstance(value, (tuple, list)):
        raise _checks.ArgumentTypeError(f"{name} must be a tuple of {count} names or None; "
                                        f"got {_checks._describe(value)}")
    if len(value) != count:
        raise ValueError(f"{name} must name {count} domains; got {len(value)}")
    return tuple(_checks.text(v, f"{name}[{j}]", empty=False) for j, v in enumerate(value))


def mixtures(proportions, name: str = "proportions", *, domains: int | None = None) -> np.ndarray:
    """``proportions`` checked as mixtures: a 1-d array of ``M`` shares (one mixture) or a 2-d
    array with one mixture per row, every share ``>= 0`` and each row summing to 1 (within
    :data:`SIMPLEX_TOLERANCE`); ``domains`` is the ``M`` required, if given. Returned as floats,
    each row divided by its sum (so that rounding does not leak into a law)."""
    name = _checks.text(name, "name", empty=False)
    if domains is not None:
        domains = _checks.scalar(domains, "domains", integer=True, low=2, high=MAX_DOMAINS)
    r = _checks.array(proportions, name, nonnegative=True)
    if r.ndim not in (1, 2) or r.shape[-1] < 2:
        raise ValueError(f"{name} must be one mixture (1-d, at least 2 domains) or one mixture per row "
                         f"(2-d); got shape {r.shape}")
    if r.shape[-1] > MAX_DOMAINS:
        raise ValueError(f"{name} must have at most {MAX_DOMAINS} domains; got {r.shape[-1]}")
    if domains is not None and r.shape[-1] != domains:
        raise ValueError(f"{name} must have {domains} shares per mixture (one per training domain, "
                         f"the domains asked for); got {r.shape[-1]}")
    sums = r.sum(axis=-1)
    if np.any(np.abs(sums - 1.0) > SIMPLEX_TOLERANCE):
        worst = float(sums.flat[np.argmax(np.abs(sums - 1.0))])
        raise ValueError(f"{name}: each mixture's shares must sum to 1; one sums to {worst:.6g}")
    return r / sums[..., None]


@dataclass(frozen=True)
class MixingLaw:
    """``L_i(r) = c_i + k_i exp(sum_j t_ij r_j)`` for validation domains ``i`` and training domains ``j``.

    Attributes
    ----------
    c : ndarray, shape (V,)
        The loss no mixture removes on each validation domain, nats per token (>= 0).
    k : ndarray, shape (V,)
        Scale of the reducible loss, nats per token (> 0).
    t : ndarray, shape (V, M)
        How training on domain ``j`` moves the log of domain ``i``'s reducible loss (negative: helps).
    domains : tuple of str
        Names of the ``M`` training domains.
    targets : tuple of str
        Names of the ``V`` validation domains (by default the training domains, when ``V = M``).
    source : Source or None
    """

    c: np.ndarray
    k: np.ndarray
    t: np.ndarray
    domains: tuple | None = None
    targets: tuple | None = None
    source: Source | None = None

    def __post_init__(self):
        c = _checks.array(self.c, "c", nonnegative=True, ndim=1)
        k = _checks.array(self.k, "k", positive=True, ndim=1)
        t = _checks.array(self.t, "t", ndim=2)
        if c.size != k.size or t.shape[0] != c.size:
            raise ValueError(f"c, k and t must describe one validation domain per row; got c {c.shape}, "
                             f"k {k.shape}, t {t.shape}")
        if not 2 <= t.shape[1] <= MAX_DOMAINS or c.size > MAX_DOMAINS:
            raise ValueError(f"t must have 2 to {MAX_DOMAINS} training domains (columns) and at most "
                             f"{MAX_DOMAINS} rows; got shape {t.shape}")
        if np.any(np.abs(t) > 700.0):
            raise ValueError("t must lie within ±700 (exp(t) must stay within float64)")
        domains = _names(self.domains, "domains", t.shape[1], "domain")
        default = domains if (self.targets is None and c.size == t.shape[1]) else None
        targets = default or _names(self.targets, "targets", c.size, "target")
        if self.source is not None:
            _checks.instance(self.source, "source", Source, "a scaling_lib.published.Source or None")
        for name, value in (("c", c), ("k", k), ("t", t), ("domains", domains), ("targets", targets)):
            object.__setattr__(self, name, value)

    def normalized(self) -> "MixingLaw":
        """The same law with ``sum_j t_ij = 0`` in every row (``k_i`` is then the reducible loss at
        the uniform mixture): the form in which laws can be compared."""
        shift = self.t.mean(axis=1)
        return MixingLaw(self.c, _checks.finite(lambda: self.k * np.exp(shift), "k and t", "k exp(mean t)"),
                         self.t - shift[:, None], self.domains, self.targets, self.source)

    def loss(self, proportions):
        """The loss on every validation domain for each mixture, nats per token: shape ``(V,)`` for
        one mixture, ``(n, V)`` for ``n``."""
        r = mixtures(proportions, domains=self.t.shape[1])
        return _checks.finite(lambda: self.c + self.k * np.exp(r @ self.t.T), "proportions and the law",
                              "c + k exp(t r)")

    def total_loss(self, proportions, weights):
        """``sum_i s_i L_i(r)``: the loss on a validation set made of the domains in shares
        ``weights`` (``s_i >= 0``, normalised to sum to 1), nats per token."""
        s = _weights(weights, self.c.size)
        return _checks.result(np.asarray(self.loss(proportions)) @ s)


def _weights(weights, count: int) -> np.ndarray:
    s = _checks.array(weights, "weights", nonnegative=True, ndim=1)
    if s.size != count:
        raise ValueError(f"weights must give one share per validation domain ({count}); got {s.size}")
    if s.sum() <= 0:
        raise ValueError("weights must not all be 0")
    return s / s.sum()


def _law(law) -> MixingLaw:
    return _checks.instance(law, "law", MixingLaw, "a mixing.MixingLaw")


def simulate_mixtures(law: MixingLaw, n_mixtures: int, *, noise: float = 0.005, concentration: float = 1.0,
                      seed: int = 0) -> tuple:
    """Training runs simulated from a known ``law`` (known truth, for teaching and tests).

    ``n_mixtures`` mixtures are drawn from a Dirichlet distribution with every parameter
    ``concentration`` (1: uniform over the simplex), and each domain's loss gets log-normal scatter
    ``noise`` (0 for none). Returns ``(proportions, losses)``, shapes ``(n, M)`` and ``(n, V)``.
    """
    law = _law(law)
    n = _checks.scalar(n_mixtures, "n_mixtures", integer=True, low=1, high=100_000)
    noise = _checks.scalar(noise, "noise", nonnegative=True, high=1.0)
    concentration = _checks.scalar(concentration, "concentration", positive=True, low=0.05, high=1e4)
    seed = _checks.scalar(seed, "seed", integer=True, nonnegative=True)
    rng = np.random.default_rng(seed)
    r = rng.dirichlet(np.full(law.t.shape[1], concentration), size=n)
    r = np.clip(r, 0.0, None)
    r = r / r.sum(axis=1, keepdims=True)
    losses = np.asarray(law.loss(r)) * np.exp(noise * rng.standard_normal((n, law.c.size)))
    return r, losses


@dataclass(frozen=True, repr=False)
class MixingFit(SelfReporting):
    """A data-mixing law fitted to measured mixtures.

    Attributes
    ----------
    law : MixingLaw
        The fitted law, normalised (``sum_j t_ij = 0``, see :meth:`MixingLaw.normalized`).
    stderr_c, stderr_k : ndarray, shape (V,)
        Standard errors of ``c_i`` and ``k_i`` (from the Jacobian of the log-space residuals).
    stderr_t : ndarray, shape (V, M)
        Standard errors of the normalised ``t_ij``.
    residual_std : ndarray, shape (V,)
        Standard deviation of the residuals of ``log L_i``.
    n_mixtures : int
        Mixtures fitted.
    """

    law: MixingLaw
    stderr_c: np.ndarray
    stderr_k: np.ndarray
    stderr_t: np.ndarray
    residual_std: np.ndarray
    n_mixtures: int
    _dof: int = field(default=0, repr=False)

    def predict(self, proportions):
        """The fitted law's loss on every validation domain (see :meth:`MixingLaw.loss`)."""
        return self.law.loss(proportions)

    def _summary(self, level: float = 0.95) -> Report:
        law = self.law
        header = ("domain", "c", "k", *(f"t[{d}]" for d in law.domains), "sd log L")
        rows = tuple((target, f"{number(law.c[i])} ± {number(self.stderr_c[i])}", number(law.k[i]),
                      *(number(v) for v in law.t[i]), number(self.residual_std[i]))
                     for i, target in enumerate(law.targets))
        notes = (f"{self.n_mixtures} mixtures; c with its standard error",
                 "each row of t sums to 0, so k is the reducible loss at the uniform mixture")
        return Report("Data-mixing law L_i = c_i + k_i exp(sum_j t_ij r_j), least squares of log L",
                      header, rows, notes)

    def report(self) -> str:
        """A plain-text summary: for each validation domain, ``c`` with its standard error, ``k``,
        the normalised ``t_ij`` and the residual standard deviation of ``log L``; numbers to 4
        significant digits."""
        return self._summary().text()

    def __repr__(self) -> str:
        return f"MixingFit(domains={len(self.law.domains)}, targets={len(self.law.targets)}, n_mixtures={self.n_mixtures})"


def _fit_one(r: np.ndarray, y: np.ndarray, name: str):
    """``(c, u, stderr of (c, u), residual sd)`` for one domain: ``log y ≈ log(c + exp(r u))``."""
    n, m = r.shape
    top = float(y.min())
    log_y = np.log(y)

    def profile(c):
        u, *_ = np.linalg.lstsq(r, np.log(y - c), rcond=None)
        pred = c + np.exp(r @ u)
        return float(np.sum((np.log(pred) - log_y) ** 2)), u

    grid = top * (1.0 - np.geomspace(1.0, 1e-4, 200))  # from c = 0 up to just below the smallest loss
    scores = [profile(c)[0] for c in grid]
    c0 = float(grid[int(np.argmin(scores))])
    u0 = profile(c0)[1]

    def residuals(theta):
        with np.errstate(over="ignore", invalid="ignore"):
            pred = theta[0] + np.exp(r @ theta[1:])
        return np.log(np.clip(pred, 1e-300, None)) - log_y

    upper = np.concatenate([[top * (1 - 1e-9)], np.full(m, np.inf)])
    lower = np.concatenate([[0.0], np.full(m, -np.inf)])
    start = np.concatenate([[min(max(c0, 0.0), upper[0])], u0])
    sol = optimize.least_squares(residuals, start, bounds=(lower, upper), method="trf", x_scale="jac")
    res = sol.fun
    dof = n - (m + 1)
    sigma2 = float(res @ res) / dof
    jac = sol.jac
    try:
        cov = sigma2 * np.linalg.inv(jac.T @ jac)
        se = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    except np.linalg.LinAlgError:
        cov, se = None, np.full(m + 1, np.inf)
    if not np.all(np.isfinite(sol.x)):
        raise ValueError(f"losses: the fit for {name} did not converge to finite parameters")
    return sol.x[0], sol.x[1:], cov, se, float(np.sqrt(sigma2))


def fit_mixing_law(proportions, losses, *, domains=None, targets=None) -> MixingFit:
    """Fit ``L_i(r) = c_i + k_i exp(sum_j t_ij r_j)`` to measured mixtures, one validation domain at a time.

    Parameters
    ----------
    proportions : array_like, shape (n, M)
        The training mixtures, one per row (shares summing to 1).
    losses : array_like, shape (n, V) or (n,)
        The measured loss on each validation domain for each mixture, nats per token (> 0).
    domains, targets : tuple of str, optional
        Names of the training and validation domains.

    Returns
    -------
    MixingFit
        With the law normalised (``sum_j t_ij = 0``). Each domain is fitted by least squares of
        ``log L``: for each trial ``c_i`` below the smallest measured loss, ``log(L_i - c_i)`` is
        linear in ``r`` (the profile over ``c_i`` gives the start), then all of a domain's parameters
        are refined together (``scipy.optimize.least_squares``, ``0 <= c_i < min L_i``).

    Needs at least ``M + 2`` mixtures whose proportions span all ``M`` domains (rank ``M``).
    """
    r = mixtures(proportions)
    if r.ndim != 2:
        raise ValueError(f"proportions must be 2-d, one mixture per row; got shape {r.shape}")
    y = _checks.array(losses, "losses", positive=True)
    if y.ndim == 1:
        y = y[:, None]
    if y.ndim != 2 or y.shape[0] != r.shape[0]:
        raise ValueError(f"losses must have one row per mixture ({r.shape[0]}); got shape {y.shape}")
    if y.shape[1] > MAX_DOMAINS:
        raise ValueError(f"losses must have at most {MAX_DOMAINS} validation domains; got {y.shape[1]}")
    n, m = r.shape
    if n < m + 2:
        raise ValueError(f"proportions: {m} domains need at least {m + 2} mixtures; got {n}")
    if np.linalg.matrix_rank(r) < m:
        raise ValueError(f"proportions must vary in every direction of the {m} domains (rank {m}); "
                         f"got rank {np.linalg.matrix_rank(r)}")
    domains = _names(domains, "domains", m, "domain")
    targets = _names(targets, "targets", y.shape[1], "target") if (targets is not None or y.shape[1] != m) \
        else domains
    c, k, t, se_c, se_k, se_t, sd = [], [], [], [], [], [], []
    for i in range(y.shape[1]):
        ci, ui, cov, se, sdi = _fit_one(r, y[:, i], targets[i])
        # normalise: t = u - mean(u), ln k = mean(u); their errors by the same linear map
        shift = float(ui.mean())
        c.append(ci)
        k.append(np.exp(shift))
        t.append(ui - shift)
        if cov is None:
            se_k.append(np.inf)
            se_t.append(np.full(m, np.inf))
        else:
            cu = cov[1:, 1:]
            mean = np.full(m, 1.0 / m)
            se_k.append(float(np.exp(shift) * np.sqrt(max(mean @ cu @ mean, 0.0))))
            centre = np.eye(m) - 1.0 / m
            se_t.append(np.sqrt(np.clip(np.diag(centre @ cu @ centre.T), 0.0, None)))
        se_c.append(se[0])
        sd.append(sdi)
    law = MixingLaw(np.array(c), _checks.finite(np.array(k), "losses", "k"), np.array(t), domains, targets,
                    YE_2024_FORM)
    return MixingFit(law=law, stderr_c=np.array(se_c), stderr_k=np.array(se_k), stderr_t=np.array(se_t),
                     residual_std=np.array(sd), n_mixtures=n, _dof=n - m - 1)


@dataclass(frozen=True)
class MixtureOptimum:
    """The mixture that minimises a law's weighted loss.

    Attributes: ``proportions`` (shape ``(M,)``), ``loss`` (the weighted loss there, nats per
    token), ``losses`` (each validation domain's loss there), ``domains``.
    """

    proportions: np.ndarray
    loss: float
    losses: np.ndarray
    domains: tuple


def optimal_mixture(law: MixingLaw, weights, *, min_share: float = 0.0) -> MixtureOptimum:
    """The training mixture that minimises ``sum_i s_i L_i(r)`` over the simplex.

    Parameters
    ----------
    law : MixingLaw
    weights : array_like, shape (V,)
        Shares ``s_i`` of the validation domains in the loss to minimise (>= 0, not all 0).
    min_share : float, default 0
        The smallest share any training domain may get (``0 <= min_share < 1/M``).

    The objective is convex on a convex set (module docstring), so the minimum SLSQP finds from
    the uniform mixture is the global one.
    """
    law = _law(law)
    s = _weights(weights, law.c.size)
    m = law.t.shape[1]
    floor = _checks.scalar(min_share, "min_share", nonnegative=True)
    if floor * m >= 1.0:
        raise ValueError(f"min_share must be below 1/{m} (the uniform share); got {floor}")

    def objective(r):
        return float(s @ (law.c + law.k * np.exp(law.t @ r)))

    def gradient(r):
        return (s * law.k * np.exp(law.t @ r)) @ law.t

    start = np.full(m, 1.0 / m)
    with np.errstate(over="ignore", invalid="ignore"):
        sol = optimize.minimize(objective, start, jac=gradient, method="SLSQP",
                                bounds=[(floor, 1.0)] * m,
                                constraints=({"type": "eq", "fun": lambda r: r.sum() - 1.0,
                                              "jac": lambda r: np.ones_like(r)},),
                                options={"ftol": 1e-14, "maxiter": 500})
    r = np.clip(sol.x, floor, 1.0)
    r = r / r.sum()
    if not np.all(np.isfinite(r)) or objective(r) > objective(start) + 1e-12:
        raise ValueError("law: the search for the optimal mixture did not converge")
    losses = np.asarray(law.loss(r))
    return MixtureOptimum(proportions=r, loss=float(losses @ s), losses=losses, domains=law.domains)
