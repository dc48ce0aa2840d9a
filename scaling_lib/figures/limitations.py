"""Figures of the chapter ``limitations``.

Each function takes results of the math layer and returns a ``Figure`` in the house style.

Why Kaplan et al. and Chinchilla disagreed (results of :mod:`scaling_lib.porian` and
:mod:`scaling_lib.parameter_counts`):

* :func:`kaplan_chinchilla_explanations`: Pearce & Song's counting argument and Porian et al.'s
  measured ladder on one figure, one exponent axis;
* :func:`naive_vs_interpolated`: why a parabola through Porian et al.'s IsoFLOP points gives the
  wrong exponent where their interpolation does not.

Repeated data (results of :mod:`scaling_lib.data_constrained`):

* :func:`repeated_data`: the section's figure (what repeats are worth; the loss they buy), with
  Muennighoff et al.'s runs on it when given;
* :func:`data_constrained_residuals`: the refitted law's error on each of those runs.

The rest of the chapter: :func:`lifetime_sizing`, :func:`overhead_curves`, :func:`notable_models`,
:func:`counting_two_ways`, :func:`footprint_sensitivity`, :func:`data_stock`,
:func:`one_power_law_breaks`.
"""

from __future__ import annotations

import textwrap

import numpy as np

from .. import (_checks, chinchilla, compute, data, data_constrained, functional_forms, inference_aware, parameter_counts,
               plotting, porian, power_laws, published_runs, text_stock)

_DATASET = {"rw": ("RefinedWeb", plotting.COLORS["replication"], "o"),
            "owt2": ("OpenWebText2", plotting.COLORS["observed"], "s")}
#: Kaplan et al. (2020)'s exponent of N_opt ∝ C^a and Hoffmann et al. (2022)'s (Approaches 1 and 2).
_KAPLAN_A, _CHINCHILLA_A = 0.73, 0.5


@_checks.arguments_named
def kaplan_chinchilla_explanations(ladders, counting: parameter_counts.CountingComparison):
    """Two explanations of Kaplan et al.'s exponent on one axis of ``a`` (``N_opt ∝ C**a``).

    Left, Pearce & Song's argument, computed: one Chinchilla-form law, its compute-optimal models
    counted Kaplan et al.'s way (non-embedding parameters, over their sizes) and Chinchilla's (all
    parameters). Right, Porian et al.'s ladder, measured on their runs: each rung one change, from
    Kaplan et al.'s setting to Chinchilla's, refitted (with 90 % bootstrap intervals) beside the
    published exponents. Kaplan et al.'s 0.73 and Chinchilla's 0.5 are drawn across both.

    Parameters
    ----------
    ladders : Ladder or sequence of Ladder
        From :func:`scaling_lib.porian.reconciliation_ladder` (RefinedWeb, OpenWebText2 or both).
    counting : CountingComparison
        From :func:`scaling_lib.parameter_counts.compare_counting`.
    """
    if not isinstance(ladders, porian.Ladder) and (isinstance(ladders, (str, bytes)) or not hasattr(ladders, "__iter__")):
        raise _checks.ArgumentTypeError(f"ladders must be Ladder results of porian.reconciliation_ladder(); got {ladders!r}")
    ladders = (ladders,) if isinstance(ladders, porian.Ladder) else tuple(ladders)
    if not ladders or not all(isinstance(lad, porian.Ladder) for lad in ladders):
        raise ValueError(f"ladders must be Ladder results of porian.reconciliation_ladder(); got {ladders!r}")
    if not isinstance(counting, parameter_counts.CountingComparison):
        raise ValueError(f"counting must be a CountingComparison (parameter_counts.compare_counting()); got {counting!r}")
    fig, (left, right) = plotting.figure(1, 2, width=10.0, height=4.4, sharey=True,
                                         gridspec_kw={"width_ratios": [1, 2.6]})
    for ax in (left, right):
        ax.axhline(_KAPLAN_A, color=plotting.COLORS["kaplan"], ls="--", lw=1.2)
        ax.axhline(_CHINCHILLA_A, color=plotting.COLORS["chinchilla"], ls="--", lw=1.2)
        ax.grid(axis="x", visible=False)
    values = (counting.a_non_embedding, counting.a_total)
    left.bar([0, 1], values, color=[plotting.COLORS["kaplan"], plotting.COLORS["chinchilla"]], width=0.55, alpha=0.8)
    for x, v in zip((0, 1), values):
        left.text(x, v + 0.01, f"{v:.2f}", ha="center", fontsize=9)
    left.set_xticks([0, 1], ["non-embedding\n(Kaplan's count)", "all parameters\n(Chinchilla's)"], fontsize=8.5)
    left.set_xlim(-0.6, 1.6)
    left.set_ylabel("a in N_opt ∝ C^a")
    left.set_title("Pearce & Song: one law, two counts", fontsize=11)
    rungs = np.arange(len(ladders[0].steps))
    width = 0.18
    for k, lad in enumerate(ladders):
        name, colour, marker = _DATASET[lad.dataset]
        x = rungs + (k - (len(ladders) - 1) / 2) * 2 * width
        low = np.array([s.fit.interval(0.9)[0] for s in lad.steps])
        high = np.array([s.fit.interval(0.9)[1] for s in lad.steps])
        right.errorbar(x, lad.a, yerr=[lad.a - low, high - lad.a], fmt=marker + "-", color=colour, capsize=3,
                       lw=1.2, label=f"{name}: refitted, 90 % interval")
        right.plot(x + width * 0.6, lad.published_a, "_", color="#000000", ms=9, mew=1.5,
                   label="published (Porian et al.)" if k == 0 else None)
    right.set_xticks(rungs, [textwrap.fill(s.label, 16) for s in ladders[0].steps], fontsize=8.5)
    right.text(rungs[-1] + 0.4, _KAPLAN_A + 0.006, "Kaplan et al.: 0.73", fontsize=8, ha="right",
               color=plotting.COLORS["kaplan"])
    right.text(rungs[-1] + 0.4, _CHINCHILLA_A - 0.022, "Chinchilla: 0.5", fontsize=8, ha="right",
               color=plotting.COLORS["chinchilla"])
    right.set_title("Porian et al.: the ladder, refitted on their runs", fontsize=11)
    right.legend(loc="upper right", fontsize=8)
    right.set_ylim(0.42, 0.92)
    return fig


