"""Chapter 4's explorers: one smooth model under several metrics, and the quanta model."""

from __future__ import annotations

import numpy as np

from .. import emergence, plotting
from . import Choice, Explorer, Slider

SCALE_RANGE = (1e7, 1e12)


def draw_metric(metric: str, answer_tokens: int, models: int):
    """The same smoothly improving model seen through ``metric`` on ``answer_tokens``-token answers,
    as ``models`` evaluated models spread evenly in log scale would report it."""
    dense = np.geomspace(*SCALE_RANGE, 200)
    evaluated = np.geomspace(*SCALE_RANGE, models)
    fig, ax = plotting.figure(live=True)
    ax.plot(dense, emergence.metric(metric, dense, answer_tokens=answer_tokens), color=plotting.COLORS["truth"],
            lw=1, ls="--", label="every model size")
    values = np.atleast_1d(emergence.metric(metric, evaluated, answer_tokens=answer_tokens))
    ax.plot(evaluated, values, "o-", color=plotting.COLORS["observed"], label=f"{models} evaluated models")
    plotting.log_axes(ax, "parameters N", metric + (" (nats)" if metric == "log-likelihood" else ""), y=False)
    ax.legend(loc="upper left")
    midpoint = emergence.rise_midpoint(dense, np.atleast_1d(emergence.metric(metric, dense, answer_tokens=answer_tokens)))
    text = (f"{metric} on {answer_tokens}-token answers: half of the rise is reached at N = {midpoint:.2g}; "
            f"the largest jump between neighbouring evaluated models is "
            f"{100 * emergence.sharpness(evaluated, values):.0f} % of the whole rise")
    return fig, text


def metric_explorer() -> Explorer:
    return Explorer(
        name="emergence under different metrics",
        callback=draw_metric,
        controls={
            "metric": Choice("metric", emergence.METRICS, "exact match"),
            "answer_tokens": Slider("answer length (tokens)", 1, 30, 10, integer=True),
            "models": Slider("models evaluated", 3, 30, 6, integer=True),
        },
        alt="A benchmark metric against model size on a log axis: a dashed curve for every model size and "
            "connected dots for the few models evaluated; under exact match on long answers the dots jump.",
    )


def draw_quanta(alpha: float, log10_quanta: float):
    """Individual quanta switching on, and the aggregate loss, for a Zipf exponent ``alpha`` and
    ``10**log10_quanta`` quanta in all."""
    n_quanta = int(round(10.0**log10_quanta))
    sizes = np.geomspace(1e4, 1e10, 300)
    fig, (steps, total) = plotting.figure(1, 2, width=9.0, height=3.6, live=True)
    for rank, color in zip((1, 10, 100, 1000), plotting.SEQUENCE):
        if rank <= n_quanta:
            steps.plot(sizes, emergence.quantum_switched_on(sizes, rank) * (1 - 0.03 * np.log10(rank)),
                       color=color, label=f"quantum #{rank}")
    steps.set_ylim(-0.05, 1.1)
    plotting.log_axes(steps, "parameters N", "skill learned (1) or not (0)", y=False)
    steps.legend(loc="center right", fontsize=8)
    loss = emergence.quanta_loss(sizes, n_quanta=n_quanta, alpha=alpha)
    shown = loss > 0
    total.plot(sizes[shown], loss[shown], color=plotting.COLORS["fit"], label="loss from unlearned quanta")
    anchor = sizes[0]
    total.plot(sizes, loss[0] * (sizes / anchor) ** -alpha, "--", color=plotting.COLORS["truth"], lw=1,
               label=f"N^-{alpha:.2f}")
    total.set_ylim(max(loss[shown].min(), 1e-8) / 2, 1.5)
    plotting.log_axes(total, "parameters N", "loss (fraction of untrained)")
    total.legend(loc="lower left", fontsize=8)
    text = (f"{n_quanta:,} quanta with Zipf exponent {alpha:.2f}: each quantum switches on at one size; "
            f"the total falls as N^-{alpha:.2f} until the quanta run out at N = {n_quanta * 1e4:.2g}")
    return fig, text


def quanta_explorer() -> Explorer:
    return Explorer(
        name="quanta model",
        callback=draw_quanta,
        controls={
            "alpha": Slider("Zipf exponent alpha", 0.2, 2.0, 0.5, step=0.05),
            "log10_quanta": Slider("number of quanta (log10)", 1.0, 5.0, 4.0, step=0.25),
        },
        alt="Two panels. Left: four step functions, each a skill switching on at one model size. Right: the "
            "aggregate loss on log-log axes falling along a straight power-law line until the skills run out.",
    )


EXPLORERS = (metric_explorer, quanta_explorer)
