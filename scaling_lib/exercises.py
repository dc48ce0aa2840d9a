"""Auto-checked exercises: a student's answer in, immediate and specific feedback out.

Each exercise of the book has an id (``"power_laws.halve"``) and a checker that computes the expected
answer with ``scaling_lib`` itself (never a typed-in number) and recognises common mistakes, so the
feedback can say what went wrong, not only that something did::

    from scaling_lib import exercises
    exercises.check("power_laws.halve", 7.7)

A :class:`Feedback` prints as a sentence and shows as a coloured box in a notebook.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Callable

from . import _checks, power_laws


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: ``correct`` and a ``message`` saying why.

    ``answered`` is ``False`` while the cell still holds its placeholder ``None``: the feedback is
    then an invitation to answer ("Your turn"), shown in a neutral colour, not a verdict.
    """

    exercise: str
    correct: bool
    message: str
    answered: bool = True

    def __post_init__(self):
        _checks.text(self.exercise, "exercise", empty=False)
        _checks.flag(self.correct, "correct")
        _checks.text(self.message, "message")
        _checks.flag(self.answered, "answered")
        if self.correct and not self.answered:
            raise ValueError("correct and answered: an unanswered exercise cannot be correct")

    @property
    def verdict(self) -> str:
        """``"Correct"``, ``"Not yet"`` (a wrong answer) or ``"Your turn"`` (no answer yet)."""
        if not self.answered:
            return "Your turn"
        return "Correct" if self.correct else "Not yet"

    def __str__(self) -> str:
        return f"{self.verdict} ({self.exercise}): {self.message}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour = {"Correct": "#009E73", "Not yet": "#D55E00", "Your turn": "#0072B2"}[self.verdict]
        return (f'<div style="border-left:4px solid {colour};padding:0.3em 0.8em">'
                f"<strong>{self.verdict}</strong> ({html.escape(self.exercise)}): {html.escape(self.message)}</div>")


def _invitation(exercise: str, prompt: str = "") -> Feedback:
    """The feedback for the placeholder ``None``: what to compute, and how to check it."""
    ask = f"{prompt} " if prompt else ""
    return Feedback(exercise, False, f"{ask}Replace None with your number and run this cell to check it.",
                    answered=False)


@dataclass(frozen=True)
class Mistake:
    """A wrong answer students often give, and what to say about it."""

    value: float
    explanation: str

    def __post_init__(self):
        _checks.scalar(self.value, "value")
        _checks.text(self.explanation, "explanation", empty=False)


def check_number(exercise: str, answer, expected: float, *, rel: float = 0.02,
                 mistakes: tuple = (), unit: str = "") -> Feedback:
    """Compare a numeric ``answer`` with ``expected`` to a relative tolerance ``rel``.

    If the answer is wrong but matches one of ``mistakes`` (to the same tolerance), the feedback
    explains that mistake; otherwise it says whether the answer is too high or too low and by how
    much. A non-numeric answer gets feedback too, never an exception.
    """
    exercise = _checks.text(exercise, "exercise", empty=False)
    expected = _checks.scalar(expected, "expected")
    rel = _checks.scalar(rel, "rel", positive=True)
    unit = _checks.text(unit, "unit")
    if not isinstance(mistakes, (tuple, list)) or not all(isinstance(m, Mistake) for m in mistakes):
        raise _checks.ArgumentTypeError(f"mistakes must be a tuple of Mistake; got {_checks._describe(mistakes)}")
    if answer is None:
        return _invitation(exercise)
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return Feedback(exercise, False, f"the answer should be a number; got {answer!r}")
    if not math.isfinite(value):
        return Feedback(exercise, False, f"the answer should be a finite number; got {value}")
    suffix = f" {unit}" if unit else ""
    if math.isclose(value, expected, rel_tol=rel):
        return Feedback(exercise, True, f"{value:.4g}{suffix} matches {expected:.4g}{suffix} (within {rel:.0%}).")
    for mistake in mistakes:
        if math.isclose(value, mistake.value, rel_tol=rel):
            return Feedback(exercise, False, mistake.explanation)
    direction = "high" if value > expected else "low"
    ratio = value / expected if expected else float("inf")
    return Feedback(exercise, False, f"{value:.4g}{suffix} is too {direction} (it is {ratio:.3g} times the "
                                     f"expected value). Check the formula and the exponent's sign.")


# ---- the book's exercises ---------------------------------------------------------------------

def _power_laws_halve(answer) -> Feedback:
    alpha = 0.34  # the exercise's stated exponent (Hoffmann et al. 2022's alpha)
    return check_number("power_laws.halve", answer, power_laws.scale_for_reduction(alpha, 2.0), mistakes=(
        Mistake(2.0**alpha, "that is 2**alpha, the factor the term changes by when N doubles; to halve the "
                            "term N must grow by 2**(1/alpha)."),
        Mistake(2.0 / alpha, "that is 2/alpha; the growth factor is 2**(1/alpha), a power, not a ratio."),
        Mistake(10.0 ** (1 / alpha), "that divides the term by 10, not by 2: use 2**(1/alpha)."),
    ), unit="times more parameters")


def _power_laws_local_slope(answer) -> Feedback:
    reducible = 5.0 * 100.0**-0.3
    expected = -0.3 * reducible / (1.0 + reducible)
    return check_number("power_laws.local_slope", answer, expected, rel=0.01, mistakes=(
        Mistake(-0.3, "-alpha is the slope of the pure power law; the floor E flattens it by the reducible "
                      "fraction A x^-alpha / (E + A x^-alpha)."),
        Mistake(0.3 * reducible / (1.0 + reducible), "right size, wrong sign: the law falls, so its slope is negative."),
    ))


