"""Energy, emissions and money of a training run, from its FLOPs and explicit assumptions.

The chain is short and every link is an assumption the reader can change:

    accelerator-hours = FLOPs / (peak FLOP/s x utilization) / 3600        (compute.run_cost)
    energy (kWh)      = accelerator-hours x power draw (kW) x PUE
    emissions (t)     = energy x grid carbon intensity (kg CO2e/kWh) / 1000
    money ($)         = accelerator-hours x price per accelerator-hour     (compute.run_cost)

PUE, *power usage effectiveness*, is the data centre's total power over the power reaching the IT
equipment (1.0 would be no overhead for cooling and power delivery). Utilization here is model FLOPs
utilization (the FLOPs ``6ND`` counts, per second, over the peak): a throughput that counts recomputed
work, hardware FLOPs utilization, converts with :func:`model_flops_utilization`. The assumptions the book starts
from, each with its source, are in ``data/footprint_assumptions.csv``; published footprints to check
against, with the inputs their papers state, in ``data/published_footprints.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _checks, compute


def energy_kwh(accelerator_hours, *, watts_per_accelerator: float, pue: float = 1.0):
    """Facility energy in kWh: ``accelerator_hours`` at ``watts_per_accelerator`` (average draw, W),
    times the ``pue`` (>= 1)."""
    hours = _checks.array(accelerator_hours, "accelerator_hours", nonnegative=True)
    watts = _checks.scalar(watts_per_accelerator, "watts_per_accelerator", positive=True)
    pue = _checks.scalar(pue, "pue", low=1.0)
    return _checks.finite(lambda: hours * watts / 1000.0 * pue, "accelerator_hours, watts_per_accelerator and pue",
                          "the energy")


def emissions_tonnes(kwh, grid_kg_per_kwh: float):
    """Tonnes of CO2-equivalent from ``kwh`` of electricity at ``grid_kg_per_kwh`` kg CO2e per kWh."""
    kwh = _checks.array(kwh, "kwh", nonnegative=True)
    grid = _checks.scalar(grid_kg_per_kwh, "grid_kg_per_kwh", nonnegative=True)
    return _checks.finite(lambda: kwh * grid / 1000.0, "kwh and grid_kg_per_kwh", "the emissions")


#: Forward-pass equivalents per token with and without the activations recomputed in the backward pass:
#: forward (1) + backward (2), plus one more forward when it is recomputed (Narayanan et al. 2021 count
#: 96·B·s·l·h² FLOPs per iteration, four forward passes of 24·B·s·l·h², before attention and logits).
_PASSES_COUNTED, _PASSES_RECOMPUTED = 3.0, 4.0


def model_flops_utilization(hardware_utilization):
    """The model FLOPs utilization of a run whose published utilization counts a recomputed forward pass.

    A run that recomputes every activation in the backward pass executes about ``8N`` FLOPs per
    token while ``6ND`` counts ``6N``: the hardware figure ``hardware_utilization`` (0 to 1) times
    3/4. Narayanan et al.'s 52 % of peak becomes 39 %.
    """
    hfu = _checks.array(hardware_utilization, "hardware_utilization", positive=True)
    if np.any(hfu > 1.0):
        raise ValueError(f"hardware_utilization must be a fraction of peak, in (0, 1]; largest is {hfu.max()}")
    return _checks.result(hfu * _PASSES_COUNTED / _PASSES_RECOMPUTED)


@dataclass(frozen=True)
class Footprint:
    """A run's cost under stated assumptions: ``run`` (the :class:`~scaling_lib.compute.RunCost`, with
    ``gpu_hours``, ``dollars`` and ``wall_clock_days``), ``kwh`` and ``tonnes_co2e``."""

    run: compute.RunCost
    kwh: float
    tonnes_co2e: float

    @property
    def gpu_hours(self) -> float:
        return self.run.gpu_hours

    @property
    def dollars(self) -> float:
        return self.run.dollars

    @property
    def mwh(self) -> float:
        return self.kwh / 1000.0


def training_footprint(flops: float, *, peak_flops_per_second: float, utilization: float,
                       watts_per_accelerator: float, pue: float, grid_kg_per_kwh: float,
                       dollars_per_gpu_hour: float = 0.0, n_gpus: int = 1) -> Footprint:
    """Accelerator-hours, money, energy and emissions of a run of ``flops`` FLOPs.

    Parameters
    ----------
    flops : float
        Compute of the run, FLOPs (e.g. ``6 N D``).
    peak_flops_per_second, utilization, dollars_per_gpu_hour, n_gpus
        As in :func:`scaling_lib.compute.run_cost`: peak dense FLOP/s of one accelerator, the fraction
        of it achieved (model FLOPs utilization), the price of one accelerator-hour in dollars, and the
        number of accelerators (which changes only the wall-clock time).
    watts_per_accelerator : float
        Average power drawn per accelerator, W. The datasheet's maximum (TDP) is a common stand-in;
        host servers and networking add to it.
    pue : float
        Power usage effectiveness of the data centre, >= 1.
    grid_kg_per_kwh : float
        Carbon intensity of the electricity, kg CO2e per kWh.
    """
    watts = _checks.scalar(watts_per_accelerator, "watts_per_accelerator", positive=True)
    pue = _checks.scalar(pue, "pue", low=1.0)
    grid = _checks.scalar(grid_kg_per_kwh, "grid_kg_per_kwh", nonnegative=True)
    run = compute.run_cost(flops, peak_flops_per_second=peak_flops_per_second, utilization=utilization,
                           dollars_per_gpu_hour=dollars_per_gpu_hour, n_gpus=n_gpus)
    names = "flops, peak_flops_per_second, utilization, watts_per_accelerator and pue"
    kwh = _checks.finite(lambda: run.gpu_hours * watts / 1000.0 * pue, names, "the energy")
    return Footprint(run=run, kwh=kwh,
                     tonnes_co2e=_checks.finite(lambda: kwh * grid / 1000.0, names + " and grid_kg_per_kwh",
                                                "the emissions"))


def emission_swings(flops: float, swings: dict, **central) -> dict:
    """How far each assumption alone moves the emissions of a run of ``flops`` FLOPs.

    ``central`` are the keyword arguments of :func:`training_footprint` for the central case;
    ``swings`` maps a label to ``(argument, low, high)``, one of those arguments and the two values it
    takes in turn, the others held at their central values. Returns ``{label: (tonnes at low, tonnes
    at high)}``.
    """
    if not isinstance(swings, dict) or not swings:
        raise ValueError(f"swings must be a non-empty dict of label -> (argument, low, high); got {swings!r}")
    out = {}
    for label, swing in swings.items():
        if not (isinstance(swing, tuple) and len(swing) == 3 and swing[0] in central):
            raise ValueError(f"swings[{label!r}] must be (argument, low, high) with argument one of "
                             f"{', '.join(central)}; got {swing!r}")
        key, low, high = swing
        out[label] = tuple(float(training_footprint(flops, **{**central, key: v}).tonnes_co2e) for v in (low, high))
    return out
