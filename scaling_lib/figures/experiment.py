"""Figures of the chapter ``experiment`` ("Measure your own scaling law").

Each function takes results of the math layer (:mod:`scaling_lib.experiment.analysis`,
:mod:`scaling_lib.chinchilla`) and returns a ``Figure`` in the house style; the chapter's numbers
come from those results, never from a figure. The experiment's explorers
(:mod:`scaling_lib.widgets.experiment`) draw their valleys with :func:`draw_valleys` too.

* :func:`language_figure`: the language's entropies by context length, and how unevenly its contexts occur;
* :func:`isoflop_valleys`: Approach 2 on the sweep, every budget's valley with its parabola and minimum;
* :func:`envelope_figure`: Approach 1, every training curve and their lower envelope;
* :func:`exponent_figure`: the exponent ``a`` by approach, with intervals, beside Hoffmann et al.'s Table 2.
"""

from __future__ import annotations

import matplotlib
import numpy as np

from .. import _checks, chinchilla, plotting
from ..experiment import analysis

C = plotting.COLORS


def _budget_colors(budgets) -> dict:
    """One colour per budget, in order along viridis (dark to light, stopping short of its pale
    yellow end, which is hard to see on white): budgets are ordered, so their colours are too."""
    ordered = sorted(float(b) for b in budgets)
    shades = matplotlib.colormaps["viridis"](np.linspace(0.0, 0.85, len(ordered)))
    return dict(zip(ordered, shades))


def draw_valleys(runs: dict, fit: chinchilla.AllocationFit, ax) -> None:
    """Draw IsoFLOP valleys on ``ax``: each budget's final losses against parameters, its parabola
    in ln N, and the minima (``fit`` from Approach 2 on ``runs``, grouped by ``budget_flops``)."""
    from matplotlib.axes import Axes

    runs = _checks.columns(runs, "runs", ("budget_flops", "n_params", "loss"))
    _checks.instance(fit, "fit", chinchilla.AllocationFit, "an AllocationFit from Approach 2 (fit_approach2)")
    _checks.instance(ax, "ax", Axes, "matplotlib Axes")
    colors = _budget_colors(fit.flops)
    for budget, coeffs, _ in fit.parabolas:
        mine = np.isclose(runs["budget_flops"], budget, rtol=1e-6)
        sizes = runs["n_params"][mine]
        color = colors[float(budget)]
        ax.plot(sizes, runs["loss"][mine], "o", ms=4, color=color)
        grid = np.geomspace(sizes.min(), sizes.max(), 60)
        ax.plot(grid, np.polyval(coeffs, np.log(grid)), color=color, lw=1.3, label=f"{budget:.2g} FLOPs")
    ax.plot(fit.n_opt, fit.loss_opt, "k*", ms=10, label="minima")
    plotting.log_axes(ax, "non-embedding parameters N", "final loss (nats/token)", y=False)


def isoflop_valleys(runs: dict, fit: chinchilla.AllocationFit, entropy_rate: float, *,
                    title: str = "Seven IsoFLOP valleys; the best model grows with the budget"):
    """Approach 2 on a sweep: every budget's valley (:func:`draw_valleys`) above the language's true
    entropy rate ``entropy_rate`` (nats per token), the floor no model can pass."""
    entropy_rate = _checks.scalar(entropy_rate, "entropy_rate", positive=True)
    _checks.instance(title, "title", str, "a str")
    fig, ax = plotting.figure(width=7.0, height=4.6)
    draw_valleys(runs, fit, ax)
    ax.axhline(entropy_rate, color=C["truth"], lw=1, ls="--", label="true entropy rate")
    ax.set_title(title)
    ax.legend(ncols=2, fontsize=8.5)
    return fig


