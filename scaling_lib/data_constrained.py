"""When the data runs out: repeated tokens (Muennighoff et al. 2023) and the stock of public text
(Villalobos et al. 2024).

Repeating ``U`` unique tokens for ``epochs`` epochs means ``R = epochs - 1`` repetitions. Muennighoff
et al. found them worth

    D' = U + U R* (1 - exp(-R / R*))

fresh tokens, with a fitted decay constant ``R*_D ≈ 15.4``: almost fully for the first few epochs, then
less and less, and never more than ``U (1 + R*)``. Parameters beyond the compute-optimal size for ``U``
tokens lose value the same way, with ``R*_N ≈ 5.3``. Their loss is the Chinchilla form with both
substitutions, ``L = E + A / N'**alpha + B / D'**beta``, and constants fitted on their own runs (C4,
GPT-2 tokenizer), so its loss values are not comparable with Hoffmann et al.'s.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

from . import _checks, chinchilla
from .compute import _tokens_for_budget, tokens_for_budget
from .published import Source


@dataclass(frozen=True)
class RepetitionLaw:
    """A Chinchilla-form ``law`` with the decay constants of repeated data (``r_star_d``) and of excess
    parameters (``r_star_n``), fitted together."""

    law: chinchilla.ParametricLaw
    r_star_d: float
    r_star_n: float
    source: Source

    def __post_init__(self):
        _checks.scalar(self.r_star_d, "r_star_d", positive=True)
        _checks.scalar(self.r_star_n, "r_star_n", positive=True)


_MUENNIGHOFF_SOURCE = Source(
    "muennighoff2023scaling",
    "the data-constrained scaling law (R*_D = 15.4, R*_N = 5.3); full-precision constants as published "
    "with the paper's code, github.com/huggingface/datablations (README, Parametric Fit)")

#: Muennighoff et al.'s fit: E = e^0.6254804, A = e^6.255414, B = e^7.3049974,
#: alpha = beta = 0.3526596, R*_D = 15.387756, R*_N = 5.309743.
MUENNIGHOFF_2023 = RepetitionLaw(
    law=chinchilla.ParametricLaw(E=math.exp(0.6254804), A=math.exp(6.255414), B=math.exp(7.3049974),
                                 alpha=0.3526596, beta=0.3526596,
                                 name="Muennighoff et al. (2023), data-constrained fit",
                                 source=_MUENNIGHOFF_SOURCE),
    r_star_d=15.387756, r_star_n=5.309743, source=_MUENNIGHOFF_SOURCE)


def _repetition_law(law) -> RepetitionLaw:
    if not isinstance(law, RepetitionLaw):
        raise ValueError(f"law must be a RepetitionLaw such as MUENNIGHOFF_2023; got {law!r}")
    return law


def _decayed(unique, repeats, r_star):
    """``U + U R* (1 - exp(-R/R*))``: what ``R`` repetitions of ``U`` are worth."""
    return unique + unique * r_star * -np.expm1(-repeats / r_star)


def effective_tokens(unique_tokens, epochs, *, r_star: float = MUENNIGHOFF_2023.r_star_d):
    """The fresh tokens that ``unique_tokens`` seen for ``epochs`` epochs are worth: ``D'``.

    Parameters
    ----------
    unique_tokens : float or array_like
        Distinct tokens in the training set, ``U`` (> 0).
    epochs : float or array_like
        Passes over them (>= 1; fractional passes allowed). ``R = epochs - 1`` are repetitions.
    r_star : float, default 15.387756
        Decay constant ``R*_D`` (Muennighoff et al.: 15.4). Larger means repeats keep their value longer.

    Returns
    -------
    float or ndarray
        Effective tokens: ``U`` at one epoch, never more than the ``U * epochs`` tokens seen, and
        approaching ``U (1 + r_star)`` as the epochs grow.
    """
    u = _checks.array(unique_tokens, "unique_tokens", positive=True)
    e = _checks.array(epochs, "epochs")
    if np.any(e < 1):
        raise ValueError(f"epochs must be >= 1 (one pass over the unique tokens); smallest is {e.min()}")
    r_star = _checks.scalar(r_star, "r_star", positive=True)
    return _checks.result(_decayed(u, e - 1.0, r_star))


def unique_tokens_equivalent(epochs, *, r_star: float = MUENNIGHOFF_2023.r_star_d):
    """The share of the tokens seen that repetition keeps: ``D' / (U * epochs)``, from 1 down to 0."""
    e = _checks.array(epochs, "epochs")
    return _checks.result(np.asarray(effective_tokens(1.0, e, r_star=r_star)) / e)


