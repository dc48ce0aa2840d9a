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
"""

from __future__ import annotations

import textwrap

import numpy as np

from .. import _checks, data_constrained, parameter_counts, plotting, porian, published_runs

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
