"""Figures of the chapter "After Chinchilla: scaling laws 2024–2026" (chapters/after_chinchilla).

Each function takes what the chapter computed and returns a ``Figure``; nothing here fits a law.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from .. import _checks, plotting


def _with_gaps(values, name):
    """A 1-d float array that may have NaN where a model lacks a value (but no inf)."""
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise _checks.ArgumentTypeError(f"{name} must be numbers (NaN where missing)") from None
    if arr.ndim != 1 or arr.size == 0 or np.any(np.isinf(arr)):
        raise ValueError(f"{name} must be a non-empty 1-d array of finite numbers or NaN")
    return arr


@_checks.arguments_named
def plot_coverage(left, right, k, estimated, exact, fit):
    """Draw :func:`coverage_figure`'s two panels on the axes ``left`` and ``right``."""
    for axis, label in ((left, "left"), (right, "right")):
        _checks.instance(axis, label, Axes, "matplotlib Axes")
    exact = _checks.array(exact, "exact", positive=True, ndim=1)
    if estimated is not None:
        estimated = _checks.array(estimated, "estimated", positive=True, ndim=1)
    _cov = __import__("scaling_lib.sampling", fromlist=["CoverageFit"])
    _checks.instance(fit, "fit", _cov.CoverageFit, "a sampling.CoverageFit")
    C = plotting.COLORS
    k = np.asarray(k, dtype=float)
    dense = np.geomspace(k.min(), k.max(), 200)
    for ax, transform in ((left, lambda c: c), (right, lambda c: -np.log(c))):
        ax.plot(k, transform(np.asarray(exact)), color=C["truth"], lw=1, ls="--", label="expected coverage")
        if estimated is not None:
            ax.plot(k, transform(np.asarray(estimated)), "o", color=C["observed"], label="pass@k estimates (simulated)")
        ax.plot(dense, transform(np.asarray(fit.predict(dense))), color=C["fit"],
                label=f"fit exp({fit.law.a:.2f} k^{fit.law.b:.2f})")
    plotting.log_axes(left, "samples per problem k", "coverage (fraction solved)", y=False,
                      title="Coverage keeps rising with samples")
    plotting.log_axes(right, "samples per problem k", "-log(coverage)", title="An exponentiated power law")
    left.legend(loc="upper left")


@_checks.arguments_named
def coverage_figure(k, estimated, exact, fit):
    """Coverage against samples: the unbiased pass@k estimates, the exact expectation and Brown et al.'s
    fitted law (left, log ``k``), and ``-log(coverage)`` on log-log axes, where the law is a line
    (right). ``fit`` is a :class:`scaling_lib.sampling.CoverageFit`."""
    exact = _checks.array(exact, "exact", positive=True, ndim=1)
    estimated = None if estimated is None else _checks.array(estimated, "estimated", positive=True, ndim=1)
    _cov = __import__("scaling_lib.sampling", fromlist=["CoverageFit"])
    _checks.instance(fit, "fit", _cov.CoverageFit, "a sampling.CoverageFit")
    fig, (left, right) = plotting.figure(1, 2, width=9.0, height=3.8)
    plot_coverage(left, right, k, estimated, exact, fit)
    return fig


@_checks.arguments_named
def plot_equal_flops(ax, sizes, one_large, many_small, ratio: float):
    """Draw :func:`equal_flops_figure` on ``ax``."""
    _checks.instance(ax, "ax", Axes, "matplotlib Axes")
    C = plotting.COLORS
    ax.plot(sizes, one_large, color=C["parameters"], label=f"1 sample of a model {ratio:.0f}x larger")
    ax.plot(sizes, many_small, color=C["compute"], label=f"{ratio:.0f} samples of the smaller model")
    plotting.log_axes(ax, "parameters of the smaller model N", "coverage (fraction solved)", y=False,
                      title="Same inference FLOPs, two ways to spend them")
    ax.legend(loc="upper left")


@_checks.arguments_named
def equal_flops_figure(sizes, one_large, many_small, ratio: float):
    """Coverage of one sample of a model ``ratio`` times larger against ``ratio`` samples of the smaller
    model, at equal inference FLOPs, as the smaller model's size grows."""
    fig, ax = plotting.figure()
    plot_equal_flops(ax, sizes, one_large, many_small, ratio)
    return fig


