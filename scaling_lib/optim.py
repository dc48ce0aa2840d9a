"""A batched L-BFGS: one minimisation per starting point, all advanced together in numpy.

Approach 3 of Hoffmann et al. (2022) minimises one objective from 4,500 starting points. Run one at
a time, scipy's L-BFGS-B spends most of its time in Python overhead; here every start is a row of
one array, and each iteration evaluates the objective for all active rows in one vectorised call.
Each row is its own L-BFGS (its own history, step and stopping decision), so the rows do not
interact: the result for a row is what a serial L-BFGS with this line search would reach from it.

Used by :mod:`scaling_lib.chinchilla.parametric` (the fit from the paper's grid) and
:mod:`scaling_lib.chinchilla.bootstrap` (one refit per resample); it knows nothing of scaling laws.
"""

from __future__ import annotations

import numpy as np

from . import _checks


def batched_lbfgs(fun, x0, *, max_iter: int = 500, memory: int = 10, gtol: float = 1e-10,
                  ftol: float = 1e-15, max_step: float = np.inf, ftol_floor: float = 1e-300):
    """Minimise ``fun`` from every row of ``x0`` at once.

    Each row runs its own L-BFGS (two-loop recursion over its last ``memory`` steps) with a
    backtracking line search: the Armijo condition with constant 1e-4, and after a rejected trial
    the next one at the minimum of the quadratic through ``f(0)``, ``f'(0)`` and ``f(t)``, kept
    within ``[0.1 t, 0.5 t]``. A row stops when its gradient's largest entry is below ``gtol``, when
    an iteration improves it by no more than ``ftol * max(|f|, ftol_floor)``, or when its line search
    fails (40 trials). No trial moves a parameter by more than ``max_step``: after one step the curvature
    estimate of a Huber objective is often far too flat, and the first trial far too long. A trial
    whose value is not finite is rejected like any other, so ``fun`` may return ``inf`` where it
    overflows.

    Parameters
    ----------
    fun : callable
        ``fun(x, rows)`` returns ``(values, gradients)``, shapes ``(m,)`` and ``(m, P)``, at the
        ``m`` points ``x`` (shape ``(m, P)``); ``rows`` (shape ``(m,)``) are their indices in
        ``x0``, for objectives that differ by row (a bootstrap's weights).
    x0 : array_like, shape (S, P)
        Starting points, one per row (finite).
    max_iter : int, default 500
        Iterations per row (>= 1).
    memory : int, default 10
        Steps kept in each row's history (>= 1).
    gtol, ftol : float, default 1e-10, 1e-15
        Stopping tolerances (>= 0): the gradient's largest entry, and the relative improvement of
        one iteration.
    max_step : float, default inf
        Largest move of any parameter in one trial (> 0).
    ftol_floor : float, default 1e-300
        The smallest ``|f|`` the improvement test divides by (> 0). The default makes the test purely
        relative; 1.0 makes it scipy's L-BFGS-B rule, which divides by ``max(|f_k|, |f_k+1|, 1)`` and so
        is an absolute test for objectives below 1.

    Returns
    -------
    x : ndarray, shape (S, P)
        Each row's final point.
    f : ndarray, shape (S,)
        The objective there.
    """
    x0 = _checks.array(x0, "x0", ndim=2)
    if not callable(fun):
        raise TypeError(f"fun must be callable as fun(x, rows) -> (values, gradients); got {fun!r}")
    max_iter = _checks.scalar(max_iter, "max_iter", integer=True, low=1, high=10**7)
    memory = _checks.scalar(memory, "memory", integer=True, low=1, high=1000)
    gtol = _checks.scalar(gtol, "gtol", nonnegative=True)
    ftol = _checks.scalar(ftol, "ftol", nonnegative=True)
    if not (isinstance(max_step, (int, float, np.number)) and not isinstance(max_step, bool)
            and max_step > 0):
        raise ValueError(f"max_step must be a number > 0 (inf for no limit); got {max_step!r}")
    ftol_floor = _checks.scalar(ftol_floor, "ftol_floor", positive=True)
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
                | (moved & (improvement <= ftol * np.maximum(np.abs(f[idx]), ftol_floor))))
        active[idx[done]] = False
    return x, f

