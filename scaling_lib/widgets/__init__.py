"""Explorers: live figures driven by controls, declared so tests can drive them without a kernel.

An :class:`Explorer` is a plain drawing callback (the axes of the explorer's own figure and the
control values in, optionally a line of text out) plus a declaration of its controls and of the
scenarios its chapter asks the reader to look at. :meth:`Explorer.show` wires it to ipywidgets in a
kernel; in the book build (no kernel behind the page) it shows the scenarios instead, rendered in
advance, so every control on the static page changes what it shows. The tests call
:meth:`Explorer.render` over every control's range with no kernel at all.

Each chapter's explorers live in a module of this package that lists their factory functions in
``EXPLORERS``; :func:`all_explorers` collects them for the tests and the benchmark.
"""

from __future__ import annotations

import base64
import html
import importlib
import os
import pkgutil
import re
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np

from .. import _checks

#: Set by the book build: an explorer then shows its scenarios, rendered in advance, instead of
#: controls that no Python would answer on the static page.
STATIC_BUILD_ENV = "SCALING_BOOK_BUILD"

STATIC_NOTE = (
    "These are the settings the text asks about, drawn when the page was built. Every other setting "
    "is live when you run this chapter (<em>Run this chapter live</em>, under its title: in your "
    "browser, on Binder or on Colab)."
)


@dataclass(frozen=True)
class Slider:
    """A numeric control from ``min`` to ``max`` (logarithmic steps when ``log``)."""

    description: str
    min: float
    max: float
    value: float
    step: float | None = None
    log: bool = False
    integer: bool = False
    readout_format: str = ".3g"

    def __post_init__(self):
        _checks.text(self.description, "description")
        for name in ("min", "max", "value"):
            _checks.scalar(getattr(self, name), name)
        if self.step is not None:
            _checks.scalar(self.step, "step", positive=True)
        _checks.flag(self.log, "log")
        _checks.flag(self.integer, "integer")
        _checks.text(self.readout_format, "readout_format")
        if not self.min < self.max:
            raise ValueError(f"Slider {self.description!r}: min must be < max")
        if not self.min <= self.value <= self.max:
            raise ValueError(f"Slider {self.description!r}: value must lie in [min, max]")
        if self.log and self.min <= 0:
            raise ValueError(f"Slider {self.description!r}: a log slider needs min > 0")

    def sweep(self) -> tuple:
        """The values a sweep tries: both ends, the middle and the default."""
        mid = np.sqrt(self.min * self.max) if self.log else (self.min + self.max) / 2
        values = [self.min, mid, self.value, self.max]
        if self.integer:
            values = [int(round(v)) for v in values]
        return tuple(dict.fromkeys(values))

    def widget(self):
        import ipywidgets as w

        common = dict(description=self.description, continuous_update=False,
                      style={"description_width": "initial"}, layout=w.Layout(width="420px"))
        if self.log:
            return w.FloatLogSlider(value=self.value, base=10, min=np.log10(self.min),
                                    max=np.log10(self.max), step=self.step or 0.05,
                                    readout_format=self.readout_format, **common)
        if self.integer:
            return w.IntSlider(value=int(self.value), min=int(self.min), max=int(self.max),
                               step=int(self.step or 1), **common)
        return w.FloatSlider(value=self.value, min=self.min, max=self.max,
                             step=self.step or (self.max - self.min) / 100,
                             readout_format=self.readout_format, **common)


@dataclass(frozen=True)
class Choice:
    """A choice among ``options``: a tuple of values, or of ``(label, value)`` pairs."""

    description: str
    options: tuple
    value: object

    def _values(self):
        return [o[1] if isinstance(o, tuple) else o for o in self.options]

    def __post_init__(self):
        _checks.text(self.description, "description")
        if not isinstance(self.options, tuple) or not self.options:
            raise _checks.ArgumentTypeError(f"options must be a non-empty tuple of values or (label, value) "
                                            f"pairs; got {_checks._describe(self.options)}")
        _checks.choice(self.value, "value", self._values())

    def sweep(self) -> tuple:
        return tuple(self._values())

    def widget(self):
        import ipywidgets as w

        return w.Dropdown(options=list(self.options), value=self.value, description=self.description,
                          style={"description_width": "initial"})


@dataclass(frozen=True)
class Toggle:
    """An on/off control."""

    description: str
    value: bool = False

    def __post_init__(self):
        _checks.text(self.description, "description")
        _checks.flag(self.value, "value")

    def sweep(self) -> tuple:
        return (False, True)

    def widget(self):
        import ipywidgets as w

        return w.Checkbox(value=self.value, description=self.description, indent=False)


