"""Kaplan et al. (2020), *Scaling Laws for Neural Language Models*: the published constants and laws.

Losses are in nats per token on WebText2 with a 1024-token context; ``N`` counts non-embedding
parameters; the paper quotes compute in PF-days, and every function here takes FLOPs
(``scaling_lib.compute`` converts). Each law holds when the other resources are not the bottleneck
(the paper's Table 4).

Two conventions of the paper matter for reading its numbers:

* **C_min and C.** The compute-efficient frontier is written in ``C_min``, the compute a run would
  need at a batch far below the critical batch size. Training at the critical batch size, the
  paper's recommended compromise between time and compute, takes twice as many tokens and FLOPs
  (Sec. 5.1 and Eq. 6.7: ``C = 2 C_min``). :func:`compute_efficient` takes a real budget ``C`` spent
  that way; Hoffmann et al. (2022, App. D.4) read Kaplan's rule the same way.
* **Single fits and joint fits.** ``L(N)``, ``L(D)`` and ``L(C_min)`` have their own fits (Table 5,
  Eqs. 1.1-1.3); the combined laws ``L(N, D)`` and ``L(N, S)`` were fitted again as a whole (Tables 2
  and 3), with slightly different constants. Both sets are in :data:`KAPLAN_2020`; the combined laws
  use the joint fits by default (``fit="joint"``), and ``fit="separate"`` plugs in Table 5's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import _checks
from .compute import PF_DAY_FLOPS, _tokens_for_budget
from .published import Source


@dataclass(frozen=True)
class KaplanConstants:
    """The fitted constants and the training set-up of Kaplan et al. (2020).

    Table 5 (Eqs. 1.1-1.4, 1.6): ``alpha_N``, ``N_c`` (non-embedding parameters); ``alpha_D``, ``D_c``
    (tokens); ``alpha_C_min``, ``C_c_min`` (the paper's ``alpha_C^min`` and ``C_c^min``, PF-days: the
    compute-efficient frontier ``L(C_min)``, Eqs. 1.3 and 6.3); ``alpha_C``, ``C_c`` (PF-days: the
    fixed-batch law ``L(C)`` of Eq. 3.3, runs at ``2**19`` tokens per batch, which the paper calls
    naive in Table 4); ``alpha_B``, ``B_star`` (critical batch, tokens); ``alpha_S``, ``S_c`` (steps).

    Table 2, the joint fit of ``L(N, D)``: ``alpha_N_nd``, ``alpha_D_nd``, ``N_c_nd``, ``D_c_nd``.
    Table 3, the joint fit of ``L(N, S)``: ``alpha_N_ns``, ``N_c_ns`` (with ``alpha_S`` and ``S_c``).

    Table 6, the compute-efficient allocation ``X = X_e * C_min**p_X`` with ``C_min`` in PF-days:
    ``N_e``, ``p_N`` (parameters); ``B_e``, ``p_B`` (batch, tokens); ``S_e``, ``p_S`` (minimum steps);
    ``D_e``, ``p_D`` (tokens, one epoch). Eq. (6.7) writes the same one-epoch data differently,
    ``D = eq67_D_e * C_min**eq67_p_D`` tokens (4e10 and 0.26): about twice Table 6's ``D_e``.

    Eq. (4.4), data that keeps overfitting small: ``D >= overfit_coefficient * N**overfit_exponent``;
    ``seed_loss_variation`` is the run-to-run spread of the loss behind it (Sec. 4.2).

    The training set-up (Secs. 2.2 and 3): ``train_batch_tokens`` (512 sequences of 1024 tokens),
    ``train_steps``, ``warmup_steps`` (linear warm-up, then cosine decay to zero over the run).
    """

    alpha_N: float
    N_c: float
    alpha_D: float
    D_c: float
    alpha_C_min: float
    C_c_min: float
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
    eq67_D_e: float
    eq67_p_D: float
    overfit_coefficient: float
    overfit_exponent: float
    alpha_N_nd: float
    alpha_D_nd: float
    N_c_nd: float
    D_c_nd: float
    alpha_N_ns: float
    N_c_ns: float
    seed_loss_variation: float
    train_batch_tokens: int
    train_steps: int
    warmup_steps: int
    source: Source


KAPLAN_2020 = KaplanConstants(
    alpha_N=0.076, N_c=8.8e13, alpha_D=0.095, D_c=5.4e13, alpha_C_min=0.050, C_c_min=3.1e8,
    alpha_C=0.057, C_c=1.6e7,
    alpha_B=0.21, B_star=2.1e8, alpha_S=0.76, S_c=2.1e3,
    N_e=1.3e9, p_N=0.73, B_e=2.0e6, p_B=0.24, S_e=5.4e3, p_S=0.03, D_e=2e10, p_D=0.27,
    eq67_D_e=4e10, eq67_p_D=0.26,
    overfit_coefficient=5e3, overfit_exponent=0.74,
    alpha_N_nd=0.076, alpha_D_nd=0.103, N_c_nd=6.4e13, D_c_nd=1.8e13,
    alpha_N_ns=0.077, N_c_ns=6.5e13,
    seed_loss_variation=0.02, train_batch_tokens=2**19, train_steps=250_000, warmup_steps=3000,
    source=Source("kaplan2020scaling", "Tables 2, 3, 5 and 6; Eqs. (1.1)-(1.6), (3.3), (4.4), (6.7); Secs. 2.2, 4.2"),
)

K = KAPLAN_2020
_FITS = ("joint", "separate")


# ---- the single laws (Table 5) --------------------------------------------------------------------

def loss_n(n_params):
    """``L(N) = (N_c/N)**alpha_N`` (Eq. 1.1), in nats per token.

    Parameters
    ----------
    n_params : float or array
        Non-embedding parameters of a model trained to convergence on ample data.
    """
    n = _checks.array(n_params, "n_params", positive=True)
    return _checks.finite(lambda: (K.N_c / n) ** K.alpha_N, "n_params", "L(N)")


def loss_d(n_tokens):
    """``L(D) = (D_c/D)**alpha_D`` (Eq. 1.2), in nats per token: a large model trained with early
    stopping on a dataset of ``n_tokens`` tokens."""
    d = _checks.array(n_tokens, "n_tokens", positive=True)
    return _checks.finite(lambda: (K.D_c / d) ** K.alpha_D, "n_tokens", "L(D)")


def loss_c(min_flops):
    """``L(C_min) = (C_c^min/C_min)**alpha_C^min`` (Eq. 1.3), in nats per token: the compute-efficient
    frontier, for a minimum compute of ``min_flops`` FLOPs (converted to PF-days), with Table 5's
    ``alpha_C_min`` and ``C_c_min``.

    ``C_min`` is the compute at a batch far below the critical one; a run at the critical batch size
    spends ``2 C_min`` (see :func:`compute_efficient`).
    """
    c = _checks.array(min_flops, "min_flops", positive=True) / PF_DAY_FLOPS
    return _checks.finite(lambda: (K.C_c_min / c) ** K.alpha_C_min, "min_flops", "L(C_min)")


# ---- model size and data together (Table 2) ------------------------------------------------------

def _nd_constants(fit: str) -> tuple:
    _checks.choice(fit, "fit", _FITS)
    if fit == "joint":
        return K.alpha_N_nd, K.alpha_D_nd, K.N_c_nd, K.D_c_nd
    return K.alpha_N, K.alpha_D, K.N_c, K.D_c


def loss_nd(n_params, n_tokens, *, fit: str = "joint"):
    """``L(N, D) = [(N_c/N)**(alpha_N/alpha_D) + D_c/D]**alpha_D`` (Eq. 1.5), in nats per token: the
    early-stopped loss of ``n_params`` non-embedding parameters trained on ``n_tokens`` tokens.

    ``fit="joint"`` uses the fit of this law to all the runs (Table 2); ``fit="separate"`` uses the
    constants of ``L(N)`` and ``L(D)`` (Table 5), so that the law tends exactly to :func:`loss_n` as
    ``D`` grows and to :func:`loss_d` as ``N`` grows.
    """
    alpha_n, alpha_d, n_c, d_c = _nd_constants(fit)
    n = _checks.array(n_params, "n_params", positive=True)
    d = _checks.array(n_tokens, "n_tokens", positive=True)
    _checks.broadcastable(n_params=n, n_tokens=d)
    return _checks.finite(lambda: ((n_c / n) ** (alpha_n / alpha_d) + d_c / d) ** alpha_d,
                          "n_params and n_tokens", "L(N, D)")


def overfitting_penalty(n_params, n_tokens):
    """``delta L = L(N, D)/L(N, inf) - 1`` (Eqs. 4.2-4.3, Table 2's fit): the fraction by which finite
    data raises the early-stopped loss above the converged loss of the same model.

    It depends on ``N`` and ``D`` only through ``N**(alpha_N/alpha_D) / D``.
    """
    n = _checks.array(n_params, "n_params", positive=True)
    d = _checks.array(n_tokens, "n_tokens", positive=True)
    _checks.broadcastable(n_params=n, n_tokens=d)
    ratio = _checks.finite(lambda: (n / K.N_c_nd) ** (K.alpha_N_nd / K.alpha_D_nd) * K.D_c_nd / d,
                           "n_params and n_tokens", "N**(alpha_N/alpha_D) / D")
    return _checks.finite(lambda: (1.0 + ratio) ** K.alpha_D_nd - 1.0, "n_params and n_tokens", "the penalty")


def tokens_to_avoid_overfitting(n_params, *, penalty: float | None = None):
    """Tokens a model of ``n_params`` non-embedding parameters needs to keep overfitting small.

    With ``penalty=None``, the paper's rule ``D = 5e3 * N**0.74`` (Eq. 4.4), set where the penalty
    falls to the loss's run-to-run variation of about 0.02. With a number, the exact solution of
    :func:`overfitting_penalty` ``= penalty`` under Table 2's fit, from which Eq. (4.4) is rounded.
    """
    n = _checks.array(n_params, "n_params", positive=True)
    if penalty is None:
        return _checks.finite(lambda: K.overfit_coefficient * n ** K.overfit_exponent, "n_params", "5e3 N**0.74")
    p = _checks.scalar(penalty, "penalty", positive=True)
    slack = _checks.finite(lambda: np.expm1(np.log1p(p) / K.alpha_D_nd), "penalty", "(1 + penalty)**(1/alpha_D) - 1")
    if slack == 0:
        raise ValueError(f"penalty must be large enough to differ from 0 in float64; got {p}")
    return _checks.finite(lambda: K.D_c_nd * (n / K.N_c_nd) ** (K.alpha_N_nd / K.alpha_D_nd) / slack,
                          "n_params and penalty", "the tokens")


# ---- training time: learning curves and the critical batch (Table 3, Sec. 5) -----------------------

def _ns_constants(fit: str) -> tuple:
    _checks.choice(fit, "fit", _FITS)
    return (K.alpha_N_ns, K.N_c_ns) if fit == "joint" else (K.alpha_N, K.N_c)


def loss_ns(n_params, steps, *, fit: str = "joint"):
    """``L(N, S) = (N_c/N)**alpha_N + (S_c/S_min)**alpha_S`` (Eq. 1.6), in nats per token: the learning
    curve of ``n_params`` non-embedding parameters on unlimited data.

    ``steps`` is ``S_min``, the number of optimizer steps at a batch far above the critical one (the
    fewest steps that reach the loss; Eq. 5.4 converts other batches, see :func:`loss_at_tokens`). The
    law describes training after the initial warm-up transient. ``fit="joint"`` uses Table 3's fit;
    ``fit="separate"`` takes ``alpha_N`` and ``N_c`` from ``L(N)`` so that it tends to :func:`loss_n`.
    """
    alpha_n, n_c = _ns_constants(fit)
    n = _checks.array(n_params, "n_params", positive=True)
    s = _checks.array(steps, "steps", positive=True)
    _checks.broadcastable(n_params=n, steps=s)
    return _checks.finite(lambda: (n_c / n) ** alpha_n + (K.S_c / s) ** K.alpha_S, "n_params and steps", "L(N, S)")


def converged_loss(n_params, *, fit: str = "joint"):
    """``L(N, S_min -> inf) = (N_c/N)**alpha_N``: the loss the learning curves of :func:`loss_ns`
    approach with unlimited training, in nats per token (Table 3's constants unless
    ``fit="separate"``, which gives :func:`loss_n`)."""
    alpha_n, n_c = _ns_constants(fit)
    n = _checks.array(n_params, "n_params", positive=True)
    return _checks.finite(lambda: (n_c / n) ** alpha_n, "n_params", "the converged loss")


def _critical_batch(loss_value):
    return K.B_star / loss_value ** (1.0 / K.alpha_B)


def critical_batch(loss_value):
    """``B_crit(L) = B_star / L**(1/alpha_B)`` in tokens (Eqs. 1.4 and 5.3): the batch size at which
    training trades time against compute best. Below it, a larger batch costs almost no extra
    compute; above it, more batch buys fewer and fewer saved steps. It depends on the loss reached,
    not on the model, and doubles for every ``1 - 2**-alpha_B`` (about 13 %) fall in the loss."""
    l = _checks.array(loss_value, "loss_value", positive=True)
    return _checks.finite(lambda: _critical_batch(l), "loss_value", "B_star / L**(1/alpha_B)")


@dataclass(frozen=True)
class RunToLoss:
    """What it takes a model to reach a loss (Secs. 5.1-5.2): ``n_params``; ``loss`` (nats/token);
    ``critical_batch`` (tokens); ``min_steps`` (``S_min``, at a huge batch) and ``min_tokens``
    (``E_min = B_crit S_min``, at a tiny batch); and at the batch actually used, ``batch_tokens``,
    ``steps`` and ``n_tokens``. Unreachable losses (at or below the model's converged loss) give
    ``inf`` steps and tokens."""

    n_params: object
    loss: object
    critical_batch: object
    min_steps: object
    min_tokens: object
    batch_tokens: object
    steps: object
    n_tokens: object


def _batch(batch_tokens):
    if batch_tokens is None:
        return None
    return _checks.scalar(batch_tokens, "batch_tokens", positive=True)


def run_to_loss(n_params, target_loss, *, batch_tokens: float | None = None) -> RunToLoss:
    """Steps and tokens for ``n_params`` non-embedding parameters to reach ``target_loss`` on unlimited
    data, inverting ``L(N, S_min)`` (Table 3) and using the critical batch size.

    From Eq. (5.1), a run at batch ``B`` takes ``S = S_min (1 + B_crit/B)`` steps and so processes
    ``E = S_min (B + B_crit)`` tokens. ``batch_tokens=None`` trains at ``B = B_crit``: twice the fewest
    steps and twice the fewest tokens (Sec. 5.1). A target at or below the model's converged loss is
    never reached: its steps and tokens are ``inf``.
    """
    n = _checks.array(n_params, "n_params", positive=True)
    target = _checks.array(target_loss, "target_loss", positive=True)
    b = _batch(batch_tokens)
    _checks.broadcastable(n_params=n, target_loss=target)
    floor = _checks.finite(lambda: (K.N_c_ns / n) ** K.alpha_N_ns, "n_params", "the converged loss")
    b_crit = _checks.finite(lambda: _critical_batch(target) * np.ones(np.broadcast_shapes(n.shape, target.shape)),
                            "target_loss", "the critical batch")
    if np.any(b_crit <= 0):
        raise ValueError("target_loss: the critical batch B_star / L**(1/alpha_B) underflows to 0 at this loss")
    room = target - floor
    reachable = room > 0
    names = "n_params, target_loss and batch_tokens" if b is not None else "n_params and target_loss"
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        s_min = np.where(reachable, K.S_c / np.where(reachable, room, 1.0) ** (1.0 / K.alpha_S), np.inf)
        used = b_crit if b is None else np.full_like(s_min, b)
        steps = s_min * (1.0 + b_crit / used)
        tokens = s_min * (used + b_crit)
        min_tokens = b_crit * s_min
    for value, what in ((s_min, "S_min"), (steps, "the steps"), (tokens, "the tokens"), (min_tokens, "E_min")):
        _checks.finite(np.where(reachable, value, 0.0), names, what)  # inf only where unreachable
    r = _checks.result
    return RunToLoss(n_params=r(n * np.ones_like(s_min)), loss=r(target * np.ones_like(s_min)),
                     critical_batch=r(b_crit), min_steps=r(s_min), min_tokens=r(min_tokens),
                     batch_tokens=r(used), steps=r(steps), n_tokens=r(tokens))


def loss_at_tokens(n_params, n_tokens, *, batch_tokens: float | None = None):
    """The loss in nats per token after ``n_params`` non-embedding parameters have processed
    ``n_tokens`` tokens of unlimited data: the learning curve ``L(N, S_min)`` (Table 3) against tokens.

    ``batch_tokens=None`` trains at the critical batch size (``n_tokens = 2 E_min``); a number fixes
    the batch, as in the paper's runs at ``2**19`` tokens. Solves :func:`run_to_loss` for the loss by
    bisection (the tokens needed fall monotonically as the target loss rises). Early in training,
    before the warm-up ends, the law is an extrapolation.
    """
    n = _checks.array(n_params, "n_params", positive=True)
    e = _checks.array(n_tokens, "n_tokens", positive=True)
    b = _batch(batch_tokens)
    _checks.broadcastable(n_params=n, n_tokens=e)
    n, e = np.broadcast_arrays(n, e)
    floor = _checks.finite(lambda: (K.N_c_ns / n) ** K.alpha_N_ns, "n_params", "the converged loss")
    names = "n_params, n_tokens and batch_tokens" if b is not None else "n_params and n_tokens"

    def tokens(loss_value):  # tokens needed to reach loss_value (> floor)
        s_min = K.S_c / (loss_value - floor) ** (1.0 / K.alpha_S)
        b_crit = _critical_batch(loss_value)
        return s_min * ((b_crit if b is None else b) + b_crit)

    # at L = floor + x the tokens needed are at most those with B_crit(floor): bracket from there
    b0 = _critical_batch(floor)
    x_high = _checks.finite(lambda: (K.S_c * ((b0 if b is None else b) + b0) / e) ** K.alpha_S, names,
                            "the bisection's bracket")
    low, high = np.zeros_like(floor), x_high
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        for _ in range(64):
            mid = 0.5 * (low + high)
            reached = tokens(floor + mid) <= e
            high = np.where(reached, mid, high)
            low = np.where(reached, low, mid)
    return _checks.finite(floor + 0.5 * (low + high), names, "the loss")


# ---- the compute-efficient frontier (Table 6, Sec. 6, App. B) --------------------------------------

@dataclass(frozen=True)
class KaplanAllocation:
    """Kaplan et al.'s compute-efficient run for a budget, trained at the critical batch size:
    ``flops`` (the budget, FLOPs) and ``min_flops`` (``C_min = C/2``); ``n_params`` (non-embedding);
    ``batch_tokens`` (``B_crit``); ``steps`` (``2 S_min``) and ``min_steps`` (``S_min``, Table 6's lower
    bound); ``n_tokens`` (``C / 6N``, one epoch: Table 6's ``D_opt``); ``tokens_per_parameter``; and
    the predicted ``loss`` (nats/token) on the frontier."""

    flops: object
    min_flops: object
    n_params: object
    batch_tokens: object
    steps: object
    min_steps: object
    n_tokens: object
    tokens_per_parameter: object
    loss: object

    def __iter__(self):  # so that ``N, D = compute_efficient(C)`` works
        return iter((self.n_params, self.n_tokens))


def compute_efficient(flops) -> KaplanAllocation:
    """Kaplan et al.'s compute-efficient allocation of a budget of ``flops`` FLOPs (Table 6).

    The budget is spent training at the critical batch size, so ``C_min = C/2`` (Secs. 5.1, 6.3).
    With ``c = C_min`` in PF-days: ``N = 1.3e9 c**0.73`` non-embedding parameters, batch
    ``B = 2.0e6 c**0.24`` tokens, ``S_min = 5.4e3 c**0.03`` steps, of which the run takes twice as
    many, and tokens ``D = C/(6N)``, which comes to ``2.2e10 c**0.27``: Table 6's one-epoch
    ``D_opt = 2e10 c**0.27``. At ``C = 1e21`` FLOPs this gives the 4.68 billion parameters that
    Hoffmann et al. (2022, App. D.4) derived from Kaplan et al.
    """
    c = _checks.array(flops, "flops", positive=True)
    c_min = c / 2.0
    pf = c_min / PF_DAY_FLOPS
    n = _checks.finite(lambda: K.N_e * pf**K.p_N, "flops", "N = 1.3e9 C_min**0.73")
    d = _checks.finite(lambda: _tokens_for_budget(c, n), "flops", "D = C / (6 N)")
    s_min = K.S_e * pf**K.p_S
    r = _checks.result
    return KaplanAllocation(flops=r(c), min_flops=r(c_min), n_params=r(n),
                            batch_tokens=r(K.B_e * pf**K.p_B), steps=r(2.0 * s_min),
                            min_steps=r(s_min), n_tokens=r(d),
                            tokens_per_parameter=_checks.finite(lambda: d / n, "flops", "D / N"),
                            loss=_checks.finite(lambda: (K.C_c_min / pf) ** K.alpha_C_min, "flops", "L(C_min)"))


@dataclass(frozen=True)
class ConvergenceComparison:
    """Compute-efficient training against training close to convergence, at the same loss
    (App. B.2-B.3): ``stop_above_converged`` (``f = alpha_N/alpha_S``, Eq. B.5), the other run's
    ``converged_within`` (``f'``), and the ratios efficient/converged of ``params`` (Eq. B.12),
    ``steps`` (Eq. B.13) and ``compute`` (Eq. B.14)."""

    stop_above_converged: float
    converged_within: float
    params: float
    steps: float
    compute: float


def efficient_vs_converged(converged_within: float = 0.02) -> ConvergenceComparison:
    """How compute-efficient training, which stops ``alpha_N/alpha_S`` (about 10 %) above the model's
    converged loss, compares with training a smaller model to within ``converged_within`` of its
    converged loss (the paper takes 2 %, Eqs. B.11-B.14)."""
    f2 = _checks.scalar(converged_within, "converged_within", positive=True)
    f = K.alpha_N / K.alpha_S
    params = ((1.0 + f) / (1.0 + f2)) ** (1.0 / K.alpha_N)
    steps = ((1.0 + 1.0 / f) / (1.0 + 1.0 / f2)) ** (1.0 / K.alpha_S)
    return ConvergenceComparison(stop_above_converged=f, converged_within=f2, params=float(params),
                                 steps=float(steps), compute=float(params * steps))


def _off_size_bracket(model_ratio):
    r = _checks.array(model_ratio, "model_ratio", positive=True)
    return r, 1.0 + (K.alpha_S / K.alpha_N) * (1.0 - r ** (-K.alpha_N))


def excess_compute(model_ratio):
    """Compute needed to reach the same loss with a model ``model_ratio`` times the compute-efficient
    size, relative to the efficient model (Eq. B.16). Models below ``(1 + alpha_N/alpha_S)**(-1/alpha_N)``
    (about 0.29) times the efficient size never reach that loss: ``inf``."""
    r, bracket = _off_size_bracket(model_ratio)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(bracket > 0, r * np.abs(bracket) ** (-1.0 / K.alpha_S), np.inf)
    return _checks.result(out)


def excess_steps(model_ratio):
    """Steps needed to reach the same loss with a model ``model_ratio`` times the compute-efficient
    size, relative to the efficient model (Eq. B.17); ``inf`` where the loss is out of reach."""
    _, bracket = _off_size_bracket(model_ratio)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(bracket > 0, np.abs(bracket) ** (-1.0 / K.alpha_S), np.inf)
    return _checks.result(out)


@dataclass(frozen=True)
class Contradiction:
    """Where the compute-efficient frontier ``L(C_min)`` meets the loss ``L(D)`` allowed by the data that
    compute-efficient training uses (Sec. 6.3): ``min_flops`` (FLOPs), ``pf_days`` (of ``C_min``),
    ``n_params``, ``n_tokens`` and ``loss`` (nats/token) there."""

    min_flops: float
    pf_days: float
    n_params: float
    n_tokens: float
    loss: float


_DATA_LAWS = ("allocation", "eq6.7")


def frontier_contradiction(*, alpha_D: float | None = None, D_c: float | None = None,
                           data_law: str = "allocation") -> Contradiction:
    """The intersection of ``L(C_min)`` with ``L(D(C_min))``, where ``D(C_min)`` is the data that
    compute-efficient training at the critical batch size uses in one epoch (Sec. 6.3), which Kaplan
    et al. place at roughly 1e4 PF-days, 1e12 parameters, 1e12 tokens and 1.7 nats/token (Eq. 6.8),
    "highly uncertain".

    ``data_law="allocation"`` takes ``D(C_min) = 2 C_min / 6 N(C_min)`` with Table 6's ``N(C_min)``,
    which comes to ``2.2e10 c**0.27`` tokens (``c`` = ``C_min`` in PF-days); ``data_law="eq6.7"``
    takes the paper's Eq. (6.7) as printed, ``4e10 c**0.26``. ``alpha_D`` and ``D_c`` default to
    ``L(D)``'s fit (Table 5); pass others to see how sensitive the point is to them.
    """
    a_d = K.alpha_D if alpha_D is None else _checks.scalar(alpha_D, "alpha_D", positive=True)
    d_c = K.D_c if D_c is None else _checks.scalar(D_c, "D_c", positive=True)
    _checks.choice(data_law, "data_law", _DATA_LAWS)
    if data_law == "allocation":  # D = k * c**q tokens
        k, q = PF_DAY_FLOPS / (3.0 * K.N_e), 1.0 - K.p_N
    else:
        k, q = K.eq67_D_e, K.eq67_p_D
    slope = a_d * q - K.alpha_C_min
    if slope >= 0:
        raise ValueError(f"alpha_D = {a_d} makes L(D(C_min)) fall at least as fast as L(C_min): no crossing")
    log_c = (a_d * (np.log(d_c) - np.log(k)) - K.alpha_C_min * np.log(K.C_c_min)) / slope
    names = "alpha_D and D_c" if alpha_D is not None else "D_c"
    if D_c is None:
        names = "alpha_D"
    # the crossing must be a finite, non-zero compute (and so must every quantity there)
    if not -700.0 < log_c + math.log(PF_DAY_FLOPS) < 700.0:
        raise ValueError(f"{names}: the crossing lies at C_min = e**{log_c:.4g} PF-days, beyond float64's range")
    c = math.exp(log_c)
    return Contradiction(min_flops=_checks.finite(lambda: c * PF_DAY_FLOPS, names, "C_min"), pf_days=c,
                         n_params=_checks.finite(lambda: K.N_e * c**K.p_N, names, "N at the crossing"),
                         n_tokens=_checks.finite(lambda: k * c**q, names, "D at the crossing"),
                         loss=_checks.finite(lambda: (K.C_c_min / c) ** K.alpha_C_min, names, "the loss"))


# ---- small helpers -----------------------------------------------------------------------------

def params_from_shape(n_layers, d_model):
    """Non-embedding parameters ``N = 12 n_layer d_model**2`` of a standard transformer
    (Eq. 2.1, with ``d_attn = d_ff/4 = d_model``; biases and layer norms left out)."""
    layers = _checks.array(n_layers, "n_layers", positive=True)
    width = _checks.array(d_model, "d_model", positive=True)
    _checks.broadcastable(n_layers=layers, d_model=width)
    return _checks.finite(lambda: 12.0 * layers * width**2, "n_layers and d_model", "12 n_layer d_model**2")


def growth_for_compute(multiplier: float, a: float, b: float | None = None) -> tuple:
    """``(model growth, data growth)`` when compute grows ``multiplier``-fold under ``N ∝ C**a`` and
    ``D ∝ C**b`` (``b = 1 - a`` by default, as ``C = 6ND`` requires)."""
    m = _checks.scalar(multiplier, "multiplier", positive=True)
    a = _checks.scalar(a, "a", low=0.0, high=1.0)
    b = 1.0 - a if b is None else _checks.scalar(b, "b", low=0.0, high=1.0)
    return float(m**a), float(m**b)