def _emergence_exact_match(answer) -> Feedback:
    from . import emergence

    return check_number("emergence.exact_match", answer, float(emergence.exact_match(0.9, 10)), mistakes=(
        Mistake(0.9, "that is the per-token probability; exact match needs all 10 tokens right: 0.9**10."),
        Mistake(0.9 * 10, "probabilities multiply, they do not add: the answer is 0.9**10."),
        Mistake(1 - 0.1 * 10, "that subtracts the error rates; the tokens must all be right: 0.9**10."),
    ))


def _kaplan_overfit(answer) -> Feedback:
    from . import kaplan

    n = 175e9
    return check_number("kaplan.overfit", answer, float(kaplan.tokens_to_avoid_overfitting(n)), mistakes=(
        Mistake(5e3 * n, "that is 5e3 x N: the rule grows as N**0.74, not N."),
        Mistake(n**0.74, "that leaves out the coefficient 5e3: D = 5e3 x N**0.74."),
        Mistake(5e3 * n**0.076, "0.076 is alpha_N; the overfitting rule's exponent is 0.74."),
    ), unit="tokens")


def _chinchilla_budget(answer) -> Feedback:
    from . import chinchilla, kaplan

    return check_number("chinchilla.budget", answer,
                        float(chinchilla.compute_optimal(1e24, chinchilla.BESIROGLU_2024).n_params), mistakes=(
        Mistake(float(chinchilla.compute_optimal(1e24, chinchilla.HOFFMANN_2022).n_params),
                "that is the optimum of Hoffmann et al.'s published parameters; the exercise asks for the "
                "replication's refit, BESIROGLU_2024."),
        Mistake(float(kaplan.compute_efficient(1e24).n_params),
                "that is Kaplan et al.'s compute-efficient size; use chinchilla.compute_optimal."),
        Mistake((1e24 / 6 / 20) ** 0.5, "that is the 20-tokens-per-parameter rule of thumb, close but not the "
                                        "law's own optimum: use chinchilla.compute_optimal."),
    ), unit="parameters")


def _experiment_tokens_per_parameter(answer) -> Feedback:
    from . import chinchilla
    from .experiment import analysis

    runs = analysis.load_sweep(0).grid()
    law = chinchilla.fit_approach3(runs["n_params"], runs["n_tokens"], runs["loss"])
    best = chinchilla.compute_optimal(1e12, law)
    return check_number("experiment.tokens_per_parameter", answer, float(best.tokens_per_parameter), mistakes=(
        Mistake(20.0, "20 is Chinchilla's ratio for transformers on web text; the toy has its own law: "
                      "use chinchilla.compute_optimal(1e12, law) with the law fitted to language 0."),
        Mistake(float(best.n_tokens / best.n_params) ** -1, "that is parameters per token; the question asks "
                                                            "for tokens per parameter, D / N."),
        Mistake(float(best.n_params), "that is the optimal number of parameters; divide the tokens by it."),
    ), rel=0.05, unit="tokens per parameter")


EXERCISES: dict[str, tuple[str, Callable[[object], Feedback]]] = {
    "power_laws.halve": ("By what factor must N grow to halve a term A/N^0.34?", _power_laws_halve),
    "power_laws.local_slope": ("The local log-log slope of 1 + 5 x^-0.3 at x = 100.", _power_laws_local_slope),
    "emergence.exact_match": ("Exact match on 10-token answers at 0.9 per token.", _emergence_exact_match),
    "kaplan.overfit": ("Tokens Kaplan et al.'s overfitting rule asks for 175B parameters.", _kaplan_overfit),
    "chinchilla.budget": ("Compute-optimal parameters at 1e24 FLOPs under the refit law.", _chinchilla_budget),
    "experiment.tokens_per_parameter": ("Tokens per parameter of the toy's compute-optimal model at 1e12 FLOPs.",
                                        _experiment_tokens_per_parameter),
}


def check(exercise: str, answer) -> Feedback:
    """Check ``answer`` to the exercise ``exercise`` (see :data:`EXERCISES` for the ids).

    ``answer=None``, the placeholder a chapter's cell starts with, gives an invitation (the
    exercise's prompt and how to check it, ``answered=False``) instead of a verdict."""
    _checks.choice(exercise, "exercise", EXERCISES)
    prompt, checker = EXERCISES[exercise]
    if answer is None:  # the cell's placeholder: invite an answer rather than mark it wrong
        return _invitation(exercise, prompt)
    return checker(answer)


def register(exercise: str, prompt: str, checker: Callable[[object], Feedback]) -> None:
    """Add an exercise (used by the chapters' modules to register their own checkers)."""
    if not isinstance(exercise, str) or "." not in exercise:
        raise ValueError(f"exercise must be an id like 'chapter.name'; got {exercise!r}")
    if exercise in EXERCISES:
        raise ValueError(f"exercise {exercise!r} is already registered")
    prompt = _checks.text(prompt, "prompt", empty=False)
    if not callable(checker):
        raise _checks.ArgumentTypeError(f"checker must be a function of the answer returning a Feedback; "
                                        f"got {_checks._describe(checker)}")
    EXERCISES[exercise] = (prompt, checker)
