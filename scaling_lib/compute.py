"""FLOPs accounting: training and inference compute, PF-days, GPU-hours and dollars.

Conventions (Kaplan et al. 2020, Sec. 2.1; Hoffmann et al. 2022, App. F): a forward pass costs about
``2 N`` FLOPs per token for ``N`` parameters, the backward pass twice that, so training costs
``C = 6 N D`` FLOPs on ``D`` tokens and serving costs ``2 N`` FLOPs per generated token.
Hardware speed, utilization and price are always arguments: they are the reader's assumptions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _checks

#: FLOPs in one petaflop/s-day: 1e15 FLOP/s for 86,400 s.
PF_DAY_FLOPS = 1e15 * 86_400.0
SECONDS_PER_HOUR = 3600.0


# The rules themselves, unchecked, for inner loops whose arguments are already validated (and which
# may pass inf through, e.g. tokens a model never reaches): everything else calls the public functions.
def _training_flops(n, d):
    return 6.0 * n * d


def _inference_flops(n, d):
    return 2.0 * n * d


def _tokens_for_budget(c, n):
    return c / (6.0 * n)


def training_flops(n_params, n_tokens):
    """Training compute ``6 N D`` in FLOPs for ``n_params`` parameters on ``n_tokens`` tokens.

    The book's one home of ``C = 6 N D``: every module that counts training compute calls it (or its
    unchecked twin inside a hot loop)."""
    n = _checks.array(n_params, "n_params", positive=True)
    d = _checks.array(n_tokens, "n_tokens", positive=True)
    _checks.broadcastable(n_params=n, n_tokens=d)
    return _checks.finite(lambda: _training_flops(n, d), "n_params and n_tokens", "6 N D")


def inference_flops(n_params, n_tokens):
    """Inference compute ``2 N`` FLOPs per token, in FLOPs, for ``n_tokens`` processed tokens."""
    n = _checks.array(n_params, "n_params", positive=True)
    d = _checks.array(n_tokens, "n_tokens", nonnegative=True)
    _checks.broadcastable(n_params=n, n_tokens=d)
    return _checks.finite(lambda: _inference_flops(n, d), "n_params and n_tokens", "2 N D")


def tokens_for_budget(flops, n_params):
    """Training tokens ``D = C / (6 N)`` that a budget of ``flops`` buys for a model of ``n_params``."""
    c = _checks.array(flops, "flops", positive=True)
    n = _checks.array(n_params, "n_params", positive=True)
    _checks.broadcastable(flops=c, n_params=n)
    return _checks.finite(lambda: _tokens_for_budget(c, n), "flops and n_params", "C / (6 N)")


def forward_flops_per_token(n_params, n_layers, context_length, d_attn):
    """Forward FLOPs per token with the attention term: ``2 N + 2 n_layer n_ctx d_attn``.

    This is Kaplan et al. (2020), Table 1; ``n_params`` counts non-embedding parameters. The
    attention term matters only when the context is long compared with the model width
    (``n_ctx > 12 d_model``).
    """
    n = _checks.array(n_params, "n_params", positive=True)
    layers = _checks.scalar(n_layers, "n_layers", positive=True, integer=True)
    ctx = _checks.scalar(context_length, "context_length", positive=True, integer=True)
    d = _checks.scalar(d_attn, "d_attn", positive=True, integer=True)
    return _checks.finite(lambda: 2.0 * n + 2.0 * float(layers) * float(ctx) * float(d),
                          "n_params, n_layers, context_length and d_attn", "2 N + 2 n_layer n_ctx d_attn")


def training_flops_per_token(n_params, n_layers, context_length, d_attn):
    """Training FLOPs per token with the attention term: three forward passes' worth."""
    forward = np.asarray(forward_flops_per_token(n_params, n_layers, context_length, d_attn))
    return _checks.finite(lambda: 3.0 * forward, "n_params, n_layers, context_length and d_attn",
                          "3 x the forward FLOPs")


