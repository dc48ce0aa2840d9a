"""The experiment's model: a one-hidden-layer tanh network, written out by hand; its training is
:mod:`scaling_lib.experiment.training`.

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

Speed: the one-hot input layer is a sparse matrix (scipy's CSR, ``k + 1`` non-zeros per token: the
``k`` tokens and a constant 1 that carries ``b1``), so the forward pass ``x W1`` and the gradient
``x^T dL/dpre`` of ``W1`` and ``b1`` cost ``2 (k + 1) H`` FLOPs per token each instead of the
``2 (kV + 1) H`` of dense products with mostly-zero inputs. The output layer's three products are
dense BLAS calls on the whole batch. Buffers are reused from step to step, the parameters live in
one flat vector (Adam updates it in place). Per token a step does ``6 V H + 4 (k + 1) H`` FLOPs in products
(:func:`matmul_flops_per_token`): ``400 H``, against the ``6 N = 390 H + 384`` of the usual rule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import _sparsetools  # scipy's compiled sparse kernels (pinned scipy)

from .. import _checks
from .language import INIT_STREAM, MarkovLanguage

#: Tokens per step: the model's buffers are sized for it, and training uses it unless told otherwise.
BATCH_SIZE = 512

#: The largest width, vocabulary, context and batch the code accepts: bounds on memory, far beyond
#: the experiment's (2048, 64, 3, 512).
MAX_WIDTH, MAX_VOCAB, MAX_CONTEXT, MAX_BATCH = 1 << 14, 1 << 16, 16, 1 << 20



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
