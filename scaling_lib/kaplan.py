"""Kaplan et al. (2020), *Scaling Laws for Neural Language Models*: the published constants.

Losses are in nats per token on WebText2 with a 1024-token context; ``N`` counts non-embedding
parameters; ``C_c`` is in PF-days as in the paper.
"""

from __future__ import annotations

from dataclasses import dataclass

from .published import Source


@dataclass(frozen=True)
class KaplanConstants:
    """The fitted constants of Kaplan et al. (2020), Sec. 1.2 (Eqs. 1.1-1.3) and Table 5."""

    alpha_N: float
    N_c: float  # non-embedding parameters
    alpha_D: float
    D_c: float  # tokens
    alpha_C: float
    C_c: float  # PF-days (compute-efficient frontier, C_min)
    source: Source


KAPLAN_2020 = KaplanConstants(
    alpha_N=0.076, N_c=8.8e13, alpha_D=0.095, D_c=5.4e13, alpha_C=0.050, C_c=3.1e8,
    source=Source("kaplan2020scaling", "Sec. 1.2, Eqs. (1.1)-(1.3)"),
)
