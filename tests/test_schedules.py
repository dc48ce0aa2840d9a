"""scaling_lib.experiment.schedules: the schedules' shapes, the areas' mathematics, the law's fit on
curves it generated, branched cooldowns against whole runs, and the committed schedule table."""

import numpy as np
import pytest

from scaling_lib.experiment import language as lang_mod, schedule_runs as R, schedules as S, sweep, training

SMALL = dict(vocab_size=8, order=2, n_features=64)


# ---- schedules

def test_wsd_phases():
    eta = S.wsd_schedule(100, warmup_steps=10, cooldown_steps=20)
    assert eta.shape == (100,)
    np.testing.assert_allclose(eta[:10], np.arange(1, 11) / 10)
    assert np.all(eta[10:80] == 1.0)
    # linear cooldown: equal steps of 1 / (K + 1) from 1 towards 0, which it reaches one step past the end
    np.testing.assert_allclose(np.diff(eta[79:]), -1 / 21)
    assert eta[-1] == pytest.approx(1 / 21)


def test_sqrt_cooldown_stays_above_linear_early_and_ends_lower():
    lin = S.wsd_schedule(200, warmup_steps=0, cooldown_steps=100, shape="linear")
    sq = S.wsd_schedule(200, warmup_steps=0, cooldown_steps=100, shape="sqrt")
    u = (np.arange(100) + 1) / 101
    np.testing.assert_allclose(sq[100:], 1 - np.sqrt(u))
    assert np.all(sq[100:] <= lin[100:])  # sqrt(u) >= u on [0, 1]


def test_cosine_is_the_experiments_schedule():
    T = 321
    np.testing.assert_array_equal(S.cosine_schedule(T), training.lr_schedule(np.arange(T), T))
    assert S.cosine_warmup_steps(T) == round(0.05 * T)


@pytest.mark.parametrize("call, name", [
    (lambda: S.wsd_schedule(10, warmup_steps=6, cooldown_steps=5), r"warmup_steps \+ cooldown_steps"),
    (lambda: S.wsd_schedule(0, warmup_steps=0, cooldown_steps=0), "total_steps"),
    (lambda: S.wsd_schedule(10, warmup_steps=1, cooldown_steps=1, shape="cubic"), "shape"),
    (lambda: S.annealing_areas([1.0, -0.5]), "multipliers"),
    (lambda: S.annealing_areas([1.0, 0.5], decay=1.0), "decay"),
    (lambda: S.fit_tissue_law([]), "curves"),
    (lambda: S.TissueLaw(L0=1, A=1, alpha=-0.5, C=0), "alpha"),
])
def test_bad_arguments_are_named(call, name):
    with pytest.raises((ValueError, TypeError), match=name):
        call()


# ---- areas

def test_areas_of_a_constant_schedule():
    s1, s2 = S.annealing_areas(np.ones(500), decay=0.999)
    np.testing.assert_array_equal(s1, np.arange(1, 501))
    assert np.all(s2 == 0)


def test_without_momentum_s2_is_the_total_drop():
    eta = S.wsd_schedule(300, warmup_steps=0, cooldown_steps=120, shape="sqrt")
    s1, s2 = S.annealing_areas(eta, decay=0.0)
    # m_i = eta_(i-1) - eta_i, so sum_i m_i telescopes to eta_1 - eta_s
    np.testing.assert_allclose(s2, eta[0] - eta, atol=1e-12)


@pytest.mark.parametrize("decay", [0.5, 0.9, 0.999])
def test_s2_closed_form(decay):
    rng = np.random.default_rng(0)
    eta = np.sort(rng.uniform(0, 1, 400))[::-1]
    _, s2 = S.annealing_areas(eta, decay=decay)
    drop = np.r_[0.0, eta[:-1] - eta[1:]]
    t = np.arange(1, eta.size + 1)
    # S2(t) = sum_(i <= t) drop_i (1 - decay^(t - i + 1)) / (1 - decay)
    expected = [np.sum(drop[:k] * (1 - decay ** (k - np.arange(1, k + 1) + 1)) / (1 - decay)) for k in t]
    np.testing.assert_allclose(s2, expected, rtol=1e-9, atol=1e-12)


