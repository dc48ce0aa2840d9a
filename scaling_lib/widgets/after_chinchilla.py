"""The After Chinchilla chapter's explorers: coverage from repeated sampling and its fitted law, what
quantizing after training costs a model trained for longer, and mixture-of-experts granularity at a
compute budget."""

from __future__ import annotations

import numpy as np

from .. import _checks, compute, moe, plotting, precision, sampling
from . import Choice, Explorer, Slider, check_axes

#: The samples per problem the coverage explorer draws, and the one its readout forecasts.
COVERAGE_K_MAX = 1e6
FORECAST_K = 10_000
#: Points of the exact coverage the law is fitted on (log-spaced from 1 to ``k_fit``).
FIT_POINTS = 20
#: The tokens per parameter the precision explorer draws.
TOKENS_PER_PARAMETER = (1.0, 1e5)


def draw_coverage(axes, alpha: float, pass_at_1: float, k_fit: float):
    """Exact coverage against samples for problems whose per-sample success follows
    ``Beta(alpha, beta)`` with mean ``pass_at_1`` (:func:`scaling_lib.sampling.beta_coverage`), Brown
    et al.'s law fitted on ``k <= k_fit`` (:func:`scaling_lib.sampling.fit_coverage_law`) and carried
    to 10^6 samples; left coverage, right ``-log(coverage)`` on log-log axes, where the law is a line
    of slope ``b``. Each argument lies in its control's range (:func:`coverage_explorer`)."""
    left, right = check_axes(axes, 2, "axes")
    alpha = _checks.scalar(alpha, "alpha", low=0.1, high=2.0)
    pass_at_1 = _checks.scalar(pass_at_1, "pass_at_1", low=0.005, high=0.5)
    k_fit = _checks.scalar(k_fit, "k_fit", low=10.0, high=1e4)
    beta = alpha * (1.0 - pass_at_1) / pass_at_1
    grid = np.unique(np.geomspace(1.0, COVERAGE_K_MAX, 121).round())
    exact = np.asarray(sampling.beta_coverage(grid, alpha, beta))
    fit_k = np.unique(np.geomspace(1.0, k_fit, FIT_POINTS).round())
    fit_c = np.asarray(sampling.beta_coverage(fit_k, alpha, beta))
    fit = sampling.fit_coverage_law(fit_k[fit_c < 1.0], fit_c[fit_c < 1.0])
    law = np.asarray(fit.predict(grid))
    inside = grid <= k_fit
    C = plotting.COLORS
    with np.errstate(divide="ignore"):
        minus_log = (-np.log1p(-(1.0 - exact)), -np.log(law))  # -log c from the failure rate, exactly
    for ax, (truth, fitted) in ((left, (exact, law)), (right, minus_log)):
        ax.plot(grid, truth, "--", color=C["truth"], lw=1.5, label="exact coverage")
        ax.plot(grid[inside], fitted[inside], color=C["fit"], label="law fitted on k <= k_fit")
        ax.plot(grid[~inside], fitted[~inside], ":", color=C["extrapolation"], lw=2, label="law carried further")
        ax.axvline(k_fit, color=C["neutral"], lw=0.8)
    # the power law k^-alpha with Brown et al.'s b = -alpha, through the exact curve at 10^6 samples
    tail = minus_log[0][-1] * (grid / grid[-1]) ** -alpha
    right.plot(grid, tail, color=C["neutral"], lw=1, label="slope -alpha")
    forecast = float(fit.predict(FORECAST_K))
    exact_there = float(sampling.beta_coverage(FORECAST_K, alpha, beta))
    for ax in (left, right):
        ax.plot([FORECAST_K], [forecast if ax is left else -np.log(forecast)], "o", ms=7, color=C["fit"])
    left.set_ylim(0.0, 1.02)
    right.set_ylim(1e-5, 10.0)
    for ax in (left, right):
        ax.set_xlim(1.0, COVERAGE_K_MAX)
    plotting.log_axes(left, "samples per problem k", "coverage (fraction solved)", y=False,
                      title="Coverage against samples")
    plotting.log_axes(right, "samples per problem k", "-log(coverage)", title="Where the law is a line")
    left.legend(loc="upper left")
    right.legend(loc="lower left")
    direction = "over" if forecast > exact_there else "under"
    text = (f"Beta({alpha:.3g}, {beta:.3g}) problems, pass@1 {100 * pass_at_1:.3g} %. Fitted on k <= "
            f"{k_fit:,.0f}: b = {fit.law.b:.3f} (-alpha = {-alpha:.3f}); at {FORECAST_K:,} samples the law "
            f"forecasts {100 * forecast:.2f} %, exact {100 * exact_there:.2f} % "
            f"({direction}-forecast by {100 * abs(forecast - exact_there):.2f} points).")
    return text


