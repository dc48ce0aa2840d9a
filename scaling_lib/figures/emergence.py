"""Figures of the chapter "Emergence: sudden abilities, or an artefact of the metric?"
(chapters/emergence).

Each function takes what the chapter computed (a table, a task law, a fit, arrays of scores) and
returns a ``Figure``; the numbers the prose quotes are computed in :mod:`scaling_lib.emergence`, not
here. :func:`draw_quanta` draws the quanta model's two panels into given axes, so an explorer can
draw the same picture into the axes of its own figure.
"""

from __future__ import annotations

import numpy as np

from .. import _checks, emergence, plotting, power_laws, quanta


def _law(law) -> "emergence.TaskLaw":
    return _checks.instance(law, "law", emergence.TaskLaw, "an emergence.TaskLaw")


def _lengths(lengths, name="lengths"):
    out = _checks.array(lengths, name, ndim=1)
    if np.any(out != np.round(out)) or np.any(out < 1) or np.any(out > emergence.MAX_ANSWER_TOKENS):
        raise ValueError(f"{name} must be whole numbers of answer tokens (1 to {emergence.MAX_ANSWER_TOKENS})")
    return [int(k) for k in out]

#: Figure width, in inches, of a figure that spans the text column (about 660 px) at its natural size.
COLUMN_WIDTH = 6.6


@_checks.arguments_named
def reports_figure(reports):
    """Where each ability of Wei et al.'s Table 1 was reported, by training compute (left) and by
    parameters (right), one row per ability sorted by compute; filled dots for few-shot prompting,
    open dots for augmented prompting. ``reports`` is the ``emergence_examples`` table."""
    C = plotting.COLORS
    columns = _checks.columns(reports, "reports", ("training_flops", "params"))
    flops, params = columns["training_flops"], columns["params"]
    try:
        kind, task = np.asarray(reports["kind"], dtype=str), np.asarray(reports["task"], dtype=str)
    except (KeyError, TypeError, IndexError, ValueError):
        raise _checks.ArgumentTypeError("reports must be the emergence_examples table (columns task, kind, "
                                        "training_flops, params)") from None
    few_shot = kind == "few-shot prompting"
    order = np.argsort(flops, kind="stable")  # abilities from least compute up
    row = np.argsort(order)                   # the row each ability is drawn on
    fig, (by_c, by_n) = plotting.figure(1, 2, width=COLUMN_WIDTH, height=6.4, sharey=True)
    for ax, values, color in ((by_c, flops, C["compute"]), (by_n, params, C["parameters"])):
        for kind, face, label in ((few_shot, color, "few-shot"), (~few_shot, "white", "augmented")):
            ax.plot(values[kind], row[kind], "o", color=color, mfc=face, mew=1.5, label=label)
        ax.grid(axis="y", visible=False)
    by_c.set_yticks(range(len(order)), reports["task"][order], fontsize=8)
    plotting.log_axes(by_c, "training compute (FLOPs)", "", title="Compute", y=False)
    plotting.log_axes(by_n, "parameters N", "", title="Parameters", y=False)
    by_c.legend(loc="upper left")
    by_n.legend(loc="upper left")
    return fig


