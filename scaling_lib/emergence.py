"""Emergence: smooth improvement seen through different metrics, and the quanta model.

The metric model (after Schaeffer et al. 2023): a model's per-token probability of producing the right
token, ``p``, improves smoothly with scale, because the per-token loss on the task falls as a power
law: ``p(N) = exp(-(E + A * N**-alpha))``. What a benchmark reports depends on the metric applied to
a ``k``-token answer: exact match ``p**k`` jumps, the expected fraction of right tokens ``p`` does not.

The quanta model (Michaud et al. 2023): skills ("quanta") are used with Zipf frequencies
``f_k ∝ k**-(alpha+1)`` and learned one at a time, most frequent first, as capacity grows. Each skill
switches on suddenly, yet the loss from the skills not yet learned, ``sum_{k > n} f_k``, falls as
``n**-alpha``: a smooth power law made of steps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _checks
from .published import Source

METRICS = ("exact match", "token accuracy", "log-likelihood", "multiple choice")


@dataclass(frozen=True)
class TaskLaw:
    """A stated power law for the per-token loss on a task: ``E + A * N**-alpha`` nats per token.

    Illustrative, not fitted to any benchmark: it is the smooth improvement the metrics act on."""

    E: float = 0.01
    A: float = 200.0
    alpha: float = 0.35

    def __post_init__(self):
        _checks.scalar(self.E, "E", nonnegative=True)
        _checks.scalar(self.A, "A", positive=True)
        _checks.scalar(self.alpha, "alpha", positive=True)


def token_probability(n_params, law: TaskLaw = TaskLaw()):
    """Per-token probability of the right token, ``exp(-(E + A N**-alpha))``, for ``n_params``."""
    n = _checks.array(n_params, "n_params", positive=True)
    if not isinstance(law, TaskLaw):
        raise ValueError(f"law must be a TaskLaw; got {law!r}")
    return _checks.result(np.exp(-(law.E + law.A * n ** -law.alpha)))


def exact_match(p, answer_tokens: int):
    """Probability that all ``answer_tokens`` tokens are right: ``p**k`` (tokens independent)."""
    p = _probability(p)
    k = _checks.scalar(answer_tokens, "answer_tokens", integer=True, low=1)
    return _checks.result(p**k)


def token_accuracy(p, answer_tokens: int):
    """Expected fraction of the answer's tokens that are right (partial credit): ``p``, whatever the
    length; one minus it is the expected token edit distance per token (substitutions only)."""
    p = _probability(p)
    _checks.scalar(answer_tokens, "answer_tokens", integer=True, low=1)
    return _checks.result(p)


def answer_log_likelihood(p, answer_tokens: int):
    """Log-probability of the whole right answer, ``k ln p``, in nats (0 is perfect)."""
    p = _probability(p, open_low=True)
    k = _checks.scalar(answer_tokens, "answer_tokens", integer=True, low=1)
    return _checks.result(k * np.log(p))


def multiple_choice(p, answer_tokens: int, n_choices: int = 4):
    """Accuracy on a multiple-choice question: the model produces the right answer with probability
    ``q = p**k`` and otherwise guesses among ``n_choices`` options: ``q + (1 - q)/m``. It never falls
    below chance, ``1/m``."""
    q = np.asarray(exact_match(p, answer_tokens))
    m = _checks.scalar(n_choices, "n_choices", integer=True, low=2)
    return _checks.result(q + (1.0 - q) / m)


def metric(name: str, n_params, *, answer_tokens: int, law: TaskLaw = TaskLaw(), n_choices: int = 4):
    """The metric ``name`` (one of :data:`METRICS`) of models of ``n_params`` parameters."""
    _checks.choice(name, "name", METRICS)
    p = token_probability(n_params, law)
    if name == "exact match":
        return exact_match(p, answer_tokens)
    if name == "token accuracy":
        return token_accuracy(p, answer_tokens)
    if name == "log-likelihood":
        return answer_log_likelihood(p, answer_tokens)
    return multiple_choice(p, answer_tokens, n_choices)


def sharpness(n_params, values) -> float:
    """How sudden a curve looks: the largest rise between neighbouring evaluated models as a fraction
    of the total rise (1 means all the improvement happened in one step)."""
    n = _checks.array(n_params, "n_params", positive=True, ndim=1, min_size=2)
    v = _checks.array(values, "values", ndim=1, min_size=2)
    _checks.same_shape(n_params=n, values=v)
    v = v[np.argsort(n)]
    total = v[-1] - v[0]
    if total <= 0:
        return 0.0
    return float(np.max(np.diff(v)) / total)


def rise_midpoint(n_params, values) -> float:
    """The model size at which a metric has made half of its rise (interpolated in ``log N``):
    a metric that "emerges" late has a late midpoint."""
    n = _checks.array(n_params, "n_params", positive=True, ndim=1, min_size=2)
    v = _checks.array(values, "values", ndim=1, min_size=2)
    _checks.same_shape(n_params=n, values=v)
    order = np.argsort(n)
    n, v = n[order], v[order]
    if np.any(np.diff(v) < 0):
        raise ValueError("values must not decrease with n_params")
    half = v[0] + 0.5 * (v[-1] - v[0])
    return float(np.exp(np.interp(half, v, np.log(n))))


def _probability(p, open_low: bool = False):
    p = _checks.array(p, "p")
    if np.any(p > 1) or np.any(p < 0) or (open_low and np.any(p == 0)):
        raise ValueError(f"p must be a probability in {'(0' if open_low else '[0'}, 1]")
    return p


# ---- the quanta model ---------------------------------------------------------------------------

def quanta_frequencies(n_quanta: int, alpha: float) -> np.ndarray:
    """Use frequencies of ``n_quanta`` skills, ``f_k ∝ k**-(alpha+1)``, normalised to sum to 1."""
    n = _checks.scalar(n_quanta, "n_quanta", integer=True, low=1)
    a = _checks.scalar(alpha, "alpha", positive=True)
    f = np.arange(1, n + 1, dtype=float) ** -(a + 1.0)
    return f / f.sum()


def quanta_learned(n_params, *, params_per_quantum: float = 1e4) -> np.ndarray:
    """How many quanta a model of ``n_params`` has learned: capacity grows linearly, one quantum per
    ``params_per_quantum`` parameters, learned in order of frequency."""
    n = _checks.array(n_params, "n_params", positive=True)
    c = _checks.scalar(params_per_quantum, "params_per_quantum", positive=True)
    return np.floor(n / c)


def quantum_switched_on(n_params, rank: int, *, params_per_quantum: float = 1e4):
    """1.0 where a model of ``n_params`` has learned the quantum of frequency ``rank`` (1 = most
    used), else 0.0: a step function of scale."""
    r = _checks.scalar(rank, "rank", integer=True, low=1)
    return _checks.result((quanta_learned(n_params, params_per_quantum=params_per_quantum) >= r).astype(float))


def quanta_loss(n_params, *, n_quanta: int, alpha: float, params_per_quantum: float = 1e4):
    """The expected loss from skills not yet learned, ``sum_{k > n(N)} f_k``, as a fraction of the loss
    of a model that knows none (each unlearned skill costs the same when it is needed)."""
    f = quanta_frequencies(n_quanta, alpha)
    learned = np.minimum(quanta_learned(n_params, params_per_quantum=params_per_quantum), n_quanta).astype(int)
    tail = np.concatenate([np.cumsum(f[::-1])[::-1], [0.0]])  # tail[j] = sum of f[j:]
    return _checks.result(tail[learned])


def quanta_loss_exponent(alpha: float) -> float:
    """The analytic exponent of :func:`quanta_loss` in ``N`` while ``n(N)`` is far below ``n_quanta``:
    ``sum_{k>n} k**-(alpha+1) ≈ n**-alpha / alpha``, so the loss falls as ``N**-alpha``."""
    return _checks.scalar(alpha, "alpha", positive=True)


MICHAUD_2023 = Source("michaud2023quantization", "Sec. 2 (the quanta hypothesis and its Zipf model)")
SCHAEFFER_2023 = Source("schaeffer2023emergent", "Sec. 2 (exact match over L tokens as p**L)")
