"""When the data runs out: repeated tokens (Muennighoff et al. 2023). The stock of public text they
run out of (Villalobos et al. 2024) is :mod:`scaling_lib.text_stock`.

Repeating ``U`` unique tokens for ``epochs`` epochs means ``R = epochs - 1`` repetitions. Muennighoff
et al. found them worth

    D' = U + U R* (1 - exp(-R / R*))

fresh tokens, with a fitted decay constant ``R*_D ≈ 15.4``: almost fully for the first few epochs, then
less and less, and never more than ``U (1 + R*)``. Parameters beyond the compute-optimal size for ``U``
tokens lose value the same way, with ``R*_N ≈ 5.3``. Their loss is the Chinchilla form with both
substitutions, ``L = E + A / N'**alpha + B / D'**beta``, and constants fitted on their own runs (C4,
GPT-2 tokenizer), so its loss values are not comparable with Hoffmann et al.'s.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize

from . import _checks, chinchilla, published_runs
from .compute import _tokens_for_budget, tokens_for_budget, training_flops
from ._report import Report, SelfReporting, number
from .published import Source


@dataclass(frozen=True)
class RepetitionLaw:
    """A Chinchilla-form ``law`` with the decay constants of repeated data (``r_star_d``) and of excess
    parameters (``r_star_n``), fitted together."""

    law: chinchilla.ParametricLaw
    r_star_d: float
    r_star_n: float
    source: Source

    def __post_init__(self):
        _checks.instance(self.law, "law", chinchilla.ParametricLaw, "a chinchilla.ParametricLaw")
        _checks.scalar(self.r_star_d, "r_star_d", positive=True)
        _checks.scalar(self.r_star_n, "r_star_n", positive=True)
        _checks.instance(self.source, "source", Source, "a scaling_lib.published.Source")


_MUENNIGHOFF_SOURCE = Source(
    "muennighoff2023scaling",
    "the data-constrained scaling law (R*_D = 15.4, R*_N = 5.3); full-precision constants as published "
    "with the paper's code, github.com/huggingface/datablations (README, Parametric Fit)")

#: Muennighoff et al.'s fit: E = e^0.6254804, A = e^6.255414, B = e^7.3049974,
#: alpha = beta = 0.3526596, R*_D = 15.387756, R*_N = 5.309743.
MUENNIGHOFF_2023 = RepetitionLaw(
    law=chinchilla.ParametricLaw(E=math.exp(0.6254804), A=math.exp(6.255414), B=math.exp(7.3049974),
                                 alpha=0.3526596, beta=0.3526596,
                                 name="Muennighoff et al. (2023), data-constrained fit",
                                 source=_MUENNIGHOFF_SOURCE),
    r_star_d=15.387756, r_star_n=5.309743, source=_MUENNIGHOFF_SOURCE)


def _repetition_law(law) -> RepetitionLaw:
    return _checks.instance(law, "law", RepetitionLaw, "a RepetitionLaw such as MUENNIGHOFF_2023")


def _decayed(unique, repeats, r_star):
    """``U + U R* (1 - exp(-R/R*))``: what ``R`` repetitions of ``U`` are worth."""
    return unique + unique * r_star * -np.expm1(-repeats / r_star)


def effective_tokens(unique_tokens, epochs, *, r_star: float = MUENNIGHOFF_2023.r_star_d):
    """The fresh tokens that ``unique_tokens`` seen for ``epochs`` epochs are worth: ``D'``.

    Parameters
    ----------
    unique_tokens : float or array_like
        Distinct tokens in the training set, ``U`` (> 0).
    epochs : float or array_like
        Passes over them (>= 1; fractional passes allowed). ``R = epochs - 1`` are repetitions.
    r_star : float, default 15.387756
        Decay constant ``R*_D`` (Muennighoff et al.: 15.4). Larger means repeats keep their value longer.

    Returns
    -------
    float or ndarray
        Effective tokens: ``U`` at one epoch, never more than the ``U * epochs`` tokens seen, and
        approaching ``U (1 + r_star)`` as the epochs grow.
    """
    u = _checks.array(unique_tokens, "unique_tokens", positive=True)
    e = _checks.array(epochs, "epochs")
    if np.any(e < 1):
        raise ValueError(f"epochs must be >= 1 (one pass over the unique tokens); smallest is {e.min()}")
    r_star = _checks.scalar(r_star, "r_star", positive=True)
    _checks.broadcastable(unique_tokens=u, epochs=e)
    return _checks.finite(lambda: _decayed(u, e - 1.0, r_star), "unique_tokens, epochs and r_star", "D'")


def unique_tokens_equivalent(epochs, *, r_star: float = MUENNIGHOFF_2023.r_star_d):
    """The share of the tokens seen that repetition keeps: ``D' / (U * epochs)``, from 1 down to 0."""
    e = _checks.array(epochs, "epochs")
    return _checks.result(np.asarray(effective_tokens(1.0, e, r_star=r_star)) / e)