@_checks.arguments_named
def naive_vs_interpolated(comparison: porian.NaiveComparison, *, budgets: int = 4):
    """Why a parabola goes wrong on Porian et al.'s long-warm-up profiles.

    Left, ``budgets`` IsoFLOP profiles: the runs, the Akima spline Porian et al. take the minimum of
    (solid, minimum as a dot) and Approach 2's parabola (dashed, vertex as a cross); at small budgets
    the sizes reach a hundred times past the optimum and the profile is lopsided, so the parabola's
    vertex falls far below the optimum. Right, the optima against compute with both power laws.

    Parameters
    ----------
    comparison : NaiveComparison
        From :func:`scaling_lib.porian.naive_vs_interpolated`.
    budgets : int, default 4
        Profiles to draw, spread over the accepted budgets.
    """
    if not isinstance(comparison, porian.NaiveComparison):
        raise ValueError(f"comparison must be a NaiveComparison (porian.naive_vs_interpolated()); got {comparison!r}")
    fit = comparison.fit
    used = [p for p in fit.profiles if p.accepted]
    if not isinstance(budgets, (int, np.integer)) or not 1 <= budgets <= len(used):
        raise ValueError(f"budgets must be an integer from 1 to {len(used)}; got {budgets!r}")
    fig, (left, right) = plotting.figure(1, 2, width=10.0, height=4.2)
    pick = np.unique(np.linspace(0, len(used) - 1, budgets).round().astype(int))
    for colour, i in zip(plotting.SEQUENCE, pick):
        p = used[i]
        best = p.losses.min()
        left.plot(p.n_params, p.losses - best, "o", color=colour, ms=4)
        left.plot(p.grid_n, p.grid_loss - best, "-", color=colour, lw=1.5, label=f"{p.flops:.2g} FLOPs")
        span = np.geomspace(min(p.n_params.min(), p.n_opt_parabola if np.isfinite(p.n_opt_parabola) else np.inf),
                            p.n_params.max(), 200)
        left.plot(span, np.polyval(p.parabola, np.log(span)) - best, "--", color=colour, lw=1)
        left.plot([p.n_opt], [np.interp(np.log(p.n_opt), np.log(p.grid_n), p.grid_loss) - best], "o",
                  color=colour, ms=8, mfc="white", mew=2)
        if np.isfinite(p.n_opt_parabola):
            left.plot([p.n_opt_parabola], [np.polyval(p.parabola, np.log(p.n_opt_parabola)) - best], "x",
                      color=colour, ms=8, mew=2)
    left.set_ylim(-0.6, 1.5)
    plotting.log_axes(left, "parameters N", "loss above the budget's best run (nats/token)", y=False,
                      title="Spline (solid, o) and parabola (dashed, x)")
    left.legend(fontsize=8, loc="upper right")
    c = np.array([p.flops for p in used])
    right.plot(c, fit.n_opt, "o", color=plotting.COLORS["replication"], label=f"interpolated minima: a = {fit.a:.2f}")
    right.plot(c, fit.predict(c), "-", color=plotting.COLORS["replication"], lw=1.2)
    naive = comparison.naive
    right.plot(naive.flops, naive.n_opt, "x", color=plotting.COLORS["chinchilla"], ms=7,
               label=f"parabola vertices: a = {naive.a:.2f}")
    right.plot(naive.flops, naive.predict(naive.flops)[0], "--", color=plotting.COLORS["chinchilla"], lw=1.2)
    plotting.log_axes(right, "compute C (FLOPs)", "compute-optimal parameters N_opt",
                      title=f"Published: a = {comparison.published.a:.2f}")
    right.legend(fontsize=8, loc="upper left")
    return fig