def _optimal_params_for_tokens(tokens, base: chinchilla.ParametricLaw):
    """The compute-optimal model size for a run of ``tokens`` tokens under ``base`` (``U_N`` in the
    paper): invert ``D_opt = (C/6)**b / G`` and use ``N_opt = G (C/6)**a``."""
    G = (base.alpha * base.A / (base.beta * base.B)) ** (1.0 / (base.alpha + base.beta))
    return G * (tokens * G) ** (base.beta / base.alpha)


def effective_params(n_params, unique_tokens, law: RepetitionLaw = MUENNIGHOFF_2023):
    """The parameters ``N'`` that count: beyond ``U_N``, the compute-optimal size for ``unique_tokens``
    fresh tokens, excess parameters lose value with the decay constant ``R*_N``."""
    law = _repetition_law(law)
    n = _checks.array(n_params, "n_params", positive=True)
    u = _checks.array(unique_tokens, "unique_tokens", positive=True)
    u_n = np.minimum(n, _optimal_params_for_tokens(u, law.law))
    return _checks.result(_decayed(u_n, n / u_n - 1.0, law.r_star_n))


def loss(n_params, n_tokens, unique_tokens, law: RepetitionLaw = MUENNIGHOFF_2023):
    """Muennighoff et al.'s data-constrained loss, nats per token on their validation data:
    ``E + A / N'**alpha + B / D'**beta`` for ``n_tokens`` tokens drawn from ``unique_tokens`` distinct ones.

    With ``n_tokens <= unique_tokens`` (no repetition) and a model no larger than compute-optimal for
    them, it is the plain Chinchilla-form law.
    """
    law = _repetition_law(law)
    n = _checks.array(n_params, "n_params", positive=True)
    d = _checks.array(n_tokens, "n_tokens", positive=True)
    u = _checks.array(unique_tokens, "unique_tokens", positive=True)
    u = np.minimum(u, d)  # fewer tokens than the stock: every token is fresh
    d_eff = _decayed(u, d / u - 1.0, law.r_star_d)
    n_eff = np.asarray(effective_params(n, u, law))
    base = law.law
    return _checks.result(base.E + base.A * n_eff ** -base.alpha + base.B * d_eff ** -base.beta)


def repeated_data_loss(n_params, unique_tokens, epochs, law: RepetitionLaw = MUENNIGHOFF_2023):
    """The predicted loss of ``n_params`` trained for ``epochs`` epochs on ``unique_tokens`` tokens."""
    u = _checks.array(unique_tokens, "unique_tokens", positive=True)
    e = _checks.array(epochs, "epochs")
    if np.any(e < 1):
        raise ValueError(f"epochs must be >= 1 (one pass over the unique tokens); smallest is {e.min()}")
    return loss(n_params, u * e, u, law)


@dataclass(frozen=True)
class ConstrainedAllocation:
    """The lowest-loss model for ``flops`` when only ``unique_tokens`` distinct tokens exist:
    ``n_params``, ``n_tokens`` (tokens seen), ``epochs``, ``loss``; and ``unconstrained_n_params`` and
    ``unconstrained_loss``, the same law's optimum with unlimited fresh data."""

    flops: float
    unique_tokens: float
    n_params: float
    n_tokens: float
    epochs: float
    loss: float
    unconstrained_n_params: float
    unconstrained_loss: float