def coverage_explorer() -> Explorer:
    return Explorer(
        name="coverage and its law",
        callback=draw_coverage,
        controls={
            "alpha": Slider("tail of hard problems (Beta alpha)", 0.1, 2.0, 0.3, log=True, step=0.05),
            "pass_at_1": Slider("mean pass@1", 0.005, 0.5, 0.09, log=True, step=0.05),
            "k_fit": Slider("fit on k up to", 10.0, 1e4, 100.0, log=True, step=0.25, readout_format=",.0f"),
        },
        alt="Two panels against samples per problem on a log axis from 1 to a million. Left: exact coverage "
            "as a dashed curve rising towards 1, the fitted law over its fit range and dotted beyond it, and a "
            "dot at its forecast for 10,000 samples. Right: minus the log of coverage on log-log axes, where "
            "the fitted law is a straight line and the exact curve bends towards a grey line of slope minus alpha.",
        layout={"ncols": 2, "width": 9.6, "height": 3.8},
        scenarios=(
            ("the chapter's benchmark: alpha 0.3, pass@1 9 %, fit on k <= 100 (as it opens)", {}),
            ("the same, fitted on k <= 10,000", {"k_fit": 1e4}),
            ("a light tail: alpha 2", {"alpha": 2.0}),
            ("very hard problems: pass@1 0.5 %", {"pass_at_1": 0.005}),
        ),
    )


def draw_quantization(axes, post_bits: int, log10_params: float):
    """Loss against tokens per parameter for a model of ``10**log10_params`` parameters trained in
    16 bits, and for the same model quantized to ``post_bits`` bits after training, by Kumar et al.'s
    law (:func:`scaling_lib.precision.training_loss`, :func:`scaling_lib.precision.quantized_loss`),
    with the token count past which more data makes the quantized model worse
    (:func:`scaling_lib.precision.harmful_tokens`) marked. The loss is drawn above the law's
    irreducible ``E``, on a log axis. Each argument lies in its control's range
    (:func:`quantization_explorer`)."""
    ax = check_axes(axes, name="axes")
    post_bits = _checks.scalar(post_bits, "post_bits", integer=True, low=2, high=8)
    log10_params = _checks.scalar(log10_params, "log10_params", low=7.5, high=10.0)
    law = precision.KUMAR_2024
    n = 10.0**log10_params
    ratio = np.geomspace(*TOKENS_PER_PARAMETER, 121)
    tokens = n * ratio
    full = np.asarray(precision.training_loss(n, tokens, 16.0, law)) - law.E
    quantized = np.asarray(precision.quantized_loss(n, tokens, post_bits, law)) - law.E
    harmful = precision.harmful_tokens(n, post_bits, law)
    C = plotting.COLORS
    ax.plot(ratio, full, color=C["parameters"], label="trained in 16 bits")
    ax.plot(ratio, quantized, color=C["compute"], label="then quantized")
    shown = np.isfinite(harmful) and TOKENS_PER_PARAMETER[0] <= harmful / n <= TOKENS_PER_PARAMETER[1]
    if shown:
        at = float(precision.quantized_loss(n, harmful, post_bits, law)) - law.E
        ax.plot([harmful / n], [at], "o", ms=8, color=C["compute"], label="more data hurts beyond")
        ax.axvline(harmful / n, color=C["compute"], lw=0.8, ls=":")
    ax.axvline(20.0, color=C["neutral"], lw=0.8)
    ax.set_xlim(*TOKENS_PER_PARAMETER)
    ax.set_ylim(0.02, 30.0)
    plotting.log_axes(ax, "training tokens per parameter D/N", "loss above E (nats/token)",
                      title="Kumar et al.'s law, as the book reads it")
    ax.legend(loc="upper right")
    cost = {r: float(precision.ptq_degradation(n, r * n, post_bits, law)) for r in (20.0, 1000.0)}
    turn = (f"more data makes the {post_bits}-bit model worse past {harmful:.3g} tokens "
            f"({harmful / n:,.0f} per parameter)" if np.isfinite(harmful)
            else f"more data still helps the {post_bits}-bit model at 1e30 tokens")
    text = (f"N = {n:.3g}, quantized to {post_bits} bits after training: {turn}. Quantizing costs "
            f"{cost[20.0]:.3g} nats at 20 tokens per parameter and {cost[1000.0]:.3g} at 1,000.")
    return text


def quantization_explorer() -> Explorer:
    return Explorer(
        name="quantization after training",
        callback=draw_quantization,
        controls={
            "post_bits": Slider("bits after training", 2, 8, 4, integer=True),
            "log10_params": Slider("model size (log10 N)", 7.5, 10.0, 8.0, step=0.25),
        },
        alt="Loss above the irreducible loss against training tokens per parameter, both on log axes: the "
            "16-bit model's curve keeps falling, while the quantized model's curve falls, turns at a marked "
            "dot and rises; a grey vertical line marks 20 tokens per parameter.",
        scenarios=(
            ("100M parameters, 4 bits (as it opens)", {}),
            ("3 bits", {"post_bits": 3}),
            ("6 bits", {"post_bits": 6}),
            ("4 bits, a 10B-parameter model", {"log10_params": 10.0}),
        ),
    )


