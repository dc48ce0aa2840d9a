"""Auto-checked exercises of the chapter "After Chinchilla" (chapters/after_chinchilla): importing
this module registers them with :mod:`scaling_lib.exercises`, so ``exercises.check(id, answer)``
knows them. Each expected answer is computed by ``scaling_lib``, never typed in."""

from __future__ import annotations

from . import exercises, moe, sampling
from .experiment import schedules
from .exercises import Feedback, Mistake, check_number


def _pass_at_k(answer) -> Feedback:
    n, c, k = 20, 3, 5
    return check_number("after_chinchilla.pass_at_k", answer, float(sampling.pass_at_k(n, c, k)), mistakes=(
        Mistake(float(sampling.plug_in_pass_at_k(n, c, k)), "that is the plug-in 1 - (1 - c/n)^k, which treats the 20 "
                "samples as drawn with replacement; Chen et al.'s estimator counts subsets: 1 - C(n-c, k)/C(n, k)."),
        Mistake(c / n, "that is pass@1, the fraction of samples that are right; pass@5 asks for at least one right "
                       "answer among 5."),
        Mistake(k * c / n, "chances of success do not add: use 1 - C(17, 5)/C(20, 5)."),
    ))


def _moe_flops(answer) -> Feedback:
    reading = moe.read_model("DeepSeek-V3", 671e9, 37e9, 14.8e12)
    return check_number("after_chinchilla.moe_flops", answer, reading.flops, mistakes=(
        Mistake(reading.flops_if_dense, "that counts all 671 billion parameters; each token passes through the 37 "
                                         "billion active ones only: 6 x 37e9 x 14.8e12."),
        Mistake(reading.flops / 3, "that is 2 N D, the forward pass alone; training costs about 6 N D."),
    ), unit="FLOPs")


def _samples_for_half(answer) -> Feedback:
    law = sampling.CoverageLaw(a=-3.0, b=-0.4)
    expected = law.samples_for(0.5)
    return check_number("after_chinchilla.samples_for_half", answer, expected, mistakes=(
        Mistake((0.5 / 3.0) ** (1 / -0.4), "that forgets the logarithm: solve -3 k^-0.4 = ln 0.5, so "
                                           "k = (ln 0.5 / -3)^(1 / -0.4)."),
        Mistake((3.0 / 0.5) ** 0.4, "solve log(c) = a k^b for k: k = (ln c / a)^(1/b), with b = -0.4."),
    ), unit="samples")


def _wsd_area(answer) -> Feedback:
    total, cooldown = 1000, 200
    eta = schedules.wsd_schedule(total, warmup_steps=0, cooldown_steps=cooldown)
    s1, _ = schedules.annealing_areas(eta)
    flat = total - cooldown
    return check_number("after_chinchilla.wsd_area", answer, float(s1[-1]), mistakes=(
        Mistake(float(total), "that is the constant schedule's area; the cooldown's multipliers fall from 1 "
                              "towards 0, so its 200 steps add about half of 200."),
        Mistake(float(flat), "the cooldown's steps still carry learning rate: add the sum of 1 - j/201 over "
                             "j = 1 .. 200."),
    ), unit="step-multipliers")


for _id, _prompt, _checker in (
        ("after_chinchilla.pass_at_k", "Unbiased pass@5 from 20 samples of which 3 are correct.", _pass_at_k),
        ("after_chinchilla.moe_flops", "DeepSeek-V3's training FLOPs counted with its active parameters.", _moe_flops),
        ("after_chinchilla.samples_for_half", "Samples for 50 % coverage under exp(-3 k^-0.4).", _samples_for_half),
        ("after_chinchilla.wsd_area", "The forward area S1 of a 1000-step WSD schedule with a 200-step linear "
                                      "cooldown and no warm-up.", _wsd_area)):
    if _id not in exercises.EXERCISES:
        exercises.register(_id, _prompt, _checker)
