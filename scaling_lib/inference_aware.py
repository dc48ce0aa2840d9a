"""Sizing a model for its whole life: training plus inference (Sardana et al. 2024), and the compute
overhead of a model smaller than compute-optimal (de Vries 2023).

For a target loss, a model of ``N`` parameters needs ``D(N)`` training tokens to reach it (the
iso-loss contour of a Chinchilla-form law), so its lifetime compute is ``6 N D(N) + 2 N T`` FLOPs for
``T`` tokens served. With ``T = 0`` the cheapest ``N`` is the compute-optimal one; the more tokens it
will serve, the smaller the cheapest model and the longer it trains.

de Vries's overhead: a model ``k`` times the compute-optimal size reaches the compute-optimal loss
with ``k_D`` times the tokens, where

    k_D = (1 - (k**-alpha - 1) * beta / alpha) ** (-1 / beta),

and costs ``k * k_D - 1`` more compute. It depends only on ``alpha`` and ``beta``, not on the budget.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from . import _checks, chinchilla
from .compute import _inference_flops, _training_flops, training_flops


def _law(law):
    """A Chinchilla-form law (a ``ParametricLaw`` or a fit carrying one), checked through chinchilla."""
    chinchilla.allocation_exponents(law)  # raises naming ``law`` for anything else
    return law


def _target(target_loss, law) -> float:
    target = _checks.scalar(target_loss, "target_loss", positive=True)
    if target <= law.E:
        raise ValueError(f"target_loss must be above the irreducible loss E = {law.E}; got {target}")
    return target


@dataclass(frozen=True)
class LifetimeOptimum:
    """The cheapest model reaching ``target_loss`` when ``inference_tokens`` will be served.

    Attributes: ``n_params``, ``n_tokens`` (training), ``tokens_per_parameter``; ``training_flops``,
    ``inference_flops``, ``total_flops``; and for comparison ``chinchilla_n_params`` and
    ``chinchilla_total_flops``, the compute-optimal model for the same loss and its lifetime compute
    serving the same tokens; ``saving`` is the fraction of that compute the optimum saves.
    """

    target_loss: float
    inference_tokens: float
    n_params: float
    n_tokens: float
    tokens_per_parameter: float
    training_flops: float
    inference_flops: float
    total_flops: float
    chinchilla_n_params: float
    chinchilla_total_flops: float

    @property
    def saving(self) -> float:
        return 1.0 - self.total_flops / self.chinchilla_total_flops


def smallest_model(target_loss: float, law=chinchilla.HOFFMANN_2022) -> float:
    """The size below which no amount of data reaches ``target_loss``: ``E + A/N**alpha = target``."""
    law = _law(law)
    target = _target(target_loss, law)
    return _checks.finite(lambda: (law.A / (target - law.E)) ** (1.0 / law.alpha), "target_loss and law",
                          "(A / (target - E))**(1/alpha)")


def lifetime_flops(n_params, target_loss: float, inference_tokens: float, law=chinchilla.HOFFMANN_2022):
    """Training plus inference FLOPs, ``6 N D(N) + 2 N T``, of a model of ``n_params`` trained to
    ``target_loss`` and then used on ``inference_tokens`` tokens (``inf`` where ``n_params`` is too small
    ever to reach the target)."""
    law = _law(law)
    n = _checks.array(n_params, "n_params", positive=True)
    t = _checks.scalar(inference_tokens, "inference_tokens", nonnegative=True)
    d = np.asarray(chinchilla.iso_loss_tokens(n, target_loss, law))
    with np.errstate(over="ignore", invalid="ignore"):
        total = _training_flops(n, d) + _inference_flops(n, t)  # unchecked: d is inf out of reach
    # inf where the model cannot reach the target (d is inf); anywhere else it is an overflow
    _checks.finite(np.where(np.isinf(d), 0.0, total), "n_params and inference_tokens", "6 N D + 2 N T")
    return _checks.result(total)


def lifetime_optimum(target_loss: float, inference_tokens: float, law=chinchilla.HOFFMANN_2022) -> LifetimeOptimum:
    """Minimise :func:`lifetime_flops` over the model size for ``target_loss`` (nats/token, above the
    law's ``E``) and ``inference_tokens`` tokens served (>= 0).

    The search is a bounded scalar minimisation in ``ln N`` from just above :func:`smallest_model`;
    the lifetime compute is convex enough there that it finds the single minimum."""
    law = _law(law)
    target = _target(target_loss, law)
    t = _checks.scalar(inference_tokens, "inference_tokens", nonnegative=True)
    names = "target_loss, inference_tokens and law"
    n_min = smallest_model(target, law)
    scale = float(chinchilla.compute_for_loss(target, law))
    if not (math.isfinite(scale) and scale > 0 and n_min > 0 and math.isfinite(math.log(n_min) + 30.0)):
        raise ValueError(f"target_loss: the compute to reach {target} ({scale:.3g} FLOPs) or the smallest "
                         f"model that can ({n_min:.3g} parameters) is beyond float64's range")

    def cost(x):
        n = math.exp(x)
        with np.errstate(over="ignore", invalid="ignore"):
            d = np.asarray(chinchilla.iso_loss_tokens(n, target, law))
            return float(_training_flops(n, d) + _inference_flops(n, t)) / scale  # unchecked: the search

    lo = math.log(n_min) + 1e-9
    sol = optimize.minimize_scalar(cost, bounds=(lo, lo + 30.0), method="bounded", options={"xatol": 1e-10})
    n = math.exp(sol.x)
    d = float(chinchilla.iso_loss_tokens(n, target, law))
    best = chinchilla.compute_optimal(scale, law)
    n_c = float(best.n_params)
    f = _checks.finite
    return LifetimeOptimum(target_loss=target, inference_tokens=t, n_params=n, n_tokens=f(d, names, "D"),
                           tokens_per_parameter=d / n, training_flops=f(lambda: _training_flops(n, d), names, "6 N D"),
                           inference_flops=f(lambda: _inference_flops(n, t), names, "2 N T"),
                           total_flops=f(lambda: _training_flops(n, d) + _inference_flops(n, t), names,
                                         "6 N D + 2 N T"),
                           chinchilla_n_params=n_c,
                           chinchilla_total_flops=f(lambda: scale + _inference_flops(n_c, t), names, "C + 2 N T"))


def compute_overhead(size_fraction, law=chinchilla.HOFFMANN_2022):
    """Extra training compute, as a fraction, for a model ``size_fraction`` times the compute-optimal
    size to reach the compute-optimal model's loss (de Vries 2023): ``k * k_D - 1``.

    The same at every budget. ``inf`` at or below :func:`minimum_size_fraction`, where no amount of
    data reaches the loss; negative never (the compute-optimal model is the cheapest).
    """
    law = _law(law)
    k = _checks.array(size_fraction, "size_fraction", positive=True)
    room = 1.0 - (k ** -law.alpha - 1.0) * law.beta / law.alpha
    with np.errstate(divide="ignore", invalid="ignore"):
        k_d = np.where(room > 0, np.where(room > 0, room, 1.0) ** (-1.0 / law.beta), np.inf)
    return _checks.result(k * k_d - 1.0)


def minimum_size_fraction(law=chinchilla.HOFFMANN_2022) -> float:
    """The smallest fraction of the compute-optimal size that can reach its loss at all:
    ``(1 + alpha/beta)**(-1/alpha)``, where :func:`compute_overhead` becomes infinite."""
    law = _law(law)
    return float((1.0 + law.alpha / law.beta) ** (-1.0 / law.alpha))


def size_fraction_for_overhead(overhead: float, law=chinchilla.HOFFMANN_2022) -> float:
    """The model-size fraction whose :func:`compute_overhead` equals ``overhead`` (> 0); de Vries calls
    the fraction at 100 % overhead the *critical model size*."""
    law = _law(law)
    target = _checks.scalar(overhead, "overhead", positive=True)
    lo = minimum_size_fraction(law) * (1 + 1e-12)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        at_lo = float(compute_overhead(lo, law))
    # the overhead falls from its value just above the minimum fraction to 0 at k = 1; a target
    # beyond that value lies closer to the minimum fraction than float64 resolves
    if not target < at_lo:
        raise ValueError(f"overhead must be below {at_lo:.3g}, the overhead of the smallest model float64 can "
                         f"distinguish from the minimum size fraction {lo:.6g}; got {target}")

    def excess(k):
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return float(compute_overhead(k, law)) - target

    return float(optimize.brentq(excess, lo, 1.0, xtol=1e-14))


def implied_inference_tokens(n_params, n_tokens, law=chinchilla.HOFFMANN_2022):
    """The tokens served, ``T``, for which a model of ``n_params`` trained on ``n_tokens`` is the
    lifetime optimum for its own loss: where ``d/dN [6 N D(N) + 2 N T] = 0`` along the iso-loss contour,

        T = 3 D (alpha A N**-alpha / (beta B D**-beta) - 1).

    Zero for a compute-optimal model; negative for a model larger than compute-optimal (no amount of
    serving justifies it)."""
    law = _law(law)
    n = _checks.array(n_params, "n_params", positive=True)
    d = _checks.array(n_tokens, "n_tokens", positive=True)
    _checks.broadcastable(n_params=n, n_tokens=d)
    names = "n_params and n_tokens"
    ratio = _checks.finite(lambda: (law.alpha * law.A * n ** -law.alpha) / (law.beta * law.B * d ** -law.beta),
                           names, "alpha A N**-alpha / (beta B D**-beta)")
    return _checks.finite(lambda: 3.0 * d * (ratio - 1.0), names, "T")


@dataclass(frozen=True)
class TrainedModel:
    """A model of ``n_params`` trained on ``n_tokens`` read through a law: its ``loss``; ``flops``
    (``6 N D``); ``optimal_flops`` and ``optimal_n_params``, the compute-optimal model reaching the same
    loss; ``size_fraction`` (``n_params / optimal_n_params``); ``overhead`` (extra compute over the
    optimum, as a fraction); ``tokens_per_parameter`` and the optimum's
    ``optimal_tokens_per_parameter``."""

    n_params: float
    n_tokens: float
    loss: float
    flops: float
    optimal_flops: float
    optimal_n_params: float
    size_fraction: float
    overhead: float
    tokens_per_parameter: float
    optimal_tokens_per_parameter: float


def overtraining(n_params: float, n_tokens: float, law=chinchilla.HOFFMANN_2022) -> TrainedModel:
    """How far a trained model sits from the compute-optimal one of equal loss under ``law``."""
    law = _law(law)
    n = _checks.scalar(n_params, "n_params", positive=True)
    d = _checks.scalar(n_tokens, "n_tokens", positive=True)
    names = "n_params and n_tokens"
    value = float(chinchilla.loss(n, d, law))
    c_opt = chinchilla.compute_for_loss(value, law)
    flops = training_flops(n, d)
    if not (math.isfinite(c_opt) and c_opt > 0 and flops > 0):
        raise ValueError(f"{names}: the compute of this model ({flops:.3g} FLOPs) or of the compute-optimal "
                         f"model of equal loss ({c_opt:.3g}) is beyond float64's range")
    best = chinchilla.compute_optimal(c_opt, law)
    return TrainedModel(n_params=n, n_tokens=d, loss=value, flops=flops, optimal_flops=c_opt,
                        optimal_n_params=float(best.n_params), size_fraction=n / float(best.n_params),
                        overhead=_checks.finite(lambda: flops / c_opt - 1.0, names, "the overhead"),
                        tokens_per_parameter=d / n,
                        optimal_tokens_per_parameter=float(best.tokens_per_parameter))