def _optimal_params_for_tokens(tokens, base: chinchilla.ParametricLaw):
    """The compute-optimal model size for a run of ``tokens`` tokens under ``base`` (``U_N`` in the
    paper): invert ``D_opt = (C/6)**b / G`` and use ``N_opt = G (C/6)**a``."""
    G = (base.alpha * base.A / (base.beta * base.B)) ** (1.0 / (base.alpha + base.beta))
    return G * (tokens * G) ** (base.beta / base.alpha)


def effective_params(n_params, unique_tokens, law: RepetitionLaw = MUENNIGHOFF_2023):
    """The parameters ``N'`` that count: beyond ``U_N``, the compute-optimal size for ``unique_tokens``
    fresh tokens, excess parameters lose value with the decay constant ``R*_N``."""
    law = _repetition_law(law)
    n = _checks.array(n_params, "n_params", positive=True)
    u = _checks.array(unique_tokens, "unique_tokens", positive=True)
    _checks.broadcastable(n_params=n, unique_tokens=u)
    return _effective_params(n, u, law, "n_params and unique_tokens")


def _effective_params(n, u, law, names):
    u_n = _checks.finite(lambda: np.minimum(n, _optimal_params_for_tokens(u, law.law)), names, "U_N")
    if np.any(u_n <= 0):
        raise ValueError(f"{names}: the compute-optimal size U_N for these tokens underflows to 0")
    return _checks.finite(lambda: _decayed(u_n, n / u_n - 1.0, law.r_star_n), names, "N'")


def loss(n_params, n_tokens, unique_tokens, law: RepetitionLaw = MUENNIGHOFF_2023):
    """Muennighoff et al.'s data-constrained loss, nats per token on their validation data:
    ``E + A / N'**alpha + B / D'**beta`` for ``n_tokens`` tokens drawn from ``unique_tokens`` distinct ones.

    With ``n_tokens <= unique_tokens`` (no repetition) and a model no larger than compute-optimal for
    them, it is the plain Chinchilla-form law.
    """
    law = _repetition_law(law)
    n = _checks.array(n_params, "n_params", positive=True)
    d = _checks.array(n_tokens, "n_tokens", positive=True)
    u = _checks.array(unique_tokens, "unique_tokens", positive=True)
    _checks.broadcastable(n_params=n, n_tokens=d, unique_tokens=u)
    return _loss(n, d, u, law, "n_params, n_tokens and unique_tokens")


def _loss(n, d, u, law, names):
    u = np.minimum(u, d)  # fewer tokens than the stock: every token is fresh
    d_eff = _checks.finite(lambda: _decayed(u, d / u - 1.0, law.r_star_d), names, "D'")
    n_eff = np.asarray(_effective_params(n, u, law, names))
    base = law.law
    return _checks.finite(lambda: base.E + base.A * n_eff ** -base.alpha + base.B * d_eff ** -base.beta, names,
                          "the loss")