@dataclass(frozen=True)
class TransformerFlops:
    """Training FLOPs per token of a dense decoder-only transformer, counted product by product.

    Every part counts the forward pass and a backward pass of twice its cost, as Kaplan et al.
    (2020, Sec. 2.1) and Hoffmann et al. (2022, App. F) both assume. Attributes, in FLOPs per
    training token:

    ``weights``
        Products with the layers' weight matrices (query, key, value and output projections, and the
        feed-forward layer): exactly ``6 * non_embedding_params``, the ``6N`` of ``C = 6ND``.
    ``attention``
        Products that grow with the context: query-key logits, the softmax, and the softmax-weighted
        sum of values (Hoffmann et al., App. F). Kaplan et al.'s Table 1 counts the first product's
        size alone, ``2 n_layer n_ctx d_attn`` forward, half the two products counted here.
    ``embeddings``
        The input embedding (as the product with a one-hot vector) and the output logits, as App. F
        lists them; 0 when no vocabulary is given.
    ``total``
        Their sum.
    ``non_embedding_params``
        The layers' weights, ``n_layer (4 d_model d_attn + 2 d_model d_ff)`` (Kaplan et al., Table 1;
        biases and layer norms left out).
    """

    weights: float
    attention: float
    embeddings: float
    total: float
    non_embedding_params: float


def transformer_flops(*, n_layers: int, d_model: int, n_heads: int, d_head: int, d_ff: int,
                      context_length: int, vocab_size: int | None = None) -> TransformerFlops:
    """The training FLOPs per token of a dense decoder-only transformer, part by part.

    Follows the per-operation count of Hoffmann et al. (2022), App. F, per token of a sequence of
    ``context_length`` tokens: a matrix product of an ``m``-vector with an ``m x n`` matrix costs
    ``2 m n`` FLOPs (one multiply and one add per weight), the backward pass twice the forward.
    ``d_attn = n_heads * d_head``. Compare ``total`` with ``6 * N`` per token to see what
    ``C = 6ND`` leaves out (the power_laws chapter does, against Hoffmann et al.'s Table A4).

    Parameters
    ----------
    n_layers, d_model, n_heads, d_head, d_ff : int
        The shape: layers, residual width, attention heads, width of one head, feed-forward width.
    context_length : int
        Tokens in each training sequence (``n_ctx``).
    vocab_size : int, optional
        Vocabulary size; ``None`` leaves the embedding and logit products out.
    """
    layers = _checks.scalar(n_layers, "n_layers", positive=True, integer=True)
    d = _checks.scalar(d_model, "d_model", positive=True, integer=True)
    heads = _checks.scalar(n_heads, "n_heads", positive=True, integer=True)
    head = _checks.scalar(d_head, "d_head", positive=True, integer=True)
    ff = _checks.scalar(d_ff, "d_ff", positive=True, integer=True)
    ctx = _checks.scalar(context_length, "context_length", positive=True, integer=True)
    vocab = 0 if vocab_size is None else _checks.scalar(vocab_size, "vocab_size", positive=True, integer=True)
    names = "n_layers, d_model, n_heads, d_head, d_ff, context_length and vocab_size"
    d_attn = float(heads) * float(head)
    n_weights = _checks.finite(lambda: float(layers) * (4.0 * d * d_attn + 2.0 * d * ff), names, "the weights")
    backward_too = 3.0  # forward, plus a backward pass of twice its cost
    weights = backward_too * 2.0 * n_weights
    # per token and layer: logits 2 n_ctx d_attn, softmax 3 n_heads n_ctx, values 2 n_ctx d_attn
    attention = backward_too * layers * (4.0 * ctx * d_attn + 3.0 * heads * ctx)
    embeddings = backward_too * 2.0 * (2.0 * vocab * d)
    return TransformerFlops(weights=_checks.finite(weights, names, "the weights' FLOPs"),
                            attention=_checks.finite(attention, names, "the attention FLOPs"),
                            embeddings=_checks.finite(embeddings, names, "the embedding FLOPs"),
                            total=_checks.finite(lambda: weights + attention + embeddings, names, "the FLOPs"),
                            non_embedding_params=n_weights)