def language_figure(facts: dict, stationary=None):
    """The language: its entropy given 0 to k previous tokens (left) and, given the stationary
    distribution, how unevenly its contexts occur (right, probability against rank)."""
    _checks.instance(facts, "facts", dict, "the language's facts (a dict, MarkovLanguage.facts())")
    for key in ("conditional_entropies_nats", "entropy_rate_nats", "vocab_size"):
        if key not in facts:
            raise ValueError(f"facts must hold {key!r} (as MarkovLanguage.facts() does)")
    _checks.array(facts["conditional_entropies_nats"], "facts['conditional_entropies_nats']", ndim=1)
    _checks.scalar(facts["entropy_rate_nats"], "facts['entropy_rate_nats']")
    _checks.scalar(facts["vocab_size"], "facts['vocab_size']", integer=True, low=2)
    if stationary is not None:
        stationary = _checks.array(stationary, "stationary", nonnegative=True, ndim=1)
    fig, (left, right) = plotting.figure(1, 2, width=9.6, height=3.6)
    H = facts["conditional_entropies_nats"]
    left.bar(range(len(H)), H, color=C["observed"], width=0.6)
    left.axhline(facts["entropy_rate_nats"], color=C["truth"], lw=1, ls="--",
                 label=f"entropy rate {facts['entropy_rate_nats']:.3f}")
    left.axhline(np.log(facts["vocab_size"]), color=C["neutral"], lw=1, ls=":", label="ln 64 (uniform)")
    left.set(xlabel="previous tokens seen", ylabel="entropy of the next token (nats)",
             xticks=range(len(H)), title="Context helps, down to the entropy rate")
    left.legend(loc="upper right")
    if stationary is not None:
        p = np.sort(np.asarray(stationary))[::-1]
        rank = np.arange(1, p.size + 1)
        right.plot(rank, p, color=C["observed"], lw=1.5)
        right.axhline(1 / p.size, color=C["neutral"], lw=1, ls=":", label="all contexts equally likely")
        plotting.log_axes(right, f"rank of the context (of {p.size:,})", "stationary probability",
                          title="A few contexts are common, most rare")
        right.legend(loc="lower left")
    return fig


def envelope_figure(curves: dict, fit: chinchilla.AllocationFit):
    """Approach 1 on the experiment: every run's training curve, grey, and the envelope."""
    curves = _checks.columns(curves, "curves", ("budget_flops", "width", "flops", "loss"))
    _checks.instance(fit, "fit", chinchilla.AllocationFit, "an AllocationFit from Approach 1 (fit_approach1)")
    fig, ax = plotting.figure(width=7.0, height=4.4)
    keys = sorted(set(zip(curves["budget_flops"], curves["width"])))
    for i, (b, h) in enumerate(keys):
        mine = (curves["budget_flops"] == b) & (curves["width"] == h)
        ax.plot(curves["flops"][mine], curves["loss"][mine], color=C["neutral"], lw=0.8, alpha=0.5,
                label="training curves (one per run)" if i == 0 else None)
    ax.plot(fit.flops, fit.loss_opt, "o", color=C["fit"], ms=5, label="envelope: best loss at each compute")
    ax.set_ylim(float(fit.loss_opt.min()) - 0.05, min(3.0, float(curves["loss"].max())))
    plotting.log_axes(ax, "compute so far, 6 N D (FLOPs)", "exact loss (nats/token)", y=False,
                      title="Approach 1: the lower envelope of every training curve")
    ax.legend(loc="upper right")
    return fig


def exponent_figure(fits: dict):
    """The exponent ``a`` of ``N_opt ∝ C**a`` by approach, with 95 % bootstrap intervals, for each
    language in ``fits`` (``{label: ApproachFits}``, at most two), beside Hoffmann et al.'s Table 2
    (whose intervals are 10th to 90th percentiles, so they are not drawn)."""
    if not (isinstance(fits, dict) and 0 < len(fits) <= 2
            and all(isinstance(f, analysis.ApproachFits) for f in fits.values())):
        raise _checks.ArgumentTypeError(f"fits must be a dict of one or two {{label: ApproachFits}}; got "
                                        f"{_checks._describe(fits)}")
    fig, ax = plotting.figure(width=7.0, height=4.0)
    offsets = np.linspace(-0.15, 0.15, len(fits)) if len(fits) > 1 else [0.0]
    for (label, f), dy, color in zip(fits.items(), offsets, (C["observed"], C["tokens"])):
        for k in (1, 2, 3):
            low, high = f.a_interval(k)
            ax.errorbar([f.a[k]], [k + dy], xerr=[[f.a[k] - low], [high - f.a[k]]], fmt="o", color=color,
                        capsize=3, label=str(label) if k == 1 else None)
    for k, a in chinchilla.TABLE2_A.items():
        ax.plot([a], [k], "D", color=C["chinchilla"], ms=7, label="Hoffmann et al. (2022), Table 2" if k == 1 else None)
    ax.set(yticks=[1, 2, 3], yticklabels=["Approach 1", "Approach 2", "Approach 3"], ylim=(3.6, 0.4),
           xlabel=r"exponent $a$ of $N_\mathrm{opt} \propto C^{a}$",
           title="Three approaches, one exponent each, with 95 % intervals")
    fig.legend(loc="outside lower center", ncols=3, fontsize=9)
    return fig
