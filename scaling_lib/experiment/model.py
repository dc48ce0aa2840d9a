"""The experiment's model and its training: a one-hidden-layer tanh network, written out by hand.

The model reads the last ``k = 3`` tokens, each one-hot over ``V = 64`` symbols, and predicts the next:

    h = tanh(W1[x_1] + W1[V + x_2] + W1[2V + x_3] + b1)        (width H)
    q(. | x) = softmax(h W2 + b2)                                (V logits)

The first layer is a matrix product of the concatenated one-hot inputs (``kV = 192`` entries, three
of them ones) with ``W1`` (``kV x H``), computed as a sum of three rows of ``W1``: ``W1`` is the
model's *embedding*. Counting parameters:

    W1: kV H = 192 H  (embedding)     b1: H     W2: H V = 64 H     b2: V = 64
    total            N_total = (kV + 1 + V) H + V = 257 H + 64
    non-embedding    N       = (V + 1) H + V      =  65 H + 64   (all but W1)

``N`` (non-embedding, as Kaplan et al. 2020 count) is what the experiment's budgets ``C = 6 N D`` use.

Training (:func:`train`): fresh samples from the language, mini-batches of 512 tokens, the mean
cross-entropy in nats, Adam (``beta1 = 0.9``, ``beta2 = 0.99``, ``eps = 1e-8``, with bias
correction). The learning rate follows a linear warm-up over the first 5 % of steps to its peak,
then a cosine decay to exactly 0 at the end of the run's tokens. Peaks differ by layer, a
width-scaled rule in the spirit of muP: **0.04 for the input weights ``W1`` and both biases, 2/H
for the output weights ``W2``**; ``W2`` starts at zero (so the first prediction is uniform), ``W1``
at ``N(0, 1/k)`` (so each hidden unit's input has unit variance), the biases at zero. A single
learning rate for all layers makes wide, long runs blow up mid-training.

Speed: the one-hot input layer is a sparse matrix (scipy's CSR, ``k + 1`` non-zeros per token: the
``k`` tokens and a constant 1 that carries ``b1``), so the forward pass ``x W1`` and the gradient
``x^T dL/dpre`` of ``W1`` and ``b1`` cost ``2 (k + 1) H`` FLOPs per token each instead of the
``2 (kV + 1) H`` of dense products with mostly-zero inputs. The output layer's three products are
dense BLAS calls on the whole batch. Buffers are reused from step to step, Adam works in place on
one flat vector of parameters. Per token a step does ``6 V H + 4 (k + 1) H`` FLOPs in products
(:func:`matmul_flops_per_token`): ``400 H``, against the ``6 N = 390 H + 384`` of the usual rule.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import _sparsetools  # scipy's compiled sparse kernels (pinned scipy)

from .. import _checks, compute
from ._threads import one_blas_thread
from .language import DATA_STREAM, INIT_STREAM, MarkovLanguage

#: Adam's and the schedule's settings (see the module docstring).
BATCH_SIZE = 512
LR_INPUT = 0.04
OUTPUT_LR_SCALE = 2.0  # the output layer's peak learning rate is OUTPUT_LR_SCALE / width
BETAS = (0.9, 0.99)
EPS = 1e-8
WARMUP_FRACTION = 0.05
#: How far a trained loss may move between machines: the language and its data stream are the same
#: bits everywhere numpy has AVX2, but the float32 matrix products of training are summed in an
#: order that depends on the BLAS kernel. ``bench/portability.py`` measured the largest difference
#: between OpenBLAS kernels (Katmai, Sandybridge, Haswell, SkylakeX, and numpy without AVX-512) at
#: 5.1e-8 nats in every trained result the book compares; this is twenty times that. Without AVX2,
#: numpy's own tanh rounds differently, the language itself changes and trained losses move by up to
#: 4.4e-4 (see the README). Same machine and kernel: identical bits.
REPRODUCTION_TOLERANCE = 1e-6
#: Fractions of the run's tokens at which the exact loss is recorded (the training curve).
EVAL_FRACTIONS = (1 / 16, 1 / 8, 1 / 4, 3 / 8, 1 / 2, 5 / 8, 3 / 4, 7 / 8, 1.0)
#: The largest width, vocabulary, context, batch, run (tokens) and peak learning rate the code
#: accepts: bounds on memory and time, far beyond the experiment's (2048, 64, 3, 512, ~5e8, 0.04).
MAX_WIDTH, MAX_VOCAB, MAX_CONTEXT = 1 << 14, 1 << 16, 16
MAX_BATCH, MAX_TOKENS, MAX_LR = 1 << 20, 1 << 40, 10.0


def _shape(width, vocab_size, context_length) -> tuple:
    return (_checks.scalar(width, "width", integer=True, positive=True, high=MAX_WIDTH),
            _checks.scalar(vocab_size, "vocab_size", integer=True, low=2, high=MAX_VOCAB),
            _checks.scalar(context_length, "context_length", integer=True, positive=True, high=MAX_CONTEXT))


def parameter_counts(width: int, *, vocab_size: int = 64, context_length: int = 3) -> tuple:
    """Parameters of the model: ``(non_embedding, total)``.

    ``total = (k V + 1 + V) H + V`` (``W1``, ``b1``, ``W2``, ``b2``) and ``non_embedding = total - k V H``
    (all but the input embedding ``W1``): ``65 H + 64`` and ``257 H + 64`` for ``V = 64``, ``k = 3``.

    Parameters
    ----------
    width : int
        Hidden units ``H`` (>= 1).
    vocab_size : int, default 64
    context_length : int, default 3
    """
    H, V, k = _shape(width, vocab_size, context_length)
    total = (k * V + 1 + V) * H + V
    return total - k * V * H, total


def matmul_flops_per_token(width: int, *, vocab_size: int = 64, context_length: int = 3) -> int:
    """FLOPs per training token spent in matrix products, counted as the code performs them.

    Output layer: forward ``h W2``, backward ``dz W2^T`` and ``h^T dz``, dense: ``3 x 2 H V``. Input
    layer: sparse products with ``k + 1`` non-zeros per token (the tokens and the constant input of
    ``b1``), forward and backward: ``2 x 2 (k + 1) H``. So ``(6 V + 4 (k + 1)) H`` = ``400 H`` for the
    book's model (the rule ``6 N`` gives ``390 H + 384``). Elementwise work (tanh, softmax, Adam) is
    not counted.
    """
    H, V, k = _shape(width, vocab_size, context_length)
    return (6 * V + 4 * (k + 1)) * H


def lr_schedule(step, total_steps: int, *, warmup_fraction: float = WARMUP_FRACTION):
    """The learning-rate multiplier (0 to 1) at 0-based ``step`` of a run of ``total_steps`` steps.

    Linear warm-up over the first ``W = max(1, round(warmup_fraction * total_steps))`` steps,
    ``(step + 1) / W``, reaching 1 at step ``W - 1``; then a cosine decay
    ``(1 + cos(pi (step - W + 1) / (total_steps - W + 1))) / 2``, which reaches 0 exactly at
    ``step = total_steps`` (one past the last step: the last update is the smallest, not zero).

    Parameters
    ----------
    step : int or array_like of int
        Steps, ``0 <= step <= total_steps``.
    total_steps : int
        Steps in the run (>= 1).
    warmup_fraction : float, default 0.05
        Share of steps spent warming up, in [0, 1).
    """
    total = _checks.scalar(total_steps, "total_steps", integer=True, positive=True)
    frac = _checks.scalar(warmup_fraction, "warmup_fraction", nonnegative=True, high=0.999)
    s = _checks.array(step, "step", nonnegative=True)
    if np.any(s != np.round(s)) or np.any(s > total):
        raise ValueError(f"step must be whole numbers in [0, {total}]")
    W = max(1, round(frac * total))
    warm = (s + 1) / W
    decay = 0.5 * (1 + np.cos(np.pi * np.clip(s - W + 1, 0, None) / (total - W + 1)))
    return _checks.result(np.where(s < W, np.minimum(warm, 1.0), decay))


class TanhMLP:
    """The experiment's model (see the module docstring), parameters in one flat vector.

    Parameters
    ----------
    width : int
        Hidden units ``H``.
    vocab_size : int, default 64
    context_length : int, default 3
    seed : int, default 0
        Seed of the initial ``W1`` (with ``language_seed``).
    language_seed : int, default 0
    dtype : {numpy.float32, numpy.float64}, default float32
        float64 is for gradient checks.
    batch_size : int, default 512
        Largest batch the buffers hold.

    Attributes
    ----------
    params : ndarray
        All parameters, flat; ``W1, b1, W2, b2`` are views of it, as are ``dW1 ...`` of ``grads``.
    """

    def __init__(self, width: int, *, vocab_size: int = 64, context_length: int = 3, seed: int = 0,
                 language_seed: int = 0, dtype=np.float32, batch_size: int = BATCH_SIZE):
        H, V, k = _shape(width, vocab_size, context_length)
        seed = _checks.scalar(seed, "seed", integer=True, nonnegative=True)
        language_seed = _checks.scalar(language_seed, "language_seed", integer=True, nonnegative=True)
        B = _checks.scalar(batch_size, "batch_size", integer=True, positive=True, high=MAX_BATCH)
        try:
            dt = np.dtype(dtype) if isinstance(dtype, (type, np.dtype, str)) else None
        except TypeError:
            dt = None
        if dt is None or dt.name not in ("float32", "float64"):
            raise _checks.ArgumentTypeError(f"dtype must be numpy.float32 or numpy.float64; got {dtype!r}")
        self.width, self.vocab_size, self.context_length, self.seed = H, V, k, seed
        self.dtype = np.dtype(dtype)
        self.n_params_nonembedding, self.n_params_total = parameter_counts(H, vocab_size=V, context_length=k)
        # W1 and b1 are adjacent, so that (W1; b1) is one (kV + 1, H) matrix: b1 is the weight of
        # a constant input
        shapes = [("W1", (k * V, H)), ("b1", (H,)), ("W2", (H, V)), ("b2", (V,))]
        self.params = np.zeros(self.n_params_total, dtype=self.dtype)
        self.grads = np.zeros_like(self.params)
        self.slices = {}
        start = 0
        for name, shape in shapes:
            size = math.prod(shape)
            self.slices[name] = slice(start, start + size)
            setattr(self, name, self.params[start:start + size].reshape(shape))
            setattr(self, "d" + name, self.grads[start:start + size].reshape(shape))
            start += size
        rows = slice(0, (k * V + 1) * H)
        self._W1b = self.params[rows].reshape(k * V + 1, H)
        self._dW1b = self.grads[rows].reshape(k * V + 1, H)
        rng = np.random.default_rng([INIT_STREAM, language_seed, seed, H])
        self.W1[...] = rng.standard_normal((k * V, H)) / math.sqrt(k)
        self._offsets = (np.arange(k) * V).astype(np.intp)
        self._alloc(B)

    def _alloc(self, B: int) -> None:
        H, V, k, dt = self.width, self.vocab_size, self.context_length, self.dtype
        self.batch_size = B
        self._tmp = np.empty((B, H), dt)
        self._h = np.empty((B, H), dt)
        self._total = np.empty(B, dt)
        self._ones_v = np.ones(V, dt)
        self._z = np.empty((B, V), dt)
        self._ones = np.ones(B * (k + 1), dt)
        self._indptr = np.arange(0, B * (k + 1) + 1, k + 1)
        self._cols = np.empty((B, k + 1), np.intp)
        self._cols[:, k] = k * V  # the constant input of b1
        self._rows = np.arange(B)

    def loss_and_grad(self, tokens, targets) -> float:
        """Mean cross-entropy (nats) of a batch and its gradient, written into :attr:`grads`.

        Parameters
        ----------
        tokens : ndarray of int, shape (n, k)
            The context tokens, oldest first (``n <= batch_size``).
        targets : ndarray of int, shape (n,)
            The next tokens.
        """
        tokens = np.asarray(tokens)
        targets = np.asarray(targets)
        n = tokens.shape[0] if tokens.ndim == 2 else 0
        if tokens.ndim != 2 or tokens.shape[1] != self.context_length or not 1 <= n <= self.batch_size:
            raise ValueError(f"tokens must have shape (n, {self.context_length}) with 1 <= n <= "
                             f"{self.batch_size}; got {tokens.shape}")
        if targets.shape != (n,):
            raise ValueError(f"targets must have shape ({n},); got {targets.shape}")
        for name, a in (("tokens", tokens), ("targets", targets)):
            if not np.issubdtype(a.dtype, np.integer) or a.min() < 0 or a.max() >= self.vocab_size:
                raise ValueError(f"{name} must be integers in [0, {self.vocab_size})")
        return self._step(tokens + self._offsets, targets)

    def _step(self, idx: np.ndarray, targets: np.ndarray, want_loss: bool = True) -> float:
        """Forward and backward pass; ``idx`` (n, k) are rows of ``W1`` (token + position * V)."""
        n, k = idx.shape
        V = self.vocab_size
        tmp, z = self._tmp[:n], self._z[:n]
        rows = self._rows[:n]
        cols = self._cols[:n]
        cols[:, :k] = idx
        # the one-hot input as a sparse matrix (CSR: k + 1 ones per row), multiplied by scipy's
        # compiled kernels directly: building a scipy.sparse object every step costs more than the
        # product itself for narrow models
        m = k * V + 1
        ones, col_idx, indptr = self._ones[:n * (k + 1)], cols.reshape(-1), self._indptr[:n + 1]
        h = self._h[:n]
        h.fill(0)
        _sparsetools.csr_matvecs(n, m, self.width, indptr, col_idx, ones, self._W1b.reshape(-1), h.reshape(-1))
        np.tanh(h, out=h)
        np.matmul(h, self.W2, out=z)
        z += self.b2
        # softmax cross-entropy; z becomes dL/dz. Softmax ignores a shift of a row's logits; the
        # usual shift by the row's maximum only guards exp against overflow, and as |h| <= 1 no
        # logit can exceed max_y (sum_j |W2[j, y]| + |b2[y]|): below 60, exp is safe unshifted
        # (64 e**60 is far from float32's limit), and a row maximum costs more than the softmax
        if np.abs(self.W2).sum(0).max() + np.abs(self.b2).max() >= 60.0:
            z -= z.max(1, keepdims=True)
        target = rows * V + targets
        target_logit = z.reshape(-1)[target] if want_loss else None
        np.exp(z, out=z)
        total = self._total[:n]
        np.matmul(z, self._ones_v, out=total)  # row sums as a product: faster than z.sum(1)
        loss = float(np.mean(np.log(total) - target_logit)) if want_loss else float("nan")
        total *= n
        np.reciprocal(total, out=total)
        z *= total[:, None]
        z.reshape(-1)[target] -= 1.0 / n
        # backward
        np.matmul(h.T, z, out=self.dW2)
        np.sum(z, axis=0, out=self.db2)
        np.matmul(z, self.W2.T, out=tmp)  # dL/dh
        np.multiply(h, h, out=h)
        np.subtract(1.0, h, out=h)
        tmp *= h  # dL/d(pre-activation)
        # the gradients of W1 and (last row) b1: x^T dL/dpre, x read as the CSC form of x^T
        self._dW1b.fill(0)
        _sparsetools.csc_matvecs(m, n, self.width, indptr, col_idx, ones, tmp.reshape(-1), self._dW1b.reshape(-1))
        return loss

    def log_probs(self, tokens) -> np.ndarray:
        """``log q(y | context)`` for contexts given as tokens, shape ``(n, V)`` (any ``n``)."""
        tokens = np.asarray(tokens)
        if tokens.ndim != 2 or tokens.shape[1] != self.context_length:
            raise ValueError(f"tokens must have shape (n, {self.context_length}); got {tokens.shape}")
        idx = tokens + self._offsets
        h = self.W1[idx].sum(1) + self.b1
        z = np.tanh(h) @ self.W2 + self.b2
        z = z.astype(np.float64)
        z -= z.max(1, keepdims=True)
        return z - np.log(np.exp(z).sum(1, keepdims=True))

    def population_loss(self, language: MarkovLanguage, heldout=None) -> tuple:
        """The exact population cross-entropy (nats per token) and, if given, a held-out estimate.

        Runs the model on every context of ``language`` in blocks:
        ``sum_c pi(c) sum_y P(y | c) (-log q(y | c))``. Logits and their softmax are computed in the
        model's precision (float32: the sums over the 64 symbols of a context are exact to ~1e-7),
        every sum over contexts in float64.

        Parameters
        ----------
        language : MarkovLanguage
        heldout : HeldOut, optional
            A held-out sample (:func:`heldout_sample`); its mean loss is computed from the same
            ``log q`` table, so it costs nothing extra.

        Returns
        -------
        (exact, heldout_estimate) : tuple
            Floats; ``heldout_estimate`` is ``None`` without ``heldout``.
        """
        V, k, H = self.vocab_size, self.context_length, self.width
        _checks.instance(language, "language", MarkovLanguage, "a MarkovLanguage (from build_language)")
        if heldout is not None:
            _checks.instance(heldout, "heldout", HeldOut, "a HeldOut (from heldout_sample) or None")
        if language.vocab_size != V or language.order != k:
            raise ValueError(f"language must have vocab_size {V} and order {k}")
        inner = V ** (k - 1)
        # rows per block: whole groups of the last token, a divisor of V**(k-1), ~1M hidden units
        target = max(1, (1 << 20) // (V * H))
        groups = max(d for d in range(1, inner // V + 1) if (inner // V) % d == 0 and d <= target)
        block = V * groups
        buf = getattr(self, "_eval_buf", None)
        if buf is None or buf.shape[0] != block:
            buf = self._eval_buf = np.empty((block, H), self.dtype)
            self._eval_z = np.empty((block, V), self.dtype)
            self._eval_e = np.empty((block, V), self.dtype)
        zbuf, ebuf = self._eval_z, self._eval_e
        W1 = self.W1.reshape(k, V, H)
        middle = np.zeros((inner // V, H), self.dtype)
        for j in range(1, k - 1):
            middle += W1[j][(np.arange(inner // V) // V ** (k - 2 - j)) % V]
        pi, P = language.stationary, language.conditional
        exact = 0.0
        held_sum = 0.0
        if heldout is not None:
            bounds = np.searchsorted(heldout.flat_index, np.arange(0, language.n_contexts + 1, block) * V)
        for x1 in range(V):
            first = W1[0][x1] + self.b1
            for start in range(0, inner, block):
                c0 = x1 * inner + start
                view = buf.reshape(groups, V, H)
                np.add((middle[start // V: start // V + groups] + first)[:, None, :], W1[k - 1][None], out=view)
                np.tanh(buf, out=buf)
                np.matmul(buf, self.W2, out=zbuf)
                z = zbuf
                z += self.b2
                z -= z.max(1, keepdims=True)
                np.exp(z, out=ebuf)
                lse = np.log(ebuf.sum(1, dtype=np.float64))
                # sum_y P (lse - z) = lse - sum_y P z
                exact += float(pi[c0:c0 + block] @ (lse - np.einsum("ij,ij->i", P[c0:c0 + block], z)))
                if heldout is not None:
                    b = c0 // block
                    lo, hi = bounds[b], bounds[b + 1]
                    if hi > lo:
                        local = heldout.flat_index[lo:hi] - c0 * V
                        r, y = local // V, local % V
                        held_sum += float(heldout.counts[lo:hi] @ (lse[r] - z[r, y]))
        return exact, (held_sum / heldout.n_tokens if heldout is not None else None)


@dataclass(frozen=True)
class HeldOut:
    """A held-out sample stored as counts of distinct (context, next token) pairs.

    Attributes
    ----------
    flat_index : ndarray of int64
        ``context * V + next_token`` of each distinct pair, increasing.
    counts : ndarray of float64
        How often each pair was drawn.
    n_tokens : int
        Size of the sample.
    """

    flat_index: np.ndarray = field(repr=False)
    counts: np.ndarray = field(repr=False)
    n_tokens: int


def heldout_sample(language: MarkovLanguage, n_tokens: int = 1 << 22) -> HeldOut:
    """A held-out sample of ``n_tokens`` fresh pairs, from its own random stream (fixed per language).

    The model's mean loss on it is an ordinary held-out estimate; :meth:`TanhMLP.population_loss`
    computes it from the same table of ``log q`` as the exact loss. Its standard error is about
    ``1.5 / sqrt(n_tokens)`` nats (0.0007 for the default 2**22 tokens).
    """
    from .language import HELDOUT_STREAM, MAX_SAMPLE_TOKENS
    _checks.instance(language, "language", MarkovLanguage, "a MarkovLanguage (from build_language)")
    n_tokens = _checks.scalar(n_tokens, "n_tokens", integer=True, positive=True, high=MAX_SAMPLE_TOKENS)
    rng = np.random.default_rng([HELDOUT_STREAM, language.seed])
    contexts, nxt = language.sample(n_tokens, rng)
    flat, counts = np.unique(contexts * language.vocab_size + nxt, return_counts=True)
    return HeldOut(flat_index=flat, counts=counts.astype(np.float64), n_tokens=int(n_tokens))


@dataclass(frozen=True)
class TrainResult:
    """One training run.

    Attributes
    ----------
    width, seed : int
    n_params_nonembedding, n_params_total : int
        ``65 H + 64`` and ``257 H + 64`` (see :func:`parameter_counts`).
    n_tokens : int
        Training tokens, all fresh.
    flops : float
        ``6 N n_tokens`` with ``N`` non-embedding, FLOPs.
    final_loss : float
        Exact population cross-entropy at the end, nats per token.
    heldout_loss : float or None
        Mean loss on the held-out sample at the end, nats per token (``None`` if trained without
        one).
    curve_tokens, curve_loss, curve_heldout : ndarray
        The training curve: tokens seen and the exact (and held-out) loss at each evaluation
        (``curve_heldout`` is ``None`` if trained without a held-out sample).
    wall_time_s, eval_time_s : float
        Seconds for the whole run and the part spent evaluating.
    settings : dict
        Batch size, learning rates, betas, eps, warm-up fraction.
    checkpoints : tuple of TrainState
        Snapshots taken at the steps ``train`` was asked for (``checkpoints=``), in step order.
    """

    width: int
    seed: int
    n_params_nonembedding: int
    n_params_total: int
    n_tokens: int
    flops: float
    final_loss: float
    heldout_loss: float
    curve_tokens: np.ndarray = field(repr=False)
    curve_loss: np.ndarray = field(repr=False)
    curve_heldout: np.ndarray = field(repr=False)
    wall_time_s: float = field(repr=False)
    eval_time_s: float = field(repr=False)
    settings: dict = field(repr=False)
    checkpoints: tuple = field(repr=False, default=())


@dataclass(frozen=True)
class TrainState:
    """A snapshot of a run after ``step`` updates: enough to continue it exactly (:func:`train`'s
    ``resume``), with another schedule for the steps left: a cooldown branched from a long run.

    Attributes
    ----------
    step : int
        Updates done.
    width, seed, language_seed, batch_size : int
        What the run was (a resumed run must match them).
    params, m, v : ndarray
        Parameters and Adam's two moments (as :func:`train` keeps them).
    rng_state : dict
        The data stream's generator state after the current block of samples was drawn.
    block_idx, block_targets : ndarray
        The current block of samples (rows of ``W1`` and next tokens); the run continues inside it.
    """

    step: int
    width: int
    seed: int
    language_seed: int
    batch_size: int
    params: np.ndarray = field(repr=False)
    m: np.ndarray = field(repr=False)
    v: np.ndarray = field(repr=False)
    rng_state: dict = field(repr=False)
    block_idx: np.ndarray = field(repr=False)
    block_targets: np.ndarray = field(repr=False)


def tokens_for_budget(flops: float, width: int, *, vocab_size: int = 64, context_length: int = 3) -> int:
    """Training tokens for a budget of ``flops`` FLOPs: ``compute.tokens_for_budget``'s ``C / (6 N)``
    for this width's ``N`` (non-embedding parameters), rounded to whole tokens (at least 1)."""
    flops = _checks.scalar(flops, "flops", positive=True)
    n, _ = parameter_counts(width, vocab_size=vocab_size, context_length=context_length)
    return max(1, round(compute.tokens_for_budget(flops, n)))


