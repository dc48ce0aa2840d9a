"""The explorers of the chapter ``limitations`` (Limitations, and what came after Chinchilla): repeated
data, inference demand, parameter counting, and a run's footprint."""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator

from .. import (_checks, chinchilla, compute, data, data_constrained, footprint, inference_aware, kaplan,
               parameter_counts, plotting)
from ..chinchilla import PUBLISHED_LAWS as LAWS
from . import Choice, Explorer, Slider, check_axes

#: The law for sizing questions: the replication's refit (the chapter ``chinchilla`` explains why).
LAW = chinchilla.BESIROGLU_2024


def draw_repetition(axes, log10_unique_tokens: float, epochs: float, log10_params: float):
    """What repeating a stock of unique tokens is worth (left, in units of the stock) and the loss it
    buys (right), by Muennighoff et al.'s data-constrained law. Each argument lies in its control's
    range (:func:`repetition_explorer`)."""
    left, right = check_axes(axes, 2, "axes")
    log10_unique_tokens = _checks.scalar(log10_unique_tokens, "log10_unique_tokens", low=9.0, high=13.0)
    epochs = _checks.scalar(epochs, "epochs", low=1.0, high=60.0)
    log10_params = _checks.scalar(log10_params, "log10_params", low=8.0, high=11.0)
    unique, n = 10.0**log10_unique_tokens, 10.0**log10_params
    r_star = data_constrained.MUENNIGHOFF_2023.r_star_d
    grid = np.linspace(1.0, 60.0, 60)
    worth = np.asarray(data_constrained.effective_tokens(1.0, grid))
    here = float(data_constrained.effective_tokens(1.0, epochs))
    repeated = np.asarray(data_constrained.repeated_data_loss(n, unique, grid))
    fresh = np.asarray(data_constrained.loss(n, unique * grid, unique * grid))
    left.plot(grid, grid, "--", color=plotting.COLORS["neutral"], lw=1.2, label="tokens seen")
    left.plot(grid, worth, color=plotting.COLORS["tokens"], label="worth in fresh tokens")
    left.axhline(1 + r_star, color=plotting.COLORS["tokens"], lw=0.8, ls=":")
    left.plot([epochs], [here], "o", ms=8, color=plotting.COLORS["tokens"])
    left.set(xlabel="epochs over the unique tokens", ylabel="tokens / unique tokens", ylim=(0, 40))
    left.legend(loc="upper left")
    for ax in (left, right):
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=4))
    right.plot(grid, fresh, "--", color=plotting.COLORS["neutral"], lw=1.2, label="all tokens fresh")
    right.plot(grid, repeated, color=plotting.COLORS["tokens"], label="the stock repeated")
    loss_here = float(data_constrained.repeated_data_loss(n, unique, epochs))
    right.plot([epochs], [loss_here], "o", ms=8, color=plotting.COLORS["tokens"])
    right.set(xlabel="epochs over the unique tokens", ylabel="predicted loss (nats/token, C4)")
    right.legend(loc="upper right")
    fresh_here = float(data_constrained.loss(n, unique * epochs, unique * epochs))
    text = (f"{unique:.3g} unique tokens x {epochs:g} epochs = {unique * epochs:.3g} tokens seen, worth "
            f"{here * unique:.3g} fresh ({100 * here / epochs:.0f} %). N = {n:.3g}: loss {loss_here:.3f} "
            f"against {fresh_here:.3f} with all-fresh data (Muennighoff et al.'s law).")
    return text