def to_pf_days(flops):
    """FLOPs to petaflop/s-days (1 PF-day = 8.64e19 FLOPs)."""
    return _checks.result(_checks.array(flops, "flops", nonnegative=True) / PF_DAY_FLOPS)


def from_pf_days(pf_days):
    """Petaflop/s-days to FLOPs."""
    days = _checks.array(pf_days, "pf_days", nonnegative=True)
    return _checks.finite(lambda: days * PF_DAY_FLOPS, "pf_days", "pf_days x 8.64e19")


def gpu_hours(flops, peak_flops_per_second: float, utilization: float):
    """Accelerator-hours to do ``flops`` at ``utilization`` (0 to 1) of ``peak_flops_per_second``."""
    c = _checks.array(flops, "flops", nonnegative=True)
    peak = _checks.scalar(peak_flops_per_second, "peak_flops_per_second", positive=True)
    util = _checks.scalar(utilization, "utilization", positive=True, high=1.0)
    return _hours(c, peak, util, "flops, peak_flops_per_second and utilization")


def _hours(flops, peak, util, names):
    return _checks.finite(lambda: flops / (peak * util) / SECONDS_PER_HOUR, names, "the accelerator-hours")


@dataclass(frozen=True)
class RunCost:
    """What a run of a given number of FLOPs costs on stated hardware.

    Attributes: ``flops``; ``pf_days``; ``gpu_hours`` (accelerator-hours); ``dollars``;
    ``wall_clock_days`` on ``n_gpus`` accelerators.
    """

    flops: float
    pf_days: float
    gpu_hours: float
    dollars: float
    wall_clock_days: float
    n_gpus: int


def run_cost(flops: float, *, peak_flops_per_second: float, utilization: float,
             dollars_per_gpu_hour: float, n_gpus: int = 1) -> RunCost:
    """The accelerator-hours, dollars and wall-clock days of a run of ``flops`` FLOPs.

    Parameters
    ----------
    flops : float
        Compute of the run, in FLOPs (e.g. ``training_flops(N, D)``).
    peak_flops_per_second : float
        Peak dense throughput of one accelerator in the run's number format, FLOP/s.
    utilization : float
        Model FLOPs utilization, the fraction of peak actually achieved (0 to 1; 0.3 to 0.5 is typical
        of large training runs).
    dollars_per_gpu_hour : float
        Rental price of one accelerator for one hour, in dollars (your assumption).
    n_gpus : int, default 1
        Accelerators working in parallel (changes the wall-clock time, not the cost).
    """
    flops = _checks.scalar(flops, "flops", nonnegative=True)
    peak = _checks.scalar(peak_flops_per_second, "peak_flops_per_second", positive=True)
    util = _checks.scalar(utilization, "utilization", positive=True, high=1.0)
    price = _checks.scalar(dollars_per_gpu_hour, "dollars_per_gpu_hour", nonnegative=True)
    n_gpus = _checks.scalar(n_gpus, "n_gpus", positive=True, integer=True)
    return _run_cost(flops, peak, util, price, n_gpus, "flops, peak_flops_per_second and utilization",
                     "dollars_per_gpu_hour")


def _run_cost(flops, peak, util, price, n_gpus, hour_names, price_name) -> RunCost:
    hours = _hours(flops, peak, util, hour_names)
    dollars = _checks.finite(lambda: hours * price, f"{hour_names} and {price_name}", "the dollars")
    return RunCost(flops=flops, pf_days=flops / PF_DAY_FLOPS, gpu_hours=hours, dollars=dollars,
                   wall_clock_days=hours / n_gpus / 24.0, n_gpus=n_gpus)