def train(language: MarkovLanguage, width: int, n_tokens: int, *, seed: int = 0,
          batch_size: int = BATCH_SIZE, lr_input: float = LR_INPUT, lr_output: float | None = None,
          betas: tuple = BETAS, eps: float = EPS, warmup_fraction: float = WARMUP_FRACTION,
          eval_fractions=EVAL_FRACTIONS, heldout: HeldOut | None = None,
          sample_block: int = 1 << 15, schedule=None, checkpoints=(),
          resume: "TrainState | None" = None) -> TrainResult:
    """Train the model of width ``width`` on ``n_tokens`` fresh tokens of ``language``.

    Parameters
    ----------
    language : MarkovLanguage
    width : int
        Hidden units ``H``.
    n_tokens : int
        Training tokens ``D``; the last batch is shorter if ``batch_size`` does not divide it, so the
        run sees exactly ``D`` tokens and the schedule ends exactly there.
    seed : int, default 0
        Seed of the data stream (shared by all widths: the same tokens in the same order) and, with
        the width, of the initial weights.
    batch_size : int, default 512
        Tokens per step.
    lr_input : float, default 0.04
        Peak learning rate of ``W1``, ``b1`` and ``b2``.
    lr_output : float, optional
        Peak learning rate of ``W2``; default ``2 / width``.
    betas, eps : Adam's settings, default (0.9, 0.99), 1e-8 (eps between 1e-30 and 1)
    warmup_fraction : float, default 0.05
    eval_fractions : sequence of float, default 1/16, 1/8, 1/4, ..., 7/8, 1
        When to compute the exact loss, as fractions of ``n_tokens`` (the end is always included).
    heldout : HeldOut, optional
        Also estimate the loss on this held-out sample at each evaluation.
    sample_block : int, default 32768
        Tokens drawn from the language at a time.
    schedule : array_like of float, optional
        The learning-rate multiplier (in [0, 1]) of every step, ``ceil(n_tokens / batch_size)`` of
        them; default :func:`lr_schedule` (warm-up, then cosine to 0), and ``warmup_fraction`` is
        then unused.
    checkpoints : sequence of int, default ()
        Steps (updates done, ``1 <= step < steps``) after which to keep a :class:`TrainState` in the
        result's ``checkpoints``.
    resume : TrainState, optional
        Continue from this snapshot (same width, seed, language and batch size) instead of starting:
        its first ``resume.step`` steps are taken as done, the schedule's later steps are run, and
        evaluations before ``resume.step`` are skipped. The resumed run keeps the snapshot's data
        stream, so it is the run its source would have been with this schedule's later steps: the
        same, bit for bit, as training it whole whenever the block of samples the snapshot falls
        in is a full ``sample_block`` in both (the stream draws a short last block otherwise).

    Returns
    -------
    TrainResult

    Notes
    -----
    Runs with one BLAS thread (:mod:`scaling_lib.experiment._threads`), so the result depends only
    on the arguments and the machine's arithmetic.
    """
    with one_blas_thread():
        return _train(language, width, n_tokens, seed=seed, batch_size=batch_size, lr_input=lr_input,
                      lr_output=lr_output, betas=betas, eps=eps, warmup_fraction=warmup_fraction,
                      eval_fractions=eval_fractions, heldout=heldout, sample_block=sample_block,
                      schedule=schedule, checkpoints=checkpoints, resume=resume)


