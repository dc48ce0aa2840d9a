"""scaling_lib.mixing: Ye et al. (2024)'s data-mixing law, its fit and the optimal mixture.

The fit is checked on mixtures simulated from known laws (it must recover them), the optimum against
a brute-force search of the simplex and the conditions any constrained minimum satisfies."""

import itertools

import numpy as np
import pytest

from scaling_lib import mixing

TRUTH = mixing.MixingLaw(c=[1.2, 0.6, 1.0], k=[0.5, 0.4, 0.45],
                         t=[[-2.0, 0.4, -0.3], [0.3, -2.4, 0.2], [-0.4, 0.5, -1.6]],
                         domains=("web", "code", "books"))
WEIGHTS = np.array([0.5, 0.2, 0.3])


def test_the_law_is_the_papers_form():
    r = np.array([0.2, 0.5, 0.3])
    by_hand = [TRUTH.c[i] + TRUTH.k[i] * np.exp(sum(TRUTH.t[i, j] * r[j] for j in range(3))) for i in range(3)]
    assert np.allclose(TRUTH.loss(r), by_hand, rtol=1e-14)
    assert TRUTH.total_loss(r, WEIGHTS) == pytest.approx(float(np.dot(by_hand, WEIGHTS)), rel=1e-14)


def test_only_log_k_plus_t_is_identified_and_normalising_keeps_the_law():
    r, _ = mixing.simulate_mixtures(TRUTH, 50, noise=0.0, seed=3)
    shifted = mixing.MixingLaw(TRUTH.c, TRUTH.k * np.exp(-0.7), TRUTH.t + 0.7, TRUTH.domains)
    assert np.allclose(shifted.loss(r), TRUTH.loss(r), rtol=1e-12)
    normal = TRUTH.normalized()
    assert np.allclose(normal.t.sum(axis=1), 0.0, atol=1e-14)
    assert np.allclose(normal.loss(r), TRUTH.loss(r), rtol=1e-12)
    # k of the normalised law is the reducible loss at the uniform mixture
    uniform = np.full(3, 1 / 3)
    assert np.allclose(normal.k, TRUTH.loss(uniform) - TRUTH.c, rtol=1e-12)


def test_fit_recovers_a_known_law_exactly_without_noise():
    r, losses = mixing.simulate_mixtures(TRUTH, 30, noise=0.0, seed=1)
    fit = mixing.fit_mixing_law(r, losses, domains=TRUTH.domains)
    truth = TRUTH.normalized()
    assert np.allclose(fit.law.c, truth.c, atol=1e-5)
    assert np.allclose(fit.law.k, truth.k, rtol=1e-4)
    assert np.allclose(fit.law.t, truth.t, atol=1e-4)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fit_with_noise_covers_the_truth_within_its_errors(seed):
    r, losses = mixing.simulate_mixtures(TRUTH, 60, noise=0.002, seed=seed)
    fit = mixing.fit_mixing_law(r, losses)
    truth = TRUTH.normalized()
    assert np.all(np.abs(fit.law.c - truth.c) < 4 * fit.stderr_c + 1e-9)
    assert np.all(np.abs(fit.law.t - truth.t) < 4 * fit.stderr_t + 1e-9)
    assert np.allclose(fit.residual_std, 0.002, rtol=0.35)  # the scatter put in, with 56 dof


def test_fit_predicts_held_out_mixtures_to_the_noise():
    r, losses = mixing.simulate_mixtures(TRUTH, 40, noise=0.003, seed=5)
    fit = mixing.fit_mixing_law(r, losses)
    held_out, _ = mixing.simulate_mixtures(TRUTH, 200, noise=0.0, seed=6)
    error = np.log(np.asarray(fit.predict(held_out)) / np.asarray(TRUTH.loss(held_out)))
    assert np.sqrt(np.mean(error ** 2)) < 0.003  # averaging over 40 runs beats one run's scatter


def test_two_domains_with_other_validation_domains():
    law = mixing.MixingLaw(c=[2.0], k=[1.0], t=[[-1.5, -0.2]], domains=("a", "b"), targets=("held out",))
    r, losses = mixing.simulate_mixtures(law, 8, noise=0.0, seed=0)
    fit = mixing.fit_mixing_law(r, losses[:, 0], domains=("a", "b"), targets=("held out",))
    assert fit.law.targets == ("held out",)
    assert np.allclose(fit.law.c, [2.0], atol=1e-5)
    assert np.allclose(fit.law.t, law.normalized().t, atol=1e-4)


def _brute_force(law, weights, step=0.01):
    best, where = np.inf, None
    n = int(round(1 / step))
    for i, j in itertools.product(range(n + 1), repeat=2):
        if i + j <= n:
            r = np.array([i, j, n - i - j]) / n
            value = law.total_loss(r, weights)
            if value < best:
                best, where = value, r
    return best, where