@_checks.arguments_named
def moe_frontier_figure(flops, dense_loss, moe_loss, moe_label: str):
    """The lowest loss Krajewski et al.'s dense and MoE laws reach at each training budget."""
    _checks.text(moe_label, "moe_label")
    C = plotting.COLORS
    fig, ax = plotting.figure()
    ax.plot(flops, dense_loss, color=C["chinchilla"], label="dense transformer")
    ax.plot(flops, moe_loss, color=C["compute"], label=moe_label)
    plotting.log_axes(ax, "training compute C = 6 N_active D (FLOPs)", "loss (nats/token, their data)", y=False,
                      title="At equal FLOPs the MoE law is lower")
    ax.legend(loc="upper right")
    return fig


@_checks.arguments_named
def notable_models_figure(flops, tokens_per_parameter, years, moe_rows, path_flops, optimal_ratio):
    """Tokens per parameter of notable models against training compute, the compute-optimal ratio of a
    dense law dashed; each mixture-of-experts model in ``moe_rows`` (``(name, flops_active, tpp_active,
    flops_total, tpp_total)``) drawn by its active parameters (filled diamond) with a hollow marker
    where a reading by total parameters would put it."""
    flops = _checks.array(flops, "flops", positive=True, ndim=1)
    tokens_per_parameter = _checks.array(tokens_per_parameter, "tokens_per_parameter", positive=True, ndim=1)
    years = _checks.array(years, "years", ndim=1)
    _checks.same_shape(flops=flops, tokens_per_parameter=tokens_per_parameter, years=years)
    _checks.instance(moe_rows, "moe_rows", (tuple, list), "a tuple of (name, flops, tpp, flops, tpp) rows")
    C = plotting.COLORS
    fig, ax = plotting.figure(width=7.0, height=4.6)
    ax.plot(path_flops, optimal_ratio, "--", color=C["replication"], label="compute-optimal (refit law)")
    years = np.asarray(years).astype(int)
    for year, colour in zip(sorted(set(years)), plotting.SEQUENCE):
        sel = years == year
        ax.plot(np.asarray(flops)[sel], np.asarray(tokens_per_parameter)[sel], "o", color=colour, label=str(year))
    for name, f_act, t_act, f_tot, t_tot in moe_rows:
        ax.plot([f_tot], [t_tot], "D", mfc="white", color=C["neutral"], ms=7, label=f"{name}, read by total parameters")
        ax.plot([f_act], [t_act], "D", color=C["fit"], ms=7, label=f"{name}, by active parameters")
        ax.annotate("", xy=(f_act, t_act), xytext=(f_tot, t_tot),
                    arrowprops=dict(arrowstyle="->", color=C["neutral"], lw=1))
    plotting.log_axes(ax, "training compute 6 N D (FLOPs, N active)", "training tokens per parameter",
                      title="Mixture-of-experts models read by their active parameters")
    ax.legend(loc="upper left", fontsize=8, ncol=2)
    return fig


@_checks.arguments_named
def precision_figure(bits, factors: dict, tokens, losses: dict, harmful: dict, n_params: float):
    """Left: the share of parameters that stay effective when one part of the model is trained in
    ``bits`` bits (``factors``: part -> array). Right: the loss after post-training quantization to
    several precisions (``losses``: bits -> array over ``tokens``) for a model of ``n_params``, with the
    token count past which more data hurts marked (``harmful``: bits -> tokens)."""
    bits = _checks.array(bits, "bits", positive=True, ndim=1)
    tokens = _checks.array(tokens, "tokens", positive=True, ndim=1)
    for value, label in ((factors, "factors"), (losses, "losses"), (harmful, "harmful")):
        _checks.instance(value, label, dict, "a dict")
    C = plotting.COLORS
    fig, (left, right) = plotting.figure(1, 2, width=9.0, height=3.8)
    for (part, values), colour in zip(factors.items(), (C["parameters"], C["compute"], C["tokens"])):
        left.plot(bits, values, color=colour, label=part.replace("_", " "))
    left.set(xlabel="training precision (bits)", ylabel="N_eff / N", ylim=(0, 1.02),
             title="Low precision costs effective parameters")
    left.legend(loc="lower right")
    for (b, values), colour in zip(losses.items(), plotting.SEQUENCE):
        right.plot(tokens, values, color=colour, label=f"quantized to {b:g} bits")
        d = harmful.get(b)
        if d is not None and tokens.min() <= d <= tokens.max():
            right.plot([d], [np.interp(np.log(d), np.log(tokens), values)], "o", color=colour)
    plotting.log_axes(right, "training tokens D", "loss after quantization (nats/token)", y=False,
                      title=f"Longer training, worse quantization (N = {n_params:.0e})")
    right.legend(loc="upper right")
    return fig


