"""Argument checks shared by every public function.

Each check raises ``ValueError`` naming the argument and what it accepts, so bad input never
turns into a silent NaN further down.
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np


def _describe(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def scalar(value, name: str, *, positive: bool = False, nonnegative: bool = False,
           low: float | None = None, high: float | None = None, integer: bool = False) -> float:
    """Return ``value`` as a finite float (or int), or raise ``ValueError`` naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (Real, np.number)):
        raise ValueError(f"{name} must be a real number; got {_describe(value)}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value}")
    if integer and value != int(value):
        raise ValueError(f"{name} must be a whole number; got {value}")
    if positive and value <= 0:
        raise ValueError(f"{name} must be > 0; got {value}")
    if nonnegative and value < 0:
        raise ValueError(f"{name} must be >= 0; got {value}")
    if low is not None and value < low:
        raise ValueError(f"{name} must be >= {low}; got {value}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be <= {high}; got {value}")
    return int(value) if integer else value


def array(value, name: str, *, positive: bool = False, nonnegative: bool = False,
          min_size: int = 1, ndim: int | None = None) -> np.ndarray:
    """Return ``value`` as a float array with finite entries, or raise ``ValueError`` naming ``name``."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers (a scalar or an array); got {_describe(value)}") from None
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional; got shape {arr.shape}")
    if arr.size < min_size:
        raise ValueError(f"{name} needs at least {min_size} value(s); got {arr.size}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    if positive and np.any(arr <= 0):
        raise ValueError(f"{name} must be > 0 everywhere; smallest is {arr.min()}")
    if nonnegative and np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0 everywhere; smallest is {arr.min()}")
    return arr


def same_shape(**arrays: np.ndarray) -> None:
    """Raise ``ValueError`` unless every named array has the same shape."""
    shapes = {name: np.shape(a) for name, a in arrays.items()}
    if len(set(shapes.values())) > 1:
        described = ", ".join(f"{n} {s}" for n, s in shapes.items())
        raise ValueError(f"{' and '.join(shapes)} must have the same shape; got {described}")


def level(value, name: str = "level") -> float:
    """A confidence level strictly between 0 and 1."""
    value = scalar(value, name)
    if not 0 < value < 1:
        raise ValueError(f"{name} must be strictly between 0 and 1; got {value}")
    return value


def choice(value, name: str, options) -> object:
    """Return ``value`` if it is one of ``options``, else raise ``ValueError`` listing them."""
    if value not in options:
        raise ValueError(f"{name} must be one of {sorted(map(str, options))}; got {_describe(value)}")
    return value


def result(value: np.ndarray | float):
    """Return a 0-d result as a Python float and an array as it is."""
    value = np.asarray(value)
    return float(value) if value.ndim == 0 else value
