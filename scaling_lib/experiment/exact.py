"""Arithmetic that gives the same bits on every CPU, for the experiment's language.

numpy's vectorised ``exp``, ``log`` and power, and BLAS's dot products, may differ in the last bit
between CPUs (code paths with and without AVX-512, kernels that add in different orders). The
language's teacher and softmax are built from operations IEEE 754 rounds exactly instead:

* :func:`_fixed_point`: the bits of a fixed-point product of features and weights whose sums of
  integers stay below ``2**53``, so that any order of additions gives the same sums;
* :func:`_zipf_bias`: the Zipf bias rounded to a multiple of ``2**-30``, beyond the reach of a
  platform's last bit of ``log``;
* :func:`_exp`: ``exp(x)`` for ``x <= 0`` from additions, multiplications and ``ldexp``.

Their tests are in ``tests/test_experiment.py``.
"""

from __future__ import annotations

import math

import numpy as np


def _fixed_point(n_features: int, v: np.ndarray) -> tuple:
    """Bits of the teacher's features and weights, and the weights' scale (a power of two), such
    that a sum of ``n_features`` products of the two integers stays below ``2**53``."""
    bits = 52 - math.ceil(math.log2(n_features)) if n_features > 1 else 52
    feature_bits = (bits + 1) // 2
    largest = float(np.abs(v).max()) if v.size else 1.0
    weight_scale = 2.0 ** math.ceil(math.log2(largest)) if largest > 0 else 1.0
    return feature_bits, bits - feature_bits, weight_scale


def _zipf_bias(vocab_size: int, zipf_exponent: float) -> np.ndarray:
    """``-s ln(rank)``, rounded to a multiple of ``2**-30`` so that the last bit of a platform's
    ``log`` cannot change it (64 values: a rounding boundary is ~1e-9 away from any of them)."""
    bias = np.array([-zipf_exponent * math.log(r) for r in range(1, vocab_size + 1)])
    return np.rint(bias * 2.0 ** 30) * 2.0 ** -30


def _exp(x: np.ndarray) -> np.ndarray:
    """``exp(x)`` for float64 ``x <= 0``, from additions, multiplications and ``ldexp`` only.

    numpy's own ``exp`` takes a different code path on CPUs with and without AVX-512, and the two
    differ in the last bit; every operation used here is rounded exactly by IEEE 754, so this one
    returns the same bits on every machine. Relative error below 1e-15 (checked against
    ``math.exp`` in the tests).
    """
    underflow = x < -745.0  # exp is below half the smallest float64
    x = np.maximum(x, -745.0)
    n = np.rint(x * (1.0 / _LN2_HI))
    r = (x - n * _LN2_HI) - n * _LN2_LO  # |r| <= ln(2)/2
    p = np.full_like(r, 1.0 / math.factorial(_EXP_TERMS))
    for j in range(_EXP_TERMS - 1, -1, -1):
        p *= r
        p += 1.0 / math.factorial(j)
    out = np.ldexp(p, n.astype(np.int64))
    out[underflow] = 0.0
    return out


#: ``ln 2`` split into a part whose multiples by small integers are exact, and the rest.
_LN2_HI = 0.693147180369123816490
_LN2_LO = 1.90821492927058770002e-10
_EXP_TERMS = 17
