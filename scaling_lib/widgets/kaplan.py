"""The kaplan chapter's explorers: Kaplan et al.'s compute-efficient allocation, and their learning curves."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .. import _checks, compute, data, kaplan, plotting
from . import Choice, Explorer, Slider, check_axes

#: The batch of most of Kaplan et al.'s runs: 512 sequences of 1024 tokens (Sec. 2.2).
PAPER_BATCH_TOKENS = kaplan.KAPLAN_2020.train_batch_tokens

_BUDGETS = np.geomspace(1e15, 1e28, 40)
_TOKENS = np.geomspace(1e8, 1e13, 60)


@lru_cache(maxsize=1)
def gpt3() -> dict:
    """GPT-3's parameters, tokens and training FLOPs from the book's table of notable models
    (Brown et al. 2020, Tables 2.2 and D.1)."""
    row = data.load_table("notable_models").where("name", "GPT-3").rows[0]
    return {"params": row["params"], "tokens": row["tokens"], "flops": row["flops_stated"]}


def draw_budget(ax, log10_flops: float):
    """Kaplan et al.'s compute-efficient parameters and tokens as the budget grows (trained at the
    critical batch size), GPT-3 for reference, and the chosen budget's run in the readout.
    ``log10_flops`` lies in the control's range, 17 to 27."""
    ax = check_axes(ax)
    budget = 10.0 ** _checks.scalar(log10_flops, "log10_flops", low=17.0, high=27.0)
    path = kaplan.compute_efficient(_BUDGETS)
    here = kaplan.compute_efficient(budget)
    ref = gpt3()
    c = plotting.COLORS
    ax.plot(_BUDGETS, path.n_params, color=c["parameters"], label="parameters N  (∝ C^0.73)")
    ax.plot(_BUDGETS, path.n_tokens, color=c["tokens"], label="tokens D = C/6N  (∝ C^0.27)")
    ax.plot([budget], [here.n_params], "o", ms=9, color=c["parameters"])
    ax.plot([budget], [here.n_tokens], "o", ms=9, color=c["tokens"])
    ax.plot([ref["flops"]], [ref["params"]], "*", ms=11, color=c["parameters"], mec="black",
            label="GPT-3's parameters and tokens")
    ax.plot([ref["flops"]], [ref["tokens"]], "*", ms=11, color=c["tokens"], mec="black")
    ax.axvline(budget, color=c["neutral"], lw=1)
    ax.set_ylim(1e4, 1e15)
    plotting.log_axes(ax, "training compute C (FLOPs)", "parameters or tokens")
    ax.legend(loc="upper left")
    text = (f"C = {budget:.3g} FLOPs ({compute.to_pf_days(budget):.3g} PF-days, C_min half that): "
            f"N = {here.n_params:.3g} parameters on D = {here.n_tokens:.3g} tokens "
            f"({here.tokens_per_parameter:.2g} per parameter); batch {here.batch_tokens:.3g} tokens "
            f"for {here.steps:,.0f} steps; predicted loss {here.loss:.3f} nats/token (WebText2)")
    return text


def budget_explorer() -> Explorer:
    return Explorer(
        name="Kaplan compute budget",
        callback=draw_budget,
        controls={"log10_flops": Slider("budget (log10 FLOPs)", 17.0, 27.0, 21.0, step=0.25)},
        alt="Log-log plot against training compute of Kaplan et al.'s compute-efficient parameters, a "
            "steep line, and tokens, a shallow line that the parameter line crosses near 1e20 FLOPs; "
            "the chosen budget is marked on both lines and GPT-3 is shown as two stars.",
        scenarios=(
            ("10^18 FLOPs", {"log10_flops": 18.0}),
            ("10^20 FLOPs", {"log10_flops": 20.0}),
            ("10^23.5 FLOPs, about GPT-3's budget", {"log10_flops": 23.5}),
            ("10^26 FLOPs", {"log10_flops": 26.0}),
        ),
    )


