"""Distillation scaling law (Busbridge et al. 2025): a student's loss from its size, its distillation
tokens and its teacher's loss.

**Supervised law** (their Eq. (1), restated as Eq. (40)): ``L(N, D) = E + (A/N**alpha + B/D**beta)**gamma``
nats per token, with ``N`` parameters and ``D`` tokens.

**Distillation law** (their Eq. (8), restated as Eq. (46)): a student of ``N_S`` parameters distilled
on ``D_S`` tokens from a teacher whose own loss is ``L_T`` reaches

    L_S = L_T + L_T**-c0 (1 + (L_T / (L~_S d1))**(1/f1))**(-c1 f1) (A'/N_S**alpha' + B'/D_S**beta')**gamma',

where ``L~_S = L(N_S, D_S)`` is what the student would reach by supervised training. An infinitely
capable student matches its teacher (``L_S -> L_T``), and so does a student of a useless teacher; the
middle factor makes a too-strong teacher hurt, the *capacity gap*, with the transition where
``L_T / L~_S = d1``. Constants (App. F.3, Table 6) were fitted on the paper's runs (143M to 12.6B
parameters, English C4, muP), in pure distillation (``lambda = 1``, temperature 1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize

from . import _checks
from ._report import PublishedConstants
from .published import Source


@dataclass(frozen=True)
class SupervisedLaw:
    """``L(N, D) = E + (A/N**alpha + B/D**beta)**gamma`` (Busbridge et al.'s Eq. (1))."""

    A: float
    B: float
    E: float
    alpha: float
    beta: float
    gamma: float
    source: Source | None = None

    def __post_init__(self):
        for attr in ("A", "B", "E", "alpha", "beta", "gamma"):
            _checks.scalar(getattr(self, attr), attr, positive=True)
        if self.source is not None:
            _checks.instance(self.source, "source", Source, "a scaling_lib.published.Source or None")

    def loss(self, n_params, n_tokens):
        """Supervised loss (nats per token) of ``n_params`` parameters on ``n_tokens`` tokens;
        ``n_tokens = inf`` (a scalar) gives the model's floor ``E + (A N**-alpha)**gamma``."""
        n = _checks.array(n_params, "n_params", positive=True)
        d = _tokens(n_tokens)
        _checks.broadcastable(n_params=n, n_tokens=d)
        data_term = 0.0 if np.isinf(d).any() else self.B / d ** self.beta
        return _checks.finite(lambda: self.E + (self.A / n ** self.alpha + data_term) ** self.gamma,
                              "n_params and n_tokens", "the supervised loss")

    def allocation_exponents(self) -> tuple:
        """``(a, b) = (beta, alpha) / (alpha + beta)``: ``N_opt ∝ C**a``, ``D_opt ∝ C**b``."""
        total = self.alpha + self.beta
        return self.beta / total, self.alpha / total


@dataclass(frozen=True)
class DistillationLaw(PublishedConstants):
    """Busbridge et al.'s Eq. (8) with its fitted coefficients; ``supervised`` gives ``L~_S``."""

    A: float
    B: float
    alpha: float
    beta: float
    gamma: float
    c0: float
    c1: float
    f1: float
    d1: float
    supervised: SupervisedLaw
    source: Source | None = None

    def __post_init__(self):
        for attr in ("A", "B", "alpha", "beta", "gamma", "c0", "c1", "f1", "d1"):
            _checks.scalar(getattr(self, attr), attr, positive=True)
        if not isinstance(self.supervised, SupervisedLaw):
            raise ValueError("supervised must be a SupervisedLaw")


_SOURCE = Source("busbridge2025distillation", "Eqs. (1) and (8); App. F.3, Table 6")
#: Busbridge et al. (2025), Table 6, "Supervised" column.
BUSBRIDGE_2025_SUPERVISED = SupervisedLaw(A=3355.0, B=18186.0, E=1.220, alpha=0.408, beta=0.431, gamma=0.452,
                                          source=_SOURCE)
#: Busbridge et al. (2025), Table 6, "Distillation" column.
BUSBRIDGE_2025 = DistillationLaw(A=2243.0, B=24181.0, alpha=0.321, beta=0.637, gamma=0.764, c0=2.549, c1=522.6,
                                 f1=0.090, d1=1.315, supervised=BUSBRIDGE_2025_SUPERVISED, source=_SOURCE)


def _tokens(n_tokens, name: str = "n_tokens") -> np.ndarray:
    """Training tokens: positive numbers, or the scalar ``inf`` for unlimited data."""
    if isinstance(n_tokens, (float, np.floating)) and np.isposinf(n_tokens):
        return np.asarray(np.inf)
    return _checks.array(n_tokens, name, positive=True)


def _law(law) -> DistillationLaw:
    if not isinstance(law, DistillationLaw):
        raise ValueError(f"law must be a DistillationLaw (e.g. BUSBRIDGE_2025); got {law!r}")
    return law


def student_loss(n_student, n_tokens, teacher_loss, law: DistillationLaw = BUSBRIDGE_2025):
    """The distilled student's loss (nats per token) by Eq. (8).

    Parameters
    ----------
    n_student : float or array_like
        Student parameters ``N_S`` (> 0).
    n_tokens : float or array_like
        Distillation tokens ``D_S`` (> 0; ``inf`` for unlimited data).
    teacher_loss : float or array_like
        The teacher's own loss ``L_T``, nats per token (> 0).
    law : DistillationLaw, default BUSBRIDGE_2025
    """
    law = _law(law)
    n = _checks.array(n_student, "n_student", positive=True)
    lt = _checks.array(teacher_loss, "teacher_loss", positive=True)
    if np.any(lt < 1e-3) or np.any(lt > 1e3):
        raise ValueError("teacher_loss must be between 1e-3 and 1e3 nats per token")
    d = _tokens(n_tokens)
    _checks.broadcastable(n_student=n, n_tokens=d, teacher_loss=lt)
    supervised = np.asarray(law.supervised.loss(n, n_tokens))
    data_term = 0.0 if np.isinf(d).any() else law.B / d ** law.beta

    def value():
        gap = (1.0 + (lt / (supervised * law.d1)) ** (1.0 / law.f1)) ** (-law.c1 * law.f1)
        return lt + lt ** -law.c0 * gap * (law.A / n ** law.alpha + data_term) ** law.gamma

    with np.errstate(under="ignore"):
        return _checks.finite(value, "n_student, n_tokens and teacher_loss", "the student loss")


def best_teacher_loss(n_student, n_tokens, law: DistillationLaw = BUSBRIDGE_2025, *, low: float = 1.0,
                      high: float = 6.0) -> tuple:
    """The teacher loss in ``[low, high]`` that gives the student of ``n_student`` parameters on
    ``n_tokens`` tokens its lowest loss, and that loss: ``(teacher_loss, student_loss)``. A stronger
    teacher than this one makes the student worse (the capacity gap)."""
    law = _law(law)
    n = _checks.scalar(n_student, "n_student", positive=True)
    lo = _checks.scalar(low, "low", low=1e-3, high=1e3)
    hi = _checks.scalar(high, "high", low=1e-3, high=1e3)
    if hi <= lo:
        raise ValueError(f"high must exceed low; got {lo} and {hi}")
    if isinstance(n_tokens, (float, np.floating)) and np.isposinf(n_tokens):
        d = float("inf")
    else:
        d = _checks.scalar(n_tokens, "n_tokens", positive=True)
    grid = np.linspace(lo, hi, 2001)
    values = np.asarray(student_loss(n, d, grid, law))
    i = int(np.argmin(values))
    sol = optimize.minimize_scalar(lambda lt: float(student_loss(n, d, lt, law)),
                                   bounds=(grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)]), method="bounded",
                                   options={"xatol": 1e-10})
    return float(sol.x), float(sol.fun)
