"""Figures of the chapter ``chinchilla``.

Each function takes results of the math layer and returns a ``Figure`` in the house style; the
numbers a caption quotes come from the same results, never from the figure.

The replication, redone on the runs Besiroglu et al. (2024) recovered from Hoffmann et al.'s Figure 4
(results of :mod:`scaling_lib.chinchilla.replication`):

* :func:`replication_residuals`: how the refit and the published laws miss those runs;
* :func:`fit_failure`: the averaged objective and the rounding, as exponents and tokens per parameter;
* :func:`replication_intervals`: the refit's bootstrap of ``a`` against Hoffmann et al.'s interval.
"""

from __future__ import annotations

import numpy as np

from .. import _checks, compute, plotting
from ..chinchilla import replication

_LAW_COLOURS = {
    "refit": plotting.COLORS["replication"],
    "Besiroglu et al. (2024)": plotting.COLORS["replication"],
    "Hoffmann et al. (2022)": plotting.COLORS["chinchilla"],
    "Hoffmann et al. (2022), unrounded": plotting.COLORS["extrapolation"],
}


def replication_residuals(refit: replication.ReplicationRefit, *, laws=("refit", "Hoffmann et al. (2022)",
                                                                        "Hoffmann et al. (2022), unrounded")):
    """The error of each law on every extracted run, ``ln L_law - ln L``, against training compute
    (left) and tokens per parameter (right): the refit scatters about zero; Hoffmann et al.'s printed
    law is off in a pattern, worst for runs far from 20 tokens per parameter.

    Parameters
    ----------
    refit : ReplicationRefit
        From :func:`scaling_lib.chinchilla.refit_extracted`.
    laws : sequence of str
        Keys of ``refit.laws`` to draw.
    """
    if not isinstance(refit, replication.ReplicationRefit):
        raise ValueError(f"refit must be a ReplicationRefit (chinchilla.refit_extracted()); got {refit!r}")
    if isinstance(laws, (str, bytes)) or not hasattr(laws, "__iter__"):
        raise _checks.ArgumentTypeError(f"laws must be a sequence of keys of refit.laws; got {laws!r}")
    laws = list(laws)
    for label in laws:
        if not isinstance(label, str) or label not in refit.residuals:
            raise ValueError(f"laws must be keys of refit.laws {list(refit.laws)}; got {label!r}")
    fig, (left, right) = plotting.figure(1, 2, width=9.5, height=4.0, sharey=True)
    flops = compute.training_flops(refit.n_params, refit.n_tokens)
    ratio = refit.n_tokens / refit.n_params
    markers = ("o", "s", "^", "v")
    for label, marker in zip(laws, markers):
        res = refit.residuals[label]
        rms = np.sqrt(np.mean(res ** 2))
        style = dict(marker=marker, ls="none", ms=3.5, alpha=0.75, color=_LAW_COLOURS.get(label, plotting.COLORS["neutral"]),
                     label=f"{label} (rms {rms:.3f})")
        left.plot(flops, res, **style)
        right.plot(ratio, res, **style)
    for ax in (left, right):
        ax.axhline(0.0, color=plotting.COLORS["neutral"], lw=1)
    plotting.log_axes(left, "training compute 6ND (FLOPs)", "ln(predicted loss) - ln(loss)", y=False,
                      title="Error of each law on the extracted runs")
    plotting.log_axes(right, "training tokens per parameter D/N", "", y=False, title="... against D/N")
    right.axvline(20.0, color=plotting.COLORS["neutral"], ls=":", lw=1)
    left.legend(loc="lower left", fontsize=8)
    return fig


