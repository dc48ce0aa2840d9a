"""An order-``k`` Markov chain over ``V`` symbols, exactly: its stationary distribution (power
iteration, summed in a fixed order so every CPU gets the same bits), its conditional entropies and
entropy rate, and Walker's alias tables for drawing from it in O(1) per token. The experiment's
language (:mod:`scaling_lib.experiment.language`) is built on these.

A chain's ``conditional`` is a ``(V**k, V)`` table, ``P(next | context)``, with the context
``x_1 .. x_k`` indexed ``x_1 V**(k-1) + ... + x_k``. All entropies are in nats.
"""

from __future__ import annotations

import math

import numpy as np

from .. import _checks

#: Largest L1 residual ``|pi P - pi|_1`` accepted from the power iteration.
STATIONARY_TOLERANCE = 1e-12

def stationary_distribution(conditional, *, tolerance: float = STATIONARY_TOLERANCE,
                            max_iter: int = 100_000):
    """Stationary distribution over contexts of an order-``k`` chain, by power iteration.

    Parameters
    ----------
    conditional : ndarray, shape (V**k, V)
        ``P(next | context)``, rows summing to 1, context indexed as in the module docstring.
    tolerance : float, default 1e-12
        Stop when the L1 residual ``|pi P - pi|_1`` falls below it (or stops falling).
    max_iter : int, default 100000

    Returns
    -------
    pi : ndarray, float64, shape (V**k,)
        Stationary probability of each context; sums to 1.
    residual : float
        ``|pi P - pi|_1`` of the returned ``pi``.
    iterations : int
    """
    P = _checks.array(conditional, "conditional", nonnegative=True, ndim=2)
    V = P.shape[1]
    k = round(math.log(P.shape[0]) / math.log(V)) if V > 1 else 0
    if V < 2 or V ** k != P.shape[0]:
        raise ValueError(f"conditional must have V**k rows and V columns; got shape {P.shape}")
    if not np.allclose(P.sum(1), 1.0, atol=1e-9):
        raise ValueError("conditional rows must sum to 1")
    tolerance = _checks.scalar(tolerance, "tolerance", positive=True)
    max_iter = _checks.scalar(max_iter, "max_iter", integer=True, positive=True, high=10**7)
    # (pi P)(x_2..x_k, y) = sum_{x_1} pi(x_1, x_2..x_k) P(y | x_1..x_k): a batch of small products
    inner = P.shape[0] // V
    P3 = P.reshape(V, inner, V)  # (x_1, x_2..x_k, y)
    acc, term = np.empty((inner, V)), np.empty((inner, V))

    def step(pi):  # products summed over x_1 in a fixed order, not by BLAS: the same bits anywhere
        pi = pi.reshape(V, inner)
        np.multiply(pi[0][:, None], P3[0], out=acc)
        for x1 in range(1, V):
            np.multiply(pi[x1][:, None], P3[x1], out=term)
            np.add(acc, term, out=acc)
        return acc.reshape(-1).copy()

    pi = np.full(P.shape[0], 1.0 / P.shape[0])
    best = (np.inf, pi, 0)
    for it in range(max_iter):
        new = step(pi)
        residual = float(np.abs(new - pi).sum())  # the residual of pi, before this step
        if residual < best[0]:
            best = (residual, pi, it)
        if residual < 0.1 * tolerance or it > best[2] + 50:  # converged, or at float64's floor
            break
        pi = new / new.sum()
    residual, pi, it = best
    return pi, residual, it


def _entropy(p: np.ndarray) -> float:
    p = p[p > 0]
    return float(-(p * np.log(p)).sum())


