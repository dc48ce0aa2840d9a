"""Argument checks shared by every public function, and the warning a fit gives when its data cannot
identify it.

The contract (tested for every public callable by ``tests/test_contract.py``): bad input raises
``ValueError`` naming the argument and what it accepts, or :class:`ArgumentTypeError` (a
``TypeError``) when the argument has the wrong type; never a silent NaN or inf, never a raw internal
error. Checks happen before any work, and a result that overflows although every input is legal
raises too, naming the arguments that cause it (:func:`finite`).
"""

from __future__ import annotations

import functools
import inspect
import math
import re
from collections.abc import Hashable
from numbers import Real

import numpy as np


class ArgumentTypeError(TypeError, ValueError):
    """An argument of the wrong type (a string for a number, ``None`` for a law, ...).

    A ``TypeError``; also a ``ValueError``, so that code catching the library's ``ValueError`` for
    bad input catches this too.
    """


class UnidentifiedFitWarning(UserWarning):
    """A fit whose data cannot identify (some of) its parameters.

    The fit still returns its best answer, but the warning says why that answer is not to be
    trusted, and its uncertainties are as wide as the data allow (often infinite).
    """


#: The largest finite float64, quoted in overflow messages.
FLOAT_MAX = float(np.finfo(np.float64).max)


