"""Emergence: one smooth improvement seen through different metrics.

**The metric model** (after Schaeffer et al. 2023, Sec. 2). A model's per-token loss on a task falls
smoothly with scale ``x`` (parameters, or training FLOPs):

    L(x) = E + (x_c / x)**alpha        nats per token,

so its probability of producing each right token, ``p = exp(-L)``, rises smoothly towards
``exp(-E)``. What a benchmark reports depends on the metric applied to a ``k``-token answer, with the
tokens taken as independent:

=====================  ======================================  ==========================
metric                 value                                   behaviour in scale
=====================  ======================================  ==========================
exact match            ``p**k``                                flat near 0, then a jump
token accuracy         ``p`` (partial credit)                  smooth
token edit distance    ``k (1 - p)`` tokens (lower is better)  smooth
log-likelihood         ``k ln p = -k L`` nats                  smooth (a power law in x)
multiple choice        ``q + (1 - q)/m``, ``q = p**k``         flat at chance 1/m, then up
=====================  ======================================  ==========================

Nothing about the model changes between the rows: only the metric does.

The quanta model, in which a smooth aggregate law is built of steps, is :mod:`scaling_lib.quanta`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import _checks, compute
from .published import Source

SCHAEFFER_2023 = Source("schaeffer2023emergent", "Sec. 2 (p = exp(-L_CE), exact match p**L, token edit distance)")

#: The longest answer, in tokens, the metrics accept.
MAX_ANSWER_TOKENS = 1_000_000
#: The metrics :func:`metric` knows, in the order the chapter shows them.
METRICS = ("exact match", "token accuracy", "token edit distance", "log-likelihood", "multiple choice")

#: Axis labels with units, for plots of each metric.
METRIC_LABELS = {
    "exact match": "exact match (fraction of answers)",
    "token accuracy": "token accuracy (fraction of tokens)",
    "token edit distance": "token edit distance (tokens)",
    "log-likelihood": "log-likelihood of answer (nats)",
    "multiple choice": "multiple-choice accuracy",
}

#: Metrics for which a smaller value is better.
LOWER_IS_BETTER = frozenset({"token edit distance"})

SCALE_UNITS = ("parameters", "FLOPs")


@dataclass(frozen=True)
class ModelFamily:
    """The sizes at which a published model family was trained and evaluated."""

    name: str
    n_params: tuple
    source: Source


#: GPT-3's eight model sizes, 125M to 175B parameters (Brown et al. 2020, Table 2.1).
GPT3_FAMILY = ModelFamily(
    "GPT-3", (125e6, 350e6, 760e6, 1.3e9, 2.7e9, 6.7e9, 13e9, 175e9), Source("brown2020language", "Table 2.1"))


@dataclass(frozen=True)
class TaskLaw:
    """A stated power law for the per-token loss on one task: ``E + (scale_c / x)**alpha`` nats/token.

    Illustrative, not fitted to any benchmark: it is the smooth improvement the metrics act on.

    Parameters
    ----------
    scale_c : float
        The scale at which the reducible loss is 1 nat per token, in ``unit``.
    alpha : float
        The exponent of the reducible loss.
    E : float, default 0
        The irreducible per-token loss (nats/token); exact match then saturates at ``exp(-k E)``.
    unit : {"parameters", "FLOPs"}
        What the scale axis counts.
    """

    scale_c: float = 2e8
    alpha: float = 0.35
    E: float = 0.0
    unit: str = "parameters"

    def __post_init__(self):
        _checks.scalar(self.scale_c, "scale_c", positive=True)
        _checks.scalar(self.alpha, "alpha", positive=True)
        _checks.scalar(self.E, "E", nonnegative=True)
        _checks.choice(self.unit, "unit", SCALE_UNITS)

    def loss(self, scale):
        """Per-token loss on the task (nats/token) at ``scale`` (in ``self.unit``)."""
        x = _checks.array(scale, "scale", positive=True)
        return _checks.finite(lambda: self.E + (self.scale_c / x) ** self.alpha, "scale", "the task loss")

    def token_probability(self, scale):
        """Probability of producing each right token, ``exp(-loss)``."""
        return _checks.result(np.exp(-np.asarray(self.loss(scale))))

    def on_compute(self, tokens_per_parameter: float = 20.0) -> "TaskLaw":
        """The same law with training FLOPs as the scale, for models trained on
        ``tokens_per_parameter`` tokens per parameter with ``C = 6 N D``: then ``N = sqrt(C / (6 r))``
        and ``(N_c / N)**alpha = (6 r N_c**2 / C)**(alpha / 2)``."""
        if self.unit != "parameters":
            raise ValueError(f"unit must be 'parameters' to convert to FLOPs; got {self.unit!r}")
        r = _checks.scalar(tokens_per_parameter, "tokens_per_parameter", positive=True)
        scale_c = _checks.finite(lambda: compute._training_flops(self.scale_c, r * self.scale_c), "tokens_per_parameter", "6 r N_c**2")
        if scale_c == 0:
            raise ValueError(f"tokens_per_parameter is too small: 6 r N_c**2 underflows to 0; got {r}")
        return TaskLaw(scale_c, self.alpha / 2.0, self.E, "FLOPs")


def _law(law) -> TaskLaw:
    return _checks.instance(law, "law", TaskLaw, "a TaskLaw")


def _probability(p, open_low: bool = False, name: str = "p"):
    p = _checks.array(p, name)
    if np.any(p > 1) or np.any(p < 0) or (open_low and np.any(p == 0)):
        raise ValueError(f"{name} must be a probability in {'(0' if open_low else '[0'}, 1]")
    return p


def _tokens(answer_tokens, name: str = "answer_tokens") -> int:
    return _checks.scalar(answer_tokens, name, integer=True, low=1, high=MAX_ANSWER_TOKENS)


# ---- metrics of a per-token probability p -------------------------------------------------------

def exact_match(p, answer_tokens: int):
    """Probability that all ``answer_tokens`` tokens of an answer are right, ``p**k`` (tokens
    independent): the expected exact-match score. ``p`` may be an array."""
    p = _probability(p)
    return _checks.result(p ** _tokens(answer_tokens))


def token_accuracy(p, answer_tokens: int):
    """Expected fraction of an answer's tokens that are right (partial credit): ``p``, whatever the
    answer's length ``answer_tokens`` (validated, so every metric takes the same arguments)."""
    p = _probability(p)
    _tokens(answer_tokens)
    return _checks.result(p)


