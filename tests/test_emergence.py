"""scaling_lib.emergence: the metric model's identities and the quanta model's exponent."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scaling_lib import emergence as em
from scaling_lib import powerlaw

probabilities = st.floats(0.001, 1.0)
lengths = st.integers(1, 50)


@given(p=probabilities, k=lengths)
def test_exact_match_is_p_to_the_k(p, k):
    # Schaeffer et al. 2023: exact match over an L-token answer is p**L
    assert em.exact_match(p, k) == pytest.approx(p**k)
    assert em.answer_log_likelihood(p, k) == pytest.approx(k * np.log(p))
    assert em.token_accuracy(p, k) == pytest.approx(p)


@given(p=probabilities, k=lengths, m=st.integers(2, 10))
def test_multiple_choice_never_below_chance(p, k, m):
    value = em.multiple_choice(p, k, m)
    assert 1 / m - 1e-12 <= value <= 1.0 + 1e-12


def test_every_metric_improves_with_scale():
    n = np.geomspace(1e6, 1e13, 60)
    for name in em.METRICS:
        assert np.all(np.diff(em.metric(name, n, answer_tokens=8)) > 0), name


def test_longer_answers_rise_later():
    # exact match on longer answers stays near zero longer, then rises: its midpoint moves up in N,
    # while the per-token metric underneath does not move at all
    n = np.geomspace(1e7, 1e12, 200)
    midpoints = [em.rise_midpoint(n, em.metric("exact match", n, answer_tokens=k)) for k in (1, 5, 20)]
    assert midpoints[0] < midpoints[1] < midpoints[2]
    assert em.rise_midpoint(n, em.metric("token accuracy", n, answer_tokens=20)) < midpoints[2]


def test_coarse_sampling_looks_more_sudden():
    dense, coarse = np.geomspace(1e7, 1e12, 40), np.geomspace(1e7, 1e12, 4)
    metric = lambda n: em.metric("exact match", n, answer_tokens=10)
    assert em.sharpness(coarse, metric(coarse)) > em.sharpness(dense, metric(dense))


def test_quanta_frequencies_are_zipf():
    f = em.quanta_frequencies(1000, 0.5)
    assert f.sum() == pytest.approx(1.0)
    assert f[0] / f[9] == pytest.approx(10**1.5)  # k**-(alpha+1)


@pytest.mark.parametrize("alpha", [0.5, 1.0, 1.5])
def test_quanta_loss_exponent_matches_analytic_value(alpha):
    # Michaud et al. 2023: Zipf use frequencies k**-(alpha+1) and quanta learned in proportion to N
    # give loss ~ N**-alpha while far fewer quanta are learned than exist
    n = np.geomspace(1e6, 1e8, 40)
    loss = em.quanta_loss(n, n_quanta=1_000_000, alpha=alpha)
    assert powerlaw.fit_power_law(n, loss).alpha == pytest.approx(em.quanta_loss_exponent(alpha), abs=0.03)


def test_each_quantum_is_a_step():
    n = np.geomspace(1e3, 1e9, 200)
    on = em.quantum_switched_on(n, 100, params_per_quantum=1e4)
    assert set(np.unique(on)) == {0.0, 1.0} and np.all(np.diff(on) >= 0)
    assert n[np.argmax(on)] >= 100 * 1e4


def test_quanta_loss_is_monotone_and_ends_at_zero():
    n = np.geomspace(1e3, 1e9, 200)
    loss = em.quanta_loss(n, n_quanta=1000, alpha=0.7)
    assert np.all(np.diff(loss) <= 0) and loss[-1] == 0.0 and loss[0] == pytest.approx(1.0)


def test_sharpness_bounds():
    assert em.sharpness([1, 2, 3], [0, 0, 1]) == 1.0
    assert em.sharpness([1, 2, 3], [0, 0.5, 1]) == 0.5
    assert em.sharpness([1, 2], [1, 1]) == 0.0


@pytest.mark.parametrize("call, argument", [
    (lambda: em.exact_match(1.5, 3), "p"),
    (lambda: em.exact_match(0.5, 0), "answer_tokens"),
    (lambda: em.answer_log_likelihood(0.0, 3), "p"),
    (lambda: em.multiple_choice(0.5, 2, n_choices=1), "n_choices"),
    (lambda: em.metric("accuracy", 1e9, answer_tokens=3), "name"),
    (lambda: em.token_probability(-1), "n_params"),
    (lambda: em.token_probability(1e9, law="big"), "law"),
    (lambda: em.TaskLaw(A=-1), "A"),
    (lambda: em.quanta_frequencies(0, 0.5), "n_quanta"),
    (lambda: em.quanta_frequencies(10, -0.5), "alpha"),
    (lambda: em.quanta_learned(1e9, params_per_quantum=0), "params_per_quantum"),
    (lambda: em.quantum_switched_on(1e9, 0), "rank"),
    (lambda: em.sharpness([1, 2, 3], [1, 2]), "same shape"),
    (lambda: em.rise_midpoint([1, 2, 3], [3, 2, 1]), "values"),
])
def test_bad_input_names_the_argument(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()
