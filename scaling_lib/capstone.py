"""The capstone: a scaling study on a fixed compute budget, graded against the truth.

A :class:`TrainingService` stands in for a cluster: ``train(n_params, n_tokens)`` returns the final loss
of that run and charges its ``6 N D`` FLOPs to the budget. Behind it is a hidden Chinchilla-form law,
different for every ``seed`` (drawn around Besiroglu et al.'s refit), plus log-normal run-to-run
noise. The student spends the budget on small runs, fits a law, and predicts the compute-optimal model
and its loss at a much larger budget; :func:`grade` scores the prediction against the hidden truth.

(The book's own toy-model family will replace the stated law as the backend once it exists; the
interface will stay the same.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import _checks
from .chinchilla import BESIROGLU_2024, Allocation, ParametricLaw, compute_optimal, loss


def hidden_law(seed: int) -> ParametricLaw:
    """The law behind the service for ``seed``: each parameter of the refit law scaled by a random factor
    (E by up to ±5 %, A and B by up to ±30 %, alpha and beta by up to ±10 %)."""
    seed = _checks.scalar(seed, "seed", integer=True, nonnegative=True)
    rng = np.random.default_rng([seed, 2024])
    base = BESIROGLU_2024
    u = rng.uniform(-1.0, 1.0, 5)
    return ParametricLaw(E=base.E * (1 + 0.05 * u[0]), A=base.A * (1 + 0.3 * u[1]), B=base.B * (1 + 0.3 * u[2]),
                         alpha=base.alpha * (1 + 0.1 * u[3]), beta=base.beta * (1 + 0.1 * u[4]),
                         name=f"capstone world {seed}")


@dataclass
class TrainingService:
    """A budgeted training service. ``budget_flops`` is what the student may spend; ``noise`` the
    standard deviation of the log of a run's loss around the hidden law."""

    budget_flops: float = 1e21
    seed: int = 0
    noise: float = 0.01
    runs: list = field(default_factory=list)
    _law: ParametricLaw = field(init=False, repr=False)
    _rng: np.random.Generator = field(init=False, repr=False)

    def __post_init__(self):
        self.budget_flops = _checks.scalar(self.budget_flops, "budget_flops", positive=True)
        self.noise = _checks.scalar(self.noise, "noise", nonnegative=True)
        self._law = hidden_law(self.seed)
        self._rng = np.random.default_rng([self.seed, 7])

    @property
    def spent_flops(self) -> float:
        return float(sum(6.0 * n * d for n, d, _ in self.runs))

    @property
    def remaining_flops(self) -> float:
        return self.budget_flops - self.spent_flops

    def train(self, n_params: float, n_tokens: float) -> float:
        """Train a model of ``n_params`` parameters on ``n_tokens`` tokens and return its final loss
        (nats/token). Raises ``ValueError`` if the run would overspend the budget."""
        n = _checks.scalar(n_params, "n_params", low=1e4)
        d = _checks.scalar(n_tokens, "n_tokens", low=1e4)
        cost = 6.0 * n * d
        if cost > self.remaining_flops * (1 + 1e-12):
            raise ValueError(f"n_params x n_tokens costs {cost:.3g} FLOPs but only {self.remaining_flops:.3g} "
                             f"of the budget remain")
        value = float(loss(n, d, self._law)) * float(np.exp(self.noise * self._rng.standard_normal()))
        self.runs.append((n, d, value))
        return value

    def history(self) -> dict:
        """The runs so far as arrays ``n_params``, ``n_tokens``, ``flops`` and ``loss``."""
        if not self.runs:
            return {k: np.array([]) for k in ("n_params", "n_tokens", "flops", "loss")}
        n, d, l = (np.array(v) for v in zip(*self.runs))
        return {"n_params": n, "n_tokens": d, "flops": 6.0 * n * d, "loss": l}


@dataclass(frozen=True)
class Grade:
    """The score (0 to 100) of a prediction, its errors, and the truth it was scored against."""

    score: float
    n_params_factor: float
    loss_error: float
    truth: Allocation
    feedback: str

    def __str__(self) -> str:
        return self.feedback


def grade(service: TrainingService, *, target_flops: float, predicted_n_params: float,
          predicted_loss: float) -> Grade:
    """Score a prediction of the compute-optimal model size and loss at ``target_flops``.

    Half the score is for the model size: full within a factor of 1.25 of the truth, none beyond a
    factor of 4 (linear in log between). Half is for the loss: full within 2 %, none beyond 15 %.
    """
    if not isinstance(service, TrainingService):
        raise ValueError(f"service must be a TrainingService; got {service!r}")
    c = _checks.scalar(target_flops, "target_flops", positive=True)
    n = _checks.scalar(predicted_n_params, "predicted_n_params", positive=True)
    l = _checks.scalar(predicted_loss, "predicted_loss", positive=True)
    truth = compute_optimal(c, service._law)
    factor = float(max(n / truth.n_params, truth.n_params / n))
    size_points = float(np.clip((np.log10(4.0) - np.log10(factor)) / (np.log10(4.0) - np.log10(1.25)), 0, 1))
    error = abs(l / float(truth.loss) - 1.0)
    loss_points = float(np.clip((0.15 - error) / (0.15 - 0.02), 0, 1))
    score = 50 * size_points + 50 * loss_points
    feedback = (f"score {score:.0f}/100\n"
                f"model size: off by a factor of {factor:.2f} (true N = {truth.n_params:.3g})\n"
                f"loss: off by {100 * error:.1f} % (true loss {float(truth.loss):.3f})\n"
                f"spent {service.spent_flops:.3g} of {service.budget_flops:.3g} FLOPs on {len(service.runs)} runs")
    return Grade(score=score, n_params_factor=factor, loss_error=error, truth=truth, feedback=feedback)
