"""Figures of the kaplan chapter: Kaplan et al.'s (2020) Figures 1, 2, 9, 12 and 15 rebuilt from
the paper's formulas (:mod:`scaling_lib.kaplan`), and GPT-3 against the compute-efficient
allocation."""

from __future__ import annotations

import numpy as np

from .. import _checks, chinchilla, compute, kaplan, plotting
from ..kaplan import KAPLAN_2020 as K

#: The ranges Kaplan et al. trained (Sec. 3): 768 to 1.5e9 non-embedding parameters, 22e6 to
#: 23e9 tokens; compute over the nine decades of their Figure 1.
TRAINED_PARAMS = (768.0, 1.5e9)
TRAINED_TOKENS = (22e6, 23e9)
FIGURE1_PF_DAYS = (1e-8, 1e1)


def three_laws():
    """Figure 1: ``L(C_min)``, ``L(D)`` and ``L(N)`` over the ranges the paper trained, one panel
    each, sharing the loss axis."""
    C = plotting.COLORS
    pf_days = np.geomspace(*FIGURE1_PF_DAYS, 50)
    tokens = np.geomspace(*TRAINED_TOKENS, 50)
    params = np.geomspace(*TRAINED_PARAMS, 50)
    fig, axes = plotting.figure(1, 3, width=9.0, height=3.4, sharey=True)
    panels = (
        (pf_days, kaplan.loss_c(compute.from_pf_days(pf_days)), C["compute"],
         "compute C_min (PF-days)", f"L(C_min), slope -{K.alpha_C_min:.3f}"),
        (tokens, kaplan.loss_d(tokens), C["tokens"], "dataset size D (tokens)",
         f"L(D), slope -{K.alpha_D:.3f}"),
        (params, kaplan.loss_n(params), C["parameters"], "non-embedding parameters N",
         f"L(N), slope -{K.alpha_N:.3f}"),
    )
    for ax, (x, y, color, label, title) in zip(axes, panels):
        ax.plot(x, y, color=color)
        plotting.log_axes(ax, label, "", title=title)
    axes[0].set_ylabel("test loss (nats/token)")
    return fig


@_checks.arguments_named
def overfitting(*, data_fractions=(10, 8, 6, 4, 0), full_tokens: float = 22e9, n_fixed: float = 1e8):
    """Figure 9. Left: ``L(N, D)`` against ``N`` for WebText2's ``full_tokens`` and subsets of
    ``1/2**k`` of it. Right: the overfitting penalty against ``N**(alpha_N/alpha_D)/D``, one curve
    for every ``N`` and ``D``, with the run-to-run variation of the loss."""
    data_fractions = _checks.array(data_fractions, "data_fractions", nonnegative=True, ndim=1)
    full_tokens = _checks.scalar(full_tokens, "full_tokens", positive=True)
    n_fixed = _checks.scalar(n_fixed, "n_fixed", positive=True)
    C = plotting.COLORS
    fig, (left, right) = plotting.figure(1, 2, width=8.0, height=3.6)
    n_grid = np.geomspace(1e6, TRAINED_PARAMS[1], 60)
    for k, color in zip(data_fractions, plotting.SEQUENCE):
        d = full_tokens / 2**k
        left.plot(n_grid, kaplan.loss_nd(n_grid, d), color=color, label=f"D = {d:.2g} tokens")
    plotting.log_axes(left, "non-embedding parameters N", "test loss (nats/token)",
                      title="Small data sets stop rewarding size")
    left.legend()
    ratio = np.geomspace(1e-5, 1e-1, 60)  # N**(alpha_N/alpha_D) / D
    d_for_ratio = n_fixed ** (K.alpha_N_nd / K.alpha_D_nd) / ratio
    right.plot(ratio, kaplan.overfitting_penalty(n_fixed, d_for_ratio), color=C["fit"],
               label="Eq. 4.3, Table 2's fit")
    right.axhline(K.seed_loss_variation, color=C["neutral"], lw=1, ls="--",
                  label=f"run-to-run variation, {K.seed_loss_variation}")
    plotting.log_axes(right, "N^(alpha_N/alpha_D) / D", "L(N, D) / L(N, inf) - 1",
                      title="One curve for every N and D")
    right.legend()
    return fig


@_checks.arguments_named
def learning_curves(*, sizes=(1e5, 1e6, 1e7, 1e8, 1e9), batch_tokens: float = K.train_batch_tokens):
    """Figure 2 (left): ``L(N, S_min)`` against tokens processed at a fixed batch for five model
    sizes; solid inside the window the law was fitted on (after the warm-up, within the runs'
    length, Sec. 2.2), dotted outside it."""
    sizes = _checks.array(sizes, "sizes", positive=True, ndim=1)
    batch_tokens = _checks.scalar(batch_tokens, "batch_tokens", positive=True)
    seen = np.geomspace(1e8, 1e12, 120)
    fitted = (seen >= K.warmup_steps * batch_tokens) & (seen <= K.train_steps * batch_tokens)
    fig, ax = plotting.figure()
    for n, color in zip(sizes, plotting.SEQUENCE):
        curve = kaplan.loss_at_tokens(n, seen, batch_tokens=batch_tokens)
        ax.plot(seen, np.where(fitted, curve, np.nan), color=color, label=f"N = {n:.0e}")
        ax.plot(seen, np.where(fitted, np.nan, curve), color=color, ls=":")
    ax.set_ylim(top=10)
    plotting.log_axes(ax, f"tokens processed (batch of {batch_tokens:,.0f} tokens)",
                      "test loss (nats/token)", title="Larger models reach any loss in fewer tokens")
    ax.legend(title="non-embedding parameters")
    return fig


