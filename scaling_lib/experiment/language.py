"""A synthetic language whose entropy rate is known exactly: the data of the book's own experiment.

The language is an order-``k`` Markov chain (``k = 3`` by default) over ``V = 64`` symbols. The
distribution of the next token given the last ``k`` is a softmax of logits made of two parts:

* a Zipf unigram bias, ``-s ln r`` for the symbol of rank ``r = 1 .. V`` (``s = 0.3``);
* a fixed random *teacher*: one tanh layer of ``F = 16,384`` features,
  ``g * sum_i w_i tanh(u_{1,x_1,i} + ... + u_{k,x_k,i}) v_i`` with ``u`` and ``v`` standard normal
  (``u`` times ``input_scale``), importances ``w_i ∝ i**-0.6`` normalised to ``sum w_i**2 = 1`` and
  gain ``g = 4.5``.

The slowly decaying importances make the teacher a long tail of ever weaker features, so a bigger
model keeps finding more to learn: the reason the experiment shows a power law (a teacher whose
importances decay like ``i**-1`` leaves too little for large models to learn; see
``shared/reference/experiment.md`` in the book's repository history and the chapter).

Everything the chapter needs is exact: the stationary distribution over the ``V**k`` contexts (power
iteration to an L1 residual below ``1e-12``), the entropy rate, the conditional entropies given
0, 1, ..., k previous tokens, and the population cross-entropy of any model (a sum over all
contexts weighted by their stationary probability), by the chain's tools in
:mod:`scaling_lib.experiment.markov`. :meth:`MarkovLanguage.sample` draws fresh,
independent (context, next token) pairs from the stationary distribution, as a data stream that
never repeats.

All entropies are in nats (per token).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import numpy as np

from .. import _checks
from ._threads import one_blas_thread
from .exact import _exp, _fixed_point, _zipf_bias
from .markov import (STATIONARY_TOLERANCE, _alias_draw, _factor_tables, alias_tables, conditional_entropies,
                     stationary_distribution)

#: Streams of random numbers, one per purpose, so changing one never changes another.
#: A stream is ``numpy.random.default_rng([stream, language_seed, ...])``.
TEACHER_STREAM, DATA_STREAM, HELDOUT_STREAM, INIT_STREAM = 101, 102, 103, 104

#: The design of the book's language (see the module docstring).
DEFAULTS = dict(vocab_size=64, order=3, n_features=16_384, zipf_exponent=0.3,
                importance_exponent=0.6, teacher_gain=4.5, input_scale=1.0)

#: The most teacher features, and the largest exponent, gain and input scale, a language accepts
#: (beyond them the float32 tables overflow or a build takes hours).
MAX_FEATURES = 1 << 20
MAX_SETTING = 1e4
#: The most (context, next token) pairs one :meth:`MarkovLanguage.sample` draws (about 2 GB of
#: uniform variates for order 3).
MAX_SAMPLE_TOKENS = 1 << 26


def _settings(vocab_size, order, n_features, zipf_exponent, importance_exponent, teacher_gain,
              input_scale) -> dict:
    return dict(
        vocab_size=_checks.scalar(vocab_size, "vocab_size", integer=True, low=2, high=256),
        order=_checks.scalar(order, "order", integer=True, low=2, high=4),
        n_features=_checks.scalar(n_features, "n_features", integer=True, low=1, high=MAX_FEATURES),
        zipf_exponent=_checks.scalar(zipf_exponent, "zipf_exponent", nonnegative=True, high=MAX_SETTING),
        importance_exponent=_checks.scalar(importance_exponent, "importance_exponent", nonnegative=True,
                                           high=MAX_SETTING),
        teacher_gain=_checks.scalar(teacher_gain, "teacher_gain", nonnegative=True, high=MAX_SETTING),
        input_scale=_checks.scalar(input_scale, "input_scale", nonnegative=True, high=MAX_SETTING),
    )


def _teacher(seed: int, s: dict):
    """The teacher's weights: input weights (order, V, F) and output weights (F, V), float32."""
    rng = np.random.default_rng([TEACHER_STREAM, seed])
    V, k, F = s["vocab_size"], s["order"], s["n_features"]
    u = rng.standard_normal((k, V, F), dtype=np.float32)
    u *= np.float32(s["input_scale"])
    # scalar powers and an exactly rounded sum (numpy's vectorised power and BLAS's dot product
    # differ in the last bit between CPUs)
    importance = np.array([math.pow(i, -s["importance_exponent"]) for i in range(1, F + 1)])
    importance /= math.sqrt(math.fsum(importance * importance))
    v = rng.standard_normal((F, V), dtype=np.float32)
    v *= (s["teacher_gain"] * importance).astype(np.float32)[:, None]
    return u, v


