"""The stock of public text and the trend of training-set sizes towards it (Villalobos et al. 2024).

:data:`VILLALOBOS_2024` is the published estimate of the stock; :func:`fit_dataset_trend` fits an
exponential trend to the largest training set of each year (:func:`largest_per_year`), and
:meth:`DatasetTrend.year_reaching` reads off when the trend meets a stock. What repeating the text
is worth once it runs out is :mod:`scaling_lib.data_constrained`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from . import _checks
from .published import Source


@dataclass(frozen=True)
class TextStock:
    """A published estimate of the stock of usable text: ``tokens`` and the ``years`` between which,
    at the trends the authors assume, training sets reach it."""

    tokens: float
    years: tuple
    source: Source


#: Villalobos et al. (2024): an effective stock of about 300 trillion tokens of human-generated public
#: text, fully used between about 2026 and 2032 if current trends continue.
VILLALOBOS_2024 = TextStock(tokens=3e14, years=(2026, 2032), source=Source("villalobos2024will", "abstract"))


@dataclass(frozen=True)
class DatasetTrend:
    """An exponential trend ``log10 tokens = intercept + slope * year`` fitted to training-set sizes.

    Attributes: ``slope`` (decades per year) and its ``slope_interval`` (95 %, Student t);
    ``growth_per_year`` (``10**slope``); ``years`` and ``tokens`` (the points fitted).
    """

    slope: float
    intercept: float
    slope_interval: tuple
    years: np.ndarray
    tokens: np.ndarray

    @property
    def growth_per_year(self) -> float:
        return float(10.0**self.slope)

    def predict(self, year):
        """Tokens the trend gives in ``year``."""
        y = _checks.array(year, "year")
        return _checks.finite(lambda: 10.0 ** (self.intercept + self.slope * y), "year", "the trend's tokens")

    def year_reaching(self, tokens: float) -> tuple:
        """``(central, early, late)``: the year the trend reaches ``tokens``; early and late tilt the
        slope to the ends of its 95 % interval about the mean of the fitted points (``inf`` if the
        interval allows no growth)."""
        target = math.log10(_checks.scalar(tokens, "tokens", positive=True))
        pivot = float(self.years.mean())
        level = self.intercept + self.slope * pivot
        out = []
        for s in (self.slope, self.slope_interval[1], self.slope_interval[0]):
            out.append(pivot + (target - level) / s if s > 0 else math.inf)
        return tuple(float(y) for y in out)


def fit_dataset_trend(years, tokens) -> DatasetTrend:
    """Least-squares line through ``log10 tokens`` against ``years`` (at least 3 distinct years:
    through 2 the line passes exactly, leaving nothing to measure the scatter); its slope interval is
    the 95 % Student-t interval."""
    y = _checks.array(years, "years", ndim=1, min_size=3)
    t = _checks.array(tokens, "tokens", positive=True, ndim=1, min_size=3)
    _checks.same_shape(years=y, tokens=t)
    if np.unique(y).size < 3:
        raise ValueError(f"years must hold at least 3 distinct values to fit a line and measure the scatter "
                         f"about it; got {np.unique(y).size}")
    fit = stats.linregress(y, np.log10(t))
    half = stats.t.ppf(0.975, y.size - 2) * fit.stderr
    return DatasetTrend(slope=float(fit.slope), intercept=float(fit.intercept),
                        slope_interval=(float(fit.slope - half), float(fit.slope + half)), years=y, tokens=t)


def largest_per_year(years, tokens) -> tuple:
    """``(years, tokens)`` keeping the largest training set of each year: the frontier of data use."""
    y = _checks.array(years, "years", ndim=1)
    t = _checks.array(tokens, "tokens", positive=True, ndim=1)
    _checks.same_shape(years=y, tokens=t)
    keep = sorted(set(y.tolist()))
    return np.array(keep), np.array([t[y == k].max() for k in keep])
