"""One house style for every figure in the book.

Figures are ``matplotlib.figure.Figure`` objects made without pyplot, so a library call never leaves
a stray figure open; a notebook shows one by ending a cell with it. Colours come from the Okabe-Ito
palette (safe for the common colour-vision deficiencies), one colour per quantity throughout the
book; figures have a white background so they stay readable on the site's dark theme.
"""

from __future__ import annotations

import io
import math
import sys

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from . import _checks
from matplotlib.ticker import Formatter, LogLocator

#: One colour per quantity or role, the same in every chapter (Okabe & Ito's palette).
COLORS = {
    "observed": "#0072B2",       # measured or simulated points
    "fit": "#D55E00",            # a fitted law
    "truth": "#000000",          # the law that generated the data
    "extrapolation": "#CC79A7",  # a fit carried beyond its data
    "parameters": "#0072B2",     # N
    "tokens": "#009E73",         # D
    "compute": "#E69F00",        # C
    "kaplan": "#56B4E9",         # Kaplan et al. (2020)
    "chinchilla": "#D55E00",     # Hoffmann et al. (2022)
    "replication": "#009E73",    # Besiroglu et al. (2024)
    "neutral": "#7F7F7F",
}

#: A sequence for families of curves (model sizes, budgets), dark to light, colour-blind safe.
SEQUENCE = ("#0072B2", "#009E73", "#E69F00", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")

STYLE = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.dpi": 100,
    "axes.facecolor": "white",
    "axes.edgecolor": "#333333",
    "axes.labelcolor": "#111111",
    "axes.titlesize": 12,
    "axes.titley": 1.01,  # a fixed title position: placing it automatically costs a tenth of a draw
    "axes.labelsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.prop_cycle": matplotlib.cycler(color=list(SEQUENCE)),
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "xtick.color": "#111111",
    "ytick.color": "#111111",
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 9.5,
    "legend.frameon": False,
    "lines.linewidth": 2.0,
    "lines.markersize": 5,
    "font.size": 11,
}


_SUPERSCRIPT = str.maketrans("0123456789-", "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079\u207b")


def _short(value: float) -> str:
    """A tick value as short text: 0.01 to 1000 as plain numbers, others as m×10ⁿ."""
    if value <= 0 or not math.isfinite(value):
        return ""
    if 0.01 <= value < 1e4:
        return f"{value:.4g}"
    exponent = math.floor(math.log10(value) + 1e-9)
    mantissa = value / 10.0**exponent
    power = "10" + str(exponent).translate(_SUPERSCRIPT)
    return power if abs(mantissa - 1) < 1e-6 else f"{mantissa:.2g}\u00d7{power}"


class LogTickFormatter(Formatter):
    """Plain-text labels for log axes: ``10⁶`` on major ticks; minor ticks labelled only when the
    axis spans less than about a decade and a half (otherwise a log axis may show no label at all).
    Plain text instead of mathtext keeps the live figures fast to draw."""

    def __init__(self, minor: bool = False):
        self.minor = _checks.flag(minor, "minor")

    def __call__(self, value, pos=None):
        if self.minor:
            low, high = sorted(self.axis.get_view_interval())
            if low <= 0 or high / low > 10**1.5:
                return ""
        return _short(value)


class SparseMinorLocator(LogLocator):
    """Minor ticks at 2, 3 and 5 times each power of ten, only on axes spanning less than about a
    decade and a half; wider axes get major ticks alone (drawing ticks is most of a figure's cost)."""

    def __init__(self):
        super().__init__(subs=(2.0, 3.0, 5.0))

    def tick_values(self, vmin, vmax):
        vmin, vmax = _checks.scalar(vmin, "vmin"), _checks.scalar(vmax, "vmax")
        low, high = sorted((vmin, vmax))
        if low <= 0 or high / low > 10**1.5:
            return []
        return super().tick_values(vmin, vmax)


def use_style() -> None:
    """Apply the house style to matplotlib (the notebooks' setup cell calls this)."""
    matplotlib.rcParams.update(STYLE)


