"""scaling_lib.chinchilla: published constants, the closed-form optimum, the three approaches."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scaling_lib import chinchilla as ch
from scaling_lib import data


def test_published_parameters():
    # Hoffmann et al. 2022, Eq. (10); Besiroglu et al. 2024, their refit
    h, b = ch.HOFFMANN_2022, ch.BESIROGLU_2024
    assert (h.E, h.A, h.B, h.alpha, h.beta) == (1.69, 406.4, 410.7, 0.34, 0.28)
    assert (b.E, b.A, b.B, b.alpha, b.beta) == (1.82, 482.01, 2085.43, 0.3478, 0.3658)
    assert h.source.citation == "hoffmann2022training" and b.source.citation == "besiroglu2024chinchilla"


def test_approach3_exponents_match_table2():
    # Hoffmann et al. 2022, Table 2: Approach 3 gives a = 0.46, b = 0.54
    a, b = ch.allocation_exponents(ch.HOFFMANN_2022)
    assert a == pytest.approx(0.46, abs=0.01) and b == pytest.approx(0.54, abs=0.01)


def test_replication_implies_about_twenty_tokens_per_parameter():
    # Besiroglu et al. 2024: the refit is consistent with ~20 tokens per parameter (and with
    # Approaches 1 and 2); the published Approach-3 parameters are not: they imply several times more
    budget = 5.76e23  # Hoffmann et al. 2022, Table 3: the Gopher / Chinchilla budget
    refit = ch.compute_optimal(budget, ch.BESIROGLU_2024)
    assert 15 < refit.tokens_per_parameter < 25
    assert refit.n_params == pytest.approx(70e9, rel=0.1)  # Chinchilla itself: 70B parameters
    assert ch.compute_optimal(budget, ch.HOFFMANN_2022).tokens_per_parameter > 40


def test_table3_is_six_n_d():
    table = data.load_table("chinchilla_table3")
    ratio = 6 * table["params"] * table["tokens"] / table["flops"]
    assert np.all(np.abs(ratio - 1) < 0.05)


laws = st.builds(ch.ParametricLaw, E=st.floats(0.5, 3), A=st.floats(10, 5000), B=st.floats(10, 5000),
                 alpha=st.floats(0.1, 0.8), beta=st.floats(0.1, 0.8))


@settings(max_examples=40, deadline=None)
@given(law=laws, log_c=st.floats(16, 26))
def test_closed_form_optimum_beats_brute_force(law, log_c):
    c = 10.0**log_c
    best = ch.compute_optimal(c, law)
    n = best.n_params * np.geomspace(0.2, 5, 20001)
    losses = ch.loss(n, c / (6 * n), law)
    assert best.loss <= losses.min() + 1e-12
    assert n[np.argmin(losses)] == pytest.approx(best.n_params, rel=1e-3)
    assert 6 * best.n_params * best.n_tokens == pytest.approx(c)


@given(law=laws)
def test_exponents_from_alpha_and_beta(law):
    a, b = ch.allocation_exponents(law)
    assert a == pytest.approx(law.beta / (law.alpha + law.beta))
    assert b == pytest.approx(law.alpha / (law.alpha + law.beta))
    n1, d1 = ch.compute_optimal(1e20, law)
    n2, d2 = ch.compute_optimal(1e22, law)
    assert np.log(n2 / n1) / np.log(100) == pytest.approx(a)
    assert np.log(d2 / d1) / np.log(100) == pytest.approx(b)


def test_compute_for_loss_inverts_the_frontier():
    c = ch.compute_for_loss(2.0, ch.HOFFMANN_2022)
    assert ch.frontier_loss(c, ch.HOFFMANN_2022) == pytest.approx(2.0, rel=1e-9)


def test_iso_loss_contour():
    n = np.geomspace(1e9, 1e12, 5)
    d = ch.iso_loss_tokens(n, 2.0, ch.HOFFMANN_2022)
    finite = np.isfinite(d)
    assert np.allclose(ch.loss(n[finite], d[finite]), 2.0)
    assert np.isinf(ch.iso_loss_tokens(1e6, 2.0))  # too small to ever reach 2.0


def _isoflops(law, noise, seed=0):
    runs = ch.simulate_isoflop_runs(law, np.geomspace(1e18, 1e22, 9), models_per_budget=11,
                                    noise=noise, seed=seed)
    return runs["n_params"], runs["n_tokens"], runs["flops"], runs["loss"]


def test_approach3_recovers_a_noiseless_law():
    n, d, _, l = _isoflops(ch.BESIROGLU_2024, 0.0)
    fit = ch.fit_approach3(n, d, l)
    for name in ("E", "A", "B", "alpha", "beta"):
        assert getattr(fit, name) == pytest.approx(getattr(ch.BESIROGLU_2024, name), rel=1e-6)
    assert fit.r2 == pytest.approx(1.0) and fit.max_abs_residual < 1e-9


def test_approach3_with_noise_and_as_a_law():
    n, d, _, l = _isoflops(ch.HOFFMANN_2022, 0.01, seed=3)
    fit = ch.fit_approach3(n, d, l)
    assert fit.alpha == pytest.approx(0.34, abs=0.06) and fit.beta == pytest.approx(0.28, abs=0.06)
    assert fit.r2 > 0.99 and fit.rmse < 0.02
    # a fit is accepted wherever a law is
    assert ch.loss(1e9, 2e10, fit) == pytest.approx(ch.loss(1e9, 2e10, fit.law))
    assert ch.compute_optimal(1e21, fit).n_params > 0


def test_fast_fit_reaches_scipy_per_start_optimum():
    n, d, _, l = _isoflops(ch.HOFFMANN_2022, 0.01, seed=5)
    starts = ch.initial_grid()[::25]
    fast = ch.fit_approach3(n, d, l, starts=starts)
    slow = ch.fit_approach3_per_start_scipy(n, d, l, starts=starts)
    assert fast.objective <= slow.objective + 1e-8


def test_initial_grid_is_the_papers():
    grid = ch.initial_grid()
    assert grid.shape == (4500, 5)
    assert sorted(set(grid[:, 3])) == [0.0, 0.5, 1.0, 1.5, 2.0]
    assert sorted(set(grid[:, 0])) == [0.0, 5.0, 10.0, 15.0, 20.0, 25.0]
    assert sorted(set(grid[:, 2])) == [-1.0, -0.5, 0.0, 0.5, 1.0]


def test_objective_gradient_matches_finite_differences():
    n, d, _, l = _isoflops(ch.HOFFMANN_2022, 0.01)
    args = (np.log(n)[None, :], np.log(d)[None, :], np.log(l)[None, :])
    theta = np.array([[6.0, 6.0, 0.5, 0.3, 0.3], [2.0, 9.0, 0.2, 0.8, 0.5]])
    _, grad = ch.huber_objective(theta, *args)
    for j in range(5):
        step = np.zeros(5)
        step[j] = 1e-6
        numeric = (ch.huber_objective(theta + step, *args)[0] - ch.huber_objective(theta - step, *args)[0]) / 2e-6
        assert np.allclose(numeric, grad[:, j], rtol=1e-5, atol=1e-9)


def test_approach2_recovers_the_allocation_exponent():
    n, _, c, l = _isoflops(ch.HOFFMANN_2022, 0.0)
    fit = ch.fit_approach2(n, c, l)
    a, b = ch.allocation_exponents(ch.HOFFMANN_2022)
    assert fit.a == pytest.approx(a, abs=0.02) and fit.a + fit.b == pytest.approx(1.0, abs=1e-9)
    assert all(interior for _, _, interior in fit.parabolas)


def test_approach1_recovers_the_allocation_exponent():
    curves = ch.simulate_training_curves(ch.HOFFMANN_2022, np.geomspace(4e7, 1.6e10, 12), noise=0.0)
    fit = ch.fit_approach1(curves["n_params"], curves["flops"], curves["loss"])
    a, _ = ch.allocation_exponents(ch.HOFFMANN_2022)
    assert fit.a == pytest.approx(a, abs=0.05)


def test_bootstraps_cover_their_estimates_and_are_reproducible():
    n, d, c, l = _isoflops(ch.HOFFMANN_2022, 0.01, seed=1)
    fit = ch.fit_approach3(n, d, l)
    boot = ch.bootstrap_approach3(n, d, l, n_resamples=200, seed=1, at_flops=1e24, fit=fit)
    lo, hi = boot.interval("a")
    assert lo < fit.law.beta / (fit.law.alpha + fit.law.beta) < hi
    assert boot.interval("n_opt")[0] < ch.compute_optimal(1e24, fit).n_params < boot.interval("n_opt")[1]
    again = ch.bootstrap_approach3(n, d, l, n_resamples=200, seed=1, at_flops=1e24, fit=fit)
    assert np.array_equal(boot.samples["a"], again.samples["a"])
    boot2 = ch.bootstrap_allocation(2, n, c, l, n_resamples=100, seed=2, at_flops=1e24)
    assert boot2.interval("a")[0] < ch.fit_approach2(n, c, l).a < boot2.interval("a")[1]


@pytest.mark.parametrize("call, argument", [
    (lambda: ch.loss(-1, 1e9), "n_params"),
    (lambda: ch.loss(1e9, [1e9, np.nan]), "n_tokens"),
    (lambda: ch.loss(1e9, 1e9, law="chinchilla"), "law"),
    (lambda: ch.compute_optimal(0), "flops"),
    (lambda: ch.compute_for_loss(1.5), "target_loss"),
    (lambda: ch.iso_loss_tokens(1e9, -2), "target_loss"),
    (lambda: ch.ParametricLaw(E=1, A=-1, B=1, alpha=0.3, beta=0.3), "A"),
    (lambda: ch.fit_approach3([1e9] * 5, [1e10] * 5, [2.0] * 5), "at least 6"),
    (lambda: ch.fit_approach3([1e9] * 6, [1e10] * 5, [2.0] * 6), "same shape"),
    (lambda: ch.fit_approach3(*[np.arange(1, 7) * 1e9] * 3, starts=np.zeros((3, 4))), "starts"),
    (lambda: ch.fit_approach2([1e9, 2e9, 3e9], [1e20] * 3, [2.0, 1.9, 2.0]), "3 budgets"),
    (lambda: ch.fit_approach1([1e9] * 4, [1e18, 1e19, 1e20, 1e21], [3, 2.5, 2.2, 2.1]), "envelope"),
    (lambda: ch.bootstrap_allocation(3, [1e9], [1e20], [2.0]), "approach"),
    (lambda: ch.simulate_isoflop_runs(ch.HOFFMANN_2022, [1e20], models_per_budget=2), "models_per_budget"),
])
def test_bad_input_names_the_argument(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()