@_checks.arguments_named
def metrics_figure(law, scales, names=("exact match", "token edit distance", "log-likelihood",
                                       "multiple choice"), lengths=(1, 5, 20), n_choices: int = 4):
    """One task law scored by each metric in ``names`` (a 2 x 2 grid), a curve per answer length."""
    law = _law(law)
    scales = _checks.array(scales, "scales", positive=True, ndim=1)
    if isinstance(names, str) or not all(isinstance(n, str) for n in np.atleast_1d(np.asarray(names, dtype=object))):
        raise _checks.ArgumentTypeError(f"names must be a sequence of metric names {emergence.METRICS}; got {names!r}")
    names = [_checks.choice(n, "names", emergence.METRICS) for n in names]
    lengths = _lengths(lengths)
    n_choices = _checks.scalar(n_choices, "n_choices", integer=True, low=2, high=1e15)
    C = plotting.COLORS
    fig, axes = plotting.figure(2, 2, width=COLUMN_WIDTH, height=5.8)
    for ax, name in zip(axes.flat, names):
        for k, color in zip(lengths, plotting.SEQUENCE):
            values = emergence.metric(name, scales, answer_tokens=k, law=law, n_choices=n_choices)
            ax.plot(scales, values, color=color, label=f"k = {k}")
        if name == "multiple choice":
            ax.axhline(1 / n_choices, color=C["neutral"], lw=1, ls=":", label=f"chance, {n_choices} options")
        if name == "log-likelihood":
            ax.set_ylim(-15, 0.5)
        plotting.log_axes(ax, "parameters N", emergence.METRIC_LABELS[name], y=False, title=name)
        ax.xaxis.label.set_fontsize(10)
        ax.yaxis.label.set_fontsize(9.5)
    axes.flat[0].legend(loc="upper left", title="answer tokens")
    axes.flat[len(names) - 1].legend(loc="upper left")
    return fig


@_checks.arguments_named
def sampling_figure(law, family_sizes, family_name: str, *, answer_tokens: int = 10,
                    grids=(30, 4), scale_range=(1e7, 1e12)):
    """Exact match on ``answer_tokens``-token answers, the smooth curve dashed, sampled at a model
    family's sizes (left) and at evenly spaced grids of ``grids`` sizes (right)."""
    law = _law(law)
    family_sizes = _checks.array(family_sizes, "family_sizes", positive=True, ndim=1)
    family_name = _checks.text(family_name, "family_name")
    answer_tokens = _lengths([answer_tokens], "answer_tokens")[0]
    grids = _checks.array(grids, "grids", ndim=1)
    if np.any(grids != np.round(grids)) or np.any(grids < 2) or np.any(grids > 10_000):
        raise ValueError("grids must be whole numbers of model sizes, 2 to 10,000")
    grids = [int(g) for g in grids]
    scale_range = _checks.array(scale_range, "scale_range", positive=True, ndim=1)
    if scale_range.size != 2 or not scale_range[0] < scale_range[1]:
        raise ValueError(f"scale_range must be (smallest, largest) scales; got {scale_range.tolist()}")
    C = plotting.COLORS
    dense = np.geomspace(*scale_range, 200)
    exact = lambda x: emergence.metric("exact match", x, answer_tokens=answer_tokens, law=law)
    fig, (left, right) = plotting.figure(1, 2, width=COLUMN_WIDTH, height=3.4, sharey=True)
    for ax in (left, right):
        ax.plot(dense, exact(dense), "--", color=C["truth"], lw=1, label="every model size")
    left.plot(family_sizes, exact(np.asarray(family_sizes)), "o-", color=C["observed"],
              label=f"{family_name}'s {len(family_sizes)} sizes")
    for models, color in zip(grids, (C["tokens"], C["fit"])):
        sizes = np.geomspace(*scale_range, models)
        right.plot(sizes, exact(sizes), "o-", color=color, ms=4 if models > 10 else 6,
                   label=f"{models} sizes, evenly spaced")
    plotting.log_axes(left, "parameters N", f"exact match, {answer_tokens}-token answers", y=False,
                      title=f"At {family_name}'s sizes")
    plotting.log_axes(right, "parameters N", "", y=False, title="Fewer models, bigger steps")
    left.legend(loc="upper left")
    right.legend(loc="upper left")
    return fig


