"""Learning-rate schedules: warmup-stable-decay (WSD) and cosine, the areas under them, and a loss law
that reads the schedule (Tissue et al. 2024), tested on the book's own experiment.

**Schedules** (:func:`wsd_schedule`, :func:`cosine_schedule`) give the multiplier of the peak
learning rate at every step, the form :func:`scaling_lib.experiment.training.train` takes. WSD
(Hägele et al. 2024's "constant learning rate with cooldown") warms up linearly, holds the peak, and
decays over the last ``cooldown_steps`` steps, linearly or as ``1 - sqrt``; both reach 0 one step
past the end, as the experiment's cosine does.

**Areas** (:func:`annealing_areas`). Tissue et al. write the loss after ``s`` steps as

    L(s) = L0 + A S1^(-alpha) - C S2,

``S1`` the area under the learning-rate curve ("forward area") and ``S2`` the "annealing area". The
book computes, with the multipliers ``eta_i`` of steps ``i = 1 .. s``,

    S1(s) = sum_i eta_i,
    m_i = lambda m_(i-1) + (eta_(i-1) - eta_i),   m_1 = 0,     S2(s) = sum_i m_i,

a momentum of the decreases of the learning rate with decay factor ``lambda``; the warm-up's
increases are left out (``warmup_steps``). The two-line form of ``L(s)`` and the names of ``S1`` and
``S2`` are in the paper's abstract; the momentum definition of ``S2`` is the book's reading of the
paper's Section 3, which the sources the book could check do not show in full.

**Fit** (:func:`fit_tissue_law`): least squares on the loss. For a fixed ``alpha`` and ``lambda``
the law is linear in ``L0``, ``A`` and ``C``, solved with non-negative least squares; ``alpha`` is
searched on a grid and polished with a bounded scalar search, ``lambda`` chosen from a few values.

The experiment that tests the law on the book's own runs (the long constant runs, their cooldowns, the
schedule table and the readings of it) is :mod:`scaling_lib.experiment.schedule_runs`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import minimize_scalar, nnls
from scipy.signal import lfilter

from .. import _checks
from .._report import Report, SelfReporting, number
from .training import WARMUP_FRACTION, lr_schedule

#: Most steps a schedule may have (bounds memory: one float per step).
MAX_STEPS = 1 << 26
#: Cooldown shapes of :func:`wsd_schedule`.
SHAPES = ("linear", "sqrt")
#: The decay factors ``lambda`` :func:`fit_tissue_law` chooses from by default.
DECAYS = (0.9, 0.99, 0.999)


def _steps(total_steps, name="total_steps") -> int:
    return _checks.scalar(total_steps, name, integer=True, positive=True, high=MAX_STEPS)


def wsd_schedule(total_steps: int, *, warmup_steps: int, cooldown_steps: int, shape: str = "linear") -> np.ndarray:
    """Warmup-stable-decay multipliers of the peak learning rate, one per step.

    Steps ``s = 0 .. total_steps - 1``: ``(s + 1) / W`` during the warm-up (``W = warmup_steps``),
    then 1, and over the last ``K = cooldown_steps`` steps ``f(u)`` with
    ``u = (s - (total_steps - K) + 1) / (K + 1)``: ``f = 1 - u`` (``"linear"``) or ``1 - sqrt(u)``
    (``"sqrt"``), so the multiplier would reach 0 one step past the end.

    Parameters
    ----------
    total_steps : int
        Steps in the run (>= 1).
    warmup_steps : int
        Steps of linear warm-up (>= 0; 0 starts at the peak).
    cooldown_steps : int
        Steps of decay at the end (>= 0; 0 is a constant learning rate after warm-up);
        ``warmup_steps + cooldown_steps <= total_steps``.
    shape : {"linear", "sqrt"}, default "linear"

    Returns
    -------
    ndarray, shape (total_steps,)
    """
    T = _steps(total_steps)
    W = _checks.scalar(warmup_steps, "warmup_steps", integer=True, nonnegative=True, high=T)
    K = _checks.scalar(cooldown_steps, "cooldown_steps", integer=True, nonnegative=True, high=T)
    _checks.choice(shape, "shape", SHAPES)
    if W + K > T:
        raise ValueError(f"warmup_steps + cooldown_steps must be <= total_steps ({T}); got {W} + {K}")
    s = np.arange(T, dtype=np.float64)
    out = np.ones(T)
    if W:
        out[:W] = (s[:W] + 1) / W
    if K:
        u = (s[T - K:] - (T - K) + 1) / (K + 1)
        out[T - K:] = 1 - u if shape == "linear" else 1 - np.sqrt(u)
    return out


def cosine_schedule(total_steps: int, *, warmup_fraction: float = WARMUP_FRACTION) -> np.ndarray:
    """The experiment's cosine multipliers, one per step: :func:`scaling_lib.experiment.training.lr_schedule`
    at steps ``0 .. total_steps - 1`` (linear warm-up over ``max(1, round(warmup_fraction T))`` steps,
    then cosine to 0 one step past the end)."""
    T = _steps(total_steps)
    return np.asarray(lr_schedule(np.arange(T), T, warmup_fraction=warmup_fraction), dtype=np.float64).reshape(-1)


def cosine_warmup_steps(total_steps: int, *, warmup_fraction: float = WARMUP_FRACTION) -> int:
    """Warm-up steps of :func:`cosine_schedule`: ``max(1, round(warmup_fraction * total_steps))``."""
    T = _steps(total_steps)
    frac = _checks.scalar(warmup_fraction, "warmup_fraction", nonnegative=True, high=0.999)
    return max(1, round(frac * T))


def annealing_areas(multipliers, *, decay: float = 0.999, warmup_steps: int = 0) -> tuple:
    """The forward area ``S1`` and the annealing area ``S2`` after each step of a schedule.

    ``S1(s) = sum_(i <= s) eta_i`` and ``S2(s) = sum_(i <= s) m_i`` with
    ``m_i = decay m_(i-1) + (eta_(i-1) - eta_i)`` and ``m_1 = 0`` (see the module docstring); the
    changes of the first ``warmup_steps`` steps (the warm-up's increases) count as 0.

    Parameters
    ----------
    multipliers : array_like, shape (T,)
        The learning rate (or its multiplier) of steps 1 .. T, >= 0.
    decay : float, default 0.999
        The momentum's decay factor ``lambda``, in [0, 1).
    warmup_steps : int, default 0
        Leading steps whose changes are left out of ``S2`` (0 .. T).

    Returns
    -------
    (S1, S2) : tuple of ndarray, shape (T,)
        Entry ``s - 1`` holds the areas after ``s`` steps.
    """
    eta = _checks.array(multipliers, "multipliers", nonnegative=True, ndim=1)
    if eta.size > MAX_STEPS:
        raise ValueError(f"multipliers must hold at most {MAX_STEPS} steps; got {eta.size}")
    lam = _checks.scalar(decay, "decay", nonnegative=True, high=1 - 1e-12)
    W = _checks.scalar(warmup_steps, "warmup_steps", integer=True, nonnegative=True, high=eta.size)
    s1 = np.cumsum(eta)
    drop = np.zeros_like(eta)
    drop[1:] = eta[:-1] - eta[1:]
    drop[:W] = 0.0
    m = lfilter([1.0], [1.0, -lam], drop)  # m_i = lam m_(i-1) + drop_i, m_0 = 0
    return _checks.result(s1), _checks.result(np.cumsum(m))


@dataclass(frozen=True)
class TissueLaw(SelfReporting):
    """``L = L0 + A S1^(-alpha) - C S2`` with the annealing areas of decay factor ``decay``.

    Attributes
    ----------
    L0, A, alpha, C : float
        Nats per token, nats per token (per unit of ``S1^-alpha``), exponent, nats per unit of ``S2``.
    decay : float
        The ``lambda`` the areas are computed with.
    """

    L0: float
    A: float
    alpha: float
    C: float
    decay: float = 0.999

    def __post_init__(self):
        for name in ("L0", "A", "alpha", "C"):
            object.__setattr__(self, name, _checks.scalar(getattr(self, name), name, nonnegative=True))
        object.__setattr__(self, "decay", _checks.scalar(self.decay, "decay", nonnegative=True, high=1 - 1e-12))

    def loss(self, s1, s2):
        """The law at areas ``s1`` (> 0) and ``s2`` (broadcast together)."""
        a = _checks.array(s1, "s1", positive=True)
        b = _checks.array(s2, "s2")
        _checks.broadcastable(s1=a, s2=b)
        return _checks.result(self.L0 + self.A * a ** -self.alpha - self.C * b)

    def predict(self, multipliers, steps, *, warmup_steps: int = 0):
        """The law along a schedule: the loss after each of ``steps`` (1-based counts of updates)."""
        s1, s2 = annealing_areas(multipliers, decay=self.decay, warmup_steps=warmup_steps)
        at = _checks.array(steps, "steps", positive=True)
        if np.any(at != np.round(at)) or np.any(at > s1.size):
            raise ValueError(f"steps must be whole numbers in [1, {s1.size}]")
        idx = at.astype(np.int64) - 1
        return self.loss(s1[idx], s2[idx])

    def _summary(self, level=None) -> Report:
        rows = (("L0", number(self.L0)), ("A", number(self.A)), ("alpha", number(self.alpha)),
                ("C", number(self.C)), ("lambda", number(self.decay)))
        return Report("Tissue et al.'s law L = L0 + A S1^-alpha - C S2", ("constant", "value"), rows)

    def report(self) -> str:
        """The five constants, one a line."""
        return self._summary().text()


@dataclass(frozen=True)
class TissueFit(SelfReporting):
    """A fit of :class:`TissueLaw` to points of training curves.

    Attributes
    ----------
    law : TissueLaw
    rmse : float
        Root-mean-square residual of the fitted points, nats per token.
    n_points : int
    decay_rmse : dict
        The RMSE of the best fit at each decay factor tried.
    """

    law: TissueLaw
    rmse: float
    n_points: int
    decay_rmse: dict = field(repr=False)

    def _summary(self, level=None) -> Report:
        rows = tuple((name, number(getattr(self.law, key))) for name, key in
                     (("L0", "L0"), ("A", "A"), ("alpha", "alpha"), ("C", "C"), ("lambda", "decay")))
        notes = (f"{self.n_points} points, RMSE {number(self.rmse)} nats",
                 "RMSE by lambda: " + ", ".join(f"{number(k)}: {number(v)}" for k, v in self.decay_rmse.items()))
        return Report("Tissue et al.'s law, fitted", ("constant", "value"), rows, notes)

    def report(self) -> str:
        """The fitted constants, the number of points, the RMSE, and the RMSE at each decay tried."""
        return self._summary().text()


def _curve_points(curves, decay):
    s1s, s2s, ls = [], [], []
    for multipliers, steps, losses, warmup in curves:
        s1, s2 = annealing_areas(multipliers, decay=decay, warmup_steps=warmup)
        idx = steps.astype(np.int64) - 1
        s1s.append(s1[idx]); s2s.append(s2[idx]); ls.append(losses)
    return np.concatenate(s1s), np.concatenate(s2s), np.concatenate(ls)


def _check_curves(curves) -> list:
    if isinstance(curves, (str, bytes, dict)) or not hasattr(curves, "__iter__"):
        raise _checks.ArgumentTypeError(f"curves must be a sequence of (multipliers, steps, losses[, warmup_steps]); "
                                        f"got {_checks._describe(curves)}")
    out = []
    for j, item in enumerate(curves):
        if not isinstance(item, (tuple, list)) or len(item) not in (3, 4):
            raise ValueError(f"curves[{j}] must be (multipliers, steps, losses) or (..., warmup_steps)")
        eta = _checks.array(item[0], f"curves[{j}] multipliers", nonnegative=True, ndim=1)
        steps = _checks.array(item[1], f"curves[{j}] steps", positive=True, ndim=1)
        losses = _checks.array(item[2], f"curves[{j}] losses", positive=True, ndim=1)
        warmup = _checks.scalar(item[3] if len(item) == 4 else 0, f"curves[{j}] warmup_steps", integer=True,
                                nonnegative=True, high=eta.size)
        if steps.shape != losses.shape:
            raise ValueError(f"curves[{j}]: steps and losses must have the same length")
        if np.any(steps != np.round(steps)) or np.any(steps > eta.size):
            raise ValueError(f"curves[{j}] steps must be whole numbers in [1, {eta.size}]")
        out.append((eta, steps, losses, warmup))
    if not out:
        raise ValueError("curves must hold at least one curve")
    return out


def _fit_alpha(s1, s2, losses):
    design_s2 = -s2

    def solve(alpha):
        X = np.column_stack([np.ones_like(s1), s1 ** -alpha, design_s2])
        scale = np.abs(X).max(0)
        scale[scale == 0] = 1.0
        coef, resid = nnls(X / scale, losses)
        return coef / scale, resid ** 2

    grid = np.geomspace(0.02, 4.0, 60)
    sse = [solve(a)[1] for a in grid]
    j = int(np.argmin(sse))
    lo, hi = np.log(grid[max(j - 1, 0)]), np.log(grid[min(j + 1, grid.size - 1)])
    best = minimize_scalar(lambda x: solve(math.exp(x))[1], bounds=(lo, hi), method="bounded",
                           options={"xatol": 1e-7})
    alpha = math.exp(best.x) if best.fun <= sse[j] else float(grid[j])
    coef, total = solve(alpha)
    return alpha, coef, total


def fit_tissue_law(curves, *, decays=DECAYS) -> TissueFit:
    """Fit ``L = L0 + A S1^(-alpha) - C S2`` to points of training curves (least squares on the loss).

    Parameters
    ----------
    curves : sequence of tuple
        Each ``(multipliers, steps, losses)`` or ``(multipliers, steps, losses, warmup_steps)``: the
        schedule of a run (one multiplier per step), the 1-based steps at which its loss was measured,
        those losses (nats), and the warm-up steps left out of ``S2``.
    decays : sequence of float, default (0.9, 0.99, 0.999)
        Decay factors ``lambda`` to try; the one with the smallest residual is kept.

    Returns
    -------
    TissueFit
    """
    items = _check_curves(curves)
    lams = _checks.array(decays, "decays", nonnegative=True, ndim=1)
    if np.any(lams >= 1):
        raise ValueError("decays must lie in [0, 1)")
    if lams.size > 32:
        raise ValueError(f"decays must hold at most 32 values; got {lams.size}")
    n_points = sum(i[1].size for i in items)
    if n_points < 5:
        raise ValueError(f"curves must hold at least 5 points to fit 4 constants; got {n_points}")
    best, table = None, {}
    for lam in lams:
        s1, s2, l = _curve_points(items, float(lam))
        alpha, coef, sse = _fit_alpha(s1, s2, l)
        table[float(lam)] = math.sqrt(sse / l.size)
        if best is None or sse < best[0]:
            best = (sse, float(lam), alpha, coef)
    sse, lam, alpha, coef = best
    law = TissueLaw(L0=float(coef[0]), A=float(coef[1]), alpha=alpha, C=float(coef[2]), decay=lam)
    return TissueFit(law=law, rmse=math.sqrt(sse / n_points), n_points=int(n_points), decay_rmse=table)


# ------------------------------------------------------------------------------------------------
# The experiment: cooldowns branched from one long constant-learning-rate run per width
