"""The explorers of the chapter on emergence (chapters/emergence): one smooth model under several
metrics and model spacings, and the quanta model's steps and aggregate."""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import LogLocator

from .. import _checks, emergence, plotting
from ..figures import emergence as figures
from . import Choice, Explorer, Slider, check_axes

#: The range of model sizes the metric explorer evaluates, in parameters.
SCALE_RANGE = (1e7, 1e12)
_DENSE = np.geomspace(*SCALE_RANGE, 160)


def draw_metric(ax, metric: str, answer_tokens: int, models: int):
    """The same smoothly improving model (``emergence.TaskLaw()``) seen through ``metric`` on
    ``answer_tokens``-token answers, as ``models`` evaluated models spread evenly in log scale over
    :data:`SCALE_RANGE` would report it. Returns ``(Figure, readout)``. Each argument lies in its
    control's range (:func:`metric_explorer`)."""
    ax = check_axes(ax)
    metric = _checks.choice(metric, "metric", emergence.METRICS)
    answer_tokens = _checks.scalar(answer_tokens, "answer_tokens", integer=True, low=1, high=30)
    models = _checks.scalar(models, "models", integer=True, low=3, high=30)
    C = plotting.COLORS
    evaluated = np.geomspace(*SCALE_RANGE, models)
    dense = np.asarray(emergence.metric(metric, _DENSE, answer_tokens=answer_tokens))
    values = np.asarray(emergence.metric(metric, evaluated, answer_tokens=answer_tokens))
    ax.plot(_DENSE, dense, color=C["truth"], lw=1, ls="--", label="every model size")
    ax.plot(evaluated, values, "o-", color=C["observed"], label=f"{models} evaluated models")
    if metric == "multiple choice":
        ax.axhline(0.25, color=C["neutral"], lw=1, ls=":", label="chance (4 options)")
    plotting.log_axes(ax, "parameters N", emergence.METRIC_LABELS[metric], y=False,
                      title=f"{metric}, {answer_tokens}-token answers")
    ax.legend(loc="lower right" if metric == "token edit distance" else "upper left")
    spacing = (SCALE_RANGE[1] / SCALE_RANGE[0]) ** (1 / (models - 1))
    middle = emergence.rise_midpoint(_DENSE, dense)
    text = (f"{metric}, {answer_tokens}-token answers, {models} models, each {spacing:.3g}x larger than the last. The largest step between "
            f"neighbours is {100 * emergence.sharpness(evaluated, values):.0f} % of the whole change; "
            f"half of the change is reached at N = {middle:.2g}.")
    return text


def metric_explorer() -> Explorer:
    return Explorer(
        name="emergence under different metrics",
        callback=draw_metric,
        controls={
            "metric": Choice("metric", emergence.METRICS, "exact match"),
            "answer_tokens": Slider("answer length (tokens)", 1, 30, 10, integer=True),
            "models": Slider("models evaluated", 3, 30, 6, integer=True),
        },
        alt="A benchmark metric against model size on a logarithmic axis from 10 million to 1 trillion "
            "parameters: a dashed curve for every model size and connected dots for the models evaluated. "
            "Under exact match on long answers the dots stay near zero and then jump; under token "
            "accuracy or log-likelihood they rise gradually.",
        scenarios=(
            ("exact match, 30-token answers, 4 models", {"answer_tokens": 30, "models": 4}),
            ("token accuracy, the same", {"metric": "token accuracy", "answer_tokens": 30, "models": 4}),
            ("log-likelihood, the same", {"metric": "log-likelihood", "answer_tokens": 30, "models": 4}),
            ("exact match, 30-token answers, 30 models", {"answer_tokens": 30, "models": 30}),
            ("multiple choice, 1-token answers", {"metric": "multiple choice", "answer_tokens": 1, "models": 30}),
            ("multiple choice, 30-token answers", {"metric": "multiple choice", "answer_tokens": 30, "models": 30}),
        ),
    )


_SIZES = np.geomspace(1e3, 1e11, 161)
_PER_QUANTUM = 1e4
_RANKS = (1, 100, 10_000, 1_000_000)


def draw_quanta(axes, alpha: float, log10_quanta: float):
    """Quanta switching on one by one, and the aggregate loss they add up to, for quanta used with
    frequencies ``k**-(alpha+1)`` (Zipf exponent ``alpha + 1``; the loss falls as ``N**-alpha``) and
    ``10**log10_quanta`` quanta, one learned per 10,000 parameters, drawn by
    :func:`scaling_lib.figures.emergence.draw_quanta`. Returns the readout. Each argument lies in its
    control's range (:func:`quanta_explorer`)."""
    steps, total = check_axes(axes, 2, "axes")
    alpha = _checks.scalar(alpha, "alpha", low=0.2, high=2.0)
    log10_quanta = _checks.scalar(log10_quanta, "log10_quanta", low=1.0, high=7.0)
    n_quanta = int(round(10.0**log10_quanta))
    end = figures.draw_quanta(steps, total, alpha, n_quanta, params_per_quantum=_PER_QUANTUM, ranks=_RANKS,
                              sizes=_SIZES)
    for axis in (steps.xaxis, total.xaxis, total.yaxis):  # fewer tick labels: faster redraws
        axis.set_major_locator(LogLocator(numticks=4))
    text = (f"{n_quanta:,} quanta used with Zipf exponent alpha + 1 = {alpha + 1:.2f}: each switches on at "
            f"one size; their sum falls as N^-{alpha:.2f} and drops to 0 at N = {end:.2g}, when the last is learned.")
    return text


def quanta_explorer() -> Explorer:
    return Explorer(
        name="quanta model",
        callback=draw_quanta,
        controls={
            "alpha": Slider("loss exponent alpha (Zipf exponent alpha + 1)", 0.2, 2.0, 0.5, step=0.05),
            "log10_quanta": Slider("number of quanta (log10)", 1.0, 7.0, 6.0, step=0.25),
        },
        alt="Two panels against model size on a logarithmic axis. Left: several step functions, each a "
            "quantum whose loss drops from 1 to 0 at one model size, larger ranks later. Right, log-log: "
            "the aggregate loss follows a straight dashed line of slope minus alpha, then plunges where "
            "the last quantum is learned.",
        layout={"ncols": 2, "width": 9.0, "height": 3.6},
        scenarios=(
            ("alpha = 0.3, a million quanta", {"alpha": 0.3}),
            ("alpha = 1.5, a million quanta", {"alpha": 1.5}),
            ("alpha = 0.5, 10^3 quanta", {"log10_quanta": 3.0}),
            ("alpha = 0.5, 10^7 quanta", {"log10_quanta": 7.0}),
        ),
    )


EXPLORERS = (metric_explorer, quanta_explorer)