@_checks.arguments_named
def repeated_data(law: data_constrained.RepetitionLaw = data_constrained.MUENNIGHOFF_2023, *, runs=None,
                  unique_tokens: float = 1e10, n_params: float = 1e9, max_epochs: int = 100):
    """What repeated tokens are worth and the loss they buy, under the data-constrained ``law``.

    Left, ``D'/U`` against epochs (the worth of ``U`` unique tokens seen that many times, in fresh
    tokens; it never exceeds ``1 + R*_D``). With ``runs``, every run with at most ``max_epochs``
    epochs is drawn at the ``D'/U`` its measured loss implies under ``law``
    (:func:`scaling_lib.data_constrained.implied_effective_tokens`): where the law fits, they sit on
    the curve. Right, the law's loss of a model of ``n_params`` parameters trained for more and more
    epochs on ``unique_tokens`` tokens, against the same tokens all fresh.

    Parameters
    ----------
    law : RepetitionLaw, default MUENNIGHOFF_2023
    runs : MuennighoffRuns, optional
        From :func:`scaling_lib.published_runs.load_muennighoff_runs`.
    unique_tokens, n_params : float
        The right panel's stock (tokens) and model (parameters).
    max_epochs : int, default 100
        The epochs axis runs from 1 to this (>= 2).
    """
    if not isinstance(law, data_constrained.RepetitionLaw):
        raise ValueError(f"law must be a RepetitionLaw such as MUENNIGHOFF_2023; got {law!r}")
    max_epochs = _checks.scalar(max_epochs, "max_epochs", integer=True, low=2, high=100_000)
    unique_tokens = _checks.scalar(unique_tokens, "unique_tokens", positive=True)
    n_params = _checks.scalar(n_params, "n_params", positive=True)
    if runs is not None:
        _checks.instance(runs, "runs", published_runs.MuennighoffRuns,
                         "MuennighoffRuns (published_runs.load_muennighoff_runs) or None")
    epochs = np.arange(1, max_epochs + 1)
    repeated = data_constrained.repeated_data_loss(n_params, unique_tokens, epochs, law)
    seen = unique_tokens * epochs
    fresh = data_constrained.loss(n_params, seen, seen, law)
    colours = plotting.COLORS
    fig, (ax1, ax2) = plotting.figure(1, 2, width=9.0, height=3.8)
    ax1.plot(epochs, epochs, "--", color=colours["neutral"], lw=1.2, label="tokens seen")
    ax1.plot(epochs, data_constrained.effective_tokens(1.0, epochs, r_star=law.r_star_d), color=colours["tokens"],
             label="worth in fresh tokens, D'/U")
    ax1.axhline(1 + law.r_star_d, color=colours["tokens"], lw=0.8, ls=":", label="ceiling 1 + R*")
    if runs is not None:
        from ..published_runs import MuennighoffRuns
        if not isinstance(runs, MuennighoffRuns):
            raise ValueError(f"runs must be the MuennighoffRuns of load_muennighoff_runs() or None; got {runs!r}")
        implied = data_constrained.implied_effective_tokens(runs.n_params, runs.n_tokens, runs.unique_tokens,
                                                            runs.loss, law) / runs.unique_tokens
        shown = (runs.epochs <= max_epochs) & np.isfinite(implied)
        ax1.plot(runs.epochs[shown], np.minimum(implied[shown], 40.0), "o", color=colours["observed"], ms=3.5,
                 alpha=0.7, label=f"runs of Muennighoff et al. ({shown.sum()} of {len(runs)})")
    ax1.set(xlabel="epochs", ylabel="tokens / unique tokens U", ylim=(0, 40), title="Repeats are worth less and less")
    ax1.legend(fontsize=8)
    ax2.plot(epochs, fresh, "--", color=colours["neutral"], lw=1.2, label="fresh tokens every epoch")
    ax2.plot(epochs, repeated, color=colours["tokens"], label=f"the same {unique_tokens:.0e} tokens repeated")
    ax2.set(xlabel="epochs", ylabel="predicted loss (nats/token, C4)", title=f"The loss levels off (N = {n_params:.0e})")
    ax2.legend(fontsize=8)
    return fig


