"""One house style for every figure in the book.

Figures are ``matplotlib.figure.Figure`` objects made without pyplot, so a library call never leaves
a stray figure open; a notebook shows one by ending a cell with it. Colours come from the Okabe-Ito
palette (safe for the common colour-vision deficiencies), one colour per quantity throughout the
book; figures have a white background so they stay readable on the site's dark theme.
"""

from __future__ import annotations

import io
import math

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
#: The narrowest and lowest live figure (inches): its fixed margins take 1.1 and 1.05.
LIVE_MIN_INCHES = (2.0, 1.5)


def figure(nrows: int = 1, ncols: int = 1, *, width: float = 6.4, height: float = 4.0,
           live: bool = False, **kwargs):
    """A new house-style ``Figure`` and its axes (an array when there is more than one).

    ``live=True`` gives fixed margins instead of constrained layout, for a figure drawn again and
    again with the same frame (an explorer's :class:`LiveFigure`): laying it out costs more than
    drawing it, and fixed margins keep the axes still while the reader moves a control.
    """
    nrows = _checks.scalar(nrows, "nrows", integer=True, low=1, high=MAX_PANELS)
    ncols = _checks.scalar(ncols, "ncols", integer=True, low=1, high=MAX_PANELS)
    width = _checks.scalar(width, "width", positive=True, high=MAX_INCHES)
    height = _checks.scalar(height, "height", positive=True, high=MAX_INCHES)
    live = _checks.flag(live, "live")
    if live and (width < LIVE_MIN_INCHES[0] or height < LIVE_MIN_INCHES[1]):
        name, value = ("width", width) if width < LIVE_MIN_INCHES[0] else ("height", height)
        raise ValueError(f"{name} of a live figure must be at least {LIVE_MIN_INCHES[name == 'height']} inches "
                         f"(room for its fixed margins); got {value!r}")
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(width, height), layout=None if live else "constrained")
        axes = fig.subplots(nrows, ncols, squeeze=True, **kwargs)
        if live:
            fig.subplots_adjust(left=0.9 / width, right=1 - 0.2 / width, bottom=0.6 / height,
                                top=1 - 0.45 / height, wspace=0.9 / width * ncols, hspace=0.35)
    return fig, axes


