"""scaling_lib.emergence: the metric model's identities and limits, and the published table of reported
emergent abilities (the quanta model is tests/test_quanta.py)."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scaling_lib import data, power_laws
from scaling_lib import emergence as em

probabilities = st.floats(0.001, 1.0)
lengths = st.integers(1, 50)
LAW = em.TaskLaw()
SCALES = np.geomspace(1e6, 1e14, 80)


# ---- the metric model ---------------------------------------------------------------------------

@given(p=probabilities, k=lengths)
def test_metric_identities(p, k):
    # Schaeffer et al. 2023, Sec. 2: exact match over a k-token answer is p**k; the token edit
    # distance is k (1 - p); the answer's log-likelihood is k ln p
    assert em.exact_match(p, k) == pytest.approx(p**k)
    assert em.token_accuracy(p, k) == pytest.approx(p)
    assert em.token_edit_distance(p, k) == pytest.approx(k * (1 - p))
    assert em.answer_log_likelihood(p, k) == pytest.approx(k * math.log(p))
    # the log of exact match is the log-likelihood: exact match on a log axis is smooth
    assert math.log(em.exact_match(p, k)) == pytest.approx(em.answer_log_likelihood(p, k))


@given(p=probabilities, k=lengths, m=st.integers(2, 10))
def test_multiple_choice_lies_between_chance_and_one(p, k, m):
    value = em.multiple_choice(p, k, m)
    assert 1 / m - 1e-12 <= value <= 1.0 + 1e-12
    assert value >= em.exact_match(p, k) - 1e-12  # guessing only adds


def test_metric_limits():
    assert em.exact_match(1.0, 30) == 1.0 and em.exact_match(0.0, 3) == 0.0
    assert em.token_edit_distance(1.0, 7) == 0.0 and em.token_edit_distance(0.0, 7) == 7.0
    assert em.answer_log_likelihood(1.0, 5) == 0.0
    assert em.multiple_choice(0.0, 3, 4) == 0.25 and em.multiple_choice(1.0, 3, 4) == 1.0
    # with no floor every metric reaches its perfect value far out, and starts at its worst
    big, small = 1e30, 1e-6
    assert em.metric("exact match", big, answer_tokens=20) == pytest.approx(1.0)
    assert em.metric("exact match", small, answer_tokens=1) == pytest.approx(0.0, abs=1e-12)
    assert em.metric("multiple choice", small, answer_tokens=2, n_choices=5) == pytest.approx(0.2)
    # a floor E caps exact match at exp(-k E)
    floored = em.TaskLaw(E=0.02)
    assert em.metric("exact match", big, answer_tokens=10, law=floored) == pytest.approx(math.exp(-0.2))


def test_every_metric_improves_with_scale():
    scales = np.geomspace(1e7, 1e13, 60)
    for name in em.METRICS:
        values = em.metric(name, scales, answer_tokens=8)
        steps = np.diff(values)
        if name in em.LOWER_IS_BETTER:
            assert np.all(steps < 0), name
        else:
            assert np.all(steps > 0), name


def test_token_probability_is_exp_of_minus_the_loss():
    law = em.TaskLaw(scale_c=1e9, alpha=0.5, E=0.1)
    assert law.loss(1e9) == pytest.approx(1.1)
    assert law.loss(1e11) == pytest.approx(0.1 + 0.1)
    assert law.token_probability(1e9) == pytest.approx(math.exp(-1.1))


def test_the_law_on_compute_agrees_at_the_matching_budget():
    # a model of N parameters trained on 20 N tokens costs C = 6 N (20 N) FLOPs
    on_c = LAW.on_compute(20.0)
    n = np.geomspace(1e7, 1e12, 11)
    assert on_c.unit == "FLOPs"
    assert np.allclose(on_c.loss(6 * n * 20 * n), LAW.loss(n))


def test_longer_answers_emerge_later():
    # exact match's midpoint moves up in scale with the answer length; partial credit does not move
    mids = [em.rise_midpoint(SCALES, em.metric("exact match", SCALES, answer_tokens=k)) for k in (1, 5, 20)]
    assert mids[0] < mids[1] < mids[2]
    partial = [em.rise_midpoint(SCALES, em.metric("token accuracy", SCALES, answer_tokens=k)) for k in (1, 20)]
    assert partial[0] == pytest.approx(partial[1])


@given(level=st.floats(0.01, 0.99), k=lengths)
def test_exact_match_scale_inverts_the_metric(level, k):
    x = em.exact_match_scale(level, k)
    assert em.metric("exact match", x, answer_tokens=k) == pytest.approx(level, rel=1e-9)


def test_exact_match_scale_is_infinite_above_the_floor():
    # E = 0.1 nats/token caps exact match on 10 tokens at exp(-1) = 0.37
    assert em.exact_match_scale(0.5, 10, em.TaskLaw(E=0.1)) == math.inf
    assert math.isfinite(em.exact_match_scale(0.3, 10, em.TaskLaw(E=0.1)))


def test_coarse_sampling_looks_more_sudden():
    dense, coarse = np.geomspace(1e7, 1e12, 40), np.geomspace(1e7, 1e12, 4)
    metric = lambda x: em.metric("exact match", x, answer_tokens=10)
    assert em.sharpness(coarse, metric(coarse)) > em.sharpness(dense, metric(dense))


def test_sharpness_and_midpoint_on_known_curves():
    assert em.sharpness([1, 2, 3], [0, 0, 1]) == 1.0
    assert em.sharpness([1, 2, 3], [0, 0.5, 1]) == 0.5
    assert em.sharpness([1, 2, 3], [3, 2.5, 1]) == pytest.approx(0.75)  # falling curves too
    assert em.sharpness([1, 2], [1, 1]) == 0.0
    assert em.rise_midpoint([1, 100], [0, 1]) == pytest.approx(10.0)
    assert em.rise_midpoint([1, 100], [5, 1]) == pytest.approx(10.0)
    assert em.first_scale_above([1, 10, 100], [0.0, 0.2, 0.9], 0.1) == 10.0
    assert em.first_scale_above([1, 10], [0.0, 0.05], 0.1) == math.inf  # no evaluated scale gets there


def test_measured_accuracy_has_the_resolution_of_the_test_set():
    acc = np.full(2000, 1e-4)
    small = em.measured_accuracy(acc, 100, seed=1)
    assert set(np.unique(small)) <= {0.0, 0.01, 0.02}  # multiples of 1/100
    assert np.mean(small == 0) > 0.98
    large = em.measured_accuracy(0.3, 1_000_000, seed=2)
    assert large == pytest.approx(0.3, abs=0.002)
    assert em.measured_accuracy(0.3, 50, seed=3) == em.measured_accuracy(0.3, 50, seed=3)


def test_gpt3_family_is_table_2_1():
    # Brown et al. 2020, Table 2.1: GPT-3 Small to GPT-3 175B
    assert em.GPT3_FAMILY.n_params == (125e6, 350e6, 760e6, 1.3e9, 2.7e9, 6.7e9, 13e9, 175e9)
    assert em.GPT3_FAMILY.source.citation == "brown2020language"


# ---- finer measurements ---------------------------------------------------------------------------

def test_zero_score_probability_is_the_binomial_zero():
    from scipy import stats
    for acc, n in ((1e-4, 100), (0.001, 100), (0.3, 7)):
        assert em.zero_score_probability(acc, n) == pytest.approx(stats.binom.pmf(0, n, acc))
    assert em.zero_score_probability(0.0, 50) == 1.0 and em.zero_score_probability(1.0, 3) == 0.0
    # the simulated tests agree: about (1 - p)**n of them score 0
    draws = em.measured_accuracy(np.full(20_000, 0.01), 100, seed=5)
    assert np.mean(draws == 0) == pytest.approx(em.zero_score_probability(0.01, 100), abs=0.01)


def test_sample_until_pass_is_unbiased_and_never_zero():
    # (R - 1) / (K - 1) is unbiased for a negative-binomial count: over many seeds the mean matches
    p = np.array([1e-6, 1e-3, 0.2])
    estimates = np.array([em.sample_until_pass(p, 20, seed=s).pass_rate for s in range(400)])
    assert np.all(estimates > 0)
    assert np.allclose(estimates.mean(axis=0) / p, 1.0, atol=0.03)
    # its relative spread is about 1 / sqrt(passes * questions)
    spread = estimates.std(axis=0) / p
    assert np.allclose(spread, 1 / np.sqrt(20), rtol=0.25)
    # the price: about passes / p samples per question
    big = em.sample_until_pass(1e-4, 2000, passes=2, seed=1)
    assert big.samples_per_question == pytest.approx(2 / 1e-4, rel=0.05)
    assert em.sample_until_pass(1.0, 10, passes=3).pass_rate == 1.0
    one = em.sample_until_pass(0.5, 30, seed=3)
    assert isinstance(one.pass_rate, float) and isinstance(one.samples_per_question, float)


def test_task_scaling_transform_makes_exact_match_a_line():
    # exact match exp(-k (N_c/N)**alpha) is Hu et al.'s task law: log(-log) is linear in log N
    n = np.geomspace(1e7, 1e12, 30)
    f = em.task_scaling_transform(em.metric("exact match", n, answer_tokens=10))
    slope, intercept = np.polyfit(np.log(n), f, 1)
    assert slope == pytest.approx(-LAW.alpha) and intercept == pytest.approx(math.log(10) + LAW.alpha * math.log(LAW.scale_c))
    assert np.allclose(np.diff(f, 2), 0, atol=1e-9)


def test_a_second_route_accelerates_the_pass_rate():
    n = np.geomspace(1e7, 1e12, 40)
    first, second = LAW, em.TaskLaw(scale_c=2e9, alpha=1.0)
    one = em.metric("exact match", n, answer_tokens=10)
    assert np.allclose(em.any_route_exact_match(n, [first], answer_tokens=10), one)
    both = np.asarray(em.any_route_exact_match(n, (first, second), answer_tokens=10))
    other = np.asarray(em.metric("exact match", n, answer_tokens=10, law=second))
    assert np.allclose(both, 1 - (1 - one) * (1 - other))
    assert np.all(both >= one) and np.all(both >= other)
    # the transform bends below the single law's line: its slope steepens with scale
    f = em.task_scaling_transform(both)
    assert np.all(np.diff(f, 2) <= 1e-12) and np.diff(f, 2).min() < -0.01


def test_distractor_accuracy_runs_from_chance_down_and_back_up():
    task = em.TaskLaw(scale_c=6e23, alpha=0.7, unit="FLOPs")
    distractor = em.TaskLaw(scale_c=3e19, alpha=0.3, E=0.4, unit="FLOPs")
    c = np.geomspace(1e14, 1e30, 400)
    acc = np.asarray(em.distractor_accuracy(c, task=task, distractor=distractor, answer_tokens=4,
                                            distractor_tokens=1, n_choices=2))
    assert acc[0] == pytest.approx(0.5, abs=0.01)        # does neither: guesses
    assert acc[-1] == pytest.approx(1.0, abs=1e-3)       # solves the real task
    low = np.argmin(acc)
    assert acc[low] < 0.5 - 0.2                          # below chance while the distractor wins
    assert np.all(np.diff(acc[:low]) <= 0) and np.all(np.diff(acc[low:]) >= 0)  # U-shaped
    # with no distractor the score never falls below chance: it is the multiple-choice metric
    never = em.TaskLaw(scale_c=1e40, alpha=0.3, unit="FLOPs")
    plain = em.distractor_accuracy(c, task=task, distractor=never, answer_tokens=4, distractor_tokens=1)
    assert np.allclose(plain, em.metric("multiple choice", c, answer_tokens=4, law=task, n_choices=2))


# ---- the published table --------------------------------------------------------------------------

WEI_TABLE_1 = {
    # task: (model, parameters, training FLOPs), typed from Wei et al. 2022, Table 1
    "Addition/subtraction (3 digit)": ("GPT-3", 13e9, 2.3e22),
    "Addition/subtraction (4-5 digit)": ("GPT-3", 175e9, 3.1e23),
    "MMLU Benchmark (57 topic avg.)": ("GPT-3", 175e9, 3.1e23),
    "Toxicity classification (CivilComments)": ("Gopher", 7.1e9, 1.3e22),
    "Truthfulness (TruthfulQA)": ("Gopher", 280e9, 5.0e23),
    "MMLU Benchmark (26 topics)": ("Gopher", 280e9, 5.0e23),
    "Grounded conceptual mappings": ("GPT-3", 175e9, 3.1e23),
    "MMLU Benchmark (30 topics)": ("Chinchilla", 70e9, 5.0e23),
    "Word in Context (WiC) benchmark": ("PaLM", 540e9, 2.5e24),
    "Instruction following (finetuning)": ("FLAN", 68e9, 1.3e23),
    "Scratchpad: 8-digit addition (finetuning)": ("LaMDA", 40e6, 8.9e19),
    "Using open-book knowledge for fact checking": ("Gopher", 7.1e9, 1.3e22),
    "Chain-of-thought: Math word problems": ("LaMDA", 68e9, 1.3e23),
    "Chain-of-thought: StrategyQA": ("PaLM", 62e9, 2.9e23),
    "Differentiable search index": ("T5", 11e9, 3.3e22),
    "Self-consistency decoding": ("LaMDA", 68e9, 1.3e23),
    "Leveraging explanations in prompting": ("Gopher", 280e9, 5.0e23),
    "Least-to-most prompting": ("GPT-3", 175e9, 3.1e23),
    "Zero-shot chain-of-thought reasoning": ("GPT-3", 175e9, 3.1e23),
    "Calibration via P(True)": ("Anthropic", 52e9, 2.6e23),
    "Multilingual chain-of-thought reasoning": ("PaLM", 62e9, 2.9e23),
    "Ask me anything prompting": ("EleutherAI", 6e9, 1.4e22),
}


def test_emergence_examples_match_wei_table_1():
    table = data.load_table("emergence_examples")
    assert len(table) == len(WEI_TABLE_1)
    for row in table.rows:
        model, params, flops = WEI_TABLE_1[row["task"]]
        assert (row["model"], row["params"], row["training_flops"]) == (model, params, flops)
        assert row["citation"] == "wei2022emergent" and "Table 1" in row["source"]
        assert row["kind"] in ("few-shot prompting", "augmented prompting")
    kinds = table["kind"]
    assert np.sum(kinds == "few-shot prompting") == 9 and np.sum(kinds == "augmented prompting") == 13


def test_emergence_examples_cite_known_keys():
    bib = (data.data_dir().parent / "references.bib").read_text()
    for row in data.load_table("emergence_examples").rows:
        for key in filter(None, [row["citation"], row["reported_in_citation"]]):
            assert "{" + key + "," in bib, key


# ---- bad input ------------------------------------------------------------------------------------

@pytest.mark.parametrize("call, argument", [
    (lambda: em.exact_match(1.5, 3), "p"),
    (lambda: em.exact_match(-0.1, 3), "p"),
    (lambda: em.exact_match(0.5, 0), "answer_tokens"),
    (lambda: em.exact_match(0.5, 2.5), "answer_tokens"),
    (lambda: em.token_accuracy(0.5, 0), "answer_tokens"),
    (lambda: em.token_edit_distance(np.nan, 3), "p"),
    (lambda: em.answer_log_likelihood(0.0, 3), "p"),
    (lambda: em.multiple_choice(0.5, 2, n_choices=1), "n_choices"),
    (lambda: em.metric("accuracy", 1e9, answer_tokens=3), "name"),
    (lambda: em.metric("exact match", -1.0, answer_tokens=3), "scale"),
    (lambda: em.metric("exact match", 1e9, answer_tokens=3, law="big"), "law"),
    (lambda: em.TaskLaw(scale_c=-1), "scale_c"),
    (lambda: em.TaskLaw(alpha=0), "alpha"),
    (lambda: em.TaskLaw(E=-0.1), "E"),
    (lambda: em.TaskLaw(unit="tokens"), "unit"),
    (lambda: em.TaskLaw().loss([1e9, 0.0]), "scale"),
    (lambda: em.TaskLaw().on_compute(0), "tokens_per_parameter"),
    (lambda: em.TaskLaw().on_compute().on_compute(), "unit"),
    (lambda: em.exact_match_scale(1.0, 3), "level"),
    (lambda: em.exact_match_scale(0.5, 0), "answer_tokens"),
    (lambda: em.exact_match_scale(0.5, 3, law=None), "law"),
    (lambda: em.sharpness([1, 2, 3], [1, 2]), "same shape"),
    (lambda: em.sharpness([1], [1]), "scale"),
    (lambda: em.rise_midpoint([1, 2, 3], [1, 3, 2]), "monotone"),
    (lambda: em.rise_midpoint([1, 2, 3], [1, 1, 1]), "change"),
    (lambda: em.first_scale_above([1, 2], [0, 1], "high"), "threshold"),
    (lambda: em.measured_accuracy(0.5, 0), "n_questions"),
    (lambda: em.measured_accuracy(1.2, 10), "p"),
    (lambda: em.measured_accuracy(0.5, 10, seed=-1), "seed"),
    (lambda: em.zero_score_probability(1.5, 100), "p"),
    (lambda: em.zero_score_probability(0.1, 0), "n_questions"),
    (lambda: em.sample_until_pass(0.0, 10), "p"),
    (lambda: em.sample_until_pass(0.1, 0), "n_questions"),
    (lambda: em.sample_until_pass(0.1, 10, passes=0), "passes"),
    (lambda: em.sample_until_pass(0.1, 1, passes=1), "passes"),
    (lambda: em.sample_until_pass(0.1, 10, seed=-2), "seed"),
    (lambda: em.task_scaling_transform([0.5, 1.0]), "pass_rate"),
    (lambda: em.any_route_exact_match(1e9, [], answer_tokens=3), "laws"),
    (lambda: em.any_route_exact_match(1e9, ["x"], answer_tokens=3), "law"),
    (lambda: em.any_route_exact_match(1e9, [em.TaskLaw(), em.TaskLaw().on_compute()], answer_tokens=3), "unit"),
    (lambda: em.distractor_accuracy(1e9, task=None, distractor=em.TaskLaw(), answer_tokens=2,
                                    distractor_tokens=1), "task"),
    (lambda: em.distractor_accuracy(1e9, task=em.TaskLaw(), distractor=em.TaskLaw().on_compute(),
                                    answer_tokens=2, distractor_tokens=1), "unit"),
    (lambda: em.distractor_accuracy(1e9, task=em.TaskLaw(), distractor=em.TaskLaw(), answer_tokens=2,
                                    distractor_tokens=0), "distractor_tokens"),
    (lambda: em.distractor_accuracy(1e9, task=em.TaskLaw(), distractor=em.TaskLaw(), answer_tokens=2,
                                    distractor_tokens=1, n_choices=1), "n_choices"),
])
def test_bad_input_names_the_argument(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()


# ---- the chapter's figures ------------------------------------------------------------------------

def test_every_chapter_figure_draws_labelled_axes():
    from matplotlib.figure import Figure

    from scaling_lib.figures import emergence as figures

    n = np.geomspace(1e7, 1e12, 50)
    gpt3 = np.array(em.GPT3_FAMILY.n_params)
    scores = np.asarray(em.metric("exact match", gpt3, answer_tokens=10))
    fit = power_laws.fit_power_law(gpt3[:4], LAW.loss(gpt3[:4]))
    routes = (LAW, em.TaskLaw(scale_c=2e9, alpha=1.0))
    made = [
        figures.reports_figure(data.load_table("emergence_examples")),
        figures.metrics_figure(LAW, n),
        figures.sampling_figure(LAW, gpt3, "GPT-3"),
        figures.forecast_figure(fit, gpt3[:4], scores[:4], LAW),
        figures.log_exact_match_figure(LAW, n),
        figures.quanta_figure(0.5, 10**4),
        figures.resolution_figure(gpt3, scores, em.measured_accuracy(scores, 100, seed=1), 100,
                                  em.sample_until_pass(scores, 50, seed=1), "GPT-3"),
        figures.acceleration_figure(n, em.metric("exact match", n, answer_tokens=10),
                                    em.any_route_exact_match(n, routes, answer_tokens=10), fit),
        figures.distractor_figure(n, em.metric("multiple choice", n, answer_tokens=3, n_choices=2), 2,
                                  [("range", 1e10)]),
    ]
    for fig in made:
        assert isinstance(fig, Figure)
        for ax in fig.axes:
            assert ax.get_xlabel() and ax.get_title()
