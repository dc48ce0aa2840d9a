"""Published training runs the book refits, loaded from ``data/`` and checked on the way in.

Three sets of real runs, each a table in ``data/`` with its provenance in ``data/README.md``:

* :func:`load_chinchilla_extracted`: the 245 final losses Besiroglu et al. (2024) read from the
  vector graphics of Hoffmann et al. (2022)'s Figure 4 (``chinchilla_extracted.csv``);
* :func:`load_porian_runs` and :func:`load_porian_exponents`: Porian et al. (2024)'s 1,745 IsoFLOP
  points over 15 training configurations and the exponents the authors fitted to them
  (``porian2024_isoflop_runs.csv``, ``porian2024_published_exponents.csv``);
* :func:`load_muennighoff_runs`: the 182 runs of Muennighoff et al. (2023)'s data-constrained fit
  (``muennighoff2023_runs.csv``).

Every loader checks what it reads: each column it needs is present, every number parses and is
finite, and every quantity lies in the range its unit implies (parameters, tokens and FLOPs as plain
counts, so tokens given in billions are caught; losses in nats per token). A failure raises
``ValueError`` naming the file and the column. ``SCALING_BOOK_DATA`` points the loaders at another
folder (:func:`scaling_lib.data.data_dir`), which is how the tests feed them malformed files.

Used by :mod:`scaling_lib.chinchilla.replication`, :mod:`scaling_lib.porian` and
:mod:`scaling_lib.data_constrained`, and by the chapters ``chinchilla`` and ``limitations``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import _checks, data
from .compute import tokens_for_budget, training_flops

#: The row filter of one of Porian et al.'s training configurations, in the tables' column order.
CONFIGURATION_COLUMNS = ("dataset", "hparams", "warmup", "decay", "param_count", "loss_split")


@dataclass(frozen=True)
class _Column:
    """A numeric column: its name, what it counts, and the range its unit allows."""

    name: str
    unit: str
    low: float
    high: float
    hint: str = ""


# Ranges wide enough for any language-model run the book meets, narrow enough to catch a wrong unit:
# a model of fewer than 10,000 parameters or a run of fewer than a million tokens is no run in these
# papers, and is what counts given in millions or billions look like.
_PARAMS = _Column("n_params", "parameters", 1e4, 1e13, "counts of parameters, not millions or billions")
_TOKENS = _Column("n_tokens", "tokens", 1e6, 1e14, "counts of tokens, not millions or billions")
_UNIQUE = _Column("unique_tokens", "tokens", 1e6, 1e14, "counts of tokens, not millions or billions")
_FLOPS = _Column("flops", "FLOPs", 1e12, 1e28, "counts of floating-point operations")
_LOSS = _Column("loss", "nats per token", 0.1, 20.0, "cross-entropy in nats per token")


def _load(name: str, numeric: tuple, text: tuple) -> tuple:
    """Load ``data/<name>.csv``, check it, and return ``(path, numbers, texts)``: dicts of arrays."""
    table = data.load_table(name)
    path = data.data_dir() / f"{name}.csv"
    missing = [c.name for c in numeric if c.name not in table.columns] + [c for c in text if c not in table.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}; the table needs "
                         f"{[c.name for c in numeric] + list(text)}")
    if len(table) == 0:
        raise ValueError(f"{path}: no rows")
    numbers = {}
    for col in numeric:  # load_table has parsed them (a cell that is no number does not load)
        if not table.numeric(col.name):
            raise ValueError(f"{path}: column {col.name!r} must be described in data/README.md with its unit "
                             f"({col.unit}), not as text")
        values = table[col.name]
        bad = np.flatnonzero(~np.isfinite(values))
        if bad.size:
            raise ValueError(f"{path}: column {col.name!r}, row {bad[0] + 1}: missing value (rows "
                             f"{(bad[:5] + 1).tolist()})")
        out = np.flatnonzero((values < col.low) | (values > col.high))
        if out.size:
            i = out[0]
            raise ValueError(f"{path}: column {col.name!r}, row {i + 1}: {values[i]:g} is outside "
                             f"[{col.low:g}, {col.high:g}] {col.unit}; give {col.hint}")
        numbers[col.name] = values
    texts = {}
    for name_ in text:
        values = np.array([row[name_] for row in table.rows], dtype=str)
        empty = np.flatnonzero(np.char.str_len(np.char.strip(values)) == 0)
        if empty.size:
            raise ValueError(f"{path}: column {name_!r} is empty in row(s) {(empty[:5] + 1).tolist()}")
        texts[name_] = values
    return path, numbers, texts


def _check_compute(path, flops, n_params, n_tokens, tolerance=1e-6):
    """Every row must satisfy ``flops = 6 n_params n_tokens`` (the tables' own convention)."""
    ratio = training_flops(n_params, n_tokens) / flops
    off = np.flatnonzero(np.abs(ratio - 1.0) > tolerance)
    if off.size:
        i = off[0]
        raise ValueError(f"{path}: columns 'flops', 'n_params', 'n_tokens', row {i + 1}: 6 * n_params * n_tokens "
                         f"is {ratio[i]:.4g} times flops, not 1; are the units right?")


# ---- Hoffmann et al. (2022) Figure 4, as extracted by Besiroglu et al. (2024) -------------------

@dataclass(frozen=True)
class ChinchillaRuns:
    """The final losses of Hoffmann et al.'s runs that Besiroglu et al. recovered from Figure 4.

    Attributes
    ----------
    n_params : ndarray
        Model size, parameters (all of them, as Hoffmann et al. count).
    flops : ndarray
        Training compute, FLOPs.
    n_tokens : ndarray
        Training tokens, ``flops / (6 n_params)`` (how the replication recovers them).
    loss : ndarray
        Final training loss, nats per token.
    source : str
        Where the points come from.
    """

    n_params: np.ndarray
    flops: np.ndarray
    n_tokens: np.ndarray
    loss: np.ndarray
    source: str = field(repr=False)

    def __len__(self) -> int:
        return int(self.loss.size)

    def without_highest_losses(self, count: int = 5) -> "ChinchillaRuns":
        """The runs without the ``count`` highest losses, as the replication fitted them (it drops 5)."""
        count = _checks.scalar(count, "count", integer=True, nonnegative=True, high=len(self) - 1)
        keep = np.sort(np.argsort(self.loss, kind="stable")[:len(self) - count])
        return ChinchillaRuns(self.n_params[keep], self.flops[keep], self.n_tokens[keep], self.loss[keep],
                              self.source)


def load_chinchilla_extracted() -> ChinchillaRuns:
    """Load ``data/chinchilla_extracted.csv``: 245 runs of Hoffmann et al. (2022) (Besiroglu et al. 2024).

    Raises
    ------
    ValueError
        Naming the file and the column, if a column is missing, a value is missing or not a number,
        or a value is outside the range of its unit.
    """
    path, num, txt = _load("chinchilla_extracted", (_PARAMS, _FLOPS, _LOSS), ("source",))
    return ChinchillaRuns(n_params=num["n_params"], flops=num["flops"],
                          n_tokens=tokens_for_budget(num["flops"], num["n_params"]), loss=num["loss"],
                          source=str(txt["source"][0]))


# ---- Porian et al. (2024) ------------------------------------------------------------------------

@dataclass(frozen=True)
class PorianRuns:
    """Porian et al. (2024)'s IsoFLOP points: one row per (configuration, budget, model size).

    Attributes
    ----------
    dataset, hparams, warmup, decay, param_count, loss_split : ndarray of str
        The configuration of each point: ``dataset`` (``rw`` RefinedWeb, ``owt2`` OpenWebText2),
        ``hparams`` (``base`` or ``tuned`` AdamW), ``warmup`` (``long`` or ``short``), ``decay``
        (``kaplan``, ``chinchilla`` cosine, ``const``), ``param_count`` (``kaplan``: non-embedding;
        ``standard``: with the output layer; ``attention``: also counting attention FLOPs),
        ``loss_split`` (``train`` or ``val``).
    flops : ndarray
        The budget, FLOPs, ``6 n_params n_tokens`` with parameters counted as ``param_count`` says.
    n_params : ndarray
        Model size, parameters, counted as ``param_count`` says.
    n_tokens : ndarray
        Training tokens.
    loss : ndarray
        The loss at the budget (train or validation, as ``loss_split`` says), nats per token.
    """

    dataset: np.ndarray
    hparams: np.ndarray
    warmup: np.ndarray
    decay: np.ndarray
    param_count: np.ndarray
    loss_split: np.ndarray
    flops: np.ndarray
    n_params: np.ndarray
    n_tokens: np.ndarray
    loss: np.ndarray

    def __len__(self) -> int:
        return int(self.loss.size)

    @property
    def configurations(self) -> tuple:
        """The distinct configurations, as tuples in :data:`CONFIGURATION_COLUMNS` order."""
        rows = zip(*(getattr(self, c) for c in CONFIGURATION_COLUMNS))
        return tuple(sorted(set(tuple(str(v) for v in r) for r in rows)))

    def configuration(self, configuration) -> "PorianRuns":
        """The points of one configuration, a tuple in :data:`CONFIGURATION_COLUMNS` order (e.g.
        ``("rw", "base", "long", "kaplan", "standard", "val")``)."""
        configuration = _configuration(configuration)
        if configuration not in self.configurations:
            raise ValueError(f"configuration must be one of {list(self.configurations)}; got {configuration!r}")
        mask = np.ones(len(self), dtype=bool)
        for name, value in zip(CONFIGURATION_COLUMNS, configuration):
            mask &= getattr(self, name) == value
        return PorianRuns(**{name: getattr(self, name)[mask] for name in self.__dataclass_fields__})


def _configuration(configuration) -> tuple:
    if (not isinstance(configuration, (tuple, list)) or len(configuration) != len(CONFIGURATION_COLUMNS)
            or not all(isinstance(v, str) for v in configuration)):
        raise ValueError(f"configuration must be a tuple of {len(CONFIGURATION_COLUMNS)} strings "
                         f"{CONFIGURATION_COLUMNS}; got {configuration!r}")
    return tuple(configuration)


def load_porian_runs() -> PorianRuns:
    """Load ``data/porian2024_isoflop_runs.csv``: Porian et al. (2024)'s IsoFLOP points.

    Raises
    ------
    ValueError
        Naming the file and the column, on a missing column or value, a value outside the range of
        its unit, or a row whose ``flops`` is not ``6 n_params n_tokens``.
    """
    path, num, txt = _load("porian2024_isoflop_runs", (_FLOPS, _PARAMS, _TOKENS, _LOSS),
                           CONFIGURATION_COLUMNS + ("source",))
    _check_compute(path, num["flops"], num["n_params"], num["n_tokens"])
    return PorianRuns(**{c: txt[c] for c in CONFIGURATION_COLUMNS}, **num)


@dataclass(frozen=True)
class PorianExponent:
    """One configuration's published compute-optimal exponents (Porian et al. 2024).

    Attributes
    ----------
    configuration : tuple of str
        In :data:`CONFIGURATION_COLUMNS` order.
    a, a_weighted : float
        The exponent of ``N_opt ∝ C**a``: ordinary least squares through the budgets' optima, and
        weighted by their bootstrap spread.
    b : float
        The exponent of ``D_opt ∝ C**b``.
    a_p05, a_p95 : float
        The 5th and 95th percentiles of the authors' bootstrap of ``a``.
    n_boot : int
        Bootstrap resamples behind them.
    """

    configuration: tuple
    a: float
    a_weighted: float
    b: float
    a_p05: float
    a_p95: float
    n_boot: int


def load_porian_exponents() -> dict:
    """Load ``data/porian2024_published_exponents.csv``: Porian et al.'s fitted exponents.

    Returns
    -------
    dict
        :class:`PorianExponent` by configuration tuple.

    Raises
    ------
    ValueError
        Naming the file and the column, on a missing column or value or an exponent outside (0, 2).
    """
    exponent = lambda name: _Column(name, "exponent", 0.0, 2.0, "an exponent of N_opt ∝ C^a")  # noqa: E731
    columns = tuple(exponent(n) for n in ("a", "a_weighted", "b", "a_p05", "a_p95"))
    columns += (_Column("n_boot", "resamples", 1, 1e7, "a count of bootstrap resamples"),)
    _, num, txt = _load("porian2024_published_exponents", columns, CONFIGURATION_COLUMNS + ("source",))
    out = {}
    for i in range(num["a"].size):
        key = tuple(str(txt[c][i]) for c in CONFIGURATION_COLUMNS)
        out[key] = PorianExponent(configuration=key, **{c.name: float(num[c.name][i]) for c in columns[:-1]},
                                  n_boot=int(num["n_boot"][i]))
    return out


# ---- Muennighoff et al. (2023) -------------------------------------------------------------------

@dataclass(frozen=True)
class MuennighoffRuns:
    """The runs Muennighoff et al. (2023) fitted their data-constrained law on.

    Attributes
    ----------
    run : ndarray of str
        The authors' name of the run (parameters, tokens, unique tokens).
    n_params : ndarray
        Model size, parameters.
    n_tokens : ndarray
        Tokens seen in training (all epochs).
    unique_tokens : ndarray
        Distinct tokens in the training set; ``n_tokens / unique_tokens`` is the number of epochs.
    loss : ndarray
        Final validation loss on C4, nats per token (GPT-2 tokenizer).
    """

    run: np.ndarray
    n_params: np.ndarray
    n_tokens: np.ndarray
    unique_tokens: np.ndarray
    loss: np.ndarray

    def __len__(self) -> int:
        return int(self.loss.size)

    @property
    def epochs(self) -> np.ndarray:
        """Passes over the unique tokens, ``n_tokens / unique_tokens``."""
        return self.n_tokens / self.unique_tokens


def load_muennighoff_runs() -> MuennighoffRuns:
    """Load ``data/muennighoff2023_runs.csv``: the 182 runs of Muennighoff et al. (2023)'s fit.

    Raises
    ------
    ValueError
        Naming the file and the column, on a missing column or value, a value outside the range of
        its unit, or a run with more unique tokens than tokens seen.
    """
    path, num, txt = _load("muennighoff2023_runs", (_PARAMS, _TOKENS, _UNIQUE, _LOSS), ("run", "source"))
    more = np.flatnonzero(num["unique_tokens"] > num["n_tokens"] * (1 + 1e-9))
    if more.size:
        raise ValueError(f"{path}: columns 'unique_tokens' and 'n_tokens', row {more[0] + 1}: more unique "
                         "tokens than tokens seen")
    return MuennighoffRuns(run=txt["run"], **num)