def serving_dollars_per_million_tokens(n_params: float, *, peak_flops_per_second: float,
                                       utilization: float, dollars_per_gpu_hour: float) -> float:
    """Compute cost of generating one million tokens with a model of ``n_params`` parameters.

    Counts only the ``2 N`` FLOPs per token at the stated utilization (serving utilization is often
    far below training's); memory, idle time and engineering are outside this number.
    """
    n = _checks.scalar(n_params, "n_params", positive=True)
    peak = _checks.scalar(peak_flops_per_second, "peak_flops_per_second", positive=True)
    util = _checks.scalar(utilization, "utilization", positive=True, high=1.0)
    price = _checks.scalar(dollars_per_gpu_hour, "dollars_per_gpu_hour", nonnegative=True)
    return _serving_per_million(n, peak, util, price, "n_params, peak_flops_per_second and utilization",
                                "dollars_per_gpu_hour")


def _serving_per_million(n, peak, util, price, hour_names, price_name) -> float:
    flops = _checks.finite(lambda: _inference_flops(n, 1e6), "n_params", "2 N FLOPs per token x 1e6 tokens")
    return _run_cost(flops, peak, util, price, 1, hour_names, price_name).dollars


@dataclass(frozen=True)
class BuildOrBuy:
    """Own model (train it, then serve it) against an API, for one expected volume of tokens.

    Attributes: ``training_dollars``; ``serving_dollars``; ``own_dollars`` (their sum);
    ``api_dollars``; ``break_even_tokens`` (served tokens at which owning becomes cheaper, ``inf`` if
    never); ``cheaper`` (``"own"`` or ``"api"``).
    """

    training_dollars: float
    serving_dollars: float
    own_dollars: float
    api_dollars: float
    break_even_tokens: float
    cheaper: str


def build_or_buy(n_params: float, n_training_tokens: float, n_served_tokens: float, *,
                 api_dollars_per_million_tokens: float, peak_flops_per_second: float,
                 training_utilization: float, serving_utilization: float,
                 dollars_per_gpu_hour: float) -> BuildOrBuy:
    """Compare training and serving your own model with paying an API per token.

    Owning costs ``6 N D`` FLOPs once plus ``2 N`` per served token; the API costs its price per
    token. Only compute is counted: a lower bound on owning, since staff, data and idle hardware
    are left out. ``break_even_tokens`` is ``inf`` when serving your own model costs at least the
    API's price per token, so owning never becomes cheaper.
    """
    n = _checks.scalar(n_params, "n_params", positive=True)
    d = _checks.scalar(n_training_tokens, "n_training_tokens", positive=True)
    served = _checks.scalar(n_served_tokens, "n_served_tokens", nonnegative=True)
    api = _checks.scalar(api_dollars_per_million_tokens, "api_dollars_per_million_tokens", nonnegative=True)
    peak = _checks.scalar(peak_flops_per_second, "peak_flops_per_second", positive=True)
    train_util = _checks.scalar(training_utilization, "training_utilization", positive=True, high=1.0)
    serve_util = _checks.scalar(serving_utilization, "serving_utilization", positive=True, high=1.0)
    price = _checks.scalar(dollars_per_gpu_hour, "dollars_per_gpu_hour", nonnegative=True)
    flops = _checks.finite(lambda: _training_flops(n, d), "n_params and n_training_tokens", "6 N D")
    train = _run_cost(flops, peak, train_util, price, 1,
                      "n_params, n_training_tokens, peak_flops_per_second and training_utilization",
                      "dollars_per_gpu_hour").dollars
    per_million = _serving_per_million(n, peak, serve_util, price,
                                       "n_params, peak_flops_per_second and serving_utilization",
                                       "dollars_per_gpu_hour")
    names = "n_params, n_served_tokens, api_dollars_per_million_tokens and the hardware"
    serve = _checks.finite(lambda: per_million * served / 1e6, names, "the serving dollars")
    api_total = _checks.finite(lambda: api * served / 1e6, names, "the API's dollars")
    margin = api - per_million
    break_even = (_checks.finite(lambda: train / margin * 1e6, names, "the break-even tokens")
                  if margin > 0 else float("inf"))
    own = _checks.finite(lambda: train + serve, names, "the dollars of owning")
    return BuildOrBuy(training_dollars=train, serving_dollars=serve, own_dollars=own,
                      api_dollars=api_total, break_even_tokens=break_even,
                      cheaper="own" if own < api_total else "api")
