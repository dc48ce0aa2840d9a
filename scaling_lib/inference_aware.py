"""Sizing a model when it will also be served: training plus inference compute (Sardana et al. 2024),
and the overhead of a smaller-than-optimal model (de Vries 2023).

For a target loss, every model size ``N`` large enough to reach it needs ``D(N)`` training tokens (the
iso-loss contour of a Chinchilla-form law); the lifetime compute is ``6 N D(N) + 2 N T`` for ``T``
tokens served. Expected demand ``T`` moves the cheapest ``N`` down and ``D`` up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize

from . import _checks
from .chinchilla import HOFFMANN_2022, _law, compute_optimal, iso_loss_tokens, loss


@dataclass(frozen=True)
class LifetimeOptimum:
    """The cheapest model reaching ``target_loss`` when ``inference_tokens`` will be served:
    ``n_params``, ``n_tokens``, ``training_flops``, ``inference_flops``, ``total_flops`` and
    ``tokens_per_parameter``."""

    target_loss: float
    inference_tokens: float
    n_params: float
    n_tokens: float
    training_flops: float
    inference_flops: float
    total_flops: float
    tokens_per_parameter: float


def lifetime_flops(n_params, target_loss: float, inference_tokens: float, law=HOFFMANN_2022):
    """Training plus inference FLOPs of a model of ``n_params`` trained to ``target_loss`` and then
    used on ``inference_tokens`` tokens (``inf`` where the model cannot reach the target)."""
    n = _checks.array(n_params, "n_params", positive=True)
    t = _checks.scalar(inference_tokens, "inference_tokens", nonnegative=True)
    d = np.asarray(iso_loss_tokens(n, target_loss, law))
    return _checks.result(6.0 * n * d + 2.0 * n * t)


def lifetime_optimum(target_loss: float, inference_tokens: float, law=HOFFMANN_2022) -> LifetimeOptimum:
    """Minimise :func:`lifetime_flops` over the model size (a bounded scalar search in ``ln N``)."""
    law = _law(law)
    target = _checks.scalar(target_loss, "target_loss", positive=True)
    t = _checks.scalar(inference_tokens, "inference_tokens", nonnegative=True)
    floor = law.E
    if target <= floor:
        raise ValueError(f"target_loss must be above the irreducible loss E = {floor}; got {target}")
    # the smallest model that can reach the target at all, then search upwards from just above it
    n_min = (law.A / (target - law.E)) ** (1.0 / law.alpha)
    cost = lambda x: float(np.log(lifetime_flops(np.exp(x), target, t, law)))
    sol = optimize.minimize_scalar(cost, bounds=(np.log(n_min) + 1e-6, np.log(n_min) + 40.0), method="bounded",
                                   options={"xatol": 1e-10})
    n = float(np.exp(sol.x))
    d = float(iso_loss_tokens(n, target, law))
    train, serve = 6.0 * n * d, 2.0 * n * t
    return LifetimeOptimum(target_loss=target, inference_tokens=t, n_params=n, n_tokens=d, training_flops=train,
                           inference_flops=serve, total_flops=train + serve, tokens_per_parameter=d / n)


def smaller_model_overhead(size_fraction, flops: float, law=HOFFMANN_2022):
    """Extra training compute, as a fraction, to bring a model ``size_fraction`` times the compute-optimal
    size for ``flops`` to the compute-optimal model's loss (de Vries 2023): ``inf`` when it cannot."""
    k = _checks.array(size_fraction, "size_fraction", positive=True)
    best = compute_optimal(flops, law)
    n = k * best.n_params
    d = np.asarray(iso_loss_tokens(n, float(best.loss) * (1 + 1e-12), law))
    return _checks.result(6.0 * n * d / float(best.flops) - 1.0)