def draw_learning_curves(ax, log10_params: float, log10_tokens: float, batch: str):
    """Learning curves ``L(N, S_min)`` against tokens processed for five model sizes a factor of ten
    apart around ``10**log10_params`` (the chosen one bold, its converged loss dashed), at the critical
    batch or at the paper's 2**19 tokens. Each argument lies in its control's range
    (:func:`learning_curve_explorer`)."""
    ax = check_axes(ax)
    log10_params = _checks.scalar(log10_params, "log10_params", low=4.0, high=11.0)
    log10_tokens = _checks.scalar(log10_tokens, "log10_tokens", low=8.0, high=13.0)
    batch = _checks.choice(batch, "batch", ("critical", "paper"))
    batch_tokens = None if batch == "critical" else PAPER_BATCH_TOKENS
    chosen, seen = 10.0**log10_params, 10.0**log10_tokens
    c = plotting.COLORS
    sizes = chosen * np.array([0.01, 0.1, 1.0, 10.0, 100.0])
    curves = kaplan.loss_at_tokens(sizes[:, None], _TOKENS[None, :], batch_tokens=batch_tokens)
    for n, curve, color in zip(sizes, curves, plotting.SEQUENCE):
        ax.plot(_TOKENS, curve, color=color, lw=3.0 if n == chosen else 1.3)
        # each curve labelled at its end (cheaper to draw than a legend)
        ax.text(_TOKENS[-1] / 1.2, curve[-1] * 1.02, f"N = {n:.2g}", color=color, fontsize=8, ha="right",
                va="bottom", fontweight="bold" if n == chosen else "normal")
    converged = float(kaplan.converged_loss(chosen))
    here = float(kaplan.loss_at_tokens(chosen, seen, batch_tokens=batch_tokens))
    ax.axhline(converged, color=c["neutral"], lw=1, ls="--")
    ax.plot([seen], [here], "ko", ms=7)
    ax.set_ylim(float(kaplan.converged_loss(sizes[-1])) * 0.9, 10.0)
    where = "the critical batch" if batch_tokens is None else f"a batch of {PAPER_BATCH_TOKENS:,} tokens"
    plotting.log_axes(ax, f"tokens processed (at {where})", "test loss (nats/token)")
    run = kaplan.run_to_loss(chosen, here, batch_tokens=batch_tokens)
    text = (f"N = {chosen:.3g} after {seen:.3g} tokens: loss {here:.3f} nats/token, "
            f"{here - converged:.3f} above its converged {converged:.3f} (dashed). Critical batch at this loss "
            f"{run.critical_batch:.3g} tokens; {run.steps:,.0f} steps taken, "
            f"{run.min_steps:,.0f} at least (S_min)")
    return text


def learning_curve_explorer() -> Explorer:
    return Explorer(
        name="Kaplan learning curves",
        callback=draw_learning_curves,
        controls={
            "log10_params": Slider("model size (log10 N)", 4.0, 11.0, 8.0, step=0.25),
            "log10_tokens": Slider("tokens processed (log10)", 8.0, 13.0, 10.0, step=0.25),
            "batch": Choice("batch size", (("critical batch", "critical"),
                                           ("2^19 tokens, as in the paper", "paper")), "critical"),
        },
        alt="Log-log learning curves of loss against tokens processed for five model sizes a factor of "
            "ten apart, each labelled with its size at its right end, the chosen one bold; larger models "
            "fall lower and faster; a dashed line marks the chosen model's "
            "converged loss and a black dot the chosen number of tokens.",
        scenarios=(
            ("10^9 tokens, critical batch", {"log10_tokens": 9.0}),
            ("10^9 tokens, the paper's batch of 2^19 tokens", {"log10_tokens": 9.0, "batch": "paper"}),
            ("10^10 tokens (as it opens)", {}),
            ("10^11 tokens", {"log10_tokens": 11.0}),
            ("10^12 tokens", {"log10_tokens": 12.0}),
        ),
    )


EXPLORERS = (budget_explorer, learning_curve_explorer)