@_checks.arguments_named
def forecast_figure(fit, small, small_scores, law, *, answer_tokens: int = 10, targets=None):
    """The exact match forecast from ``fit`` (a power-law fit of the small models' per-token task
    loss) through ``p**k``, with its 95 % band, against the true curve of ``law`` and the small
    models' own exact-match scores (their fitted range shaded)."""
    _checks.instance(fit, "fit", power_laws.PowerLawFit, "a PowerLawFit of the task loss (power_laws.fit_power_law)")
    small = _checks.array(small, "small", positive=True, ndim=1)
    small_scores = _checks.array(small_scores, "small_scores", nonnegative=True, ndim=1)
    _checks.same_shape(small=small, small_scores=small_scores)
    law = _law(law)
    answer_tokens = _lengths([answer_tokens], "answer_tokens")[0]
    C = plotting.COLORS
    targets = (np.geomspace(1e7, 1e12, 120) if targets is None
               else _checks.array(targets, "targets", positive=True, ndim=1))
    exact = lambda loss: emergence.exact_match(np.exp(-np.asarray(loss)), answer_tokens)
    low_loss, high_loss = fit.predict_interval(targets)
    fig, ax = plotting.figure()
    ax.fill_between(targets, exact(high_loss), exact(low_loss), color=C["extrapolation"], alpha=0.25,
                    lw=0, label="forecast, 95 % band")
    ax.plot(targets, exact(fit.predict(targets)), color=C["extrapolation"], label="forecast from the small models")
    ax.plot(targets, emergence.metric("exact match", targets, answer_tokens=answer_tokens, law=law), "--",
            color=C["truth"], lw=1, label="truth")
    ax.plot(small, small_scores, "o", color=C["observed"], label="small models' exact match")
    ax.axvspan(np.min(small), np.max(small), color=C["neutral"], alpha=0.1, lw=0)
    plotting.log_axes(ax, "parameters N", f"exact match, {answer_tokens}-token answers", y=False,
                      title=f"Forecast from models up to {np.max(small):.0e} parameters".replace("e+0", "e"))
    ax.legend(loc="upper left")
    return fig


@_checks.arguments_named
def log_exact_match_figure(law, scales, lengths=(1, 5, 20)):
    """``-ln(exact match)`` against parameters on log-log axes, one line per answer length."""
    law = _law(law)
    scales = _checks.array(scales, "scales", positive=True, ndim=1)
    lengths = _lengths(lengths)
    fig, ax = plotting.figure()
    for k, color in zip(lengths, plotting.SEQUENCE):
        score = np.asarray(emergence.metric("exact match", scales, answer_tokens=k, law=law))
        ax.plot(scales, -np.log(score), color=color, label=f"k = {k}")
    plotting.log_axes(ax, "parameters N", "-ln(exact match)", title="Exact match on a log scale: parallel power laws")
    ax.legend()
    return fig


@_checks.arguments_named
def draw_quanta(steps, total, alpha: float, n_quanta: int, *, params_per_quantum: float = 1e4,
                ranks=(1, 100, 10_000, 1_000_000), sizes=None) -> float:
    """Draw the quanta model into two axes: ``steps``, one step per quantum of rank in ``ranks``
    (its loss drops from 1 to 0 where it is learned); ``total``, the aggregate loss on log-log axes
    with a guide of slope ``-alpha`` and the size at which the last of ``n_quanta`` quanta is learned.
    Quantum use follows ``k**-(alpha+1)`` (Zipf exponent ``alpha + 1``). Returns that last size."""
    from matplotlib.axes import Axes

    _checks.instance(steps, "steps", Axes, "matplotlib Axes")
    _checks.instance(total, "total", Axes, "matplotlib Axes")
    alpha = _checks.scalar(alpha, "alpha", low=quanta.MIN_ALPHA, high=quanta.MAX_ALPHA)
    n_quanta = _checks.scalar(n_quanta, "n_quanta", integer=True, low=1, high=1e15)
    params_per_quantum = _checks.scalar(params_per_quantum, "params_per_quantum", low=1e-100, high=1e100)
    ranks = _checks.array(ranks, "ranks", positive=True, ndim=1)
    C = plotting.COLORS
    sizes = (np.geomspace(1e3, 1e11, 161) if sizes is None
             else _checks.array(sizes, "sizes", positive=True, ndim=1, min_size=2))
    shown = [r for r in ranks if r <= n_quanta]
    for i, (rank, color) in enumerate(zip(shown, plotting.SEQUENCE)):
        switch = rank * params_per_quantum  # where quanta_learned reaches this rank
        lift = 0.02 * i  # keeps coinciding levels apart
        steps.plot([sizes[0], switch, switch, sizes[-1]], [1 + lift, 1 + lift, lift, lift], color=color, lw=1.5)
        steps.text(switch / 1.3, 0.55 + 0.1 * i, f"rank {rank:,.0f}", color=color, fontsize=8, ha="right")
    steps.set_ylim(-0.1, 1.25)
    steps.set_yticks([0.0, 0.5, 1.0])
    plotting.log_axes(steps, "parameters N", "loss where the quantum is needed", y=False,
                      title="Each quantum: a step")
    learned = quanta.quanta_learned(sizes, params_per_quantum=params_per_quantum, n_quanta=n_quanta)
    loss = np.asarray(quanta.quanta_loss(learned, alpha=alpha, n_quanta=n_quanta))
    positive = loss > 0
    total.plot(sizes[positive], loss[positive], color=C["fit"], label="aggregate loss")
    unbounded = np.asarray(quanta.quanta_loss(np.floor(sizes / params_per_quantum), alpha=alpha))
    guide = unbounded[-1] * (sizes / sizes[-1]) ** -alpha
    total.plot(sizes, guide, "--", color=C["truth"], lw=1, label=f"slope -{alpha:.2f}")
    end = n_quanta * params_per_quantum
    total.axvline(end, color=C["neutral"], lw=1, ls=":", label="all quanta learned")
    total.set_ylim(max(guide[-1], loss[positive].min()) / 3, 2.0)
    plotting.log_axes(total, "parameters N", "loss (share of predictions missed)", title="Their sum: a power law")
    total.legend(loc="lower left", fontsize=8)
    return end


