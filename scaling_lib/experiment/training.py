"""The experiment's training: fresh samples, Adam, a warm-up and a cosine decay, for the network of
:mod:`scaling_lib.experiment.model`.

Training (:func:`train`): fresh samples from the language, mini-batches of 512 tokens, the mean
cross-entropy in nats, Adam (``beta1 = 0.9``, ``beta2 = 0.99``, ``eps = 1e-8``, with bias
correction). The learning rate follows a linear warm-up over the first 5 % of steps to its peak,
then a cosine decay to exactly 0 at the end of the run's tokens. Peaks differ by layer, a
width-scaled rule in the spirit of muP: **0.04 for the input weights ``W1`` and both biases, 2/H
for the output weights ``W2``**; ``W2`` starts at zero (so the first prediction is uniform), ``W1``
at ``N(0, 1/k)`` (so each hidden unit's input has unit variance), the biases at zero. A single
learning rate for all layers makes wide, long runs blow up mid-training.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from .. import _checks, compute
from ._threads import one_blas_thread
from .language import DATA_STREAM, MarkovLanguage
from .model import BATCH_SIZE, MAX_BATCH, MAX_WIDTH, HeldOut, TanhMLP, parameter_counts

#: Adam's and the schedule's settings (see the module docstring).

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
#: The largest run (tokens) and peak learning rate the code accepts: bounds on time, far beyond the
#: experiment's (~5e8 tokens, 0.04).
MAX_TOKENS, MAX_LR = 1 << 40, 10.0


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
