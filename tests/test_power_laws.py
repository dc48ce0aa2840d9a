"""scaling_lib.power_laws: evaluation, fits that recover known laws, honest intervals, bad input."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scaling_lib import UnidentifiedFitWarning, power_laws


def test_power_law_is_scale_free():
    # multiplying x by k multiplies the pure law by k^-alpha, wherever x is
    x = np.array([1.0, 37.0, 1e6])
    ratio = power_laws.power_law(10 * x, 2.0, 0.3) / power_laws.power_law(x, 2.0, 0.3)
    assert np.allclose(ratio, 10**-0.3)


def test_offset_is_the_limit():
    assert power_laws.power_law(1e30, 5.0, 0.5, E=1.7) == pytest.approx(1.7, rel=1e-12)


def test_local_slope_of_pure_law_is_minus_alpha():
    x = np.geomspace(1, 1e8, 50)
    assert np.allclose(power_laws.local_slope(x, power_laws.power_law(x, 3.0, 0.42)), -0.42)


def test_local_slope_of_exponential_steepens():
    x = np.geomspace(1, 1e4, 100)
    slope = power_laws.local_slope(x, np.exp(-x / 100))
    assert np.all(np.diff(slope) < 0)


def test_per_decade_factor_and_scale_for_reduction_are_inverse():
    alpha = 0.076
    assert power_laws.per_decade_factor(alpha) == pytest.approx(10**-alpha)
    k = power_laws.scale_for_reduction(alpha, 2.0)
    assert power_laws.per_decade_factor(alpha, multiplier=k) == pytest.approx(0.5)


positive_alpha = st.floats(0.02, 1.5)
coefficient = st.floats(0.1, 1e3)


@settings(max_examples=40, deadline=None)
@given(A=coefficient, alpha=positive_alpha, lo=st.floats(0, 6), decades=st.floats(1, 6))
def test_pure_fit_recovers_noiseless_law(A, alpha, lo, decades):
    x = np.geomspace(10**lo, 10 ** (lo + decades), 9)
    fit = power_laws.fit_power_law(x, power_laws.power_law(x, A, alpha))
    assert fit.alpha == pytest.approx(alpha, rel=1e-6)
    assert fit.A == pytest.approx(A, rel=1e-6)
    assert fit.E == 0.0


@settings(max_examples=40, deadline=None)
@given(A=coefficient, alpha=st.floats(0.1, 1.0), E_frac=st.floats(0.05, 0.8))
def test_offset_fit_recovers_noiseless_law(A, alpha, E_frac):
    x = np.geomspace(1, 1e5, 15)
    # choose E as a fraction of the smallest value so the floor is visible in the data
    E = E_frac * A * x.max() ** (-alpha) * 4
    y = power_laws.power_law(x, A, alpha, E)
    fit = power_laws.fit_power_law(x, y, offset=True)
    assert fit.alpha == pytest.approx(alpha, rel=1e-6)
    assert fit.A == pytest.approx(A, rel=1e-6)
    assert fit.E == pytest.approx(E, rel=1e-6)


def test_pure_fit_interval_covers_truth_at_stated_rate():
    # log-normal scatter makes the log-space fit exact linear regression: the t interval is exact, so
    # its 95 % interval covers the true exponent in 95 % of data sets. Over 2000 data sets the count
    # is binomial with sd sqrt(0.95 * 0.05 / 2000) = 0.0049; allow 4 sd (0.0195).
    x = np.geomspace(1, 1e4, 10)
    trials, level = 2000, 0.95
    coverage = power_laws.interval_coverage(x, A=3.0, alpha=0.35, noise=0.1, level=level, trials=trials)
    assert abs(coverage - level) < 4 * np.sqrt(level * (1 - level) / trials)


def test_interval_coverage_counts_what_it_says():
    x = np.geomspace(1, 100, 6)
    direct = 0
    for seed in range(5, 45):
        y = power_laws.simulate_power_law(x, 2.0, 0.5, noise=0.2, seed=seed)
        lo, hi = power_laws.fit_power_law(x, y).conf_int(0.8)["alpha"]
        direct += lo <= 0.5 <= hi
    assert power_laws.interval_coverage(x, A=2.0, alpha=0.5, noise=0.2, level=0.8, trials=40, seed=5) == direct / 40


def test_offset_fit_interval_covers_truth_roughly():
    x = np.geomspace(1, 1e4, 16)
    trials = 300
    covered = sum(
        (lambda ci: ci[0] <= 0.3 <= ci[1])(
            power_laws.fit_power_law(x, power_laws.simulate_power_law(x, 5.0, 0.3, 1.0, noise=0.01, seed=s),
                                   offset=True).conf_int(0.95)["alpha"])
        for s in range(trials))
    # the offset fit's intervals are asymptotic: demand at least 85 % coverage of a 95 % interval
    assert covered / trials > 0.85


def test_band_widens_away_from_data():
    x = np.geomspace(1, 100, 10)
    fit = power_laws.fit_power_law(x, power_laws.simulate_power_law(x, 5.0, 0.3, 1.0, noise=0.02, seed=0), offset=True)
    targets = np.array([10.0, 1e3, 1e5])
    lo, hi = fit.predict_interval(targets)
    widths = np.log(hi / lo)
    assert np.all(np.diff(widths) > 0)
    assert np.all(lo < fit.predict(targets)) and np.all(fit.predict(targets) < hi)


def test_pure_fit_on_floored_data_underestimates_alpha():
    # the bias the chapter shows: a straight line through a curve with a floor is too flat
    study = power_laws.extrapolation_study(A=5.0, alpha=0.3, E=1.0, noise=0.0, x_min=1, x_max=100,
                                         x_target=1e4, offset=False)
    assert study.fit.alpha < 0.3
    assert study.relative_error < -0.1
    exact = power_laws.extrapolation_study(A=5.0, alpha=0.3, E=1.0, noise=0.0, x_min=1, x_max=100,
                                         x_target=1e4, offset=True)
    assert abs(exact.relative_error) < 1e-6


def test_simulation_is_reproducible():
    x = np.geomspace(1, 10, 5)
    a = power_laws.simulate_power_law(x, 1.0, 0.5, noise=0.1, seed=7)
    b = power_laws.simulate_power_law(x, 1.0, 0.5, noise=0.1, seed=7)
    assert np.array_equal(a, b)


@pytest.mark.parametrize("call, argument", [
    (lambda: power_laws.power_law(-1.0, 1.0, 0.5), "x"),
    (lambda: power_laws.power_law([1.0, np.nan], 1.0, 0.5), "x"),
    (lambda: power_laws.power_law(1.0, 0.0, 0.5), "A"),
    (lambda: power_laws.power_law(1.0, 1.0, np.inf), "alpha"),
    (lambda: power_laws.power_law(1.0, 1.0, 0.5, E=-1), "E"),
    (lambda: power_laws.fit_power_law([1, 2, 3], [1, 2]), "same shape"),
    (lambda: power_laws.fit_power_law([1, 2], [1, 2]), "at least 3"),
    (lambda: power_laws.fit_power_law([1, 2, 3], [1, 2, 3], offset=True), "at least 4"),
    (lambda: power_laws.fit_power_law([2, 2, 2], [1, 2, 3]), "distinct"),
    (lambda: power_laws.fit_power_law([1, 2, 3], [1, 0, 3]), "y"),
    (lambda: power_laws.fit_power_law([1, 2, 3], [1, 2, 3], offset="yes"), "offset"),
    (lambda: power_laws.fit_power_law(np.ones((2, 2)), np.ones((2, 2))), "x"),
    (lambda: power_laws.local_slope([1, 3, 2], [1, 2, 3]), "increasing"),
    (lambda: power_laws.simulate_power_law([1, 2], 1, 0.5, noise=-0.1), "noise"),
    (lambda: power_laws.simulate_power_law([1, 2], 1, 0.5, seed=1.5), "seed"),
    (lambda: power_laws.scale_for_reduction(0.3, 0.5), "reduction"),
    (lambda: power_laws.interval_coverage([1, 2, 3], A=1, alpha=0.5, noise=0.1, trials=0), "trials"),
    (lambda: power_laws.interval_coverage([1, 2, 3], A=1, alpha=0.5, noise=0.0), "noise"),
    (lambda: power_laws.interval_coverage([1, 2, 3], A=1, alpha=0.5, noise=0.1, level=95), "level"),
    (lambda: power_laws.extrapolation_study(A=1, alpha=0.3, E=0, noise=0, x_min=10, x_max=1, x_target=100, offset=False), "x_max"),
])
def test_bad_input_names_the_argument(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()


def test_conf_int_rejects_bad_level():
    fit = power_laws.fit_power_law([1, 2, 4, 8], [1, 0.8, 0.6, 0.5])
    with pytest.raises(ValueError, match="level"):
        fit.conf_int(1.5)


# ---- the fit reports itself -----------------------------------------------------------------------

def _g(value):
    return format(value, ".4g")  # the reports' documented format


@pytest.mark.parametrize("offset", [False, True])
def test_fit_report_lists_each_parameter_with_its_uncertainty(offset):
    x = np.geomspace(1, 1e4, 12)
    y = power_laws.simulate_power_law(x, A=5.0, alpha=0.3, E=1.0 if offset else 0.0, noise=0.02, seed=1)
    fit = power_laws.fit_power_law(x, y, offset=offset)
    text, html = fit.report(), fit._repr_html_()
    names = ("A", "alpha", "E") if offset else ("A", "alpha")
    for name in names:
        low, high = fit.conf_int()[name]
        for shown in (_g(getattr(fit, name)), _g(fit.stderr[name]), f"{_g(low)} to {_g(high)}"):
            assert shown in text and shown in html, (name, shown)
    assert ("y = A x^-alpha + E" in text) == offset and "95 % interval" in text
    assert f"{fit.n_points} points" in text and f"{fit.dof} degrees of freedom" in text
    assert _g(fit.residual_std) in text and _g(fit.x_range[1]) in text
    assert str(fit) == text and html.startswith("<table") and "<caption>" in html
    assert "\n" not in repr(fit) and _g(fit.alpha) in repr(fit)
    low, high = fit.conf_int(0.9)["alpha"]
    assert "90 % interval" in fit.report(0.9) and f"{_g(low)} to {_g(high)}" in fit.report(level=0.9)
    with pytest.raises(ValueError, match="level"):
        fit.report(level=1.5)


# ---- fits that know when they cannot know ----------------------------------------------------------

def test_offset_fit_of_a_constant_says_its_parameters_are_not_identified():
    # y within 1e-9 of a constant: any tiny alpha with A + E fixed fits as well, so the data cannot
    # tell A, alpha and E apart (the old answer: alpha = 7e-11 with a standard error of 9e-12)
    x = np.geomspace(1.0, 1e3, 10)
    y = 1.7 + 1e-9 * np.sin(np.arange(10.0))
    with pytest.warns(UnidentifiedFitWarning, match="do not identify"):
        fit = power_laws.fit_power_law(x, y, offset=True)
    assert not fit.identified
    assert fit.stderr == {"A": np.inf, "alpha": np.inf, "E": np.inf}
    ci = fit.conf_int()
    assert ci["A"] == (0.0, np.inf) and ci["alpha"] == (-np.inf, np.inf)
    assert ci["E"][0] == 0.0 and ci["E"][1] == pytest.approx(y.min())  # the data do bound E: 0 <= E < min y
    low, high = fit.predict_interval([10.0, 1e6])
    assert np.all(low == 0.0) and np.all(high == np.inf)


def test_fits_need_more_distinct_x_than_parameters():
    # through 2 distinct x a line passes exactly (zero-width intervals from exact replicates); a
    # curve with offset through 3 likewise: no residual is left to measure the scatter
    with pytest.raises(ValueError, match="at least 3 distinct"):
        power_laws.fit_power_law([1.0, 1.0, 2.0, 2.0], [1.0, 1.0, 0.5, 0.5])
    with pytest.raises(ValueError, match="at least 4 distinct"):
        power_laws.fit_power_law([1.0, 2.0, 3.0, 3.0, 3.0], [3.0, 2.0, 1.5, 1.5, 1.5], offset=True)


def test_identified_fits_do_not_warn():
    x = np.geomspace(1, 1e4, 12)
    y = power_laws.simulate_power_law(x, 5.0, 0.3, 1.0, noise=0.01, seed=3)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnidentifiedFitWarning)
        for offset in (False, True):
            fit = power_laws.fit_power_law(x, y, offset=offset)
            assert fit.identified and all(np.isfinite(v) and v > 0 for k, v in fit.stderr.items()
                                          if offset or k != "E")


def test_offset_fit_is_equivariant_under_scaling_and_says_where_it_stops():
    # y -> s y multiplies A and E by s and leaves alpha: true of the model and of the log-space
    # objective; beyond 1e150 the variance of E (in units of y squared) would overflow: ValueError
    x = np.geomspace(1, 1e4, 12)
    y = power_laws.simulate_power_law(x, 5.0, 0.3, 1.0, noise=0.01, seed=3)
    plain = power_laws.fit_power_law(x, y, offset=True)
    scaled = power_laws.fit_power_law(x, 1e100 * y, offset=True)
    assert scaled.alpha == pytest.approx(plain.alpha, rel=1e-6)
    assert scaled.A == pytest.approx(1e100 * plain.A, rel=1e-6)
    assert scaled.E == pytest.approx(1e100 * plain.E, rel=1e-6)
    assert scaled.stderr["alpha"] == pytest.approx(plain.stderr["alpha"], rel=1e-5)
    with pytest.raises(ValueError, match="y must lie between"):
        power_laws.fit_power_law(x, 1e200 * y, offset=True)
