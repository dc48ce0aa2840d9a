"""Hoffmann et al. (2022)'s parametric law and its compute-optimal allocation, in closed form.

The law is ``L(N, D) = E + A / N**alpha + B / D**beta``: loss in nats per token of a model of ``N``
parameters trained on ``D`` tokens. Under a budget of ``C = 6 N D`` FLOPs its minimum is

    N_opt = G (C/6)**a,  D_opt = (C/6)**b / G,  G = (alpha A / (beta B))**(1/(alpha+beta)),

with ``a = beta/(alpha+beta)`` and ``b = alpha/(alpha+beta)`` (Hoffmann et al. 2022, Sec. 3.3), and
the loss there, the efficient frontier, is ``E + K (C/6)**(-alpha beta/(alpha+beta))``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from .. import _checks
from ..published import Source


@dataclass(frozen=True)
class ParametricLaw:
    """The law ``L(N, D) = E + A/N**alpha + B/D**beta``, published or fitted.

    Attributes
    ----------
    E : float
        Irreducible loss, nats per token (>= 0).
    A, B : float
        Coefficients of the parameter and data terms, nats per token times parameters**alpha and
        tokens**beta (> 0).
    alpha, beta : float
        Exponents of parameters and of tokens (> 0).
    name : str
        A label for printing.
    source : Source or None
        The paper (``source.citation``, a key of ``references.bib``) and the place in it
        (``source.where``) for a published law; ``None`` for a fit.
    """

    E: float
    A: float
    B: float
    alpha: float
    beta: float
    name: str = ""
    source: Source | None = None

    def __post_init__(self):
        for attr in ("E", "A", "B", "alpha", "beta"):
            _checks.scalar(getattr(self, attr), attr, nonnegative=(attr == "E"), positive=(attr != "E"))
        _checks.text(self.name, "name")
        if self.source is not None:
            _checks.instance(self.source, "source", Source, "a scaling_lib.published.Source or None")

    @property
    def citation(self) -> str | None:
        """The bib key of the paper the law comes from (``None`` for a fit)."""
        return None if self.source is None else self.source.citation


#: Hoffmann et al. (2022), Approach 3, fitted on their own runs: Eq. (10), in App. D.2 (Sec. 3.3 gives
#: the method, Table 2 the exponent a = 0.46). The printed values are rounded: see
#: :data:`scaling_lib.chinchilla.replication.HOFFMANN_2022_UNROUNDED`.
HOFFMANN_2022 = ParametricLaw(E=1.69, A=406.4, B=410.7, alpha=0.34, beta=0.28,
                              name="Hoffmann et al. (2022), Approach 3",
                              source=Source("hoffmann2022training", "App. D.2, Eq. (10)"))

#: Besiroglu et al. (2024), their refit of the same objective on data reconstructed from Hoffmann
#: et al.'s Figure 4 (Table 1, Sec. 3).
BESIROGLU_2024 = ParametricLaw(E=1.82, A=482.01, B=2085.43, alpha=0.3478, beta=0.3658,
                               name="Besiroglu et al. (2024), refit",
                               source=Source("besiroglu2024chinchilla", "Table 1 / Sec. 3"))


#: The published laws under the labels the explorers show, the book's default first: the
#: replication's refit (the chapter ``chinchilla`` explains why), then the paper's own.
PUBLISHED_LAWS = MappingProxyType({"Besiroglu et al. (2024) refit": BESIROGLU_2024,
                                   "Hoffmann et al. (2022) Approach 3": HOFFMANN_2022})


#: Hoffmann et al. (2022), Table 2: the exponent ``a`` of ``N_opt ∝ C**a`` by approach (1, 2, 3); ``b``
#: is ``1 - a`` to the table's two decimals (0.50, 0.51, 0.54).
TABLE2_A = {1: 0.50, 2: 0.49, 3: 0.46}
TABLE2_SOURCE = Source("hoffmann2022training", "Table 2")


def _law(law) -> ParametricLaw:
    if isinstance(law, ParametricLaw):
        return law
    inner = getattr(law, "law", None)
    if isinstance(inner, ParametricLaw):
        return inner
    raise _checks.ArgumentTypeError(f"law must be a ParametricLaw (e.g. HOFFMANN_2022) or a fit result; "
                                    f"got {_checks._describe(law)}")


def loss(n_params, n_tokens, law=HOFFMANN_2022):
    """The law's loss for ``n_params`` parameters trained on ``n_tokens`` tokens.

    Parameters
    ----------
    n_params : float or array_like
        Model size, parameters (> 0).
    n_tokens : float or array_like
        Training tokens (> 0), broadcast against ``n_params``.
    law : ParametricLaw or fit result, default HOFFMANN_2022
        Any object with a ``ParametricLaw`` (a :class:`ParametricFit` works too).

    Returns
    -------
    float or ndarray
        Loss, nats per token.
    """
    law = _law(law)
    n = _checks.array(n_params, "n_params", positive=True)
    d = _checks.array(n_tokens, "n_tokens", positive=True)
    _checks.broadcastable(n_params=n, n_tokens=d)
    return _checks.finite(lambda: _loss(n, d, law), "n_params and n_tokens", "E + A/N**alpha + B/D**beta")


def _loss(n, d, law):
    """The law at validated ``n`` and ``d`` (no checks; may overflow to inf). ``law`` needs only the
    attributes ``E, A, B, alpha, beta``, which may be arrays: the Approach 3 bootstrap passes all its
    resampled laws at once."""
    return law.E + law.A * n ** -law.alpha + law.B * d ** -law.beta


def _g_factor(law):
    """``G = (alpha A / (beta B))**(1/(alpha+beta))`` (no checks; arrays allowed, as for :func:`_loss`)."""
    return (law.alpha * law.A / (law.beta * law.B)) ** (1.0 / (law.alpha + law.beta))


def _optimum(c, law) -> tuple:
    """``(N_opt, D_opt)`` at ``c`` FLOPs in closed form (no checks; arrays allowed, as for :func:`_loss`)."""
    a, b = law.beta / (law.alpha + law.beta), law.alpha / (law.alpha + law.beta)
    G = _g_factor(law)
    return G * (c / 6.0) ** a, (c / 6.0) ** b / G


def allocation_exponents(law=HOFFMANN_2022) -> tuple:
    """The exponents ``(a, b)`` of ``N_opt ∝ C**a`` and ``D_opt ∝ C**b``.

    ``a = beta/(alpha+beta)`` and ``b = alpha/(alpha+beta)``, so ``a + b = 1``.

    Parameters
    ----------
    law : ParametricLaw or fit result, default HOFFMANN_2022

    Returns
    -------
    (float, float)
    """
    law = _law(law)
    total = law.alpha + law.beta
    return law.beta / total, law.alpha / total


@dataclass(frozen=True)
class Allocation:
    """The compute-optimal model for a budget (arrays when the budget is an array).

    Attributes
    ----------
    flops : float or ndarray
        The budget, FLOPs.
    n_params : float or ndarray
        Optimal model size, parameters.
    n_tokens : float or ndarray
        Optimal training tokens.
    loss : float or ndarray
        The law's loss there (the efficient frontier), nats per token.
    tokens_per_parameter : float or ndarray
        ``n_tokens / n_params``.

    ``N, D = compute_optimal(C)`` unpacks to ``(n_params, n_tokens)``.
    """

    flops: object
    n_params: object
    n_tokens: object
    loss: object
    tokens_per_parameter: object

    def __iter__(self):
        return iter((self.n_params, self.n_tokens))


def compute_optimal(flops, law=HOFFMANN_2022) -> Allocation:
    """The model size and tokens that minimise the law's loss under ``flops = 6 N D`` (closed form).

    Parameters
    ----------
    flops : float or array_like
        Training budget, FLOPs (> 0).
    law : ParametricLaw or fit result, default HOFFMANN_2022

    Returns
    -------
    Allocation
        ``n_params = G (C/6)**a``, ``n_tokens = (C/6)**b / G``, the loss there and tokens per
        parameter.
    """
    law = _law(law)
    c = _checks.array(flops, "flops", positive=True)
    return _optimal(c, law, "flops")


def _optimal(c: np.ndarray, law: ParametricLaw, name: str) -> Allocation:
    """:func:`compute_optimal` of validated budgets ``c``; an overflow names the caller's ``name``."""
    names = f"{name} and law"
    _checks.finite(lambda: _g_factor(law), "law", "G = (alpha A / (beta B))**(1/(alpha+beta))")
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        n, d = _optimum(c, law)
    n = _checks.finite(n, names, "N_opt")
    d = _checks.finite(d, names, "D_opt")
    return Allocation(flops=_checks.result(c), n_params=n, n_tokens=d,
                      loss=_checks.finite(lambda: _loss(n, d, law), names, "the loss at the optimum"),
                      tokens_per_parameter=_checks.finite(lambda: d / n, names, "D_opt / N_opt"))


