"""Counting parameters with and without embeddings, and what the choice does to a fitted exponent
(Pearce & Song 2024).

Kaplan et al. (2020) counted non-embedding parameters ``N_ne`` and compute ``C_ne = 6 N_ne D``;
Hoffmann et al. (2022) counted all parameters ``N_T`` and ``C_T = 6 N_T D``. Pearce & Song relate the
two with a fixed shape: a transformer of width ``d`` and ``d / aspect`` layers has
``N_ne = 12 d**3 / aspect`` non-embedding parameters and ``vocab * d`` embedding parameters, so

    N_T = N_ne + gamma * N_ne**(1/3),   gamma = vocab * (aspect / 12)**(1/3).

With a 32,000-token vocabulary and ``aspect = 39.2`` (fitted to Chinchilla's model shapes) ``gamma`` is
about 47,480 (Pearce & Song fitted 47,491 to the shapes directly). If the loss follows a
Chinchilla-form law in ``N_T``, the loss-minimising ``N_ne`` for a non-embedding budget ``C_ne``
satisfies (setting the derivative in ``N_ne`` to zero)

    C_ne = 6 N_ne (beta B / (alpha A))**(1/beta) (N_ne + gamma/3 N_ne**(1/3))**(-1/beta) N_T**((1+alpha)/beta),

whose local exponent ``d ln N_ne / d ln C_ne`` tends to ``beta / (alpha/3 + beta)`` for tiny models,
where embeddings dominate, and to ``beta / (alpha + beta)`` for huge ones; in between, where the
embedding share falls fastest, it rises above both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _checks, chinchilla
from .chinchilla.law import _g_factor
from .compute import _training_flops
from .power_laws import fit_power_law
from .published import Source


@dataclass(frozen=True)
class ModelShape:
    """The shape rule: ``vocab`` tokens embedded in a width ``d`` with ``d / aspect`` layers."""

    vocab: float
    aspect: float
    source: Source | None = None

    def __post_init__(self):
        _checks.scalar(self.vocab, "vocab", positive=True)
        _checks.scalar(self.aspect, "aspect", positive=True)
        if self.source is not None:
            _checks.instance(self.source, "source", Source, "a scaling_lib.published.Source or None")

    @property
    def gamma(self) -> float:
        """Embedding parameters per ``N_ne**(1/3)``: ``vocab * (aspect / 12)**(1/3)``."""
        return float(self.vocab * (self.aspect / 12.0) ** (1.0 / 3.0))


#: Pearce & Song's rule for Chinchilla's models: 32,000-token vocabulary, width / depth = 39.2
#: (gamma ≈ 47,480).
PEARCE_SONG_2024 = ModelShape(vocab=32_000, aspect=39.2,
                              source=Source("pearce2024reconciling",
                                            "shape rule N_T = N_ne + 47491 N_ne^(1/3), 32k vocabulary, d/L = 39.2"))

#: Kaplan et al.'s smallest and largest models, in non-embedding parameters (768 to 1.5 billion).
KAPLAN_SIZE_RANGE = (768.0, 1.5e9)


def _shape(shape) -> ModelShape:
    return _checks.instance(shape, "shape", ModelShape, "a ModelShape such as PEARCE_SONG_2024")


def width(non_embedding_params, shape: ModelShape = PEARCE_SONG_2024):
    """The width ``d`` with ``12 d**3 / aspect = non_embedding_params``."""
    shape = _shape(shape)
    n = _checks.array(non_embedding_params, "non_embedding_params", positive=True)
    return _checks.finite(lambda: (n * shape.aspect / 12.0) ** (1.0 / 3.0), "non_embedding_params and shape",
                          "the width")


def total_params(non_embedding_params, shape: ModelShape = PEARCE_SONG_2024):
    """All parameters: ``N_ne + vocab * d``."""
    shape = _shape(shape)
    n = _checks.array(non_embedding_params, "non_embedding_params", positive=True)
    return _checks.finite(lambda: n + shape.gamma * np.cbrt(n), "non_embedding_params and shape", "N_ne + vocab d")


def non_embedding_params(total, shape: ModelShape = PEARCE_SONG_2024):
    """Invert :func:`total_params`: solve ``x**3 + gamma x = total`` for ``x = N_ne**(1/3)`` (Cardano's
    formula; the cubic has one real root)."""
    shape = _shape(shape)
    t = _checks.array(total, "total", positive=True)
    p, q = shape.gamma, -t
    names = "total and shape"
    root = _checks.finite(lambda: np.sqrt(q**2 / 4.0 + p**3 / 27.0), names, "Cardano's square root")
    x = np.cbrt(-q / 2.0 + root) + np.cbrt(-q / 2.0 - root)
    return _checks.finite(lambda: x**3, names, "the non-embedding parameters")


def embedding_share(non_embedding_params, shape: ModelShape = PEARCE_SONG_2024):
    """The fraction of all parameters in the embedding: large for small models, small for large ones."""
    n = _checks.array(non_embedding_params, "non_embedding_params", positive=True)
    total = np.asarray(total_params(n, shape))
    return _checks.result(1.0 - n / total)


def non_embedding_budget(non_embedding_params, law=chinchilla.HOFFMANN_2022,
                         shape: ModelShape = PEARCE_SONG_2024):
    """The non-embedding compute ``C_ne = 6 N_ne D`` at which ``non_embedding_params`` is the
    loss-minimising size, when the loss follows ``law`` in total parameters (the closed form above)."""
    chinchilla.allocation_exponents(law)  # validates ``law``
    shape = _shape(shape)
    n = _checks.array(non_embedding_params, "non_embedding_params", positive=True)
    g = shape.gamma * np.cbrt(n)
    n_t = n + g
    names = "non_embedding_params, law and shape"
    d = _checks.finite(lambda: ((law.beta * law.B) / (law.alpha * law.A)) ** (1.0 / law.beta)
                       * (n + g / 3.0) ** (-1.0 / law.beta) * n_t ** ((1.0 + law.alpha) / law.beta), names, "D")
    return _checks.finite(lambda: _training_flops(n, d), names, "C_ne = 6 N_ne D")


def optimal_non_embedding(flops_non_embedding, law=chinchilla.HOFFMANN_2022,
                          shape: ModelShape = PEARCE_SONG_2024):
    """The loss-minimising non-embedding size for each non-embedding budget ``C_ne`` (FLOPs):
    :func:`non_embedding_budget` inverted on a fine log grid (it rises monotonically)."""
    c = _checks.array(flops_non_embedding, "flops_non_embedding", positive=True)
    grid = np.geomspace(1.0, 1e16, 4001)
    log_c = np.log(np.asarray(non_embedding_budget(grid, law, shape)))
    lc = np.log(c)
    if np.any(lc < log_c[0]) or np.any(lc > log_c[-1]):
        raise ValueError(f"flops_non_embedding must lie between {np.exp(log_c[0]):.3g} and "
                         f"{np.exp(log_c[-1]):.3g} FLOPs")
    return _checks.result(np.exp(np.interp(lc, log_c, np.log(grid))))


def local_exponent(non_embedding_params, law=chinchilla.HOFFMANN_2022, shape: ModelShape = PEARCE_SONG_2024):
    """``d ln N_ne / d ln C_ne`` along the non-embedding frontier, at ``non_embedding_params``
    (Pearce & Song's ``1/g``): ``beta/(alpha/3 + beta)`` for tiny models, ``beta/(alpha + beta)`` for
    huge ones, and above both in between."""
    chinchilla.allocation_exponents(law)
    shape = _shape(shape)
    n = _checks.array(non_embedding_params, "non_embedding_params", positive=True)
    x, gamma = n ** (2.0 / 3.0), shape.gamma
    g = (1.0 - (x + gamma / 9.0) / (x + gamma / 3.0) / law.beta
         + (1.0 + law.alpha) / law.beta * (x + gamma / 3.0) / (x + gamma))
    return _checks.result(1.0 / g)


@dataclass(frozen=True)
class CountingComparison:
    """Compute-optimal models over one range of budgets, counted both ways.

    Attributes: ``flops_total`` and ``n_total`` (Chinchilla's counting); ``flops_non_embedding`` and
    ``n_non_embedding`` (Kaplan's); ``a_total`` and ``a_non_embedding``, the fitted exponents of
    ``N_opt ∝ C**a`` in each.
    """

    flops_total: np.ndarray
    n_total: np.ndarray
    flops_non_embedding: np.ndarray
    n_non_embedding: np.ndarray
    a_total: float
    a_non_embedding: float


def compare_counting(n_non_embedding_range=KAPLAN_SIZE_RANGE, law=chinchilla.HOFFMANN_2022,
                     shape: ModelShape = PEARCE_SONG_2024, *, n_points: int = 20) -> CountingComparison:
    """Fit ``N_opt ∝ C**a`` to the law's compute-optimal models over one range of sizes, counted both
    ways: in non-embedding parameters and compute (``n_points`` log-spaced sizes over
    ``n_non_embedding_range``, by default Kaplan et al.'s 768 to 1.5e9), and in total parameters and
    compute (the same sizes with their embeddings added)."""
    bounds = _checks.array(n_non_embedding_range, "n_non_embedding_range", positive=True, ndim=1)
    if bounds.size != 2 or not bounds[0] < bounds[1]:
        raise ValueError("n_non_embedding_range must be (smallest, largest) with smallest < largest; "
                         f"got {tuple(bounds.tolist())}")
    lo, hi = (float(v) for v in bounds)
    k = _checks.scalar(n_points, "n_points", integer=True, low=3, high=100_000)
    n_ne = np.geomspace(lo, hi, k)
    c_ne = np.asarray(non_embedding_budget(n_ne, law, shape))
    # the same range of sizes counted Chinchilla's way: N_T is optimal where N_opt = G (C_T/6)**a,
    # i.e. on D_opt = (C_T/6)**b / G tokens, so C_T = 6 N_T D_opt (G from the law's one home)
    n_t = np.asarray(total_params(n_ne, shape))
    a_exp, b_exp = chinchilla.allocation_exponents(law)
    G = _checks.finite(lambda: _g_factor(law), "law", "G = (alpha A / (beta B))**(1/(alpha+beta))")
    d_t = _checks.finite(lambda: (n_t / G) ** (b_exp / a_exp) / G, "n_non_embedding_range and law", "D_opt")
    c_t = _checks.finite(lambda: _training_flops(n_t, d_t), "n_non_embedding_range and law", "C_T = 6 N_T D")
    a_total = fit_power_law(1.0 / c_t, n_t).alpha
    a_ne = fit_power_law(1.0 / c_ne, n_ne).alpha
    return CountingComparison(flops_total=c_t, n_total=n_t, flops_non_embedding=c_ne, n_non_embedding=n_ne,
                              a_total=float(a_total), a_non_embedding=float(a_ne))