def repeated_data_loss(n_params, unique_tokens, epochs, law: RepetitionLaw = MUENNIGHOFF_2023):
    """The predicted loss of ``n_params`` trained for ``epochs`` epochs on ``unique_tokens`` tokens."""
    law = _repetition_law(law)
    n = _checks.array(n_params, "n_params", positive=True)
    u = _checks.array(unique_tokens, "unique_tokens", positive=True)
    e = _checks.array(epochs, "epochs")
    if np.any(e < 1):
        raise ValueError(f"epochs must be >= 1 (one pass over the unique tokens); smallest is {e.min()}")
    _checks.broadcastable(n_params=n, unique_tokens=u, epochs=e)
    names = "n_params, unique_tokens and epochs"
    return _loss(n, _checks.finite(lambda: u * e, names, "the tokens seen"), u, law, names)


@dataclass(frozen=True)
class ConstrainedAllocation:
    """The lowest-loss model for ``flops`` when only ``unique_tokens`` distinct tokens exist:
    ``n_params``, ``n_tokens`` (tokens seen), ``epochs``, ``loss``; and ``unconstrained_n_params`` and
    ``unconstrained_loss``, the same law's optimum with unlimited fresh data."""

    flops: float
    unique_tokens: float
    n_params: float
    n_tokens: float
    epochs: float
    loss: float
    unconstrained_n_params: float
    unconstrained_loss: float


def compute_optimal(flops: float, unique_tokens: float,
                    law: RepetitionLaw = MUENNIGHOFF_2023) -> ConstrainedAllocation:
    """Minimise :func:`loss` over the model size at ``flops = 6 N D`` with ``unique_tokens`` available
    (a bounded search in ``ln N`` around the unconstrained optimum)."""
    law = _repetition_law(law)
    c = _checks.scalar(flops, "flops", positive=True)
    u = _checks.scalar(unique_tokens, "unique_tokens", positive=True)
    free = chinchilla.compute_optimal(c, law.law)
    centre = math.log(float(free.n_params))

    def objective(x):
        n = math.exp(x)
        return float(_loss(n, _tokens_for_budget(c, n), u, law, "flops and unique_tokens"))

    sol = optimize.minimize_scalar(objective, bounds=(centre - 12.0, centre + 12.0), method="bounded",
                                   options={"xatol": 1e-9})
    n = math.exp(sol.x)
    d = tokens_for_budget(c, n)
    return ConstrainedAllocation(flops=c, unique_tokens=u, n_params=n, n_tokens=d,
                                 epochs=_checks.finite(lambda: max(d / u, 1.0), "flops and unique_tokens", "the epochs"),
                                 loss=float(sol.fun),
                                 unconstrained_n_params=float(free.n_params),
                                 unconstrained_loss=float(free.loss))


# ---- the fit of R*_D and R*_N, redone on the authors' runs ------------------------------------

#: The starts of Muennighoff et al.'s fit (App. A): R*_N and R*_D each in {0, 4, ..., 20}; a start at 0
#: is degenerate (0/0 at one epoch), so the book's grid starts at 4.
PAPER_GRID = tuple((float(rd), float(rn)) for rd in (4, 8, 12, 16, 20) for rn in (4, 8, 12, 16, 20))
#: The Huber threshold of their objective, in ln(loss), as in Hoffmann et al.'s.
HUBER_DELTA = 1e-3

#: The worked example published with the authors' code (README, "Parametric Fit", at commit
#: 0c76502267929830725f1de47a1b7b02bec78af4 of github.com/huggingface/datablations): the optimal
#: allocation, by a grid search, of the budget of an 8.67e9-parameter model on 178e9 tokens when
#: 25e9 unique tokens exist. (A later revision of that README, from September 2024, gives 7.02e9
#: parameters, 237e9 tokens and 9.49 epochs; the book pins this one.)
README_EXAMPLE = {"flops": training_flops(8.67e9, 178e9), "unique_tokens": 25e9, "n_params": 6.8e9, "n_tokens": 227e9,
                  "epochs": 9.1}
#: The README's two predicted losses of Figure 1 (right): (parameters, tokens, unique tokens) -> loss.
README_LOSSES = {(6.34e9, 242e9, 25e9): 2.2256440889984477, (8.67e9, 178e9, 25e9): 2.2269634075087867}
README_SOURCE = Source("muennighoff2023scaling", "README of github.com/huggingface/datablations, "
                       "Parametric Fit, commit 0c76502267929830725f1de47a1b7b02bec78af4")


