"""The capstone: a scaling study on a fixed compute budget, graded against the truth.

Two services stand in for a cluster; each charges a run's ``6 N D`` FLOPs to a budget and refuses a
run that would overspend it.

* :class:`ToyTrainingService` really trains: ``train(width, n_tokens)`` trains one of the book's own
  models (:mod:`scaling_lib.experiment`) on a synthetic language, a different one for every
  ``language_seed``, and returns its exact final loss. The truth it is graded against is measured the
  same way, by the IsoFLOP valley of the target budget.
* :class:`TrainingService` is instant: ``train(n_params, n_tokens)`` returns a hidden Chinchilla-form
  law, different for every ``seed`` (drawn around Besiroglu et al.'s refit), plus log-normal
  run-to-run noise, at the scale of real language models.

The student spends the budget on small runs, fits a law, and predicts the compute-optimal model and
its loss at a much larger budget; :func:`grade` scores the prediction against the truth.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import _checks
from .compute import tokens_for_budget, training_flops
from .chinchilla import BESIROGLU_2024, Allocation, ParametricLaw, isoflop_minimum, loss
from .chinchilla.law import _optimal


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
    runs: list = field(default_factory=list, init=False)
    _law: ParametricLaw = field(init=False, repr=False)
    _rng: np.random.Generator = field(init=False, repr=False)

    def __post_init__(self):
        self.budget_flops = _checks.scalar(self.budget_flops, "budget_flops", positive=True)
        self.noise = _checks.scalar(self.noise, "noise", nonnegative=True, high=5.0)
        self._law = hidden_law(self.seed)
        self._rng = np.random.default_rng([self.seed, 7])

    @property
    def spent_flops(self) -> float:
        return float(sum(training_flops(n, d) for n, d, _ in self.runs))

    @property
    def remaining_flops(self) -> float:
        return self.budget_flops - self.spent_flops

    def train(self, n_params: float, n_tokens: float) -> float:
        """Train a model of ``n_params`` parameters on ``n_tokens`` tokens and return its final loss
        (nats/token). Raises ``ValueError`` if the run would overspend the budget."""
        n = _checks.scalar(n_params, "n_params", low=1e4)
        d = _checks.scalar(n_tokens, "n_tokens", low=1e4)
        cost = training_flops(n, d)
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
        return {"n_params": n, "n_tokens": d, "flops": training_flops(n, d), "loss": l}

    def truth(self, target_flops: float) -> Allocation:
        """The compute-optimal model and its loss at ``target_flops`` under the hidden law."""
        c = _checks.scalar(target_flops, "target_flops", positive=True)
        return _optimal(np.asarray(c), self._law, "target_flops")


@dataclass
class ToyTrainingService:
    """A budgeted service that trains the book's own models for real (see the module docstring).

    Parameters
    ----------
    budget_flops : float, default 3e11
        What the student may spend, FLOPs (``6 N D`` per run, ``N`` non-embedding parameters).
    language_seed : int, default 2
        The world: the synthetic language of :func:`scaling_lib.experiment.language.build_language`.
        Languages 0 and 1 are the experiment chapter's own, whose runs are in ``data/``: give each
        student another seed.

    Each run trains a fresh model with its own seed (its number in :attr:`runs`), so asking for the
    same run twice gives two samples of the seed-to-seed spread, as on a real cluster. The language
    is built on the first run (about 10 s).
    """

    budget_flops: float = 3e11
    language_seed: int = 2
    runs: list = field(default_factory=list, init=False)
    _truths: dict = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self):
        self.budget_flops = _checks.scalar(self.budget_flops, "budget_flops", positive=True)
        self.language_seed = _checks.scalar(self.language_seed, "language_seed", integer=True, nonnegative=True)

    def _language(self):
        from .experiment import language

        return language.build_language(self.language_seed)

    @property
    def spent_flops(self) -> float:
        return float(sum(training_flops(n, d) for n, d, _, _ in self.runs))

    @property
    def remaining_flops(self) -> float:
        return self.budget_flops - self.spent_flops

    def train(self, width: int, n_tokens: int) -> float:
        """Train the model of ``width`` hidden units on ``n_tokens`` fresh tokens and return its exact
        final loss (nats/token). Raises ``ValueError`` if the run would overspend the budget."""
        from .experiment import model, training

        h = _checks.scalar(width, "width", integer=True, low=1, high=4096)
        d = _checks.scalar(n_tokens, "n_tokens", integer=True, low=model.BATCH_SIZE, high=10**9)
        n = model.parameter_counts(h)[0]
        cost = training_flops(n, d)
        if cost > self.remaining_flops * (1 + 1e-12):
            raise ValueError(f"width x n_tokens costs {cost:.3g} FLOPs but only {self.remaining_flops:.3g} "
                             f"of the budget remain")
        result = training.train(self._language(), h, d, seed=len(self.runs), eval_fractions=(1.0,))
        self.runs.append((n, d, result.final_loss, h))
        return result.final_loss

    def history(self) -> dict:
        """The runs so far as arrays ``width``, ``n_params``, ``n_tokens``, ``flops`` and ``loss``."""
        keys = ("n_params", "n_tokens", "loss", "width")
        if not self.runs:
            return {k: np.array([]) for k in keys + ("flops",)}
        out = {k: np.array(v) for k, v in zip(keys, zip(*self.runs))}
        out["flops"] = training_flops(out["n_params"], out["n_tokens"])
        return out

    def truth(self, target_flops: float) -> Allocation:
        """The compute-optimal model at ``target_flops`` (one of the experiment's budgets), measured:
        the minimum of the IsoFLOP parabola through the sweep's eleven widths at that budget, one run
        (seed 0) each, so a reference with one seed's noise in it, not an exact optimum. Read from
        ``data/`` for the chapter's languages; otherwise trained once (about 2 minutes at 1e12 FLOPs on
        two cores) and kept."""
        from .experiment import analysis, sweep

        c = sweep.BUDGETS[sweep.budget_index(target_flops, "target_flops")]
        if c not in self._truths:
            if self.language_seed in sweep.LANGUAGE_SEEDS:
                runs = analysis.load_sweep(self.language_seed).grid()
                runs = {k: v[runs["budget_flops"] == c] for k, v in runs.items()}
            else:
                specs = [spec for spec in sweep.sweep_specs(self.language_seed) if spec.budget == c and spec.seed == 0]
                done = sweep.run_sweep(self._language(), specs, workers=2)
                runs = {"n_params": np.array([r["n_params"] for r in done]),
                        "loss": np.array([r["loss"] for r in done])}
            n_opt, loss_opt = isoflop_minimum(runs["n_params"], runs["loss"])
            d_opt = tokens_for_budget(c, n_opt)
            self._truths[c] = Allocation(flops=c, n_params=n_opt, n_tokens=d_opt, loss=loss_opt,
                                         tokens_per_parameter=d_opt / n_opt)
        return self._truths[c]


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

    The prediction is scored against ``service.truth(target_flops)``: for a :class:`TrainingService`
    the exact optimum of its hidden law; for a :class:`ToyTrainingService` a measured reference, the
    minimum of the IsoFLOP parabola through one seed's runs at that budget (not the lowest run), which
    carries that seed's noise. The feedback calls the first "true" and the second "reference".

    Half the score is for the model size: full within a factor of 1.25 of the truth, none beyond a
    factor of 4 (linear in log between). Half is for the loss: full within 2 %, none beyond 15 %.
    """
    _checks.instance(service, "service", (TrainingService, ToyTrainingService),
                     "a TrainingService or a ToyTrainingService")
    c = _checks.scalar(target_flops, "target_flops", positive=True)
    n = _checks.scalar(predicted_n_params, "predicted_n_params", positive=True)
    l = _checks.scalar(predicted_loss, "predicted_loss", positive=True)
    truth = service.truth(c)
    factor = _checks.finite(lambda: max(n / truth.n_params, truth.n_params / n), "predicted_n_params",
                            "its ratio to the true size")
    size_points = float(np.clip((np.log10(4.0) - np.log10(factor)) / (np.log10(4.0) - np.log10(1.25)), 0, 1))
    error = _checks.finite(lambda: abs(l / float(truth.loss) - 1.0), "predicted_loss", "its relative error")
    loss_points = float(np.clip((0.15 - error) / (0.15 - 0.02), 0, 1))
    score = 50 * size_points + 50 * loss_points
    # the simulated world knows its law; the toy's answer is measured, one seed's parabola minimum
    what = "true" if isinstance(service, TrainingService) else "reference"
    feedback = (f"score {score:.0f}/100\n"
                f"model size: off by a factor of {factor:.2f} ({what} N = {truth.n_params:.3g})\n"
                f"loss: off by {f'{100 * error:.1f} %' if error < 1e6 else f'{error:.3g} times'} "
                f"({what} loss {float(truth.loss):.3f})\n"
                f"spent {service.spent_flops:.3g} of {service.budget_flops:.3g} FLOPs on {len(service.runs)} runs")
    return Grade(score=score, n_params_factor=factor, loss_error=error, truth=truth, feedback=feedback)
