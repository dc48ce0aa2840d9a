"""scaling_lib.figures.experiment: each figure draws what it is given, labelled."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from scaling_lib import chinchilla
from scaling_lib.experiment import analysis
from scaling_lib.figures import experiment as figures


def _labelled(fig):
    # every axis says what it shows: a label, or (for the rows of the three approaches) named ticks
    assert isinstance(fig, Figure)
    for ax in fig.axes:
        named_rows = ax.get_yticklabels() and all(t.get_text().startswith("Approach") for t in ax.get_yticklabels())
        assert ax.get_xlabel() and (ax.get_ylabel() or named_rows), ax.get_title()


@pytest.fixture(scope="module")
def sweep():
    return analysis.load_sweep(0)


@pytest.fixture(scope="module")
def fits(sweep):
    return analysis.fit_approaches(sweep, max_budget=1e11, n_resamples=20)


def test_valleys_draw_every_budget_its_minimum_and_the_floor(sweep, fits):
    runs = sweep.grid(1e11)
    fig = figures.isoflop_valleys(runs, fits.approach2, sweep.entropy_rate)
    _labelled(fig)
    (ax,) = fig.axes
    assert ax.get_xscale() == "log" and ax.get_title()
    parabolas = [line for line in ax.lines if line.get_label().endswith("FLOPs")]
    assert len(parabolas) == np.unique(runs["budget_flops"]).size
    colours = {tuple(line.get_color()) for line in parabolas}
    assert len(colours) == len(parabolas)  # one colour per budget
    stars = [line for line in ax.lines if line.get_label() == "minima"][0]
    assert np.allclose(stars.get_xdata(), fits.approach2.n_opt)
    floor = [line for line in ax.lines if line.get_label() == "true entropy rate"][0]
    assert np.allclose(floor.get_ydata(), sweep.entropy_rate)


def test_envelope_draws_one_curve_per_run_and_the_fit(sweep, fits):
    curves = sweep.grid_curves(1e11)
    fig = figures.envelope_figure(curves, fits.approach1)
    _labelled(fig)
    (ax,) = fig.axes
    runs = set(zip(curves["budget_flops"], curves["width"]))
    grey = [line for line in ax.lines if line.get_marker() in ("None", "")]
    assert len(grey) == len(runs)
    envelope = [line for line in ax.lines if line.get_marker() == "o"][0]
    assert np.allclose(envelope.get_ydata(), fits.approach1.loss_opt)


def test_exponent_figure_puts_each_approach_on_its_row(fits):
    fig = figures.exponent_figure({"language 0": fits})
    _labelled(fig)
    (ax,) = fig.axes
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Approach 1", "Approach 2", "Approach 3"]
    published = [line for line in ax.lines if line.get_marker() == "D"]
    assert sorted(float(line.get_xdata()[0]) for line in published) == sorted(chinchilla.TABLE2_A.values())
    with pytest.raises(TypeError, match="fits"):
        figures.exponent_figure({"a": fits, "b": fits, "c": fits})


def test_language_figure_has_both_panels(sweep):
    facts = sweep.language
    stationary = np.sort(np.random.default_rng(0).dirichlet(np.ones(4096)))[::-1]
    fig = figures.language_figure(facts, stationary)
    _labelled(fig)
    left, right = fig.axes
    heights = [bar.get_height() for bar in left.patches]
    assert np.allclose(heights, facts["conditional_entropies_nats"])
    assert right.get_xscale() == right.get_yscale() == "log"
    with pytest.raises(ValueError, match="facts"):
        figures.language_figure({"vocab_size": 64})