@_checks.arguments_named
def capability_figure(log_flops, capability, families, lines, shown):
    """The first principal component of the benchmark scores against training compute, one colour per
    family in ``shown``, with the fitted family lines (``lines``: a ``FamilyLines``)."""
    _obs = __import__("scaling_lib.observational", fromlist=["FamilyLines"])
    _checks.instance(lines, "lines", _obs.FamilyLines, "an observational.FamilyLines")
    C = plotting.COLORS
    fig, ax = plotting.figure(width=7.0, height=4.4)
    families = np.asarray(families)
    ax.plot(log_flops, capability, ".", color=C["neutral"], alpha=0.5, label="all models with FLOPs")
    for fam, colour in zip(shown, plotting.SEQUENCE):
        sel = families == fam
        ax.plot(log_flops[sel], capability[sel], "o", color=colour, label=fam)
        xs = np.linspace(log_flops[sel].min(), log_flops[sel].max(), 2)
        ax.plot(xs, lines.slope * (xs - 21.0) + lines.offset[fam], color=colour, lw=1)
    ax.set(xlabel="log10 training compute (FLOPs)", ylabel="capability (first principal component)",
           title="Same slope, different efficiency")
    ax.legend(loc="upper left", fontsize=8, ncol=2)
    return fig


@_checks.arguments_named
def plot_forecast(ax, x_train, y_train, x_test, y_test, fit, *, xlabel: str, ylabel: str, title: str):
    """Draw :func:`forecast_figure` on ``ax``."""
    _checks.instance(ax, "ax", Axes, "matplotlib Axes")
    _obs = __import__("scaling_lib.observational", fromlist=["SigmoidFit"])
    _checks.instance(fit, "fit", _obs.SigmoidFit, "an observational.SigmoidFit")
    for label in (xlabel, ylabel, title):
        _checks.text(label, "xlabel, ylabel and title")
    C = plotting.COLORS
    xs = np.linspace(min(np.min(x_train), np.min(x_test)), max(np.max(x_train), np.max(x_test)), 200)
    ax.plot(x_train, y_train, "o", color=C["observed"], ms=4, label="fitted on")
    ax.plot(x_test, y_test, "s", color=C["extrapolation"], ms=5, label="held out")
    ax.plot(xs, fit.predict(xs), color=C["fit"], label="sigmoid fit")
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.legend(loc="upper left")


@_checks.arguments_named
def forecast_figure(x_train, y_train, x_test, y_test, fit, *, xlabel: str, ylabel: str, title: str):
    """Scores against one predictor: the models the sigmoid was fitted on, the held-out ones, and the
    fitted sigmoid (a ``SigmoidFit`` of one predictor) across both."""
    _obs = __import__("scaling_lib.observational", fromlist=["SigmoidFit"])
    _checks.instance(fit, "fit", _obs.SigmoidFit, "an observational.SigmoidFit")
    for label in (xlabel, ylabel, title):
        _checks.text(label, "xlabel, ylabel and title")
    fig, ax = plotting.figure()
    plot_forecast(ax, x_train, y_train, x_test, y_test, fit, xlabel=xlabel, ylabel=ylabel, title=title)
    return fig


@_checks.arguments_named
def forecast_errors_figure(benchmarks, errors: dict):
    """Mean absolute error of held-out forecasts per benchmark, one bar per predictor (``errors``:
    label -> array over ``benchmarks``)."""
    _checks.instance(errors, "errors", dict, "a dict of label -> errors per benchmark")
    C = plotting.COLORS
    fig, ax = plotting.figure(width=7.6, height=3.8)
    x = np.arange(len(benchmarks))
    width = 0.8 / len(errors)
    for i, ((label, values), colour) in enumerate(zip(errors.items(), (C["fit"], C["compute"], C["neutral"]))):
        ax.bar(x + (i - (len(errors) - 1) / 2) * width, 100 * np.asarray(values), width, color=colour, label=label)
    ax.set_xticks(x, benchmarks, rotation=20)
    ax.set(xlabel="benchmark", ylabel="mean absolute error (points)",
           title="Forecasting the largest models from the smaller")
    ax.grid(axis="x", visible=False)
    ax.legend(loc="upper left")
    return fig


