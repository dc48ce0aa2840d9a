"""Kaplan et al. (2020), *Scaling Laws for Neural Language Models*: the published constants and laws.

Losses are in nats per token on WebText2 with a 1024-token context; ``N`` counts non-embedding
parameters; compute in the paper's laws is in PF-days (``scaling_lib.compute`` converts FLOPs).
The laws hold when the other resources are not the bottleneck (Table 4 of the paper).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _checks
from .compute import PF_DAY_FLOPS
from .published import Source


@dataclass(frozen=True)
class KaplanConstants:
    """The fitted constants of Kaplan et al. (2020).

    Table 5: ``alpha_N``, ``N_c`` (non-embedding parameters); ``alpha_D``, ``D_c`` (tokens);
    ``alpha_C``, ``C_c`` (PF-days, the compute-efficient frontier C_min); ``alpha_B``, ``B_star``
    (critical batch, tokens); ``alpha_S``, ``S_c`` (steps). Table 6, the compute-efficient
    allocation ``X = X_e * C_min**p_X`` with C_min in PF-days: ``N_e``, ``p_N`` (parameters);
    ``B_e``, ``p_B`` (batch, tokens); ``S_e``, ``p_S`` (steps); ``D_e``, ``p_D`` (tokens).
    Eq. (4.4), the data needed to keep overfitting small: ``D >= overfit_coefficient * N**overfit_exponent``.
    """

    alpha_N: float
    N_c: float
    alpha_D: float
    D_c: float
    alpha_C: float
    C_c: float
    alpha_B: float
    B_star: float
    alpha_S: float
    S_c: float
    N_e: float
    p_N: float
    B_e: float
    p_B: float
    S_e: float
    p_S: float
    D_e: float
    p_D: float
    overfit_coefficient: float
    overfit_exponent: float
    source: Source


KAPLAN_2020 = KaplanConstants(
    alpha_N=0.076, N_c=8.8e13, alpha_D=0.095, D_c=5.4e13, alpha_C=0.050, C_c=3.1e8,
    alpha_B=0.21, B_star=2.1e8, alpha_S=0.76, S_c=2.1e3,
    N_e=1.3e9, p_N=0.73, B_e=2.0e6, p_B=0.24, S_e=5.4e3, p_S=0.03, D_e=2e10, p_D=0.27,
    overfit_coefficient=5e3, overfit_exponent=0.74,
    source=Source("kaplan2020scaling", "Tables 5 and 6; Eqs. (1.1)-(1.6) and (4.4)"),
)

K = KAPLAN_2020


def loss_n(n_params):
    """``L(N) = (N_c/N)**alpha_N``: the loss of a model of ``n_params`` non-embedding parameters
    trained to convergence on ample data (nats per token)."""
    n = _checks.array(n_params, "n_params", positive=True)
    return _checks.result((K.N_c / n) ** K.alpha_N)


def loss_d(n_tokens):
    """``L(D) = (D_c/D)**alpha_D``: the loss of a large model trained with early stopping on
    ``n_tokens`` tokens (nats per token)."""
    d = _checks.array(n_tokens, "n_tokens", positive=True)
    return _checks.result((K.D_c / d) ** K.alpha_D)


def loss_nd(n_params, n_tokens):
    """``L(N, D) = [(N_c/N)**(alpha_N/alpha_D) + D_c/D]**alpha_D`` (Eq. 1.5), early stopping."""
    n = _checks.array(n_params, "n_params", positive=True)
    d = _checks.array(n_tokens, "n_tokens", positive=True)
    return _checks.result(((K.N_c / n) ** (K.alpha_N / K.alpha_D) + K.D_c / d) ** K.alpha_D)


def loss_c(flops):
    """``L(C_min) = (C_c/C_min)**alpha_C``: the loss on the compute-efficient frontier, for
    ``flops`` training FLOPs (converted to PF-days)."""
    c = _checks.array(flops, "flops", positive=True) / PF_DAY_FLOPS
    return _checks.result((K.C_c / c) ** K.alpha_C)


def loss_ns(n_params, steps):
    """``L(N, S) = (N_c/N)**alpha_N + (S_c/S)**alpha_S`` (Eq. 1.6): the learning curve of a model
    of ``n_params`` after ``steps`` optimizer steps at the critical batch size."""
    n = _checks.array(n_params, "n_params", positive=True)
    s = _checks.array(steps, "steps", positive=True)
    return _checks.result((K.N_c / n) ** K.alpha_N + (K.S_c / s) ** K.alpha_S)


def critical_batch(loss_value):
    """``B_crit(L) = B_star / L**(1/alpha_B)``, in tokens (Eq. 1.4): beyond it, a larger batch no longer
    buys proportionally fewer steps."""
    l = _checks.array(loss_value, "loss_value", positive=True)
    return _checks.result(K.B_star / l ** (1.0 / K.alpha_B))


def tokens_to_avoid_overfitting(n_params):
    """``D = 5e3 * N**0.74`` (Eq. 4.4): the tokens a model of ``n_params`` needs before the penalty of
    finite data falls below about 2 % of the loss."""
    n = _checks.array(n_params, "n_params", positive=True)
    return _checks.result(K.overfit_coefficient * n ** K.overfit_exponent)


@dataclass(frozen=True)
class KaplanAllocation:
    """Kaplan et al.'s compute-efficient choice for a budget (Table 6): ``flops``, ``n_params``
    (non-embedding), ``batch_tokens``, ``steps`` (a lower bound), ``n_tokens`` (one epoch, Table 6's
    D_opt), ``tokens_per_parameter`` and the predicted ``loss`` on the frontier."""

    flops: object
    n_params: object
    batch_tokens: object
    steps: object
    n_tokens: object
    tokens_per_parameter: object
    loss: object

    def __iter__(self):
        return iter((self.n_params, self.n_tokens))


def compute_efficient(flops) -> KaplanAllocation:
    """Kaplan et al.'s allocation of ``flops`` FLOPs: ``N = 1.3e9 C**0.73``, ``B = 2e6 C**0.24`` tokens and
    ``S = 5.4e3 C**0.03`` steps, with C in PF-days (Table 6); tokens ``D = C/(6N)``, which grows as
    ``C**0.27`` like Table 6's one-epoch ``D_opt = 2e10 C**0.27`` but spends exactly the budget
    (Table 6's scale gives 6ND about 1.8 C)."""
    c = _checks.array(flops, "flops", positive=True)
    pf = c / PF_DAY_FLOPS
    n = K.N_e * pf**K.p_N
    d = c / (6.0 * n)
    return KaplanAllocation(flops=_checks.result(c), n_params=_checks.result(n),
                            batch_tokens=_checks.result(K.B_e * pf**K.p_B),
                            steps=_checks.result(K.S_e * pf**K.p_S), n_tokens=_checks.result(d),
                            tokens_per_parameter=_checks.result(d / n), loss=loss_c(c))


def growth_for_compute(multiplier: float, a: float, b: float | None = None) -> tuple:
    """How much larger the model and the data get when compute grows ``multiplier``-fold under
    ``N ∝ C**a`` and ``D ∝ C**b`` (``b = 1 - a`` by default, as C = 6ND requires)."""
    m = _checks.scalar(multiplier, "multiplier", positive=True)
    a = _checks.scalar(a, "a", low=0.0, high=1.0)
    b = 1.0 - a if b is None else _checks.scalar(b, "b", low=0.0, high=1.0)
    return float(m**a), float(m**b)