def frontier_loss(flops, law=HOFFMANN_2022):
    """The lowest loss reachable with ``flops`` FLOPs (the efficient frontier), nats per token.

    Parameters
    ----------
    flops : float or array_like
        Training budget, FLOPs (> 0).
    law : ParametricLaw or fit result, default HOFFMANN_2022
    """
    return compute_optimal(flops, law).loss


def compute_for_loss(target_loss, law=HOFFMANN_2022) -> float:
    """The FLOPs a compute-optimal model needs to reach ``target_loss``: the frontier inverted.

    The frontier is ``E + K (C/6)**(-gamma)`` with ``gamma = alpha beta / (alpha + beta)`` and
    ``K = A G**-alpha + B G**beta``, so the inverse is exact; ``inf`` if it exceeds the float range.

    Parameters
    ----------
    target_loss : float
        Loss to reach, nats per token; must be above the law's irreducible loss ``E``.
    law : ParametricLaw or fit result, default HOFFMANN_2022

    Returns
    -------
    float
        Training compute, FLOPs.

    Raises
    ------
    ValueError
        If ``target_loss`` is not a finite number above ``E`` (no budget reaches it).
    """
    law = _law(law)
    target = _checks.scalar(target_loss, "target_loss", positive=True)
    if target <= law.E:
        raise ValueError(f"target_loss must be above the irreducible loss E = {law.E}; got {target}")
    G = _g_factor(law)
    K = law.A * G ** -law.alpha + law.B * G ** law.beta
    gamma = law.alpha * law.beta / (law.alpha + law.beta)
    log_c = math.log(6.0) + (math.log(K) - math.log(target - law.E)) / gamma
    return math.exp(log_c) if log_c < 709.0 else math.inf


def iso_loss_tokens(n_params, target_loss, law=HOFFMANN_2022):
    """Tokens ``D`` at which a model of ``n_params`` reaches ``target_loss``: an iso-loss contour.

    Parameters
    ----------
    n_params : float or array_like
        Model sizes, parameters (> 0).
    target_loss : float
        The contour's loss, nats per token (> 0).
    law : ParametricLaw or fit result, default HOFFMANN_2022

    Returns
    -------
    float or ndarray
        Training tokens. Where the model can never reach the target, because
        ``E + A/N**alpha >= target_loss`` (always so when ``target_loss <= E``), the value is
        ``inf``, never NaN; it is ``inf`` too where the tokens needed exceed float64's range
        (about 1.8e308).
    """
    law = _law(law)
    n = _checks.array(n_params, "n_params", positive=True)
    target = _checks.scalar(target_loss, "target_loss", positive=True)
    room = target - law.E - law.A * n ** -law.alpha
    reachable = room > 0
    with np.errstate(over="ignore", divide="ignore"):
        d = np.where(reachable, (law.B / np.where(reachable, room, 1.0)) ** (1.0 / law.beta), np.inf)
    return _checks.result(d)