def teacher_logits(seed: int = 0, first_tokens=None, *, vocab_size: int = 64, order: int = 3,
                   n_features: int = 16_384, zipf_exponent: float = 0.3,
                   importance_exponent: float = 0.6, teacher_gain: float = 4.5,
                   input_scale: float = 1.0) -> np.ndarray:
    """Next-token logits of the contexts whose oldest token is in ``first_tokens``.

    The expensive step of :func:`build_language` (``V**k * F`` tanh evaluations and a matrix product
    of ``2 V**(k+1) F`` FLOPs: ~5.5e11 for the book's language, ~10 s on one core), split by the
    oldest token so that several processes can share it.

    Parameters
    ----------
    seed : int
        Seed of the language (non-negative).
    first_tokens : sequence of int, optional
        Oldest tokens of the contexts wanted (default: all ``V``), in increasing order.
    vocab_size, order, n_features, zipf_exponent, importance_exponent, teacher_gain, input_scale
        The design; see the module docstring.

    Returns
    -------
    ndarray, float64, shape (len(first_tokens) * V**(k-1), V)
        Logits (nats), the same bits on every machine (see :func:`build_language`), rows in the order of the context index
        ``x_1 V**(k-1) + x_2 V**(k-2) + ... + x_k`` (``x_1`` the oldest token).
    """
    seed = _checks.scalar(seed, "seed", integer=True, nonnegative=True)
    s = _settings(vocab_size, order, n_features, zipf_exponent, importance_exponent, teacher_gain,
                  input_scale)
    V, k, F = s["vocab_size"], s["order"], s["n_features"]
    if first_tokens is None:
        first = np.arange(V)
    else:
        first = np.asarray(first_tokens)
        if first.ndim != 1 or first.size == 0 or not np.issubdtype(first.dtype, np.integer) \
                or first.min() < 0 or first.max() >= V or np.any(np.diff(first) <= 0):
            raise ValueError(f"first_tokens must be increasing integers in [0, {V}); got {first_tokens!r}")
    u, v = _teacher(seed, s)
    feature_bits, weight_bits, weight_scale = _fixed_point(F, v)
    w = np.rint(v.astype(np.float64) * (2.0 ** weight_bits / weight_scale))  # integers, |w| <= 2**weight_bits
    to_logits = weight_scale * 2.0 ** -(feature_bits + weight_bits)  # a power of two: exact
    inner = V ** (k - 1)  # contexts per oldest token
    out = np.empty((first.size * inner, V), dtype=np.float64)
    wide = np.empty((min(inner, max(V, (1 << 24) // F // V * V)), F), dtype=np.float64)
    # rows per block: about 64 MB of float32 features, a whole number of last-token groups
    block = max(V, min(inner, (1 << 24) // F // V * V))
    buf = np.empty((block, F), dtype=np.float32)
    middle = np.zeros((inner // V, F), dtype=np.float32)  # sum over x_2 .. x_{k-1}
    for j in range(1, k - 1):
        idx = (np.arange(inner // V) // V ** (k - 2 - j)) % V
        middle += u[j][idx]
    for n, x1 in enumerate(first):
        for start in range(0, inner, block):
            rows = buf[: min(block, inner - start)]
            groups = rows.shape[0] // V
            g0 = start // V
            view = rows.reshape(groups, V, F)
            np.add((middle[g0:g0 + groups] + u[0][x1])[:, None, :], u[k - 1][None, :, :], out=view)
            np.tanh(rows, out=rows)
            q = wide[: rows.shape[0]]
            np.multiply(rows, 2.0 ** feature_bits, out=q)
            np.rint(q, out=q)  # integers, |q| <= 2**feature_bits
            # every partial sum of integers below 2**53 is exact, so any BLAS kernel, in any order of
            # additions, returns the same sums
            np.matmul(q, w, out=out[n * inner + start: n * inner + start + rows.shape[0]])
    out *= to_logits
    out += _zipf_bias(V, s["zipf_exponent"])
    return out


@dataclass(frozen=True, eq=False)
class MarkovLanguage:
    """The book's synthetic language: exact facts, a sampler and an exact loss for any model.

    Build it with :func:`build_language`.

    Attributes
    ----------
    seed : int
        Seed of the teacher's random weights.
    settings : dict
        The design (vocabulary size, order, features, exponents, gain, input scale).
    conditional : ndarray, float64, shape (V**k, V)
        ``P(next token | context)``.
    stationary : ndarray, float64, shape (V**k,)
        Stationary probability of each context.
    stationary_residual : float
        L1 residual ``|pi P - pi|_1`` of :attr:`stationary` (below 1e-12).
    power_iterations : int
        Iterations the power method took.
    conditional_entropies : tuple of float
        ``H(X_t)``, ``H(X_t | X_{t-1})``, ..., ``H(X_t | X_{t-1} .. X_{t-k})``, nats; the last is the
        entropy rate. Conditioning never raises entropy, so they decrease.
    """

    seed: int
    settings: dict
    conditional: np.ndarray = field(repr=False)
    stationary: np.ndarray = field(repr=False)
    stationary_residual: float
    power_iterations: int
    conditional_entropies: tuple
    _threshold: np.ndarray = field(repr=False)
    _alias: np.ndarray = field(repr=False)

    @property
    def vocab_size(self) -> int:
        """Symbols in the vocabulary."""
        return self.settings["vocab_size"]

    @property
    def order(self) -> int:
        """Tokens of context the next token depends on."""
        return self.settings["order"]

    @property
    def n_contexts(self) -> int:
        """Number of contexts, ``V**k``."""
        return self.conditional.shape[0]

    @property
    def entropy_rate(self) -> float:
        """The entropy rate, nats per token: the loss of a perfect model, the floor ``E`` of the law."""
        return self.conditional_entropies[-1]

    def context_tokens(self, contexts) -> np.ndarray:
        """The tokens ``(x_1 .. x_k)`` (oldest first) of context indices; shape ``(n, k)``."""
        c = np.asarray(contexts)
        if not np.issubdtype(c.dtype, np.integer) or c.size and (c.min() < 0 or c.max() >= self.n_contexts):
            raise ValueError(f"contexts must be integers in [0, {self.n_contexts})")
        V, k = self.vocab_size, self.order
        powers = V ** np.arange(k - 1, -1, -1)
        return (c[..., None] // powers) % V

    def sample(self, n_tokens: int, rng) -> tuple:
        """Draw ``n_tokens`` independent (context, next token) pairs from the stationary distribution.

        The stationary joint of (context, next token) factors as ``pi(x_1) pi(x_2 | x_1) ...
        P(y | x_1 .. x_k)``; each factor is a table of rows of ``V`` probabilities, and each draw one
        O(1) lookup in its alias table (:func:`alias_tables`). Exact up to float64 rounding, and a
        fresh stream that never repeats.

        Parameters
        ----------
        n_tokens : int
            Pairs to draw (>= 1).
        rng : numpy.random.Generator or int
            Source of randomness (an int seeds a new Generator).

        Returns
        -------
        contexts : ndarray of int64, shape (n_tokens,)
            Context indices (see :meth:`context_tokens`).
        next_tokens : ndarray of int64, shape (n_tokens,)
        """
        n_tokens = _checks.scalar(n_tokens, "n_tokens", integer=True, positive=True, high=MAX_SAMPLE_TOKENS)
        rng = _rng(rng)
        V, k = self.vocab_size, self.order
        u = rng.random((k + 1, n_tokens))
        prefix = np.zeros(n_tokens, dtype=np.int64)  # index of the tokens drawn so far
        offset = 0  # first row of the current level's table: levels hold 1, V, V**2 ... rows
        for level in range(k + 1):
            token = _alias_draw(self._threshold, self._alias, offset + prefix, u[level])
            if level == k:
                return prefix, token
            offset += V ** level
            prefix = prefix * V + token

    def cross_entropy(self, log_probs) -> float:
        """The exact population cross-entropy of a model, nats per token.

        ``sum_c pi(c) sum_y P(y | c) (-log q(y | c))`` over all contexts ``c``.

        Parameters
        ----------
        log_probs : array_like, shape (V**k, V)
            The model's ``log q(y | c)`` for every context (natural log).
        """
        logq = _checks.array(log_probs, "log_probs", ndim=2)
        if logq.shape != self.conditional.shape:
            raise ValueError(f"log_probs must have shape {self.conditional.shape}; got {logq.shape}")
        return float(-(self.stationary @ (self.conditional * logq).sum(1)))

    def facts(self) -> dict:
        """The language's facts as plain numbers (what ``data/experiment_language.json`` records)."""
        H = self.conditional_entropies
        freq = np.sort(self.stationary)[::-1]
        ranks = np.arange(1, freq.size + 1)
        body = (ranks >= 10) & (ranks <= freq.size // 10)
        # None when the language has too few contexts (under 30) for a body of ranks to fit
        slope = float(np.polyfit(np.log(ranks[body]), np.log(freq[body]), 1)[0]) if body.sum() > 2 else None
        return {
            "seed": self.seed, **self.settings, "n_contexts": int(self.n_contexts),
            "entropy_rate_nats": H[-1],
            "conditional_entropies_nats": list(H),
            "stationary_residual_l1": self.stationary_residual,
            "power_iterations": self.power_iterations,
            "context_rank_frequency_slope": slope,
        }


def _rng(rng):
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool) and rng >= 0:
        return np.random.default_rng(int(rng))
    raise ValueError(f"rng must be a numpy.random.Generator or a non-negative int; got {rng!r}")


def language_from_logits(logits, seed: int = 0, settings: dict | None = None) -> MarkovLanguage:
    """A :class:`MarkovLanguage` from the next-token logits of every context (float32 or float64).

    The softmax, the stationary distribution and the entropies are computed in float64.
    """
    z = _checks.array(logits, "logits", ndim=2)
    seed = _checks.scalar(seed, "seed", integer=True, nonnegative=True)
    if settings is not None and not isinstance(settings, dict):
        raise _checks.ArgumentTypeError(f"settings must be a dict of the design or None; got {settings!r}")
    if isinstance(logits, np.ndarray) and np.shares_memory(z, logits):
        z = z.copy()  # never change the caller's array
    V = z.shape[1]
    z -= z.max(1, keepdims=True)
    P = _exp(z)
    P /= np.add.reduce(P, axis=1, keepdims=True)
    pi, residual, iterations = stationary_distribution(P)
    if residual >= STATIONARY_TOLERANCE:
        raise ValueError(f"logits: the power iteration stalled at an L1 residual of {residual:.2e}")
    H = conditional_entropies(P, pi)
    threshold, alias = alias_tables(_factor_tables(pi, P))
    for a in (P, pi, threshold, alias):
        a.flags.writeable = False
    settings = dict(settings) if settings is not None else dict(DEFAULTS, vocab_size=V)
    return MarkovLanguage(seed=int(seed), settings=settings, conditional=P, stationary=pi,
                          stationary_residual=float(residual), power_iterations=int(iterations),
                          conditional_entropies=H, _threshold=threshold, _alias=alias)


def build_language(seed: int = 0, *, vocab_size: int = 64, order: int = 3, n_features: int = 16_384,
                   zipf_exponent: float = 0.3, importance_exponent: float = 0.6,
                   teacher_gain: float = 4.5, input_scale: float = 1.0,
                   workers: int = 1) -> MarkovLanguage:
    """Build the book's synthetic language (cached: the same arguments return the same object).

    Parameters
    ----------
    seed : int, default 0
        Seed of the teacher's random weights; each seed is a different language.
    vocab_size : int, default 64
    order : int, default 3
        Tokens of context (``V**k`` contexts: 262,144 for the defaults).
    n_features : int, default 16384
        Features of the teacher's tanh layer.
    zipf_exponent : float, default 0.3
        Unigram bias ``-s ln(rank)``.
    importance_exponent : float, default 0.6
        Feature ``i`` of the teacher weighs ``∝ i**-importance_exponent``.
    teacher_gain : float, default 4.5
        Scale of the teacher's logits (root-sum-square of the importances times this).
    input_scale : float, default 1.0
        Standard deviation of the teacher's input weights.
    workers : int, default 1
        Processes sharing :func:`teacher_logits` (split by the oldest token); the result does not
        depend on it.

    Returns
    -------
    MarkovLanguage

    Notes
    -----
    About 40 s on one core for the defaults (25 s on two), most of it in :func:`teacher_logits`;
    the language holds about 300 MB of tables.

    The tables and every stream :meth:`MarkovLanguage.sample` draws are the same bits on every
    machine with AVX2 (checked under every OpenBLAS kernel, with and without AVX-512, by
    ``bench/portability.py``): the teacher's sums are sums of integers, exact in float64 whatever
    the BLAS kernel and its order of additions; the softmax uses :func:`_exp`, built from exactly
    rounded operations; the power iteration sums in a fixed order. (Without AVX2 numpy computes
    ``tanh`` by another path, and the last bits of the teacher can differ.) Entropies use numpy's
    ``log`` and can differ in their last bit or two.
    """
    seed = _checks.scalar(seed, "seed", integer=True, nonnegative=True)
    s = _settings(vocab_size, order, n_features, zipf_exponent, importance_exponent, teacher_gain,
                  input_scale)
    workers = _checks.scalar(workers, "workers", integer=True, positive=True, high=256)
    return _build_language(seed, workers, **s)


@functools.lru_cache(maxsize=2)
def _build_language(seed: int, workers: int, **s) -> MarkovLanguage:
    """:func:`build_language` on validated arguments, cached on them (so 0, 0.0 and numpy's 0 are
    one language; an argument numpy cannot hash never reaches the cache)."""
    with one_blas_thread():  # the tables must not depend on the number of BLAS threads
        if workers == 1:
            logits = teacher_logits(seed, **s)
        else:
            import multiprocessing

            parts = np.array_split(np.arange(s["vocab_size"]), workers)
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                blocks = pool.starmap(functools.partial(teacher_logits, **s), [(seed, p) for p in parts])
            logits = np.concatenate(blocks)
        return language_from_logits(logits, seed, s)


#: Empties the cache of built languages (``build_language.cache_clear()``, as with ``lru_cache``).
build_language.cache_clear = _build_language.cache_clear