@_checks.arguments_named
def emergent_figure(capability, log_flops, tasks: dict, fits: dict):
    """Emergent-task scores against capability (left) and against training compute (right), with the
    sigmoid fitted on capability (``fits``: task -> SigmoidFit)."""
    _checks.instance(tasks, "tasks", dict, "a dict of task name -> scores")
    _checks.instance(fits, "fits", dict, "a dict of task name -> SigmoidFit")
    capability = _with_gaps(capability, "capability")
    log_flops = _with_gaps(log_flops, "log_flops")
    _checks.same_shape(capability=capability, log_flops=log_flops)
    fig, (left, right) = plotting.figure(1, 2, width=9.0, height=3.8, sharey=True)
    for (task, values), colour in zip(tasks.items(), plotting.SEQUENCE):
        ok = np.isfinite(values) & np.isfinite(capability)
        left.plot(capability[ok], values[ok], "o", ms=3.5, color=colour, label=task)
        xs = np.linspace(capability[ok].min(), capability[ok].max(), 200)
        left.plot(xs, fits[task].predict(xs), color=colour, lw=1.2)
        okf = ok & np.isfinite(log_flops)
        right.plot(log_flops[okf], values[okf], "o", ms=3.5, color=colour)
    left.set(xlabel="capability (first principal component)", ylabel="score", title="Against capability")
    right.set(xlabel="log10 training compute (FLOPs)", title="Against compute")
    left.legend(loc="upper left", fontsize=8)
    return fig


@_checks.arguments_named
def frontier_figure(flops, llama_ratio, chinchilla_ratio, compute, rl_rate, rl_curve):
    """Left: tokens per parameter of the compute-optimal model under Llama 3's law and under the
    refit Chinchilla law. Right: an RL compute sigmoid (illustrative parameters) with its asymptote and
    midpoint marked."""
    _fr = __import__("scaling_lib.frontier", fromlist=["RLCurve"])
    _checks.instance(rl_curve, "rl_curve", _fr.RLCurve, "a frontier.RLCurve")
    C = plotting.COLORS
    fig, (left, right) = plotting.figure(1, 2, width=9.0, height=3.8)
    left.plot(flops, llama_ratio, color=C["compute"], label="Llama 3's law (Fig. 3)")
    left.plot(flops, chinchilla_ratio, "--", color=C["replication"], label="refit Chinchilla law")
    plotting.log_axes(left, "training compute (FLOPs)", "tokens per parameter", title="Compute-optimal ratios")
    left.legend(loc="upper left")
    right.plot(compute, rl_rate, color=C["fit"], label="pass rate")
    right.axhline(rl_curve.A, color=C["neutral"], ls=":", lw=1, label="asymptote A")
    right.axvline(rl_curve.C_mid, color=C["neutral"], ls="--", lw=1, label="midpoint C_mid")
    plotting.log_axes(right, "RL compute (GPU-hours)", "pass rate", y=False, title="A sigmoid has a ceiling")
    right.legend(loc="upper left")
    return fig


@_checks.arguments_named
def distillation_figure(teacher_losses, students: dict, supervised: dict, best: dict):
    """Student loss against the teacher's loss for several students (``students``: label -> array over
    ``teacher_losses``), each student's supervised loss dotted (``supervised``: label -> float) and its
    best teacher marked (``best``: label -> (teacher loss, student loss))."""
    for value, label in ((students, "students"), (supervised, "supervised"), (best, "best")):
        _checks.instance(value, label, dict, "a dict")
    fig, ax = plotting.figure()
    for (label, values), colour in zip(students.items(), plotting.SEQUENCE):
        ax.plot(teacher_losses, values, color=colour, label=f"student {label}")
        ax.axhline(supervised[label], color=colour, lw=1, ls=":")
        ax.plot([best[label][0]], [best[label][1]], "o", color=colour)
    ax.set(xlabel="teacher loss L_T (nats/token)", ylabel="student loss L_S (nats/token)",
           title="Distillation: a better teacher helps, up to a point")
    ax.legend(loc="upper left")
    return fig


