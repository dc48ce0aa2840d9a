"""Counting parameters with and without embeddings, and what the choice does to a fitted exponent.

Kaplan et al. (2020) counted non-embedding parameters; Hoffmann et al. (2022) counted all of them.
Pearce & Song (2024) showed that the difference, large for small models, explains much of the gap
between the two papers' allocation exponents. The shape rule here is a stated assumption: a
transformer of width ``d`` has ``d / aspect`` layers and ``12 d**2`` non-embedding parameters per layer,
plus ``vocab * d`` embedding parameters.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize

from . import _checks
from .chinchilla import compute_optimal
from .powerlaw import fit_power_law

GPT2_VOCABULARY = 50_257  # tokens in the GPT-2 / GPT-3 vocabulary (Radford et al. 2019; Brown et al. 2020)


def width_for(non_embedding_params, *, aspect: float = 128.0):
    """The width ``d`` of a model with ``non_embedding_params = 12 d**3 / aspect`` (``aspect`` = d / layers)."""
    n = _checks.array(non_embedding_params, "non_embedding_params", positive=True)
    aspect = _checks.scalar(aspect, "aspect", positive=True)
    return _checks.result((n * aspect / 12.0) ** (1.0 / 3.0))


def total_params(non_embedding_params, *, vocab: int = GPT2_VOCABULARY, aspect: float = 128.0):
    """All parameters: non-embedding ones plus ``vocab * d`` for the token embedding."""
    n = _checks.array(non_embedding_params, "non_embedding_params", positive=True)
    v = _checks.scalar(vocab, "vocab", integer=True, positive=True)
    return _checks.result(n + v * np.asarray(width_for(n, aspect=aspect)))


def non_embedding_params(total, *, vocab: int = GPT2_VOCABULARY, aspect: float = 128.0):
    """Invert :func:`total_params`: the non-embedding parameters of a model with ``total`` parameters."""
    t = np.atleast_1d(_checks.array(total, "total", positive=True))
    out = np.array([optimize.brentq(lambda x: float(total_params(np.exp(x), vocab=vocab, aspect=aspect)) - v,
                                    -30.0, np.log(v)) for v in t])
    return _checks.result(np.exp(out) if np.ndim(total) else float(np.exp(out[0])))


def fitted_allocation_exponent(flops_budgets, law, *, count: str, vocab: int = GPT2_VOCABULARY,
                               aspect: float = 128.0) -> float:
    """The exponent ``a`` of ``N_opt ∝ C**a`` fitted over ``flops_budgets`` when the law's compute-optimal
    models (whose ``N`` counts all parameters) are counted as ``count`` = ``"total"`` or
    ``"non-embedding"``."""
    _checks.choice(count, "count", ("total", "non-embedding"))
    c = _checks.array(flops_budgets, "flops_budgets", positive=True, ndim=1, min_size=3)
    n = np.atleast_1d(compute_optimal(c, law).n_params)
    if count == "non-embedding":
        n = np.atleast_1d(non_embedding_params(n, vocab=vocab, aspect=aspect))
    return fit_power_law(1.0 / c, n).alpha
