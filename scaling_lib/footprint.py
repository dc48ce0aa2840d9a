"""Energy, emissions and money of a training run, from its FLOPs and explicit assumptions.

Every input is an assumption the reader can change: the accelerator's peak throughput and power draw,
the utilization actually achieved, the data centre's power usage effectiveness (PUE: facility power
over IT power) and the grid's carbon intensity. Published footprints to check against are in
``data/published_footprints.csv``; the assumptions used in the chapter are in
``data/footprint_assumptions.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import _checks
from .compute import gpu_hours


def energy_kwh(flops: float, *, peak_flops_per_second: float, utilization: float, watts_per_accelerator: float,
               pue: float = 1.0) -> float:
    """Facility energy in kWh: accelerator-hours at ``utilization`` times the accelerator's power draw,
    times the PUE (>= 1)."""
    hours = float(gpu_hours(flops, peak_flops_per_second, utilization))
    watts = _checks.scalar(watts_per_accelerator, "watts_per_accelerator", positive=True)
    pue = _checks.scalar(pue, "pue", low=1.0)
    return hours * watts / 1000.0 * pue


def emissions_tonnes(kwh: float, grid_kg_per_kwh: float) -> float:
    """Tonnes of CO2-equivalent from ``kwh`` of electricity at ``grid_kg_per_kwh``."""
    kwh = _checks.scalar(kwh, "kwh", nonnegative=True)
    grid = _checks.scalar(grid_kg_per_kwh, "grid_kg_per_kwh", nonnegative=True)
    return kwh * grid / 1000.0


@dataclass(frozen=True)
class Footprint:
    """``gpu_hours``, ``kwh``, ``tonnes_co2e`` and ``dollars`` of one run under stated assumptions."""

    gpu_hours: float
    kwh: float
    tonnes_co2e: float
    dollars: float


def footprint(flops: float, *, peak_flops_per_second: float, utilization: float, watts_per_accelerator: float,
              pue: float, grid_kg_per_kwh: float, dollars_per_gpu_hour: float) -> Footprint:
    """Accelerator-hours, energy, emissions and rental cost of a run of ``flops`` FLOPs."""
    hours = float(gpu_hours(flops, peak_flops_per_second, utilization))
    kwh = energy_kwh(flops, peak_flops_per_second=peak_flops_per_second, utilization=utilization,
                     watts_per_accelerator=watts_per_accelerator, pue=pue)
    price = _checks.scalar(dollars_per_gpu_hour, "dollars_per_gpu_hour", nonnegative=True)
    return Footprint(gpu_hours=hours, kwh=kwh, tonnes_co2e=emissions_tonnes(kwh, grid_kg_per_kwh),
                     dollars=hours * price)
