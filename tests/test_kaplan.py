"""scaling_lib.kaplan: every constant pinned to Kaplan et al. (2020), and the laws' limits."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scaling_lib import compute, kaplan
from scaling_lib.kaplan import KAPLAN_2020 as K


def test_table5_constants():
    assert (K.alpha_N, K.N_c) == (0.076, 8.8e13)
    assert (K.alpha_D, K.D_c) == (0.095, 5.4e13)
    assert (K.alpha_C, K.C_c) == (0.050, 3.1e8)  # the C_min frontier, PF-days
    assert (K.alpha_B, K.B_star) == (0.21, 2.1e8)
    assert (K.alpha_S, K.S_c) == (0.76, 2.1e3)


def test_table6_and_eq44_constants():
    assert (K.N_e, K.p_N) == (1.3e9, 0.73)
    assert (K.B_e, K.p_B) == (2.0e6, 0.24)
    assert (K.S_e, K.p_S) == (5.4e3, 0.03)
    assert (K.D_e, K.p_D) == (2e10, 0.27)
    assert (K.overfit_coefficient, K.overfit_exponent) == (5e3, 0.74)
    assert K.source.citation == "kaplan2020scaling"


def test_scale_constants_are_where_loss_is_one():
    assert kaplan.loss_n(K.N_c) == pytest.approx(1.0)
    assert kaplan.loss_d(K.D_c) == pytest.approx(1.0)
    assert kaplan.loss_c(K.C_c * compute.PF_DAY_FLOPS) == pytest.approx(1.0)


@given(log_n=st.floats(3, 12))
def test_combined_law_tends_to_its_parts(log_n):
    n = 10.0**log_n
    assert kaplan.loss_nd(n, 1e40) == pytest.approx(kaplan.loss_n(n), rel=1e-9)
    assert kaplan.loss_nd(1e60, n) == pytest.approx(kaplan.loss_d(n), rel=1e-9)
    assert kaplan.loss_nd(n, 1e12) >= kaplan.loss_n(n)
    assert kaplan.loss_ns(n, 1e30) == pytest.approx(kaplan.loss_n(n), rel=1e-9)


def test_learning_curves_fall_and_larger_models_are_more_sample_efficient():
    steps = np.geomspace(1e3, 1e6, 20)
    small, large = kaplan.loss_ns(1e7, steps), kaplan.loss_ns(1e9, steps)
    assert np.all(np.diff(small) < 0) and np.all(large < small)


def test_compute_efficient_exponents():
    one, ten = kaplan.compute_efficient(1e21), kaplan.compute_efficient(1e22)
    assert ten.n_params / one.n_params == pytest.approx(10**0.73)
    assert ten.n_tokens / one.n_tokens == pytest.approx(10**0.27)
    assert ten.batch_tokens / one.batch_tokens == pytest.approx(10**0.24)
    assert ten.steps / one.steps == pytest.approx(10**0.03)
    assert compute.training_flops(one.n_params, one.n_tokens) == pytest.approx(1e21)


def test_the_popular_5x_claim_is_not_what_either_law_says():
    # "10x compute -> 5.5x model on 5.5x data" multiplies compute by about 30
    assert 5.5 * 5.5 == pytest.approx(30, rel=0.01)
    model, data = kaplan.growth_for_compute(10, K.p_N)
    assert model == pytest.approx(5.37, abs=0.01) and data == pytest.approx(1.86, abs=0.01)
    assert model * data == pytest.approx(10)
    assert kaplan.growth_for_compute(10, 0.5) == pytest.approx((10**0.5, 10**0.5))


def test_critical_batch_grows_as_loss_falls():
    assert kaplan.critical_batch(1.0) == pytest.approx(K.B_star)
    assert kaplan.critical_batch(2.0) > kaplan.critical_batch(3.0)


def test_overfitting_rule():
    # Eq. (4.4): 8x the model needs about 5x the data (8**0.74 = 4.66)
    assert kaplan.tokens_to_avoid_overfitting(8e9) / kaplan.tokens_to_avoid_overfitting(1e9) == pytest.approx(8**0.74)


@pytest.mark.parametrize("call, argument", [
    (lambda: kaplan.loss_n(0), "n_params"),
    (lambda: kaplan.loss_d(-5), "n_tokens"),
    (lambda: kaplan.loss_nd(1e9, np.nan), "n_tokens"),
    (lambda: kaplan.loss_c(0), "flops"),
    (lambda: kaplan.loss_ns(1e9, 0), "steps"),
    (lambda: kaplan.critical_batch(-1), "loss_value"),
    (lambda: kaplan.tokens_to_avoid_overfitting(np.inf), "n_params"),
    (lambda: kaplan.compute_efficient([1e20, -1]), "flops"),
    (lambda: kaplan.growth_for_compute(10, 1.5), "a"),
])
def test_bad_input_names_the_argument(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()