#: The granularities the MoE explorer offers (their Table 2 tabulates G from 8 to 64).
GRANULARITIES = (1, 2, 4, 8, 16, 32, 64)
#: The active parameters the MoE explorer draws.
ACTIVE_RANGE = (1e7, 1e13)


def draw_granularity(axes, log10_flops: float, granularity: int):
    """Loss against active parameters at a training budget of ``10**log10_flops`` FLOPs
    (``6 N_active D``) for Krajewski et al.'s dense law and their MoE law (``E = 64``) at
    ``granularity``, with each law's compute-optimal model marked
    (:func:`scaling_lib.moe.compute_optimal`) and the compute a dense model needs for the MoE's loss
    (:func:`scaling_lib.moe.dense_compute_multiplier`). Routing FLOPs are left out, which favours high
    granularity. Each argument lies in its control's range (:func:`granularity_explorer`)."""
    ax = check_axes(axes, name="axes")
    log10_flops = _checks.scalar(log10_flops, "log10_flops", low=19.0, high=25.0)
    granularity = _checks.choice(granularity, "granularity", GRANULARITIES)
    flops = 10.0**log10_flops
    dense_law, moe_law = moe.KRAJEWSKI_2024_DENSE, moe.KRAJEWSKI_2024_MOE
    active = np.geomspace(*ACTIVE_RANGE, 121)
    tokens = compute.tokens_for_budget(flops, active)
    dense_loss = np.asarray(moe.granular_loss(active, tokens, 1.0, dense_law))
    moe_loss = np.asarray(moe.granular_loss(moe.total_from_active(active), tokens, granularity, moe_law))
    coarse = np.asarray(moe.granular_loss(moe.total_from_active(active), tokens, 1.0, moe_law))
    best_dense = moe.compute_optimal(flops, dense_law)
    best_moe = moe.compute_optimal(flops, moe_law, granularity=float(granularity))
    times = moe.dense_compute_multiplier(flops, moe_law, dense_law, granularity=float(granularity))
    C = plotting.COLORS
    ax.plot(active, dense_loss, color=C["chinchilla"], label="dense")
    ax.plot(active, coarse, "--", color=C["neutral"], lw=1.2, label="MoE, G = 1")
    ax.plot(active, moe_loss, color=C["compute"], label="MoE at the chosen G")
    ax.plot([best_dense.n_active], [best_dense.loss], "o", ms=8, color=C["chinchilla"])
    ax.plot([best_moe.n_active], [best_moe.loss], "o", ms=8, color=C["compute"])
    ax.set_xlim(*ACTIVE_RANGE)
    ax.set_ylim(1.2, 4.5)
    plotting.log_axes(ax, "active parameters N_active", "loss (nats/token, their data)", y=False,
                      title="One training budget, E = 64")
    ax.legend(loc="upper right")
    text = (f"{flops:.3g} FLOPs: dense optimum N = {best_dense.n_active:.3g}, loss {best_dense.loss:.3f}; "
            f"MoE with G = {granularity}: N_active = {best_moe.n_active:.3g} (N_total = {best_moe.n_total:.3g}), "
            f"D = {best_moe.n_tokens:.3g}, loss {best_moe.loss:.3f}. A dense model needs {times:.1f}x the "
            f"compute for that loss (routing FLOPs left out).")
    return text


def granularity_explorer() -> Explorer:
    return Explorer(
        name="mixture-of-experts granularity",
        callback=draw_granularity,
        controls={
            "log10_flops": Slider("training budget (log10 FLOPs)", 19.0, 25.0, 22.0, step=0.25),
            "granularity": Choice("granularity G", GRANULARITIES, 8),
        },
        alt="Loss against active parameters at one training budget, log x axis: valley-shaped curves for the "
            "dense law, the MoE law with coarse experts (dashed) and the MoE law at the chosen granularity, "
            "each with a dot at its lowest point; the MoE curves lie below the dense one.",
        scenarios=(
            ("10^22 FLOPs, G = 8 (as it opens)", {}),
            ("coarse experts: G = 1", {"granularity": 1}),
            ("fine experts: G = 64", {"granularity": 64}),
            ("a small budget: 10^19 FLOPs", {"log10_flops": 19.0}),
            ("a large budget: 10^25 FLOPs", {"log10_flops": 25.0}),
        ),
    )


EXPLORERS = (coverage_explorer, quantization_explorer, granularity_explorer)