def test_warmup_increases_are_left_out():
    eta = S.wsd_schedule(100, warmup_steps=20, cooldown_steps=0)
    _, s2 = S.annealing_areas(eta, decay=0.9, warmup_steps=20)
    assert np.all(s2 == 0)
    _, counted = S.annealing_areas(eta, decay=0.9)
    assert np.all(counted[1:20] < 0)  # counted, the warm-up's increases would be "negative annealing"


def test_cosine_and_full_linear_decay_share_their_area_limits():
    # both fall from 1 to 0 over the whole run: S1 -> T / 2, and without momentum S2 -> 1
    T = 20_000
    cos = S.cosine_schedule(T, warmup_fraction=0.0)
    lin = S.wsd_schedule(T, warmup_steps=0, cooldown_steps=T)
    for eta in (cos, lin):
        s1, s2 = S.annealing_areas(eta, decay=0.0)
        assert s1[-1] / T == pytest.approx(0.5, abs=1e-3)
        assert s2[-1] == pytest.approx(1.0, abs=1e-3)
    # a WSD run without cooldown is the constant schedule: no annealing area at all
    _, s2 = S.annealing_areas(S.wsd_schedule(T, warmup_steps=0, cooldown_steps=0))
    assert np.all(s2 == 0)


# ---- the law and its fit