def token_edit_distance(p, answer_tokens: int):
    """Expected number of wrong tokens in a ``k``-token answer, ``k (1 - p)``: the token edit distance
    to the right answer when errors are substitutions (Schaeffer et al.'s approximation). Lower is
    better; 0 is perfect, ``k`` is every token wrong."""
    p = _probability(p)
    return _checks.result(_tokens(answer_tokens) * (1.0 - p))


def answer_log_likelihood(p, answer_tokens: int):
    """Log-probability the model gives the whole right answer, ``k ln p``, in nats (0 is perfect).
    ``p`` must be > 0."""
    p = _probability(p, open_low=True)
    return _checks.result(_tokens(answer_tokens) * np.log(p))


def multiple_choice(p, answer_tokens: int, n_choices: int = 4):
    """Expected accuracy on multiple-choice questions with ``n_choices`` options: the model knows the
    answer (produces all its ``k`` tokens) with probability ``q = p**k`` and otherwise guesses
    uniformly, so the accuracy is ``q + (1 - q) / m``. It never falls below chance, ``1/m``."""
    q = np.asarray(exact_match(p, answer_tokens))
    m = _checks.scalar(n_choices, "n_choices", integer=True, low=2, high=1e15)
    return _checks.result(q + (1.0 - q) / m)


_METRIC_FUNCTIONS = {
    "exact match": exact_match,
    "token accuracy": token_accuracy,
    "token edit distance": token_edit_distance,
    "log-likelihood": answer_log_likelihood,
}


def metric(name: str, scale, *, answer_tokens: int, law: TaskLaw = TaskLaw(), n_choices: int = 4):
    """The metric ``name`` (one of :data:`METRICS`) of models at ``scale`` under the task law ``law``.

    Parameters
    ----------
    name : str
        One of :data:`METRICS`.
    scale : float or array_like
        Model scale in ``law.unit`` (parameters or training FLOPs), > 0.
    answer_tokens : int
        Length ``k`` of the right answer, in tokens (>= 1).
    law : TaskLaw
        The per-token loss law.
    n_choices : int, default 4
        Options per question, for ``"multiple choice"``.
    """
    _checks.choice(name, "name", METRICS)
    p = _law(law).token_probability(scale)
    if name == "multiple choice":
        return multiple_choice(p, answer_tokens, n_choices)
    return _METRIC_FUNCTIONS[name](p, answer_tokens)


def exact_match_scale(level: float, answer_tokens: int, law: TaskLaw = TaskLaw()) -> float:
    """The scale (in ``law.unit``) at which exact match on ``answer_tokens``-token answers reaches
    ``level``: solve ``exp(-k L(x)) = level``, i.e. ``x = x_c (-ln(level)/k - E)**(-1/alpha)``.
    ``inf`` when the floor ``E`` keeps exact match below ``level`` at every scale."""
    level = _checks.scalar(level, "level")
    if not 0 < level < 1:
        raise ValueError(f"level must be strictly between 0 and 1; got {level}")
    k = _tokens(answer_tokens)
    law = _law(law)
    reducible = -math.log(level) / k - law.E
    if reducible <= 0:
        return float("inf")
    return _checks.finite(lambda: law.scale_c * reducible ** (-1.0 / law.alpha), "level, answer_tokens and law",
                          "the scale")


