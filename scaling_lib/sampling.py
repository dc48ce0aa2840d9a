"""Inference-time compute by repeated sampling: pass@k, coverage and its fitted law.

**pass@k** (Chen et al. 2021, Sec. 2.1, Eq. (1)). Draw ``n`` samples for a problem, of which ``c``
pass its tests; the unbiased estimate of the chance that at least one of ``k <= n`` samples passes is

    pass@k = 1 - C(n - c, k) / C(n, k) = 1 - prod_{i = n - c + 1}^{n} (1 - k / i),

the product form (their Fig. 3) avoiding the huge binomial coefficients. The plug-in estimate
``1 - (1 - c/n)**k`` is biased (their App. A).

**Coverage** (Brown et al. 2024) is pass@k averaged over a benchmark's problems: the fraction solved
by at least one of ``k`` samples. With per-sample success probability ``p_i`` on problem ``i`` its
expectation is ``mean_i [1 - (1 - p_i)**k]``. Brown et al. fit ``log(c) ≈ a k**b`` (Sec. 3.1,
Eq. (2)), that is the *exponentiated power law* ``c ≈ exp(a k**b)`` (Eq. (3)), with ``a, b < 0`` for
a rising curve. Each problem's failure rate ``(1 - p_i)**k`` falls exponentially in ``k``; a power law
for the aggregate comes from a heavy left tail of the ``p_i`` (Schaeffer et al. 2025): for
``p ~ Beta(alpha, beta)`` the expected failure rate is exactly
``B(alpha, beta + k) / B(alpha, beta) ~ Gamma(alpha + beta) / Gamma(beta) * k**-alpha``, so
``-log(coverage) ≈ 1 - coverage`` falls as ``k**-alpha``: Brown et al.'s ``b`` is ``-alpha``.

**One smooth probability, another metric.** A problem whose answer needs ``L`` tokens, each right with
probability ``p_tok``, is solved by one sample with probability ``p_tok**L`` (exact match, see
:mod:`scaling_lib.emergence`); pass@k is ``1 - (1 - p_tok**L)**k``. :func:`task_coverage` computes it
for models of any size under an :class:`~scaling_lib.emergence.TaskLaw`, and
:func:`samples_at_equal_flops` how many samples of a smaller model cost the same inference FLOPs as
one of a larger (``2 N`` FLOPs per token, :mod:`scaling_lib.compute`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from . import _checks, compute, emergence
from .published import Source

CHEN_2021 = Source("chen2021evaluating", "Sec. 2.1, Eq. (1) and Fig. 3")
BROWN_2024 = Source("brown2024large", "Sec. 3.1, Eqs. (2) and (3)")
SCHAEFFER_2025 = Source("schaeffer2025monkeys", "abstract (heavy-tailed single-attempt success rates)")
SNELL_2024 = Source("snell2024scaling", "abstract (FLOPs-matched comparison with a 14x larger model)")

#: Reported coverage of two of Brown et al.'s runs (Sec. 2.2): ``(model, task, pass@1, pass@10,000)``.
BROWN_2024_REPORTED = (
    ("Gemma-2B", "CodeContests", 0.0002, 0.071),
    ("Pythia-160M", "MATH", 0.0027, 0.57),
)
BROWN_2024_REPORTED_SOURCE = Source("brown2024large", "Sec. 2.2")


def _counts(n_samples, n_correct, k):
    n = _checks.array(n_samples, "n_samples", nonnegative=True)
    c = _checks.array(n_correct, "n_correct", nonnegative=True)
    if np.any(n != np.floor(n)) or np.any(c != np.floor(c)):
        raise ValueError("n_samples and n_correct must be whole numbers")
    _checks.broadcastable(n_samples=n, n_correct=c)
    if np.any(n > 1e15):
        raise ValueError(f"n_samples must be at most 1e15 samples; got {n.max():g}")
    n, c = np.broadcast_arrays(n, c)
    if np.any(c > n):
        raise ValueError("n_correct must not exceed n_samples")
    k = _checks.scalar(k, "k", integer=True, low=1)
    if np.any(n < k):
        raise ValueError(f"k must be <= n_samples (every problem needs at least k samples); got k = {k}, "
                         f"smallest n_samples = {int(n.min())}")
    return n.astype(np.int64), c.astype(np.int64), k


def pass_at_k(n_samples, n_correct, k: int):
    """The unbiased estimate of pass@k for each problem (Chen et al. 2021, Eq. (1)).

    Parameters
    ----------
    n_samples : int or array_like of int
        Samples drawn for each problem, ``n >= k``.
    n_correct : int or array_like of int
        How many of them were correct, ``0 <= c <= n`` (broadcast against ``n_samples``).
    k : int
        The number of samples a solver would be allowed (>= 1).

    Returns
    -------
    float or ndarray
        ``1 - C(n - c, k) / C(n, k)``, computed as ``1 - prod_{i=n-c+1}^{n} (1 - k/i)``: a probability.
    """
    n, c, k = _counts(n_samples, n_correct, k)
    out = np.ones(n.shape)
    flat_n, flat_c, flat_out = n.ravel(), c.ravel(), out.ravel()
    for j in range(flat_n.size):
        if flat_n[j] - flat_c[j] >= k:
            i = np.arange(flat_n[j] - flat_c[j] + 1, flat_n[j] + 1, dtype=float)
            flat_out[j] = 1.0 - np.prod(1.0 - k / i)
    return _checks.result(flat_out.reshape(n.shape))


def plug_in_pass_at_k(n_samples, n_correct, k: int):
    """The biased plug-in estimate ``1 - (1 - c/n)**k`` that Chen et al. warn against (App. A): it
    treats the ``n`` samples as if drawn with replacement. For comparison with :func:`pass_at_k`."""
    n, c, k = _counts(n_samples, n_correct, k)
    return _checks.result(1.0 - (1.0 - c / n) ** k)


def coverage(p, k):
    """Expected coverage, ``mean_i [1 - (1 - p_i)**k]``, of problems with per-sample success
    probabilities ``p`` (1-d array, one per problem) for each number of samples in ``k``.

    Parameters
    ----------
    p : array_like
        Per-sample success probability of each problem, in [0, 1].
    k : int or array_like of int
        Numbers of samples (>= 1).

    Returns
    -------
    float or ndarray
        Fraction of problems solved by at least one of ``k`` samples, shaped like ``k``.
    """
    p = _checks.array(p, "p", ndim=1)
    if np.any(p < 0) or np.any(p > 1):
        raise ValueError("p must be probabilities in [0, 1]")
    ks = _sample_counts(k)
    log_fail = np.log1p(-np.minimum(p, 1.0 - 1e-300))  # log(1 - p), -inf avoided at p = 1
    fail = np.where(p[None, :] >= 1.0, 0.0, np.exp(np.multiply.outer(np.ravel(ks), log_fail)))
    return _checks.result((1.0 - fail.mean(axis=1)).reshape(np.shape(ks)))


def _sample_counts(k):
    ks = _checks.array(k, "k")
    if np.any(ks < 1) or np.any(ks != np.floor(ks)):
        raise ValueError("k must be whole numbers of samples, >= 1")
    return ks


def beta_coverage(k, alpha: float, beta: float):
    """Expected coverage when per-sample success probabilities follow ``Beta(alpha, beta)``:
    ``1 - B(alpha, beta + k) / B(alpha, beta)`` (exact). For large ``k`` the failure rate falls as
    ``Gamma(alpha + beta) / Gamma(beta) * k**-alpha``: a power law whose exponent is ``alpha``, the
    weight of problems with ``p`` near 0.

    Parameters
    ----------
    k : int or array_like of int
        Numbers of samples (>= 1).
    alpha, beta : float
        Shape parameters of the distribution of success probabilities (> 0); the mean is
        ``alpha / (alpha + beta)``, the expected pass@1.
    """
    ks = _sample_counts(k)
    a = _checks.scalar(alpha, "alpha", positive=True)
    b = _checks.scalar(beta, "beta", positive=True)
    fail = np.exp(special.betaln(a, b + ks) - special.betaln(a, b))
    return _checks.result(1.0 - fail)


@dataclass(frozen=True)
class CoverageLaw:
    """Brown et al.'s exponentiated power law, ``coverage ≈ exp(a k**b)`` (Sec. 3.1, Eq. (3)).

    Attributes
    ----------
    a : float
        ``log(coverage)`` at one sample (< 0): ``exp(a)`` is the law's pass@1.
    b : float
        The exponent (< 0 for coverage rising with ``k``).
    name : str
        A label.
    source : Source or None
        Where a published law comes from; ``None`` for a fit.
    """

    a: float
    b: float
    name: str = ""
    source: Source | None = None

    def __post_init__(self):
        _checks.scalar(self.a, "a", high=-1e-300)
        _checks.scalar(self.b, "b")
        _checks.text(self.name, "name")
        if self.source is not None:
            _checks.instance(self.source, "source", Source, "a scaling_lib.published.Source or None")

    def coverage(self, k):
        """The law's coverage at ``k`` samples (a fraction; the law is smooth, so ``k`` may be any
        real number > 0)."""
        ks = _checks.array(k, "k", positive=True)
        return _checks.result(np.exp(self.a * ks ** self.b))

    def samples_for(self, target: float) -> float:
        """Samples at which the law reaches coverage ``target`` (in (exp(a), 1)): ``(ln c / a)**(1/b)``;
        ``inf`` if the law never gets there."""
        c = _checks.scalar(target, "target")
        if not 0 < c < 1:
            raise ValueError(f"target must be strictly between 0 and 1; got {c}")
        if self.b >= 0:
            return float("inf") if c > np.exp(self.a) else 1.0
        return float(max((np.log(c) / self.a) ** (1.0 / self.b), 1.0))


@dataclass(frozen=True)
class CoverageFit:
    """A least-squares fit of :class:`CoverageLaw` to measured coverage: ``law``; ``k`` and
    ``coverage``, the points used; ``residual_rms``, the root-mean-square error of ``log(-log c)``."""

    law: CoverageLaw
    k: np.ndarray
    coverage: np.ndarray
    residual_rms: float

    def predict(self, k):
        """The fitted law's coverage at ``k`` samples (> 0)."""
        return self.law.coverage(k)

    def __repr__(self) -> str:
        return (f"CoverageFit(exp({self.law.a:.4g} k^{self.law.b:.4g}), {self.k.size} points, "
                f"rms {self.residual_rms:.3g} in log(-log c))")


