"""The auto-checked exercise on data-mixing laws (the chapter ``after_chinchilla``, its section on
data mixtures): importing this module registers it with :mod:`scaling_lib.exercises`. The expected
answer is computed by :func:`scaling_lib.mixing.optimal_mixture`, never typed in.

It lives apart from :mod:`scaling_lib.exercises_after_chinchilla` so that the section and its
exercise can be added to the chapter on their own."""

from __future__ import annotations

import math

from . import exercises, mixing
from .exercises import Feedback, Mistake, check_number

#: The exercise's law: training on web and code, validated on web and code.
EXERCISE_LAW = mixing.MixingLaw(c=[1.2, 0.6], k=[0.5, 0.4], t=[[-2.0, 0.3], [0.3, -3.0]], domains=("web", "code"))

#: The validation set's shares of web and code.
EXERCISE_WEIGHTS = (0.7, 0.3)


def _closed_form(weights) -> float:
    """The code share minimising ``s_1 L_1 + s_2 L_2`` for two domains: with ``x`` the code share,
    ``L_i = c_i + k_i e^{t_i1} e^{b_i x}``, ``b_i = t_i2 - t_i1``; setting the derivative to zero."""
    (t11, t12), (t21, t22) = EXERCISE_LAW.t
    (k1, k2), (s1, s2) = EXERCISE_LAW.k, weights
    b1, b2 = t12 - t11, t22 - t21
    return math.log(-s2 * k2 * math.exp(t21) * b2 / (s1 * k1 * math.exp(t11) * b1)) / (b1 - b2)


def _code_share(answer) -> Feedback:
    best = mixing.optimal_mixture(EXERCISE_LAW, EXERCISE_WEIGHTS)
    expected = float(best.proportions[1])
    half = float(mixing.optimal_mixture(EXERCISE_LAW, (0.5, 0.5)).proportions[1])
    (t11, t12), (t21, t22) = EXERCISE_LAW.t
    (k1, k2), (s1, s2) = EXERCISE_LAW.k, EXERCISE_WEIGHTS
    b1, b2 = t12 - t11, t22 - t21
    no_offsets = math.log(-s2 * k2 * b2 / (s1 * k1 * b1)) / (b1 - b2)
    return check_number("after_chinchilla.mixing_code_share", answer, expected, rel=0.01, mistakes=(
        Mistake(half, "that weights web and code equally; the validation set is 70 % web and 30 % code."),
        Mistake(no_offsets, "that drops the factors e^{t_i1}: with x the code share, "
                            "L_i = c_i + k_i e^{t_i1} e^{(t_i2 - t_i1) x}."),
        Mistake(1.0 - expected, "that is the share of web; the question asks for the share of code."),
    ))


if "after_chinchilla.mixing_code_share" not in exercises.EXERCISES:
    exercises.register("after_chinchilla.mixing_code_share",
                       "The share of code that minimises a 70 % web, 30 % code loss under the exercise's law.",
                       _code_share)