def alias_tables(probs) -> tuple:
    """Walker's alias tables for each row of ``probs``, built for all rows at once.

    Marsaglia's "Robin Hood" construction: ``K - 1`` times, the smallest remaining scaled
    probability ``q_i = K p_i`` (< 1 or equal) takes its shortfall from the largest (>= 1), which
    becomes its alias. A draw then needs one uniform ``u``: column ``j = floor(K u)``, kept if the
    fraction ``K u - j`` is below ``threshold[j]``, else replaced by ``alias[j]``: exact up to
    float64 rounding, and O(1) per draw.

    Parameters
    ----------
    probs : array_like, shape (R, K)
        Rows of probabilities (each summing to 1).

    Returns
    -------
    threshold : ndarray, float64, shape (R, K)
    alias : ndarray, uint8 (K <= 256) or int64, shape (R, K)
    """
    p = _checks.array(probs, "probs", nonnegative=True, ndim=2)
    R, K = p.shape
    if not np.allclose(p.sum(1), 1.0, atol=1e-9):
        raise ValueError("probs rows must sum to 1")
    q = p * (K / p.sum(1, keepdims=True))
    threshold = np.ones((R, K))
    alias = np.tile(np.arange(K, dtype=np.uint8 if K <= 256 else np.int64), (R, 1))
    for_min, for_max = q, q.copy()  # q itself is not needed again
    rows = np.arange(R)
    for _ in range(K - 1):
        i = for_min.argmin(1)
        for_max[rows, i] = -np.inf  # i leaves before j is chosen: j != i
        j = for_max.argmax(1)
        qi = for_min[rows, i]
        threshold[rows, i] = qi
        alias[rows, i] = j
        for_min[rows, i] = np.inf
        left = for_min[rows, j] - (1.0 - qi)
        for_min[rows, j] = left
        for_max[rows, j] = left
    return threshold, alias


def _alias_draw(threshold, alias, rows, u):
    K = threshold.shape[1]
    scaled = u * K
    col = scaled.astype(np.int64)
    np.minimum(col, K - 1, out=col)
    flat = rows * K + col
    keep = (scaled - col) < threshold.reshape(-1)[flat]
    return np.where(keep, col, alias.reshape(-1)[flat])


def conditional_entropies(conditional, stationary) -> tuple:
    """``H(X_t | k' previous tokens)`` for ``k' = 0 .. k``, nats, from the stationary joint.

    ``H(X_t | last k') = H(last k'+1 tokens) - H(last k' tokens)``, the marginals taken from the
    stationary joint ``pi(c) P(y | c)``; for ``k' = k`` this is the entropy rate
    ``sum_c pi(c) H(P(. | c))``, computed that way.
    """
    P = _checks.array(conditional, "conditional", nonnegative=True, ndim=2)
    pi = _checks.array(stationary, "stationary", nonnegative=True, ndim=1)
    if pi.size != P.shape[0]:
        raise ValueError(f"stationary must have one entry per row of conditional; got {pi.size} and {P.shape[0]}")
    V = P.shape[1]
    k = round(math.log(P.shape[0]) / math.log(V))
    joint = (pi[:, None] * P).reshape((V,) * (k + 1))
    H = []
    prev = 0.0  # entropy of the last k' tokens (none: 0)
    for kk in range(k):
        marginal = joint.sum(axis=tuple(range(k - kk)))  # the last kk+1 tokens
        h = _entropy(marginal.ravel())
        H.append(h - prev)
        prev = h
    rate = 0.0
    for start in range(0, P.shape[0], 1 << 14):  # in blocks: no full-size temporaries
        rows = P[start:start + (1 << 14)]
        with np.errstate(divide="ignore", invalid="ignore"):
            plogp = np.where(rows > 0, rows * np.log(np.where(rows > 0, rows, 1.0)), 0.0)
        rate -= float(pi[start:start + (1 << 14)] @ plogp.sum(1))
    H.append(rate)
    return tuple(float(h) for h in H)


def _factor_tables(pi: np.ndarray, P: np.ndarray) -> np.ndarray:
    """Rows ``pi(x_1)``, ``pi(x_2 | x_1)``, ..., ``P(y | x_1 .. x_k)`` stacked: (1 + V + ... + V**k, V)."""
    V = P.shape[1]
    k = round(math.log(P.shape[0]) / math.log(V))
    tables = []
    for level in range(k):
        marginal = pi.reshape(V ** (level + 1), -1).sum(1).reshape(V ** level, V)
        tables.append(marginal / marginal.sum(1, keepdims=True))
    tables.append(P)
    return np.concatenate(tables)
