"""The Chinchilla chapter's explorers: split a compute budget, and read an IsoFLOP profile."""

from __future__ import annotations

import numpy as np

from .. import _checks, chinchilla, compute, data, kaplan, plotting
from ..chinchilla import PUBLISHED_LAWS as LAWS
from . import Choice, Explorer, Slider, check_axes


def draw_allocation(ax, gpu_hours: float, accelerator: str, utilization: float, dollars_per_gpu_hour: float,
                    law: str):
    """Turn accelerator-hours on stated hardware into FLOPs and dollars, and place Chinchilla's and
    Kaplan's choices for that budget on the parameters-tokens plane. Each argument lies in its
    control's range (:func:`allocation_explorer`)."""
    ax = check_axes(ax)
    gpu_hours = _checks.scalar(gpu_hours, "gpu_hours", low=1e2, high=1e8)
    accelerator = _checks.choice(accelerator, "accelerator", tuple(data.accelerators()))
    utilization = _checks.scalar(utilization, "utilization", low=0.1, high=0.7)
    dollars_per_gpu_hour = _checks.scalar(dollars_per_gpu_hour, "dollars_per_gpu_hour", low=0.5, high=10.0)
    law = _checks.choice(law, "law", tuple(LAWS))
    peak = data.accelerators()[accelerator].peak_flops_per_second
    flops = gpu_hours * compute.SECONDS_PER_HOUR * peak * utilization
    dollars = gpu_hours * dollars_per_gpu_hour
    fitted = LAWS[law]
    ours = chinchilla.compute_optimal(flops, fitted)
    theirs = kaplan.compute_efficient(flops)

    n = np.geomspace(1e6, 1e14, 60)
    ax.plot(n, compute.tokens_for_budget(flops, n), color=plotting.COLORS["compute"], lw=1.5, label="all splits of this budget")
    budgets = np.geomspace(1e15, 1e29, 40)
    frontier = chinchilla.compute_optimal(budgets, fitted)
    ax.plot(frontier.n_params, frontier.n_tokens, color=plotting.COLORS["chinchilla"], lw=1.2, ls="--",
            label="Chinchilla-optimal")
    path = kaplan.compute_efficient(budgets)
    ax.plot(path.n_params, path.n_tokens, color=plotting.COLORS["kaplan"], lw=1.2, ls="--",
            label="Kaplan compute-efficient")
    ax.plot([ours.n_params], [ours.n_tokens], "o", ms=9, color=plotting.COLORS["chinchilla"], label="Chinchilla's choice")
    ax.plot([theirs.n_params], [theirs.n_tokens], "s", ms=9, color=plotting.COLORS["kaplan"], label="Kaplan's choice")
    ax.set_xlim(1e6, 1e14)
    ax.set_ylim(1e7, 1e16)
    plotting.log_axes(ax, "parameters N", "training tokens D")
    ax.legend(loc="upper right")
    kaplan_loss = float(chinchilla.loss(theirs.n_params, theirs.n_tokens, fitted))
    text = (f"{gpu_hours:.3g} h x {accelerator} at {utilization:.0%} = {flops:.3g} FLOPs "
            f"({compute.to_pf_days(flops):.3g} PF-days), ${dollars:,.0f}. "
            f"Chinchilla: N = {ours.n_params:.3g}, D = {ours.n_tokens:.3g} "
            f"({ours.tokens_per_parameter:.0f} tokens/parameter), loss {ours.loss:.3f}. "
            f"Kaplan: N = {theirs.n_params:.3g}, D = {theirs.n_tokens:.3g}, "
            f"loss {kaplan_loss:.3f} by the same law.")
    return text


def allocation_explorer() -> Explorer:
    names = tuple(data.accelerators())
    return Explorer(
        name="compute-budget allocator",
        callback=draw_allocation,
        controls={
            "gpu_hours": Slider("accelerator-hours", 1e2, 1e8, 1e5, log=True, step=0.1),
            "accelerator": Choice("accelerator", names, names[0]),
            "utilization": Slider("utilization (MFU)", 0.1, 0.7, 0.4, step=0.05),
            "dollars_per_gpu_hour": Slider("$ per accelerator-hour", 0.5, 10.0, 2.0, step=0.25),
            "law": Choice("law", tuple(LAWS), tuple(LAWS)[0]),
        },
        alt="Log-log plane of parameters against training tokens: the line of all splits of one compute "
            "budget, the Chinchilla-optimal and Kaplan compute-efficient paths as dashed lines, and the two "
            "papers' choices for this budget as a circle and a square.",
        scenarios=(
            ("10^4 accelerator-hours", {"gpu_hours": 1e4}),
            ("10^5 hours (as it opens)", {}),
            ("10^7 accelerator-hours", {"gpu_hours": 1e7}),
        ),
    )


