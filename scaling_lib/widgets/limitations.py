"""Chapter 5's explorers: repeated data, inference demand, and a run's footprint."""

from __future__ import annotations

import numpy as np

from .. import chinchilla, data, data_constrained, footprint, inference_aware, plotting
from . import Choice, Explorer, Slider

LAW = chinchilla.BESIROGLU_2024


def draw_repetition(log10_unique_tokens: float, epochs: float, log10_params: float):
    """Effective tokens and predicted loss when a stock of unique tokens is repeated."""
    unique, n = 10.0**log10_unique_tokens, 10.0**log10_params
    grid = np.linspace(1, 60, 120)
    worth = np.asarray(data_constrained.effective_tokens(unique, grid))
    fig, ax = plotting.figure(live=True)
    ax.plot(grid, grid * unique, "--", color=plotting.COLORS["neutral"], lw=1.2, label="tokens seen")
    ax.plot(grid, worth, color=plotting.COLORS["tokens"], label="worth in fresh tokens")
    here = float(data_constrained.effective_tokens(unique, epochs))
    ax.plot([epochs], [here], "o", ms=8, color=plotting.COLORS["tokens"])
    plotting.log_axes(ax, "epochs over the unique tokens", "tokens", x=False)
    ax.legend(loc="upper left")
    repeated = float(data_constrained.repeated_data_loss(n, unique, epochs, LAW))
    fresh = float(chinchilla.loss(n, unique * epochs, LAW))
    text = (f"{unique:.3g} unique tokens x {epochs:g} epochs = {unique * epochs:.3g} seen, worth {here:.3g} fresh "
            f"({100 * here / (unique * epochs):.0f} %); N = {n:.3g}: loss {repeated:.4f} against {fresh:.4f} "
            f"with all-fresh data (refit law)")
    return fig, text


def repetition_explorer() -> Explorer:
    return Explorer(
        name="repeated data",
        callback=draw_repetition,
        controls={
            "log10_unique_tokens": Slider("unique tokens (log10)", 9.0, 13.0, 11.0, step=0.25),
            "epochs": Slider("epochs", 1.0, 60.0, 4.0, step=1.0),
            "log10_params": Slider("model size (log10 N)", 8.0, 12.0, 10.0, step=0.25),
        },
        alt="Tokens against epochs: a dashed line for tokens seen, rising steadily, and a solid curve for "
            "their worth in fresh tokens, which bends over and levels off; a dot marks the chosen epochs.",
    )


def draw_inference(log10_inference_tokens: float, log10_flops: float):
    """Lifetime compute against model size for the loss of the compute-optimal model of a budget."""
    best = chinchilla.compute_optimal(10.0**log10_flops, LAW)
    target = float(best.loss)
    served = 10.0**log10_inference_tokens
    opt = inference_aware.lifetime_optimum(target, served, LAW)
    sizes = best.n_params * np.geomspace(0.15, 3.0, 120)
    total = np.asarray(inference_aware.lifetime_flops(sizes, target, served, LAW))
    fig, ax = plotting.figure(live=True)
    finite = np.isfinite(total)
    ax.plot(sizes[finite], total[finite], color=plotting.COLORS["compute"], label="training + inference")
    ax.plot(sizes[finite], 6 * sizes[finite] * np.asarray(chinchilla.iso_loss_tokens(sizes[finite], target, LAW)),
            "--", color=plotting.COLORS["neutral"], lw=1.2, label="training only")
    ax.axvline(best.n_params, color=plotting.COLORS["chinchilla"], lw=1, label="Chinchilla-optimal N")
    ax.plot([opt.n_params], [opt.total_flops], "o", ms=8, color=plotting.COLORS["compute"], label="cheapest overall")
    plotting.log_axes(ax, "parameters N", "lifetime compute (FLOPs)")
    ax.legend(loc="upper right", fontsize=8)
    text = (f"target loss {target:.3f}; serving {served:.3g} tokens: cheapest N = {opt.n_params:.3g} trained on "
            f"{opt.n_tokens:.3g} tokens ({opt.tokens_per_parameter:.0f} per parameter), lifetime "
            f"{opt.total_flops:.3g} FLOPs; Chinchilla-optimal N = {best.n_params:.3g}")
    return fig, text


def inference_explorer() -> Explorer:
    return Explorer(
        name="inference-aware sizing",
        callback=draw_inference,
        controls={
            "log10_inference_tokens": Slider("tokens served (log10)", 9.0, 15.0, 12.0, step=0.25),
            "log10_flops": Slider("target: loss of the optimum at (log10 FLOPs)", 20.0, 25.0, 23.0,
                                  step=0.25),
        },
        alt="Lifetime compute against model size for a fixed target loss: a training-only curve with its "
            "minimum at the Chinchilla-optimal size, and a training-plus-inference curve whose minimum, "
            "marked, lies at a smaller model.",
    )


def _assumptions() -> dict:
    table = data.load_table("footprint_assumptions")
    return dict(zip(table["quantity"], table["value"]))


def draw_footprint(log10_flops: float, accelerator: str, utilization: float, pue: float, grid_kg_per_kwh: float,
                   dollars_per_gpu_hour: float):
    """Energy, emissions and rental cost of a run under stated assumptions, beside published footprints."""
    hardware = data.load_table("accelerators")
    peak = dict(zip(hardware["name"], hardware["peak_flops_per_second"]))[accelerator]
    watts = dict(zip(hardware["name"], hardware["max_power_watts"]))[accelerator]
    run = footprint.footprint(10.0**log10_flops, peak_flops_per_second=peak, utilization=utilization,
                              watts_per_accelerator=watts, pue=pue, grid_kg_per_kwh=grid_kg_per_kwh,
                              dollars_per_gpu_hour=dollars_per_gpu_hour)
    published = data.load_table("published_footprints")
    names = ["this run"] + [m.split(" (")[0] for m in published["model"]]
    tonnes = [run.tonnes_co2e] + list(published["tonnes_co2e"])
    fig, ax = plotting.figure(live=True)
    colors = [plotting.COLORS["compute"]] + [plotting.COLORS["neutral"]] * len(published)
    ax.barh(names, tonnes, color=colors)
    ax.set_xscale("log")
    ax.set_xlabel("emissions (tonnes CO2e)")
    text = (f"{10.0**log10_flops:.3g} FLOPs on {accelerator} at {utilization:.0%} utilization: "
            f"{run.gpu_hours:,.0f} accelerator-hours, {run.kwh / 1000:,.1f} MWh with PUE {pue:.2f}, "
            f"{run.tonnes_co2e:,.1f} t CO2e at {grid_kg_per_kwh:.3f} kg/kWh; "
            f"${run.dollars:,.0f} at ${dollars_per_gpu_hour:.2f} per accelerator-hour")
    return fig, text


def footprint_explorer() -> Explorer:
    names = tuple(data.load_table("accelerators")["name"])
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
        alt="Horizontal bars on a log scale comparing the emissions of the configured training run with the "
            "published footprints of GPT-3 and BLOOM.",
    )


EXPLORERS = (repetition_explorer, inference_explorer, footprint_explorer)