def fit_failure(failure: replication.FitFailure):
    """The replication's two explanations, side by side: the exponent ``a`` of ``N_opt ∝ C**a`` (left)
    and the compute-optimal tokens per parameter at Chinchilla's budget (right) of the converged refit,
    the same optimiser on the summed and on the averaged objective, and Hoffmann et al.'s law
    unrounded and as printed.

    Parameters
    ----------
    failure : FitFailure
        From :func:`scaling_lib.chinchilla.how_the_fit_went_wrong`.
    """
    if not isinstance(failure, replication.FitFailure):
        raise ValueError(f"failure must be a FitFailure (chinchilla.how_the_fit_went_wrong()); got {failure!r}")
    labels = list(failure.exponents)
    colours = [plotting.COLORS["replication"], plotting.COLORS["replication"], plotting.COLORS["extrapolation"],
               plotting.COLORS["chinchilla"], plotting.COLORS["chinchilla"]]
    y = np.arange(len(labels))[::-1]
    fig, (left, right) = plotting.figure(1, 2, width=9.5, height=3.8, sharey=True)
    a = [failure.exponents[k][2] for k in labels]
    tpp = [failure.tokens_per_parameter[k] for k in labels]
    left.barh(y, a, color=colours, height=0.6)
    right.barh(y, tpp, color=colours, height=0.6)
    for yi, ai, ti in zip(y, a, tpp):
        left.text(ai + 0.005, yi, f"{ai:.3f}", va="center", fontsize=9)
        right.text(ti * 1.02, yi, f"{ti:.0f}", va="center", fontsize=9)
    left.set_yticks(y, labels, fontsize=9)
    left.set_xlim(0.4, 0.56)
    left.set_xlabel("a in N_opt ∝ C^a")
    left.set_title("The allocation exponent")
    right.set_xlim(0, max(tpp) * 1.2)
    right.axvline(20.0, color=plotting.COLORS["neutral"], ls=":", lw=1)
    right.set_xlabel(f"tokens per parameter at {failure.flops:.3g} FLOPs")
    right.set_title("What it prescribes for Chinchilla")
    for ax in (left, right):
        ax.grid(axis="y", visible=False)
    return fig


def replication_intervals(intervals: replication.IntervalComparison):
    """The refit's bootstrap distribution of ``a`` with its interval at ``intervals.level``, and
    Hoffmann et al.'s published Approach-3 interval at the same level (Table 2): the data support an
    interval some fifty times wider.

    Parameters
    ----------
    intervals : IntervalComparison
        From :func:`scaling_lib.chinchilla.interval_widths`.
    """
    if not isinstance(intervals, replication.IntervalComparison):
        raise ValueError(f"intervals must be an IntervalComparison (chinchilla.interval_widths()); got {intervals!r}")
    samples = intervals.bootstrap.samples["a"]
    lo, hi = intervals.intervals["a"]
    plo, phi = intervals.published_intervals["a"]
    fig, ax = plotting.figure(width=7.0, height=3.8)
    ax.hist(samples, bins=40, color=plotting.COLORS["replication"], alpha=0.6,
            label=f"bootstrap of the refit ({intervals.bootstrap.n_resamples} resamples)")
    ax.axvspan(lo, hi, color=plotting.COLORS["replication"], alpha=0.15,
               label=f"its {intervals.level:.0%} interval, width {hi - lo:.3f}")
    ax.axvspan(plo, phi, color=plotting.COLORS["chinchilla"], alpha=0.9,
               label=f"Hoffmann et al.'s {intervals.level:.0%} interval, width {phi - plo:.3f}")
    ax.set_xlabel("a in N_opt ∝ C^a")
    ax.set_ylabel("resamples")
    ax.set_title(f"Intervals that narrow need about {intervals.runs_needed['a']:,.0f} runs")
    ax.legend(loc="upper right", fontsize=8)
    return fig


# ---- the three approaches on simulated runs, and the notable models -------------------------

def _budget_colours(budgets) -> dict:
    """One distinct colour per budget, ordered along viridis as the budgets are (dark to light,
    short of its pale end): within one figure no two curves share a colour."""
    import matplotlib

    ordered = sorted(float(b) for b in budgets)
    shades = matplotlib.colormaps["viridis"](np.linspace(0.0, 0.85, len(ordered)))
    return dict(zip(ordered, shades))


def _runs(n_params, flops, losses, names=("n_params", "flops", "losses")):
    n = _checks.array(n_params, names[0], positive=True, ndim=1)
    c = _checks.array(flops, names[1], positive=True, ndim=1)
    l = _checks.array(losses, names[2], positive=True, ndim=1)
    _checks.same_shape(**{names[0]: n, names[1]: c, names[2]: l})
    return n, c, l


