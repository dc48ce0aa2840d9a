"""scaling_lib.experiment: the language's exact facts, the model's gradients, the sweep's machinery,
and the committed tables: what the sweep writes, and the targets the chapter claims for them."""

import math

import numpy as np
import pytest
from scipy import stats

from scaling_lib import data
from scaling_lib.experiment import analysis, language as lang_mod, markov, model, sweep, training

SMALL = dict(vocab_size=8, order=2, n_features=64)  # 64 contexts: exact facts in milliseconds


@pytest.fixture(scope="module")
def small():
    return lang_mod.build_language(3, **SMALL)


# ---- the language ---------------------------------------------------------------------------------

def test_stationary_distribution_is_stationary(small):
    pi, P = small.stationary, small.conditional
    V, k = small.vocab_size, small.order
    # the next context is (x_2 .. x_k, y): summing the joint pi(c) P(y | c) over x_1 must give pi back
    following = (pi[:, None] * P).reshape(V, V ** k).sum(0)
    assert np.abs(following - pi).sum() < 1e-12 and small.stationary_residual < 1e-12
    assert pi.sum() == pytest.approx(1.0, abs=1e-14) and np.all(pi > 0)


def test_entropies_are_exact_and_decrease(small):
    pi, P = small.stationary, small.conditional
    rate = -(pi * (P * np.log(P)).sum(1)).sum()
    H = small.conditional_entropies
    assert small.entropy_rate == pytest.approx(rate, rel=1e-12) and H[-1] == small.entropy_rate
    # conditioning never raises entropy; the unigram entropy is at most ln V
    assert np.all(np.diff(H) < 0) and H[0] <= np.log(small.vocab_size)
    unigram = pi.reshape(small.vocab_size, -1).sum(1)  # the oldest token's marginal
    assert H[0] == pytest.approx(-(unigram * np.log(unigram)).sum(), rel=1e-12)


def test_cross_entropy_is_at_least_the_entropy_rate(small):
    assert small.cross_entropy(np.log(small.conditional)) == pytest.approx(small.entropy_rate, rel=1e-12)
    uniform = np.full(small.conditional.shape, -np.log(small.vocab_size))
    assert small.cross_entropy(uniform) == pytest.approx(np.log(small.vocab_size))
    rng = np.random.default_rng(0)
    other = np.log(rng.dirichlet(np.ones(small.vocab_size), small.n_contexts))
    assert small.cross_entropy(other) > small.entropy_rate  # Gibbs' inequality


def test_sampler_draws_the_stationary_joint(small):
    contexts, nxt = small.sample(400_000, 5)
    joint = (small.stationary[:, None] * small.conditional).ravel()
    counts = np.bincount(contexts * small.vocab_size + nxt, minlength=joint.size)
    chi2 = stats.chisquare(counts, joint * counts.sum())
    assert chi2.pvalue > 1e-3
    tokens = small.context_tokens(contexts[:5])
    assert tokens.shape == (5, small.order)
    assert np.array_equal(tokens @ small.vocab_size ** np.arange(small.order - 1, -1, -1), contexts[:5])


def test_alias_tables_reproduce_each_row():
    rng = np.random.default_rng(1)
    probs = rng.dirichlet(np.full(7, 0.3), size=50)
    threshold, alias = markov.alias_tables(probs)
    # the probability of outcome j: kept from column j, plus aliased from every column pointing at it
    K = probs.shape[1]
    rebuilt = threshold / K
    for r in range(probs.shape[0]):
        np.add.at(rebuilt[r], alias[r], (1 - threshold[r]) / K)
    assert np.allclose(rebuilt, probs, atol=1e-12)


def test_teacher_split_by_oldest_token_and_parallel_build_agree():
    whole = lang_mod.teacher_logits(2, **SMALL)
    part = lang_mod.teacher_logits(2, [3, 5], **SMALL)
    inner = SMALL["vocab_size"] ** (SMALL["order"] - 1)
    assert np.array_equal(part, np.concatenate([whole[3 * inner:4 * inner], whole[5 * inner:6 * inner]]))
    one = lang_mod.build_language(2, **SMALL)
    two = lang_mod.build_language(2, workers=2, **SMALL)
    assert np.array_equal(one.conditional, two.conditional)


def test_each_seed_is_a_different_language():
    a, b = lang_mod.build_language(0, **SMALL), lang_mod.build_language(1, **SMALL)
    assert not np.allclose(a.conditional, b.conditional)


# ---- the model --------------------------------------------------------------------------------------