def schedules_figure(constant, cooldowns: dict, cosine: dict, predicted: dict, comparison: dict, width: int):
    """Learning-rate schedules on the book's experiment. Left, one width's loss against tokens: the
    long constant-learning-rate run (``constant``: (tokens, losses)), its linear cooldowns
    (``cooldowns``: budget -> (tokens, losses)), the main sweep's cosine runs (``cosine``: budget ->
    (tokens, losses)) and Tissue et al.'s law fitted on the first two, forecasting the cosine runs
    (``predicted``: budget -> (tokens, losses)). Right, the IsoFLOP profiles of the cooldowns and of
    the cosine runs (``comparison`` from :func:`scaling_lib.experiment.schedule_runs.isoflop_comparison`)."""
    for value, label in ((cooldowns, "cooldowns"), (cosine, "cosine"), (predicted, "predicted"),
                         (comparison, "comparison")):
        _checks.instance(value, label, dict, "a dict")
    if not (isinstance(constant, (tuple, list)) and len(constant) == 2):
        raise ValueError("constant must be a pair (tokens, losses)")
    constant = (_checks.array(constant[0], "constant tokens", positive=True, ndim=1),
                _checks.array(constant[1], "constant losses", positive=True, ndim=1))
    keys = ("budgets", "profiles", "n_opt_wsd", "loss_opt_wsd", "n_opt_cosine", "loss_opt_cosine")
    if not all(k in comparison for k in keys):
        raise ValueError(f"comparison must be isoflop_comparison's dict (with {', '.join(keys)})")
    width = _checks.scalar(width, "width", integer=True, positive=True, high=1 << 20)
    fig, (left, right) = plotting.figure(1, 2, width=9.0, height=3.9)
    left.plot(*constant, color="0.55", lw=1.2, label="constant learning rate")
    for j, (budget, (t, l)) in enumerate(sorted(cooldowns.items())):
        colour = plotting.SEQUENCE[j % len(plotting.SEQUENCE)]
        left.plot(t, l, color=colour, lw=2, label="linear cooldowns" if j == 0 else None)
        if budget in cosine:
            left.plot(*cosine[budget], "o", color=colour, ms=3.5, mfc="none",
                      label="cosine runs (sweep)" if j == 0 else None)
        if budget in predicted:
            left.plot(*predicted[budget], ":", color=colour, lw=1.2,
                      label="law's forecast of cosine" if j == 0 else None)
    plotting.log_axes(left, "tokens D", "loss (nats/token)", y=False, title=f"width {width}: one run, many cooldowns")
    left.legend(loc="upper right", fontsize="small")
    for j, (budget, (n, l_wsd, l_cos)) in enumerate(zip(comparison["budgets"], comparison["profiles"])):
        colour = plotting.SEQUENCE[j % len(plotting.SEQUENCE)]
        order = np.argsort(n)
        right.plot(np.asarray(n)[order], np.asarray(l_wsd)[order], "-o", color=colour, ms=3.5,
                   label=f"C = {budget:.2g}")
        right.plot(np.asarray(n)[order], np.asarray(l_cos)[order], "--", color=colour, lw=1, marker="o",
                   mfc="none", ms=3.5)
        right.plot([comparison["n_opt_wsd"][j]], [comparison["loss_opt_wsd"][j]], "v", color=colour, ms=7)
        right.plot([comparison["n_opt_cosine"][j]], [comparison["loss_opt_cosine"][j]], "^", color=colour,
                   ms=7, mfc="none")
    plotting.log_axes(right, "non-embedding parameters N", "final loss (nats/token)", y=False,
                      title="IsoFLOP: cooldowns (solid) and cosine (dashed)")
    right.legend(loc="upper center", fontsize="small")
    return fig


def _ternary(r):
    """Barycentric mixtures of three domains as plane points: domain 1 at (0, 0), 2 at (1, 0), 3 at the top."""
    r = np.atleast_2d(r)
    return r[:, 1] + 0.5 * r[:, 2], r[:, 2] * np.sqrt(3.0) / 2.0


