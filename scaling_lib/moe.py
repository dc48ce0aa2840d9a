"""Mixture-of-experts models: active against total parameters, and a law with granularity.

A mixture-of-experts (MoE) layer replaces a transformer's feed-forward block with many "experts",
of which a router sends each token through a few. So a model has two sizes: its **total** parameters
(what must be stored) and its **active** parameters (what each token passes through). Training
compute follows the active count: ``C ≈ 6 N_active D`` FLOPs (the routing itself left out).

**Krajewski et al. (2024)** vary the *granularity* ``G`` (each expert ``1/G`` the size of a dense
feed-forward block, ``G`` times as many chosen per token, so active parameters stay fixed) at a fixed
expansion rate ``E = 64`` (total over active parameters of a MoE layer; ``E G`` experts in all,
their Eq. (3)). Their joint law (Eq. (9), constants in Table 1) is

    L(N, D, G) = c + (g / G**gamma + a) / N**alpha + b / D**beta      nats per token,

with ``N`` the total non-embedding parameters and ``D`` the training tokens; the dense fit drops the
``g`` term. They count ``N = d_model**2 (8E + 4) n_blocks`` and ``12 d_model**2 n_blocks`` active
parameters per token outside the router (Sec. 6.1), so ``N = N_active (8E + 4) / 12``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize

from . import _checks, compute
from ._report import PublishedConstants
from .published import Source


@dataclass(frozen=True)
class GranularLaw(PublishedConstants):
    """Krajewski et al.'s law ``c + (g / G**gamma + a) / N**alpha + b / D**beta`` (their Eq. (9)).

    Attributes
    ----------
    a, alpha : float
        Coefficient and exponent of the parameter term (> 0); ``N`` is total non-embedding parameters.
    b, beta : float
        Coefficient and exponent of the data term (> 0); ``D`` is training tokens.
    g, gamma : float
        Coefficient and exponent of the granularity term (>= 0; ``g = 0`` is a dense model).
    c : float
        The irreducible loss, nats per token.
    name : str
    source : Source or None
    """

    a: float
    alpha: float
    b: float
    beta: float
    g: float
    gamma: float
    c: float
    name: str = ""
    source: Source | None = None

    def __post_init__(self):
        for attr in ("a", "alpha", "b", "beta"):
            _checks.scalar(getattr(self, attr), attr, positive=True)
        for attr in ("g", "gamma", "c"):
            _checks.scalar(getattr(self, attr), attr, nonnegative=True)
        _checks.text(self.name, "name")
        if self.source is not None:
            _checks.instance(self.source, "source", Source, "a scaling_lib.published.Source or None")

    @property
    def dense(self) -> bool:
        """Whether the law has no granularity term (a dense model's law)."""
        return self.g == 0


#: Krajewski et al. (2024), Table 1, "MoE" row: expansion rate E = 64.
KRAJEWSKI_2024_MOE = GranularLaw(a=18.1, alpha=0.115, b=30.8, beta=0.147, g=2.1, gamma=0.58, c=0.47,
                                 name="Krajewski et al. (2024), MoE (E = 64)",
                                 source=Source("krajewski2024scaling", "Eq. (9) and Table 1"))
#: Krajewski et al. (2024), Table 1, "Dense" row (their Eq. (1) fitted to dense transformers).
KRAJEWSKI_2024_DENSE = GranularLaw(a=16.3, alpha=0.126, b=26.7, beta=0.127, g=0.0, gamma=0.0, c=0.47,
                                   name="Krajewski et al. (2024), dense",
                                   source=Source("krajewski2024scaling", "Eq. (1) and Table 1"))
#: The expansion rate of every MoE model Krajewski et al. fit (Sec. 5).
KRAJEWSKI_EXPANSION = 64

#: Krajewski et al. (2024), Table 2: compute-optimal MoE models their law predicts, as
#: ``(active parameters, training tokens, granularity, FLOPs, loss)``; the table names each model
#: ``64 x N_active``.
KRAJEWSKI_2024_TABLE2 = (
    (100e6, 4.37e9, 8, 2.95e18, 3.133),
    (1e9, 28.94e9, 16, 1.93e20, 2.491),
    (3e9, 72.90e9, 16, 1.41e21, 2.245),
    (7e9, 137.60e9, 32, 6.46e21, 2.076),
    (70e9, 941.07e9, 32, 4.16e23, 1.694),
    (300e9, 2.96e12, 64, 5.69e24, 1.503),
    (1e12, 7.94e12, 64, 4.97e25, 1.367),
)
KRAJEWSKI_2024_TABLE2_SOURCE = Source("krajewski2024scaling", "Table 2")


def _law(law, name: str = "law") -> GranularLaw:
    return _checks.instance(law, name, GranularLaw, "a GranularLaw (e.g. KRAJEWSKI_2024_MOE)")


def granular_loss(n_params, n_tokens, granularity=1.0, law: GranularLaw = KRAJEWSKI_2024_MOE):
    """The loss of Krajewski et al.'s law (nats per token, on their data and tokenizer).

    Parameters
    ----------
    n_params : float or array_like
        Total non-embedding parameters ``N`` (> 0).
    n_tokens : float or array_like
        Training tokens ``D`` (> 0).
    granularity : float or array_like, default 1
        ``G`` (>= 1); ignored by a dense law.
    law : GranularLaw, default KRAJEWSKI_2024_MOE
    """
    law = _law(law)
    n = _checks.array(n_params, "n_params", positive=True)
    d = _checks.array(n_tokens, "n_tokens", positive=True)
    g = _checks.array(granularity, "granularity", positive=True)
    if np.any(g < 1):
        raise ValueError("granularity must be >= 1")
    _checks.broadcastable(n_params=n, n_tokens=d, granularity=g)
    return _checks.result(law.c + (law.g / g ** law.gamma + law.a) / n ** law.alpha + law.b / d ** law.beta)


def total_from_active(n_active, expansion: float = KRAJEWSKI_EXPANSION):
    """Total parameters of Krajewski et al.'s MoE models from their active ones: ``N_active (8E + 4) / 12``
    (Sec. 6.1: ``d**2 (8E + 4)`` total and ``12 d**2`` active per block)."""
    n = _checks.array(n_active, "n_active", positive=True)
    e = _checks.scalar(expansion, "expansion", low=1, high=1e6)
    return _checks.finite(lambda: n * (8.0 * e + 4.0) / 12.0, "n_active and expansion", "the total count")


def training_flops(n_active, n_tokens):
    """Training compute ``6 N_active D`` FLOPs: each token passes through the active parameters only
    (the router's own FLOPs left out; Krajewski et al.'s Eq. (10) adds them)."""
    n = _checks.array(n_active, "n_active", positive=True)
    d = _checks.array(n_tokens, "n_tokens", positive=True)
    _checks.broadcastable(n_active=n, n_tokens=d)
    return _checks.finite(lambda: compute._training_flops(n, d), "n_active and n_tokens", "6 N_active D")


@dataclass(frozen=True)
class MoEOptimum:
    """The lowest loss a law reaches at ``flops`` FLOPs (``6 N_active D``): ``n_active``, ``n_total``,
    ``n_tokens``, ``granularity`` and ``loss`` (nats per token)."""

    flops: float
    n_active: float
    n_total: float
    n_tokens: float
    granularity: float
    loss: float


def compute_optimal(flops: float, law: GranularLaw = KRAJEWSKI_2024_MOE, *, granularity: float = 8.0,
                    expansion: float = KRAJEWSKI_EXPANSION) -> MoEOptimum:
    """Minimise the law's loss over model size at a training budget of ``flops`` FLOPs.

    For a MoE law the budget buys ``D = C / (6 N_active)`` tokens with ``N_total = N_active (8E + 4)/12``
    at the given ``granularity``; for a dense law ``N_active = N_total``. Routing FLOPs are left out,
    which favours high granularity (Krajewski et al. charge them, Eq. (10), and find the optimal ``G``
    grows with the budget, Table 2).
    """
    law = _law(law)
    c = _checks.scalar(flops, "flops", positive=True, high=1e40)
    g = _checks.scalar(granularity, "granularity", low=1)
    ratio = 1.0 if law.dense else float(total_from_active(1.0, expansion))

    def loss_at(log_active):
        active = np.exp(log_active)
        return float(granular_loss(active * ratio, compute._tokens_for_budget(c, active), g, law))

    lo, hi = np.log(1e3), np.log(compute._tokens_for_budget(c, 1e3))  # the largest model that sees 1e3 tokens
    if hi <= lo:
        raise ValueError(f"flops must be at least 6e6 for a search over model sizes; got {c}")
    sol = optimize.minimize_scalar(loss_at, bounds=(lo, hi), method="bounded", options={"xatol": 1e-9})
    active = float(np.exp(sol.x))
    return MoEOptimum(flops=c, n_active=active, n_total=active * ratio, n_tokens=compute._tokens_for_budget(c, active),
                      granularity=g, loss=float(sol.fun))


@dataclass(frozen=True)
class ModelReading:
    """How one trained model reads under the two parameter counts: ``name``; ``n_total`` and
    ``n_active`` parameters; ``n_tokens``; ``flops`` (``6 N_active D``); ``flops_if_dense``
    (``6 N_total D``, what a reading by total parameters implies); tokens per active and per total
    parameter."""

    name: str
    n_total: float
    n_active: float
    n_tokens: float
    flops: float
    flops_if_dense: float
    tokens_per_active: float
    tokens_per_total: float


def read_model(name: str, n_total: float, n_active: float, n_tokens: float) -> ModelReading:
    """Read a MoE model both ways (``n_active <= n_total``; a dense model has them equal)."""
    total = _checks.scalar(n_total, "n_total", positive=True, high=1e20)
    active = _checks.scalar(n_active, "n_active", positive=True)
    if active > total:
        raise ValueError(f"n_active must not exceed n_total; got {active} > {total}")
    if total / active > 1e12:
        raise ValueError(f"n_active must be at least 1e-12 of n_total; got {active:g} of {total:g}")
    d = _checks.scalar(n_tokens, "n_tokens", positive=True, high=1e20)
    _checks.text(name, "name")
    return ModelReading(name=name, n_total=total, n_active=active, n_tokens=d, flops=compute._training_flops(active, d),
                        flops_if_dense=compute._training_flops(total, d), tokens_per_active=d / active, tokens_per_total=d / total)


def dense_compute_multiplier(flops, law: GranularLaw = KRAJEWSKI_2024_MOE,
                             dense: GranularLaw = KRAJEWSKI_2024_DENSE, *, granularity: float = 8.0,
                             expansion: float = KRAJEWSKI_EXPANSION) -> float:
    """How many times ``flops`` a compute-optimal dense model needs to reach the loss of the
    compute-optimal MoE model at ``flops`` FLOPs (both by :func:`compute_optimal`, routing FLOPs left
    out): the MoE's efficiency gain as a compute multiplier."""
    c = _checks.scalar(flops, "flops", positive=True, high=1e40)
    _law(law)
    _law(dense, "dense")
    if not dense.dense:
        raise ValueError("dense must be a dense law (g = 0), e.g. KRAJEWSKI_2024_DENSE")
    target = compute_optimal(c, law, granularity=granularity, expansion=expansion).loss

    def gap(log_c):
        return compute_optimal(10.0 ** log_c, dense).loss - target

    lo, hi = np.log10(c) - 6.0, np.log10(c) + 12.0
    if gap(lo) < 0 or gap(hi) > 0:
        raise ValueError(f"the dense law does not reach the MoE loss within 1e-6 to 1e12 times {c:g} FLOPs")
    return float(10.0 ** optimize.brentq(gap, lo, hi, xtol=1e-10) / c)


def sparsity(n_total, n_active):
    """Abnar et al.'s sparsity of a MoE model: the fraction of its parameters that a token does not
    use, ``1 - N_active / N_total`` (0 for a dense model)."""
    total = _checks.array(n_total, "n_total", positive=True)
    active = _checks.array(n_active, "n_active", positive=True)
    if np.any(active > total):
        raise ValueError("n_active must not exceed n_total")
    return _checks.result(1.0 - active / total)
