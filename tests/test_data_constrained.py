"""Repeated data (Muennighoff et al. 2023) and the stock of text (Villalobos et al. 2024)."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scaling_lib import chinchilla, data_constrained, published_runs
from scaling_lib import data_constrained as dc
from scaling_lib import text_stock as ts

LAW = dc.MUENNIGHOFF_2023


def test_constants_are_the_papers():
    # Muennighoff et al. 2023: R*_D ≈ 15.4, R*_N ≈ 5.3; full precision from the authors' code:
    # a, b, e, alpha, beta, rd_star, rn_star = 6.255414, 7.3049974, 0.6254804, 0.3526596, 0.3526596,
    # 15.387756, 5.309743 with A = e^a, B = e^b, E = e^e
    assert LAW.r_star_d == 15.387756 and round(LAW.r_star_d, 1) == 15.4
    assert LAW.r_star_n == 5.309743 and round(LAW.r_star_n, 1) == 5.3
    assert LAW.law.A == pytest.approx(math.exp(6.255414))
    assert LAW.law.B == pytest.approx(math.exp(7.3049974))
    assert LAW.law.E == pytest.approx(math.exp(0.6254804))
    assert LAW.law.alpha == LAW.law.beta == 0.3526596
    assert LAW.source.citation == "muennighoff2023scaling"


def test_loss_reproduces_the_authors_worked_example():
    # The README of the paper's code: the two models of Figure 1 (right), 25B unique tokens
    assert dc.loss(6.34e9, 242e9, 25e9) == pytest.approx(2.2256440889984477, rel=1e-9)
    assert dc.loss(8.67e9, 178e9, 25e9) == pytest.approx(2.2269634075087867, rel=1e-9)


def test_optimal_allocation_matches_the_authors_grid_search():
    # Same README: at the compute of 8.67B parameters x 178B tokens with 25B unique tokens the optimum
    # is "227B tokens, 9.1 epochs, 6.8B parameters" (a grid search)
    best = dc.compute_optimal(6 * 8.67e9 * 178e9, 25e9)
    assert best.n_tokens == pytest.approx(227e9, rel=0.01)
    assert best.epochs == pytest.approx(9.1, rel=0.01)
    assert best.n_params == pytest.approx(6.8e9, rel=0.01)
    assert best.loss <= dc.loss(8.67e9, 178e9, 25e9)
    # scarce data costs loss and shrinks the model relative to unlimited fresh data
    assert best.loss > best.unconstrained_loss and best.n_params < best.unconstrained_n_params


@given(unique=st.floats(1e6, 1e14), epochs=st.floats(1, 1e4))
def test_effective_tokens_lie_between_the_unique_and_the_seen_tokens(unique, epochs):
    worth = dc.effective_tokens(unique, epochs)
    assert unique * (1 - 1e-12) <= worth <= unique * epochs * (1 + 1e-12)
    assert worth <= unique * (1 + LAW.r_star_d) * (1 + 1e-12)


def test_effective_tokens_limits():
    assert dc.effective_tokens(1e10, 1) == 1e10
    # early repeats are worth almost a fresh token: slope 1 at R = 0
    assert (dc.effective_tokens(1e10, 1 + 1e-6) - 1e10) / 1e4 == pytest.approx(1, rel=1e-6)
    # as the epochs grow, U (1 + R*)
    assert dc.effective_tokens(1e10, 1e6) == pytest.approx(1e10 * (1 + 15.387756))
    # Muennighoff et al.: up to about 4 epochs nearly as good as fresh data
    assert dc.unique_tokens_equivalent(4) > 0.9
    assert dc.unique_tokens_equivalent(40) < 0.5
    epochs = np.arange(1, 200)
    worth = dc.effective_tokens(1e10, epochs)
    assert np.all(np.diff(worth) > 0) and np.all(np.diff(np.diff(worth)) < 0)  # rising, concave


def test_effective_params_leave_compute_optimal_models_alone():
    # no excess parameters: N' = N; excess ones are discounted, and N' never exceeds N
    u = 1e11
    small = 1e8
    assert dc.effective_params(small, u) == pytest.approx(small)
    big = np.geomspace(1e10, 1e13, 20)
    eff = dc.effective_params(big, u)
    assert np.all(eff <= big) and np.all(np.diff(eff) >= 0)
    # and saturate at U_N (1 + R*_N), U_N the compute-optimal size for u tokens
    u_n = dc.effective_params(1e20, u) / (1 + LAW.r_star_n)
    assert chinchilla.compute_optimal(6 * u_n * u, LAW.law).n_tokens == pytest.approx(u, rel=1e-9)


def test_no_repetition_is_the_plain_chinchilla_form_law():
    n, d = 1e8, 5e10  # far from excess parameters, one epoch
    assert dc.loss(n, d, 1e12) == pytest.approx(chinchilla.loss(n, d, LAW.law))
    assert dc.repeated_data_loss(n, d, 1) == pytest.approx(chinchilla.loss(n, d, LAW.law))


def test_more_epochs_lower_the_loss_but_less_than_fresh_data():
    epochs = np.arange(1, 60)
    repeated = dc.repeated_data_loss(1e9, 2e10, epochs)
    fresh = dc.loss(1e9, 2e10 * epochs, 1e15)
    assert np.all(np.diff(repeated) < 0)
    assert np.all(repeated[1:] > fresh[1:])


def test_villalobos_stock():
    # Villalobos et al. 2024: about 300 trillion tokens, reached between 2026 and 2032
    assert ts.VILLALOBOS_2024.tokens == 300e12
    assert ts.VILLALOBOS_2024.years == (2026, 2032)


def test_dataset_trend_recovers_a_known_growth_rate():
    years = np.arange(2018, 2025)
    trend = ts.fit_dataset_trend(years, 1e11 * 3.0 ** (years - 2018))
    assert trend.growth_per_year == pytest.approx(3.0)
    central, early, late = trend.year_reaching(1e11 * 3.0**10)
    assert central == pytest.approx(2028) and early == pytest.approx(late) == pytest.approx(2028)
    noisy = ts.fit_dataset_trend(years, 1e11 * 3.0 ** (years - 2018) * np.exp([0.3, -0.2, 0.1, 0, -0.3, 0.2, 0]))
    central, early, late = noisy.year_reaching(1e16)
    assert early < central < late


def test_largest_per_year():
    years, tokens = ts.largest_per_year([2020, 2020, 2021], [1.0, 3.0, 2.0])
    assert years.tolist() == [2020, 2021] and tokens.tolist() == [3.0, 2.0]


@pytest.mark.parametrize("call, argument", [
    (lambda: dc.effective_tokens(1e9, 0.5), "epochs"),
    (lambda: dc.effective_tokens(-1, 2), "unique_tokens"),
    (lambda: dc.effective_tokens(1e9, 2, r_star=0), "r_star"),
    (lambda: dc.effective_tokens(1e9, np.nan), "epochs"),
    (lambda: dc.unique_tokens_equivalent(0), "epochs"),
    (lambda: dc.effective_params(0, 1e9), "n_params"),
    (lambda: dc.loss(1e9, 1e10, 0), "unique_tokens"),
    (lambda: dc.loss(1e9, 1e10, 1e10, law=chinchilla.HOFFMANN_2022), "law"),
    (lambda: dc.repeated_data_loss(1e9, 1e10, 0), "epochs"),
    (lambda: dc.compute_optimal(-1, 1e10), "flops"),
    (lambda: dc.compute_optimal(1e21, "lots"), "unique_tokens"),
    (lambda: ts.fit_dataset_trend([2020, 2021], [1, 2]), "years"),
    (lambda: ts.fit_dataset_trend([2020, 2020, 2020], [1, 2, 3]), "years"),
    (lambda: ts.fit_dataset_trend([2020, 2021, 2022], [1, -2, 3]), "tokens"),
    (lambda: ts.fit_dataset_trend([2020, 2021, 2022], [1, 2, 3]).year_reaching(0), "tokens"),
    (lambda: ts.largest_per_year([2020], [1, 2]), "years"),
    (lambda: dc.RepetitionLaw(LAW.law, r_star_d=-1, r_star_n=5, source=LAW.source), "r_star_d"),
])
def test_bad_input_names_the_argument(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()


# ---- the fit of R*_D and R*_N on Muennighoff et al.'s runs ----------------------------------

@pytest.fixture(scope="module")
def constrained_refit():
    return data_constrained.refit_data_constrained()


def test_readme_losses_are_reproduced():
    # Muennighoff et al.'s README (Parametric Fit), the two models of Figure 1 (right)
    for (n, d, u), published in data_constrained.README_LOSSES.items():
        assert data_constrained.loss(n, d, u) == pytest.approx(published, rel=1e-12)


def test_refit_matches_the_published_constants(constrained_refit):
    # Muennighoff et al. (2023), App. A: R*_D = 15.387756, R*_N = 5.309743, on 182 runs
    fit = constrained_refit.fit
    assert fit.n_points == 182
    assert fit.r_star_d == pytest.approx(15.387756, rel=0.05)
    assert fit.r_star_n == pytest.approx(5.309743, rel=0.05)
    assert fit.objective <= constrained_refit.published_objective + 1e-9


def test_refit_reproduces_the_worked_example(constrained_refit):
    # README (commit 0c765022): 227B tokens, 9.1 epochs, 6.8B parameters for 6 * 8.67e9 * 178e9 FLOPs
    # and 25e9 unique tokens (a grid search; the book minimises continuously)
    ex = constrained_refit.example
    assert ex["refit"].n_params == pytest.approx(6.8e9, rel=0.01)
    assert ex["refit"].n_tokens == pytest.approx(227e9, rel=0.01)
    assert ex["refit"].epochs == pytest.approx(9.1, abs=0.06)


def test_wider_search_reports_the_flat_valley(constrained_refit):
    # the objective is nearly flat along R*_D: a wider grid finds a (slightly) lower point far away
    wide = constrained_refit.wide
    assert wide.objective <= constrained_refit.fit.objective + 1e-12
    profile = constrained_refit.profile
    assert np.ptp(profile[:, 2]) / profile[:, 2].min() < 0.1
    assert np.all(np.diff(profile[:, 1]) < 0)  # the best R*_N falls as R*_D grows


def test_residuals_and_implied_tokens(constrained_refit):
    runs = published_runs.load_muennighoff_runs()
    law = constrained_refit.fit.law
    predicted = np.log(data_constrained.loss(runs.n_params, runs.n_tokens, runs.unique_tokens, law))
    np.testing.assert_allclose(constrained_refit.fit.residuals, predicted - np.log(runs.loss), atol=1e-12)
    implied = data_constrained.implied_effective_tokens(runs.n_params, runs.n_tokens, runs.unique_tokens,
                                                        data_constrained.loss(runs.n_params, runs.n_tokens,
                                                                              runs.unique_tokens, law), law)
    expected = data_constrained.effective_tokens(runs.unique_tokens, runs.epochs, r_star=law.r_star_d)
    np.testing.assert_allclose(implied, expected, rtol=1e-6)


def test_fit_inputs_are_validated():
    runs = published_runs.load_muennighoff_runs()
    args = (runs.n_params, runs.n_tokens, runs.unique_tokens, runs.loss)
    with pytest.raises(ValueError, match="unique_tokens must not exceed"):
        data_constrained.fit_repetition_constants(runs.n_params, runs.unique_tokens, runs.n_tokens, runs.loss)
    with pytest.raises(ValueError, match="starts"):
        data_constrained.fit_repetition_constants(*args, starts=[(0.0, 5.0)])
    with pytest.raises(ValueError, match="base"):
        data_constrained.fit_repetition_constants(*args, base="C4")
    with pytest.raises(ValueError, match="losses"):
        data_constrained.fit_repetition_constants(*args[:3], -runs.loss)
    with pytest.raises(ValueError, match="runs must be"):
        data_constrained.refit_data_constrained(runs=args)


def test_refit_reports_itself_beside_the_published_constants(constrained_refit):
    # Muennighoff et al. 2023: R*_D = 15.4 and R*_N = 5.3 (their Eq. 5 fit on the 182 runs)
    text = constrained_refit.report()
    rows = {line.split("  ")[1].strip(): line for line in text.splitlines()[2:5]}
    assert set(rows) == {"refit", "Muennighoff et al.", "wider starts"}
    refit = [float(x) for x in rows["refit"].split()[1:]]
    assert refit[0] == pytest.approx(15.4, abs=0.05) and refit[1] == pytest.approx(5.3, abs=0.05)
    example = constrained_refit.example_report()
    assert "README (grid search)" in example and "9.1" in example  # the README's 9.1 epochs
    assert "<table>" in constrained_refit._repr_html_()
