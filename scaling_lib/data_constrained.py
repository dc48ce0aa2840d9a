"""Muennighoff et al. (2023), *Scaling Data-Constrained Language Models*: what repeated data is worth.

Repeating ``U`` unique tokens for ``epochs`` epochs gives ``R = epochs - 1`` repetitions, worth
``D' = U + U R* (1 - exp(-R/R*))`` fresh tokens: almost fully at first, then less and less, never more
than ``U (1 + R*)``. The same form values parameters beyond the compute-optimal size with ``R*_N``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _checks
from .chinchilla import HOFFMANN_2022, loss
from .published import Source


@dataclass(frozen=True)
class RepetitionConstants:
    """Fitted decay constants: ``R_star_D`` for repeated data, ``R_star_N`` for excess parameters."""

    R_star_D: float
    R_star_N: float
    source: Source


MUENNIGHOFF_2023 = RepetitionConstants(R_star_D=15.4, R_star_N=5.3,
                                       source=Source("muennighoff2023scaling", "Sec. 3, fitted R*_D and R*_N"))


def effective_tokens(unique_tokens, epochs, *, r_star: float = MUENNIGHOFF_2023.R_star_D):
    """Fresh tokens that ``unique_tokens`` repeated for ``epochs`` epochs (>= 1) are worth."""
    u = _checks.array(unique_tokens, "unique_tokens", positive=True)
    e = _checks.array(epochs, "epochs")
    if np.any(e < 1):
        raise ValueError("epochs must be >= 1 (one pass over the unique tokens)")
    r_star = _checks.scalar(r_star, "r_star", positive=True)
    repeats = e - 1.0
    return _checks.result(u + u * r_star * (1.0 - np.exp(-repeats / r_star)))


def repeated_data_loss(n_params, unique_tokens, epochs, law=HOFFMANN_2022, *,
                       r_star: float = MUENNIGHOFF_2023.R_star_D):
    """The Chinchilla-form loss of a model trained for ``epochs`` epochs on ``unique_tokens``, with the
    data term evaluated at the effective tokens (the Chinchilla law with ``D -> D'``)."""
    return loss(n_params, effective_tokens(unique_tokens, epochs, r_star=r_star), law)
