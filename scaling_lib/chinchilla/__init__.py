"""Hoffmann et al. (2022), *Training Compute-Optimal Large Language Models*: the parametric law, its
compute-optimal allocation, and the paper's three ways of fitting it, with bootstrap intervals.

One idea per module; every public name is also importable from ``scaling_lib.chinchilla``:

* :mod:`.law`: ``L(N, D) = E + A/N**alpha + B/D**beta``, the published laws (:data:`HOFFMANN_2022`,
  :data:`BESIROGLU_2024`), the closed-form optimum :func:`compute_optimal`, the frontier and
  iso-loss contours;
* :mod:`.simulate`: runs simulated from a stated law (known truth, for teaching);
* :mod:`.allocation`: Approaches 1 and 2 (:func:`fit_approach1`, :func:`fit_approach2`) and the one
  IsoFLOP parabola and its minimum (:func:`isoflop_parabola`, :func:`isoflop_minimum`);
* :mod:`.parametric`: Approach 3 (:func:`fit_approach3`) on the paper's 4,500-start grid, run as one
  batched L-BFGS (:func:`scaling_lib.optim.batched_lbfgs`);
* :mod:`.bootstrap`: intervals for all three (:func:`bootstrap_allocation`,
  :func:`bootstrap_approach3`);
* :mod:`.replication`: Besiroglu et al. (2024)'s replication redone on the runs recovered from the
  paper's Figure 4 (:func:`refit_extracted`, :func:`how_the_fit_went_wrong`, :func:`interval_widths`).

Used by the chapters ``chinchilla``, ``experiment``, ``capstone`` and ``limitations``.
"""

from .allocation import (BUDGET_TOLERANCE, AllocationFit, fit_approach1, fit_approach2, isoflop_minimum,
                         isoflop_parabola)
from .bootstrap import Bootstrap, bootstrap_allocation, bootstrap_approach3
from .law import (BESIROGLU_2024, HOFFMANN_2022, PUBLISHED_LAWS, TABLE2_A, TABLE2_SOURCE, Allocation, ParametricLaw,
                  allocation_exponents, compute_for_loss, compute_optimal, frontier_loss, iso_loss_tokens,
                  loss)
from .parametric import (GRID_A, GRID_ALPHA, GRID_B, GRID_BETA, GRID_E, HUBER_DELTA, LBFGS_DEFAULT_STOPPING,
                         REDUCTIONS, STOPPING, ParametricFit, fit_approach3, fit_approach3_per_start_scipy,
                         huber_objective, initial_grid)
from .replication import (BESIROGLU_2024_STANDARD_ERRORS, BESIROGLU_2024_TABLE1, CHINCHILLA_FLOPS,
                          HOFFMANN_2022_INTERVALS, HOFFMANN_2022_INTERVALS_SOURCE, HOFFMANN_2022_UNROUNDED,
                          REPLICATION_DROPPED, FitFailure, IntervalComparison, ReplicationRefit,
                          how_the_fit_went_wrong, interval_widths, law_objective, law_residuals,
                          refit_extracted)
from .simulate import simulate_isoflop_runs, simulate_runs, simulate_training_curves

__all__ = [
    "Allocation", "AllocationFit", "BESIROGLU_2024", "BESIROGLU_2024_STANDARD_ERRORS", "BESIROGLU_2024_TABLE1",
    "BUDGET_TOLERANCE", "Bootstrap", "CHINCHILLA_FLOPS", "FitFailure", "GRID_A",
    "GRID_ALPHA", "GRID_B", "GRID_BETA", "GRID_E", "HOFFMANN_2022", "HOFFMANN_2022_INTERVALS",
    "HOFFMANN_2022_INTERVALS_SOURCE", "HOFFMANN_2022_UNROUNDED", "HUBER_DELTA", "IntervalComparison",
    "LBFGS_DEFAULT_STOPPING", "PUBLISHED_LAWS", "ParametricFit", "ParametricLaw", "REDUCTIONS", "REPLICATION_DROPPED",
    "ReplicationRefit", "STOPPING", "TABLE2_A", "TABLE2_SOURCE", "allocation_exponents", "bootstrap_allocation",
    "bootstrap_approach3", "compute_for_loss", "compute_optimal", "fit_approach1", "fit_approach2",
    "fit_approach3", "fit_approach3_per_start_scipy", "frontier_loss", "how_the_fit_went_wrong",
    "huber_objective", "initial_grid", "interval_widths", "iso_loss_tokens", "isoflop_minimum",
    "isoflop_parabola", "law_objective", "law_residuals", "loss", "refit_extracted", "simulate_isoflop_runs",
    "simulate_runs", "simulate_training_curves",
]
