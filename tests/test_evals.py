"""Benchmark noise: a score's standard error and the paired standard error of a difference (Miller 2024)."""

import numpy as np
import pytest

from scaling_lib import evals


def test_standard_errors_are_the_textbook_ones():
    a = np.array([1, 1, 0, 1, 0, 1, 1, 0, 1, 1], dtype=float)
    b = np.array([1, 0, 0, 1, 0, 1, 1, 1, 1, 0], dtype=float)
    c = evals.paired_comparison(a, b)
    assert c.difference == pytest.approx(a.mean() - b.mean())
    assert c.se_a == pytest.approx(np.std(a, ddof=1) / np.sqrt(10))
    assert c.se_independent == pytest.approx(np.sqrt(c.se_a ** 2 + c.se_b ** 2))
    # Var(a - b) = Var a + Var b - 2 Cov(a, b)
    cov = np.cov(a, b)[0, 1]
    assert c.se_paired == pytest.approx(np.sqrt((np.var(a, ddof=1) + np.var(b, ddof=1) - 2 * cov) / 10))


def test_identical_answers_have_no_paired_noise():
    a, _ = evals.simulate_two_models(500, 0.6, 0.6, seed=1)
    c = evals.paired_comparison(a, a)
    assert c.se_paired == 0.0 and c.se_independent > 0


def test_shared_difficulty_shrinks_the_paired_error_and_independence_does_not():
    shared = evals.paired_comparison(*evals.simulate_two_models(20_000, 0.62, 0.60, difficulty_spread=3.0))
    independent = evals.paired_comparison(*evals.simulate_two_models(20_000, 0.62, 0.60, difficulty_spread=0.0))
    assert shared.correlation > 0.3 and shared.se_paired < 0.85 * shared.se_independent
    assert abs(independent.correlation) < 0.03
    assert independent.se_paired == pytest.approx(independent.se_independent, rel=0.05)
    # the 4.3-point threshold of the chapter: 1.96 * sqrt(2 * 0.6 * 0.4 / 1000) for independent sets
    assert 1.96 * np.sqrt(2 * 0.6 * 0.4 / 1000) == pytest.approx(0.043, abs=0.0005)


def test_simulated_accuracies_are_the_asked_ones():
    a, b = evals.simulate_two_models(200_000, 0.7, 0.5, seed=3)
    assert a.mean() == pytest.approx(0.7, abs=0.005) and b.mean() == pytest.approx(0.5, abs=0.005)


def test_interval_covers_the_difference():
    c = evals.paired_comparison(*evals.simulate_two_models(1000, 0.62, 0.60))
    lo, hi = c.interval(0.95)
    assert lo < c.difference < hi
    lo_i, hi_i = c.interval(0.95, paired=False)
    assert hi_i - lo_i > hi - lo


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="same questions"):
        evals.paired_comparison([1.0, 0.0, 1.0], [1.0, 0.0])
    with pytest.raises(ValueError, match="accuracy_a"):
        evals.simulate_two_models(100, 1.5, 0.5)
    with pytest.raises(ValueError, match="n_questions"):
        evals.simulate_two_models(1, 0.5, 0.5)


def test_accuracy_standard_error_is_the_binomial_one():
    # sqrt(p (1 - p) / n): 0.05 at p = 0.5 over 100 questions; 0 at p = 0 or 1; falls as 1 / sqrt(n)
    assert evals.accuracy_standard_error(0.5, 100) == pytest.approx(0.05)
    assert np.all(evals.accuracy_standard_error(np.array([0.0, 1.0]), 10) == 0.0)
    se = evals.accuracy_standard_error(0.6, np.array([100, 10_000]))
    assert se[0] / se[1] == pytest.approx(10.0)
    # against the spread of simulated scores
    rng = np.random.default_rng(0)
    scores = rng.binomial(1_000, 0.6, size=200_000) / 1_000
    assert scores.std() == pytest.approx(evals.accuracy_standard_error(0.6, 1_000), rel=0.01)


@pytest.mark.parametrize("call, argument", [
    (lambda: evals.accuracy_standard_error(1.5, 10), "accuracy"),
    (lambda: evals.accuracy_standard_error(0.5, 0), "n_questions"),
    (lambda: evals.accuracy_standard_error(0.5, 2.5), "n_questions"),
    (lambda: evals.accuracy_standard_error([0.5, 0.6], [10, 20, 30]), "broadcast"),
])
def test_accuracy_standard_error_names_bad_arguments(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()
