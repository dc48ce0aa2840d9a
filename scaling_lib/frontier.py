"""Where the frontier went after 2024: a compute-optimal law fitted for Llama 3, capability density
over time, and compute spent on reinforcement learning.

**Llama 3's law** (Dubey et al. 2024, Sec. 3.2.1). From IsoFLOP parabolas between 6e18 and 1e22 FLOPs,
the compute-optimal number of *training tokens* is ``D*(C) = A C**alpha``; the text gives
``(alpha, A) = (0.53, 0.29)`` and the legend of its Fig. 3 ``alpha = 0.537, A = 0.299``. Extrapolated to
3.8e25 FLOPs it suggests "a 402B parameter model on 16.55T tokens". The rounded constants give far
fewer tokens there (the exponent multiplies ``ln C`` of about 59), the legend's come close; here the
parameters follow from ``C = 6 N D``, which the paper's pair does not satisfy exactly.

**The densing law** (Xiao et al. 2024, abstract). A model's *capability density* is the ratio of its
*effective* parameter size (the size a reference family needs for the same score) to its actual size;
the maximum density of open base models "doubles approximately every three months". An exponential
trend ``rho(t) = rho_0 2**(t / T_double)`` is all the abstract states.

**RL compute** (Khatri et al. 2025). RL training's pass rate against training compute is fitted with a
sigmoid, ``R_C - R_0 = (A - R_0) / (1 + (C_mid / C)**B)``: an asymptote ``A``, an exponent ``B``
(efficiency) and a midpoint ``C_mid``. The book could read this form in two summaries of the paper, not
in the paper's own text; it is used here with stated, illustrative parameters only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _checks, compute
from .published import Source


@dataclass(frozen=True)
class TokenLaw:
    """A compute-optimal token law ``D*(C) = A C**alpha`` (tokens, for ``C`` in FLOPs)."""

    A: float
    alpha: float
    name: str = ""
    source: Source | None = None

    def __post_init__(self):
        _checks.scalar(self.A, "A", positive=True)
        _checks.scalar(self.alpha, "alpha", positive=True, high=1.0)
        _checks.text(self.name, "name")
        if self.source is not None:
            _checks.instance(self.source, "source", Source, "a scaling_lib.published.Source or None")

    def tokens(self, flops):
        """Compute-optimal training tokens at ``flops`` FLOPs."""
        c = _checks.array(flops, "flops", positive=True)
        return _checks.result(self.A * c ** self.alpha)

    def n_params(self, flops):
        """The parameters that ``C = 6 N D`` leaves for those tokens: ``C / (6 D*(C))``."""
        c = _checks.array(flops, "flops", positive=True)
        return _checks.result(compute._tokens_for_budget(c, np.asarray(self.tokens(c))))

    def tokens_per_parameter(self, flops):
        """``D* / N*`` at ``flops`` FLOPs: ``6 A**2 C**(2 alpha - 1)``, growing with compute when
        ``alpha > 1/2``."""
        c = _checks.array(flops, "flops", positive=True)
        return _checks.result(np.asarray(self.tokens(c)) / np.asarray(self.n_params(c)))


#: Dubey et al. (2024) ("The Llama 3 Herd of Models"), the fit as printed in the legend of Fig. 3:
#: alpha = 0.537, A = 0.299.
LLAMA3_2024 = TokenLaw(A=0.299, alpha=0.537, name="Llama 3 (Dubey et al. 2024), Fig. 3",
                       source=Source("grattafiori2024llama3", "Sec. 3.2.1, Fig. 3 legend"))
#: The same fit as the text of Sec. 3.2.1 rounds it: (alpha, A) = (0.53, 0.29).
LLAMA3_2024_ROUNDED = TokenLaw(A=0.29, alpha=0.53, name="Llama 3 (Dubey et al. 2024), as rounded in the text",
                               source=Source("grattafiori2024llama3", "Sec. 3.2.1"))
#: The paper's own extrapolation (Sec. 3.2.1): at 3.8e25 FLOPs, 402B parameters on 16.55T tokens.
LLAMA3_FLAGSHIP = {"flops": 3.8e25, "n_params": 402e9, "n_tokens": 16.55e12}

#: Xiao et al. (2024), abstract: maximum capability density doubles about every three months.
DENSING_DOUBLING_MONTHS = 3.0
DENSING_SOURCE = Source("xiao2024densing", "abstract")


def density_growth(months, doubling_months: float = DENSING_DOUBLING_MONTHS):
    """The factor by which an exponential trend that doubles every ``doubling_months`` months grows in
    ``months`` months: ``2**(months / doubling)``. Under the densing law, the parameters needed for a
    fixed capability shrink by the same factor."""
    t = _checks.array(months, "months")
    d = _checks.scalar(doubling_months, "doubling_months", positive=True, low=1e-6)
    if np.any(np.abs(t / d) > 1000):
        raise ValueError(f"months must be within 1000 doublings ({1000 * d:g} months) of now")
    return _checks.result(2.0 ** (t / d))


def doubling_time(times, values) -> float:
    """The doubling time (in the unit of ``times``) of the exponential fitted by least squares to
    positive ``values`` (``log2`` of the values linear in time); ``inf`` for a flat trend, negative for
    a falling one."""
    t = _checks.array(times, "times", ndim=1, min_size=2)
    v = _checks.array(values, "values", ndim=1, min_size=2, positive=True)
    _checks.same_shape(times=t, values=v)
    if np.ptp(t) == 0:
        raise ValueError("times must not all be equal")
    slope = np.polyfit(t, np.log2(v), 1)[0]
    return float("inf") if slope == 0 else float(1.0 / slope)


@dataclass(frozen=True)
class RLCurve:
    """The sigmoid ``R(C) = R_0 + (A - R_0) / (1 + (C_mid / C)**B)`` of pass rate against RL compute.

    Attributes
    ----------
    A : float
        Asymptotic pass rate (in (R_0, 1]).
    B : float
        Exponent (> 0): how steeply the rate rises around ``C_mid``.
    C_mid : float
        Compute at which half the gain ``A - R_0`` is reached (any unit: GPU-hours in the paper).
    R_0 : float
        Pass rate before RL training (in [0, 1)).
    """

    A: float
    B: float
    C_mid: float
    R_0: float = 0.0

    def __post_init__(self):
        _checks.scalar(self.R_0, "R_0", nonnegative=True, high=1.0)
        _checks.scalar(self.A, "A", high=1.0)
        if self.A <= self.R_0:
            raise ValueError(f"A must exceed R_0; got A = {self.A}, R_0 = {self.R_0}")
        _checks.scalar(self.B, "B", positive=True)
        _checks.scalar(self.C_mid, "C_mid", positive=True)

    def pass_rate(self, compute):
        """The curve's pass rate at ``compute`` (> 0, same unit as ``C_mid``)."""
        c = _checks.array(compute, "compute", positive=True)
        with np.errstate(over="ignore"):
            rate = self.R_0 + (self.A - self.R_0) / (1.0 + (self.C_mid / c) ** self.B)
        return _checks.result(rate)

    def compute_for(self, rate: float) -> float:
        """Compute at which the curve reaches ``rate`` (strictly between ``R_0`` and ``A``)."""
        r = _checks.scalar(rate, "rate")
        if not self.R_0 < r < self.A:
            raise ValueError(f"rate must be strictly between R_0 = {self.R_0} and A = {self.A}; got {r}")
        return float(self.C_mid * ((self.A - self.R_0) / (r - self.R_0) - 1.0) ** (-1.0 / self.B))