@_checks.arguments_named
def quanta_figure(alpha: float, n_quanta: int, *, params_per_quantum: float = 1e4):
    """The quanta model's steps and their aggregate (:func:`draw_quanta`) as a two-panel figure."""
    alpha = _checks.scalar(alpha, "alpha", low=quanta.MIN_ALPHA, high=quanta.MAX_ALPHA)
    n_quanta = _checks.scalar(n_quanta, "n_quanta", integer=True, low=1, high=1e15)
    params_per_quantum = _checks.scalar(params_per_quantum, "params_per_quantum", low=1e-100, high=1e100)
    fig, (steps, total) = plotting.figure(1, 2, width=COLUMN_WIDTH, height=3.4)
    draw_quanta(steps, total, alpha, n_quanta, params_per_quantum=params_per_quantum)
    return fig


@_checks.arguments_named
def resolution_figure(sizes, expected, small_test, small_n: int, until, family_name: str):
    """Expected exact match of a model family (line), what a test of ``small_n`` questions reports
    (zeros drawn as open markers on the bottom edge) and what sampling until a pass estimates
    (``until``, a :class:`~scaling_lib.emergence.PassUntilEstimate`), on a log axis."""
    C = plotting.COLORS
    sizes = _checks.array(sizes, "sizes", positive=True, ndim=1)
    expected = _checks.array(expected, "expected", positive=True, ndim=1)
    small_test = _checks.array(small_test, "small_test", nonnegative=True, ndim=1)
    _checks.same_shape(sizes=sizes, expected=expected, small_test=small_test)
    small_n = _checks.scalar(small_n, "small_n", integer=True, low=1)
    _checks.instance(until, "until", emergence.PassUntilEstimate, "a PassUntilEstimate (emergence.sample_until_pass)")
    family_name = _checks.text(family_name, "family_name")
    estimate = np.asarray(until.pass_rate)
    if estimate.shape != sizes.shape:
        raise ValueError(f"until must hold one estimate per size ({sizes.size}); got shape {estimate.shape}")
    floor = min(expected.min(), estimate.min()) / 3
    fig, ax = plotting.figure()
    ax.plot(sizes, expected, color=C["truth"], lw=1, ls="--", label="expected exact match")
    scored = small_test > 0
    ax.plot(sizes[scored], small_test[scored], "s", color=C["compute"], ms=7,
            label=f"score on {small_n} questions")
    ax.plot(sizes[~scored], np.full((~scored).sum(), floor), "s", color=C["compute"], mfc="white", ms=7,
            clip_on=False, label=f"scored 0 on {small_n} questions")
    ax.plot(sizes, estimate, "o", color=C["observed"], label="sampling until a pass")
    ax.set_ylim(floor, 1.0)
    plotting.log_axes(ax, "parameters N", "exact match (fraction of answers)",
                      title=f"{family_name}'s sizes, measured two ways")
    ax.legend(loc="upper left")
    return fig