@pytest.mark.parametrize("scale", [0.5, 25.0], ids=["small logits", "logits shifted by their maximum"])
def test_gradient_matches_finite_differences(scale):
    rng = np.random.default_rng(0)
    net = model.TanhMLP(6, vocab_size=8, context_length=2, dtype=np.float64, batch_size=32)
    net.params[:] = rng.standard_normal(net.params.size) * 0.5  # W2 non-zero, so every part matters
    net.W2[...] *= scale  # large enough, logits are shifted by their row maximum before exp
    assert (np.abs(net.W2).sum(0).max() + np.abs(net.b2).max() >= 60) == (scale > 1)
    tokens, targets = rng.integers(0, 8, (32, 2)), rng.integers(0, 8, 32)
    net.loss_and_grad(tokens, targets)
    grad = net.grads.copy()
    numeric = np.empty_like(grad)
    for i in range(net.params.size):
        keep = net.params[i]
        net.params[i] = keep + 1e-6
        up = net.loss_and_grad(tokens, targets)
        net.params[i] = keep - 1e-6
        down = net.loss_and_grad(tokens, targets)
        net.params[i] = keep
        numeric[i] = (up - down) / 2e-6
    relative = np.linalg.norm(grad - numeric) / np.linalg.norm(numeric)
    assert relative <= 1e-4
    assert np.allclose(grad, numeric, rtol=1e-4, atol=1e-8)
    # and the loss itself is the cross-entropy of the softmax, computed the plain way
    h = np.tanh(net.W1[tokens + net._offsets].sum(1) + net.b1)
    logits = h @ net.W2 + net.b2
    log_q = logits - logits.max(1, keepdims=True)
    log_q -= np.log(np.exp(log_q).sum(1, keepdims=True))
    assert net.loss_and_grad(tokens, targets) == pytest.approx(-log_q[np.arange(32), targets].mean(), rel=1e-12)


@pytest.mark.parametrize("width", [1, 16, 181])
def test_parameter_counts(width):
    non_embedding, total = model.parameter_counts(width)
    assert (non_embedding, total) == (65 * width + 64, 257 * width + 64)
    net = model.TanhMLP(width, batch_size=4)
    assert net.params.size == total and total - net.W1.size == non_embedding
    assert model.matmul_flops_per_token(width) == 400 * width


def test_learning_rate_schedule():
    steps = 200
    m = np.asarray(training.lr_schedule(np.arange(steps + 1), steps))
    warm = round(training.WARMUP_FRACTION * steps)
    assert m[warm - 1] == 1.0 and np.all(np.diff(m[:warm]) > 0)
    assert np.all(np.diff(m[warm - 1:]) < 0) and m[-1] == pytest.approx(0.0, abs=1e-15)
    assert np.all((m > 0)[:-1])  # every update moves the weights


def test_exact_loss_two_ways_and_the_heldout_estimate(small):
    run = training.train(small, 12, 20_000, seed=1, eval_fractions=(1.0,))
    assert small.entropy_rate < run.final_loss < small.conditional_entropies[0]
    net = model.TanhMLP(12, vocab_size=8, context_length=2, seed=1, language_seed=small.seed)
    tokens = small.context_tokens(np.arange(small.n_contexts))
    exact, _ = net.population_loss(small)
    assert exact == pytest.approx(small.cross_entropy(net.log_probs(tokens)), rel=1e-6)
    held = model.heldout_sample(small, 200_000)
    exact, estimate = net.population_loss(small, held)
    assert held.counts.sum() == held.n_tokens and abs(estimate - exact) < 5 * 1.5 / np.sqrt(held.n_tokens)


def test_training_is_deterministic_and_seeded(small):
    a = training.train(small, 10, 10_000, seed=0)
    b = training.train(small, 10, 10_000, seed=0)
    c = training.train(small, 10, 10_000, seed=1)
    assert np.array_equal(a.curve_loss, b.curve_loss) and a.final_loss != c.final_loss
    assert a.curve_tokens[-1] == a.n_tokens == 10_000 and a.flops == 6 * a.n_params_nonembedding * 10_000
    assert a.curve_loss[-1] < a.curve_loss[0]


# ---- the sweep ---------------------------------------------------------------------------------------

