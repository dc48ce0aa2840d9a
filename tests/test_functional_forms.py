"""Broken power laws (Caballero et al. 2023) and saturation near a floor."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scaling_lib import functional_forms as ff, power_laws


def test_no_breaks_is_a_power_law():
    x = np.geomspace(1, 1e6, 20)
    assert ff.broken_power_law(x, a=1.5, b=3.0, c0=0.3) == pytest.approx(power_laws.power_law(x, 3.0, 0.3, 1.5))


def test_matches_caballero_et_al_equation_one():
    # y = a + b x^-c0 prod (1 + (x/d_i)^(1/f_i))^(-c_i f_i), written out directly for two breaks
    x = np.geomspace(1, 1e9, 50)
    a, b, c0, breaks = 0.2, 4.0, 0.1, ((0.3, 1e3, 0.5), (-0.2, 1e6, 0.2))
    direct = a + b * x**-c0 * np.prod([(1 + (x / d) ** (1 / f)) ** (-c * f) for c, d, f in breaks], axis=0)
    assert ff.broken_power_law(x, a=a, b=b, c0=c0, breaks=breaks) == pytest.approx(direct, rel=1e-12)


def test_exponents_before_and_after_the_break():
    x = np.geomspace(1, 1e12, 600)
    kw = dict(c0=0.2, breaks=((0.3, 1e6, 0.1),))
    y = ff.broken_power_law(x, a=0.0, b=1.0, **kw)
    slope = power_laws.local_slope(x, y)
    assert slope[0] == pytest.approx(-0.2, abs=1e-3) and slope[-1] == pytest.approx(-0.5, abs=1e-3)
    assert ff.reducible_exponent(x, **kw) == pytest.approx(-slope, abs=2e-3)
    assert ff.reducible_exponent(1e6, **kw) == pytest.approx(0.2 + 0.3 / 2)


@given(big=st.floats(1e2, 1e300))
def test_large_arguments_stay_finite(big):
    y = ff.broken_power_law(big, a=1.0, b=1.0, c0=0.1, breaks=((0.5, 1.0, 0.01),))
    assert np.isfinite(y) and y >= 1.0
    assert np.isfinite(ff.reducible_exponent(big, c0=0.1, breaks=((0.5, 1.0, 0.01),)))


def test_apparent_exponent_falls_as_the_floor_nears():
    x = np.geomspace(1, 1e12, 400)
    kw = dict(A=5.0, alpha=0.3, E=1.0)
    y = power_laws.power_law(x, **kw)
    assert ff.apparent_exponent(x, **kw) == pytest.approx(-power_laws.local_slope(x, y), abs=2e-3)
    assert ff.apparent_exponent(1e-12, **kw) == pytest.approx(0.3, rel=1e-3)
    assert ff.apparent_exponent(1e40, **kw) < 1e-10
    assert ff.apparent_exponent(10.0, A=5.0, alpha=0.3, E=0.0) == pytest.approx(0.3)


@pytest.mark.parametrize("call, argument", [
    (lambda: ff.broken_power_law(0.0, a=0, b=1, c0=0.1), "x"),
    (lambda: ff.broken_power_law(1.0, a=-1, b=1, c0=0.1), "a"),
    (lambda: ff.broken_power_law(1.0, a=0, b=0, c0=0.1), "b"),
    (lambda: ff.broken_power_law(1.0, a=0, b=1, c0=np.inf), "c0"),
    (lambda: ff.broken_power_law(1.0, a=0, b=1, c0=0.1, breaks=((0.1, -1, 1),)), "breaks"),
    (lambda: ff.broken_power_law(1.0, a=0, b=1, c0=0.1, breaks=((0.1, 1),)), "breaks"),
    (lambda: ff.reducible_exponent(1.0, c0=0.1, breaks="sharp"), "breaks"),
    (lambda: ff.apparent_exponent(1.0, A=1, alpha=0.3, E=-1), "E"),
])
def test_bad_input_names_the_argument(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()