@_checks.arguments_named
def off_size_cost(*, low: float = 0.3, high: float = 30.0):
    """Figure 12: the compute (Eq. B.16) and steps (Eq. B.17) a model of another size needs to
    reach the compute-efficient model's loss, relative to that model, with the band of at most
    20 % more compute."""
    low = _checks.scalar(low, "low", positive=True)
    high = _checks.scalar(high, "high", positive=True)
    if not low < high:
        raise ValueError(f"low and high must be (smallest, largest) model-size ratios; got {low}, {high}")
    C = plotting.COLORS
    ratio = np.geomspace(low, high, 200)
    fig, ax = plotting.figure()
    ax.axhspan(1.0, 1.2, color=C["compute"], alpha=0.15, lw=0, label="at most 20 % more compute")
    ax.plot(ratio, kaplan.excess_compute(ratio), color=C["compute"], label="compute, Eq. B.16")
    ax.plot(ratio, kaplan.excess_steps(ratio), color=C["neutral"], label="steps, Eq. B.17")
    ax.set_ylim(0.1, 20)
    plotting.log_axes(ax, "model size / compute-efficient size", "relative to the efficient model",
                      title="A flat optimum: bigger models cost little, save steps")
    ax.legend()
    return fig


@_checks.arguments_named
def gpt3_against_allocation(c_gpt3: float, n_gpt3: float, *, law=chinchilla.BESIROGLU_2024,
                            band=(0.6, 2.2)):
    """Kaplan et al.'s compute-efficient model size against the training budget (at the critical
    batch, ``C = 2 C_min``), the band of sizes that cost at most 20 % more compute (App. B.4), the
    compute-optimal size of a Chinchilla-style ``law``, and GPT-3 (``c_gpt3`` FLOPs,
    ``n_gpt3`` parameters)."""
    c_gpt3 = _checks.scalar(c_gpt3, "c_gpt3", positive=True)
    n_gpt3 = _checks.scalar(n_gpt3, "n_gpt3", positive=True)
    band = _checks.array(band, "band", positive=True, ndim=1)
    if band.size != 2 or not band[0] < band[1]:
        raise ValueError(f"band must be (low, high) multiples of Kaplan's size; got {band.tolist()}")
    C = plotting.COLORS
    budgets = np.geomspace(1e18, 1e26, 60)
    frontier = kaplan.compute_efficient(budgets).n_params
    a_law, _ = chinchilla.allocation_exponents(law)
    fig, ax = plotting.figure()
    ax.fill_between(budgets, band[0] * frontier, band[1] * frontier, color=C["kaplan"], alpha=0.2,
                    lw=0, label=f"{band[0]} to {band[1]} times it (App. B.4)")
    ax.plot(budgets, frontier, color=C["kaplan"], label=f"Kaplan et al. (N ~ C^{K.p_N})")
    ax.plot(budgets, chinchilla.compute_optimal(budgets, law).n_params, color=C["chinchilla"], ls="--",
            label=f"Chinchilla, replication refit (N ~ C^{a_law:.2f})")
    ax.plot([c_gpt3], [n_gpt3], "*", ms=14, color=C["observed"], mec="black", label="GPT-3")
    plotting.log_axes(ax, "training compute C (FLOPs)", "parameters N",
                      title="GPT-3: at the edge of Kaplan's basin")
    ax.legend()
    return fig


@_checks.arguments_named
def contradiction(point: kaplan.Contradiction, *, pf_days=(1e-8, 1e8)):
    """Figure 15: the compute-efficient frontier ``L(C_min)`` and the loss ``L(D)`` allowed by the
    one-epoch data that frontier trains on, crossing at ``point``
    (:func:`scaling_lib.kaplan.frontier_contradiction`)."""
    _checks.instance(point, "point", kaplan.Contradiction, "a Contradiction (kaplan.frontier_contradiction)")
    pf_days = _checks.array(pf_days, "pf_days", positive=True, ndim=1)
    if pf_days.size != 2 or not pf_days[0] < pf_days[1]:
        raise ValueError(f"pf_days must be (smallest, largest) PF-days; got {pf_days.tolist()}")
    C = plotting.COLORS
    c_min = np.geomspace(*pf_days, 100)
    one_epoch = kaplan.compute_efficient(2 * compute.from_pf_days(c_min)).n_tokens
    fig, ax = plotting.figure()
    ax.plot(c_min, kaplan.loss_c(compute.from_pf_days(c_min)), color=C["compute"],
            label="L(C_min): the compute-efficient frontier")
    ax.plot(c_min, kaplan.loss_d(one_epoch), color=C["tokens"], label="L(D) for the data that frontier uses")
    ax.plot([point.pf_days], [point.loss], "o", color=C["truth"], label=f"they cross at {point.pf_days:.2g} PF-days")
    plotting.log_axes(ax, "compute C_min (PF-days)", "test loss (nats/token)",
                      title="The frontier eventually outruns its own data")
    ax.legend()
    return fig
