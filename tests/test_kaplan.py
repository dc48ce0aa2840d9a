"""scaling_lib.kaplan: every constant pinned to Kaplan et al. (2020), the laws' limits, and the
paper's derived numbers recomputed from its constants."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scaling_lib import compute, kaplan
from scaling_lib.kaplan import KAPLAN_2020 as K

# ---- the published constants, typed from the paper ------------------------------------------------


def test_table5_single_laws():
    assert (K.alpha_N, K.N_c) == (0.076, 8.8e13)  # Eq. 1.1, non-embedding parameters
    assert (K.alpha_D, K.D_c) == (0.095, 5.4e13)  # Eq. 1.2, tokens
    assert (K.alpha_C_min, K.C_c_min) == (0.050, 3.1e8)  # Eq. 1.3: alpha_C^min, C_c^min (PF-days of C_min)
    assert (K.alpha_C, K.C_c) == (0.057, 1.6e7)  # Eq. 3.3: the fixed-batch law L(C), PF-days
    assert (K.alpha_B, K.B_star) == (0.21, 2.1e8)  # Table 5 (Eq. 1.4 rounds B_* to 2e8 tokens)
    assert (K.alpha_S, K.S_c) == (0.76, 2.1e3)  # Eq. 1.6, Tables 3 and 5


def test_table2_and_table3_joint_fits():
    assert (K.alpha_N_nd, K.alpha_D_nd, K.N_c_nd, K.D_c_nd) == (0.076, 0.103, 6.4e13, 1.8e13)
    assert (K.alpha_N_ns, K.N_c_ns) == (0.077, 6.5e13)


def test_table6_allocation_and_eq44():
    assert (K.N_e, K.p_N) == (1.3e9, 0.73)
    assert (K.B_e, K.p_B) == (2.0e6, 0.24)
    assert (K.S_e, K.p_S) == (5.4e3, 0.03)
    assert (K.D_e, K.p_D) == (2e10, 0.27)
    assert (K.eq67_D_e, K.eq67_p_D) == (4e10, 0.26)  # Eq. 6.7 as printed
    assert (K.overfit_coefficient, K.overfit_exponent) == (5e3, 0.74)
    assert K.seed_loss_variation == 0.02  # Sec. 4.2


def test_training_setup_and_source():
    assert K.train_batch_tokens == 512 * 1024 == 2**19  # Sec. 2.2 and Sec. 3
    assert (K.train_steps, K.warmup_steps) == (250_000, 3000)  # Sec. 2.2
    assert K.source.citation == "kaplan2020scaling"
    assert all(t in K.source.where for t in ("Tables 2, 3, 5 and 6", "(4.4)", "2.2"))


# ---- the paper's derived numbers, recomputed from its constants ------------------------------------


def test_table6_is_consistent_with_c_equals_6nbs():
    # 1 PF-day of C_min: 6 N_e B_e S_e FLOPs (Sec. 6.1: C_min = 6 N B_crit S)
    assert 6 * K.N_e * K.B_e * K.S_e == pytest.approx(compute.PF_DAY_FLOPS, rel=0.03)
    assert K.p_N + K.p_B + K.p_S == pytest.approx(1.0)
    assert K.p_N + K.p_D == pytest.approx(1.0)
    # B_crit along the frontier: B_* (C_min/C_c^min)**(alpha_C^min/alpha_B) gives Table 6's B_e and p_B
    assert K.B_star * K.C_c_min ** (-K.alpha_C_min / K.alpha_B) == pytest.approx(K.B_e, rel=0.05)
    assert K.alpha_C_min / K.alpha_B == pytest.approx(K.p_B, abs=0.005)


def test_one_epoch_at_the_critical_batch_is_table6_d_opt():
    # D = 2 C_min / (6 N): Table 6's D_e = 2e10 tokens at 1 PF-day, to its one significant figure
    run = kaplan.compute_efficient(2 * compute.PF_DAY_FLOPS)
    assert run.n_tokens == pytest.approx(K.D_e, rel=0.15)
    assert run.n_tokens == pytest.approx(2 * K.B_e * K.S_e, rel=0.05)  # 2 B_crit S_min


def test_hoffmann_reading_of_kaplan_at_1e21_flops():
    # Hoffmann et al. (2022), App. D.4: "From Kaplan et al. (2020) ... 4.68 billion parameters"
    assert kaplan.compute_efficient(1e21).n_params == pytest.approx(4.68e9, rel=0.005)


def test_overfitting_rule_is_the_two_percent_contour_of_table2():
    # Eq. 4.4 is where the penalty of Eq. 4.3 reaches the seed-to-seed variation, about 0.02
    n = np.geomspace(1e6, 1e11, 6)
    assert np.allclose(kaplan.overfitting_penalty(n, kaplan.tokens_to_avoid_overfitting(n)), 0.02, atol=0.003)
    exact = kaplan.tokens_to_avoid_overfitting(n, penalty=K.seed_loss_variation)
    assert np.allclose(kaplan.overfitting_penalty(n, exact), 0.02)
    assert np.allclose(exact / kaplan.tokens_to_avoid_overfitting(n), 1.0, atol=0.12)
    assert K.alpha_N_nd / K.alpha_D_nd == pytest.approx(K.overfit_exponent, abs=0.005)
    # Sec. 1.1: 8x the model needs roughly 5x the data
    assert 8**K.overfit_exponent == pytest.approx(5, rel=0.1)
    # Sec. 4.2: models under 1e9 parameters fit the 22B-token WebText2 without much overfitting
    assert kaplan.tokens_to_avoid_overfitting(1e9) == pytest.approx(22e9, rel=0.05)


def test_appendix_b_convergence_comparison():
    # Eqs. B.5, B.12-B.14: stop 10 % above converged; 2.7x the parameters, 0.13x the steps, 0.35x compute
    cmp = kaplan.efficient_vs_converged(0.02)
    assert cmp.stop_above_converged == pytest.approx(0.10)
    assert cmp.params == pytest.approx(2.7, abs=0.05)
    assert cmp.steps == pytest.approx(0.13, abs=0.005)
    assert cmp.compute == pytest.approx(0.35, abs=0.01)


def test_appendix_b_off_size_models():
    # App. B.4: 0.6x to 2.2x the efficient size costs about 20 % more compute; 2.2x takes 45 % fewer steps
    assert kaplan.excess_compute(1.0) == pytest.approx(1.0)
    assert kaplan.excess_compute([0.6, 2.2]) == pytest.approx([1.2, 1.2], abs=0.04)
    assert kaplan.excess_steps(2.2) == pytest.approx(0.55, abs=0.01)
    assert kaplan.excess_compute(0.28) == np.inf and kaplan.excess_steps(0.1) == np.inf
    sizes = np.geomspace(0.3, 30, 50)
    assert np.all(kaplan.excess_compute(sizes) >= 1.0 - 1e-12)


def test_section_63_contradiction_point():
    # Eq. 6.8: C* ~ 1e4 PF-days, N* ~ 1e12, D* ~ 1e12 tokens, L* ~ 1.7, each uncertain by ~10x
    point = kaplan.frontier_contradiction()
    assert 1e3 < point.pf_days < 1e5 and 1e11 < point.n_params < 1e13 and 1e11 < point.n_tokens < 1e13
    assert point.loss == pytest.approx(1.7, abs=0.1)
    assert kaplan.loss_c(point.min_flops) == pytest.approx(kaplan.loss_d(point.n_tokens))
    shifted = kaplan.frontier_contradiction(alpha_D=K.alpha_D_nd, D_c=K.D_c_nd)
    assert shifted.pf_days > 10 * point.pf_days  # "highly sensitive to the precise exponents"


def test_contradiction_point_lies_on_both_laws_for_every_data_law():
    for law in ("allocation", "eq6.7"):
        for kwargs in ({}, {"alpha_D": K.alpha_D_nd}, {"D_c": K.D_c_nd}):
            point = kaplan.frontier_contradiction(data_law=law, **kwargs)
            a_d, d_c = kwargs.get("alpha_D", K.alpha_D), kwargs.get("D_c", K.D_c)
            assert (d_c / point.n_tokens) ** a_d == pytest.approx(point.loss, rel=1e-9)
            assert kaplan.loss_c(point.min_flops) == pytest.approx(point.loss, rel=1e-9)
            assert point.n_params == pytest.approx(K.N_e * point.pf_days**K.p_N)


def test_contradiction_moves_as_its_algebra_says():
    # ln C* = [alpha_D (ln D_c - ln k) - alpha_C^min ln C_c^min] / (alpha_D q - alpha_C^min), q < alpha_C/alpha_D:
    # a larger D_c (more data needed) moves the crossing earlier, since the slope is negative
    base = kaplan.frontier_contradiction()
    q = 1 - K.p_N
    slope = K.alpha_D * q - K.alpha_C_min
    moved = kaplan.frontier_contradiction(D_c=K.D_c_nd)
    assert np.log(moved.pf_days / base.pf_days) == pytest.approx(K.alpha_D * np.log(K.D_c_nd / K.D_c) / slope)
    assert moved.pf_days > base.pf_days  # Table 2's smaller D_c alone: later
    assert kaplan.frontier_contradiction(alpha_D=K.alpha_D_nd).pf_days < base.pf_days  # steeper L(D) alone: earlier
    # Eq. 6.7's larger one-epoch data (4e10 c^0.26 against 2.2e10 c^0.27) moves it later
    table6 = compute.PF_DAY_FLOPS / (3 * K.N_e)
    assert table6 == pytest.approx(2.2e10, rel=0.01)
    assert kaplan.frontier_contradiction(data_law="eq6.7").pf_days > base.pf_days


def test_critical_batch_doubles_for_every_13_percent_fall_in_loss():
    # Figure 10: "approximately doubles for every 13% decrease in loss"
    assert kaplan.critical_batch(1.0) == pytest.approx(K.B_star)
    ratio = kaplan.critical_batch(0.87 * 3.0) / kaplan.critical_batch(3.0)
    assert ratio == pytest.approx(2.0, rel=0.05)


def test_params_from_shape():
    # Eq. 2.1; GPT-3 (Brown et al. 2020, Table 2.1): 96 layers of width 12288, about 175B parameters
    assert kaplan.params_from_shape(96, 12288) == pytest.approx(175e9, rel=0.01)


# ---- the laws' limits and shapes ---------------------------------------------------------------


def test_scale_constants_are_where_loss_is_one():
    assert kaplan.loss_n(K.N_c) == pytest.approx(1.0)
    assert kaplan.loss_d(K.D_c) == pytest.approx(1.0)
    assert kaplan.loss_c(K.C_c_min * compute.PF_DAY_FLOPS) == pytest.approx(1.0)


@given(log_n=st.floats(3, 12))
def test_combined_laws_tend_to_their_parts(log_n):
    n = 10.0**log_n
    separate = dict(fit="separate")
    assert kaplan.loss_nd(n, 1e40, **separate) == pytest.approx(kaplan.loss_n(n), rel=1e-9)
    assert kaplan.loss_nd(1e60, n, **separate) == pytest.approx(kaplan.loss_d(n), rel=1e-9)
    assert kaplan.loss_ns(n, 1e30, **separate) == pytest.approx(kaplan.loss_n(n), rel=1e-9)
    # the joint fits tend to their own single laws
    assert kaplan.loss_nd(n, 1e40) == pytest.approx((K.N_c_nd / n) ** K.alpha_N_nd, rel=1e-9)
    assert kaplan.loss_nd(1e60, n) == pytest.approx((K.D_c_nd / n) ** K.alpha_D_nd, rel=1e-9)
    assert kaplan.loss_ns(n, 1e30) == pytest.approx((K.N_c_ns / n) ** K.alpha_N_ns, rel=1e-9)
    assert kaplan.loss_ns(n, 1e30) == pytest.approx(kaplan.converged_loss(n), rel=1e-9)
    assert kaplan.converged_loss(n, fit="separate") == pytest.approx(kaplan.loss_n(n))
    # finite data or finite training only add loss
    assert kaplan.loss_nd(n, 1e12) >= kaplan.loss_nd(n, 1e40)
    assert kaplan.loss_ns(n, 1e4) >= kaplan.loss_ns(n, 1e30)


def test_joint_and_separate_fits_agree_within_a_few_percent_over_the_papers_range():
    n, d = np.meshgrid(np.geomspace(1e6, 1.5e9, 8), np.geomspace(2.2e7, 2.3e10, 8))
    ratio = kaplan.loss_nd(n, d) / kaplan.loss_nd(n, d, fit="separate")
    assert np.all(np.abs(ratio - 1) < 0.06)


def test_learning_curves_fall_and_larger_models_are_more_sample_efficient():
    tokens = np.geomspace(1e9, 1e12, 20)
    small, large = kaplan.loss_at_tokens(1e7, tokens), kaplan.loss_at_tokens(1e9, tokens)
    assert np.all(np.diff(small) < 0) and np.all(large < small)
    assert np.all(small > kaplan.converged_loss(1e7))  # never below the converged loss


@given(log_n=st.floats(4, 11), log_e=st.floats(7, 13), fixed=st.booleans())
def test_loss_at_tokens_inverts_run_to_loss(log_n, log_e, fixed):
    batch = K.train_batch_tokens if fixed else None
    n, e = 10.0**log_n, 10.0**log_e
    loss_value = kaplan.loss_at_tokens(n, e, batch_tokens=batch)
    assert kaplan.run_to_loss(n, loss_value, batch_tokens=batch).n_tokens == pytest.approx(e, rel=1e-6)


def test_run_to_loss_at_the_critical_batch_takes_twice_the_minimum():
    run = kaplan.run_to_loss(1e8, 3.5)
    assert run.steps == pytest.approx(2 * run.min_steps) and run.n_tokens == pytest.approx(2 * run.min_tokens)
    assert run.min_tokens == pytest.approx(run.critical_batch * run.min_steps)  # Eq. 5.2
    unreachable = kaplan.run_to_loss(1e8, 2.0)  # below the model's converged loss
    assert unreachable.n_tokens == np.inf
    # Eq. 5.1 holds at any batch
    fixed = kaplan.run_to_loss(1e8, 3.5, batch_tokens=2**19)
    assert (fixed.steps / fixed.min_steps - 1) * (fixed.n_tokens / fixed.min_tokens - 1) == pytest.approx(1.0)


def test_compute_efficient_exponents_and_budget():
    one, ten = kaplan.compute_efficient(1e21), kaplan.compute_efficient(1e22)
    assert ten.n_params / one.n_params == pytest.approx(10**0.73)
    assert ten.n_tokens / one.n_tokens == pytest.approx(10**0.27)
    assert ten.batch_tokens / one.batch_tokens == pytest.approx(10**0.24)
    assert ten.steps / one.steps == pytest.approx(10**0.03)
    assert compute.training_flops(one.n_params, one.n_tokens) == pytest.approx(1e21)
    assert one.min_flops == 5e20 and one.steps == pytest.approx(2 * one.min_steps)
    assert one.loss == pytest.approx(kaplan.loss_c(5e20))
    n, d = one
    assert (n, d) == (one.n_params, one.n_tokens)


def test_the_popular_5x_claim_is_not_what_either_law_says():
    # "10x compute -> 5.5x model on 5.5x data" multiplies compute by about 30
    assert 5.5 * 5.5 == pytest.approx(30, rel=0.01)
    model, data = kaplan.growth_for_compute(10, K.p_N)
    assert model == pytest.approx(5.37, abs=0.01) and data == pytest.approx(1.86, abs=0.01)
    assert model * data == pytest.approx(10)
    assert kaplan.growth_for_compute(10, 0.5) == pytest.approx((10**0.5, 10**0.5))


@pytest.mark.parametrize("call, argument", [
    (lambda: kaplan.loss_n(0), "n_params"),
    (lambda: kaplan.loss_d(-5), "n_tokens"),
    (lambda: kaplan.loss_c(0), "min_flops"),
    (lambda: kaplan.loss_nd(1e9, np.nan), "n_tokens"),
    (lambda: kaplan.loss_nd(1e9, 1e9, fit="table7"), "fit"),
    (lambda: kaplan.overfitting_penalty(0, 1e9), "n_params"),
    (lambda: kaplan.tokens_to_avoid_overfitting(np.inf), "n_params"),
    (lambda: kaplan.tokens_to_avoid_overfitting(1e9, penalty=-0.1), "penalty"),
    (lambda: kaplan.loss_ns(1e9, 0), "steps"),
    (lambda: kaplan.loss_ns(1e9, 1e4, fit=None), "fit"),
    (lambda: kaplan.converged_loss(-1), "n_params"),
    (lambda: kaplan.critical_batch(-1), "loss_value"),
    (lambda: kaplan.run_to_loss(1e9, 0), "target_loss"),
    (lambda: kaplan.run_to_loss(1e9, 3.0, batch_tokens=0), "batch_tokens"),
    (lambda: kaplan.loss_at_tokens(1e9, [1e9, -1]), "n_tokens"),
    (lambda: kaplan.loss_at_tokens(1e9, 1e9, batch_tokens="big"), "batch_tokens"),
    (lambda: kaplan.compute_efficient([1e20, -1]), "flops"),
    (lambda: kaplan.efficient_vs_converged(0), "converged_within"),
    (lambda: kaplan.excess_compute(0), "model_ratio"),
    (lambda: kaplan.excess_steps(np.nan), "model_ratio"),
    (lambda: kaplan.frontier_contradiction(alpha_D=-1), "alpha_D"),
    (lambda: kaplan.frontier_contradiction(alpha_D=0.5), "alpha_D"),
    (lambda: kaplan.frontier_contradiction(data_law="table 6"), "data_law"),
    (lambda: kaplan.params_from_shape(0, 512), "n_layers"),
    (lambda: kaplan.growth_for_compute(10, 1.5), "a"),
    (lambda: kaplan.growth_for_compute(-10, 0.5), "multiplier"),
])
def test_bad_input_names_the_argument(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()
