"""scaling_lib.exercises: right answers pass, known mistakes get their explanation, nothing raises."""

import math

import pytest

from scaling_lib import exercises


def test_right_answer_passes():
    # 2**(1/0.34), worked by hand: exp(ln 2 / 0.34) = exp(2.0387) = 7.68
    assert exercises.check("power_laws.halve", 7.68).correct


@pytest.mark.parametrize("answer, phrase", [
    (2**0.34, "2**alpha"),
    (2 / 0.34, "a power, not a ratio"),
    (10 ** (1 / 0.34), "divides the term by 10"),
])
def test_known_mistakes_are_explained(answer, phrase):
    feedback = exercises.check("power_laws.halve", answer)
    assert not feedback.correct and phrase in feedback.message


def test_unknown_wrong_answer_says_direction():
    assert "too high" in exercises.check("power_laws.halve", 50).message
    assert "too low" in exercises.check("power_laws.halve", 3).message


@pytest.mark.parametrize("answer", ["seven", None, float("nan"), [1, 2]])
def test_non_numbers_get_feedback_not_errors(answer):
    feedback = exercises.check("power_laws.halve", answer)
    assert not feedback.correct and "number" in feedback.message


def test_local_slope_sign_mistake():
    reducible = 5 * 100**-0.3
    right = -0.3 * reducible / (1 + reducible)
    assert exercises.check("power_laws.local_slope", right).correct
    assert "sign" in exercises.check("power_laws.local_slope", -right).message


def test_feedback_renders_in_notebooks():
    feedback = exercises.check("power_laws.halve", 7.68)
    assert "Correct" in feedback._repr_html_() and "Correct" in str(feedback)


def test_every_exercise_accepts_its_own_solution_and_rejects_nonsense():
    for exercise_id, (prompt, checker) in exercises.EXERCISES.items():
        assert prompt
        assert not checker(math.pi * 1e9).correct, exercise_id


def test_bad_ids_and_registration():
    with pytest.raises(ValueError, match="exercise"):
        exercises.check("no.such", 1)
    with pytest.raises(ValueError, match="exercise"):
        exercises.register("nodot", "x", lambda a: None)
    with pytest.raises(ValueError, match="already"):
        exercises.register("power_laws.halve", "x", lambda a: None)


def test_experiment_exercise_checks_against_the_fitted_toy_law():
    from scaling_lib import chinchilla
    from scaling_lib.experiment import analysis

    runs = analysis.load_sweep(0).grid()
    law = chinchilla.fit_approach3(runs["n_params"], runs["n_tokens"], runs["loss"])
    best = chinchilla.compute_optimal(1e12, law)
    assert exercises.check("experiment.tokens_per_parameter", best.n_tokens / best.n_params).correct
    feedback = exercises.check("experiment.tokens_per_parameter", 20)
    assert not feedback.correct and "Chinchilla" in feedback.message


@pytest.mark.parametrize("exercise_id", sorted(exercises.EXERCISES))
def test_the_placeholder_none_is_an_invitation_not_a_verdict(exercise_id):
    prompt = exercises.EXERCISES[exercise_id][0]
    feedback = exercises.check(exercise_id, None)
    assert not feedback.answered and not feedback.correct
    assert feedback.verdict == "Your turn"
    text, page = str(feedback), feedback._repr_html_()
    assert "Not yet" not in text and "Not yet" not in page and "got None" not in text
    assert prompt in text and "Replace None" in text
    assert "#D55E00" not in page  # the colour of a wrong answer


def test_a_wrong_answer_is_still_a_verdict():
    feedback = exercises.check("power_laws.halve", 3)
    assert feedback.answered and feedback.verdict == "Not yet" and "Not yet" in feedback._repr_html_()


def test_an_unanswered_exercise_cannot_be_correct():
    with pytest.raises(ValueError, match="answered"):
        exercises.Feedback("power_laws.halve", True, "x", answered=False)
    with pytest.raises(TypeError, match="answered"):
        exercises.Feedback("power_laws.halve", False, "x", answered="no")
