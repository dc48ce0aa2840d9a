"""Besiroglu et al. (2024)'s replication of Approach 3, redone on the points they recovered from
Hoffmann et al. (2022)'s Figure 4 (:func:`scaling_lib.published_runs.load_chinchilla_extracted`).

Three analyses, one call each, each returning a result that reports itself:

* :func:`refit_extracted`: Approach 3 as the replication fitted it (the five highest losses dropped,
  the summed Huber objective, the grid of starts), against the published parameters: how well each
  set fits these points (residuals, the objective each reaches);
* :func:`how_the_fit_went_wrong`: the two causes the replication names, reproduced: the same
  optimiser with the Huber losses averaged instead of summed (L-BFGS's default tolerances then stop
  it early), and the published parameters rounded to the printed digits; both as exponents and as
  tokens per parameter at Chinchilla's budget;
* :func:`interval_widths`: a bootstrap of the refit against the replication's standard errors, and
  the arithmetic of "over 600,000 experiments": how many runs intervals as narrow as Hoffmann et
  al.'s would need, if standard errors shrink as one over the square root of the number of runs.

Used by the chapter ``chinchilla``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from .. import _checks, published_runs
from ..published import Source
from .bootstrap import Bootstrap, bootstrap_approach3
from .law import HOFFMANN_2022, ParametricLaw, _law, allocation_exponents, compute_optimal, loss
from .parametric import ParametricFit, fit_approach3, huber_objective

#: Training compute of Chinchilla and of Gopher, FLOPs (Hoffmann et al. 2022, Table 3: 5.76e23).
CHINCHILLA_FLOPS = 5.76e23
#: How many of the highest losses the replication leaves out of its fit (Besiroglu et al. 2024).
REPLICATION_DROPPED = 5

_BESIROGLU_TABLE1 = Source("besiroglu2024chinchilla", "Table 1")

#: Besiroglu et al. (2024), Table 1: their refit, full precision.
BESIROGLU_2024_TABLE1 = ParametricLaw(E=1.8172, A=482.01, B=2085.43, alpha=0.3478, beta=0.3658,
                                      name="Besiroglu et al. (2024), Table 1", source=_BESIROGLU_TABLE1)
#: The standard errors Table 1 gives with it.
BESIROGLU_2024_STANDARD_ERRORS = {"E": 0.03, "A": 124.58, "B": 1293.23, "alpha": 0.02, "beta": 0.02}

#: Hoffmann et al. (2022)'s Approach-3 fit before rounding, as Besiroglu et al. (2024) quote it from the
#: paper's TeX source (the body prints 1.69, 406.4, 410.7, 0.34, 0.28: :data:`HOFFMANN_2022`).
HOFFMANN_2022_UNROUNDED = ParametricLaw(
    E=1.6934, A=406.4, B=410.7, alpha=0.3392, beta=0.2849,
    name="Hoffmann et al. (2022), Approach 3 before rounding",
    source=Source("besiroglu2024chinchilla", "Sec. 4, quoting the TeX source of Hoffmann et al. (2022)"))

#: Hoffmann et al. (2022), Table 2, Approach 3: the 10th and 90th percentiles of ``a`` and ``b``
#: (bootstrapping 80 % of the runs, 100 times).
HOFFMANN_2022_INTERVALS = {"a": (0.454, 0.455), "b": (0.542, 0.543)}
HOFFMANN_2022_INTERVALS_SOURCE = Source("hoffmann2022training", "Table 2")


def _runs(runs, drop_highest):
    if runs is None:
        runs = published_runs.load_chinchilla_extracted()
    elif not isinstance(runs, published_runs.ChinchillaRuns):
        raise ValueError(f"runs must be the ChinchillaRuns of load_chinchilla_extracted() or None; got {runs!r}")
    drop_highest = _checks.scalar(drop_highest, "drop_highest", integer=True, nonnegative=True,
                                  high=len(runs) - 6)
    return runs, runs.without_highest_losses(drop_highest), drop_highest


def law_residuals(law, n_params, n_tokens, losses) -> np.ndarray:
    """``ln L_law(N, D) - ln L``: the law's error on each run, in ln(loss) (the objective's units).

    Parameters
    ----------
    law : ParametricLaw or fit result
    n_params, n_tokens, losses : array_like
        The runs: parameters, tokens, final loss in nats per token.
    """
    law = _law(law)
    l = _checks.array(losses, "losses", positive=True, ndim=1)
    predicted = np.asarray(loss(n_params, n_tokens, law), dtype=float)
    if predicted.shape != l.shape:
        raise ValueError(f"n_params, n_tokens and losses must have the same shape; got {predicted.shape} and {l.shape}")
    return np.log(predicted) - np.log(l)


def law_objective(law, n_params, n_tokens, losses) -> float:
    """Approach 3's objective (summed Huber, delta 1e-3, on ln loss) at ``law``'s parameters: what a
    published law scores on these runs, comparable with :attr:`ParametricFit.objective`."""
    law = _law(law)
    theta = np.array([np.log(law.A), np.log(law.B), np.log(law.E), law.alpha, law.beta])
    n = _checks.array(n_params, "n_params", positive=True, ndim=1)
    d = _checks.array(n_tokens, "n_tokens", positive=True, ndim=1)
    l = _checks.array(losses, "losses", positive=True, ndim=1)
    _checks.same_shape(n_params=n, n_tokens=d, losses=l)
    value, _ = huber_objective(theta, np.log(n), np.log(d), np.log(l))
    return float(value)


def _table(rows, header) -> str:
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    line = lambda r: "  ".join(str(v).rjust(w) if i else str(v).ljust(w)  # noqa: E731
                               for i, (v, w) in enumerate(zip(r, widths)))
    return "\n".join([line(header)] + [line(r) for r in rows])


# ---- the refit -------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReplicationRefit:
    """Approach 3 refitted to the extracted runs, beside the published parameters.

    Attributes
    ----------
    fit : ParametricFit
        The refit (summed Huber, the paper's grid of starts, converged).
    laws : dict
        The laws compared, by label: ``"refit"``, ``"Besiroglu et al. (2024)"`` (Table 1),
        ``"Hoffmann et al. (2022)"`` (as printed) and ``"Hoffmann et al. (2022), unrounded"``.
    objectives : dict
        The summed Huber objective each law reaches on the fitted runs (lower is better).
    residuals : dict
        Each law's ``ln L_law - ln L`` on the fitted runs.
    n_params, n_tokens, losses : ndarray
        The fitted runs (the dropped ones excluded).
    n_dropped : int
        Highest losses left out (the replication's 5).
    standard_errors : dict
        Besiroglu et al.'s standard errors of E, A, B, alpha, beta (Table 1).
    """

    fit: ParametricFit
    laws: dict
    objectives: dict
    residuals: dict
    n_params: np.ndarray = field(repr=False)
    n_tokens: np.ndarray = field(repr=False)
    losses: np.ndarray = field(repr=False)
    n_dropped: int = REPLICATION_DROPPED
    standard_errors: dict = field(default_factory=lambda: dict(BESIROGLU_2024_STANDARD_ERRORS), repr=False)

    def report(self) -> str:
        """The laws side by side: parameters, objective, residual spread, and the allocation they imply
        at Chinchilla's budget."""
        # two tables, so that no line is wider than a reading column (about 90 characters)
        params, fits = [], []
        for label, law in self.laws.items():
            res = self.residuals[label]
            a, _ = allocation_exponents(law)
            tpp = float(compute_optimal(CHINCHILLA_FLOPS, law).tokens_per_parameter)
            params.append([label, f"{law.E:.4f}", f"{law.A:.1f}", f"{law.B:.1f}", f"{law.alpha:.4f}",
                           f"{law.beta:.4f}"])
            fits.append([label, f"{self.objectives[label]:.6f}", f"{np.sqrt(np.mean(res ** 2)):.4f}",
                         f"{a:.3f}", f"{tpp:.1f}"])
        head = (f"Approach 3 on {len(self.losses)} runs extracted from Hoffmann et al. (2022) Fig. 4\n"
                f"({self.n_dropped} highest losses dropped)\n")
        return (head + _table(params, ["law", "E", "A", "B", "alpha", "beta"]) + "\n\n"
                + _table(fits, ["law", "objective", "rms resid", "a", f"D/N @ {CHINCHILLA_FLOPS:.3g}"]))

    def __str__(self) -> str:
        return self.report()


def refit_extracted(runs=None, *, drop_highest: int = REPLICATION_DROPPED) -> ReplicationRefit:
    """Fit Approach 3 to the extracted Chinchilla runs as Besiroglu et al. (2024) did, and score the
    published laws on the same runs.

    Parameters
    ----------
    runs : ChinchillaRuns, optional
        The runs (:func:`scaling_lib.published_runs.load_chinchilla_extracted` when not given).
    drop_highest : int, default 5
        Highest losses to leave out, as the replication does.

    Returns
    -------
    ReplicationRefit
    """
    _, kept, dropped = _runs(runs, drop_highest)
    data = (kept.n_params, kept.n_tokens, kept.loss)
    fit = fit_approach3(*data)
    laws = {"refit": fit.law, "Besiroglu et al. (2024)": BESIROGLU_2024_TABLE1,
            "Hoffmann et al. (2022)": HOFFMANN_2022, "Hoffmann et al. (2022), unrounded": HOFFMANN_2022_UNROUNDED}
    return ReplicationRefit(fit=fit, laws=laws,
                            objectives={k: (fit.objective if k == "refit" else law_objective(v, *data))
                                        for k, v in laws.items()},
                            residuals={k: law_residuals(v, *data) for k, v in laws.items()},
                            n_params=kept.n_params, n_tokens=kept.n_tokens, losses=kept.loss, n_dropped=dropped)


# ---- how the published fit could have gone wrong ---------------------------------------------

@dataclass(frozen=True)
class FitFailure:
    """The replication's two explanations of Hoffmann et al.'s Approach-3 estimates, reproduced.

    Attributes
    ----------
    summed, averaged : ParametricFit
        The same optimiser (every start of the grid to L-BFGS's default stopping rule) on the summed
        and on the averaged Huber objective. Their ``identified`` is ``False`` where that rule stopped
        the search short of the objective's minimum (:attr:`ParametricFit.identified`).
    converged : ParametricFit
        The summed objective minimised to convergence (:func:`refit_extracted`'s fit).
    laws : dict
        By label: the three fits, Hoffmann et al.'s law unrounded and as printed.
    exponents : dict
        ``(alpha, beta, a)`` of each law, ``a = beta / (alpha + beta)`` the exponent of ``N_opt ∝ C**a``.
    tokens_per_parameter : dict
        Each law's compute-optimal ``D / N`` at Chinchilla's budget (:data:`CHINCHILLA_FLOPS`).
    objectives : dict
        The summed Huber objective each law reaches on the runs.
    flops : float
        The budget of ``tokens_per_parameter``, FLOPs.
    """

    summed: ParametricFit
    averaged: ParametricFit
    converged: ParametricFit
    laws: dict
    exponents: dict
    tokens_per_parameter: dict
    objectives: dict
    flops: float = CHINCHILLA_FLOPS

    def report(self) -> str:
        rows = [[label, f"{al:.4f}", f"{be:.4f}", f"{a:.4f}", f"{self.tokens_per_parameter[label]:.1f}",
                 f"{self.objectives[label]:.6f}"] for label, (al, be, a) in self.exponents.items()]
        return (f"How Approach 3 can go wrong (tokens per parameter at {self.flops:.3g} FLOPs)\n"
                + _table(rows, ["law", "alpha", "beta", "a", "D/N", "objective"]))

    def __str__(self) -> str:
        return self.report()


def how_the_fit_went_wrong(runs=None, *, drop_highest: int = REPLICATION_DROPPED,
                           converged: ParametricFit | None = None) -> FitFailure:
    """Reproduce the replication's account of the published fit: an averaged loss stops L-BFGS early,
    and rounding moves the exponents further.

    Both objectives are minimised by the same optimiser, every start of Hoffmann et al.'s grid run by
    L-BFGS until scipy's default stopping rule ends it (``fit_approach3(..., stopping="lbfgs-default")``),
    once with the runs' Huber losses summed and once averaged (``reduction="mean"``). The rule's
    tolerances are absolute for objectives below 1 (a gradient below 1e-5; an improvement below
    2.2e-9), and the averaged objective is 1/n the size of the summed one, so the averaged fit stops
    where the summed one would have carried on.

    Parameters
    ----------
    runs : ChinchillaRuns, optional
        The runs (:func:`scaling_lib.published_runs.load_chinchilla_extracted` when not given).
    drop_highest : int, default 5
    converged : ParametricFit, optional
        The converged refit of the same runs (:attr:`ReplicationRefit.fit`), to save refitting it.

    Returns
    -------
    FitFailure
    """
    _, kept, _ = _runs(runs, drop_highest)
    data = (kept.n_params, kept.n_tokens, kept.loss)
    if converged is None:
        converged = fit_approach3(*data)
    elif not isinstance(converged, ParametricFit) or converged.n_points != len(kept):
        raise ValueError(f"converged must be the ParametricFit of these {len(kept)} runs; got {converged!r}")
    # the published optimiser's runs are reproduced as they were, stopped where L-BFGS's default rule
    # stops them: their ``identified`` flag records whether that was short of the minimum (for the
    # averaged objective it is: the replication's point), so its warning is not repeated here
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", _checks.UnidentifiedFitWarning)
        summed = fit_approach3(*data, stopping="lbfgs-default")
        averaged = fit_approach3(*data, stopping="lbfgs-default", reduction="mean")
    laws = {"summed, converged": converged.law, "summed, L-BFGS defaults": summed.law,
            "averaged, L-BFGS defaults": averaged.law, "Hoffmann et al. (2022), unrounded": HOFFMANN_2022_UNROUNDED,
            "Hoffmann et al. (2022), printed": HOFFMANN_2022}
    return FitFailure(
        summed=summed, averaged=averaged, converged=converged, laws=laws,
        exponents={k: (v.alpha, v.beta, allocation_exponents(v)[0]) for k, v in laws.items()},
        tokens_per_parameter={k: float(compute_optimal(CHINCHILLA_FLOPS, v).tokens_per_parameter)
                              for k, v in laws.items()},
        objectives={k: law_objective(v, *data) for k, v in laws.items()})


# ---- intervals ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class IntervalComparison:
    """The refit's bootstrap against the published uncertainties.

    Attributes
    ----------
    bootstrap : Bootstrap
        Resamples of the refit (runs drawn with replacement), with the optimum at Chinchilla's budget.
    standard_errors : dict
        The bootstrap's standard deviations of ``E, A, B, alpha, beta, a``.
    published_standard_errors : dict
        Besiroglu et al.'s (Table 1).
    level : float
        The interval level compared (0.8: Hoffmann et al.'s 10th to 90th percentiles).
    intervals : dict
        The bootstrap's intervals of ``a`` and ``b`` at ``level``.
    published_intervals : dict
        Hoffmann et al.'s (Table 2, Approach 3).
    runs_needed : dict
        For ``a`` and ``b``: ``n_runs * (width / published width)**2``, the runs an interval as narrow
        as Hoffmann et al.'s would take if the width shrinks as ``1/sqrt(runs)``.
    n_runs : int
        Runs behind the bootstrap.
    """

    bootstrap: Bootstrap = field(repr=False)
    standard_errors: dict
    published_standard_errors: dict
    level: float
    intervals: dict
    published_intervals: dict
    runs_needed: dict
    n_runs: int

    def report(self) -> str:
        rows = [[k, f"{self.standard_errors[k]:.4g}", (f"{self.published_standard_errors[k]:.4g}" if k in self.published_standard_errors else "-")]
                for k in ("E", "A", "B", "alpha", "beta", "a")]
        out = [f"Bootstrap of the refit ({self.bootstrap.n_resamples} resamples of {self.n_runs} runs)",
               _table(rows, ["parameter", "bootstrap s.e.", "Besiroglu et al. s.e."]), ""]
        rows = []
        for k in ("a", "b"):
            lo, hi = self.intervals[k]
            plo, phi = self.published_intervals[k]
            rows.append([k, f"[{lo:.3f}, {hi:.3f}]", f"{hi - lo:.4f}", f"[{plo}, {phi}]", f"{phi - plo:.4f}",
                         f"{self.runs_needed[k]:,.0f}"])
        out.append(_table(rows, ["exponent", f"{self.level:.0%} interval", "width", "Hoffmann et al.",
                                 "width", "runs needed"]))
        return "\n".join(out)

    def __str__(self) -> str:
        return self.report()


def interval_widths(refit: ReplicationRefit, *, n_resamples: int = 1000, seed: int = 0,
                    level: float = 0.8) -> IntervalComparison:
    """Bootstrap the refit and set its uncertainty beside the published uncertainties.

    The standard errors are compared with Besiroglu et al.'s Table 1; the ``level`` intervals of the
    exponents with Hoffmann et al.'s Table 2, whose Approach-3 intervals are 0.001 wide. If an
    interval's width shrinks as ``1/sqrt(n)`` with the number of runs ``n``, an interval as narrow as
    theirs needs ``n * (width / 0.001)**2`` runs: the replication's "over 600,000 experiments", against
    the "fewer than 500" Hoffmann et al. likely ran.

    Parameters
    ----------
    refit : ReplicationRefit
        From :func:`refit_extracted`.
    n_resamples : int, default 1000
    seed : int, default 0
    level : float, default 0.8
        Interval level (Hoffmann et al. give the 10th and 90th percentiles).

    Returns
    -------
    IntervalComparison
    """
    if not isinstance(refit, ReplicationRefit):
        raise ValueError(f"refit must be the ReplicationRefit of refit_extracted(); got {refit!r}")
    level = _checks.level(level)
    boot = bootstrap_approach3(refit.n_params, refit.n_tokens, refit.losses, n_resamples=n_resamples,
                               seed=seed, fit=refit.fit, at_flops=CHINCHILLA_FLOPS)
    ses = {k: float(np.std(boot.samples[k], ddof=1)) for k in ("E", "A", "B", "alpha", "beta", "a")}
    intervals = {k: boot.interval(k, level) for k in ("a", "b")}
    n = len(refit.losses)
    needed = {k: n * ((intervals[k][1] - intervals[k][0])
                      / (HOFFMANN_2022_INTERVALS[k][1] - HOFFMANN_2022_INTERVALS[k][0])) ** 2 for k in ("a", "b")}
    return IntervalComparison(bootstrap=boot, standard_errors=ses,
                              published_standard_errors=dict(BESIROGLU_2024_STANDARD_ERRORS), level=level,
                              intervals=intervals, published_intervals=dict(HOFFMANN_2022_INTERVALS),
                              runs_needed=needed, n_runs=n)