def draw_isoflop(ax, log10_flops: float, models: int, span: float, noise: float, law: str):
    """Simulate one IsoFLOP profile from a stated law, fit its parabola in ln N, and compare the
    parabola's minimum with the law's true optimum. Each argument lies in its control's range
    (:func:`isoflop_explorer`)."""
    ax = check_axes(ax)
    log10_flops = _checks.scalar(log10_flops, "log10_flops", low=18.0, high=25.0)
    models = _checks.scalar(models, "models", integer=True, low=3, high=15)
    span = _checks.scalar(span, "span", low=2.0, high=100.0)
    noise = _checks.scalar(noise, "noise", low=0.0, high=0.03)
    law = _checks.choice(law, "law", tuple(LAWS))
    fitted = LAWS[law]
    budget = 10.0**log10_flops
    runs = chinchilla.simulate_isoflop_runs(fitted, [budget], models_per_budget=models, span=span,
                                            noise=noise, seed=0)
    coeffs = chinchilla.isoflop_parabola(runs["n_params"], runs["loss"])
    truth = chinchilla.compute_optimal(budget, fitted)
    grid = np.geomspace(runs["n_params"].min() / 2, runs["n_params"].max() * 2, 120)
    ax.plot(grid, chinchilla.loss(grid, compute.tokens_for_budget(budget, grid), fitted), "--",
            color=plotting.COLORS["truth"], lw=1.5, label="true law at this budget")
    ax.plot(runs["n_params"], runs["loss"], "o", color=plotting.COLORS["observed"], label="simulated runs")
    if coeffs[0] > 0:
        estimate, _ = chinchilla.isoflop_minimum(runs["n_params"], runs["loss"])
        inside = grid[(grid >= runs["n_params"].min()) & (grid <= runs["n_params"].max())]
        ax.plot(inside, np.polyval(coeffs, np.log(inside)), color=plotting.COLORS["fit"], label="parabola in ln N")
        ax.axvline(estimate, color=plotting.COLORS["fit"], lw=1, ls=":")
        verdict = f"parabola's minimum N = {estimate:.3g} ({100 * (estimate / truth.n_params - 1):+.0f} % off)"
    else:
        verdict = "the parabola opens downwards: this profile has no minimum to read"
    ax.axvline(truth.n_params, color=plotting.COLORS["truth"], lw=1)
    plotting.log_axes(ax, "parameters N", "final loss (nats/token)", y=False)
    ax.legend(loc="upper center")
    text = (f"budget {budget:.3g} FLOPs, {models} models over a {span:g}x range, {noise:.1%} noise "
            f"(simulated from {law}): true optimum N = {truth.n_params:.3g}; {verdict}")
    return text


def isoflop_explorer() -> Explorer:
    return Explorer(
        name="IsoFLOP profile",
        callback=draw_isoflop,
        controls={
            "log10_flops": Slider("budget (log10 FLOPs)", 18.0, 25.0, 21.0, step=0.25),
            "models": Slider("models in the profile", 3, 15, 9, integer=True),
            "span": Slider("range of sizes (x)", 2.0, 100.0, 16.0, log=True, step=0.05),
            "noise": Slider("noise (sd of log loss)", 0.0, 0.03, 0.005, step=0.001, readout_format=".3f"),
            "law": Choice("law", tuple(LAWS), tuple(LAWS)[0]),
        },
        alt="Final loss against model size at one compute budget: simulated runs, the true law's valley as "
            "a dashed curve, the fitted parabola, and vertical lines at the true and the estimated optimum.",
        scenarios=(
            ("9 models over a 16x range (as it opens)", {}),
            ("a narrow range: 3x", {"span": 3.0}),
            ("few models with noise: 4 models, 2 % noise", {"models": 4, "noise": 0.02}),
            ("a wide range: 100x, 15 models, 2 % noise", {"span": 100.0, "models": 15, "noise": 0.02}),
        ),
    )


EXPLORERS = (allocation_explorer, isoflop_explorer)
