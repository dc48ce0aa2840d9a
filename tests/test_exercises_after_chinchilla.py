"""The After Chinchilla chapter's auto-checked exercises: right answers pass, common mistakes are named."""

import math

import pytest

from scaling_lib import exercises, exercises_after_chinchilla


def test_importing_the_module_registers_its_exercises():
    assert exercises_after_chinchilla.__name__ == "scaling_lib.exercises_after_chinchilla"
    for key in ("pass_at_k", "moe_flops", "samples_for_half", "wsd_area"):
        assert f"after_chinchilla.{key}" in exercises.EXERCISES


def test_right_answers_pass():
    assert exercises.check("after_chinchilla.pass_at_k", 1 - math.comb(17, 5) / math.comb(20, 5)).correct
    assert exercises.check("after_chinchilla.moe_flops", 6 * 37e9 * 14.8e12).correct
    assert exercises.check("after_chinchilla.samples_for_half", (math.log(0.5) / -3.0) ** (1 / -0.4)).correct


@pytest.mark.parametrize("exercise, answer, phrase", [
    ("after_chinchilla.pass_at_k", 1 - 0.85 ** 5, "with replacement"),
    ("after_chinchilla.pass_at_k", 0.15, "pass@1"),
    ("after_chinchilla.moe_flops", 6 * 671e9 * 14.8e12, "active"),
    ("after_chinchilla.moe_flops", 2 * 37e9 * 14.8e12, "forward"),
])
def test_common_mistakes_are_explained(exercise, answer, phrase):
    feedback = exercises.check(exercise, answer)
    assert not feedback.correct and phrase in feedback.message


def test_non_numbers_get_feedback():
    assert not exercises.check("after_chinchilla.samples_for_half", "many").correct


def test_wsd_area_is_the_flat_part_plus_half_the_cooldown():
    # 800 steps at 1, then sum_(j=1..200) (1 - j/201) = 200 - 100 = 100
    assert exercises.check("after_chinchilla.wsd_area", 900.0).correct
    for wrong, word in ((1000.0, "constant"), (800.0, "still carry")):
        feedback = exercises.check("after_chinchilla.wsd_area", wrong)
        assert not feedback.correct and word in str(feedback)
