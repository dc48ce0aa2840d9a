"""Precision in the law: training in low precision, and quantizing after training (Kumar et al. 2024).

**Training precision as fewer parameters** (their Sec. 4, Eqs. (3)-(4)). Training with weights,
activations and KV cache in ``P_w``, ``P_a``, ``P_kv`` bits behaves like a model with the *effective*
parameter count

    N_eff = N (1 - e**(-P_w/gamma_w)) (1 - e**(-P_a/gamma_a)) (1 - e**(-P_kv/gamma_kv)),

in a Chinchilla-form law ``L = A N_eff**-alpha + B D**-beta + E``. Their fitted constants (App. K,
Table 2) come with offsets ``n_x`` that the paper says its fits include, written as
``e**(x/gamma_x + n)``, and leaves out of its notation. The book reads each factor as
``1 - exp(n_x - P_x/gamma_x)``; with this reading the compute-optimal training precision of their
Eq. (5) comes out inside the "7-8 bits" the paper reports (Finding 3), and the factor vanishes at
``P_x = n_x gamma_x`` (2.3 bits for the KV cache, 3.1 for activations, close to the 3 bits at which the
paper reports unstable runs, App. L).

**Post-training quantization** (Sec. 3, Eq. (2)). Rounding a model trained in high precision to
``P_post`` bits adds

    delta_PTQ = C_T (D**gamma_D / N**gamma_N) exp(-P_post / gamma_post),

which grows with the training tokens ``D``: past some ``D`` more training makes the quantized model
worse. Table 2 gives ``C_T``, ``gamma_D`` and ``gamma_N`` by name; ``gamma_post`` is not labelled there
(the table has a bare ``gamma = 0.5907`` and ``b = 1.1277``), so :data:`KUMAR_2024` keeps them as
``gamma_post`` and ``post_offset`` under the same offset reading, and the chapter says so.

All constants were fitted on the paper's own runs (30M-220M parameters, up to 26B tokens of Dolma,
integer quantization); the paper itself warns they are unlikely to transfer (App. K).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize

from . import _checks
from ._report import PublishedConstants
from .published import Source

PARTS = ("weights", "activations", "kv_cache")


@dataclass(frozen=True)
class PrecisionLaw(PublishedConstants):
    """Kumar et al.'s precision-aware law and its constants.

    Attributes
    ----------
    A, alpha, B, beta, E : float
        The Chinchilla-form part, ``A N_eff**-alpha + B D**-beta + E`` (nats per token on their data).
    gamma : dict
        Sensitivity ``gamma_x`` of each part in :data:`PARTS`, bits.
    offset : dict
        The offset ``n_x`` of each part (dimensionless), read as ``1 - exp(n_x - P/gamma_x)``.
    C_T, gamma_D, gamma_N : float
        Post-training-quantization degradation, ``C_T D**gamma_D / N**gamma_N exp(...)``.
    gamma_post, post_offset : float
        The PTQ precision scale (bits) and its offset, read from Table 2's unlabelled ``gamma`` and ``b``.
    source : Source
    """

    A: float
    alpha: float
    B: float
    beta: float
    E: float
    gamma: dict
    offset: dict
    C_T: float
    gamma_D: float
    gamma_N: float
    gamma_post: float
    post_offset: float
    name: str = ""
    source: Source | None = None

    def __post_init__(self):
        for attr in ("A", "alpha", "B", "beta", "E", "C_T", "gamma_D", "gamma_N", "gamma_post"):
            _checks.scalar(getattr(self, attr), attr, positive=True)
        _checks.scalar(self.post_offset, "post_offset")
        for table in ("gamma", "offset"):
            value = getattr(self, table)
            if not isinstance(value, dict) or set(value) != set(PARTS):
                raise ValueError(f"{table} must be a dict with keys {PARTS}")


#: Kumar et al. (2024), App. K, Table 2 (alpha and beta tied, as the appendix states).
KUMAR_2024 = PrecisionLaw(
    A=4.299e3, alpha=0.4965, B=1.806e4, beta=0.4965, E=2.7648,
    gamma={"weights": 2.6745, "activations": 2.2102, "kv_cache": 0.9578},
    offset={"weights": 0.3037, "activations": 1.4072, "kv_cache": 2.4185},
    C_T=0.0598, gamma_D=0.5068, gamma_N=0.3439, gamma_post=0.5907, post_offset=1.1277,
    name="Kumar et al. (2024)", source=Source("kumar2024scaling", "Eqs. (2)-(5) and App. K, Table 2"))


def _law(law) -> PrecisionLaw:
    if not isinstance(law, PrecisionLaw):
        raise ValueError(f"law must be a PrecisionLaw (e.g. KUMAR_2024); got {law!r}")
    return law


def _bits(value, name):
    bits = _checks.array(value, name, positive=True)
    return bits


def precision_factor(bits, part: str = "weights", law: PrecisionLaw = KUMAR_2024, *, offsets: bool = True):
    """The factor ``1 - exp(n_x - P/gamma_x)`` by which training ``part`` in ``bits`` bits scales the
    effective parameter count (``offsets=False``: ``1 - exp(-P/gamma_x)``, the form as printed in
    Eq. (4)). 0 where the offset reading gives no capacity at all (``P <= n_x gamma_x``)."""
    return _factor(bits, "bits", part, law, offsets)


def _factor(bits, name, part, law, offsets):
    law = _law(law)
    _checks.choice(part, "part", PARTS)
    offsets = _checks.flag(offsets, "offsets")
    p = _bits(bits, name)
    shift = law.offset[part] if offsets else 0.0
    return _checks.result(np.maximum(1.0 - np.exp(shift - p / law.gamma[part]), 0.0))


def effective_parameters(n_params, weights=16.0, activations=16.0, kv_cache=16.0, law: PrecisionLaw = KUMAR_2024,
                         *, offsets: bool = True):
    """Effective parameter count ``N_eff`` of a model of ``n_params`` trained with the given bits for
    its weights, activations and KV cache (Eq. (4)); arrays broadcast."""
    n = _checks.array(n_params, "n_params", positive=True)
    parts = {"weights": weights, "activations": activations, "kv_cache": kv_cache}
    factors = {name: np.asarray(_factor(value, name, name, law, offsets)) for name, value in parts.items()}
    _checks.broadcastable(n_params=n, **factors)
    return _checks.result(n * factors["weights"] * factors["activations"] * factors["kv_cache"])


def training_loss(n_params, n_tokens, bits=16.0, law: PrecisionLaw = KUMAR_2024, *, offsets: bool = True):
    """Loss after training ``n_params`` parameters on ``n_tokens`` tokens with weights, activations and
    KV cache all in ``bits`` bits: ``A N_eff**-alpha + B D**-beta + E`` (Eq. (5)'s objective). ``inf``
    where the effective parameter count is 0."""
    law = _law(law)
    d = _checks.array(n_tokens, "n_tokens", positive=True)
    _bits(bits, "bits")
    n_eff = np.asarray(effective_parameters(n_params, bits, bits, bits, law, offsets=offsets))
    _checks.broadcastable(n_params=n_eff, n_tokens=d)
    with np.errstate(divide="ignore"):
        value = law.A * np.where(n_eff > 0, n_eff, 0.0) ** -law.alpha + law.B * d ** -law.beta + law.E
    return _checks.result(value)


def ptq_degradation(n_params, n_tokens, post_bits, law: PrecisionLaw = KUMAR_2024):
    """Loss added by quantizing a high-precision-trained model to ``post_bits`` bits after training
    (Eq. (2)): ``C_T D**gamma_D / N**gamma_N exp(b - P_post/gamma_post)``, nats per token, with the
    offset ``b`` read from Table 2 (see the module docstring)."""
    law = _law(law)
    n = _checks.array(n_params, "n_params", positive=True)
    d = _checks.array(n_tokens, "n_tokens", positive=True)
    p = _bits(post_bits, "post_bits")
    _checks.broadcastable(n_params=n, n_tokens=d, post_bits=p)
    scale = np.exp(law.post_offset - p / law.gamma_post)
    return _checks.finite(lambda: law.C_T * d ** law.gamma_D / n ** law.gamma_N * scale,
                          "n_params, n_tokens and post_bits", "the degradation")


def quantized_loss(n_params, n_tokens, post_bits, law: PrecisionLaw = KUMAR_2024):
    """Loss of a model trained in high precision and then quantized to ``post_bits`` bits: the
    Chinchilla-form loss (at 16 bits) plus :func:`ptq_degradation`."""
    base = np.asarray(training_loss(n_params, n_tokens, 16.0, law))
    return _checks.result(base + np.asarray(ptq_degradation(n_params, n_tokens, post_bits, law)))


def harmful_tokens(n_params: float, post_bits: float, law: PrecisionLaw = KUMAR_2024) -> float:
    """The training tokens beyond which more data makes the ``post_bits``-bit quantized model worse:
    where ``d/dD [B D**-beta + delta_PTQ(D)] = 0``, i.e. ``beta B D**-beta = gamma_D delta_PTQ(D)``;
    ``inf`` when more data still helps at 1e30 tokens (many bits: the degradation is negligible)."""
    law = _law(law)
    n = _checks.scalar(n_params, "n_params", positive=True)
    p = _checks.scalar(post_bits, "post_bits", positive=True)

    def slope(log_d):
        d = np.exp(log_d)
        return law.beta * law.B * d ** -law.beta - law.gamma_D * float(ptq_degradation(n, d, p, law))

    lo, hi = np.log(1e3), np.log(1e30)
    if slope(hi) > 0:
        return float("inf")
    if slope(lo) <= 0:
        raise ValueError(f"n_params and post_bits: quantization already undoes more data at 1e3 tokens "
                         f"(n_params = {n:g}, post_bits = {p:g})")
    return float(np.exp(optimize.brentq(slope, lo, hi, xtol=1e-12)))


def compute_optimal_bits(law: PrecisionLaw = KUMAR_2024, *, offsets: bool = True, low: float = 1.0,
                         high: float = 32.0) -> float:
    """The training precision that minimises the loss at a fixed budget ``C = (6/16) N D P`` when
    ``N``, ``D`` and ``P`` are all chosen (Eq. (5), all parts in ``P`` bits).

    With ``alpha = beta`` (as fitted) the best ``N`` for a given ``P`` leaves a loss proportional to
    ``(P / f(P))**(alpha/2)``, ``f`` the product of the three precision factors, so the optimum
    minimises ``P / f(P)``: it does not depend on the budget (the paper's Finding 3).
    """
    law = _law(law)
    offsets = _checks.flag(offsets, "offsets")
    lo = _checks.scalar(low, "low", positive=True, high=1e3)
    hi = _checks.scalar(high, "high", positive=True, high=1e3)
    if hi <= lo:
        raise ValueError(f"high must exceed low; got {lo} and {hi}")
    if law.alpha != law.beta:
        raise ValueError("compute_optimal_bits assumes alpha == beta, as Kumar et al. fit them")

    def cost(p):
        f = float(np.asarray(effective_parameters(1.0, p, p, p, law, offsets=offsets)))
        return np.log(p) - np.log(f) if f > 0 else 1e300

    grid = np.linspace(lo, hi, 3001)
    values = np.array([cost(p) for p in grid])
    best = int(np.argmin(values))
    left, right = grid[max(best - 1, 0)], grid[min(best + 1, grid.size - 1)]
    sol = optimize.minimize_scalar(cost, bounds=(left, right), method="bounded", options={"xatol": 1e-9})
    return float(sol.x)