def compute_optimal(flops: float, unique_tokens: float,
                    law: RepetitionLaw = MUENNIGHOFF_2023) -> ConstrainedAllocation:
    """Minimise :func:`loss` over the model size at ``flops = 6 N D`` with ``unique_tokens`` available
    (a bounded search in ``ln N`` around the unconstrained optimum)."""
    law = _repetition_law(law)
    c = _checks.scalar(flops, "flops", positive=True)
    u = _checks.scalar(unique_tokens, "unique_tokens", positive=True)
    free = chinchilla.compute_optimal(c, law.law)
    centre = math.log(float(free.n_params))

    def objective(x):
        n = math.exp(x)
        return float(loss(n, _tokens_for_budget(c, n), u, law))  # unchecked: the search's inner loop

    sol = optimize.minimize_scalar(objective, bounds=(centre - 12.0, centre + 12.0), method="bounded",
                                   options={"xatol": 1e-9})
    n = math.exp(sol.x)
    d = tokens_for_budget(c, n)
    return ConstrainedAllocation(flops=c, unique_tokens=u, n_params=n, n_tokens=d,
                                 epochs=max(d / u, 1.0), loss=float(sol.fun),
                                 unconstrained_n_params=float(free.n_params),
                                 unconstrained_loss=float(free.loss))


# ---- the stock of text ------------------------------------------------------------------------

@dataclass(frozen=True)
class TextStock:
    """A published estimate of the stock of usable text: ``tokens`` and the ``years`` between which,
    at the trends the authors assume, training sets reach it."""

    tokens: float
    years: tuple
    source: Source


#: Villalobos et al. (2024): an effective stock of about 300 trillion tokens of human-generated public
#: text, fully used between about 2026 and 2032 if current trends continue.
VILLALOBOS_2024 = TextStock(tokens=3e14, years=(2026, 2032), source=Source("villalobos2024will", "abstract"))


@dataclass(frozen=True)
class DatasetTrend:
    """An exponential trend ``log10 tokens = intercept + slope * year`` fitted to training-set sizes.

    Attributes: ``slope`` (decades per year) and its ``slope_interval`` (95 %, Student t);
    ``growth_per_year`` (``10**slope``); ``years`` and ``tokens`` (the points fitted).
    """

    slope: float
    intercept: float
    slope_interval: tuple
    years: np.ndarray
    tokens: np.ndarray

    @property
    def growth_per_year(self) -> float:
        return float(10.0**self.slope)

    def predict(self, year):
        """Tokens the trend gives in ``year``."""
        y = _checks.array(year, "year")
        return _checks.result(10.0 ** (self.intercept + self.slope * y))

    def year_reaching(self, tokens: float) -> tuple:
        """``(central, early, late)``: the year the trend reaches ``tokens``; early and late tilt the
        slope to the ends of its 95 % interval about the mean of the fitted points (``inf`` if the
        interval allows no growth)."""
        target = math.log10(_checks.scalar(tokens, "tokens", positive=True))
        pivot = float(self.years.mean())
        level = self.intercept + self.slope * pivot
        out = []
        for s in (self.slope, self.slope_interval[1], self.slope_interval[0]):
            out.append(pivot + (target - level) / s if s > 0 else math.inf)
        return tuple(float(y) for y in out)


def fit_dataset_trend(years, tokens) -> DatasetTrend:
    """Least-squares line through ``log10 tokens`` against ``years`` (at least 3 points, 2 distinct
    years); its slope interval is the 95 % Student-t interval."""
    y = _checks.array(years, "years", ndim=1, min_size=3)
    t = _checks.array(tokens, "tokens", positive=True, ndim=1, min_size=3)
    _checks.same_shape(years=y, tokens=t)
    if np.unique(y).size < 2:
        raise ValueError("years must contain at least two distinct values")
    fit = stats.linregress(y, np.log10(t))
    half = stats.t.ppf(0.975, y.size - 2) * fit.stderr
    return DatasetTrend(slope=float(fit.slope), intercept=float(fit.intercept),
                        slope_interval=(float(fit.slope - half), float(fit.slope + half)), years=y, tokens=t)


def largest_per_year(years, tokens) -> tuple:
    """``(years, tokens)`` keeping the largest training set of each year: the frontier of data use."""
    y = _checks.array(years, "years", ndim=1)
    t = _checks.array(tokens, "tokens", positive=True, ndim=1)
    _checks.same_shape(years=y, tokens=t)
    keep = sorted(set(y.tolist()))
    return np.array(keep), np.array([t[y == k].max() for k in keep])