def test_the_grid_meets_the_scale_targets():
    specs = sweep.sweep_specs(0)
    grid = [s for s in specs if s.seed == 0]
    budgets = sorted({s.budget for s in grid})
    assert len(budgets) >= 5 and budgets[-1] / budgets[0] >= 100
    for b in budgets:
        assert sum(s.budget == b for s in grid) >= 9
    sizes = [s.n_params for s in grid]
    assert max(sizes) / min(sizes) >= 100
    assert len(specs) == len(grid) + len(sweep.REPLICA_POSITIONS) * len(sweep.REPLICA_SEEDS)
    for s in specs:
        assert abs(6 * s.n_params * s.n_tokens / s.budget - 1) < 1e-3


def _tiny_specs():
    return [sweep.RunSpec(0, 3e7, h, 0, "order_2") for h in (8, 16, 23)]


def test_run_sweep_resumes_and_does_not_depend_on_workers(tmp_path):
    language = lang_mod.build_language(0, **sweep.VARIANTS["order_2"])
    seen = []
    one = sweep.run_sweep(language, _tiny_specs(), resume_dir=tmp_path / "a", workers=1, progress=seen.append)
    two = sweep.run_sweep(language, _tiny_specs(), resume_dir=tmp_path / "b", workers=2)
    again = sweep.run_sweep(language, _tiny_specs(), resume_dir=tmp_path / "a", workers=1, progress=seen.append)
    assert len(seen) == 3  # the second call on folder a trained nothing
    for x, y, z in zip(one, two, again):
        assert x["curve_loss"] == y["curve_loss"] == z["curve_loss"]
    written = sweep.write_tables(one, [language.facts()], tmp_path)
    first = [p.read_bytes() for p in written]
    sweep.write_tables(list(reversed(two)), [language.facts()], tmp_path)
    assert [p.read_bytes() for p in written] == first  # same runs, same bytes, whatever the order
    variants = (tmp_path / "experiment_variants.csv").read_text().splitlines()
    assert len(variants) == 4 and variants[1].startswith("order_2,0.3,0.6,2,")