@_checks.arguments_named
def acceleration_figure(scales, one_route, two_routes, fit, measured=None, measured_at=None):
    """Hu et al.'s transform ``log(-log(pass rate))`` against parameters: a single task law is a
    straight line; the pass rate with a second, faster-improving route bends below it. ``fit`` is a
    power-law fit of ``-log(pass rate)`` (a :class:`~scaling_lib.power_laws.PowerLawFit`), drawn
    dashed and its fitted range shaded; ``measured`` are the pass rates it was fitted to, at
    ``measured_at``."""
    scales = _checks.array(scales, "scales", positive=True, ndim=1)
    one_route = _checks.array(one_route, "one_route", ndim=1)
    two_routes = _checks.array(two_routes, "two_routes", ndim=1)
    _checks.same_shape(scales=scales, one_route=one_route, two_routes=two_routes)
    _checks.instance(fit, "fit", power_laws.PowerLawFit, "a PowerLawFit of -log(pass rate)")
    if (measured is None) != (measured_at is None):
        raise ValueError("measured and measured_at must be given together")
    if measured is not None:
        measured = _checks.array(measured, "measured", ndim=1)
        measured_at = _checks.array(measured_at, "measured_at", positive=True, ndim=1)
        _checks.same_shape(measured=measured, measured_at=measured_at)
    C = plotting.COLORS
    transform = emergence.task_scaling_transform
    fig, ax = plotting.figure()
    ax.axvspan(*fit.x_range, color=C["neutral"], alpha=0.1, lw=0)
    ax.plot(scales, transform(one_route), color=C["observed"], label="one route: a single law")
    ax.plot(scales, transform(two_routes), color=C["fit"], label="two routes")
    ax.plot(scales, np.log(fit.predict(scales)), "--", color=C["extrapolation"],
            label="law fitted to the small models")
    if measured is not None:
        ax.plot(measured_at, transform(measured), "o", color=C["truth"], ms=4,
                label="small models, sampled until a pass")
    plotting.log_axes(ax, "parameters N", "log(-log(pass rate))", y=False,
                      title="A straight line is a task scaling law")
    ax.legend(loc="lower left")
    return fig


@_checks.arguments_named
def distractor_figure(compute, accuracy, n_choices: int, ranges):
    """Accuracy of a task hiding an easy distractor against training compute, chance dotted;
    ``ranges`` is a sequence of ``(label, largest compute)`` shaded from the left edge."""
    C = plotting.COLORS
    compute = _checks.array(compute, "compute", positive=True, ndim=1)
    accuracy = _checks.array(accuracy, "accuracy", nonnegative=True, ndim=1)
    _checks.same_shape(compute=compute, accuracy=accuracy)
    n_choices = _checks.scalar(n_choices, "n_choices", integer=True, low=2, high=1e15)
    try:
        ranges = [(_checks.text(label, "ranges"), _checks.scalar(largest, "ranges", positive=True))
                  for label, largest in ranges]
    except (TypeError, ValueError):
        raise _checks.ArgumentTypeError(f"ranges must be a sequence of (label, largest compute) pairs; "
                                        f"got {_checks._describe(ranges)}") from None
    fig, ax = plotting.figure()
    for (label, largest), color in zip(sorted(ranges, key=lambda r: -r[1]), (C["neutral"], C["kaplan"])):
        ax.axvspan(compute[0], largest, color=color, alpha=0.15, lw=0, label=label)
    ax.axhline(1 / n_choices, color=C["truth"], lw=1, ls=":", label=f"chance, {n_choices} options")
    ax.plot(compute, accuracy, color=C["fit"], label="accuracy")
    ax.set_ylim(0, 1)
    plotting.log_axes(ax, "training compute (FLOPs)", "accuracy", y=False,
                      title="An easy distractor: down, then up")
    ax.legend(loc="upper left")
    return fig
