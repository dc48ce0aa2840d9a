"""scaling_lib.figures.kaplan: the chapter's figures draw the paper's laws, labelled, one colour per curve."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from scaling_lib import kaplan
from scaling_lib.figures import kaplan as figures
from scaling_lib.kaplan import KAPLAN_2020 as K


def _distinct_colours(ax):
    colours = [line.get_color() for line in ax.lines if line.get_linestyle() != ":"]
    assert len(set(colours)) == len(colours), colours


def test_three_laws_have_the_papers_slopes():
    fig = figures.three_laws()
    assert isinstance(fig, Figure) and len(fig.axes) == 3
    for ax, alpha in zip(fig.axes, (K.alpha_C_min, K.alpha_D, K.alpha_N)):
        (line,) = ax.lines
        x, y = line.get_data()
        assert np.allclose(np.diff(np.log(y)) / np.diff(np.log(x)), -alpha)
        assert ax.get_xlabel() and ax.get_xscale() == "log"


@pytest.mark.parametrize("draw", [
    lambda: figures.overfitting(),
    lambda: figures.learning_curves(),
    lambda: figures.off_size_cost(),
    lambda: figures.gpt3_against_allocation(3.14e23, 175e9),
    lambda: figures.contradiction(kaplan.frontier_contradiction()),
])
def test_figures_are_labelled_with_distinct_colours(draw):
    fig = draw()
    assert isinstance(fig, Figure)
    for ax in fig.axes:
        assert ax.get_xlabel() and ax.get_ylabel()
        _distinct_colours(ax)


def test_contradiction_marks_the_crossing():
    point = kaplan.frontier_contradiction()
    ax = figures.contradiction(point).axes[0]
    marker = ax.lines[-1]
    assert marker.get_data()[0][0] == point.pf_days and marker.get_data()[1][0] == point.loss