def _describe(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _is_bool(value) -> bool:
    return isinstance(value, (bool, np.bool_))


def scalar(value, name: str, *, positive: bool = False, nonnegative: bool = False,
           low: float | None = None, high: float | None = None, integer: bool = False) -> float:
    """Return ``value`` as a finite float (an int when ``integer``), or raise naming ``name``.

    A boolean is not a number here (``True`` is not 1.0); a 0-d numeric array is. Counts
    (``integer=True``) should be given a ``high`` bound, so that no argument can ask for unbounded
    work or memory.
    """
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value.item()
    if _is_bool(value) or not isinstance(value, (Real, np.integer, np.floating)):
        raise ArgumentTypeError(f"{name} must be a real number; got {_describe(value)}")
    try:
        value = float(value)
    except OverflowError:  # an int beyond float64's range
        raise ValueError(f"{name} must be finite; got an integer beyond {FLOAT_MAX:.3g}") from None
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
    """Return ``value`` as a float array with finite entries, or raise naming ``name``.

    Accepts numbers, sequences of numbers and numeric arrays (integer arrays become float);
    rejects ``None``, strings, booleans and boolean arrays (``True`` is not 1.0), complex numbers.
    """
    if value is None or isinstance(value, (str, bytes)) or _is_bool(value):
        raise ArgumentTypeError(f"{name} must be numbers (a number or an array of numbers); "
                                f"got {_describe(value)}")
    try:
        raw = np.asarray(value)
        if raw.dtype.kind in "bcSUMm":
            raise TypeError
        arr = raw.astype(float)
    except (TypeError, ValueError, OverflowError):
        raise ArgumentTypeError(f"{name} must be numbers (a number or an array of numbers); "
                                f"got {_describe(value)}") from None
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


def broadcastable(**arrays: np.ndarray) -> tuple:
    """Raise ``ValueError`` naming the arrays unless their shapes broadcast together (numpy's rules:
    equal lengths, or length 1, axis by axis from the right); return the common shape.

    Call it before combining arrays, so that a mismatch is reported by the caller's argument names
    rather than by numpy's "operands could not be broadcast together".
    """
    shapes = {name: np.shape(a) for name, a in arrays.items()}
    try:
        return np.broadcast_shapes(*shapes.values())
    except ValueError:
        described = ", ".join(f"{n} {s}" for n, s in shapes.items())
        raise ValueError(f"{' and '.join(shapes)} must have the same shape, or shapes that broadcast "
                         f"together; got {described}") from None


def finite(value, names: str, what: str):
    """Return ``value`` (a 0-d result as a float), or raise ``ValueError`` if any entry is not finite.

    For results that overflow although every input is legal: ``names`` are the arguments that cause
    it (``"n_params and n_tokens"``), ``what`` the quantity (``"6 N D"``). ``value`` may be a function
    of no arguments, evaluated here with numpy's overflow and invalid-value warnings silenced (and
    Python's float ``OverflowError`` caught), so that the error raised is this one::

        flops = _checks.finite(lambda: 6.0 * n * d, "n_params and n_tokens", "6 N D")
    """
    problem = (f"{names}: {what} is not a finite number for these values (it overflows float64, "
               f"whose largest value is {FLOAT_MAX:.3g}, or is undefined)")
    if callable(value):
        try:
            with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
                value = value()
        except (OverflowError, ZeroDivisionError):
            raise ValueError(problem) from None
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise ValueError(problem)
    return result(arr)


def level(value, name: str = "level") -> float:
    """A confidence level strictly between 0 and 1."""
    value = scalar(value, name)
    if not 0 < value < 1:
        raise ValueError(f"{name} must be strictly between 0 and 1; got {value}")
    return value


def choice(value, name: str, options) -> object:
    """Return ``value`` if it is one of ``options``, else raise naming ``name`` and listing them.

    Arrays, lists and other unhashable values are refused with :class:`ArgumentTypeError`, and a
    boolean does not stand for 0 or 1.
    """
    options = tuple(options)
    listed = sorted(map(str, options))
    if isinstance(value, np.ndarray) or not isinstance(value, Hashable):
        raise ArgumentTypeError(f"{name} must be one of {listed}; got {_describe(value)}")
    if _is_bool(value) and not any(_is_bool(o) for o in options):
        raise ArgumentTypeError(f"{name} must be one of {listed}; got {_describe(value)}")
    for option in options:
        comparable = (type(option) is type(value) or (isinstance(option, str) and isinstance(value, str))
                      or (isinstance(option, Real) and isinstance(value, Real)))
        if comparable and value == option:
            return option
    raise ValueError(f"{name} must be one of {listed}; got {_describe(value)}")


def instance(value, name: str, kind, what: str):
    """Return ``value`` if it is an instance of ``kind`` (a class or a tuple of classes), else raise
    :class:`ArgumentTypeError` naming ``name`` and saying what it accepts (``what``)."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not isinstance(value, kinds) or (_is_bool(value) and bool not in kinds):
        raise ArgumentTypeError(f"{name} must be {what}; got {_describe(value)}")
    return value


def flag(value, name: str) -> bool:
    """Return ``value`` as a bool if it is ``True`` or ``False``, else raise naming ``name``."""
    if not _is_bool(value):
        raise ArgumentTypeError(f"{name} must be True or False; got {_describe(value)}")
    return bool(value)


def text(value, name: str, *, empty: bool = True) -> str:
    """Return ``value`` if it is a string (non-empty unless ``empty``), else raise naming ``name``."""
    if not isinstance(value, str):
        raise ArgumentTypeError(f"{name} must be a string; got {_describe(value)}")
    if not empty and not value:
        raise ValueError(f"{name} must not be empty")
    return value


def columns(table, name: str, required) -> dict:
    """The columns ``required`` of ``table`` (anything indexed by column name: a dict of arrays, a
    :class:`scaling_lib.data.Table`) as 1-D float arrays of one length, or raise naming ``name``."""
    out = {}
    for column in required:
        try:
            values = table[column]
        except (KeyError, TypeError, IndexError, ValueError):
            raise ArgumentTypeError(f"{name} must be a table with columns {', '.join(required)}; "
                                    f"got {_describe(table)}") from None
        out[column] = array(values, f"{name}[{column!r}]", ndim=1)
    if len({v.size for v in out.values()}) > 1:
        raise ValueError(f"{name}: its columns {', '.join(required)} must have one length")
    return out


def arguments_named(func):
    """Decorate a function whose errors come from the library calls it makes on derived values (a
    figure drawing a law over a range it was given): a ``ValueError`` or ``TypeError`` whose message
    names none of the function's own arguments is raised again prefixed with their names, so the
    caller learns which of *their* arguments led to it. Check argument types first: an
    ``AttributeError`` from a wrong object is not caught."""
    parameters = [p for p in inspect.signature(func).parameters]
    listed = ", ".join(parameters)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (ValueError, TypeError) as exc:
            if isinstance(exc, Warning) or any(
                    re.search(rf"(?<![A-Za-z0-9_]){re.escape(p)}(?![A-Za-z0-9_])", str(exc)) for p in parameters):
                raise
            kind = ArgumentTypeError if isinstance(exc, TypeError) else ValueError
            raise kind(f"{func.__name__}({listed}): {exc}") from exc
    return wrapper


def result(value: np.ndarray | float):
    """Return a 0-d result as a Python float and an array as it is."""
    value = np.asarray(value)
    return float(value) if value.ndim == 0 else value