@pytest.mark.parametrize("weights", [WEIGHTS, np.array([1.0, 0.0, 0.0]), np.array([0.1, 0.1, 0.8])])
def test_optimum_beats_every_point_of_a_fine_simplex_grid(weights):
    optimum = mixing.optimal_mixture(TRUTH, weights)
    best, where = _brute_force(TRUTH, weights)
    assert optimum.loss <= best + 1e-12
    assert np.allclose(optimum.proportions, where, atol=0.02)
    assert optimum.proportions.sum() == pytest.approx(1.0, abs=1e-12) and np.all(optimum.proportions >= 0)


def test_optimum_satisfies_the_kkt_conditions():
    optimum = mixing.optimal_mixture(TRUTH, WEIGHTS)
    r = optimum.proportions
    s = WEIGHTS / WEIGHTS.sum()
    grad = (s * TRUTH.k * np.exp(TRUTH.t @ r)) @ TRUTH.t
    inside = r > 1e-6
    # equal marginal loss on every domain used, no lower one on any domain left out
    assert np.ptp(grad[inside]) < 1e-6
    assert np.all(grad[~inside] >= grad[inside].max() - 1e-6)


def test_a_law_where_each_domain_helps_only_itself_mixes_by_weight():
    # symmetric domains: with equal weights the optimum is the uniform mixture
    law = mixing.MixingLaw(c=[1.0, 1.0, 1.0], k=[1.0, 1.0, 1.0], t=-2.0 * np.eye(3))
    optimum = mixing.optimal_mixture(law, [1.0, 1.0, 1.0])
    assert np.allclose(optimum.proportions, 1 / 3, atol=1e-6)


def test_min_share_is_respected():
    optimum = mixing.optimal_mixture(TRUTH, [1.0, 0.0, 0.0], min_share=0.1)
    assert np.all(optimum.proportions >= 0.1 - 1e-12)


def test_fit_reports_itself_in_short_lines():
    r, losses = mixing.simulate_mixtures(TRUTH, 20, noise=0.003, seed=0)
    fit = mixing.fit_mixing_law(r, losses, domains=TRUTH.domains)
    text = fit.report()
    assert "web" in text and "t[code]" in text and "<table>" in fit._repr_html_()
    assert max(len(line) for line in text.splitlines()) <= 90


@pytest.mark.parametrize("call, name", [
    (lambda: TRUTH.loss([0.5, 0.6, 0.1]), "sum to 1"),
    (lambda: TRUTH.loss([0.5, 0.5]), "3 shares"),
    (lambda: TRUTH.loss([1.2, -0.2, 0.0]), "proportions"),
    (lambda: TRUTH.total_loss([0.2, 0.3, 0.5], [0, 0, 0]), "weights"),
    (lambda: TRUTH.total_loss([0.2, 0.3, 0.5], [1, 1]), "weights"),
    (lambda: mixing.fit_mixing_law(np.eye(3), np.ones((3, 3))), "at least 5 mixtures"),
    (lambda: mixing.fit_mixing_law(np.tile([0.2, 0.3, 0.5], (8, 1)), np.ones((8, 3))), "rank"),
    (lambda: mixing.fit_mixing_law(np.tile([0.2, 0.8], (8, 1)), np.ones((7, 1))), "losses"),
    (lambda: mixing.optimal_mixture(TRUTH, WEIGHTS, min_share=0.4), "min_share"),
    (lambda: mixing.MixingLaw(c=[1.0], k=[1.0, 2.0], t=[[0.0, 1.0]]), "c, k and t"),
    (lambda: mixing.MixingLaw(c=[1.0], k=[-1.0], t=[[0.0, 1.0]]), "k"),
    (lambda: mixing.MixingLaw(c=[1.0, 1.0], k=[1.0, 1.0], t=np.eye(2), domains=("a",)), "domains"),
])
def test_bad_arguments_are_named(call, name):
    with pytest.raises((ValueError, TypeError), match=name):
        call()


def test_two_domain_optimum_matches_the_closed_form_and_the_exercise():
    from scaling_lib import exercises, exercises_mixing

    law, weights = exercises_mixing.EXERCISE_LAW, exercises_mixing.EXERCISE_WEIGHTS
    # by hand: with x the code share, L_i = c_i + k_i e^{t_i1} e^{b_i x}, b = (2.3, -3.3); the
    # derivative of 0.7 L_1 + 0.3 L_2 vanishes at x = ln(0.3*0.4*e^0.3*3.3 / (0.7*0.5*e^-2*2.3)) / 5.6
    by_hand = np.log(0.3 * 0.4 * np.exp(0.3) * 3.3 / (0.7 * 0.5 * np.exp(-2.0) * 2.3)) / 5.6
    assert exercises_mixing._closed_form(weights) == pytest.approx(by_hand, rel=1e-12)
    assert mixing.optimal_mixture(law, weights).proportions[1] == pytest.approx(by_hand, abs=1e-6)
    assert exercises.check("after_chinchilla.mixing_code_share", by_hand).correct
    assert "web" in exercises.check("after_chinchilla.mixing_code_share", 1 - by_hand).message
    assert not exercises.check("after_chinchilla.mixing_code_share", None).answered
