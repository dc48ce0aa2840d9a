"""Observational scaling laws (Ruan, Maddison & Hashimoto 2024), on their published benchmark table.

Instead of training a family of models, take the public ones: their benchmark scores, parameters,
tokens and training FLOPs (``data/ruan2024_base_llm_benchmarks.csv``, 148 base models of 47 families,
eight benchmarks). Ruan et al.'s hypothesis has two parts:

1. the scores of a model on many benchmarks are a function of a few *capabilities* ``S``, found as
   principal components of the benchmark scores across all models (missing scores filled in by
   PCA imputation);
2. within a family, capabilities are linear in ``log C``, and families differ in how *efficiently* they
   turn compute into capability.

A downstream score is then a sigmoid of a linear function of the capabilities. This module does each
step with numpy and scipy: :func:`pca_impute` (iterated low-rank reconstruction), :func:`fit_sigmoid`
(a four-parameter logistic with floor and ceiling, least squares), :func:`fit_family_lines` (one slope
in ``log10 C`` shared by all families and an offset per family, the family's efficiency) and
:func:`forecast` (fit on one set of models, score on another, errors reported). Choices the book makes
that the paper may make differently are named where they are made.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize

from . import _checks
from ._report import Report, SelfReporting, number
from .data import load_table
from .published import Source

RUAN_2024 = Source("ruan2024observational", "Sec. 3 (low-dimensional capabilities, family compute efficiency)")

#: The eight benchmarks of the table, in its column order.
BENCHMARKS = ("MMLU", "ARC-C", "HellaSwag", "Winograd", "TruthfulQA", "GSM8K", "XWinograd", "HumanEval")

#: The table's emergent-task columns (BIG-bench tasks scored with 2-shot prompts).
EMERGENT_TASKS = ("parsinlu_qa_2_acc", "word_unscrambling_2_exact_match", "ipa_transliterate_2_exact_match",
                  "arithmetic_3ds_2_acc", "arithmetic_3da_2_acc", "arithmetic_2dm_2_acc", "arithmetic_2da_2_acc")


@dataclass(frozen=True)
class BenchmarkTable:
    """Ruan et al.'s models: ``models``, ``families`` (str arrays); ``n_params`` (parameters),
    ``n_tokens`` (pretraining tokens) and ``flops`` (training FLOPs), NaN where the table has none;
    ``scores``, a models x benchmarks array of fractions (NaN where missing); ``benchmarks``, the column
    names; ``emergent``, a models x tasks array of the emergent-task scores (NaN where the model was not
    evaluated) and ``emergent_tasks`` its column names."""

    models: np.ndarray
    families: np.ndarray
    n_params: np.ndarray
    n_tokens: np.ndarray
    flops: np.ndarray
    scores: np.ndarray
    benchmarks: tuple
    emergent: np.ndarray
    emergent_tasks: tuple

    def __len__(self) -> int:
        return self.models.size

    def score(self, benchmark: str) -> np.ndarray:
        """The scores of every model on ``benchmark`` (one of :data:`BENCHMARKS`)."""
        _checks.choice(benchmark, "benchmark", self.benchmarks)
        return self.scores[:, self.benchmarks.index(benchmark)]

    def task(self, name: str) -> np.ndarray:
        """The scores of every model on emergent task ``name`` (NaN where not evaluated)."""
        _checks.choice(name, "name", self.emergent_tasks)
        return self.emergent[:, self.emergent_tasks.index(name)]


def load_benchmarks(name: str = "ruan2024_base_llm_benchmarks", emergent: str = "ruan2024_emergent_tasks") -> BenchmarkTable:
    """Load Ruan et al.'s table from ``data/`` and join the emergent-task table on the model name.

    Missing entries are NaN: tokens and FLOPs the authors do not give, benchmarks and emergent tasks
    a model was not evaluated on.

    Checks every score is a fraction in [0, 1], sizes, tokens and FLOPs are positive where given, and
    every emergent-task row names a model of the benchmark table; raises ``ValueError`` otherwise.
    """
    _checks.text(name, "name")
    _checks.text(emergent, "emergent")
    table = load_table(name)
    for column in ("Model", "Model Family", "Model Size (B)", "Pretraining Data Size (T)", "FLOPs (1E21)",
                   *BENCHMARKS, "source"):
        if column not in table.columns:
            raise ValueError(f"table {name!r} lacks the column {column!r}")
    models = np.array([r["Model"] for r in table.rows])
    if len(set(models)) != models.size:
        raise ValueError(f"table {name!r} names a model twice")
    scores = np.column_stack([table[b] for b in BENCHMARKS]).astype(float)
    if np.any(scores[np.isfinite(scores)] < 0) or np.any(scores[np.isfinite(scores)] > 1):
        raise ValueError(f"table {name!r} has a benchmark score outside [0, 1]")
    size, tokens, flops = table["Model Size (B)"] * 1e9, table["Pretraining Data Size (T)"] * 1e12, table["FLOPs (1E21)"] * 1e21
    for label, values in (("size", size), ("tokens", tokens), ("FLOPs", flops)):
        if np.any(values[np.isfinite(values)] <= 0):
            raise ValueError(f"table {name!r} has a non-positive {label}")
    if np.any(~np.isfinite(size)):
        raise ValueError(f"table {name!r} has a model without a size")
    try:
        extra = load_table(emergent)
    except ValueError as exc:
        raise ValueError(f"emergent: {exc}") from None
    index = {m: i for i, m in enumerate(models)}
    tasks = np.full((models.size, len(EMERGENT_TASKS)), np.nan)
    unknown = [m for m in extra["Model"] if m not in index]
    if unknown:
        raise ValueError(f"table {emergent!r} names a model not in {name!r}: {unknown[0]!r}")
    rows = np.array([index[m] for m in extra["Model"]], dtype=int)
    for j, task in enumerate(EMERGENT_TASKS):
        values = extra[task]  # a typed column: NaN where the model was not evaluated
        given = np.isfinite(values)
        if np.any((values[given] < 0) | (values[given] > 1)):
            raise ValueError(f"table {emergent!r} has a score outside [0, 1] for {task}")
        tasks[rows[given], j] = values[given]
    return BenchmarkTable(models=models, families=np.array([r["Model Family"] for r in table.rows]),
                          n_params=size, n_tokens=tokens, flops=flops, scores=scores, benchmarks=BENCHMARKS,
                          emergent=tasks, emergent_tasks=EMERGENT_TASKS)


# ---- capabilities: principal components with imputation ----------------------------------------

@dataclass(frozen=True)
class PCAResult:
    """Principal components of a models x benchmarks table: ``mean`` (per benchmark), ``components``
    (rows are unit loading vectors, ``n_components`` x benchmarks, signed so that the loadings sum to
    a positive number), ``capabilities`` (each model's coordinates, models x ``n_components``),
    ``explained`` (the share of the filled table's variance each component explains) and ``filled``
    (the table with missing entries imputed)."""

    mean: np.ndarray
    components: np.ndarray
    capabilities: np.ndarray
    explained: np.ndarray
    filled: np.ndarray

    def project(self, scores) -> np.ndarray:
        """Capabilities of new rows of complete scores (models x benchmarks)."""
        x = _checks.array(scores, "scores", ndim=2)
        if x.shape[1] != self.mean.size:
            raise ValueError(f"scores must have {self.mean.size} columns; got {x.shape[1]}")
        return (x - self.mean) @ self.components.T


def pca_impute(scores, n_components: int = 3, *, rank: int | None = None, iterations: int = 200,
               tol: float = 1e-10) -> PCAResult:
    """Principal components of ``scores`` (models x benchmarks, NaN for missing), the missing entries
    filled by iterated low-rank reconstruction: start from the column means, then repeatedly replace
    the missing entries by the rank-``rank`` SVD reconstruction until they stop changing (the
    imputation Ruan et al. use is a PCA imputation of this kind; their exact procedure may differ).

    Parameters
    ----------
    scores : array_like, 2-d
        Every column needs at least two observed entries, every row at least one.
    n_components : int, default 3
        Components returned (<= number of benchmarks).
    rank : int, optional
        Rank of the reconstruction used for imputation (default ``n_components``).
    iterations : int, default 200
    tol : float, default 1e-10
        Stop when the largest change in a filled entry is below this.
    """
    try:
        x = np.array(scores, dtype=float)
    except (TypeError, ValueError):
        raise _checks.ArgumentTypeError(f"scores must be a 2-d array of numbers (NaN for missing); got "
                                        f"{scores!r:.60}") from None
    if x.ndim != 2:
        raise ValueError(f"scores must be 2-dimensional (models x benchmarks); got shape {x.shape}")
    if np.any(np.isinf(x)):
        raise ValueError("scores must be finite or NaN (missing)")
    missing = np.isnan(x)
    if np.any((~missing).sum(axis=0) < 2):
        raise ValueError("every benchmark (column) needs at least two observed scores")
    if np.any((~missing).sum(axis=1) < 1):
        raise ValueError("every model (row) needs at least one observed score")
    k = _checks.scalar(n_components, "n_components", integer=True, low=1, high=x.shape[1])
    r = k if rank is None else _checks.scalar(rank, "rank", integer=True, low=1, high=x.shape[1])
    iterations = _checks.scalar(iterations, "iterations", integer=True, low=1, high=100_000)
    tol = _checks.scalar(tol, "tol", positive=True)
    filled = np.where(missing, np.nanmean(x, axis=0), x)
    for _ in range(iterations):
        mean = filled.mean(axis=0)
        u, s, vt = np.linalg.svd(filled - mean, full_matrices=False)
        low_rank = mean + (u[:, :r] * s[:r]) @ vt[:r]
        change = np.max(np.abs(low_rank[missing] - filled[missing])) if missing.any() else 0.0
        filled[missing] = low_rank[missing]
        if change < tol:
            break
    mean = filled.mean(axis=0)
    u, s, vt = np.linalg.svd(filled - mean, full_matrices=False)
    signs = np.sign(vt[:k].sum(axis=1))
    signs[signs == 0] = 1.0
    components = vt[:k] * signs[:, None]
    explained = s[:k] ** 2 / np.sum(s ** 2)
    return PCAResult(mean=mean, components=components, capabilities=(filled - mean) @ components.T,
                     explained=explained, filled=filled)


# ---- sigmoids -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class SigmoidFit:
    """``y = floor + (ceiling - floor) / (1 + exp(-(x @ weights + bias)))``, fitted by least squares:
    ``floor``, ``ceiling`` (fractions), ``weights`` (one per predictor column) and ``bias``; ``rms``
    (root-mean-square residual on the fitted points, score units) and ``n`` (points). For one
    predictor, ``midpoint = -bias / weight`` is where the score is halfway up and ``slope = weight``."""

    floor: float
    ceiling: float
    weights: tuple
    bias: float
    rms: float
    n: int

    @property
    def midpoint(self) -> float:
        if len(self.weights) != 1:
            raise ValueError("midpoint is defined for a sigmoid of one predictor")
        return -self.bias / self.weights[0]

    @property
    def slope(self) -> float:
        if len(self.weights) != 1:
            raise ValueError("slope is defined for a sigmoid of one predictor")
        return self.weights[0]

    def predict(self, x):
        """The fitted sigmoid at ``x`` (1-d for one predictor, else models x predictors)."""
        with np.errstate(over="ignore", invalid="ignore"):
            z = _design(x, len(self.weights)) @ np.asarray(self.weights) + self.bias
            value = self.floor + (self.ceiling - self.floor) / (1.0 + np.exp(-z))
        return _checks.finite(value, "x", "the sigmoid")


def _design(x, k=None):
    arr = _checks.array(x, "x")
    if arr.ndim <= 1:
        arr = arr.reshape(-1, 1)
    if arr.ndim != 2:
        raise ValueError(f"x must be 1-d or 2-d (models x predictors); got shape {arr.shape}")
    if k is not None and arr.shape[1] != k:
        raise ValueError(f"x must have {k} predictor column(s); got {arr.shape[1]}")
    return arr


def fit_sigmoid(x, y, *, floor: float | None = None, ceiling: float = 1.0) -> SigmoidFit:
    """Fit a sigmoid of a linear function of the predictors ``x`` to scores ``y`` (fractions).

    Parameters
    ----------
    x : array_like
        One predictor (1-d: a capability, or ``log10`` FLOPs) or several (models x predictors, e.g.
        the first principal components), at least 5 models.
    y : array_like, 1-d
        Scores, one per model.
    floor : float, optional
        Fix the lower asymptote (e.g. a multiple-choice benchmark's chance score); fitted in
        [0, min(y)] when ``None``.
    ceiling : float, default 1
        The upper asymptote, fixed (a benchmark's maximum score).
    """
    X = _design(x)
    y = _checks.array(y, "y", ndim=1, min_size=5)
    if X.shape[0] != y.size:
        raise ValueError(f"x and y must have one row per model; got {X.shape[0]} and {y.size}")
    if X.shape[0] < X.shape[1] + 3:
        raise ValueError("too few models for the number of predictors")
    top = _checks.scalar(ceiling, "ceiling", positive=True, high=1.0)
    if floor is not None:
        floor = _checks.scalar(floor, "floor", nonnegative=True, high=top)
    spread = X.std(axis=0)
    if np.any(spread == 0):
        raise ValueError("every predictor must vary to fit a sigmoid")
    centre = X.mean(axis=0)
    Z = (X - centre) / spread  # fit in standardised coordinates, report in the original ones
    k = X.shape[1]
    target = np.clip((y - (0.0 if floor is None else floor)) / top, 1e-3, 1 - 1e-3)
    logit = np.log(target / (1 - target))
    w0, *_ = np.linalg.lstsq(np.column_stack([Z, np.ones(y.size)]), logit, rcond=None)
    fixed = None if floor is None else _checks.scalar(floor, "floor", nonnegative=True, high=top)

    def unpack(theta):
        return (theta[0], theta[1:]) if fixed is None else (fixed, theta)

    def residual(theta):
        f, w = unpack(theta)
        return f + (top - f) / (1.0 + np.exp(-(Z @ w[:k] + w[k]))) - y

    start = np.asarray(w0, dtype=float)
    if fixed is None:
        low = max(float(y.min()), 1e-9)
        theta0 = np.concatenate([[0.5 * low], start])
        bounds = ([0.0] + [-np.inf] * (k + 1), [low] + [np.inf] * (k + 1))
    else:
        theta0, bounds = start, (-np.inf, np.inf)
    sol = optimize.least_squares(residual, theta0, bounds=bounds)
    f, w = unpack(sol.x)
    weights = w[:k] / spread
    bias = float(w[k] - np.sum(w[:k] * centre / spread))
    rms = float(np.sqrt(np.mean(sol.fun ** 2)))
    return SigmoidFit(floor=float(f), ceiling=top, weights=tuple(float(v) for v in weights), bias=bias, rms=rms,
                      n=int(y.size))


# ---- family efficiency --------------------------------------------------------------------------

@dataclass(frozen=True)
class FamilyLines(SelfReporting):
    """Capability ``= slope * log10(C / 1e21 FLOPs) + offset[family]``: one ``slope`` for all families,
    one ``offset`` per family (its compute efficiency: a higher offset is more capability per FLOP),
    fitted by least squares; ``rms`` the residual and ``families`` the families fitted."""

    slope: float
    offset: dict
    rms: float
    n: int

    def predict(self, flops, families):
        """The capability of models with ``flops`` training FLOPs in ``families`` (each seen in the fit)."""
        c = _checks.array(flops, "flops", positive=True, ndim=1)
        fam = np.asarray(families, dtype=str)
        if fam.shape != c.shape:
            raise ValueError("flops and families must have the same length")
        unknown = sorted(set(fam) - set(self.offset))
        if unknown:
            raise ValueError(f"families must have been fitted; unknown: {unknown[:3]}")
        return self.slope * np.log10(c / 1e21) + np.array([self.offset[f] for f in fam])

    def flops_equivalent(self, family: str, reference: str) -> float:
        """How many times more compute ``family`` needs than ``reference`` for the same capability:
        ``10**((offset_ref - offset_fam) / slope)``."""
        _checks.choice(family, "family", self.offset)
        _checks.choice(reference, "reference", self.offset)
        return float(10.0 ** ((self.offset[reference] - self.offset[family]) / self.slope))

    def _summary(self, level=None) -> Report:
        best = max(self.offset, key=self.offset.get)
        worst = min(self.offset, key=self.offset.get)
        rows = (("slope per decade of FLOPs", number(self.slope)), ("residual RMS", number(self.rms)),
                ("models", str(self.n)), ("families", str(len(self.offset))))
        notes = (f"highest offset (most capability per FLOP): {best}, {number(self.offset[best])}; "
                 f"lowest: {worst}, {number(self.offset[worst])}",)
        return Report("Family lines: capability = slope log10(C / 1e21 FLOPs) + offset[family], least squares",
                      ("", "value"), rows, notes)

    def report(self) -> str:
        """A plain-text summary: the shared slope per decade of FLOPs, the residual RMS, the numbers of
        models and families, and the families with the highest and lowest offsets."""
        return self._summary().text()


def fit_family_lines(flops, capability, families) -> FamilyLines:
    """Fit :class:`FamilyLines` to models with ``flops`` training FLOPs, a ``capability`` each (e.g. the
    first principal component) and their ``families`` (one shared slope; a family of one model gets an
    offset but does not inform the slope). Needs at least one family with two models of different
    compute."""
    c = _checks.array(flops, "flops", positive=True, ndim=1, min_size=2)
    s = _checks.array(capability, "capability", ndim=1, min_size=2)
    _checks.same_shape(flops=c, capability=s)
    fam = np.asarray(families, dtype=str)
    if fam.shape != c.shape:
        raise ValueError("families must have one entry per model")
    names = sorted(set(fam))
    x = np.log10(c / 1e21)
    design = np.column_stack([x] + [(fam == f).astype(float) for f in names])
    coef, *_ = np.linalg.lstsq(design, s, rcond=None)
    if np.linalg.matrix_rank(design) < design.shape[1]:
        raise ValueError("the slope cannot be identified: no family has two models of different compute")
    rms = float(np.sqrt(np.mean((design @ coef - s) ** 2)))
    return FamilyLines(slope=float(coef[0]), offset={f: float(v) for f, v in zip(names, coef[1:])}, rms=rms, n=int(c.size))


# ---- forecasting --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Forecast:
    """Scores of held-out models predicted by a fit on the others: ``predicted`` and ``observed``
    (held-out models, in order), ``fit`` (the :class:`SigmoidFit`), and the errors in score units
    (fractions): ``mae``, ``rmse``, ``max_error``; ``bias`` is the mean of predicted minus observed."""

    predicted: np.ndarray
    observed: np.ndarray
    fit: SigmoidFit
    mae: float
    rmse: float
    max_error: float
    bias: float

    def __repr__(self) -> str:
        return (f"Forecast({self.observed.size} held out, {self.fit.n} fitted: MAE {self.mae:.3f}, "
                f"RMSE {self.rmse:.3f}, max {self.max_error:.3f}, bias {self.bias:+.3f})")


def forecast(x, y, train, test=None, *, floor: float | None = None) -> Forecast:
    """Fit a sigmoid of the predictors ``x`` to scores ``y`` on the models where ``train`` is true and
    predict those where ``test`` is true (default: all the others). Models with a missing predictor or
    score are dropped from both.

    Parameters
    ----------
    x : array_like
        One predictor per model (1-d) or several (models x predictors).
    y : array_like, 1-d
    train, test : array_like of bool, 1-d
    floor : float, optional
        Passed to :func:`fit_sigmoid`.
    """
    try:
        X = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise _checks.ArgumentTypeError(f"x must be numbers (NaN where missing); got {x!r:.60}") from None
    X = X.reshape(-1, 1) if X.ndim == 1 else X
    try:
        y = np.asarray(y, dtype=float)
    except (TypeError, ValueError):
        raise _checks.ArgumentTypeError(f"y must be numbers (NaN where missing); got {y!r:.60}") from None
    train = np.asarray(train)
    test = ~train if test is None else np.asarray(test)
    if (X.ndim != 2 or y.ndim != 1 or train.dtype != bool or test.dtype != bool
            or not X.shape[0] == y.size == train.size == test.size):
        raise ValueError("x, y, train and test must have one entry (row) per model; train and test booleans")
    if np.any(train & test):
        raise ValueError("train and test must not share a model")
    ok = np.all(np.isfinite(X), axis=1) & np.isfinite(y)
    fit = fit_sigmoid(X[ok & train], y[ok & train], floor=floor)
    test = ok & test
    if not test.any():
        raise ValueError("test must hold at least one model with a score to predict")
    predicted = np.asarray(fit.predict(X[test]), dtype=float).reshape(-1)
    observed = y[test]
    err = predicted - observed
    return Forecast(predicted=predicted, observed=observed, fit=fit, mae=float(np.mean(np.abs(err))),
                    rmse=float(np.sqrt(np.mean(err ** 2))), max_error=float(np.max(np.abs(err))),
                    bias=float(np.mean(err)))
