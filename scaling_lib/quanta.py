"""The quanta model (Michaud et al. 2023, Sec. 2): a loss that falls as a power law although every
skill it is made of switches on at one scale.

Predicting text needs many discrete skills,
"quanta"; quantum ``k`` is needed for a fraction ``f_k ∝ k**-(alpha+1)`` of predictions (a Zipf law
whose Zipf exponent is ``alpha + 1``; ``alpha`` itself is the exponent the loss inherits) and a model
learns them most-used first, as many as its capacity allows. A prediction whose quantum
is learned costs ``b`` nats, one whose quantum is not costs ``a > b``, so with ``n`` quanta learned the
expected loss is ``b + (a - b) S(n)``, with ``S(n) = sum_{k > n} f_k`` the share of predictions still
unserved. Each quantum switches on at one scale, yet ``S`` falls as a power law:

    integral_{n+1}^inf x**-(alpha+1) dx  <=  sum_{k>n} k**-(alpha+1)  <=  integral_n^inf x**-(alpha+1) dx
    ((n+1)**-alpha) / alpha             <=  sum_{k>n} k**-(alpha+1)  <=  (n**-alpha) / alpha,

because ``x**-(alpha+1)`` decreases. So ``S(n) = n**-alpha / (alpha Z) * (1 + O(1/n))`` with
``Z = sum_k k**-(alpha+1)``. If capacity grows linearly, ``n ∝ N`` (a fixed number of parameters per
quantum), then ``S ∝ N**-alpha``: **the loss exponent in parameters is alpha, one less than the
Zipf exponent alpha + 1 of quantum use.**
If instead a quantum is learned once the training data contain enough examples of it,
``D f_k >= tau`` gives ``n ∝ D**(1/(alpha+1))`` and ``S ∝ D**(-alpha/(alpha+1))``. With finitely many
quanta the tail ends, ``S(n_quanta) = 0``, and the curve dives there.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from . import _checks
from .published import Source

MICHAUD_2023 = Source("michaud2023quantization", "Sec. 2 (the quantization hypothesis and its scaling exponents)")

#: The most quanta :func:`quanta_frequencies` lists (a table of floats that size).
MAX_QUANTA = 10_000_000
#: The loss exponents ``alpha`` the quanta model accepts (its Zipf exponent is ``alpha + 1``): below
#: MIN_ALPHA the tail sums (Hurwitz zeta at ``alpha + 1``) are beyond float64; above MAX_ALPHA every
#: quantum but the first is used less than 2**-100 of the time.
MIN_ALPHA, MAX_ALPHA = 1e-3, 100.0


def _zipf_alpha(alpha) -> float:
    return _checks.scalar(alpha, "alpha", low=MIN_ALPHA, high=MAX_ALPHA)


def _quanta_count(n_quanta, *, high: float = 1e15):
    if n_quanta is None:
        return None
    return _checks.scalar(n_quanta, "n_quanta", integer=True, low=1, high=high)


def _zipf_tail(n, s: float, n_quanta):
    """``sum_{n < k <= n_quanta} k**-s`` (to infinity when ``n_quanta`` is None), by Hurwitz zeta."""
    tail = special.zeta(s, np.asarray(n, dtype=float) + 1.0)
    if n_quanta is not None:
        tail = np.maximum(tail - special.zeta(s, n_quanta + 1.0), 0.0)
    return tail


def quanta_frequencies(n_quanta: int, alpha: float) -> np.ndarray:
    """Use frequencies of ``n_quanta`` quanta (1 to :data:`MAX_QUANTA`), ``f_k ∝ k**-(alpha+1)`` for
    ``k = 1..n_quanta``, normalised to sum to 1 (most used first). The Zipf exponent of these
    frequencies is ``alpha + 1``; ``alpha`` is the exponent the loss inherits (:func:`quanta_loss_exponent`)."""
    if n_quanta is None:
        raise _checks.ArgumentTypeError("n_quanta must be a whole number of quanta; got None")
    n = _quanta_count(n_quanta, high=MAX_QUANTA)
    a = _zipf_alpha(alpha)
    f = np.arange(1, n + 1, dtype=float) ** -(a + 1.0)
    return f / f.sum()


def quanta_learned(n_params, *, params_per_quantum: float = 1e4, n_quanta: int | None = None):
    """Quanta learned by a model of ``n_params`` parameters when capacity grows linearly: one quantum
    per ``params_per_quantum`` parameters, ``floor(N / c)``, at most ``n_quanta`` if given."""
    n = _checks.array(n_params, "n_params", positive=True)
    c = _checks.scalar(params_per_quantum, "params_per_quantum", positive=True)
    learned = _checks.finite(lambda: np.floor(n / c), "n_params and params_per_quantum", "N / c")
    count = _quanta_count(n_quanta)
    if count is not None:
        learned = np.minimum(learned, count)
    return _checks.result(learned)


def quanta_learned_from_data(n_samples, *, alpha: float, n_quanta: int | None = None,
                             uses_needed: float = 10.0):
    """Quanta learned from ``n_samples`` training samples (each needs one quantum) when quantum ``k``
    is learned once the data hold at least ``uses_needed`` samples that need it: the number of ``k``
    with ``n_samples * f_k >= uses_needed``, i.e. ``floor((D / (tau Z))**(1/(alpha+1)))`` with ``Z``
    the normalisation of the frequencies (capped at ``n_quanta``; ``None`` means unboundedly many)."""
    d = _checks.array(n_samples, "n_samples", positive=True)
    a = _zipf_alpha(alpha)
    tau = _checks.scalar(uses_needed, "uses_needed", positive=True)
    count = _quanta_count(n_quanta)
    s = a + 1.0
    norm = float(_zipf_tail(0, s, count))
    learned = _checks.finite(lambda: np.floor((d / (tau * norm)) ** (1.0 / s) * (1 + 1e-12)),
                             "n_samples, alpha and uses_needed", "the quanta learned")
    if count is not None:
        learned = np.minimum(learned, count)
    return _checks.result(learned)


def quantum_switched_on(n_params, rank: int, *, params_per_quantum: float = 1e4):
    """1.0 where a model of ``n_params`` parameters has learned the quantum of frequency rank
    ``rank`` (1 = most used), else 0.0: a step at ``N = rank * params_per_quantum``."""
    r = _checks.scalar(rank, "rank", integer=True, low=1)
    learned = np.asarray(quanta_learned(n_params, params_per_quantum=params_per_quantum))
    return _checks.result((learned >= r).astype(float))


def quanta_loss(learned, *, alpha: float, n_quanta: int | None = None, loss_unlearned: float = 1.0,
                loss_learned: float = 0.0):
    """Expected loss (nats/token) with the ``learned`` most-used quanta learned:
    ``b + (a - b) * sum_{k > n} f_k``, where a prediction costs ``a = loss_unlearned`` if its quantum
    is not learned and ``b = loss_learned`` if it is. With the defaults it is the share of
    predictions whose quantum is missing (1 for a model that knows none, 0 when all are learned).
    ``n_quanta=None`` means unboundedly many quanta (normalised by the Riemann zeta function)."""
    n = _checks.array(learned, "learned", nonnegative=True)
    if np.any(n != np.floor(n)):
        raise ValueError("learned must be whole numbers of quanta")
    a_ = _zipf_alpha(alpha)
    a = _checks.scalar(loss_unlearned, "loss_unlearned", nonnegative=True)
    b = _checks.scalar(loss_learned, "loss_learned", nonnegative=True)
    if a <= b:
        raise ValueError(f"loss_unlearned must exceed loss_learned; got {a} <= {b}")
    count = _quanta_count(n_quanta)
    s = a_ + 1.0
    if count is not None:
        n = np.minimum(n, count)
    share = _checks.finite(lambda: _zipf_tail(n, s, count) / _zipf_tail(0, s, count), "learned, alpha and n_quanta",
                           "the share of predictions unserved")
    return _checks.finite(lambda: b + (a - b) * share, "loss_unlearned and loss_learned", "the loss")


def quanta_loss_exponent(alpha: float, resource: str = "parameters") -> float:
    """The exponent with which :func:`quanta_loss` falls while far fewer quanta are learned than
    exist: ``alpha`` in parameters (``n ∝ N``), ``alpha / (alpha + 1)`` in data (``n ∝
    D**(1/(alpha+1))``). See the module docstring for the derivation."""
    a = _checks.scalar(alpha, "alpha", positive=True)
    _checks.choice(resource, "resource", ("parameters", "data"))
    return a if resource == "parameters" else a / (a + 1.0)
