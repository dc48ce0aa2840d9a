"""scaling_lib.figures.power_laws: each figure draws what its chapter says, labelled, one colour per curve."""

import numpy as np
from matplotlib.figure import Figure

from scaling_lib import power_laws
from scaling_lib.figures import power_laws as figures


def _colors(ax):
    return [line.get_color() for line in ax.lines]


def test_linear_and_log_axes():
    fig = figures.linear_and_log_axes(alphas=(0.1, 0.3, 0.6))
    assert isinstance(fig, Figure)
    linear, loglog = fig.axes
    assert loglog.get_xscale() == loglog.get_yscale() == "log" and linear.get_xscale() == "linear"
    assert len(set(_colors(loglog))) == 3
    # the log-log lines are straight with slope -alpha
    for line, alpha in zip(loglog.lines, (0.1, 0.3, 0.6)):
        x, y = line.get_data()
        assert np.allclose(np.diff(np.log(y)) / np.diff(np.log(x)), -alpha)


def test_power_law_or_exponential_has_distinct_colours_and_labels():
    fig = figures.power_law_or_exponential()
    for ax in fig.axes:
        assert ax.get_xlabel() and ax.get_ylabel()
        assert len(set(_colors(ax))) == len(ax.lines) == 2


def test_fits_with_and_without_floor():
    x = np.geomspace(1, 1e4, 12)
    y = power_laws.simulate_power_law(x, 5.0, 0.3, 1.0, noise=0.01, seed=2)
    pure, floor = power_laws.fit_power_law(x, y), power_laws.fit_power_law(x, y, offset=True)
    fig = figures.fits_with_and_without_floor(x, y, pure, floor, A=5.0, alpha=0.3, E=1.0)
    (ax,) = fig.axes
    assert len(set(_colors(ax))) == len(ax.lines) == 5  # floor, truth, two fits, data
    assert ax.lines[-1].get_zorder() > max(line.get_zorder() for line in ax.lines[:-1])  # data on top