# ---- what a handful of evaluated models shows ------------------------------------------------

def _curve(scale, values):
    x = _checks.array(scale, "scale", positive=True, ndim=1, min_size=2)
    v = _checks.array(values, "values", ndim=1, min_size=2)
    _checks.same_shape(scale=x, values=v)
    order = np.argsort(x)
    return x[order], v[order]


def sharpness(scale, values) -> float:
    """How sudden a curve looks: the largest change between neighbouring evaluated models as a
    fraction of the total change from the smallest to the largest (1 means all of the change happened
    in one step; ``1/(models - 1)`` is the least possible for a monotone curve). 0 for a flat curve."""
    _, v = _curve(scale, values)
    total = abs(v[-1] - v[0])
    if total == 0:
        return 0.0
    return float(np.max(np.abs(np.diff(v))) / total)


def rise_midpoint(scale, values) -> float:
    """The scale at which a monotone metric has made half of its change between the smallest and
    the largest scale given, interpolated in ``log scale``; a metric that "emerges" late has a late
    midpoint. Works for rising and for falling metrics."""
    x, v = _curve(scale, values)
    steps = np.diff(v)
    if not (np.all(steps >= 0) or np.all(steps <= 0)):
        raise ValueError("values must be monotone in scale")
    if v[-1] == v[0]:
        raise ValueError("values must change between the smallest and the largest scale")
    if v[-1] < v[0]:
        v = -v
    half = v[0] + 0.5 * (v[-1] - v[0])
    return float(np.exp(np.interp(half, v, np.log(x))))


def first_scale_above(scale, values, threshold: float) -> float:
    """The smallest evaluated scale whose value exceeds ``threshold``: where an ability would be
    reported as having emerged. ``inf`` if none does (no scale evaluated gets there)."""
    x, v = _curve(scale, values)
    threshold = _checks.scalar(threshold, "threshold")
    above = np.flatnonzero(v > threshold)
    return float(x[above[0]]) if above.size else math.inf


def measured_accuracy(accuracy, n_questions: int, *, seed: int = 0):
    """The accuracy a benchmark of ``n_questions`` questions reports for a model whose expected
    accuracy is ``accuracy``: a binomial draw divided by ``n_questions``, reproducible from ``seed``.
    Accuracies far below ``1/n_questions`` are mostly reported as exactly 0."""
    acc = _probability(accuracy, name="accuracy")
    n = _checks.scalar(n_questions, "n_questions", integer=True, low=1, high=2**62)
    seed = _checks.scalar(seed, "seed", integer=True, nonnegative=True)
    rng = np.random.default_rng(seed)
    return _checks.result(rng.binomial(n, acc) / n)


# ---- finer measurements: the chance of a zero, sampling until a pass, several routes ----------

def zero_score_probability(accuracy, n_questions: int):
    """Probability that a model whose expected accuracy is ``accuracy`` answers none of
    ``n_questions`` independent questions right, ``(1 - accuracy)**n_questions``: how often a test of
    that size reports a flat 0 for a model that is not at 0."""
    acc = _probability(accuracy, name="accuracy")
    n = _checks.scalar(n_questions, "n_questions", integer=True, low=1)
    return _checks.result((1.0 - acc) ** n)


@dataclass(frozen=True)
class PassUntilEstimate:
    """What sampling each question until it passed measured (:func:`sample_until_pass`).

    Attributes
    ----------
    pass_rate : float or ndarray
        The estimated probability that one sample answers a question right (one value per model
        when several pass rates were given).
    samples_per_question : float or ndarray
        The mean number of samples drawn per question: the price of the resolution.
    """

    pass_rate: object
    samples_per_question: object