class LiveFigure:
    """The figure one explorer owns and draws again on every move of a control.

    :meth:`clear` empties its axes (lines, collections, patches, texts, legend, titles, labels; axes
    added later, such as twins, are removed) and returns them for the next drawing; :meth:`to_png`
    renders what was drawn. It renders in two layers: the *frame* of each panel (background, spines,
    ticks, grid, tick labels, axis labels, titles and a legend at a fixed place) and the *data*
    (every other artist, drawn over the frames in z-order). Drawing frames is most of the cost of a
    figure, and a control usually changes the frame of one panel at most, so each panel's frame is
    drawn again only when something it shows changed (limits, scales, ticks and their labels, texts,
    legend entries); otherwise its pixels are reused. Each panel's frame is drawn alone on white and
    the frames are laid over each other (the darker pixel wins, exact where panels do not overlap).
    Every render takes this same path, so a reused frame gives exactly the image a fresh one would.
    """

    def __init__(self, nrows: int = 1, ncols: int = 1, *, width: float = 6.4, height: float = 4.0):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        self.figure, self.axes = figure(nrows, ncols, width=width, height=height, live=True)
        self._canvas = FigureCanvasAgg(self.figure)
        self._original = list(self.figure.axes)
        self._figure_key = None
        self._frame_keys = []
        self._frames = []

    def clear(self):
        """Empty the axes for a new drawing (autoscaling restored) and return them."""
        _empty(self.figure, self._original)
        return self.axes

    def to_png(self) -> bytes:
        """The figure as drawn since the last :meth:`clear`, rendered to PNG bytes."""
        import numpy as np
        from PIL import Image

        fig = self.figure
        panels = list(fig.axes)
        data = [_data_artists(ax) for ax in panels]
        top = [*fig.texts, *fig.legends, *fig.lines, *fig.patches]
        figure_key = repr((fig.get_size_inches().tolist(), fig.dpi, str(fig.get_facecolor()),
                           [ax.get_position().bounds for ax in panels]))
        keys = [_frame_key(ax) for ax in panels]
        if figure_key != self._figure_key:
            self._figure_key, self._frame_keys, self._frames = figure_key, [None] * len(panels), [None] * len(panels)
        changed = [i for i, key in enumerate(keys) if key != self._frame_keys[i]]
        if changed:
            hidden = [a for artists in data for a in artists if a.get_visible()] + [a for a in top if a.get_visible()]
            shown = [ax for ax in panels if ax.get_visible()]
            for artist in hidden + shown:
                artist.set_visible(False)
            try:
                for i in changed:
                    panels[i].set_visible(panels[i] in shown)
                    self._canvas.draw()
                    self._frames[i] = np.array(self._canvas.buffer_rgba())
                    panels[i].set_visible(False)
                    self._frame_keys[i] = keys[i]
            finally:
                for artist in hidden + shown:
                    artist.set_visible(True)
        renderer = self._canvas.get_renderer()
        np.asarray(self._canvas.buffer_rgba())[...] = (self._frames[0] if len(self._frames) == 1
                                                      else np.minimum.reduce(self._frames))
        for artists in data:
            for artist in sorted(artists, key=lambda a: a.get_zorder()):
                artist.draw(renderer)
        for artist in sorted(top, key=lambda a: a.get_zorder()):
            artist.draw(renderer)
        image = Image.frombuffer("RGBA", self._canvas.get_width_height(), self._canvas.buffer_rgba(),
                                 "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        image.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()


def _legend_is_frame(ax) -> bool:
    """Whether the legend of ``ax`` has a fixed place (then it belongs to the frame): a legend at
    ``loc="best"`` moves with the data."""
    return ax.legend_ is not None and ax.legend_._loc not in (0, "best")


def _data_artists(ax) -> list:
    artists = [*ax.lines, *ax.collections, *ax.patches, *ax.texts, *ax.images, *ax.artists, *ax.tables]
    if ax.legend_ is not None and not _legend_is_frame(ax):
        artists.append(ax.legend_)
    return artists


_HANDLE_PROPERTIES = ("get_color", "get_linestyle", "get_linewidth", "get_marker", "get_markersize",
                      "get_markerfacecolor", "get_markeredgecolor", "get_markeredgewidth", "get_facecolor",
                      "get_edgecolor", "get_alpha", "get_hatch", "get_visible")


def _text_key(text) -> tuple:
    return (text.get_text(), text.get_fontsize(), str(text.get_color()), text.get_visible())


def _frame_key(ax) -> str:
    """Everything the frame of ``ax`` shows, as text: equal keys draw equal frames."""
    key = [(ax.get_position().bounds, ax.get_xlim(), ax.get_ylim(), ax.get_xscale(), ax.get_yscale(),
            ax.axison, ax.get_visible(), str(ax.get_facecolor()), ax.get_axisbelow(),
            [_text_key(t) for t in (ax.title, ax._left_title, ax._right_title)],
            [(name, s.get_visible()) for name, s in ax.spines.items()])]
    for axis in (ax.xaxis, ax.yaxis):
        key.append((axis.get_visible(), _text_key(axis.label), axis.get_label_position(),
                    axis.get_ticks_position(), sorted(axis._major_tick_kw.items()),
                    sorted(axis._minor_tick_kw.items())))
        for ticker in (axis.major, axis.minor):
            locations = [float(v) for v in ticker.locator()]
            key.append((locations, list(ticker.formatter.format_ticks(locations))))
    legend = ax.legend_
    if legend is not None and _legend_is_frame(ax):
        handles = [(type(h).__name__, [str(getattr(h, p)()) for p in _HANDLE_PROPERTIES if hasattr(h, p)])
                   for h in legend.legend_handles]
        key.append((str(legend._loc), legend.get_bbox_to_anchor().bounds, legend._ncols,
                    [_text_key(t) for t in legend.texts], handles, legend.get_visible()))
    return repr(key)


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
        ax.set_prop_cycle(STYLE["axes.prop_cycle"])  # the next line gets the first colour again


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