def repetition_explorer() -> Explorer:
    return Explorer(
        name="repeated data",
        callback=draw_repetition,
        controls={
            "log10_unique_tokens": Slider("unique tokens (log10)", 9.0, 13.0, 11.0, step=0.25),
            "epochs": Slider("epochs", 1.0, 60.0, 4.0, step=1.0),
            "log10_params": Slider("model size (log10 N)", 8.0, 11.0, 9.5, step=0.25),
        },
        alt="Two panels against epochs. Left, in units of the unique tokens: tokens seen rise in a straight "
            "dashed line while their worth in fresh tokens bends over towards a dotted ceiling. Right: predicted loss with the stock repeated "
            "falls at first and levels off, while the loss with all-fresh data keeps falling; dots mark the "
            "chosen number of epochs.",
        layout={"ncols": 2, "width": 9.6, "height": 3.6},
        scenarios=(
            ("1 epoch", {"epochs": 1.0}),
            ("4 epochs (as it opens)", {}),
            ("60 epochs", {"epochs": 60.0}),
            ("60 epochs, a 100-billion-parameter model", {"epochs": 60.0, "log10_params": 11.0}),
        ),
    )


def draw_inference(ax, log10_inference_tokens: float, log10_flops: float):
    """Lifetime compute against model size, for the loss of the compute-optimal model of a budget.
    Each argument lies in its control's range (:func:`inference_explorer`)."""
    ax = check_axes(ax)
    log10_inference_tokens = _checks.scalar(log10_inference_tokens, "log10_inference_tokens", low=9.0, high=16.0)
    log10_flops = _checks.scalar(log10_flops, "log10_flops", low=20.0, high=26.0)
    best = chinchilla.compute_optimal(10.0**log10_flops, LAW)
    target = float(best.loss)
    served = 10.0**log10_inference_tokens
    opt = inference_aware.lifetime_optimum(target, served, LAW)
    low = inference_aware.smallest_model(target, LAW) * 1.05
    sizes = np.geomspace(low, best.n_params * 4.0, 100)
    training = compute.training_flops(sizes, chinchilla.iso_loss_tokens(sizes, target, LAW))
    total = training + compute.inference_flops(sizes, served)
    ax.plot(sizes, total, color=plotting.COLORS["compute"], label="training + inference")
    ax.plot(sizes, training, "--", color=plotting.COLORS["neutral"], lw=1.2, label="training only")
    ax.axvline(best.n_params, color=plotting.COLORS["replication"], lw=1, label="compute-optimal N")
    ax.plot([opt.n_params], [opt.total_flops], "o", ms=8, color=plotting.COLORS["compute"],
            label="cheapest overall")
    ax.set_ylim(best.flops * 0.7, max(total.min(), best.flops) * 30)
    plotting.log_axes(ax, "parameters N", "lifetime compute (FLOPs)")
    ax.legend(loc="upper right")
    text = (f"Target loss {target:.3f} (the optimum at {best.flops:.3g} FLOPs, refit law). Serving "
            f"{served:.3g} tokens: cheapest N = {opt.n_params:.3g} trained on {opt.n_tokens:.3g} tokens "
            f"({opt.tokens_per_parameter:.0f} per parameter); lifetime {opt.total_flops:.3g} FLOPs "
            f"({opt.inference_flops / opt.total_flops:.0%} inference), {opt.saving:.0%} less than the "
            f"compute-optimal N = {best.n_params:.3g} serving the same tokens.")
    return text


def inference_explorer() -> Explorer:
    return Explorer(
        name="inference-aware sizing",
        callback=draw_inference,
        controls={
            "log10_inference_tokens": Slider("tokens served (log10)", 9.0, 16.0, 12.0, step=0.25),
            "log10_flops": Slider("target: loss of the optimum at (log10 FLOPs)", 20.0, 26.0, 23.0, step=0.25),
        },
        alt="Lifetime compute against model size for a fixed target loss: a dashed training-only curve with "
            "its minimum at the compute-optimal size, marked by a vertical line, and a training-plus-inference "
            "curve whose marked minimum lies at a smaller model.",
        scenarios=(
            ("10^9 tokens served", {"log10_inference_tokens": 9.0}),
            ("10^12 tokens served (as it opens)", {}),
            ("10^14 tokens served", {"log10_inference_tokens": 14.0}),
            ("10^16 tokens served", {"log10_inference_tokens": 16.0}),
        ),
    )


