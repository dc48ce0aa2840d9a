"""Non-embedding against total parameter counts (Pearce & Song 2024)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scaling_lib import chinchilla, parameter_counts as pc

HOFFMANN = chinchilla.HOFFMANN_2022
REFIT = chinchilla.BESIROGLU_2024


def test_shape_rule_is_pearce_and_songs():
    # Pearce & Song 2024: N_T = N_ne + 47491 N_ne^(1/3) for Chinchilla's models (32k vocabulary,
    # d / L = 39.2); their gamma = vocab * (aspect / 12)^(1/3) gives 47,481 with these inputs
    shape = pc.PEARCE_SONG_2024
    assert (shape.vocab, shape.aspect) == (32_000, 39.2)
    assert shape.gamma == pytest.approx(47_491, rel=1e-3)
    assert pc.KAPLAN_SIZE_RANGE == (768.0, 1.5e9)  # Kaplan et al. 2020: 768 to 1.5e9 non-embedding


@given(n=st.floats(1.0, 1e13))
def test_counts_round_trip(n):
    assert pc.non_embedding_params(pc.total_params(n)) == pytest.approx(n, rel=1e-7)
    assert 0 < pc.embedding_share(n) < 1


def test_width_and_embedding_share():
    d = pc.width(12 * 4096**3 / 39.2)
    assert d == pytest.approx(4096)
    assert pc.total_params(1e9) == pytest.approx(1e9 + 32_000 * pc.width(1e9))
    shares = pc.embedding_share(np.array([1e3, 1e6, 1e9, 1e12]))
    assert np.all(np.diff(shares) < 0)


@pytest.mark.parametrize("law", [HOFFMANN, REFIT], ids=["hoffmann", "refit"])
def test_non_embedding_optimum_is_the_brute_force_minimum(law):
    for budget in (1e14, 1e18, 1e21):
        n = np.geomspace(10.0, 1e12, 400_001)
        losses = chinchilla.loss(pc.total_params(n), budget / (6 * n), law)
        assert pc.optimal_non_embedding(budget, law) == pytest.approx(n[np.argmin(losses)], rel=1e-3)


@pytest.mark.parametrize("law", [HOFFMANN, REFIT], ids=["hoffmann", "refit"])
def test_local_exponent_matches_the_frontier_and_its_limits(law):
    n = np.geomspace(1e3, 1e12, 30)
    step = 1e-5
    c_lo = pc.non_embedding_budget(n * (1 - step), law)
    c_hi = pc.non_embedding_budget(n * (1 + step), law)
    numeric = (np.log1p(step) - np.log1p(-step)) / np.log(c_hi / c_lo)
    assert pc.local_exponent(n, law) == pytest.approx(numeric, rel=1e-6)
    # Pearce & Song: beta / (alpha/3 + beta) for tiny models, beta / (alpha + beta) for huge ones
    assert pc.local_exponent(1e-6, law) == pytest.approx(law.beta / (law.alpha / 3 + law.beta), rel=1e-3)
    assert pc.local_exponent(1e24, law) == pytest.approx(law.beta / (law.alpha + law.beta), rel=1e-3)


@pytest.mark.parametrize("law", [HOFFMANN, REFIT], ids=["hoffmann", "refit"])
def test_counting_at_small_scale_pulls_the_exponent_towards_kaplans(law):
    small = pc.compare_counting(pc.KAPLAN_SIZE_RANGE, law)
    a_total = chinchilla.allocation_exponents(law)[0]
    assert small.a_total == pytest.approx(a_total, abs=1e-9)
    assert small.a_non_embedding > a_total + 0.2  # Kaplan et al. found 0.73, Chinchilla about 0.5
    large = pc.compare_counting((1e12, 1e14), law)
    assert large.a_non_embedding == pytest.approx(a_total, abs=0.01)


@pytest.mark.parametrize("call, argument", [
    (lambda: pc.total_params(0), "non_embedding_params"),
    (lambda: pc.total_params(1e6, shape=(32_000, 39.2)), "shape"),
    (lambda: pc.ModelShape(vocab=0, aspect=40), "vocab"),
    (lambda: pc.ModelShape(vocab=1000, aspect=-1), "aspect"),
    (lambda: pc.non_embedding_params(-5), "total"),
    (lambda: pc.optimal_non_embedding(1e60, HOFFMANN), "flops_non_embedding"),
    (lambda: pc.non_embedding_budget(1e6, "kaplan"), "law"),
    (lambda: pc.compare_counting((1e9, 1e6), HOFFMANN), "n_non_embedding_range"),
    (lambda: pc.compare_counting((1e6, 1e9), HOFFMANN, n_points=2), "n_points"),
])
def test_bad_input_names_the_argument(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()
