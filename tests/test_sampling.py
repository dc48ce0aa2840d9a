"""pass@k (Chen et al. 2021), coverage and Brown et al.'s exponentiated power law."""

import math

import numpy as np
import pytest

from scaling_lib import emergence, sampling


def test_pass_at_k_is_the_binomial_ratio():
    # Chen et al.'s Eq. (1): 1 - C(n - c, k) / C(n, k), for small numbers checked exactly.
    for n, c, k in ((10, 3, 1), (10, 3, 4), (20, 1, 5), (200, 10, 100), (7, 0, 3), (7, 7, 3)):
        expected = 1.0 - math.comb(n - c, k) / math.comb(n, k)
        assert sampling.pass_at_k(n, c, k) == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_pass_at_1_is_the_fraction_correct_and_the_estimator_is_unbiased():
    assert sampling.pass_at_k(200, 37, 1) == pytest.approx(37 / 200)
    # Unbiased: averaged over the binomial distribution of c it equals 1 - (1 - p)^k exactly.
    from scipy import stats
    n, k, p = 30, 5, 0.07
    c = np.arange(n + 1)
    mean = np.sum(stats.binom.pmf(c, n, p) * sampling.pass_at_k(np.full(c.shape, n), c, k))
    assert mean == pytest.approx(1 - (1 - p) ** k, rel=1e-10)
    # The plug-in estimate is biased (Chen et al., App. A).
    plug = np.sum(stats.binom.pmf(c, n, p) * sampling.plug_in_pass_at_k(np.full(c.shape, n), c, k))
    assert abs(plug - (1 - (1 - p) ** k)) > 1e-3


def test_pass_at_k_needs_enough_samples_and_valid_counts():
    with pytest.raises(ValueError, match="k"):
        sampling.pass_at_k(5, 1, 6)
    with pytest.raises(ValueError, match="n_correct"):
        sampling.pass_at_k(5, 6, 1)
    with pytest.raises(ValueError, match="whole"):
        sampling.pass_at_k(5.5, 1, 1)


def test_coverage_rises_with_samples_and_matches_the_beta_closed_form():
    p = sampling.beta_problems(200_000, 0.4, 2.0, seed=3)
    k = np.array([1, 10, 100, 1000])
    simulated = sampling.coverage(p, k)
    exact = sampling.beta_coverage(k, 0.4, 2.0)
    assert np.all(np.diff(simulated) > 0)
    assert np.allclose(simulated, exact, atol=5e-3)
    assert exact[0] == pytest.approx(0.4 / 2.4)  # pass@1 is the mean success probability


def test_beta_failure_rate_is_a_power_law_with_exponent_alpha():
    # 1 - coverage ~ Gamma(a + b)/Gamma(b) k^-a for large k (Schaeffer et al.'s heavy tail).
    from scipy import special
    a, b = 0.3, 3.0
    k = np.array([1e4, 1e6])
    fail = 1 - sampling.beta_coverage(k, a, b)
    asymptote = np.exp(special.gammaln(a + b) - special.gammaln(b)) * k ** -a
    assert np.allclose(fail / asymptote, 1.0, rtol=1e-3)
    slope = np.diff(np.log(fail)) / np.diff(np.log(k))
    assert slope[0] == pytest.approx(-a, abs=1e-3)


def test_fit_recovers_an_exact_exponentiated_power_law():
    law = sampling.CoverageLaw(a=-3.0, b=-0.4)
    k = np.geomspace(1, 1e4, 20).round()
    fit = sampling.fit_coverage_law(k, law.coverage(k))
    assert fit.law.a == pytest.approx(-3.0, rel=1e-9)
    assert fit.law.b == pytest.approx(-0.4, rel=1e-9)
    assert fit.residual_rms < 1e-9
    assert law.coverage(law.samples_for(0.5)) == pytest.approx(0.5)


def test_fit_refuses_coverage_of_zero_or_one():
    with pytest.raises(ValueError, match="strictly between"):
        sampling.fit_coverage_law([1, 2, 3], [0.0, 0.5, 0.9])


def test_brown_reported_points_are_consistent_with_a_rising_law():
    # Brown et al. Sec. 2.2: each run's coverage rises from pass@1 to pass@10k; the law through the
    # two points has a negative exponent.
    for _, _, one, ten_k in sampling.BROWN_2024_REPORTED:
        fit = sampling.fit_coverage_law([1, 10_000], [one, ten_k])
        assert fit.law.b < 0
        assert fit.law.coverage(1) == pytest.approx(one)


def test_task_coverage_is_exact_match_at_one_sample():
    law = emergence.TaskLaw()
    lengths = np.array([1, 5, 20])
    one = sampling.task_coverage(1e9, 1, lengths, law=law)
    assert one == pytest.approx(np.mean(emergence.exact_match(law.token_probability(1e9), 1) ** lengths))
    assert sampling.task_coverage(1e9, 10, lengths, law=law) > one


def test_equal_flops_samples_and_inference_flops():
    assert sampling.samples_at_equal_flops(14e9, 1e9) == pytest.approx(14.0)
    assert sampling.inference_flops(1e9, 100, 14) == pytest.approx(sampling.inference_flops(14e9, 100, 1))


def test_problem_count_is_bounded():
    with pytest.raises(ValueError, match="n_problems"):
        sampling.beta_problems(10**9, 0.3, 3.0)
    assert sampling.simulate_correct(0.0, 10) == 0.0