def sample_until_pass(pass_rate, n_questions: int, *, passes: int = 1, seed: int = 0) -> PassUntilEstimate:
    """Estimate tiny pass rates by sampling every question until it has been answered right
    ``passes`` times (after Hu et al.'s PassUntil).

    A question answered right with probability ``p`` per sample takes a negative-binomial number of
    samples to pass ``passes`` times. With every question sharing ``p`` (as in this chapter's model),
    the questions pool: ``R = passes * n_questions`` passes took ``K`` samples in all, and
    ``(R - 1) / (K - 1)`` is an unbiased estimate of ``p``, with a relative spread of about
    ``1 / sqrt(R)``. Unlike a score out of ``n_questions`` (:func:`measured_accuracy`), it never
    reports 0 for a model above 0; the price is about ``passes / p`` samples per question.

    Parameters
    ----------
    pass_rate : float or array_like
        The probability, in (0, 1], that one sample answers a question right (one per model).
    n_questions : int
        Questions per model, >= 1.
    passes : int, default 1
        Right answers to wait for on each question, >= 1; ``passes * n_questions`` must be >= 2.
    seed : int, default 0
        Seed of the random draws.
    """
    p = _probability(pass_rate, open_low=True, name="pass_rate")
    n = _checks.scalar(n_questions, "n_questions", integer=True, low=1, high=10**7)
    r = _checks.scalar(passes, "passes", integer=True, low=1, high=10**6)
    if np.any(r / p > 1e15):
        raise ValueError("pass_rate and passes: drawing until that many passes at that pass rate needs more "
                         "than 1e15 samples a question")
    if r * n < 2:
        raise ValueError(f"passes * n_questions must be >= 2 for an estimate; got {r} * {n}")
    seed = _checks.scalar(seed, "seed", integer=True, nonnegative=True)
    rng = np.random.default_rng(seed)
    failures = rng.negative_binomial(r, p[..., None], size=p.shape + (n,))
    samples = (failures + r).sum(axis=-1)
    total_passes = r * n
    estimate = (total_passes - 1) / (samples - 1)
    return PassUntilEstimate(_checks.result(estimate), _checks.result(samples / n))


def task_scaling_transform(pass_rate):
    """``log(-log(pass_rate))``, Hu et al.'s ``F``: a pass rate ``exp(-c N**-alpha)`` becomes the
    straight line ``log c - alpha log N`` in ``log N``. A curve that bends below its line as ``N``
    grows improves faster than that law ("accelerated emergence"). ``pass_rate`` in (0, 1)."""
    p = _checks.array(pass_rate, "pass_rate")
    if np.any(p <= 0) or np.any(p >= 1):
        raise ValueError("pass_rate must lie strictly between 0 and 1")
    return _checks.result(np.log(-np.log(p)))


def any_route_exact_match(scale, laws, *, answer_tokens: int):
    """Probability that at least one of several independent routes to an answer (each a
    :class:`TaskLaw`, e.g. two mechanisms that can solve the task) produces the whole right
    ``answer_tokens``-token answer: ``1 - prod_j (1 - p_j**k)``. One route gives back
    :func:`exact_match`; a second route that is poor in small models but improves faster makes the
    pass rate rise faster than any single law."""
    laws = tuple(laws) if isinstance(laws, (list, tuple)) else (laws,)
    if not laws:
        raise ValueError("laws must hold at least one TaskLaw")
    for law in laws:
        _checks.instance(law, "laws", TaskLaw, "a TaskLaw or a sequence of them")
    units = {law.unit for law in laws}
    if len(units) > 1:
        raise ValueError(f"laws must share one scale unit; got {sorted(units)}")
    log_miss = 0.0  # log of the probability that every route fails, kept accurate for tiny pass rates
    for law in laws:
        with np.errstate(divide="ignore"):  # a route that always passes: log(0) = -inf, so 1 - 0 = 1
            log_miss = log_miss + np.log1p(-np.asarray(metric("exact match", scale, answer_tokens=answer_tokens,
                                                              law=law)))
    return _checks.result(-np.expm1(log_miss))


def distractor_accuracy(scale, *, task: TaskLaw, distractor: TaskLaw, answer_tokens: int,
                        distractor_tokens: int, n_choices: int = 2):
    """Expected accuracy on an ``n_choices``-option question that hides an easy distractor task.

    A model that solves the real task (probability ``t``, exact match of ``answer_tokens`` tokens
    under ``task``) answers right; otherwise, if it solves the distractor (probability ``d``, under
    ``distractor`` with ``distractor_tokens`` tokens), it gives the distractor's answer, which is
    wrong; otherwise it guesses. So the accuracy is ``t + (1 - t)(1 - d)/m``: at chance while it does
    neither, below chance while the distractor wins, rising once the real task does. A caricature of
    McKenzie et al.'s "easy distractor task" cause of inverse scaling and of the U-shaped scaling Wei
    et al. found in larger models.
    """
    for name, law in (("task", task), ("distractor", distractor)):
        if not isinstance(law, TaskLaw):
            raise ValueError(f"{name} must be a TaskLaw; got {law!r}")
    if task.unit != distractor.unit:
        raise ValueError(f"task and distractor must share one scale unit; got {task.unit!r} and {distractor.unit!r}")
    m = _checks.scalar(n_choices, "n_choices", integer=True, low=2, high=1e15)
    _tokens(answer_tokens)
    _tokens(distractor_tokens, "distractor_tokens")
    t = np.asarray(metric("exact match", scale, answer_tokens=answer_tokens, law=task))
    d = np.asarray(metric("exact match", scale, answer_tokens=distractor_tokens, law=distractor))
    return _checks.result(t + (1.0 - t) * (1.0 - d) / m)