def draw_counting(ax, vocab_thousands: float, log10_smallest: float, log10_largest: float, law: str):
    """Compute-optimal model size against compute over one range of sizes, counted with and without
    embedding parameters, with the exponent fitted to each. Each argument lies in its control's
    range (:func:`counting_explorer`)."""
    ax = check_axes(ax)
    vocab_thousands = _checks.scalar(vocab_thousands, "vocab_thousands", low=4.0, high=256.0)
    log10_smallest = _checks.scalar(log10_smallest, "log10_smallest", low=2.0, high=10.0)
    log10_largest = _checks.scalar(log10_largest, "log10_largest", low=5.0, high=13.0)
    law = _checks.choice(law, "law", tuple(LAWS))
    fitted = LAWS[law]
    shape = parameter_counts.ModelShape(vocab=1000.0 * vocab_thousands, aspect=parameter_counts.PEARCE_SONG_2024.aspect)
    lo, hi = sorted((10.0**log10_smallest, 10.0**log10_largest))
    if hi / lo < 10.0:
        hi = lo * 10.0
    result = parameter_counts.compare_counting((lo, hi), fitted, shape, n_points=25)
    ax.plot(result.flops_total, result.n_total, color=plotting.COLORS["chinchilla"],
            label=f"all parameters and FLOPs: a = {result.a_total:.2f}")
    ax.plot(result.flops_non_embedding, result.n_non_embedding, color=plotting.COLORS["kaplan"],
            label=f"non-embedding only: a = {result.a_non_embedding:.2f}")
    plotting.log_axes(ax, "training compute C (FLOPs, counted each way)", "compute-optimal parameters")
    ax.legend(loc="upper left")
    share = float(parameter_counts.embedding_share(lo, shape))
    text = (f"Sizes {lo:.3g} to {hi:.3g} non-embedding parameters, vocabulary {shape.vocab:,.0f}: the "
            f"smallest model is {share:.1%} embedding. Fitted N_opt ∝ C^a: a = {result.a_total:.3f} counting "
            f"everything, {result.a_non_embedding:.3f} counting non-embedding parameters (Kaplan et al. "
            f"{kaplan.KAPLAN_2020.p_N}).")
    return text


def counting_explorer() -> Explorer:
    return Explorer(
        name="parameter counting",
        callback=draw_counting,
        controls={
            "vocab_thousands": Slider("vocabulary (thousands of tokens)", 4.0, 256.0, 32.0, step=1.0),
            "log10_smallest": Slider("smallest model (log10 non-embedding N)", 2.0, 10.0, 2.9, step=0.1),
            "log10_largest": Slider("largest model (log10 non-embedding N)", 5.0, 13.0, 9.2, step=0.1),
            "law": Choice("law", tuple(LAWS), tuple(LAWS)[0]),
        },
        alt="Log-log lines of compute-optimal model size against compute over one range of model sizes: "
            "one counting all parameters and compute, one counting non-embedding parameters and compute, "
            "which is steeper; the legend gives each fitted exponent.",
        scenarios=(
            ("as it opens", {}),
            ("a larger vocabulary: 256,000 tokens", {"vocab_thousands": 256.0}),
            ("a range of large models: 10^9 to 10^13", {"log10_smallest": 9.0, "log10_largest": 13.0}),
        ),
    )