def _simulated(law, totals=(600, 1200, 2400), warmup=12, noise=0.0, seed=0):
    rng = np.random.default_rng(seed)
    curves = []
    for T in totals:
        eta = S.wsd_schedule(T, warmup_steps=warmup, cooldown_steps=T // 5)
        steps = np.unique(np.r_[np.geomspace(4 * warmup, T, 12).round(), T - T // 5 + np.arange(1, T // 5 + 1, T // 30)])
        loss = law.predict(eta, steps, warmup_steps=warmup) + noise * rng.standard_normal(steps.size)
        curves.append((eta, steps, loss, warmup))
    return curves


def test_fit_recovers_the_constants_of_simulated_curves():
    truth = S.TissueLaw(L0=1.6, A=3.0, alpha=0.6, C=4e-4, decay=0.99)
    fit = S.fit_tissue_law(_simulated(truth), decays=(0.9, 0.99, 0.999))
    assert fit.law.decay == 0.99
    for name in ("L0", "A", "alpha", "C"):
        assert getattr(fit.law, name) == pytest.approx(getattr(truth, name), rel=1e-4), name
    assert fit.rmse < 1e-8


def test_fit_with_noise_predicts_an_unseen_schedule():
    truth = S.TissueLaw(L0=1.6, A=3.0, alpha=0.6, C=4e-4, decay=0.99)
    fit = S.fit_tissue_law(_simulated(truth, noise=2e-3, seed=1), decays=(0.99,))
    T = 1800
    cos = S.cosine_schedule(T)
    steps = np.arange(100, T + 1, 100)
    W = S.cosine_warmup_steps(T)
    err = fit.law.predict(cos, steps, warmup_steps=W) - truth.predict(cos, steps, warmup_steps=W)
    assert np.max(np.abs(err)) < 0.01
    assert fit.rmse == pytest.approx(2e-3, rel=0.35)


def test_law_along_known_areas():
    law = S.TissueLaw(L0=1.5, A=2.0, alpha=0.5, C=0.1, decay=0.0)
    T = 1000
    # constant: S1 = T, S2 = 0
    assert float(law.predict(np.ones(T), [T])[0]) == pytest.approx(1.5 + 2.0 * T ** -0.5, rel=1e-12)
    # without momentum S2 is the total drop 1 - eta_T; S1 the sum of the multipliers
    eta = S.wsd_schedule(T, warmup_steps=0, cooldown_steps=200)
    expected = 1.5 + 2.0 * eta.sum() ** -0.5 - 0.1 * (1 - eta[-1])
    assert float(law.predict(eta, [T])[0]) == pytest.approx(expected, rel=1e-12)


# ---- branched cooldowns

@pytest.fixture(scope="module")
def small():
    return lang_mod.build_language(3, **SMALL)


def test_default_schedule_is_unchanged(small):
    D = 6000
    steps = -(-D // 64)
    plain = training.train(small, 4, D, batch_size=64, eval_fractions=(0.5, 1.0))
    explicit = training.train(small, 4, D, batch_size=64, eval_fractions=(0.5, 1.0), schedule=S.cosine_schedule(steps))
    np.testing.assert_array_equal(plain.curve_loss, explicit.curve_loss)


def test_a_cooldown_branched_from_a_long_run_is_the_whole_run(small):
    B, D, long_D = 64, 9000, 20000
    steps, long_steps = -(-D // B), -(-long_D // B)
    K, W = 30, 5
    wsd = S.wsd_schedule(steps, warmup_steps=W, cooldown_steps=K)
    whole = training.train(small, 4, D, batch_size=B, schedule=wsd, eval_fractions=(1.0,), sample_block=256)
    long = training.train(small, 4, long_D, batch_size=B, eval_fractions=(1.0,), sample_block=256,
                       schedule=S.wsd_schedule(long_steps, warmup_steps=W, cooldown_steps=0),
                       checkpoints=(steps - K,))
    branch = training.train(small, 4, D, batch_size=B, schedule=wsd, eval_fractions=(1.0,), sample_block=256,
                         resume=long.checkpoints[0])
    assert branch.final_loss == whole.final_loss
    assert long.checkpoints[0].step == steps - K


def test_resume_checks_its_snapshot(small):
    long = training.train(small, 4, 2000, batch_size=64, eval_fractions=(1.0,), checkpoints=(10,))
    with pytest.raises(ValueError, match="resume"):
        training.train(small, 5, 2000, batch_size=64, resume=long.checkpoints[0])
    with pytest.raises(ValueError, match="schedule"):
        training.train(small, 4, 2000, batch_size=64, schedule=np.ones(3))


def test_plan_matches_the_sweep():
    for width in R.SCHEDULE_WIDTHS:
        plan = R.cooldown_plan(width)
        for budget, tokens in zip(plan["budgets"], plan["tokens"]):
            i = sweep.budget_index(budget)
            assert width in sweep.WIDTHS[i:i + sweep.WIDTHS_PER_BUDGET]
            assert tokens == training.tokens_for_budget(budget, width)
        assert plan["long_tokens"] == max(plan["tokens"])
        for steps, start in zip(plan["steps"], plan["branch_steps"]):
            assert steps - start == max(1, round(R.COOLDOWN_FRACTION * steps))


# ---- the committed table

@pytest.fixture(scope="module")
def runs():
    return R.load_schedules(0)


def test_table_ends_every_cooldown_at_the_sweeps_tokens(runs):
    final = (runs["schedule"] != "constant") & (runs["n_tokens"] == runs["run_tokens"])
    for w, b, d in zip(runs["width"][final], runs["budget_flops"][final], runs["run_tokens"][final]):
        assert d == training.tokens_for_budget(b, int(w))
    for w in np.unique(runs["width"]):
        for shape in ("wsd_linear", "wsd_sqrt"):
            assert ((runs["width"] == w) & final & (runs["schedule"] == shape)).sum() == len(R.cooldown_plan(int(w))["budgets"])


def test_cooldowns_lower_the_loss_of_the_constant_run(runs):
    # at each cooldown's end the loss is below the constant run's at its branch point
    for w in np.unique(runs["width"]):
        const = (runs["width"] == w) & (runs["schedule"] == "constant")
        for b in np.unique(runs["budget_flops"][(runs["width"] == w) & (runs["schedule"] == "wsd_linear")]):
            sel = (runs["width"] == w) & (runs["schedule"] == "wsd_linear") & (runs["budget_flops"] == b)
            start = int(runs["run_tokens"][sel][0] // 512 + (runs["run_tokens"][sel][0] % 512 > 0)) - int(runs["cooldown_steps"][sel][0])
            before = runs["loss"][const & (runs["step"] == start)]
            assert before.size == 1
            assert runs["loss"][sel][-1] < before[0]