def _constrained_log_loss(base, n, d, u, r_star_d, r_star_n):
    """``ln L`` of the data-constrained law for runs ``(n, d, u)``, for arrays of ``R*`` (broadcast)."""
    u = np.minimum(u, d)
    d_eff = _decayed(u, d / u - 1.0, r_star_d)
    u_n = np.minimum(n, _optimal_params_for_tokens(u, base))
    n_eff = _decayed(u_n, n / u_n - 1.0, r_star_n)
    return np.log(base.E + base.A * n_eff ** -base.alpha + base.B * d_eff ** -base.beta)


def _huber(r, delta=HUBER_DELTA):
    a = np.abs(r)
    return np.where(a <= delta, 0.5 * r * r, delta * (a - 0.5 * delta))


@dataclass(frozen=True)
class RepetitionFit:
    """``R*_D`` and ``R*_N`` fitted to runs with the base law held fixed.

    Attributes
    ----------
    law : RepetitionLaw
        The base law with the fitted constants.
    objective : float
        The summed Huber loss (delta 1e-3) of ``ln L_law - ln L`` at the fit.
    residuals : ndarray
        ``ln L_law - ln L`` of every run.
    n_points : int
        Runs fitted.
    starts : tuple
        The ``(R*_D, R*_N)`` starting points tried.
    optima : ndarray, shape (starts, 3)
        Where each start ended: ``R*_D, R*_N, objective``.
    """

    law: RepetitionLaw
    objective: float
    residuals: np.ndarray
    n_points: int
    starts: tuple
    optima: np.ndarray

    r_star_d = property(lambda self: self.law.r_star_d)
    r_star_n = property(lambda self: self.law.r_star_n)


def _repetition_runs(n_params, n_tokens, unique_tokens, losses):
    arrays = [_checks.array(v, name, positive=True, ndim=1, min_size=3) for v, name in
              ((n_params, "n_params"), (n_tokens, "n_tokens"), (unique_tokens, "unique_tokens"), (losses, "losses"))]
    _checks.same_shape(n_params=arrays[0], n_tokens=arrays[1], unique_tokens=arrays[2], losses=arrays[3])
    if np.any(arrays[2] > arrays[1] * (1 + 1e-9)):
        raise ValueError("unique_tokens must not exceed n_tokens (a run sees each unique token at least once)")
    return arrays


def fit_repetition_constants(n_params, n_tokens, unique_tokens, losses, *,
                             base: chinchilla.ParametricLaw = MUENNIGHOFF_2023.law,
                             starts=PAPER_GRID) -> RepetitionFit:
    """Fit the decay constants ``R*_D`` and ``R*_N`` of :func:`loss` to runs, the base law held fixed,
    as Muennighoff et al. (2023, App. A) did.

    The objective is theirs: the Huber loss (delta 1e-3) of ``ln L_law - ln L`` summed over runs,
    minimised by L-BFGS from each of ``starts``; the best optimum is the fit. The objective is flat
    along a valley in ``(R*_D, R*_N)``, so the starts matter: from the paper's grid the fit lands where
    theirs did, and :func:`refit_data_constrained` also searches further out.

    Parameters
    ----------
    n_params, n_tokens, unique_tokens, losses : array_like
        The runs: parameters, tokens seen, distinct tokens (<= tokens seen), final loss in nats per
        token. At least 3 runs.
    base : ParametricLaw, default the authors' C4 law (MUENNIGHOFF_2023.law)
    starts : sequence of (R*_D, R*_N), default :data:`PAPER_GRID`
        Starting points, each entry > 0.

    Returns
    -------
    RepetitionFit
    """
    n, d, u, l = _repetition_runs(n_params, n_tokens, unique_tokens, losses)
    if not isinstance(base, chinchilla.ParametricLaw):
        raise ValueError(f"base must be a ParametricLaw such as MUENNIGHOFF_2023.law; got {base!r}")
    x0 = _checks.array(starts, "starts", positive=True, ndim=2)
    if x0.shape[1] != 2:
        raise ValueError(f"starts must be pairs (R*_D, R*_N); got shape {x0.shape}")
    log_l = np.log(l)

    def objective(x):
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            value = float(np.sum(_huber(_constrained_log_loss(base, n, d, u, x[0], x[1]) - log_l)))
        return value if np.isfinite(value) else 1e30

    optima = []
    for start in x0:
        sol = optimize.minimize(objective, start, method="L-BFGS-B", bounds=[(1e-3, 1e4), (1e-3, 1e4)])
        optima.append((sol.x[0], sol.x[1], sol.fun))
    optima = np.array(optima)
    best = optima[int(np.argmin(optima[:, 2]))]
    law = RepetitionLaw(law=base, r_star_d=float(best[0]), r_star_n=float(best[1]),
                        source=Source("muennighoff2023scaling", "refitted by the book to the authors' runs"))
    residuals = _constrained_log_loss(base, n, d, u, law.r_star_d, law.r_star_n) - log_l
    return RepetitionFit(law=law, objective=float(best[2]), residuals=residuals, n_points=int(n.size),
                         starts=tuple(map(tuple, x0.tolist())), optima=optima)


