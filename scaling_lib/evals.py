"""The noise of a benchmark score, and of the difference between two models' scores.

A score is a mean over questions, so its standard error is the questions' standard deviation over
``sqrt(n)``. Two models answered on *the same* questions are compared by the mean of the per-question
differences, whose standard error (Miller 2024, "Adding error bars to evals", Sec. on paired
differences) is

    SE(a - b) = sqrt((Var a + Var b - 2 Cov(a, b)) / n),

smaller than the independent-samples ``sqrt(SE(a)**2 + SE(b)**2)`` whenever the models tend to get
the same questions right, as models usually do.

Used by the chapter ``limitations``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, special, stats

from . import _checks


def accuracy_standard_error(accuracy, n_questions):
    """Standard error of an accuracy measured on ``n_questions`` independent questions:
    ``sqrt(accuracy (1 - accuracy) / n_questions)``, the binomial one. Two scores from *independent*
    question sets differ with a standard error ``sqrt(2)`` times this (at equal accuracies)."""
    p = _checks.array(accuracy, "accuracy", nonnegative=True)
    if np.any(p > 1):
        raise ValueError("accuracy must lie in [0, 1]")
    n = _checks.array(n_questions, "n_questions", positive=True)
    if np.any(n != np.floor(n)):
        raise ValueError("n_questions must be whole numbers of questions")
    _checks.broadcastable(accuracy=p, n_questions=n)
    return _checks.result(np.sqrt(p * (1 - p) / n))


@dataclass(frozen=True)
class PairedComparison:
    """Two models' scores on the same questions.

    Attributes
    ----------
    n_questions : int
    score_a, score_b : float
        Mean scores (for right/wrong answers, the accuracies).
    difference : float
        ``score_a - score_b``.
    se_a, se_b : float
        Each score's standard error.
    se_independent : float
        The difference's standard error if the two scores came from independent sets of questions.
    se_paired : float
        The difference's standard error from the per-question differences.
    correlation : float
        Between the two models' per-question scores.
    """

    n_questions: int
    score_a: float
    score_b: float
    difference: float
    se_a: float
    se_b: float
    se_independent: float
    se_paired: float
    correlation: float

    def interval(self, level: float = 0.95, *, paired: bool = True) -> tuple:
        """The normal-approximation ``level`` interval of the difference, paired or not."""
        level = _checks.level(level)
        paired = _checks.flag(paired, "paired")
        z = stats.norm.ppf(0.5 + level / 2)
        se = self.se_paired if paired else self.se_independent
        return (float(self.difference - z * se), float(self.difference + z * se))


def paired_comparison(scores_a, scores_b) -> PairedComparison:
    """Compare two models' per-question scores ``scores_a`` and ``scores_b`` (same questions, same order;
    1/0 for right/wrong or any per-question score), as Miller (2024) recommends."""
    a = _checks.array(scores_a, "scores_a", ndim=1, min_size=2)
    b = _checks.array(scores_b, "scores_b", ndim=1, min_size=2)
    if a.shape != b.shape:
        raise ValueError(f"scores_a and scores_b must score the same questions; got {a.size} and {b.size}")
    n = a.size
    var_a, var_b = np.var(a, ddof=1), np.var(b, ddof=1)
    var_d = np.var(a - b, ddof=1)
    corr = float(np.corrcoef(a, b)[0, 1]) if var_a > 0 and var_b > 0 else float("nan")
    se_a, se_b = np.sqrt(var_a / n), np.sqrt(var_b / n)
    return PairedComparison(n_questions=int(n), score_a=float(a.mean()), score_b=float(b.mean()),
                            difference=float(a.mean() - b.mean()), se_a=float(se_a), se_b=float(se_b),
                            se_independent=float(np.hypot(se_a, se_b)), se_paired=float(np.sqrt(var_d / n)),
                            correlation=corr)


def simulate_two_models(n_questions: int, accuracy_a: float, accuracy_b: float, *, difficulty_spread: float = 2.0,
                        seed: int = 0) -> tuple:
    """Right/wrong answers of two models on the same ``n_questions`` questions, simulated (seeded).

    Each question has a difficulty drawn from a normal distribution of standard deviation
    ``difficulty_spread`` (in logits); a model of skill ``s`` answers it right with probability
    ``sigmoid(s - difficulty)``, independently of the other model. The skills are set so that the
    expected accuracies over the drawn questions are ``accuracy_a`` and ``accuracy_b``. Shared
    difficulty is what makes the two models' answers correlated; ``difficulty_spread = 0`` makes them
    independent.

    Returns
    -------
    tuple of ndarray
        The two models' answers, 1.0 for right and 0.0 for wrong.
    """
    n = _checks.scalar(n_questions, "n_questions", integer=True, low=2, high=10_000_000)
    acc = [_checks.scalar(v, name, low=1e-6, high=1 - 1e-6)
           for v, name in ((accuracy_a, "accuracy_a"), (accuracy_b, "accuracy_b"))]
    spread = _checks.scalar(difficulty_spread, "difficulty_spread", nonnegative=True, high=20.0)
    seed = _checks.scalar(seed, "seed", integer=True, nonnegative=True)
    rng = np.random.default_rng(seed)
    difficulty = spread * rng.standard_normal(n)
    answers = []
    for target in acc:
        skill = optimize.brentq(lambda s: special.expit(s - difficulty).mean() - target, -60.0, 60.0)
        answers.append((rng.random(n) < special.expit(skill - difficulty)).astype(float))
    return tuple(answers)