@_checks.arguments_named
def data_constrained_residuals(refit: data_constrained.DataConstrainedRefit):
    """The refitted law's error on each of Muennighoff et al.'s runs, ``ln L_law - ln L``, against the
    run's epochs; the published constants' errors beside them are nearly identical.

    Parameters
    ----------
    refit : DataConstrainedRefit
        From :func:`scaling_lib.data_constrained.refit_data_constrained`.
    """
    if not isinstance(refit, data_constrained.DataConstrainedRefit):
        raise ValueError(f"refit must be a DataConstrainedRefit (data_constrained.refit_data_constrained()); "
                         f"got {refit!r}")
    res = refit.fit.residuals
    fig, ax = plotting.figure(width=7.0, height=3.8)
    ax.plot(refit.epochs, res, "o", color=plotting.COLORS["observed"], ms=4, alpha=0.75,
            label=f"R*_D = {refit.fit.r_star_d:.2f}, R*_N = {refit.fit.r_star_n:.2f} "
                  f"(rms {np.sqrt(np.mean(res ** 2)):.3f})")
    ax.axhline(0.0, color=plotting.COLORS["neutral"], lw=1)
    plotting.log_axes(ax, "epochs (tokens seen / unique tokens)", "ln(predicted loss) - ln(loss)", y=False,
                      title=f"The refitted law on the {refit.fit.n_points} runs")
    ax.legend(fontsize=8)
    return fig


# ---- the chapter's other figures -----------------------------------------------------------------

def _law(law, name="law"):
    if not isinstance(law, chinchilla.ParametricLaw):
        raise ValueError(f"{name} must be a ParametricLaw such as chinchilla.BESIROGLU_2024; got {law!r}")
    return law


@_checks.arguments_named
def lifetime_sizing(target_loss: float, law=chinchilla.BESIROGLU_2024, *, served=None):
    """Sardana et al.'s lifetime optimum: the parameters and training tokens of the cheapest model reaching
    ``target_loss`` (nats per token) under ``law``, against the tokens it will serve (``served``,
    default 1e10 to 1e16), with the compute-optimal size (no inference) for reference."""
    law = _law(law)
    target_loss = _checks.scalar(target_loss, "target_loss", positive=True)
    served = np.geomspace(1e10, 1e16, 61) if served is None else _checks.array(served, "served", positive=True,
                                                                                 ndim=1, min_size=2)
    lifetime = [inference_aware.lifetime_optimum(target_loss, t, law) for t in served]
    colours = plotting.COLORS
    fig, ax = plotting.figure()
    ax.plot(served, [o.n_params for o in lifetime], color=colours["parameters"], label="parameters N")
    ax.plot(served, [o.n_tokens for o in lifetime], color=colours["tokens"], label="training tokens D")
    ax.axhline(lifetime[0].chinchilla_n_params, color=colours["parameters"], ls=":", lw=1,
               label="compute-optimal N (no inference)")
    plotting.log_axes(ax, "tokens served over the model's life, T", "parameters, tokens",
                      title="More use: a smaller model trained longer")
    ax.legend(loc="upper left")
    return fig