def implied_effective_tokens(n_params, n_tokens, unique_tokens, losses, law: RepetitionLaw = MUENNIGHOFF_2023):
    """The fresh tokens ``D'`` that each run's measured loss implies under ``law``: the law's loss
    solved for ``D'`` with the run's ``N'``, ``(B / (L - E - A / N'**alpha))**(1/beta)``.

    Divided by the run's unique tokens it sits on the curve ``D'/U`` of :func:`effective_tokens` if the
    law fits the run exactly. A loss at or below ``E + A / N'**alpha``, which no amount of data
    could reach under the law, gives ``inf``.

    Returns
    -------
    ndarray
        Tokens.
    """
    law = _repetition_law(law)
    n, d, u, l = _repetition_runs(n_params, n_tokens, unique_tokens, losses)
    base = law.law
    n_eff = np.asarray(effective_params(n, np.minimum(u, d), law))
    room = l - base.E - base.A * n_eff ** -base.alpha
    with np.errstate(divide="ignore", over="ignore"):
        return np.where(room > 0, (base.B / np.where(room > 0, room, 1.0)) ** (1.0 / base.beta), np.inf)


@dataclass(frozen=True)
class DataConstrainedRefit(SelfReporting):
    """Muennighoff et al.'s fit of ``R*_D`` and ``R*_N``, redone on their 182 runs. It reports itself
    (:meth:`report`, :meth:`example_report`, and a table in a notebook).

    Attributes
    ----------
    fit : RepetitionFit
        From the paper's grid of starts.
    published : RepetitionLaw
        The authors' constants (:data:`MUENNIGHOFF_2023`).
    published_objective : float
        The objective at the published constants, on the same runs.
    wide : RepetitionFit
        The same fit from a wider grid of starts (``R*_D`` up to 200).
    profile : ndarray, shape (k, 3)
        The objective's profile along ``R*_D``: ``R*_D``, the best ``R*_N`` for it, the objective.
    example : dict
        The README's worked example (:data:`README_EXAMPLE`) beside the optimum that the refit and the
        published constants give for its budget and stock (:class:`ConstrainedAllocation`).
    epochs : ndarray
        Each run's epochs, ``n_tokens / unique_tokens``.
    """

    fit: RepetitionFit
    published: RepetitionLaw
    published_objective: float
    wide: RepetitionFit = field(repr=False)
    profile: np.ndarray = field(repr=False)
    example: dict = field(repr=False)
    epochs: np.ndarray = field(repr=False)

    def _summary(self) -> Report:
        rows = (("refit", self.fit.r_star_d, self.fit.r_star_n, self.fit.objective),
                ("Muennighoff et al.", self.published.r_star_d, self.published.r_star_n, self.published_objective),
                ("wider starts", self.wide.r_star_d, self.wide.r_star_n, self.wide.objective))
        rms = float(np.sqrt(np.mean(self.fit.residuals ** 2)))
        return Report(f"R*_D and R*_N refitted to {self.fit.n_points} runs, the base law held fixed",
                      ("constants", "R*_D", "R*_N", "objective"),
                      tuple((name, number(d), number(n), number(o)) for name, d, n, o in rows),
                      ("objective: summed Huber loss (delta 1e-3) of ln-loss residuals",
                       f"refit from the paper's grid of starts; rms residual {number(rms)} in ln loss",
                       "wider starts: R*_D up to 200"))

    def report(self) -> str:
        """A plain-text summary: ``R*_D``, ``R*_N`` and the objective of the refit, of the published
        constants on the same runs and of the fit from wider starts; the rms residual. Numbers to 4
        significant digits (``.4g``). The worked example is :meth:`example_report`."""
        return self._summary().text()

    def example_report(self) -> str:
        """The README's worked example beside the optimum of the refit and of the published constants:
        ``N``, ``D`` and epochs of each, and the size that unlimited fresh data would give."""
        ex = self.example
        rows = [("README (grid search)", ex["readme"]["n_params"], ex["readme"]["n_tokens"], ex["readme"]["epochs"])]
        rows += [(name, ex[key].n_params, ex[key].n_tokens, ex[key].epochs)
                 for name, key in (("refit R*", "refit"), ("published R*", "published"))]
        return Report(f"{number(ex['readme']['flops'])} FLOPs, {number(ex['readme']['unique_tokens'])} unique tokens",
                      ("allocation", "N", "D", "epochs"),
                      tuple((name, number(n), number(d), number(e)) for name, n, d, e in rows),
                      (f"unlimited fresh data (refit R*): N = {number(ex['refit'].unconstrained_n_params)}",)).text()


