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