def draw_footprint(axes, log10_flops: float, accelerator: str, utilization: float, pue: float,
                   grid_kg_per_kwh: float, dollars_per_gpu_hour: float):
    """Energy, emissions and rental cost of a run under stated assumptions, beside published footprints.
    Each argument lies in its control's range (:func:`footprint_explorer`)."""
    energy, carbon = check_axes(axes, 2, "axes")
    log10_flops = _checks.scalar(log10_flops, "log10_flops", low=20.0, high=26.0)
    accelerator = _checks.choice(accelerator, "accelerator", tuple(data.accelerators()))
    utilization = _checks.scalar(utilization, "utilization", low=0.1, high=0.7)
    pue = _checks.scalar(pue, "pue", low=1.0, high=2.0)
    grid_kg_per_kwh = _checks.scalar(grid_kg_per_kwh, "grid_kg_per_kwh", low=0.01, high=0.9)
    dollars_per_gpu_hour = _checks.scalar(dollars_per_gpu_hour, "dollars_per_gpu_hour", low=0.5, high=10.0)
    chip = data.accelerators()[accelerator]
    peak, watts = chip.peak_flops_per_second, chip.max_power_watts
    run = footprint.training_footprint(10.0**log10_flops, peak_flops_per_second=peak, utilization=utilization,
                                       watts_per_accelerator=watts, pue=pue, grid_kg_per_kwh=grid_kg_per_kwh,
                                       dollars_per_gpu_hour=dollars_per_gpu_hour)
    published = data.load_table("published_footprints")
    names = ["this run"] + [f"{m} (published)" for m in published["model"]]
    colors = [plotting.COLORS["compute"]] + [plotting.COLORS["neutral"]] * len(published)
    energy.barh(names, [run.mwh] + list(published["energy_mwh"]), color=colors)
    carbon.barh(names, [run.tonnes_co2e] + list(published["tonnes_co2e"]), color=colors)
    plotting.log_axes(energy, "energy (MWh)", "", y=False)
    plotting.log_axes(carbon, "emissions (tonnes CO2e)", "", y=False)
    carbon.tick_params(axis="y", labelleft=False)
    for ax in (energy, carbon):
        ax.grid(axis="y", visible=False)
        ax.set_xlim(left=max(1e-3, min(run.mwh, run.tonnes_co2e, 1.0) / 3))
    energy.figure.subplots_adjust(left=0.2)
    text = (f"{10.0**log10_flops:.3g} FLOPs on {accelerator} at {utilization:.0%} utilization: "
            f"{run.gpu_hours:,.0f} accelerator-hours, {run.mwh:,.1f} MWh at {watts:.0f} W and PUE {pue:.2f}, "
            f"{run.tonnes_co2e:,.1f} t CO2e at {grid_kg_per_kwh:.3f} kg/kWh; ${run.dollars:,.0f} at "
            f"${dollars_per_gpu_hour:.2f} per accelerator-hour.")
    return text


def footprint_explorer() -> Explorer:
    names = tuple(data.accelerators())
    return Explorer(
        name="training footprint",
        callback=draw_footprint,
        controls={
            "log10_flops": Slider("training compute (log10 FLOPs)", 20.0, 26.0, 23.5, step=0.25),
            "accelerator": Choice("accelerator", names, names[0]),
            "utilization": Slider("utilization (MFU)", 0.1, 0.7, 0.4, step=0.05),
            "pue": Slider("power usage effectiveness", 1.0, 2.0, 1.1, step=0.05),
            "grid_kg_per_kwh": Slider("grid intensity (kg CO2e/kWh)", 0.01, 0.9, 0.429, step=0.01),
            "dollars_per_gpu_hour": Slider("$ per accelerator-hour", 0.5, 10.0, 2.0, step=0.25),
        },
        alt="Two bar charts on log scales, energy in MWh and emissions in tonnes CO2e, comparing the configured "
            "training run with the published footprints of GPT-3 and BLOOM.",
        layout={"ncols": 2, "width": 9.6, "height": 3.2},
        scenarios=(
            ("central assumptions (as it opens)", {}),
            ("a low-carbon grid: 0.03 kg CO2e/kWh", {"grid_kg_per_kwh": 0.03}),
            ("low-carbon grid, utilization lowered to 20 %", {"grid_kg_per_kwh": 0.03, "utilization": 0.2}),
        ),
    )


EXPLORERS = (repetition_explorer, inference_explorer, counting_explorer, footprint_explorer)
