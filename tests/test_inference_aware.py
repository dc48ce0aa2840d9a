"""Training plus inference (Sardana et al. 2024) and the overhead of smaller models (de Vries 2023)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scaling_lib import chinchilla, inference_aware as ia

REFIT = chinchilla.BESIROGLU_2024
HOFFMANN = chinchilla.HOFFMANN_2022


def test_overhead_matches_de_vries():
    # de Vries 2023, with Hoffmann et al.'s Approach-3 exponents: half the compute-optimal size costs
    # about 20 % more compute, 30 % costs about 100 %, 25 % costs 188 %
    half, thirty, quarter = ia.compute_overhead([0.5, 0.3, 0.25], HOFFMANN)
    assert half == pytest.approx(0.20, abs=0.01)
    assert thirty == pytest.approx(1.0, abs=0.06)
    assert quarter == pytest.approx(1.88, abs=0.01)
    # "the critical model size is around 30 % of the Chinchilla optimal model" (100 % overhead)
    assert ia.size_fraction_for_overhead(1.0, HOFFMANN) == pytest.approx(0.30, abs=0.01)


@pytest.mark.parametrize("law", [HOFFMANN, REFIT], ids=["hoffmann", "refit"])
@pytest.mark.parametrize("budget", [1e19, 1e22, 1e25])
def test_overhead_closed_form_agrees_with_the_iso_loss_contour_at_every_budget(law, budget):
    best = chinchilla.compute_optimal(budget, law)
    k = np.array([0.3, 0.5, 0.8, 1.5, 3.0])
    d = chinchilla.iso_loss_tokens(k * best.n_params, best.loss, law)
    assert ia.compute_overhead(k, law) == pytest.approx(6 * k * best.n_params * d / budget - 1, rel=1e-8)


def test_overhead_shape():
    k = np.geomspace(0.2, 5, 200)
    overhead = ia.compute_overhead(k, REFIT)
    assert ia.compute_overhead(1.0, REFIT) == pytest.approx(0, abs=1e-12)
    assert np.all(overhead >= -1e-12)  # the compute-optimal model is the cheapest for its loss
    assert np.isinf(ia.compute_overhead(0.9 * ia.minimum_size_fraction(REFIT), REFIT))
    assert np.isfinite(ia.compute_overhead(1.1 * ia.minimum_size_fraction(REFIT), REFIT))
    assert ia.smallest_model(float(chinchilla.compute_optimal(1e22, REFIT).loss), REFIT) == pytest.approx(
        ia.minimum_size_fraction(REFIT) * chinchilla.compute_optimal(1e22, REFIT).n_params, rel=1e-9)


def test_zero_demand_recovers_the_compute_optimal_model():
    best = chinchilla.compute_optimal(1e22, REFIT)
    opt = ia.lifetime_optimum(float(best.loss), 0, REFIT)
    assert opt.n_params == pytest.approx(best.n_params, rel=1e-4)
    assert opt.total_flops == pytest.approx(1e22, rel=1e-8)
    assert opt.saving == pytest.approx(0, abs=1e-8)


@settings(max_examples=40, deadline=None)
@given(budget=st.floats(1e19, 1e26), t1=st.floats(0, 1e16), t2=st.floats(0, 1e16))
def test_more_inference_demand_never_makes_the_optimal_model_larger(budget, t1, t2):
    target = float(chinchilla.compute_optimal(budget, REFIT).loss)
    low, high = sorted((t1, t2))
    a, b = ia.lifetime_optimum(target, low, REFIT), ia.lifetime_optimum(target, high, REFIT)
    assert b.n_params <= a.n_params * (1 + 1e-6)
    assert b.n_tokens >= a.n_tokens * (1 - 1e-6)
    assert -1e-9 <= b.saving < 1


def test_optimum_is_a_minimum_and_reaches_the_target():
    target = float(chinchilla.compute_optimal(1e23, REFIT).loss)
    opt = ia.lifetime_optimum(target, 1e13, REFIT)
    assert chinchilla.loss(opt.n_params, opt.n_tokens, REFIT) == pytest.approx(target, rel=1e-10)
    nearby = ia.lifetime_flops(opt.n_params * np.array([0.97, 1.03]), target, 1e13, REFIT)
    assert np.all(nearby > opt.total_flops)
    assert opt.total_flops == pytest.approx(opt.training_flops + opt.inference_flops)
    assert np.isinf(ia.lifetime_flops(0.5 * ia.smallest_model(target, REFIT), target, 1e13, REFIT))


def test_overtraining_of_a_compute_optimal_model_is_nil():
    best = chinchilla.compute_optimal(1e23, REFIT)
    m = ia.overtraining(float(best.n_params), float(best.n_tokens), REFIT)
    assert m.size_fraction == pytest.approx(1, rel=1e-6) and m.overhead == pytest.approx(0, abs=1e-6)
    # an over-trained model: smaller than optimal for its loss, and its overhead is de Vries's
    small = ia.overtraining(8e9, 15e12, REFIT)
    assert small.size_fraction < 1
    assert small.overhead == pytest.approx(ia.compute_overhead(small.size_fraction, REFIT), rel=1e-6)


@pytest.mark.parametrize("n, d", [(8e9, 15e12), (7e9, 2e12), (70e9, 15e12)])
def test_implied_inference_tokens_make_the_model_lifetime_optimal(n, d):
    served = ia.implied_inference_tokens(n, d, REFIT)
    assert served > 0
    opt = ia.lifetime_optimum(float(chinchilla.loss(n, d, REFIT)), served, REFIT)
    assert opt.n_params == pytest.approx(n, rel=1e-4) and opt.n_tokens == pytest.approx(d, rel=1e-4)


def test_implied_inference_tokens_vanish_at_the_compute_optimum():
    best = chinchilla.compute_optimal(1e22, REFIT)
    assert ia.implied_inference_tokens(best.n_params, best.n_tokens, REFIT) == pytest.approx(0, abs=1e-3 * best.n_tokens)
    assert ia.implied_inference_tokens(2 * best.n_params, best.n_tokens / 2, REFIT) < 0


@pytest.mark.parametrize("call, argument", [
    (lambda: ia.lifetime_optimum(1.0, 1e9, REFIT), "target_loss"),
    (lambda: ia.lifetime_optimum(2.5, -1, REFIT), "inference_tokens"),
    (lambda: ia.lifetime_optimum(2.5, 1e9, "chinchilla"), "law"),
    (lambda: ia.lifetime_flops(-1, 2.5, 1e9, REFIT), "n_params"),
    (lambda: ia.compute_overhead(0, REFIT), "size_fraction"),
    (lambda: ia.size_fraction_for_overhead(-0.5, REFIT), "overhead"),
    (lambda: ia.smallest_model(float("nan"), REFIT), "target_loss"),
    (lambda: ia.overtraining(1e9, 0, REFIT), "n_tokens"),
    (lambda: ia.implied_inference_tokens(1e9, [1e12, -1], REFIT), "n_tokens"),
])
def test_bad_input_names_the_argument(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()