@_checks.arguments_named
def overhead_curves(laws: dict):
    """De Vries's overhead: the extra training compute a model ``k`` times the compute-optimal size needs
    to reach the compute-optimal loss, for each ``{label: ParametricLaw}`` of ``laws``."""
    if not isinstance(laws, dict) or not laws:
        raise ValueError(f"laws must be a non-empty dict of label -> ParametricLaw; got {laws!r}")
    k = np.geomspace(0.2, 3.0, 200)
    fig, ax = plotting.figure()
    for (label, law), colour in zip(laws.items(), (plotting.COLORS["chinchilla"], plotting.COLORS["replication"],
                                                    *plotting.SEQUENCE)):
        ax.plot(k, 100 * inference_aware.compute_overhead(k, _law(law, f"laws[{label!r}]")), color=colour,
                label=str(label))
    ax.axvline(1.0, color=plotting.COLORS["neutral"], lw=1)
    ax.set_ylim(0, 200)
    plotting.log_axes(ax, "model size / compute-optimal size", "extra training compute (%)", y=False,
                      title="Shrinking is cheap at first, then prohibitive")
    ax.legend()
    return fig


def _table(models, required):
    _checks.instance(models, "models", data.Table, 'the notable_models table (data.load_table("notable_models"))')
    missing = [c for c in required if c not in models.columns]
    if missing:
        raise ValueError(f"models must have the columns {', '.join(required)}; missing {', '.join(missing)}")
    return {c: models[c] for c in required}


#: Models the notable-models figure names, with the label's offset in points.
_NAMED = {"GPT-3": (6, -10), "Chinchilla": (6, -10), "LLaMA 7B": (6, 2), "Llama 2 7B": (6, 2),
          "Llama 3 8B": (6, 2), "Llama 3.1 405B": (-40, 8), "Pythia 160M": (6, 2)}


@_checks.arguments_named
def notable_models(models, law=chinchilla.BESIROGLU_2024):
    """Training tokens per parameter of the dense models of ``models`` (the ``notable_models`` table),
    by year, against their compute ``6ND``, beside the compute-optimal ratio of ``law``."""
    law = _law(law)
    cols = _table(models, ("name", "year", "params", "tokens", "active_params"))
    dense = np.isnan(np.asarray(cols["active_params"], dtype=float))
    n, d = np.asarray(cols["params"], float)[dense], np.asarray(cols["tokens"], float)[dense]
    names, years = np.asarray(cols["name"])[dense], np.asarray(cols["year"], float)[dense].astype(int)
    flops = compute.training_flops(n, d)
    path = np.geomspace(1e20, 1e26, 40)
    fig, ax = plotting.figure(width=7.0, height=4.6)
    ax.plot(path, chinchilla.compute_optimal(path, law).tokens_per_parameter, "--", color=plotting.COLORS["replication"],
            label="compute-optimal (refit law)")
    for year, colour in zip(sorted(set(years)), plotting.SEQUENCE):
        ax.plot(flops[years == year], (d / n)[years == year], "o", color=colour, label=str(year))
    for name, x, y in zip(names, flops, d / n):
        if name in _NAMED:
            ax.annotate(name, (x, y), textcoords="offset points", xytext=_NAMED[name], fontsize=8)
    plotting.log_axes(ax, "training compute 6ND (FLOPs)", "training tokens per parameter",
                      title="Since 2023, far past the compute-optimal ratio")
    ax.legend(loc="lower right", fontsize=8)
    return fig


