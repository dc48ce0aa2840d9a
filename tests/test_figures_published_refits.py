"""The figures of the refits on published runs: each draws from its result and rejects anything else."""

from __future__ import annotations

import matplotlib.figure
import pytest

from scaling_lib import chinchilla, data_constrained, parameter_counts, porian, published_runs
from scaling_lib.figures import chinchilla as chinchilla_figures
from scaling_lib.figures import limitations as limitations_figures


@pytest.fixture(scope="module")
def refit():
    return chinchilla.refit_extracted()


def test_replication_figures(refit):
    assert isinstance(chinchilla_figures.replication_residuals(refit), matplotlib.figure.Figure)
    intervals = chinchilla.interval_widths(refit, n_resamples=50)
    assert isinstance(chinchilla_figures.replication_intervals(intervals), matplotlib.figure.Figure)
    with pytest.raises(ValueError, match="refit must be"):
        chinchilla_figures.replication_residuals(refit.fit)
    with pytest.raises(ValueError, match="laws must be"):
        chinchilla_figures.replication_residuals(refit, laws=("nobody",))
    with pytest.raises(ValueError, match="failure must be"):
        chinchilla_figures.fit_failure(refit)
    with pytest.raises(ValueError, match="intervals must be"):
        chinchilla_figures.replication_intervals(refit)


def test_limitations_figures():
    ladder = porian.reconciliation_ladder("rw", n_boot=50)
    counting = parameter_counts.compare_counting(parameter_counts.KAPLAN_SIZE_RANGE, chinchilla.BESIROGLU_2024)
    fig = limitations_figures.kaplan_chinchilla_explanations(ladder, counting)
    assert isinstance(fig, matplotlib.figure.Figure)
    comparison = porian.naive_vs_interpolated(n_boot=50)
    assert isinstance(limitations_figures.naive_vs_interpolated(comparison), matplotlib.figure.Figure)
    with pytest.raises(ValueError, match="budgets"):
        limitations_figures.naive_vs_interpolated(comparison, budgets=0)
    with pytest.raises(ValueError, match="ladders must be"):
        limitations_figures.kaplan_chinchilla_explanations([counting], counting)
    with pytest.raises(ValueError, match="counting must be"):
        limitations_figures.kaplan_chinchilla_explanations(ladder, ladder)


def test_repeated_data_figures():
    refit = data_constrained.refit_data_constrained()
    runs = published_runs.load_muennighoff_runs()
    assert isinstance(limitations_figures.repeated_data(refit.fit.law, runs=runs), matplotlib.figure.Figure)
    assert isinstance(limitations_figures.repeated_data(), matplotlib.figure.Figure)
    assert isinstance(limitations_figures.data_constrained_residuals(refit), matplotlib.figure.Figure)
    with pytest.raises(ValueError, match="runs must be"):
        limitations_figures.repeated_data(runs=refit)
    with pytest.raises(ValueError, match="max_epochs"):
        limitations_figures.repeated_data(max_epochs=1)
    with pytest.raises(ValueError, match="refit must be"):
        limitations_figures.data_constrained_residuals(runs)
