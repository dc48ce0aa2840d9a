"""Busbridge et al. (2025): the distillation scaling law's constants, limits and a property the paper
states (App. E.6)."""

import numpy as np
import pytest

from scaling_lib import distillation as dl


def test_published_constants_and_their_allocation_exponents():
    s, d = dl.BUSBRIDGE_2025_SUPERVISED, dl.BUSBRIDGE_2025
    assert (s.A, s.B, s.E, s.alpha, s.beta, s.gamma) == (3355.0, 18186.0, 1.220, 0.408, 0.431, 0.452)
    assert (d.A, d.B, d.alpha, d.beta, d.gamma) == (2243.0, 24181.0, 0.321, 0.637, 0.764)
    assert (d.c0, d.c1, d.f1, d.d1) == (2.549, 522.6, 0.090, 1.315)
    # Table 6 lists a = 0.513 and b = 0.486 for the supervised law
    a, b = s.allocation_exponents()
    assert a == pytest.approx(0.513, abs=1e-3) and b == pytest.approx(0.486, abs=1e-3)


def test_limits_of_the_law():
    # an infinitely capable student matches its teacher; so does the student of a useless teacher
    assert dl.student_loss(1e30, np.inf, 2.3) == pytest.approx(2.3, abs=1e-6)
    assert dl.student_loss(1e9, 2e10, 50.0) == pytest.approx(50.0, rel=1e-6)


def test_optimal_teacher_reproduces_the_supervised_floor():
    # App. E.6 (Fig. 40): with the best teacher and unlimited data, a student reaches the supervised
    # lower bound E + (A N^-alpha)^gamma, for students of 100M to 100B parameters.
    for n in (1e8, 1e9, 1e10, 1e11):
        floor = dl.BUSBRIDGE_2025_SUPERVISED.loss(n, np.inf)
        _, best = dl.best_teacher_loss(n, np.inf)
        assert best == pytest.approx(floor, rel=0.01)


def test_capacity_gap_a_stronger_teacher_eventually_hurts():
    n, d = 546e6, 20 * 546e6
    t_best, s_best = dl.best_teacher_loss(n, d)
    assert dl.student_loss(n, d, t_best * 0.9) > s_best
    assert dl.student_loss(n, d, t_best * 1.1) > s_best


def test_bad_arguments():
    with pytest.raises(ValueError, match="teacher_loss"):
        dl.student_loss(1e9, 1e10, -1.0)
    with pytest.raises(ValueError, match="n_tokens"):
        dl.student_loss(1e9, 0.0, 2.0)