@_checks.arguments_named
def counting_two_ways(law=chinchilla.BESIROGLU_2024, shape: parameter_counts.ModelShape = parameter_counts.PEARCE_SONG_2024,
                      *, kaplan_a: float = 0.73):
    """Pearce & Song's argument: one ``law`` in total parameters, its compute-optimal models counted both
    ways over Kaplan et al.'s sizes (left), and the local exponent ``d ln N / d ln C`` counted Kaplan
    et al.'s way against model size (right), with Kaplan et al.'s ``kaplan_a``."""
    law = _law(law)
    _checks.instance(shape, "shape", parameter_counts.ModelShape, "a parameter_counts.ModelShape")
    kaplan_a = _checks.scalar(kaplan_a, "kaplan_a", positive=True, high=1.0)
    colours = plotting.COLORS
    counted = parameter_counts.compare_counting(parameter_counts.KAPLAN_SIZE_RANGE, law, shape)
    n_ne = np.geomspace(10.0, 1e13, 300)
    fig, (ax1, ax2) = plotting.figure(1, 2, width=9.0, height=4.0)
    ax1.plot(counted.flops_total, counted.n_total, color=colours["chinchilla"],
             label=f"all parameters: a = {counted.a_total:.2f}")
    ax1.plot(counted.flops_non_embedding, counted.n_non_embedding, color=colours["kaplan"],
             label=f"non-embedding: a = {counted.a_non_embedding:.2f}")
    plotting.log_axes(ax1, "training compute (FLOPs, counted each way)", "compute-optimal parameters",
                      title="One law, two counts")
    ax1.legend(loc="upper left")
    ax2.plot(n_ne, parameter_counts.local_exponent(n_ne, law, shape), color=colours["kaplan"], label="local exponent")
    ax2.axhline(law.beta / (law.alpha + law.beta), color=colours["replication"], ls="--", lw=1,
                label="beta / (alpha + beta)")
    ax2.axhline(kaplan_a, color=colours["neutral"], ls=":", lw=1, label=f"Kaplan et al.: {kaplan_a}")
    ax2.axvspan(*parameter_counts.KAPLAN_SIZE_RANGE, color=colours["kaplan"], alpha=0.12, lw=0,
                label="Kaplan et al.'s sizes")
    ax2.set_ylim(0.45, 1.05)
    plotting.log_axes(ax2, "non-embedding parameters", "d ln N / d ln C", y=False, title="Kaplan measured where it peaks")
    ax2.legend(loc="upper right", fontsize=8)
    return fig


@_checks.arguments_named
def footprint_sensitivity(ranges: dict, centre: float, *, flops: float = 1e25):
    """Each assumption's swing: ``ranges`` maps a label to the (low, high) emissions in tonnes CO2e when
    that assumption alone moves, ``centre`` the emissions under the central assumptions."""
    if not isinstance(ranges, dict) or not ranges:
        raise ValueError(f"ranges must be a non-empty dict of label -> (low, high) tonnes; got {ranges!r}")
    centre = _checks.scalar(centre, "centre", positive=True)
    flops = _checks.scalar(flops, "flops", positive=True)
    spans = {str(k): _checks.array(v, f"ranges[{k!r}]", positive=True, ndim=1, min_size=2) for k, v in ranges.items()}
    fig, ax = plotting.figure(width=7.0, height=0.6 * len(spans) + 1.6)
    labels = list(spans)
    for i, label in enumerate(labels):
        low, high = spans[label].min(), spans[label].max()
        ax.barh(i, high - low, left=low, color=plotting.COLORS["compute"], height=0.5)
    ax.axvline(centre, color=plotting.COLORS["truth"], lw=1, label="central assumptions")
    ax.set_yticks(range(len(labels)), labels)
    lows = min(s.min() for s in spans.values())
    highs = max(s.max() for s in spans.values())
    ax.set_xlim(10 ** np.floor(np.log10(lows)), 10 ** np.ceil(np.log10(highs)))
    plotting.log_axes(ax, f"emissions of a {flops:.0e}-FLOP run (tonnes CO2e)", "", y=False,
                      title="The grid moves the answer most")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper left")
    return fig


@_checks.arguments_named
def data_stock(models, trend: text_stock.DatasetTrend, stock: text_stock.TextStock = text_stock.VILLALOBOS_2024):
    """Training tokens of the notable ``models`` by year, the largest of each year, their exponential
    ``trend`` (from :func:`scaling_lib.text_stock.fit_dataset_trend`, with its slope interval)
    and the ``stock`` of public text with its projected years."""
    _checks.instance(trend, "trend", text_stock.DatasetTrend, "a DatasetTrend (fit_dataset_trend)")
    _checks.instance(stock, "stock", text_stock.TextStock, "a TextStock such as VILLALOBOS_2024")
    cols = _table(models, ("year", "tokens"))
    model_years, tokens = np.asarray(cols["year"], float), np.asarray(cols["tokens"], float)
    years, largest = text_stock.largest_per_year(model_years, tokens)
    colours = plotting.COLORS
    future = np.linspace(2019.5, 2034, 60)
    fig, ax = plotting.figure()
    ax.plot(model_years, tokens, "o", color=colours["neutral"], ms=4, label="notable models")
    ax.plot(years, largest, "o", color=colours["tokens"], label="largest of each year")
    ax.plot(future, trend.predict(future), color=colours["extrapolation"],
            label=f"trend, {trend.growth_per_year:.1f}x a year")
    pivot = np.mean(years)
    level = trend.intercept + trend.slope * pivot
    for s in trend.slope_interval:
        ax.plot(future, 10 ** (level + s * (future - pivot)), color=colours["extrapolation"], lw=0.8, ls="--")
    ax.axhline(stock.tokens, color=colours["truth"], lw=1.2, label="stock of public text (Villalobos et al.)")
    ax.axvspan(*stock.years, color=colours["truth"], alpha=0.08, lw=0, label="their projected years")
    ax.set_xlim(2019.5, 2034)
    ax.set_ylim(1e11, 1e17)
    plotting.log_axes(ax, "year", "training tokens", x=False, title="Training sets approach the stock of text")
    ax.legend(loc="upper left", fontsize=8)
    return fig