@dataclass(frozen=True)
class View:
    """What an explorer shows for one setting of its controls: a PNG figure and a line of text."""

    png: bytes
    text: str
    alt: str

    def __post_init__(self):
        _checks.instance(self.png, "png", bytes, "the PNG image as bytes")
        _checks.text(self.text, "text")
        _checks.text(self.alt, "alt", empty=False)

    def html(self) -> str:
        data = base64.b64encode(self.png).decode("ascii")
        body = f'<img src="data:image/png;base64,{data}" alt="{html.escape(self.alt)}" style="max-width:100%">'
        if self.text:
            body += f'<p class="explorer-readout" style="font-family:monospace">{html.escape(self.text)}</p>'
        return body


def check_axes(axes, count: int = 1, name: str = "ax"):
    """``axes`` checked as an explorer's drawing callback receives them: one matplotlib ``Axes``
    when ``count`` is 1, else a sequence of ``count`` of them (returned as a tuple). ``name`` is the
    callback's name for the argument, used in the error."""
    from matplotlib.axes import Axes

    count = _checks.scalar(count, "count", integer=True, low=1, high=400)
    name = _checks.text(name, "name", empty=False)
    if count == 1:
        return _checks.instance(axes, name, Axes, "matplotlib Axes (the explorer's figure)")
    try:
        found = tuple(np.ravel(np.asarray(axes, dtype=object)))
    except Exception:
        found = ()
    if len(found) != count or not all(isinstance(a, Axes) for a in found):
        raise _checks.ArgumentTypeError(f"{name} must be {count} matplotlib Axes (the explorer's figure); got "
                                        f"{_checks._describe(axes)}")
    return found


def _scenario_settings(controls: Mapping, values: Mapping) -> str:
    """The controls of one scenario as text: ``description = value`` for each."""
    parts = []
    for name, control in controls.items():
        value = values[name]
        if isinstance(control, Slider):
            shown = f"{value:,}" if control.integer else format(value, control.readout_format)
        elif isinstance(control, Toggle):
            shown = "on" if value else "off"
        else:
            shown = next((o[0] for o in control.options if isinstance(o, tuple) and o[1] == value), str(value))
        parts.append(f"{control.description} = {shown}")
    return "; ".join(parts)