def fit_coverage_law(k, measured) -> CoverageFit:
    """Fit ``log(c) = a k**b`` to coverage ``measured`` at sample counts ``k``.

    ``log(-log c) = log(-a) + b log k`` is a straight line, so the fit is ordinary least squares in
    those coordinates (Brown et al. fit the same function class, Sec. 3.1).

    Parameters
    ----------
    k : array_like of int
        Sample counts (>= 1), at least two distinct.
    measured : array_like
        Coverage at each, strictly between 0 and 1 (a coverage of exactly 0 or 1 has no logarithm of
        its logarithm: drop it).
    """
    ks = _sample_counts(k)
    c = _checks.array(measured, "measured", ndim=1, min_size=2)
    ks = np.ravel(ks)
    _checks.same_shape(k=ks, measured=c)
    if np.any(c <= 0) or np.any(c >= 1):
        raise ValueError("measured must be strictly between 0 and 1 (drop points at 0 or 1 coverage)")
    if np.unique(ks).size < 2:
        raise ValueError("k needs at least two distinct sample counts to fit an exponent")
    x, y = np.log(ks), np.log(-np.log(c))
    b, log_minus_a = np.polyfit(x, y, 1)
    rms = float(np.sqrt(np.mean((y - (log_minus_a + b * x)) ** 2)))
    return CoverageFit(CoverageLaw(-float(np.exp(log_minus_a)), float(b), name="fit"), ks, c, rms)