def approach1_envelope(n_params, flops, losses, fit):
    """Approach 1: every training curve (loss against compute, one per model size) and the lower
    envelope ``fit`` found in them (:func:`scaling_lib.chinchilla.fit_approach1` of the same points).

    Parameters
    ----------
    n_params, flops, losses : array_like
        The training-curve points: model size, compute spent so far (FLOPs), loss (nats per token).
    fit : AllocationFit
        Approach 1 on those points.
    """
    from ..chinchilla import AllocationFit

    n, c, l = _runs(n_params, flops, losses)
    _checks.instance(fit, "fit", AllocationFit, "an AllocationFit from fit_approach1")
    fig, ax = plotting.figure()
    for i, size in enumerate(np.unique(n)):
        mine = n == size
        order = np.argsort(c[mine])
        ax.plot(c[mine][order], l[mine][order], color=plotting.COLORS["neutral"], lw=1, alpha=0.6,
                label="training curves (one per model size)" if i == 0 else None)
    ax.plot(fit.flops, fit.loss_opt, "o", color=plotting.COLORS["fit"], label="envelope: best loss at each compute")
    plotting.log_axes(ax, "training compute C (FLOPs)", "loss (nats/token)",
                      title="Approach 1: the lower envelope of all training curves")
    ax.legend()
    return fig


def isoflop_valleys(n_params, flops, losses, fit, *, xlabel: str = "parameters N",
                    title: str = "Approach 2: one valley per budget, its minimum the optimum"):
    """Approach 2: each budget's final losses against model size, the parabola in ``ln N`` fitted
    through them, and its minimum; one distinct colour per budget.

    Parameters
    ----------
    n_params, flops, losses : array_like
        The runs: model size, the run's budget (FLOPs), final loss (nats per token). Each run is drawn
        with the fitted budget nearest its own (in log).
    fit : AllocationFit
        :func:`scaling_lib.chinchilla.fit_approach2` of the same runs.
    xlabel, title : str
    """
    from ..chinchilla import AllocationFit

    n, c, l = _runs(n_params, flops, losses)
    _checks.instance(fit, "fit", AllocationFit, "an AllocationFit from fit_approach2")
    if not fit.parabolas:
        raise ValueError("fit must be an Approach 2 fit (fit_approach2), which keeps its parabolas")
    _checks.text(xlabel, "xlabel")
    _checks.text(title, "title")
    budgets = np.array([b for b, _, _ in fit.parabolas])
    nearest = budgets[np.argmin(np.abs(np.log(c)[:, None] - np.log(budgets)[None, :]), axis=1)]
    colours = _budget_colours(budgets)
    fig, ax = plotting.figure()
    for budget, coeffs, _ in fit.parabolas:
        mine = nearest == budget
        colour = colours[float(budget)]
        ax.plot(n[mine], l[mine], "o", color=colour, ms=4)
        grid = np.geomspace(n[mine].min(), n[mine].max(), 60)
        ax.plot(grid, np.polyval(coeffs, np.log(grid)), color=colour, lw=1.3, label=f"{budget:.2g} FLOPs")
    ax.plot(fit.n_opt, fit.loss_opt, "k*", ms=10, label="minima")
    plotting.log_axes(ax, xlabel, "final loss (nats/token)", y=False, title=title)
    ax.legend(ncols=2, fontsize=8)
    return fig


def approach3_residuals(n_params, n_tokens, losses, fit):
    """The residuals ``ln L_fit - ln L`` of an Approach 3 fit against model size (left) and tokens
    (right): a good fit leaves no trend in either.

    Parameters
    ----------
    n_params, n_tokens, losses : array_like
        The runs fitted.
    fit : ParametricFit or ParametricLaw
    """
    n, d, l = _runs(n_params, n_tokens, losses, ("n_params", "n_tokens", "losses"))
    residual = replication.law_residuals(fit, n, d, l)
    fig, (by_n, by_d) = plotting.figure(1, 2, width=9.0, height=3.4, sharey=True)
    colours = plotting.COLORS
    by_n.plot(n, residual, "o", color=colours["parameters"], ms=4)
    by_d.plot(d, residual, "o", color=colours["tokens"], ms=4)
    for ax, label in ((by_n, "parameters N"), (by_d, "training tokens D")):
        ax.axhline(0, color=colours["neutral"], lw=1)
        plotting.log_axes(ax, label, "ln(fit) - ln(loss)" if ax is by_n else "", y=False)
    fig.suptitle("Approach 3 residuals: no trend left in N or in D")
    return fig