#: The most rows or columns of panels, and the widest or tallest figure (inches), :func:`figure` makes.
MAX_PANELS, MAX_INCHES = 20, 100.0

#: Live figures kept between redraws, one per calling function and layout.
_LIVE_FIGURES: dict = {}


def figure(nrows: int = 1, ncols: int = 1, *, width: float = 6.4, height: float = 4.0,
           live: bool = False, **kwargs):
    """A new house-style ``Figure`` and its axes (an array when there is more than one).

    ``live=True`` is for explorers, redrawn on every move of a control. Such a figure uses fixed
    margins instead of constrained layout, and it is recycled: each call from the same function
    with the same layout returns the same figure, its axes emptied of lines, collections, patches,
    texts, legend, titles and labels, with autoscaling restored and any axes added later (twins,
    colour bars) removed. Keeping the axes keeps their tick objects, which are most of the cost of
    drawing a new figure. Render a live figure (e.g. ``to_png``) before asking for the next one.
    """
    nrows = _checks.scalar(nrows, "nrows", integer=True, low=1, high=MAX_PANELS)
    ncols = _checks.scalar(ncols, "ncols", integer=True, low=1, high=MAX_PANELS)
    width = _checks.scalar(width, "width", positive=True, high=MAX_INCHES)
    height = _checks.scalar(height, "height", positive=True, high=MAX_INCHES)
    live = _checks.flag(live, "live")
    key = None
    if live:
        caller = sys._getframe(1).f_code
        key = (caller, nrows, ncols, width, height, tuple(sorted(kwargs.items())))
        if key in _LIVE_FIGURES:
            fig, axes, original = _LIVE_FIGURES[key]
            _empty(fig, original)
            return fig, axes
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(width, height), layout=None if live else "constrained")
        axes = fig.subplots(nrows, ncols, squeeze=True, **kwargs)
        if live:
            fig.subplots_adjust(left=0.9 / width, right=1 - 0.2 / width, bottom=0.6 / height,
                                top=1 - 0.45 / height, wspace=0.9 / width * ncols, hspace=0.35)
    if key is not None:
        _LIVE_FIGURES[key] = (fig, axes, list(fig.axes))
    return fig, axes


def _empty(fig: Figure, original: list) -> None:
    for ax in list(fig.axes):
        if ax not in original:
            ax.remove()
    for artist in list(fig.texts) + list(fig.legends):
        artist.remove()
    for ax in original:
        for artist in [*ax.lines, *ax.collections, *ax.patches, *ax.texts, *ax.images, *ax.artists]:
            artist.remove()
        if ax.legend_ is not None:
            ax.legend_.remove()
        for loc in ("left", "center", "right"):
            ax.set_title("", loc=loc)
        ax.set_xlabel("")
        ax.set_ylabel("")
        ax.relim()
        ax.autoscale(True)


def log_axes(ax, xlabel: str, ylabel: str, *, x: bool = True, y: bool = True, title: str | None = None):
    """Label ``ax`` (units belong in the labels) and put log scales on the chosen axes."""
    _checks.instance(ax, "ax", Axes, "matplotlib Axes")
    xlabel, ylabel = _checks.text(xlabel, "xlabel"), _checks.text(ylabel, "ylabel")
    x, y = _checks.flag(x, "x"), _checks.flag(y, "y")
    if title is not None:
        _checks.text(title, "title")
    for on, axis, scale in ((x, ax.xaxis, ax.set_xscale), (y, ax.yaxis, ax.set_yscale)):
        if on:
            scale("log")
            axis.set_major_formatter(LogTickFormatter())
            axis.set_minor_locator(SparseMinorLocator())
            axis.set_minor_formatter(LogTickFormatter(minor=True))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    return ax


def to_png(fig: Figure) -> bytes:
    """Render ``fig`` to PNG bytes."""
    _checks.instance(fig, "fig", Figure, "a matplotlib Figure")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})
    return buffer.getvalue()