def refit_data_constrained(runs=None, *, base: chinchilla.ParametricLaw = MUENNIGHOFF_2023.law) -> DataConstrainedRefit:
    """Refit ``R*_D`` and ``R*_N`` to Muennighoff et al.'s runs as they did, and reproduce their worked
    example from the refit.

    Parameters
    ----------
    runs : MuennighoffRuns, optional
        :func:`scaling_lib.published_runs.load_muennighoff_runs` when not given.
    base : ParametricLaw, default the authors' C4 law

    Returns
    -------
    DataConstrainedRefit
    """
    if runs is None:
        runs = published_runs.load_muennighoff_runs()
    elif not isinstance(runs, published_runs.MuennighoffRuns):
        raise ValueError(f"runs must be the MuennighoffRuns of load_muennighoff_runs() or None; got {runs!r}")
    data = (runs.n_params, runs.n_tokens, runs.unique_tokens, runs.loss)
    fit = fit_repetition_constants(*data, base=base)
    wide_grid = tuple((rd, rn) for rd in (4.0, 16.0, 50.0, 100.0, 200.0) for rn in (1.0, 4.0, 16.0))
    wide = fit_repetition_constants(*data, base=base, starts=wide_grid)
    published = RepetitionLaw(law=base, r_star_d=MUENNIGHOFF_2023.r_star_d, r_star_n=MUENNIGHOFF_2023.r_star_n,
                              source=MUENNIGHOFF_2023.source)
    log_l = np.log(runs.loss)
    published_objective = float(np.sum(_huber(_constrained_log_loss(base, runs.n_params, runs.n_tokens,
                                                                     runs.unique_tokens, published.r_star_d,
                                                                     published.r_star_n) - log_l)))
    profile = []
    for rd in np.geomspace(4.0, 200.0, 25):
        sol = optimize.minimize_scalar(
            lambda rn: float(np.sum(_huber(_constrained_log_loss(base, runs.n_params, runs.n_tokens,
                                                                 runs.unique_tokens, rd, rn) - log_l))),
            bounds=(0.05, 1000.0), method="bounded", options={"xatol": 1e-6})
        profile.append((rd, sol.x, sol.fun))
    ex = README_EXAMPLE
    example = {"readme": dict(ex),
               "refit": compute_optimal(ex["flops"], ex["unique_tokens"], fit.law),
               "published": compute_optimal(ex["flops"], ex["unique_tokens"], published)}
    return DataConstrainedRefit(fit=fit, published=published, published_objective=published_objective, wide=wide,
                                profile=np.array(profile), example=example, epochs=runs.epochs)
