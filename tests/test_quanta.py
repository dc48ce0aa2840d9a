"""scaling_lib.quanta: the quanta model's Zipf frequencies, its steps and their aggregate, and the
loss exponents Michaud et al. 2023 derive (alpha in parameters, alpha / (alpha + 1) in data)."""

import numpy as np
import pytest

from scaling_lib import power_laws
from scaling_lib import quanta



def test_quanta_frequencies_are_zipf():
    f = quanta.quanta_frequencies(1000, 0.5)
    assert f.sum() == pytest.approx(1.0) and np.all(np.diff(f) < 0)
    assert f[0] / f[9] == pytest.approx(10**1.5)  # k**-(alpha+1) with alpha = 0.5


@pytest.mark.parametrize("alpha", [0.3, 0.5, 1.0, 1.5])
def test_tail_sum_lies_between_its_integral_bounds(alpha):
    # the analytic step of the exponent derivation: (n+1)^-a / a <= sum_{k>n} k^-(a+1) <= n^-a / a
    k = np.arange(1, 2_000_001, dtype=float)
    terms = k ** -(alpha + 1)
    for n in (1, 10, 100, 1000):
        tail = terms[n:].sum() + (k[-1] ** -alpha) / alpha  # the rest of the infinite sum, bounded
        assert (n + 1) ** -alpha / alpha <= tail <= n ** -alpha / alpha


@pytest.mark.parametrize("alpha", [0.3, 0.5, 1.0, 1.5])
def test_quanta_loss_exponent_in_parameters_matches_alpha(alpha):
    # Michaud et al. 2023: Zipf frequencies k**-(alpha+1), quanta learned in proportion to N:
    # loss ~ N**-alpha while far fewer quanta are learned than exist
    n = np.geomspace(1e6, 1e8, 40)
    learned = quanta.quanta_learned(n, params_per_quantum=1e4)
    loss = quanta.quanta_loss(learned, alpha=alpha)
    fitted = power_laws.fit_power_law(n, loss).alpha
    assert fitted == pytest.approx(quanta.quanta_loss_exponent(alpha), abs=0.02)


@pytest.mark.parametrize("alpha", [0.3, 0.5, 1.0])
def test_quanta_loss_exponent_in_data_is_alpha_over_alpha_plus_one(alpha):
    d = np.geomspace(1e8, 1e11, 30)
    learned = quanta.quanta_learned_from_data(d, alpha=alpha, uses_needed=10)
    assert learned[0] >= 100
    loss = quanta.quanta_loss(learned, alpha=alpha)
    fitted = power_laws.fit_power_law(d, loss).alpha
    assert fitted == pytest.approx(quanta.quanta_loss_exponent(alpha, "data"), abs=0.02)
    assert quanta.quanta_loss_exponent(alpha, "data") == pytest.approx(alpha / (alpha + 1))


def test_data_rule_learns_exactly_the_quanta_seen_often_enough():
    f = quanta.quanta_frequencies(50, 0.7)
    d = 1e4
    learned = int(quanta.quanta_learned_from_data(d, alpha=0.7, n_quanta=50, uses_needed=10))
    assert np.all(d * f[:learned] >= 10) and np.all(d * f[learned:] < 10)


def test_each_quantum_is_a_step_at_its_rank():
    n = np.geomspace(1e3, 1e9, 300)
    on = quanta.quantum_switched_on(n, 100, params_per_quantum=1e4)
    assert set(np.unique(on)) == {0.0, 1.0} and np.all(np.diff(on) >= 0)
    assert n[np.argmax(on)] >= 100 * 1e4 > n[np.argmax(on) - 1]


def test_quanta_loss_is_monotone_and_runs_from_a_to_b():
    learned = quanta.quanta_learned(np.geomspace(1e3, 1e9, 200), params_per_quantum=1e4)
    loss = quanta.quanta_loss(learned, n_quanta=1000, alpha=0.7, loss_unlearned=3.0, loss_learned=0.5)
    assert np.all(np.diff(loss) <= 0)
    assert loss[0] == pytest.approx(3.0) and loss[-1] == pytest.approx(0.5)
    assert quanta.quanta_learned(1e9, params_per_quantum=1e4, n_quanta=1000) == 1000


def test_quanta_loss_is_an_average_of_steps():
    # the aggregate is the frequency-weighted sum of every quantum's own step
    n = np.geomspace(1e3, 1e8, 50)
    f = quanta.quanta_frequencies(300, 0.5)
    steps = np.array([quanta.quantum_switched_on(n, k + 1) for k in range(300)])
    aggregate = 1.0 - f @ steps
    assert np.allclose(aggregate, quanta.quanta_loss(quanta.quanta_learned(n), n_quanta=300, alpha=0.5))


@pytest.mark.parametrize("call, argument", [
    (lambda: quanta.quanta_frequencies(0, 0.5), "n_quanta"),
    (lambda: quanta.quanta_frequencies(10, -0.5), "alpha"),
    (lambda: quanta.quanta_learned(1e9, params_per_quantum=0), "params_per_quantum"),
    (lambda: quanta.quanta_learned(0.0), "n_params"),
    (lambda: quanta.quanta_learned(1e9, n_quanta=0), "n_quanta"),
    (lambda: quanta.quanta_learned_from_data(0, alpha=0.5, n_quanta=10), "n_samples"),
    (lambda: quanta.quanta_learned_from_data(1e6, alpha=0.5, n_quanta=10, uses_needed=0), "uses_needed"),
    (lambda: quanta.quantum_switched_on(1e9, 0), "rank"),
    (lambda: quanta.quanta_loss(-1, n_quanta=10, alpha=0.5), "learned"),
    (lambda: quanta.quanta_loss(1.5, n_quanta=10, alpha=0.5), "learned"),
    (lambda: quanta.quanta_loss(1, n_quanta=10, alpha=0.5, loss_unlearned=0.1, loss_learned=0.2), "loss_unlearned"),
    (lambda: quanta.quanta_loss_exponent(0), "alpha"),
    (lambda: quanta.quanta_loss_exponent(0.5, "compute"), "resource"),
])
def test_bad_input_names_the_argument(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()
