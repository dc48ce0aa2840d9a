"""Kumar et al. (2024), precision-aware scaling laws: constants and the numbers the paper states."""

import numpy as np
import pytest

from scaling_lib import precision


def test_published_constants():
    law = precision.KUMAR_2024
    assert (law.A, law.alpha, law.B, law.E) == (4.299e3, 0.4965, 1.806e4, 2.7648)
    assert law.beta == law.alpha  # tied, App. K
    assert law.gamma == {"weights": 2.6745, "activations": 2.2102, "kv_cache": 0.9578}
    assert law.offset == {"weights": 0.3037, "activations": 1.4072, "kv_cache": 2.4185}
    assert (law.C_T, law.gamma_D, law.gamma_N) == (0.0598, 0.5068, 0.3439)


def test_compute_optimal_precision_is_the_papers_7_to_8_bits():
    # Finding 3: "Our fits imply that 7-8 bits are compute-optimal" (with the offsets read as the
    # module says); without the offsets the printed form gives far fewer bits.
    with_offsets = precision.compute_optimal_bits()
    assert 6.5 <= with_offsets <= 8.0
    assert precision.compute_optimal_bits(offsets=False) < 4.5


def test_compute_optimal_precision_solves_the_first_order_condition():
    # Without offsets and with all gammas equal, d/dP [ln P - 3 ln(1 - e^{-P/g})] = 0 gives
    # e^{x} - 1 = 3x with x = P/g (the same condition as the paper's Eq. (7)).
    g = 2.0
    law = precision.PrecisionLaw(**{**precision.KUMAR_2024.__dict__, "gamma": dict.fromkeys(precision.PARTS, g),
                                    "offset": dict.fromkeys(precision.PARTS, 0.0)})
    x = precision.compute_optimal_bits(law) / g
    assert np.exp(x) - 1 == pytest.approx(3 * x, rel=1e-6)


def test_effective_parameters_rise_and_saturate():
    bits = np.array([4.0, 6.0, 8.0, 12.0, 16.0])
    n_eff = precision.effective_parameters(1.0, bits, bits, bits)
    assert np.all(np.diff(n_eff) > 0) and n_eff[-1] < 1.0 and n_eff[-1] > 0.95
    # the KV cache is the least sensitive part: at 4 bits it keeps the most capacity (smallest gamma)
    without = {part: precision.precision_factor(4.0, part, offsets=False) for part in precision.PARTS}
    assert without["kv_cache"] > without["activations"] > without["weights"]
    assert precision.precision_factor(2.0, "kv_cache") == 0.0  # below n_kv * gamma_kv = 2.3 bits


def test_ptq_degradation_grows_with_data_and_falls_with_size_and_bits():
    d = precision.ptq_degradation(1e8, [1e9, 1e10, 1e11], 4)
    assert np.all(np.diff(d) > 0)
    # power law in D with exponent gamma_D
    assert np.log(d[1] / d[0]) / np.log(10) == pytest.approx(precision.KUMAR_2024.gamma_D)
    assert precision.ptq_degradation(1e9, 1e10, 4) < precision.ptq_degradation(1e8, 1e10, 4)
    assert precision.ptq_degradation(1e8, 1e10, 8) < precision.ptq_degradation(1e8, 1e10, 4)


def test_harmful_tokens_is_where_the_quantized_loss_turns_up():
    n, bits = 3e7, 4
    d_star = precision.harmful_tokens(n, bits)
    before, at, after = precision.quantized_loss(n, [d_star / 2, d_star, d_star * 2], bits)
    assert at < before and at < after
    # more bits tolerate more data; larger models too
    assert precision.harmful_tokens(n, 5) > d_star
    assert precision.harmful_tokens(3e8, bits) > d_star


def test_bad_arguments():
    with pytest.raises(ValueError, match="part"):
        precision.precision_factor(4, "gradients")
    with pytest.raises(ValueError, match="bits"):
        precision.precision_factor(-1)
    with pytest.raises(ValueError, match="law"):
        precision.training_loss(1e8, 1e9, 8, law="kumar")