@_checks.arguments_named
def one_power_law_breaks(broken: dict, x_data, y_data, single, frontier_points, fits: dict,
                         law=chinchilla.BESIROGLU_2024):
    """Two ways a single power law misleads. Left: the broken power law ``broken`` (keyword arguments of
    :func:`scaling_lib.functional_forms.broken_power_law`), data ``x_data, y_data`` that stop before
    its break and the power law ``single`` fitted to them with its 95 % band. Right: ``law``'s
    compute-optimal frontier, simulated small runs ``frontier_points`` (FLOPs, losses) and the fits
    ``{label: PowerLawFit}`` of ``fits`` (a pure power law, one with a floor) with their bands."""
    law = _law(law)
    if not isinstance(broken, dict):
        raise ValueError(f"broken must be a dict of broken_power_law's keyword arguments; got {broken!r}")
    x_data = _checks.array(x_data, "x_data", positive=True, ndim=1)
    y_data = _checks.array(y_data, "y_data", positive=True, ndim=1)
    _checks.instance(single, "single", power_laws.PowerLawFit, "a PowerLawFit (power_laws.fit_power_law)")
    if not isinstance(frontier_points, tuple) or len(frontier_points) != 2:
        raise ValueError(f"frontier_points must be a tuple (flops, losses); got {frontier_points!r}")
    c_data = _checks.array(frontier_points[0], "frontier_points[0]", positive=True, ndim=1)
    l_data = _checks.array(frontier_points[1], "frontier_points[1]", positive=True, ndim=1)
    if not isinstance(fits, dict) or not all(isinstance(f, power_laws.PowerLawFit) for f in fits.values()):
        raise ValueError(f"fits must be a dict of label -> PowerLawFit; got {fits!r}")
    colours = plotting.COLORS
    x = np.geomspace(1, 1e8, 200)
    c_grid = np.geomspace(1e18, 1e27, 200)
    fig, (ax1, ax2) = plotting.figure(1, 2, width=9.0, height=4.0)
    ax1.plot(x, functional_forms.broken_power_law(x, **broken), "--", color=colours["truth"],
             label="broken power law (truth)")
    ax1.plot(x_data, y_data, "o", color=colours["observed"], label="data before the break")
    ax1.plot(x, single.predict(x), color=colours["extrapolation"], label="single power law fit")
    ax1.fill_between(x, *single.predict_interval(x), color=colours["extrapolation"], alpha=0.2, lw=0)
    plotting.log_axes(ax1, "scale x", "y", title="A break the data never saw")
    ax1.legend(loc="lower left")
    ax2.plot(c_grid, chinchilla.frontier_loss(c_grid, law), "--", color=colours["truth"],
             label="refit law's frontier (truth)")
    ax2.plot(c_data, l_data, "o", color=colours["observed"], label="simulated small runs")
    for (label, fit), colour in zip(fits.items(), (colours["extrapolation"], colours["fit"], *plotting.SEQUENCE)):
        ax2.plot(c_grid, fit.predict(c_grid), color=colour, label=str(label))
        ax2.fill_between(c_grid, *fit.predict_interval(c_grid), color=colour, alpha=0.15, lw=0)
    ax2.axhline(law.E, color=colours["neutral"], lw=1, ls=":", label="irreducible loss E")
    plotting.log_axes(ax2, "training compute (FLOPs)", "loss (nats/token)", title="A floor the data barely show")
    ax2.legend(loc="lower left", fontsize=8)
    return fig
