"""scaling_lib.figures.after_chinchilla: each figure draws what it is given, labelled."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from scaling_lib import frontier, observational, sampling
from scaling_lib.figures import after_chinchilla as figures


def _labelled(fig):
    assert isinstance(fig, Figure)
    for ax in fig.axes:
        assert ax.get_xlabel(), ax.get_title()


def test_coverage_figure_draws_the_fit_through_the_data():
    k = np.array([1, 10, 100, 1000])
    exact = sampling.beta_coverage(k, 0.3, 3.0)
    fit = sampling.fit_coverage_law(k, exact)
    fig = figures.coverage_figure(k, exact, exact, fit)
    _labelled(fig)
    left, right = fig.axes
    assert right.get_xscale() == right.get_yscale() == "log"
    estimates = [line for line in left.lines if line.get_marker() == "o"][0]
    assert np.allclose(estimates.get_ydata(), exact)


@pytest.mark.parametrize("draw", [
    lambda: figures.equal_flops_figure(np.geomspace(1e8, 1e10, 5), np.linspace(0.1, 0.5, 5),
                                       np.linspace(0.2, 0.6, 5), 14),
    lambda: figures.moe_frontier_figure([1e19, 1e21], [3.0, 2.5], [2.8, 2.3], "MoE"),
    lambda: figures.notable_models_figure([1e22, 1e23], [20, 200], [2022, 2023],
                                          [("m", 3e24, 400, 6e25, 22)], [1e22, 1e24], [20, 20]),
    lambda: figures.precision_figure(np.linspace(3, 16, 5), {"weights": np.linspace(0, 1, 5)},
                                     np.geomspace(1e9, 1e12, 5), {4: np.linspace(4, 3.8, 5)}, {4: 1e10}, 3e7),
    lambda: figures.forecast_errors_figure(("A", "B"), {"x": [0.1, 0.2], "y": [0.2, 0.1]}),
    lambda: figures.distillation_figure(np.linspace(1.5, 3, 5), {"s": np.linspace(2.5, 3, 5)}, {"s": 2.7},
                                        {"s": (1.8, 2.5)}),
    lambda: figures.frontier_figure(np.geomspace(1e20, 1e26, 5),
                                    frontier.LLAMA3_2024.tokens_per_parameter(np.geomspace(1e20, 1e26, 5)),
                                    np.full(5, 20.0), np.geomspace(100, 1e5, 5),
                                    frontier.RLCurve(0.6, 1.2, 3000, 0.2).pass_rate(np.geomspace(100, 1e5, 5)),
                                    frontier.RLCurve(0.6, 1.2, 3000, 0.2)),
])
def test_figures_are_labelled(draw):
    _labelled(draw())


def test_forecast_and_capability_figures_on_the_real_table():
    table = observational.load_benchmarks()
    pca = observational.pca_impute(table.scores, 1)
    have = np.isfinite(table.flops)
    lines = observational.fit_family_lines(table.flops[have], pca.capabilities[have, 0], table.families[have])
    _labelled(figures.capability_figure(np.log10(table.flops[have]), pca.capabilities[have, 0],
                                        table.families[have], lines, ("Pythia", "OPT")))
    x = np.linspace(-1, 1, 20)
    fit = observational.fit_sigmoid(x, 1 / (1 + np.exp(-3 * x)))
    _labelled(figures.forecast_figure(x[:10], x[:10] * 0, x[10:], x[10:] * 0, fit, xlabel="c", ylabel="s", title="t"))
    _labelled(figures.emergent_figure(x, x, {"t": 1 / (1 + np.exp(-3 * x))}, {"t": fit}))


def test_schedules_figure_draws_both_profiles_of_every_budget():
    from scaling_lib.experiment import analysis, schedule_runs, schedules
    runs, sweep = schedule_runs.load_schedules(0), analysis.load_sweep(0)
    comparison = schedule_runs.isoflop_comparison(runs, sweep.grid())
    constant, cooldowns = schedule_runs.width_curves(runs, 64)
    law = schedules.TissueLaw(L0=1.9, A=5.0, alpha=0.7, C=2e-3, decay=0.99)
    predicted = {b: schedule_runs.forecast_cosine(law, 64, b) for b in cooldowns}
    fig = figures.schedules_figure(constant, cooldowns, schedule_runs.cosine_tokens(sweep.grid_curves(), 64),
                                   predicted, comparison, 64)
    _labelled(fig)
    left, right = fig.axes
    assert left.get_xscale() == "log" and right.get_xscale() == "log"
    # per budget: the cooldowns' profile, the cosine profile and two minima
    assert len(right.lines) == 4 * len(comparison["budgets"])