def simulate_correct(p, n_samples: int, *, seed: int = 0):
    """Numbers of correct samples out of ``n_samples`` for problems with per-sample success
    probabilities ``p``: binomial draws, reproducible from ``seed``."""
    p = _checks.array(p, "p")
    if np.any(p < 0) or np.any(p > 1):
        raise ValueError("p must be probabilities in [0, 1]")
    n = _checks.scalar(n_samples, "n_samples", integer=True, low=1, high=1e15)
    seed = _checks.scalar(seed, "seed", integer=True, nonnegative=True)
    return _checks.result(np.asarray(np.random.default_rng(seed).binomial(n, p), dtype=float))


#: The most problems :func:`beta_problems` draws (a benchmark, not a memory test).
MAX_PROBLEMS = 10_000_000


def beta_problems(n_problems: int, alpha: float, beta: float, *, seed: int = 0) -> np.ndarray:
    """Per-sample success probabilities of ``n_problems`` problems drawn from ``Beta(alpha, beta)``,
    reproducible from ``seed``: a benchmark with a heavy tail of hard problems when ``alpha < 1``."""
    n = _checks.scalar(n_problems, "n_problems", integer=True, low=1, high=MAX_PROBLEMS)
    a = _checks.scalar(alpha, "alpha", positive=True)
    b = _checks.scalar(beta, "beta", positive=True)
    seed = _checks.scalar(seed, "seed", integer=True, nonnegative=True)
    return np.random.default_rng(seed).beta(a, b, size=n)