#: Marker of each year in :func:`notable_models` (shape as well as colour tells the years apart, so
#: points at the same place stay visible: GPT-3 of 2020 and Jurassic-1 of 2021 nearly coincide).
_YEAR_MARKERS = ("s", "o", "D", "^", "v", "P", "X", "h")


def notable_models(models, law, *, flops_range=(1e19, 1e27)):
    """Published models' parameters and training tokens against a law's compute-optimal path.

    Dense models are drawn at their parameters; mixture-of-experts models (a finite
    ``active_params``) at the parameters active per token, hollow and labelled, as ``6 N D`` counts
    the compute of a token with the active parameters only. Each year has its own colour and marker,
    hollow markers throughout, so a point under another stays visible.

    Parameters
    ----------
    models : Table or dict
        Columns ``name``, ``year``, ``params``, ``active_params`` (NaN for dense models), ``tokens``
        (``data.load_table("notable_models")``).
    law : ParametricLaw or fit result
        The law whose compute-optimal path is drawn.
    flops_range : (float, float)
        Budgets of the path, FLOPs.
    """
    from ..chinchilla import compute_optimal

    cols = _checks.columns(models, "models", ("year", "params", "tokens"))
    try:
        names = [str(v) for v in models["name"]]
        active = np.asarray(models["active_params"], dtype=float)
    except (KeyError, TypeError, ValueError):
        raise _checks.ArgumentTypeError("models must have the columns name and active_params "
                                        "(NaN for a dense model)") from None
    if len(names) != cols["year"].size or active.shape != cols["year"].shape:
        raise ValueError("models: its columns must have one length")
    if isinstance(flops_range, (str, bytes)) or not hasattr(flops_range, "__len__") or len(flops_range) != 2:
        raise _checks.ArgumentTypeError(f"flops_range must be a pair (low, high) of FLOPs; got {flops_range!r}")
    low, high = (_checks.scalar(v, "flops_range", positive=True) for v in flops_range)
    if not low < high:
        raise ValueError(f"flops_range must be (low, high) with low < high; got {flops_range!r}")
    path = compute_optimal(np.geomspace(low, high, 50), law)
    moe = np.isfinite(active)
    n = np.where(moe, active, cols["params"])
    d = cols["tokens"]
    years = cols["year"].astype(int)
    fig, ax = plotting.figure(width=7.0, height=4.8)
    ax.plot(path.n_params, path.n_tokens, "--", color=plotting.COLORS["neutral"], lw=2,
            label="compute-optimal path")
    for year, colour, marker in zip(sorted(set(years)), plotting.SEQUENCE, _YEAR_MARKERS):
        mine = (years == year) & ~moe
        ax.plot(n[mine], d[mine], marker, ls="none", ms=7, mfc="none", mew=1.6, color=colour, label=str(year))
        mine_moe = (years == year) & moe
        if mine_moe.any():
            ax.plot(n[mine_moe], d[mine_moe], marker, ls="none", ms=7, mfc="none", mew=1.6, color=colour)
    if moe.any():
        ax.plot(n[moe], d[moe], "+", ls="none", ms=14, mew=1.6, color=plotting.COLORS["truth"],
                label="mixture of experts, at active parameters")
    labels = {"GPT-3": (-112, -3), "Gopher": (8, -3), "Chinchilla": (6, -12),
              "PaLM 540B": (6, -12), "LLaMA 65B": (6, 4), "Llama 2 70B": (6, 4), "Llama 3 8B": (-20, 8),
              "Llama 3.1 405B": (6, 4)}
    for name, x, y, is_moe in zip(names, n, d, moe):
        if is_moe:
            ax.annotate(name, (x, y), textcoords="offset points", xytext=(-24, -18), fontsize=8)
        elif name in labels:
            text = "GPT-3 and Jurassic-1" if name == "GPT-3" else name  # the two nearly coincide
            ax.annotate(text, (x, y), textcoords="offset points", xytext=labels[name], fontsize=8)
    plotting.log_axes(ax, "parameters N (active per token for MoE)", "training tokens D",
                      title="Models above the line train past compute-optimal")
    ax.legend(fontsize=8, loc="lower right")
    return fig
