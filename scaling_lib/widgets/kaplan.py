"""Chapter 2's explorers: Kaplan et al.'s compute-efficient allocation and learning curves."""

from __future__ import annotations

import numpy as np

from .. import compute, kaplan, plotting
from . import Explorer, Slider

#: Tokens per batch assumed to turn tokens into steps: 512 sequences of 1024 tokens.
BATCH_TOKENS = 512 * 1024


def draw_budget(log10_flops: float):
    """Kaplan et al.'s compute-efficient model size and tokens as compute grows, with one budget
    marked, and the batch, steps and predicted loss it implies."""
    budget = 10.0**log10_flops
    grid = np.geomspace(1e15, 1e26, 60)
    path = kaplan.compute_efficient(grid)
    here = kaplan.compute_efficient(budget)
    fig, ax = plotting.figure(live=True)
    ax.plot(grid, path.n_params, color=plotting.COLORS["parameters"], label="parameters N (∝ C^0.73)")
    ax.plot(grid, path.n_tokens, color=plotting.COLORS["tokens"], label="tokens D = C/(6N) (∝ C^0.27)")
    ax.plot([budget], [here.n_params], "o", ms=9, color=plotting.COLORS["parameters"])
    ax.plot([budget], [here.n_tokens], "o", ms=9, color=plotting.COLORS["tokens"])
    ax.axvline(budget, color=plotting.COLORS["neutral"], lw=1)
    plotting.log_axes(ax, "training compute C (FLOPs)", "parameters or tokens")
    ax.legend(loc="upper left")
    text = (f"C = {budget:.3g} FLOPs ({compute.to_pf_days(budget):.3g} PF-days): N = {here.n_params:.3g}, "
            f"D = {here.n_tokens:.3g} ({here.tokens_per_parameter:.2g} tokens/parameter), batch "
            f"{here.batch_tokens:.3g} tokens, at least {here.steps:.3g} steps; predicted loss "
            f"{here.loss:.3f} nats/token")
    return fig, text


def budget_explorer() -> Explorer:
    return Explorer(
        name="Kaplan compute budget",
        callback=draw_budget,
        controls={"log10_flops": Slider("budget (log10 FLOPs)", 15.0, 26.0, 21.0, step=0.25)},
        alt="Log-log plot against training compute of Kaplan et al.'s compute-efficient parameters, a steep "
            "line, and tokens, a shallow line, with the chosen budget marked on both.",
    )


def draw_learning_curves(log10_params: float, log10_tokens: float):
    """Learning curves L(N, S) for model sizes around ``10**log10_params``, against tokens seen
    (steps times a batch of 512 x 1024 tokens), with the chosen model and token count marked."""
    tokens = np.geomspace(1e8, 1e12, 80)
    steps = tokens / BATCH_TOKENS
    fig, ax = plotting.figure(live=True)
    chosen = 10.0**log10_params
    for factor, color in zip((0.01, 0.1, 1.0, 10.0, 100.0), plotting.SEQUENCE):
        n = chosen * factor
        ax.plot(tokens, kaplan.loss_ns(n, steps), color=color, lw=3 if factor == 1.0 else 1.3,
                label=f"N = {n:.2g}")
    seen = 10.0**log10_tokens
    loss_here = float(kaplan.loss_ns(chosen, seen / BATCH_TOKENS))
    ax.plot([seen], [loss_here], "ko", ms=7)
    plotting.log_axes(ax, "tokens seen (batch of 512 x 1024 tokens)", "loss (nats/token)")
    ax.legend(loc="upper right", title="non-embedding parameters", fontsize=8, title_fontsize=8)
    converged = float(kaplan.loss_n(chosen))
    text = (f"N = {chosen:.3g} after {seen:.3g} tokens ({seen / BATCH_TOKENS:.3g} steps): loss "
            f"{loss_here:.3f}; converged L(N) = {converged:.3f}; the step term adds "
            f"{loss_here - converged:.3f}")
    return fig, text


def learning_curve_explorer() -> Explorer:
    return Explorer(
        name="Kaplan learning curves",
        callback=draw_learning_curves,
        controls={
            "log10_params": Slider("model size (log10 N)", 5.0, 11.0, 8.0, step=0.25),
            "log10_tokens": Slider("tokens seen (log10)", 8.0, 12.0, 10.0, step=0.25),
        },
        alt="Log-log learning curves of loss against tokens seen for five model sizes a factor of ten "
            "apart; larger models fall lower and faster; a black dot marks the chosen model and tokens.",
    )


EXPLORERS = (budget_explorer, learning_curve_explorer)