def task_coverage(n_params, k, answer_tokens, *, law: emergence.TaskLaw = emergence.TaskLaw()):
    """Coverage at ``k`` samples of models of ``n_params`` parameters on problems whose answers need
    ``answer_tokens`` tokens (one entry per problem), each token right with the probability
    ``exp(-L(N))`` of the task law: one sample solves a problem with its exact-match probability
    ``p**L`` (:func:`scaling_lib.emergence.exact_match`), ``k`` samples with ``1 - (1 - p**L)**k``.

    Parameters
    ----------
    n_params : float or array_like
        Model sizes, parameters (> 0), in ``law.unit`` (which must be ``"parameters"``).
    k : int
        Samples per problem (>= 1).
    answer_tokens : array_like of int
        Answer length of each problem, tokens (>= 1).
    law : TaskLaw

    Returns
    -------
    float or ndarray
        Coverage, shaped like ``n_params``.
    """
    if not isinstance(law, emergence.TaskLaw) or law.unit != "parameters":
        raise ValueError(f"law must be an emergence.TaskLaw with unit 'parameters'; got {law!r}")
    sizes = _checks.array(n_params, "n_params", positive=True)
    lengths = _checks.array(answer_tokens, "answer_tokens", ndim=1)
    if np.any(lengths < 1) or np.any(lengths != np.floor(lengths)):
        raise ValueError("answer_tokens must be whole numbers of tokens, >= 1")
    k = _checks.scalar(k, "k", integer=True, low=1)
    try:
        p_tok = np.atleast_1d(np.asarray(law.token_probability(sizes), dtype=float))
    except ValueError as exc:
        raise ValueError(f"n_params: {exc}") from None
    solved_once = p_tok.ravel()[:, None] ** lengths[None, :]
    solved = 1.0 - (1.0 - solved_once) ** k
    return _checks.result(solved.mean(axis=1).reshape(np.shape(sizes)))


def samples_at_equal_flops(n_params_large, n_params_small):
    """Samples of a model of ``n_params_small`` parameters that cost the inference FLOPs of one sample
    of ``n_params_large`` (``2 N`` FLOPs per generated token, the same tokens per sample): the ratio
    ``N_large / N_small``. Attention FLOPs that grow with the context are left out."""
    large = _checks.array(n_params_large, "n_params_large", positive=True)
    small = _checks.array(n_params_small, "n_params_small", positive=True)
    _checks.broadcastable(n_params_large=large, n_params_small=small)
    return _checks.finite(lambda: large / small, "n_params_large and n_params_small", "the ratio")


def inference_flops(n_params, tokens_per_sample, samples):
    """Inference FLOPs of ``samples`` samples of ``tokens_per_sample`` generated tokens from a model
    of ``n_params`` parameters: ``2 N x tokens x samples`` (the prompt and attention left out)."""
    n = _checks.array(n_params, "n_params", positive=True)
    t = _checks.array(tokens_per_sample, "tokens_per_sample", positive=True)
    s = _checks.array(samples, "samples", positive=True)
    _checks.broadcastable(n_params=n, tokens_per_sample=t, samples=s)
    return _checks.finite(lambda: compute._inference_flops(n, t * s), "n_params, tokens_per_sample and samples", "2 N T S")
