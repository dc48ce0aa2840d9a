"""Mixture-of-experts: Krajewski et al.'s granular law and active-versus-total parameter counts."""

import numpy as np
import pytest

from scaling_lib import moe


def test_published_constants():
    m, d = moe.KRAJEWSKI_2024_MOE, moe.KRAJEWSKI_2024_DENSE
    assert (m.a, m.alpha, m.b, m.beta, m.g, m.gamma, m.c) == (18.1, 0.115, 30.8, 0.147, 2.1, 0.58, 0.47)
    assert (d.a, d.alpha, d.b, d.beta, d.c) == (16.3, 0.126, 26.7, 0.127, 0.47)
    assert d.dense and not m.dense
    assert m.source.citation == "krajewski2024scaling"


def test_law_reproduces_the_papers_table2_losses():
    # Table 2's compute-optimal models, total parameters from Sec. 6.1's count N_act (8E + 4)/12.
    for n_active, tokens, g, flops, loss in moe.KRAJEWSKI_2024_TABLE2:
        n_total = moe.total_from_active(n_active)
        assert moe.granular_loss(n_total, tokens, g) == pytest.approx(loss, rel=0.015)
        # the table's FLOPs include routing: 6 N_act D is below them, but within 15 %
        assert 0.85 < moe.training_flops(n_active, tokens) / flops <= 1.0


def test_granularity_helps_with_diminishing_returns():
    g = 2.0 ** np.arange(7)  # doublings of granularity: each buys less than the one before
    loss = moe.granular_loss(1e10, 1e11, g)
    assert np.all(np.diff(loss) < 0)
    assert np.all(np.diff(np.diff(loss)) > 0)
    # a dense law ignores granularity
    assert moe.granular_loss(1e10, 1e11, 8, moe.KRAJEWSKI_2024_DENSE) == moe.granular_loss(1e10, 1e11, 1, moe.KRAJEWSKI_2024_DENSE)


def test_moe_beats_dense_at_equal_training_flops():
    # Krajewski et al. Sec. 6.3: with every hyperparameter compute-optimal, MoE is always more efficient.
    for flops in (1e19, 1e21, 1e23, 1e25):
        assert moe.compute_optimal(flops).loss < moe.compute_optimal(flops, moe.KRAJEWSKI_2024_DENSE).loss


def test_compute_optimal_is_a_minimum_and_spends_the_budget():
    best = moe.compute_optimal(1e21)
    assert 6 * best.n_active * best.n_tokens == pytest.approx(1e21)
    for factor in (0.7, 1.4):
        n = best.n_active * factor
        worse = moe.granular_loss(moe.total_from_active(n), 1e21 / (6 * n), best.granularity)
        assert worse > best.loss


def test_reading_a_model_both_ways():
    r = moe.read_model("DeepSeek-V3", 671e9, 37e9, 14.8e12)
    assert r.flops == pytest.approx(6 * 37e9 * 14.8e12)
    assert r.flops_if_dense / r.flops == pytest.approx(671 / 37)
    assert r.tokens_per_active == pytest.approx(14.8e12 / 37e9)
    with pytest.raises(ValueError, match="n_active"):
        moe.read_model("x", 1e9, 2e9, 1e10)
    with pytest.raises(ValueError, match="granularity"):
        moe.granular_loss(1e9, 1e10, 0.5)


def test_dense_compute_multiplier_grows_with_budget():
    # Krajewski et al.: "the efficiency gap between dense and MoE models widens as we scale up" (abstract).
    small, large = moe.dense_compute_multiplier(1e19), moe.dense_compute_multiplier(1e25)
    assert 1 < small < large
    target = moe.compute_optimal(1e21).loss
    assert moe.compute_optimal(1e21 * moe.dense_compute_multiplier(1e21), moe.KRAJEWSKI_2024_DENSE).loss == pytest.approx(target)


def test_sparsity():
    assert moe.sparsity(671e9, 37e9) == pytest.approx(1 - 37 / 671)
    assert moe.sparsity(1e9, 1e9) == 0.0
    # Krajewski et al.'s E = 64 shapes: 12 of every 8E + 4 parameters active
    assert moe.sparsity(moe.total_from_active(1e9), 1e9) == pytest.approx(1 - 12 / 516)