@pytest.mark.parametrize("call, argument", [
    (lambda: sweep.sweep_specs(-1), "language_seed"),
    (lambda: sweep.variant_specs("order_5"), "variant"),
    (lambda: sweep.language_settings("zipf"), "variant"),
    (lambda: sweep.run_sweep("language", _tiny_specs(), resume_dir="x"), "language"),
    (lambda: sweep.write_tables([], [], "/no/such/folder"), "data_dir"),
    (lambda: lang_mod.build_language(0, vocab_size=1), "vocab_size"),
    (lambda: lang_mod.build_language(0, order=5), "order"),
    (lambda: lang_mod.build_language(0, workers=0, **SMALL), "workers"),
    (lambda: lang_mod.teacher_logits(0, [3, 1], **SMALL), "first_tokens"),
    (lambda: markov.stationary_distribution(np.ones((3, 2))), "conditional"),
    (lambda: markov.alias_tables([[0.5, 0.6]]), "probs"),
    (lambda: lang_mod.build_language(3, **SMALL).sample(0, 1), "n_tokens"),
    (lambda: lang_mod.build_language(3, **SMALL).sample(10, "seed"), "rng"),
    (lambda: lang_mod.build_language(3, **SMALL).cross_entropy(np.zeros((3, 3))), "log_probs"),
    (lambda: lang_mod.build_language(3, **SMALL).context_tokens([64]), "contexts"),
    (lambda: model.parameter_counts(0), "width"),
    (lambda: training.lr_schedule(5, 4), "step"),
    (lambda: training.lr_schedule(1, 4, warmup_fraction=1.0), "warmup_fraction"),
    (lambda: model.TanhMLP(4, dtype=np.int32), "dtype"),
    (lambda: model.TanhMLP(4, vocab_size=8, context_length=2).loss_and_grad([[0, 9]], [0]), "tokens"),
    (lambda: model.TanhMLP(4, vocab_size=8, context_length=2).loss_and_grad([[0, 1]], [0, 1]), "targets"),
    (lambda: training.train("language", 4, 100), "language"),
    (lambda: training.train(lang_mod.build_language(3, **SMALL), 4, 0), "n_tokens"),
    (lambda: training.train(lang_mod.build_language(3, **SMALL), 4, 100, betas=(0.9,)), "betas"),
    (lambda: training.train(lang_mod.build_language(3, **SMALL), 4, 100, eval_fractions=[1.5]), "eval_fractions"),
    (lambda: training.tokens_for_budget(-1, 4), "flops"),
    (lambda: analysis.fit_approaches("sweep"), "sweep"),
    (lambda: analysis.load_sweep(7), "language_seed"),
])
def test_bad_input_names_the_argument(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()


# ---- the committed tables -------------------------------------------------------------------------

def test_tables_hold_exactly_the_sweeps_runs():
    runs = data.load_table("experiment_runs")
    for seed in sweep.LANGUAGE_SEEDS:
        mine = runs.where("language_seed", str(seed))
        got = sorted(zip(mine["budget_flops"], mine["width"].astype(int), mine["seed"].astype(int)))
        want = sorted((s.budget, s.width, s.seed) for s in sweep.sweep_specs(seed))
        assert got == want
    H, N, D = runs["width"], runs["n_params"], runs["n_tokens"]
    assert np.array_equal(N, 65 * H + 64) and np.array_equal(runs["n_params_total"], 257 * H + 64)
    assert np.array_equal(D, np.round(runs["budget_flops"] / (6 * N)))
    assert np.array_equal(runs["flops"], 6 * N * D)
    assert np.array_equal(runs["lr_output"], training.OUTPUT_LR_SCALE / H)
    variants = data.load_table("experiment_variants")
    for name in sweep.VARIANTS:
        mine = variants.where("variant", name)
        assert sorted(zip(mine["budget_flops"], mine["width"].astype(int))) == \
            sorted((s.budget, s.width) for s in sweep.variant_specs(name))


def test_language_facts_are_exact():
    facts = data.load_json("experiment_language")
    for f in facts["languages"] + list(facts["variants"].values()):
        H = f["conditional_entropies_nats"]
        assert f["stationary_residual_l1"] < 1e-12 and np.all(np.diff(H) < 0)
        assert f["entropy_rate_nats"] == H[-1]


@pytest.mark.slow
def test_the_live_slice_lands_on_the_committed_valley_at_every_budget_it_offers():
    # the slice retrains five of each budget's runs with the sweep's own seeds, on the same data
    # stream (the language is the same bits on every machine). On the machine that wrote the tables
    # the match is exact; another BLAS kernel sums the float32 products in another order, and
    # training.REPRODUCTION_TOLERANCE is about ten times the largest such difference bench/portability.py
    # measured
    from scaling_lib import plotting
    from scaling_lib.widgets import experiment as plots

    live = plots.LiveSlice()
    committed = analysis.load_sweep(0).grid()
    for budget in plots.SLICE_BUDGETS:
        results = live.run(budget)
        assert len(results) == 5
        for r in results:
            row = (committed["budget_flops"] == budget) & (committed["width"] == r["spec"]["width"])
            assert r["loss"] == pytest.approx(committed["loss"][row][0], abs=training.REPRODUCTION_TOLERANCE)
        fig, text = plots.draw_slice(results)
        assert plotting.to_png(fig).startswith(b"\x89PNG") and "largest difference" in text


def test_the_live_slice_widget_builds_and_says_when_it_is_static(monkeypatch):
    from scaling_lib import widgets
    from scaling_lib.widgets import experiment as plots

    import ipywidgets

    monkeypatch.delenv(widgets.STATIC_BUILD_ENV, raising=False)
    assert isinstance(plots.LiveSlice().show(), ipywidgets.VBox)
    monkeypatch.setenv(widgets.STATIC_BUILD_ENV, "1")
    static = plots.LiveSlice().show()
    assert isinstance(static, plots.SliceNote)
    assert plots.RUN_LIVE_HREF in static._repr_html_()
    with pytest.raises(ValueError, match="budget"):
        sweep.slice_specs(2e9)


@pytest.fixture(scope="module", params=sweep.LANGUAGE_SEEDS, ids=lambda s: f"language {s}")
def measured(request):
    s = analysis.load_sweep(request.param)
    return s, analysis.fit_approaches(s, n_resamples=200)


def test_losses_are_exact_and_agree_with_a_heldout_sample(measured):
    s, _ = measured
    assert np.all(s.runs["loss"] > s.entropy_rate)
    assert np.abs(s.curves["heldout_loss"] - s.curves["loss"]).max() <= 0.005


def test_every_isoflop_minimum_is_interior(measured):
    s, fits = measured
    assert all(below >= 2 and above >= 2 for _, below, above in analysis.isoflop_minima(s))
    assert fits.approach2.interior.all()


def test_approach3_fits_well_and_finds_the_entropy(measured):
    s, fits = measured
    f = fits.approach3
    assert f.r2 >= 0.99 and f.rmse <= 0.01 and f.max_abs_residual <= 0.03
    assert abs(f.E / s.entropy_rate - 1) <= 0.03


def test_the_three_approaches_agree(measured):
    _, fits = measured
    assert fits.a_spread <= 0.05
    for k in (1, 2, 3):
        low, high = fits.a_interval(k)
        assert low <= fits.a[k] <= high


def test_runs_are_stable_and_seeds_agree(measured):
    s, _ = measured
    assert max(analysis.seed_spread(s).values()) <= 0.005
    assert np.mean(analysis.loss_rises(s) > 0.01) <= 0.10


def test_the_largest_budget_is_predicted_from_the_smaller_ones(measured):
    s, _ = measured
    e = analysis.extrapolation(s)
    assert abs(e.loss_error) <= 0.02


def test_the_languages_exp_is_exact_to_float64_rounding():
    # the softmax's own exp (the same bits on every CPU) against the platform's correctly rounded one
    x = np.concatenate([-np.geomspace(1e-12, 700, 2001), [0.0, -1e-300]])
    mine = lang_mod._exp(x)
    reference = np.array([math.exp(v) for v in x])
    assert np.all(np.abs(mine / reference - 1) < 4e-16)
    assert lang_mod._exp(np.array([-800.0]))[0] == 0.0


def test_the_teachers_sums_are_exact_integers_below_two_to_the_53():
    # no order of additions can change a sum of integers whose partial sums stay below 2**53
    for n_features in (1, 2, 3, 1000, 16_384, language_max := lang_mod.MAX_FEATURES):
        v = np.random.default_rng(n_features).standard_normal((min(n_features, 64), 4)).astype(np.float32)
        feature_bits, weight_bits, scale = lang_mod._fixed_point(n_features, v)
        assert n_features * 2.0 ** (feature_bits + weight_bits) <= 2.0 ** 53
        assert np.abs(v).max() <= scale and math.log2(scale).is_integer()
        assert feature_bits >= 16 or n_features == language_max  # features kept to 1.5e-5 or better
    s = dict(lang_mod.DEFAULTS, vocab_size=8, order=2, n_features=512)
    logits = lang_mod.teacher_logits(3, **s).astype(np.float64)
    u, v = lang_mod._teacher(3, lang_mod._settings(**s))
    feature_bits, weight_bits, scale = lang_mod._fixed_point(512, v)
    units = (logits - lang_mod._zipf_bias(8, s["zipf_exponent"])) / (scale * 2.0 ** -(feature_bits + weight_bits))
    assert np.array_equal(units, np.rint(units))
    # the same sums taken over the features in reverse order, one context at a time: the same bits
    t = np.tanh(u[0][:, None, :] + u[1][None, :, :]).reshape(64, -1)
    q = np.rint(t.astype(np.float64) * 2.0 ** feature_bits)
    w = np.rint(v.astype(np.float64) * (2.0 ** weight_bits / scale))
    backwards = np.array([[np.add.reduce(q[c, ::-1] * w[::-1, y]) for y in range(8)] for c in range(64)])
    assert np.array_equal(units, backwards)


def test_the_intervals_are_ordered_as_the_chapter_says(measured):
    # the chapter: the IsoFLOP valleys give the narrowest interval of a, the envelope the widest
    _, fits = measured
    width = {k: np.subtract(*fits.a_interval(k)[::-1]) for k in (1, 2, 3)}
    assert width[2] < width[3] < width[1]


def test_printed_trained_losses_cannot_change_within_the_tolerance():
    # the chapter prints the losses a reader trains to 3 decimals; another BLAS kernel moves them by
    # up to training.REPRODUCTION_TOLERANCE, which must not be able to change a printed digit
    lang = lang_mod.build_language(0)
    curve = training.train(lang, 64, 200_000, seed=0).curve_loss
    committed = analysis.load_sweep(0).grid()
    row = (committed["width"] == 64) & (committed["budget_flops"] == 1e10)
    tol = training.REPRODUCTION_TOLERANCE
    for loss in list(curve) + [committed["loss"][row][0]]:
        assert f"{loss - tol:.3f}" == f"{loss + tol:.3f}", loss


def test_approach_fits_report_each_exponent_inside_its_interval(measured):
    _, fits = measured
    text = fits.report()
    lines = [line.split() for line in text.splitlines() if line.strip().startswith("Approach ")]
    assert [line[1] for line in lines] == ["1", "2", "3"]
    for line in lines:  # "... a  low to high": the estimate lies inside its bootstrap interval
        a, low, high = float(line[-4]), float(line[-3]), float(line[-1])
        assert low <= a <= high
    assert "<table>" in fits._repr_html_()