@dataclass(frozen=True)
class Explorer:
    """A live figure: ``callback(axes, **values)`` draws on the axes of the explorer's own figure
    (:class:`~scaling_lib.plotting.LiveFigure`, shaped by ``layout``: its ``nrows``, ``ncols``,
    ``width`` and ``height``) and returns a line of text, or ``None``.

    ``alt`` describes the figure for readers who cannot see it. ``scenarios`` are the settings the
    chapter's text asks the reader to try, as ``(label, values)`` pairs (``values`` names some
    controls; the others keep their defaults): the static page shows these.
    """

    name: str
    callback: Callable
    controls: Mapping[str, object]
    alt: str
    layout: Mapping = field(default_factory=dict)
    scenarios: tuple = ()
    _figure: list = field(default_factory=list, init=False, repr=False, compare=False)

    def __post_init__(self):
        _checks.text(self.name, "name", empty=False)
        if not callable(self.callback):
            raise _checks.ArgumentTypeError(f"callback must be a function of the controls; got {self.callback!r}")
        if not isinstance(self.controls, Mapping) or not all(
                isinstance(c, (Slider, Choice, Toggle)) for c in self.controls.values()):
            raise _checks.ArgumentTypeError(f"controls must map names to Slider, Choice or Toggle; got "
                                            f"{_checks._describe(self.controls)}")
        _checks.text(self.alt, "alt", empty=False)
        if not isinstance(self.layout, Mapping) or not set(self.layout) <= {"nrows", "ncols", "width", "height"}:
            raise _checks.ArgumentTypeError(f"layout must map some of nrows, ncols, width, height to numbers; "
                                            f"got {_checks._describe(self.layout)}")
        if not isinstance(self.scenarios, tuple) or not all(
                isinstance(s, tuple) and len(s) == 2 and isinstance(s[0], str) and s[0]
                and isinstance(s[1], Mapping) for s in self.scenarios):
            raise _checks.ArgumentTypeError(f"scenarios must be a tuple of (label, values) pairs; got "
                                            f"{_checks._describe(self.scenarios)}")
        for label, values in self.scenarios:
            if not set(values) <= set(self.controls):
                raise ValueError(f"scenarios: {label!r} must name controls of {self.name} "
                                 f"{sorted(self.controls)}; got {sorted(values)}")

    def defaults(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    def live_figure(self):
        """The explorer's own figure, made on first use and drawn again on every render."""
        from ..plotting import LiveFigure

        if not self._figure:
            self._figure.append(LiveFigure(**self.layout))
        return self._figure[0]

    def render(self, **values) -> View:
        """Draw the explorer with the defaults updated by ``values`` and render its figure."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"values must name controls of {self.name} {sorted(self.controls)}; got {sorted(unknown)}")
        settings = {**self.defaults(), **values}
        canvas = self.live_figure()
        text = self.callback(canvas.clear(), **settings)
        return View(png=canvas.to_png(), text="" if text is None else str(text), alt=self.alt)

    def sweep_points(self):
        """Settings to try: each control over its sweep with the others at default, plus the
        corners where every control sits at its first or its last sweep value."""
        base = self.defaults()
        seen = []
        for name, control in self.controls.items():
            for v in control.sweep():
                point = {**base, name: v}
                if point not in seen:
                    seen.append(point)
        names = list(self.controls)
        for pick in (0, -1):
            point = {n: self.controls[n].sweep()[pick] for n in names}
            if point not in seen:
                seen.append(point)
        return seen

    def scenario_views(self) -> list:
        """``(label, settings text, View)`` for each scenario (the defaults when none is declared)."""
        out = []
        for label, values in self.scenarios or (("as the explorer opens", {}),):
            settings = {**self.defaults(), **values}
            out.append((label, _scenario_settings(self.controls, settings), self.render(**values)))
        return out

    def static(self) -> "Scenarios":
        """The explorer for a page with no kernel: its scenarios, rendered now."""
        return Scenarios(self.name, self.scenario_views(), STATIC_NOTE)

    def show(self):
        """The explorer as ipywidgets (controls above, figure and readout below); in the book build
        (:data:`STATIC_BUILD_ENV` set) its scenarios instead (:meth:`static`)."""
        if os.environ.get(STATIC_BUILD_ENV):
            return self.static()
        import ipywidgets as w
        from IPython.display import HTML, display

        controls = {name: c.widget() for name, c in self.controls.items()}
        output = w.Output()

        def update(_change=None):
            view = self.render(**{n: c.value for n, c in controls.items()})
            with output:
                output.clear_output(wait=True)
                display(HTML(view.html()))

        for c in controls.values():
            c.observe(update, names="value")
        update()
        return w.VBox([w.HBox(list(controls.values()), layout=w.Layout(flex_flow="row wrap")), output])


def _html_id(name: str) -> str:
    return "explorer-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


class Scenarios:
    """An explorer as a static page shows it: one radio button per scenario, each showing that
    scenario's figure (lazily loaded) and readout, and a note on where the rest is live. Plain HTML
    and CSS, no JavaScript: notebooks display it through ``_repr_html_``."""

    def __init__(self, name: str, views: list, note: str):
        self.name = _checks.text(name, "name", empty=False)
        if not isinstance(views, list) or not views or not all(
                isinstance(v, tuple) and len(v) == 3 and isinstance(v[2], View) for v in views):
            raise _checks.ArgumentTypeError(f"views must be a non-empty list of (label, settings, View); got "
                                            f"{_checks._describe(views)}")
        self.views = views
        self.note = _checks.text(note, "note")

    def __repr__(self) -> str:
        return f"<{self.name}: {len(self.views)} scenarios drawn in advance>"

    def _repr_html_(self) -> str:
        uid = _html_id(self.name)
        rules, choices, panels = [f"#{uid} .explorer-scenario {{display: none}}",
                                  f"#{uid} .explorer-choice + label {{margin: 0 1.2em 0 0.3em}}"], [], []
        for i, (label, settings, view) in enumerate(self.views):
            rules.append(f"#{uid}-{i}:checked ~ .explorer-scenario-{i} {{display: block}}")
            checked = " checked" if i == 0 else ""
            choices.append(f'<input type="radio" class="explorer-choice" name="{uid}" id="{uid}-{i}"'
                           f'{checked}><label for="{uid}-{i}">{html.escape(label)}</label>')
            data = base64.b64encode(view.png).decode("ascii")
            readout = (f'<p class="explorer-readout" style="font-family:monospace">{html.escape(view.text)}</p>'
                       if view.text else "")
            panels.append(f'<div class="explorer-scenario explorer-scenario-{i}">'
                          f'<p class="explorer-settings"><small>{html.escape(settings)}</small></p>'
                          f'<img class="explorer-image" loading="lazy" src="data:image/png;base64,{data}" '
                          f'alt="{html.escape(view.alt)}" style="max-width:100%;height:auto">{readout}</div>')
        style = f"<style>{' '.join(rules)}</style>"
        return (f'<div class="explorer-scenarios" id="{uid}" role="group" aria-label="{html.escape(self.name)}">'
                f'{style}<p class="explorer-static-note" role="note">{self.note}</p>'
                f'{"".join(choices)}{"".join(panels)}</div>')


def all_explorers() -> list:
    """Every explorer of the book, from the ``EXPLORERS`` list of each module of this package."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.extend(factory() for factory in getattr(module, "EXPLORERS", ()))
    return found


__all__ = ["Slider", "Choice", "Toggle", "View", "Explorer", "Scenarios", "all_explorers", "STATIC_NOTE"]