@_checks.arguments_named
def mixing_figure(law, weights, proportions, optima: dict, held_out, measured, predicted):
    """A data-mixing law over three training domains (:mod:`scaling_lib.mixing`). Left: the weighted
    loss ``sum_i s_i L_i(r)`` of ``law`` (the truth) over the simplex of mixtures, the training
    mixtures as dots and each entry of ``optima`` (label -> mixture) marked. Right: the fitted law's
    ``predicted`` losses against the ``measured`` ones on ``held_out`` mixtures, one colour per
    validation domain."""
    from .. import mixing

    _checks.instance(law, "law", mixing.MixingLaw, "a mixing.MixingLaw")
    _checks.instance(optima, "optima", dict, "a dict of label -> mixture")
    if law.t.shape[1] != 3:
        raise ValueError(f"law must have 3 training domains to draw on a triangle; got {law.t.shape[1]}")
    r = mixing.mixtures(proportions, "proportions", domains=3)
    mixing.mixtures(held_out, "held_out", domains=3)
    measured = _checks.array(measured, "measured", positive=True, ndim=2)
    predicted = _checks.array(predicted, "predicted", positive=True, ndim=2)
    if measured.shape != predicted.shape or measured.shape[1] != law.c.size:
        raise ValueError(f"measured and predicted must have one column per validation domain ({law.c.size}) "
                         f"and the same shape; got {measured.shape} and {predicted.shape}")
    fig, (left, right) = plotting.figure(1, 2, width=9.0, height=4.0)
    steps = 60
    grid = np.array([(i, j, steps - i - j) for i in range(steps + 1) for j in range(steps + 1 - i)],
                    dtype=float) / steps
    x, y = _ternary(grid)
    total = np.asarray(law.total_loss(grid, weights))
    filled = left.tricontourf(x, y, total, levels=14, cmap="cividis_r")
    fig.colorbar(filled, ax=left, label="weighted loss (nats/token)", shrink=0.85)
    px, py = _ternary(r)
    left.plot(px, py, "o", ms=3.5, color="white", mec=plotting.COLORS["observed"], label="training mixtures")
    # filled star first, then open rings around it, so that no optimum hides another
    for n, ((label, mix), colour) in enumerate(zip(optima.items(), (plotting.COLORS["truth"], plotting.COLORS["fit"],
                                                                   plotting.COLORS["extrapolation"]))):
        mx, my = _ternary(mixing.mixtures(mix, "optima", domains=3))
        style = dict(marker="*", ms=12, color=colour, mec="white") if n == 0 else \
            dict(marker="o", ms=12 + 5 * n, mfc="none", mec=colour, mew=2)
        left.plot(mx, my, ls="none", label=label, **style)
    corners = ((0.0, 0.0), (1.0, 0.0), (0.5, np.sqrt(3.0) / 2.0))
    for (cx, cy), name, va in zip(corners, law.domains, ("top", "top", "bottom")):
        left.annotate(f"all {name}", (cx, cy), ha="center", va=va, fontsize=9,
                      xytext=(0, -6 if va == "top" else 6), textcoords="offset points")
    left.plot([0, 1, 0.5, 0], [0, 0, np.sqrt(3.0) / 2.0, 0], color="#333333", lw=0.8)
    left.set(aspect="equal", xticks=[], yticks=[], xlim=(-0.08, 1.08), ylim=(-0.12, 0.98),
             title="Loss over the mixtures of three domains")
    left.grid(False)
    for spine in left.spines.values():
        spine.set_visible(False)
    left.legend(loc="upper right", fontsize=8.5, handletextpad=0.3, borderaxespad=0.0)
    for i, (target, colour) in enumerate(zip(law.targets, plotting.SEQUENCE)):
        right.plot(measured[:, i], predicted[:, i], "o", ms=4, color=colour, label=target)
    low, high = float(min(measured.min(), predicted.min())), float(max(measured.max(), predicted.max()))
    right.plot([low, high], [low, high], color=plotting.COLORS["neutral"], lw=1, ls="--", label="perfect forecast")
    right.set(xlabel="measured loss, held-out mixtures (nats/token)", ylabel="fitted law's forecast (nats/token)",
              title="Unseen mixtures, forecast")
    right.legend(loc="upper left")
    return fig