def _train(language, width, n_tokens, *, seed, batch_size, lr_input, lr_output, betas, eps,
           warmup_fraction, eval_fractions, heldout, sample_block, schedule=None, checkpoints=(),
           resume=None) -> TrainResult:
    start_time = time.perf_counter()
    _checks.instance(language, "language", MarkovLanguage, "a MarkovLanguage (from build_language)")
    H = _checks.scalar(width, "width", integer=True, positive=True, high=MAX_WIDTH)
    D = _checks.scalar(n_tokens, "n_tokens", integer=True, positive=True, high=MAX_TOKENS)
    seed = _checks.scalar(seed, "seed", integer=True, nonnegative=True)
    B = _checks.scalar(batch_size, "batch_size", integer=True, positive=True, high=MAX_BATCH)
    lr_in = _checks.scalar(lr_input, "lr_input", positive=True, high=MAX_LR)
    lr_out = 2.0 / H if lr_output is None else _checks.scalar(lr_output, "lr_output", positive=True, high=MAX_LR)
    if not (isinstance(betas, (tuple, list)) and len(betas) == 2):
        raise ValueError(f"betas must be a pair (beta1, beta2); got {betas!r}")
    b1 = _checks.scalar(betas[0], "betas[0]", low=0.0, high=0.999999)
    b2 = _checks.scalar(betas[1], "betas[1]", low=0.0, high=0.999999)
    eps = _checks.scalar(eps, "eps", low=1e-30, high=1.0)  # float32 must hold it (and eps * sqrt(...))
    warmup_fraction = _checks.scalar(warmup_fraction, "warmup_fraction", nonnegative=True, high=0.999)
    fr = _checks.array(eval_fractions, "eval_fractions", positive=True, ndim=1)
    if np.any(fr > 1):
        raise ValueError("eval_fractions must lie in (0, 1]")
    if heldout is not None and not isinstance(heldout, HeldOut):
        raise ValueError(f"heldout must be a HeldOut (from heldout_sample) or None; got {heldout!r}")
    sample_block = _checks.scalar(sample_block, "sample_block", integer=True, low=1, high=1 << 24)
    sample_block = max(B, sample_block // B * B)

    model = TanhMLP(H, vocab_size=language.vocab_size, context_length=language.order, seed=seed,
                    language_seed=language.seed, batch_size=B)
    steps = -(-D // B)
    eval_steps = np.unique(np.clip(np.ceil(np.append(fr, 1.0) * D / B), 1, steps).astype(int))
    if schedule is None:
        multiplier = np.asarray(lr_schedule(np.arange(steps), steps, warmup_fraction=warmup_fraction),
                                dtype=np.float64).reshape(-1)
    else:
        multiplier = _checks.array(schedule, "schedule", nonnegative=True, ndim=1).astype(np.float64)
        if multiplier.size != steps or np.any(multiplier > 1):
            raise ValueError(f"schedule must hold {steps} multipliers in [0, 1] (one per step); got "
                             f"{multiplier.size} values, largest {multiplier.max():g}")
    if isinstance(checkpoints, (str, bytes)) or not hasattr(checkpoints, "__iter__"):
        raise _checks.ArgumentTypeError(f"checkpoints must be a sequence of steps; got {checkpoints!r}")
    keep_at = sorted({_checks.scalar(c, "checkpoints", integer=True, positive=True, high=max(1, steps - 1))
                      for c in checkpoints})
    start = 0
    if resume is not None:
        _checks.instance(resume, "resume", TrainState, "a TrainState (from a result's checkpoints) or None")
        if (resume.width, resume.seed, resume.language_seed, resume.batch_size) != (H, seed, language.seed, B) \
                or not 1 <= resume.step < steps:
            raise ValueError(f"resume must be a snapshot of a run of width {H}, seed {seed}, language "
                             f"{language.seed}, batch {B}, taken before step {steps}")
        start = resume.step
        eval_steps = eval_steps[eval_steps > start]
        if any(c <= start for c in keep_at):
            raise ValueError(f"checkpoints must come after the resumed step {start}")
    # Adam's moments are kept as m / (1 - beta1) and v / (1 - beta2), which saves a pass each
    m = np.zeros_like(model.params)
    v = np.zeros_like(model.params)
    if resume is not None:
        model.params[...], m[...], v[...] = resume.params, resume.m, resume.v
    upd = np.empty_like(model.params)
    g = model.grads
    # the learning-rate groups: (W1; b1), W2, b2
    groups = [(slice(0, model.slices["b1"].stop), lr_in), (model.slices["W2"], lr_out),
              (model.slices["b2"], lr_in)]
    data_rng = np.random.default_rng([DATA_STREAM, language.seed, seed])
    powers = language.vocab_size ** np.arange(language.order - 1, -1, -1)
    offsets = model._offsets
    eval_time = 0.0
    curve_t, curve_l, curve_h = [], [], []
    next_eval = 0
    idx_block = targets_block = None
    if resume is not None:
        data_rng.bit_generator.state = resume.rng_state
        idx_block, targets_block = resume.block_idx, resume.block_targets
    kept = []
    for step in range(start, steps):
        pos = (step * B) % sample_block
        if pos == 0:
            n_draw = min(sample_block, D - step * B)
            contexts, targets_block = language.sample(n_draw, data_rng)
            idx_block = (contexts[:, None] // powers) % language.vocab_size + offsets
        n = min(B, D - step * B)
        model._step(idx_block[pos:pos + n], targets_block[pos:pos + n], want_loss=False)
        # Adam with bias correction, in place. With m' = m / (1 - b1), v' = v / (1 - b2),
        # c_i = 1 - b_i**t:  m_hat / (sqrt(v_hat) + eps) = f m' / (sqrt(v') + e'), where
        # f = (1 - b1) / c1 * sqrt(c2 / (1 - b2)) and e' = eps sqrt(c2 / (1 - b2))
        t = step + 1
        m *= b1
        m += g
        np.multiply(g, g, out=upd)
        v *= b2
        v += upd
        root = math.sqrt((1 - b2 ** t) / (1 - b2))
        np.sqrt(v, out=upd)
        upd += eps * root
        np.divide(m, upd, out=upd)
        f = multiplier[step] * (1 - b1) / (1 - b1 ** t) * root
        for part, lr in groups:
            upd[part] *= lr * f
        model.params -= upd
        if next_eval < eval_steps.size and t == eval_steps[next_eval]:
            e0 = time.perf_counter()
            exact, held = model.population_loss(language, heldout)
            if not math.isfinite(exact):
                raise ValueError(f"lr_input and lr_output: training diverged (the loss is {exact} after "
                                 f"{t} steps); lower the learning rates")
            eval_time += time.perf_counter() - e0
            curve_t.append(min(t * B, D))
            curve_l.append(exact)
            curve_h.append(held)
            next_eval += 1
        if len(kept) < len(keep_at) and t == keep_at[len(kept)]:
            kept.append(TrainState(step=t, width=H, seed=seed, language_seed=language.seed, batch_size=B,
                                   params=model.params.copy(), m=m.copy(), v=v.copy(),
                                   rng_state=data_rng.bit_generator.state, block_idx=idx_block,
                                   block_targets=targets_block))
    n_emb, n_total = parameter_counts(H, vocab_size=language.vocab_size, context_length=language.order)
    settings = dict(batch_size=B, lr_input=lr_in, lr_output=lr_out, beta1=b1, beta2=b2, eps=eps,
                    warmup_fraction=warmup_fraction)
    return TrainResult(width=H, seed=seed, n_params_nonembedding=n_emb, n_params_total=n_total,
                       n_tokens=D, flops=compute.training_flops(n_emb, D), final_loss=curve_l[-1],
                       heldout_loss=curve_h[-1],
                       curve_tokens=np.array(curve_t), curve_loss=np.array(curve_l),
                       curve_heldout=np.array(curve_h) if heldout is not None else None,
                       wall_time_s=time.perf_counter() - start_time,
                       eval_time_s=eval_time, settings=settings, checkpoints=tuple(kept))
