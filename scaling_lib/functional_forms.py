"""Where a single power law stops describing the data: breaks and saturation.

A pure power law has one exponent at every scale. Real scaling curves bend: towards a floor as the
loss nears its irreducible part, and at *breaks* where one regime gives way to another. Caballero et
al. (2023) write a smoothly broken power law with ``n`` breaks as

    y = a + b x**-c0 * prod_i (1 + (x / d_i)**(1 / f_i))**(-c_i f_i),

(their Eq. 1): the reducible part ``y - a`` falls with exponent ``c0`` below the first break ``d_1``,
and each break ``i`` adds ``c_i`` to the exponent; ``f_i`` sets how sharp the bend is.
"""

from __future__ import annotations

import numpy as np

from . import _checks


def _breaks(breaks) -> np.ndarray:
    """``breaks`` as an ``(n, 3)`` array of ``(c_i, d_i, f_i)`` with ``d_i, f_i > 0``."""
    try:
        arr = np.asarray(breaks, dtype=float).reshape(-1, 3)
    except (TypeError, ValueError):
        raise ValueError(f"breaks must be a sequence of (c, d, f) triples; got {breaks!r}") from None
    if not np.all(np.isfinite(arr)):
        raise ValueError("breaks must be finite")
    if np.any(arr[:, 1] <= 0) or np.any(arr[:, 2] <= 0):
        raise ValueError("breaks must have every break location d > 0 and sharpness f > 0")
    return arr


def broken_power_law(x, *, a: float, b: float, c0: float, breaks=()):
    """Caballero et al.'s broken neural scaling law at ``x``.

    Parameters
    ----------
    x : float or array_like
        Positive scale (parameters, tokens, FLOPs, ...).
    a : float
        Floor the curve approaches (>= 0), in the units of ``y``.
    b : float
        Scale of the reducible part (> 0).
    c0 : float
        Exponent of the reducible part before the first break.
    breaks : sequence of (c, d, f)
        Each break adds ``c`` to the exponent around ``x = d``; ``f`` (> 0) sets how gradual the bend
        is (the change happens over about ``f`` units of ``ln x`` either side of ``d``; small is
        sharp). No breaks gives ``a + b x**-c0``.
    """
    x = _checks.array(x, "x", positive=True)
    a = _checks.scalar(a, "a", nonnegative=True)
    b = _checks.scalar(b, "b", positive=True)
    c0 = _checks.scalar(c0, "c0")
    names = "x, b, c0 and breaks"
    log_y = _checks.finite(lambda: np.log(b) - c0 * np.log(x), names, "ln(y - a)")
    for c, d, f in _breaks(breaks):
        # log1p of exp(ln(x/d)/f), computed stably for large arguments
        log_y = _checks.finite(lambda: log_y - c * f * np.logaddexp(0.0, np.log(x / d) / f), names, "ln(y - a)")
    return _checks.finite(lambda: a + np.exp(log_y), "x, a, b, c0 and breaks", "the law")


def reducible_exponent(x, *, c0: float, breaks=()):
    """The local exponent ``-d ln(y - a) / d ln x`` of the reducible part of :func:`broken_power_law`:
    ``c0 + sum_i c_i z_i / (1 + z_i)`` with ``z_i = (x / d_i)**(1 / f_i)``; ``c0`` far below the
    first break and ``c0 + sum c_i`` far above the last."""
    x = _checks.array(x, "x", positive=True)
    c0 = _checks.scalar(c0, "c0")
    out = np.full(x.shape, c0)
    for c, d, f in _breaks(breaks):
        with np.errstate(over="ignore"):  # exp overflows far below a break: z/(1+z) is then 0
            out = out + c / (1.0 + np.exp(-np.log(x / d) / f))  # z/(1+z), stable
    return _checks.finite(out, "x, c0 and breaks", "the local exponent")


def apparent_exponent(x, *, A: float, alpha: float, E: float):
    """The exponent a log-log plot shows for ``E + A x**-alpha`` at ``x``: ``-d ln y / d ln x =
    alpha * A x**-alpha / (E + A x**-alpha)``, the true exponent times the reducible share of ``y``.

    It falls towards 0 as ``y`` nears the floor ``E``: a pure power law fitted there reads the
    saturation as a smaller exponent."""
    x = _checks.array(x, "x", positive=True)
    A = _checks.scalar(A, "A", positive=True)
    alpha = _checks.scalar(alpha, "alpha")
    E = _checks.scalar(E, "E", nonnegative=True)
    names = "x, A, alpha and E"
    reducible = _checks.finite(lambda: A * x ** (-alpha), names, "A x**-alpha")
    return _checks.finite(lambda: alpha * reducible / (E + reducible), names, "the apparent exponent")
